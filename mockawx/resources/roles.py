"""Roles: the role list and detail, who holds a role (users, teams), and a user's roles."""

from __future__ import annotations

import typing as t

from werkzeug.datastructures import MultiDict

from ..errors import BadRequest, NotFound, PermissionDenied
from ..store import Record, Store
from ..web.call import Call, Reply
from ..web.listing import filter_records, order_records, paginate
from ._common import get_object, list_reply
from ._members import KIND_OF_TYPE, association, grant, revoke
from .activity_stream import record_role_change
from ..model import Model, register
from ._registry import handles
from ._roles import DISPLAY_NAMES

__all__ = ["MODEL", "ordered", "role_page", "role_summary_owner", "team_roles", "attach_role_to_team"]

# Filters on the role's content type that the store keeps as a plain model name.
CONTENT_TYPE_FILTERS = ("content_type__model", "content_type__model__exact")
ORG_PARTICIPATION = ("member_role", "admin_role")


def ordered(mapping: dict[str, t.Any], keys: t.Sequence[str]) -> dict[str, t.Any]:
    """``mapping`` with ``keys`` first, in that order (AWX's summary_fields order), then the rest."""
    head = {k: mapping[k] for k in keys if k in mapping}
    return {**head, **{k: v for k, v in mapping.items() if k not in head}}


def _resource(store: Store, role: Record) -> Record | None:
    kind = KIND_OF_TYPE.get(role["content_type"])
    return store.get(kind, role["object_id"]) if kind else None


def role_summary_owner(store: Store, role: Record) -> str:
    """The name of the object a role belongs to."""
    resource = _resource(store, role) or {}
    return str(resource.get("name") or resource.get("username") or "")


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    object_type = record["content_type"]
    related: dict[str, t.Any] = {"users": f"/api/v2/roles/{pk}/users/", "teams": f"/api/v2/roles/{pk}/teams/"}
    kind = KIND_OF_TYPE.get(object_type)
    if kind:
        related[object_type] = f"/api/v2/{kind}/{record['object_id']}/"
    return {
        "id": pk,
        "type": "role",
        "url": f"/api/v2/roles/{pk}/",
        "related": related,
        "summary_fields": {
            "resource_name": role_summary_owner(call.store, record),
            "resource_type": object_type,
            "resource_type_display_name": DISPLAY_NAMES.get(object_type, object_type),
            "resource_id": record["object_id"],
        },
        "name": record["name"],
        "description": record["description"],
    }


MODEL = register(Model(
    kind="roles",
    type="role",
    name="Role",
    serializer=serialize,
    fields=("role_field", "name", "description", "object_id", "content_type"),
    m2m={"members": "users"},
    search_fields=("role_field", "content_type"),
))


def _visible(call: Call, roles: t.Iterable[Record]) -> list[Record]:
    """Roles of objects the caller may see (all of them for superusers and auditors)."""
    user = call.user
    if user and (user.get("is_superuser") or user.get("is_system_auditor")):
        return list(roles)
    store = call.store
    return [r for r in roles if call.access.can(user, "read", KIND_OF_TYPE.get(r["content_type"], ""), _resource(store, r))]


def role_page(call: Call, roles: t.Iterable[Record], *, holder: bool = False) -> dict[str, t.Any]:
    """Like ``list_reply``, plus ``content_type__model`` (the store keeps content types by name).

    ``holder``: the roles of one user or team, which AWX lists newest first and marks with whether the caller may
    take each one away (``user_capabilities.unattach``).
    """
    query = call.query
    wanted = [query[key] for key in CONTENT_TYPE_FILTERS if key in query]
    rest: MultiDict[str, str] = MultiDict([(k, v) for k, v in query.items(multi=True) if k not in CONTENT_TYPE_FILTERS])
    selected = [r for r in roles if all(r["content_type"] == w for w in wanted)]
    selected = order_records(call.store, MODEL, filter_records(call.store, MODEL, selected, rest), rest)
    if holder and not (query.get("order_by") or query.get("order")):
        selected.sort(key=lambda r: r["id"], reverse=True)
    page = paginate(call.full_path, query, selected)
    page["results"] = [_held(call, r) if holder else serialize(call, r, False) for r in page["results"]]
    return page


def _held(call: Call, role: Record) -> dict[str, t.Any]:
    body = serialize(call, role, False)
    unattach = call.access.can(call.user, "admin", KIND_OF_TYPE.get(role["content_type"], ""), _resource(call.store, role))
    body["summary_fields"] = {"user_capabilities": {"unattach": unattach}, **body["summary_fields"]}
    return body


def _role(call: Call) -> Record:
    raw = call.params.get("id", "")
    role = call.store.get("roles", int(raw)) if raw.isdigit() else None
    if role is None or not _visible(call, [role]):
        raise NotFound.model("Role")
    return role


@handles("api_roles_list")
def roles_list(call: Call) -> dict[str, t.Any]:
    return role_page(call, _visible(call, call.store.all("roles")))


@handles("api_roles_read")
def role_read(call: Call) -> dict[str, t.Any]:
    return serialize(call, _role(call), True)


@handles("api_roles_users_list")
def role_users(call: Call) -> dict[str, t.Any]:
    role = _role(call)
    members = set(role["members"])
    return list_reply(call, "users", [u for u in call.store.all("users") if u["id"] in members])


def _require_id(call: Call, model_name: str) -> tuple[int, bool]:
    raw = call.body.get("id")
    if raw in (None, "", 0):
        raise BadRequest({"msg": f"{model_name} 'id' field is missing."})
    pk, disassociate = association(call)
    assert pk is not None
    return pk, disassociate


def _check_admin(call: Call, role: Record) -> None:
    """Only whoever administers the role's object may hand it out."""
    store = call.store
    kind = KIND_OF_TYPE.get(role["content_type"], "")
    if not call.access.can(call.user, "admin", kind, _resource(store, role)):
        raise PermissionDenied()


def _check_credential_grant(call: Call, role: Record, user_id: int, disassociate: bool) -> None:
    if role["content_type"] != "credential":
        return
    from ._members import role_members

    credential = _resource(call.store, role) or {}
    organization = credential.get("organization")
    if organization and not disassociate and user_id not in role_members(call.store, "organization", organization, "member_role"):
        raise BadRequest({"msg": "You cannot grant credential access to a user not in the credentials' organization"})
    if not organization and not call.is_superuser:
        raise BadRequest({"msg": "You cannot grant private credential access to another user"})


def _grant_user(call: Call, role: Record, user_id: int, disassociate: bool) -> Reply:
    if call.store.get("users", user_id) is None:
        raise BadRequest({"detail": "User matching query does not exist."})
    _check_credential_grant(call, role, user_id, disassociate)
    _check_admin(call, role)
    if disassociate or user_id not in role["members"]:  # AWX records every revoke, but only new grants
        record_role_change(call, role, "users", user_id, disassociate)
    (revoke if disassociate else grant)(call.store, role, user_id)
    return Reply(204, None)


@handles("api_roles_users_create")
def role_users_attach(call: Call) -> Reply:
    role = _role(call)
    user_id, disassociate = _require_id(call, "User")
    return _grant_user(call, role, user_id, disassociate)


@handles("api_users_roles_list")
def user_roles(call: Call) -> dict[str, t.Any]:
    user = get_object(call, "users")
    held = [r for r in call.store.all("roles") if user["id"] in r["members"]]
    return role_page(call, _visible(call, held), holder=True)


@handles("api_users_roles_create")
def user_roles_attach(call: Call) -> Reply:
    user = get_object(call, "users")
    role_id, disassociate = _require_id(call, "Role")
    role = call.store.get("roles", role_id)
    if role is None:
        raise BadRequest({"detail": "Role matching query does not exist."})
    return _grant_user(call, role, user["id"], disassociate)


@handles("api_roles_teams_list")
def role_teams(call: Call) -> dict[str, t.Any]:
    role = _role(call)
    holders = set(role.get("team_members", []))
    return list_reply(call, "teams", [team for team in call.store.all("teams") if team["id"] in holders])


def attach_role_to_team(call: Call, role: Record, team: Record, disassociate: bool) -> Reply:
    """Give a team a role (or take it back) with AWX's refusals."""
    # Refused even when taking the role away (the check comes before AWX looks at "disassociate").
    if role["content_type"] == "organization" and role["role_field"] in ORG_PARTICIPATION:
        raise BadRequest({"msg": "You cannot assign an Organization participation role as a child role for a Team."})
    if role["content_type"] == "credential" and not disassociate:
        credential = _resource(call.store, role) or {}
        if not credential.get("organization") or credential.get("organization") != team.get("organization"):
            raise BadRequest({"msg": "You cannot grant credential access to a team when the Organization field isn't set, or belongs to a different organization"})
    _check_admin(call, role)
    holders = list(role.get("team_members", []))
    if disassociate or team["id"] not in holders:  # AWX records every revoke, but only new grants
        record_role_change(call, role, "teams", team["id"], disassociate)
    if disassociate:
        holders = [h for h in holders if h != team["id"]]
    elif team["id"] not in holders:
        holders.append(team["id"])
    call.store.update("roles", role["id"], {"team_members": holders})
    return Reply(204, None)


@handles("api_roles_teams_create")
def role_teams_attach(call: Call) -> Reply:
    role = _role(call)
    team_id, disassociate = _require_id(call, "Team")
    team = call.store.get("teams", team_id)
    if team is None:
        raise NotFound.model("Team")
    return attach_role_to_team(call, role, team, disassociate)


def team_roles(store: Store, team_id: int) -> list[Record]:
    """The roles a team has been given."""
    return [r for r in store.all("roles") if team_id in r.get("team_members", [])]
