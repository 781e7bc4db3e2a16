"""The mock's whole state as JSON: for ``/_mockawx/state/``, snapshots and state files.

Only plain JSON goes in and out (datetimes tagged, no pickles), so a state from
anywhere can be loaded without running code; workflow runs are rebuilt from their jobs.
"""

from __future__ import annotations

import datetime as dt
import typing as t

from .errors import MockAWXError
from .execution.outcomes import Outcome, OutcomePlan
from .store import Store

if t.TYPE_CHECKING:
    from .runtime import Runtime

__all__ = ["FORMAT", "dump_state", "load_state", "rebuild_runs"]

FORMAT = "mockawx-state/1"


def _encode(value: t.Any) -> t.Any:
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, Outcome):
        return {"$outcome": [value.status, value.duration, value.job_explanation]}
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value: t.Any) -> t.Any:
    if isinstance(value, dict):
        if set(value) == {"$dt"}:
            return dt.datetime.fromisoformat(value["$dt"])
        if set(value) == {"$outcome"}:
            return Outcome(*value["$outcome"])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def dump_state(runtime: Runtime) -> dict[str, t.Any]:
    """Everything needed to rebuild this mock's state, as JSON-ready data."""
    store = runtime.store
    meta = {k: v for k, v in store.meta.items() if k not in ("workflow_runs", "outcomes", "events")}
    plan: OutcomePlan | None = store.meta.get("outcomes")
    return {
        "format": FORMAT,
        "clock": runtime.clock.now().isoformat(),
        "sequences": dict(store.sequences),
        "tables": {kind: [_encode(r) for r in table.values()] for kind, table in store.tables.items()},
        "meta": _encode(meta),
        "events": [[due.isoformat(), seq, name, _encode(list(args))] for due, seq, name, args in store.meta.get("events", [])],
        "outcomes": [rule.as_dict() for rule in plan.rules] if plan else [],
    }


def load_state(runtime: Runtime, data: t.Any) -> None:
    """Replace the state with ``data`` from ``dump_state``; refuses anything else."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise MockAWXError(f"not a mockawx state (expected format {FORMAT!r})")
    try:
        store = Store()
        store.sequences = {str(k): int(v) for k, v in data["sequences"].items()}
        for kind, records in data["tables"].items():
            for record in records:
                decoded = _decode(record)
                store.table(kind)[int(decoded["id"])] = decoded
        store.meta = _decode(data.get("meta") or {})
        store.meta["events"] = sorted(
            (dt.datetime.fromisoformat(due), int(seq), str(name), tuple(_decode(args)))
            for due, seq, name, args in data.get("events", [])
        )
        store.meta["outcomes"] = _plan(data.get("outcomes", []))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise MockAWXError(f"the state is damaged: {exc!r}") from None
    target = runtime.store
    with target.lock:
        saved = (target.tables, target.sequences, target.meta)
        target.tables, target.sequences, target.meta = store.tables, store.sequences, store.meta
        try:
            target._rebuild_indexes()
            rebuild_runs(runtime)
            clock_text = data.get("clock")
            instant = dt.datetime.fromisoformat(clock_text) if clock_text else None
        except Exception as exc:  # noqa: BLE001 - a damaged state must leave the old one in place
            target.tables, target.sequences, target.meta = saved
            target._rebuild_indexes()
            raise MockAWXError(f"the state is damaged: {exc!r}") from None
        clock = runtime.clock
        if hasattr(clock, "set") and instant is not None:
            clock.set(instant)


def _plan(rules: list[dict[str, t.Any]]) -> OutcomePlan:
    plan = OutcomePlan()
    for raw in rules:
        rule = plan.add(raw["match"], [Outcome(r["status"], r.get("duration"), r.get("job_explanation")) for r in raw["results"]])
        rule.used = int(raw.get("used", 0))
    return plan


def rebuild_runs(runtime: Runtime) -> None:
    """Replay each running workflow job's finished children into a fresh engine run."""
    from .engine import WorkflowRun
    from .execution.spawn import find_job
    from .execution.workflows import job_graph

    store = runtime.store
    runs: dict[int, WorkflowRun] = {}
    for job in store.all("workflow_jobs"):
        if job["status"] != "running":
            continue
        run = WorkflowRun(job_graph(store, job["id"]))
        run.start()
        finished = []
        for node in store.find("workflow_job_nodes", "workflow_job", job["id"]):
            found = find_job(store, node.get("job"))
            if found and found[1].get("finished") is not None:
                finished.append((found[1]["finished"], found[1]["id"], node["id"], found[1]["status"]))
        for _, _, node_id, status in sorted(finished):
            run.job_finished(node_id, status)
        if job.get("cancel_flag"):
            run.cancel()
        runs[job["id"]] = run
    store.meta["workflow_runs"] = runs


