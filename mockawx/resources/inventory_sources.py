"""Inventory sources and inventory updates: CRUD with AWX's rules, update launches, cancel."""

from __future__ import annotations

import json
import typing as t

from ..errors import BadRequest, MethodNotAllowed, field_error
from ..execution.lifecycle import ACTIVE, FINISH_HOOKS, STATUS_HOOKS, create_job, set_status, start_later
from ..execution.spawn import JOB_BUILDERS
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import base, get_object, list_reply, named_url, summary_of
from ._crud import Crud, UniqueRule, register_crud
from ..model import Model, register
from ._registry import handles
from ._unified import FAILED, current_job, job_links, job_summary, last_job
from ._vars import check_vars_text
from .inventories import inventory_summary
from .jobs import DEFAULT_GROUP, RUN_DETAIL_ONLY, cancel_view, delete_run, dispatched, project_summary, run_envelope, run_fields

__all__ = ["MODEL", "UPDATE_MODEL", "source_failed", "source_status", "launch_inventory_update"]

SOURCE_FIELDS = (
    "source", "source_path", "source_vars", "scm_branch", "credential", "enabled_var", "enabled_value",
    "host_filter", "overwrite", "overwrite_vars", "custom_virtualenv", "timeout", "verbosity", "limit",
)
SUBLISTS = (
    "update", "inventory_updates", "schedules", "activity_stream", "hosts", "groups",
    "notification_templates_started", "notification_templates_success", "notification_templates_error",
)


def source_status(store: Store, source: Record) -> str:
    """AWX's inventory source status: the current update's, else the last one's, else never updated."""
    current = current_job(store, "inventory_sources", source["id"])
    if current is not None:
        return "running" if current["status"] == "running" else "pending"
    last = last_job(store, "inventory_sources", source["id"])
    return last["status"] if last else "never updated"


def source_failed(store: Store, source: Record) -> bool:
    last = last_job(store, "inventory_sources", source["id"])
    return bool(last and last["status"] in FAILED)


def _related(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    links: dict[str, t.Any] = {}
    if detail:
        links["named_url"] = named_url(call, "inventory_sources", record)
    links.update(job_links("inventory_sources", last_job(store, "inventory_sources", pk), current_job(store, "inventory_sources", pk)))
    links.update({name: f"/api/v2/inventory_sources/{pk}/{name}/" for name in SUBLISTS})
    links["inventory"] = f"/api/v2/inventories/{record['inventory']}/"
    if record.get("source_project"):
        links["source_project"] = f"/api/v2/projects/{record['source_project']}/"
    if record.get("execution_environment"):
        links["execution_environment"] = f"/api/v2/execution_environments/{record['execution_environment']}/"
    links["credentials"] = f"/api/v2/inventory_sources/{pk}/credentials/"
    if "last_job" in links:
        links["last_update"] = links["last_job"]
    if "current_job" in links:
        links["current_update"] = links["current_job"]
    return links


def _credentials(store: Store, record: Record) -> list[dict[str, t.Any]]:
    from .jobs import credential_summaries

    return credential_summaries(store, [record["credential"]] if record.get("credential") else [])


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    from ..clock import format_time

    store = call.store
    pk = record["id"]
    inventory = store.get("inventories", record.get("inventory")) or {}
    summary: dict[str, t.Any] = {
        "organization": summary_of(store, "organizations", inventory.get("organization")),
        "inventory": inventory_summary(call, record.get("inventory")),
        "source_project": project_summary(call, record.get("source_project")),
    }
    last = last_job(store, "inventory_sources", pk)
    if last is not None:
        # Inventory updates add their license_error to the unified job summary.
        summary["last_job"] = {**job_summary(last, ("id", "name", "description", "finished", "status", "failed")), "license_error": False}
        summary["last_update"] = {**job_summary(last, ("id", "name", "description", "status", "failed")), "license_error": False}
    current = current_job(store, "inventory_sources", pk)
    if current is not None:
        summary["current_update"] = job_summary(current, ("id", "name", "description", "status", "failed"))
        summary["current_job"] = dict(summary["current_update"])
    summary["user_capabilities"] = call.access.capabilities(call.user, "inventory_sources", record, ("edit", "delete", "start", "schedule"))
    summary["credentials"] = _credentials(store, record)
    body = base(call, MODEL, record, _related(call, record, detail), summary)
    failed = bool(last and last["status"] in FAILED)
    body.update({"name": record["name"], "description": record.get("description") or ""})
    body.update({f: record.get(f) for f in SOURCE_FIELDS})
    body.update({
        "last_job_run": format_time(last["finished"]) if last else None,
        "last_job_failed": failed,
        "next_job_run": None,
        "status": source_status(store, record),
        "execution_environment": record.get("execution_environment"),
        "inventory": record["inventory"],
        "update_on_launch": record.get("update_on_launch", False),
        "update_cache_timeout": record.get("update_cache_timeout", 0),
        "source_project": record.get("source_project"),
        "last_update_failed": failed,
        "last_updated": format_time(last["finished"]) if last else None,
    })
    return body


MODEL = register(Model(
    kind="inventory_sources",
    type="inventory_source",
    name="InventorySource",
    serializer=serialize,
    fields=("name", "description", *SOURCE_FIELDS, "update_on_launch", "update_cache_timeout", "status"),
    fks={"inventory": "inventories", "source_project": "projects", "execution_environment": "execution_environments"},
    default_order=("name",),
    computed={"status": source_status},
))


def _validate(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    merged = {**(existing or {}), **values}
    for field in ("description", "source_vars", "source_path", "scm_branch", "host_filter", "limit", "enabled_var", "enabled_value"):
        if field in values and values[field] is None:
            values[field] = ""
    if values.get("credential") is not None and call.store.get("credentials", values["credential"]) is None:
        raise field_error("credential", f'Invalid pk "{values["credential"]}" - object does not exist.')
    if merged.get("source") == "scm" and merged.get("source_project") is None:
        raise field_error("source_project", "Project required for scm type sources.")
    if "source_vars" in values:
        check_vars_text("source_vars", values["source_vars"])
    if existing is None:
        values["custom_virtualenv"] = None


def _delete(call: Call, record: Record) -> None:
    from ._cascade import detach_jobs

    # an inventory source's updates belong to it and go with it (AWX cascades them)
    for update in [j for j in call.store.all("inventory_updates") if j.get("inventory_source") == record["id"]]:
        call.store.delete("inventory_updates", update["id"])
    detach_jobs(call, record["id"])
    call.store.delete("inventory_sources", record["id"])


CRUD = Crud(
    kind="inventory_sources",
    write_schema="InventorySourceWrite",
    unique=(UniqueRule(("name", "inventory"), "__all__", "InventorySource with this (name, inventory) combination already exists."),),
    validate=_validate,
    delete=_delete,
)
register_crud(CRUD, "api_inventory_sources")


# -- inventory updates ------------------------------------------------------------------------

def update_fields(runtime: t.Any, source: Record, launch_type: str = "manual") -> dict[str, t.Any]:
    """The fields of a new update of ``source`` (an SCM source's project sync is started when it is pending)."""
    store = runtime.store
    inventory = store.get("inventories", source.get("inventory")) or {}
    fields: dict[str, t.Any] = {
        "name": f"{inventory.get('name', '')} - {source['name']}",
        "description": source.get("description") or "",
        "unified_job_template": source["id"],
        "launch_type": launch_type,
        "inventory": source.get("inventory"),
        "inventory_source": source["id"],
        "execution_environment": source.get("execution_environment"),
        "source_project": source.get("source_project"),
        "source_project_update": None,
        **{f: source.get(f) for f in SOURCE_FIELDS},
    }
    return fields


def _sync_source_project(runtime: t.Any, kind: str, job: Record, old: str) -> None:
    """An SCM inventory update, once pending, first syncs its source project (created after the update, as AWX does)."""
    if kind != "inventory_updates" or old != "new" or job["status"] != "pending" or job.get("source") != "scm":
        return
    store = runtime.store
    project = store.get("projects", job.get("source_project"))
    if project is None or job.get("source_project_update") is not None:
        return
    from .project_updates import update_fields as project_update_fields

    sync = create_job(runtime, "project_updates", project_update_fields(project, "sync"), None)
    store.update("inventory_updates", job["id"], {"source_project_update": sync["id"]})
    start_later(runtime, "project_updates", sync, {"unified_job_template": project["id"], "name": project["name"]})


def _sync_finished(runtime: t.Any, kind: str, job: Record) -> None:
    """A failed source project sync fails the inventory update waiting for it."""
    if kind != "project_updates" or job.get("launch_type") != "sync" or job["status"] not in FAILED:
        return
    reason = json.dumps({"job_type": "project_update", "job_name": job["name"], "job_id": str(job["id"])})
    for update in runtime.store.all("inventory_updates"):
        if update.get("source_project_update") == job["id"] and update["status"] in ACTIVE:
            set_status(runtime, "inventory_updates", update, "error", f"Previous Task Failed: {reason}")


STATUS_HOOKS.append(_sync_source_project)
FINISH_HOOKS.append(_sync_finished)


def launch_inventory_update(call: Call, source: Record) -> Record:
    """Create and start an update of ``source``."""
    runtime = call.runtime
    job = create_job(runtime, "inventory_updates", update_fields(runtime, source), call.user["id"] if call.user else None)
    start_later(runtime, "inventory_updates", job, {"unified_job_template": source["id"], "name": source["name"]})
    return call.store.get("inventory_updates", job["id"]) or job


def _update_related(job: Record, detail: bool) -> dict[str, t.Any]:
    pk = job["id"]
    related: dict[str, t.Any] = {}
    if job.get("unified_job_template"):
        related["unified_job_template"] = f"/api/v2/inventory_sources/{job['unified_job_template']}/"
    related["stdout"] = f"/api/v2/inventory_updates/{pk}/stdout/"
    if job.get("inventory_source"):
        related["inventory_source"] = f"/api/v2/inventory_sources/{job['inventory_source']}/"
    for name in ("cancel", "notifications", "events"):
        related[name] = f"/api/v2/inventory_updates/{pk}/{name}/"
    if job.get("source_project_update") and dispatched(job):
        related["source_project_update"] = f"/api/v2/project_updates/{job['source_project_update']}/"
    if job.get("inventory"):
        related["inventory"] = f"/api/v2/inventories/{job['inventory']}/"
    related["credentials"] = f"/api/v2/inventory_updates/{pk}/credentials/"
    if detail and job.get("source_project"):
        related["source_project"] = f"/api/v2/projects/{job['source_project']}/"
    return related


def serialize_update(call: Call, job: Record, detail: bool) -> dict[str, t.Any]:
    """An inventory update; list items lack the run details."""
    from ._jobs import unified_job_template_summary

    store = call.store
    inventory = store.get("inventories", job.get("inventory")) or {}
    source = store.get("inventory_sources", job.get("inventory_source"))
    summary: dict[str, t.Any] = {
        "organization": summary_of(store, "organizations", inventory.get("organization")),
        "inventory": inventory_summary(call, job.get("inventory")),
        "unified_job_template": unified_job_template_summary(store, job.get("unified_job_template")),
    }
    if source is not None:
        summary["inventory_source"] = {"id": source["id"], "name": source["name"], "source": source.get("source")}
        last = last_job(store, "inventory_sources", source["id"])
        if last is not None:
            from ..clock import format_time

            summary["inventory_source"]["last_updated"] = format_time(last["finished"])
        summary["inventory_source"]["status"] = source_status(store, source)
    body = run_envelope(call, UPDATE_MODEL, job, _update_related(job, detail), summary, DEFAULT_GROUP)
    body["summary_fields"]["credentials"] = _credentials(store, job)
    if detail:
        project = project_summary(call, job.get("source_project"))
        if project is not None:
            body["summary_fields"]["source_project"] = project
    body.update({"name": job["name"], "description": job.get("description") or ""})
    body.update({f: job.get(f) for f in SOURCE_FIELDS})
    body.update(run_fields(call, job, DEFAULT_GROUP))
    group = store.first("instance_groups", "name", DEFAULT_GROUP) if dispatched(job) else None
    body.update({
        "inventory": job.get("inventory"),
        "inventory_source": job.get("inventory_source"),
        "license_error": False,
        "org_host_limit_error": False,
        "source_project_update": job.get("source_project_update") if dispatched(job) else None,
        "instance_group": group["id"] if group else None,
        "scm_revision": job.get("scm_revision") or "",
    })
    if detail:
        body["source_project"] = job.get("source_project")
    else:
        for key in RUN_DETAIL_ONLY:
            body.pop(key)
    return body


UPDATE_MODEL = register(Model(
    kind="inventory_updates",
    type="inventory_update",
    name="InventoryUpdate",
    serializer=serialize_update,
    fields=("name", "description", *SOURCE_FIELDS, "unified_job_template", "launch_type", "status", "failed",
            "started", "finished", "canceled_on", "elapsed", "job_explanation"),
    fks={"inventory": "inventories", "inventory_source": "inventory_sources", "unified_job_template": "unified_job_templates",
         "source_project_update": "project_updates"},
    computed={"failed": lambda store, r: r.get("status") in FAILED},
))


def build_update_fields(runtime: t.Any, template: Record, node: Record, workflow_job: Record) -> dict[str, t.Any]:
    """Fields of an inventory update a workflow node runs."""
    return update_fields(runtime, template, "workflow")


JOB_BUILDERS["inventory_sources"] = build_update_fields


@handles("api_inventory_sources_update_read")
def can_update(call: Call) -> dict[str, bool]:
    source = get_object(call, "inventory_sources")
    return {"can_update": bool(source.get("source"))}


@handles("api_inventory_sources_update_create")
def update(call: Call) -> Reply:
    source = get_object(call, "inventory_sources")
    if not source.get("source"):
        raise MethodNotAllowed("POST")
    if source.get("source") == "scm" and call.store.get("projects", source.get("source_project")) is None:
        raise BadRequest({"detail": "Inventory source has no project."})
    job = launch_inventory_update(call, source)
    body = serialize_update(call, job, True)
    # AWX's launch answer shows the update before its source project is linked.
    body["related"].pop("source_project", None)
    body["summary_fields"].pop("source_project", None)
    body["source_project"] = None
    return Reply(202, {"inventory_update": job["id"], **body}, {"Location": f"/api/v2/inventory_updates/{job['id']}/"})


@handles("api_inventory_sources_inventory_updates_list")
def updates_of(call: Call) -> dict[str, t.Any]:
    source = get_object(call, "inventory_sources")
    return list_reply(call, "inventory_updates", [j for j in call.store.all("inventory_updates") if j.get("inventory_source") == source["id"]])


@handles("api_inventory_updates_list")
def inventory_updates(call: Call) -> dict[str, t.Any]:
    return list_reply(call, "inventory_updates", call.store.all("inventory_updates"))


@handles("api_inventory_updates_read")
def inventory_update(call: Call) -> dict[str, t.Any]:
    return serialize_update(call, get_object(call, "inventory_updates"), True)


@handles("api_inventory_updates_delete")
def delete_inventory_update(call: Call) -> Reply:
    """Delete a finished inventory update (403 while it, or the workflow that spawned it, runs)."""
    return delete_run(call, "inventory_updates")


_cancel_read, _cancel_post = cancel_view("inventory_updates", True)
handles("api_inventory_updates_cancel_read")(_cancel_read)
handles("api_inventory_updates_cancel_create")(_cancel_post)

