"""Credentials (inputs checked against the type, secrets hidden) and credential types (managed ones read-only)."""

from __future__ import annotations

import typing as t

MACHINE = 1


def _machine(api: t.Any, org: dict[str, t.Any], name: str = "deploy", **inputs: t.Any) -> dict[str, t.Any]:
    body = {"name": name, "organization": org["id"], "credential_type": MACHINE, "inputs": inputs or {"username": "deploy", "password": "s3cret"}}
    response = api.post("/api/v2/credentials/", body)
    assert response.status_code == 201, response.get_json()
    return t.cast(dict[str, t.Any], response.get_json())


def test_managed_credential_types_are_installed(api: t.Any) -> None:
    page = api.get("/api/v2/credential_types/?page_size=200&order_by=id").get_json()
    assert page["count"] == 30
    assert page["results"][0]["name"] == "Machine" and page["results"][0]["managed"] is True
    machine = api.get("/api/v2/credential_types/?namespace=ssh").get_json()["results"]
    assert [m["id"] for m in machine] == [1]
    assert [f["id"] for f in machine[0]["inputs"]["fields"]][:2] == ["username", "password"]


def test_create_machine_credential_hides_secrets(api: t.Any, org: dict[str, t.Any]) -> None:
    body = _machine(api, org)
    assert body["inputs"] == {"password": "$encrypted$", "username": "deploy"}
    assert body["kind"] == "ssh" and body["cloud"] is False and body["kubernetes"] is False
    assert body["related"]["named_url"] == "/api/v2/credentials/deploy++Machine+ssh++Default/"
    assert body["summary_fields"]["owners"] == [{"id": org["id"], "type": "organization", "name": "Default", "description": "Default organization", "url": f"/api/v2/organizations/{org['id']}/"}]
    assert list(body["summary_fields"]["object_roles"]) == ["admin_role", "use_role", "read_role"]
    assert api.get("/api/v2/credentials/deploy++Machine+ssh++Default/").get_json()["id"] == body["id"]


def test_credential_create_errors(api: t.Any, org: dict[str, t.Any]) -> None:
    missing = api.post("/api/v2/credentials/", {"name": "c", "organization": org["id"], "inputs": {}})
    assert missing.get_json() == {"credential_type": ["This field is required."]}
    bad_type = api.post("/api/v2/credentials/", {"name": "c", "organization": org["id"], "credential_type": 999999})
    assert bad_type.get_json() == {"credential_type": ['Invalid pk "999999" - object does not exist.']}
    unknown = api.post("/api/v2/credentials/", {"name": "c", "organization": org["id"], "credential_type": MACHINE, "inputs": {"bogus": "x"}})
    assert unknown.status_code == 400
    assert unknown.get_json() == {"inputs": ["Additional properties are not allowed ('bogus' was unexpected)"]}
    wrong_type = api.post("/api/v2/credentials/", {"name": "c", "organization": org["id"], "credential_type": MACHINE, "inputs": {"username": 5}})
    assert wrong_type.get_json() == {"inputs": {"username": ["5 is not of type 'string'"]}}
    no_owner = api.post("/api/v2/credentials/", {"name": "c", "credential_type": MACHINE})
    assert no_owner.get_json() == {"detail": "Missing 'user', 'team', or 'organization'."}


def test_duplicate_credential_in_organization(api: t.Any, org: dict[str, t.Any]) -> None:
    _machine(api, org)
    duplicate = api.post("/api/v2/credentials/", {"name": "deploy", "organization": org["id"], "credential_type": MACHINE, "inputs": {"username": "x"}})
    assert duplicate.get_json() == {"__all__": ["Credential with this Organization, Name and Credential type already exists."]}


def test_required_inputs_of_the_type(api: t.Any, org: dict[str, t.Any]) -> None:
    response = api.post("/api/v2/credentials/", {"name": "aws", "organization": org["id"], "credential_type": 5, "inputs": {}})
    assert response.status_code == 400
    assert response.get_json() == {"inputs": {"username": ["required for Amazon Web Services"], "password": ["required for Amazon Web Services"]}}


def test_patch_keeps_encrypted_secret_and_list_filters(api: t.Any, org: dict[str, t.Any], app: t.Any) -> None:
    created = _machine(api, org)
    patched = api.patch(f"/api/v2/credentials/{created['id']}/", {"description": "patched", "inputs": {"username": "deploy2", "password": "$encrypted$"}})
    assert patched.status_code == 200
    assert patched.get_json()["inputs"] == {"password": "$encrypted$", "username": "deploy2"}
    assert app.runtime.store.get("credentials", created["id"])["inputs"]["password"] == "s3cret"
    listed = api.get("/api/v2/credentials/?name__startswith=dep").get_json()
    assert [c["id"] for c in listed["results"]] == [created["id"]]
    assert "named_url" not in listed["results"][0]["related"]


def test_user_owned_credential_links_its_user(api: t.Any) -> None:
    response = api.post("/api/v2/credentials/", {"name": "mine", "user": 1, "credential_type": MACHINE, "inputs": {"username": "admin"}})
    body = response.get_json()
    assert response.status_code == 201
    assert body["related"]["user"] == "/api/v2/users/1/"
    assert body["summary_fields"]["owners"][0]["type"] == "user"
    assert body["organization"] is None


def test_delete_credential_then_404(api: t.Any, org: dict[str, t.Any]) -> None:
    created = _machine(api, org)
    assert api.delete(f"/api/v2/credentials/{created['id']}/").status_code == 204
    again = api.delete(f"/api/v2/credentials/{created['id']}/")
    assert again.status_code == 404 and again.get_json() == {"detail": "No Credential matches the given query."}


def test_managed_credential_types_are_read_only(api: t.Any) -> None:
    changed = api.patch("/api/v2/credential_types/1/", {"description": "x"})
    assert changed.status_code == 403
    assert changed.get_json() == {"detail": "Modifications not allowed for managed credential types"}
    deleted = api.delete("/api/v2/credential_types/1/")
    assert deleted.status_code == 403
    assert deleted.get_json() == {"detail": "Deletion not allowed for managed credential types"}


def test_custom_credential_type_lifecycle(api: t.Any, org: dict[str, t.Any]) -> None:
    inputs = {"fields": [{"id": "api_key", "label": "API Key", "type": "string", "secret": True}], "required": ["api_key"]}
    created = api.post("/api/v2/credential_types/", {"name": "My API", "kind": "cloud", "inputs": inputs})
    ctype = created.get_json()
    assert created.status_code == 201 and ctype["managed"] is False and ctype["namespace"] is None
    bad_kind = api.post("/api/v2/credential_types/", {"name": "x", "kind": "ssh"})
    assert bad_kind.get_json() == {"kind": ['"ssh" is not a valid choice.']}
    credential = api.post("/api/v2/credentials/", {"name": "k", "organization": org["id"], "credential_type": ctype["id"], "inputs": {"api_key": "abc"}}).get_json()
    assert credential["inputs"] == {"api_key": "$encrypted$"} and credential["cloud"] is True
    in_use = api.delete(f"/api/v2/credential_types/{ctype['id']}/")
    assert in_use.status_code == 403 and in_use.get_json() == {"detail": "Credential types that are in use cannot be deleted"}
    api.delete(f"/api/v2/credentials/{credential['id']}/")
    assert api.delete(f"/api/v2/credential_types/{ctype['id']}/").status_code == 204


def test_ask_at_runtime_refused_for_custom_types(api: t.Any) -> None:
    inputs = {"fields": [{"id": "pw", "label": "PW", "type": "string", "ask_at_runtime": True}]}
    response = api.post("/api/v2/credential_types/", {"name": "x", "kind": "net", "inputs": inputs})
    assert response.get_json() == {"inputs": ["'ask_at_runtime' is not supported for custom credentials."]}
