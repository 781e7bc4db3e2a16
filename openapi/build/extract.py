"""Refresh ``observed.json`` from the AWX 24.6.1 recordings and AWX's own API structure.

Usage: python openapi/build/extract.py /path/to/reference-material

The reference folder holds ``golden*/`` (recorded request/response pairs) and
``reference/awx-24.6.1-api-structure.json``.  The output is a compact table of
facts (field order, JSON types seen, OPTIONS metadata, operationIds) that
``generate.py`` turns into ``openapi/awx.yaml``.
"""
from __future__ import annotations

import glob
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "observed.json")

# Keys AWX puts in front of the object on launch/update responses.
PREFIX_KEYS = {"workflow_job", "job", "project_update", "inventory_update", "notification", "ignored_fields"}
REF_KEEP = ("type", "format", "enum", "maxLength", "minLength", "default", "readOnly", "x-nullable", "minimum", "maximum")


def norm_path(path: str) -> str:
    path = path.split("?", 1)[0]
    return re.sub(r"/(\d+)/", "/{id}/", path)


def json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def load_recordings(root: str) -> list[tuple[str, dict]]:
    out = []
    for name in sorted(glob.glob(os.path.join(root, "golden*", "*.json"))):
        with open(name, encoding="utf-8") as fh:
            rec = json.load(fh)
        if "request" in rec and "response" in rec:
            out.append((os.path.relpath(name, root), rec))
    return out


def strip_prefix(obj: dict) -> dict:
    keys = list(obj)
    if "id" in keys:
        head = keys[: keys.index("id")]
        if head and set(head) <= PREFIX_KEYS:
            return {k: obj[k] for k in keys if k not in head}
    return obj


def merge_order(orders: list[list[str]]) -> list[str]:
    merged: list[str] = []
    for order in orders:
        for i, key in enumerate(order):
            if key in merged:
                continue
            # insert after the nearest preceding key that is already placed
            pos = len(merged)
            for prev in reversed(order[:i]):
                if prev in merged:
                    pos = merged.index(prev) + 1
                    break
            else:
                pos = 0 if i == 0 else len(merged)
            merged.insert(pos, key)
    return merged


def collect_objects(recs: list[tuple[str, dict]]) -> dict:
    raw: dict[str, dict[str, list[dict]]] = {}
    for _name, rec in recs:
        if rec["request"]["method"] == "OPTIONS":
            continue
        body = rec["response"]["body"]
        if not isinstance(body, dict) or rec["response"]["status"] >= 300:
            continue
        found = []
        if isinstance(body.get("results"), list):
            found = [("list", o) for o in body["results"]]
        else:
            found = [("detail", body)]
        for form, obj in found:
            if isinstance(obj, dict) and {"id", "type", "url"} <= set(obj):
                obj = strip_prefix(obj) if form == "detail" else obj
                raw.setdefault(obj["type"], {}).setdefault(form, []).append(obj)
    out: dict = {}
    for typ in sorted(raw):
        out[typ] = {}
        for form in ("detail", "list"):
            objs = raw[typ].get(form)
            if not objs:
                continue
            orders = []
            for o in objs:
                if list(o) not in orders:
                    orders.append(list(o))
            fields = {}
            for key in merge_order(orders):
                types = sorted({json_type(o[key]) for o in objs if key in o})
                fields[key] = {"types": types, "present": sum(1 for o in objs if key in o)}
            out[typ][form] = {"count": len(objs), "orders": orders, "fields": fields}
    return out


def collect_options(recs: list[tuple[str, dict]]) -> dict:
    best: dict[str, dict] = {}
    for name, rec in recs:
        if rec["request"]["method"] != "OPTIONS" or rec["response"]["status"] != 200:
            continue
        body = rec["response"]["body"]
        path = norm_path(rec["request"]["path"])
        entry = {"source": name, "allow": rec["response"]["headers"].get("Allow")}
        entry.update(body)
        prev = best.get(path)
        if prev is None or len(entry.get("actions", {})) > len(prev.get("actions", {})):
            best[path] = entry
    return dict(sorted(best.items()))


def collect_reference(root: str) -> dict:
    with open(os.path.join(root, "reference", "awx-24.6.1-api-structure.json"), encoding="utf-8") as fh:
        ref = json.load(fh)
    ops = {p: {m: o["operationId"] for m, o in sorted(v.items()) if isinstance(o, dict) and "operationId" in o}
           for p, v in sorted(ref["paths"].items())}
    defs = {}
    for name, d in sorted(ref["definitions"].items()):
        props = {k: {a: v[a] for a in REF_KEEP if a in v} for k, v in sorted(d.get("properties", {}).items())}
        defs[name] = {"properties": props, "required": d.get("required", [])}
    return {"operations": ops, "definitions": defs}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    root = argv[1]
    recs = load_recordings(root)
    data = {
        "awx_version": "24.6.1",
        "recordings": len(recs),
        "reference": collect_reference(root),
        "objects": collect_objects(recs),
        "options": collect_options(recs),
    }
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=1, sort_keys=False, ensure_ascii=False)
        fh.write("\n")
    print(f"wrote {OUT} from {len(recs)} recordings")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
