"""Workflow jobs and their nodes: lists, detail, delete, cancel, relaunch."""

from __future__ import annotations

import typing as t

from ..errors import MethodNotAllowed, PermissionDenied
from ..execution.lifecycle import ACTIVE, FAILED, cancel_job
from ..execution.spawn import find_job
from ..execution.workflows import NODE_PROMPTS, launch_workflow, relaunch_orphan
from ..store import Record
from ..web.call import Call, Reply
from ._common import base, get_object, list_reply, summary_of
from .inventories import inventory_summary
from ._jobs import (
    ancestor_summary,
    job_node_summary,
    launched_by,
    source_summary,
    status_fields,
    template_url,
    unified_job_template_summary,
)
from .jobs import delete_run, readable_list
from .labels import label_summary
from ..model import Model, register
from ._registry import handles
from .workflow_job_templates import CHAR_PROMPTS

__all__ = ["serialize_workflow_job", "serialize_job_node"]

DETAIL_ONLY = ("job_args", "job_cwd", "job_env", "result_traceback")


def _job_related(call: Call, job: Record, template: Record | None) -> dict[str, t.Any]:
    pk = job["id"]
    related: dict[str, t.Any] = {}
    if job.get("unified_job_template"):
        related["unified_job_template"] = template_url(call.store, job["unified_job_template"])
    if job.get("schedule"):
        related["schedule"] = f"/api/v2/schedules/{job['schedule']}/"
    if job.get("source_workflow_job"):
        related["source_workflow_job"] = f"/api/v2/workflow_jobs/{job['source_workflow_job']}/"
    if template is not None:
        related["workflow_job_template"] = f"/api/v2/workflow_job_templates/{template['id']}/"
        related["notifications"] = f"/api/v2/workflow_jobs/{pk}/notifications/"
    for name in ("workflow_nodes", "labels", "activity_stream", "relaunch", "cancel"):
        related[name] = f"/api/v2/workflow_jobs/{pk}/{name}/"
    return related


def _job_summary(call: Call, job: Record, template: Record | None, source: Record | None) -> dict[str, t.Any]:
    store = call.store
    summary: dict[str, t.Any] = {}
    if template is not None:
        summary["organization"] = summary_of(store, "organizations", template.get("organization"))
    summary["inventory"] = inventory_summary(call, job.get("inventory"))
    summary["workflow_job_template"] = summary_of(store, "workflow_job_templates", job.get("workflow_job_template"))
    summary["unified_job_template"] = unified_job_template_summary(store, job.get("unified_job_template"))
    summary["schedule"] = summary_of(store, "schedules", job.get("schedule"))
    if source is not None:
        summary["source_workflow_job"] = source_summary(call, source)
    return summary


def _job_fields(call: Call, job: Record) -> dict[str, t.Any]:
    return {
        "name": job["name"],
        "description": job.get("description", ""),
        "unified_job_template": job.get("unified_job_template"),
        "launch_type": job.get("launch_type", "manual"),
        **status_fields(call, job),
        "job_args": "",
        "job_cwd": "",
        "job_env": {},
        "job_explanation": job.get("job_explanation", ""),
        "result_traceback": job.get("result_traceback", ""),
        "launched_by": launched_by(call.store, job),
        "work_unit_id": None,
        "workflow_job_template": job.get("workflow_job_template"),
        "extra_vars": job.get("extra_vars", "{}"),
        "allow_simultaneous": job.get("allow_simultaneous", False),
        "job_template": job.get("job_template"),
        "is_sliced_job": job.get("is_sliced_job", False),
        "inventory": job.get("inventory"),
        "limit": job.get("limit"),
        "scm_branch": job.get("scm_branch"),
        "webhook_service": job.get("webhook_service", ""),
        "webhook_credential": job.get("webhook_credential"),
        "webhook_guid": job.get("webhook_guid", ""),
        "skip_tags": job.get("skip_tags"),
        "job_tags": job.get("job_tags"),
    }


def serialize_workflow_job(call: Call, job: Record, detail: bool) -> dict[str, t.Any]:
    """A workflow job as AWX shows it (the list form drops the job_args family)."""
    store = call.store
    template = store.get("workflow_job_templates", job.get("workflow_job_template"))
    source = store.get("workflow_jobs", job.get("source_workflow_job"))
    body = base(call, MODEL, job, _job_related(call, job, template), _job_summary(call, job, template, source))
    summaries = body["summary_fields"]
    summaries["user_capabilities"] = call.access.capabilities(call.user, "workflow_jobs", job, ("delete", "start"))
    summaries["labels"] = label_summary(store, job.get("labels", []))
    if detail and source is not None:
        summaries["ancestor_job"] = ancestor_summary(store, job)
    body.update(_job_fields(call, job))
    if not detail:
        for key in DETAIL_ONLY:
            body.pop(key)
    return body


MODEL = register(Model(
    kind="workflow_jobs",
    type="workflow_job",
    name="WorkflowJob",
    serializer=serialize_workflow_job,
    fields=("name", "description", "unified_job_template", "launch_type", "status", "failed", "started", "finished",
            "canceled_on", "elapsed", "job_explanation", "workflow_job_template", "allow_simultaneous", "inventory",
            *CHAR_PROMPTS, "webhook_service", "webhook_credential", "webhook_guid", "is_sliced_job", "job_template", "schedule"),
    fks={"unified_job_template": "unified_job_templates", "workflow_job_template": "workflow_job_templates", "inventory": "inventories",
         "schedule": "schedules"},
    m2m={"labels": "labels"},
    computed={"failed": lambda store, r: r.get("status") in FAILED},
))


def serialize_job_node(call: Call, node: Record, detail: bool) -> dict[str, t.Any]:
    store = call.store
    pk = node["id"]
    related: dict[str, t.Any] = {
        name: f"/api/v2/workflow_job_nodes/{pk}/{name}/"
        for name in ("labels", "credentials", "instance_groups", "success_nodes", "failure_nodes", "always_nodes")
    }
    if node.get("unified_job_template"):
        related["unified_job_template"] = template_url(store, node["unified_job_template"])
    found = find_job(store, node.get("job"))
    summary: dict[str, t.Any] = {}
    if found is not None:
        kind, job = found
        related["job"] = f"/api/v2/{kind}/{job['id']}/"
        summary["job"] = job_node_summary(call, job, job["_type"])
    related["workflow_job"] = f"/api/v2/workflow_jobs/{node['workflow_job']}/"
    for field, kind in (("inventory", "inventories"), ("execution_environment", "execution_environments")):
        if node.get(field):
            related[field] = f"/api/v2/{kind}/{node[field]}/"
    summary["workflow_job"] = summary_of(store, "workflow_jobs", node["workflow_job"])
    summary["unified_job_template"] = unified_job_template_summary(store, node.get("unified_job_template"))
    summary["inventory"] = inventory_summary(call, node.get("inventory"))
    body = base(call, NODE_MODEL, node, related, summary)
    body.update({field: node.get(field) for field in NODE_PROMPTS})
    body["extra_data"] = node.get("extra_data") or {}
    body.update({
        "job": node.get("job"),
        "workflow_job": node["workflow_job"],
        "unified_job_template": node.get("unified_job_template"),
        "success_nodes": list(node.get("success_nodes", [])),
        "failure_nodes": list(node.get("failure_nodes", [])),
        "always_nodes": list(node.get("always_nodes", [])),
        "all_parents_must_converge": node.get("all_parents_must_converge", False),
        "do_not_run": node.get("do_not_run", False),
        "identifier": node.get("identifier"),
    })
    return body


NODE_MODEL = register(Model(
    kind="workflow_job_nodes",
    type="workflow_job_node",
    name="WorkflowJobNode",
    serializer=serialize_job_node,
    fields=("identifier", "do_not_run", "all_parents_must_converge", *NODE_PROMPTS),
    fks={"workflow_job": "workflow_jobs", "unified_job_template": "unified_job_templates", "job": "unified_jobs", "inventory": "inventories"},
    m2m={"success_nodes": "workflow_job_nodes", "failure_nodes": "workflow_job_nodes", "always_nodes": "workflow_job_nodes"},
    search_fields=("unified_job_template__name", "unified_job_template__description"),
))


@handles("api_workflow_jobs_list")
def workflow_jobs(call: Call) -> dict[str, t.Any]:
    return readable_list(call, "workflow_jobs")


@handles("api_workflow_jobs_read")
def workflow_job(call: Call) -> dict[str, t.Any]:
    return serialize_workflow_job(call, get_object(call, "workflow_jobs"), True)


@handles("api_workflow_jobs_delete")
def delete_workflow_job(call: Call) -> Reply:
    def drop_nodes(job: Record) -> None:
        for node in call.store.find("workflow_job_nodes", "workflow_job", job["id"]):
            call.store.delete("workflow_job_nodes", node["id"])
        call.store.meta.get("workflow_runs", {}).pop(job["id"], None)

    return delete_run(call, "workflow_jobs", cleanup=drop_nodes)


@handles("api_workflow_jobs_workflow_nodes_list")
def workflow_job_nodes_of(call: Call) -> dict[str, t.Any]:
    job = get_object(call, "workflow_jobs")
    return list_reply(call, "workflow_job_nodes", call.store.find("workflow_job_nodes", "workflow_job", job["id"]))


@handles("api_workflow_jobs_cancel_read")
def can_cancel(call: Call) -> dict[str, t.Any]:
    job = get_object(call, "workflow_jobs")
    return {"can_cancel": job["status"] in ACTIVE, "job_explanation": job.get("job_explanation", "")}


@handles("api_workflow_jobs_cancel_create")
def cancel(call: Call) -> Reply:
    job = get_object(call, "workflow_jobs")
    if job["status"] not in ACTIVE:
        raise MethodNotAllowed("POST")
    if not job.get("cancel_flag"):  # asking again while the cancel is carried out changes nothing
        cancel_job(call.runtime, "workflow_jobs", job)
    return Reply(202, None)


@handles("api_workflow_jobs_relaunch_list")
def relaunch_info(call: Call) -> dict[str, t.Any]:
    get_object(call, "workflow_jobs")
    return {}


@handles("api_workflow_jobs_relaunch_create")
def relaunch(call: Call) -> Reply:
    original = get_object(call, "workflow_jobs")
    template = call.store.get("workflow_job_templates", original.get("workflow_job_template"))
    if template is None and not call.is_superuser:
        raise PermissionDenied()  # only a superuser may relaunch a job whose template is gone
    fields = {
        key: original.get(key)
        for key in ("extra_vars", "inventory", *CHAR_PROMPTS, "survey_passwords", "_secrets")
    }
    fields["labels"] = list(original.get("labels", []))
    fields["launch_type"] = "relaunch"
    user_id = call.user["id"] if call.user else None
    if template is None:
        job = relaunch_orphan(call.runtime, original, fields, user_id)
    else:
        job = launch_workflow(call.runtime, template, fields, user_id)
    return Reply(201, serialize_workflow_job(call, job, True), {"Location": f"/api/v2/workflow_jobs/{job['id']}/"})


@handles("api_workflow_job_nodes_list")
def job_nodes(call: Call) -> dict[str, t.Any]:
    return list_reply(call, "workflow_job_nodes", call.store.all("workflow_job_nodes"))


@handles("api_workflow_job_nodes_read")
def job_node(call: Call) -> dict[str, t.Any]:
    return serialize_job_node(call, get_object(call, "workflow_job_nodes"), True)


def _children(edge: str) -> t.Callable[[Call], dict[str, t.Any]]:
    def listing(call: Call) -> dict[str, t.Any]:
        node = get_object(call, "workflow_job_nodes")
        ids = set(node.get(edge, []))
        return list_reply(call, "workflow_job_nodes", [n for n in call.store.find("workflow_job_nodes", "workflow_job", node["workflow_job"]) if n["id"] in ids])

    return listing


for _edge in ("success_nodes", "failure_nodes", "always_nodes"):
    handles(f"api_workflow_job_nodes_{_edge}_list")(_children(_edge))


def _node_related(field: str, kind: str) -> t.Callable[[Call], dict[str, t.Any]]:
    def listing(call: Call) -> dict[str, t.Any]:
        node = get_object(call, "workflow_job_nodes")
        ids = set(node.get(field, []))
        return list_reply(call, kind, [r for r in call.store.all(kind) if r["id"] in ids])

    return listing


for _field, _kind in (("credentials", "credentials"), ("labels", "labels"), ("instance_groups", "instance_groups")):
    handles(f"api_workflow_job_nodes_{_field}_list")(_node_related(_field, _kind))


@handles("api_workflow_job_nodes_instance_groups_create")
def attach_instance_group(call: Call) -> Reply:
    """Job nodes keep their instance groups attachable, as AWX's view allows."""
    from ..errors import BadRequest
    from ._members import association

    node = get_object(call, "workflow_job_nodes")
    group_id, disassociate = association(call)
    if group_id is None:
        raise BadRequest({"msg": "Instance Group 'id' field is missing."})
    if call.store.get("instance_groups", group_id) is None:
        raise BadRequest({"detail": "InstanceGroup matching query does not exist."})
    current = [g for g in node.get("instance_groups", []) if g != group_id]
    call.store.update("workflow_job_nodes", node["id"], {"instance_groups": current if disassociate else [*current, group_id]})
    return Reply(204, None)


@handles("api_workflow_jobs_labels_list")
def job_labels(call: Call) -> dict[str, t.Any]:
    job = get_object(call, "workflow_jobs")
    ids = set(job.get("labels", []))
    return list_reply(call, "labels", [l for l in call.store.all("labels") if l["id"] in ids])
