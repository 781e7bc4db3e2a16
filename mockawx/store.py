"""The in-memory state: tables of records, shared id sequences, indexes, transactions.

Records are plain dicts keyed by field name. Every write goes through the store so that
indexes stay right and a failed request can be rolled back (``transaction``).
"""

from __future__ import annotations

import contextlib
import copy
import heapq
import pickle
import threading
import typing as t

__all__ = ["Record", "Store", "SEQUENCE_GROUPS"]

Record = dict[str, t.Any]

# Kinds that share one id sequence, as AWX's polymorphic tables do.
SEQUENCE_GROUPS: dict[str, str] = {
    "job_templates": "unified_job_templates",
    "workflow_job_templates": "unified_job_templates",
    "projects": "unified_job_templates",
    "inventory_sources": "unified_job_templates",
    "system_job_templates": "unified_job_templates",
    "workflow_approval_templates": "unified_job_templates",
    "jobs": "unified_jobs",
    "workflow_jobs": "unified_jobs",
    "project_updates": "unified_jobs",
    "inventory_updates": "unified_jobs",
    "workflow_approvals": "unified_jobs",
    "system_jobs": "unified_jobs",
}

# Fields looked up by value often enough to deserve an index.
INDEXED: dict[str, tuple[str, ...]] = {
    "workflow_job_template_nodes": ("workflow_job_template",),
    "workflow_job_nodes": ("workflow_job",),
    "workflow_jobs": ("workflow_job_template",),
    "roles": ("content_type", "object_id"),
    "tokens": ("token",),
    "users": ("username",),
}

_Undo = tuple[str, str, int, t.Any]

# Meta entries that requests change in place; a failed request restores them.
VOLATILE_META = ("event_sequence", "sessions")


class Store:
    """Tables ``{kind: {id: record}}`` with id sequences and value indexes."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[int, Record]] = {}
        self.sequences: dict[str, int] = {}
        self.meta: dict[str, t.Any] = {}
        self._index: dict[tuple[str, str], dict[t.Any, set[int]]] = {}
        self._journal: list[_Undo] | None = None
        self.lock = threading.RLock()
        # called after a rollback, to rebuild state kept outside the tables (the workflow runs)
        self.rollback_hooks: list[t.Callable[[], None]] = []

    # -- reading -----------------------------------------------------------------------
    def table(self, kind: str) -> dict[int, Record]:
        return self.tables.setdefault(kind, {})

    def get(self, kind: str, pk: int | None) -> Record | None:
        if pk is None:
            return None
        return self.tables.get(kind, {}).get(pk)

    def all(self, kind: str) -> list[Record]:
        return list(self.tables.get(kind, {}).values())

    def find(self, kind: str, field: str, value: t.Any) -> list[Record]:
        """Records of ``kind`` whose ``field`` equals ``value`` (indexed when declared)."""
        if field in INDEXED.get(kind, ()):
            ids = self._index.get((kind, field), {}).get(_key(value), set())
            table = self.table(kind)
            return [table[i] for i in sorted(ids) if i in table]
        return [r for r in self.all(kind) if r.get(field) == value]

    def first(self, kind: str, field: str, value: t.Any) -> Record | None:
        found = self.find(kind, field, value)
        return found[0] if found else None

    # -- writing -----------------------------------------------------------------------
    def next_id(self, kind: str) -> int:
        group = SEQUENCE_GROUPS.get(kind, kind)
        value = self.sequences.get(group, 0) + 1
        self._log(("seq", group, 0, self.sequences.get(group)))
        self.sequences[group] = value
        return value

    def insert(self, kind: str, record: Record) -> Record:
        if "id" not in record or record["id"] is None:
            record["id"] = self.next_id(kind)
        pk = record["id"]
        self.table(kind)[pk] = record
        self._reindex(kind, pk, None, record)
        self._log(("insert", kind, pk, None))
        return record

    def update(self, kind: str, pk: int, changes: t.Mapping[str, t.Any]) -> Record:
        record = self.table(kind)[pk]
        # values are replaced, never mutated in place, so keeping references is enough to undo
        if self._journal is not None:
            self._log(("update", kind, pk, {k: record.get(k, _MISSING) for k in changes}))
        indexed = [f for f in INDEXED.get(kind, ()) if f in changes]
        old = {f: record.get(f) for f in indexed}
        record.update(changes)
        if indexed:
            self._reindex(kind, pk, old, record, indexed)
        return record

    def delete(self, kind: str, pk: int) -> Record | None:
        record = self.table(kind).pop(pk, None)
        if record is not None:
            self._reindex(kind, pk, record, None)
            self._log(("delete", kind, pk, record))
        return record

    def push_meta(self, key: str, entry: t.Any) -> None:
        """Push onto the heap kept in ``meta[key]``; undone if the transaction fails."""
        heapq.heappush(self.meta.setdefault(key, []), entry)
        self._log(("meta_push", key, 0, entry))

    # -- transactions --------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> t.Iterator[None]:
        """All writes inside succeed together or are undone together."""
        with self.lock:
            if self._journal is not None:
                yield
                return
            self._journal = []
            saved_meta = {key: copy.copy(value) for key, value in self.meta.items() if key in VOLATILE_META}
            try:
                yield
            except BaseException:
                wrote = bool(self._journal)
                self._rollback()
                self.meta.update(saved_meta)
                if wrote:  # most refusals write nothing before failing: nothing to rebuild then
                    for hook in self.rollback_hooks:
                        hook()
                raise
            finally:
                self._journal = None

    def _log(self, entry: _Undo) -> None:
        if self._journal is not None:
            self._journal.append(entry)

    def _rollback(self) -> None:
        journal, self._journal = self._journal or [], None
        for action, kind, pk, data in reversed(journal):
            if action == "seq":
                if data is None:
                    self.sequences.pop(kind, None)
                else:
                    self.sequences[kind] = data
            elif action == "meta_push":
                queue = self.meta.get(kind, [])
                if data in queue:
                    queue.remove(data)
                    heapq.heapify(queue)
            elif action == "insert":
                self.delete(kind, pk)
            elif action == "delete":
                self.table(kind)[pk] = data
                self._reindex(kind, pk, None, data)
            elif action == "update":
                record = self.table(kind)[pk]
                old = dict(record)
                for field, value in data.items():
                    if value is _MISSING:
                        record.pop(field, None)
                    else:
                        record[field] = value
                self._reindex(kind, pk, old, record)

    # -- indexes -----------------------------------------------------------------------
    def _reindex(self, kind: str, pk: int, old: Record | None, new: Record | None, fields: t.Iterable[str] | None = None) -> None:
        for field in INDEXED.get(kind, ()) if fields is None else fields:
            index = self._index.setdefault((kind, field), {})
            if old is not None:
                index.get(_key(old.get(field)), set()).discard(pk)
            if new is not None:
                index.setdefault(_key(new.get(field)), set()).add(pk)

    def _rebuild_indexes(self) -> None:
        self._index = {}
        for kind, table in self.tables.items():
            for pk, record in table.items():
                self._reindex(kind, pk, None, record)

    # -- snapshots -----------------------------------------------------------------------
    def snapshot(self) -> bytes:
        """The whole state as bytes (restorable with ``restore``)."""
        with self.lock:
            return pickle.dumps((self.tables, self.sequences, self.meta), pickle.HIGHEST_PROTOCOL)

    def restore(self, data: bytes) -> None:
        with self.lock:
            self.tables, self.sequences, self.meta = pickle.loads(data)
            self._rebuild_indexes()


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING = _Missing()


def _key(value: t.Any) -> t.Any:
    return value if isinstance(value, t.Hashable) else repr(value)
