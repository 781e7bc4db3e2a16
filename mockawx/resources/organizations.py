"""Organizations: CRUD, their roles, users and admins sub-lists."""

from __future__ import annotations

import typing as t

from ..store import Record
from ..web.call import Call
from ._common import base, get_object, list_reply, named_url
from ._crud import Crud, UniqueRule, register_crud
from ._members import register_membership
from ..model import Model, register
from ._roles import create_roles, object_roles_summary
from ._registry import handles

RELATED = (
    "execution_environments", "projects", "inventories", "job_templates", "workflow_job_templates", "users",
    "admins", "teams", "credentials", "applications", "activity_stream", "notification_templates",
    "notification_templates_started", "notification_templates_success", "notification_templates_error",
    "notification_templates_approvals", "object_roles", "access_list", "instance_groups", "galaxy_credentials",
)


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    related: dict[str, t.Any] = {}
    if detail:
        related["named_url"] = named_url(call, "organizations", record)
    related.update({name: f"/api/v2/organizations/{pk}/{name}/" for name in RELATED})
    if record.get("default_environment"):
        related["default_environment"] = f"/api/v2/execution_environments/{record['default_environment']}/"
    summary = {
        "resource": {"ansible_id": record.get("ansible_id"), "resource_type": "shared.organization"},
        "object_roles": object_roles_summary(store, "organization", pk),
        "user_capabilities": call.access.capabilities(call.user, "organizations", record, ("edit", "delete")),
        "related_field_counts": related_counts(call, record, with_hosts=detail and call.method != "POST"),
    }
    if record.get("default_environment"):
        from ._common import summary_of

        summary["default_environment"] = summary_of(store, "execution_environments", record["default_environment"], ("id", "name", "description", "image"))
    body = base(call, MODEL, record, related, summary)
    # created_by/modified_by summaries come before object_roles in AWX's output
    body.update({
        "name": record["name"],
        "description": record.get("description", ""),
        "max_hosts": record.get("max_hosts", 0),
        "custom_virtualenv": record.get("custom_virtualenv"),
        "default_environment": record.get("default_environment"),
    })
    return body


def related_counts(call: Call, record: Record, *, with_hosts: bool) -> dict[str, int]:
    """AWX's counts; hosts are counted only on the detail view (not in lists or on create)."""
    from ._members import role_members

    store = call.store
    pk = record["id"]

    def count(kind: str) -> int:
        return sum(1 for r in store.all(kind) if r.get("organization") == pk)

    counts = {
        "users": len(role_members(store, "organization", pk, "member_role")),
        "admins": len(role_members(store, "organization", pk, "admin_role")),
        "inventories": count("inventories"),
        "teams": count("teams"),
        "projects": count("projects"),
        "job_templates": count("job_templates"),
    }
    if with_hosts:
        counts["hosts"] = sum(1 for h in store.all("hosts") if (store.get("inventories", h.get("inventory")) or {}).get("organization") == pk)
    return counts


MODEL = register(Model(
    kind="organizations",
    type="organization",
    name="Organization",
    serializer=serialize,
    fields=("name", "description", "max_hosts", "custom_virtualenv"),
    fks={"default_environment": "execution_environments"},
    default_order=("name",),
))


def _after_create(call: Call, record: Record) -> None:
    call.store.update("organizations", record["id"], {"ansible_id": call.runtime.new_uuid()})
    create_roles(call.store, "organization", record["id"])


def _delete(call: Call, record: Record) -> None:
    from ._cascade import delete_organization

    delete_organization(call, record)


CRUD = Crud(
    kind="organizations",
    write_schema="OrganizationWrite",
    unique=(UniqueRule(("name",), "name", "Organization with this Name already exists."),),
    after_create=_after_create,
    delete=_delete,
)
register_crud(CRUD, "api_organizations")
register_membership("api_organizations_users", "organization", "member_role")
register_membership("api_organizations_admins", "organization", "admin_role")


@handles("api_organizations_workflow_job_templates_create")
def create_organization_workflow_job_template(call: Call) -> t.Any:
    """A workflow job template created under an organization belongs to it."""
    from ._crud import create_with
    from .workflow_job_templates import CRUD as WFJT_CRUD

    organization = get_object(call, "organizations")
    return create_with(call, WFJT_CRUD, {"organization": organization["id"]})


@handles("api_organizations_workflow_job_templates_list")
def organization_workflow_job_templates(call: Call) -> dict[str, t.Any]:
    organization = get_object(call, "organizations")
    records = call.store.find("workflow_job_templates", "organization", organization["id"])
    return list_reply(call, "workflow_job_templates", records)


