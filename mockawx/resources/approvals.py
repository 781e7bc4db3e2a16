"""Workflow approval templates: made by a node's create_approval_template, detail views, their approvals."""

from __future__ import annotations

import typing as t

from ..clock import format_time
from ..errors import PermissionDenied
from ..store import Record
from ..web.call import Call, Reply
from ._common import base, check_foreign_keys, get_object, list_reply, stamp, summary_of
from ..model import Model, register
from .activity_stream import changed_fields, record_activity
from ._registry import handles
from ._cascade import refuse_while_active
from ._unified import FAILED, current_job, jobs_of_template, job_summary, last_job, template_status
from .workflow_nodes import KIND as NODE_KIND
from .workflow_nodes import node_of_call, require_wfjt_admin

__all__ = ["MODEL", "serialize", "node_of_template"]

KIND = "workflow_approval_templates"
SCHEMA = "WorkflowApprovalTemplateWrite"


def node_of_template(call: Call, template_id: int) -> Record | None:
    """The template node whose job template this approval template is (nodes never share one)."""
    for node in call.store.all(NODE_KIND):
        if node.get("unified_job_template") == template_id:
            return node
    return None


def _related(record: Record, current: Record | None) -> dict[str, t.Any]:
    links: dict[str, t.Any] = {}
    if current is not None:
        links["current_job"] = f"/api/v2/workflow_approvals/{current['id']}/"
    links["jobs"] = f"/api/v2/{KIND}/{record['id']}/approvals/"
    return links


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    """AWX's approval template body; the workflow template's summary comes before created_by."""
    store = call.store
    pk = record["id"]
    last = last_job(store, KIND, pk)
    current = current_job(store, KIND, pk)
    node = node_of_template(call, pk)
    summary: dict[str, t.Any] = {}
    if last is not None:
        summary["last_job"] = job_summary(last, ("id", "name", "description", "finished", "status", "failed", "canceled_on"))
    if current is not None:
        summary["current_job"] = job_summary(current, ("id", "name", "description", "status", "failed"))
    body = base(call, MODEL, record, _related(record, current), summary)
    workflow = summary_of(store, "workflow_job_templates", node["workflow_job_template"]) if node else None
    if workflow is not None:
        body["summary_fields"] = {"workflow_job_template": workflow, **body["summary_fields"]}
    body.update({
        "name": record["name"],
        "description": record.get("description") or "",
        "last_job_run": format_time(last["finished"]) if last else None,
        "last_job_failed": bool(last and last.get("status") in FAILED),
        "next_job_run": None,
        "status": template_status(store, KIND, record),
        "execution_environment": record.get("execution_environment"),
        "timeout": record.get("timeout", 0),
    })
    return body


MODEL = register(Model(
    kind=KIND,
    type="workflow_approval_template",
    name="WorkflowApprovalTemplate",
    serializer=serialize,
    fields=("name", "description", "timeout", "status", "last_job_run", "last_job_failed", "next_job_run"),
    fks={"execution_environment": "execution_environments"},
    computed={"status": lambda store, r: template_status(store, KIND, r)},
))


def _admin_of(call: Call, record: Record) -> None:
    node = node_of_template(call, record["id"])
    if node is None:
        if not call.is_superuser:
            raise PermissionDenied()
        return
    require_wfjt_admin(call, node["workflow_job_template"])


def _write(call: Call, *, partial: bool) -> dict[str, t.Any]:
    cleaned = call.validated(SCHEMA, partial=partial)
    check_foreign_keys(call, SCHEMA, cleaned)
    if cleaned.get("description") is None and "description" in cleaned:
        cleaned["description"] = ""
    return cleaned


@handles("api_workflow_job_template_nodes_create_approval_template_read")
def create_approval_template_get(call: Call) -> dict[str, t.Any]:
    node_of_call(call)
    return {}


@handles("api_workflow_job_template_nodes_create_approval_template_create")
def create_approval_template(call: Call) -> Reply:
    """Make a new approval template the node's template; a previous one is deleted (201, no Location)."""
    node = node_of_call(call)
    require_wfjt_admin(call, node["workflow_job_template"])
    cleaned = _write(call, partial=False)
    record = stamp(call, {
        "id": None, "description": "", "timeout": 0, "execution_environment": None, **cleaned,
    }, creating=True)
    call.store.insert(KIND, record)
    previous = node.get("unified_job_template")
    # AWX's node also takes the approval's timeout, and records both in one update entry
    changes = changed_fields(node, {"timeout": record["timeout"], "unified_job_template": record["id"]}, NODE_KIND, call.store)
    updated = call.store.update(NODE_KIND, node["id"], {"unified_job_template": record["id"]})
    record_activity(call, "update", NODE_KIND, updated, changes)
    if previous is not None and call.store.get(KIND, previous) is not None:
        call.store.delete(KIND, previous)
    return Reply(201, serialize(call, record, True))


@handles("api_workflow_approval_templates_read")
def approval_template_read(call: Call) -> dict[str, t.Any]:
    return serialize(call, get_object(call, KIND), True)


@handles("api_workflow_approval_templates_update", "api_workflow_approval_templates_partial_update")
def approval_template_update(call: Call) -> dict[str, t.Any]:
    record = get_object(call, KIND)
    _admin_of(call, record)
    cleaned = _write(call, partial=call.method == "PATCH")
    updated = call.store.update(KIND, record["id"], stamp(call, cleaned, creating=False))
    return serialize(call, updated, True)


@handles("api_workflow_approval_templates_delete")
def approval_template_delete(call: Call) -> Reply:
    record = get_object(call, KIND)
    _admin_of(call, record)
    refuse_while_active(call, KIND, record)
    node = node_of_template(call, record["id"])
    if node is not None:
        # the node's foreign key is set null, as AWX's on_delete does
        call.store.update(NODE_KIND, node["id"], {"unified_job_template": None})
    call.store.delete(KIND, record["id"])
    return Reply(204, None)


@handles("api_workflow_approval_templates_approvals_list")
def approval_template_approvals(call: Call) -> dict[str, t.Any]:
    record = get_object(call, KIND)
    return list_reply(call, "workflow_approvals", jobs_of_template(call.store, KIND, record["id"]))
