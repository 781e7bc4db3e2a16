"""The bodies AWX sends for job and approval events (recorded from a webhook receiver)."""

from __future__ import annotations

import datetime as dt

from mockawx.resources.notification_bodies import build_notification, render
from mockawx.store import Store

UTC = dt.timezone.utc
TEMPLATE = {"id": 2, "notification_type": "webhook", "messages": {"started": None, "success": None, "error": None, "workflow_approval": None}}


def _store() -> tuple[Store, dict]:
    store = Store()
    store.insert("users", {"id": None, "username": "admin"})
    job = store.insert("workflow_jobs", {
        "id": None, "name": "notify wf", "status": "successful", "created_by": 1, "extra_vars": "{}",
        "started": dt.datetime(2026, 11, 26, 9, 36, 3, 944198, tzinfo=UTC),
        "finished": dt.datetime(2026, 11, 26, 9, 36, 9, 327379, tzinfo=UTC),
    })
    return store, job


def test_started_says_running_without_times() -> None:
    store, job = _store()
    store.insert("workflow_job_nodes", {"id": None, "workflow_job": job["id"], "job": None})
    body = build_notification(store, TEMPLATE, job, "started")
    assert body == {
        "id": job["id"], "name": "notify wf", "url": f"https://towerhost/#/jobs/workflow/{job['id']}", "created_by": "admin",
        "started": None, "finished": None, "status": "running", "traceback": "",
        "body": "Workflow job summary:\n\n- node #1 spawns no job.", "inventory": None, "limit": None, "extra_vars": "{}",
    }


def test_success_summarises_spawned_jobs() -> None:
    store, job = _store()
    approval = store.insert("workflow_approvals", {"id": None, "name": "gate", "status": "successful"})
    store.insert("workflow_job_nodes", {"id": None, "workflow_job": job["id"], "job": approval["id"]})
    body = build_notification(store, TEMPLATE, job, "success")
    assert body["started"] == "2026-11-26T09:36:03.944198+00:00"
    assert body["status"] == "successful"
    assert body["body"] == f'Workflow job summary:\n\n- node #1 spawns job #{approval["id"]}, "gate", which finished with status successful.'


def test_approval_texts() -> None:
    store, job = _store()
    url = f"https://towerhost/#/jobs/workflow/{job['id']}"
    gate = {"name": "gate"}
    assert build_notification(store, TEMPLATE, job, "approval_running", gate) == {
        "body": f'The approval node "gate" needs review. This node can be viewed at: {url}'}
    assert build_notification(store, TEMPLATE, job, "approval_approved", gate) == {"body": f'The approval node "gate" was approved. {url}'}
    assert build_notification(store, TEMPLATE, job, "approval_denied", gate) == {"body": f'The approval node "gate" was denied. {url}'}
    assert build_notification(store, TEMPLATE, job, "approval_timed_out", gate) == {"body": f'The approval node "gate" has timed out. {url}'}


def test_custom_messages_render_json_and_fall_back_to_default() -> None:
    store, job = _store()
    template = {**TEMPLATE, "messages": {
        "started": {"body": '{"event": "started", "job": {{ job.id }}, "name": "{{ job.name }}"}'},
        "workflow_approval": {"timed_out": {"body": '{"approval": "{{ approval_node_name }}", "wf": "{{ workflow_url }}"}'}},
    }}
    assert build_notification(store, template, job, "started") == {"event": "started", "job": job["id"], "name": "notify wf"}
    timed_out = build_notification(store, template, job, "approval_timed_out", {"name": "slow"})
    assert timed_out == {"approval": "slow", "wf": f"https://towerhost/#/jobs/workflow/{job['id']}"}
    assert build_notification(store, template, job, "approval_running", {"name": "slow"})["body"].endswith("needs review. This node can be viewed at: "
                                                                                                     f"https://towerhost/#/jobs/workflow/{job['id']}")


def test_non_json_custom_body_is_sent_as_text() -> None:
    store, job = _store()
    template = {**TEMPLATE, "messages": {"started": {"body": "job {{ job.id }} started"}}}
    assert build_notification(store, template, job, "started") == {"body": f"job {job['id']} started"}


def test_render_unknown_variable_is_empty() -> None:
    assert render("a{{ nope.x }}b", {}) == "ab"
