"""Inbound webhooks: GitHub, GitLab and Bitbucket Data Center launching a template, no login."""

from __future__ import annotations

import hashlib
import hmac
import json
import typing as t
import urllib.parse

from ..errors import PermissionDenied
from ..execution.workflows import launch_workflow
from ..store import Record
from ..web.call import Call, Reply
from ._registry import handle
from ._vars import parse_vars
from .activity_stream import record_workflow_job_create

__all__ = ["event_details"]

NULL_SHA = "0" * 40
BITBUCKET_EVENTS = ("repo:refs_changed", "repo:modified", "pr:opened", "pr:from_ref_updated", "pr:merged", "pr:modified")


def _github(call: Call, key: str, body: bytes, payload: dict[str, t.Any]) -> tuple[str, str, str | None, str | None]:
    header = call.request.headers.get("X-Hub-Signature", "")
    algorithm, _, signature = header.partition("=")
    expected = hmac.new(key.encode(), body, hashlib.sha1).hexdigest()
    if algorithm != "sha1" or not hmac.compare_digest(signature, expected):
        raise PermissionDenied()
    event = call.request.headers.get("X-GitHub-Event", "")
    guid = call.request.headers.get("X-GitHub-Delivery", "")
    refs = {
        "pull_request": lambda: payload["pull_request"]["head"]["sha"],
        "pull_request_review": lambda: payload["pull_request"]["head"]["sha"],
        "pull_request_review_comment": lambda: payload["pull_request"]["head"]["sha"],
        "push": lambda: payload["after"],
        "release": lambda: payload["release"]["tag_name"],
        "create": lambda: payload["ref"],
        "delete": lambda: payload["ref"],
        "commit_comment": lambda: payload["comment"]["commit_id"],
    }
    status_api = _dig(payload, "pull_request", "statuses_url") if event == "pull_request" else None
    return event, guid, _safe(refs.get(event)), status_api


def _gitlab(call: Call, key: str, body: bytes, payload: dict[str, t.Any]) -> tuple[str, str, str | None, str | None]:
    token = call.request.headers.get("X-Gitlab-Token", "")
    if not hmac.compare_digest(token.encode(), key.encode()):
        raise PermissionDenied()
    event = call.request.headers.get("X-Gitlab-Event", "")
    refs = {
        "Push Hook": lambda: payload["checkout_sha"],
        "Tag Push Hook": lambda: payload["checkout_sha"],
        "Merge Request Hook": lambda: payload["object_attributes"]["last_commit"]["id"],
    }
    ref = _safe(refs.get(event))
    if ref == NULL_SHA:
        ref = None
    status_api = None
    web_url = _dig(payload, "project", "web_url")
    project_id = _dig(payload, "project", "id")
    if event in refs and web_url:
        parts = urllib.parse.urlsplit(str(web_url))
        status_api = f"{parts.scheme}://{parts.netloc}/api/v4/projects/{project_id}/statuses/{ref}"
    return event, hashlib.sha1(body).hexdigest(), ref, status_api


def _bitbucket_dc(call: Call, key: str, body: bytes, payload: dict[str, t.Any]) -> tuple[str, str, str | None, str | None]:
    event = call.request.headers.get("X-Event-Key", "")
    guid = call.request.headers.get("X-Request-Id", "")
    if event == "diagnostics:ping":
        return event, guid, None, None
    algorithm, _, signature = call.request.headers.get("X-Hub-Signature", "").partition("=")
    digest = {"sha256": hashlib.sha256, "sha1": hashlib.sha1}.get(algorithm)
    if digest is None or not hmac.compare_digest(signature, hmac.new(key.encode(), body, digest).hexdigest()):
        raise PermissionDenied()
    ref = _safe(lambda: payload["changes"][0]["toHash"]) if event.startswith("repo:") else _safe(lambda: payload["pullRequest"]["fromRef"]["latestCommit"])
    return event, guid, ref, None


SERVICES: dict[str, t.Callable[[Call, str, bytes, dict[str, t.Any]], tuple[str, str, str | None, str | None]]] = {
    "github": _github,
    "gitlab": _gitlab,
    "bitbucket_dc": _bitbucket_dc,
}


def _dig(payload: t.Any, *keys: str) -> t.Any:
    for key in keys:
        if not isinstance(payload, dict):
            return None
        payload = payload.get(key)
    return payload


def _safe(getter: t.Callable[[], t.Any] | None) -> str | None:
    if getter is None:
        return None
    try:
        value = getter()
    except (KeyError, IndexError, TypeError):
        return None
    return None if value is None else str(value)


def event_details(event: str, guid: str, ref: str | None, status_api: str | None, payload: t.Any) -> dict[str, t.Any]:
    """The extra variables a webhook adds, under both ``awx_`` and ``tower_`` names."""
    details = {"webhook_event_type": event, "webhook_event_guid": guid, "webhook_event_ref": ref, "webhook_status_api": status_api, "webhook_payload": payload}
    return {**{f"awx_{k}": v for k, v in details.items()}, **{f"tower_{k}": v for k, v in details.items()}}


def _receiver(service: str) -> t.Callable[[Call], Reply]:
    def receive(call: Call) -> Reply:
        raw = call.params.get("id", "")
        template = call.store.get("workflow_job_templates", int(raw)) if raw.isdigit() else None
        if template is None or (template.get("webhook_service") or "") != service or not template.get("webhook_key"):
            raise PermissionDenied()
        body = call.request.get_data(cache=True)
        try:
            payload = json.loads(body.decode("utf-8")) if body.strip() else {}
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise PermissionDenied() from None
        event, guid, ref, status_api = SERVICES[service](call, template["webhook_key"], body, payload if isinstance(payload, dict) else {})
        if service == "bitbucket_dc" and event not in BITBUCKET_EVENTS:
            return Reply(200, {"message": "Webhook ignored"})
        if _seen(call, template, service, guid):
            return Reply(202, {"message": "Webhook previously received, aborting."})
        _launch(call, template, service, guid, event_details(event, guid, ref, status_api, payload))
        return Reply(202, {"message": "Job queued."})

    return receive


def _seen(call: Call, template: Record, service: str, guid: str) -> bool:
    return any(
        job.get("webhook_service") == service and job.get("webhook_guid") == guid
        for job in call.store.find("workflow_jobs", "workflow_job_template", template["id"])
    )


def _launch(call: Call, template: Record, service: str, guid: str, details: dict[str, t.Any]) -> None:
    variables = {**parse_vars(template.get("extra_vars")), **details}
    job = launch_workflow(call.runtime, template, {
        "launch_type": "webhook",
        "extra_vars": json.dumps(variables),
        "webhook_service": service,
        "webhook_credential": template.get("webhook_credential"),
        "webhook_guid": guid,
        "inventory": template.get("inventory"),
        **{prompt: template.get(prompt) for prompt in ("limit", "scm_branch", "job_tags", "skip_tags")},
        "labels": list(template.get("labels", [])),
    }, None)
    record_workflow_job_create(call.runtime, job)  # the receiver has no user: the entry has no actor


for _service in SERVICES:
    handle(f"api_workflow_job_templates_{_service}_create", _receiver(_service))
