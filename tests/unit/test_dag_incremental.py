"""WorkflowRun's event API: steps, cancel, misuse errors and cost on large graphs."""

from __future__ import annotations

import pytest

from mockawx.engine import EdgeKind, Node, NodeState, Step, WorkflowGraph, WorkflowRun
from mockawx.engine.bench import SHAPES, build_graph, run_to_completion

S, F, A = EdgeKind.SUCCESS, EdgeKind.FAILURE, EdgeKind.ALWAYS


def chain(n: int) -> WorkflowGraph:
    return WorkflowGraph([Node(i) for i in range(1, n + 1)], [(i, S, i + 1) for i in range(1, n)])


def test_start_spawns_roots_in_ascending_order() -> None:
    g = WorkflowGraph([Node(9), Node(3), Node(5)], [(9, S, 5)])
    assert WorkflowRun(g).start() == Step([], [3, 9], [], False, False, False, False)


def test_step_reports_dnr_and_spawn_sorted() -> None:
    g = WorkflowGraph([Node(i) for i in range(1, 6)], [(1, S, 5), (1, S, 2), (2, S, 3), (1, F, 4)])
    run = WorkflowRun(g)
    run.start()
    step = run.job_finished(1, "successful")
    assert (step.newly_dnr, step.spawn) == ([4], [2, 5])
    run.job_finished(5, "successful")
    step = run.job_finished(2, "failed")
    assert (step.newly_dnr, step.spawn, step.done, step.failed) == ([3], [], True, True)


def test_states_snapshot_and_accessors() -> None:
    run = WorkflowRun(chain(2))
    run.start()
    run.job_started(1)
    assert run.job_status(1) == "running" and not run.do_not_run(2)
    assert run.states == {1: NodeState("running", False), 2: NodeState(None, False)}
    run.job_finished(1, "failed")
    assert run.states[2] == NodeState(None, True)


def test_misuse_is_rejected() -> None:
    run = WorkflowRun(chain(2))
    with pytest.raises(ValueError):
        run.job_finished(1, "successful")  # not spawned yet
    run.start()
    with pytest.raises(RuntimeError):
        run.start()
    with pytest.raises(ValueError):
        run.job_finished(1, "running")
    with pytest.raises(ValueError):
        run.job_started(2)
    run.job_finished(1, "successful")
    with pytest.raises(ValueError):
        run.job_finished(1, "successful")
    with pytest.raises(KeyError):
        run.job_finished(42, "successful")


def test_cyclic_graph_is_refused() -> None:
    g = WorkflowGraph([Node(1), Node(2), Node(3)], [(1, S, 2), (2, A, 3), (3, F, 2)])
    with pytest.raises(ValueError, match="cycle"):
        WorkflowRun(g)


def test_cancel_marks_jobless_nodes_and_waits_for_active_jobs() -> None:
    g = WorkflowGraph([Node(1), Node(2), Node(3), Node(4, has_template=False)], [(1, S, 2), (3, S, 2)])
    run = WorkflowRun(g)
    run.start()
    run.job_finished(3, "successful")
    step = run.cancel()
    assert (step.newly_dnr, step.cancel, step.done) == ([2, 4], [1], False)
    assert run.cancel().cancel == [1]  # idempotent while waiting
    step = run.job_finished(1, "canceled")
    assert (step.spawn, step.done, step.canceled, step.failed) == ([], True, True, True)
    assert run.cancel().done


def test_cancel_before_start_and_after_done() -> None:
    run = WorkflowRun(chain(3))
    step = run.cancel()
    assert (step.done, step.canceled, step.newly_dnr) == (True, True, [])
    run = WorkflowRun(chain(1))
    run.start()
    run.job_finished(1, "successful")
    step = run.cancel()
    assert (step.done, step.canceled, step.failed) == (True, False, False)


def test_cancel_with_no_active_job_finishes_at_once() -> None:
    g = WorkflowGraph([Node(1), Node(2, all_parents_must_converge=True)], [(1, S, 2)])
    run = WorkflowRun(g)
    run.start()
    assert run.job_finished(1, "error").stalled
    step = run.cancel()
    assert (step.newly_dnr, step.cancel, step.done, step.canceled) == ([2], [], True, True)
    assert not run.stalled


def test_stalled_is_distinct_from_waiting() -> None:
    g = WorkflowGraph([Node(1), Node(2), Node(3, all_parents_must_converge=True)], [(1, S, 3), (2, S, 3)])
    run = WorkflowRun(g)
    run.start()
    step = run.job_finished(1, "canceled")
    assert not step.stalled and not step.done  # 2 is still running
    assert run.job_finished(2, "error").stalled


@pytest.mark.parametrize("shape", SHAPES)
def test_bench_shapes_complete(shape: str) -> None:
    assert build_graph(50, shape).find_cycle() is None
    assert run_to_completion(200, shape) > 0


def test_bench_rejects_unknown_shape() -> None:
    with pytest.raises(ValueError):
        build_graph(10, "star")


@pytest.mark.parametrize("shape", SHAPES)
def test_ten_thousand_nodes_run_fast(shape: str) -> None:
    # generous bound: the engine takes ~0.1 s here; O(nodes x depth) would take minutes on a chain
    assert min(run_to_completion(10_000, shape) for _ in range(2)) < 2.0


def test_deep_chain_needs_no_recursion() -> None:
    run = WorkflowRun(chain(50_000))
    nid = run.start().spawn[0]
    while True:
        spawn = run.job_finished(nid, "successful").spawn
        if not spawn:
            break
        nid = spawn[0]
    assert run.done and not run.failed and nid == 50_000
