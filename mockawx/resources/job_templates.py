"""Job templates: CRUD with AWX's rules, and their jobs and credentials sub-lists (launching is ``job_launch``)."""

from __future__ import annotations

import typing as t

from ..errors import BadRequest
from ..execution.lifecycle import FINISH_HOOKS
from ..model import Model, register
from ..store import Record
from ..web.call import Call, Reply
from ._cascade import delete_schedules, detach_jobs, refuse_while_active
from ._common import base, get_object, list_reply, named_url, summary_of
from ._crud import Crud, UniqueRule, register_crud
from ._members import association
from ._registry import handles
from ._roles import create_roles, delete_roles, object_roles_summary
from ._unified import FAILED, current_job, job_links, jobs_of_template, job_summary, last_job, template_status
from ._vars import check_vars_text
from .inventories import inventory_summary
from .jobs import credential_summaries, project_summary

__all__ = ["MODEL", "ASK", "COPIED"]

FIELDS = (
    "job_type", "inventory", "project", "playbook", "scm_branch", "forks", "limit", "verbosity", "extra_vars",
    "job_tags", "force_handlers", "skip_tags", "start_at_task", "timeout", "use_fact_cache", "organization",
)
# Prompt -> the flag that allows it at launch, in AWX's order of ask_* fields.
ASK = {
    "scm_branch": "ask_scm_branch_on_launch", "diff_mode": "ask_diff_mode_on_launch",
    "extra_vars": "ask_variables_on_launch", "limit": "ask_limit_on_launch", "job_tags": "ask_tags_on_launch",
    "skip_tags": "ask_skip_tags_on_launch", "job_type": "ask_job_type_on_launch",
    "verbosity": "ask_verbosity_on_launch", "inventory": "ask_inventory_on_launch",
    "credentials": "ask_credential_on_launch", "execution_environment": "ask_execution_environment_on_launch",
    "labels": "ask_labels_on_launch", "forks": "ask_forks_on_launch", "job_slice_count": "ask_job_slice_count_on_launch",
    "timeout": "ask_timeout_on_launch", "instance_groups": "ask_instance_groups_on_launch",
}
TAIL = ("survey_enabled", "become_enabled", "diff_mode", "allow_simultaneous", "custom_virtualenv", "job_slice_count",
        "webhook_service", "webhook_credential", "prevent_instance_group_fallback")
SUBLISTS = (
    "jobs", "schedules", "activity_stream", "launch", "webhook_key", "webhook_receiver",
    "notification_templates_started", "notification_templates_success", "notification_templates_error",
    "access_list", "survey_spec", "object_roles", "instance_groups", "slice_workflow_jobs", "copy",
)
COPIED = ("job_type", "inventory", "project", "playbook", "scm_branch", "forks", "limit", "verbosity", "job_tags",
          "force_handlers", "skip_tags", "start_at_task", "timeout", "use_fact_cache", "organization",
          "execution_environment", "allow_simultaneous", "diff_mode", "job_slice_count", "webhook_service",
          "webhook_credential")


def _related(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    links: dict[str, t.Any] = {}
    if detail:
        links["named_url"] = named_url(call, "job_templates", record)
    links["labels"] = f"/api/v2/job_templates/{pk}/labels/"
    for field, kind in (("inventory", "inventories"), ("project", "projects"), ("organization", "organizations")):
        if record.get(field):
            links[field] = f"/api/v2/{kind}/{record[field]}/"
    links["credentials"] = f"/api/v2/job_templates/{pk}/credentials/"
    for field, kind in (("execution_environment", "execution_environments"), ("webhook_credential", "credentials")):
        if record.get(field):
            links[field] = f"/api/v2/{kind}/{record[field]}/"
    links.update(job_links("job_templates", last_job(call.store, "job_templates", pk), current_job(call.store, "job_templates", pk)))
    links.update({name: f"/api/v2/job_templates/{pk}/{name}/" for name in SUBLISTS})
    service = record.get("webhook_service") or ""
    links["webhook_receiver"] = f"/api/v2/job_templates/{pk}/{service}/" if service else ""
    return links


def _summary(call: Call, record: Record) -> dict[str, t.Any]:
    store = call.store
    pk = record["id"]
    summary: dict[str, t.Any] = {
        "organization": summary_of(store, "organizations", record.get("organization")),
        "inventory": inventory_summary(call, record.get("inventory")),
        "execution_environment": summary_of(store, "execution_environments", record.get("execution_environment"), ("id", "name", "description", "image")),
        "project": project_summary(call, record.get("project")),
    }
    summary["resolved_environment"] = summary["execution_environment"]
    last = last_job(store, "job_templates", pk)
    if last is not None:
        summary["last_job"] = job_summary(last, ("id", "name", "description", "finished", "status", "failed"))
        summary["last_update"] = job_summary(last, ("id", "name", "description", "status", "failed"))
    current = current_job(store, "job_templates", pk)
    if current is not None:
        summary["current_job"] = job_summary(current, ("id", "name", "description", "status", "failed"))
    summary["object_roles"] = object_roles_summary(store, "job_template", pk)
    summary["user_capabilities"] = call.access.capabilities(call.user, "job_templates", record, ("edit", "delete", "start", "schedule", "copy"))
    labels = sorted((l for l in (store.get("labels", i) for i in record.get("labels", [])) if l), key=lambda l: l["name"])
    summary["labels"] = {"count": len(labels), "results": [{"id": l["id"], "name": l["name"]} for l in labels[:10]]}
    recent = sorted(jobs_of_template(store, "job_templates", pk), key=lambda j: j["id"], reverse=True)[:10]
    summary["recent_jobs"] = [{**job_summary(j, ("id", "status", "finished", "canceled_on")), "type": "job"} for j in recent]
    summary["credentials"] = credential_summaries(store, record.get("credentials", []))
    spec = record.get("survey_spec") or {}
    if "name" in spec and "description" in spec:
        summary["survey"] = {"title": spec["name"], "description": spec["description"]}
    return summary


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    from ..clock import format_time

    store = call.store
    body = base(call, MODEL, record, _related(call, record, detail), _summary(call, record))
    last = last_job(store, "job_templates", record["id"])
    body.update({"name": record["name"], "description": record.get("description") or ""})
    body.update({f: record.get(f) for f in FIELDS})
    body.update({
        "last_job_run": format_time(last["finished"]) if last else None,
        # AWX stores the flag when a job finishes: it outlives the job's deletion.
        "last_job_failed": bool(last["status"] in FAILED) if last else bool(record.get("_last_job_failed")),
        "next_job_run": None,
        "status": template_status(store, "job_templates", record),
        "execution_environment": record.get("execution_environment"),
        "host_config_key": record.get("host_config_key") or "",
    })
    body.update({flag: bool(record.get(flag)) for flag in ASK.values()})
    body.update({f: record.get(f) for f in TAIL})
    body["webhook_service"] = record.get("webhook_service") or ""
    return body


MODEL = register(Model(
    kind="job_templates",
    type="job_template",
    name="JobTemplate",
    serializer=serialize,
    fields=("name", "description", *FIELDS, *ASK.values(), *TAIL, "host_config_key", "status", "last_job_run", "last_job_failed"),
    fks={"inventory": "inventories", "project": "projects", "organization": "organizations",
         "execution_environment": "execution_environments", "webhook_credential": "credentials"},
    m2m={"labels": "labels", "credentials": "credentials"},
    default_order=("name",),
    computed={"status": lambda store, r: template_status(store, "job_templates", r)},
))


def _job_finished(runtime: t.Any, kind: str, job: Record) -> None:
    """Remember whether the template's last job failed (shown after that job is deleted)."""
    template = runtime.store.get("job_templates", job.get("job_template")) if kind == "jobs" else None
    if template is not None:
        runtime.store.update("job_templates", template["id"], {"_last_job_failed": job["status"] in FAILED})


FINISH_HOOKS.append(_job_finished)


def _validate(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    from .projects import playbooks_of

    merged = {**(existing or {}), **values}
    for field in ("description", "extra_vars", "webhook_service"):
        if values.get(field, "" if existing is not None else None) is None:
            values[field] = ""
    if "extra_vars" in values:
        check_vars_text("extra_vars", values["extra_vars"])
    errors: dict[str, list[str]] = {}
    project = call.store.get("projects", merged.get("project"))
    if project is None:
        errors["project"] = ["Job Templates must have a project assigned."]
    elif not merged.get("playbook"):
        errors["playbook"] = ["Must select playbook for project."]
    elif merged["playbook"] not in playbooks_of(call.store, project):
        errors["playbook"] = ["Playbook not found for project."]
    if merged.get("inventory") is None and not merged.get("ask_inventory_on_launch"):
        errors["inventory"] = ["You must either set a default value or ask to prompt on launch."]
    if errors:
        raise BadRequest(errors)
    values["organization"] = project.get("organization") if project else None


def _after_create(call: Call, record: Record) -> None:
    defaults = {"labels": [], "credentials": [], "survey_spec": {}, "custom_virtualenv": None}
    call.store.update("job_templates", record["id"], {k: v for k, v in defaults.items() if k not in record})
    create_roles(call.store, "job_template", record["id"])


def _before_delete(call: Call, record: Record) -> None:
    refuse_while_active(call, "job_templates", record)


def _delete(call: Call, record: Record) -> None:
    store = call.store
    pk = record["id"]
    delete_schedules(call, pk)
    for job in store.all("jobs"):
        if job.get("job_template") == pk:
            store.update("jobs", job["id"], {"job_template": None})
    detach_jobs(call, pk)
    delete_roles(store, "job_template", pk)
    store.delete("job_templates", pk)


CRUD = Crud(
    kind="job_templates",
    write_schema="JobTemplateWrite",
    unique=(UniqueRule(("name", "organization"), "__all__", "JobTemplate with this (name, organization) combination already exists."),),
    validate=_validate,
    after_create=_after_create,
    before_delete=_before_delete,
    delete=_delete,
)
register_crud(CRUD, "api_job_templates")


@handles("api_job_templates_jobs_list")
def jobs_of(call: Call) -> dict[str, t.Any]:
    template = get_object(call, "job_templates")
    return list_reply(call, "jobs", [j for j in call.store.all("jobs") if j.get("job_template") == template["id"]])


@handles("api_job_templates_credentials_list")
def credentials_of(call: Call) -> dict[str, t.Any]:
    template = get_object(call, "job_templates")
    ids = set(template.get("credentials", []))
    return list_reply(call, "credentials", [c for c in call.store.all("credentials") if c["id"] in ids])


@handles("api_job_templates_credentials_create")
def attach_credential(call: Call) -> Reply:
    template = get_object(call, "job_templates")
    credential_id, detach = association(call)
    current = list(template.get("credentials", []))
    if detach:
        call.store.update("job_templates", template["id"], {"credentials": [c for c in current if c != credential_id]})
        return Reply(204, None)
    credential = call.store.get("credentials", credential_id)
    if credential is None:
        raise BadRequest({"msg": f"Credential with id {credential_id} does not exist"})
    if credential_id not in current:
        same_type = [c for c in current if (call.store.get("credentials", c) or {}).get("credential_type") == credential.get("credential_type")]
        if same_type:
            raise BadRequest({"error": "Cannot assign multiple credentials of the same type."})
        call.store.update("job_templates", template["id"], {"credentials": [*current, credential_id]})
    return Reply(204, None)
