"""Role membership: who holds a role, and the sub-lists that grant it (org users, admins...)."""

from __future__ import annotations

import typing as t

from ..errors import BadRequest
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import get_object, list_reply
from ._registry import handle
from ._roles import roles_of

__all__ = ["role_members", "register_membership", "grant", "revoke", "association"]

KIND_OF_TYPE = {
    "organization": "organizations",
    "team": "teams",
    "project": "projects",
    "inventory": "inventories",
    "credential": "credentials",
    "job_template": "job_templates",
    "workflow_job_template": "workflow_job_templates",
    "instance_group": "instance_groups",
}


def role_of(store: Store, object_type: str, object_id: int, role_field: str) -> Record | None:
    for role in roles_of(store, object_type, object_id):
        if role["role_field"] == role_field:
            return role
    return None


def role_members(store: Store, object_type: str, object_id: int, role_field: str) -> list[int]:
    role = role_of(store, object_type, object_id, role_field)
    return list(role["members"]) if role else []


def grant(store: Store, role: Record, user_id: int) -> None:
    if user_id not in role["members"]:
        store.update("roles", role["id"], {"members": [*role["members"], user_id]})


def revoke(store: Store, role: Record, user_id: int) -> None:
    if user_id in role["members"]:
        store.update("roles", role["id"], {"members": [m for m in role["members"] if m != user_id]})


def association(call: Call, *, strict: bool = False) -> tuple[int | None, bool]:
    """The ``{"id": N[, "disassociate": ...]}`` body of an attach/detach sub-list.

    ``strict`` is how the workflow node sub-lists read it: a body that is not an object is AWX's
    ``invalid type for post data``, a falsy id counts as none, and only a JSON integer is an id
    (elsewhere a string of digits is one too).
    """
    body = call.raw_body if strict else call.body
    if not isinstance(body, dict):
        raise BadRequest("invalid type for post data")
    disassociate = "disassociate" in body
    raw = body.get("id")
    if (not raw) if strict else raw is None:
        if disassociate:
            raise BadRequest({"msg": '"id" is required to disassociate'})
        return None, False
    digits = not strict and isinstance(raw, str) and raw.isdigit()
    if isinstance(raw, bool) or not (isinstance(raw, int) or digits):
        raise BadRequest({"msg": '"id" field must be an integer.'})
    return int(raw), disassociate


def register_membership(operation_prefix: str, object_type: str, role_field: str) -> None:
    """GET lists the users holding the role; POST ``{"id"}`` grants it, with ``disassociate`` revokes."""
    kind = KIND_OF_TYPE[object_type]

    def listing(call: Call) -> dict[str, t.Any]:
        parent = get_object(call, kind)
        ids = set(role_members(call.store, object_type, parent["id"], role_field))
        return list_reply(call, "users", [u for u in call.store.all("users") if u["id"] in ids])

    def attach(call: Call) -> Reply:
        parent = get_object(call, kind)
        user_id, disassociate = association(call)
        if user_id is None:
            from .users import create_user

            user = create_user(call)
            user_id = user["id"]
        elif call.store.get("users", user_id) is None:
            raise BadRequest({"detail": "User matching query does not exist."})
        role = role_of(call.store, object_type, parent["id"], role_field)
        if role is None:
            raise BadRequest({"detail": "Role matching query does not exist."})
        if disassociate or user_id not in role["members"]:  # AWX records every revoke, but only new grants
            from .activity_stream import record_role_change

            record_role_change(call, role, "users", user_id, disassociate)
        if disassociate:
            revoke(call.store, role, user_id)
            return Reply(204, None)
        grant(call.store, role, user_id)
        if call.body.get("id") is not None:
            return Reply(204, None)
        from .users import serialize as serialize_user

        user = call.store.get("users", user_id) or {}
        return Reply(201, serialize_user(call, user, True), {"Location": f"/api/v2/users/{user_id}/"})

    handle(f"{operation_prefix}_list", listing)
    handle(f"{operation_prefix}_create", attach)
