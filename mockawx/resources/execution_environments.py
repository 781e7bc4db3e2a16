"""Execution environments: CRUD; managed ones (installed by an operator) cannot be changed."""

from __future__ import annotations

import typing as t

from ..errors import BadRequest, field_error
from ..store import Record
from ..web.call import Call
from ._common import base, named_url, summary_of
from ._crud import Crud, register_crud
from ..model import Model, register
from .roles import ordered

RELATED = ("activity_stream", "unified_job_templates", "copy")
SUMMARY_ORDER = ("organization", "credential", "created_by", "modified_by", "user_capabilities")
TEMPLATE_USERS = ("job_templates", "workflow_job_templates", "projects", "inventory_sources", "organizations")


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    related: dict[str, t.Any] = {}
    if detail:
        related["named_url"] = named_url(call, "execution_environments", record)
    related.update({name: f"/api/v2/execution_environments/{pk}/{name}/" for name in RELATED})
    if record.get("organization"):
        related["organization"] = f"/api/v2/organizations/{record['organization']}/"
    if record.get("credential"):
        related["credential"] = f"/api/v2/credentials/{record['credential']}/"
    capabilities = call.access.capabilities(call.user, "execution_environments", record, ("edit", "delete", "copy"))
    summary = {
        "organization": summary_of(store, "organizations", record.get("organization")),
        "credential": _credential_summary(call, record.get("credential")),
        "user_capabilities": capabilities,
    }
    body = base(call, MODEL, record, related, summary)
    body["related"] = ordered(body["related"], ("named_url",))
    body["summary_fields"] = ordered(body["summary_fields"], SUMMARY_ORDER)
    body.update({
        "name": record["name"],
        "description": record.get("description", ""),
        "organization": record.get("organization"),
        "image": record["image"],
        "managed": record.get("managed", False),
        "credential": record.get("credential"),
        "pull": record.get("pull", ""),
    })
    return body


def _credential_summary(call: Call, pk: int | None) -> dict[str, t.Any] | None:
    from .credentials import credential_kind

    credential = call.store.get("credentials", pk)
    if credential is None:
        return None
    return {"id": pk, "name": credential["name"], "description": credential.get("description", ""), **credential_kind(call.store, credential)}


MODEL = register(Model(
    kind="execution_environments",
    type="execution_environment",
    name="ExecutionEnvironment",
    serializer=serialize,
    fields=("name", "description", "image", "managed", "pull"),
    fks={"organization": "organizations", "credential": "credentials"},
    default_order=("name",),
))


def _validate(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    if existing is not None and existing.get("managed"):
        changed = {k for k, v in values.items() if k != "pull" and v != existing.get(k)}
        if changed:
            raise BadRequest({"__all__": ["Only the 'pull' field can be edited for managed execution environments."]})
    credential = call.store.get("credentials", values.get("credential"))
    if credential is not None:
        ctype = call.store.get("credential_types", credential.get("credential_type")) or {}
        if ctype.get("kind") != "registry":
            raise field_error("credential", "Only Container Registry credentials can be associated with an Execution Environment")
    if existing is None:
        values.setdefault("organization", None)
        values.setdefault("credential", None)
        values["managed"] = False


def _delete(call: Call, record: Record) -> None:
    """Templates and organizations using the environment fall back to none (SET_NULL)."""
    store = call.store
    pk = record["id"]
    for kind in TEMPLATE_USERS:
        field = "default_environment" if kind in ("organizations", "projects") else "execution_environment"
        for other in store.find(kind, field, pk):
            store.update(kind, other["id"], {field: None})
    store.delete("execution_environments", pk)


CRUD = Crud(kind="execution_environments", write_schema="ExecutionEnvironmentWrite", validate=_validate, delete=_delete)
register_crud(CRUD, "api_execution_environments")
