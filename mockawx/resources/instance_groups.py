"""Instance groups (CRUD; the two built-in groups cannot be renamed or deleted) and instances."""

from __future__ import annotations

import typing as t

from ..clock import format_time
from ..errors import Conflict, PermissionDenied, field_error
from ..store import Record, Store
from ..web.call import Call
from ._common import named_url
from ._crud import Crud, UniqueRule, register_crud
from ..model import Model, register
from ._roles import create_roles, delete_roles, object_roles_summary
from ._unified import ACTIVE, JOB_KINDS

__all__ = ["BUILT_IN", "INSTANCE_CAPACITY", "IG_MODEL", "INSTANCE_MODEL", "new_instance_group"]

BUILT_IN = ("controlplane", "default")
INSTANCE_CAPACITY = 220
RELATED = ("jobs", "instances", "access_list", "object_roles")


def _jobs(store: Store, field: str, value: t.Any) -> list[Record]:
    return [j for kind in JOB_KINDS for j in store.all(kind) if j.get(field) == value]


def _counts(jobs: list[Record], capacity: int) -> dict[str, t.Any]:
    running = sum(1 for j in jobs if j.get("status") == "running")
    return {
        "capacity": capacity,
        "consumed_capacity": 0,
        "percent_capacity_remaining": 100.0 if capacity else 0.0,
        "jobs_running": running,
    }


def serialize_group(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    related: dict[str, t.Any] = {}
    if detail:
        related["named_url"] = named_url(call, "instance_groups", record)
    related.update({name: f"/api/v2/instance_groups/{pk}/{name}/" for name in RELATED})
    if record.get("credential"):
        related["credential"] = f"/api/v2/credentials/{record['credential']}/"
    members = [i for i in record.get("instance_ids", []) if store.get("instances", i)]
    jobs = _jobs(store, "instance_group", pk)
    counts = _counts(jobs, INSTANCE_CAPACITY * len(members))
    capabilities = call.access.capabilities(call.user, "instance_groups", record, ("edit", "delete"))
    if record["name"] in BUILT_IN:
        capabilities["delete"] = False
    return {
        "id": pk,
        "type": "instance_group",
        "url": f"/api/v2/instance_groups/{pk}/",
        "related": related,
        "name": record["name"],
        "created": format_time(record.get("created")),
        "modified": format_time(record.get("modified")),
        **{k: counts[k] for k in ("capacity", "consumed_capacity", "percent_capacity_remaining", "jobs_running")},
        "max_concurrent_jobs": record.get("max_concurrent_jobs", 0),
        "max_forks": record.get("max_forks", 0),
        "jobs_total": len(jobs),
        "instances": len(members),
        "is_container_group": record.get("is_container_group", False),
        "credential": record.get("credential"),
        "policy_instance_percentage": record.get("policy_instance_percentage", 0),
        "policy_instance_minimum": record.get("policy_instance_minimum", 0),
        "policy_instance_list": record.get("policy_instance_list", []),
        "pod_spec_override": record.get("pod_spec_override", ""),
        "summary_fields": {"object_roles": object_roles_summary(store, "instance_group", pk), "user_capabilities": capabilities},
    }


IG_MODEL = register(Model(
    kind="instance_groups",
    type="instance_group",
    name="InstanceGroup",
    serializer=serialize_group,
    fields=("name", "max_concurrent_jobs", "max_forks", "is_container_group", "policy_instance_percentage", "policy_instance_minimum", "pod_spec_override"),
    fks={"credential": "credentials"},
    search_fields=("name",),
    default_order=("name",),
))


def new_instance_group(store: Store, record: Record) -> Record:
    """Insert an instance group with AWX's defaults and its roles."""
    defaults = {
        "max_concurrent_jobs": 0, "max_forks": 0, "is_container_group": False, "credential": None,
        "policy_instance_percentage": 0, "policy_instance_minimum": 0, "policy_instance_list": [],
        "pod_spec_override": "", "instance_ids": [],
    }
    inserted = store.insert("instance_groups", {**defaults, **record})
    create_roles(store, "instance_group", inserted["id"])
    return inserted


def _validate(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    if existing is not None and existing["name"] in BUILT_IN and values.get("name", existing["name"]) != existing["name"]:
        raise field_error("name", f"{existing['name']} instance group name may not be changed.")
    for field, default in (("is_container_group", False), ("policy_instance_list", [])):
        if field in values and values[field] is None:
            values[field] = default


def _create(call: Call, record: Record) -> None:
    store = call.store
    store.update("instance_groups", record["id"], {
        "is_container_group": record.get("is_container_group") or False,
        "policy_instance_list": record.get("policy_instance_list") or [],
        "instance_ids": [],
    })
    create_roles(store, "instance_group", record["id"])


def _before_delete(call: Call, record: Record) -> None:
    if record["name"] in BUILT_IN or not call.is_superuser:
        raise PermissionDenied()
    active = [j for j in _jobs(call.store, "instance_group", record["id"]) if j.get("status") in ACTIVE]
    if active:
        raise Conflict({"error": "Resource is being used by running jobs.", "active_jobs": [{"type": j.get("_type", "job"), "id": j["id"]} for j in active]})


def _delete(call: Call, record: Record) -> None:
    delete_roles(call.store, "instance_group", record["id"])
    call.store.delete("instance_groups", record["id"])


CRUD = Crud(
    kind="instance_groups",
    write_schema="InstanceGroupWrite",
    unique=(UniqueRule(("name",), "name", "Instance group with this Name already exists."),),
    validate=_validate,
    after_create=_create,
    before_delete=_before_delete,
    delete=_delete,
)
register_crud(CRUD, "api_instance_groups")


def serialize_instance(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    jobs = _jobs(store, "execution_node", record["hostname"])
    counts = _counts(jobs, INSTANCE_CAPACITY if record.get("enabled", True) else 0)
    now = format_time(call.clock.now())
    return {
        "id": pk,
        "hostname": record["hostname"],
        "type": "instance",
        "url": f"/api/v2/instances/{pk}/",
        "related": {name: f"/api/v2/instances/{pk}/{name}/" for name in ("receptor_addresses", "jobs", "peers", "instance_groups")},
        "summary_fields": {"user_capabilities": {"edit": False}},
        "uuid": record["uuid"],
        "created": format_time(record.get("created")),
        "modified": format_time(record.get("modified")),
        "last_seen": now,
        "health_check_started": None,
        "health_check_pending": False,
        "last_health_check": now,
        "errors": "",
        "capacity_adjustment": "1.00",
        "version": call.runtime.settings.version,
        **counts,
        "jobs_total": len(jobs),
        "cpu": "2.0",
        "memory": record.get("memory", 25276510208),
        "cpu_capacity": 8,
        "mem_capacity": INSTANCE_CAPACITY,
        "enabled": record.get("enabled", True),
        "managed_by_policy": True,
        "node_type": record.get("node_type", "hybrid"),
        "node_state": "ready",
        "managed": True,
        "ip_address": "",
        "peers": [],
        "reverse_peers": [],
        "listener_port": None,
        "peers_from_control_nodes": False,
        "protocol": "",
    }


INSTANCE_MODEL = register(Model(
    kind="instances",
    type="instance",
    name="Instance",
    serializer=serialize_instance,
    fields=("hostname", "uuid", "enabled", "node_type"),
    search_fields=("hostname",),
    default_order=("hostname",),
))
register_crud(Crud(kind="instances", write_schema=""), "api_instances", methods=("list", "read"))
