"""Drift between responses and the description: undeclared fields, missing fields, type mismatches, statuses.

``drift_of`` returns findings for one response as ``(operation_id, kind, where, detail)`` tuples; the report
groups them per operation and counts how often each was seen.
"""

from __future__ import annotations

import collections
import typing as t

from mockawx.spec import Operation

from .checks import documented, response_schema, router

__all__ = ["Finding", "drift_of", "report"]

Finding = tuple[str, str, str, str]
Schema = dict[str, t.Any]
JSON_TYPES = {
    "object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
    "integer": int, "number": (int, float),
}
# Object fields whose keys are data, not schema (related links, summaries, free-form variables).
OPEN_OBJECTS = frozenset({"related", "summary_fields", "extra_data", "job_env", "artifacts", "defaults", "notification_configuration", "inputs", "injectors"})


def _resolve(node: t.Any, depth: int = 0) -> Schema:
    """Inline $ref and merge allOf, enough to compare a body's shape."""
    document = router().spec.document
    while isinstance(node, dict) and "$ref" in node:
        target: t.Any = document
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    if not isinstance(node, dict):
        return {}
    if "allOf" in node and depth < 8:
        merged: Schema = {k: v for k, v in node.items() if k != "allOf"}
        for part in node["allOf"]:
            sub = _resolve(part, depth + 1)
            merged.setdefault("properties", {})
            merged["properties"] = {**merged["properties"], **sub.get("properties", {})}
            if "type" in sub and "type" not in merged:
                merged["type"] = sub["type"]
        return merged
    return node


def _type_ok(schema: Schema, value: t.Any) -> bool:
    declared = schema.get("type")
    if declared is None:
        return True
    kinds = declared if isinstance(declared, list) else [declared]
    for kind in kinds:
        python = JSON_TYPES.get(kind)
        if python is None:
            return True
        if isinstance(value, bool) and kind in ("integer", "number"):
            continue
        if isinstance(value, python):
            return True
    return False


def _walk(op_id: str, schema: Schema, value: t.Any, where: str, out: list[Finding], depth: int) -> None:
    schema = _resolve(schema)
    if depth > 6 or not schema or "anyOf" in schema or "oneOf" in schema:
        return
    if not _type_ok(schema, value):
        out.append((op_id, "type_mismatch", where or "(body)", f"{type(value).__name__} where the spec says {schema.get('type')}"))
        return
    if isinstance(value, list) and "items" in schema:
        for item in value[:3]:
            _walk(op_id, schema["items"], item, f"{where}[]", out, depth + 1)
        return
    if not isinstance(value, dict) or "properties" not in schema or where.rsplit(".", 1)[-1] in OPEN_OBJECTS:
        return
    properties: Schema = schema["properties"]
    for key in value:
        if key not in properties and schema.get("additionalProperties") in (None, False):
            out.append((op_id, "undeclared_field", _join(where, key), "present in the response, not in the spec"))
    for key, prop in properties.items():
        if key in value:
            _walk(op_id, prop, value[key], _join(where, key), out, depth + 1)
        else:
            out.append((op_id, "missing_field", _join(where, key), "in the spec, absent from the response"))


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def drift_of(op: Operation, status: int, body: t.Any, parsed: bool) -> list[Finding]:
    """Every drift finding for one response of ``op``."""
    key, _ = documented(op, status)
    if key is None:
        return [(op.operation_id, "undocumented_status", str(status), f"documented: {sorted(op.raw.get('responses', {}))}")]
    schema = response_schema(op, status)
    if schema is None or not parsed:
        return []
    out: list[Finding] = []
    _walk(op.operation_id, schema, body, "", out, 0)
    return out


def report(findings: t.Iterable[Finding]) -> dict[str, t.Any]:
    """Findings grouped per operation and kind, with how many responses showed each."""
    counts = collections.Counter(findings)
    grouped: dict[str, dict[str, list[dict[str, t.Any]]]] = {}
    for (op_id, kind, where, detail), seen in sorted(counts.items()):
        grouped.setdefault(op_id, {}).setdefault(kind, []).append({"where": where, "detail": detail, "seen": seen})
    totals = collections.Counter(kind for (_, kind, _, _) in counts)
    return {"totals": dict(totals), "operations": grouped}
