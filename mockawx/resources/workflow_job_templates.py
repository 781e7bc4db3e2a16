"""Workflow job templates: CRUD, named URLs, derived status, and their simple sub-resources."""

from __future__ import annotations

import typing as t

from ..errors import field_error
from ..execution.lifecycle import FAILED
from ..store import Record
from ..web.call import Call
from ._cascade import delete_workflow_job_template, refuse_while_active
from ._common import base, get_object, list_reply, named_url, summary_of
from ._crud import Crud, UniqueRule, register_crud
from ..model import Model, register
from ._roles import create_roles, object_roles_summary
from ._registry import handles
from ._unified import current_job, job_links, jobs_of_template, job_summary, last_job, template_status
from ._vars import check_vars_text

__all__ = ["MODEL", "serialize", "CHAR_PROMPTS"]

CHAR_PROMPTS = ("limit", "scm_branch", "job_tags", "skip_tags")
SUBLISTS = (
    "workflow_jobs", "schedules", "launch", "webhook_key", "webhook_receiver", "workflow_nodes", "labels",
    "activity_stream", "notification_templates_started", "notification_templates_success",
    "notification_templates_error", "notification_templates_approvals", "access_list", "object_roles",
    "survey_spec", "copy",
)
FIELDS = (
    "extra_vars", "organization", "survey_enabled", "allow_simultaneous", "ask_variables_on_launch", "inventory",
    "limit", "scm_branch", "ask_inventory_on_launch", "ask_scm_branch_on_launch", "ask_limit_on_launch",
    "webhook_service", "webhook_credential", "ask_labels_on_launch", "ask_skip_tags_on_launch",
    "ask_tags_on_launch", "skip_tags", "job_tags",
)


def _related(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    links: dict[str, t.Any] = {}
    if detail:
        links["named_url"] = named_url(call, "workflow_job_templates", record)
    links.update(job_links("workflow_job_templates", last_job(store, "workflow_job_templates", pk), current_job(store, "workflow_job_templates", pk)))
    schedule = next_schedule(call, record)
    if schedule is not None:
        links["next_schedule"] = f"/api/v2/schedules/{schedule['id']}/"
    for name in SUBLISTS:
        links[name] = f"/api/v2/workflow_job_templates/{pk}/{name}/"
    service = record.get("webhook_service") or ""
    links["webhook_receiver"] = f"/api/v2/workflow_job_templates/{pk}/{service}/" if service else ""
    for field, kind in (("organization", "organizations"), ("webhook_credential", "credentials"), ("inventory", "inventories")):
        if record.get(field):
            links[field] = f"/api/v2/{kind}/{record[field]}/"
    return links


def next_schedule(call: Call, record: Record) -> Record | None:
    upcoming = [
        s for s in call.store.all("schedules")
        if s.get("unified_job_template") == record["id"] and s.get("enabled", True) and s.get("next_run") is not None
    ]
    return min(upcoming, key=lambda s: (s["next_run"], s["id"])) if upcoming else None


def _summary(call: Call, record: Record) -> dict[str, t.Any]:
    from .inventories import inventory_summary
    from .labels import label_summary

    store = call.store
    pk = record["id"]
    summary: dict[str, t.Any] = {
        "organization": summary_of(store, "organizations", record.get("organization")),
        "inventory": inventory_summary(call, record.get("inventory")),
        "webhook_credential": summary_of(store, "credentials", record.get("webhook_credential"), ("id", "name", "description", "kind", "cloud", "credential_type_id")),
    }
    last = last_job(store, "workflow_job_templates", pk)
    if last is not None:
        summary["last_job"] = job_summary(last, ("id", "name", "description", "finished", "status", "failed", "canceled_on"))
        if summary["last_job"].get("canceled_on") is None:
            summary["last_job"].pop("canceled_on", None)  # AWX lists it only for a cancelled job
        summary["last_update"] = job_summary(last, ("id", "name", "description", "status", "failed"))
    current = current_job(store, "workflow_job_templates", pk)
    if current is not None:
        summary["current_job"] = job_summary(current, ("id", "name", "description", "status", "failed"))
        summary["current_update"] = job_summary(current, ("id", "name", "description", "status", "failed"))
    summary["object_roles"] = object_roles_summary(store, "workflow_job_template", pk)
    summary["user_capabilities"] = call.access.capabilities(call.user, "workflow_job_templates", record, ("edit", "delete", "start", "schedule", "copy"))
    summary["labels"] = label_summary(store, record.get("labels", []))
    recent = sorted(jobs_of_template(store, "workflow_job_templates", pk), key=lambda j: j["id"], reverse=True)[:10]
    summary["recent_jobs"] = [
        {**job_summary(j, ("id", "status", "finished", "canceled_on")), "type": "workflow_job"} for j in recent
    ]
    spec = record.get("survey_spec") or {}
    if "name" in spec and "description" in spec:
        summary["survey"] = {"title": spec["name"], "description": spec["description"]}
    return summary


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    body = base(call, MODEL, record, _related(call, record, detail), _summary(call, record))
    last = last_job(call.store, "workflow_job_templates", record["id"])
    schedule = next_schedule(call, record)
    from ..clock import format_time

    body.update({
        "name": record["name"],
        "description": record.get("description") or "",
        "last_job_run": format_time(last["finished"]) if last else None,
        "last_job_failed": bool(last and last.get("status") in FAILED),
        "next_job_run": format_time(schedule["next_run"]) if schedule else None,
        "status": template_status(call.store, "workflow_job_templates", record),
    })
    body.update({field: record.get(field) for field in FIELDS})
    body["description"] = record.get("description") or ""
    body["webhook_service"] = record.get("webhook_service") or ""
    return body


MODEL = register(Model(
    kind="workflow_job_templates",
    type="workflow_job_template",
    name="WorkflowJobTemplate",
    serializer=serialize,
    fields=("name", "description", *FIELDS, "last_job_run", "last_job_failed", "next_job_run", "status", "survey_spec", "webhook_key", "current_job", "last_job", "next_schedule"),
    fks={"organization": "organizations", "inventory": "inventories", "webhook_credential": "credentials"},
    m2m={"labels": "labels"},
    default_order=("name",),
    computed={
        "status": lambda store, r: template_status(store, "workflow_job_templates", r),
    },
))


def _validate(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    if "extra_vars" in values:
        if values["extra_vars"] is None:
            values["extra_vars"] = ""
        check_vars_text("extra_vars", values["extra_vars"])
    if "description" in values and values["description"] is None:
        values["description"] = ""
    for flag in ("survey_enabled", "allow_simultaneous") + tuple(k for k in values if k.startswith("ask_")):
        if flag in values and values[flag] is None:
            values[flag] = False
    _char_prompts_quirk(call, values, existing)
    _webhook(call, values, existing)


def _char_prompts_quirk(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    """A PATCH setting any char prompt to a value replaces all four (the others become null)."""
    if existing is None or call.method != "PATCH":
        return
    if any(values.get(p) is not None for p in CHAR_PROMPTS if p in values):
        for prompt in CHAR_PROMPTS:
            values.setdefault(prompt, None)


def _webhook(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    service = values.get("webhook_service", (existing or {}).get("webhook_service") or "") or ""
    values["webhook_service"] = service
    credential_id = values.get("webhook_credential", (existing or {}).get("webhook_credential"))
    if credential_id is not None:
        credential = call.store.get("credentials", credential_id) or {}
        credential_type = call.store.get("credential_types", credential.get("credential_type")) or {}
        if credential_type.get("kind") != "token":
            raise field_error("webhook_credential", "Must be a Personal Access Token.")
        if credential_type.get("namespace") != f"{service}_token":
            raise field_error("webhook_credential", "Must match the selected webhook service.")
    old_service = (existing or {}).get("webhook_service") or ""
    if service != old_service or existing is None:
        values["webhook_key"] = call.runtime.new_key(50) if service else ""


def _after_create(call: Call, record: Record) -> None:
    create_roles(call.store, "workflow_job_template", record["id"])
    defaults = {"labels": [], "survey_spec": {}, "notification_templates_started": [],
                "notification_templates_success": [], "notification_templates_error": [],
                "notification_templates_approvals": []}
    call.store.update("workflow_job_templates", record["id"], {k: v for k, v in defaults.items() if k not in record})


def _before_delete(call: Call, record: Record) -> None:
    refuse_while_active(call, "workflow_job_templates", record)


CRUD = Crud(
    kind="workflow_job_templates",
    write_schema="WorkflowJobTemplateWrite",
    unique=(UniqueRule(("name", "organization"), "__all__", "WorkflowJobTemplate with this (name, organization) combination already exists."),),
    validate=_validate,
    after_create=_after_create,
    before_delete=_before_delete,
    delete=delete_workflow_job_template,
)
register_crud(CRUD, "api_workflow_job_templates")


@handles("api_workflow_job_templates_workflow_jobs_list")
def workflow_jobs(call: Call) -> dict[str, t.Any]:
    template = get_object(call, "workflow_job_templates")
    return list_reply(call, "workflow_jobs", call.store.find("workflow_jobs", "workflow_job_template", template["id"]))
