"""``make bench``: time to run 100, 1,000 and 10,000-node workflows to completion on a manual clock.

Run as ``python -m mockawx.bench``; prints a table and the growth ratio between sizes.
Templates are written straight into the store (set-up is not what is measured); the run
goes through the same launch, event queue and DAG engine the API uses.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
import typing as t

from .clock import ManualClock
from .execution.lifecycle import outcome_plan
from .execution.scheduler import Scheduler
from .execution.workflows import launch_workflow
from .factory import create_app
from .runtime import Runtime

__all__ = ["main", "run_workflow"]

SIZES = (100, 1_000, 10_000)
SHAPES = ("chain", "fan", "layered")


def _edges(shape: str, count: int, rng: random.Random) -> list[tuple[int, str, int]]:
    if shape == "chain":
        return [(i, "success_nodes", i + 1) for i in range(count - 1)]
    if shape == "fan":
        return [(0, "success_nodes", i) for i in range(1, count)]
    width = 10
    edges = []
    for child in range(width, count):
        layer_start = (child // width - 1) * width
        for parent in rng.sample(range(layer_start, layer_start + width), 2):
            edges.append((parent, rng.choice(("success_nodes", "always_nodes")), child))
    return edges


def build(runtime: Runtime, shape: str, count: int) -> dict[str, t.Any]:
    """A workflow template of ``count`` approval nodes in the given shape, approved automatically."""
    store = runtime.store
    now = runtime.clock.now()
    template = store.insert("workflow_job_templates", {"id": None, "name": f"bench {shape} {count}", "organization": None, "created": now, "modified": now, "labels": [], "allow_simultaneous": True})
    nodes = []
    for index in range(count):
        approval = store.insert("workflow_approval_templates", {"id": None, "name": f"gate {index}", "description": "", "timeout": 0, "created": now, "modified": now})
        nodes.append(store.insert("workflow_job_template_nodes", {
            "id": None, "workflow_job_template": template["id"], "unified_job_template": approval["id"],
            "identifier": f"n{index}", "all_parents_must_converge": False, "created": now, "modified": now,
            "success_nodes": [], "failure_nodes": [], "always_nodes": [],
        }))
    children: dict[tuple[int, str], list[int]] = {}
    for parent, label, child in _edges(shape, count, random.Random(count)):
        children.setdefault((parent, label), []).append(nodes[child]["id"])
    for (parent, label), ids in children.items():
        store.update("workflow_job_template_nodes", nodes[parent]["id"], {label: ids})
    outcome_plan(runtime).add({"workflow_job_template": template["id"]}, [{"status": "successful", "duration": 1}])
    return template


def run_workflow(shape: str, count: int) -> tuple[float, str, int]:
    """Seconds to launch and finish one workflow; its status and how many jobs ran."""
    app = create_app(clock=ManualClock())
    runtime = app.runtime
    template = build(runtime, shape, count)
    gc.collect()
    gc.freeze()  # the set-up objects are not what is measured; keep the collector off them
    started = time.perf_counter()
    with runtime.store.transaction():
        job = launch_workflow(runtime, template, {"extra_vars": "{}", "launch_type": "manual"}, 1)
    Scheduler(runtime).run_until_idle()
    elapsed = time.perf_counter() - started
    gc.unfreeze()
    final = runtime.store.get("workflow_jobs", job["id"]) or job
    return elapsed, final["status"], len(runtime.store.all("workflow_approvals"))


def main(argv: t.Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mockawx.bench", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--shapes", nargs="*", default=list(SHAPES), choices=SHAPES)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many runs per size")
    args = parser.parse_args(argv)
    print(f"{'shape':<8} {'nodes':>7} {'seconds':>9} {'per node (us)':>14} {'status':<11} {'ratio vs previous':>18}")
    worst = 0.0
    run_workflow("chain", 50)  # warm up: load the spec and import everything once
    for shape in args.shapes:
        previous: tuple[int, float] | None = None
        for count in args.sizes:
            seconds, status, ran = min((run_workflow(shape, count) for _ in range(args.repeat)), key=lambda r: r[0])
            ratio = ""
            if previous is not None:
                growth = (seconds / previous[1]) / (count / previous[0])
                worst = max(worst, growth)
                ratio = f"{seconds / previous[1]:.1f}x for {count // previous[0]}x nodes"
            print(f"{shape:<8} {count:>7} {seconds:>9.3f} {seconds / count * 1e6:>14.1f} {status:<11} {ratio:>18}")
            if status != "successful" or ran != count:
                print(f"  !! {shape} {count}: status {status}, {ran} of {count} nodes ran", file=sys.stderr)
                return 1
            previous = (count, seconds)
    print(f"worst growth per 10x nodes relative to linear: {worst:.2f} (target <= 1.2)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
