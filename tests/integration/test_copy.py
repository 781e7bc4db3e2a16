"""Copying workflow job templates: fields, labels, survey, nodes, edges and approval templates."""

from __future__ import annotations

import base64
import typing as t

import pytest

from tests.conftest import ApiClient

SURVEY = {"name": "s", "description": "d", "spec": [
    {"question_name": "P", "required": False, "type": "password", "variable": "p", "default": "hunter2"},
]}


@pytest.fixture
def wfjt(api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    body = {"name": "wf", "organization": org["id"], "description": "desc", "extra_vars": "a: 1",
            "ask_variables_on_launch": True, "job_tags": "t1", "allow_simultaneous": True}
    response = api.post("/api/v2/workflow_job_templates/", body)
    assert response.status_code == 201
    return t.cast(dict[str, t.Any], response.get_json())


def url(wfjt: dict[str, t.Any], tail: str = "") -> str:
    return f"/api/v2/workflow_job_templates/{wfjt['id']}/{tail}"


def approval_node(api: t.Any, wfjt: dict[str, t.Any], identifier: str, name: str, **extra: t.Any) -> dict[str, t.Any]:
    node = api.post(url(wfjt, "workflow_nodes/"), {"identifier": identifier, **extra}).get_json()
    response = api.post(f"/api/v2/workflow_job_template_nodes/{node['id']}/create_approval_template/",
                        {"name": name, "description": "Gate", "timeout": 30})
    assert response.status_code == 201
    return t.cast(dict[str, t.Any], node)


def test_copy_info_for_superuser(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = api.get(url(wfjt, "copy/"))
    assert response.status_code == 200
    assert response.get_json() == {"can_copy": True, "can_copy_without_user_input": True, "templates_unable_to_copy": [],
                                   "credentials_unable_to_copy": [], "inventories_unable_to_copy": []}


def test_copy_fields_labels_and_survey(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    api.post(url(wfjt, "labels/"), {"name": "prod", "organization": org["id"]})
    api.post(url(wfjt, "survey_spec/"), SURVEY)
    response = api.post(url(wfjt, "copy/"), {"name": "wf (copy)"})
    assert response.status_code == 201
    copy = response.get_json()
    assert response.headers["Location"] == f"/api/v2/workflow_job_templates/{copy['id']}/"
    assert copy["related"]["named_url"] == "/api/v2/workflow_job_templates/wf (copy)++Default/"
    for field in ("description", "extra_vars", "organization", "ask_variables_on_launch", "job_tags", "allow_simultaneous"):
        assert copy[field] == wfjt[field], field
    assert copy["summary_fields"]["labels"]["results"][0]["name"] == "prod"
    assert copy["summary_fields"]["object_roles"]["admin_role"]["id"] != wfjt["summary_fields"]["object_roles"]["admin_role"]["id"]
    assert api.get(url(copy, "survey_spec/")).get_json() == api.get(url(wfjt, "survey_spec/")).get_json()


def test_copy_keeps_password_default_secret(api: t.Any, app: t.Any, wfjt: dict[str, t.Any]) -> None:
    from mockawx.resources.survey import clear_survey_spec

    api.post(url(wfjt, "survey_spec/"), SURVEY)
    copy = api.post(url(wfjt, "copy/"), {"name": "c"}).get_json()
    record = app.runtime.store.get("workflow_job_templates", copy["id"])
    assert clear_survey_spec(record)["spec"][0]["default"] == "hunter2"


def test_copy_nodes_edges_and_approval_templates(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    a = approval_node(api, wfjt, "node-a", "Approve A")
    b = approval_node(api, wfjt, "node-b", "Approve B", all_parents_must_converge=True)
    assert api.post(f"/api/v2/workflow_job_template_nodes/{a['id']}/always_nodes/", {"id": b["id"]}).status_code == 204
    copy = api.post(url(wfjt, "copy/"), {"name": "c"}).get_json()
    nodes = api.get(url(copy, "workflow_nodes/")).get_json()["results"]
    assert [n["identifier"] for n in nodes] == ["node-a", "node-b"]
    assert nodes[0]["always_nodes"] == [nodes[1]["id"]]
    assert nodes[1]["all_parents_must_converge"] is True
    originals = api.get(url(wfjt, "workflow_nodes/")).get_json()["results"]
    assert {n["unified_job_template"] for n in nodes}.isdisjoint({n["unified_job_template"] for n in originals})
    summary = nodes[0]["summary_fields"]["unified_job_template"]
    assert (summary["name"], summary["description"], summary["timeout"]) == ("Approve A copy", "Gate", 30)
    assert api.get(url(wfjt, "workflow_nodes/")).get_json()["count"] == 2


def test_copy_with_webhook_service_gets_a_new_key(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    api.patch(url(wfjt), {"webhook_service": "github"})
    copy = api.post(url(wfjt, "copy/"), {"name": "c"}).get_json()
    assert copy["webhook_service"] == "github"
    old = api.get(url(wfjt, "webhook_key/")).get_json()["webhook_key"]
    new = api.get(url(copy, "webhook_key/")).get_json()["webhook_key"]
    assert len(new) == 50 and new != old


@pytest.mark.parametrize(("body", "expected"), [
    ({}, {"name": ["This field is required."]}),
    ({"name": ""}, {"name": ["This field may not be blank."]}),
    ({"name": "wf"}, {"__all__": ["The original object is already named wf, a copy from it cannot have the same name."]}),
])
def test_copy_name_errors(api: t.Any, wfjt: dict[str, t.Any], body: dict[str, t.Any], expected: dict[str, t.Any]) -> None:
    response = api.post(url(wfjt, "copy/"), body)
    assert response.status_code == 400
    assert response.get_json() == expected


def test_copy_name_taken_by_another_template(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    api.post("/api/v2/workflow_job_templates/", {"name": "taken", "organization": org["id"]})
    response = api.post(url(wfjt, "copy/"), {"name": "taken"})
    assert response.status_code == 400
    assert api.get("/api/v2/workflow_job_templates/?name=taken").get_json()["count"] == 1


def test_template_admin_cannot_copy_but_org_admin_can(api: t.Any, app: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    carol = api.post("/api/v2/users/", {"username": "carol", "password": "pw"}).get_json()
    frank = api.post("/api/v2/users/", {"username": "frank", "password": "pw"}).get_json()
    api.post(f"/api/v2/roles/{wfjt['summary_fields']['object_roles']['admin_role']['id']}/users/", {"id": carol["id"]})
    api.post(f"/api/v2/organizations/{org['id']}/admins/", {"id": frank["id"]})
    assert api.get(url(wfjt, "copy/")).get_json()["can_copy"] is True
    carol_client = ApiClient(app, headers={"Authorization": "Basic " + base64.b64encode(b"carol:pw").decode()})
    if carol_client.get(url(wfjt, "copy/")).status_code == 200:
        info = carol_client.get(url(wfjt, "copy/")).get_json()
        assert info["can_copy"] is False and info["templates_unable_to_copy"] == ["all"]
    assert carol_client.post(url(wfjt, "copy/"), {"name": "by carol"}).status_code == 403
    from mockawx.resources.copy import can_copy

    store = app.runtime.store
    record = store.get("workflow_job_templates", wfjt["id"])
    assert can_copy(store, store.get("users", frank["id"]), record) is True
    assert can_copy(store, store.get("users", carol["id"]), record) is False


def test_unknown_template_is_404(api: t.Any) -> None:
    assert api.get("/api/v2/workflow_job_templates/999/copy/").status_code == 404
    assert api.post("/api/v2/workflow_job_templates/999/copy/", {"name": "x"}).status_code == 404
