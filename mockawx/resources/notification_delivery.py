"""Sending notifications: recording them, and delivering a webhook to loopback for real.

The job engine calls ``notify(runtime, job, event, approval=None)`` when a job starts
(``"started"``), finishes (``"success"`` / ``"error"``) or when one of a workflow's approval nodes
waits or is decided (``"approval_running"``, ``"approval_approved"``, ``"approval_denied"``,
``"approval_timed_out"``; pass the approval record). It records one Notification per attached
template and returns them.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import typing as t
import urllib.error
import urllib.parse
import urllib.request

from ..execution.scheduler import action
from ..store import Record
from ..web.call import Call
from ._unified import find_unified_job, find_unified_template
from .activity_stream import record_association
from .notification_bodies import build_notification

__all__ = ["notify", "send", "deliver", "recipients"]


def _runtime(context: t.Any) -> t.Any:
    return context.runtime if isinstance(context, Call) else context


def send(context: t.Any, template: Record, body: dict[str, t.Any], job: Record | None = None, *, approval: Record | None = None) -> Record:
    """Record (and for a loopback webhook, deliver) one notification; returns it.

    AWX's activity stream associates an approval's notification with the approval, not its workflow job.
    """
    runtime = _runtime(context)
    store = runtime.store
    now = runtime.clock.now()
    config = template.get("notification_configuration") or {}
    status, error = deliver(template["notification_type"], config, body, runtime.settings.version)
    record = store.insert("notifications", {
        "id": None, "created": now, "modified": now, "notification_template": template["id"],
        "error": error, "status": status, "notifications_sent": 1 if status == "successful" else 0,
        "notification_type": template["notification_type"], "recipients": recipients(template), "body": body,
        "unified_job": job["id"] if job else None,
    })
    subject = approval or job
    if subject is not None:
        found = find_unified_job(store, subject["id"])
        record_association(runtime, "associate", found[0] if found else "workflow_jobs", subject["id"], "notifications",
                           record["id"], "awx.main.models.unified_jobs.UnifiedJob_notifications", association="notifications")
    return record


def recipients(template: Record) -> str:
    """The notification's ``recipients`` text: the first address-like setting of the template's configuration."""
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
    found = find_unified_template(store, template_id)
    if found is None:
        return []
    _, template = found
    field = "notification_templates_approvals" if event.startswith("approval_") else f"notification_templates_{event}"
    ids = list(template.get(field) or [])
    organization = store.get("organizations", template.get("organization"))
    ids += [i for i in (organization or {}).get(field) or [] if i not in ids]
    sent = []
    for pk in sorted(ids):  # AWX sends in the templates' id order, whatever order they were attached in
        nt = store.get("notification_templates", pk)
        if nt is not None:
            sent.append(send(runtime, nt, build_notification(store, nt, job, event, approval), job, approval=approval))
    return sent


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
