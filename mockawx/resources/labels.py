"""Labels: the global collection and the ``labels/`` sub-list that templates, nodes and jobs share."""

from __future__ import annotations

import typing as t

from ..access import CHANGE, READ
from ..errors import BadRequest, PermissionDenied
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import base, created, get_object, list_reply, named_url, stamp, summary_of
from ._crud import Crud, UniqueRule, apply_write, register_crud
from ..model import Model, register
from ._registry import handle
from .access import allowed
from .activity_stream import record_activity, record_association

__all__ = ["MODEL", "MAX_LABELS", "is_unused", "label_summary", "register_label_sublist", "drop_if_unused"]

MAX_LABELS = 100
UNIQUE = UniqueRule(("name", "organization"), "__all__", "Label with this Name and Organization already exists.")


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    related: dict[str, t.Any] = {}
    if record.get("organization"):
        related["organization"] = f"/api/v2/organizations/{record['organization']}/"
    summary = {"organization": summary_of(call.store, "organizations", record.get("organization"))}
    body = base(call, MODEL, record, related, summary)
    # AWX's order: named_url, created_by, modified_by, organization; organization's summary first
    links = {"named_url": named_url(call, "labels", record)} if detail else {}
    links.update(body["related"])
    body["related"] = links
    summaries = body["summary_fields"]
    ordered = {"organization": summaries.pop("organization")} if "organization" in summaries else {}
    body["summary_fields"] = {**ordered, **summaries}
    body.update({"name": record["name"], "organization": record.get("organization")})
    return body


MODEL = register(Model(
    kind="labels",
    type="label",
    name="Label",
    serializer=serialize,
    fields=("name",),
    fks={"organization": "organizations"},
    default_order=("organization", "name"),
))


def label_summary(store: Store, label_ids: t.Iterable[int]) -> dict[str, t.Any]:
    """``summary_fields.labels``: ``{count, results: [{id, name}]}`` sorted by name, at most 10 results."""
    labels = sorted((l for l in (store.get("labels", i) for i in label_ids) if l), key=lambda l: (l["name"], l["id"]))
    return {"count": len(labels), "results": [{"id": l["id"], "name": l["name"]} for l in labels[:10]]}


def is_unused(store: Store, label_id: int) -> bool:
    """No template, job, node, schedule or inventory carries the label any more."""
    for kind in list(store.tables):
        if kind == "labels":
            continue
        for record in store.all(kind):
            labels = record.get("labels")
            if isinstance(labels, list) and label_id in labels:
                return False
    return True


def drop_if_unused(store: Store, label_id: int) -> None:
    """AWX deletes a label as soon as the last object using it lets go."""
    if store.get("labels", label_id) is not None and is_unused(store, label_id):
        store.delete("labels", label_id)


def _validate(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    organization = values.get("organization", (existing or {}).get("organization"))
    record = call.store.get("organizations", organization)
    action = READ if existing is None else CHANGE
    if record is not None and not allowed(call, action, "organizations", record):
        raise PermissionDenied()


CRUD = Crud(kind="labels", write_schema="LabelWrite", unique=(UNIQUE,), validate=_validate)
register_crud(CRUD, "api_labels", methods=("list", "create", "read", "update", "partial_update"))


# -- the labels/ sub-list of templates, nodes and jobs ---------------------------------------------
def _sub_id(call: Call) -> tuple[t.Any, bool]:
    data = call.raw_body
    if not isinstance(data, dict):
        raise BadRequest("invalid type for post data")
    return data.get("id"), "disassociate" in data


def _label_or_400(call: Call, label_id: t.Any) -> Record:
    label = call.store.get("labels", label_id) if isinstance(label_id, int) else None
    if label is None:
        raise BadRequest({"detail": "Label matching query does not exist."})
    return label


def _detach(call: Call, kind: str, parent: Record, label_id: t.Any) -> Reply:
    if not label_id:
        raise BadRequest({"msg": '"id" is required to disassociate'})
    if not isinstance(label_id, int):
        raise BadRequest({"msg": '"id" field must be an integer.'})
    label = _label_or_400(call, label_id)
    current = list(parent.get("labels") or [])
    if label["id"] in current:
        call.store.update(kind, parent["id"], {"labels": [i for i in current if i != label["id"]]})
    _record_label_link(call, "disassociate", kind, parent, label)  # AWX records a detach even of an unattached label
    drop_if_unused(call.store, label["id"])
    return Reply(204, None)


def _record_label_link(call: Call, operation: str, kind: str, parent: Record, label: Record) -> None:
    """The activity entry of a label attached to or detached from a template or job."""
    owner = "UnifiedJob" if kind.endswith("jobs") else "UnifiedJobTemplate"
    record_association(call, operation, kind, parent["id"], "labels", label["id"],
                       f"awx.main.models.unified_jobs.{owner}_labels", association="labels")


def _attach(call: Call, kind: str, parent: Record, label_id: t.Any, limit_message: str) -> Reply:
    body = call.body
    if not label_id and "name" in body and "organization" in body:
        # an existing label of that name in that organization is attached instead of duplicated
        label_id = next((l["id"] for l in sorted(call.store.all("labels"), key=lambda l: l["id"])
                         if l.get("name") == body["name"] and l.get("organization") == body["organization"]), label_id)
    current = list(parent.get("labels") or [])
    if len(current) > MAX_LABELS:
        raise BadRequest({"msg": limit_message})
    if label_id and not isinstance(label_id, int):
        raise BadRequest({"msg": '"id" field must be an integer.'})
    new = not label_id
    if new:
        cleaned = apply_write(call, CRUD, None)
        label = call.store.insert("labels", stamp(call, {"id": None, **cleaned}, creating=True))
        record_activity(call, "create", "labels", label)
    else:
        label = _label_or_400(call, label_id)
    if label["id"] not in current:
        call.store.update(kind, parent["id"], {"labels": [*current, label["id"]]})
        _record_label_link(call, "associate", kind, parent, label)
    return created(call, "labels", label) if new else Reply(204, None)


def register_label_sublist(kind: str, operation_prefix: str, verbose_name: str, *, writable: bool = True) -> None:
    """Register GET (and POST attach/create/detach) of ``/<kind>/{id}/labels/``."""

    def listing(call: Call) -> dict[str, t.Any]:
        parent = get_object(call, kind)
        if not allowed(call, READ, kind, parent):
            raise PermissionDenied()
        ids = set(parent.get("labels") or [])
        return list_reply(call, "labels", [l for l in call.store.all("labels") if l["id"] in ids])

    def post(call: Call) -> Reply:
        parent = get_object(call, kind)
        label_id, detach = _sub_id(call)
        if not allowed(call, CHANGE, kind, parent):
            raise PermissionDenied()
        if detach:
            return _detach(call, kind, parent, label_id)
        return _attach(call, kind, parent, label_id, f"Maximum number of labels for {verbose_name} reached.")

    handle(f"{operation_prefix}_labels_list", listing)
    if writable:
        handle(f"{operation_prefix}_labels_create", post)


register_label_sublist("workflow_job_templates", "api_workflow_job_templates", "workflow job template")
register_label_sublist("job_templates", "api_job_templates", "job template")
