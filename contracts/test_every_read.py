"""Every collection and sub-list AWX describes answers a read as its description says.

Read-only, so it runs politely against any AWX: sub-lists are read on an object this run made
(a workflow job template with a node, launched) or, for other collections, on the first object
the caller can see.
"""

from __future__ import annotations

import re
import typing as t

import pytest

from mockawx.spec import load_spec

SPEC = load_spec()
PARAM = re.compile(r"\{[^}]+\}")
SKIPPED_PATHS = {"/api/login/"}  # an HTML form, not an API read


def _reads(with_id: bool) -> list[str]:
    paths = []
    for op in SPEC.operations:
        if op.method != "get" or op.path.startswith("/_mockawx/") or op.path in SKIPPED_PATHS:
            continue
        if bool(PARAM.search(op.path)) == with_id and op.path.count("{") <= 1:
            paths.append(op.path)
    return sorted(set(paths))


@pytest.mark.parametrize("path", _reads(with_id=False))
def test_collection_reads(awx: t.Any, path: str) -> None:
    params = {"page_size": 5} if "results" in str((SPEC.by_path[path]["GET"].responses.get("200") or {})) else {}
    response = awx.get(path, params=params)
    assert response.status_code == 200, response.text[:300]


@pytest.mark.parametrize("path", _reads(with_id=True))
def test_object_reads(awx: t.Any, make: t.Any, target: t.Any, path: str) -> None:
    collection = path.split("/")[3]
    pk = _object_for(awx, make, target, collection)
    if pk is None:
        pytest.skip(f"no {collection} visible to read")
    response = awx.get(PARAM.sub(str(pk), path))
    # the suite's own objects, and (on the mock) everything, are readable by the suite's user
    assert response.status_code == 200 or (not target.is_mock and response.status_code == 403), response.text[:300]


def _object_for(awx: t.Any, make: t.Any, target: t.Any, collection: str) -> int | None:
    if collection in ("workflow_job_templates", "workflow_job_template_nodes", "workflow_jobs", "workflow_job_nodes", "workflow_approvals", "workflow_approval_templates"):
        wf = make.wfjt()
        node = make.approval_node(wf, "gate")
        if collection == "workflow_job_templates":
            return int(wf["id"])
        if collection == "workflow_job_template_nodes":
            return int(node["id"])
        if collection == "workflow_approval_templates":
            return int(node["unified_job_template"])
        job = make.launch(wf)
        if collection == "workflow_jobs":
            return int(job["id"])
        if collection == "workflow_approvals":
            return int(make.approvals(job, target)[0]["id"])
        nodes = awx.ok(awx.get(f"/api/v2/workflow_jobs/{job['id']}/workflow_nodes/"))["results"]
        return int(nodes[0]["id"])
    if collection == "users":
        return int(awx.ok(awx.get("/api/v2/me/"))["results"][0]["id"])
    found = _first(awx, collection)
    if found is None and collection in LAUNCHERS:
        # no run to read yet: start one from the first visible template (it is this run's, cleaned up after)
        source, action = LAUNCHERS[collection]
        template = _first(awx, source)
        launched = awx.post(f"/api/v2/{source}/{template}/{action}/", json={}) if template is not None else None
        if launched is not None and launched.status_code in (201, 202):
            return _first(awx, collection)
    return found


# run collections and where one can be started: (template collection, action)
LAUNCHERS = {"jobs": ("job_templates", "launch"), "project_updates": ("projects", "update")}


def _first(awx: t.Any, collection: str) -> int | None:
    listed = awx.get(f"/api/v2/{collection}/", params={"page_size": 1, "order_by": "-id"})
    if listed.status_code != 200 or not listed.json().get("results"):
        return None
    return int(listed.json()["results"][0]["id"])
