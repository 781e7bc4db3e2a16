"""Roles: every object of a role-bearing kind gets AWX's roles when it is created."""

from __future__ import annotations

import typing as t

from ..store import Record, Store

__all__ = ["ROLE_DEFINITIONS", "create_roles", "delete_roles", "object_roles_summary", "roles_of", "DISPLAY_NAMES"]

# (role field, name, description, user_only) per object type, in AWX's order.
ROLE_DEFINITIONS: dict[str, tuple[tuple[str, str, str, bool], ...]] = {
    "organization": (
        ("admin_role", "Admin", "Can manage all aspects of the organization", True),
        ("execute_role", "Execute", "May run any executable resources in the organization", False),
        ("project_admin_role", "Project Admin", "Can manage all projects of the organization", False),
        ("inventory_admin_role", "Inventory Admin", "Can manage all inventories of the organization", False),
        ("credential_admin_role", "Credential Admin", "Can manage all credentials of the organization", False),
        ("workflow_admin_role", "Workflow Admin", "Can manage all workflows of the organization", False),
        ("notification_admin_role", "Notification Admin", "Can manage all notifications of the organization", False),
        ("job_template_admin_role", "Job Template Admin", "Can manage all job templates of the organization", False),
        ("execution_environment_admin_role", "Execution Environment Admin", "Can manage all execution environments of the organization", False),
        ("auditor_role", "Auditor", "Can view all aspects of the organization", False),
        ("member_role", "Member", "User is a member of the organization", True),
        ("read_role", "Read", "May view settings for the organization", False),
        ("approval_role", "Approve", "Can approve or deny a workflow approval node", False),
    ),
    "project": (
        ("admin_role", "Admin", "Can manage all aspects of the project", False),
        ("use_role", "Use", "Can use the project in a job template", False),
        ("update_role", "Update", "May update the project", False),
        ("read_role", "Read", "May view settings for the project", False),
    ),
    "inventory": (
        ("admin_role", "Admin", "Can manage all aspects of the inventory", False),
        ("update_role", "Update", "May update the inventory", False),
        ("adhoc_role", "Ad Hoc", "May run ad hoc commands on the inventory", False),
        ("use_role", "Use", "Can use the inventory in a job template", False),
        ("read_role", "Read", "May view settings for the inventory", False),
    ),
    "credential": (
        ("admin_role", "Admin", "Can manage all aspects of the credential", False),
        ("use_role", "Use", "Can use the credential in a job template", False),
        ("read_role", "Read", "May view settings for the credential", False),
    ),
    "job_template": (
        ("admin_role", "Admin", "Can manage all aspects of the job template", False),
        ("execute_role", "Execute", "May run the job template", False),
        ("read_role", "Read", "May view settings for the job template", False),
    ),
    "instance_group": (
        ("admin_role", "Admin", "Can manage all aspects of the instance group", False),
        ("use_role", "Use", "Can use the instance group in a job template", False),
        ("read_role", "Read", "May view settings for the instance group", False),
    ),
    "team": (
        ("admin_role", "Admin", "Can manage all aspects of the team", False),
        ("member_role", "Member", "User is a member of the team", False),
        ("read_role", "Read", "May view settings for the team", False),
    ),
    "workflow_job_template": (
        ("admin_role", "Admin", "Can manage all aspects of the workflow job template", False),
        ("execute_role", "Execute", "May run the workflow job template", False),
        ("read_role", "Read", "May view settings for the workflow job template", False),
        ("approval_role", "Approve", "Can approve or deny a workflow approval node", False),
    ),
}

DISPLAY_NAMES = {
    "organization": "Organization",
    "project": "Project",
    "inventory": "Inventory",
    "credential": "Credential",
    "job_template": "Job Template",
    "instance_group": "Instance Group",
    "team": "Team",
    "workflow_job_template": "Workflow Job Template",
}


def create_roles(store: Store, object_type: str, object_id: int) -> None:
    """Create the roles AWX gives a new object of ``object_type``."""
    for field, name, description, user_only in ROLE_DEFINITIONS.get(object_type, ()):
        store.insert("roles", {
            "id": None,
            "role_field": field,
            "name": name,
            "description": description,
            "user_only": user_only,
            "content_type": object_type,
            "object_id": object_id,
            "members": [],
            "team_members": [],
        })


def roles_of(store: Store, object_type: str, object_id: int) -> list[Record]:
    """The roles of one object, in AWX's order."""
    order = [definition[0] for definition in ROLE_DEFINITIONS.get(object_type, ())]
    found = [r for r in store.find("roles", "object_id", object_id) if r["content_type"] == object_type]
    return sorted(found, key=lambda r: order.index(r["role_field"]) if r["role_field"] in order else 99)


def delete_roles(store: Store, object_type: str, object_id: int) -> None:
    for role in roles_of(store, object_type, object_id):
        store.delete("roles", role["id"])


def object_roles_summary(store: Store, object_type: str, object_id: int) -> dict[str, t.Any]:
    """``summary_fields.object_roles``: role field -> {description, name, id[, user_only]}."""
    summary: dict[str, t.Any] = {}
    for role in roles_of(store, object_type, object_id):
        entry: dict[str, t.Any] = {"description": role["description"], "name": role["name"], "id": role["id"]}
        if role.get("user_only"):
            entry["user_only"] = True
        summary[role["role_field"]] = entry
    return summary
