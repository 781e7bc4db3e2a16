"""Workflow approvals: the pending gates of running workflows, approved or denied over HTTP."""

from __future__ import annotations

import typing as t

from ..clock import format_time
from ..errors import BadRequest, PermissionDenied
from ..execution.lifecycle import FAILED, set_status
from ..store import Record
from ..web.call import Call, Reply
from ._common import base, get_object, summary_of, user_summary
from ._jobs import ancestor_summary, launched_by, source_summary, status_fields, unified_job_template_summary
from ..model import Model, register
from ._registry import handles
from .activity_stream import record_activity
from .jobs import delete_run, readable_list

__all__ = ["serialize"]

ALREADY_DECIDED = "This workflow step has already been approved or denied."


def _approval_related(store: t.Any, approval: Record, workflow_job: Record | None) -> dict[str, t.Any]:
    pk = approval["id"]
    template_id = approval.get("unified_job_template")
    template_exists = bool(template_id and store.get("workflow_approval_templates", template_id))
    related: dict[str, t.Any] = {}
    if template_exists:
        related["unified_job_template"] = f"/api/v2/workflow_approval_templates/{template_id}/"
    if workflow_job is not None:
        related["source_workflow_job"] = f"/api/v2/workflow_jobs/{workflow_job['id']}/"
    if template_exists:
        related["workflow_approval_template"] = f"/api/v2/workflow_approval_templates/{template_id}/"
    related["approve"] = f"/api/v2/workflow_approvals/{pk}/approve/"
    related["deny"] = f"/api/v2/workflow_approvals/{pk}/deny/"
    if approval.get("approved_or_denied_by"):
        related["approved_or_denied_by"] = f"/api/v2/users/{approval['approved_or_denied_by']}/"
    return related


def _approval_summary(store: t.Any, approval: Record, workflow_job: Record | None) -> dict[str, t.Any]:
    template_id = approval.get("unified_job_template")
    summary: dict[str, t.Any] = {}
    if workflow_job is not None:
        summary["workflow_job_template"] = summary_of(store, "workflow_job_templates", workflow_job.get("workflow_job_template"))
        summary["workflow_job"] = summary_of(store, "workflow_jobs", workflow_job["id"])
    template = summary_of(store, "workflow_approval_templates", template_id)
    if template is not None:
        template["timeout"] = (store.get("workflow_approval_templates", template_id) or {}).get("timeout", 0)
        summary["workflow_approval_template"] = template
    summary["unified_job_template"] = unified_job_template_summary(store, template_id)
    summary["approved_or_denied_by"] = user_summary(store, approval.get("approved_or_denied_by"))
    return summary


def _approval_fields(call: Call, approval: Record) -> dict[str, t.Any]:
    pending = approval["status"] == "pending"
    status = status_fields(call, approval)
    return {
        "name": approval["name"],
        "description": approval.get("description", ""),
        "unified_job_template": approval.get("unified_job_template"),
        "launch_type": approval.get("launch_type", "workflow"),
        "status": approval["status"],
        "execution_environment": None,
        **{key: status[key] for key in ("failed", "started", "finished", "canceled_on", "elapsed")},
        "job_args": "",
        "job_cwd": "",
        "job_env": {},
        "job_explanation": approval.get("job_explanation", ""),
        "result_traceback": "",
        "event_processing_finished": True,
        "launched_by": launched_by(call.store, approval),
        "work_unit_id": None,
        "can_approve_or_deny": pending and call.access.can(call.user, "approve", "workflow_approvals", approval),
        "approval_expiration": format_time(approval.get("expires") if pending else None),
        "timed_out": bool(approval.get("timed_out")),
    }


def serialize(call: Call, approval: Record, detail: bool) -> dict[str, t.Any]:
    """An approval as AWX shows it: the unified job fields plus the approval's own."""
    store = call.store
    workflow_job = store.get("workflow_jobs", approval.get("_workflow_job"))
    body = base(call, MODEL, approval, _approval_related(store, approval, workflow_job), _approval_summary(store, approval, workflow_job))
    body["related"].pop("modified_by", None)
    summaries = body["summary_fields"]
    summaries.pop("modified_by", None)
    summaries["user_capabilities"] = call.access.capabilities(call.user, "workflow_approvals", approval, ("delete", "start"))
    if workflow_job is not None:
        summaries["source_workflow_job"] = source_summary(call, workflow_job, with_type=False)
        if detail:
            summaries["ancestor_job"] = ancestor_summary(store, workflow_job)
    body.update(_approval_fields(call, approval))
    if not detail:
        for key in ("job_args", "job_cwd", "job_env", "result_traceback", "event_processing_finished"):
            body.pop(key)
    return body


MODEL = register(Model(
    kind="workflow_approvals",
    type="workflow_approval",
    name="WorkflowApproval",
    serializer=serialize,
    fields=("name", "description", "unified_job_template", "launch_type", "status", "failed", "started", "finished",
            "canceled_on", "elapsed", "job_explanation", "timed_out", "approved_or_denied_by"),
    fks={"unified_job_template": "unified_job_templates", "approved_or_denied_by": "users",
         "workflow_approval_template": "workflow_approval_templates"},
    computed={
        "failed": lambda store, r: r.get("status") in FAILED,
        # an approval's template is its unified job template, reachable by AWX's name for it
        "workflow_approval_template": lambda store, r: r.get("unified_job_template"),
    },
))


@handles("api_workflow_approvals_list")
def approvals(call: Call) -> dict[str, t.Any]:
    return readable_list(call, "workflow_approvals")


@handles("api_workflow_approvals_read")
def approval(call: Call) -> dict[str, t.Any]:
    return serialize(call, get_object(call, "workflow_approvals"), True)


@handles("api_workflow_approvals_delete")
def delete_approval(call: Call) -> Reply:
    return delete_run(call, "workflow_approvals", refuse_active=False)


@handles("api_workflow_approvals_approve_read", "api_workflow_approvals_deny_read")
def decision_info(call: Call) -> dict[str, t.Any]:
    record = get_object(call, "workflow_approvals")
    return {"job_explanation": record.get("job_explanation", "")}


def _decide(call: Call, status: str) -> Reply:
    record = get_object(call, "workflow_approvals")
    if not call.access.can(call.user, "approve", "workflow_approvals", record):
        raise PermissionDenied()
    if record["status"] != "pending":
        raise BadRequest({"error": ALREADY_DECIDED})
    before = record["status"]
    call.store.update("workflow_approvals", record["id"], {"approved_or_denied_by": call.user["id"] if call.user else None})
    set_status(call.runtime, "workflow_approvals", call.store.get("workflow_approvals", record["id"]) or record, status)
    record_activity(call, "update", "workflow_approvals", record, {"status": [before, status]})
    return Reply(204, None)


@handles("api_workflow_approvals_approve_create")
def approve(call: Call) -> Reply:
    return _decide(call, "successful")


@handles("api_workflow_approvals_deny_create")
def deny(call: Call) -> Reply:
    return _decide(call, "failed")
