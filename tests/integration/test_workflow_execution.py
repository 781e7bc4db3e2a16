"""Workflow jobs through HTTP: queueing, cancel, relaunch, nesting, delete rules, on the manual clock."""

from __future__ import annotations

import json
import typing as t

WFJT = "/api/v2/workflow_job_templates/"


def gated(api: t.Any, org: dict[str, t.Any], name: str, **fields: t.Any) -> dict[str, t.Any]:
    wf = api.post(WFJT, {"name": name, "organization": org["id"], **fields}).get_json()
    node = api.post(f"{WFJT}{wf['id']}/workflow_nodes/", {"identifier": "gate"}).get_json()
    api.post(f"/api/v2/workflow_job_template_nodes/{node['id']}/create_approval_template/", {"name": f"{name} gate"})
    return t.cast(dict[str, t.Any], wf)


def status(api: t.Any, job_id: int) -> str:
    return t.cast(str, api.get(f"/api/v2/workflow_jobs/{job_id}/").get_json()["status"])


def pending_gate(api: t.Any, job_id: int) -> int:
    nodes = api.get(f"/api/v2/workflow_jobs/{job_id}/workflow_nodes/").get_json()["results"]
    return t.cast(int, nodes[0]["job"])


def test_second_launch_waits_while_the_first_runs(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    wf = gated(api, org, "serial")
    first = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()["id"]
    clock.advance(1)
    second = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()["id"]
    clock.advance(10)
    assert api.get(f"/api/v2/workflow_jobs/{second}/").get_json()["job_explanation"] == ""
    clock.advance(50)
    assert (status(api, first), status(api, second)) == ("running", "pending")
    waiting = api.get(f"/api/v2/workflow_jobs/{second}/").get_json()["job_explanation"]
    assert waiting == f"waiting for workflowjob-{first} to finish"
    # the template shows its newest active job (its current_job), which is the waiting one
    assert api.get(f"{WFJT}{wf['id']}/").get_json()["status"] == "pending"
    api.post(f"/api/v2/workflow_approvals/{pending_gate(api, first)}/approve/", {})
    clock.advance(1)
    assert (status(api, first), status(api, second)) == ("successful", "running")


def test_simultaneous_launches_run_together(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    wf = gated(api, org, "parallel", allow_simultaneous=True)
    jobs = [api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()["id"] for _ in range(2)]
    clock.advance(1)
    assert [status(api, job) for job in jobs] == ["running", "running"]


def test_cancel_pending_is_immediate_and_running_waits_for_the_next_cycle(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    wf = gated(api, org, "cancel me")
    pending = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()["id"]
    assert api.post(f"/api/v2/workflow_jobs/{pending}/cancel/").status_code == 202
    job = api.get(f"/api/v2/workflow_jobs/{pending}/").get_json()
    assert (job["status"], job["started"], job["elapsed"]) == ("canceled", None, 0.0)
    running = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()["id"]
    clock.advance(1)
    assert api.post(f"/api/v2/workflow_jobs/{running}/cancel/").status_code == 202
    assert status(api, running) == "running"  # the cancel is carried out by the next manager cycle
    assert api.get(f"/api/v2/workflow_jobs/{running}/").get_json()["canceled_on"] is not None
    clock.advance(1)
    assert status(api, running) == "canceled"
    gate = api.get(f"/api/v2/workflow_approvals/{pending_gate(api, running)}/").get_json()
    assert gate["status"] == "canceled"
    assert api.get(f"/api/v2/workflow_jobs/{running}/cancel/").get_json() == {"can_cancel": False, "job_explanation": ""}
    refused = api.post(f"/api/v2/workflow_jobs/{running}/cancel/")
    assert (refused.status_code, refused.get_json()) == (405, {"detail": 'Method "POST" not allowed.'})


def test_relaunch_uses_the_current_graph_and_the_original_prompts(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    wf = gated(api, org, "again", ask_variables_on_launch=True)
    first = api.post(f"{WFJT}{wf['id']}/launch/", {"extra_vars": {"release": "1.0"}}).get_json()
    api.post(f"{WFJT}{wf['id']}/workflow_nodes/", {"identifier": "added later"})
    again = api.post(f"/api/v2/workflow_jobs/{first['id']}/relaunch/", {})
    assert again.status_code == 201
    body = again.get_json()
    assert body["launch_type"] == "relaunch"
    assert json.loads(body["extra_vars"]) == {"release": "1.0"}
    identifiers = {n["identifier"] for n in api.get(f"/api/v2/workflow_jobs/{body['id']}/workflow_nodes/").get_json()["results"]}
    assert identifiers == {"gate", "added later"}


def test_running_job_cannot_be_deleted_nor_its_template(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    wf = gated(api, org, "busy")
    job = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()["id"]
    clock.advance(1)
    refused = api.delete(f"/api/v2/workflow_jobs/{job}/")
    assert (refused.status_code, refused.get_json()) == (403, {"detail": "Cannot delete running job resource."})
    conflict = api.delete(f"{WFJT}{wf['id']}/")
    assert conflict.status_code == 409
    assert conflict.get_json() == {"error": "Resource is being used by running jobs.", "active_jobs": [{"id": job, "type": "workflow_job"}]}
    api.post(f"/api/v2/workflow_approvals/{pending_gate(api, job)}/deny/", {})
    clock.advance(1)
    assert api.delete(f"{WFJT}{wf['id']}/").status_code == 204
    orphan = api.get(f"/api/v2/workflow_jobs/{job}/").get_json()
    assert (orphan["workflow_job_template"], orphan["unified_job_template"]) == (None, None)
    assert api.delete(f"/api/v2/workflow_jobs/{job}/").status_code == 204
    assert api.get(f"/api/v2/workflow_jobs/{job}/").status_code == 404


def test_nested_workflow_reports_its_parent(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    inner = gated(api, org, "inner")
    outer = api.post(WFJT, {"name": "outer", "organization": org["id"]}).get_json()
    api.post(f"{WFJT}{outer['id']}/workflow_nodes/", {"identifier": "child", "unified_job_template": inner["id"]})
    parent = api.post(f"{WFJT}{outer['id']}/launch/", {}).get_json()["id"]
    clock.advance(2)
    child_id = api.get(f"/api/v2/workflow_jobs/{parent}/workflow_nodes/").get_json()["results"][0]["job"]
    child = api.get(f"/api/v2/workflow_jobs/{child_id}/").get_json()
    assert child["launch_type"] == "workflow"
    assert child["related"]["source_workflow_job"] == f"/api/v2/workflow_jobs/{parent}/"
    assert child["summary_fields"]["source_workflow_job"]["id"] == parent
    assert child["summary_fields"]["ancestor_job"]["id"] == parent
    assert child["launched_by"]["name"] == "admin"
    api.post(f"/api/v2/workflow_approvals/{pending_gate(api, child_id)}/approve/", {})
    clock.advance(2)
    assert (status(api, child_id), status(api, parent)) == ("successful", "successful")


def test_a_second_cancel_is_accepted_while_the_first_is_carried_out(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    wf = gated(api, org, "twice")
    job = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()["id"]
    clock.advance(1)
    assert api.post(f"/api/v2/workflow_jobs/{job}/cancel/").status_code == 202
    assert api.get(f"/api/v2/workflow_jobs/{job}/cancel/").get_json()["can_cancel"] is True
    assert api.post(f"/api/v2/workflow_jobs/{job}/cancel/").status_code == 202
    clock.advance(1)
    assert status(api, job) == "canceled"


def test_relaunch_after_the_template_is_deleted_copies_the_old_nodes(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    wf = gated(api, org, "orphan")
    job = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()["id"]
    clock.advance(1)
    api.post(f"/api/v2/workflow_approvals/{pending_gate(api, job)}/approve/", {})
    clock.advance(1)
    assert api.delete(f"{WFJT}{wf['id']}/").status_code == 204
    again = api.post(f"/api/v2/workflow_jobs/{job}/relaunch/", {})
    assert again.status_code == 201, again.get_json()
    body = again.get_json()
    assert (body["name"], body["workflow_job_template"], body["launch_type"]) == ("orphan", None, "relaunch")
    nodes = api.get(f"/api/v2/workflow_jobs/{body['id']}/workflow_nodes/").get_json()["results"]
    assert [(n["identifier"], n["job"], n["do_not_run"]) for n in nodes] == [("gate", None, False)]
    clock.advance(1)
    # the gate's approval template went with the template, so the copied node has none: it fails, as in AWX
    done = api.get(f"/api/v2/workflow_jobs/{body['id']}/").get_json()
    assert (done["status"], done["job_explanation"]) == ("failed", "No error handling paths found, marking workflow as failed")
    node = api.get(f"/api/v2/workflow_jobs/{body['id']}/workflow_nodes/").get_json()["results"][0]
    assert (node["job"], node["unified_job_template"], node["do_not_run"]) == (None, None, False)


def test_only_a_superuser_relaunches_a_job_whose_template_is_gone(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    import base64

    from tests.conftest import ApiClient

    wf = gated(api, org, "gone")
    job = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()["id"]
    clock.advance(1)
    api.post(f"/api/v2/workflow_jobs/{job}/cancel/")
    clock.advance(1)
    api.delete(f"{WFJT}{wf['id']}/")
    api.post("/api/v2/users/", {"username": "plain", "password": "Plain-pass-1"})
    plain = ApiClient(api.app, {"Authorization": "Basic " + base64.b64encode(b"plain:Plain-pass-1").decode()})
    refused = plain.post(f"/api/v2/workflow_jobs/{job}/relaunch/", {})
    assert refused.status_code == 403


def test_job_nodes_are_read_only(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    wf = gated(api, org, "readonly")
    job = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()["id"]
    node = api.get(f"/api/v2/workflow_jobs/{job}/workflow_nodes/").get_json()["results"][0]["id"]
    for method in ("put", "patch", "delete"):
        response = getattr(api, method)(f"/api/v2/workflow_job_nodes/{node}/")
        assert response.status_code == 405
        assert response.get_json() == {"detail": f'Method "{method.upper()}" not allowed.'}
        assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_unknown_ids_answer_awx_404s(api: t.Any) -> None:
    cases = {
        "/api/v2/workflow_jobs/999999/cancel/": ("WorkflowJob", ("get", "post")),
        "/api/v2/workflow_jobs/999999/relaunch/": ("WorkflowJob", ("get", "post")),
        "/api/v2/workflow_jobs/999999/workflow_nodes/": ("WorkflowJob", ("get",)),
        "/api/v2/workflow_approvals/999999/approve/": ("WorkflowApproval", ("get", "post")),
        "/api/v2/workflow_approvals/999999/deny/": ("WorkflowApproval", ("get", "post")),
        "/api/v2/workflow_job_templates/999999/survey_spec/": ("WorkflowJobTemplate", ("get", "post", "delete")),
        "/api/v2/workflow_job_templates/999999/copy/": ("WorkflowJobTemplate", ("get", "post")),
        "/api/v2/workflow_job_templates/999999/launch/": ("WorkflowJobTemplate", ("get", "post")),
    }
    for path, (model, methods) in cases.items():
        for method in methods:
            response = getattr(api, method)(path)
            assert response.status_code == 404, (method, path)
            assert response.get_json() == {"detail": f"No {model} matches the given query."}, (method, path)
