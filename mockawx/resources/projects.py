"""Projects and project updates: CRUD, manual/SCM rules, updates, playbooks."""

from __future__ import annotations

import hashlib
import re
import typing as t

from ..errors import MethodNotAllowed, field_error
from ..execution.lifecycle import ACTIVE, FINISH_HOOKS, create_job, set_status, start_later
from ..execution.scheduler import Scheduler, action
from ..execution.spawn import JOB_BUILDERS
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import get_object, list_reply, named_url, summary_of
from ._crud import Crud, UniqueRule, register_crud
from ..model import Model, register
from ._roles import create_roles, delete_roles, object_roles_summary
from ._registry import handles
from ._unified import FAILED, current_job, job_summary
from .jobs import CONTROL_GROUP, RUN_DETAIL_ONLY, cancel_view, delete_run, project_summary, run_envelope, run_fields

__all__ = ["MODEL", "UPDATE_MODEL", "project_status", "playbooks_of", "launch_update", "DEFAULT_PLAYBOOKS"]

# What a successful SCM update finds unless ``store.meta["scm_playbooks"][scm_url]`` says otherwise.
DEFAULT_PLAYBOOKS = ("hello_world.yml", "site.yml", "playbook.yml")
# Playbooks in a manual project's folder unless ``store.meta["project_folders"][folder]`` says otherwise.
DEFAULT_FOLDER_PLAYBOOKS = ("hello_world.yml",)
PATH_IN_USE = "This path is already being used by another manual project."
JOB_TAGS = {"git": "update_git", "svn": "update_svn", "insights": "update_insights", "archive": "update_archive"}
FIELDS = (
    "local_path", "scm_type", "scm_url", "scm_branch", "scm_refspec", "scm_clean", "scm_track_submodules",
    "scm_delete_on_update", "credential", "timeout", "scm_revision",
)
TAIL = ("organization", "scm_update_on_launch", "scm_update_cache_timeout", "allow_override", "custom_virtualenv",
        "default_environment", "signature_validation_credential")
SUBLISTS = (
    ("teams", "teams"), ("playbooks", "playbooks"), ("inventory_files", "inventories"), ("update", "update"),
    ("project_updates", "project_updates"), ("scm_inventory_sources", "scm_inventory_sources"),
    ("schedules", "schedules"), ("activity_stream", "activity_stream"),
    ("notification_templates_started", "notification_templates_started"),
    ("notification_templates_success", "notification_templates_success"),
    ("notification_templates_error", "notification_templates_error"), ("access_list", "access_list"),
    ("object_roles", "object_roles"), ("copy", "copy"),
)


def check_updates(store: Store, project_id: int) -> list[Record]:
    """The project's own updates (``check``); sync updates run for inventory sources do not count."""
    return [j for j in store.all("project_updates") if j.get("project") == project_id and j.get("job_type") == "check"]


def last_update(store: Store, project_id: int) -> Record | None:
    finished = [j for j in check_updates(store, project_id) if j.get("finished") is not None]
    return max(finished, key=lambda j: (j["finished"], j["id"])) if finished else None


def project_status(store: Store, project: Record) -> str:
    """ok/missing for manual projects; else the current or last update's status."""
    if not project.get("scm_type"):
        return "ok" if project.get("local_path") in _folders(store) else "missing"
    current = current_job(store, "projects", project["id"])
    if current is not None:
        return "running" if current["status"] == "running" else "pending"
    last = last_update(store, project["id"])
    if last is not None:
        return str(last["status"])
    # A project loaded with a known state (a seed's preloaded project) shows it until it is first updated.
    return str(project.get("status") or "never updated")


def _folders(store: Store) -> list[str]:
    return list(store.meta.get("project_local_paths", []))


def playbooks_of(store: Store, project: Record) -> list[str]:
    """The playbooks a job template may use from this project."""
    if not project.get("scm_type"):
        folders = store.meta.get("project_folders", {})
        if project.get("local_path") not in _folders(store):
            return []
        return sorted(folders.get(project.get("local_path"), DEFAULT_FOLDER_PLAYBOOKS))
    return sorted(project.get("_playbooks") or [])


def _related(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    links: dict[str, t.Any] = {}
    if detail:
        links["named_url"] = named_url(call, "projects", record)
    last = last_update(store, pk)
    current = current_job(store, "projects", pk)
    if last is not None:
        links["last_job"] = f"/api/v2/project_updates/{last['id']}/"
    if current is not None:
        links["current_job"] = f"/api/v2/project_updates/{current['id']}/"
    links.update({name: f"/api/v2/projects/{pk}/{path}/" for name, path in SUBLISTS})
    for field, kind in (("organization", "organizations"), ("credential", "credentials"),
                        ("default_environment", "execution_environments"),
                        ("signature_validation_credential", "credentials")):
        if record.get(field):
            links[field] = f"/api/v2/{kind}/{record[field]}/"
    if last is not None:
        links["last_update"] = f"/api/v2/project_updates/{last['id']}/"
    if current is not None:
        links["current_update"] = f"/api/v2/project_updates/{current['id']}/"
    return links


def _summary(call: Call, record: Record) -> dict[str, t.Any]:
    store = call.store
    pk = record["id"]
    summary: dict[str, t.Any] = {
        "organization": summary_of(store, "organizations", record.get("organization")),
        "credential": summary_of(store, "credentials", record.get("credential"), ("id", "name", "description")),
        "default_environment": summary_of(store, "execution_environments", record.get("default_environment"), ("id", "name", "description", "image")),
    }
    last = last_update(store, pk)
    if last is not None:
        summary["last_job"] = job_summary(last, ("id", "name", "description", "finished", "status", "failed", "canceled_on"))
        if last.get("canceled_on") is None:
            summary["last_job"].pop("canceled_on")
        summary["last_update"] = job_summary(last, ("id", "name", "description", "status", "failed"))
    current = current_job(store, "projects", pk)
    if current is not None:
        summary["current_update"] = job_summary(current, ("id", "name", "description", "status", "failed"))
        summary["current_job"] = dict(summary["current_update"])
    summary["object_roles"] = object_roles_summary(store, "project", pk)
    capabilities = call.access.capabilities(call.user, "projects", record, ("edit", "delete", "start", "schedule", "copy"))
    if not record.get("scm_type"):
        capabilities.update(start=False, schedule=False, copy=False)
    summary["user_capabilities"] = capabilities
    return summary


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    from ._common import base
    from ..clock import format_time

    store = call.store
    body = base(call, MODEL, record, _related(call, record, detail), _summary(call, record))
    last = last_update(store, record["id"])
    if record.get("scm_type"):
        last_run = last["finished"] if last else None
    else:
        last_run = record.get("_folder_time") or record.get("created")
    failed = bool(last and last["status"] in FAILED) if record.get("scm_type") else False
    body.update({"name": record["name"], "description": record.get("description") or ""})
    body.update({f: record.get(f) for f in FIELDS})
    body["scm_revision"] = record.get("scm_revision") or ""
    body.update({
        "last_job_run": format_time(last_run),
        "last_job_failed": failed,
        "next_job_run": None,
        "status": project_status(store, record),
    })
    body.update({f: record.get(f) for f in TAIL})
    body.update({"last_update_failed": failed, "last_updated": format_time(last_run)})
    return body


MODEL = register(Model(
    kind="projects",
    type="project",
    name="Project",
    serializer=serialize,
    fields=("name", "description", *FIELDS, *TAIL, "status", "last_job_run", "last_job_failed", "last_update_failed", "last_updated"),
    fks={"organization": "organizations", "credential": "credentials", "default_environment": "execution_environments",
         "signature_validation_credential": "credentials"},
    default_order=("name",),
    computed={"status": project_status},
))


def _slug(name: str) -> str:
    text = re.sub(r"[^\w\s-]", "", name.lower()).strip()
    return re.sub(r"[-\s]+", "-", text).replace("-", "_")


def _validate(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    merged = {**(existing or {}), **values}
    scm_type = merged.get("scm_type") or ""
    if values.get("description") is None and "description" in values:
        values["description"] = ""
    if scm_type:
        if not (merged.get("scm_url") or "").strip():
            raise field_error("scm_url", "SCM URL is required.")
        return
    if "local_path" in values or existing is None or existing.get("scm_type"):
        local_path = merged.get("local_path") or ""
        in_use = {p.get("local_path") for p in call.store.all("projects")
                  if not p.get("scm_type") and (existing is None or p["id"] != existing["id"])}
        if local_path not in _folders(call.store) or local_path in in_use:
            raise field_error("local_path", PATH_IN_USE)
        values["scm_url"] = ""


def _after_create(call: Call, record: Record) -> None:
    store = call.store
    changes: dict[str, t.Any] = {"custom_virtualenv": None, "scm_revision": "", "_playbooks": []}
    if record.get("scm_type"):
        changes["local_path"] = f"_{record['id']}__{_slug(record['name'])}"
    store.update("projects", record["id"], changes)
    create_roles(store, "project", record["id"])
    if record.get("scm_type"):
        launch_update(call, store.get("projects", record["id"]) or record)


def _after_update(call: Call, record: Record) -> None:
    if record.get("scm_type") and not record.get("local_path"):
        call.store.update("projects", record["id"], {"local_path": f"_{record['id']}__{_slug(record['name'])}"})


def _delete(call: Call, record: Record) -> None:
    from ._cascade import detach_jobs

    store = call.store
    # a project's updates belong to it and go with it (AWX cascades them)
    for update in [j for j in store.all("project_updates") if j.get("project") == record["id"]]:
        store.delete("project_updates", update["id"])
    detach_jobs(call, record["id"])
    for template in store.all("job_templates"):
        if template.get("project") == record["id"]:
            store.update("job_templates", template["id"], {"project": None})
    delete_roles(store, "project", record["id"])
    store.delete("projects", record["id"])


CRUD = Crud(
    kind="projects",
    write_schema="ProjectWrite",
    unique=(UniqueRule(("name", "organization"), "__all__", "Project with this (name, organization) combination already exists."),),
    validate=_validate,
    after_create=_after_create,
    after_update=_after_update,
    delete=_delete,
)
register_crud(CRUD, "api_projects")


# -- project updates --------------------------------------------------------------------------

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
    from ._jobs import unified_job_template_summary

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


@handles("api_projects_playbooks_read")
def playbooks(call: Call) -> list[str]:
    return playbooks_of(call.store, get_object(call, "projects"))


@handles("api_projects_update_read")
def can_update(call: Call) -> dict[str, bool]:
    project = get_object(call, "projects")
    return {"can_update": bool(project.get("scm_type"))}


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
