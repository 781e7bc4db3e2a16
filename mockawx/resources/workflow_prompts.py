"""Saved launch prompts of workflow template nodes, checked against the node's template like AWX."""

from __future__ import annotations

import typing as t

from ..errors import BadRequest
from ..store import Record, Store
from ..web.call import Call
from ._unified import find_unified_template
from ._vars import parse_vars

__all__ = ["PROMPT_FIELDS", "KEPT_WITHOUT_TEMPLATE", "check_prompts", "shown_extra_data", "ask_flag"]

PROMPT_FIELDS = (
    "extra_data", "inventory", "scm_branch", "job_type", "job_tags", "skip_tags", "limit", "diff_mode",
    "verbosity", "execution_environment", "forks", "job_slice_count", "timeout",
)
KEPT_WITHOUT_TEMPLATE = ("workflow_job_template", "identifier", "all_parents_must_converge")
ENCRYPTED = "$encrypted$"
NOT_PROMPTED = "Field is not configured to prompt on launch."
NOT_ALLOWED = "Field is not allowed on launch."

# prompt field -> ask flag, per template kind; kinds not listed accept no prompt at all
ASK_FLAGS: dict[str, dict[str, str]] = {
    "job_templates": {
        "inventory": "ask_inventory_on_launch", "scm_branch": "ask_scm_branch_on_launch",
        "job_type": "ask_job_type_on_launch", "job_tags": "ask_tags_on_launch",
        "skip_tags": "ask_skip_tags_on_launch", "limit": "ask_limit_on_launch",
        "diff_mode": "ask_diff_mode_on_launch", "verbosity": "ask_verbosity_on_launch",
        "execution_environment": "ask_execution_environment_on_launch", "forks": "ask_forks_on_launch",
        "job_slice_count": "ask_job_slice_count_on_launch", "timeout": "ask_timeout_on_launch",
        "credentials": "ask_credential_on_launch", "labels": "ask_labels_on_launch",
        "instance_groups": "ask_instance_groups_on_launch",
    },
    "workflow_job_templates": {
        "inventory": "ask_inventory_on_launch", "scm_branch": "ask_scm_branch_on_launch",
        "job_tags": "ask_tags_on_launch", "skip_tags": "ask_skip_tags_on_launch",
        "limit": "ask_limit_on_launch", "labels": "ask_labels_on_launch",
    },
}
MODEL_TITLES = {"job_templates": "Job Template", "workflow_job_templates": "Workflow Job Template"}


def ask_flag(kind: str, relation: str) -> str | None:
    """The ask_*_on_launch flag a template kind uses for a prompt, or None when it has none."""
    return ASK_FLAGS.get(kind, {}).get(relation)


def _password_questions(template: Record) -> dict[str, Record]:
    if not template.get("survey_enabled"):
        return {}
    spec = template.get("survey_spec") or {}
    return {q.get("variable"): q for q in spec.get("spec", []) if isinstance(q, dict) and q.get("type") == "password"}


def _survey_variables(template: Record) -> set[str]:
    if not template.get("survey_enabled"):
        return set()
    spec = template.get("survey_spec") or {}
    return {q.get("variable") for q in spec.get("spec", []) if isinstance(q, dict)}


def _check_fields(kind: str, template: Record, merged: dict[str, t.Any], errors: dict[str, list[str]]) -> None:
    flags = ASK_FLAGS.get(kind)
    for field in PROMPT_FIELDS:
        value = merged.get(field)
        if field == "extra_data" or value is None:
            continue  # unset prompts are not prompts
        if flags is None:
            errors[field] = [NOT_ALLOWED]
            continue
        flag = flags.get(field)
        # a field the template has no flag for is ignored, and a value equal to the template's own is no prompt
        if flag is not None and not template.get(flag) and value != template.get(field):
            errors[field] = [NOT_PROMPTED]


def _check_variables(kind: str, template: Record, data: dict[str, t.Any], errors: dict[str, list[str]]) -> None:
    if not data:
        return
    if kind not in MODEL_TITLES:
        errors["extra_data"] = [NOT_ALLOWED]
        return
    if template.get("ask_variables_on_launch"):
        return
    allowed = _survey_variables(template)
    own = parse_vars(template.get("extra_vars") or "")
    rejected = [k for k, v in data.items() if k not in allowed and not (k in own and own[k] == v)]
    if rejected:
        errors["extra_data"] = [
            f"Variables {', '.join(str(k) for k in rejected)} are not allowed on launch. Check the Prompt on "
            f"Launch setting on the {MODEL_TITLES[kind]} to include Extra Variables."
        ]


def _resolve_passwords(template: Record, data: dict[str, t.Any], existing: Record | None, errors: dict[str, list[str]]) -> dict[str, t.Any]:
    """``$encrypted$`` answers keep the stored secret, else the question's default."""
    stored = (existing or {}).get("extra_data") or {}
    resolved = dict(data)
    for variable, question in _password_questions(template).items():
        if resolved.get(variable) != ENCRYPTED:
            continue
        if stored.get(variable) not in (None, ENCRYPTED):
            resolved[variable] = stored[variable]
        elif question.get("default"):
            resolved[variable] = question["default"]
        else:
            errors.setdefault("extra_data", []).append(f"Provided variable {variable} has no database value to replace with.")
    return resolved


def check_prompts(call: Call, kind: str, template: Record, merged: dict[str, t.Any], existing: Record | None) -> dict[str, t.Any]:
    """400 for prompts the template does not accept; returns the extra_data to store."""
    errors: dict[str, list[str]] = {}
    _check_fields(kind, template, merged, errors)
    data = dict(merged.get("extra_data") or {})
    _check_variables(kind, template, data, errors)
    data = _resolve_passwords(template, data, existing, errors)
    if errors:
        raise BadRequest(errors)
    return data


def shown_extra_data(store: Store, record: Record) -> dict[str, t.Any]:
    """The node's extra_data with survey password answers masked."""
    data = dict(record.get("extra_data") or {})
    target = find_unified_template(store, record.get("unified_job_template"))
    if target is not None:
        for variable in _password_questions(target[1]):
            if variable in data:
                data[variable] = ENCRYPTED
    return data
