"""AWX's OPTIONS metadata, rendered from the OpenAPI description."""

from __future__ import annotations

import typing as t

from ..access import CHANGE
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
# AWX fills in the standard help texts of these fields after the model's own attributes (so after max_length).
LATE_HELP_FIELDS = frozenset(
    {"id", "type", "url", "related", "summary_fields", "created", "modified", "name", "description"})
LATE_HELP_KEYS = (
    "type", "required", "hidden", "label", "min_length", "max_length", "min_value", "max_value", "help_text",
    "filterable", "default", "choices", "child", "write_only",
)
BOUNDS = (("minLength", "min_length"), ("maxLength", "max_length"), ("minimum", "min_value"), ("maximum", "max_value"))
GET_DROPS = ("required", "read_only", "default", "min_length", "max_length", "placeholder")
BODY_KEYS = ("name", "description", "renders", "parses", "actions", "types", "search_fields",
             "related_search_fields", "object_roles", "max_page_size")
BLANK = "---------"


def options_body(runtime: Runtime, operations: dict[str, Operation], user: Record | None,
                 params: dict[str, str] | None = None) -> dict[str, t.Any]:
    """The body of ``OPTIONS <path>``: view name and text, actions, and list metadata.

    With the path's ``params``, PUT is offered only on an existing object the user may change, as AWX does.
    """
    first = next(iter(operations.values()))
    view = dict(runtime.spec.document["paths"][first.path].get("x-awx-view") or first.raw.get("x-awx-view") or {})
    body: dict[str, t.Any] = {
        "name": view.pop("name", ""),
        "description": view.pop("description", ""),
        "renders": ["application/json", "text/html"],
        "parses": ["application/json"],
    }
    actions = _actions(runtime, operations, user, params)
    if actions:
        body["actions"] = actions
    get = operations.get("GET")
    if get is not None and "x-awx-search-fields" in get.raw:
        body["search_fields"] = get.raw["x-awx-search-fields"]
        if get.raw.get("x-awx-related-search-fields"):
            body["related_search_fields"] = get.raw["x-awx-related-search-fields"]
    body.update({key: view[key] for key in ("types", "object_roles", "max_page_size") if key in view})
    return {key: body[key] for key in BODY_KEYS if key in body}


def _actions(runtime: Runtime, operations: dict[str, Operation], user: Record | None,
             params: dict[str, str] | None) -> dict[str, t.Any]:
    actions: dict[str, t.Any] = {}
    get = operations.get("GET")
    if get is not None:
        schema = _item_schema(get.responses.get("200"))
        if schema and schema.get("properties"):
            actions["GET"] = _fields(schema, writing=False, overrides=get.raw.get("x-awx-options-overrides"))
    post = operations.get("POST")
    if post is not None and user is not None and user.get("is_superuser"):
        fields = _post_fields(runtime, post)
        if fields:
            actions["POST"] = fields
    put = operations.get("PUT")
    if put is not None and put.request_schema and _may_change(runtime, put, user, params):
        actions["PUT"] = _fields(put.request_schema, writing=True, updating=True)
    return actions


def _post_fields(runtime: Runtime, post: Operation) -> dict[str, t.Any]:
    """POST's fields; a sub-list shows ``id`` (to attach) and, where it can create, the new object's fields."""
    mode = post.raw.get("x-awx-sublist")
    if mode is None:
        return _fields(post.request_schema, writing=True) if post.request_schema else {}
    fields: dict[str, t.Any] = {}
    get = runtime.spec.by_path[post.path].get("GET")
    item = _item_schema(get.responses.get("200")) if get is not None else None
    id_prop = (item or {}).get("properties", {}).get("id")
    if id_prop is not None:
        fields["id"] = field_info("id", id_prop, required=False, writing=True)
    name = post.raw.get("x-awx-options-schema")
    if name and runtime.spec.has_schema(name):
        fields.update(_fields(runtime.spec.schema(name), writing=True))
    return fields


def _may_change(runtime: Runtime, put: Operation, user: Record | None, params: dict[str, str] | None) -> bool:
    """Whether PUT belongs in the actions: the object exists and the user may change it."""
    if user is None:
        return False
    if params is None or "id" not in params:
        return bool(user.get("is_superuser"))
    kind = put.path.split("/")[3]
    record = _lookup(runtime, kind, params["id"])
    return record is not None and runtime.access.can(user, CHANGE, kind, record)


def _lookup(runtime: Runtime, kind: str, key: str) -> Record | None:
    if key.isdigit():
        return runtime.store.get(kind, int(key))
    if kind == "users":
        # the users path also takes a username
        return next(iter(runtime.store.find("users", "username", key)), None)
    return None


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


def _fields(schema: dict[str, t.Any], *, writing: bool, updating: bool = False,
            overrides: dict[str, dict[str, t.Any]] | None = None) -> dict[str, t.Any]:
    required = set(schema.get("required", []))
    fields: dict[str, t.Any] = {}
    for name, prop in schema.get("properties", {}).items():
        if prop.get("x-awx-options-hidden") or (updating and prop.get("x-awx-create-only")):
            continue
        if (writing and prop.get("readOnly")) or (not writing and prop.get("writeOnly")):
            continue
        if overrides and name in overrides:
            prop = {**prop, **overrides[name]}
        fields[name] = field_info(name, prop, required=name in required, writing=writing)
    return fields


def field_info(name: str, prop: dict[str, t.Any], *, required: bool, writing: bool) -> dict[str, t.Any]:
    """One field's OPTIONS entry from its schema property."""
    info: dict[str, t.Any] = {
        "type": prop.get("x-awx-type", _json_type(prop)),
        "required": required,
        "hidden": False,
    }
    if prop.get("title") is not None:
        info["label"] = prop["title"]
    if prop.get("description"):
        info["help_text"] = prop["description"]
    for source, target in BOUNDS:
        if source in prop and not (source == "minLength" and prop[source] == 1):
            info[target] = prop[source]
    if "x-filterable" in prop:
        info["filterable"] = prop["x-filterable"]
    if "x-awx-default" in prop:
        info["default"] = prop["x-awx-default"]
    elif "default" in prop:
        info["default"] = prop["default"]
    choices = _choices(prop)
    if choices is not None:
        info["choices"] = choices
    if "x-child" in prop:
        info["child"] = prop["x-child"]
    if prop.get("writeOnly"):
        info["write_only"] = True
    if not writing:
        for key in GET_DROPS:
            info.pop(key, None)
    order = LATE_HELP_KEYS if name in LATE_HELP_FIELDS else FIELD_KEYS
    out = {k: info[k] for k in order if k in info}
    # per-type extras AWX appends (notification templates' configuration and messages per notification type)
    out.update(prop.get("x-awx-options-extra", {}))
    return out


def _choices(prop: dict[str, t.Any]) -> list[list[t.Any]] | None:
    if "x-choices" in prop:
        return [list(pair) for pair in prop["x-choices"]]
    if "enum" not in prop:
        return None
    values = prop["enum"]
    blanks = [v for v in (None, "") if v in values]
    return [[v, BLANK] for v in blanks] + [[v, str(v)] for v in values if v not in (None, "")]


def _json_type(prop: dict[str, t.Any]) -> str:
    kinds = prop.get("type", "string")
    kinds = [k for k in (kinds if isinstance(kinds, list) else [kinds]) if k != "null"]
    names = {"integer": "integer", "boolean": "boolean", "object": "object", "array": "list", "number": "float"}
    return names.get(kinds[0] if kinds else "string", "string")
