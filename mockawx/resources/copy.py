"""Copying a workflow job template: its fields, labels, survey and whole graph (``/copy/``)."""

from __future__ import annotations

import typing as t

from ..access import READ
from ..errors import BadRequest, PermissionDenied, field_error
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import created, get_object, stamp
from ._roles import create_roles
from ._registry import handles
from ._unified import find_unified_template
from .access import allowed, holds
from .survey import copy_survey
from .workflow_job_templates import FIELDS

__all__ = ["can_copy", "copy_workflow_job_template"]

KIND = "workflow_job_templates"
NODES = "workflow_job_template_nodes"
APPROVALS = "workflow_approval_templates"
EDGES = ("success_nodes", "failure_nodes", "always_nodes")
NODE_FIELDS = (
    "extra_data", "inventory", "scm_branch", "job_type", "job_tags", "skip_tags", "limit", "diff_mode", "verbosity",
    "execution_environment", "forks", "job_slice_count", "timeout", "all_parents_must_converge", "identifier",
)
# What starting each kind of node template needs (AWX checks ``start`` on it when copying).
START_ROLE = {"job_templates": ("job_template", "execute_role"), KIND: ("workflow_job_template", "execute_role"),
              "projects": ("project", "update_role")}
EMPTY_LISTS = ("notification_templates_started", "notification_templates_success", "notification_templates_error",
               "notification_templates_approvals")


def can_copy(store: Store, user: Record | None, template: Record) -> bool:
    """Superusers, or holders of the workflow admin role of the template's organization."""
    if user is not None and user.get("is_superuser"):
        return True
    organization = template.get("organization")
    return organization is not None and holds(store, user, "organization", organization, "workflow_admin_role")


def _can_start(store: Store, user: Record | None, template_id: t.Any) -> bool:
    found = find_unified_template(store, template_id)
    if found is None:
        return True
    kind, template = found
    if kind == APPROVALS:
        return True
    if kind == "inventory_sources":
        return holds(store, user, "inventory", template.get("inventory"), "update_role")
    role = START_ROLE.get(kind)
    if role is None:
        return bool(user and user.get("is_superuser"))
    return holds(store, user, role[0], template_id, role[1])


def _unusable(store: Store, user: Record | None, template: Record) -> dict[str, list[str]]:
    """Names of what the copier may not carry over from the template's nodes."""
    templates: set[str] = set()
    inventories: set[str] = set()
    credentials: set[str] = set()
    for node in store.find(NODES, "workflow_job_template", template["id"]):
        found = find_unified_template(store, node.get("unified_job_template"))
        if found is not None and not _can_start(store, user, found[1]["id"]):
            templates.add(str(found[1].get("name")))
        if node.get("inventory") is not None and not holds(store, user, "inventory", node["inventory"], "use_role"):
            inventories.add(str((store.get("inventories", node["inventory"]) or {}).get("name")))
        for pk in node.get("credentials") or []:
            if not holds(store, user, "credential", pk, "use_role"):
                credentials.add(str((store.get("credentials", pk) or {}).get("name")))
    return {"templates_unable_to_copy": sorted(templates), "credentials_unable_to_copy": sorted(credentials),
            "inventories_unable_to_copy": sorted(inventories)}


def _readable(call: Call) -> Record:
    template = get_object(call, KIND)
    if not allowed(call, READ, KIND, template):
        raise PermissionDenied()
    return template


@handles("api_workflow_job_templates_copy_list")
def copy_info(call: Call) -> dict[str, t.Any]:
    """Whether the caller may copy the template, and what would be left behind."""
    template = _readable(call)
    allowed = can_copy(call.store, call.user, template)
    if not allowed:
        return {"can_copy": False, "can_copy_without_user_input": False, "templates_unable_to_copy": ["all"],
                "credentials_unable_to_copy": ["all"], "inventories_unable_to_copy": ["all"]}
    problems = _unusable(call.store, call.user, template)
    return {"can_copy": True, "can_copy_without_user_input": not any(problems.values()), **problems}


def _new_name(call: Call, template: Record) -> str:
    body = call.body
    if "name" not in body:
        raise field_error("name", "This field is required.")
    name = body["name"]
    if name is None:
        raise field_error("name", "This field may not be null.")
    if isinstance(name, (dict, list)):
        raise field_error("name", "Not a valid string.")
    name = str(name)
    if not name.strip():
        raise field_error("name", "This field may not be blank.")
    if len(name) > 512:
        raise field_error("name", "Ensure this field has no more than 512 characters.")
    if name == template["name"]:
        raise BadRequest({"__all__": [f"The original object is already named {name}, a copy from it cannot have the same name."]})
    if any(r["name"] == name and r.get("organization") == template.get("organization") for r in call.store.all(KIND)):
        raise BadRequest({"__all__": ["WorkflowJobTemplate with this (name, organization) combination already exists."]})
    return name


@handles("api_workflow_job_templates_copy_create")
def copy_create(call: Call) -> Reply:
    """201 with the new template; nodes, edges and approval templates come along."""
    template = _readable(call)
    if not can_copy(call.store, call.user, template):
        raise PermissionDenied()
    name = _new_name(call, template)
    return created(call, KIND, copy_workflow_job_template(call, template, name))


def copy_workflow_job_template(call: Call, source: Record, name: str) -> Record:
    """Store a copy of ``source`` named ``name``; the copier becomes its admin."""
    store = call.store
    service = source.get("webhook_service") or ""
    record: Record = {
        "id": None, "name": name, "description": source.get("description") or "",
        **{field: source.get(field) for field in FIELDS},
        "webhook_service": service, "webhook_key": call.runtime.new_key(50) if service else "",
        "labels": list(source.get("labels") or []), **copy_survey(source),
        **{field: [] for field in EMPTY_LISTS},
    }
    store.insert(KIND, stamp(call, record, creating=True))
    create_roles(store, "workflow_job_template", record["id"])
    if call.user is not None:
        admin = next((r for r in store.find("roles", "object_id", record["id"])
                      if r["content_type"] == "workflow_job_template" and r["role_field"] == "admin_role"), None)
        if admin is not None:
            store.update("roles", admin["id"], {"members": [call.user["id"]]})
    _copy_nodes(call, source["id"], record["id"])
    return record


def _copy_nodes(call: Call, source_id: int, target_id: int) -> None:
    store = call.store
    user = call.user
    nodes = sorted(store.find(NODES, "workflow_job_template", source_id), key=lambda n: n["id"])
    new_ids: dict[int, int] = {}
    for node in nodes:
        now = call.clock.now()
        copy: Record = {
            "id": None, "created": now, "modified": now, "workflow_job_template": target_id,
            **{field: node.get(field) for field in NODE_FIELDS},
            "extra_data": dict(node.get("extra_data") or {}),
            "unified_job_template": _node_template(call, node.get("unified_job_template")),
            "credentials": [c for c in node.get("credentials") or [] if holds(store, user, "credential", c, "use_role")],
            "labels": list(node.get("labels") or []), "instance_groups": list(node.get("instance_groups") or []),
            **{edge: [] for edge in EDGES},
        }
        if copy["inventory"] is not None and not holds(store, user, "inventory", copy["inventory"], "use_role"):
            copy["inventory"] = None
        store.insert(NODES, copy)
        new_ids[node["id"]] = copy["id"]
    for node in nodes:
        edges = {edge: [new_ids[c] for c in node.get(edge) or [] if c in new_ids] for edge in EDGES}
        store.update(NODES, new_ids[node["id"]], {**edges, "modified": call.clock.now()})


def _node_template(call: Call, template_id: t.Any) -> int | None:
    """The copy's node template: approval templates are duplicated, unusable templates dropped."""
    found = find_unified_template(call.store, template_id)
    if found is None:
        return None
    kind, template = found
    if kind == APPROVALS:
        duplicate = {k: v for k, v in template.items() if k not in ("id", "created", "created_by", "modified", "modified_by")}
        duplicate["name"] = f"{template.get('name')} copy"
        return call.store.insert(APPROVALS, stamp(call, {"id": None, **duplicate}, creating=True))["id"]
    return template["id"] if _can_start(call.store, call.user, template["id"]) else None
