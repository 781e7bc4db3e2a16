"""Inventories and hosts: CRUD, computed counts, async-style delete, the hosts sub-list."""

from __future__ import annotations

import typing as t

from ..errors import BadRequest, field_error
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import base, check_foreign_keys, created, get_object, list_reply, named_url, stamp, summary_of
from ._crud import Crud, UniqueRule, register_crud, schema_defaults
from ..model import Model, register
from ._roles import create_roles, delete_roles, object_roles_summary
from ._registry import handles
from ._vars import check_vars_text

__all__ = ["MODEL", "HOST_MODEL", "inventory_counts", "inventory_summary"]

SUBLISTS = (
    "hosts", "variable_data", "script", "activity_stream", "job_templates", "ad_hoc_commands", "access_list",
    "object_roles", "instance_groups", "copy", "labels", "groups", "root_groups", "update_inventory_sources",
    "inventory_sources", "tree",
)
HOST_SUBLISTS = (
    "variable_data", "groups", "all_groups", "job_events", "job_host_summaries", "activity_stream",
    "inventory_sources", "smart_inventories", "ad_hoc_commands", "ad_hoc_command_events", "ansible_facts",
)
# summary_fields.inventory of the objects that point at an inventory, in AWX's order.
INVENTORY_SUMMARY = (
    "id", "name", "description", "has_active_failures", "total_hosts", "hosts_with_active_failures",
    "total_groups", "has_inventory_sources", "total_inventory_sources", "inventory_sources_with_failures",
    "organization_id", "kind",
)
HOST_UNIQUE = UniqueRule(("name", "inventory"), "__all__", "Host with this Name and Inventory already exists.")


def inventory_counts(store: Store, inventory_id: int, skip_host: int | None = None) -> dict[str, t.Any]:
    """The computed host and source counts AWX keeps on an inventory."""
    from .inventory_sources import source_failed

    hosts = [h for h in store.all("hosts") if h.get("inventory") == inventory_id and h["id"] != skip_host]
    sources = [s for s in store.all("inventory_sources") if s.get("inventory") == inventory_id]
    return {
        "has_active_failures": False,
        "total_hosts": len(hosts),
        "hosts_with_active_failures": 0,
        "total_groups": 0,
        "has_inventory_sources": bool(sources),
        "total_inventory_sources": len(sources),
        "inventory_sources_with_failures": sum(1 for s in sources if source_failed(store, s)),
    }


def inventory_summary(call: Call, inventory_id: int | None) -> dict[str, t.Any] | None:
    """``summary_fields.inventory`` of objects that point at an inventory."""
    inventory = call.store.get("inventories", inventory_id)
    if inventory is None:
        return None
    summary = {f: inventory.get(f) for f in INVENTORY_SUMMARY}
    summary["description"] = inventory.get("description") or ""
    summary["organization_id"] = inventory.get("organization")
    summary["kind"] = inventory.get("kind") or ""
    summary.update(inventory_counts(call.store, inventory["id"], call.extra.get("skip_host")))
    return summary


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    related: dict[str, t.Any] = {}
    if detail:
        related["named_url"] = named_url(call, "inventories", record)
    related.update({name: f"/api/v2/inventories/{pk}/{name}/" for name in SUBLISTS})
    if record.get("organization"):
        related["organization"] = f"/api/v2/organizations/{record['organization']}/"
    labels = sorted((l for l in (store.get("labels", i) for i in record.get("labels", [])) if l), key=lambda l: l["name"])
    summary = {
        "organization": summary_of(store, "organizations", record.get("organization")),
        "object_roles": object_roles_summary(store, "inventory", pk),
        "user_capabilities": call.access.capabilities(call.user, "inventories", record, ("edit", "delete", "copy", "adhoc")),
        "labels": {"count": len(labels), "results": [{"id": l["id"], "name": l["name"]} for l in labels[:10]]},
    }
    body = base(call, MODEL, record, related, summary)
    body.update({
        "name": record["name"],
        "description": record.get("description") or "",
        "organization": record.get("organization"),
        "kind": record.get("kind") or "",
        "host_filter": record.get("host_filter"),
        "variables": record.get("variables") or "",
        **inventory_counts(store, pk),
        "pending_deletion": False,
        "prevent_instance_group_fallback": bool(record.get("prevent_instance_group_fallback")),
    })
    return body


MODEL = register(Model(
    kind="inventories",
    type="inventory",
    name="Inventory",
    serializer=serialize,
    fields=("name", "description", "kind", "host_filter", "variables", "prevent_instance_group_fallback"),
    fks={"organization": "organizations"},
    m2m={"labels": "labels"},
    default_order=("name",),
))


def _validate(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    for field in ("description", "variables"):
        if field in values and values[field] is None:
            values[field] = ""
    if "variables" in values:
        check_vars_text("variables", values["variables"])


def _after_create(call: Call, record: Record) -> None:
    call.store.update("inventories", record["id"], {"labels": record.get("labels", [])})
    create_roles(call.store, "inventory", record["id"])


def _delete(call: Call, record: Record) -> None:
    """AWX deletes inventories asynchronously (202); the mock finishes the deletion at once."""
    store = call.store
    pk = record["id"]
    for host in store.find("hosts", "inventory", pk):
        store.delete("hosts", host["id"])
    for source in [s for s in store.all("inventory_sources") if s.get("inventory") == pk]:
        store.delete("inventory_sources", source["id"])
    for kind in ("job_templates", "workflow_job_templates"):
        for template in store.all(kind):
            if template.get("inventory") == pk:
                store.update(kind, template["id"], {"inventory": None})
    delete_roles(store, "inventory", pk)
    store.delete("inventories", pk)


CRUD = Crud(
    kind="inventories",
    write_schema="InventoryWrite",
    unique=(UniqueRule(("name", "organization"), "__all__", "Inventory with this Name and Organization already exists."),),
    validate=_validate,
    after_create=_after_create,
    delete=_delete,
    delete_status=202,
)
register_crud(CRUD, "api_inventories")


# -- hosts ------------------------------------------------------------------------------------

def serialize_host(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    related: dict[str, t.Any] = {}
    if detail:
        related["named_url"] = named_url(call, "hosts", record)
    related.update({name: f"/api/v2/hosts/{pk}/{name}/" for name in HOST_SUBLISTS})
    related["inventory"] = f"/api/v2/inventories/{record['inventory']}/"
    summary = {
        "inventory": inventory_summary(call, record.get("inventory")),
        "user_capabilities": call.access.capabilities(call.user, "hosts", record, ("edit", "delete")),
        "groups": {"count": 0, "results": []},
        "recent_jobs": [],
    }
    body = base(call, HOST_MODEL, record, related, summary)
    body.update({
        "name": record["name"],
        "description": record.get("description") or "",
        "inventory": record["inventory"],
        "enabled": record.get("enabled", True),
        "instance_id": record.get("instance_id") or "",
        "variables": record.get("variables") or "",
        "has_active_failures": False,
        "has_inventory_sources": False,
        "last_job": None,
        "last_job_host_summary": None,
        "ansible_facts_modified": None,
    })
    return body


HOST_MODEL = register(Model(
    kind="hosts",
    type="host",
    name="Host",
    serializer=serialize_host,
    fields=("name", "description", "enabled", "instance_id", "variables"),
    fks={"inventory": "inventories"},
    default_order=("name",),
))


@handles("api_hosts_list")
def hosts(call: Call) -> dict[str, t.Any]:
    return list_reply(call, "hosts", call.store.all("hosts"))


@handles("api_hosts_read")
def host(call: Call) -> dict[str, t.Any]:
    return serialize_host(call, get_object(call, "hosts"), True)


@handles("api_inventories_hosts_list")
def inventory_hosts(call: Call) -> dict[str, t.Any]:
    inventory = get_object(call, "inventories")
    return list_reply(call, "hosts", call.store.find("hosts", "inventory", inventory["id"]))


@handles("api_inventories_hosts_create")
def create_host(call: Call) -> Reply:
    inventory = get_object(call, "inventories")
    cleaned = call.validated("HostWrite", partial=True)
    cleaned["inventory"] = inventory["id"]
    if not cleaned.get("name"):
        raise field_error("name", "This field is required.")
    check_foreign_keys(call, "HostWrite", cleaned)
    values = {**{k: v for k, v in schema_defaults(call, "HostWrite").items() if v is not None}, **cleaned}
    values.setdefault("description", "")
    check_vars_text("variables", values.get("variables") or "")
    if HOST_UNIQUE.violated(call.store, "hosts", values, None):
        raise BadRequest({HOST_UNIQUE.key: [HOST_UNIQUE.message]})
    record = call.store.insert("hosts", stamp(call, {"id": None, **values}, creating=True))
    call.extra["skip_host"] = record["id"]  # AWX recounts an inventory's hosts after the response
    return created(call, "hosts", record)
