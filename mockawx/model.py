"""What the mock knows about each AWX model: names, relations, search and order defaults."""

from __future__ import annotations

import dataclasses
import typing as t

from .store import Record, Store

if t.TYPE_CHECKING:
    from .web.call import Call

__all__ = ["Model", "MODELS", "register", "Serializer"]

Serializer = t.Callable[["Call", Record, bool], dict[str, t.Any]]


@dataclasses.dataclass(frozen=True)
class Model:
    """Static description of one AWX model (one table of the store)."""

    kind: str  # table and URL collection, e.g. "workflow_job_templates"
    type: str  # the serialized ``type``, e.g. "workflow_job_template"
    name: str  # AWX's model name in messages, e.g. "WorkflowJobTemplate"
    serializer: Serializer
    fields: tuple[str, ...] = ()
    fks: t.Mapping[str, str] = dataclasses.field(default_factory=dict)
    m2m: t.Mapping[str, str] = dataclasses.field(default_factory=dict)
    search_fields: tuple[str, ...] = ("name", "description")
    default_order: tuple[str, ...] = ("id",)
    computed: t.Mapping[str, t.Callable[[Store, Record], t.Any]] = dataclasses.field(default_factory=dict)

    @property
    def filter_fields(self) -> frozenset[str]:
        base = {"id", "created", "modified", "created_by", "modified_by"}
        return frozenset(base | set(self.fields) | set(self.fks) | set(self.m2m) | set(self.computed))

    def value(self, store: Store, record: Record, field: str) -> t.Any:
        """A field's value for filtering and ordering (stored or computed)."""
        if field in self.computed:
            return self.computed[field](store, record)
        return record.get(field)

    def url(self, pk: int) -> str:
        return f"/api/v2/{self.kind}/{pk}/"


MODELS: dict[str, Model] = {}


def register(model: Model) -> Model:
    """Add a model to the static table (done once, at import)."""
    MODELS[model.kind] = model
    return model
