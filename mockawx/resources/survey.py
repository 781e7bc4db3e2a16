"""Survey specs of job and workflow job templates: the survey_spec endpoint and launch-time answer checks."""

from __future__ import annotations

import typing as t

from ..access import CHANGE, READ
from ..errors import BadRequest, NotFound, PermissionDenied
from ..store import Record
from ..web.call import Call, Reply
from ..model import MODELS
from ._registry import handle

__all__ = [
    "ENCRYPTED",
    "QUESTION_TYPES",
    "clear_survey_spec",
    "copy_survey",
    "password_variables",
    "survey_defaults",
    "validate_answers",
    "validate_spec",
]

ENCRYPTED = "$encrypted$"
SECRETS = "_survey_secrets"  # record field: {variable: clear password default}
# Question type -> the Python types its default may have ("" is always allowed).
QUESTION_TYPES: dict[str, tuple[type, ...]] = {
    "text": (str,), "textarea": (str,), "password": (str,), "multiplechoice": (str,),
    "multiselect": (str,), "integer": (int,), "float": (float, int),
}
KINDS = {"workflow_job_templates": "WorkflowJobTemplate", "job_templates": "JobTemplate"}
TOP_FIELDS = (("name", str, "string"), ("description", str, "string"), ("spec", list, "list of items"))


class SurveyError(Exception):
    """One survey spec validation failure (AWX's ``{"error": msg}``)."""


def _type_name(value: t.Any) -> str:
    """The Python type name AWX reports; JSON objects arrive as OrderedDict there."""
    return "OrderedDict" if isinstance(value, dict) else type(value).__name__


def _text(value: t.Any) -> str:
    """Python's ``%s`` rendering of a JSON value, as AWX formats it into messages."""
    return str(value)


def jsonb_order(value: t.Any) -> t.Any:
    """Reorder object keys the way PostgreSQL jsonb returns them (shorter keys first, then bytewise)."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return {k: jsonb_order(value[k]) for k in keys}
    if isinstance(value, list):
        return [jsonb_order(v) for v in value]
    return value


# -- saving --------------------------------------------------------------------------------------
def validate_spec(new: dict[str, t.Any], old: dict[str, t.Any], old_secrets: dict[str, str]) -> tuple[dict[str, t.Any], dict[str, str]]:
    """Check a posted spec as AWX does; returns the spec to store and the clear password defaults."""
    error = None
    # AWX keeps checking after a top-level failure, so the last one found is reported.
    for field, expected, label in TOP_FIELDS:
        if field not in new:
            error = f"Field '{field}' is missing from survey spec."
        elif not isinstance(new[field], expected):
            error = f"Expected {label} for field '{field}', received {_type_name(new[field])} type."
    if isinstance(new.get("spec"), list) and not new["spec"]:
        error = "'spec' doesn't contain any items."
    if error:
        raise SurveyError(error)
    old_questions = {q.get("variable"): q for q in old.get("spec", []) if isinstance(q, dict)}
    seen: set[str] = set()
    questions: list[dict[str, t.Any]] = []
    secrets: dict[str, str] = {}
    for index, raw in enumerate(new["spec"]):
        question = _check_question(index, raw, seen)
        _normalise_choices(question)
        _check_encrypted(index, question, old_questions, old_secrets, secrets)
        questions.append(question)
    return {**new, "spec": questions}, secrets


def _check_question(index: int, raw: t.Any, seen: set[str]) -> dict[str, t.Any]:
    if not isinstance(raw, dict):
        raise SurveyError(f"Survey question {index} is not a json object.")
    for field in ("type", "question_name", "variable", "required"):
        if field not in raw:
            raise SurveyError(f"'{field}' missing from survey question {index}")
        expected, label = (bool, "boolean") if field == "required" else (str, "string")
        if not isinstance(raw[field], expected):
            raise SurveyError(f"'{field}' in survey question {index} expected to be {label}.")
    if raw["variable"] in seen:
        raise SurveyError(f"'variable' '{raw['variable']}' duplicated in survey question {index}.")
    seen.add(raw["variable"])
    kind = raw["type"]
    if kind not in QUESTION_TYPES:
        allowed = ", ".join(QUESTION_TYPES)
        raise SurveyError(f"'{kind}' in survey question {index} is not one of '{allowed}' allowed question types.")
    if "default" in raw and raw["default"] != "" and not isinstance(raw["default"], QUESTION_TYPES[kind]):
        label = kind if kind in ("integer", "float") else "string"
        raise SurveyError(f"Default value {_text(raw['default'])} in survey question {index} expected to be {label}.")
    for key in ("min", "max"):
        if key in raw and raw[key] is not None and not isinstance(raw[key], int):
            raise SurveyError(f"The {key} limit in survey question {index} expected to be integer.")
    if kind in ("multiplechoice", "multiselect") and "choices" not in raw:
        raise SurveyError(f"Survey question {index} of type {kind} must specify choices.")
    return dict(raw)


def _normalise_choices(question: dict[str, t.Any]) -> None:
    """Drop blank lines from newline-separated choices and defaults; check defaults against the choices."""
    if question["type"] not in ("multiplechoice", "multiselect"):
        return
    if isinstance(question["choices"], str):
        question["choices"] = "\n".join(c for c in question["choices"].split("\n") if c.strip())
    choices = _choice_list(question["choices"])
    defaults: list[t.Any] = []
    if isinstance(question.get("default"), str):
        defaults = [d for d in question["default"].split("\n") if d.strip()]
        question["default"] = "\n".join(defaults)
    if question["type"] == "multiplechoice" and len(defaults) > 1:
        raise SurveyError("Multiple Choice (Single Select) can only have one default value.")
    if any(d not in choices for d in defaults):
        raise SurveyError("Default choice must be answered from the choices listed.")


def _check_encrypted(index: int, question: dict[str, t.Any], old_questions: dict[t.Any, dict[str, t.Any]], old_secrets: dict[str, str], secrets: dict[str, str]) -> None:
    """``$encrypted$`` keeps the stored password default; a new password default is kept secret."""
    default = question.get("default")
    variable = question["variable"]
    if isinstance(default, str) and default.startswith(ENCRYPTED):
        if question["type"] != "password":
            raise SurveyError(
                f"$encrypted$ is a reserved keyword for password question defaults, survey question {index} is type {question['type']}."
            )
        old_default = old_questions.get(variable, {}).get("default")
        if not (isinstance(old_default, str) and (old_default.startswith(ENCRYPTED) or old_default == "")):
            raise SurveyError(f"$encrypted$ is a reserved keyword, may not be used for new default in position {index}.")
        question["default"] = old_default
        if variable in old_secrets:
            secrets[variable] = old_secrets[variable]
    elif question["type"] == "password" and "default" in question and default:
        secrets[variable] = default
        question["default"] = ENCRYPTED


def clear_survey_spec(record: Record) -> dict[str, t.Any]:
    """The template's survey spec with password defaults in clear (for launching jobs)."""
    spec = record.get("survey_spec") or {}
    secrets = record.get(SECRETS) or {}
    if not secrets or not isinstance(spec.get("spec"), list):
        return dict(spec)
    questions = [
        {**q, "default": secrets[q["variable"]]} if isinstance(q, dict) and q.get("type") == "password" and q.get("variable") in secrets else q
        for q in spec["spec"]
    ]
    return {**spec, "spec": questions}


def copy_survey(source: Record) -> dict[str, t.Any]:
    """The survey fields to give a copy of ``source`` (spec and its secrets)."""
    return {"survey_spec": dict(source.get("survey_spec") or {}), SECRETS: dict(source.get(SECRETS) or {})}


def password_variables(spec: dict[str, t.Any]) -> list[str]:
    """Variables of the spec's password questions (their answers are shown as ``$encrypted$``)."""
    return [q["variable"] for q in _questions(spec) if q.get("type") == "password" and "variable" in q]


# -- launching -----------------------------------------------------------------------------------
def _questions(spec: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    questions = spec.get("spec") if isinstance(spec, dict) else None
    return [q for q in questions if isinstance(q, dict)] if isinstance(questions, list) else []


def _choice_list(choices: t.Any) -> list[t.Any]:
    if isinstance(choices, str):
        return [c for c in choices.splitlines() if c.strip() != ""]
    return list(choices) if isinstance(choices, list) else []


def _limit(question: dict[str, t.Any], key: str, cast: t.Callable[[t.Any], t.Any]) -> t.Any:
    value = question.get(key)
    if value in ("", None):
        return None
    try:
        return cast(value)
    except (TypeError, ValueError):
        return None


def _check_answer(question: dict[str, t.Any], answers: dict[str, t.Any]) -> list[str]:
    variable = question.get("variable")
    kind = question.get("type")
    required = bool(question.get("required"))
    if kind == "password" and answers.get(variable) == ENCRYPTED:
        # the placeholder stands for the stored default
        return [f"'{variable}' value missing"] if question.get("default") is None and required else []
    if variable not in answers:
        return [f"'{variable}' value missing"] if required else []
    value = answers[variable]
    if kind in ("text", "textarea", "password"):
        return _check_text(variable, value, question)
    if kind in ("integer", "float"):
        return _check_number(variable, value, question)
    if kind == "multiselect":
        if type(value) is not list:
            return [f"'{variable}' value is expected to be a list."]
        choices = _choice_list(question.get("choices"))
        return [f"Value {_text(v)} for '{variable}' expected to be one of {choices}." for v in value if v not in choices]
    if kind == "multiplechoice":
        choices = _choice_list(question.get("choices"))
        return [] if value in choices else [f"Value {_text(value)} for '{variable}' expected to be one of {choices}."]
    return []


def _check_text(variable: t.Any, value: t.Any, question: dict[str, t.Any]) -> list[str]:
    if not isinstance(value, str):
        return [f"Value {_text(value)} for '{variable}' expected to be a string."]
    errors = []
    low, high = _limit(question, "min", int), _limit(question, "max", int)
    if low is not None and len(value) < low:
        errors.append(f"'{variable}' value {value} is too small (length is {len(value)} must be at least {question['min']}).")
    if high is not None and len(value) > high:
        errors.append(f"'{variable}' value {value} is too large (must be no more than {question['max']}).")
    return errors


def _check_number(variable: t.Any, value: t.Any, question: dict[str, t.Any]) -> list[str]:
    if question.get("type") == "integer":
        if type(value) is not int:
            return [f"Value {_text(value)} for '{variable}' expected to be an integer."]
        cast: t.Callable[[t.Any], t.Any] = int
    else:
        if type(value) not in (float, int):
            return [f"Value {_text(value)} for '{variable}' expected to be a numeric type."]
        cast = float
    errors = []
    low, high = _limit(question, "min", cast), _limit(question, "max", cast)
    if low is not None and value < low:
        errors.append(f"'{variable}' value {value} is too small (must be at least {question['min']}).")
    if high is not None and value > high:
        errors.append(f"'{variable}' value {value} is too large (must be no more than {question['max']}).")
    return errors


def validate_answers(spec: dict[str, t.Any], answers: dict[str, t.Any]) -> list[str]:
    """AWX's ``variables_needed_to_start`` messages for launch answers against a (clear) survey spec."""
    if not spec:
        return []
    errors = [f"'{key}' missing from survey spec." for key in ("name", "description") if key not in spec]
    for question in _questions(spec):
        errors.extend(_check_answer(question, answers))
    return errors


def survey_defaults(spec: dict[str, t.Any]) -> dict[str, t.Any]:
    """Defaults of a (clear) spec that pass their own question's validation, by variable."""
    defaults: dict[str, t.Any] = {}
    for question in _questions(spec):
        variable, default = question.get("variable"), question.get("default")
        if default is None or variable is None:
            continue
        if not _check_answer(question, {variable: default}):
            defaults[variable] = default
    return defaults


# -- the endpoint --------------------------------------------------------------------------------
def _template(call: Call, kind: str, action: str) -> Record:
    """The template named by the path, or AWX's 404/403."""
    if kind in MODELS:
        from ._common import get_object

        record = get_object(call, kind)
    else:
        raw = call.params.get("id", "")
        record = call.store.get(kind, int(raw)) if raw.isdigit() else None
        if record is None:
            raise NotFound.model(KINDS[kind])
    from .access import allowed

    if not allowed(call, action, kind, record):
        raise PermissionDenied()
    return record


def _shown(spec: dict[str, t.Any]) -> dict[str, t.Any]:
    questions = [
        {**q, "default": ENCRYPTED} if q.get("type") == "password" and q.get("default") else q
        for q in _questions(spec)
    ]
    shown = {**spec, "spec": questions} if "spec" in spec and isinstance(spec["spec"], list) else dict(spec)
    return t.cast(dict[str, t.Any], jsonb_order(shown))


def _record_change(call: Call, kind: str, template: Record, spec: dict[str, t.Any]) -> None:
    """The template's update entry for a survey about to change (none when the spec stays the same)."""
    from .activity_stream import changed_fields, record_activity

    changes = changed_fields(template, {"survey_spec": spec}, kind, call.store)
    if changes:
        record_activity(call, "update", kind, template, changes)


def register_survey(kind: str, operation_prefix: str) -> None:
    """Register GET/POST/DELETE of ``/<kind>/{id}/survey_spec/``."""

    def read(call: Call) -> dict[str, t.Any]:
        return _shown(_template(call, kind, READ).get("survey_spec") or {})

    def save(call: Call) -> Reply:
        template = _template(call, kind, CHANGE)
        try:
            spec, secrets = validate_spec(call.body, template.get("survey_spec") or {}, template.get(SECRETS) or {})
        except SurveyError as exc:
            raise BadRequest({"error": str(exc)}) from None
        _record_change(call, kind, template, spec)
        call.store.update(kind, template["id"], {"survey_spec": spec, SECRETS: secrets})
        return Reply(200, None)

    def delete(call: Call) -> Reply:
        template = _template(call, kind, CHANGE)
        _record_change(call, kind, template, {})
        call.store.update(kind, template["id"], {"survey_spec": {}, SECRETS: {}})
        return Reply(200, None)

    handle(f"{operation_prefix}_survey_spec_list", read)
    handle(f"{operation_prefix}_survey_spec_create", save)
    handle(f"{operation_prefix}_survey_spec_delete", delete)


register_survey("workflow_job_templates", "api_workflow_job_templates")
register_survey("job_templates", "api_job_templates")
