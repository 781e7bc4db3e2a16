"""Projects and project updates through HTTP: manual/SCM rules, updates, playbooks, cancel, delete."""

from __future__ import annotations

import typing as t

import pytest

from mockawx.execution.scheduler import Scheduler

PROJECTS = "/api/v2/projects/"
GIT = {"scm_type": "git", "scm_url": "https://github.com/ansible/ansible-tower-samples"}


@pytest.fixture
def folders(app: t.Any) -> None:
    app.runtime.store.meta["project_local_paths"] = ["demo", "other"]


def create(api: t.Any, org: dict[str, t.Any], name: str, **fields: t.Any) -> t.Any:
    return api.post(PROJECTS, {"name": name, "organization": org["id"], **fields})


def test_manual_project_body(api: t.Any, org: dict[str, t.Any], folders: None) -> None:
    response = create(api, org, "manual", scm_type="", local_path="demo")
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "ok" and body["local_path"] == "demo" and body["scm_url"] == ""
    assert body["related"]["named_url"] == "/api/v2/projects/manual++Default/"
    assert body["summary_fields"]["user_capabilities"] == {"edit": True, "delete": True, "start": False, "schedule": False, "copy": False}
    assert "current_update" not in body["related"]
    assert api.get(f"{PROJECTS}{body['id']}/playbooks/").get_json() == ["hello_world.yml"]


@pytest.mark.parametrize("path", ["no-such-folder", "demo"])
def test_manual_local_path_unknown_or_taken(api: t.Any, org: dict[str, t.Any], folders: None, path: str) -> None:
    assert create(api, org, "first", local_path="demo").status_code == 201
    response = create(api, org, "second", local_path=path)
    assert response.status_code == 400
    assert response.get_json() == {"local_path": ["This path is already being used by another manual project."]}


def test_scm_rules_and_messages(api: t.Any, org: dict[str, t.Any]) -> None:
    assert create(api, org, "p", scm_type="git").get_json() == {"scm_url": ["SCM URL is required."]}
    assert create(api, org, "p", scm_type="cvs", scm_url="x").get_json() == {"scm_type": ['"cvs" is not a valid choice.']}
    assert api.post(PROJECTS, {"organization": org["id"], **GIT}).get_json() == {"name": ["This field is required."]}
    bad = api.post(PROJECTS, {"name": "p", "organization": 999999, **GIT})
    assert bad.get_json() == {"organization": ['Invalid pk "999999" - object does not exist.']}
    assert create(api, org, "p", **GIT).status_code == 201
    dup = create(api, org, "p", **GIT)
    assert dup.status_code == 400
    assert dup.get_json() == {"__all__": ["Project with this (name, organization) combination already exists."]}


def test_git_project_starts_update_and_syncs(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> None:
    body = create(api, org, "Git Demo", **GIT).get_json()
    pk = body["id"]
    assert body["local_path"] == f"_{pk}__git_demo"
    assert body["status"] == "pending"
    update_id = body["summary_fields"]["current_update"]["id"]
    assert body["related"]["current_update"] == f"/api/v2/project_updates/{update_id}/"
    assert api.get(f"{PROJECTS}{pk}/playbooks/").get_json() == []
    update = api.get(f"/api/v2/project_updates/{update_id}/").get_json()
    assert (update["launch_type"], update["job_type"], update["status"]) == ("manual", "check", "pending")
    assert update["job_tags"] == "update_git,install_roles,install_collections"
    Scheduler(app.runtime).run_until_idle()
    project = api.get(f"{PROJECTS}{pk}/").get_json()
    assert project["status"] == "successful" and len(project["scm_revision"]) == 40
    assert project["summary_fields"]["last_update"]["status"] == "successful"
    assert project["last_updated"] is not None and project["last_update_failed"] is False
    assert api.get(f"{PROJECTS}{pk}/playbooks/").get_json() == ["hello_world.yml", "playbook.yml", "site.yml"]
    finished = api.get(f"/api/v2/project_updates/{update_id}/").get_json()
    assert finished["execution_node"] == "awx-local"
    assert finished["summary_fields"]["instance_group"]["name"] == "controlplane"
    assert "modified_by" not in finished["related"]


def test_configured_scm_playbooks(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> None:
    app.runtime.store.meta["scm_playbooks"] = {GIT["scm_url"]: ["deploy.yml"]}
    pk = create(api, org, "g", **GIT).get_json()["id"]
    Scheduler(app.runtime).run_until_idle()
    assert api.get(f"{PROJECTS}{pk}/playbooks/").get_json() == ["deploy.yml"]


def test_update_endpoint(app: t.Any, api: t.Any, org: dict[str, t.Any], folders: None) -> None:
    git = create(api, org, "g", **GIT).get_json()["id"]
    manual = create(api, org, "m", local_path="demo").get_json()["id"]
    assert api.get(f"{PROJECTS}{git}/update/").get_json() == {"can_update": True}
    assert api.get(f"{PROJECTS}{manual}/update/").get_json() == {"can_update": False}
    refused = api.post(f"{PROJECTS}{manual}/update/", {})
    assert refused.status_code == 405
    assert refused.get_json() == {"detail": 'Method "POST" not allowed.'}
    response = api.post(f"{PROJECTS}{git}/update/", {})
    assert response.status_code == 202
    body = response.get_json()
    assert body["project_update"] == body["id"] and body["type"] == "project_update"
    assert "playbook_counts" not in body and body["job_args"] == ""
    listing = api.get(f"{PROJECTS}{git}/project_updates/").get_json()
    assert listing["count"] == 2
    assert "job_args" not in listing["results"][0]
    assert api.get(f"/api/v2/project_updates/?project={git}").get_json()["count"] == 2


def test_cancel_project_update(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> None:
    body = create(api, org, "g", **GIT).get_json()
    update_id = body["summary_fields"]["current_update"]["id"]
    url = f"/api/v2/project_updates/{update_id}/cancel/"
    assert api.get(url).get_json() == {"can_cancel": True, "job_explanation": ""}
    assert api.post(url, {}).status_code == 202
    update = api.get(f"/api/v2/project_updates/{update_id}/").get_json()
    assert update["status"] == "canceled" and update["failed"] is True and update["canceled_on"] is not None
    assert api.get(url).get_json()["can_cancel"] is False
    assert api.post(url, {}).status_code == 405
    project = api.get(f"{PROJECTS}{body['id']}/").get_json()
    assert project["status"] == "canceled" and project["last_job_failed"] is True


def test_scripted_update_failure(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> None:
    pk = create(api, org, "g", **GIT).get_json()["id"]
    Scheduler(app.runtime).run_until_idle()
    assert api.post("/_mockawx/outcomes/", {"match": {"unified_job_template": pk}, "results": [{"status": "failed"}]}).status_code == 201
    update_id = api.post(f"{PROJECTS}{pk}/update/", {}).get_json()["id"]
    Scheduler(app.runtime).run_until_idle()
    assert api.get(f"/api/v2/project_updates/{update_id}/").get_json()["status"] == "failed"
    assert api.get(f"{PROJECTS}{pk}/").get_json()["status"] == "failed"


def test_delete_project_update_rules(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> None:
    body = create(api, org, "g", **GIT).get_json()
    update_id = body["summary_fields"]["current_update"]["id"]
    running = api.delete(f"/api/v2/project_updates/{update_id}/")
    assert running.status_code == 403
    assert running.get_json() == {"detail": "Cannot delete running job resource."}
    Scheduler(app.runtime).run_until_idle()
    assert api.delete(f"/api/v2/project_updates/{update_id}/").status_code == 204
    missing = api.get(f"/api/v2/project_updates/{update_id}/")
    assert missing.status_code == 404
    assert missing.get_json() == {"detail": "No ProjectUpdate matches the given query."}


def test_patch_and_delete_project(api: t.Any, org: dict[str, t.Any], folders: None) -> None:
    pk = create(api, org, "m", local_path="demo").get_json()["id"]
    patched = api.patch(f"{PROJECTS}{pk}/", {"description": "patched"})
    assert patched.status_code == 200 and patched.get_json()["description"] == "patched"
    moved = api.patch(f"{PROJECTS}{pk}/", {"local_path": "other"})
    assert moved.get_json()["local_path"] == "other"
    assert api.delete(f"{PROJECTS}{pk}/").status_code == 204
    assert api.get(f"{PROJECTS}{pk}/").get_json() == {"detail": "No Project matches the given query."}


def test_second_update_waits_for_the_first(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> None:
    """AWX runs a project's updates one at a time; the launch answer has no reason, the task manager adds it."""
    api.post("/_mockawx/outcomes/", {"match": {"name": "g"}, "results": [{"status": "successful", "duration": 100}]})
    body = create(api, org, "g", **GIT).get_json()
    first = body["summary_fields"]["current_update"]["id"]
    launched = api.post(f"{PROJECTS}{body['id']}/update/", {}).get_json()
    second = launched["id"]
    assert launched["status"] == "pending" and launched["job_explanation"] == ""
    app.runtime.clock.advance(1)
    waiting = api.get(f"/api/v2/project_updates/{second}/").get_json()
    assert waiting["status"] == "pending" and waiting["started"] is None
    assert waiting["job_explanation"] == f"waiting for projectupdate-{first} to finish"
    assert api.post(f"/api/v2/project_updates/{first}/cancel/", {}).status_code == 202
    app.runtime.clock.advance(1)
    assert api.get(f"/api/v2/project_updates/{second}/").get_json()["status"] == "running"


def test_seeded_project_status_until_first_update(api: t.Any, org: dict[str, t.Any], app: t.Any) -> None:
    """A project loaded with a status (a seed's preloaded project) shows it until it is updated."""
    pk = create(api, org, "g", **GIT).get_json()["id"]
    store = app.runtime.store
    for update in list(store.all("project_updates")):
        store.delete("project_updates", update["id"])
    store.update("projects", pk, {"status": "successful"})
    assert api.get(f"{PROJECTS}{pk}/").get_json()["status"] == "successful"
