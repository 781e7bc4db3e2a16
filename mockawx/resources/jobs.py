"""Jobs (playbook runs): list, detail, delete, cancel, relaunch, labels; plus pieces every run shares."""

from __future__ import annotations

import typing as t

from ..errors import MethodNotAllowed, PermissionDenied
from ..execution.lifecycle import ACTIVE, TERMINAL, cancel_job
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import base, get_object, list_reply, summary_of
from ._jobs import launched_by, status_fields, template_url, unified_job_template_summary
from ..model import Model, register
from ._registry import handles

__all__ = [
    "MODEL", "serialize_job", "dispatched", "run_envelope", "run_fields", "PROJECT_SUMMARY",
    "project_summary", "cancel_view", "delete_run", "readable_list", "credential_summaries",
]

PROJECT_SUMMARY = ("id", "name", "description", "status", "scm_type", "allow_override")
# Instance groups jobs run on once the task manager dispatched them (AWX's seeded groups).
CONTROL_GROUP, DEFAULT_GROUP = "controlplane", "default"
JOB_FIELDS = (
    "job_type", "inventory", "project", "playbook", "scm_branch", "forks", "limit", "verbosity", "extra_vars",
    "job_tags", "force_handlers", "skip_tags", "start_at_task", "timeout", "use_fact_cache", "organization",
)
JOB_TAIL = (
    "job_template", "passwords_needed_to_start", "allow_simultaneous", "artifacts", "scm_revision",
    "instance_group", "diff_mode", "job_slice_number", "job_slice_count", "webhook_service",
    "webhook_credential", "webhook_guid",
)
RUN_DETAIL_ONLY = ("job_args", "job_cwd", "job_env", "result_traceback", "event_processing_finished")
NOT_CANCELABLE = "POST"


def dispatched(job: Record) -> bool:
    """Whether the task manager has picked the job up (it then has a node and an instance group)."""
    return job.get("started") is not None or job.get("status") in ("waiting", "running")


def group_of(store: Store, job: Record, name: str) -> Record | None:
    if not dispatched(job):
        return None
    return store.first("instance_groups", "name", name)


def project_summary(call: Call, project_id: int | None) -> dict[str, t.Any] | None:
    """``summary_fields.project`` with the project's derived status."""
    from .projects import project_status

    project = call.store.get("projects", project_id)
    if project is None:
        return None
    summary = {f: project.get(f) for f in PROJECT_SUMMARY}
    summary["description"] = project.get("description") or ""
    summary["status"] = project_status(call.store, project)
    return summary


def credential_summaries(store: Store, ids: t.Iterable[int]) -> list[dict[str, t.Any]]:
    """``summary_fields.credentials`` of a job or template."""
    from .credentials import credential_kind

    out = []
    for pk in ids:
        credential = store.get("credentials", pk)
        if credential is not None:
            kind = credential_kind(store, credential)
            out.append({"id": pk, "name": credential["name"], "description": credential.get("description") or "",
                        "kind": kind["kind"], "cloud": kind["cloud"]})
    return out


def run_envelope(call: Call, model: Model, job: Record, related: dict[str, t.Any], summary: dict[str, t.Any], group: str) -> dict[str, t.Any]:
    """``base`` for a unified job: modified_by only until dispatch, instance group once dispatched."""
    shown = job if not dispatched(job) else {**job, "modified_by": None}
    instance_group = group_of(call.store, job, group)
    if instance_group is not None:
        summary["instance_group"] = {"id": instance_group["id"], "name": instance_group["name"], "is_container_group": bool(instance_group.get("is_container_group"))}
    if job.get("_workflow_job") is not None and call.store.get("workflow_jobs", job["_workflow_job"]) is not None:
        source = call.store.get("workflow_jobs", job["_workflow_job"]) or {}
        related["source_workflow_job"] = f"/api/v2/workflow_jobs/{source['id']}/"
        summary["source_workflow_job"] = {
            "id": source["id"], "name": source["name"], "description": source.get("description") or "",
            "status": source["status"], "failed": source["status"] in ("failed", "error", "canceled"),
            "elapsed": status_fields(call, source)["elapsed"],
        }
    summary["user_capabilities"] = call.access.capabilities(call.user, model.kind, job, ("delete", "start"))
    return base(call, model, shown, related, summary)


def run_fields(call: Call, job: Record, group: str, *, controller: bool = True) -> dict[str, t.Any]:
    """The unified-job fields from ``unified_job_template`` to ``work_unit_id``, in AWX's order."""
    node = call.runtime.settings.node_name if group_of(call.store, job, group) is not None else ""
    out: dict[str, t.Any] = {
        "unified_job_template": job.get("unified_job_template"),
        "launch_type": job.get("launch_type", "manual"),
        "status": job["status"],
        "execution_environment": job.get("execution_environment"),
        **{k: v for k, v in status_fields(call, job).items() if k != "status"},
        "job_args": "", "job_cwd": "", "job_env": {},
        "job_explanation": job.get("job_explanation", ""),
        "execution_node": node,
    }
    if controller:
        out["controller_node"] = node
    out.update({
        "result_traceback": job.get("result_traceback", ""),
        "event_processing_finished": job["status"] in TERMINAL,
        "launched_by": launched_by(call.store, job),
        "work_unit_id": None,
    })
    return out


def _related(job: Record) -> dict[str, t.Any]:
    pk = job["id"]
    related: dict[str, t.Any] = {"labels": f"/api/v2/jobs/{pk}/labels/"}
    for field, kind in (("inventory", "inventories"), ("project", "projects"), ("organization", "organizations")):
        if job.get(field):
            related[field] = f"/api/v2/{kind}/{job[field]}/"
    related["credentials"] = f"/api/v2/jobs/{pk}/credentials/"
    if job.get("unified_job_template"):
        related["unified_job_template"] = f"/api/v2/job_templates/{job['unified_job_template']}/"
    related["stdout"] = f"/api/v2/jobs/{pk}/stdout/"
    if job.get("execution_environment"):
        related["execution_environment"] = f"/api/v2/execution_environments/{job['execution_environment']}/"
    for name in ("job_events", "job_host_summaries", "activity_stream", "notifications", "create_schedule"):
        related[name] = f"/api/v2/jobs/{pk}/{name}/"
    if job.get("job_template"):
        related["job_template"] = f"/api/v2/job_templates/{job['job_template']}/"
    related["cancel"] = f"/api/v2/jobs/{pk}/cancel/"
    related["relaunch"] = f"/api/v2/jobs/{pk}/relaunch/"
    return related


def serialize_job(call: Call, job: Record, detail: bool) -> dict[str, t.Any]:
    """A job as AWX shows it; list items lack the run details."""
    from .inventories import inventory_summary

    store = call.store
    summary: dict[str, t.Any] = {
        "organization": summary_of(store, "organizations", job.get("organization")),
        "inventory": inventory_summary(call, job.get("inventory")),
        "execution_environment": summary_of(store, "execution_environments", job.get("execution_environment"), ("id", "name", "description", "image")),
        "project": project_summary(call, job.get("project")),
        "job_template": summary_of(store, "job_templates", job.get("job_template")),
        "unified_job_template": unified_job_template_summary(store, job.get("unified_job_template")),
    }
    body = run_envelope(call, MODEL, job, _related(job), summary, DEFAULT_GROUP)
    labels = sorted((l for l in (store.get("labels", i) for i in job.get("labels", [])) if l), key=lambda l: l["name"])
    body["summary_fields"]["labels"] = {"count": len(labels), "results": [{"id": l["id"], "name": l["name"]} for l in labels[:10]]}
    body["summary_fields"]["credentials"] = credential_summaries(store, job.get("credentials", []))
    if job.get("unified_job_template") and template_url(store, job["unified_job_template"]) is None:
        body["related"].pop("unified_job_template", None)
    body["name"] = job["name"]
    body["description"] = job.get("description") or ""
    body.update({f: job.get(f) for f in JOB_FIELDS})
    body.update(run_fields(call, job, DEFAULT_GROUP))
    instance_group = group_of(store, job, DEFAULT_GROUP)
    tail = {f: job.get(f) for f in JOB_TAIL}
    tail.update({"passwords_needed_to_start": [], "artifacts": job.get("artifacts") or {},
                 "instance_group": instance_group["id"] if instance_group else None,
                 "scm_revision": job.get("scm_revision") or "", "webhook_service": job.get("webhook_service") or "",
                 "webhook_guid": job.get("webhook_guid") or ""})
    body.update(tail)
    if detail:
        from .job_output import host_status_counts, playbook_counts

        body["host_status_counts"] = host_status_counts(store, job)
        body["playbook_counts"] = playbook_counts(store, job)
        body["custom_virtualenv"] = None
    else:
        for key in RUN_DETAIL_ONLY:
            body.pop(key)
    return body


MODEL = register(Model(
    kind="jobs",
    type="job",
    name="Job",
    serializer=serialize_job,
    fields=("name", "description", "unified_job_template", "launch_type", "status", "failed", "started", "finished",
            "canceled_on", "elapsed", "job_explanation", *JOB_FIELDS, "job_template", "allow_simultaneous",
            "scm_revision", "diff_mode", "job_slice_number", "job_slice_count", "webhook_service", "webhook_guid"),
    fks={"unified_job_template": "unified_job_templates", "job_template": "job_templates", "inventory": "inventories",
         "project": "projects", "organization": "organizations", "execution_environment": "execution_environments"},
    m2m={"labels": "labels", "credentials": "credentials"},
    computed={"failed": lambda store, r: r.get("status") in ("failed", "error", "canceled")},
))


def cancel_view(kind: str, with_explanation: bool) -> tuple[t.Callable[[Call], dict[str, t.Any]], t.Callable[[Call], Reply]]:
    """GET (``can_cancel``) and POST (202, or 405 when it cannot be cancelled) of ``<run>/cancel/``."""

    def read(call: Call) -> dict[str, t.Any]:
        job = get_object(call, kind)
        body: dict[str, t.Any] = {"can_cancel": job["status"] in ACTIVE and not job.get("cancel_flag")}
        if with_explanation:
            body["job_explanation"] = job.get("job_explanation", "")
        return body

    def post(call: Call) -> Reply:
        job = get_object(call, kind)
        if job["status"] not in ACTIVE or job.get("cancel_flag"):
            raise MethodNotAllowed(NOT_CANCELABLE)
        cancel_job(call.runtime, kind, job)
        return Reply(202, None)

    return read, post


def readable_list(call: Call, kind: str) -> dict[str, t.Any]:
    """The list of the runs of ``kind`` the user may read."""
    return list_reply(call, kind, [r for r in call.store.all(kind) if call.access.can(call.user, "read", kind, r)])


def delete_run(call: Call, kind: str, *, refuse_active: bool = True, cleanup: t.Callable[[Record], None] | None = None) -> Reply:
    """DELETE of a run that is not underway (403 while it, or the workflow that spawned it, runs); ``new`` may go."""
    job = get_object(call, kind)
    if refuse_active and job["status"] in ACTIVE - {"new"}:
        raise PermissionDenied({"detail": "Cannot delete running job resource."})
    parent = call.store.get("workflow_jobs", job.get("_workflow_job") or job.get("source_workflow_job"))
    if parent is not None and parent["status"] in ACTIVE:
        raise PermissionDenied({"detail": "Cannot delete job resource when associated workflow job is running."})
    if cleanup is not None:
        cleanup(job)
    call.store.delete(kind, job["id"])
    return Reply(204, None)


@handles("api_jobs_list")
def jobs(call: Call) -> dict[str, t.Any]:
    return list_reply(call, "jobs", call.store.all("jobs"))


@handles("api_jobs_read")
def job(call: Call) -> dict[str, t.Any]:
    return serialize_job(call, get_object(call, "jobs"), True)


@handles("api_jobs_delete")
def delete_job(call: Call) -> Reply:
    return delete_run(call, "jobs")


_cancel_read, _cancel_post = cancel_view("jobs", False)
handles("api_jobs_cancel_read")(_cancel_read)
handles("api_jobs_cancel_create")(_cancel_post)


@handles("api_jobs_relaunch_read")
def relaunch_info(call: Call) -> dict[str, t.Any]:
    job = get_object(call, "jobs")
    from .job_output import host_results

    results = host_results(call.store, job)
    failed = sum(1 for r in results if r["failed"])
    return {"passwords_needed_to_start": [], "retry_counts": {"all": len(results), "failed": failed}}


@handles("api_jobs_relaunch_create")
def relaunch(call: Call) -> Reply:
    from .job_launch import relaunch_job

    original = get_object(call, "jobs")
    new = relaunch_job(call, original)
    body = serialize_job(call, new, True)
    body.pop("host_status_counts")
    body.pop("playbook_counts")
    body.pop("custom_virtualenv")
    body["job"] = new["id"]
    return Reply(201, body, {"Location": f"/api/v2/jobs/{new['id']}/"})


@handles("api_jobs_labels_list")
def job_labels(call: Call) -> dict[str, t.Any]:
    job = get_object(call, "jobs")
    ids = set(job.get("labels", []))
    return list_reply(call, "labels", [l for l in call.store.all("labels") if l["id"] in ids])
