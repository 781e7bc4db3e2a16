"""Workflow DAG engine: graph model, reference cycle and fast incremental run."""

from __future__ import annotations

from mockawx.engine.dag import (
    CANCELLABLE,
    CancelResult,
    CycleResult,
    NodeState,
    cancel_cycle,
    has_workflow_failed,
    initial_states,
    run_cycle,
)
from mockawx.engine.graph import (
    CYCLE_DETECTED,
    FAILED_LIKE,
    FINISHED,
    RELATIONSHIP_NOT_ALLOWED,
    EdgeKind,
    Node,
    WorkflowGraph,
    edge_leads,
    edge_problem,
)
from mockawx.engine.incremental import Step, WorkflowRun

__all__ = [
    "CANCELLABLE",
    "CYCLE_DETECTED",
    "FAILED_LIKE",
    "FINISHED",
    "RELATIONSHIP_NOT_ALLOWED",
    "CancelResult",
    "CycleResult",
    "EdgeKind",
    "Node",
    "NodeState",
    "Step",
    "WorkflowGraph",
    "WorkflowRun",
    "cancel_cycle",
    "edge_leads",
    "edge_problem",
    "has_workflow_failed",
    "initial_states",
    "run_cycle",
]
