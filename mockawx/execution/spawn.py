"""What a workflow node turns into when it runs: a job, an update, an approval or a nested workflow."""

from __future__ import annotations

import datetime as dt
import json
import typing as t

from ..store import Record, Store
from .lifecycle import create_job, outcome_plan, set_status, start_later
from .scheduler import Scheduler, action

if t.TYPE_CHECKING:
    from ..runtime import Runtime

__all__ = ["spawn_job", "find_job", "JOB_BUILDERS", "TEMPLATE_JOB_KIND", "RECURSION", "MISSING_RESOURCE"]

TEMPLATE_JOB_KIND = {
    "job_templates": "jobs",
    "workflow_job_templates": "workflow_jobs",
    "projects": "project_updates",
    "inventory_sources": "inventory_updates",
    "system_job_templates": "system_jobs",
    "workflow_approval_templates": "workflow_approvals",
}
JOB_KINDS = tuple(TEMPLATE_JOB_KIND.values())
RECURSION = "Workflow Job spawned from workflow could not start because it would result in recursion (spawn order, most recent first: {chain})"
MISSING_RESOURCE = "Job spawned from workflow could not start because it was missing a related resource such as project or inventory"

# kind of template -> function(runtime, template, node, workflow_job) -> fields of the new job.
# Modules that own a template kind may register a richer builder.
Builder = t.Callable[["Runtime", Record, Record, Record], dict[str, t.Any]]
JOB_BUILDERS: dict[str, Builder] = {}


def find_job(store: Store, job_id: int | None) -> tuple[str, Record] | None:
    """The unified job with this id and its table."""
    if job_id is None:
        return None
    for kind in JOB_KINDS:
        record = store.get(kind, job_id)
        if record is not None:
            return kind, record
    return None


def _template(store: Store, pk: int | None) -> tuple[str, Record] | None:
    for kind in TEMPLATE_JOB_KIND:
        record = store.get(kind, pk)
        if record is not None:
            return kind, record
    return None


def spawn_job(runtime: Runtime, workflow_job: Record, node: Record) -> bool:
    """Create and start the job for ``node`` (launch_type ``workflow``), linking it to the node.

    False when the node's template is gone (deleted after the launch): it gets no job and,
    as AWX treats a node without a template, counts as failed.
    """
    store = runtime.store
    found = _template(store, node.get("unified_job_template"))
    if found is None:
        store.update("workflow_job_nodes", node["id"], {"unified_job_template": None})
        return False
    template_kind, template = found
    if template_kind == "workflow_job_templates":
        child = _spawn_workflow(runtime, workflow_job, node, template)
    elif template_kind == "workflow_approval_templates":
        child = _spawn_approval(runtime, workflow_job, node, template)
    else:
        child = _spawn_plain(runtime, workflow_job, node, template_kind, template)
    store.update("workflow_job_nodes", node["id"], {"job": child["id"]})
    return True


def _common(workflow_job: Record, node: Record, template: Record) -> dict[str, t.Any]:
    return {
        "name": template["name"],
        "description": template.get("description") or "",
        "unified_job_template": template["id"],
        "launch_type": "workflow",
        "_workflow_node": node["id"],
        "_workflow_job": workflow_job["id"],
    }


def _facts(workflow_job: Record, node: Record, template: Record, kind: str) -> dict[str, t.Any]:
    facts = {
        "unified_job_template": template["id"],
        "node_identifier": node.get("identifier"),
        "workflow_job": workflow_job["id"],
        "workflow_job_template": workflow_job.get("workflow_job_template"),
        "name": template.get("name"),
    }
    if kind == "job_templates":
        facts["job_template"] = template["id"]
    return facts


def _spawn_plain(runtime: Runtime, workflow_job: Record, node: Record, kind: str, template: Record) -> Record:
    builder = JOB_BUILDERS.get(kind)
    extra = builder(runtime, template, node, workflow_job) if builder else {}
    job_kind = TEMPLATE_JOB_KIND[kind]
    child = create_job(runtime, job_kind, {**_common(workflow_job, node, template), **extra}, workflow_job.get("created_by"))
    problem = extra.get("_spawn_problem")
    if problem:
        set_status(runtime, job_kind, child, "pending")
        Scheduler(runtime).schedule(0, "job_finish", job_kind, child["id"], "failed", problem)
        return child
    start_later(runtime, job_kind, child, _facts(workflow_job, node, template, kind))
    return child


def _ancestors(store: Store, workflow_job: Record) -> list[Record]:
    chain = [workflow_job]
    seen = {workflow_job["id"]}
    current = workflow_job
    while current.get("source_workflow_job") is not None:
        parent = store.get("workflow_jobs", current["source_workflow_job"])
        if parent is None or parent["id"] in seen:
            break
        chain.append(parent)
        seen.add(parent["id"])
        current = parent
    return chain


def _spawn_workflow(runtime: Runtime, workflow_job: Record, node: Record, template: Record) -> Record:
    from .workflows import launch_workflow

    store = runtime.store
    chain = _ancestors(store, workflow_job)
    fields = {
        **_common(workflow_job, node, template),
        "source_workflow_job": workflow_job["id"],
        "extra_vars": _nested_vars(workflow_job, node),
        "launched_by": workflow_job.get("launched_by"),
    }
    if any(job.get("workflow_job_template") == template["id"] for job in chain):
        names = [f"<{template['name']}-{template['id']}>"]
        for job in chain:
            wfjt = store.get("workflow_job_templates", job.get("workflow_job_template"))
            names.append(f"<{job['name']}-{wfjt['id'] if wfjt else job.get('workflow_job_template')}>")
        child = create_job(runtime, "workflow_jobs", {**fields, "workflow_job_template": template["id"], "allow_simultaneous": template.get("allow_simultaneous", False), "is_sliced_job": False, "job_template": None, "webhook_service": "", "webhook_credential": None, "webhook_guid": ""}, workflow_job.get("created_by"))
        Scheduler(runtime).schedule(0, "job_finish", "workflow_jobs", child["id"], "failed", RECURSION.format(chain=", ".join(names)))
        return child
    return launch_workflow(runtime, template, fields, workflow_job.get("created_by"))


def _nested_vars(workflow_job: Record, node: Record) -> str:
    merged: dict[str, t.Any] = dict(node.get("extra_data") or {})
    try:
        merged.update(json.loads(workflow_job.get("extra_vars") or "{}"))
    except (ValueError, TypeError):
        pass
    return json.dumps(merged)


def _spawn_approval(runtime: Runtime, workflow_job: Record, node: Record, template: Record) -> Record:
    timeout = int(template.get("timeout") or 0)
    now = runtime.clock.now()
    child = create_job(runtime, "workflow_approvals", {
        **_common(workflow_job, node, template),
        "timeout": timeout,
        "timed_out": False,
        "approved_or_denied_by": None,
        "expires": now + dt.timedelta(seconds=timeout) if timeout > 0 else None,
    }, workflow_job.get("created_by"))
    child = set_status(runtime, "workflow_approvals", child, "pending")
    runtime.store.update("workflow_approvals", child["id"], {"started": child["created"]})
    scheduler = Scheduler(runtime)
    if timeout > 0:
        scheduler.schedule(timeout, "approval_timeout", child["id"])
    facts = _facts(workflow_job, node, template, "workflow_approval_templates")
    plan = outcome_plan(runtime)
    if any(rule.matches(facts) for rule in plan.rules):
        outcome = plan.next_outcome(facts)
        decision = "successful" if outcome.status == "successful" else "failed"
        scheduler.schedule(outcome.duration or 0.0, "approval_decide", child["id"], decision)
    return child


@action("approval_timeout")
def _approval_timeout(runtime: Runtime, approval_id: int) -> None:
    approval = runtime.store.get("workflow_approvals", approval_id)
    if approval is None or approval["status"] != "pending":
        return
    runtime.store.update("workflow_approvals", approval_id, {"timed_out": True})
    message = f"The approval node {approval['name']} ({approval_id}) has expired after {approval['timeout']} seconds."
    set_status(runtime, "workflow_approvals", runtime.store.get("workflow_approvals", approval_id) or approval, "failed", message)


@action("approval_decide")
def _approval_decide(runtime: Runtime, approval_id: int, status: str) -> None:
    approval = runtime.store.get("workflow_approvals", approval_id)
    if approval is None or approval["status"] != "pending":
        return
    set_status(runtime, "workflow_approvals", approval, status)
