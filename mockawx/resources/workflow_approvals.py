"""Workflow approvals: the pending gates of running workflows, approved or denied over HTTP."""

from __future__ import annotations

import typing as t

from ..clock import format_time
from ..errors import BadRequest, PermissionDenied
from ..execution.lifecycle import set_status
from ..store import Record
from ..web.call import Call, Reply
from ._common import base, get_object, list_reply, summary_of, user_summary
from ._jobs import launched_by, status_fields, unified_job_template_summary
from ..model import Model, register
from ._registry import handles

__all__ = ["serialize"]

ALREADY_DECIDED = "This workflow step has already been approved or denied."


def serialize(call: Call, approval: Record, detail: bool) -> dict[str, t.Any]:
    store = call.store
    pk = approval["id"]
    template_id = approval.get("unified_job_template")
    workflow_job = store.get("workflow_jobs", approval.get("_workflow_job"))
    related: dict[str, t.Any] = {}
    if template_id and store.get("workflow_approval_templates", template_id):
        related["unified_job_template"] = f"/api/v2/workflow_approval_templates/{template_id}/"
    if workflow_job is not None:
        related["source_workflow_job"] = f"/api/v2/workflow_jobs/{workflow_job['id']}/"
    if template_id and store.get("workflow_approval_templates", template_id):
        related["workflow_approval_template"] = f"/api/v2/workflow_approval_templates/{template_id}/"
    related["approve"] = f"/api/v2/workflow_approvals/{pk}/approve/"
    related["deny"] = f"/api/v2/workflow_approvals/{pk}/deny/"
    if approval.get("approved_or_denied_by"):
        related["approved_or_denied_by"] = f"/api/v2/users/{approval['approved_or_denied_by']}/"
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
    body = base(call, MODEL, approval, related, summary)
    body["related"].pop("modified_by", None)
    summaries = body["summary_fields"]
    summaries.pop("modified_by", None)
    summaries["user_capabilities"] = call.access.capabilities(call.user, "workflow_approvals", approval, ("delete", "start"))
    if workflow_job is not None:
        source = {**summary_of(store, "workflow_jobs", workflow_job["id"]), **status_fields(call, workflow_job)}
        summaries["source_workflow_job"] = {
            k: source[k] for k in ("id", "name", "description", "status", "failed", "elapsed", "canceled_on")
            if k != "canceled_on" or source[k] is not None
        }
        if detail:
            from ._jobs import root_job

            root = root_job(store, workflow_job)
            summaries["ancestor_job"] = {"id": root["id"], "name": root["name"], "type": "workflow_job", "url": f"/api/v2/workflow_jobs/{root['id']}/"}
    pending = approval["status"] == "pending"
    expires = approval.get("expires") if pending else None
    body.update({
        "name": approval["name"],
        "description": approval.get("description", ""),
        "unified_job_template": template_id,
        "launch_type": approval.get("launch_type", "workflow"),
        "status": approval["status"],
        "execution_environment": None,
    })
    fields = status_fields(call, approval)
    body.update({key: fields[key] for key in ("failed", "started", "finished", "canceled_on", "elapsed")})
    body.update({
        "job_args": "",
        "job_cwd": "",
        "job_env": {},
        "job_explanation": approval.get("job_explanation", ""),
        "result_traceback": "",
        "event_processing_finished": True,
        "launched_by": launched_by(store, approval),
        "work_unit_id": None,
        "can_approve_or_deny": pending and call.access.can(call.user, "approve", "workflow_approvals", approval),
        "approval_expiration": format_time(expires),
        "timed_out": bool(approval.get("timed_out")),
    })
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
    fks={"unified_job_template": "unified_job_templates", "approved_or_denied_by": "users"},
    computed={"failed": lambda store, r: r.get("status") in ("failed", "error", "canceled")},
))


@handles("api_workflow_approvals_list")
def approvals(call: Call) -> dict[str, t.Any]:
    visible = [a for a in call.store.all("workflow_approvals") if call.access.can(call.user, "read", "workflow_approvals", a)]
    return list_reply(call, "workflow_approvals", visible)


@handles("api_workflow_approvals_read")
def approval(call: Call) -> dict[str, t.Any]:
    return serialize(call, get_object(call, "workflow_approvals"), True)


@handles("api_workflow_approvals_delete")
def delete_approval(call: Call) -> Reply:
    record = get_object(call, "workflow_approvals")
    workflow_job = call.store.get("workflow_jobs", record.get("_workflow_job"))
    if workflow_job is not None and workflow_job["status"] in ("new", "pending", "waiting", "running"):
        raise PermissionDenied({"detail": "Cannot delete job resource when associated workflow job is running."})
    call.store.delete("workflow_approvals", record["id"])
    return Reply(204, None)


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
    call.store.update("workflow_approvals", record["id"], {"approved_or_denied_by": call.user["id"] if call.user else None})
    set_status(call.runtime, "workflow_approvals", call.store.get("workflow_approvals", record["id"]) or record, status)
    return Reply(204, None)


@handles("api_workflow_approvals_approve_create")
def approve(call: Call) -> Reply:
    return _decide(call, "successful")


@handles("api_workflow_approvals_deny_create")
def deny(call: Call) -> Reply:
    return _decide(call, "failed")
