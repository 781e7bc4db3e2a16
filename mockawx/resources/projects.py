"""Projects: CRUD, manual/SCM rules, derived status, playbooks (their updates are ``project_updates``)."""

from __future__ import annotations

import re
import typing as t

from ..errors import field_error
from ..model import Model, register
from ..store import Record, Store
from ..web.call import Call
from ._cascade import detach_jobs
from ._common import get_object, named_url, summary_of
from ._crud import Crud, UniqueRule, register_crud
from ._registry import handles
from ._roles import create_roles, delete_roles, object_roles_summary
from ._unified import FAILED, current_job, job_links, job_summary

__all__ = ["MODEL", "FIELDS", "project_status", "playbooks_of", "check_updates", "DEFAULT_PLAYBOOKS"]

# What a successful SCM update finds unless ``store.meta["scm_playbooks"][scm_url]`` says otherwise.
DEFAULT_PLAYBOOKS = ("hello_world.yml", "site.yml", "playbook.yml")
# Playbooks in a manual project's folder unless ``store.meta["project_folders"][folder]`` says otherwise.
DEFAULT_FOLDER_PLAYBOOKS = ("hello_world.yml",)
PATH_IN_USE = "This path is already being used by another manual project."
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
    links.update(job_links("projects", last_update(store, pk), current_job(store, "projects", pk)))
    links.update({name: f"/api/v2/projects/{pk}/{path}/" for name, path in SUBLISTS})
    for field, kind in (("organization", "organizations"), ("credential", "credentials"),
                        ("default_environment", "execution_environments"),
                        ("signature_validation_credential", "credentials")):
        if record.get(field):
            links[field] = f"/api/v2/{kind}/{record[field]}/"
    if "last_job" in links:
        links["last_update"] = links["last_job"]
    if "current_job" in links:
        links["current_update"] = links["current_job"]
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
        from .project_updates import launch_update

        launch_update(call, store.get("projects", record["id"]) or record)


def _after_update(call: Call, record: Record) -> None:
    if record.get("scm_type") and not record.get("local_path"):
        call.store.update("projects", record["id"], {"local_path": f"_{record['id']}__{_slug(record['name'])}"})


def _delete(call: Call, record: Record) -> None:
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


@handles("api_projects_playbooks_read")
def playbooks(call: Call) -> list[str]:
    return playbooks_of(call.store, get_object(call, "projects"))


@handles("api_projects_update_read")
def can_update(call: Call) -> dict[str, bool]:
    project = get_object(call, "projects")
    return {"can_update": bool(project.get("scm_type"))}
