"""Inventories, hosts, inventory sources and inventory updates through HTTP."""

from __future__ import annotations

import typing as t

import pytest

from mockawx.execution.scheduler import Scheduler

INVENTORIES = "/api/v2/inventories/"
SOURCES = "/api/v2/inventory_sources/"
GIT = {"scm_type": "git", "scm_url": "https://github.com/ansible/ansible-tower-samples"}


@pytest.fixture
def inventory(api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    response = api.post(INVENTORIES, {"name": "inv", "organization": org["id"], "variables": "---\nfoo: bar"})
    assert response.status_code == 201
    return t.cast(dict[str, t.Any], response.get_json())


@pytest.fixture
def project(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    response = api.post("/api/v2/projects/", {"name": "git", "organization": org["id"], **GIT})
    Scheduler(app.runtime).run_until_idle()
    return t.cast(dict[str, t.Any], response.get_json())


def test_inventory_body(inventory: dict[str, t.Any]) -> None:
    assert inventory["variables"] == "---\nfoo: bar" and inventory["kind"] == "" and inventory["host_filter"] is None
    assert inventory["total_hosts"] == 0 and inventory["pending_deletion"] is False
    assert inventory["related"]["named_url"] == "/api/v2/inventories/inv++Default/"
    assert inventory["summary_fields"]["user_capabilities"] == {"edit": True, "delete": True, "copy": True, "adhoc": True}
    assert list(inventory["summary_fields"]["object_roles"]) == ["admin_role", "update_role", "adhoc_role", "use_role", "read_role"]


def test_inventory_validation(api: t.Any, org: dict[str, t.Any], inventory: dict[str, t.Any]) -> None:
    assert api.post(INVENTORIES, {"name": "x"}).get_json() == {"organization": ["This field is required."]}
    dup = api.post(INVENTORIES, {"name": "inv", "organization": org["id"]})
    assert dup.get_json() == {"__all__": ["Inventory with this Name and Organization already exists."]}
    bad = api.post(INVENTORIES, {"name": "x", "organization": org["id"], "variables": "foo: [bar"})
    assert bad.status_code == 400
    message = bad.get_json()["variables"][0]
    assert message.startswith("Cannot parse as JSON (error: Expecting value: line 1 column 1 (char 0)) or YAML (error: ")


def test_inventory_patch_filter_and_delete(api: t.Any, org: dict[str, t.Any], inventory: dict[str, t.Any]) -> None:
    pk = inventory["id"]
    assert api.patch(f"{INVENTORIES}{pk}/", {"description": "patched"}).get_json()["description"] == "patched"
    assert api.get(f"{INVENTORIES}?organization={org['id']}").get_json()["count"] == 1
    response = api.delete(f"{INVENTORIES}{pk}/")
    assert response.status_code == 202 and response.data == b""
    assert api.get(f"{INVENTORIES}{pk}/").get_json() == {"detail": "No Inventory matches the given query."}


def test_hosts(api: t.Any, inventory: dict[str, t.Any]) -> None:
    pk = inventory["id"]
    response = api.post(f"{INVENTORIES}{pk}/hosts/", {"name": "localhost", "variables": "ansible_connection: local"})
    assert response.status_code == 201
    host = response.get_json()
    assert host["inventory"] == pk and host["enabled"] is True and host["last_job"] is None
    assert host["related"]["named_url"] == "/api/v2/hosts/localhost++inv++Default/"
    assert host["summary_fields"]["inventory"]["organization_id"] == inventory["organization"]
    assert api.get(f"/api/v2/hosts/{host['id']}/").get_json()["name"] == "localhost"
    assert api.get(f"{INVENTORIES}{pk}/hosts/").get_json()["count"] == 1
    assert api.get(f"{INVENTORIES}{pk}/").get_json()["total_hosts"] == 1
    dup = api.post(f"{INVENTORIES}{pk}/hosts/", {"name": "localhost"})
    assert dup.get_json() == {"__all__": ["Host with this Name and Inventory already exists."]}
    assert api.post(f"{INVENTORIES}{pk}/hosts/", {}).get_json() == {"name": ["This field is required."]}
    assert api.get("/api/v2/hosts/?name=localhost").get_json()["count"] == 1


def test_source_validation(api: t.Any, inventory: dict[str, t.Any], project: dict[str, t.Any]) -> None:
    base = {"name": "src", "inventory": inventory["id"]}
    assert api.post(SOURCES, {"name": "s", "source": "scm", "source_project": project["id"]}).get_json() == {"inventory": ["This field is required."]}
    assert api.post(SOURCES, {**base, "source": "bogus"}).get_json() == {"source": ['"bogus" is not a valid choice.']}
    assert api.post(SOURCES, {**base, "source": "scm"}).get_json() == {"source_project": ["Project required for scm type sources."]}
    good = {**base, "source": "scm", "source_project": project["id"], "source_path": "inventory", "overwrite": True}
    assert api.post(SOURCES, good).status_code == 201
    dup = api.post(SOURCES, good)
    assert dup.get_json() == {"__all__": ["InventorySource with this (name, inventory) combination already exists."]}


def test_source_update_runs_sync(app: t.Any, api: t.Any, inventory: dict[str, t.Any], project: dict[str, t.Any]) -> None:
    source = api.post(SOURCES, {"name": "src", "inventory": inventory["id"], "source": "scm", "source_project": project["id"]}).get_json()
    assert source["status"] == "never updated" and source["verbosity"] == 1
    assert source["summary_fields"]["source_project"]["status"] == "successful"
    assert api.get(f"{SOURCES}{source['id']}/update/").get_json() == {"can_update": True}
    response = api.post(f"{SOURCES}{source['id']}/update/", {})
    assert response.status_code == 202
    body = response.get_json()
    assert body["inventory_update"] == body["id"] and body["name"] == "inv - src"
    assert body["status"] == "pending" and body["source_project_update"] is None and body["source_project"] is None
    Scheduler(app.runtime).run_until_idle()
    update = api.get(f"/api/v2/inventory_updates/{body['id']}/").get_json()
    assert update["status"] == "successful" and update["source_project"] == project["id"]
    sync = api.get(f"/api/v2/project_updates/{update['source_project_update']}/").get_json()
    assert (sync["launch_type"], sync["job_type"]) == ("sync", "run")
    assert "created_by" not in sync["related"]
    assert api.get(f"{SOURCES}{source['id']}/").get_json()["status"] == "successful"
    assert api.get(f"{SOURCES}{source['id']}/inventory_updates/").get_json()["count"] == 1
    assert api.get(f"/api/v2/inventory_updates/?inventory_source={source['id']}").get_json()["count"] == 1


def test_inventory_update_cancel_and_failure(app: t.Any, api: t.Any, inventory: dict[str, t.Any], project: dict[str, t.Any]) -> None:
    source = api.post(SOURCES, {"name": "src", "inventory": inventory["id"], "source": "scm", "source_project": project["id"]}).get_json()
    first = api.post(f"{SOURCES}{source['id']}/update/", {}).get_json()["id"]
    url = f"/api/v2/inventory_updates/{first}/cancel/"
    assert api.get(url).get_json() == {"can_cancel": True, "job_explanation": ""}
    assert api.post(url, {}).status_code == 202
    assert api.post(url, {}).get_json() == {"detail": 'Method "POST" not allowed.'}
    assert api.post("/_mockawx/outcomes/", {"match": {"unified_job_template": source["id"]}, "results": [{"status": "error"}]}).status_code == 201
    second = api.post(f"{SOURCES}{source['id']}/update/", {}).get_json()["id"]
    Scheduler(app.runtime).run_until_idle()
    assert api.get(f"/api/v2/inventory_updates/{second}/").get_json()["failed"] is True
    inv = api.get(f"{INVENTORIES}{inventory['id']}/").get_json()
    assert inv["inventory_sources_with_failures"] == 1 and inv["has_inventory_sources"] is True


def test_source_without_source_cannot_update(api: t.Any, inventory: dict[str, t.Any]) -> None:
    source = api.post(SOURCES, {"name": "plain", "inventory": inventory["id"]}).get_json()
    assert api.get(f"{SOURCES}{source['id']}/update/").get_json() == {"can_update": False}
    assert api.post(f"{SOURCES}{source['id']}/update/", {}).status_code == 405
    assert api.patch(f"{SOURCES}{source['id']}/", {"description": "patched"}).get_json()["description"] == "patched"
    assert api.delete(f"{SOURCES}{source['id']}/").status_code == 204
    assert api.get(f"{SOURCES}{source['id']}/").status_code == 404


def test_failed_source_project_sync_fails_the_update(app: t.Any, api: t.Any, inventory: dict[str, t.Any], project: dict[str, t.Any]) -> None:
    """The update is created before its project sync; a failed sync ends it in error with AWX's explanation."""
    source = api.post(SOURCES, {"name": "src", "inventory": inventory["id"], "source": "scm", "source_project": project["id"]}).get_json()
    api.post("/_mockawx/outcomes/", {"match": {"name": "git"}, "results": [{"status": "failed", "duration": 0}]})
    update = api.post(f"{SOURCES}{source['id']}/update/", {}).get_json()["id"]
    Scheduler(app.runtime).run_until_idle()
    body = api.get(f"/api/v2/inventory_updates/{update}/").get_json()
    sync = body["source_project_update"]
    assert sync > update
    assert body["status"] == "error"
    assert body["job_explanation"] == f'Previous Task Failed: {{"job_type": "project_update", "job_name": "git", "job_id": "{sync}"}}'
    assert api.get(f"/api/v2/project_updates/{sync}/").get_json()["status"] == "failed"
    last = api.get(f"{SOURCES}{source['id']}/").get_json()["summary_fields"]["last_job"]
    assert last["status"] == "error" and last["license_error"] is False
