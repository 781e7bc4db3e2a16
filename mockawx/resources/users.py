"""Users: CRUD (by id or username), passwords kept as digests, and their roles."""

from __future__ import annotations

import re
import typing as t

from ..auth import hash_password
from ..clock import format_time
from ..errors import BadRequest, field_error
from ..store import Record
from ..web.call import Call, Reply
from ._common import base, created, get_object, named_url, stamp
from ._crud import Crud, UniqueRule, apply_write, register_crud
from ..model import Model, register
from ._registry import handle
from .activity_stream import record_user_create

__all__ = ["create_user", "MODEL"]

RELATED = (
    "teams", "organizations", "admin_of_organizations", "projects", "credentials", "roles", "activity_stream",
    "access_list", "tokens", "authorized_tokens", "personal_tokens",
)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@localhost$")


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    related: dict[str, t.Any] = {}
    if detail:
        related["named_url"] = named_url(call, "users", record)
    related.update({name: f"/api/v2/users/{pk}/{name}/" for name in RELATED})
    own = call.user is not None and call.user["id"] == pk
    capabilities = call.access.capabilities(call.user, "users", record, ("edit", "delete"))
    if own:
        capabilities["delete"] = False
    summary = {
        "resource": {"ansible_id": record.get("ansible_id"), "resource_type": "shared.user"},
        "user_capabilities": capabilities,
    }
    body = base(call, MODEL, record, related, summary)
    body["related"].pop("created_by", None)
    body["related"].pop("modified_by", None)
    body["summary_fields"].pop("created_by", None)
    body["summary_fields"].pop("modified_by", None)
    # AWX's users have no modified field of their own: it shows the last login
    body["modified"] = format_time(record.get("last_login"))
    body.update({
        "username": record["username"],
        "first_name": record.get("first_name", ""),
        "last_name": record.get("last_name", ""),
        "email": record.get("email", ""),
        "is_superuser": record.get("is_superuser", False),
        "is_system_auditor": record.get("is_system_auditor", False),
        "password": "$encrypted$",
        "ldap_dn": "",
        "last_login": format_time(record.get("last_login")),
        "external_account": None,
        "auth": [],
    })
    return body


MODEL = register(Model(
    kind="users",
    type="user",
    name="User",
    serializer=serialize,
    fields=("username", "first_name", "last_name", "email", "is_superuser", "is_system_auditor", "last_login"),
    search_fields=("username", "first_name", "last_name", "email"),
    default_order=("username",),
))


def _validate(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    email = values.get("email")
    if email and not EMAIL.match(str(email)):
        raise field_error("email", "Enter a valid email address.")
    if existing is None and not values.get("password") and "password" in values:
        values.pop("password")


def _store_password(values: dict[str, t.Any]) -> dict[str, t.Any]:
    password = values.pop("password", None)
    if password and password != "$encrypted$":
        values["password_digest"] = hash_password(str(password))
    return values


CRUD = Crud(
    kind="users",
    write_schema="UserWrite",
    unique=(UniqueRule(("username",), "username", "A user with that username already exists."),),
    validate=_validate,
)


def create_user(call: Call) -> Record:
    """Create a user from the request body (also used by sub-lists that create users)."""
    if call.body.get("password") in (None, ""):
        apply_write(call, CRUD, None)  # field errors first, as AWX's serializer reports them
        raise BadRequest({"password": ["Password required for new User."]})
    values = _store_password(apply_write(call, CRUD, None))
    for blank in ("first_name", "last_name", "email"):
        if values.get(blank) is None:
            values[blank] = ""
    record = stamp(call, {"id": None, **values, "ansible_id": call.runtime.new_uuid(), "is_active": True}, creating=True)
    record = call.store.insert("users", record)
    record_user_create(call, record)
    return record


def _create(call: Call) -> Reply:
    return created(call, "users", create_user(call))


def _update(call: Call) -> dict[str, t.Any]:
    existing = get_object(call, "users")
    values = _store_password(apply_write(call, CRUD, existing))
    record = call.store.update("users", existing["id"], values)
    return serialize(call, record, True)


def _delete(call: Call) -> Reply:
    from ._cascade import delete_user

    record = get_object(call, "users")
    delete_user(call, record)
    return Reply(204, None)


register_crud(CRUD, "api_users", methods=("list", "read"))

handle("api_users_create", _create)
handle("api_users_update", _update)
handle("api_users_partial_update", _update)
handle("api_users_delete", _delete)
