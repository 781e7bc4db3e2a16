"""What deleting an object takes with it, as AWX's foreign keys cascade or set null."""

from __future__ import annotations

from ..errors import Conflict
from ..store import Record
from ..web.call import Call
from ._roles import delete_roles
from ._unified import JOB_KINDS, JOB_TYPE_OF_TEMPLATE, active_jobs

__all__ = ["delete_organization", "delete_user", "delete_workflow_job_template", "delete_template_node", "detach_jobs",
           "delete_schedules", "refuse_while_active"]

# Kinds whose organization is required (deleted with it) and those whose link is set null.
CASCADE_WITH_ORGANIZATION = ("teams", "labels", "inventories", "applications", "notification_templates")
NULL_WITH_ORGANIZATION = ("projects", "job_templates", "workflow_job_templates", "credentials", "execution_environments")


def delete_organization(call: Call, record: Record) -> None:
    store = call.store
    pk = record["id"]
    for kind in CASCADE_WITH_ORGANIZATION:
        for child in store.find(kind, "organization", pk):
            store.delete(kind, child["id"])
    for kind in NULL_WITH_ORGANIZATION:
        for child in store.find(kind, "organization", pk):
            store.update(kind, child["id"], {"organization": None})
    delete_roles(store, "organization", pk)
    store.delete("organizations", pk)


def delete_user(call: Call, record: Record) -> None:
    store = call.store
    pk = record["id"]
    for role in store.all("roles"):
        if pk in role.get("members", []):
            store.update("roles", role["id"], {"members": [m for m in role["members"] if m != pk]})
    for token in store.find("tokens", "user", pk):
        store.delete("tokens", token["id"])
    store.delete("users", pk)


def delete_template_node(call: Call, node: Record) -> None:
    """Remove a template node, every edge into it, and its approval template."""
    store = call.store
    pk = node["id"]
    for other in store.find("workflow_job_template_nodes", "workflow_job_template", node["workflow_job_template"]):
        changes = {
            edge: [c for c in other.get(edge, []) if c != pk]
            for edge in ("success_nodes", "failure_nodes", "always_nodes")
            if pk in other.get(edge, [])
        }
        if changes:
            store.update("workflow_job_template_nodes", other["id"], changes)
    template = store.get("workflow_approval_templates", node.get("unified_job_template"))
    store.delete("workflow_job_template_nodes", pk)
    if template is not None:
        store.delete("workflow_approval_templates", template["id"])


def refuse_while_active(call: Call, kind: str, record: Record) -> None:
    """AWX's 409 for deleting a template while any of its jobs is still active."""
    active = sorted(active_jobs(call.store, kind, record["id"]), key=lambda j: j["id"])
    if active:
        raise Conflict({
            "error": "Resource is being used by running jobs.",
            "active_jobs": [{"id": j["id"], "type": JOB_TYPE_OF_TEMPLATE[kind]} for j in active],
        })


def delete_schedules(call: Call, template_id: int) -> None:
    """A template's schedules go with it."""
    for schedule in [s for s in call.store.all("schedules") if s.get("unified_job_template") == template_id]:
        call.store.delete("schedules", schedule["id"])


def detach_jobs(call: Call, template_id: int) -> None:
    """Jobs outlive their template: its fields on them become null."""
    store = call.store
    for kind in JOB_KINDS:
        for job in store.all(kind):
            if job.get("unified_job_template") == template_id:
                changes = {"unified_job_template": None}
                if kind == "workflow_jobs":
                    changes["workflow_job_template"] = None
                store.update(kind, job["id"], changes)


def delete_workflow_job_template(call: Call, record: Record) -> None:
    store = call.store
    pk = record["id"]
    for node in store.find("workflow_job_template_nodes", "workflow_job_template", pk):
        delete_template_node(call, node)
    delete_schedules(call, pk)
    detach_jobs(call, pk)
    delete_roles(store, "workflow_job_template", pk)
    store.delete("workflow_job_templates", pk)
