"""Execution environments, applications, instance groups, instances and system job templates."""

from __future__ import annotations

import typing as t


def test_execution_environment_crud(api: t.Any, org: dict[str, t.Any]) -> None:
    assert api.get("/api/v2/execution_environments/").get_json()["count"] == 0
    response = api.post("/api/v2/execution_environments/", {"name": "ee", "image": "quay.io/ansible/awx-ee:24.6.1", "organization": org["id"], "pull": "missing"})
    ee = response.get_json()
    assert response.status_code == 201
    assert ee["managed"] is False and ee["credential"] is None and ee["pull"] == "missing"
    assert ee["related"]["named_url"] == "/api/v2/execution_environments/ee/"
    assert ee["summary_fields"]["user_capabilities"] == {"edit": True, "delete": True, "copy": True}
    assert api.get("/api/v2/execution_environments/ee/").get_json()["id"] == ee["id"]
    assert api.patch(f"/api/v2/execution_environments/{ee['id']}/", {"description": "patched"}).get_json()["description"] == "patched"
    assert api.delete(f"/api/v2/execution_environments/{ee['id']}/").status_code == 204
    assert api.get(f"/api/v2/execution_environments/{ee['id']}/").get_json() == {"detail": "No ExecutionEnvironment matches the given query."}


def test_execution_environment_errors(api: t.Any, org: dict[str, t.Any]) -> None:
    assert api.post("/api/v2/execution_environments/", {"name": "ee2", "organization": org["id"]}).get_json() == {"image": ["This field is required."]}
    assert api.post("/api/v2/execution_environments/", {"name": "ee3", "image": "x/y:1", "pull": "sometimes"}).get_json() == {"pull": ['"sometimes" is not a valid choice.']}
    machine = api.post("/api/v2/credentials/", {"name": "m", "organization": org["id"], "credential_type": 1}).get_json()
    wrong = api.post("/api/v2/execution_environments/", {"name": "ee4", "image": "x/y:1", "credential": machine["id"]})
    assert wrong.get_json() == {"credential": ["Only Container Registry credentials can be associated with an Execution Environment"]}


def test_application_secret_shown_once(api: t.Any, org: dict[str, t.Any], app: t.Any) -> None:
    response = api.post("/api/v2/applications/", {"name": "app", "organization": org["id"], "authorization_grant_type": "password", "client_type": "confidential"})
    created = response.get_json()
    assert response.status_code == 201 and created["type"] == "o_auth2_application"
    assert len(created["client_secret"]) == 128 and len(created["client_id"]) == 40
    assert created["client_secret"] not in str(app.runtime.store.get("applications", created["id"]))
    assert "created_by" not in created["related"]
    fetched = api.get(f"/api/v2/applications/{created['id']}/").get_json()
    assert fetched["client_secret"] == "************"
    assert fetched["related"]["named_url"] == "/api/v2/applications/app++Default/"
    assert api.get(f"/api/v2/applications/?organization={org['id']}").get_json()["count"] == 1


def test_application_errors_public_client_and_delete(api: t.Any, org: dict[str, t.Any]) -> None:
    assert api.post("/api/v2/applications/", {"name": "a2", "authorization_grant_type": "password", "client_type": "public"}).get_json() == {"organization": ["This field is required."]}
    bad = api.post("/api/v2/applications/", {"name": "a3", "organization": org["id"], "authorization_grant_type": "implicit-ish", "client_type": "public"})
    assert bad.get_json() == {"authorization_grant_type": ['"implicit-ish" is not a valid choice.']}
    public = api.post("/api/v2/applications/", {"name": "pub", "organization": org["id"], "authorization_grant_type": "password", "client_type": "public"}).get_json()
    assert "client_secret" not in public
    duplicate = api.post("/api/v2/applications/", {"name": "pub", "organization": org["id"], "authorization_grant_type": "password", "client_type": "public"})
    assert duplicate.get_json() == {"__all__": ["Application with this Name and Organization already exists."]}
    assert api.delete(f"/api/v2/applications/{public['id']}/").status_code == 204


def test_builtin_instance_groups(api: t.Any) -> None:
    page = api.get("/api/v2/instance_groups/").get_json()
    assert [g["name"] for g in page["results"]] == ["controlplane", "default"]
    first = page["results"][0]
    assert first["capacity"] == 220 and first["instances"] == 1 and first["policy_instance_percentage"] == 100
    assert first["summary_fields"]["user_capabilities"] == {"edit": True, "delete": False}
    assert list(first)[-1] == "summary_fields"
    assert api.delete("/api/v2/instance_groups/1/").status_code == 403
    renamed = api.patch("/api/v2/instance_groups/2/", {"name": "other"})
    assert renamed.get_json() == {"name": ["default instance group name may not be changed."]}


def test_instance_group_crud(api: t.Any) -> None:
    created = api.post("/api/v2/instance_groups/", {"name": "ig", "policy_instance_percentage": 0})
    group = created.get_json()
    assert created.status_code == 201 and group["capacity"] == 0 and group["percent_capacity_remaining"] == 0.0
    assert group["is_container_group"] is False and group["policy_instance_list"] == []
    assert api.post("/api/v2/instance_groups/", {"name": "ig"}).get_json() == {"name": ["Instance group with this Name already exists."]}
    patched = api.patch(f"/api/v2/instance_groups/{group['id']}/", {"max_forks": 5}).get_json()
    assert patched["max_forks"] == 5 and patched["related"]["named_url"] == "/api/v2/instance_groups/ig/"
    assert api.delete(f"/api/v2/instance_groups/{group['id']}/").status_code == 204
    assert api.get(f"/api/v2/instance_groups/{group['id']}/").get_json() == {"detail": "No InstanceGroup matches the given query."}


def test_instances(api: t.Any) -> None:
    page = api.get("/api/v2/instances/").get_json()
    assert page["count"] == 1
    instance = page["results"][0]
    assert instance["hostname"] == "awx-local" and instance["node_type"] == "hybrid" and instance["capacity"] == 220
    assert api.get("/api/v2/instances/1/").get_json()["uuid"] == instance["uuid"]
    assert api.get("/api/v2/instances/9/").get_json() == {"detail": "No Instance matches the given query."}


def test_system_job_templates(api: t.Any) -> None:
    page = api.get("/api/v2/system_job_templates/").get_json()
    assert [(r["id"], r["name"]) for r in page["results"]] == [
        (2, "Cleanup Activity Stream"), (5, "Cleanup Expired OAuth 2 Tokens"),
        (4, "Cleanup Expired Sessions"), (1, "Cleanup Job Details"),
    ]
    job_details = api.get("/api/v2/system_job_templates/1/").get_json()
    assert job_details["status"] == "ok" and job_details["job_type"] == "cleanup_jobs"
    assert job_details["related"]["next_schedule"] == "/api/v2/schedules/1/"
    assert job_details["next_job_run"] == "2026-01-04T00:00:00Z"
    assert job_details["summary_fields"] == {}
    assert api.post("/api/v2/system_job_templates/", {}).status_code == 405
    assert api.get("/api/v2/system_job_templates/3/").status_code == 404
