"""Timing helper: drive a WorkflowRun over a large generated graph to completion."""

from __future__ import annotations

import gc
import random
import sys
import time
from collections import deque

from mockawx.engine.graph import EdgeKind, Node, WorkflowGraph
from mockawx.engine.incremental import WorkflowRun

__all__ = ["SHAPES", "build_graph", "run_to_completion", "main"]

SHAPES = ("chain", "fan", "random")


def build_graph(n_nodes: int, shape: str, seed: int = 0) -> WorkflowGraph:
    """A chain, a wide fan (one root, n-2 middles, one join) or a layered random DAG of n nodes."""
    nodes = [Node(i) for i in range(1, n_nodes + 1)]
    edges: list[tuple[int, EdgeKind, int]] = []
    if shape == "chain":
        edges = [(i, EdgeKind.SUCCESS, i + 1) for i in range(1, n_nodes)]
    elif shape == "fan":
        last = n_nodes
        for mid in range(2, last):
            edges += [(1, EdgeKind.SUCCESS, mid), (mid, EdgeKind.ALWAYS, last)]
    elif shape == "random":
        rng = random.Random(seed)
        width = max(1, int(n_nodes**0.5))
        for child in range(width + 1, n_nodes + 1):
            layer_start = ((child - 1) // width - 1) * width + 1
            for parent in {rng.randrange(layer_start, layer_start + width) for _ in range(3)}:
                edges.append((parent, rng.choice(list(EdgeKind)), child))
    else:
        raise ValueError(f"unknown shape {shape!r}; expected one of {SHAPES}")
    return WorkflowGraph(nodes, edges)


def run_to_completion(n_nodes: int, shape: str) -> float:
    """Seconds to set up a WorkflowRun and run it to completion, every job succeeding in spawn order."""
    graph = build_graph(n_nodes, shape)  # building the test graph is not what is measured
    was_enabled = gc.isenabled()
    gc.disable()  # as timeit does: collector pauses are noise, not the engine's cost
    try:
        began = time.perf_counter()
        run = WorkflowRun(graph)
        queue = deque(run.start().spawn)
        while queue:
            queue.extend(run.job_finished(queue.popleft(), "successful").spawn)
        elapsed = time.perf_counter() - began
    finally:
        if was_enabled:
            gc.enable()
    if not run.done:
        raise AssertionError("benchmark workflow did not finish")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    """Print timings for each shape at the given sizes (default 1,000, 10,000 and 100,000 nodes)."""
    sizes = [int(a) for a in (argv if argv is not None else sys.argv[1:])] or [1_000, 10_000, 100_000]
    for shape in SHAPES:
        for size in sizes:
            print(f"{shape:>6} {size:>8} nodes: {run_to_completion(size, shape):.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
