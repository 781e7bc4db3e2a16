"""Job templates: CRUD with AWX's rules, credentials, jobs, launch, and the job builder workflows use."""

from __future__ import annotations

import json
import typing as t

from ..errors import BadRequest, Conflict
from ..execution.lifecycle import ACTIVE, FINISH_HOOKS, create_job, start_later
from ..execution.spawn import JOB_BUILDERS, MISSING_RESOURCE
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import base, get_object, list_reply, named_url, summary_of
from ._crud import Crud, UniqueRule, register_crud
from ._members import association
from ..model import Model, register
from ._roles import create_roles, delete_roles, object_roles_summary
from ._registry import handles
from ._unified import FAILED, current_job, jobs_of_template, job_summary, last_job, template_status
from ._vars import VarsError, check_vars_text, parse_vars
from .inventories import inventory_summary
from .jobs import credential_summaries, project_summary, serialize_job

__all__ = ["MODEL", "ASK", "build_job_fields", "launch_job", "relaunch_job"]

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
    last = last_job(call.store, "job_templates", pk)
    current = current_job(call.store, "job_templates", pk)
    if last is not None:
        links["last_job"] = f"/api/v2/jobs/{last['id']}/"
    if current is not None:
        links["current_job"] = f"/api/v2/jobs/{current['id']}/"
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
    active = [j for j in jobs_of_template(call.store, "job_templates", record["id"]) if j.get("status") in ACTIVE]
    if active:
        raise Conflict({
            "error": "Resource is being used by running jobs.",
            "active_jobs": [{"id": j["id"], "type": "job"} for j in sorted(active, key=lambda j: j["id"])],
        })


def _delete(call: Call, record: Record) -> None:
    from ._cascade import detach_jobs

    store = call.store
    pk = record["id"]
    for schedule in [s for s in store.all("schedules") if s.get("unified_job_template") == pk]:
        store.delete("schedules", schedule["id"])
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


# -- launching --------------------------------------------------------------------------------

def _vars_text(store: Store, *layers: t.Any) -> str:
    merged: dict[str, t.Any] = {}
    for layer in layers:
        try:
            merged.update(parse_vars(layer))
        except VarsError:
            continue
    return json.dumps(merged)


def job_fields(store: Store, template: Record, prompts: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The fields of a new job of ``template`` with the accepted ``prompts`` applied."""
    fields: dict[str, t.Any] = {f: template.get(f) for f in COPIED}
    fields.update({
        "name": template["name"],
        "description": template.get("description") or "",
        "unified_job_template": template["id"],
        "job_template": template["id"],
        "credentials": list(template.get("credentials", [])),
        "labels": list(template.get("labels", [])),
        "webhook_guid": "",
        "job_slice_number": 0,
        "artifacts": {},
        "scm_revision": "",
    })
    fields.update({k: v for k, v in prompts.items() if k != "extra_vars"})
    fields["extra_vars"] = _vars_text(store, template.get("extra_vars"), prompts.get("extra_vars"))
    return fields


def _split_prompts(template: Record, body: t.Mapping[str, t.Any]) -> tuple[dict[str, t.Any], dict[str, t.Any]]:
    """Accepted prompts and AWX's ``ignored_fields`` (given but not prompted)."""
    accepted: dict[str, t.Any] = {}
    ignored: dict[str, t.Any] = {}
    questions = _survey_variables(template)
    for field, value in body.items():
        if field not in ASK:
            continue
        if template.get(ASK[field]):
            accepted[field] = value
        elif field == "extra_vars" and questions:
            given = parse_vars(value)
            accepted["extra_vars"] = {k: v for k, v in given.items() if k in questions}
            rest = {k: v for k, v in given.items() if k not in questions}
            if rest:
                ignored["extra_vars"] = rest
        else:
            ignored[field] = value
    return accepted, ignored


def _survey_variables(template: Record) -> list[str]:
    spec = template.get("survey_spec") or {}
    if not template.get("survey_enabled") or not isinstance(spec.get("spec"), list):
        return []
    return [q.get("variable") for q in spec["spec"] if isinstance(q, dict)]


def _missing_resources(store: Store, template: Record, fields: t.Mapping[str, t.Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if store.get("projects", fields.get("project")) is None:
        errors["resources_needed_to_start"] = ["Job Template 'project' is missing or undefined."]
    if store.get("inventories", fields.get("inventory")) is None:
        errors.setdefault("resources_needed_to_start", []).append("Job Template 'inventory' is missing or undefined.")
    return errors


def launch_job(call: Call, template: Record, prompts: t.Mapping[str, t.Any], launch_type: str = "manual") -> Record:
    """Create and start a job of ``template``."""
    fields = job_fields(call.store, template, prompts)
    fields["launch_type"] = launch_type
    job = create_job(call.runtime, "jobs", fields, call.user["id"] if call.user else None)
    start_later(call.runtime, "jobs", job, {"job_template": template["id"], "unified_job_template": template["id"], "name": template["name"]})
    return call.store.get("jobs", job["id"]) or job


def _check_prompts(call: Call, accepted: dict[str, t.Any]) -> None:
    if "extra_vars" in accepted:
        check_vars_text("extra_vars", accepted["extra_vars"])
    for field, kind in (("inventory", "inventories"), ("execution_environment", "execution_environments")):
        value = accepted.get(field)
        if value is not None and call.store.get(kind, value) is None:
            raise BadRequest({field: [f'Invalid pk "{value}" - object does not exist.']})


@handles("api_job_templates_launch_create")
def launch(call: Call) -> Reply:
    template = get_object(call, "job_templates")
    accepted, ignored = _split_prompts(template, call.body)
    _check_prompts(call, accepted)
    needed = [q["variable"] for q in (template.get("survey_spec") or {}).get("spec", [])
              if template.get("survey_enabled") and isinstance(q, dict) and q.get("required")
              and q.get("variable") not in parse_vars(accepted.get("extra_vars")) and q.get("default") in (None, "")]
    if needed:
        raise BadRequest({"variables_needed_to_start": [f"'{v}' value missing" for v in needed]})
    errors = _missing_resources(call.store, template, {**template, **accepted})
    if errors:
        raise BadRequest(errors)
    job = launch_job(call, template, accepted)
    body = serialize_job(call, job, True)
    for key in ("host_status_counts", "playbook_counts", "custom_virtualenv"):
        body.pop(key)
    return Reply(201, {"job": job["id"], "ignored_fields": ignored, **body}, {"Location": f"/api/v2/jobs/{job['id']}/"})


@handles("api_job_templates_launch_read")
def launch_info(call: Call) -> dict[str, t.Any]:
    template = get_object(call, "job_templates")
    store = call.store
    inventory = store.get("inventories", template.get("inventory"))
    environment = store.get("execution_environments", template.get("execution_environment"))
    needed = [q["variable"] for q in (template.get("survey_spec") or {}).get("spec", [])
              if template.get("survey_enabled") and isinstance(q, dict) and q.get("required")]
    prompting = any(template.get(flag) for flag in ASK.values())
    return {
        "can_start_without_user_input": not prompting and not needed,
        "passwords_needed_to_start": [],
        **{flag: bool(template.get(flag)) for flag in ASK.values()},
        "survey_enabled": bool(template.get("survey_enabled")),
        "variables_needed_to_start": needed,
        "credential_needed_to_start": False,
        "inventory_needed_to_start": inventory is None and not template.get("ask_inventory_on_launch"),
        "job_template_data": {"name": template["name"], "id": template["id"], "description": template.get("description") or ""},
        "defaults": {
            "inventory": {"name": inventory["name"], "id": inventory["id"]} if inventory else {"name": None, "id": None},
            **{f: template.get(f) for f in ("limit", "scm_branch", "job_tags", "skip_tags")},
            "extra_vars": template.get("extra_vars") or "",
            "diff_mode": bool(template.get("diff_mode")),
            "job_type": template.get("job_type"),
            "verbosity": template.get("verbosity"),
            "credentials": [
                {"id": c["id"], "name": c["name"], "credential_type": c.get("credential_type"), "passwords_needed": []}
                for c in (store.get("credentials", i) for i in template.get("credentials", [])) if c
            ],
            "execution_environment": {"name": environment["name"], "id": environment["id"]} if environment else {},
            "forks": template.get("forks"),
            "job_slice_count": template.get("job_slice_count"),
            "timeout": template.get("timeout"),
            "instance_groups": [],
        },
    }


def relaunch_job(call: Call, original: Record) -> Record:
    """A new job (launch_type ``relaunch``) with the original job's settings."""
    template = call.store.get("job_templates", original.get("job_template"))
    if template is None:
        raise BadRequest({"detail": "Job Template associated with this job has been deleted."})
    fields = {f: original.get(f) for f in (*COPIED, "extra_vars", "credentials", "labels")}
    fields.update({"name": original["name"], "description": original.get("description") or "",
                   "unified_job_template": template["id"], "job_template": template["id"], "launch_type": "relaunch",
                   "webhook_guid": "", "job_slice_number": 0, "artifacts": {}, "scm_revision": ""})
    job = create_job(call.runtime, "jobs", fields, call.user["id"] if call.user else None)
    start_later(call.runtime, "jobs", job, {"job_template": template["id"], "unified_job_template": template["id"], "name": template["name"]})
    return call.store.get("jobs", job["id"]) or job


# -- workflow spawn ---------------------------------------------------------------------------

NODE_PROMPTS = ("inventory", "scm_branch", "job_type", "job_tags", "skip_tags", "limit", "diff_mode", "verbosity",
                "execution_environment", "forks", "job_slice_count", "timeout")
WORKFLOW_PROMPTS = ("inventory", "limit", "scm_branch", "job_tags", "skip_tags")


def build_job_fields(runtime: t.Any, template: Record, node: Record, workflow_job: Record) -> dict[str, t.Any]:
    """Fields of the job a workflow node runs: node prompts, then the workflow job's, filtered by ask_*."""
    store = runtime.store
    prompts: dict[str, t.Any] = {f: node.get(f) for f in NODE_PROMPTS if node.get(f) not in (None, "")}
    prompts.update({f: workflow_job.get(f) for f in WORKFLOW_PROMPTS if workflow_job.get(f) not in (None, "")})
    if node.get("credentials"):
        prompts["credentials"] = list(node["credentials"])
    accepted = {k: v for k, v in prompts.items() if template.get(ASK[k])}
    node_vars = node.get("extra_data") or {}
    if template.get("ask_variables_on_launch") or _survey_variables(template):
        accepted["extra_vars"] = node_vars
    fields = job_fields(store, template, accepted)
    fields["extra_vars"] = _vars_text(store, fields["extra_vars"], workflow_job.get("extra_vars"))
    if store.get("projects", fields.get("project")) is None or store.get("inventories", fields.get("inventory")) is None:
        fields["_spawn_problem"] = MISSING_RESOURCE
    return fields


JOB_BUILDERS["job_templates"] = build_job_fields
