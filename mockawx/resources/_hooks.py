"""Wiring between layers: notifications on job status changes, object roles in access checks."""

from __future__ import annotations

import typing as t

from ..access import ADMIN, APPROVE, CHANGE, COPY, DELETE, EXECUTE, READ, Access
from ..execution.lifecycle import FAILED, STATUS_HOOKS
from ..store import Record, Store
from .guards import install_guards

__all__ = ["notify_on_status", "role_policy"]

TEMPLATED_JOBS = ("workflow_jobs", "jobs", "project_updates", "inventory_updates", "system_jobs")


def _record_new_approval(runtime: t.Any, approval: Record) -> None:
    """AWX's engine bookkeeping when it creates an approval: a create entry and the move to pending, no actor."""
    from .activity_stream import record_activity

    created = {"name": approval["name"], "description": approval.get("description", ""), "status": "new",
               "execution_environment": None, "timed_out": False, "id": approval["id"]}
    record_activity(runtime, "create", "workflow_approvals", approval, created)
    record_activity(runtime, "update", "workflow_approvals", approval, {"status": ["new", "pending"]})


def notify_on_status(runtime: object, kind: str, job: Record, old: str) -> None:
    """Started, success and error notifications of jobs; the four approval notifications."""
    from .notification_delivery import notify

    status = job["status"]
    if kind == "workflow_approvals" and old == "new" and status == "pending":
        _record_new_approval(runtime, job)
    if kind == "workflow_approvals":
        workflow_job = runtime.store.get("workflow_jobs", job.get("_workflow_job"))  # type: ignore[attr-defined]
        if workflow_job is None:
            return
        if status == "pending" and old != "pending":
            notify(runtime, workflow_job, "approval_running", job)
        elif status == "successful":
            notify(runtime, workflow_job, "approval_approved", job)
        elif status == "failed":
            notify(runtime, workflow_job, "approval_timed_out" if job.get("timed_out") else "approval_denied", job)
        return
    if kind not in TEMPLATED_JOBS:
        return
    if status == "running" and old != "running":
        notify(runtime, job, "started")
    elif status == "successful":
        notify(runtime, job, "success")
    elif status in FAILED:
        notify(runtime, job, "error")


def role_policy(store: Store, user: Record, action: str, kind: str, record: Record) -> bool:
    """Whether ``user`` holds the object role ``action`` needs on ``record`` (or on its template)."""
    from .access import ROLE_FOR_ACTION, TYPE_OF_KIND, holds

    if kind == "workflow_approvals":
        return _approval_policy(store, user, action, record)
    if kind == "workflow_jobs":
        return _workflow_job_policy(store, user, action, record)
    if kind == "workflow_job_templates" and action == COPY:
        return _org_workflow_admin(store, user, record)
    if kind == "schedules":
        return _schedule_policy(store, user, action, record)
    object_type, field = TYPE_OF_KIND.get(kind), ROLE_FOR_ACTION.get(action)
    if object_type is None or field is None:
        return False
    return holds(store, user, object_type, record["id"], field)


def _org_workflow_admin(store: Store, user: Record, template: Record | None) -> bool:
    """Copying a template and deleting its jobs need the workflow admin role of its organization."""
    from .access import holds

    organization = (template or {}).get("organization")
    return organization is not None and holds(store, user, "organization", organization, "workflow_admin_role")


def _approval_policy(store: Store, user: Record, action: str, approval: Record) -> bool:
    """Readers of the template see (and may "start") its approvals; approvers decide; only superusers delete."""
    from .access import holds

    workflow_job = store.get("workflow_jobs", approval.get("_workflow_job")) or {}
    template_id = workflow_job.get("workflow_job_template")
    field = {READ: "read_role", EXECUTE: "read_role", APPROVE: "approval_role"}.get(action)
    return template_id is not None and field is not None and holds(store, user, "workflow_job_template", template_id, field)


def _workflow_job_policy(store: Store, user: Record, action: str, job: Record) -> bool:
    """Read and relaunch follow the template's roles; cancel its creator or admins; delete the org's workflow admins."""
    from .access import holds

    template_id = job.get("workflow_job_template")
    if template_id is None:
        return False
    if action == DELETE:
        return _org_workflow_admin(store, user, store.get("workflow_job_templates", template_id))
    if action in (CHANGE, ADMIN) and job.get("created_by") == user["id"]:
        return True
    field = {READ: "read_role", EXECUTE: "execute_role"}.get(action, "admin_role")
    return holds(store, user, "workflow_job_template", template_id, field)


def _schedule_policy(store: Store, user: Record, action: str, schedule: Record) -> bool:
    """Admins of the schedule's template change it; executors change the schedules they created."""
    from ._unified import find_unified_template

    found = find_unified_template(store, schedule.get("unified_job_template"))
    if found is None:
        return False
    kind, template = found
    if action in (READ, EXECUTE):
        return Access(store).can(user, action, kind, template)
    if Access(store).can(user, CHANGE, kind, template):
        return True
    return schedule.get("created_by") == user["id"] and Access(store).can(user, EXECUTE, kind, template)


STATUS_HOOKS.append(notify_on_status)
Access.role_policy = staticmethod(role_policy)  # type: ignore[assignment]
install_guards()
