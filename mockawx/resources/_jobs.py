"""Serializer pieces every unified job shares: status fields, launched_by, the standard tail."""

from __future__ import annotations

import typing as t

from ..clock import format_time
from ..execution.lifecycle import FAILED, elapsed
from ..store import Record, Store
from ..web.call import Call
from ._common import summary_of
from ._unified import JOB_TYPE_OF_TEMPLATE

__all__ = ["ancestor_summary", "job_node_summary", "launched_by", "source_summary", "status_fields", "unified_job_template_summary"]



def status_fields(call: Call, job: Record) -> dict[str, t.Any]:
    """status, failed, started, finished, canceled_on, elapsed as AWX shows them."""
    return {
        "status": job["status"],
        "failed": job["status"] in FAILED,
        "started": format_time(job.get("started")),
        "finished": format_time(job.get("finished")),
        "canceled_on": format_time(job.get("canceled_on")),
        "elapsed": elapsed(job, call.clock.now()),
    }


def root_job(store: Store, job: Record) -> Record:
    """The outermost workflow job a job was spawned in (itself when launched directly)."""
    current = job
    seen = {job["id"]}
    while True:
        parent_id = current.get("_workflow_job") or current.get("source_workflow_job")
        parent = store.get("workflow_jobs", parent_id) if parent_id else None
        if parent is None or parent["id"] in seen:
            return current
        seen.add(parent["id"])
        current = parent


def launched_by(store: Store, job: Record) -> dict[str, t.Any]:
    """Who launched the outermost workflow: a user, a schedule, or nobody (webhooks)."""
    root = root_job(store, job)
    if root.get("launch_type") == "webhook":
        return {}
    schedule = store.get("schedules", root.get("schedule"))
    if schedule is not None:
        return {"id": schedule["id"], "name": schedule["name"], "type": "schedule", "url": f"/api/v2/schedules/{schedule['id']}/"}
    user = store.get("users", root.get("created_by"))
    if user is None:
        return {}
    return {"id": user["id"], "name": user["username"], "type": "user", "url": f"/api/v2/users/{user['id']}/"}


def template_of(store: Store, pk: int | None) -> tuple[str, Record] | None:
    from ._unified import find_unified_template

    return find_unified_template(store, pk)


def unified_job_template_summary(store: Store, pk: int | None) -> dict[str, t.Any] | None:
    found = template_of(store, pk)
    if found is None:
        return None
    kind, template = found
    summary = summary_of(store, kind, pk) or {}
    summary["unified_job_type"] = JOB_TYPE_OF_TEMPLATE[kind]
    return summary


def template_url(store: Store, pk: int | None) -> str | None:
    found = template_of(store, pk)
    return f"/api/v2/{found[0]}/{pk}/" if found else None


def job_node_summary(call: Call, job: Record, job_type: str) -> dict[str, t.Any]:
    """``summary_fields.job`` of a workflow job node."""
    summary: dict[str, t.Any] = {
        "id": job["id"],
        "name": job.get("name", ""),
        "description": job.get("description", ""),
        "status": job["status"],
        "failed": job["status"] in FAILED,
        "elapsed": elapsed(job, call.clock.now()),
        "type": job_type,
    }
    if job.get("canceled_on") is not None:
        summary["canceled_on"] = format_time(job["canceled_on"])
    if job_type == "workflow_approval":
        summary["timed_out"] = bool(job.get("timed_out"))
    return summary


SOURCE_FIELDS = ("id", "name", "description", "status", "failed", "elapsed", "type", "canceled_on")


def source_summary(call: Call, source: Record, *, with_type: bool = True) -> dict[str, t.Any]:
    """``summary_fields.source_workflow_job`` of a spawned job (``canceled_on`` only when set)."""
    values = {**(summary_of(call.store, "workflow_jobs", source["id"]) or {}), **status_fields(call, source), "type": "workflow_job"}
    fields = SOURCE_FIELDS if with_type else tuple(f for f in SOURCE_FIELDS if f != "type")
    return {k: values[k] for k in fields if k in values and (k != "canceled_on" or values[k] is not None)}


def ancestor_summary(store: Store, job: Record) -> dict[str, t.Any]:
    """``summary_fields.ancestor_job``: the outermost workflow job (detail views of spawned jobs)."""
    root = root_job(store, job)
    return {"id": root["id"], "name": root["name"], "type": "workflow_job", "url": f"/api/v2/workflow_jobs/{root['id']}/"}
