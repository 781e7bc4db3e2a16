"""Who has access to an object: its ``object_roles/`` and ``access_list/`` (both deprecated in AWX)."""

from __future__ import annotations

import typing as t

from ..access import ADMIN, APPROVE, CHANGE, COPY, DELETE, EXECUTE, READ
from ..errors import PermissionDenied
from ..store import Record, Store
from ..web.call import Call, Reply
from ..web.listing import filter_records, order_records, paginate
from ._common import get_object
from ._members import KIND_OF_TYPE
from ..model import MODELS
from ._registry import handle
from ._roles import roles_of

__all__ = ["DEPRECATED", "PARENTS", "allowed", "ancestors", "holds", "object_role_holders", "register_access"]

DEPRECATED = {"Warning": '299 awx "This resource has been deprecated and will be removed in a future release."'}
ORG = "organization"
SELF = "self"
# role field -> the roles that imply it: (SELF, field) on the same object or (ORG, field) on its organization.
PARENTS: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "organization": {
        **{field: ((SELF, "admin_role"),) for field in (
            "execute_role", "project_admin_role", "inventory_admin_role", "credential_admin_role", "workflow_admin_role",
            "notification_admin_role", "job_template_admin_role", "execution_environment_admin_role", "member_role",
            "approval_role")},
        "read_role": tuple((SELF, f) for f in (
            "member_role", "auditor_role", "execute_role", "project_admin_role", "inventory_admin_role",
            "workflow_admin_role", "notification_admin_role", "credential_admin_role", "job_template_admin_role",
            "approval_role", "execution_environment_admin_role")),
    },
    "workflow_job_template": {
        "admin_role": ((ORG, "workflow_admin_role"),),
        "execute_role": ((SELF, "admin_role"), (ORG, "execute_role")),
        "approval_role": ((SELF, "admin_role"), (ORG, "approval_role")),
        "read_role": ((SELF, "execute_role"), (SELF, "approval_role"), (SELF, "admin_role"), (ORG, "auditor_role")),
    },
    "job_template": {
        "admin_role": ((ORG, "job_template_admin_role"),),
        "execute_role": ((SELF, "admin_role"), (ORG, "execute_role")),
        "read_role": ((SELF, "execute_role"), (SELF, "admin_role"), (ORG, "auditor_role")),
    },
    "project": {
        "admin_role": ((ORG, "project_admin_role"),),
        "use_role": ((SELF, "admin_role"),),
        "update_role": ((SELF, "admin_role"),),
        "read_role": ((SELF, "use_role"), (SELF, "update_role"), (SELF, "admin_role"), (ORG, "auditor_role")),
    },
    "inventory": {
        "admin_role": ((ORG, "inventory_admin_role"),),
        "update_role": ((SELF, "admin_role"),),
        "adhoc_role": ((SELF, "admin_role"),),
        "use_role": ((SELF, "adhoc_role"),),
        "read_role": ((SELF, "use_role"), (SELF, "update_role"), (SELF, "adhoc_role"), (SELF, "admin_role"), (ORG, "auditor_role")),
    },
    "credential": {
        "admin_role": ((ORG, "credential_admin_role"),),
        "use_role": ((SELF, "admin_role"),),
        "read_role": ((SELF, "use_role"), (SELF, "admin_role"), (ORG, "auditor_role")),
    },
    "team": {
        "admin_role": ((ORG, "admin_role"),),
        "member_role": ((SELF, "admin_role"),),
        "read_role": ((SELF, "member_role"), (SELF, "admin_role"), (ORG, "auditor_role")),
    },
    "instance_group": {
        "use_role": ((SELF, "admin_role"),),
        "read_role": ((SELF, "use_role"), (SELF, "admin_role")),
    },
}
SYSTEM_ADMINISTRATOR = {"id": None, "name": "System Administrator", "description": "Can manage all aspects of the system"}
SYSTEM_AUDITOR = {"id": None, "name": "System Auditor", "description": "Can view all aspects of the system"}


# -- the role graph --------------------------------------------------------------------------------
def _role(store: Store, object_type: str, object_id: t.Any, field: str) -> Record | None:
    return next((r for r in roles_of(store, object_type, object_id) if r["role_field"] == field), None)


def _parents(store: Store, role: Record) -> list[Record]:
    """Roles directly implying ``role``: same-object and organization roles, and holding teams' member roles."""
    object_type = role["content_type"]
    found: list[Record] = []
    owner = store.get(KIND_OF_TYPE.get(object_type, ""), role["object_id"]) or {}
    for scope, field in PARENTS.get(object_type, {}).get(role["role_field"], ()):
        parent = _role(store, object_type, role["object_id"], field) if scope == SELF else _role(store, ORG, owner.get(ORG), field)
        if parent is not None:
            found.append(parent)
    for team_id in role.get("team_members") or []:
        member = _role(store, "team", team_id, "member_role")
        if member is not None:
            found.append(member)
    return found


def ancestors(store: Store, role: Record) -> dict[int, Record]:
    """Every role implying ``role``, itself included, by id."""
    seen: dict[int, Record] = {}
    pending = [role]
    while pending:
        current = pending.pop()
        if current["id"] in seen:
            continue
        seen[current["id"]] = current
        pending.extend(_parents(store, current))
    return seen


def holds(store: Store, user: Record | None, object_type: str, object_id: t.Any, role_field: str) -> bool:
    """Whether ``user`` has the role, directly, through a team or an implying role, or as a superuser."""
    if user is None:
        return False
    if user.get("is_superuser"):
        return True
    role = _role(store, object_type, object_id, role_field)
    if role is None:
        return False
    return any(user["id"] in (r.get("members") or []) for r in ancestors(store, role).values())


ROLE_FOR_ACTION = {READ: "read_role", CHANGE: "admin_role", DELETE: "admin_role", ADMIN: "admin_role",
                   COPY: "admin_role", EXECUTE: "execute_role", APPROVE: "approval_role"}
TYPE_OF_KIND = {kind: object_type for object_type, kind in KIND_OF_TYPE.items()}


def allowed(call: Call, action: str, kind: str, record: Record | None) -> bool:
    """``call.access.can``, or else the role the action needs on the object (held by the caller)."""
    if call.access.can(call.user, action, kind, record):
        return True
    object_type, field = TYPE_OF_KIND.get(kind), ROLE_FOR_ACTION.get(action)
    if record is None or call.user is None or object_type is None or field is None:
        return False
    if action == READ and call.user.get("is_system_auditor"):
        return True
    return holds(call.store, call.user, object_type, record["id"], field)


class Graph:
    """The roles of one object and, for each, the roles that imply it."""

    def __init__(self, store: Store, object_type: str, object_id: int) -> None:
        self.store = store
        self.object_type = object_type
        self.roles = roles_of(store, object_type, object_id)
        self.implied_by = {r["id"]: ancestors(store, r) for r in self.roles}
        self.all_ids = {pk for found in self.implied_by.values() for pk in found}
        self.direct_ids = {r["id"] for r in self.roles}

    def descendants(self, held: Record) -> list[str]:
        """This object's role fields that ``held`` implies (Approve listed first, as AWX answered)."""
        fields = [r["role_field"] for r in self.roles if held["id"] in self.implied_by[r["id"]]]
        return sorted(fields, key=lambda f: f != "approval_role")

    def fields(self) -> list[str]:
        return [r["role_field"] for r in self.roles]


def object_role_holders(store: Store, object_type: str, object_id: int) -> set[int]:
    """Ids of users who hold any role on the object, directly, through teams, or as superusers and auditors."""
    graph = Graph(store, object_type, object_id)
    holders: set[int] = set()
    for role in store.all("roles"):
        if role["id"] in graph.all_ids:
            holders.update(role.get("members") or [])
    for user in store.all("users"):
        if user.get("is_superuser") or (user.get("is_system_auditor") and "read_role" in graph.fields()):
            holders.add(user["id"])
    return holders


# -- access_list entries ---------------------------------------------------------------------------
def _role_dict(call: Call, role: Record, extra: dict[str, t.Any] | None = None) -> dict[str, t.Any]:
    kind = KIND_OF_TYPE.get(role["content_type"], "")
    owner = call.store.get(kind, role["object_id"]) or {}
    entry: dict[str, t.Any] = {"id": role["id"], "name": role["name"], "description": role["description"], **(extra or {})}
    entry.update({
        "resource_name": owner.get("name"),
        "resource_type": role["content_type"],
        "related": {role["content_type"]: f"/api/v2/{kind}/{role['object_id']}/"},
        "user_capabilities": {"unattach": allowed(call, ADMIN, kind, owner or None)},
    })
    return entry


def _team_entries(call: Call, graph: Graph, team_role: Record, permissive: set[int]) -> list[dict[str, t.Any]]:
    team = call.store.get("teams", team_role["object_id"]) or {}
    organization = call.store.get("organizations", team.get(ORG)) or {}
    extra = {"team_id": team.get("id"), "team_name": team.get("name"), "team_organization_name": organization.get("name")}
    granted = [r for r in call.store.all("roles") if team_role["object_id"] in (r.get("team_members") or []) and r["id"] in permissive]
    return [{"role": _role_dict(call, r, extra), "descendant_roles": graph.descendants(team_role)} for r in sorted(granted, key=lambda r: r["id"])]


def access_summary(call: Call, graph: Graph, user: Record) -> dict[str, list[dict[str, t.Any]]]:
    """``direct_access`` and ``indirect_access`` of one user on the graph's object."""
    store = call.store
    held = sorted((r for r in store.all("roles") if user["id"] in (r.get("members") or [])), key=lambda r: r["id"])
    team_roles = [r for r in held if r["content_type"] == "team" and r["role_field"] == "member_role" and r["id"] in graph.all_ids]
    direct_teams = [r for r in team_roles if any(r["object_id"] in (o.get("team_members") or []) for o in graph.roles)]
    direct = [{"role": _role_dict(call, r), "descendant_roles": graph.descendants(r)} for r in held if r["id"] in graph.direct_ids]
    for team_role in team_roles:
        permissive = graph.direct_ids if team_role in direct_teams else graph.all_ids
        direct.extend(_team_entries(call, graph, team_role, permissive))
    skipped = graph.direct_ids | {r["id"] for r in team_roles}
    indirect = [{"role": _role_dict(call, r), "descendant_roles": graph.descendants(r)} for r in held if r["id"] in graph.all_ids and r["id"] not in skipped]
    if user.get("is_superuser"):
        indirect = [{"role": {**SYSTEM_ADMINISTRATOR, "user_capabilities": {"unattach": False}}, "descendant_roles": graph.fields()}]
    elif user.get("is_system_auditor") and "read_role" in graph.fields():
        indirect.append({"role": {**SYSTEM_AUDITOR, "user_capabilities": {"unattach": False}}, "descendant_roles": ["read_role"]})
    return {"direct_access": direct, "indirect_access": indirect}


def _access_item(call: Call, graph: Graph, user: Record) -> dict[str, t.Any]:
    body = MODELS["users"].serializer(call, user, False)
    body.pop("auth", None)
    summary = {k: v for k, v in body["summary_fields"].items() if k != "user_capabilities"}
    body["summary_fields"] = {**summary, **access_summary(call, graph, user)}
    return body


# -- the endpoints ---------------------------------------------------------------------------------
def register_access(kind: str, object_type: str, operation_prefix: str) -> None:
    """Register ``<prefix>_object_roles_list`` and ``<prefix>_access_list_list`` for a role-bearing kind."""

    def parent(call: Call) -> Record:
        record = get_object(call, kind)
        if not allowed(call, READ, kind, record):
            raise PermissionDenied()
        return record

    def object_roles(call: Call) -> Reply:
        from .roles import role_page

        record = parent(call)
        return Reply(200, role_page(call, roles_of(call.store, object_type, record["id"])), dict(DEPRECATED))

    def access_list(call: Call) -> Reply:
        record = parent(call)
        store = call.store
        graph = Graph(store, object_type, record["id"])
        holders = object_role_holders(store, object_type, record["id"])
        model = MODELS["users"]
        users = [u for u in store.all("users") if u["id"] in holders]
        selected = order_records(store, model, filter_records(store, model, users, call.query), call.query)
        page = paginate(call.full_path, call.query, selected)
        page["results"] = [_access_item(call, graph, u) for u in page["results"]]
        return Reply(200, page, dict(DEPRECATED))

    handle(f"{operation_prefix}_object_roles_list", object_roles)
    handle(f"{operation_prefix}_access_list_list", access_list)


for _kind, _object_type in (
    ("workflow_job_templates", "workflow_job_template"), ("job_templates", "job_template"), ("organizations", "organization"),
    ("teams", "team"), ("projects", "project"), ("inventories", "inventory"), ("credentials", "credential"),
    ("instance_groups", "instance_group"),
):
    register_access(_kind, _object_type, f"api_{_kind}")
