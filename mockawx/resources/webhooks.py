"""Webhook keys of templates: read and rotate (``/webhook_key/``)."""

from __future__ import annotations

import typing as t

from ..access import ADMIN
from ..errors import PermissionDenied
from ..store import Record
from ..web.call import Call, Reply
from ._common import get_object
from ._registry import handle
from .access import allowed

__all__ = ["KEY_LENGTH", "register_webhook_key"]

KEY_LENGTH = 50


def _template(call: Call, kind: str) -> Record:
    """The template, if the caller administers it (reading the key needs admin too)."""
    template = get_object(call, kind)
    if not allowed(call, ADMIN, kind, template):
        raise PermissionDenied()
    return template


def register_webhook_key(kind: str, operation_prefix: str) -> None:
    """GET shows the key (``""`` when none); POST rotates it, even without a service, and answers 201."""

    def read(call: Call) -> dict[str, t.Any]:
        return {"webhook_key": _template(call, kind).get("webhook_key") or ""}

    def rotate(call: Call) -> Reply:
        template = _template(call, kind)
        key = call.runtime.new_key(KEY_LENGTH)
        call.store.update(kind, template["id"], {"webhook_key": key})
        return Reply(201, {"webhook_key": key})

    handle(f"{operation_prefix}_webhook_key_list", read)
    handle(f"{operation_prefix}_webhook_key_create", rotate)


register_webhook_key("workflow_job_templates", "api_workflow_job_templates")
