"""Unified job templates and unified jobs: the polymorphic views over several tables."""

from __future__ import annotations

import typing as t

from ..clock import format_time
from ..execution.lifecycle import ACTIVE
from ..execution.spawn import TEMPLATE_JOB_KIND
from ..store import Record, Store

__all__ = [
    "job_links",
    "TEMPLATE_KINDS",
    "JOB_KINDS",
    "JOB_KIND_OF_TEMPLATE",
    "ACTIVE",
    "find_unified_template",
    "find_unified_job",
    "jobs_of_template",
    "active_jobs",
    "last_job",
    "current_job",
    "template_status",
    "job_summary",
]

TEMPLATE_KINDS = (
    "job_templates", "workflow_job_templates", "projects", "inventory_sources",
    "system_job_templates", "workflow_approval_templates",
)
JOB_KINDS = ("jobs", "workflow_jobs", "project_updates", "inventory_updates", "workflow_approvals", "system_jobs")
JOB_KIND_OF_TEMPLATE = TEMPLATE_JOB_KIND
JOB_TYPE_OF_TEMPLATE = {
    "job_templates": "job",
    "workflow_job_templates": "workflow_job",
    "projects": "project_update",
    "inventory_sources": "inventory_update",
    "system_job_templates": "system_job",
    "workflow_approval_templates": "workflow_approval",
}
FAILED = frozenset({"failed", "error", "canceled"})


def find_unified_template(store: Store, pk: int | None) -> tuple[str, Record] | None:
    """The template with this id, whatever its kind (ids are shared)."""
    for kind in TEMPLATE_KINDS:
        record = store.get(kind, pk)
        if record is not None:
            return kind, record
    return None


def find_unified_job(store: Store, pk: int | None) -> tuple[str, Record] | None:
    for kind in JOB_KINDS:
        record = store.get(kind, pk)
        if record is not None:
            return kind, record
    return None


def jobs_of_template(store: Store, kind: str, template_id: int) -> list[Record]:
    job_kind = JOB_KIND_OF_TEMPLATE[kind]
    if job_kind == "workflow_jobs":
        return store.find("workflow_jobs", "workflow_job_template", template_id)
    return [j for j in store.all(job_kind) if j.get("unified_job_template") == template_id]


def last_job(store: Store, kind: str, template_id: int) -> Record | None:
    """The job that finished most recently (AWX records it when a job finishes)."""
    finished = [j for j in jobs_of_template(store, kind, template_id) if j.get("finished") is not None]
    return max(finished, key=lambda j: (j["finished"], j["id"])) if finished else None


def active_jobs(store: Store, kind: str, template_id: int) -> list[Record]:
    """The template's jobs that have not finished yet."""
    return [j for j in jobs_of_template(store, kind, template_id) if j.get("status") in ACTIVE]


def current_job(store: Store, kind: str, template_id: int) -> Record | None:
    active = active_jobs(store, kind, template_id)
    return max(active, key=lambda j: j["id"]) if active else None


def template_status(store: Store, kind: str, template: Record) -> str:
    """AWX's derived template status: current job's, else never updated/failed/successful."""
    current = current_job(store, kind, template["id"])
    if current is not None:
        return "running" if current["status"] == "running" else "pending"
    last = last_job(store, kind, template["id"])
    if last is None:
        return "never updated"
    return "failed" if last.get("status") in FAILED else "successful"


def job_summary(job: Record, fields: t.Sequence[str]) -> dict[str, t.Any]:
    """A job's summary with its datetimes as text."""
    out: dict[str, t.Any] = {}
    for field in fields:
        value = job.get(field)
        if field in ("finished", "canceled_on", "started", "created"):
            value = format_time(value)
        elif field == "failed":
            value = job.get("status") in FAILED
        elif field == "type":
            value = job.get("_type")
        elif field == "elapsed":
            value = job.get("elapsed", 0.0)
        out[field] = value
    return out


def job_links(kind: str, last: Record | None, current: Record | None) -> dict[str, str]:
    """``related.last_job`` / ``related.current_job`` of a template, for the jobs that exist."""
    collection = JOB_KIND_OF_TEMPLATE[kind]
    links = {}
    if last is not None:
        links["last_job"] = f"/api/v2/{collection}/{last['id']}/"
    if current is not None:
        links["current_job"] = f"/api/v2/{collection}/{current['id']}/"
    return links

