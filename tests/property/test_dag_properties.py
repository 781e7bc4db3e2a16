"""Generated DAGs and outcomes: WorkflowRun agrees with the reference cycle, and the run's invariants hold."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from mockawx.engine import (
    FAILED_LIKE,
    FINISHED,
    EdgeKind,
    Node,
    NodeState,
    Step,
    WorkflowGraph,
    WorkflowRun,
    cancel_cycle,
    edge_leads,
    initial_states,
    run_cycle,
)

OUTCOMES = ("successful", "failed", "error", "canceled")
LABELS = st.one_of(
    st.sampled_from(EdgeKind).map(lambda k: {k}),
    st.sets(st.sampled_from(EdgeKind), min_size=2, max_size=3),  # the engine copes with multi-label pairs
)


@dataclass
class Scenario:
    graph: WorkflowGraph
    outcomes: dict[int, str]
    cancel_at: int | None


@st.composite
def scenarios(draw: st.DrawFn, max_nodes: int = 25) -> Scenario:
    count = draw(st.integers(0, max_nodes))
    # ids in topological position order, but not ascending, so id order and graph order differ
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    nodes = [
        Node(nid, draw(st.integers(0, 3)) > 0, draw(st.integers(0, 2)) == 0) for nid in ids
    ]
    edges: list[tuple[int, EdgeKind, int]] = []
    for pos in range(1, count):
        for parent in draw(st.sets(st.integers(0, pos - 1), max_size=min(3, pos))):
            edges += [(ids[parent], kind, ids[pos]) for kind in draw(LABELS)]
    outcomes = {n.id: draw(st.sampled_from(OUTCOMES)) for n in nodes if n.has_template}
    cancel_at = draw(st.none() | st.integers(0, max_nodes))
    return Scenario(WorkflowGraph(nodes, edges), outcomes, cancel_at)


class Reference:
    """run_cycle (or cancel_cycle once cancelled) repeated until nothing changes, after each event."""

    def __init__(self, graph: WorkflowGraph) -> None:
        self.graph, self.states = graph, initial_states(graph)
        self.canceling = False

    def settle(self) -> Step:
        step = Step()
        if self.canceling:
            cres = cancel_cycle(self.graph, self.states)
            end = cres.finished
            return Step(cres.newly_dnr, [], cres.cancel, end, end, end, False)
        while True:
            res = run_cycle(self.graph, self.states)
            for nid in res.spawn:
                check_trigger(self.graph, self.states, nid)
                self.states[nid].job_status = "pending"
            step.newly_dnr += res.newly_dnr
            step.spawn += res.spawn
            if res.done or not (res.spawn or res.newly_dnr):
                break
        step.done, step.failed, step.stalled = res.done, res.failed, res.stalled
        return step


def check_trigger(graph: WorkflowGraph, states: dict[int, NodeState], nid: int) -> None:
    """A node is spawned only when its trigger holds (§3.4/§3.5)."""
    st_, node = states[nid], graph.nodes[nid]
    assert st_.job_status is None and not st_.do_not_run and node.has_template
    parents: dict[int, set[EdgeKind]] = {}
    for p, kind in graph.parents(nid):
        parents.setdefault(p, set()).add(kind)
    for p in parents:
        ps = states[p]
        assert ps.do_not_run or not graph.nodes[p].has_template or ps.job_status in FINISHED
    if parents:
        assert any(
            not states[p].do_not_run
            and (
                (states[p].job_status in FINISHED and edge_leads(states[p].job_status or "", kinds))
                or (not graph.nodes[p].has_template and edge_leads("failed", kinds))
            )
            for p, kinds in parents.items()
        )
    if node.all_parents_must_converge:
        for p, kinds in parents.items():
            status = states[p].job_status
            assert not states[p].do_not_run
            assert status not in ("successful", "failed") or edge_leads(status or "", kinds)


def same(step: Step, ref: Step) -> None:
    assert step.spawn == sorted(set(step.spawn)) and step.newly_dnr == sorted(set(step.newly_dnr))
    assert set(step.newly_dnr) == set(ref.newly_dnr)
    assert set(step.spawn) == set(ref.spawn)
    assert set(step.cancel) == set(ref.cancel)
    assert (step.done, step.failed, step.canceled, step.stalled) == (
        ref.done, ref.failed, ref.canceled, ref.stalled,
    )


def expected_failure(graph: WorkflowGraph, states: dict[int, NodeState]) -> bool:
    for nid, node in graph.nodes.items():
        st_ = states[nid]
        failed = st_.job_status in FAILED_LIKE or (not node.has_template and not st_.do_not_run)
        if failed and not graph.children(nid, EdgeKind.FAILURE, EdgeKind.ALWAYS):
            return True
    return False


@settings(max_examples=200, deadline=None)
@given(scenario=scenarios(), data=st.data())
def test_incremental_run_matches_reference_and_invariants_hold(scenario: Scenario, data: st.DataObject) -> None:
    graph = scenario.graph
    run, ref = WorkflowRun(graph), Reference(graph)
    first = run.start()
    same(first, ref.settle())
    templated_roots = {r for r in graph.roots() if graph.nodes[r].has_template}
    assert templated_roots <= set(first.spawn)
    spawned = list(first.spawn)
    active, events, step = set(first.spawn), 0, first
    while active:
        if events == scenario.cancel_at and not ref.canceling:
            ref.canceling = True
            step = run.cancel()
            same(step, ref.settle())
        nid = data.draw(st.sampled_from(sorted(active)), label="finish")
        active.discard(nid)
        status = scenario.outcomes[nid]
        ref.states[nid].job_status = status
        step = run.job_finished(nid, status)
        ref_step = ref.settle()
        if ref.canceling:
            ref_step.cancel = []  # cancels are requested once, by cancel()
        same(step, ref_step)
        assert run.states == ref.states
        spawned += step.spawn
        active |= set(step.spawn)
        events += 1
    assert len(spawned) == len(set(spawned)), "a node was spawned twice"
    assert events <= sum(n.has_template for n in graph.nodes.values())
    assert run.done or run.stalled
    states = run.states
    if run.stalled:
        assert any(n.all_parents_must_converge for n in graph.nodes.values())
    elif not run.canceled:
        for nid, node in graph.nodes.items():
            st_ = states[nid]
            assert st_.do_not_run or st_.job_status in FINISHED or (
                not node.has_template and st_.job_status is None
            )
        assert run.failed == expected_failure(graph, states)


@settings(max_examples=50, deadline=None)
@given(scenario=scenarios(max_nodes=12))
def test_no_all_nodes_means_no_stall(scenario: Scenario) -> None:
    nodes = [Node(n.id, n.has_template, False) for n in scenario.graph.nodes.values()]
    graph = WorkflowGraph(nodes, scenario.graph.edges)
    run = WorkflowRun(graph)
    queue = list(run.start().spawn)
    while queue:
        nid = queue.pop(0)
        queue += run.job_finished(nid, scenario.outcomes[nid]).spawn
    assert run.done and not run.stalled
