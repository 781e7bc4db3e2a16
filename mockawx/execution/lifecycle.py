"""Unified jobs: creating them and moving them through AWX's statuses."""

from __future__ import annotations

import datetime as dt
import typing as t

from ..store import Record
from .outcomes import Outcome, OutcomePlan
from .scheduler import Scheduler, action

if t.TYPE_CHECKING:
    from ..runtime import Runtime

__all__ = [
    "ACTIVE",
    "TERMINAL",
    "FAILED",
    "create_job",
    "set_status",
    "elapsed",
    "start_later",
    "cancel_job",
    "outcome_plan",
    "JOB_TYPES",
]

ACTIVE = frozenset({"new", "pending", "waiting", "running"})
TERMINAL = frozenset({"successful", "failed", "error", "canceled"})
FAILED = frozenset({"failed", "error", "canceled"})
JOB_TYPES = {
    "jobs": "job",
    "workflow_jobs": "workflow_job",
    "project_updates": "project_update",
    "inventory_updates": "inventory_update",
    "workflow_approvals": "workflow_approval",
    "system_jobs": "system_job",
}
# Called with (runtime, kind, job) when a job reaches a terminal status.
FINISH_HOOKS: list[t.Callable[["Runtime", str, Record], None]] = []
# Called with (runtime, kind, job, old status) after every status change (notifications).
STATUS_HOOKS: list[t.Callable[["Runtime", str, Record, str], None]] = []


def outcome_plan(runtime: Runtime) -> OutcomePlan:
    """The scripted outcomes of this mock (kept in the store so snapshots carry them)."""
    plan = runtime.store.meta.get("outcomes")
    if plan is None:
        plan = runtime.store.meta["outcomes"] = OutcomePlan()
    return t.cast(OutcomePlan, plan)


def create_job(runtime: Runtime, kind: str, fields: t.Mapping[str, t.Any], user_id: int | None) -> Record:
    """A new unified job (status ``new``) with AWX's common fields filled in."""
    now = runtime.clock.now()
    record: dict[str, t.Any] = {
        "id": None,
        "_type": JOB_TYPES[kind],
        "name": "",
        "description": "",
        "unified_job_template": None,
        "launch_type": "manual",
        "status": "new",
        "started": None,
        "finished": None,
        "canceled_on": None,
        "job_explanation": "",
        "result_traceback": "",
        "cancel_flag": False,
        "created": now,
        "modified": now,
        "created_by": user_id,
        "modified_by": user_id,
        "labels": [],
    }
    record.update(fields)
    return runtime.store.insert(kind, record)


def set_status(runtime: Runtime, kind: str, job: Record, status: str, explanation: str | None = None) -> Record:
    """Move a job to ``status``, setting started/finished as AWX does; runs finish hooks."""
    old = job.get("status", "new")
    if old in TERMINAL:
        return job
    now = runtime.clock.now()
    changes: dict[str, t.Any] = {"status": status, "modified": now}
    if status == "running" and job.get("started") is None:
        changes["started"] = now
    if status in TERMINAL:
        changes["finished"] = now
    if explanation is not None:
        changes["job_explanation"] = explanation
    job = runtime.store.update(kind, job["id"], changes)
    for status_hook in STATUS_HOOKS:
        status_hook(runtime, kind, job, old)
    if status in TERMINAL:
        for hook in FINISH_HOOKS:
            hook(runtime, kind, job)
    return job


def elapsed(job: Record, now: dt.datetime) -> float:
    """Seconds between started and finished (or now while running), rounded as AWX does."""
    started = job.get("started")
    if started is None:
        return 0.0
    end = job.get("finished") or now
    return round((end - started).total_seconds(), 3)


def start_later(runtime: Runtime, kind: str, job: Record, facts: t.Mapping[str, t.Any]) -> None:
    """Make a new job pending and schedule it to run with its scripted outcome."""
    set_status(runtime, kind, job, "pending")
    outcome = outcome_plan(runtime).next_outcome(facts)
    runtime.store.update(kind, job["id"], {"_outcome": outcome})
    Scheduler(runtime).schedule(runtime.settings.job_start_delay, "job_start", kind, job["id"])


@action("job_start")
def _job_start(runtime: Runtime, kind: str, job_id: int) -> None:
    job = runtime.store.get(kind, job_id)
    if job is None or job["status"] != "pending":
        return
    set_status(runtime, kind, job, "waiting")
    job = set_status(runtime, kind, job, "running")
    outcome: Outcome = job.get("_outcome") or Outcome()
    duration = runtime.settings.job_duration if outcome.duration is None else outcome.duration
    Scheduler(runtime).schedule(duration, "job_finish", kind, job_id, outcome.status, outcome.job_explanation)


@action("job_finish")
def _job_finish(runtime: Runtime, kind: str, job_id: int, status: str, explanation: str | None = None) -> None:
    job = runtime.store.get(kind, job_id)
    if job is None or job["status"] in TERMINAL:
        return
    set_status(runtime, kind, job, status, explanation)


def cancel_job(runtime: Runtime, kind: str, job: Record) -> bool:
    """Request a cancel; pending jobs end at once, running ones at the next event run."""
    if job.get("status") not in ACTIVE:
        return False
    now = runtime.clock.now()
    job = runtime.store.update(kind, job["id"], {"cancel_flag": True, "canceled_on": job.get("canceled_on") or now})
    if kind == "workflow_jobs":
        from .workflows import cancel_workflow

        cancel_workflow(runtime, job)
    elif job["status"] in ("new", "pending", "waiting") or kind == "workflow_approvals":
        set_status(runtime, kind, job, "canceled")
    else:
        Scheduler(runtime).schedule(0, "job_finish", kind, job["id"], "canceled")
    return True
