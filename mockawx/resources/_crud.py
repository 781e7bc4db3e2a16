"""Generic list/create/retrieve/update/delete views, configured per model."""

from __future__ import annotations

import dataclasses
import typing as t

from ..errors import BadRequest
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import check_foreign_keys, created, get_object, list_reply, stamp
from ..model import MODELS
from ._registry import handle

__all__ = ["Crud", "UniqueRule", "apply_write", "create_with", "register_crud", "schema_defaults"]

Hook = t.Callable[[Call, Record], None]
WriteHook = t.Callable[[Call, dict[str, t.Any], "Record | None"], None]


@dataclasses.dataclass(frozen=True)
class UniqueRule:
    """Objects of a kind may not share these field values; ``message`` is AWX's 400 text."""

    fields: tuple[str, ...]
    key: str
    message: str

    def violated(self, store: Store, kind: str, candidate: dict[str, t.Any], own_id: int | None) -> bool:
        wanted = tuple(candidate.get(f) for f in self.fields)
        return any(
            record["id"] != own_id and tuple(record.get(f) for f in self.fields) == wanted
            for record in store.all(kind)
        )


@dataclasses.dataclass(frozen=True)
class Crud:
    """How one model is written: its write schema, uniqueness rules and hooks."""

    kind: str
    write_schema: str
    unique: tuple[UniqueRule, ...] = ()
    validate: WriteHook | None = None  # raise 400s the schema cannot express
    after_create: Hook | None = None
    after_update: Hook | None = None
    before_delete: Hook | None = None  # raise to refuse (409, 403)
    delete: Hook | None = None  # replaces the plain row delete (cascades)
    delete_status: int = 204
    put_resets: bool = True  # PUT resets omitted non-FK fields that have a default

    def records(self, call: Call) -> t.Iterable[Record]:
        return call.store.all(self.kind)


def schema_defaults(call: Call, schema_name: str) -> dict[str, t.Any]:
    """Every writable field's default from the write schema (``None`` when it has none)."""
    schema = call.runtime.spec.schema(schema_name)
    defaults: dict[str, t.Any] = {}
    for name, prop in schema.get("properties", {}).items():
        defaults[name] = prop.get("default")
    return defaults


def apply_write(call: Call, crud: Crud, existing: Record | None) -> dict[str, t.Any]:
    """Validate the body for create, PUT or PATCH; returns the fields to store."""
    partial = call.method == "PATCH"
    cleaned = call.validated(crud.write_schema, partial=partial)
    check_foreign_keys(call, crud.write_schema, cleaned)
    if existing is None:
        values = {**schema_defaults(call, crud.write_schema), **cleaned}
    elif call.method == "PUT" and crud.put_resets:
        schema = call.runtime.spec.schema(crud.write_schema)
        # DRF: an omitted field falls back to its default; one without a default keeps its value
        resets = {
            name: prop["default"]
            for name, prop in schema.get("properties", {}).items()
            if "default" in prop and "x-foreign-key" not in prop and name not in cleaned
        }
        values = {**resets, **cleaned}
    else:
        values = dict(cleaned)
    if crud.validate is not None:
        crud.validate(call, values, existing)
    candidate = {**(existing or {}), **values}
    own_id = existing["id"] if existing else None
    for rule in crud.unique:
        if rule.violated(call.store, crud.kind, candidate, own_id):
            raise BadRequest({rule.key: [rule.message]})
    return values


def register_crud(crud: Crud, operation_prefix: str, *, methods: t.Iterable[str] = ("list", "create", "read", "update", "partial_update", "delete")) -> None:
    """Register the generic views of ``crud`` under ``<prefix>_list`` and friends."""
    views: dict[str, t.Callable[[Call], t.Any]] = {
        "list": lambda call: list_reply(call, crud.kind, crud.records(call)),
        "create": lambda call: _create(call, crud),
        "read": lambda call: MODELS[crud.kind].serializer(call, get_object(call, crud.kind), True),
        "update": lambda call: _update(call, crud),
        "partial_update": lambda call: _update(call, crud),
        "delete": lambda call: _delete(call, crud),
    }
    for name in methods:
        handle(f"{operation_prefix}_{name}", views[name])


def _create(call: Call, crud: Crud) -> Reply:
    return create_with(call, crud, {})


def create_with(call: Call, crud: Crud, forced: dict[str, t.Any]) -> Reply:
    """Create from the body, with ``forced`` fields taken from the URL (sub-list creates)."""
    from .activity_stream import record_activity

    values = {**apply_write(call, crud, None), **forced}
    record = stamp(call, {"id": None, **values}, creating=True)
    call.store.insert(crud.kind, record)
    if crud.after_create is not None:
        crud.after_create(call, record)
    record_activity(call, "create", crud.kind, call.store.get(crud.kind, record["id"]) or record)
    return created(call, crud.kind, record)


def _update(call: Call, crud: Crud) -> dict[str, t.Any]:
    from .activity_stream import changed_fields, record_activity

    existing = get_object(call, crud.kind)
    before = dict(existing)
    values = apply_write(call, crud, existing)
    record = call.store.update(crud.kind, existing["id"], stamp(call, values, creating=False))
    if crud.after_update is not None:
        crud.after_update(call, record)
    changes = changed_fields(before, {k: v for k, v in values.items() if k not in ("modified", "modified_by")}, crud.kind, call.store)
    if changes:
        record_activity(call, "update", crud.kind, record, changes)
    return MODELS[crud.kind].serializer(call, record, True)


def _delete(call: Call, crud: Crud) -> Reply:
    from .activity_stream import record_activity

    record = get_object(call, crud.kind)
    if crud.before_delete is not None:
        crud.before_delete(call, record)
    record_activity(call, "delete", crud.kind, record)
    if crud.delete is not None:
        crud.delete(call, record)
    else:
        call.store.delete(crud.kind, record["id"])
    return Reply(crud.delete_status, None)
