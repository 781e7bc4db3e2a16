"""More supporting resources: credential types, execution environments, instance groups, inventory sources and
their updates, job template sub-resources, projects, jobs, memberships and node instance groups."""

from __future__ import annotations

import typing as t

import pytest

SAMPLES = "https://github.com/ansible/ansible-tower-samples"
NOT_ALLOWED = {"detail": 'Method "POST" not allowed.'}
FINISHED = ("successful", "failed", "error", "canceled")


def _project(awx: t.Any, target: t.Any, names: t.Any, organization: dict[str, t.Any]) -> dict[str, t.Any]:
    project = awx.ok(awx.post("/api/v2/projects/", json={"name": names("proj"), "organization": organization["id"],
                                                         "scm_type": "git", "scm_url": SAMPLES}), 201)
    return target.wait_for(project["url"], lambda body: body["status"] in FINISHED)


def _job_template(awx: t.Any, target: t.Any, names: t.Any, organization: dict[str, t.Any]) -> dict[str, t.Any]:
    project = _project(awx, target, names, organization)
    inventory = awx.ok(awx.post("/api/v2/inventories/", json={"name": names("inv"), "organization": organization["id"]}), 201)
    return t.cast(dict[str, t.Any], awx.ok(awx.post("/api/v2/job_templates/", json={
        "name": names("jt"), "project": project["id"], "inventory": inventory["id"], "playbook": "hello_world.yml"}), 201))


def test_credential_type_crud(awx: t.Any, superuser: t.Any, names: t.Any) -> None:
    inputs = {"fields": [{"id": "token", "label": "Token", "type": "string", "secret": True}]}
    created = awx.ok(awx.post("/api/v2/credential_types/", json={
        "name": names("ct"), "kind": "cloud", "description": "d", "inputs": inputs, "injectors": {"env": {"TOKEN": "{{ token }}"}}}), 201)
    assert created["managed"] is False and created["namespace"] is None and created["inputs"] == inputs
    assert awx.ok(awx.patch(created["url"], json={"description": "p"}))["description"] == "p"
    put = awx.ok(awx.put(created["url"], json={"name": created["name"], "kind": "net"}))
    assert put["kind"] == "net" and put["description"] == "" and put["inputs"] == {} and put["injectors"] == {}
    refused = awx.post("/api/v2/credential_types/", json={"name": names("ct"), "kind": "ssh"})
    assert refused.status_code == 400 and refused.json() == {"kind": ['"ssh" is not a valid choice.']}
    assert awx.delete(created["url"]).status_code == 204
    assert awx.get(created["url"]).json() == {"detail": "No CredentialType matches the given query."}


def test_execution_environment_crud(awx: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    ee = awx.ok(awx.post("/api/v2/execution_environments/", json={
        "name": names("ee"), "image": "quay.io/ansible/awx-ee:24.6.1", "organization": organization["id"], "pull": "missing",
        "description": "d"}), 201)
    assert ee["related"]["named_url"] == f"/api/v2/execution_environments/{ee['name']}/" and ee["managed"] is False
    read = awx.ok(awx.get(ee["url"]))
    assert read["image"] == "quay.io/ansible/awx-ee:24.6.1" and read["pull"] == "missing"
    assert awx.ok(awx.patch(ee["url"], json={"description": "p"}))["description"] == "p"
    put = awx.ok(awx.put(ee["url"], json={"name": ee["name"], "image": "quay.io/ansible/awx-ee:latest", "organization": organization["id"]}))
    assert put["image"].endswith(":latest") and put["description"] == "" and put["pull"] == ""
    stream = awx.ok(awx.get(f"{ee['url']}activity_stream/"))["results"]
    assert "create" in [e["operation"] for e in stream if e["object1"] == "execution_environment"]
    missing = awx.post("/api/v2/execution_environments/", json={"name": names("ee"), "organization": organization["id"]})
    assert missing.status_code == 400 and missing.json() == {"image": ["This field is required."]}
    bad = awx.post("/api/v2/execution_environments/", json={"name": names("ee"), "image": "quay.io/x/y:1", "pull": "sometimes"})
    assert bad.status_code == 400 and bad.json() == {"pull": ['"sometimes" is not a valid choice.']}
    assert awx.delete(ee["url"]).status_code == 204
    assert awx.get(ee["url"]).status_code == 404


def test_instance_group_crud(awx: t.Any, superuser: t.Any, names: t.Any) -> None:
    group = awx.ok(awx.post("/api/v2/instance_groups/", json={"name": names("ig"), "policy_instance_percentage": 0}), 201)
    assert group["is_container_group"] is False and group["instances"] == 0 and group["max_forks"] == 0
    clash = awx.post("/api/v2/instance_groups/", json={"name": group["name"]})
    assert clash.status_code == 400 and clash.json() == {"name": ["Instance group with this Name already exists."]}
    patched = awx.ok(awx.patch(group["url"], json={"policy_instance_minimum": 0, "max_forks": 5}))
    assert patched["max_forks"] == 5
    assert awx.ok(awx.put(group["url"], json={"name": group["name"]}))["max_forks"] == 0
    assert awx.delete(group["url"]).status_code == 204
    assert awx.get(group["url"]).status_code == 404


def test_inventory_source_and_its_updates(awx: t.Any, names: t.Any, organization: dict[str, t.Any], target: t.Any) -> None:
    project = _project(awx, target, names, organization)
    inventory = awx.ok(awx.post("/api/v2/inventories/", json={"name": names("inv"), "organization": organization["id"]}), 201)
    body = {"name": names("src"), "inventory": inventory["id"], "source": "scm", "source_project": project["id"], "source_path": "inventory"}
    source = awx.ok(awx.post("/api/v2/inventory_sources/", json={**body, "overwrite": True, "description": "d"}), 201)
    missing = awx.post("/api/v2/inventory_sources/", json={k: v for k, v in body.items() if k != "source_project"} | {"name": names("src")})
    assert missing.status_code == 400 and missing.json() == {"source_project": ["Project required for scm type sources."]}
    clash = awx.post("/api/v2/inventory_sources/", json=body)
    assert clash.status_code == 400 and clash.json() == {"__all__": ["InventorySource with this (name, inventory) combination already exists."]}
    assert awx.ok(awx.get(source["url"]))["source_project"] == project["id"]
    assert awx.ok(awx.patch(source["url"], json={"description": "p"}))["description"] == "p"
    put = awx.ok(awx.put(source["url"], json=body))
    assert put["description"] == "" and put["overwrite"] is False
    assert awx.ok(awx.get(f"{source['url']}update/")) == {"can_update": True}
    update = awx.ok(awx.post(f"{source['url']}update/", json={}), 202)
    assert update["inventory_update"] == update["id"] and update["type"] == "inventory_update"
    assert [u["id"] for u in awx.ok(awx.get(f"{source['url']}inventory_updates/"))["results"]] == [update["id"]]
    assert awx.ok(awx.get(update["url"]))["inventory_source"] == source["id"]
    can_cancel = awx.ok(awx.get(f"{update['url']}cancel/"))["can_cancel"]
    cancel = awx.post(f"{update['url']}cancel/", json={})
    assert (cancel.status_code, cancel.content) == (202, b"") if can_cancel else (cancel.status_code, cancel.json()) == (405, NOT_ALLOWED)
    done = target.wait_for(update["url"], lambda b: b["status"] in FINISHED)
    assert done["status"] == "canceled" or not can_cancel
    assert awx.ok(awx.get(f"{update['url']}cancel/"))["can_cancel"] is False
    assert awx.post(f"{update['url']}cancel/", json={}).json() == NOT_ALLOWED
    stream = awx.ok(awx.get(f"{source['url']}activity_stream/"))["results"]
    assert "create" in [e["operation"] for e in stream if e["object1"] == "inventory_source"]
    assert awx.delete(update["url"]).status_code == 204
    assert awx.get(update["url"]).json() == {"detail": "No InventoryUpdate matches the given query."}
    assert awx.delete(source["url"]).status_code == 204


def test_job_template_sub_resources(awx: t.Any, names: t.Any, organization: dict[str, t.Any], target: t.Any) -> None:
    jt = _job_template(awx, target, names, organization)
    machine = awx.ok(awx.get("/api/v2/credential_types/", params={"namespace": "ssh"}))["results"][0]
    credential = awx.ok(awx.post("/api/v2/credentials/", json={"name": names("cred"), "organization": organization["id"],
                                                               "credential_type": machine["id"], "inputs": {"username": "u"}}), 201)
    assert awx.post(f"{jt['url']}credentials/", json={"id": credential["id"]}).status_code == 204
    assert [c["id"] for c in awx.ok(awx.get(f"{jt['url']}credentials/"))["results"]] == [credential["id"]]
    assert awx.post(f"{jt['url']}credentials/", json={"id": credential["id"], "disassociate": True}).status_code == 204
    assert awx.ok(awx.get(f"{jt['url']}credentials/"))["count"] == 0
    label = awx.ok(awx.post(f"{jt['url']}labels/", json={"name": names("label"), "organization": organization["id"]}), 201)
    assert [x["id"] for x in awx.ok(awx.get(f"{jt['url']}labels/"))["results"]] == [label["id"]]
    schedule = awx.ok(awx.post(f"{jt['url']}schedules/", json={
        "name": names("sched"), "rrule": "DTSTART;TZID=UTC:20300101T000000 RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"}), 201)
    assert schedule["unified_job_template"] == jt["id"] and schedule["next_run"] == "2030-01-07T00:00:00Z"
    spec = {"name": "s", "description": "d", "spec": [
        {"type": "text", "question_name": "Who?", "variable": "who", "required": False, "default": "world"}]}
    stored = awx.post(f"{jt['url']}survey_spec/", json=spec)
    assert (stored.status_code, stored.content) == (200, b"")
    assert awx.ok(awx.get(f"{jt['url']}survey_spec/"))["spec"][0]["variable"] == "who"
    assert awx.ok(awx.get(jt["url"]))["survey_enabled"] is False  # storing a spec does not enable it
    bad = awx.post(f"{jt['url']}survey_spec/", json={"name": "s", "description": "d"})
    assert bad.status_code == 400 and bad.json() == {"error": "Field 'spec' is missing from survey spec."}
    removed = awx.delete(f"{jt['url']}survey_spec/")
    assert (removed.status_code, removed.content) == (200, b"")
    assert awx.ok(awx.get(f"{jt['url']}survey_spec/")) == {}
    awx.ok(awx.patch(jt["url"], json={"description": "j", "forks": 3}))
    put = awx.ok(awx.put(jt["url"], json={"name": jt["name"], "project": jt["project"], "inventory": jt["inventory"], "playbook": "hello_world.yml"}))
    assert put["description"] == "" and put["forks"] == 0


def test_job_relaunch(awx: t.Any, names: t.Any, organization: dict[str, t.Any], target: t.Any) -> None:
    jt = _job_template(awx, target, names, organization)
    job = awx.ok(awx.post(f"{jt['url']}launch/", json={}), 201)
    awx.post(f"{job['url']}cancel/", json={})  # 202 while it runs, 405 once done: either way it finishes
    target.wait_for(job["url"], lambda b: b["status"] in FINISHED)
    again = awx.ok(awx.post(f"{job['url']}relaunch/", json={}), 201)
    assert again["id"] != job["id"] and again["type"] == "job"
    assert again["launch_type"] == "relaunch" and again["job_template"] == jt["id"]


def test_project_put_and_update_cancel(awx: t.Any, names: t.Any, organization: dict[str, t.Any], target: t.Any) -> None:
    project = _project(awx, target, names, organization)
    awx.ok(awx.patch(project["url"], json={"description": "p", "scm_clean": True}))
    put = awx.ok(awx.put(project["url"], json={"name": project["name"], "organization": organization["id"],
                                               "scm_type": "git", "scm_url": SAMPLES}))
    assert put["description"] == "" and put["scm_clean"] is False
    target.wait_for(project["url"], lambda b: b["status"] in FINISHED)
    update = awx.ok(awx.post(f"{project['url']}update/", json={}), 202)
    cancel = awx.post(f"{update['url']}cancel/", json={})
    if target.is_mock or cancel.status_code == 202:
        assert (cancel.status_code, cancel.content) == (202, b"")
        assert target.wait_for(update["url"], lambda b: b["status"] in FINISHED)["status"] == "canceled"
    else:  # the update finished before the cancel arrived
        assert (cancel.status_code, cancel.json()) == (405, NOT_ALLOWED)
    assert awx.post(f"{update['url']}cancel/", json={}).json() == NOT_ALLOWED


def test_team_and_role_user_membership(awx: t.Any, names: t.Any, organization: dict[str, t.Any], make: t.Any) -> None:
    user = awx.ok(awx.post(f"/api/v2/organizations/{organization['id']}/users/",
                           json={"username": names("u"), "password": "Contract-pass-1"}), 201)
    team = awx.ok(awx.post("/api/v2/teams/", json={"name": names("team"), "organization": organization["id"]}), 201)
    assert awx.post(f"{team['url']}users/", json={"id": user["id"]}).status_code == 204
    assert [u["id"] for u in awx.ok(awx.get(f"{team['url']}users/"))["results"]] == [user["id"]]
    assert awx.post(f"{team['url']}users/", json={"id": user["id"], "disassociate": True}).status_code == 204
    assert awx.ok(awx.get(f"{team['url']}users/"))["count"] == 0
    read = make.wfjt()["summary_fields"]["object_roles"]["read_role"]["id"]
    assert awx.post(f"/api/v2/roles/{read}/users/", json={"id": user["id"]}).status_code == 204
    assert read in [r["id"] for r in awx.ok(awx.get(f"{user['url']}roles/"))["results"]]
    missing = awx.post(f"/api/v2/roles/{read}/users/", json={})
    assert missing.status_code == 400 and missing.json() == {"msg": "User 'id' field is missing."}


def _instance_group(awx: t.Any) -> dict[str, t.Any]:
    groups = awx.ok(awx.get("/api/v2/instance_groups/", params={"order_by": "id"}))["results"]
    if not groups:
        pytest.skip("no instance group is visible to this user")
    return t.cast(dict[str, t.Any], groups[0])


def test_node_instance_groups(awx: t.Any, make: t.Any, target: t.Any) -> None:
    group = _instance_group(awx)
    wf = make.wfjt()
    node = make.approval_node(wf, "gate")
    assert awx.post(f"{node['url']}instance_groups/", json={"id": group["id"]}).status_code == 204
    assert [g["id"] for g in awx.ok(awx.get(f"{node['url']}instance_groups/"))["results"]] == [group["id"]]
    job = make.launch(wf)
    make.approvals(job, target)
    (job_node,) = awx.ok(awx.get(f"{job['url']}workflow_nodes/"))["results"]
    assert awx.post(f"/api/v2/workflow_job_nodes/{job_node['id']}/instance_groups/", json={"id": group["id"]}).status_code == 204
    assert group["id"] in [g["id"] for g in awx.ok(awx.get(f"/api/v2/workflow_job_nodes/{job_node['id']}/instance_groups/"))["results"]]
