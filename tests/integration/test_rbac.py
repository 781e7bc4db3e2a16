"""What each kind of user may do with a workflow job template (golden-governance's RBAC matrix), through HTTP."""

from __future__ import annotations

import base64
import typing as t

import pytest

from tests.conftest import ApiClient

DENIED = {"detail": "You do not have permission to perform this action."}
WFJT = "/api/v2/workflow_job_templates"


def _user(api: t.Any, org: dict[str, t.Any], name: str, member: bool = True) -> dict[str, t.Any]:
    user = api.post("/api/v2/users/", {"username": name, "password": "pw-" + name}).get_json()
    if member:
        assert api.post(f"/api/v2/organizations/{org['id']}/users/", {"id": user["id"]}).status_code == 204
    return t.cast(dict[str, t.Any], user)


def _as(app: t.Any, name: str) -> ApiClient:
    token = base64.b64encode(f"{name}:pw-{name}".encode()).decode()
    return ApiClient(app, headers={"Authorization": f"Basic {token}"})


@pytest.fixture
def cast(app: t.Any, api: t.Any, org: dict[str, t.Any], clock: t.Any) -> dict[str, t.Any]:
    """A template with one approval node, a pending approval, and alice/bob/carol/dave/erin/frank as in the matrix."""
    wfjt = api.post(f"{WFJT}/", {"name": "rbac wf", "organization": org["id"], "allow_simultaneous": True}).get_json()
    node = api.post(f"{WFJT}/{wfjt['id']}/workflow_nodes/", {}).get_json()
    api.post(f"/api/v2/workflow_job_template_nodes/{node['id']}/create_approval_template/", {"name": "gate"})
    roles = {k: v["id"] for k, v in wfjt["summary_fields"]["object_roles"].items()}
    users = {name: _user(api, org, name) for name in ("alice", "bob", "carol", "dave", "erin", "frank")}
    for name, role in (("alice", "read_role"), ("bob", "execute_role"), ("carol", "admin_role")):
        assert api.post(f"/api/v2/users/{users[name]['id']}/roles/", {"id": roles[role]}).status_code == 204
    team = api.post("/api/v2/teams/", {"name": "approvers", "organization": org["id"]}).get_json()
    api.post(f"/api/v2/teams/{team['id']}/users/", {"id": users["dave"]["id"]})
    assert api.post(f"/api/v2/teams/{team['id']}/roles/", {"id": roles["approval_role"]}).status_code == 204
    assert api.post(f"/api/v2/organizations/{org['id']}/admins/", {"id": users["frank"]["id"]}).status_code == 204
    job = api.post(f"{WFJT}/{wfjt['id']}/launch/", {}).get_json()
    clock.advance(1)
    approval = api.get("/api/v2/workflow_approvals/?status=pending").get_json()["results"][0]
    return {"wfjt": wfjt, "roles": roles, "users": users, "team": team, "job": job, "approval": approval,
            "as": {name: _as(app, name) for name in users}}


CAPABILITIES = {
    "alice": dict(edit=False, delete=False, start=False, schedule=False, copy=False),
    "bob": dict(edit=False, delete=False, start=True, schedule=True, copy=False),
    "carol": dict(edit=True, delete=True, start=True, schedule=True, copy=False),
    "dave": dict(edit=False, delete=False, start=False, schedule=False, copy=False),
    "frank": dict(edit=True, delete=True, start=True, schedule=True, copy=True),
}


@pytest.mark.parametrize("name", sorted(CAPABILITIES))
def test_user_capabilities_and_list_per_role(cast: dict[str, t.Any], name: str) -> None:
    client = cast["as"][name]
    listed = client.get(f"{WFJT}/").get_json()
    assert [r["id"] for r in listed["results"]] == [cast["wfjt"]["id"]]
    detail = client.get(f"{WFJT}/{cast['wfjt']['id']}/")
    assert detail.status_code == 200
    assert detail.get_json()["summary_fields"]["user_capabilities"] == CAPABILITIES[name]
    assert client.get(f"{WFJT}/{cast['wfjt']['id']}/copy/").get_json()["can_copy"] is (name == "frank")


def test_user_without_a_role_gets_403_not_404_and_an_empty_list(cast: dict[str, t.Any]) -> None:
    erin, pk = cast["as"]["erin"], cast["wfjt"]["id"]
    assert erin.get(f"{WFJT}/").get_json()["count"] == 0
    for response in (erin.get(f"{WFJT}/{pk}/"), erin.patch(f"{WFJT}/{pk}/", {"description": "x"}),
                     erin.post(f"{WFJT}/{pk}/launch/", {}), erin.get(f"{WFJT}/{pk}/copy/"),
                     erin.get(f"{WFJT}/{pk}/workflow_jobs/"), erin.delete(f"{WFJT}/{pk}/"),
                     erin.get(f"/api/v2/workflow_jobs/{cast['job']['id']}/"),
                     erin.post(f"/api/v2/workflow_approvals/{cast['approval']['id']}/approve/", {})):
        assert response.status_code == 403 and response.get_json() == DENIED
    assert erin.get(f"{WFJT}/999999/").status_code == 404
    options = erin.options(f"{WFJT}/{pk}/")
    assert options.status_code == 200 and list(options.get_json()["actions"]) == ["GET"]
    assert erin.get("/api/v2/workflow_approvals/?status=pending").get_json()["count"] == 0


@pytest.mark.parametrize(("name", "patch", "launch", "delete"), [
    ("alice", 403, 403, 403), ("bob", 403, 201, 403), ("dave", 403, 403, 403), ("carol", 200, 201, None),
])
def test_patch_launch_delete_follow_the_role(cast: dict[str, t.Any], name: str, patch: int, launch: int, delete: int | None) -> None:
    client, pk = cast["as"][name], cast["wfjt"]["id"]
    assert client.patch(f"{WFJT}/{pk}/", {"description": f"by {name}"}).status_code == patch
    assert client.post(f"{WFJT}/{pk}/launch/", {}).status_code == launch
    if delete is not None:
        refused = client.delete(f"{WFJT}/{pk}/")
        assert refused.status_code == delete and refused.get_json() == DENIED


def test_template_admin_may_not_copy_but_the_org_admin_may(cast: dict[str, t.Any]) -> None:
    pk = cast["wfjt"]["id"]
    assert cast["as"]["carol"].post(f"{WFJT}/{pk}/copy/", {"name": "carol copy"}).status_code == 403
    copied = cast["as"]["frank"].post(f"{WFJT}/{pk}/copy/", {"name": "frank copy"})
    assert copied.status_code == 201
    assert cast["as"]["frank"].delete(f"{WFJT}/{copied.get_json()['id']}/").status_code == 204


def test_approvals_are_seen_by_readers_and_decided_by_approvers(cast: dict[str, t.Any]) -> None:
    approval = cast["approval"]["id"]
    alice, dave = cast["as"]["alice"], cast["as"]["dave"]
    seen = alice.get(f"/api/v2/workflow_approvals/{approval}/").get_json()
    assert seen["can_approve_or_deny"] is False
    assert seen["summary_fields"]["user_capabilities"] == {"delete": False, "start": True}
    assert dave.get(f"/api/v2/workflow_approvals/{approval}/").get_json()["can_approve_or_deny"] is True
    assert alice.post(f"/api/v2/workflow_approvals/{approval}/approve/", {}).status_code == 403
    assert cast["as"]["bob"].post(f"/api/v2/workflow_approvals/{approval}/approve/", {}).status_code == 403
    assert dave.post(f"/api/v2/workflow_approvals/{approval}/approve/", {}).status_code == 204
    assert dave.delete(f"/api/v2/workflow_approvals/{approval}/").status_code == 403


def test_workflow_job_rules_read_cancel_delete(cast: dict[str, t.Any], clock: t.Any) -> None:
    admin_job = cast["job"]["id"]
    alice, bob, frank = cast["as"]["alice"], cast["as"]["bob"], cast["as"]["frank"]
    assert alice.get(f"/api/v2/workflow_jobs/{admin_job}/").get_json()["summary_fields"]["user_capabilities"] == {"delete": False, "start": False}
    assert bob.get(f"/api/v2/workflow_jobs/{admin_job}/").get_json()["summary_fields"]["user_capabilities"] == {"delete": False, "start": True}
    assert frank.get(f"/api/v2/workflow_jobs/{admin_job}/").get_json()["summary_fields"]["user_capabilities"] == {"delete": True, "start": True}
    assert alice.post(f"/api/v2/workflow_jobs/{admin_job}/cancel/", {}).status_code == 403
    bobs = bob.post(f"{WFJT}/{cast['wfjt']['id']}/launch/", {}).get_json()["id"]
    clock.advance(1)
    assert bob.post(f"/api/v2/workflow_jobs/{bobs}/cancel/", {}).status_code == 202  # its creator may cancel it
    clock.advance(1)
    assert cast["as"]["carol"].delete(f"/api/v2/workflow_jobs/{bobs}/").status_code == 403
    assert frank.delete(f"/api/v2/workflow_jobs/{bobs}/").status_code == 204


def test_schedules_execute_creates_and_creator_edits(cast: dict[str, t.Any]) -> None:
    rrule = {"name": "nightly", "rrule": "DTSTART:20300101T000000Z RRULE:FREQ=DAILY;INTERVAL=1"}
    pk = cast["wfjt"]["id"]
    assert cast["as"]["dave"].post(f"{WFJT}/{pk}/schedules/", rrule).status_code == 403
    made = cast["as"]["bob"].post(f"{WFJT}/{pk}/schedules/", rrule)
    assert made.status_code == 201
    assert made.get_json()["summary_fields"]["user_capabilities"] == {"edit": True, "delete": True}
    seen = cast["as"]["dave"].get(f"/api/v2/schedules/{made.get_json()['id']}/").get_json()
    assert seen["summary_fields"]["user_capabilities"] == {"edit": False, "delete": False}


def test_webhook_key_needs_the_admin_role(cast: dict[str, t.Any]) -> None:
    pk = cast["wfjt"]["id"]
    assert cast["as"]["bob"].get(f"{WFJT}/{pk}/webhook_key/").status_code == 403
    assert cast["as"]["carol"].get(f"{WFJT}/{pk}/webhook_key/").status_code == 200
    assert cast["as"]["frank"].get(f"{WFJT}/{pk}/webhook_key/").status_code == 200


def test_revoking_the_read_role_hides_the_template_at_once(api: t.Any, cast: dict[str, t.Any]) -> None:
    alice, pk = cast["as"]["alice"], cast["wfjt"]["id"]
    read = cast["roles"]["read_role"]
    assert api.post(f"/api/v2/roles/{read}/users/", {"id": cast["users"]["alice"]["id"], "disassociate": True}).status_code == 204
    assert alice.get(f"{WFJT}/{pk}/").status_code == 403
    assert alice.get(f"{WFJT}/").get_json()["count"] == 0


def test_held_roles_are_listed_newest_first_with_unattach(api: t.Any, cast: dict[str, t.Any]) -> None:
    erin = cast["users"]["erin"]
    execute = cast["roles"]["execute_role"]
    api.post(f"/api/v2/users/{erin['id']}/roles/", {"id": execute})
    listed = api.get(f"/api/v2/users/{erin['id']}/roles/").get_json()["results"]
    assert [r["summary_fields"]["resource_type"] for r in listed] == ["workflow_job_template", "organization"]
    assert all(r["summary_fields"]["user_capabilities"] == {"unattach": True} for r in listed)
    assert list(listed[0]["summary_fields"])[0] == "user_capabilities"
    team_roles = api.get(f"/api/v2/teams/{cast['team']['id']}/roles/").get_json()["results"]
    assert [r["name"] for r in team_roles] == ["Approve"]


def test_organization_roles_are_refused_to_teams_even_when_revoking(api: t.Any, org: dict[str, t.Any], cast: dict[str, t.Any]) -> None:
    admin_role = org["summary_fields"]["object_roles"]["admin_role"]["id"]
    refused = api.post(f"/api/v2/teams/{cast['team']['id']}/roles/", {"id": admin_role, "disassociate": True})
    assert refused.status_code == 400
    assert refused.get_json() == {"msg": "You cannot assign an Organization participation role as a child role for a Team."}
