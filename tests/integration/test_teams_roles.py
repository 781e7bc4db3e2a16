"""Teams CRUD and role grants through /roles/, /users/{id}/roles/ and /teams/{id}/roles/."""

from __future__ import annotations

import typing as t


def _team(api: t.Any, org: dict[str, t.Any], name: str = "ops") -> dict[str, t.Any]:
    response = api.post("/api/v2/teams/", {"name": name, "organization": org["id"]})
    assert response.status_code == 201, response.get_json()
    return t.cast(dict[str, t.Any], response.get_json())


def _user(api: t.Any, username: str = "alice") -> dict[str, t.Any]:
    response = api.post("/api/v2/users/", {"username": username, "password": "secret123"})
    assert response.status_code == 201, response.get_json()
    return t.cast(dict[str, t.Any], response.get_json())


def test_team_create_shows_roles_named_url_and_location(api: t.Any, org: dict[str, t.Any]) -> None:
    response = api.post("/api/v2/teams/", {"name": "ops", "organization": org["id"]})
    body = response.get_json()
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/v2/teams/{body['id']}/"
    assert body["related"]["named_url"] == "/api/v2/teams/ops++Default/"
    assert list(body["summary_fields"]["object_roles"]) == ["admin_role", "member_role", "read_role"]
    assert body["summary_fields"]["resource"]["resource_type"] == "shared.team"
    assert list(body["summary_fields"])[:2] == ["organization", "resource"]


def test_team_create_errors(api: t.Any, org: dict[str, t.Any]) -> None:
    assert api.post("/api/v2/teams/", {"name": "x"}).get_json() == {"organization": ["This field is required."]}
    bad = api.post("/api/v2/teams/", {"name": "x", "organization": 999})
    assert bad.get_json() == {"organization": ['Invalid pk "999" - object does not exist.']}
    _team(api, org)
    duplicate = api.post("/api/v2/teams/", {"name": "ops", "organization": org["id"]})
    assert duplicate.status_code == 400
    assert duplicate.get_json() == {"__all__": ["Team with this Organization and Name already exists."]}


def test_team_patch_list_filter_and_delete(api: t.Any, org: dict[str, t.Any]) -> None:
    team = _team(api, org)
    patched = api.patch(f"/api/v2/teams/{team['id']}/", {"description": "patched"}).get_json()
    assert patched["description"] == "patched"
    listed = api.get(f"/api/v2/teams/?organization={org['id']}").get_json()
    assert [t["name"] for t in listed["results"]] == ["ops"]
    assert "named_url" not in listed["results"][0]["related"]
    assert api.delete(f"/api/v2/teams/{team['id']}/").status_code == 204
    missing = api.get(f"/api/v2/teams/{team['id']}/")
    assert missing.status_code == 404
    assert missing.get_json() == {"detail": "No Team matches the given query."}


def test_team_by_named_url(api: t.Any, org: dict[str, t.Any]) -> None:
    team = _team(api, org)
    assert api.get("/api/v2/teams/ops++Default/").get_json()["id"] == team["id"]
    assert api.get("/api/v2/teams/nope++Default/").status_code == 404


def test_roles_list_filtered_by_content_type_and_object(api: t.Any, org: dict[str, t.Any]) -> None:
    page = api.get(f"/api/v2/roles/?object_id={org['id']}&content_type__model=organization&page_size=3&order_by=id").get_json()
    assert page["count"] == 13
    assert page["next"] == f"/api/v2/roles/?content_type__model=organization&object_id={org['id']}&order_by=id&page=2&page_size=3"
    first = page["results"][0]
    assert first["name"] == "Admin" and first["type"] == "role"
    assert first["related"]["organization"] == f"/api/v2/organizations/{org['id']}/"
    assert first["summary_fields"] == {
        "resource_name": "Default", "resource_type": "organization",
        "resource_type_display_name": "Organization", "resource_id": org["id"],
    }


def test_role_detail_404_and_post_not_allowed(api: t.Any) -> None:
    assert api.get("/api/v2/roles/1/").get_json()["summary_fields"]["resource_name"] == "controlplane"
    missing = api.get("/api/v2/roles/99999/")
    assert missing.status_code == 404 and missing.get_json() == {"detail": "No Role matches the given query."}
    refused = api.post("/api/v2/roles/", {"name": "x"})
    assert refused.status_code == 405
    assert refused.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_grant_role_to_user_via_role_users_then_revoke(api: t.Any, org: dict[str, t.Any]) -> None:
    user = _user(api)
    admin_role = org["summary_fields"]["object_roles"]["admin_role"]["id"]
    assert api.post(f"/api/v2/roles/{admin_role}/users/", {"id": user["id"]}).status_code == 204
    members = api.get(f"/api/v2/roles/{admin_role}/users/").get_json()
    assert [u["username"] for u in members["results"]] == ["alice"]
    held = api.get(f"/api/v2/users/{user['id']}/roles/").get_json()
    assert [r["id"] for r in held["results"]] == [admin_role]
    assert api.post(f"/api/v2/roles/{admin_role}/users/", {"id": user["id"], "disassociate": True}).status_code == 204
    assert api.get(f"/api/v2/roles/{admin_role}/users/").get_json()["count"] == 0


def test_user_roles_attach_and_errors(api: t.Any, org: dict[str, t.Any]) -> None:
    user = _user(api)
    read_role = org["summary_fields"]["object_roles"]["read_role"]["id"]
    assert api.post("/api/v2/users/alice/roles/", {"id": read_role}).status_code == 204
    assert api.get("/api/v2/users/alice/roles/").get_json()["count"] == 1
    assert api.post(f"/api/v2/users/{user['id']}/roles/", {}).get_json() == {"msg": "Role 'id' field is missing."}
    unknown = api.post(f"/api/v2/users/{user['id']}/roles/", {"id": 99999})
    assert unknown.status_code == 400 and unknown.get_json() == {"detail": "Role matching query does not exist."}
    assert api.post(f"/api/v2/roles/{read_role}/users/", {"id": 4242}).get_json() == {"detail": "User matching query does not exist."}
    assert api.post(f"/api/v2/roles/{read_role}/users/", {"id": "abc"}).get_json() == {"msg": '"id" field must be an integer.'}


def test_team_roles_grant_and_refusals(api: t.Any, org: dict[str, t.Any]) -> None:
    team = _team(api, org)
    roles = org["summary_fields"]["object_roles"]
    execute = roles["execute_role"]["id"]
    assert api.post(f"/api/v2/teams/{team['id']}/roles/", {"id": execute}).status_code == 204
    assert [r["id"] for r in api.get(f"/api/v2/teams/{team['id']}/roles/").get_json()["results"]] == [execute]
    assert [t["id"] for t in api.get(f"/api/v2/roles/{execute}/teams/").get_json()["results"]] == [team["id"]]
    refused = api.post(f"/api/v2/teams/{team['id']}/roles/", {"id": roles["member_role"]["id"]})
    assert refused.status_code == 400
    assert refused.get_json() == {"msg": "You cannot assign an Organization participation role as a child role for a Team."}
    assert api.post(f"/api/v2/roles/{execute}/teams/", {"id": team["id"], "disassociate": True}).status_code == 204
    assert api.get(f"/api/v2/teams/{team['id']}/roles/").get_json()["count"] == 0
    assert api.post(f"/api/v2/roles/{execute}/teams/", {}).get_json() == {"msg": "Team 'id' field is missing."}


def test_deleting_team_removes_its_roles(api: t.Any, org: dict[str, t.Any]) -> None:
    team = _team(api, org)
    member_role = team["summary_fields"]["object_roles"]["member_role"]["id"]
    execute = org["summary_fields"]["object_roles"]["execute_role"]["id"]
    api.post(f"/api/v2/teams/{team['id']}/roles/", {"id": execute})
    assert api.delete(f"/api/v2/teams/{team['id']}/").status_code == 204
    assert api.get(f"/api/v2/roles/{member_role}/").status_code == 404
    assert api.get(f"/api/v2/roles/{execute}/teams/").get_json()["count"] == 0


def test_roles_need_authentication(anon: t.Any) -> None:
    assert anon.get("/api/v2/roles/").status_code == 401
