"""A template node's sub-lists: success/failure/always edges, credentials, labels, instance groups."""

from __future__ import annotations

import typing as t

from ..engine.graph import EdgeKind, Node, WorkflowGraph, edge_problem
from ..errors import BadRequest, PermissionDenied
from ..store import Record
from ..web.call import Call, Reply
from ._common import created, list_reply
from ._members import association
from ._registry import handle
from ._unified import find_unified_template
from .activity_stream import record_association
from .workflow_nodes import EDGES, KIND, create_node, node_of_call, require_wfjt_admin
from .workflow_prompts import ask_flag

__all__ = ["graph_of"]

MAX_LABELS = 100
MODEL_NAMES = {KIND: "WorkflowJobTemplateNode", "credentials": "Credential", "labels": "Label", "instance_groups": "InstanceGroup"}


def _existing(call: Call, kind: str, pk: int) -> Record:
    record = call.store.get(kind, pk)
    if record is None:
        raise BadRequest({"detail": f"{MODEL_NAMES[kind]} matching query does not exist."})
    return record


def graph_of(call: Call, wfjt_id: int) -> WorkflowGraph:
    """The template's nodes and edges as an engine graph."""
    nodes = call.store.find(KIND, "workflow_job_template", wfjt_id)
    edges = [
        (n["id"], EdgeKind(edge.removesuffix("_nodes")), child)
        for n in nodes for edge in EDGES for child in n.get(edge, [])
    ]
    return WorkflowGraph((Node(n["id"], n.get("unified_job_template") is not None, n.get("all_parents_must_converge", False)) for n in nodes), edges)


def _set_edges(call: Call, node: Record, edge: str, children: list[int]) -> None:
    call.store.update(KIND, node["id"], {edge: children})


def _record_edge(call: Call, operation: str, parent: Record, edge: str, child_id: int) -> None:
    """The activity entry of an edge linked or unlinked; it involves both nodes."""
    record_association(call, operation, KIND, parent["id"], KIND, child_id,
                       f"awx.main.models.workflow.WorkflowJobTemplateNode_{edge}", association=edge)


def _edge_view(edge: str) -> tuple[t.Callable[[Call], t.Any], t.Callable[[Call], Reply]]:
    def listing(call: Call) -> dict[str, t.Any]:
        parent = node_of_call(call)
        return list_reply(call, KIND, [n for n in (call.store.get(KIND, c) for c in parent.get(edge, [])) if n])

    def post(call: Call) -> Reply:
        parent = node_of_call(call)
        child_id, detach = association(call, strict=True)
        if child_id is None:
            child = create_node(call, parent["workflow_job_template"])
            _set_edges(call, parent, edge, [*parent.get(edge, []), child["id"]])
            _record_edge(call, "associate", parent, edge, child["id"])
            return created(call, KIND, child)
        child = _existing(call, KIND, child_id)
        require_wfjt_admin(call, parent["workflow_job_template"])
        if child["workflow_job_template"] != parent["workflow_job_template"]:
            raise PermissionDenied()  # AWX refuses cross-template links even to superusers
        current = list(parent.get(edge, []))
        if detach:
            if child_id in current:
                _set_edges(call, parent, edge, [c for c in current if c != child_id])
            _record_edge(call, "disassociate", parent, edge, child_id)  # AWX records unlinking an unlinked node too
            return Reply(204, None)
        problem = edge_problem(graph_of(call, parent["workflow_job_template"]), parent["id"], edge.removesuffix("_nodes"), child_id)
        if problem is not None:
            raise BadRequest({"Error": problem})
        if child_id not in current:
            _set_edges(call, parent, edge, [*current, child_id])
            _record_edge(call, "associate", parent, edge, child_id)
        return Reply(204, None)

    return listing, post


for _edge in EDGES:
    _list, _post = _edge_view(_edge)
    handle(f"api_{KIND}_{_edge}_list", _list)
    handle(f"api_{KIND}_{_edge}_create", _post)


# -- credentials -------------------------------------------------------------------------------
def _credential_problem(call: Call, node: Record, credential: Record) -> str | None:
    """AWX's refusals for a credential saved on a node, in its order."""
    target = find_unified_template(call.store, node.get("unified_job_template"))
    if target is None:
        return "Cannot assign credential when related template is null."
    kind, template = target
    flag = ask_flag(kind, "credentials")
    if flag is None:
        return "Related template cannot accept credentials on launch."
    if credential.get("_passwords_needed") or _asks_on_launch(credential):
        return "Credential that requires user input on launch cannot be used in saved launch configuration."
    if not template.get(flag):
        return "Related template is not configured to accept credentials on launch."
    kind_key = _unique_hash(credential)
    for other_id in node.get("credentials", []):
        other = call.store.get("credentials", other_id)
        if other is not None and other["id"] != credential["id"] and _unique_hash(other) == kind_key:
            return f"This launch configuration already provides a {_type_name(call, credential)} credential."
    if credential["id"] in template.get("credentials", []):
        return f"Related template already uses {credential.get('name')} credential."
    return None


def _asks_on_launch(credential: Record) -> bool:
    inputs = credential.get("inputs") or {}
    return any(value == "ASK" for value in inputs.values())


def _unique_hash(credential: Record) -> tuple[t.Any, ...]:
    # one credential per type (vault credentials may repeat with different vault ids)
    return credential.get("credential_type"), (credential.get("inputs") or {}).get("vault_id")


def _type_name(call: Call, credential: Record) -> str:
    credential_type = call.store.get("credential_types", credential.get("credential_type")) or {}
    name = str(credential_type.get("name", ""))
    vault_id = (credential.get("inputs") or {}).get("vault_id")
    return f"{name} (id={vault_id})" if vault_id else name


def _attach_or_detach(call: Call, field: str, kind: str, missing: str, check: t.Callable[[Record, Record], str | None] | None = None) -> Reply:
    """POST ``{"id": N}`` attaches an existing object to the node, with ``disassociate`` detaches it (204)."""
    node = node_of_call(call)
    data = call.raw_body
    if isinstance(data, dict) and not data.get("id"):
        raise BadRequest({"msg": missing})
    pk, detach = association(call, strict=True)
    target = _existing(call, kind, t.cast(int, pk))
    require_wfjt_admin(call, node["workflow_job_template"])
    current = list(node.get(field, []))
    if detach:
        call.store.update(KIND, node["id"], {field: [i for i in current if i != target["id"]]})
        return Reply(204, None)
    problem = check(node, target) if check is not None else None
    if problem is not None:
        raise BadRequest({"msg": problem})
    if target["id"] not in current:
        call.store.update(KIND, node["id"], {field: [*current, target["id"]]})
    return Reply(204, None)


def _credentials_post(call: Call) -> Reply:
    return _attach_or_detach(call, "credentials", "credentials", "Credential 'id' field is missing.",
                             lambda node, credential: _credential_problem(call, node, credential))


# -- labels and instance groups ------------------------------------------------------------------
def _labels_post(call: Call) -> Reply:
    node = node_of_call(call)
    label_id, detach = association(call, strict=True)
    require_wfjt_admin(call, node["workflow_job_template"])
    current = list(node.get("labels", []))
    if detach:
        label = _existing(call, "labels", t.cast(int, label_id))
        call.store.update(KIND, node["id"], {"labels": [i for i in current if i != label["id"]]})
        _drop_unused_label(call, label["id"])
        return Reply(204, None)
    if len(current) >= MAX_LABELS:
        raise BadRequest({"msg": "Maximum number of labels for workflow job template node reached."})
    if label_id is None:
        label, is_new = _label_by_name(call)
    else:
        label, is_new = _existing(call, "labels", label_id), False
    if label["id"] not in current:
        call.store.update(KIND, node["id"], {"labels": [*current, label["id"]]})
    return created(call, "labels", label) if is_new else Reply(204, None)


def _label_by_name(call: Call) -> tuple[Record, bool]:
    """An existing label of that name in that organization, else a new one (AWX's label sub-list create)."""
    cleaned = call.validated("LabelWrite", partial=False)
    from ._common import check_foreign_keys, stamp

    check_foreign_keys(call, "LabelWrite", cleaned)
    for label in call.store.all("labels"):
        if label.get("name") == cleaned["name"] and label.get("organization") == cleaned.get("organization"):
            return label, False
    return call.store.insert("labels", stamp(call, {"id": None, **cleaned}, creating=True)), True


def _drop_unused_label(call: Call, label_id: int) -> None:
    """AWX deletes a label once nothing uses it any more."""
    for kind in ("job_templates", "workflow_job_templates", "jobs", "workflow_jobs", "schedules", KIND, "workflow_job_nodes", "inventories"):
        if any(label_id in (r.get("labels") or []) for r in call.store.all(kind)):
            return
    call.store.delete("labels", label_id)


def _instance_groups_post(call: Call) -> Reply:
    return _attach_or_detach(call, "instance_groups", "instance_groups", "Instance Group 'id' field is missing.")


def _related_list(relation: str, kind: str) -> t.Callable[[Call], dict[str, t.Any]]:
    def listing(call: Call) -> dict[str, t.Any]:
        node = node_of_call(call)
        ids = list(node.get(relation, []))
        records = [r for r in (call.store.get(kind, i) for i in ids) if r]
        # instance groups keep their attach order (AWX orders them by position)
        return list_reply(call, kind, records, order=relation != "instance_groups" or "order_by" in call.query)

    return listing


for _relation, _kind, _post_view in (
    ("credentials", "credentials", _credentials_post),
    ("labels", "labels", _labels_post),
    ("instance_groups", "instance_groups", _instance_groups_post),
):
    handle(f"api_{KIND}_{_relation}_list", _related_list(_relation, _kind))
    handle(f"api_{KIND}_{_relation}_create", _post_view)
