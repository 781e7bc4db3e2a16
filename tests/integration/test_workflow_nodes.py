"""Workflow job template nodes through HTTP: create, read, update, delete and prompt checks."""

from __future__ import annotations

import typing as t

import pytest

NODES = "/api/v2/workflow_job_template_nodes/"


@pytest.fixture
def wfjt(api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    response = api.post("/api/v2/workflow_job_templates/", {"name": "Deploy", "organization": org["id"], "description": "d"})
    assert response.status_code == 201
    return t.cast(dict[str, t.Any], response.get_json())


def add_node(api: t.Any, wfjt_id: int, **body: t.Any) -> dict[str, t.Any]:
    response = api.post(f"/api/v2/workflow_job_templates/{wfjt_id}/workflow_nodes/", body)
    assert response.status_code == 201, response.get_json()
    return t.cast(dict[str, t.Any], response.get_json())


def job_template(app: t.Any, **fields: t.Any) -> dict[str, t.Any]:
    """A job template record put straight into the store (its own API lives elsewhere)."""
    record = {"id": None, "name": "JT", "description": "", "extra_vars": "", "survey_enabled": False, **fields}
    return t.cast(dict[str, t.Any], app.runtime.store.insert("job_templates", record))


def test_nested_create_returns_awx_body(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/workflow_nodes/", {"identifier": "node-a"})
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"{NODES}{body['id']}/"
    assert list(body)[:7] == ["id", "type", "url", "related", "summary_fields", "created", "modified"]
    assert list(body)[-3:] == ["always_nodes", "all_parents_must_converge", "identifier"]
    assert body["type"] == "workflow_job_template_node"
    assert body["related"]["named_url"] == f"{NODES}node-a++Deploy++Default/"
    assert "created_by" not in body["related"]
    assert body["summary_fields"] == {"workflow_job_template": {"id": wfjt["id"], "name": "Deploy", "description": "d"}}
    assert body["extra_data"] == {} and body["limit"] is None and body["success_nodes"] == []


def test_identifier_defaults_to_uuid(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    body = add_node(api, wfjt["id"])
    assert len(body["identifier"]) == 36 and body["identifier"].count("-") == 4


def test_duplicate_identifier_in_same_workflow(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    add_node(api, wfjt["id"], identifier="x")
    response = api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/workflow_nodes/", {"identifier": "x"})
    assert response.status_code == 400
    assert response.get_json() == {"__all__": ["Workflow job template node with this Identifier and Workflow job template already exists."]}


def test_same_identifier_in_other_workflow_is_fine(api: t.Any, wfjt: dict[str, t.Any], org: dict[str, t.Any]) -> None:
    other = api.post("/api/v2/workflow_job_templates/", {"name": "Other", "organization": org["id"]}).get_json()
    add_node(api, wfjt["id"], identifier="x")
    assert add_node(api, other["id"], identifier="x")["workflow_job_template"] == other["id"]


def test_global_create_requires_workflow_job_template(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = api.post(NODES, {"identifier": "a"})
    assert response.status_code == 400
    assert response.get_json() == {"workflow_job_template": ["This field is required."]}
    ok = api.post(NODES, {"identifier": "a", "workflow_job_template": wfjt["id"]})
    assert ok.status_code == 201 and ok.get_json()["workflow_job_template"] == wfjt["id"]


def test_nested_create_forces_the_workflow(api: t.Any, wfjt: dict[str, t.Any], org: dict[str, t.Any]) -> None:
    other = api.post("/api/v2/workflow_job_templates/", {"name": "Other", "organization": org["id"]}).get_json()
    body = add_node(api, wfjt["id"], workflow_job_template=other["id"])
    assert body["workflow_job_template"] == wfjt["id"]


def test_unknown_unified_job_template(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/workflow_nodes/", {"unified_job_template": 999999})
    assert response.status_code == 400
    assert response.get_json() == {"unified_job_template": ['Invalid pk "999999" - object does not exist.']}


def test_prompts_dropped_without_template(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    body = add_node(api, wfjt["id"], identifier="p", limit="web", extra_data={"a": 1}, all_parents_must_converge=True)
    assert body["limit"] is None and body["extra_data"] == {}
    assert body["all_parents_must_converge"] is True


def test_prompt_not_configured_on_job_template(app: t.Any, api: t.Any, wfjt: dict[str, t.Any]) -> None:
    jt = job_template(app, ask_limit_on_launch=False, ask_inventory_on_launch=True)
    response = api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/workflow_nodes/", {"unified_job_template": jt["id"], "limit": "web"})
    assert response.status_code == 400
    assert response.get_json() == {"limit": ["Field is not configured to prompt on launch."]}


def test_prompt_accepted_when_asked(app: t.Any, api: t.Any, wfjt: dict[str, t.Any]) -> None:
    jt = job_template(app, ask_limit_on_launch=True)
    body = add_node(api, wfjt["id"], unified_job_template=jt["id"], limit="web")
    assert body["limit"] == "web"
    assert body["related"]["unified_job_template"] == f"/api/v2/job_templates/{jt['id']}/"
    assert body["summary_fields"]["unified_job_template"] == {"id": jt["id"], "name": "JT", "description": "", "unified_job_type": "job"}


def test_extra_data_not_allowed_names_template_kind(app: t.Any, api: t.Any, wfjt: dict[str, t.Any], org: dict[str, t.Any]) -> None:
    jt = job_template(app)
    path = f"/api/v2/workflow_job_templates/{wfjt['id']}/workflow_nodes/"
    response = api.post(path, {"unified_job_template": jt["id"], "extra_data": {"a": 1, "b": 2}})
    assert response.get_json() == {"extra_data": ["Variables a, b are not allowed on launch. Check the Prompt on Launch setting on the Job Template to include Extra Variables."]}
    inner = api.post("/api/v2/workflow_job_templates/", {"name": "Inner", "organization": org["id"]}).get_json()
    response = api.post(path, {"unified_job_template": inner["id"], "extra_data": {"a": 1}})
    assert response.status_code == 400
    assert response.get_json() == {"extra_data": ["Variables a are not allowed on launch. Check the Prompt on Launch setting on the Workflow Job Template to include Extra Variables."]}


def test_extra_data_must_be_an_object(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/workflow_nodes/", {"extra_data": "a: 1"})
    assert response.status_code == 400 and "extra_data" in response.get_json()


def test_survey_password_is_masked(app: t.Any, api: t.Any, wfjt: dict[str, t.Any]) -> None:
    spec = {"name": "s", "description": "", "spec": [{"variable": "pw", "type": "password", "required": False, "default": ""}]}
    jt = job_template(app, survey_enabled=True, survey_spec=spec)
    body = add_node(api, wfjt["id"], unified_job_template=jt["id"], extra_data={"pw": "secret"})
    assert body["extra_data"] == {"pw": "$encrypted$"}
    node = app.runtime.store.get("workflow_job_template_nodes", body["id"])
    assert node["extra_data"] == {"pw": "secret"}
    response = api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/workflow_nodes/", {"unified_job_template": jt["id"], "extra_data": {"pw": "$encrypted$"}})
    assert response.get_json() == {"extra_data": ["Provided variable pw has no database value to replace with."]}


def test_patch_ignores_workflow_and_updates_modified(api: t.Any, clock: t.Any, wfjt: dict[str, t.Any], org: dict[str, t.Any]) -> None:
    other = api.post("/api/v2/workflow_job_templates/", {"name": "Other", "organization": org["id"]}).get_json()
    node = add_node(api, wfjt["id"], identifier="n")
    clock.advance(5)
    response = api.patch(f"{NODES}{node['id']}/", {"all_parents_must_converge": True, "workflow_job_template": other["id"]})
    assert response.status_code == 200
    body = response.get_json()
    assert body["workflow_job_template"] == wfjt["id"] and body["all_parents_must_converge"] is True
    assert body["modified"] != node["modified"] and body["created"] == node["created"]


def test_put_keeps_omitted_fields(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    node = add_node(api, wfjt["id"], identifier="n", all_parents_must_converge=True)
    response = api.put(f"{NODES}{node['id']}/", {"identifier": "renamed"})
    assert response.status_code == 200
    assert response.get_json()["identifier"] == "renamed"
    assert response.get_json()["all_parents_must_converge"] is True


def test_patch_duplicate_identifier(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    add_node(api, wfjt["id"], identifier="a")
    b = add_node(api, wfjt["id"], identifier="b")
    assert api.patch(f"{NODES}{b['id']}/", {"identifier": "a"}).status_code == 400


def test_delete_removes_edges_and_approval_template(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    a = add_node(api, wfjt["id"], identifier="a")
    b = add_node(api, wfjt["id"], identifier="b")
    assert api.post(f"{NODES}{a['id']}/success_nodes/", {"id": b["id"]}).status_code == 204
    template = api.post(f"{NODES}{b['id']}/create_approval_template/", {"name": "gate"}).get_json()
    assert api.delete(f"{NODES}{b['id']}/").status_code == 204
    gone = api.get(f"{NODES}{b['id']}/")
    assert gone.status_code == 404
    assert gone.get_json() == {"detail": "No WorkflowJobTemplateNode matches the given query."}
    assert api.get(f"{NODES}{a['id']}/").get_json()["success_nodes"] == []
    assert api.get(f"/api/v2/workflow_approval_templates/{template['id']}/").status_code == 404


def test_lists_filter_and_order_by_id(api: t.Any, wfjt: dict[str, t.Any], org: dict[str, t.Any]) -> None:
    other = api.post("/api/v2/workflow_job_templates/", {"name": "Other", "organization": org["id"]}).get_json()
    ids = [add_node(api, wfjt["id"], identifier=name)["id"] for name in ("z", "a")]
    add_node(api, other["id"], identifier="o")
    nested = api.get(f"/api/v2/workflow_job_templates/{wfjt['id']}/workflow_nodes/").get_json()
    assert [r["id"] for r in nested["results"]] == ids
    assert "named_url" not in nested["results"][0]["related"]
    filtered = api.get(f"{NODES}?workflow_job_template={wfjt['id']}").get_json()
    assert filtered["count"] == 2
    assert api.get(NODES).get_json()["count"] == 3


def test_named_url_lookup(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    node = add_node(api, wfjt["id"], identifier="gate")
    response = api.get(f"{NODES}gate++Deploy++Default/")
    assert response.status_code == 200 and response.get_json()["id"] == node["id"]


def test_nested_list_of_unknown_workflow(api: t.Any) -> None:
    response = api.get("/api/v2/workflow_job_templates/999/workflow_nodes/")
    assert response.status_code == 404
    assert response.get_json() == {"detail": "No WorkflowJobTemplate matches the given query."}


def test_anonymous_is_refused(anon: t.Any) -> None:
    assert anon.get(NODES).status_code == 401


def test_non_admin_may_not_add_nodes(api: t.Any, app: t.Any, wfjt: dict[str, t.Any]) -> None:
    import base64

    created = api.post("/api/v2/users/", {"username": "erin", "password": "pw-Erin-1234"})
    assert created.status_code == 201
    auth = {"Authorization": "Basic " + base64.b64encode(b"erin:pw-Erin-1234").decode()}
    response = api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/workflow_nodes/", {"identifier": "x"}, headers=auth)
    assert response.status_code == 403
    assert response.get_json() == {"detail": "You do not have permission to perform this action."}
