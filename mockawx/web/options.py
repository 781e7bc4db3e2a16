"""AWX's OPTIONS metadata, rendered from the OpenAPI description."""

from __future__ import annotations

import typing as t

from ..spec import Operation
from ..store import Record

if t.TYPE_CHECKING:
    from ..runtime import Runtime

__all__ = ["options_body", "field_info"]

# Keys of one field's description, in AWX's order.
FIELD_KEYS = (
    "type", "required", "hidden", "label", "help_text", "min_length", "max_length", "min_value", "max_value",
    "filterable", "default", "choices", "child", "write_only",
)
GET_DROPS = ("required", "read_only", "default", "min_length", "max_length", "placeholder")


def options_body(runtime: Runtime, operations: dict[str, Operation], user: Record | None) -> dict[str, t.Any]:
    """The body of ``OPTIONS <path>``: view name and text, actions, and list metadata."""
    first = next(iter(operations.values()))
    path_item = runtime.spec.document["paths"][first.path]
    view = dict(path_item.get("x-awx-view") or first.raw.get("x-awx-view") or {})
    body: dict[str, t.Any] = {
        "name": view.pop("name", ""),
        "description": view.pop("description", ""),
        "renders": ["application/json", "text/html"],
        "parses": ["application/json"],
    }
    actions = _actions(operations, user)
    if actions:
        body["actions"] = actions
    get = operations.get("GET")
    if get is not None and "x-awx-search-fields" in get.raw:
        body["search_fields"] = get.raw["x-awx-search-fields"]
        body["related_search_fields"] = get.raw.get("x-awx-related-search-fields", [])
    for key in ("types", "search_fields", "related_search_fields", "object_roles", "max_page_size"):
        if key in view:
            body[key] = view[key]
    ordered = {k: body[k] for k in ("name", "description", "renders", "parses", "actions", "types", "search_fields", "related_search_fields", "object_roles", "max_page_size") if k in body}
    return ordered


def _actions(operations: dict[str, Operation], user: Record | None) -> dict[str, t.Any]:
    actions: dict[str, t.Any] = {}
    writer = operations.get("POST") or operations.get("PUT")
    for method in ("POST", "PUT"):
        operation = operations.get(method)
        if operation is None or operation.request_schema is None or not operation.request_schema.get("properties"):
            continue
        if user is None or not user.get("is_superuser"):
            continue
        actions[method] = _fields(operation.request_schema, writing=True)
    get = operations.get("GET")
    if get is not None:
        schema = _item_schema(get.responses.get("200"))
        if schema and schema.get("properties"):
            actions["GET"] = _fields(schema, writing=False)
    _ = writer
    return {m: actions[m] for m in ("POST", "PUT", "GET") if m in actions}


def _item_schema(schema: dict[str, t.Any] | None) -> dict[str, t.Any] | None:
    """The object a GET returns (the ``results`` items of a page)."""
    if not schema:
        return None
    for part in schema.get("allOf", []):
        found = _item_schema(part)
        if found and found.get("properties") and "count" not in found.get("properties", {}):
            return found
    results = schema.get("properties", {}).get("results")
    if results is not None:
        return results.get("items")
    return schema


def _fields(schema: dict[str, t.Any], *, writing: bool) -> dict[str, t.Any]:
    required = set(schema.get("required", []))
    fields: dict[str, t.Any] = {}
    for name, prop in schema.get("properties", {}).items():
        if writing and prop.get("readOnly"):
            continue
        if not writing and prop.get("writeOnly"):
            continue
        fields[name] = field_info(prop, required=name in required, writing=writing)
    return fields


def field_info(prop: dict[str, t.Any], *, required: bool, writing: bool) -> dict[str, t.Any]:
    """One field's OPTIONS entry from its schema property."""
    info: dict[str, t.Any] = {
        "type": prop.get("x-awx-type", _json_type(prop)),
        "required": required,
        "hidden": False,
    }
    if "title" in prop:
        info["label"] = prop["title"]
    if prop.get("description"):
        info["help_text"] = prop["description"]
    for source, target in (("minLength", "min_length"), ("maxLength", "max_length"), ("minimum", "min_value"), ("maximum", "max_value")):
        if source in prop and not (source == "minLength" and prop[source] == 1):
            info[target] = prop[source]
    if "x-filterable" in prop:
        info["filterable"] = prop["x-filterable"]
    if "default" in prop and "x-options-no-default" not in prop:
        info["default"] = prop["default"]
    choices = prop.get("x-choices")
    if choices is None and "enum" in prop:
        choices = [[value, value] for value in prop["enum"]]
    if choices is not None:
        info["choices"] = choices
    if "x-child" in prop:
        info["child"] = prop["x-child"]
    if prop.get("writeOnly"):
        info["write_only"] = True
    if not writing:
        for key in GET_DROPS:
            info.pop(key, None)
    return {k: info[k] for k in FIELD_KEYS if k in info}


def _json_type(prop: dict[str, t.Any]) -> str:
    kinds = prop.get("type", "string")
    kinds = [k for k in (kinds if isinstance(kinds, list) else [kinds]) if k != "null"]
    return {"integer": "integer", "boolean": "boolean", "object": "object", "array": "list", "number": "float"}.get(kinds[0] if kinds else "string", "string")
