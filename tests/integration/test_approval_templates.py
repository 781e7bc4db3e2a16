"""Approval templates: made through a node's create_approval_template, then read, edited and deleted."""

from __future__ import annotations

import typing as t

import pytest

NODES = "/api/v2/workflow_job_template_nodes/"
TEMPLATES = "/api/v2/workflow_approval_templates/"


@pytest.fixture
def node(api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    wfjt = api.post("/api/v2/workflow_job_templates/", {"name": "Flow", "organization": org["id"], "description": "w"}).get_json()
    return t.cast(dict[str, t.Any], api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/workflow_nodes/", {"identifier": "gate"}).get_json())


def make_template(api: t.Any, node_id: int, **body: t.Any) -> t.Any:
    return api.post(f"{NODES}{node_id}/create_approval_template/", {"name": "Approve", **body})


def test_get_create_approval_template_is_empty(api: t.Any, node: dict[str, t.Any]) -> None:
    response = api.get(f"{NODES}{node['id']}/create_approval_template/")
    assert response.status_code == 200 and response.get_json() == {}


def test_create_returns_awx_body(api: t.Any, node: dict[str, t.Any]) -> None:
    response = make_template(api, node["id"], description="Gate", timeout=0)
    assert response.status_code == 201
    assert "Location" not in response.headers
    body = response.get_json()
    assert body["type"] == "workflow_approval_template"
    assert body["related"] == {
        "created_by": "/api/v2/users/1/", "modified_by": "/api/v2/users/1/",
        "jobs": f"{TEMPLATES}{body['id']}/approvals/",
    }
    assert list(body["summary_fields"]) == ["workflow_job_template", "created_by", "modified_by"]
    assert body["summary_fields"]["workflow_job_template"]["name"] == "Flow"
    assert list(body)[7:] == ["name", "description", "last_job_run", "last_job_failed", "next_job_run", "status", "execution_environment", "timeout"]
    assert (body["status"], body["last_job_failed"], body["timeout"]) == ("never updated", False, 0)


def test_node_points_at_the_template(api: t.Any, node: dict[str, t.Any]) -> None:
    template = make_template(api, node["id"], timeout=30).get_json()
    body = api.get(f"{NODES}{node['id']}/").get_json()
    assert body["unified_job_template"] == template["id"]
    assert body["related"]["unified_job_template"] == f"{TEMPLATES}{template['id']}/"
    assert body["summary_fields"]["unified_job_template"] == {
        "id": template["id"], "name": "Approve", "description": "", "unified_job_type": "workflow_approval", "timeout": 30,
    }
    assert body["modified"] == node["modified"]


def test_ids_come_from_the_template_sequence(api: t.Any, node: dict[str, t.Any], org: dict[str, t.Any]) -> None:
    template = make_template(api, node["id"]).get_json()
    wfjt = api.post("/api/v2/workflow_job_templates/", {"name": "Next", "organization": org["id"]}).get_json()
    assert wfjt["id"] == template["id"] + 1


def test_missing_name(api: t.Any, node: dict[str, t.Any]) -> None:
    response = api.post(f"{NODES}{node['id']}/create_approval_template/", {"timeout": 0})
    assert response.status_code == 400 and response.get_json() == {"name": ["This field is required."]}


def test_recreate_replaces_and_deletes_previous(api: t.Any, node: dict[str, t.Any]) -> None:
    first = make_template(api, node["id"]).get_json()
    second = make_template(api, node["id"], name="Second").get_json()
    assert api.get(f"{TEMPLATES}{first['id']}/").status_code == 404
    assert api.get(f"{NODES}{node['id']}/").get_json()["unified_job_template"] == second["id"]


def test_detail_patch_put(api: t.Any, node: dict[str, t.Any]) -> None:
    template = make_template(api, node["id"]).get_json()
    path = f"{TEMPLATES}{template['id']}/"
    assert api.get(path).get_json()["name"] == "Approve"
    patched = api.patch(path, {"timeout": 60, "description": "d"})
    assert patched.status_code == 200 and patched.get_json()["timeout"] == 60
    assert api.put(path, {"timeout": 5}).get_json() == {"name": ["This field is required."]}
    assert api.put(path, {"name": "Renamed"}).get_json()["name"] == "Renamed"
    assert api.patch(path, {"name": ""}).get_json() == {"name": ["This field may not be blank."]}


def test_delete_clears_the_node(api: t.Any, node: dict[str, t.Any]) -> None:
    template = make_template(api, node["id"]).get_json()
    assert api.delete(f"{TEMPLATES}{template['id']}/").status_code == 204
    assert api.get(f"{TEMPLATES}{template['id']}/").get_json() == {"detail": "No WorkflowApprovalTemplate matches the given query."}
    assert api.get(f"{NODES}{node['id']}/").get_json()["unified_job_template"] is None


def test_switching_node_template_deletes_approval_template(api: t.Any, node: dict[str, t.Any]) -> None:
    template = make_template(api, node["id"]).get_json()
    wfjt_id = node["workflow_job_template"]
    response = api.patch(f"{NODES}{node['id']}/", {"unified_job_template": wfjt_id})
    assert response.status_code == 200 and response.get_json()["unified_job_template"] == wfjt_id
    assert api.get(f"{TEMPLATES}{template['id']}/").status_code == 404


def test_prompts_on_approval_node_are_not_allowed(api: t.Any, node: dict[str, t.Any]) -> None:
    make_template(api, node["id"])
    response = api.patch(f"{NODES}{node['id']}/", {"limit": "web"})
    assert response.status_code == 400 and response.get_json() == {"limit": ["Field is not allowed on launch."]}


def test_no_list_endpoint(api: t.Any) -> None:
    assert api.get(TEMPLATES).status_code == 404


def test_approvals_sub_list(api: t.Any, node: dict[str, t.Any]) -> None:
    template = make_template(api, node["id"]).get_json()
    response = api.get(f"{TEMPLATES}{template['id']}/approvals/")
    assert response.status_code == 200 and response.get_json()["count"] == 0
    assert api.get(f"{TEMPLATES}999/approvals/").status_code == 404
