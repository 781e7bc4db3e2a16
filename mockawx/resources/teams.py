"""Teams: CRUD (unique per organization) and the roles given to a team."""

from __future__ import annotations

import typing as t

from ..errors import BadRequest
from ..store import Record
from ..web.call import Call, Reply
from ._common import base, get_object, named_url, summary_of
from ._crud import Crud, UniqueRule, register_crud
from ._members import association, register_membership
from ..model import Model, register
from ._registry import handles
from ._roles import create_roles, delete_roles, object_roles_summary
from .roles import role_page, attach_role_to_team, ordered, team_roles

RELATED = ("projects", "users", "credentials", "roles", "object_roles", "activity_stream", "access_list")
SUMMARY_ORDER = ("organization", "resource", "created_by", "modified_by", "object_roles", "user_capabilities")


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    related: dict[str, t.Any] = {}
    if detail:
        related["named_url"] = named_url(call, "teams", record)
    related.update({name: f"/api/v2/teams/{pk}/{name}/" for name in RELATED})
    if record.get("organization"):
        related["organization"] = f"/api/v2/organizations/{record['organization']}/"
    summary = {
        "organization": summary_of(store, "organizations", record.get("organization")),
        "resource": {"ansible_id": record.get("ansible_id"), "resource_type": "shared.team"},
        "object_roles": object_roles_summary(store, "team", pk),
        "user_capabilities": call.access.capabilities(call.user, "teams", record, ("edit", "delete")),
    }
    body = base(call, MODEL, record, related, summary)
    # named_url comes before created_by/modified_by in AWX's related
    body["related"] = ordered(body["related"], ("named_url",))
    body["summary_fields"] = ordered(body["summary_fields"], SUMMARY_ORDER)
    body.update({
        "name": record["name"],
        "description": record.get("description", ""),
        "organization": record.get("organization"),
    })
    return body


MODEL = register(Model(
    kind="teams",
    type="team",
    name="Team",
    serializer=serialize,
    fields=("name", "description"),
    fks={"organization": "organizations"},
    default_order=("organization__name", "name"),
))


def _after_create(call: Call, record: Record) -> None:
    call.store.update("teams", record["id"], {"ansible_id": call.runtime.new_uuid()})
    create_roles(call.store, "team", record["id"])


def delete_team(call: Call, record: Record) -> None:
    """Remove a team, its own roles, and every role it was given."""
    store = call.store
    pk = record["id"]
    for role in team_roles(store, pk):
        store.update("roles", role["id"], {"team_members": [h for h in role["team_members"] if h != pk]})
    delete_roles(store, "team", pk)
    store.delete("teams", pk)


CRUD = Crud(
    kind="teams",
    write_schema="TeamWrite",
    unique=(UniqueRule(("organization", "name"), "__all__", "Team with this Organization and Name already exists."),),
    after_create=_after_create,
    delete=delete_team,
)
register_crud(CRUD, "api_teams")


@handles("api_teams_roles_list")
def team_roles_list(call: Call) -> dict[str, t.Any]:
    team = get_object(call, "teams")
    return role_page(call, team_roles(call.store, team["id"]), holder=True)


@handles("api_teams_roles_create")
def team_roles_attach(call: Call) -> Reply:
    team = get_object(call, "teams")
    if call.body.get("id") in (None, "", 0):
        raise BadRequest({"msg": "Role 'id' field is missing."})
    role_id, disassociate = association(call)
    role = call.store.get("roles", role_id)
    if role is None:
        raise BadRequest({"detail": "Role matching query does not exist."})
    return attach_role_to_team(call, role, team, disassociate)


# a team's users are the holders of its member role
register_membership("api_teams_users", "team", "member_role")
