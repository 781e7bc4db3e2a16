"""Supporting resources workflows and clients rely on: organizations, users, teams, roles, inventories,
projects, job templates, credentials and the read-mostly lists, each created by the suite and cleaned up."""

from __future__ import annotations

import typing as t

import pytest

READ_ONLY_LISTS = (
    "activity_stream", "applications", "credential_types", "credentials", "execution_environments", "hosts",
    "instance_groups", "instances", "inventories", "inventory_sources", "inventory_updates", "job_templates", "jobs",
    "labels", "notification_templates", "notifications", "organizations", "project_updates", "projects", "roles",
    "schedules", "system_job_templates", "teams", "tokens", "unified_job_templates", "unified_jobs", "users",
    "workflow_approvals", "workflow_job_nodes", "workflow_job_template_nodes", "workflow_job_templates", "workflow_jobs",
)


@pytest.mark.parametrize("collection", READ_ONLY_LISTS)
def test_list_and_first_detail(awx: t.Any, collection: str) -> None:
    page = awx.ok(awx.get(f"/api/v2/{collection}/", params={"page_size": 1}))
    assert set(page) >= {"count", "next", "previous", "results"}
    for item in page["results"]:
        assert awx.ok(awx.get(item["url"]))["id"] == item["id"]


def test_organization_update_and_sub_lists(awx: t.Any, superuser: t.Any, names: t.Any) -> None:
    org = awx.ok(awx.post("/api/v2/organizations/", json={"name": names("org")}), 201)
    assert awx.ok(awx.patch(org["url"], json={"description": "d"}))["description"] == "d"
    assert awx.ok(awx.put(org["url"], json={"name": org["name"]}))["description"] == ""
    user = awx.ok(awx.post(f"{org['url']}users/", json={"username": names("u"), "password": "Contract-pass-1"}), 201)
    assert [u["id"] for u in awx.ok(awx.get(f"{org['url']}users/"))["results"]] == [user["id"]]
    assert awx.post(f"{org['url']}admins/", json={"id": user["id"]}).status_code == 204
    assert [u["id"] for u in awx.ok(awx.get(f"{org['url']}admins/"))["results"]] == [user["id"]]
    wf = awx.ok(awx.post(f"{org['url']}workflow_job_templates/", json={"name": names("wf")}), 201)
    assert wf["organization"] == org["id"]
    assert awx.ok(awx.get(f"{org['url']}workflow_job_templates/"))["count"] == 1


def test_user_team_roles(awx: t.Any, names: t.Any, organization: dict[str, t.Any], make: t.Any) -> None:
    user = awx.ok(awx.post("/api/v2/users/", json={"username": names("u"), "password": "Contract-pass-1", "first_name": "C"}), 201)
    assert user["password"] == "$encrypted$"
    assert awx.ok(awx.patch(user["url"], json={"last_name": "T"}))["last_name"] == "T"
    # PUT: a field left out keeps its value unless the field has a default (first_name has none)
    assert awx.ok(awx.put(user["url"], json={"username": user["username"], "password": "Contract-pass-2"}))["first_name"] == "C"
    team = awx.ok(awx.post("/api/v2/teams/", json={"name": names("team"), "organization": organization["id"]}), 201)
    assert awx.ok(awx.patch(team["url"], json={"description": "t"}))["description"] == "t"
    assert awx.ok(awx.put(team["url"], json={"name": team["name"], "organization": organization["id"]}))["description"] == ""
    wf = make.wfjt()
    execute = wf["summary_fields"]["object_roles"]["execute_role"]["id"]
    assert awx.post(f"/api/v2/users/{user['id']}/roles/", json={"id": execute}).status_code == 204
    assert execute in [r["id"] for r in awx.ok(awx.get(f"/api/v2/users/{user['id']}/roles/"))["results"]]
    assert user["id"] in [u["id"] for u in awx.ok(awx.get(f"/api/v2/roles/{execute}/users/"))["results"]]
    read = wf["summary_fields"]["object_roles"]["read_role"]["id"]
    assert awx.post(f"/api/v2/roles/{read}/teams/", json={"id": team["id"]}).status_code == 204
    assert team["id"] in [x["id"] for x in awx.ok(awx.get(f"/api/v2/roles/{read}/teams/"))["results"]]
    assert awx.post(f"{team['url']}roles/", json={"id": execute}).status_code == 204
    assert execute in [r["id"] for r in awx.ok(awx.get(f"{team['url']}roles/"))["results"]]
    assert awx.ok(awx.get(f"/api/v2/roles/{read}/"))["id"] == read
    assert awx.post(f"/api/v2/users/{user['id']}/roles/", json={"id": execute, "disassociate": True}).status_code == 204


def test_applications_and_tokens(awx: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    me = awx.ok(awx.get("/api/v2/me/"))["results"][0]
    app = awx.ok(awx.post("/api/v2/applications/", json={"name": names("app"), "organization": organization["id"],
                                                         "client_type": "confidential", "authorization_grant_type": "password"}), 201)
    assert app["client_id"] and app["client_secret"]
    assert awx.ok(awx.get(app["url"]))["client_secret"] == "************"
    assert awx.ok(awx.patch(app["url"], json={"description": "a"}))["description"] == "a"
    assert awx.ok(awx.put(app["url"], json={"name": app["name"], "organization": organization["id"], "client_type": "confidential",
                                             "authorization_grant_type": "password"}))["description"] == ""
    token = awx.ok(awx.post("/api/v2/tokens/", json={"description": "contract", "scope": "read"}), 201)
    assert awx.ok(awx.get(token["url"]))["token"] == "************"
    assert awx.ok(awx.patch(token["url"], json={"description": "changed"}))["description"] == "changed"
    assert awx.ok(awx.put(token["url"], json={"scope": "write"}))["scope"] == "write"
    assert token["id"] in [x["id"] for x in awx.ok(awx.get(f"/api/v2/users/{me['id']}/tokens/"))["results"]]
    other = awx.ok(awx.post(f"/api/v2/users/{me['id']}/tokens/", json={"scope": "read", "application": app["id"]}), 201)
    assert other["application"] == app["id"]
    assert awx.ok(awx.get(f"/api/v2/users/{me['id']}/personal_tokens/"))["count"] >= 1
    assert awx.delete(other["url"]).status_code == 204


def test_inventory_project_job_template(awx: t.Any, names: t.Any, organization: dict[str, t.Any], target: t.Any) -> None:
    inventory = awx.ok(awx.post("/api/v2/inventories/", json={"name": names("inv"), "organization": organization["id"]}), 201)
    assert awx.ok(awx.patch(inventory["url"], json={"description": "i"}))["description"] == "i"
    assert awx.ok(awx.put(inventory["url"], json={"name": inventory["name"], "organization": organization["id"]}))["description"] == ""
    host = awx.ok(awx.post(f"{inventory['url']}hosts/", json={"name": names("host")}), 201)
    assert [h["id"] for h in awx.ok(awx.get(f"{inventory['url']}hosts/"))["results"]] == [host["id"]]
    project = awx.ok(awx.post("/api/v2/projects/", json={"name": names("proj"), "organization": organization["id"],
                                                         "scm_type": "git", "scm_url": "https://github.com/ansible/ansible-tower-samples"}), 201)
    target.wait_for(project["url"], lambda body: body["status"] in ("successful", "failed", "error"))
    assert awx.ok(awx.get(f"{project['url']}project_updates/"))["count"] >= 1
    assert "hello_world.yml" in awx.ok(awx.get(f"{project['url']}playbooks/"))
    assert awx.ok(awx.get(f"{project['url']}update/"))["can_update"] is True
    assert awx.ok(awx.patch(project["url"], json={"description": "p"}))["description"] == "p"
    jt = awx.ok(awx.post("/api/v2/job_templates/", json={"name": names("jt"), "project": project["id"], "inventory": inventory["id"],
                                                       "playbook": "hello_world.yml", "ask_variables_on_launch": True}), 201)
    assert awx.ok(awx.patch(jt["url"], json={"description": "j"}))["description"] == "j"
    assert awx.ok(awx.get(f"{jt['url']}launch/"))["ask_variables_on_launch"] is True
    for sub in ("credentials", "labels", "jobs"):
        assert "results" in awx.ok(awx.get(f"{jt['url']}{sub}/"))
    assert awx.ok(awx.get(f"{jt['url']}survey_spec/")) == {}
    wf = awx.ok(awx.post("/api/v2/workflow_job_templates/", json={"name": names("wf"), "organization": organization["id"]}), 201)
    node = awx.ok(awx.post(f"{wf['url']}workflow_nodes/", json={"unified_job_template": jt["id"], "extra_data": {"a": 1}}), 201)
    assert node["extra_data"] == {"a": 1}
    refused = awx.post(f"{wf['url']}workflow_nodes/", json={"unified_job_template": jt["id"], "limit": "web"})
    assert refused.status_code == 400 and refused.json() == {"limit": ["Field is not configured to prompt on launch."]}


def test_credentials(awx: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    kinds = awx.ok(awx.get("/api/v2/credential_types/", params={"namespace": "ssh"}))["results"]
    assert kinds, "AWX ships the Machine (ssh) credential type"
    credential = awx.ok(awx.post("/api/v2/credentials/", json={"name": names("cred"), "organization": organization["id"],
                                                               "credential_type": kinds[0]["id"], "inputs": {"username": "u", "password": "p"}}), 201)
    assert credential["inputs"]["password"] == "$encrypted$"
    assert awx.ok(awx.patch(credential["url"], json={"description": "c"}))["description"] == "c"
    put = awx.ok(awx.put(credential["url"], json={"name": credential["name"], "organization": organization["id"],
                                                   "credential_type": kinds[0]["id"], "inputs": {"username": "v"}}))
    assert put["inputs"]["username"] == "v"
