"""Launching job templates: prompts, survey answers, the launch endpoint, relaunch, and workflow-spawned jobs."""

from __future__ import annotations

import json
import typing as t

from ..errors import BadRequest
from ..execution.lifecycle import create_job, start_later
from ..execution.spawn import JOB_BUILDERS, MISSING_RESOURCE
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import get_object
from ._registry import handles
from ._vars import VarsError, check_vars_text, parse_vars
from .activity_stream import record_job_create
from .job_templates import ASK, COPIED
from .jobs import serialize_job

__all__ = ["NODE_PROMPTS", "job_fields", "survey_variables", "start_info", "relaunch_job", "build_job_fields"]

NODE_PROMPTS = ("inventory", "scm_branch", "job_type", "job_tags", "skip_tags", "limit", "diff_mode", "verbosity",
                "execution_environment", "forks", "job_slice_count", "timeout")
WORKFLOW_PROMPTS = ("inventory", "limit", "scm_branch", "job_tags", "skip_tags")
# What every new job of a template starts with, whatever its prompts.
FRESH_RUN = {"webhook_guid": "", "job_slice_number": 0, "artifacts": {}, "scm_revision": ""}


def _vars_text(*layers: t.Any) -> str:
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
        **FRESH_RUN,
    })
    fields.update({k: v for k, v in prompts.items() if k != "extra_vars"})
    fields["extra_vars"] = _vars_text(template.get("extra_vars"), prompts.get("extra_vars"))
    return fields


def start_info(template: Record) -> dict[str, t.Any]:
    """What a job of ``template`` needs to know about it when it starts."""
    return {"job_template": template["id"], "unified_job_template": template["id"], "name": template["name"]}


def _run(call: Call, template: Record, fields: dict[str, t.Any]) -> Record:
    job = create_job(call.runtime, "jobs", fields, call.user["id"] if call.user else None)
    record_job_create(call, job)
    start_later(call.runtime, "jobs", job, start_info(template))
    return call.store.get("jobs", job["id"]) or job


def _split_prompts(template: Record, body: t.Mapping[str, t.Any]) -> tuple[dict[str, t.Any], dict[str, t.Any]]:
    """Accepted prompts and AWX's ``ignored_fields`` (given but not prompted)."""
    accepted: dict[str, t.Any] = {}
    ignored: dict[str, t.Any] = {}
    questions = survey_variables(template)
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


def survey_variables(template: Record) -> list[str]:
    """The variables an enabled survey asks for (none when the survey is off)."""
    spec = template.get("survey_spec") or {}
    if not template.get("survey_enabled") or not isinstance(spec.get("spec"), list):
        return []
    return [q.get("variable") for q in spec["spec"] if isinstance(q, dict)]


def _required_questions(template: Record) -> list[dict[str, t.Any]]:
    return [q for q in (template.get("survey_spec") or {}).get("spec", [])
            if template.get("survey_enabled") and isinstance(q, dict) and q.get("required")]


def _missing_resources(store: Store, fields: t.Mapping[str, t.Any]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if store.get("projects", fields.get("project")) is None:
        errors["resources_needed_to_start"] = ["Job Template 'project' is missing or undefined."]
    if store.get("inventories", fields.get("inventory")) is None:
        errors.setdefault("resources_needed_to_start", []).append("Job Template 'inventory' is missing or undefined.")
    return errors


def _check_prompts(call: Call, accepted: dict[str, t.Any]) -> None:
    if "extra_vars" in accepted:
        check_vars_text("extra_vars", accepted["extra_vars"])
    for field, kind in (("inventory", "inventories"), ("execution_environment", "execution_environments")):
        value = accepted.get(field)
        if value is not None and call.store.get(kind, value) is None:
            raise BadRequest({field: [f'Invalid pk "{value}" - object does not exist.']})


@handles("api_job_templates_launch_create")
def launch(call: Call) -> Reply:
    """Launch a job of the template with the prompts it asks for (the rest are ``ignored_fields``)."""
    template = get_object(call, "job_templates")
    accepted, ignored = _split_prompts(template, call.body)
    _check_prompts(call, accepted)
    needed = [q["variable"] for q in _required_questions(template)
              if q.get("variable") not in parse_vars(accepted.get("extra_vars")) and q.get("default") in (None, "")]
    if needed:
        raise BadRequest({"variables_needed_to_start": [f"'{v}' value missing" for v in needed]})
    errors = _missing_resources(call.store, {**template, **accepted})
    if errors:
        raise BadRequest(errors)
    job = _run(call, template, {**job_fields(call.store, template, accepted), "launch_type": "manual"})
    body = serialize_job(call, job, True)
    for key in ("host_status_counts", "playbook_counts", "custom_virtualenv"):
        body.pop(key)
    return Reply(201, {"job": job["id"], "ignored_fields": ignored, **body}, {"Location": f"/api/v2/jobs/{job['id']}/"})


@handles("api_job_templates_launch_read")
def launch_info(call: Call) -> dict[str, t.Any]:
    """What a launch of the template will ask for, and its defaults."""
    template = get_object(call, "job_templates")
    inventory = call.store.get("inventories", template.get("inventory"))
    needed = [q["variable"] for q in _required_questions(template)]
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
        "defaults": _launch_defaults(call.store, template, inventory),
    }


def _launch_defaults(store: Store, template: Record, inventory: Record | None) -> dict[str, t.Any]:
    environment = store.get("execution_environments", template.get("execution_environment"))
    return {
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
    }


def relaunch_job(call: Call, original: Record) -> Record:
    """A new job (launch_type ``relaunch``) with the original job's settings."""
    template = call.store.get("job_templates", original.get("job_template"))
    if template is None:
        raise BadRequest({"detail": "Job Template associated with this job has been deleted."})
    fields = {f: original.get(f) for f in (*COPIED, "extra_vars", "credentials", "labels")}
    fields.update({"name": original["name"], "description": original.get("description") or "",
                   "unified_job_template": template["id"], "job_template": template["id"], "launch_type": "relaunch",
                   **FRESH_RUN})
    return _run(call, template, fields)


# -- workflow spawn ---------------------------------------------------------------------------
def build_job_fields(runtime: t.Any, template: Record, node: Record, workflow_job: Record) -> dict[str, t.Any]:
    """Fields of the job a workflow node runs: node prompts, then the workflow job's, filtered by ask_*."""
    store = runtime.store
    prompts: dict[str, t.Any] = {f: node.get(f) for f in NODE_PROMPTS if node.get(f) not in (None, "")}
    prompts.update({f: workflow_job.get(f) for f in WORKFLOW_PROMPTS if workflow_job.get(f) not in (None, "")})
    if node.get("credentials"):
        prompts["credentials"] = list(node["credentials"])
    accepted = {k: v for k, v in prompts.items() if template.get(ASK[k])}
    node_vars = node.get("extra_data") or {}
    if template.get("ask_variables_on_launch") or survey_variables(template):
        accepted["extra_vars"] = node_vars
    fields = job_fields(store, template, accepted)
    fields["extra_vars"] = _vars_text(fields["extra_vars"], workflow_job.get("extra_vars"))
    if store.get("projects", fields.get("project")) is None or store.get("inventories", fields.get("inventory")) is None:
        fields["_spawn_problem"] = MISSING_RESOURCE
    return fields


JOB_BUILDERS["job_templates"] = build_job_fields
