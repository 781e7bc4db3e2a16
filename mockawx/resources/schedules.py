"""Schedules: CRUD, preview, and the per-template sub-lists (the rrule arithmetic lives in ``_rrule``)."""

from __future__ import annotations

import datetime as dt
import typing as t

from ..access import EXECUTE, READ
from ..clock import format_time
from ..errors import BadRequest, PermissionDenied, field_error
from ..model import Model, register
from ..store import Record
from ..web.call import Call, Reply
from ._common import base, check_foreign_keys, created, get_object, list_reply
from ._crud import schema_defaults
from ._registry import handles
from ._rrule import coerce_until, computed_fields, iso_text, local_zone, next_run, occurrences, timezone_name, until_text, validate_rrule
from ._unified import JOB_TYPE_OF_TEMPLATE, find_unified_template
from .scheduled import arm

__all__ = ["MODEL", "refresh_next_run"]

PREVIEW_COUNT = 10
PROMPT_FIELDS = (
    "inventory", "scm_branch", "job_type", "job_tags", "skip_tags", "limit", "diff_mode", "verbosity",
    "execution_environment", "forks", "job_slice_count", "timeout",
)
# The template flag that lets a schedule set each prompt (AWX's ask_*_on_launch names).
ASK_FLAG = {
    "inventory": "ask_inventory_on_launch", "scm_branch": "ask_scm_branch_on_launch",
    "job_type": "ask_job_type_on_launch", "job_tags": "ask_tags_on_launch", "skip_tags": "ask_skip_tags_on_launch",
    "limit": "ask_limit_on_launch", "diff_mode": "ask_diff_mode_on_launch", "verbosity": "ask_verbosity_on_launch",
    "execution_environment": "ask_execution_environment_on_launch", "forks": "ask_forks_on_launch",
    "job_slice_count": "ask_job_slice_count_on_launch", "timeout": "ask_timeout_on_launch",
}
TEMPLATE_NAMES = {"workflow_job_templates": "Workflow Job Template", "job_templates": "Job Template"}
UNIQUE_MESSAGE = "Schedule with this Unified job template and Name already exists."


def refresh_next_run(store: t.Any, schedule_id: int, now: dt.datetime) -> Record:
    """Recompute a schedule's ``next_run`` after the scheduler launched it (or time moved on)."""
    schedule = store.get("schedules", schedule_id)
    return store.update("schedules", schedule_id, {"next_run": next_run(schedule, now)})


# -- serialization ----------------------------------------------------------------------
def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    store = call.store
    pk = record["id"]
    found = find_unified_template(store, record.get("unified_job_template"))
    related: dict[str, t.Any] = {name: f"/api/v2/schedules/{pk}/{name}/" for name in ("labels", "credentials", "instance_groups")}
    related["unified_jobs"] = f"/api/v2/schedules/{pk}/jobs/"
    summary: dict[str, t.Any] = {}
    inventory_id = record.get("inventory")
    if found is not None:
        kind, template = found
        related["unified_job_template"] = f"/api/v2/{kind}/{template['id']}/"
        if template.get("project"):
            related["project"] = f"/api/v2/projects/{template['project']}/"
        ujt = {"id": template["id"], "name": template.get("name"), "description": template.get("description") or "",
               "unified_job_type": JOB_TYPE_OF_TEMPLATE[kind]}
        if kind == "system_job_templates":
            ujt["job_type"] = template.get("job_type")
        summary["unified_job_template"] = ujt
        inventory_id = inventory_id or template.get("inventory")
    if inventory_id:
        related["inventory"] = f"/api/v2/inventories/{inventory_id}/"
    summary["user_capabilities"] = call.access.capabilities(call.user, "schedules", record, ("edit", "delete"))
    if inventory_id:
        from .inventories import inventory_summary

        summary["inventory"] = inventory_summary(call, inventory_id)
    body = {"rrule": record["rrule"]}
    envelope = base(call, MODEL, record, related, summary)
    # created_by/modified_by summaries sit after unified_job_template in AWX's output
    envelope["summary_fields"] = _order_summary(envelope["summary_fields"])
    body.update(envelope)
    body.update({"name": record["name"], "description": record.get("description") or "", "extra_data": record.get("extra_data") or {}})
    body.update({field: record.get(field) for field in PROMPT_FIELDS})
    body.update({
        "unified_job_template": record.get("unified_job_template"),
        "enabled": bool(record.get("enabled", True)),
        "dtstart": format_time(record.get("dtstart")),
        "dtend": format_time(record.get("dtend")),
        "next_run": format_time(record.get("next_run")),
        "timezone": timezone_name(record["rrule"]),
        "until": until_text(record["rrule"]),
    })
    return body


def _order_summary(summary: dict[str, t.Any]) -> dict[str, t.Any]:
    order = ("unified_job_template", "created_by", "modified_by", "user_capabilities", "inventory")
    return {key: summary[key] for key in sorted(summary, key=lambda k: order.index(k) if k in order else len(order))}


MODEL = register(Model(
    kind="schedules",
    type="schedule",
    name="Schedule",
    serializer=serialize,
    fields=("name", "description", "rrule", "extra_data", *PROMPT_FIELDS, "enabled", "dtstart", "dtend", "next_run"),
    fks={"unified_job_template": "unified_job_templates", "inventory": "inventories"},
    default_order=("-next_run",),
    # filters compare these as AWX's ISO text (the shared comparator stringifies datetimes)
    computed={f: (lambda field: lambda store, r: format_time(r.get(field)))(f) for f in ("dtstart", "dtend", "next_run")},
))


# -- writing ----------------------------------------------------------------------------
def _template_of(call: Call, template_id: t.Any) -> tuple[str, Record]:
    found = find_unified_template(call.store, template_id)
    if found is None:
        raise field_error("unified_job_template", f'Invalid pk "{template_id}" - object does not exist.')
    kind, template = found
    if kind == "inventory_sources" and template.get("source") in ("", "file", "scm", None):
        raise field_error("unified_job_template", "Inventory Source must be a cloud resource.")
    if kind == "projects" and not template.get("scm_type"):
        raise field_error("unified_job_template", "Manual Project cannot have a schedule set.")
    return kind, template


def _check_prompts(kind: str, template: Record, values: dict[str, t.Any]) -> None:
    """400 for a prompt the template does not ask for (as a launch would refuse it)."""
    errors: dict[str, list[str]] = {}
    for field in PROMPT_FIELDS:
        if values.get(field) not in (None, "") and not template.get(ASK_FLAG[field]):
            errors[field] = ["Field is not configured to prompt on launch."]
    extra = values.get("extra_data") or {}
    if extra and not template.get("ask_variables_on_launch"):
        allowed = set()
        if template.get("survey_enabled"):
            allowed = {q.get("variable") for q in (template.get("survey_spec") or {}).get("spec", [])}
        refused = [key for key in extra if key not in allowed]
        if refused:
            label = TEMPLATE_NAMES.get(kind, "Job Template")
            errors["extra_data"] = [
                f"Variables {', '.join(refused)} are not allowed on launch. Check the Prompt on Launch setting "
                f"on the {label} to include Extra Variables."
            ]
    if errors:
        raise BadRequest(errors)


def _write(call: Call, existing: Record | None, template_id: t.Any = None) -> dict[str, t.Any]:
    """Validate a create/PUT/PATCH body; returns the fields to store (computed ones included)."""
    partial = call.method == "PATCH"
    body = dict(call.body)
    if template_id is not None:
        body["unified_job_template"] = template_id
    elif existing is not None and "unified_job_template" not in body:
        body["unified_job_template"] = existing["unified_job_template"]
    from ..spec import validate_body

    cleaned, errors = validate_body(call.runtime.spec.schema("ScheduleWrite"), body, partial=partial)
    if "rrule" in cleaned and "rrule" not in errors:
        messages = validate_rrule(cleaned["rrule"])
        if messages:
            errors["rrule"] = messages
    if errors:
        raise BadRequest(errors)
    check_foreign_keys(call, "ScheduleWrite", cleaned)
    values = {**schema_defaults(call, "ScheduleWrite"), **cleaned} if existing is None or call.method == "PUT" else cleaned
    if not (call.method == "PATCH" and call.body == {"enabled": False}):
        kind, template = _template_of(call, values.get("unified_job_template", (existing or {}).get("unified_job_template")))
        _check_prompts(kind, template, {**(existing or {}), **values})
    candidate = {**(existing or {}), **values}
    _check_unique(call, candidate, existing)
    values["rrule"] = coerce_until(candidate["rrule"])
    values.update(computed_fields(values["rrule"], bool(candidate.get("enabled", True)), call.clock.now()))
    return values


def _check_unique(call: Call, candidate: dict[str, t.Any], existing: Record | None) -> None:
    own = existing["id"] if existing else None
    for other in call.store.all("schedules"):
        if other["id"] != own and other.get("unified_job_template") == candidate.get("unified_job_template") and other.get("name") == candidate.get("name"):
            raise BadRequest({"__all__": [UNIQUE_MESSAGE]})


def _create(call: Call, template_id: t.Any = None) -> Reply:
    values = _write(call, None, template_id)
    _, template = _template_of(call, values["unified_job_template"])
    if not call.access.can(call.user, EXECUTE, find_unified_template(call.store, template["id"])[0], template):
        raise PermissionDenied()
    from ._common import stamp

    record = stamp(call, {"id": None, **values}, creating=True)
    call.store.insert("schedules", record)
    arm(call.runtime, record)
    _record_activity(call, "create", record)
    return created(call, "schedules", record)


def _record_activity(call: Call, operation: str, record: Record, changes: dict[str, t.Any] | None = None) -> None:
    from .activity_stream import record_activity

    record_activity(call, operation, "schedules", record, changes)


def _visible(call: Call, schedules: t.Iterable[Record]) -> list[Record]:
    visible = []
    for schedule in schedules:
        found = find_unified_template(call.store, schedule.get("unified_job_template"))
        if found is not None and call.access.can(call.user, READ, found[0], found[1]):
            visible.append(schedule)
    return visible


# -- handlers ---------------------------------------------------------------------------
@handles("api_schedules_list")
def schedules_list(call: Call) -> dict[str, t.Any]:
    """Every schedule the user can see."""
    return list_reply(call, "schedules", _visible(call, call.store.all("schedules")))


@handles("api_schedules_create")
def schedules_create(call: Call) -> Reply:
    """A schedule for the template named by ``unified_job_template``."""
    return _create(call)


@handles("api_schedules_read")
def schedules_read(call: Call) -> dict[str, t.Any]:
    """One schedule."""
    return serialize(call, get_object(call, "schedules"), True)


@handles("api_schedules_update", "api_schedules_partial_update")
def schedules_update(call: Call) -> dict[str, t.Any]:
    """PUT/PATCH a schedule; its computed times follow the new rrule and enabled flag."""
    from ._common import stamp
    from .activity_stream import changed_fields

    existing = get_object(call, "schedules")
    values = _write(call, existing)
    changes = changed_fields(existing, values)
    record = call.store.update("schedules", existing["id"], stamp(call, values, creating=False))
    arm(call.runtime, record)
    if changes:
        _record_activity(call, "update", record, changes)
    return serialize(call, record, True)


@handles("api_schedules_delete")
def schedules_delete(call: Call) -> Reply:
    """Delete a schedule."""
    record = get_object(call, "schedules")
    _record_activity(call, "delete", record)
    call.store.delete("schedules", record["id"])
    return Reply(204, None)


@handles("api_schedules_preview_create")
def schedules_preview(call: Call) -> dict[str, t.Any]:
    """The next ten occurrences of an rrule, in its own zone and in UTC."""
    cleaned = call.validated()
    messages = validate_rrule(cleaned["rrule"])
    if messages:
        raise BadRequest({"rrule": messages})
    text = cleaned["rrule"]
    found = occurrences(text, after=call.clock.now(), limit=PREVIEW_COUNT)
    zone = local_zone(text)
    return {
        "local": [iso_text(when.astimezone(zone)) for when in found],
        "utc": [iso_text(when) for when in found],
    }


def _template_schedules(kind: str) -> tuple[t.Callable[[Call], t.Any], t.Callable[[Call], t.Any]]:
    """GET and POST of ``/<kind>/{id}/schedules/`` for one template kind."""

    def listing(call: Call) -> dict[str, t.Any]:
        template = get_object(call, kind)
        return list_reply(call, "schedules", [s for s in call.store.all("schedules") if s.get("unified_job_template") == template["id"]])

    def create(call: Call) -> Reply:
        template = get_object(call, kind)
        return _create(call, template["id"])

    listing.__doc__ = f"The schedules of one of {kind}."
    create.__doc__ = f"A schedule for one of {kind} (prompts checked against its ask flags)."
    return listing, create


for _kind in ("workflow_job_templates", "job_templates"):
    _listing, _creating = _template_schedules(_kind)
    handles(f"api_{_kind}_schedules_list")(_listing)
    handles(f"api_{_kind}_schedules_create")(_creating)


@handles("api_schedules_jobs_list")
def schedule_jobs(call: Call) -> dict[str, t.Any]:
    """The jobs a schedule launched, each in its own form (as ``/unified_jobs/`` lists them)."""
    from .unified import KIND, UJ_MODEL, _copies, _page
    from ._unified import JOB_KINDS

    schedule = get_object(call, "schedules")
    launched = [r for r in _copies(call.store, JOB_KINDS) if r.get("schedule") == schedule["id"]]
    return _page(call, UJ_MODEL, [r for r in launched if call.access.can(call.user, READ, r[KIND], r)])
