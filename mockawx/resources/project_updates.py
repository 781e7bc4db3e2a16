"""Project updates: launching them (one at a time per project), serialization, and their endpoints."""

from __future__ import annotations

import hashlib
import typing as t

from ..errors import MethodNotAllowed
from ..execution.lifecycle import ACTIVE, FINISH_HOOKS, create_job, set_status, start_later
from ..execution.scheduler import Scheduler, action
from ..execution.spawn import JOB_BUILDERS
from ..model import Model, register
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import get_object, list_reply, summary_of
from ._jobs import unified_job_template_summary
from ._registry import handles
from ._unified import FAILED
from .jobs import CONTROL_GROUP, RUN_DETAIL_ONLY, cancel_view, delete_run, project_summary, run_envelope, run_fields
from .projects import DEFAULT_PLAYBOOKS, FIELDS, check_updates

__all__ = ["UPDATE_MODEL", "update_fields", "launch_update"]

JOB_TAGS = {"git": "update_git", "svn": "update_svn", "insights": "update_insights", "archive": "update_archive"}


def update_fields(project: Record, launch_type: str = "manual") -> dict[str, t.Any]:
    """The fields of a new update of ``project`` (``sync`` updates run the project for a source)."""
    job_type = "run" if launch_type == "sync" else "check"
    tags = f"{JOB_TAGS.get(project.get('scm_type') or '', 'update_git')},install_roles,install_collections"
    return {
        "name": project["name"],
        "description": project.get("description") or "",
        "unified_job_template": project["id"],
        "launch_type": launch_type,
        "project": project["id"],
        "organization": project.get("organization"),
        "job_type": job_type,
        "job_tags": tags,
        "execution_environment": None,
        **{f: project.get(f) for f in FIELDS if f != "scm_revision"},
        "scm_revision": "",
    }


def launch_update(call: Call, project: Record, launch_type: str = "manual") -> Record:
    """Create and start an update of ``project``; it waits while another update of the project is active."""
    runtime = call.runtime
    user_id = call.user["id"] if call.user and launch_type != "sync" else None
    blocking = _active_check_update(call.store, project["id"])
    update = create_job(runtime, "project_updates", update_fields(project, launch_type), user_id)
    if blocking is not None and update.get("job_type") == "check":
        # Pending at once; the task manager says what it waits for when it next looks (the launch answer has no reason).
        set_status(runtime, "project_updates", update, "pending")
        call.store.update("project_updates", update["id"], {"_blocked_by": blocking["id"]})
        Scheduler(runtime).schedule(runtime.settings.job_start_delay, "project_update_blocked", update["id"])
    else:
        _start(runtime, update)
    return call.store.get("project_updates", update["id"]) or update


def _active_check_update(store: Store, project_id: int) -> Record | None:
    active = [j for j in check_updates(store, project_id) if j.get("status") in ACTIVE]
    return min(active, key=lambda j: j["id"]) if active else None


def _start(runtime: t.Any, update: Record) -> None:
    start_later(runtime, "project_updates", update, {"unified_job_template": update.get("project"), "name": update["name"]})


@action("project_update_blocked")
def _explain_block(runtime: t.Any, update_id: int) -> None:
    update = runtime.store.get("project_updates", update_id)
    if update is not None and update["status"] == "pending" and update.get("_blocked_by") is not None:
        runtime.store.update("project_updates", update_id, {"job_explanation": f"waiting for projectupdate-{update['_blocked_by']} to finish"})


def _unblock(runtime: t.Any, kind: str, job: Record) -> None:
    """When a project update ends, the first update that waited for it starts; the others wait for that one."""
    if kind != "project_updates":
        return
    store = runtime.store
    waiting = sorted((j for j in store.all("project_updates") if j.get("_blocked_by") == job["id"] and j["status"] == "pending"),
                     key=lambda j: j["id"])
    if not waiting:
        return
    first, rest = waiting[0], waiting[1:]
    _start(runtime, store.update("project_updates", first["id"], {"_blocked_by": None}))
    for other in rest:
        store.update("project_updates", other["id"], {"_blocked_by": first["id"], "job_explanation": f"waiting for projectupdate-{first['id']} to finish"})


FINISH_HOOKS.append(_unblock)


def _update_related(job: Record) -> dict[str, t.Any]:
    pk = job["id"]
    related: dict[str, t.Any] = {}
    if job.get("unified_job_template"):
        related["unified_job_template"] = f"/api/v2/projects/{job['unified_job_template']}/"
    related["stdout"] = f"/api/v2/project_updates/{pk}/stdout/"
    if job.get("project"):
        related["project"] = f"/api/v2/projects/{job['project']}/"
    for name in ("cancel", "scm_inventory_updates", "notifications", "events"):
        related[name] = f"/api/v2/project_updates/{pk}/{name}/"
    return related


def serialize_update(call: Call, job: Record, detail: bool) -> dict[str, t.Any]:
    """A project update; list items lack the run details."""
    store = call.store
    project = store.get("projects", job.get("project")) or {}
    summary: dict[str, t.Any] = {
        "organization": summary_of(store, "organizations", project.get("organization")),
        "project": project_summary(call, job.get("project")),
        "unified_job_template": unified_job_template_summary(store, job.get("unified_job_template")),
    }
    body = run_envelope(call, UPDATE_MODEL, job, _update_related(job), summary, CONTROL_GROUP if job.get("job_type") == "check" else "default")
    body.update({"name": job["name"], "description": job.get("description") or ""})
    body.update({f: job.get(f) for f in FIELDS})
    body.update(run_fields(call, job, CONTROL_GROUP if job.get("job_type") == "check" else "default", controller=False))
    body.update({"project": job.get("project"), "job_type": job.get("job_type"), "job_tags": job.get("job_tags")})
    if detail:
        from .job_output import host_status_counts, playbook_counts

        body["host_status_counts"] = host_status_counts(store, job) if job["status"] == "successful" else None
        body["playbook_counts"] = playbook_counts(store, job)
    else:
        for key in RUN_DETAIL_ONLY:
            body.pop(key)
    return body


UPDATE_MODEL = register(Model(
    kind="project_updates",
    type="project_update",
    name="ProjectUpdate",
    serializer=serialize_update,
    fields=("name", "description", *FIELDS, "unified_job_template", "launch_type", "status", "failed", "started",
            "finished", "canceled_on", "elapsed", "job_explanation", "job_type", "job_tags"),
    fks={"project": "projects", "unified_job_template": "unified_job_templates", "credential": "credentials"},
    computed={"failed": lambda store, r: r.get("status") in FAILED},
))


def _update_finished(runtime: t.Any, kind: str, job: Record) -> None:
    """A successful check update records the revision and the playbooks it found."""
    if kind != "project_updates" or job["status"] != "successful" or job.get("job_type") != "check":
        return
    store = runtime.store
    project = store.get("projects", job.get("project"))
    if project is None:
        return
    found = set(store.meta.get("scm_playbooks", {}).get(project.get("scm_url"), DEFAULT_PLAYBOOKS))
    found |= {jt["playbook"] for jt in store.all("job_templates") if jt.get("project") == project["id"] and jt.get("playbook")}
    revision = hashlib.sha1(f"{project.get('scm_url')}#{job['id']}".encode()).hexdigest()
    store.update("projects", project["id"], {"scm_revision": revision, "_playbooks": sorted(found)})
    store.update("project_updates", job["id"], {"scm_revision": revision})


FINISH_HOOKS.append(_update_finished)


def build_update_fields(runtime: t.Any, template: Record, node: Record, workflow_job: Record) -> dict[str, t.Any]:
    """Fields of a project update a workflow node runs."""
    return {**update_fields(template), "launch_type": "workflow"}


JOB_BUILDERS["projects"] = build_update_fields


@handles("api_projects_update_create")
def update(call: Call) -> Reply:
    project = get_object(call, "projects")
    if not project.get("scm_type"):
        raise MethodNotAllowed("POST")
    job = launch_update(call, project)
    body = serialize_update(call, job, True)
    body.pop("host_status_counts")
    body.pop("playbook_counts")
    return Reply(202, {"project_update": job["id"], **body}, {"Location": f"/api/v2/project_updates/{job['id']}/"})


@handles("api_projects_project_updates_list")
def project_updates_of(call: Call) -> dict[str, t.Any]:
    project = get_object(call, "projects")
    return list_reply(call, "project_updates", [j for j in call.store.all("project_updates") if j.get("project") == project["id"]])


@handles("api_project_updates_list")
def project_updates(call: Call) -> dict[str, t.Any]:
    return list_reply(call, "project_updates", call.store.all("project_updates"))


@handles("api_project_updates_read")
def project_update(call: Call) -> dict[str, t.Any]:
    return serialize_update(call, get_object(call, "project_updates"), True)


@handles("api_project_updates_delete")
def delete_project_update(call: Call) -> Reply:
    return delete_run(call, "project_updates")


_cancel_read, _cancel_post = cancel_view("project_updates", True)
handles("api_project_updates_cancel_read")(_cancel_read)
handles("api_project_updates_cancel_create")(_cancel_post)
