"""OAuth2 applications: CRUD; the client secret is shown once, on creation."""

from __future__ import annotations

import typing as t

from ..auth import new_secret, token_digest
from ..store import Record
from ..web.call import Call, Reply
from ._common import base, created, named_url, stamp, summary_of
from .activity_stream import record_activity
from ._crud import Crud, UniqueRule, apply_write, register_crud
from ..model import Model, register
from ._registry import handles

__all__ = ["MODEL", "CENSORED"]

CENSORED = "************"


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    related: dict[str, t.Any] = {}
    if detail:
        related["named_url"] = named_url(call, "applications", record)
    related.update({"tokens": f"/api/v2/applications/{pk}/tokens/", "activity_stream": f"/api/v2/applications/{pk}/activity_stream/"})
    if record.get("organization"):
        related["organization"] = f"/api/v2/organizations/{record['organization']}/"
    tokens = sorted(store.find("tokens", "application", pk), key=lambda r: r["id"])
    summary = {
        "organization": summary_of(store, "organizations", record.get("organization")),
        "user_capabilities": call.access.capabilities(call.user, "applications", record, ("edit", "delete")),
        "tokens": {"count": len(tokens), "results": [{"id": x["id"], "token": CENSORED, "scope": x["scope"]} for x in tokens[:10]]},
    }
    body = base(call, MODEL, record, related, summary)
    # applications record no creator: AWX shows no created_by/modified_by for them
    for key in ("created_by", "modified_by"):
        body["related"].pop(key, None)
        body["summary_fields"].pop(key, None)
    body.update({
        "name": record["name"],
        "description": record.get("description", ""),
        "client_id": record["client_id"],
        "client_secret": record.get("_clear_secret") or CENSORED,
        "client_type": record["client_type"],
        "redirect_uris": record.get("redirect_uris") or "",
        "authorization_grant_type": record["authorization_grant_type"],
        "skip_authorization": record.get("skip_authorization", False),
        "organization": record.get("organization"),
    })
    if record["client_type"] == "public":
        body.pop("client_secret")
    return body


MODEL = register(Model(
    kind="applications",
    type="o_auth2_application",
    name="OAuth2Application",
    serializer=serialize,
    fields=("name", "description", "client_id", "client_type", "redirect_uris", "authorization_grant_type", "skip_authorization"),
    fks={"organization": "organizations"},
    default_order=("name",),
))


def _delete(call: Call, record: Record) -> None:
    for token in call.store.find("tokens", "application", record["id"]):
        call.store.delete("tokens", token["id"])
    call.store.delete("applications", record["id"])


CRUD = Crud(
    kind="applications",
    write_schema="ApplicationWrite",
    unique=(UniqueRule(("name", "organization"), "__all__", "Application with this Name and Organization already exists."),),
    delete=_delete,
)
register_crud(CRUD, "api_applications", methods=("list", "read", "update", "partial_update", "delete"))


@handles("api_applications_create")
def application_create(call: Call) -> Reply:
    values = apply_write(call, CRUD, None)
    secret = new_secret(128)
    record = stamp(call, {
        "id": None, **values, "redirect_uris": values.get("redirect_uris") or "",
        "client_id": call.runtime.new_key(40), "client_secret": token_digest(secret),
    }, creating=True)
    call.store.insert("applications", record)
    record_activity(call, "create", "applications", record)
    # the clear secret lives only in this response, never in the store
    return created(call, "applications", {**record, "_clear_secret": secret})
