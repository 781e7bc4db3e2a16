"""Launching a workflow job template: the prompt description (GET) and the launch (POST)."""

from __future__ import annotations

import json
import typing as t

from ..errors import BadRequest
from ..execution.workflows import launch_workflow
from ..store import Record
from ..web.call import Call, Reply
from ._common import get_object
from ._registry import handles
from .activity_stream import record_workflow_job_create
from ._vars import VarsError, parse_vars
from .workflow_job_templates import CHAR_PROMPTS
from .workflow_jobs import serialize_workflow_job

__all__ = ["launch_info", "launch"]

NOT_PROMPTED = "Field is not configured to prompt on launch."
ASK_FLAG = {
    "inventory": "ask_inventory_on_launch",
    "limit": "ask_limit_on_launch",
    "scm_branch": "ask_scm_branch_on_launch",
    "job_tags": "ask_tags_on_launch",
    "skip_tags": "ask_skip_tags_on_launch",
    "labels": "ask_labels_on_launch",
}
PROMPTS = ("inventory", "limit", "scm_branch", "labels", "job_tags", "skip_tags")


def survey_questions(template: Record) -> list[dict[str, t.Any]]:
    """The questions in force at launch: only when the survey is enabled and has a spec."""
    spec = template.get("survey_spec") or {}
    if not template.get("survey_enabled") or not isinstance(spec.get("spec"), list):
        return []
    return [q for q in spec["spec"] if isinstance(q, dict)]


@handles("api_workflow_job_templates_launch_read")
def launch_info(call: Call) -> dict[str, t.Any]:
    template = get_object(call, "workflow_job_templates")
    store = call.store
    questions = survey_questions(template)
    needed = [q["variable"] for q in questions if q.get("required")]
    inventory = store.get("inventories", template.get("inventory"))
    defaults: dict[str, t.Any] = {
        "inventory": {"name": inventory["name"] if inventory else None, "id": inventory["id"] if inventory else None},
        **{prompt: template.get(prompt) for prompt in CHAR_PROMPTS},
        "extra_vars": template.get("extra_vars") or "",
    }
    labels = [store.get("labels", i) for i in template.get("labels", [])]
    if any(labels):
        defaults["labels"] = [{"id": l["id"], "name": l["name"]} for l in labels if l]
    nodes = store.find("workflow_job_template_nodes", "workflow_job_template", template["id"])
    spec = template.get("survey_spec") or {}
    return {
        "ask_inventory_on_launch": template.get("ask_inventory_on_launch", False),
        "ask_limit_on_launch": template.get("ask_limit_on_launch", False),
        "ask_scm_branch_on_launch": template.get("ask_scm_branch_on_launch", False),
        "can_start_without_user_input": not needed,
        "defaults": defaults,
        "survey_enabled": bool(template.get("survey_enabled")) and "spec" in spec,
        "variables_needed_to_start": needed,
        "node_templates_missing": [n["id"] for n in nodes if n.get("unified_job_template") is None],
        "node_prompts_rejected": [],
        "workflow_job_template_data": {"name": template["name"], "id": template["id"], "description": template.get("description") or ""},
        "ask_variables_on_launch": template.get("ask_variables_on_launch", False),
        "ask_labels_on_launch": template.get("ask_labels_on_launch", False),
        "ask_skip_tags_on_launch": template.get("ask_skip_tags_on_launch", False),
        "ask_tags_on_launch": template.get("ask_tags_on_launch", False),
    }


def _prompts(call: Call, template: Record, body: dict[str, t.Any]) -> tuple[dict[str, t.Any], dict[str, list[str]]]:
    accepted: dict[str, t.Any] = {}
    errors: dict[str, list[str]] = {}
    if "inventory_id" in body and "inventory" not in body:
        body = {**body, "inventory": body["inventory_id"]}
    for prompt in PROMPTS:
        if prompt not in body:
            continue
        value = body[prompt]
        current = template.get(prompt) if prompt != "labels" else None
        if prompt != "labels" and value == current:
            continue
        if not template.get(ASK_FLAG[prompt]):
            errors[prompt] = [NOT_PROMPTED]
            continue
        accepted[prompt] = value
    if "inventory" in accepted and accepted["inventory"] is not None:
        inventory = accepted["inventory"]
        if isinstance(inventory, bool) or not isinstance(inventory, int) and not (isinstance(inventory, str) and inventory.isdigit()):
            errors["inventory"] = [f"Incorrect type. Expected pk value, received {type(inventory).__name__}."]
        elif call.store.get("inventories", int(inventory)) is None:
            errors["inventory"] = [f'Invalid pk "{inventory}" - object does not exist.']
        else:
            accepted["inventory"] = int(inventory)
    if "labels" in accepted:
        labels = accepted["labels"] if isinstance(accepted["labels"], list) else []
        missing = [l for l in labels if not isinstance(l, int) or call.store.get("labels", l) is None]
        if missing:
            errors["labels"] = [f'Invalid pk "{missing[0]}" - object does not exist.']
    return accepted, errors


def _extra_vars(template: Record, body: dict[str, t.Any]) -> tuple[dict[str, t.Any], dict[str, list[str]]]:
    """The launch-time variables after AWX's survey and prompt rules."""
    from .survey import clear_survey_spec, validate_answers

    raw = body.get("extra_vars", {})
    try:
        given = parse_vars(raw) if raw not in (None, "") else {}
    except VarsError as exc:
        return {}, {"extra_vars": [str(exc)]}
    questions = survey_questions(template)
    survey_vars = {q.get("variable") for q in questions}
    template_vars = parse_vars(template.get("extra_vars"))
    rejected = [
        key for key, value in given.items()
        if key not in survey_vars and not template.get("ask_variables_on_launch") and template_vars.get(key, object()) != value
    ]
    if rejected:
        names = ", ".join(rejected)
        return {}, {"extra_vars": [f"Variables {names} are not allowed on launch. Check the Prompt on Launch setting on the Workflow Job Template to include Extra Variables."]}
    if questions:
        problems = validate_answers(clear_survey_spec(template), given)
        if problems:
            return {}, {"variables_needed_to_start": problems}
    kept = {k: v for k, v in given.items() if k in survey_vars or template.get("ask_variables_on_launch")}
    return kept, {}


def build_extra_vars(template: Record, launch_vars: dict[str, t.Any]) -> tuple[str, dict[str, str]]:
    """Template vars, then valid survey defaults, then launch answers; passwords masked."""
    from .survey import clear_survey_spec, survey_defaults

    merged = dict(parse_vars(template.get("extra_vars")))
    questions = survey_questions(template)
    if questions:
        merged.update(survey_defaults(clear_survey_spec(template)))
    merged.update(launch_vars)
    passwords = {q["variable"] for q in questions if q.get("type") == "password" and q.get("variable") in merged}
    secrets = {name: str(merged[name]) for name in passwords}
    shown = {k: ("$encrypted$" if k in passwords else v) for k, v in merged.items()}
    return json.dumps(shown), secrets


@handles("api_workflow_job_templates_launch_create")
def launch(call: Call) -> Reply:
    template = get_object(call, "workflow_job_templates")
    body = call.body
    accepted, errors = _prompts(call, template, body)
    launch_vars, var_errors = _extra_vars(template, body)
    errors.update(var_errors)
    if errors:
        raise BadRequest(errors)
    extra_vars, secrets = build_extra_vars(template, launch_vars)
    fields: dict[str, t.Any] = {
        "extra_vars": extra_vars,
        "survey_passwords": {name: "$encrypted$" for name in secrets},
        "_secrets": secrets,  # the clear survey passwords, kept for relaunch
        "inventory": accepted.get("inventory", template.get("inventory")),
        **{prompt: accepted.get(prompt, template.get(prompt)) for prompt in CHAR_PROMPTS},
        "labels": sorted(set(template.get("labels", [])) | set(accepted.get("labels") or [])),
        "launch_type": "manual",
    }
    job = launch_workflow(call.runtime, template, fields, call.user["id"] if call.user else None)
    record_workflow_job_create(call, job)
    body_out = {"workflow_job": job["id"], "ignored_fields": {}, **serialize_workflow_job(call, job, True)}
    return Reply(201, body_out, {"Location": f"/api/v2/workflow_jobs/{job['id']}/"})
