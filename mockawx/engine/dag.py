"""Reference workflow-manager cycle: DNR marking, done check, failure rule and BFS spawn choice.

This follows AWX's cycle step by step and costs a full pass per event; the mock runs
``incremental.WorkflowRun`` instead, and the property tests hold the two to the same answers.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from mockawx.engine.graph import (
    FAILED_LIKE,
    FINISHED,
    EdgeKind,
    Node,
    WorkflowGraph,
    edge_leads,
    edge_problem,
)

__all__ = [
    "EdgeKind",
    "FINISHED",
    "FAILED_LIKE",
    "CANCELLABLE",
    "Node",
    "WorkflowGraph",
    "edge_problem",
    "NodeState",
    "CycleResult",
    "CancelResult",
    "initial_states",
    "run_cycle",
    "cancel_cycle",
    "has_workflow_failed",
]

CANCELLABLE: frozenset[str] = frozenset({"new", "pending", "waiting", "running"})
_FAILURE_HANDLERS = (EdgeKind.FAILURE, EdgeKind.ALWAYS)


@dataclass(slots=True)
class NodeState:
    """Mutable per-node run state: the spawned job's status (None = no job yet) and do_not_run."""

    job_status: str | None = None
    do_not_run: bool = False


@dataclass(slots=True)
class CycleResult:
    """What one workflow-manager cycle decided; `stalled` means wedged with no job left to wait on."""

    newly_dnr: list[int] = field(default_factory=list)
    spawn: list[int] = field(default_factory=list)
    done: bool = False
    failed: bool = False
    stalled: bool = False


@dataclass(slots=True)
class CancelResult:
    """What a cycle of a cancel-flagged workflow did; `finished` means the workflow is now canceled."""

    newly_dnr: list[int] = field(default_factory=list)
    cancel: list[int] = field(default_factory=list)
    finished: bool = False


def initial_states(graph: WorkflowGraph) -> dict[int, NodeState]:
    """Fresh states (no job, not DNR) for every node of the graph."""
    return {nid: NodeState() for nid in graph.nodes}


def _state(states: dict[int, NodeState], nid: int) -> NodeState:
    # a caller may hand in a partial dict; a missing node has simply not started
    st = states.get(nid)
    if st is None:
        st = states[nid] = NodeState()
    return st


def _parent_labels(graph: WorkflowGraph, nid: int) -> dict[int, set[EdgeKind]]:
    grouped: dict[int, set[EdgeKind]] = {}
    for parent, kind in graph.parents(nid):
        grouped.setdefault(parent, set()).add(kind)
    return grouped


def _any_node_should_be_dnr(graph: WorkflowGraph, states: dict[int, NodeState], nid: int) -> bool:
    """ANY rule: every parent decided and none of them leads to the node."""
    for parent, kinds in _parent_labels(graph, nid).items():
        pst = _state(states, parent)
        if pst.do_not_run:
            continue  # DNR parents are decided and never lead
        if pst.job_status is not None:
            if pst.job_status not in FINISHED or edge_leads(pst.job_status, kinds):
                return False  # a running job blocks; a matching finished job leads
        elif not graph.nodes[parent].has_template:
            if edge_leads("failed", kinds):
                return False  # a template-less node counts as failed for paths
        else:
            return False  # undecided parent: no job yet, template present
    return True


def _all_criteria_met(graph: WorkflowGraph, states: dict[int, NodeState], nid: int) -> bool:
    """ALL criteria: every parent that ended successful or failed reached the node by a matching label."""
    for parent, kinds in _parent_labels(graph, nid).items():
        status = _state(states, parent).job_status
        # error and canceled parents, jobless parents and template-less parents are ignored (AWX quirk)
        if status in ("successful", "failed") and not edge_leads(status, kinds):
            return False
    return True


def _mark_dnr(graph: WorkflowGraph, states: dict[int, NodeState]) -> list[int]:
    """§3.4 in topological order, so a mark cascades to descendants within the same pass."""
    marked: list[int] = []
    for nid in graph.topological_order():
        st = _state(states, nid)
        parents = graph.parents(nid)
        if st.do_not_run or st.job_status is not None or not parents:
            continue
        if graph.nodes[nid].all_parents_must_converge:
            hit = any(_state(states, p).do_not_run for p, _ in parents) or not _all_criteria_met(
                graph, states, nid
            )
        else:
            hit = _any_node_should_be_dnr(graph, states, nid)
        if hit:
            st.do_not_run = True
            marked.append(nid)
    return marked


def _is_done(graph: WorkflowGraph, states: dict[int, NodeState]) -> bool:
    for nid, node in graph.nodes.items():
        st = _state(states, nid)
        if st.job_status is None and not st.do_not_run and node.has_template:
            return False  # still pending a decision
        if st.job_status is not None and st.job_status not in FINISHED:
            return False
    return True


def has_workflow_failed(graph: WorkflowGraph, states: dict[int, NodeState]) -> bool:
    """§3.6: some failed node (failed-like job, or non-DNR without template) has no failure/always child."""
    for nid, node in graph.nodes.items():
        st = _state(states, nid)
        is_failed = st.job_status in FAILED_LIKE or (not node.has_template and not st.do_not_run)
        if is_failed and not graph.has_failure_handler(nid):
            return True
    return False


def _relevant_parents_finished(graph: WorkflowGraph, states: dict[int, NodeState], nid: int) -> bool:
    for parent, _ in graph.parents(nid):
        pst = _state(states, parent)
        if pst.do_not_run or not graph.nodes[parent].has_template:
            continue
        if pst.job_status not in FINISHED:
            return False  # no job yet, or job still going
    return True


def _bfs_spawn(graph: WorkflowGraph, states: dict[int, NodeState]) -> list[int]:
    """§3.5: walk from the roots through finished or template-less nodes along matching labels."""
    queue = deque(graph.roots())
    visited: set[int] = set()
    found: list[int] = []
    while queue:
        nid = queue.popleft()
        if nid in visited:
            continue
        visited.add(nid)
        st = _state(states, nid)
        if st.do_not_run:
            continue
        if st.job_status is not None:
            if st.job_status == "successful":
                queue.extend(graph.children(nid, EdgeKind.SUCCESS, EdgeKind.ALWAYS))
            elif st.job_status in FAILED_LIKE:
                queue.extend(graph.children(nid, *_FAILURE_HANDLERS))
        elif not graph.nodes[nid].has_template:
            queue.extend(graph.children(nid, *_FAILURE_HANDLERS))
        elif _relevant_parents_finished(graph, states, nid):
            if not graph.nodes[nid].all_parents_must_converge or _all_criteria_met(graph, states, nid):
                found.append(nid)
    return found


def run_cycle(graph: WorkflowGraph, states: dict[int, NodeState]) -> CycleResult:
    """One workflow-manager cycle (§3.3 steps 2-5); mutates do_not_run and returns what to spawn."""
    newly = sorted(_mark_dnr(graph, states))
    if _is_done(graph, states):
        return CycleResult(newly, [], True, has_workflow_failed(graph, states), False)
    spawn = sorted(_bfs_spawn(graph, states))
    waiting = any(
        st.job_status is not None and st.job_status not in FINISHED
        for st in (_state(states, nid) for nid in graph.nodes)
    )
    return CycleResult(newly, spawn, False, False, stalled=not spawn and not waiting)


def cancel_cycle(graph: WorkflowGraph, states: dict[int, NodeState]) -> CancelResult:
    """§3.3 step 1: mark every jobless node DNR and list spawned jobs that still need a cancel."""
    newly: list[int] = []
    cancel: list[int] = []
    for nid in graph.nodes:
        st = _state(states, nid)
        if st.job_status is None:
            if not st.do_not_run:
                st.do_not_run = True
                newly.append(nid)
        elif st.job_status in CANCELLABLE:
            cancel.append(nid)
    return CancelResult(newly, cancel, finished=not cancel)
