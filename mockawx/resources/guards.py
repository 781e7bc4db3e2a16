"""Permission checks AWX makes before a view runs, for the workflow resources.

AWX looks the object up (404 when missing), then asks whether the caller may act on it: an existing object the
caller cannot read is a 403, not a 404, and lists simply leave out what the caller cannot read. The checks are
laid over the registered handlers so every view of a kind answers alike, whoever wrote it.
"""

from __future__ import annotations

import typing as t

from ..access import ADMIN, CHANGE, DELETE, EXECUTE, READ
from ..errors import PermissionDenied
from ..store import Record
from ..web.call import Call
from ._common import get_object, list_reply
from ._registry import HANDLERS

__all__ = ["install_guards"]

WFJT = "workflow_job_templates"
# The receivers authenticate with the template's webhook key, not with a user.
RECEIVERS = frozenset(f"api_workflow_job_templates_{service}_create" for service in ("github", "gitlab", "bitbucket_dc"))
# Actions beyond reading the parent, per operation (the handlers check copy, nodes, surveys, keys and schedules).
ACTIONS: dict[str, tuple[str, str]] = {
    "api_workflow_job_templates_update": (WFJT, CHANGE),
    "api_workflow_job_templates_partial_update": (WFJT, CHANGE),
    "api_workflow_job_templates_delete": (WFJT, DELETE),
    "api_workflow_job_templates_launch_create": (WFJT, EXECUTE),
    "api_workflow_job_templates_labels_create": (WFJT, CHANGE),
    **{f"api_workflow_job_templates_notification_templates_{event}_create": (WFJT, ADMIN)
       for event in ("started", "success", "error", "approvals")},
    "api_workflow_jobs_cancel_create": ("workflow_jobs", CHANGE),
    "api_workflow_jobs_relaunch_create": ("workflow_jobs", EXECUTE),
    "api_workflow_jobs_delete": ("workflow_jobs", DELETE),
    "api_workflow_approvals_delete": ("workflow_approvals", DELETE),
}
# Kinds whose detail and sub-resources need read access to the object in the path.
GUARDED_PREFIXES = {"api_workflow_job_templates_": WFJT, "api_workflow_jobs_": "workflow_jobs",
                    "api_workflow_approvals_": "workflow_approvals"}
Handler = t.Callable[[Call], t.Any]


def _check(kind: str, action: str | None) -> t.Callable[[Call], None]:
    def check(call: Call) -> None:
        if call.user is None or call.user.get("is_superuser") or "id" not in call.params:
            return
        record: Record = get_object(call, kind)
        if not call.access.can(call.user, READ, kind, record):
            raise PermissionDenied()
        if action is not None and not call.access.can(call.user, action, kind, record):
            raise PermissionDenied()

    return check


def _guarded(handler: Handler, check: t.Callable[[Call], None]) -> Handler:
    def guarded(call: Call) -> t.Any:
        check(call)
        return handler(call)

    guarded.__doc__ = handler.__doc__
    return guarded


def _readable_list(kind: str) -> Handler:
    def listing(call: Call) -> dict[str, t.Any]:
        return list_reply(call, kind, [r for r in call.store.all(kind) if call.access.can(call.user, READ, kind, r)])

    return listing


def install_guards() -> None:
    """Wrap the handlers of the guarded kinds' operations on one object; filter the template list."""
    for operation_id in list(HANDLERS):
        if operation_id in RECEIVERS:
            continue
        kind = next((k for prefix, k in GUARDED_PREFIXES.items() if operation_id.startswith(prefix)), None)
        if kind is None:
            continue
        action = ACTIONS.get(operation_id, (kind, None))[1]
        HANDLERS[operation_id] = _guarded(HANDLERS[operation_id], _check(kind, action))
    HANDLERS["api_workflow_job_templates_list"] = _readable_list(WFJT)
