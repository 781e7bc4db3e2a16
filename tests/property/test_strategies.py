"""The public hypothesis strategies produce valid plans, outcomes and expected results."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockawx.engine import EdgeKind, Node, WorkflowGraph, edge_problem
from mockawx.strategies import (
    EDGE_KINDS,
    JOB_OUTCOMES,
    PlanNode,
    WorkflowPlan,
    expected_result,
    outcome_plans,
    workflow_graphs,
)


@settings(max_examples=200, deadline=None)
@given(plan=workflow_graphs(max_nodes=12, missing_templates=True))
def test_plans_are_acyclic_and_well_formed(plan: WorkflowPlan) -> None:
    names = plan.identifiers()
    assert len(names) == len(set(names)) and 1 <= len(names) <= 12
    graph = plan.to_graph()
    assert graph.find_cycle() is None
    assert len(graph.edges) == len(plan.edges)
    pairs = [(p, c) for p, _, c in plan.edges]
    assert len(pairs) == len(set(pairs)), "one label per parent/child pair, as AWX's API allows"
    order = {name: pos for pos, name in enumerate(names)}
    for parent, kind, child in plan.edges:
        assert kind in EDGE_KINDS and order[parent] < order[child]  # listed parents-first


@settings(max_examples=100, deadline=None)
@given(plan=workflow_graphs(max_nodes=10))
def test_plan_edges_are_accepted_one_by_one_like_the_api(plan: WorkflowPlan) -> None:
    # replaying the edges through AWX's edge checks never reports a problem
    ids = plan.node_ids()
    nodes = [Node(ids[n]) for n in plan.identifiers()]
    added: list[tuple[int, EdgeKind, int]] = []
    for parent, kind, child in plan.edges:
        current = WorkflowGraph(nodes, added)
        assert edge_problem(current, ids[parent], kind, ids[child]) is None
        added.append((ids[parent], EdgeKind(kind), ids[child]))


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_outcomes_cover_templated_nodes_and_results_are_consistent(data: st.DataObject) -> None:
    plan = data.draw(workflow_graphs(max_nodes=10, missing_templates=True))
    outcomes = data.draw(outcome_plans(plan))
    templated = {n.identifier for n in plan.nodes if n.has_template}
    assert set(outcomes) == templated and set(outcomes.values()) <= set(JOB_OUTCOMES)
    result = expected_result(plan, outcomes)
    assert result.status in ("successful", "failed", "running")
    assert result.failed == (result.status == "failed")
    for name, status in result.job_status.items():
        assert status is None or status == outcomes[name]
        assert not (status is not None and result.do_not_run[name])
    if result.status == "running":
        assert any(n.all_parents_must_converge for n in plan.nodes)


@given(plan=workflow_graphs(min_nodes=3, max_nodes=3, converge=False, edge_kinds=["success"]))
def test_options_restrict_generation(plan: WorkflowPlan) -> None:
    assert all(kind == "success" for _, kind, _ in plan.edges)
    assert not any(n.all_parents_must_converge for n in plan.nodes)
    assert all(n.has_template for n in plan.nodes)


@given(plan=workflow_graphs(max_nodes=4, identifiers=st.text(min_size=1, max_size=5)))
def test_custom_identifiers_are_unique(plan: WorkflowPlan) -> None:
    assert len(set(plan.identifiers())) == len(plan.nodes)


def test_expected_result_for_a_known_plan() -> None:
    plan = WorkflowPlan(
        (PlanNode("a"), PlanNode("b"), PlanNode("c")),
        (("a", "success", "b"), ("a", "failure", "c")),
    )
    result = expected_result(plan, {"a": "failed", "c": "successful"})
    assert result.status == "successful"
    assert dict(result.job_status) == {"a": "failed", "b": None, "c": "successful"}
    assert dict(result.do_not_run) == {"a": False, "b": True, "c": False}


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        workflow_graphs(min_nodes=3, max_nodes=2)
    with pytest.raises(ValueError):
        workflow_graphs(edge_kinds=[])
    with pytest.raises(ValueError):
        workflow_graphs(edge_kinds=["sometimes"])
