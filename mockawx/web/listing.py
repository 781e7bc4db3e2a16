"""AWX list semantics: filters, ``search``, ``order_by`` and the page envelope."""

from __future__ import annotations

import datetime as dt
import re
import typing as t
import urllib.parse

from werkzeug.datastructures import MultiDict

from ..errors import BadRequest, NotFound, PermissionDenied
from ..model import MODELS, Model
from ..store import Record, Store


__all__ = ["filter_records", "order_records", "paginate", "RESERVED", "DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE"]

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 200
RESERVED = frozenset({
    "page", "page_size", "format", "order", "order_by", "search", "type", "host_filter",
    "count_disabled", "no_truncate", "limit", "validate",
})
PROTECTED = frozenset({"survey_spec", "extra_vars", "webhook_key", "survey_passwords", "start_args", "job_args", "job_env", "password"})
LOOKUPS = frozenset({
    "exact", "iexact", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith",
    "regex", "iregex", "gt", "gte", "lt", "lte", "in", "isnull", "search",
})
Predicate = t.Callable[[Record], bool]


def filter_records(store: Store, model: Model, records: t.Iterable[Record], query: MultiDict[str, str]) -> list[Record]:
    """Apply every field filter, ``or__``/``not__`` group and ``search`` term in ``query``."""
    required: list[Predicate] = []
    alternatives: list[Predicate] = []
    for key, value in query.items(multi=True):
        if key in RESERVED:
            continue
        negate, either, path = _prefixes(key)
        predicate = _predicate(store, model, path, value)
        if negate:
            predicate = _negate(predicate)
        (alternatives if either else required).append(predicate)
    for term in _search_terms(query):
        required.append(_search(store, model, term))
    if "type" in query:
        wanted = set(query["type"].split(","))
        required.append(lambda r: model_type(model, r) in wanted)
    selected = [r for r in records if all(p(r) for p in required)]
    if alternatives:
        selected = [r for r in selected if any(p(r) for p in alternatives)]
    return selected


def model_type(model: Model, record: Record) -> str:
    return str(record.get("_type") or model.type)


def _negate(predicate: Predicate) -> Predicate:
    return lambda r: not predicate(r)


def _prefixes(key: str) -> tuple[bool, bool, str]:
    negate = either = False
    while True:
        if key.startswith("not__"):
            negate, key = not negate, key[5:]
        elif key.startswith("or__"):
            either, key = True, key[4:]
        elif key.startswith("chain__"):
            key = key[7:]
        else:
            return negate, either, key


def _search_terms(query: MultiDict[str, str]) -> list[str]:
    terms: list[str] = []
    for value in query.getlist("search"):
        terms.extend(term for term in re.split(r"[\s,]+", value) if term)
    return terms


def _search(store: Store, model: Model, term: str) -> Predicate:
    needle = term.lower()

    def matches(record: Record) -> bool:
        for field in model.search_fields:
            for value in _values(store, model, record, field.split("__")):
                if value is not None and needle in str(value).lower():
                    return True
        return False

    return matches


def _predicate(store: Store, model: Model, path: str, raw: str) -> Predicate:
    parts = path.split("__")
    lookup = "exact"
    if len(parts) > 1 and parts[-1] in LOOKUPS:
        lookup = parts.pop()
    _check_path(model, parts)
    if lookup == "in" and raw == "":
        raise BadRequest({"detail": "cannot provide empty value for __in"})
    if lookup == "search":
        terms = [term.lower() for term in re.split(r"[\s,]+", raw) if term]
        return lambda r: all(
            any(term in str(v).lower() for v in _related_text(store, model, r, parts)) for term in terms
        )
    compare = _comparator(lookup, raw)
    return lambda r: any(compare(v) for v in _values(store, model, r, parts) or [None])


def _check_path(model: Model, parts: list[str]) -> None:
    current: Model | None = model
    seen: set[str] = set()
    for part in parts:
        if part in seen:
            raise BadRequest({"detail": f"Loops not allowed in filters, detected on field {part}."})
        seen.add(part)
        if current is None:
            return
        if part in PROTECTED:
            raise PermissionDenied({"detail": f"Filtering on {part} is not allowed."})
        if part not in current.filter_fields and part not in ("pk",):
            raise BadRequest({"detail": f"{current.name} has no field named '{part}'"})
        target = current.fks.get(part) or current.m2m.get(part)
        current = MODELS.get(target) if target else None


def _values(store: Store, model: Model, record: Record, parts: list[str]) -> list[t.Any]:
    """The values a field path reaches from ``record`` (several across many-to-many)."""
    values: list[t.Any] = [record]
    current: Model | None = model
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        field = "id" if part == "pk" else part
        target = current.fks.get(field) if current else None
        many = current.m2m.get(field) if current else None
        following: list[t.Any] = []
        for value in values:
            if not isinstance(value, dict):
                continue
            item = current.value(store, value, field) if current else value.get(field)
            if last:
                following.extend(item if many and isinstance(item, list) else [item])
            elif many:
                following.extend(store.get(many, i) for i in item or [])
            elif target:
                following.append(store.get(target, item))
        values = following
        current = MODELS.get(many or target or "")
    return values


def _related_text(store: Store, model: Model, record: Record, parts: list[str]) -> list[str]:
    texts = []
    for value in _values(store, model, record, parts):
        if isinstance(value, int):
            target_kind = model.fks.get(parts[-1]) or model.m2m.get(parts[-1])
            related = store.get(target_kind, value) if target_kind else None
            if related:
                texts.extend(str(related.get(f, "")) for f in ("name", "description", "username"))
    return texts


def _comparator(lookup: str, raw: str) -> t.Callable[[t.Any], bool]:
    if lookup == "isnull":
        wanted = raw.lower() in ("true", "1", "yes", "t", "y")
        return lambda v: (v is None) == wanted
    if lookup == "in":
        options = raw.split(",")
        return lambda v: any(_equal(v, option) for option in options)
    if lookup in ("gt", "gte", "lt", "lte"):
        return lambda v: _ordered(v, raw, lookup)
    if lookup in ("regex", "iregex"):
        try:
            pattern = re.compile(raw, re.IGNORECASE if lookup == "iregex" else 0)
        except re.error:
            raise BadRequest({"detail": f"Invalid regular expression: {raw}"}) from None
        return lambda v: v is not None and pattern.search(str(v)) is not None
    text_ops: dict[str, t.Callable[[str, str], bool]] = {
        "contains": lambda v, q: q in v,
        "startswith": lambda v, q: v.startswith(q),
        "endswith": lambda v, q: v.endswith(q),
    }
    if lookup in text_ops:
        op = text_ops[lookup]
        return lambda v: v is not None and op(str(v), raw)
    if lookup.startswith("i") and lookup[1:] in text_ops:
        op = text_ops[lookup[1:]]
        return lambda v: v is not None and op(str(v).lower(), raw.lower())
    if lookup == "iexact":
        return lambda v: v is not None and str(v).lower() == raw.lower()
    return lambda v: _equal(v, raw)


def _as_datetime(raw: str) -> dt.datetime | None:
    try:
        parsed = dt.datetime.fromisoformat(raw.replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def _equal(value: t.Any, raw: str) -> bool:
    if isinstance(value, dt.datetime):
        return value == _as_datetime(raw)
    if value is None:
        return raw.lower() in ("null", "none")
    if isinstance(value, bool):
        lowered = raw.lower()
        if lowered in ("true", "1", "t", "yes", "y", "on"):
            return value is True
        if lowered in ("false", "0", "f", "no", "n", "off"):
            return value is False
        return False
    if isinstance(value, int):
        try:
            return value == int(raw)
        except ValueError:
            return False
    if isinstance(value, float):
        try:
            return value == float(raw)
        except ValueError:
            return False
    if isinstance(value, dict) and "id" in value:
        return _equal(value["id"], raw)
    return str(value) == raw


def _ordered(value: t.Any, raw: str, lookup: str) -> bool:
    if value is None:
        return False
    if isinstance(value, dt.datetime):
        other = _as_datetime(raw)
        if other is None:
            return False
        return {"gt": value > other, "gte": value >= other, "lt": value < other, "lte": value <= other}[lookup]
    try:
        left, right = (value, type(value)(raw)) if isinstance(value, (int, float)) and not isinstance(value, bool) else (str(value), raw)
    except ValueError:
        return False
    return {"gt": left > right, "gte": left >= right, "lt": left < right, "lte": left <= right}[lookup]


def order_records(store: Store, model: Model, records: list[Record], query: MultiDict[str, str]) -> list[Record]:
    """Sort by ``order_by``/``order`` (``-`` descends), the model's default breaking ties."""
    requested = query.get("order_by") or query.get("order") or ""
    keys = [k.strip() for k in requested.split(",") if k.strip()]
    for key in keys:
        field = key.lstrip("-")
        if field != "type":
            _check_path(model, field.split("__"))
    ordering = [*keys, *[k for k in model.default_order if k not in keys], "id"]
    result = list(records)
    for key in reversed(ordering):
        descending = key.startswith("-")
        parts = key.lstrip("-").split("__")
        result.sort(key=lambda r: _sort_key(store, model, r, parts), reverse=descending)
    return result


def _sort_key(store: Store, model: Model, record: Record, parts: list[str]) -> tuple[int, t.Any]:
    if parts == ["type"]:
        return (0, model_type(model, record))
    values = _values(store, model, record, parts)
    value = values[0] if values else None
    if value is None:
        return (1, "")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, (0, value, ""))
    return (0, (1, 0, str(value)))


def paginate(full_path: str, query: MultiDict[str, str], items: list[t.Any]) -> dict[str, t.Any]:
    """AWX's page envelope with relative ``next``/``previous`` links."""
    size = _page_size(query.get("page_size"))
    try:
        page = int(query.get("page", "1"))
    except ValueError:
        raise NotFound({"detail": "Invalid page."}) from None
    count = len(items)
    last_page = max(1, -(-count // size))
    if page < 1 or page > last_page:
        raise NotFound({"detail": "Invalid page."})
    results = items[(page - 1) * size : page * size]
    if query.get("count_disabled") in ("1", "true", "True"):
        return {"results": results}
    return {
        "count": count,
        "next": _page_link(full_path, page + 1) if page < last_page else None,
        "previous": _page_link(full_path, page - 1) if page > 1 else None,
        "results": results,
    }


def _page_size(raw: str | None) -> int:
    try:
        size = int(raw) if raw is not None else DEFAULT_PAGE_SIZE
    except ValueError:
        return DEFAULT_PAGE_SIZE
    if size <= 0:
        return DEFAULT_PAGE_SIZE
    return min(size, MAX_PAGE_SIZE)


def _page_link(full_path: str, page: int) -> str:
    path, _, query = full_path.partition("?")
    pairs = [(k, v) for k, v in urllib.parse.parse_qsl(query, keep_blank_values=True) if k != "page"]
    pairs.append(("page", str(page)))
    size = dict(pairs).get("page_size")
    if size is not None:
        pairs = [(k, str(_page_size(v)) if k == "page_size" else v) for k, v in pairs]
    return f"{path}?{urllib.parse.urlencode(sorted(pairs))}"
