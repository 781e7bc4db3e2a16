"""Workflow job templates: create, read, list, update (PUT/PATCH), delete, and AWX's validation errors."""

from __future__ import annotations

import typing as t

import pytest

WFJT = "/api/v2/workflow_job_templates/"


def test_create_read_patch_put_delete(awx: t.Any, make: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    created = make.wfjt(description="first", extra_vars="---\nenv: prod\n", ask_variables_on_launch=True)
    assert created["type"] == "workflow_job_template"
    assert created["url"] == f"{WFJT}{created['id']}/"
    assert created["status"] == "never updated" and created["last_job_run"] is None
    assert created["extra_vars"] == "---\nenv: prod\n"
    assert created["summary_fields"]["organization"]["id"] == organization["id"]
    assert set(created["summary_fields"]["user_capabilities"]) == {"edit", "delete", "start", "schedule", "copy"}
    assert created["related"]["named_url"] == f"{WFJT}{created['name']}++{organization['name']}/"

    read = awx.ok(awx.get(created["url"]))
    assert read["name"] == created["name"] and read["description"] == "first"

    patched = awx.ok(awx.patch(created["url"], json={"description": "second", "allow_simultaneous": True}))
    assert patched["description"] == "second" and patched["allow_simultaneous"] is True
    assert patched["extra_vars"] == "---\nenv: prod\n"

    # PUT resets what it omits: description, booleans and extra_vars go back to their defaults
    put = awx.ok(awx.put(created["url"], json={"name": created["name"], "organization": organization["id"]}))
    assert put["description"] == "" and put["allow_simultaneous"] is False
    assert put["ask_variables_on_launch"] is False and put["extra_vars"] == ""

    assert awx.delete(created["url"]).status_code == 204
    gone = awx.get(created["url"])
    assert gone.status_code == 404
    assert gone.json() == {"detail": "No WorkflowJobTemplate matches the given query."}
    assert awx.delete(created["url"]).status_code == 404


def test_named_url_reads_the_same_object(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    by_name = awx.ok(awx.get(wf["related"]["named_url"]))
    assert by_name["id"] == wf["id"]


def test_listed_in_its_organization(awx: t.Any, make: t.Any, organization: dict[str, t.Any]) -> None:
    wf = make.wfjt()
    listed = awx.ok(awx.get(f"/api/v2/organizations/{organization['id']}/workflow_job_templates/", params={"name": wf["name"]}))
    assert [item["id"] for item in listed["results"]] == [wf["id"]]
    assert "named_url" not in listed["results"][0]["related"]


@pytest.mark.parametrize(("body", "errors"), [
    ({"description": "no name"}, {"name": ["This field is required."]}),
    ({"name": ""}, {"name": ["This field may not be blank."]}),
    ({"name": "x" * 513}, {"name": ["Ensure this field has no more than 512 characters."]}),
    ({"name": "{n}", "extra_vars": {"a": 1}}, {"extra_vars": ["Not a valid string."]}),
    ({"name": "{n}", "webhook_service": "bitbucket"}, {"webhook_service": ['"bitbucket" is not a valid choice.']}),
    ({"name": "{n}", "organization": 999999999}, {"organization": ['Invalid pk "999999999" - object does not exist.']}),
    ({"name": "{n}", "organization": "abc", "allow_simultaneous": "notabool"},
     {"organization": ["Incorrect type. Expected pk value, received str."], "allow_simultaneous": ["Must be a valid boolean."]}),
], ids=["missing-name", "blank-name", "long-name", "dict-extra-vars", "bad-webhook-service", "unknown-org", "wrong-types"])
def test_create_errors(awx: t.Any, names: t.Any, organization: dict[str, t.Any], body: dict[str, t.Any], errors: dict[str, t.Any]) -> None:
    body = {"organization": organization["id"], **body}
    if body.get("name") == "{n}":
        body["name"] = names("bad")
    response = awx.post(WFJT, json=body)
    assert response.status_code == 400, response.text
    assert response.json() == errors


@pytest.mark.parametrize("extra_vars", ["just a string", "[1, 2]", "env: [unclosed"])
def test_extra_vars_must_parse_to_a_dictionary(awx: t.Any, names: t.Any, organization: dict[str, t.Any], extra_vars: str) -> None:
    response = awx.post(WFJT, json={"name": names("vars"), "organization": organization["id"], "extra_vars": extra_vars})
    assert response.status_code == 400
    (message,) = response.json()["extra_vars"]
    assert message.startswith("Cannot parse as JSON (error: ") and " or YAML (error: " in message


def test_duplicate_name_in_the_same_organization(awx: t.Any, make: t.Any, organization: dict[str, t.Any]) -> None:
    wf = make.wfjt()
    response = awx.post(WFJT, json={"name": wf["name"], "organization": organization["id"]})
    assert response.status_code == 400
    (message,) = response.json()["__all__"]
    assert message in (
        "WorkflowJobTemplate with this (name, organization) combination already exists.",
        "WorkflowJobTemplate with this (organization, name) combination already exists.",
    )
    other = make.wfjt()
    clash = awx.patch(other["url"], json={"name": wf["name"]})
    assert clash.status_code == 400 and "__all__" in clash.json()


def test_integer_name_is_stored_as_text_and_unknown_fields_are_ignored(make: t.Any, names: t.Any) -> None:
    number = int(names("n").encode().hex()[-9:], 16)
    wf = make.wfjt(name=number, no_such_field="ignored")
    assert wf["name"] == str(number)
    assert "no_such_field" not in wf


def test_patch_and_put_on_a_missing_template(awx: t.Any) -> None:
    assert awx.patch(f"{WFJT}999999999/", json={"description": "x"}).status_code == 404
    assert awx.put(f"{WFJT}999999999/", json={"name": "x"}).status_code == 404
    assert awx.get(f"{WFJT}not-a-number/").status_code == 404


def test_char_prompts_patch_replaces_the_others(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt(limit="web", scm_branch="main")
    patched = awx.ok(awx.patch(wf["url"], json={"job_tags": "deploy"}))
    assert patched["job_tags"] == "deploy"
    assert patched["limit"] is None and patched["scm_branch"] is None


def test_webhook_key_rotation(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    assert awx.ok(awx.get(f"{wf['url']}webhook_key/")) == {"webhook_key": ""}
    rotated = awx.ok(awx.post(f"{wf['url']}webhook_key/", json={}), 201)
    assert len(rotated["webhook_key"]) == 50
    github = awx.ok(awx.patch(wf["url"], json={"webhook_service": "github"}))
    assert github["related"]["webhook_receiver"] == f"{wf['url']}github/"
    key = awx.ok(awx.get(f"{wf['url']}webhook_key/"))["webhook_key"]
    assert len(key) == 50 and key.isalnum()
    cleared = awx.ok(awx.patch(wf["url"], json={"webhook_service": ""}))
    assert cleared["related"]["webhook_receiver"] == ""
    assert awx.ok(awx.get(f"{wf['url']}webhook_key/")) == {"webhook_key": ""}


def test_webhook_receiver_refuses_a_bad_signature(anon: t.Any, awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt(webhook_service="gitlab")
    refused = anon.post(f"{wf['url']}gitlab/", json={"object_kind": "push"}, headers={"X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": "wrong"})
    assert refused.status_code == 403
    assert refused.json() == {"detail": "You do not have permission to perform this action."}
    wrong_service = anon.post(f"{wf['url']}github/", json={}, headers={"X-GitHub-Event": "ping", "X-Hub-Signature": "sha1=00"})
    assert wrong_service.status_code == 403
    other = anon.post(f"{wf['url']}bitbucket_dc/", json={}, headers={"X-Event-Key": "repo:refs_changed", "X-Hub-Signature": "sha256=00"})
    assert other.status_code == 403


def test_object_roles_and_access_list(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    roles = awx.ok(awx.get(f"{wf['url']}object_roles/"))
    assert sorted(r["name"] for r in roles["results"]) == ["Admin", "Approve", "Execute", "Read"]
    object_roles = wf["summary_fields"]["object_roles"]
    assert set(object_roles) == {"admin_role", "execute_role", "read_role", "approval_role"}
    access = awx.ok(awx.get(f"{wf['url']}access_list/"))
    assert access["count"] >= 1 and all(item["type"] == "user" for item in access["results"])
    stream = awx.ok(awx.get(f"{wf['url']}activity_stream/"))
    assert "results" in stream
