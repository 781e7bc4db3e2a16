"""Notification templates, notifications, the templates' notification sub-lists, and sending.

The job engine calls ``notify(runtime, job, event, approval=None)`` when a job starts
(``"started"``), finishes (``"success"`` / ``"error"``) or when one of a workflow's approval nodes
waits or is decided (``"approval_running"``, ``"approval_approved"``, ``"approval_denied"``,
``"approval_timed_out"``; pass the approval record). It records one Notification per attached
template and returns them.
"""

from __future__ import annotations

import typing as t

import ipaddress
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import base64

from ..access import CHANGE
from ..clock import format_time
from ..errors import BadRequest, PermissionDenied
from ..execution.scheduler import Scheduler, action
from ..store import Record
from ..web.call import Call, Reply
from ._common import base, created, get_object, list_reply, named_url, summary_of
from ._crud import Crud, UniqueRule, register_crud
from ._members import association
from ..model import Model, register
from ._registry import handles
from ._unified import find_unified_job
from .activity_stream import record_activity, record_association

__all__ = ["NT_MODEL", "NOTIFICATION_MODEL", "notify", "send", "build_notification"]

EVENTS = ("started", "success", "error", "approvals")
RELATIONSHIP = {
    "started": "awx.main.models.unified_jobs.UnifiedJobTemplate_notification_templates_started",
    "success": "awx.main.models.unified_jobs.UnifiedJobTemplate_notification_templates_success",
    "error": "awx.main.models.unified_jobs.UnifiedJobTemplate_notification_templates_error",
    "approvals": "awx.main.models.workflow.WorkflowJobTemplate_notification_templates_approvals",
}
RECENT = 5
MESSAGE_EVENTS = ("started", "success", "error", "workflow_approval")


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
        "messages": _stored_order(call, record.get("messages")),
    })
    return body


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
    if isinstance(values.get("messages"), dict) or (values.get("messages") is None and existing is None):
        # events left out are stored as null, after the ones given
        given = dict(values.get("messages") or {})
        values["messages"] = {**given, **{e: None for e in MESSAGE_EVENTS if e not in given}}


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
    from ._crud import apply_write
    from ._common import stamp

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
        "recipients": _recipients(template), "body": {"body": f"Test Notification {template['id']} {BASE_URL}"},
        "unified_job": None,
    })
    Scheduler(call.runtime).schedule(0, "notification_test_deliver", record["id"])
    body = {"notification": record["id"], **serialize_notification(call, record, True)}
    return Reply(202, body, {"Location": f"/api/v2/notifications/{record['id']}/"})


@action("notification_test_deliver")
def _deliver_test(runtime: t.Any, notification_id: int) -> None:
    record = runtime.store.get("notifications", notification_id)
    template = runtime.store.get("notification_templates", (record or {}).get("notification_template"))
    if record is None or template is None or record["status"] != "pending":
        return
    status, error = deliver(template["notification_type"], template.get("notification_configuration") or {},
                            record["body"], runtime.settings.version)
    runtime.store.update("notifications", notification_id, {
        "status": status, "error": error, "notifications_sent": 1 if status == "successful" else 0})


@handles("api_notification_templates_notifications_list")
def template_notifications(call: Call) -> dict[str, t.Any]:
    """The notifications one template has sent (tests included)."""
    template = get_object(call, "notification_templates")
    return list_reply(call, "notifications", call.store.find("notifications", "notification_template", template["id"]))


# -- sending ------------------------------------------------------------------------------
def _runtime(context: t.Any) -> t.Any:
    return context.runtime if isinstance(context, Call) else context


def send(context: t.Any, template: Record, body: dict[str, t.Any], job: Record | None = None) -> Record:
    """Record (and for a loopback webhook, deliver) one notification; returns it."""
    runtime = _runtime(context)
    store = runtime.store
    now = runtime.clock.now()
    config = template.get("notification_configuration") or {}
    status, error = deliver(template["notification_type"], config, body, runtime.settings.version)
    record = store.insert("notifications", {
        "id": None, "created": now, "modified": now, "notification_template": template["id"],
        "error": error, "status": status, "notifications_sent": 1 if status == "successful" else 0,
        "notification_type": template["notification_type"], "recipients": _recipients(template), "body": body,
        "unified_job": job["id"] if job else None,
    })
    if job is not None:
        found = find_unified_job(store, job["id"])
        record_association(runtime, "associate", found[0] if found else "workflow_jobs", job["id"], "notifications",
                           record["id"], "awx.main.models.unified_jobs.UnifiedJob_notifications", association="notifications")
    return record


def _recipients(template: Record) -> str:
    config = template.get("notification_configuration") or {}
    for key in ("url", "recipients", "channels", "to_numbers", "targets", "mattermost_url", "rocketchat_url", "grafana_url", "sns_topic_arn"):
        if key in config:
            value = config[key]
            return ",".join(value) if isinstance(value, list) else str(value)
    return ""


def notify(runtime: t.Any, job: Record, event: str, approval: Record | None = None) -> list[Record]:
    """Send every notification a job event calls for; returns the notifications recorded."""
    store = runtime.store
    template_id = job.get("workflow_job_template") or job.get("unified_job_template")
    from ._unified import find_unified_template

    found = find_unified_template(store, template_id)
    if found is None:
        return []
    _, template = found
    field = "notification_templates_approvals" if event.startswith("approval_") else f"notification_templates_{event}"
    ids = list(template.get(field) or [])
    organization = store.get("organizations", template.get("organization"))
    ids += [i for i in (organization or {}).get(field) or [] if i not in ids]
    sent = []
    for pk in ids:
        nt = store.get("notification_templates", pk)
        if nt is not None:
            sent.append(send(runtime, nt, build_notification(store, nt, job, event, approval), job))
    return sent


# -- configuration, messages, bodies, delivery ----------------------------------------------
# Per type: (field, expected JSON type, default or REQUIRED); secrets are answered as $encrypted$.
REQUIRED = object()
CONFIG_FIELDS: dict[str, tuple[tuple[str, type | tuple[type, ...], t.Any], ...]] = {
    "webhook": (("url", str, REQUIRED), ("headers", dict, REQUIRED), ("http_method", str, "POST"),
                ("disable_ssl_verification", bool, False), ("username", str, ""), ("password", str, "")),
    "email": (("host", str, REQUIRED), ("port", int, REQUIRED), ("username", str, ""), ("password", str, ""),
              ("use_tls", bool, False), ("use_ssl", bool, False), ("sender", str, REQUIRED),
              ("recipients", list, REQUIRED), ("timeout", int, 30)),
    "slack": (("token", str, REQUIRED), ("channels", list, REQUIRED), ("hex_color", str, "")),
    "twilio": (("account_sid", str, REQUIRED), ("account_token", str, REQUIRED), ("from_number", str, REQUIRED),
               ("to_numbers", list, REQUIRED)),
    "pagerduty": (("token", str, REQUIRED), ("subdomain", str, REQUIRED), ("service_key", str, REQUIRED),
                  ("client_name", str, REQUIRED)),
    "grafana": (("grafana_url", str, REQUIRED), ("grafana_key", str, REQUIRED), ("dashboardId", int, None),
                ("panelId", int, None), ("annotation_tags", list, None), ("grafana_no_verify_ssl", bool, False)),
    "mattermost": (("mattermost_url", str, REQUIRED), ("mattermost_username", str, ""), ("mattermost_channel", str, ""),
                   ("mattermost_icon_url", str, ""), ("mattermost_no_verify_ssl", bool, False)),
    "rocketchat": (("rocketchat_url", str, REQUIRED), ("rocketchat_username", str, ""), ("rocketchat_icon_url", str, ""),
                   ("rocketchat_no_verify_ssl", bool, False)),
    "irc": (("server", str, REQUIRED), ("port", int, REQUIRED), ("nickname", str, REQUIRED), ("password", str, ""),
            ("use_ssl", bool, False), ("targets", list, REQUIRED)),
    "awssns": (("aws_region", str, REQUIRED), ("aws_access_key_id", str, ""), ("aws_secret_access_key", str, ""),
               ("aws_session_token", str, ""), ("sns_topic_arn", str, REQUIRED)),
}
SECRETS = {"webhook": ("password",), "email": ("password",), "slack": ("token",), "twilio": ("account_token",),
           "pagerduty": ("token",), "grafana": ("grafana_key",), "irc": ("password",),
           "awssns": ("aws_secret_access_key", "aws_session_token")}
ENCRYPTED = "$encrypted$"
JSON_NAMES = {str: "string", int: "int", bool: "bool", list: "list", dict: "object"}


def check_configuration(kind: str, config: dict[str, t.Any], old: dict[str, t.Any]) -> dict[str, t.Any]:
    """AWX's checks of ``notification_configuration``; returns it with defaults filled in."""
    fields = CONFIG_FIELDS.get(kind, ())
    missing = [name for name, _, default in fields if default is REQUIRED and name not in config]
    if missing:
        raise BadRequest({"__all__": [f"Missing required fields for Notification Configuration: {missing}."]})
    for name, expected, _ in fields:
        value = config.get(name)
        if name in SECRETS.get(kind, ()) and value == ENCRYPTED:
            config[name] = old.get(name, "")
        elif value is not None and not (isinstance(value, expected) and not (expected is int and isinstance(value, bool))):
            raise BadRequest({"__all__": [f"Configuration field '{name}' incorrect type, expected {JSON_NAMES[expected]}."]})
    if kind == "webhook" and config.get("http_method", "POST") not in ("POST", "PUT"):
        raise BadRequest({"__all__": ["HTTP method must be either 'POST' or 'PUT'."]})
    for name, _, default in fields:
        if name not in config and default is not REQUIRED and default is not None:
            config[name] = default
    return config


def masked(kind: str, config: dict[str, t.Any]) -> dict[str, t.Any]:
    """The configuration as AWX answers it: secrets that are set read ``$encrypted$``."""
    return {k: ENCRYPTED if k in SECRETS.get(kind, ()) and v else v for k, v in config.items()}


def jsonb_order(value: dict[str, t.Any]) -> dict[str, t.Any]:
    """Keys as PostgreSQL's jsonb returns them (shorter first, then bytewise)."""
    return {k: value[k] for k in sorted(value, key=lambda k: (len(k.encode()), k.encode()))}


TEMPLATE_RE = re.compile(r"\{\{(.*?)\}\}", re.S)
END_OF_PRINT = "unexpected end of template, expected 'end of print statement'."


def render(text: str, context: dict[str, t.Any]) -> str:
    """``{{ dotted.path }}`` substitution (AWX renders Jinja; this covers its message variables)."""
    if text.count("{{") != len(TEMPLATE_RE.findall(text)):
        raise ValueError(END_OF_PRINT)

    def value(match: re.Match[str]) -> str:
        current: t.Any = context
        for part in match.group(1).strip().split("."):
            current = current.get(part) if isinstance(current, dict) else None
        return "" if current is None else (json.dumps(current) if isinstance(current, (dict, list)) else str(current))

    return TEMPLATE_RE.sub(value, text)


def check_messages(kind: str, messages: t.Any) -> list[str]:
    """AWX's 400 texts for custom messages that cannot be rendered."""
    errors: list[str] = []
    if messages is None:
        return errors
    if not isinstance(messages, dict):
        return ["Expected dict for 'messages' field, found " + type(messages).__name__]
    for event, spec in messages.items():
        if event not in ("started", "success", "error", "workflow_approval"):
            errors.append(f"Event '{event}' invalid, must be one of 'started', 'success', 'error', or 'workflow_approval'")
            continue
        parts = spec.items() if event == "workflow_approval" and isinstance(spec, dict) else [(None, spec)]
        for sub, entry in parts:
            for key, text in (entry or {}).items() if isinstance(entry, dict) else ():
                try:
                    render(str(text), {})
                except ValueError as exc:
                    errors.append(f"Unable to render message '{text}': {exc}")
                    if kind == "webhook" and key == "body":
                        name = f"{event}.{sub}" if sub else event
                        errors.append(f"Webhook body for '{name}' is not valid. The following gave an error ({exc}).")
    return errors


BASE_URL = "https://towerhost"
APPROVAL_TEXT = {
    "approval_running": 'The approval node "{name}" needs review. This node can be viewed at: {url}',
    "approval_approved": 'The approval node "{name}" was approved. {url}',
    "approval_denied": 'The approval node "{name}" was denied. {url}',
    "approval_timed_out": 'The approval node "{name}" has timed out. {url}',
}


def _job_url(kind: str, pk: int) -> str:
    path = {"workflow_jobs": "workflow", "jobs": "playbook", "project_updates": "project",
            "inventory_updates": "inventory", "system_jobs": "system"}.get(kind, "playbook")
    return f"{BASE_URL}/#/jobs/{path}/{pk}"


def _iso(value: t.Any) -> str | None:
    return value.isoformat() if value is not None else None


def _summary_text(store: t.Any, job: Record) -> str:
    lines = []
    for node in sorted(store.find("workflow_job_nodes", "workflow_job", job["id"]), key=lambda n: n["id"]):
        spawned = find_unified_job(store, node.get("job"))
        if spawned is None:
            lines.append(f"- node #{node['id']} spawns no job.")
        else:
            child = spawned[1]
            lines.append(f"- node #{node['id']} spawns job #{child['id']}, \"{child.get('name')}\", which finished with status {child.get('status')}.")
    return "Workflow job summary:\n\n" + "\n".join(lines)


def job_metadata(store: t.Any, job: Record, event: str) -> dict[str, t.Any]:
    """What AWX sends about a job: a started notification still says running with no times."""
    found = find_unified_job(store, job["id"])
    kind = found[0] if found else "jobs"
    creator = store.get("users", job.get("created_by"))
    inventory = store.get("inventories", job.get("inventory"))
    started = event == "started"
    data: dict[str, t.Any] = {
        "id": job["id"], "name": job.get("name"), "url": _job_url(kind, job["id"]),
        "created_by": creator["username"] if creator else None,
        "started": None if started else _iso(job.get("started")),
        "finished": None if started else _iso(job.get("finished")),
        "status": "running" if started else job.get("status"), "traceback": job.get("result_traceback") or "",
    }
    if kind == "workflow_jobs":
        data["body"] = _summary_text(store, job)
    data.update({"inventory": inventory["name"] if inventory else None, "limit": job.get("limit"),
                 "extra_vars": job.get("extra_vars") if isinstance(job.get("extra_vars"), str) else json.dumps(job.get("extra_vars") or {})})
    return data


def build_notification(store: t.Any, template: Record, job: Record, event: str, approval: Record | None = None) -> dict[str, t.Any]:
    """The body AWX sends for a job event (custom messages rendered where the template has them)."""
    messages = template.get("messages") or {}
    workflow_url = _job_url("workflow_jobs", job["id"])
    if event.startswith("approval_"):
        name = (approval or {}).get("name", "")
        custom = ((messages.get("workflow_approval") or {}).get(event.removeprefix("approval_")) or {}).get("body")
        context = {"approval_node_name": name, "workflow_url": workflow_url, "approval_status": event.removeprefix("approval_"), "job": {"id": job["id"], "name": job.get("name")}}
        default = {"body": APPROVAL_TEXT[event].format(name=name, url=workflow_url)}
    else:
        data = job_metadata(store, job, event)
        custom = (messages.get(event) or {}).get("body")
        context = {"job": data, "job_metadata": json.dumps(data), "url": data["url"]}
        default = data
    if not custom or template["notification_type"] != "webhook":
        return default
    text = render(custom, context)
    try:
        parsed = json.loads(text)
    except json.JSONDecodeError:
        return {"body": text}
    return parsed if isinstance(parsed, dict) else {"body": text}


def _loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback and ipaddress.ip_address(host).version == 4
    except ValueError:
        return False


def deliver(kind: str, config: dict[str, t.Any], body: dict[str, t.Any], version: str) -> tuple[str, str]:
    """``(status, error)``: a webhook to loopback is really sent (2 s timeout); anything else is simulated."""
    url = str(config.get("url", ""))
    if kind != "webhook" or not _loopback(url):
        return "successful", ""
    headers = {"User-Agent": f"AWX {version} (open)", "Content-Type": "application/json", **(config.get("headers") or {})}
    if config.get("username") or config.get("password"):
        token = base64.b64encode(f"{config.get('username', '')}:{config.get('password', '')}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method=config.get("http_method", "POST"))
    try:
        with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback only
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, OSError) as exc:
        parts = urllib.parse.urlsplit(url)
        reason = getattr(exc, "reason", exc)
        return "failed", (
            f"HTTPConnectionPool(host='{parts.hostname}', port={parts.port or 80}): Max retries exceeded with url: "
            f"{parts.path or '/'} (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at "
            f"0x7f0000000000>: Failed to establish a new connection: {reason}'))"
        )
    if status >= 400:
        return "failed", f"Error sending webhook notification: {status}"
    return "successful", ""
