"""Workflow job template nodes: CRUD, and prompts checked against the node's template."""

from __future__ import annotations

import typing as t

from ..access import CHANGE, READ
from ..errors import BadRequest, NotFound, PermissionDenied
from ..spec import validate_body
from ..store import Record
from ..web.call import Call, Reply
from ._common import base, check_foreign_keys, created, get_object, list_reply, named_url, summary_of
from ..model import Model, register
from ._registry import handles
from ._unified import JOB_TYPE_OF_TEMPLATE, find_unified_template
from .activity_stream import changed_fields, record_activity
from .inventories import inventory_summary
from .workflow_prompts import KEPT_WITHOUT_TEMPLATE, PROMPT_FIELDS, check_prompts, shown_extra_data

__all__ = ["KIND", "MODEL", "EDGES", "serialize", "create_node", "node_of_call", "require_wfjt_admin"]

KIND = "workflow_job_template_nodes"
SCHEMA = "WorkflowJobTemplateNodeWrite"
EDGES = ("success_nodes", "failure_nodes", "always_nodes")
SUBLISTS = ("labels", "credentials", "instance_groups", "create_approval_template", *EDGES)
DUPLICATE_IDENTIFIER = "Workflow job template node with this Identifier and Workflow job template already exists."
EE_SUMMARY = ("id", "name", "description", "image")


def _related(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    links: dict[str, t.Any] = {}
    if detail:
        links["named_url"] = named_url(call, KIND, record)
    links.update({name: f"/api/v2/{KIND}/{pk}/{name}/" for name in SUBLISTS})
    target = find_unified_template(call.store, record.get("unified_job_template"))
    if target is not None:
        links["unified_job_template"] = f"/api/v2/{target[0]}/{target[1]['id']}/"
    links["workflow_job_template"] = f"/api/v2/workflow_job_templates/{record['workflow_job_template']}/"
    for field, kind in (("inventory", "inventories"), ("execution_environment", "execution_environments")):
        if record.get(field) is not None:
            links[field] = f"/api/v2/{kind}/{record[field]}/"
    return links


def template_summary(call: Call, pk: int | None) -> dict[str, t.Any] | None:
    """``{id, name, description, unified_job_type}`` of a node's template (plus ``timeout`` for approvals)."""
    target = find_unified_template(call.store, pk)
    if target is None:
        return None
    kind, template = target
    summary = {
        "id": template["id"], "name": template.get("name"), "description": template.get("description") or "",
        "unified_job_type": JOB_TYPE_OF_TEMPLATE[kind],
    }
    if kind == "workflow_approval_templates":
        summary["timeout"] = template.get("timeout", 0)
    return summary


def _summary(call: Call, record: Record) -> dict[str, t.Any]:
    store = call.store
    return {
        "inventory": inventory_summary(call, record.get("inventory")),
        "execution_environment": summary_of(store, "execution_environments", record.get("execution_environment"), EE_SUMMARY),
        "workflow_job_template": summary_of(store, "workflow_job_templates", record["workflow_job_template"]),
        "unified_job_template": template_summary(call, record.get("unified_job_template")),
    }


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    """AWX's node body; nodes have no created_by/modified_by and no user_capabilities."""
    body = base(call, MODEL, record, _related(call, record, detail), _summary(call, record))
    body.update({field: record.get(field) for field in PROMPT_FIELDS})
    body["extra_data"] = shown_extra_data(call.store, record)
    body.update({
        "workflow_job_template": record["workflow_job_template"],
        "unified_job_template": record.get("unified_job_template"),
        **{edge: sorted(record.get(edge, [])) for edge in EDGES},
        "all_parents_must_converge": record.get("all_parents_must_converge", False),
        "identifier": record["identifier"],
    })
    return body


MODEL = register(Model(
    kind=KIND,
    type="workflow_job_template_node",
    name="WorkflowJobTemplateNode",
    serializer=serialize,
    fields=(*PROMPT_FIELDS, "all_parents_must_converge", "identifier"),
    fks={
        "workflow_job_template": "workflow_job_templates", "unified_job_template": "unified_job_templates",
        "inventory": "inventories", "execution_environment": "execution_environments",
    },
    m2m={
        "success_nodes": KIND, "failure_nodes": KIND, "always_nodes": KIND,
        "credentials": "credentials", "labels": "labels", "instance_groups": "instance_groups",
    },
    search_fields=("unified_job_template__name", "unified_job_template__description"),
))


# -- access -----------------------------------------------------------------------------------
def require_wfjt_admin(call: Call, wfjt_id: int) -> Record:
    """The node's template, when the caller may change it; 403 otherwise (AWX checks admin_role)."""
    wfjt = call.store.get("workflow_job_templates", wfjt_id)
    if wfjt is None or not call.access.can(call.user, CHANGE, "workflow_job_templates", wfjt):
        raise PermissionDenied()
    return wfjt


def node_of_call(call: Call) -> Record:
    """The node the path names, when the caller may see its template."""
    node = get_object(call, KIND)
    wfjt = call.store.get("workflow_job_templates", node["workflow_job_template"])
    if not call.access.can(call.user, READ, "workflow_job_templates", wfjt):
        raise NotFound.model(MODEL.name)
    return node


def visible(call: Call, nodes: t.Iterable[Record]) -> list[Record]:
    """The nodes whose templates the caller may read."""
    store = call.store
    return [
        n for n in nodes
        if call.access.can(call.user, READ, "workflow_job_templates", store.get("workflow_job_templates", n["workflow_job_template"]))
    ]


# -- writing ----------------------------------------------------------------------------------
def _update_schema(call: Call) -> dict[str, t.Any]:
    """The write schema without ``workflow_job_template``: it is read-only once the node exists."""
    schema = call.runtime.spec.schema(SCHEMA)
    properties = {k: v for k, v in schema["properties"].items() if k != "workflow_job_template"}
    return {**schema, "properties": properties, "required": []}


def _clean(call: Call, body: dict[str, t.Any], existing: Record | None) -> dict[str, t.Any]:
    schema = call.runtime.spec.schema(SCHEMA) if existing is None else _update_schema(call)
    cleaned, errors = validate_body(schema, body, partial=existing is not None)
    if errors:
        raise BadRequest(errors)
    check_foreign_keys(call, SCHEMA, cleaned)
    return cleaned


def _check_identifier(call: Call, wfjt_id: int, identifier: str, own_id: int | None) -> None:
    for other in call.store.find(KIND, "workflow_job_template", wfjt_id):
        if other["id"] != own_id and other.get("identifier") == identifier:
            raise BadRequest({"__all__": [DUPLICATE_IDENTIFIER]})


def _values(call: Call, cleaned: dict[str, t.Any], existing: Record | None) -> dict[str, t.Any]:
    """The fields to store; prompts are dropped without a template and checked against it otherwise."""
    template_id = cleaned.get("unified_job_template", (existing or {}).get("unified_job_template"))
    if template_id is None:
        # AWX keeps only these when the node has no template, even unified_job_template itself
        return {k: v for k, v in cleaned.items() if k in KEPT_WITHOUT_TEMPLATE}
    merged = {**(existing or {}), **cleaned}
    kind, template = find_unified_template(call.store, template_id) or (None, None)
    if kind is not None:
        cleaned["extra_data"] = check_prompts(call, kind, template, merged, existing)
    return cleaned


def create_node(call: Call, wfjt_id: int | None) -> Record:
    """Validate and store a new node; ``wfjt_id`` is forced by the nested views."""
    body = dict(call.body)
    if wfjt_id is not None:
        body["workflow_job_template"] = wfjt_id
    cleaned = _clean(call, body, None)
    require_wfjt_admin(call, cleaned["workflow_job_template"])
    identifier = cleaned.get("identifier") or call.runtime.new_uuid()
    _check_identifier(call, cleaned["workflow_job_template"], identifier, None)
    values = _values(call, cleaned, None)
    now = call.clock.now()
    record: Record = {
        "id": None, "created": now, "modified": now, **{f: None for f in PROMPT_FIELDS}, "extra_data": {},
        "unified_job_template": None, "all_parents_must_converge": False, **values,
        "identifier": identifier, **{edge: [] for edge in EDGES},
        "credentials": [], "labels": [], "instance_groups": [],
    }
    record = call.store.insert(KIND, record)
    record_activity(call, "create", KIND, record)
    return record


def update_node(call: Call, node: Record) -> Record:
    """PUT and PATCH: omitted fields keep their values; ``workflow_job_template`` is ignored."""
    require_wfjt_admin(call, node["workflow_job_template"])
    cleaned = _clean(call, call.body, node)
    if "identifier" in cleaned:
        _check_identifier(call, node["workflow_job_template"], cleaned["identifier"], node["id"])
    values = _values(call, cleaned, node)
    old_template = node.get("unified_job_template")
    changes = changed_fields(node, values, KIND, call.store)
    record = call.store.update(KIND, node["id"], {**values, "modified": call.clock.now()})
    if changes:
        record_activity(call, "update", KIND, record, changes)
    if record.get("unified_job_template") != old_template:
        # an approval template belongs to its node alone and goes when the node moves on
        if call.store.get("workflow_approval_templates", old_template) is not None:
            call.store.delete("workflow_approval_templates", old_template)
    return record


# -- views ------------------------------------------------------------------------------------
@handles("api_workflow_job_template_nodes_list")
def node_list(call: Call) -> dict[str, t.Any]:
    return list_reply(call, KIND, visible(call, call.store.all(KIND)))


@handles("api_workflow_job_template_nodes_create")
def node_create(call: Call) -> Reply:
    return created(call, KIND, create_node(call, None))


@handles("api_workflow_job_templates_workflow_nodes_list")
def wfjt_node_list(call: Call) -> dict[str, t.Any]:
    wfjt = get_object(call, "workflow_job_templates")
    if not call.access.can(call.user, READ, "workflow_job_templates", wfjt):
        raise PermissionDenied()
    return list_reply(call, KIND, call.store.find(KIND, "workflow_job_template", wfjt["id"]))


@handles("api_workflow_job_templates_workflow_nodes_create")
def wfjt_node_create(call: Call) -> Reply:
    wfjt = get_object(call, "workflow_job_templates")
    return created(call, KIND, create_node(call, wfjt["id"]))


@handles("api_workflow_job_template_nodes_read")
def node_read(call: Call) -> dict[str, t.Any]:
    return serialize(call, node_of_call(call), True)


@handles("api_workflow_job_template_nodes_update", "api_workflow_job_template_nodes_partial_update")
def node_update(call: Call) -> dict[str, t.Any]:
    return serialize(call, update_node(call, node_of_call(call)), True)


@handles("api_workflow_job_template_nodes_delete")
def node_delete(call: Call) -> Reply:
    from ._cascade import delete_template_node

    node = node_of_call(call)
    require_wfjt_admin(call, node["workflow_job_template"])
    record_activity(call, "delete", KIND, node)
    delete_template_node(call, node)
    return Reply(204, None)
