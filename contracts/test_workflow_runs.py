"""Workflow jobs driven through approval nodes (approve = success, deny = failure): runs on any AWX."""

from __future__ import annotations

import typing as t

EXPLANATION = "No error handling paths found, marking workflow as failed"


def _gate_with_paths(make: t.Any) -> tuple[dict[str, t.Any], dict[str, t.Any]]:
    """gate -S-> ok (approval), gate -F-> rollback (approval)."""
    wf = make.wfjt()
    gate, ok, rollback = (make.approval_node(wf, i) for i in ("gate", "ok", "rollback"))
    make.link(gate, "success", ok)
    make.link(gate, "failure", rollback)
    return wf, gate


def test_approve_runs_the_success_path(awx: t.Any, make: t.Any, target: t.Any) -> None:
    wf, _ = _gate_with_paths(make)
    job = make.launch(wf)
    (gate,) = make.approvals(job, target)
    assert gate["can_approve_or_deny"] is True and gate["timed_out"] is False
    assert gate["summary_fields"]["source_workflow_job"]["id"] == job["id"]
    assert awx.ok(awx.get(f"{gate['url']}approve/")) == {"job_explanation": ""}
    assert awx.post(f"{gate['url']}approve/", json={}).status_code == 204
    decided = awx.ok(awx.get(gate["url"]))
    assert decided["status"] == "successful" and decided["can_approve_or_deny"] is False
    assert decided["summary_fields"]["approved_or_denied_by"]["username"]
    again = awx.post(f"{gate['url']}deny/", json={})
    assert again.status_code == 400
    assert again.json() == {"error": "This workflow step has already been approved or denied."}

    (ok,) = make.approvals(job, target)
    assert awx.post(f"{ok['url']}approve/", json={}).status_code == 204
    finished = make.finished(job, target)
    assert finished["status"] == "successful" and finished["failed"] is False and finished["job_explanation"] == ""
    assert make.node_states(job) == {"gate": "successful", "ok": "successful", "rollback": "do_not_run"}
    template = awx.ok(awx.get(wf["url"]))
    assert template["status"] == "successful" and template["summary_fields"]["last_job"]["id"] == job["id"]


def test_deny_runs_the_failure_path(awx: t.Any, make: t.Any, target: t.Any) -> None:
    wf, _ = _gate_with_paths(make)
    job = make.launch(wf)
    (gate,) = make.approvals(job, target)
    assert awx.ok(awx.get(f"{gate['url']}deny/")) == {"job_explanation": ""}
    assert awx.post(f"{gate['url']}deny/", json={}).status_code == 204
    (rollback,) = make.approvals(job, target)
    assert rollback["summary_fields"]["source_workflow_job"]["id"] == job["id"]
    assert awx.post(f"{rollback['url']}approve/", json={}).status_code == 204
    finished = make.finished(job, target)
    # the denial had a failure path, so the workflow succeeds
    assert finished["status"] == "successful"
    assert make.node_states(job) == {"gate": "failed", "ok": "do_not_run", "rollback": "successful"}


def test_unhandled_denial_fails_the_workflow(awx: t.Any, make: t.Any, target: t.Any) -> None:
    wf = make.wfjt()
    make.approval_node(wf, "only")
    job = make.launch(wf)
    (only,) = make.approvals(job, target)
    assert awx.post(f"{only['url']}deny/", json={}).status_code == 204
    finished = make.finished(job, target)
    assert finished["status"] == "failed" and finished["failed"] is True
    assert finished["job_explanation"] == EXPLANATION
    assert awx.ok(awx.get(wf["url"]))["status"] == "failed"


def test_empty_workflow_succeeds(make: t.Any, target: t.Any) -> None:
    job = make.launch(make.wfjt())
    assert make.finished(job, target)["status"] == "successful"


def test_workflow_job_and_its_nodes(awx: t.Any, make: t.Any, target: t.Any) -> None:
    wf, _ = _gate_with_paths(make)
    job = make.launch(wf)
    make.approvals(job, target)
    read = awx.ok(awx.get(job["url"]))
    assert read["type"] == "workflow_job" and read["workflow_job_template"] == wf["id"]
    assert read["status"] == "running" and read["started"] is not None
    assert read["launched_by"]["type"] == "user"
    listed = awx.ok(awx.get("/api/v2/workflow_jobs/", params={"id": job["id"]}))
    assert listed["count"] == 1 and "job_args" not in listed["results"][0]
    assert awx.ok(awx.get(f"{wf['url']}workflow_jobs/"))["results"][0]["id"] == job["id"]
    nodes = awx.ok(awx.get(f"{job['url']}workflow_nodes/"))["results"]
    assert sorted(n["identifier"] for n in nodes) == ["gate", "ok", "rollback"]
    gate = next(n for n in nodes if n["identifier"] == "gate")
    detail = awx.ok(awx.get(gate["url"]))
    assert detail["workflow_job"] == job["id"] and detail["job"] is not None
    assert len(awx.ok(awx.get(f"{gate['url']}success_nodes/"))["results"]) == 1
    assert len(awx.ok(awx.get(f"{gate['url']}failure_nodes/"))["results"]) == 1
    assert awx.ok(awx.get(f"{gate['url']}always_nodes/"))["count"] == 0
    assert awx.ok(awx.get("/api/v2/workflow_job_nodes/", params={"workflow_job": job["id"]}))["count"] == 3
    for sub in ("labels", "credentials", "instance_groups"):
        assert awx.ok(awx.get(f"{gate['url']}{sub}/"))["count"] == 0
    for sub in ("labels", "notifications", "activity_stream"):
        assert "results" in awx.ok(awx.get(f"{job['url']}{sub}/"))
    approvals = awx.ok(awx.get("/api/v2/workflow_approvals/", params={"status": "pending", "id": detail["job"]}))
    assert approvals["count"] == 1


def test_approval_template_lists_its_approvals(awx: t.Any, make: t.Any, target: t.Any) -> None:
    wf = make.wfjt()
    node = make.approval_node(wf, "gate")
    job = make.launch(wf)
    (gate,) = make.approvals(job, target)
    assert gate["unified_job_template"] == node["unified_job_template"]
    listed = awx.ok(awx.get(f"{node['related']['unified_job_template']}approvals/"))
    assert [a["id"] for a in listed["results"]] == [gate["id"]]


def test_delete_rules_while_running(awx: t.Any, make: t.Any, target: t.Any) -> None:
    wf = make.wfjt()
    make.approval_node(wf, "hold")
    job = make.launch(wf)
    (hold,) = make.approvals(job, target)
    busy = awx.delete(wf["url"])
    assert busy.status_code == 409
    assert busy.json() == {"error": "Resource is being used by running jobs.", "active_jobs": [{"id": job["id"], "type": "workflow_job"}]}
    running = awx.delete(job["url"])
    assert running.status_code == 403
    assert running.json() == {"detail": "Cannot delete running job resource."}
    assert awx.post(f"{hold['url']}approve/", json={}).status_code == 204
    make.finished(job, target)
    assert awx.delete(hold["url"]).status_code == 204
    assert awx.delete(job["url"]).status_code == 204
    assert awx.get(job["url"]).status_code == 404


def test_cancel_a_running_workflow(awx: t.Any, make: t.Any, target: t.Any) -> None:
    wf = make.wfjt()
    make.approval_node(wf, "hold")
    job = make.launch(wf)
    (hold,) = make.approvals(job, target)
    assert awx.ok(awx.get(f"{job['url']}cancel/"))["can_cancel"] is True
    response = awx.post(f"{job['url']}cancel/", json={})
    assert response.status_code == 202 and response.content == b""
    finished = make.finished(job, target)
    assert finished["status"] == "canceled" and finished["failed"] is True and finished["canceled_on"]
    assert target.wait_for(hold["url"], lambda b: b["status"] == "canceled")["status"] == "canceled"
    assert awx.ok(awx.get(f"{job['url']}cancel/"))["can_cancel"] is False
    not_cancellable = awx.post(f"{job['url']}cancel/", json={})
    assert not_cancellable.status_code == 405
    assert awx.ok(awx.get(wf["url"]))["status"] == "failed"


def test_relaunch_builds_from_the_current_template(awx: t.Any, make: t.Any, target: t.Any) -> None:
    wf = make.wfjt()
    make.approval_node(wf, "first")
    job = make.launch(wf)
    (first,) = make.approvals(job, target)
    assert awx.post(f"{first['url']}approve/", json={}).status_code == 204
    make.finished(job, target)
    make.approval_node(wf, "second")
    assert awx.ok(awx.get(f"{job['url']}relaunch/")) == {}
    again = awx.ok(awx.post(f"{job['url']}relaunch/", json={}), 201)
    assert again["launch_type"] == "relaunch" and again["id"] != job["id"]
    pending = make.approvals(again, target, count=2)
    assert len(pending) == 2
    for approval in pending:
        assert awx.post(f"{approval['url']}approve/", json={}).status_code == 204
    assert make.finished(again, target)["status"] == "successful"
