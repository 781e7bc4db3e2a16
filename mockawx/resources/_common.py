"""Pieces every resource shares: lookups, stamps, summaries, list and create replies."""

from __future__ import annotations

import typing as t
import urllib.parse

from ..clock import format_time
from ..errors import BadRequest, HtmlNotFound, NotFound
from ..store import Record, Store
from ..web.call import Call, Reply
from ..web.listing import filter_records, order_records, paginate
from ..model import MODELS, Model

__all__ = [
    "base",
    "check_foreign_keys",
    "created",
    "get_object",
    "list_reply",
    "named_url",
    "serialize",
    "stamp",
    "summary_of",
    "user_summary",
]

USER_SUMMARY = ("id", "username", "first_name", "last_name")


def stamp(call: Call, record: Record, *, creating: bool) -> Record:
    """Set created/modified (and who did it) the way AWX does on save."""
    now = call.clock.now()
    user_id = call.user["id"] if call.user else None
    if creating:
        record.setdefault("created", now)
        record.setdefault("created_by", user_id)
    record["modified"] = now
    record["modified_by"] = user_id
    return record


def user_summary(store: Store, user_id: int | None) -> dict[str, t.Any] | None:
    user = store.get("users", user_id)
    return {k: user.get(k, "") for k in USER_SUMMARY} if user else None


def summary_of(store: Store, kind: str, pk: int | None, fields: t.Sequence[str] = ("id", "name", "description")) -> dict[str, t.Any] | None:
    """``{id, name, description}`` (or the given fields) of a related object, or ``None``."""
    record = store.get(kind, pk)
    if record is None:
        return None
    return {f: record.get(f) for f in fields if record.get(f) is not None or f in ("id",)}


def base(call: Call, model: Model, record: Record, related: dict[str, t.Any], summary: dict[str, t.Any]) -> dict[str, t.Any]:
    """The envelope every object starts with: id, type, url, related, summary_fields, created, modified."""
    pk = record["id"]
    store = call.store
    links: dict[str, t.Any] = {}
    for key in ("created_by", "modified_by"):
        if record.get(key) and store.get("users", record[key]):
            links[key] = f"/api/v2/users/{record[key]}/"
    links.update(related)
    summaries: dict[str, t.Any] = {}
    for key in ("created_by", "modified_by"):
        who = user_summary(store, record.get(key))
        if who:
            summaries[key] = who
    summaries.update({k: v for k, v in summary.items() if v is not None})
    return {
        "id": pk,
        "type": record.get("_type") or model.type,
        "url": model.url(pk),
        "related": links,
        "summary_fields": summaries,
        "created": format_time(record.get("created")),
        "modified": format_time(record.get("modified")),
    }


def serialize(call: Call, kind: str, record: Record, *, detail: bool = True) -> dict[str, t.Any]:
    model = MODELS[kind]
    return model.serializer(call, record, detail)


def named_url(call: Call, kind: str, record: Record) -> str | None:
    """AWX's named URL of an object (``name++organization`` and friends), if it has one."""
    from ._named import named_url_path

    name = named_url_path(call.store, kind, record)
    return f"/api/v2/{kind}/{name}/" if name is not None else None


def get_object(call: Call, kind: str, param: str = "id") -> Record:
    """The object a path names by id or by named URL; AWX's 404 otherwise."""
    from ._named import resolve_named

    model = MODELS[kind]
    raw = call.params.get(param, "")
    if raw.isdigit():
        record = call.store.get(kind, int(raw))
        if record is None:
            raise NotFound.model(model.name)
        return record
    record = resolve_named(call.store, kind, urllib.parse.unquote(raw))
    if record is None:
        raise HtmlNotFound()
    return record


def list_reply(call: Call, kind: str, records: t.Iterable[Record], *, order: bool = True) -> dict[str, t.Any]:
    """Filter, order and page ``records``, then serialize the page (list form)."""
    model = MODELS[kind]
    selected = filter_records(call.store, model, records, call.query)
    if order:
        selected = order_records(call.store, model, selected, call.query)
    page = paginate(call.full_path, call.query, selected)
    page["results"] = [model.serializer(call, record, False) for record in page["results"]]
    return page


def created(call: Call, kind: str, record: Record) -> Reply:
    """201 with the new object and its Location."""
    model = MODELS[kind]
    return Reply(201, model.serializer(call, record, True), {"Location": model.url(record["id"])})


def check_foreign_keys(call: Call, schema_name: str | None, cleaned: dict[str, t.Any]) -> None:
    """400 ``Invalid pk "N" - object does not exist.`` for references to missing objects."""
    schema = call.runtime.spec.schema(schema_name) if schema_name else call.operation.request_schema or {}
    errors: dict[str, list[str]] = {}
    for field, prop in schema.get("properties", {}).items():
        target = prop.get("x-foreign-key")
        value = cleaned.get(field)
        if target and value is not None and not _exists(call.store, target, value):
            errors[field] = [f'Invalid pk "{value}" - object does not exist.']
    if errors:
        raise BadRequest(errors)


def _exists(store: Store, kind: str, pk: t.Any) -> bool:
    if kind == "unified_job_templates":
        from ._unified import find_unified_template

        return find_unified_template(store, pk) is not None
    return store.get(kind, pk) is not None
