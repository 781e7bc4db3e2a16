"""Wiring between layers: notifications on job status changes, object roles in access checks."""

from __future__ import annotations

from ..access import APPROVE, EXECUTE, READ, Access
from ..execution.lifecycle import FAILED, STATUS_HOOKS
from ..store import Record, Store

__all__ = ["notify_on_status", "role_policy"]

TEMPLATED_JOBS = ("workflow_jobs", "jobs", "project_updates", "inventory_updates", "system_jobs")


def notify_on_status(runtime: object, kind: str, job: Record, old: str) -> None:
    """Started, success and error notifications of jobs; the four approval notifications."""
    from .notification_delivery import notify

    status = job["status"]
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
        workflow_job = store.get("workflow_jobs", record.get("_workflow_job")) or {}
        template_id = workflow_job.get("workflow_job_template")
        field = "approval_role" if action == APPROVE else "read_role"
        return template_id is not None and holds(store, user, "workflow_job_template", template_id, field)
    if kind == "workflow_jobs":
        template_id = record.get("workflow_job_template")
        field = {READ: "read_role", EXECUTE: "execute_role"}.get(action, "admin_role")
        return template_id is not None and holds(store, user, "workflow_job_template", template_id, field)
    object_type, field = TYPE_OF_KIND.get(kind), ROLE_FOR_ACTION.get(action)
    if object_type is None or field is None:
        return False
    return holds(store, user, object_type, record["id"], field)


STATUS_HOOKS.append(notify_on_status)
Access.role_policy = staticmethod(role_policy)  # type: ignore[assignment]
