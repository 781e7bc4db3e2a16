"""System job templates: the cleanup jobs AWX's migrations install (list and detail)."""

from __future__ import annotations

import typing as t

from ..clock import format_time
from ..store import Record, Store
from ..web.call import Call
from ._crud import Crud, register_crud
from ..model import Model, register
from ._unified import FAILED, current_job, job_summary, last_job

__all__ = ["MODEL", "next_schedule", "system_template_status"]

NOTIFICATIONS = ("notification_templates_started", "notification_templates_success", "notification_templates_error")


def next_schedule(store: Store, template_id: int) -> Record | None:
    """The enabled schedule of a template that runs next."""
    upcoming = [
        s for s in store.all("schedules")
        if s.get("unified_job_template") == template_id and s.get("enabled", True) and s.get("next_run") is not None
    ]
    return min(upcoming, key=lambda s: (s["next_run"], s["id"])) if upcoming else None


def system_template_status(store: Store, record: Record) -> str:
    """``ok`` until a job has run; then the state of the current or last job."""
    current = current_job(store, "system_job_templates", record["id"])
    if current is not None:
        return "running" if current["status"] == "running" else "pending"
    last = last_job(store, "system_job_templates", record["id"])
    if last is None:
        return "ok"
    return "failed" if last.get("status") in FAILED else "successful"


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    related: dict[str, t.Any] = {}
    schedule = next_schedule(store, pk)
    last = last_job(store, "system_job_templates", pk)
    if schedule is not None:
        related["next_schedule"] = f"/api/v2/schedules/{schedule['id']}/"
    if last is not None:
        related["last_job"] = f"/api/v2/system_jobs/{last['id']}/"
    related.update({name: f"/api/v2/system_job_templates/{pk}/{name}/" for name in ("jobs", "schedules", "launch", *NOTIFICATIONS)})
    summary: dict[str, t.Any] = {}
    if last is not None:
        summary["last_job"] = job_summary(last, ("id", "name", "description", "finished", "status", "failed"))
        summary["last_update"] = job_summary(last, ("id", "name", "description", "status", "failed"))
    return {
        "id": pk,
        "type": "system_job_template",
        "url": f"/api/v2/system_job_templates/{pk}/",
        "related": related,
        "summary_fields": summary,
        "created": format_time(record.get("created")),
        "modified": format_time(record.get("modified")),
        "name": record["name"],
        "description": record.get("description", ""),
        "last_job_run": format_time(last.get("finished")) if last else None,
        "last_job_failed": bool(last and last.get("status") in FAILED),
        "next_job_run": format_time(schedule["next_run"]) if schedule else None,
        "status": system_template_status(store, record),
        "execution_environment": record.get("execution_environment"),
        "job_type": record["job_type"],
    }


MODEL = register(Model(
    kind="system_job_templates",
    type="system_job_template",
    name="SystemJobTemplate",
    serializer=serialize,
    fields=("name", "description", "job_type"),
    fks={"execution_environment": "execution_environments"},
    default_order=("name",),
    computed={"status": system_template_status},
))
register_crud(Crud(kind="system_job_templates", write_schema=""), "api_system_job_templates", methods=("list", "read"))
