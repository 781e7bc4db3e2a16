"""Job templates through HTTP: validation messages, credentials, launch with ignored fields, delete."""

from __future__ import annotations

import json
import typing as t

import pytest

from mockawx.execution.scheduler import Scheduler

JTS = "/api/v2/job_templates/"


@pytest.fixture
def world(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> dict[str, int]:
    app.runtime.store.meta["project_local_paths"] = ["demo"]
    project = api.post("/api/v2/projects/", {"name": "manual", "organization": org["id"], "local_path": "demo"}).get_json()
    git = api.post("/api/v2/projects/", {"name": "git", "organization": org["id"], "scm_type": "git", "scm_url": "https://example.com/r.git"}).get_json()
    inventory = api.post("/api/v2/inventories/", {"name": "inv", "organization": org["id"]}).get_json()
    return {"project": project["id"], "git": git["id"], "inventory": inventory["id"], "org": org["id"]}


def make(api: t.Any, world: dict[str, int], **fields: t.Any) -> t.Any:
    body = {"name": "jt", "project": world["project"], "playbook": "hello_world.yml", "inventory": world["inventory"], **fields}
    return api.post(JTS, body)


def test_create_body(api: t.Any, world: dict[str, int]) -> None:
    response = make(api, world, ask_variables_on_launch=True, extra_vars="---\ngreeting: hi")
    assert response.status_code == 201
    body = response.get_json()
    assert body["organization"] == world["org"] and body["status"] == "never updated"
    assert body["extra_vars"] == "---\ngreeting: hi" and body["webhook_service"] == "" and body["job_slice_count"] == 1
    assert body["summary_fields"]["project"] == {"id": world["project"], "name": "manual", "description": "", "status": "ok", "scm_type": "", "allow_override": False}
    assert body["summary_fields"]["recent_jobs"] == [] and body["summary_fields"]["credentials"] == []
    assert body["related"]["named_url"] == "/api/v2/job_templates/jt++Default/"
    assert body["related"]["webhook_receiver"] == ""


@pytest.mark.parametrize(("fields", "expected"), [
    ({"playbook": "missing.yml"}, {"playbook": ["Playbook not found for project."]}),
    ({"playbook": None}, {"playbook": ["Must select playbook for project."]}),
    ({"project": None}, {"project": ["Job Templates must have a project assigned."]}),
    ({"inventory": None}, {"inventory": ["You must either set a default value or ask to prompt on launch."]}),
    ({"project": 999999}, {"project": ['Invalid pk "999999" - object does not exist.']}),
])
def test_create_errors(api: t.Any, world: dict[str, int], fields: dict[str, t.Any], expected: dict[str, t.Any]) -> None:
    body = {"name": "jt2", "project": world["project"], "playbook": "hello_world.yml", "inventory": world["inventory"], **fields}
    response = api.post(JTS, {k: v for k, v in body.items() if v is not None})
    assert response.status_code == 400
    assert response.get_json() == expected


def test_unsynced_git_project_has_no_playbooks(app: t.Any, api: t.Any, world: dict[str, int]) -> None:
    assert make(api, world, project=world["git"]).get_json() == {"playbook": ["Playbook not found for project."]}
    Scheduler(app.runtime).run_until_idle()
    assert make(api, world, project=world["git"], playbook="site.yml").status_code == 201


def test_duplicate_and_prompted_inventory(api: t.Any, world: dict[str, int]) -> None:
    assert make(api, world).status_code == 201
    assert make(api, world).get_json() == {"__all__": ["JobTemplate with this (name, organization) combination already exists."]}
    prompted = api.post(JTS, {"name": "asks", "project": world["project"], "playbook": "hello_world.yml", "ask_inventory_on_launch": True})
    assert prompted.status_code == 201 and prompted.get_json()["inventory"] is None


def test_patch_and_list(api: t.Any, world: dict[str, int]) -> None:
    pk = make(api, world).get_json()["id"]
    patched = api.patch(f"{JTS}{pk}/", {"description": "patched", "verbosity": 1}).get_json()
    assert patched["verbosity"] == 1 and patched["description"] == "patched"
    assert api.patch(f"{JTS}{pk}/", {"playbook": "nope.yml"}).get_json() == {"playbook": ["Playbook not found for project."]}
    assert api.get(f"{JTS}?name=jt").get_json()["count"] == 1


def test_credentials_attach_detach(app: t.Any, api: t.Any, world: dict[str, int]) -> None:
    pk = make(api, world).get_json()["id"]
    store = app.runtime.store
    ctype = store.insert("credential_types", {"id": None, "name": "Machine", "namespace": "ssh", "kind": "ssh", "inputs": {}})
    credential = store.insert("credentials", {"id": None, "name": "machine", "description": "", "credential_type": ctype["id"], "organization": None, "inputs": {}})
    assert api.post(f"{JTS}{pk}/credentials/", {"id": credential["id"]}).status_code == 204
    assert api.get(f"{JTS}{pk}/credentials/").get_json()["count"] == 1
    summary = api.get(f"{JTS}{pk}/").get_json()["summary_fields"]["credentials"]
    assert summary == [{"id": credential["id"], "name": "machine", "description": "", "kind": "ssh", "cloud": False}]
    assert api.post(f"{JTS}{pk}/credentials/", {"id": credential["id"], "disassociate": True}).status_code == 204
    assert api.get(f"{JTS}{pk}/credentials/").get_json()["count"] == 0


def test_launch_info(api: t.Any, world: dict[str, int]) -> None:
    pk = make(api, world, ask_variables_on_launch=True, extra_vars="---\ngreeting: hi").get_json()["id"]
    info = api.get(f"{JTS}{pk}/launch/").get_json()
    assert info["can_start_without_user_input"] is False and info["ask_variables_on_launch"] is True
    assert info["defaults"]["inventory"] == {"name": "inv", "id": world["inventory"]}
    assert info["defaults"]["extra_vars"] == "---\ngreeting: hi"
    assert info["job_template_data"] == {"name": "jt", "id": pk, "description": ""}
    plain = make(api, world, name="plain").get_json()["id"]
    assert api.get(f"{JTS}{plain}/launch/").get_json()["can_start_without_user_input"] is True


def test_launch_ignores_unprompted_fields(api: t.Any, world: dict[str, int]) -> None:
    pk = make(api, world, ask_variables_on_launch=True, extra_vars="---\ngreeting: hi").get_json()["id"]
    response = api.post(f"{JTS}{pk}/launch/", {"extra_vars": {"greeting": "hello"}, "limit": "localhost"})
    assert response.status_code == 201
    body = response.get_json()
    assert list(body)[:3] == ["job", "ignored_fields", "id"]
    assert body["ignored_fields"] == {"limit": "localhost"}
    assert body["limit"] == "" and json.loads(body["extra_vars"]) == {"greeting": "hello"}
    assert body["status"] == "pending" and body["launch_type"] == "manual"
    assert response.headers["Location"] == f"/api/v2/jobs/{body['id']}/"
    plain = api.post(f"{JTS}{pk}/launch/", {}).get_json()
    assert plain["ignored_fields"] == {} and plain["extra_vars"] == '{"greeting": "hi"}'


def test_launch_prompted_inventory_required(api: t.Any, world: dict[str, int]) -> None:
    pk = api.post(JTS, {"name": "asks", "project": world["project"], "playbook": "hello_world.yml", "ask_inventory_on_launch": True}).get_json()["id"]
    missing = api.post(f"{JTS}{pk}/launch/", {})
    assert missing.status_code == 400
    assert missing.get_json() == {"resources_needed_to_start": ["Job Template 'inventory' is missing or undefined."]}
    launched = api.post(f"{JTS}{pk}/launch/", {"inventory": world["inventory"]})
    assert launched.status_code == 201 and launched.get_json()["inventory"] == world["inventory"]


def test_delete_job_template(app: t.Any, api: t.Any, world: dict[str, int]) -> None:
    pk = make(api, world).get_json()["id"]
    job = api.post(f"{JTS}{pk}/launch/", {}).get_json()["id"]
    busy = api.delete(f"{JTS}{pk}/")
    assert busy.status_code == 409
    assert busy.get_json() == {"error": "Resource is being used by running jobs.", "active_jobs": [{"id": job, "type": "job"}]}
    Scheduler(app.runtime).run_until_idle()
    assert api.get(f"{JTS}{pk}/jobs/").get_json()["count"] == 1
    assert api.delete(f"{JTS}{pk}/").status_code == 204
    assert api.get(f"{JTS}{pk}/").get_json() == {"detail": "No JobTemplate matches the given query."}
    assert api.get(f"/api/v2/jobs/{job}/").get_json()["job_template"] is None


def test_last_job_failed_outlives_the_job(app: t.Any, api: t.Any, world: dict[str, int]) -> None:
    """AWX stores last_job_failed when a job ends; deleting the job leaves it (status goes back to never updated)."""
    pk = make(api, world).get_json()["id"]
    api.post("/_mockawx/outcomes/", {"match": {"job_template": pk}, "results": [{"status": "error", "duration": 0}]})
    job = api.post(f"{JTS}{pk}/launch/", {}).get_json()["id"]
    Scheduler(app.runtime).run_until_idle()
    summary = api.get(f"{JTS}{pk}/").get_json()["summary_fields"]
    assert summary["last_update"] == {k: summary["last_job"][k] for k in ("id", "name", "description", "status", "failed")}
    assert api.delete(f"/api/v2/jobs/{job}/").status_code == 204
    body = api.get(f"{JTS}{pk}/").get_json()
    assert (body["status"], body["last_job_failed"], body["last_job_run"]) == ("never updated", True, None)
