"""Hypothesis strategies for property-testing automation against AWX workflow semantics."""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from hypothesis import strategies as st

from mockawx.engine.graph import EdgeKind, Node, WorkflowGraph
from mockawx.engine.incremental import WorkflowRun

__all__ = [
    "EDGE_KINDS",
    "JOB_OUTCOMES",
    "PlanNode",
    "WorkflowPlan",
    "PlanResult",
    "workflow_graphs",
    "outcome_plans",
    "expected_result",
]

EDGE_KINDS: tuple[str, ...] = ("success", "failure", "always")
JOB_OUTCOMES: tuple[str, ...] = ("successful", "failed", "error", "canceled")


@dataclass(frozen=True, slots=True)
class PlanNode:
    """One planned workflow node: its identifier, convergence mode and whether it has a template."""

    identifier: str
    all_parents_must_converge: bool = False
    has_template: bool = True


@dataclass(frozen=True, slots=True)
class WorkflowPlan:
    """A workflow graph to build: nodes listed parents-first, edges as (parent, label, child) identifiers."""

    nodes: tuple[PlanNode, ...]
    edges: tuple[tuple[str, str, str], ...]

    def identifiers(self) -> list[str]:
        """Node identifiers in plan order."""
        return [node.identifier for node in self.nodes]

    def node_ids(self) -> dict[str, int]:
        """Identifier to the 1-based node id that to_graph() uses."""
        return {node.identifier: pos for pos, node in enumerate(self.nodes, start=1)}

    def to_graph(self) -> WorkflowGraph:
        """The plan as a WorkflowGraph, node ids numbered from 1 in plan order."""
        ids = self.node_ids()
        nodes = [
            Node(ids[n.identifier], n.has_template, n.all_parents_must_converge) for n in self.nodes
        ]
        edges = [(ids[p], EdgeKind(kind), ids[c]) for p, kind, c in self.edges]
        return WorkflowGraph(nodes, edges)


@dataclass(frozen=True, slots=True)
class PlanResult:
    """What AWX ends with: workflow status ('running' when wedged), per-node job status and DNR."""

    status: str
    failed: bool
    job_status: Mapping[str, str | None]
    do_not_run: Mapping[str, bool]


@st.composite
def _plans(
    draw: st.DrawFn,
    min_nodes: int,
    max_nodes: int,
    max_parents: int,
    edge_kinds: Sequence[str],
    converge: bool,
    missing_templates: bool,
    identifiers: st.SearchStrategy[str] | None,
) -> WorkflowPlan:
    count = draw(st.integers(min_nodes, max_nodes))
    if identifiers is None:
        names = [f"node-{pos}" for pos in range(1, count + 1)]
    else:
        names = draw(st.lists(identifiers, min_size=count, max_size=count, unique=True))
    nodes = tuple(
        PlanNode(
            name,
            draw(st.booleans()) if converge else False,
            not draw(st.booleans()) if missing_templates else True,
        )
        for name in names
    )
    edges: list[tuple[str, str, str]] = []
    for pos in range(1, count):
        # parents only come from earlier nodes, so the plan is acyclic by construction
        parents = draw(st.sets(st.integers(0, pos - 1), max_size=min(max_parents, pos)))
        for parent in sorted(parents):
            edges.append((names[parent], draw(st.sampled_from(edge_kinds)), names[pos]))
    return WorkflowPlan(nodes, tuple(edges))


def workflow_graphs(
    *,
    min_nodes: int = 1,
    max_nodes: int = 8,
    max_parents: int = 3,
    edge_kinds: Sequence[str] = EDGE_KINDS,
    converge: bool = True,
    missing_templates: bool = False,
    identifiers: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[WorkflowPlan]:
    """Acyclic WorkflowPlans with at most one label per parent/child pair, as AWX's API allows."""
    if not 0 <= min_nodes <= max_nodes:
        raise ValueError("need 0 <= min_nodes <= max_nodes")
    kinds = [EdgeKind(kind).value for kind in edge_kinds]
    if not kinds:
        raise ValueError("edge_kinds must not be empty")
    return _plans(
        min_nodes, max_nodes, max_parents, kinds, converge, missing_templates, identifiers
    )


def outcome_plans(
    plan: WorkflowPlan, statuses: Sequence[str] = JOB_OUTCOMES
) -> st.SearchStrategy[dict[str, str]]:
    """Final job status for every templated node of the plan, drawn from `statuses`."""
    names = [node.identifier for node in plan.nodes if node.has_template]
    return st.fixed_dictionaries({name: st.sampled_from(tuple(statuses)) for name in names})


def expected_result(plan: WorkflowPlan, outcomes: Mapping[str, str]) -> PlanResult:
    """Run the plan as AWX would, jobs finishing in spawn order with `outcomes` (default successful)."""
    names = {pos: name for name, pos in plan.node_ids().items()}
    run = WorkflowRun(plan.to_graph())
    queue = deque(run.start().spawn)
    while queue:
        nid = queue.popleft()
        queue.extend(run.job_finished(nid, outcomes.get(names[nid], "successful")).spawn)
    states = run.states
    status = "running" if not run.done else ("failed" if run.failed else "successful")
    return PlanResult(
        status,
        run.failed,
        {names[nid]: state.job_status for nid, state in states.items()},
        {names[nid]: state.do_not_run for nid, state in states.items()},
    )
