"""Activity stream entries written by schedules and notification templates, and their lists."""

from __future__ import annotations

import typing as t

import pytest

from mockawx.resources.activity_stream import record_activity, record_association

WFJT = "/api/v2/workflow_job_templates/"


@pytest.fixture
def wfjt(api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    return t.cast(dict[str, t.Any], api.post(WFJT, {"name": "as wf", "organization": org["id"], "ask_variables_on_launch": True}).get_json())


def _schedule(api: t.Any, wfjt: dict[str, t.Any]) -> dict[str, t.Any]:
    body = {"name": "nightly", "rrule": "DTSTART:20300101T000000Z RRULE:FREQ=DAILY;INTERVAL=1", "extra_data": {"a": 1}}
    return t.cast(dict[str, t.Any], api.post(f"{WFJT}{wfjt['id']}/schedules/", body).get_json())


def test_schedule_create_entry_shape(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    schedule = _schedule(api, wfjt)
    entries = api.get("/api/v2/activity_stream/?object1=schedule").get_json()["results"]
    assert len(entries) == 1
    entry = entries[0]
    assert entry["operation"] == "create" and entry["object2"] == "" and entry["action_node"] == "awx-local"
    assert entry["changes"]["extra_data"] == '{"a": 1}'
    assert entry["changes"]["unified_job_template"] == f"as wf-{wfjt['id']}"
    assert entry["changes"]["id"] == schedule["id"]
    assert entry["related"] == {"actor": "/api/v2/users/1/", "schedule": [schedule["url"]], "unified_job_template": f"{WFJT}{wfjt['id']}/"}
    assert list(entry["summary_fields"]) == ["schedule", "workflow_job_template", "actor"]
    assert entry["summary_fields"]["schedule"][0]["next_run"] == "2030-01-01T00:00:00Z"


def test_update_and_delete_entries(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    schedule = _schedule(api, wfjt)
    api.patch(f"/api/v2/schedules/{schedule['id']}/", {"description": "changed"})
    api.delete(f"/api/v2/schedules/{schedule['id']}/")
    entries = api.get("/api/v2/activity_stream/?object1=schedule&order_by=id").get_json()["results"]
    assert [e["operation"] for e in entries] == ["create", "update", "delete"]
    assert entries[1]["changes"] == {"description": ["", "changed"]}
    assert entries[2]["related"] == {"actor": "/api/v2/users/1/"}
    assert entries[2]["changes"]["name"] == "nightly"


def test_notification_association_entries_on_template_sublist(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    nt = api.post("/api/v2/notification_templates/", {"name": "hook", "organization": org["id"], "notification_type": "webhook",
                                                      "notification_configuration": {"url": "http://127.0.0.1:9/", "headers": {}}}).get_json()
    api.post(f"{WFJT}{wfjt['id']}/notification_templates_approvals/", {"id": nt["id"]})
    api.post(f"{WFJT}{wfjt['id']}/notification_templates_approvals/", {"id": nt["id"], "disassociate": True})
    entries = api.get(f"{WFJT}{wfjt['id']}/activity_stream/").get_json()["results"]
    kinds = [(e["operation"], e["object_association"]) for e in entries]
    assert ("associate", "notification_templates_approvals") in kinds and ("disassociate", "notification_templates_approvals") in kinds
    change = next(e for e in entries if e["operation"] == "associate")["changes"]
    assert change == {"object1": "workflow_job_template", "object1_pk": wfjt["id"], "object2": "notification_template",
                      "object2_pk": nt["id"], "action": "associate",
                      "relationship": "awx.main.models.workflow.WorkflowJobTemplate_notification_templates_approvals"}
    by_nt = api.get(f"/api/v2/activity_stream/?notification_template={nt['id']}&order_by=id").get_json()
    assert [e["operation"] for e in by_nt["results"]] == ["create", "associate", "disassociate"]


def test_role_grant_entry_via_helper(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    runtime = api.app.runtime
    role = runtime.store.insert("roles", {"id": None, "role_field": "read_role", "members": []})
    record_association(runtime, "associate", "users", 1, "workflow_job_templates", role["id"], "awx.main.models.rbac.Role_members",
                       association="role", object_type="workflow_job_template",
                       related=[("workflow_job_templates", wfjt["id"]), ("roles", role["id"])])
    entry = api.get("/api/v2/activity_stream/?operation=associate&user=1").get_json()["results"][0]
    assert entry["changes"]["object2_pk"] == role["id"]
    assert list(entry["related"]) == ["user", "workflow_job_template", "role"]
    assert entry["summary_fields"]["role"] == [{"id": role["id"], "role_field": "read_role"}]
    assert "actor" not in entry["summary_fields"]


def test_filters_and_detail(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    _schedule(api, wfjt)
    assert api.get("/api/v2/activity_stream/?changes__icontains=nightly").get_json()["count"] == 1
    assert api.get("/api/v2/activity_stream/?actor__username=admin&object1=schedule").get_json()["count"] == 1
    entry = api.get("/api/v2/activity_stream/?object1=schedule").get_json()["results"][0]
    assert api.get(entry["url"]).get_json() == entry
    missing = api.get("/api/v2/activity_stream/999999/")
    assert missing.status_code == 404 and missing.get_json() == {"detail": "No ActivityStream matches the given query."}


def test_record_activity_update_for_lead(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    runtime = api.app.runtime
    record = runtime.store.get("workflow_job_templates", wfjt["id"])
    record_activity(runtime, "update", "workflow_job_templates", record, {"description": ["", "x"]})
    page = api.get(f"{WFJT}{wfjt['id']}/activity_stream/?operation=update").get_json()
    assert page["count"] == 1 and page["results"][0]["changes"] == {"description": ["", "x"]}
    assert page["results"][0]["summary_fields"]["workflow_job_template"][0]["name"] == "as wf"


def test_anonymous_is_401(anon: t.Any) -> None:
    assert anon.get("/api/v2/activity_stream/").status_code == 401
