"""Activity stream entries for role grants, users, workflow nodes, launches and approvals."""

from __future__ import annotations

import typing as t

import pytest

WFJT = "/api/v2/workflow_job_templates/"
STREAM = "/api/v2/activity_stream/"


@pytest.fixture
def wfjt(api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    return t.cast(dict[str, t.Any], api.post(WFJT, {"name": "ae wf", "organization": org["id"]}).get_json())


def _user(api: t.Any, name: str) -> dict[str, t.Any]:
    return t.cast(dict[str, t.Any], api.post("/api/v2/users/", {"username": name, "password": "pw-123456"}).get_json())


def _role(api: t.Any, wfjt: dict[str, t.Any], field: str) -> int:
    return t.cast(int, wfjt["summary_fields"]["object_roles"][field]["id"])


def _entries(api: t.Any, query: str) -> list[dict[str, t.Any]]:
    return t.cast(list[dict[str, t.Any]], api.get(f"{STREAM}?{query}&order_by=id").get_json()["results"])


def test_user_create_records_create_and_password_update(api: t.Any) -> None:
    user = _user(api, "ae-alice")
    create, update = _entries(api, f"user={user['id']}")
    assert create["operation"] == "create"
    assert create["changes"] == {
        "username": "ae-alice", "first_name": "", "last_name": "", "email": "", "is_superuser": False,
        "password": "hidden", "id": user["id"],
    }
    assert update["operation"] == "update" and update["changes"] == {"password": ["hidden", "hidden"]}


def test_grant_through_user_roles_names_the_role_id(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    user = _user(api, "ae-bob")
    role = _role(api, wfjt, "read_role")
    assert api.post(f"/api/v2/users/{user['id']}/roles/", {"id": role}).status_code == 204
    [entry] = _entries(api, "operation=associate")
    assert (entry["object1"], entry["object2"], entry["object_association"], entry["object_type"]) == (
        "user", "workflow_job_template", "role", "workflow_job_template")
    assert entry["changes"] == {
        "object1": "user", "object1_pk": user["id"], "object2": "workflow_job_template", "object2_pk": role,
        "action": "associate", "relationship": "awx.main.models.rbac.Role_members",
    }
    assert list(entry["related"]) == ["actor", "user", "workflow_job_template", "role"]
    # granting it again changes nothing and records nothing
    api.post(f"/api/v2/users/{user['id']}/roles/", {"id": role})
    assert len(_entries(api, "operation=associate")) == 1


def test_grant_through_role_users_puts_the_object_first(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    user = _user(api, "ae-carol")
    role = _role(api, wfjt, "execute_role")
    api.post(f"/api/v2/roles/{role}/users/", {"id": user["id"]})
    api.post(f"/api/v2/roles/{role}/users/", {"id": user["id"], "disassociate": True})
    api.post(f"/api/v2/roles/{role}/users/", {"id": user["id"], "disassociate": True})
    entries = _entries(api, f"workflow_job_template={wfjt['id']}&object_association=role")
    assert [e["operation"] for e in entries] == ["associate", "disassociate", "disassociate"]
    assert entries[0]["changes"]["object1"] == "workflow_job_template"
    assert entries[0]["changes"]["object1_pk"] == wfjt["id"]
    assert entries[0]["changes"]["object2_pk"] == user["id"]


def test_team_grant_is_a_role_parent_without_role_link(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    team = api.post("/api/v2/teams/", {"name": "ae team", "organization": org["id"]}).get_json()
    role = _role(api, wfjt, "approval_role")
    assert api.post(f"/api/v2/teams/{team['id']}/roles/", {"id": role}).status_code == 204
    [entry] = _entries(api, "operation=associate")
    assert entry["changes"]["relationship"] == "awx.main.models.rbac.Role_parents"
    assert entry["changes"]["object2_pk"] == role
    assert list(entry["related"]) == ["actor", "team", "workflow_job_template"]


def test_org_membership_entry(api: t.Any, org: dict[str, t.Any]) -> None:
    user = _user(api, "ae-dave")
    api.post(f"/api/v2/organizations/{org['id']}/users/", {"id": user["id"]})
    [entry] = _entries(api, "operation=associate")
    assert entry["changes"]["object1"] == "organization" and entry["changes"]["object2_pk"] == user["id"]
    assert entry["summary_fields"]["role"][0]["role_field"] == "member_role"


def test_node_entries_show_in_the_template_sub_list(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    node = api.post(f"{WFJT}{wfjt['id']}/workflow_nodes/", {"identifier": "gate"}).get_json()
    api.post(f"/api/v2/workflow_job_template_nodes/{node['id']}/create_approval_template/", {"name": "ae gate"})
    entries = api.get(f"{WFJT}{wfjt['id']}/activity_stream/?order_by=id").get_json()["results"]
    assert [(e["operation"], e["object1"]) for e in entries] == [
        ("create", "workflow_job_template"), ("create", "workflow_job_template_node"),
        ("update", "workflow_job_template_node")]
    created, updated = entries[1], entries[2]
    assert created["changes"]["identifier"] == "gate"
    assert created["changes"]["workflow_job_template"] == f"ae wf-{wfjt['id']}"
    assert list(created["related"]) == ["actor", "workflow_job_template_node"]
    assert created["summary_fields"]["workflow_job_template"][0]["id"] == wfjt["id"]
    approval_template = updated["summary_fields"]["workflow_job_template_node"][0]["unified_job_template_id"]
    assert updated["changes"] == {"timeout": [None, 0], "unified_job_template": [None, f"ae gate-{approval_template}"]}
    api.delete(f"/api/v2/workflow_job_template_nodes/{node['id']}/")
    [deleted] = _entries(api, "object1=workflow_job_template_node&operation=delete")
    assert deleted["changes"]["id"] == node["id"] and list(deleted["related"]) == ["actor"]


def test_launch_and_approval_entries(api: t.Any, clock: t.Any, wfjt: dict[str, t.Any]) -> None:
    node = api.post(f"{WFJT}{wfjt['id']}/workflow_nodes/", {"identifier": "gate"}).get_json()
    api.post(f"/api/v2/workflow_job_template_nodes/{node['id']}/create_approval_template/", {"name": "ae gate"})
    job = api.post(f"{WFJT}{wfjt['id']}/launch/", {}).get_json()
    [entry] = _entries(api, f"workflow_job={job['id']}&operation=create")
    assert entry["changes"]["workflow_job_template"] == f"ae wf-{wfjt['id']}"
    assert entry["changes"]["id"] == job["id"] and entry["changes"]["is_sliced_job"] is False
    clock.advance(1)
    [approval] = api.get("/api/v2/workflow_approvals/").get_json()["results"]
    assert api.post(f"/api/v2/workflow_approvals/{approval['id']}/approve/", {}).status_code == 204
    pending, decided = _entries(api, f"workflow_approval={approval['id']}&operation=update")
    assert (pending["changes"], pending["summary_fields"].get("actor")) == ({"status": ["new", "pending"]}, None)
    [created] = _entries(api, f"workflow_approval={approval['id']}&operation=create")
    assert created["changes"]["status"] == "new" and created["summary_fields"].get("actor") is None
    assert decided["changes"] == {"status": ["pending", "successful"]}


def _sublist(api: t.Any, wfjt: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    return t.cast(list[dict[str, t.Any]], api.get(f"{WFJT}{wfjt['id']}/activity_stream/?order_by=id&page_size=200").get_json()["results"])


def test_edge_link_and_unlink_entries_involve_both_nodes(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    parent, child = (api.post(f"{WFJT}{wfjt['id']}/workflow_nodes/", {"identifier": i}).get_json() for i in ("p", "c"))
    edges = f"/api/v2/workflow_job_template_nodes/{parent['id']}/success_nodes/"
    assert api.post(edges, {"id": child["id"]}).status_code == 204
    assert api.post(edges, {"id": child["id"]}).status_code == 204  # already linked: no second entry
    assert api.post(edges, {"id": child["id"], "disassociate": True}).status_code == 204
    linked, unlinked = [e for e in _sublist(api, wfjt) if e["object_association"] == "success_nodes"]
    assert (linked["operation"], unlinked["operation"]) == ("associate", "disassociate")
    assert linked["changes"] == {
        "object1": "workflow_job_template_node", "object1_pk": parent["id"], "object2": "workflow_job_template_node",
        "object2_pk": child["id"], "action": "associate",
        "relationship": "awx.main.models.workflow.WorkflowJobTemplateNode_success_nodes",
    }
    assert linked["related"]["workflow_job_template_node"] == [
        f"/api/v2/workflow_job_template_nodes/{parent['id']}/", f"/api/v2/workflow_job_template_nodes/{child['id']}/"]


def test_survey_changes_are_template_updates(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    spec = {"name": "s", "description": "", "spec": [
        {"question_name": "Q", "required": False, "type": "text", "variable": "q", "default": ""}]}
    url = f"{WFJT}{wfjt['id']}/survey_spec/"
    assert api.post(url, spec).status_code == 200
    assert api.post(url, spec).status_code == 200  # the same spec again changes nothing
    assert api.delete(url).status_code == 200
    updates = [e for e in _sublist(api, wfjt) if e["operation"] == "update"]
    assert [list(e["changes"]) for e in updates] == [["survey_spec"], ["survey_spec"]]
    assert updates[0]["changes"]["survey_spec"][0] == "{}"
    assert updates[1]["changes"]["survey_spec"][1] == "{}"


def test_label_attach_create_and_detach_entries(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    url = f"{WFJT}{wfjt['id']}/labels/"
    label = api.post(url, {"name": "ae-prod", "organization": org["id"]}).get_json()
    assert api.post(url, {"id": label["id"], "disassociate": True}).status_code == 204
    attach, detach = [e for e in _sublist(api, wfjt) if e["object_association"] == "labels"]
    assert (attach["operation"], detach["operation"]) == ("associate", "disassociate")
    assert attach["changes"]["relationship"] == "awx.main.models.unified_jobs.UnifiedJobTemplate_labels"
    assert (attach["object1"], attach["object2"], attach["changes"]["object2_pk"]) == ("workflow_job_template", "label", label["id"])
    [created] = _entries(api, f"label={label['id']}&operation=create")
    assert created["changes"]["name"] == "ae-prod"
