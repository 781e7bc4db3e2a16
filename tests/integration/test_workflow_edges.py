"""Success/failure/always edges between template nodes, and the node's other sub-lists."""

from __future__ import annotations

import typing as t

import pytest

NODES = "/api/v2/workflow_job_template_nodes/"


@pytest.fixture
def wfjt(api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    return t.cast(dict[str, t.Any], api.post("/api/v2/workflow_job_templates/", {"name": "Flow", "organization": org["id"]}).get_json())


@pytest.fixture
def make(api: t.Any, wfjt: dict[str, t.Any]) -> t.Callable[..., int]:
    def create(identifier: str, wfjt_id: int | None = None) -> int:
        response = api.post(f"/api/v2/workflow_job_templates/{wfjt_id or wfjt['id']}/workflow_nodes/", {"identifier": identifier})
        assert response.status_code == 201
        return t.cast(int, response.get_json()["id"])

    return create


def link(api: t.Any, parent: int, edge: str, child: t.Any) -> t.Any:
    return api.post(f"{NODES}{parent}/{edge}_nodes/", {"id": child})


def test_associate_is_204_and_idempotent(api: t.Any, make: t.Callable[..., int]) -> None:
    a, b = make("a"), make("b")
    first = link(api, a, "success", b)
    assert first.status_code == 204 and first.get_data() == b""
    assert link(api, a, "success", b).status_code == 204
    listing = api.get(f"{NODES}{a}/success_nodes/").get_json()
    assert [r["id"] for r in listing["results"]] == [b]
    assert api.get(f"{NODES}{a}/").get_json()["success_nodes"] == [b]


def test_edges_do_not_touch_modified(api: t.Any, clock: t.Any, make: t.Callable[..., int]) -> None:
    a, b = make("a"), make("b")
    before = api.get(f"{NODES}{a}/").get_json()["modified"]
    clock.advance(3)
    link(api, a, "always", b)
    assert api.get(f"{NODES}{a}/").get_json()["modified"] == before


def test_second_label_to_same_child_not_allowed(api: t.Any, make: t.Callable[..., int]) -> None:
    a, b = make("a"), make("b")
    link(api, a, "success", b)
    for edge in ("failure", "always"):
        response = link(api, a, edge, b)
        assert response.status_code == 400
        assert response.get_json() == {"Error": "Relationship not allowed."}


def test_self_link_is_a_cycle(api: t.Any, make: t.Callable[..., int]) -> None:
    a = make("a")
    response = link(api, a, "success", a)
    assert response.status_code == 400 and response.get_json() == {"Error": "Cycle detected."}


def test_direct_and_indirect_cycles(api: t.Any, make: t.Callable[..., int]) -> None:
    a, b, c = make("a"), make("b"), make("c")
    link(api, a, "success", b)
    link(api, b, "always", c)
    assert link(api, b, "failure", a).get_json() == {"Error": "Cycle detected."}
    indirect = link(api, c, "failure", a)
    assert indirect.status_code == 400 and indirect.get_json() == {"Error": "Cycle detected."}
    assert api.get(f"{NODES}{c}/failure_nodes/").get_json()["count"] == 0


def test_cycle_unreachable_from_root_is_rejected(api: t.Any, make: t.Callable[..., int]) -> None:
    make("root")
    x, y = make("x"), make("y")
    assert link(api, x, "success", y).status_code == 204
    response = link(api, y, "success", x)
    assert response.status_code == 400 and response.get_json() == {"Error": "Cycle detected."}


def test_diamond_is_allowed(api: t.Any, make: t.Callable[..., int]) -> None:
    a, b, c, d = make("a"), make("b"), make("c"), make("d")
    for parent, child in ((a, b), (a, c), (b, d), (c, d)):
        assert link(api, parent, "success", child).status_code == 204


def test_bad_id_type_and_unknown_id(api: t.Any, make: t.Callable[..., int]) -> None:
    a = make("a")
    for bad in ("abc", "2", 1.5):
        response = link(api, a, "success", bad)
        assert response.status_code == 400 and response.get_json() == {"msg": '"id" field must be an integer.'}
    response = link(api, a, "success", 999999)
    assert response.status_code == 400
    assert response.get_json() == {"detail": "WorkflowJobTemplateNode matching query does not exist."}


def test_non_object_body(api: t.Any, make: t.Callable[..., int]) -> None:
    a = make("a")
    response = api.post(f"{NODES}{a}/success_nodes/", [1])
    assert response.status_code == 400 and response.get_json() == "invalid type for post data"


def test_cross_workflow_link_is_forbidden(api: t.Any, make: t.Callable[..., int], org: dict[str, t.Any]) -> None:
    other = api.post("/api/v2/workflow_job_templates/", {"name": "Other", "organization": org["id"]}).get_json()
    a, foreign = make("a"), make("f", other["id"])
    response = link(api, a, "success", foreign)
    assert response.status_code == 403
    assert response.get_json() == {"detail": "You do not have permission to perform this action."}
    detach = api.post(f"{NODES}{a}/success_nodes/", {"id": foreign, "disassociate": True})
    assert detach.status_code == 403


def test_existence_is_checked_before_permission_and_cycles(api: t.Any, make: t.Callable[..., int]) -> None:
    a = make("a")
    response = api.post(f"{NODES}{a}/failure_nodes/", {"id": 424242, "disassociate": True})
    assert response.get_json() == {"detail": "WorkflowJobTemplateNode matching query does not exist."}


def test_disassociate(api: t.Any, make: t.Callable[..., int]) -> None:
    a, b = make("a"), make("b")
    link(api, a, "failure", b)
    detach = api.post(f"{NODES}{a}/failure_nodes/", {"id": b, "disassociate": True})
    assert detach.status_code == 204
    again = api.post(f"{NODES}{a}/failure_nodes/", {"id": b, "disassociate": False})
    assert again.status_code == 204  # only the key's presence matters, and an absent edge is fine
    assert api.get(f"{NODES}{a}/failure_nodes/").get_json()["count"] == 0
    assert link(api, a, "success", b).status_code == 204  # the other label is free again


def test_disassociate_without_id(api: t.Any, make: t.Callable[..., int]) -> None:
    a = make("a")
    response = api.post(f"{NODES}{a}/always_nodes/", {"disassociate": True})
    assert response.status_code == 400 and response.get_json() == {"msg": '"id" is required to disassociate'}


def test_body_without_id_creates_linked_child(api: t.Any, wfjt: dict[str, t.Any], make: t.Callable[..., int], org: dict[str, t.Any]) -> None:
    other = api.post("/api/v2/workflow_job_templates/", {"name": "Other", "organization": org["id"]}).get_json()
    a = make("a")
    response = api.post(f"{NODES}{a}/always_nodes/", {"identifier": "child", "workflow_job_template": other["id"]})
    assert response.status_code == 201
    child = response.get_json()
    assert response.headers["Location"] == f"{NODES}{child['id']}/"
    assert child["workflow_job_template"] == wfjt["id"] and child["identifier"] == "child"
    assert api.get(f"{NODES}{a}/").get_json()["always_nodes"] == [child["id"]]
    dup = api.post(f"{NODES}{a}/always_nodes/", {"identifier": "child"})
    assert dup.status_code == 400 and "__all__" in dup.get_json()


def test_edge_list_of_unknown_node(api: t.Any) -> None:
    response = api.get(f"{NODES}999/success_nodes/")
    assert response.status_code == 404
    assert response.get_json() == {"detail": "No WorkflowJobTemplateNode matches the given query."}


def test_credentials_need_a_template(api: t.Any, app: t.Any, make: t.Callable[..., int]) -> None:
    a = make("a")
    missing = api.post(f"{NODES}{a}/credentials/", {})
    assert missing.status_code == 400 and missing.get_json() == {"msg": "Credential 'id' field is missing."}
    credential = app.runtime.store.insert("credentials", {"id": None, "name": "c", "credential_type": 1, "inputs": {}})
    unknown = api.post(f"{NODES}{a}/credentials/", {"id": 98765})
    assert unknown.get_json() == {"detail": "Credential matching query does not exist."}
    response = api.post(f"{NODES}{a}/credentials/", {"id": credential["id"]})
    assert response.status_code == 400
    assert response.get_json() == {"msg": "Cannot assign credential when related template is null."}


def test_credentials_refused_by_workflow_target(api: t.Any, app: t.Any, wfjt: dict[str, t.Any], make: t.Callable[..., int]) -> None:
    credential = app.runtime.store.insert("credentials", {"id": None, "name": "c", "credential_type": 1, "inputs": {}})
    node = api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/workflow_nodes/", {"unified_job_template": wfjt["id"]}).get_json()
    response = api.post(f"{NODES}{node['id']}/credentials/", {"id": credential["id"]})
    assert response.get_json() == {"msg": "Related template cannot accept credentials on launch."}


def test_credentials_on_job_template_target(api: t.Any, app: t.Any, wfjt: dict[str, t.Any]) -> None:
    store = app.runtime.store
    jt = store.insert("job_templates", {"id": None, "name": "JT", "ask_credential_on_launch": False, "credentials": []})
    first = store.insert("credentials", {"id": None, "name": "m1", "credential_type": 1, "inputs": {}})
    second = store.insert("credentials", {"id": None, "name": "m2", "credential_type": 1, "inputs": {}})
    node = api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/workflow_nodes/", {"unified_job_template": jt["id"]}).get_json()
    path = f"{NODES}{node['id']}/credentials/"
    assert api.post(path, {"id": first["id"]}).get_json() == {"msg": "Related template is not configured to accept credentials on launch."}
    store.update("job_templates", jt["id"], {"ask_credential_on_launch": True})
    assert api.post(path, {"id": first["id"]}).status_code == 204
    assert store.get("workflow_job_template_nodes", node["id"])["credentials"] == [first["id"]]
    assert "already provides" in api.post(path, {"id": second["id"]}).get_json()["msg"]
    assert api.post(path, {"id": first["id"], "disassociate": True}).status_code == 204
    assert store.get("workflow_job_template_nodes", node["id"])["credentials"] == []


def test_instance_groups_attach_detach(api: t.Any, app: t.Any, make: t.Callable[..., int]) -> None:
    a = make("a")
    path = f"{NODES}{a}/instance_groups/"
    assert api.post(path, {}).get_json() == {"msg": "Instance Group 'id' field is missing."}
    assert api.post(path, {"id": 777}).get_json() == {"detail": "InstanceGroup matching query does not exist."}
    groups = [g["id"] for g in app.runtime.store.all("instance_groups")]
    for group in reversed(groups):
        assert api.post(path, {"id": group}).status_code == 204
    assert app.runtime.store.get("workflow_job_template_nodes", a)["instance_groups"] == list(reversed(groups))
    assert api.post(path, {"id": groups[0], "disassociate": True}).status_code == 204
    assert app.runtime.store.get("workflow_job_template_nodes", a)["instance_groups"] == list(reversed(groups))[:-1]


def test_labels_attach_and_detach_deletes_unused(api: t.Any, app: t.Any, org: dict[str, t.Any], make: t.Callable[..., int]) -> None:
    a = make("a")
    store = app.runtime.store
    label = store.insert("labels", {"id": None, "name": "prod", "organization": org["id"]})
    path = f"{NODES}{a}/labels/"
    assert api.post(path, {"id": label["id"]}).status_code == 204
    assert store.get("workflow_job_template_nodes", a)["labels"] == [label["id"]]
    assert api.post(path, {"id": label["id"], "disassociate": True}).status_code == 204
    assert store.get("workflow_job_template_nodes", a)["labels"] == []
    assert store.get("labels", label["id"]) is None
