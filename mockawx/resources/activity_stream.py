"""The activity stream: one entry per create/update/delete/associate/disassociate, and its lists.

Entries are written through ``record_activity`` (or ``record_association`` for many-to-many changes).
The first argument may be a ``Call`` (the request's user is the actor) or a ``Runtime`` (the job
engine: no actor, as AWX shows for approval and notification bookkeeping).
"""

from __future__ import annotations

import json
import typing as t

from ..access import READ
from ..clock import format_time
from ..execution.lifecycle import FAILED, elapsed
from ..store import Record
from ..web.call import Call
from ._common import get_object, list_reply, user_summary
from ..model import MODELS, Model, register
from ._registry import handles

__all__ = ["record_activity", "record_association", "record_role_change", "record_user_create", "record_workflow_job_create", "record_job_create", "changed_fields", "snapshot", "TYPE_KINDS"]

# Object types an entry can point at, in the order AWX lists them in related/summary_fields.
TYPE_KINDS: dict[str, str] = {
    "organization": "organizations", "user": "users", "team": "teams", "inventory": "inventories",
    "host": "hosts", "group": "groups", "inventory_source": "inventory_sources",
    "inventory_update": "inventory_updates", "credential": "credentials", "credential_type": "credential_types",
    "project": "projects", "project_update": "project_updates", "job_template": "job_templates", "job": "jobs",
    "workflow_job_template_node": "workflow_job_template_nodes", "workflow_job_node": "workflow_job_nodes",
    "workflow_job_template": "workflow_job_templates", "workflow_job": "workflow_jobs",
    "workflow_approval_template": "workflow_approval_templates", "workflow_approval": "workflow_approvals",
    "notification_template": "notification_templates", "notification": "notifications", "label": "labels",
    "role": "roles", "schedule": "schedules", "instance_group": "instance_groups",
    "execution_environment": "execution_environments", "o_auth2_application": "applications",
    "o_auth2_access_token": "tokens",
}
KIND_TYPES = {kind: type_ for type_, kind in TYPE_KINDS.items()}
SUMMARY_FIELDS: dict[str, tuple[str, ...]] = {
    "user": ("id", "username", "first_name", "last_name"),
    "role": ("id", "role_field"),
    "schedule": ("id", "name", "description", "next_run"),
    "workflow_approval": ("id", "name"),
    "notification": ("id", "status", "notification_type", "notification_template_id"),
    "workflow_job_template_node": ("id", "unified_job_template_id"),
    "job": ("id", "name", "description", "status", "failed", "elapsed"),
}
HIDDEN = frozenset({"password"})
INTERNAL = frozenset({"id", "created", "modified", "created_by", "modified_by"})
# Secrets AWX never writes into an entry (rotating a webhook key makes no entry at all).
UNRECORDED = frozenset({"webhook_key"})
# Stored fields outside the write schema that AWX's snapshot of a create or delete also carries (before ``id``).
SNAPSHOT_EXTRA = {"workflow_job_templates": ("survey_spec",)}


Context = t.Any  # a Call, or anything with ``store``, ``clock`` and ``settings`` (the Runtime)


def _render(store: t.Any, kind: str, field: str, value: t.Any) -> t.Any:
    """A field value as AWX writes it into ``changes``: FKs as ``name-id``, JSON as text."""
    if field in HIDDEN:
        return "hidden"
    model = MODELS.get(kind)
    target = model.fks.get(field) if model else None
    if target and value is not None:
        from ._unified import find_unified_template

        found = find_unified_template(store, value) if target == "unified_job_templates" else (target, store.get(target, value))
        related = found[1] if found else None
        return f"{related.get('name') or related.get('username')}-{value}" if related else value
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    if hasattr(value, "isoformat"):
        return format_time(value)
    return value


def _spec(context: Context) -> t.Any:
    return context.runtime.spec if isinstance(context, Call) else context.spec


def snapshot(context: Context, kind: str, record: Record) -> dict[str, t.Any]:
    """The fields AWX stores in ``changes`` for a create or delete (write fields, then ``id``)."""
    spec = _spec(context)
    model = MODELS.get(kind)
    schema_name = f"{model.name}Write" if model else ""
    if model and spec.has_schema(schema_name):
        fields = list(spec.schema(schema_name).get("properties", {}))
    else:
        fields = [k for k in record if k not in INTERNAL and not k.startswith("_")]
    fields += [f for f in SNAPSHOT_EXTRA.get(kind, ()) if f not in fields]
    changes = {f: _render(context.store, kind, f, record.get(f)) for f in fields if f in record and f not in UNRECORDED}
    changes["id"] = record["id"]
    return changes


def changed_fields(before: Record, after: t.Mapping[str, t.Any], kind: str | None = None, store: t.Any = None) -> dict[str, list[t.Any]]:
    """``{field: [old, new]}`` for every field an update really changes."""
    changes: dict[str, list[t.Any]] = {}
    for field, new in after.items():
        if field in INTERNAL or field in UNRECORDED or field.startswith("_") or before.get(field) == new:
            continue
        if kind is not None and store is not None:
            changes[field] = [_render(store, kind, field, before.get(field)), _render(store, kind, field, new)]
        else:
            changes[field] = [_plain(before.get(field)), _plain(new)]
    return changes


def _plain(value: t.Any) -> t.Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return format_time(value) if hasattr(value, "isoformat") else value


def record_activity(
    context: Context,
    operation: str,
    kind: str,
    record: Record,
    changes: dict[str, t.Any] | None = None,
    related: t.Iterable[tuple[str, int]] = (),
    *,
    object2: str = "",
    association: str = "",
    object_type: str = "",
) -> Record:
    """Add one entry about ``record`` (of collection ``kind``); returns the stored entry.

    ``changes`` defaults to a snapshot for create/delete; ``related`` lists further ``(kind, id)``
    objects the entry involves (the other side of an association, the role granted...).
    """
    if changes is None:
        changes = snapshot(context, kind, record) if operation in ("create", "delete") else {}
    user = context.user if isinstance(context, Call) else None
    settings = context.runtime.settings if isinstance(context, Call) else context.settings
    entry: Record = {
        "id": None,
        "timestamp": context.clock.now(),
        "operation": operation,
        "changes": changes,
        "object1": KIND_TYPES.get(kind, kind),
        "object2": object2,
        "object_association": association,
        "action_node": settings.node_name,
        "object_type": object_type,
        "actor": user["id"] if user else None,
    }
    links: dict[str, list[int]] = {}
    if operation != "delete":
        for other_kind, pk in [(kind, record["id"]), *related]:
            links.setdefault(KIND_TYPES.get(other_kind, other_kind), [])
            if pk not in links[KIND_TYPES.get(other_kind, other_kind)]:
                links[KIND_TYPES.get(other_kind, other_kind)].append(pk)
    entry.update(links)
    return context.store.insert("activity_stream", entry)


def record_association(
    context: Context, operation: str, kind1: str, pk1: int, kind2: str, pk2: int, relationship: str,
    *, association: str, object_type: str = "", related: t.Iterable[tuple[str, int]] = (),
) -> Record:
    """An associate/disassociate entry: ``changes`` names both sides and AWX's relation.

    The entry links ``kind1``/``pk1`` and ``related`` when given (a role grant: the template and the
    role, while ``pk2`` is the role id as AWX records it), else ``kind2``/``pk2``.
    """
    changes = {
        "object1": KIND_TYPES.get(kind1, kind1), "object1_pk": pk1,
        "object2": KIND_TYPES.get(kind2, kind2), "object2_pk": pk2,
        "action": operation, "relationship": relationship,
    }
    record = {"id": pk1}
    others = list(related) or [(kind2, pk2)]
    return record_activity(
        context, operation, kind1, record, changes, others,
        object2=KIND_TYPES.get(kind2, kind2), association=association, object_type=object_type,
    )


def record_role_change(call: Call, role: Record, holder_kind: str, holder_id: int, disassociate: bool) -> Record:
    """A role grant or revoke as AWX records it; object1 is the holder when the request went through its URL.

    Granting through the holder (``/users/{id}/roles/``) names the role id as ``object2_pk``; through the
    role or its object (``/roles/{id}/users/``, ``/teams/{id}/users/``) object1 is the role's object and
    object2 the holder. A team holding a role is a role parent, and that entry does not link the role.
    """
    content_type, content_id = role["content_type"], role["object_id"]
    content_kind = TYPE_KINDS.get(content_type, content_type)
    operation = "disassociate" if disassociate else "associate"
    relationship = "awx.main.models.rbac.Role_" + ("members" if holder_kind == "users" else "parents")
    related = [(holder_kind, holder_id), (content_kind, content_id)]
    if holder_kind == "users":
        related.append(("roles", role["id"]))
    if call.path.startswith(f"/api/v2/{holder_kind}/"):
        sides = (holder_kind, holder_id, content_kind, role["id"])
    else:
        sides = (content_kind, content_id, holder_kind, holder_id)
    kind1, pk1, kind2, pk2 = sides
    changes = {
        "object1": KIND_TYPES.get(kind1, kind1), "object1_pk": pk1, "object2": KIND_TYPES.get(kind2, kind2),
        "object2_pk": pk2, "action": operation, "relationship": relationship,
    }
    return record_activity(
        call, operation, kind1, {"id": pk1}, changes, related,
        object2=KIND_TYPES.get(kind2, kind2), association="role", object_type=content_type,
    )


def record_user_create(call: Call, user: Record) -> None:
    """A new user: AWX's create entry, then the update its password setting makes."""
    changes = {f: _render(call.store, "users", f, user.get(f)) for f in ("username", "first_name", "last_name", "email", "is_superuser")}
    changes.update(password="hidden", id=user["id"])
    record_activity(call, "create", "users", user, changes)
    record_activity(call, "update", "users", user, {"password": ["hidden", "hidden"]})


WORKFLOW_JOB_SNAPSHOT = (
    "name", "description", "workflow_job_template", "extra_vars", "allow_simultaneous", "job_template", "is_sliced_job",
    "inventory", "limit", "scm_branch", "webhook_service", "webhook_credential", "webhook_guid", "skip_tags", "job_tags",
)


def record_workflow_job_create(context: Context, job: Record) -> None:
    """A launched workflow job's create entry (its own fields, not the template's write schema)."""
    changes = {f: _render(context.store, "workflow_jobs", f, job.get(f)) for f in WORKFLOW_JOB_SNAPSHOT}
    changes["id"] = job["id"]
    record_activity(context, "create", "workflow_jobs", job, changes)


JOB_SNAPSHOT = (
    "name", "description", "job_type", "inventory", "project", "playbook", "scm_branch", "forks", "limit", "verbosity",
    "extra_vars", "job_tags", "force_handlers", "skip_tags", "start_at_task", "timeout", "use_fact_cache",
    "execution_environment", "job_template", "allow_simultaneous", "instance_group", "diff_mode", "job_slice_number",
    "job_slice_count", "webhook_service", "webhook_credential", "webhook_guid",
)


def record_job_create(context: Context, job: Record) -> None:
    """A job's create entry: its fields, then its credentials as ``name (id)`` and its label names."""
    store = context.store
    changes = {f: _render(store, "jobs", f, job.get(f)) for f in JOB_SNAPSHOT}
    changes["id"] = job["id"]
    credentials = [store.get("credentials", pk) for pk in job.get("credentials") or []]
    changes["credentials"] = [f"{c['name']} ({c['id']})" for c in credentials if c]
    labels = [store.get("labels", pk) for pk in job.get("labels") or []]
    changes["labels"] = [label["name"] for label in labels if label]
    record_activity(context, "create", "jobs", job, changes)


# -- serialization ----------------------------------------------------------------------
def _summary(store: t.Any, type_: str, record: Record, now: t.Any = None) -> dict[str, t.Any]:
    fields = SUMMARY_FIELDS.get(type_, ("id", "name", "description"))
    out: dict[str, t.Any] = {}
    for field in fields:
        value = record.get(field)
        if field in ("notification_template_id", "unified_job_template_id"):
            value = record.get(field[:-3])
        if field == "elapsed":
            value = elapsed(record, now)
        if field == "failed":  # computed from the status, as the job serializers do
            value = record.get("status") in FAILED
        if field == "next_run":
            if value is None:
                continue
            value = format_time(value)
        out[field] = "" if value is None and field == "description" else value
    return out


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    store = call.store
    related: dict[str, t.Any] = {}
    summary: dict[str, t.Any] = {}
    if record.get("actor") and store.get("users", record["actor"]):
        related["actor"] = f"/api/v2/users/{record['actor']}/"
    for type_, kind in TYPE_KINDS.items():
        objects = [store.get(kind, pk) for pk in record.get(type_) or []]
        objects = [o for o in objects if o is not None]
        if not objects:
            continue
        related[type_] = [f"/api/v2/{kind}/{o['id']}/" for o in objects]
        summary[type_] = [_summary(store, type_, o, call.clock.now()) for o in objects]
        _extra_summary(store, type_, objects, related, summary)
    actor = user_summary(store, record.get("actor"))
    if actor:
        summary["actor"] = actor
    return {
        "id": record["id"], "type": "activity_stream", "url": f"/api/v2/activity_stream/{record['id']}/",
        "related": related, "summary_fields": summary, "timestamp": format_time(record["timestamp"]),
        "operation": record["operation"], "changes": record["changes"], "object1": record["object1"],
        "object2": record["object2"], "object_association": record["object_association"],
        "action_node": record["action_node"], "object_type": record["object_type"],
    }


def _extra_summary(store: t.Any, type_: str, objects: list[Record], related: dict[str, t.Any], summary: dict[str, t.Any]) -> None:
    """Schedules also show their template; approvals their workflow job (as AWX does)."""
    from ._unified import find_unified_template

    if type_ == "schedule":
        found = find_unified_template(store, objects[0].get("unified_job_template"))
        if found is not None:
            kind, template = found
            related["unified_job_template"] = f"/api/v2/{kind}/{template['id']}/"
            summary[KIND_TYPES.get(kind, kind)] = [_summary(store, KIND_TYPES.get(kind, kind), template)]
    elif type_ == "job":
        template = store.get("job_templates", objects[0].get("job_template"))
        if template is not None:
            summary["job_template"] = [_summary(store, "job_template", template)]
    elif type_ == "workflow_job_template_node":
        template = store.get("workflow_job_templates", objects[0].get("workflow_job_template"))
        if template is not None:
            summary["workflow_job_template"] = [_summary(store, "workflow_job_template", template)]
    elif type_ == "workflow_approval":
        nodes = [n for n in store.all("workflow_job_nodes") if n.get("job") == objects[0]["id"]]
        job = store.get("workflow_jobs", nodes[0].get("workflow_job")) if nodes else None
        if job is not None:
            summary["workflow_job"] = [_summary(store, "workflow_job", job)]


MODEL = register(Model(
    kind="activity_stream",
    type="activity_stream",
    name="ActivityStream",
    serializer=serialize,
    fields=("timestamp", "operation", "object1", "object2", "object_association", "object_type", "action_node"),
    fks={"actor": "users"},
    m2m=dict(TYPE_KINDS),
    search_fields=("changes",),
    default_order=("id",),
    computed={"changes": lambda store, r: json.dumps(r.get("changes"))},
))


# -- handlers ---------------------------------------------------------------------------
def _visible(call: Call, entries: t.Iterable[Record]) -> list[Record]:
    """Superusers and auditors see everything; others the entries about objects they can read."""
    entries = list(entries)
    if call.access.can(call.user, READ, "activity_stream"):
        return entries
    user_id = call.user["id"] if call.user else None
    visible = []
    for entry in entries:
        readable = any(
            (obj := call.store.get(kind, pk)) is not None and call.access.can(call.user, READ, kind, obj)
            for type_, kind in TYPE_KINDS.items() for pk in entry.get(type_) or []
        )
        if readable or entry.get("actor") == user_id:
            visible.append(entry)
    return visible


def _about(call: Call, type_: str, pk: int) -> list[Record]:
    """Entries linking the object; a workflow template's also take in those about its nodes."""
    nodes: set[int] = set()
    if type_ == "workflow_job_template":
        nodes = {n["id"] for n in call.store.find("workflow_job_template_nodes", "workflow_job_template", pk)}
    return [
        e for e in call.store.all("activity_stream")
        if pk in (e.get(type_) or []) or nodes.intersection(e.get("workflow_job_template_node") or [])
    ]


@handles("api_activity_stream_list")
def activity_stream_list(call: Call) -> dict[str, t.Any]:
    """Every entry the user may see."""
    return list_reply(call, "activity_stream", _visible(call, call.store.all("activity_stream")))


@handles("api_activity_stream_read")
def activity_stream_read(call: Call) -> dict[str, t.Any]:
    """One entry."""
    return serialize(call, get_object(call, "activity_stream"), True)


def _sublist(kind: str) -> t.Callable[[Call], dict[str, t.Any]]:
    def listing(call: Call) -> dict[str, t.Any]:
        parent = get_object(call, kind)
        return list_reply(call, "activity_stream", _visible(call, _about(call, KIND_TYPES[kind], parent["id"])))

    listing.__doc__ = f"The entries about one of {kind}."
    return listing


# every kind whose detail AWX gives an activity_stream/ sub-list (of those the mock serves)
SUBLIST_KINDS = (
    "workflow_job_templates", "workflow_jobs", "jobs", "organizations", "users", "teams", "projects", "inventories",
    "inventory_sources", "job_templates", "credentials", "credential_types", "execution_environments", "applications",
    "tokens",
)
for _kind in SUBLIST_KINDS:
    handles(f"api_{_kind}_activity_stream_list")(_sublist(_kind))
