"""Notification configuration checks, custom message rendering, and the bodies AWX sends about jobs."""

from __future__ import annotations

import json
import re
import typing as t

from ..errors import BadRequest
from ..store import Record
from ._unified import find_unified_job

__all__ = ["MESSAGE_EVENTS", "BASE_URL", "check_configuration", "masked", "jsonb_order", "render", "check_messages",
           "job_metadata", "build_notification"]

MESSAGE_EVENTS = ("started", "success", "error", "workflow_approval")
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
        if event not in MESSAGE_EVENTS:
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
