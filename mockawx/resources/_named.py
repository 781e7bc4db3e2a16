"""AWX's named URLs: ``/api/v2/<collection>/<name>++<organization>/`` and friends."""

from __future__ import annotations


from ..store import Record, Store

__all__ = ["named_url_path", "resolve_named", "NAMED_PARTS"]

# Each part is a field path; parts are joined with "++". Kinds not listed have no named URL.
NAMED_PARTS: dict[str, tuple[str, ...]] = {
    "organizations": ("name",),
    "users": ("username",),
    "instance_groups": ("name",),
    "execution_environments": ("name",),
    "teams": ("name", "organizations:organization.name"),
    "labels": ("name", "organizations:organization.name"),
    "projects": ("name", "organizations:organization.name"),
    "inventories": ("name", "organizations:organization.name"),
    "job_templates": ("name", "organizations:organization.name"),
    "workflow_job_templates": ("name", "organizations:organization.name"),
    "notification_templates": ("name", "organizations:organization.name"),
    "applications": ("name", "organizations:organization.name"),
    "inventory_sources": ("name", "inventories:inventory.name", "inventories:inventory.organizations:organization.name"),
    "hosts": ("name", "inventories:inventory.name", "inventories:inventory.organizations:organization.name"),
    "workflow_job_template_nodes": (
        "identifier",
        "workflow_job_templates:workflow_job_template.name",
        "workflow_job_templates:workflow_job_template.organizations:organization.name",
    ),
}


def _part(store: Store, record: Record | None, path: str) -> str:
    current: Record | None = record
    for step in path.split("."):
        if current is None:
            return ""
        if ":" in step:
            kind, field = step.split(":")
            current = store.get(kind, current.get(field))
        else:
            value = current.get(step)
            return "" if value is None else str(value)
    return ""


def named_url_path(store: Store, kind: str, record: Record) -> str | None:
    """The ``a++b`` name of ``record``, or ``None`` when its kind has none."""
    parts = NAMED_PARTS.get(kind)
    if parts is None:
        return None
    return "++".join(_part(store, record, p) for p in parts)


def resolve_named(store: Store, kind: str, name: str) -> Record | None:
    """The object whose named URL is ``name`` (the first by id when several match)."""
    if kind not in NAMED_PARTS:
        return None
    if kind == "users":
        return store.first("users", "username", name)
    for record in sorted(store.all(kind), key=lambda r: r["id"]):
        if named_url_path(store, kind, record) == name:
            return record
    return None


