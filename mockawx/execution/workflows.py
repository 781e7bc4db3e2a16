"""Workflow jobs: launch (copying the template's graph), the DAG run, spawning, cancel."""

from __future__ import annotations

import typing as t

from ..engine import EdgeKind, Node, Step, WorkflowGraph, WorkflowRun
from ..store import Record, Store
from .lifecycle import ACTIVE, FINISH_HOOKS, TERMINAL, cancel_job, create_job, set_status
from .scheduler import Scheduler, action
from .spawn import spawn_job

if t.TYPE_CHECKING:
    from ..runtime import Runtime

__all__ = ["EDGES", "NODE_PROMPTS", "NO_ERROR_PATH", "cancel_workflow", "launch_workflow", "relaunch_orphan", "workflow_run"]

NO_ERROR_PATH = "No error handling paths found, marking workflow as failed"
BLOCK_NOTICE_SECONDS = 30  # AWX's task manager explains a blocked job on a later pass, about this long after
EDGES = ("success_nodes", "failure_nodes", "always_nodes")
EDGE_KIND = {"success_nodes": EdgeKind.SUCCESS, "failure_nodes": EdgeKind.FAILURE, "always_nodes": EdgeKind.ALWAYS}
NODE_PROMPTS = (
    "extra_data", "inventory", "scm_branch", "job_type", "job_tags", "skip_tags", "limit", "diff_mode",
    "verbosity", "execution_environment", "forks", "job_slice_count", "timeout",
)


def launch_workflow(runtime: Runtime, template: Record, fields: t.Mapping[str, t.Any], user_id: int | None) -> Record:
    """Create a workflow job from ``template`` (pending), copying its nodes and edges."""
    job = _new_workflow_job(runtime, {
        "name": template["name"],
        "description": template.get("description") or "",
        "unified_job_template": template["id"],
        "workflow_job_template": template["id"],
        "allow_simultaneous": template.get("allow_simultaneous", False),
        **fields,
    }, user_id)
    copy_nodes(runtime.store, runtime.store.find("workflow_job_template_nodes", "workflow_job_template", template["id"]), job, runtime.clock.now())
    return _queue(runtime, job)


def relaunch_orphan(runtime: Runtime, original: Record, fields: t.Mapping[str, t.Any], user_id: int | None) -> Record:
    """Relaunch a workflow job whose template is gone: its own nodes are copied, as AWX does."""
    job = _new_workflow_job(runtime, {
        "name": original["name"],
        "description": original.get("description", ""),
        "unified_job_template": None,
        "workflow_job_template": None,
        "allow_simultaneous": original.get("allow_simultaneous", False),
        **fields,
    }, user_id)
    copy_nodes(runtime.store, runtime.store.find("workflow_job_nodes", "workflow_job", original["id"]), job, runtime.clock.now())
    return _queue(runtime, job)


def _new_workflow_job(runtime: Runtime, fields: t.Mapping[str, t.Any], user_id: int | None) -> Record:
    return create_job(runtime, "workflow_jobs", {
        "is_sliced_job": False,
        "job_template": None,
        "webhook_service": "",
        "webhook_credential": None,
        "webhook_guid": "",
        "source_workflow_job": None,
        **fields,
    }, user_id)


def _queue(runtime: Runtime, job: Record) -> Record:
    set_status(runtime, "workflow_jobs", job, "pending")
    Scheduler(runtime).schedule(0, "workflow_start", job["id"])
    return runtime.store.get("workflow_jobs", job["id"]) or job


def copy_nodes(store: Store, source_nodes: t.Sequence[Record], job: Record, now: t.Any) -> None:
    """Copy template (or earlier job) nodes into the job's nodes, then their edges, keeping identifiers."""
    mapping: dict[int, int] = {}
    for node in source_nodes:
        copied = store.insert("workflow_job_nodes", {
            "id": None,
            "workflow_job": job["id"],
            "unified_job_template": node.get("unified_job_template"),
            "identifier": node.get("identifier"),
            "all_parents_must_converge": node.get("all_parents_must_converge", False),
            "do_not_run": False,
            "job": None,
            "labels": list(node.get("labels", [])),
            "credentials": list(node.get("credentials", [])),
            "instance_groups": list(node.get("instance_groups", [])),
            "created": now,
            "modified": now,
            **{field: node.get(field) for field in NODE_PROMPTS},
        })
        mapping[node["id"]] = copied["id"]
    for node in source_nodes:
        store.update("workflow_job_nodes", mapping[node["id"]], {
            edge: [mapping[c] for c in node.get(edge, []) if c in mapping] for edge in EDGES
        })


def job_graph(store: Store, job_id: int) -> WorkflowGraph:
    nodes = store.find("workflow_job_nodes", "workflow_job", job_id)
    return WorkflowGraph(
        [Node(n["id"], n.get("unified_job_template") is not None, bool(n.get("all_parents_must_converge"))) for n in nodes],
        [(n["id"], EDGE_KIND[edge], child) for n in nodes for edge in EDGES for child in n.get(edge, [])],
    )


def workflow_run(runtime: Runtime, job_id: int) -> WorkflowRun | None:
    return t.cast("WorkflowRun | None", runtime.store.meta.setdefault("workflow_runs", {}).get(job_id))


@action("workflow_start")
def _workflow_start(runtime: Runtime, job_id: int) -> None:
    store = runtime.store
    job = store.get("workflow_jobs", job_id)
    if job is None or job["status"] != "pending":
        return
    blocker = _blocker(store, job)
    if blocker is not None:
        # started again when the running one finishes; AWX's task manager says why on its next pass
        Scheduler(runtime).schedule(BLOCK_NOTICE_SECONDS, "workflow_blocked", job_id, blocker["id"])
        return
    job = set_status(runtime, "workflow_jobs", job, "running")
    run = WorkflowRun(job_graph(store, job_id))
    store.meta.setdefault("workflow_runs", {})[job_id] = run
    apply_step(runtime, job, run.start())


def _blocker(store: Store, job: Record) -> Record | None:
    """allow_simultaneous false: the job of the same template that this one must wait for."""
    if job.get("allow_simultaneous") or job.get("workflow_job_template") is None:
        return None
    running = [
        other for other in store.find("workflow_jobs", "workflow_job_template", job["workflow_job_template"])
        if other["id"] != job["id"] and other["status"] in ("waiting", "running")
    ]
    return min(running, key=lambda other: other["id"]) if running else None


@action("workflow_blocked")
def _explain_block(runtime: Runtime, job_id: int, blocker_id: int) -> None:
    job = runtime.store.get("workflow_jobs", job_id)
    blocker = runtime.store.get("workflow_jobs", blocker_id)
    if job is not None and job["status"] == "pending" and blocker is not None and blocker["status"] in ACTIVE:
        runtime.store.update("workflow_jobs", job_id, {"job_explanation": f"waiting for workflowjob-{blocker_id} to finish"})


def apply_step(runtime: Runtime, job: Record, step: Step) -> None:
    """Carry out one engine step: mark do-not-run, spawn jobs, finish the workflow."""
    store = runtime.store
    for node_id in step.newly_dnr:
        store.update("workflow_job_nodes", node_id, {"do_not_run": True})
    orphans = []
    for node_id in step.spawn:
        node = store.get("workflow_job_nodes", node_id)
        if node is None or not spawn_job(runtime, job, node):
            orphans.append(node_id)
    for node_id in step.cancel:
        node = store.get("workflow_job_nodes", node_id) or {}
        found = _node_job(store, node)
        if found is not None:
            cancel_job(runtime, *found)
    if step.done:
        _finish(runtime, job, step)
    run = workflow_run(runtime, job["id"])
    for node_id in orphans:
        if run is not None and not run.done:
            apply_step(runtime, job, run.job_finished(node_id, "failed"))


def _node_job(store: Store, node: Record) -> tuple[str, Record] | None:
    from .spawn import find_job

    return find_job(store, node.get("job"))


def _finish(runtime: Runtime, job: Record, step: Step) -> None:
    job = runtime.store.get("workflow_jobs", job["id"]) or job
    if job["status"] in TERMINAL:
        return
    if step.canceled:
        set_status(runtime, "workflow_jobs", job, "canceled")
    elif step.failed:
        set_status(runtime, "workflow_jobs", job, "failed", NO_ERROR_PATH)
    else:
        set_status(runtime, "workflow_jobs", job, "successful")


def child_finished(runtime: Runtime, kind: str, child: Record) -> None:
    """A spawned job ended: tell its workflow's run and act on the answer."""
    node_id = child.get("_workflow_node")
    if node_id is None:
        return
    store = runtime.store
    node = store.get("workflow_job_nodes", node_id)
    job = store.get("workflow_jobs", node["workflow_job"]) if node else None
    run = workflow_run(runtime, job["id"]) if job else None
    if job is None or run is None or job["status"] != "running" or run.done:
        return
    apply_step(runtime, job, run.job_finished(node_id, child["status"]))


def _start_waiting(runtime: Runtime, kind: str, finished: Record) -> None:
    """When a workflow job ends, the oldest pending one of its template may start."""
    if kind != "workflow_jobs" or finished.get("workflow_job_template") is None:
        return
    pending = [
        j for j in runtime.store.find("workflow_jobs", "workflow_job_template", finished["workflow_job_template"])
        if j["status"] == "pending"
    ]
    if pending:
        Scheduler(runtime).schedule(0, "workflow_start", min(pending, key=lambda j: j["id"])["id"])


def cancel_workflow(runtime: Runtime, job: Record) -> None:
    """Cancel: a pending job ends at once; a running one at the next manager cycle."""
    if job["status"] in ("new", "pending", "waiting"):
        set_status(runtime, "workflow_jobs", job, "canceled")
        return
    Scheduler(runtime).schedule(0, "workflow_cancel", job["id"])


@action("workflow_cancel")
def _workflow_cancel(runtime: Runtime, job_id: int) -> None:
    job = runtime.store.get("workflow_jobs", job_id)
    run = workflow_run(runtime, job_id)
    if job is None or run is None or job["status"] not in ACTIVE:
        return
    apply_step(runtime, job, run.cancel())


FINISH_HOOKS.extend([child_finished, _start_waiting])
