"""Scheduled launches: each enabled schedule fires at its next run, on the mock's clock."""

from __future__ import annotations

import datetime as dt
import json
import typing as t

from ..execution.scheduler import Scheduler, action
from ..execution.workflows import launch_workflow
from ..store import Record
from ._vars import parse_vars
from .activity_stream import record_workflow_job_create

if t.TYPE_CHECKING:
    from ..runtime import Runtime

__all__ = ["arm", "SCHEDULED_LAUNCHERS", "launch_job_template"]

PROMPTS = ("inventory", "limit", "scm_branch", "job_tags", "skip_tags")


def arm(runtime: Runtime, schedule: Record) -> None:
    """Queue the schedule's next run (a changed or disabled schedule ignores older entries)."""
    due = schedule.get("next_run")
    if due is None or not schedule.get("enabled", True):
        return
    delay = (due - runtime.clock.now()).total_seconds()
    Scheduler(runtime).schedule(delay, "schedule_fire", schedule["id"], due.isoformat())


@action("schedule_fire")
def _fire(runtime: Runtime, schedule_id: int, due: str) -> None:
    from .schedules import refresh_next_run

    schedule = runtime.store.get("schedules", schedule_id)
    if schedule is None or not schedule.get("enabled", True) or schedule.get("next_run") != dt.datetime.fromisoformat(due):
        return  # the schedule changed since this run was queued
    _launch(runtime, schedule)
    arm(runtime, refresh_next_run(runtime.store, schedule_id, runtime.clock.now()))


def _launch(runtime: Runtime, schedule: Record) -> None:
    store = runtime.store
    template = store.get("workflow_job_templates", schedule.get("unified_job_template"))
    if template is not None:
        variables = {**parse_vars(template.get("extra_vars")), **(schedule.get("extra_data") or {})}
        job = launch_workflow(runtime, template, {
            "launch_type": "scheduled",
            "schedule": schedule["id"],
            "extra_vars": json.dumps(variables),
            **{prompt: schedule.get(prompt) if schedule.get(prompt) is not None else template.get(prompt) for prompt in PROMPTS},
            "labels": list(template.get("labels", [])),
        }, None)
        record_workflow_job_create(runtime, job)  # no actor: AWX's scheduler launched it
        return
    launcher = SCHEDULED_LAUNCHERS.get(_kind_of(runtime, schedule.get("unified_job_template")) or "")
    if launcher is not None:
        launcher(runtime, schedule)


def _kind_of(runtime: Runtime, pk: int | None) -> str | None:
    from ._unified import find_unified_template

    found = find_unified_template(runtime.store, pk)
    return found[0] if found else None


# template kind -> function(runtime, schedule) launching it; modules owning a kind may add theirs
SCHEDULED_LAUNCHERS: dict[str, t.Callable[["Runtime", Record], None]] = {}
CANNOT_START = "Scheduled job could not start because it was not in the right state or required manual credentials"


def launch_job_template(runtime: Runtime, schedule: Record) -> None:
    """A job of the schedule's job template: the prompts it asks for come from the schedule."""
    from ..execution.lifecycle import create_job, set_status, start_later
    from .job_launch import NODE_PROMPTS, job_fields, start_info, survey_variables
    from .job_templates import ASK

    store = runtime.store
    template = store.get("job_templates", schedule.get("unified_job_template"))
    if template is None:
        return
    prompts = {f: schedule[f] for f in NODE_PROMPTS if schedule.get(f) not in (None, "") and template.get(ASK[f])}
    if schedule.get("extra_data") and (template.get("ask_variables_on_launch") or survey_variables(template)):
        prompts["extra_vars"] = schedule["extra_data"]
    fields = {**job_fields(store, template, prompts), "launch_type": "scheduled", "schedule": schedule["id"]}
    job = create_job(runtime, "jobs", fields, None)
    if store.get("projects", fields.get("project")) is None or store.get("inventories", fields.get("inventory")) is None:
        set_status(runtime, "jobs", job, "failed", CANNOT_START)
        return
    start_later(runtime, "jobs", job, start_info(template))


SCHEDULED_LAUNCHERS["job_templates"] = launch_job_template
