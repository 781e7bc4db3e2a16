"""Workflow template nodes and their success/failure/always edges, with AWX's cycle and relationship rules."""

from __future__ import annotations

import typing as t

import pytest

NODES = "/api/v2/workflow_job_template_nodes/"
CYCLE = {"Error": "Cycle detected."}


def test_node_create_read_list_patch_delete(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    assert awx.ok(awx.get(f"{wf['url']}workflow_nodes/"))["count"] == 0
    node = make.node(wf, identifier="a")
    assert node["type"] == "workflow_job_template_node"
    assert node["workflow_job_template"] == wf["id"] and node["unified_job_template"] is None
    assert node["success_nodes"] == [] and node["all_parents_must_converge"] is False
    assert node["extra_data"] == {} and "user_capabilities" not in node["summary_fields"]
    generated = make.node(wf)
    assert len(generated["identifier"]) == 36  # a uuid4 string by default

    listed = awx.ok(awx.get(f"{wf['url']}workflow_nodes/"))
    assert [n["id"] for n in listed["results"]] == [node["id"], generated["id"]]
    by_wf = awx.ok(awx.get(NODES, params={"workflow_job_template": wf["id"]}))
    assert by_wf["count"] == 2

    patched = awx.ok(awx.patch(node["url"], json={"all_parents_must_converge": True}))
    assert patched["all_parents_must_converge"] is True
    put = awx.ok(awx.put(node["url"], json={"identifier": "a2"}))
    assert put["identifier"] == "a2" and put["workflow_job_template"] == wf["id"]
    assert awx.delete(node["url"]).status_code == 204
    assert awx.get(node["url"]).json() == {"detail": "No WorkflowJobTemplateNode matches the given query."}


def test_top_level_create_requires_the_template(awx: t.Any, make: t.Any) -> None:
    response = awx.post(NODES, json={"identifier": "orphan"})
    assert response.status_code == 400
    assert response.json() == {"workflow_job_template": ["This field is required."]}
    wf = make.wfjt()
    created = awx.ok(awx.post(NODES, json={"workflow_job_template": wf["id"], "identifier": "top"}), 201)
    assert created["workflow_job_template"] == wf["id"]


def test_node_errors(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    make.node(wf, identifier="dup")
    duplicate = awx.post(f"{wf['url']}workflow_nodes/", json={"identifier": "dup"})
    assert duplicate.status_code == 400
    assert duplicate.json() == {"__all__": ["Workflow job template node with this Identifier and Workflow job template already exists."]}
    bad_ujt = awx.post(f"{wf['url']}workflow_nodes/", json={"unified_job_template": 999999999})
    assert bad_ujt.json() == {"unified_job_template": ['Invalid pk "999999999" - object does not exist.']}


def test_prompts_without_a_template_are_dropped(make: t.Any) -> None:
    wf = make.wfjt()
    node = make.node(wf, identifier="x", limit="web", extra_data={"a": 1})
    assert node["limit"] is None and node["extra_data"] == {}


def test_edges_associate_list_disassociate(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    a, b, c = (make.node(wf, identifier=i) for i in "abc")
    make.link(a, "success", b)
    make.link(a, "success", b)  # again: a no-op
    make.link(a, "always", c)
    assert [n["id"] for n in awx.ok(awx.get(f"{a['url']}success_nodes/"))["results"]] == [b["id"]]
    assert [n["id"] for n in awx.ok(awx.get(f"{a['url']}always_nodes/"))["results"]] == [c["id"]]
    assert awx.ok(awx.get(f"{a['url']}failure_nodes/"))["count"] == 0
    current = awx.ok(awx.get(a["url"]))
    assert current["success_nodes"] == [b["id"]] and current["always_nodes"] == [c["id"]]

    assert awx.post(f"{a['url']}success_nodes/", json={"id": b["id"], "disassociate": True}).status_code == 204
    assert awx.post(f"{a['url']}failure_nodes/", json={"id": c["id"], "disassociate": True}).status_code == 204  # no such edge
    assert awx.ok(awx.get(a["url"]))["success_nodes"] == []


def test_relationship_not_allowed_under_a_second_label(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    a, b = make.node(wf, identifier="a"), make.node(wf, identifier="b")
    make.link(a, "success", b)
    response = awx.post(f"{a['url']}failure_nodes/", json={"id": b["id"]})
    assert response.status_code == 400
    assert response.json() == {"Error": "Relationship not allowed."}


def test_cycles_are_refused(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    a, b, c = (make.node(wf, identifier=i) for i in "abc")
    assert awx.post(f"{a['url']}success_nodes/", json={"id": a["id"]}).json() == CYCLE
    make.link(a, "success", b)
    make.link(b, "failure", c)
    back = awx.post(f"{c['url']}always_nodes/", json={"id": a["id"]})
    assert back.status_code == 400 and back.json() == CYCLE


@pytest.mark.parametrize(("body", "status", "answer"), [
    ({"id": "abc"}, 400, {"msg": '"id" field must be an integer.'}),
    ({"id": 999999999}, 400, {"detail": "WorkflowJobTemplateNode matching query does not exist."}),
    ({"disassociate": True}, 400, {"msg": '"id" is required to disassociate'}),
], ids=["id-not-int", "unknown-child", "disassociate-without-id"])
def test_edge_body_errors(awx: t.Any, make: t.Any, body: dict[str, t.Any], status: int, answer: dict[str, t.Any]) -> None:
    node = make.node(make.wfjt(), identifier="p")
    response = awx.post(f"{node['url']}success_nodes/", json=body)
    assert response.status_code == status
    assert response.json() == answer


def test_linking_across_templates_is_forbidden_even_for_admins(awx: t.Any, make: t.Any) -> None:
    a = make.node(make.wfjt(), identifier="a")
    other = make.node(make.wfjt(), identifier="b")
    response = awx.post(f"{a['url']}success_nodes/", json={"id": other["id"]})
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}


def test_create_as_child(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    parent = make.node(wf, identifier="p")
    child = awx.ok(awx.post(f"{parent['url']}failure_nodes/", json={"identifier": "child"}), 201)
    assert child["workflow_job_template"] == wf["id"]
    assert awx.ok(awx.get(parent["url"]))["failure_nodes"] == [child["id"]]


def test_deleting_a_node_removes_its_edges(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    a, b = make.node(wf, identifier="a"), make.node(wf, identifier="b")
    make.link(a, "success", b)
    assert awx.delete(b["url"]).status_code == 204
    assert awx.ok(awx.get(a["url"]))["success_nodes"] == []


def test_approval_template_lifecycle(awx: t.Any, make: t.Any, names: t.Any) -> None:
    wf = make.wfjt()
    node = make.node(wf, identifier="gate")
    assert awx.ok(awx.get(f"{node['url']}create_approval_template/")) == {}
    missing = awx.post(f"{node['url']}create_approval_template/", json={"timeout": 0})
    assert missing.status_code == 400 and missing.json() == {"name": ["This field is required."]}
    template = awx.ok(awx.post(f"{node['url']}create_approval_template/", json={"name": names("gate"), "timeout": 30}), 201)
    assert template["type"] == "workflow_approval_template" and template["timeout"] == 30
    refreshed = awx.ok(awx.get(node["url"]))
    assert refreshed["unified_job_template"] == template["id"]
    assert refreshed["summary_fields"]["unified_job_template"]["unified_job_type"] == "workflow_approval"
    assert refreshed["summary_fields"]["unified_job_template"]["timeout"] == 30

    read = awx.ok(awx.get(template["url"]))
    assert read["related"]["jobs"] == f"{template['url']}approvals/"
    assert awx.ok(awx.patch(template["url"], json={"timeout": 60}))["timeout"] == 60
    assert awx.ok(awx.put(template["url"], json={"name": template["name"], "timeout": 5}))["description"] == ""
    assert awx.ok(awx.get(f"{template['url']}approvals/"))["count"] == 0

    # deleting the node deletes its approval template
    assert awx.delete(node["url"]).status_code == 204
    assert awx.get(template["url"]).status_code == 404


def test_approval_template_delete(awx: t.Any, make: t.Any) -> None:
    node = make.approval_node(make.wfjt(), "gate")
    template_url = node["related"]["unified_job_template"]
    assert awx.delete(template_url).status_code == 204
    assert awx.ok(awx.get(node["url"]))["unified_job_template"] is None


def test_node_sub_lists(awx: t.Any, make: t.Any, organization: dict[str, t.Any], names: t.Any) -> None:
    wf = make.wfjt()
    node = make.node(wf, identifier="n")
    assert awx.ok(awx.get(f"{node['url']}credentials/"))["count"] == 0
    assert awx.ok(awx.get(f"{node['url']}instance_groups/"))["count"] == 0
    no_template = awx.post(f"{node['url']}credentials/", json={})
    assert no_template.status_code == 400 and no_template.json() == {"msg": "Credential 'id' field is missing."}
    label = awx.ok(awx.post(f"{node['url']}labels/", json={"name": names("lbl"), "organization": organization["id"]}), 201)
    assert [lb["id"] for lb in awx.ok(awx.get(f"{node['url']}labels/"))["results"]] == [label["id"]]
    assert awx.post(f"{node['url']}labels/", json={"id": label["id"], "disassociate": True}).status_code == 204
