"""Rules of the workflow DAG (AWX-REFERENCE §3) and the recorded DAG runs, on both engines."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pytest

from mockawx.engine import (
    CYCLE_DETECTED,
    RELATIONSHIP_NOT_ALLOWED,
    EdgeKind,
    Node,
    NodeState,
    WorkflowGraph,
    WorkflowRun,
    cancel_cycle,
    edge_problem,
    initial_states,
    run_cycle,
)

KIND = {"S": EdgeKind.SUCCESS, "F": EdgeKind.FAILURE, "A": EdgeKind.ALWAYS}


def graph(*edges: str, nodes: str = "", converge: str = "", null: str = "") -> WorkflowGraph:
    """Letters are nodes (A=1, B=2, ...); 'A-S->B' is a success edge."""
    names = set(nodes) | set(converge) | set(null)
    parsed = []
    for text in edges:
        parent, kind, child = text[0], text[2], text[-1]
        names |= {parent, child}
        parsed.append((ord(parent) - 64, KIND[kind], ord(child) - 64))
    return WorkflowGraph(
        [Node(ord(n) - 64, n not in null, n in converge) for n in sorted(names)], parsed
    )


def ids(letters: str) -> list[int]:
    return [ord(n) - 64 for n in letters]


@dataclass
class Outcome:
    """Where one engine ends: per-node (job status, dnr), workflow flags and the spawn history."""

    nodes: dict[int, tuple[str | None, bool]]
    done: bool
    failed: bool
    stalled: bool
    spawns: list[list[int]] = field(default_factory=list)


class RefDriver:
    """The reference cycle run to a fixed point after every event."""

    def __init__(self, g: WorkflowGraph) -> None:
        self.g, self.states = g, initial_states(g)
        self.done = self.failed = self.stalled = False

    def _settle(self) -> list[int]:
        spawned: list[int] = []
        while True:
            res = run_cycle(self.g, self.states)
            for nid in res.spawn:
                self.states[nid].job_status = "pending"
            spawned += res.spawn
            if res.done or not (res.spawn or res.newly_dnr):
                break
        self.done, self.failed, self.stalled = res.done, res.failed, res.stalled
        return spawned

    def start(self) -> list[int]:
        return self._settle()

    def finish(self, nid: int, status: str) -> list[int]:
        self.states[nid].job_status = status
        return self._settle()

    def snapshot(self) -> dict[int, NodeState]:
        return self.states


class IncDriver:
    """The incremental WorkflowRun."""

    def __init__(self, g: WorkflowGraph) -> None:
        self.run = WorkflowRun(g)

    def start(self) -> list[int]:
        return self.run.start().spawn

    def finish(self, nid: int, status: str) -> list[int]:
        return self.run.job_finished(nid, status).spawn

    def snapshot(self) -> dict[int, NodeState]:
        return self.run.states

    done = property(lambda self: self.run.done)
    failed = property(lambda self: self.run.failed)
    stalled = property(lambda self: self.run.stalled)


Driver = RefDriver | IncDriver


@pytest.fixture(params=["reference", "incremental"])
def make(request: pytest.FixtureRequest) -> Callable[[WorkflowGraph], Driver]:
    return RefDriver if request.param == "reference" else IncDriver


def play(make: Callable[[WorkflowGraph], Driver], g: WorkflowGraph, outcomes: Mapping[str, str]) -> Outcome:
    """Finish jobs in spawn order with the given outcomes (letter -> status)."""
    drv = make(g)
    spawns = [drv.start()]
    queue = deque(spawns[0])
    while queue:
        nid = queue.popleft()
        spawns.append(drv.finish(nid, outcomes[chr(nid + 64)]))
        queue.extend(spawns[-1])
    nodes = {nid: (st.job_status, st.do_not_run) for nid, st in drv.snapshot().items()}
    return Outcome(nodes, drv.done, drv.failed, drv.stalled, spawns)


def node_results(out: Outcome) -> dict[str, str]:
    return {
        chr(nid + 64): "DNR" if dnr else (status or "no job") for nid, (status, dnr) in out.nodes.items()
    }


OK, FAIL, ERR, CANC = "successful", "failed", "error", "canceled"


# ---- §3.10 worked examples -----------------------------------------------------------------------
def test_chain_all_successful(make: Callable[[WorkflowGraph], Driver]) -> None:
    out = play(make, graph("A-S->B", "B-S->C"), {"A": OK, "B": OK, "C": OK})
    assert out.spawns == [ids("A"), ids("B"), ids("C"), []]
    assert node_results(out) == {"A": OK, "B": OK, "C": OK}
    assert (out.done, out.failed) == (True, False)


def test_chain_root_fails_cascades_dnr_in_one_pass() -> None:
    g = graph("A-S->B", "B-S->C")
    states = initial_states(g)
    assert run_cycle(g, states).spawn == ids("A")
    states[1].job_status = FAIL
    res = run_cycle(g, states)
    assert res.newly_dnr == ids("BC")  # C marked in the same pass as B
    assert (res.done, res.failed) == (True, True)


def test_failure_handler_runs_and_workflow_succeeds(make: Callable[[WorkflowGraph], Driver]) -> None:
    out = play(make, graph("A-F->B"), {"A": FAIL, "B": FAIL})
    assert node_results(out) == {"A": FAIL, "B": FAIL}
    assert out.failed  # the handler itself failed and has no handler
    out = play(make, graph("A-F->B"), {"A": FAIL, "B": OK})
    assert (node_results(out), out.failed) == ({"A": FAIL, "B": OK}, False)


def test_failure_handler_is_dnr_on_success(make: Callable[[WorkflowGraph], Driver]) -> None:
    out = play(make, graph("A-F->B"), {"A": OK})
    assert (node_results(out), out.done, out.failed) == ({"A": OK, "B": "DNR"}, True, False)


@pytest.mark.parametrize("status", [OK, FAIL, ERR, CANC])
def test_always_child_runs_for_every_outcome(make: Callable[[WorkflowGraph], Driver], status: str) -> None:
    out = play(make, graph("A-A->B"), {"A": status, "B": OK})
    assert (node_results(out), out.failed) == ({"A": status, "B": OK}, False)


def test_any_convergence_waits_for_running_parent(make: Callable[[WorkflowGraph], Driver]) -> None:
    drv = make(graph("A-S->C", "B-S->C"))
    assert drv.start() == ids("AB")
    assert drv.finish(1, OK) == []  # C reached through A but B still running
    assert drv.finish(2, FAIL) == ids("C")
    drv.finish(3, OK)
    assert (drv.done, drv.failed) == (True, True)  # B failed without a handler


def test_any_convergence_both_fail_is_dnr(make: Callable[[WorkflowGraph], Driver]) -> None:
    out = play(make, graph("A-S->C", "B-S->C"), {"A": FAIL, "B": FAIL})
    assert node_results(out)["C"] == "DNR"


def test_all_convergence_marks_dnr_while_other_parent_runs(make: Callable[[WorkflowGraph], Driver]) -> None:
    drv = make(graph("A-S->C", "B-S->C", converge="C"))
    drv.start()
    drv.finish(2, FAIL)
    assert drv.snapshot()[3].do_not_run  # A still running
    drv.finish(1, OK)
    assert (drv.done, drv.failed) == (True, True)


def test_all_convergence_mixed_edges(make: Callable[[WorkflowGraph], Driver]) -> None:
    g = graph("A-S->C", "B-F->C", converge="C")
    assert node_results(play(make, g, {"A": OK, "B": FAIL, "C": OK}))["C"] == OK
    assert node_results(play(make, g, {"A": OK, "B": OK}))["C"] == "DNR"
    assert node_results(play(make, g, {"A": FAIL, "B": FAIL}))["C"] == "DNR"


@pytest.mark.parametrize("status", [ERR, CANC])
def test_all_quirk_error_parent_wedges_the_run(make: Callable[[WorkflowGraph], Driver], status: str) -> None:
    out = play(make, graph("A-S->C", converge="C"), {"A": status})
    assert node_results(out) == {"A": status, "C": "no job"}
    assert (out.done, out.stalled) == (False, True)


def test_all_quirk_error_parent_is_ignored_when_another_matches(make: Callable[[WorkflowGraph], Driver]) -> None:
    out = play(make, graph("A-S->C", "B-S->C", converge="C"), {"A": OK, "B": ERR, "C": OK})
    assert node_results(out)["C"] == OK
    assert (out.done, out.failed) == (True, True)


def test_any_node_error_parent_counts_as_failed(make: Callable[[WorkflowGraph], Driver]) -> None:
    out = play(make, graph("A-S->B", "A-F->C"), {"A": ERR, "C": OK})
    assert node_results(out) == {"A": ERR, "B": "DNR", "C": OK}
    assert (out.done, out.failed) == (True, False)


def test_deleted_template_follows_failure_path(make: Callable[[WorkflowGraph], Driver]) -> None:
    out = play(make, graph("A-S->B", "A-F->C", null="A"), {"C": OK})
    assert node_results(out) == {"A": "no job", "B": "DNR", "C": OK}
    assert (out.done, out.failed) == (True, False)


def test_deleted_template_without_handler_fails(make: Callable[[WorkflowGraph], Driver]) -> None:
    out = play(make, graph(nodes="A", null="A"), {})
    assert (out.spawns, out.done, out.failed) == ([[]], True, True)


def test_deleted_template_all_child_quirk_hangs(make: Callable[[WorkflowGraph], Driver]) -> None:
    out = play(make, graph("A-S->B", "A-F->C", null="A", converge="B"), {"C": OK})
    assert node_results(out) == {"A": "no job", "B": "no job", "C": OK}
    assert (out.done, out.stalled) == (False, True)


def test_deleted_template_does_not_block_its_children(make: Callable[[WorkflowGraph], Driver]) -> None:
    # N has no template and a running parent; N's failure child still waits only on N being reached
    out = play(make, graph("A-S->N", "N-F->C", null="N"), {"A": OK, "C": OK})
    assert node_results(out) == {"A": OK, "C": OK, "N": "no job"}
    assert not out.failed


def test_deleted_template_marked_dnr_cascades_through_its_failure_edge(
    make: Callable[[WorkflowGraph], Driver],
) -> None:
    # N leads to C while undecided-but-templateless; once N is DNR, C loses its only lead
    out = play(make, graph("A-S->N", "N-F->C", null="N"), {"A": FAIL})
    assert node_results(out) == {"A": FAIL, "C": "DNR", "N": "DNR"}
    assert (out.done, out.failed) == (True, True)


def test_deleted_all_template_marked_dnr_late_cuts_the_bfs_path(
    make: Callable[[WorkflowGraph], Driver],
) -> None:
    # N (ALL, no template) is walked through once A succeeds, so C runs; B's failure then marks
    # N DNR, the BFS no longer passes N, and C's success child D is never reached nor marked
    drv = make(graph("A-S->N", "B-S->N", "N-F->C", "C-S->D", null="N", converge="N"))
    assert drv.start() == ids("AB")
    assert drv.finish(1, OK) == ids("C")
    assert drv.finish(2, FAIL) == []
    assert drv.snapshot()[ord("N") - 64].do_not_run
    assert drv.finish(3, OK) == []
    assert (drv.done, drv.stalled) == (False, True)


def test_empty_workflow_is_done_and_successful(make: Callable[[WorkflowGraph], Driver]) -> None:
    out = play(make, WorkflowGraph([], []), {})
    assert (out.spawns, out.done, out.failed, out.stalled) == ([[]], True, False, False)


def test_all_roots_start_together(make: Callable[[WorkflowGraph], Driver]) -> None:
    drv = make(graph("A-S->D", "B-S->D", "C-F->E", nodes="F", null="C"))
    assert drv.start() == ids("ABEF")  # E is reached through template-less root C at once


def test_failure_rule_ignores_handler_result(make: Callable[[WorkflowGraph], Driver]) -> None:
    out = play(make, graph("A-F->B", "B-A->C"), {"A": FAIL, "B": FAIL, "C": OK})
    assert (node_results(out), out.failed) == ({"A": FAIL, "B": FAIL, "C": OK}, False)


# ---- golden README DAG table (approve = successful, deny/timeout = failed) -----------------------
GOLDEN = [
    ("chain_success", ("A-S->B", "B-S->C"), "", "", {"A": OK, "B": OK, "C": OK},
     {"A": OK, "B": OK, "C": OK}, False),
    ("deny_runs_failure_path", ("A-S->B", "A-F->C"), "", "", {"A": FAIL, "B": OK, "C": OK},
     {"A": FAIL, "B": "DNR", "C": OK}, False),
    ("always_path_after_denial", ("A-A->B",), "", "", {"A": FAIL, "B": OK}, {"A": FAIL, "B": OK}, False),
    ("always_path_after_approval", ("A-A->B",), "", "", {"A": OK, "B": OK}, {"A": OK, "B": OK}, False),
    ("converge_all_parents_true_one_denied", ("A-S->C", "B-S->C"), "C", "", {"A": OK, "B": FAIL, "C": OK},
     {"A": OK, "B": FAIL, "C": "DNR"}, True),
    ("converge_all_parents_false_one_denied", ("A-S->C", "B-S->C"), "", "", {"A": OK, "B": FAIL, "C": OK},
     {"A": OK, "B": FAIL, "C": OK}, True),
    ("converge_all_parents_true_both_approved", ("A-S->C", "B-S->C"), "C", "", {"A": OK, "B": OK, "C": OK},
     {"A": OK, "B": OK, "C": OK}, False),
    ("converge_mixed_edges_true", ("A-S->C", "B-F->C"), "C", "", {"A": OK, "B": FAIL, "C": OK},
     {"A": OK, "B": FAIL, "C": OK}, False),
    ("unhandled_denial_single", (), "", "", {"A": FAIL}, {"A": FAIL}, True),
    ("unhandled_denial_success_child", ("A-S->B",), "", "", {"A": FAIL, "B": OK}, {"A": FAIL, "B": "DNR"}, True),
    ("denied_leaf_after_success", ("A-S->B",), "", "", {"A": OK, "B": FAIL}, {"A": OK, "B": FAIL}, True),
    ("handled_failure_then_failure_path_denied", ("A-F->B", "B-S->C"), "", "", {"A": FAIL, "B": FAIL, "C": OK},
     {"A": FAIL, "B": FAIL, "C": "DNR"}, True),
    ("approval_timeout_failure_path", ("A-F->B",), "", "", {"A": FAIL, "B": OK}, {"A": FAIL, "B": OK}, False),
    ("node_without_template", ("A-S->B",), "", "A", {"B": OK}, {"A": "no job", "B": "DNR"}, True),
]


@pytest.mark.parametrize(
    ("edges", "converge", "null", "actions", "expected", "failed"),
    [row[1:] for row in GOLDEN],
    ids=[row[0] for row in GOLDEN],
)
def test_golden_dag_scenarios(
    make: Callable[[WorkflowGraph], Driver],
    edges: tuple[str, ...],
    converge: str,
    null: str,
    actions: dict[str, str],
    expected: dict[str, str],
    failed: bool,
) -> None:
    out = play(make, graph(*edges, nodes="A", converge=converge, null=null), actions)
    assert node_results(out) == expected
    assert (out.done, out.failed, out.stalled) == (True, failed, False)


# ---- cancel (§3.3 step 1) -------------------------------------------------------------------------
def test_cancel_cycle_marks_jobless_nodes_and_lists_active_jobs() -> None:
    g = graph("A-S->B", nodes="C", null="C")
    states = initial_states(g)
    run_cycle(g, states)
    states[1].job_status = "running"
    res = cancel_cycle(g, states)
    assert (res.newly_dnr, res.cancel, res.finished) == (ids("BC"), ids("A"), False)
    states[1].job_status = CANC
    assert cancel_cycle(g, states).finished


# ---- graph model and edge validation (§2.2) -------------------------------------------------------
def test_graph_rejects_unknown_node_and_duplicates() -> None:
    with pytest.raises(ValueError):
        WorkflowGraph([Node(1)], [(1, EdgeKind.SUCCESS, 2)])
    with pytest.raises(ValueError):
        WorkflowGraph([Node(1), Node(1)], [])


def test_graph_lookups() -> None:
    g = graph("A-S->B", "A-F->C", "B-A->C", nodes="D")
    assert g.roots() == ids("AD")
    assert g.children(1) == ids("BC")
    assert g.children(1, EdgeKind.FAILURE) == ids("C")
    assert sorted(g.parents(3)) == [(1, EdgeKind.FAILURE), (2, EdgeKind.ALWAYS)]
    assert g.topological_order() == ids("ABCD")


def test_find_cycle_anywhere() -> None:
    edges = [(1, EdgeKind.SUCCESS, 2), (3, EdgeKind.FAILURE, 4), (4, EdgeKind.ALWAYS, 3)]
    g = WorkflowGraph([Node(i) for i in (1, 2, 3, 4)], edges)
    cycle = g.find_cycle()
    assert cycle is not None and sorted(cycle) == [3, 4]  # not reachable from root 1
    with pytest.raises(ValueError):
        g.topological_order()
    assert graph("A-S->B").find_cycle() is None


def test_edge_problem_in_awx_order() -> None:
    g = graph("A-S->B", "B-S->C")
    assert edge_problem(g, 1, EdgeKind.SUCCESS, 1) == CYCLE_DETECTED
    assert edge_problem(g, 1, EdgeKind.FAILURE, 2) == RELATIONSHIP_NOT_ALLOWED
    assert edge_problem(g, 1, EdgeKind.SUCCESS, 2) is None  # identical edge is a no-op
    assert edge_problem(g, 3, "always", 1) == CYCLE_DETECTED
    assert edge_problem(g, 1, "always", 3) is None
    assert edge_problem(graph("C-S->A", "A-S->B"), 2, "failure", 3) == CYCLE_DETECTED
