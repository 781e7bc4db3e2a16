"""``/unified_job_templates/`` and ``/unified_jobs/``: one list over several tables, each item in its own form."""

from __future__ import annotations

import typing as t

from ..store import Record, Store
from ..web.call import Call
from ..web.listing import filter_records, order_records, paginate
from ..model import MODELS, Model
from ._registry import handles
from ._unified import FAILED, JOB_KINDS, last_job, template_status

__all__ = ["UJT_MODEL", "UJ_MODEL"]

# The template kinds this list shows (approval templates live only inside workflows).
LISTED_TEMPLATE_KINDS = ("job_templates", "workflow_job_templates", "projects", "inventory_sources", "system_job_templates")
KIND = "_kind"  # which table a listed copy came from


def _kind_value(store: Store, record: Record, field: str) -> t.Any:
    """A field as the record's own model computes it (status and friends), else as stored."""
    model = MODELS.get(record[KIND])
    if model is not None and field in model.computed:
        return model.computed[field](store, record)
    return record.get(field)


def _template_status(store: Store, record: Record) -> t.Any:
    """The status the template's own model computes, else the stored one, else AWX's derived one."""
    model = MODELS.get(record[KIND])
    if (model is not None and "status" in model.computed) or record.get("status") is not None:
        return _kind_value(store, record, "status")
    return template_status(store, record[KIND], record)


def _last_job_run(store: Store, record: Record) -> t.Any:
    last = last_job(store, record[KIND], record["id"])
    return last.get("finished") if last else None


def _organization(store: Store, record: Record) -> t.Any:
    if record[KIND] == "inventory_sources":
        return (store.get("inventories", record.get("inventory")) or {}).get("organization")
    return record.get("organization")


def _serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    return MODELS[record[KIND]].serializer(call, record, detail)


UJT_MODEL = Model(
    kind="unified_job_templates",
    type="unified_job_template",
    name="UnifiedJobTemplate",
    serializer=_serialize,
    fields=("name", "description", "next_job_run", "last_job_failed"),
    fks={"execution_environment": "execution_environments", "organization": "organizations"},
    default_order=("name",),
    computed={"status": _template_status, "last_job_run": _last_job_run, "organization": _organization},
)


def _job_failed(store: Store, record: Record) -> bool:
    return bool(record["failed"]) if "failed" in record else record.get("status") in FAILED


def _job_node(store: Store, record: Record) -> t.Any:
    """The workflow job node that spawned this job (``unified_job_node__workflow_job`` filters on it)."""
    for node in store.all("workflow_job_nodes"):
        if node.get("job") == record["id"]:
            return node["id"]
    return None


UJ_MODEL = Model(
    kind="unified_jobs",
    type="unified_job",
    name="UnifiedJob",
    serializer=_serialize,
    fields=(
        "name", "description", "launch_type", "status", "started", "finished", "canceled_on", "elapsed",
        "job_explanation", "execution_node", "controller_node", "work_unit_id", "launched_by",
    ),
    fks={"unified_job_template": "unified_job_templates", "execution_environment": "execution_environments", "unified_job_node": "workflow_job_nodes"},
    default_order=("id",),
    computed={"failed": _job_failed, "unified_job_node": _job_node, "status": lambda store, r: _kind_value(store, r, "status")},
)


def _copies(store: Store, kinds: t.Iterable[str]) -> list[Record]:
    """Every record of ``kinds`` whose model is known, tagged with its table and type."""
    out: list[Record] = []
    for kind in kinds:
        model = MODELS.get(kind)
        if model is None:
            continue
        out.extend({**record, KIND: kind, "_type": record.get("_type") or model.type} for record in store.all(kind))
    return out


def _page(call: Call, model: Model, records: list[Record]) -> dict[str, t.Any]:
    selected = order_records(call.store, model, filter_records(call.store, model, records, call.query), call.query)
    page = paginate(call.full_path, call.query, selected)
    page["results"] = [_serialize(call, record, False) for record in page["results"]]
    if model is UJT_MODEL:
        for item in page["results"]:
            # In this list an inventory source has no credentials link (its own list has one).
            if item.get("type") == "inventory_source":
                item["related"].pop("credentials", None)
    return page


@handles("api_unified_job_templates_list")
def unified_job_templates(call: Call) -> dict[str, t.Any]:
    records = _copies(call.store, LISTED_TEMPLATE_KINDS)
    readable = [r for r in records if call.access.can(call.user, "read", r[KIND], r)]
    return _page(call, UJT_MODEL, readable)


@handles("api_unified_jobs_list")
def unified_jobs(call: Call) -> dict[str, t.Any]:
    records = _copies(call.store, JOB_KINDS)
    readable = [r for r in records if call.access.can(call.user, "read", r[KIND], r)]
    return _page(call, UJ_MODEL, readable)
