"""object_roles and access_list of workflow job templates, with users, teams and organization roles."""

from __future__ import annotations

import base64
import typing as t

import pytest

from tests.conftest import ApiClient

DEPRECATED = '299 awx "This resource has been deprecated and will be removed in a future release."'


@pytest.fixture
def wfjt(api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    response = api.post("/api/v2/workflow_job_templates/", {"name": "wf", "organization": org["id"]})
    assert response.status_code == 201
    return t.cast(dict[str, t.Any], response.get_json())


def make_user(api: t.Any, name: str) -> dict[str, t.Any]:
    response = api.post("/api/v2/users/", {"username": name, "password": "pw-" + name})
    assert response.status_code == 201, response.get_json()
    return t.cast(dict[str, t.Any], response.get_json())


def client_for(app: t.Any, name: str) -> ApiClient:
    token = base64.b64encode(f"{name}:pw-{name}".encode()).decode()
    return ApiClient(app, headers={"Authorization": f"Basic {token}"})


def grant(api: t.Any, role_id: int, user_id: int) -> None:
    assert api.post(f"/api/v2/roles/{role_id}/users/", {"id": user_id}).status_code == 204


def access(api: t.Any, wfjt: dict[str, t.Any]) -> dict[str, dict[str, t.Any]]:
    response = api.get(f"/api/v2/workflow_job_templates/{wfjt['id']}/access_list/")
    assert response.status_code == 200
    return {u["username"]: u for u in response.get_json()["results"]}


def test_object_roles_lists_the_four_roles(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = api.get(f"/api/v2/workflow_job_templates/{wfjt['id']}/object_roles/")
    assert response.status_code == 200
    assert response.headers["Warning"] == DEPRECATED
    body = response.get_json()
    assert body["count"] == 4
    assert [r["name"] for r in body["results"]] == ["Admin", "Execute", "Read", "Approve"]
    first = body["results"][0]
    assert first["id"] == wfjt["summary_fields"]["object_roles"]["admin_role"]["id"]
    assert first["related"]["workflow_job_template"] == f"/api/v2/workflow_job_templates/{wfjt['id']}/"
    assert first["summary_fields"] == {
        "resource_name": "wf", "resource_type": "workflow_job_template",
        "resource_type_display_name": "Workflow Job Template", "resource_id": wfjt["id"],
    }


def test_object_roles_pagination(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    body = api.get(f"/api/v2/workflow_job_templates/{wfjt['id']}/object_roles/?page_size=3").get_json()
    assert len(body["results"]) == 3
    assert body["next"].endswith("page=2&page_size=3")


def test_access_list_of_fresh_template_has_superuser(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = api.get(f"/api/v2/workflow_job_templates/{wfjt['id']}/access_list/")
    assert response.headers["Warning"] == DEPRECATED
    admin = response.get_json()["results"][0]
    assert admin["username"] == "admin"
    assert admin["summary_fields"]["direct_access"] == []
    assert admin["summary_fields"]["indirect_access"] == [{
        "role": {"id": None, "name": "System Administrator", "description": "Can manage all aspects of the system",
                 "user_capabilities": {"unattach": False}},
        "descendant_roles": ["admin_role", "execute_role", "read_role", "approval_role"],
    }]
    assert "auth" not in admin and "user_capabilities" not in admin["summary_fields"]


def test_direct_grants_show_in_direct_access(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    roles = wfjt["summary_fields"]["object_roles"]
    bob, carol = make_user(api, "bob"), make_user(api, "carol")
    make_user(api, "nobody")
    grant(api, roles["execute_role"]["id"], bob["id"])
    grant(api, roles["admin_role"]["id"], carol["id"])
    users = access(api, wfjt)
    assert sorted(users) == ["admin", "bob", "carol"]
    entry = users["bob"]["summary_fields"]["direct_access"][0]
    assert entry["descendant_roles"] == ["execute_role", "read_role"]
    assert entry["role"] == {
        "id": roles["execute_role"]["id"], "name": "Execute", "description": "May run the workflow job template",
        "resource_name": "wf", "resource_type": "workflow_job_template",
        "related": {"workflow_job_template": f"/api/v2/workflow_job_templates/{wfjt['id']}/"},
        "user_capabilities": {"unattach": True},
    }
    carol_entry = users["carol"]["summary_fields"]["direct_access"][0]
    assert carol_entry["descendant_roles"] == ["approval_role", "admin_role", "execute_role", "read_role"]


def test_org_admin_shows_in_indirect_access(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    frank = make_user(api, "frank")
    assert api.post(f"/api/v2/organizations/{org['id']}/admins/", {"id": frank["id"]}).status_code == 204
    entry = access(api, wfjt)["frank"]["summary_fields"]
    assert entry["direct_access"] == []
    assert entry["indirect_access"][0]["role"]["name"] == "Admin"
    assert entry["indirect_access"][0]["role"]["resource_type"] == "organization"
    assert entry["indirect_access"][0]["descendant_roles"] == ["approval_role", "admin_role", "execute_role", "read_role"]


def test_org_member_alone_has_no_access(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    erin = make_user(api, "erin")
    api.post(f"/api/v2/organizations/{org['id']}/users/", {"id": erin["id"]})
    assert "erin" not in access(api, wfjt)


def test_team_approvers_are_listed(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    team = api.post("/api/v2/teams/", {"name": "approvers", "organization": org["id"]}).get_json()
    dave = make_user(api, "dave")
    grant(api, team["summary_fields"]["object_roles"]["member_role"]["id"], dave["id"])
    approval = wfjt["summary_fields"]["object_roles"]["approval_role"]["id"]
    assert api.post(f"/api/v2/teams/{team['id']}/roles/", {"id": approval}).status_code == 204
    entry = access(api, wfjt)["dave"]["summary_fields"]["direct_access"][0]
    assert entry["role"]["id"] == approval
    assert (entry["role"]["team_id"], entry["role"]["team_name"], entry["role"]["team_organization_name"]) == (team["id"], "approvers", "Default")
    assert entry["descendant_roles"] == ["approval_role", "read_role"]


def test_access_list_order_by_and_unknown_template(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    roles = wfjt["summary_fields"]["object_roles"]
    zed = make_user(api, "zed")
    grant(api, roles["read_role"]["id"], zed["id"])
    body = api.get(f"/api/v2/workflow_job_templates/{wfjt['id']}/access_list/?order_by=-username").get_json()
    assert [u["username"] for u in body["results"]] == ["zed", "admin"]
    assert api.get("/api/v2/workflow_job_templates/999/access_list/").status_code == 404
    assert api.get("/api/v2/workflow_job_templates/999/object_roles/").status_code == 404


def test_outsider_gets_403(api: t.Any, app: t.Any, wfjt: dict[str, t.Any]) -> None:
    make_user(api, "outsider")
    outsider = client_for(app, "outsider")
    assert outsider.get(f"/api/v2/workflow_job_templates/{wfjt['id']}/object_roles/").status_code == 403
    assert outsider.get(f"/api/v2/workflow_job_templates/{wfjt['id']}/access_list/").status_code == 403
