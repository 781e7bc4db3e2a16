"""Contracts that need the mock's control plane: job nodes with scripted outcomes, the clock, timeouts."""

from __future__ import annotations

import typing as t

import pytest

pytestmark = pytest.mark.mock_only
EXPLANATION = "No error handling paths found, marking workflow as failed"


@pytest.fixture
def job_template(awx: t.Any, names: t.Any, organization: dict[str, t.Any], mock: t.Any) -> dict[str, t.Any]:
    inventory = awx.ok(awx.post("/api/v2/inventories/", json={"name": names("inv"), "organization": organization["id"]}), 201)
    project = awx.ok(awx.post("/api/v2/projects/", json={"name": names("proj"), "organization": organization["id"],
                                                         "scm_type": "git", "scm_url": "https://example.invalid/x.git"}), 201)
    mock.wait_for(project["url"], lambda body: body["status"] == "successful")
    return t.cast(dict[str, t.Any], awx.ok(awx.post("/api/v2/job_templates/", json={
        "name": names("jt"), "project": project["id"], "inventory": inventory["id"], "playbook": "hello_world.yml"}), 201))


def _script(awx: t.Any, wf: dict[str, t.Any], identifier: str, *statuses: str) -> None:
    awx.ok(awx.post("/_mockawx/outcomes/", json={
        "match": {"workflow_job_template": wf["id"], "node_identifier": identifier},
        "results": [{"status": s} for s in statuses]}), 201)


def test_failed_job_takes_the_failure_path(awx: t.Any, make: t.Any, mock: t.Any, job_template: dict[str, t.Any]) -> None:
    wf = make.wfjt()
    build, deploy, rollback = (make.node(wf, identifier=i, unified_job_template=job_template["id"]) for i in ("build", "deploy", "rollback"))
    make.link(build, "success", deploy)
    make.link(build, "failure", rollback)
    _script(awx, wf, "build", "failed")
    job = make.launch(wf)
    awx.ok(awx.post("/_mockawx/clock/run_until_idle/", json={}))
    finished = make.finished(job, mock)
    assert finished["status"] == "successful"
    assert make.node_states(job) == {"build": "failed", "deploy": "do_not_run", "rollback": "successful"}


def test_unhandled_job_failure_fails_the_workflow(awx: t.Any, make: t.Any, mock: t.Any, job_template: dict[str, t.Any]) -> None:
    wf = make.wfjt()
    a, b = (make.node(wf, identifier=i, unified_job_template=job_template["id"]) for i in ("a", "b"))
    make.link(a, "success", b)
    _script(awx, wf, "a", "error")
    job = make.launch(wf)
    finished = make.finished(job, mock)
    assert finished["status"] == "failed" and finished["job_explanation"] == EXPLANATION
    assert make.node_states(job) == {"a": "error", "b": "do_not_run"}
    spawned = awx.ok(awx.get("/api/v2/jobs/", params={"id": next(
        n["job"] for n in awx.ok(awx.get(f"{job['url']}workflow_nodes/"))["results"] if n["identifier"] == "a")}))
    assert spawned["results"][0]["launch_type"] == "workflow"


def test_relaunch_replays_the_next_scripted_outcome(awx: t.Any, make: t.Any, mock: t.Any, job_template: dict[str, t.Any]) -> None:
    wf = make.wfjt()
    make.node(wf, identifier="deploy", unified_job_template=job_template["id"])
    _script(awx, wf, "deploy", "failed", "successful")
    first = make.finished(make.launch(wf), mock)
    assert first["status"] == "failed"
    again = awx.ok(awx.post(f"{first['url']}relaunch/", json={}), 201)
    assert make.finished(again, mock)["status"] == "successful"


def test_all_parents_must_converge(awx: t.Any, make: t.Any, mock: t.Any, job_template: dict[str, t.Any]) -> None:
    wf = make.wfjt()
    a, b = (make.node(wf, identifier=i, unified_job_template=job_template["id"]) for i in ("a", "b"))
    c = make.node(wf, identifier="c", unified_job_template=job_template["id"], all_parents_must_converge=True)
    make.link(a, "success", c)
    make.link(b, "success", c)
    _script(awx, wf, "b", "failed")
    job = make.finished(make.launch(wf), mock)
    assert job["status"] == "failed"
    assert make.node_states(job) == {"a": "successful", "b": "failed", "c": "do_not_run"}


def test_job_lists_and_details(awx: t.Any, make: t.Any, mock: t.Any, job_template: dict[str, t.Any]) -> None:
    wf = make.wfjt()
    make.node(wf, identifier="only", unified_job_template=job_template["id"])
    job = make.finished(make.launch(wf), mock)
    node = awx.ok(awx.get(f"{job['url']}workflow_nodes/"))["results"][0]
    spawned = awx.ok(awx.get(f"/api/v2/jobs/{node['job']}/"))
    assert spawned["status"] == "successful" and spawned["job_template"] == job_template["id"]
    assert awx.ok(awx.get(f"{job_template['url']}jobs/"))["count"] >= 1
    assert awx.ok(awx.get("/api/v2/unified_jobs/", params={"id": spawned["id"]}))["count"] == 1
    assert awx.ok(awx.get("/api/v2/unified_job_templates/", params={"id": job_template["id"]}))["count"] == 1
    for sub in ("job_events", "job_host_summaries", "labels", "activity_stream"):
        assert "results" in awx.ok(awx.get(f"{spawned['url']}{sub}/"))
    assert awx.get(f"{spawned['url']}stdout/", params={"format": "json"}).status_code == 200


def test_approval_timeout_takes_the_failure_path(awx: t.Any, make: t.Any, mock: t.Any) -> None:
    wf = make.wfjt()
    gate = make.approval_node(wf, "gate", timeout=60)
    fallback = make.approval_node(wf, "fallback")
    make.link(gate, "failure", fallback)
    job = make.launch(wf)
    (approval,) = make.approvals(job, mock)
    assert approval["approval_expiration"] is not None
    mock.settle(61)
    expired = awx.ok(awx.get(approval["url"]))
    assert expired["status"] == "failed" and expired["timed_out"] is True
    assert expired["job_explanation"] == f"The approval node {approval['name']} ({approval['id']}) has expired after 60 seconds."
    late = awx.post(f"{approval['url']}approve/", json={})
    assert late.status_code == 400
    (second,) = make.approvals(job, mock)
    assert awx.post(f"{second['url']}approve/", json={}).status_code == 204
    assert make.finished(job, mock)["status"] == "successful"


def test_nothing_moves_until_the_clock_does(awx: t.Any, make: t.Any, mock: t.Any) -> None:
    wf = make.wfjt()
    job = make.launch(wf)
    assert awx.ok(awx.get(job["url"]))["status"] == "pending"
    before = awx.ok(awx.get("/_mockawx/clock/"))["now"]
    after = awx.ok(awx.post("/_mockawx/clock/advance/", json={"seconds": 5}))
    assert after["now"] > before
    assert awx.ok(awx.get(job["url"]))["status"] == "successful"
    bad = awx.post("/_mockawx/clock/advance/", json={"seconds": "soon"})
    assert bad.status_code == 400


def test_control_plane_outcomes_and_requests(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    _script(awx, wf, "x", "failed")
    listed = awx.ok(awx.get("/_mockawx/outcomes/"))
    assert any(rule["match"].get("workflow_job_template") == wf["id"] for rule in listed["results"]) if isinstance(listed, dict) else listed
    assert awx.post("/_mockawx/outcomes/", json={"results": "nope"}).status_code == 400
    assert awx.delete("/_mockawx/outcomes/").status_code == 204
    log = awx.ok(awx.get("/_mockawx/requests/"))
    assert log
    assert awx.delete("/_mockawx/requests/").status_code == 204


def test_state_snapshot_round_trip(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    snapshot = awx.ok(awx.get("/_mockawx/state/"))
    assert awx.post("/_mockawx/state/", json=snapshot).status_code == 204
    assert awx.ok(awx.get(wf["url"]))["id"] == wf["id"]
    assert awx.post("/_mockawx/state/", json={"not": "a snapshot"}).status_code == 400
