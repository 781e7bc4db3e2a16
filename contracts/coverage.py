"""Which operations and status codes of the description the suite exercised."""

from __future__ import annotations

import typing as t

from mockawx.spec import Spec

__all__ = ["report", "summary_line"]


def report(spec: Spec, seen: t.Iterable[tuple[str, int]]) -> dict[str, t.Any]:
    """Per operation: the statuses seen and the documented ones never seen; plus totals."""
    seen_by_op: dict[str, set[int]] = {}
    for operation_id, status in seen:
        seen_by_op.setdefault(operation_id, set()).add(int(status))
    operations = {}
    pairs_total = pairs_seen = 0
    for op in spec.operations:
        documented = sorted(s for s in (op.raw.get("responses") or {}) if s.isdigit())
        statuses = seen_by_op.get(op.operation_id, set())
        pairs_total += len(documented)
        pairs_seen += sum(1 for s in documented if int(s) in statuses)
        operations[op.operation_id] = {
            "method": op.method.upper(),
            "path": op.path,
            "seen": sorted(statuses),
            "not_seen": [s for s in documented if int(s) not in statuses],
        }
    exercised = [k for k, v in operations.items() if v["seen"]]
    return {
        "operations_total": len(operations),
        "operations_exercised": len(exercised),
        "status_pairs_total": pairs_total,
        "status_pairs_exercised": pairs_seen,
        "not_exercised": sorted(k for k, v in operations.items() if not v["seen"]),
        "operations": operations,
    }


def summary_line(data: dict[str, t.Any]) -> str:
    """One line for the terminal."""
    return (
        f"contract coverage: {data['operations_exercised']}/{data['operations_total']} operations, "
        f"{data['status_pairs_exercised']}/{data['status_pairs_total']} documented status codes"
    )
