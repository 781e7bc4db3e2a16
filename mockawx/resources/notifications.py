"""Notification templates, notifications, the templates' notification sub-lists, and test notifications."""

from __future__ import annotations

import typing as t

from ..access import CHANGE
from ..clock import format_time
from ..errors import BadRequest, PermissionDenied
from ..execution.scheduler import Scheduler
from ..model import Model, register
from ..store import Record
from ..web.call import Call, Reply
from ._common import base, created, get_object, list_reply, named_url, stamp, summary_of
from ._crud import Crud, UniqueRule, apply_write, register_crud
from ._members import association
from ._registry import handles
from .activity_stream import record_activity, record_association
from .notification_bodies import BASE_URL, MESSAGE_EVENTS, check_configuration, check_messages, jsonb_order, masked
from .notification_delivery import recipients

__all__ = ["NT_MODEL", "NOTIFICATION_MODEL"]

EVENTS = ("started", "success", "error", "approvals")
RELATIONSHIP = {
    "started": "awx.main.models.unified_jobs.UnifiedJobTemplate_notification_templates_started",
    "success": "awx.main.models.unified_jobs.UnifiedJobTemplate_notification_templates_success",
    "error": "awx.main.models.unified_jobs.UnifiedJobTemplate_notification_templates_error",
    "approvals": "awx.main.models.workflow.WorkflowJobTemplate_notification_templates_approvals",
}
RECENT = 5


# -- serialization ----------------------------------------------------------------------
def _recent(call: Call, template_id: int) -> list[dict[str, t.Any]]:
    mine = sorted(call.store.find("notifications", "notification_template", template_id), key=lambda n: n["id"], reverse=True)
    return [{"id": n["id"], "status": n["status"], "created": format_time(n["created"]), "error": n["error"]} for n in mine[:RECENT]]


def serialize_template(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    related: dict[str, t.Any] = {}
    if detail:
        related["named_url"] = named_url(call, "notification_templates", record)
    related.update({name: f"/api/v2/notification_templates/{pk}/{name}/" for name in ("test", "notifications", "copy")})
    related["organization"] = f"/api/v2/organizations/{record['organization']}/"
    summary = {
        "organization": summary_of(call.store, "organizations", record.get("organization")),
        "user_capabilities": call.access.capabilities(call.user, "notification_templates", record, ("edit", "delete", "copy")),
        "recent_notifications": _recent(call, pk),
    }
    body = base(call, NT_MODEL, record, {}, {})
    body["related"] = {**({"named_url": related.pop("named_url")} if detail else {}), **body["related"], **related}
    body["summary_fields"] = {"organization": summary["organization"], **body["summary_fields"],
                              "user_capabilities": summary["user_capabilities"], "recent_notifications": summary["recent_notifications"]}
    if body["summary_fields"]["organization"] is None:
        del body["summary_fields"]["organization"]
    body.update({
        "name": record["name"],
        "description": record.get("description") or "",
        "organization": record.get("organization"),
        "notification_type": record["notification_type"],
        "notification_configuration": _stored_order(call, masked(record["notification_type"], record.get("notification_configuration") or {})),
        "messages": _stored_order(call, _answered_messages(call, record.get("messages"))),
    })
    return body


def _answered_messages(call: Call, messages: t.Any) -> t.Any:
    """The write's answer names the events left out as null, after the ones given (they are not stored)."""
    if call.method in ("POST", "PUT", "PATCH") and isinstance(messages, dict):
        return {**messages, **{e: None for e in MESSAGE_EVENTS if e not in messages}}
    return messages


def _stored_order(call: Call, value: t.Any) -> t.Any:
    """A JSON field as read back from the database (jsonb key order); a create answers it as sent."""
    return jsonb_order(value) if isinstance(value, dict) and call.method != "POST" else value


def serialize_notification(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    template_id = record.get("notification_template")
    related = {"notification_template": f"/api/v2/notification_templates/{template_id}/"}
    summary = {"notification_template": summary_of(call.store, "notification_templates", template_id)}
    body = base(call, NOTIFICATION_MODEL, record, related, summary)
    body.update({field: record.get(field) for field in (
        "notification_template", "error", "status", "notifications_sent", "notification_type", "recipients", "body")})
    return body


NT_MODEL = register(Model(
    kind="notification_templates",
    type="notification_template",
    name="NotificationTemplate",
    serializer=serialize_template,
    fields=("name", "description", "notification_type", "notification_configuration", "messages"),
    fks={"organization": "organizations"},
    default_order=("name",),
))
NOTIFICATION_MODEL = register(Model(
    kind="notifications",
    type="notification",
    name="Notification",
    serializer=serialize_notification,
    fields=("error", "status", "notifications_sent", "notification_type", "recipients", "body", "unified_job"),
    fks={"notification_template": "notification_templates"},
    search_fields=("error", "recipients"),
    default_order=("-created",),
))


# -- notification template writes ---------------------------------------------------------
def _validate(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    merged = {**(existing or {}), **values}
    kind = merged.get("notification_type")
    if "notification_configuration" in values or "notification_type" in values:
        config = dict(merged.get("notification_configuration") or {})
        old = (existing or {}).get("notification_configuration") or {}
        values["notification_configuration"] = check_configuration(kind, config, old)
    if values.get("messages") is not None or "messages" in values:
        errors = check_messages(kind, values.get("messages"))
        if errors:
            raise BadRequest({"messages": errors})
    if values.get("messages") is None and existing is None:
        values["messages"] = {e: None for e in MESSAGE_EVENTS}  # the default; given messages are stored as given


def _delete(call: Call, record: Record) -> None:
    pk = record["id"]
    for kind in ("workflow_job_templates", "job_templates", "projects", "inventory_sources", "organizations"):
        for owner in call.store.all(kind):
            changes = {f"notification_templates_{e}": [i for i in owner.get(f"notification_templates_{e}") or [] if i != pk]
                       for e in EVENTS if pk in (owner.get(f"notification_templates_{e}") or [])}
            if changes:
                call.store.update(kind, owner["id"], changes)
    call.store.delete("notification_templates", pk)


CRUD = Crud(
    kind="notification_templates",
    write_schema="NotificationTemplateWrite",
    unique=(UniqueRule(("organization", "name"), "__all__", "Notification template with this Organization and Name already exists."),),
    validate=_validate,
    delete=_delete,
)
register_crud(CRUD, "api_notification_templates")


# -- notifications ------------------------------------------------------------------------
@handles("api_notifications_list")
def notifications_list(call: Call) -> dict[str, t.Any]:
    """Every notification sent."""
    return list_reply(call, "notifications", call.store.all("notifications"))


@handles("api_notifications_read")
def notifications_read(call: Call) -> dict[str, t.Any]:
    """One notification."""
    return serialize_notification(call, get_object(call, "notifications"), True)


@handles("api_workflow_jobs_notifications_list")
def workflow_job_notifications(call: Call) -> dict[str, t.Any]:
    """The notifications sent about one workflow job (its approvals' included)."""
    job = get_object(call, "workflow_jobs")
    return list_reply(call, "notifications", call.store.find("notifications", "unified_job", job["id"]))


# -- the templates' sub-lists ---------------------------------------------------------------
# owner kind -> the events it has a notification_templates_<event>/ sub-list for
OWNER_EVENTS: dict[str, tuple[str, ...]] = {
    "workflow_job_templates": EVENTS,
    "job_templates": ("started", "success", "error"),
    "projects": ("started", "success", "error"),
    "inventory_sources": ("started", "success", "error"),
    "organizations": EVENTS,
}


def _relationship(kind: str, event: str) -> str:
    """AWX's name of the many-to-many relation (the model that declares the field)."""
    if kind == "organizations":
        return f"awx.main.models.organization.Organization_notification_templates_{event}"
    return RELATIONSHIP[event]


def _sublist(kind: str, event: str) -> tuple[t.Callable[[Call], t.Any], t.Callable[[Call], t.Any]]:
    field = f"notification_templates_{event}"

    def listing(call: Call) -> dict[str, t.Any]:
        owner = get_object(call, kind)
        ids = set(owner.get(field) or [])
        return list_reply(call, "notification_templates", [n for n in call.store.all("notification_templates") if n["id"] in ids])

    def attach(call: Call) -> Reply:
        owner = get_object(call, kind)
        pk, disassociate = association(call)
        reply = Reply(204, None)
        if pk is None:
            reply = _create_template(call)
            pk = reply.body["id"]
        elif call.store.get("notification_templates", pk) is None:
            raise BadRequest({"detail": "NotificationTemplate matching query does not exist."})
        current = list(owner.get(field) or [])
        if disassociate == (pk in current):
            updated = [i for i in current if i != pk] if disassociate else [*current, pk]
            call.store.update(kind, owner["id"], {field: updated})
            operation = "disassociate" if disassociate else "associate"
            record_association(call, operation, kind, owner["id"], "notification_templates", pk,
                               _relationship(kind, event), association=field)
        return reply

    listing.__doc__ = f"The notification templates one of {kind} sends on {event}."
    attach.__doc__ = f"Attach, detach or create a notification template one of {kind} sends on {event}."
    return listing, attach


def _create_template(call: Call) -> Reply:
    values = apply_write(call, CRUD, None)
    record = stamp(call, {"id": None, **values}, creating=True)
    call.store.insert("notification_templates", record)
    record_activity(call, "create", "notification_templates", record)
    return created(call, "notification_templates", record)


for _kind, _events in OWNER_EVENTS.items():
    for _event in _events:
        _list, _attach = _sublist(_kind, _event)
        handles(f"api_{_kind}_notification_templates_{_event}_list")(_list)
        handles(f"api_{_kind}_notification_templates_{_event}_create")(_attach)


# -- test notifications ---------------------------------------------------------------------
@handles("api_notification_templates_test_create")
def test_notification(call: Call) -> Reply:
    """Queue a test notification (answered ``pending``; delivered right after)."""
    template = get_object(call, "notification_templates")
    if not call.access.can(call.user, CHANGE, "notification_templates", template):
        raise PermissionDenied()
    now = call.clock.now()
    record = call.store.insert("notifications", {
        "id": None, "created": now, "modified": now, "notification_template": template["id"], "error": "",
        "status": "pending", "notifications_sent": 0, "notification_type": template["notification_type"],
        "recipients": recipients(template), "body": {"body": f"Test Notification {template['id']} {BASE_URL}"},
        "unified_job": None,
    })
    Scheduler(call.runtime).schedule(0, "notification_test_deliver", record["id"])
    body = {"notification": record["id"], **serialize_notification(call, record, True)}
    return Reply(202, body, {"Location": f"/api/v2/notifications/{record['id']}/"})



@handles("api_notification_templates_notifications_list")
def template_notifications(call: Call) -> dict[str, t.Any]:
    """The notifications one template has sent (tests included)."""
    template = get_object(call, "notification_templates")
    return list_reply(call, "notifications", call.store.find("notifications", "notification_template", template["id"]))
