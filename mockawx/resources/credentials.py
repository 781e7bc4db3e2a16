"""Credentials (inputs checked against their type, secrets never shown) and credential types."""

from __future__ import annotations

import typing as t

import jsonschema

from ..errors import BadRequest, HtmlNotFound, NotFound, PermissionDenied
from ..store import Record, Store
from ..web.call import Call, Reply
from ._common import base, check_foreign_keys, created, stamp, summary_of
from ._crud import Crud, UniqueRule, apply_write, register_crud, schema_defaults
from ._members import role_of
from ..model import Model, register
from ._registry import handles
from ._roles import create_roles, delete_roles, object_roles_summary
from .roles import ordered

__all__ = ["serialize_inputs", "credential_kind", "delete_credential", "CREDENTIAL_MODEL", "TYPE_MODEL"]

ENCRYPTED = "$encrypted$"
RELATED = ("activity_stream", "access_list", "object_roles", "owner_users", "owner_teams", "copy", "input_sources")
SUMMARY_ORDER = ("organization", "credential_type", "created_by", "modified_by", "object_roles", "user_capabilities", "owners")
# Where other objects point at a credential: a single FK (set null) or a list (the id is removed).
FK_USERS = {
    "credential": ("projects", "inventory_sources", "execution_environments", "instance_groups"),
    "webhook_credential": ("job_templates", "workflow_job_templates"),
}
LIST_USERS = {
    "credentials": ("job_templates", "workflow_job_template_nodes", "schedules", "jobs", "workflow_job_nodes"),
    "galaxy_credentials": ("organizations",),
}


# -- credential types ---------------------------------------------------------------------

def serialize_type(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    related = {"credentials": f"/api/v2/credential_types/{pk}/credentials/", "activity_stream": f"/api/v2/credential_types/{pk}/activity_stream/"}
    summary = {"user_capabilities": call.access.capabilities(call.user, "credential_types", record, ("edit", "delete"))}
    body = base(call, TYPE_MODEL, record, related, summary)
    body.update({
        "name": record["name"],
        "description": record.get("description", ""),
        "kind": record["kind"],
        "namespace": record.get("namespace"),
        "managed": record.get("managed", False),
        "inputs": record.get("inputs", {}),
        "injectors": record.get("injectors", {}),
    })
    return body


TYPE_MODEL = register(Model(
    kind="credential_types",
    type="credential_type",
    name="CredentialType",
    serializer=serialize_type,
    fields=("name", "description", "kind", "namespace", "managed", "inputs", "injectors"),
    default_order=("kind", "name"),
))


def _in_use(store: Store, type_id: int) -> bool:
    return any(c.get("credential_type") == type_id for c in store.all("credentials"))


def _validate_type(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    if existing is not None and existing.get("managed"):
        raise PermissionDenied({"detail": "Modifications not allowed for managed credential types"})
    inputs = values.get("inputs")
    if existing is not None and "inputs" in values and inputs != existing.get("inputs") and _in_use(call.store, existing["id"]):
        raise PermissionDenied({"detail": "Modifications to inputs are not allowed for credential types that are in use"})
    fields = (inputs or {}).get("fields", []) if isinstance(inputs, dict) else []
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("id"), str) for f in fields):
        raise BadRequest({"inputs": ["'fields' must be a list of objects, each with a string 'id'."]})
    ids = [f["id"] for f in fields]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise BadRequest({"inputs": [f"field IDs must be unique ({duplicates[0]})"]})
    if any(f.get("ask_at_runtime") for f in fields):
        raise BadRequest({"inputs": ["'ask_at_runtime' is not supported for custom credentials."]})
    values.setdefault("namespace", None)


def _type_before_delete(call: Call, record: Record) -> None:
    if record.get("managed"):
        raise PermissionDenied({"detail": "Deletion not allowed for managed credential types"})
    if _in_use(call.store, record["id"]):
        raise PermissionDenied({"detail": "Credential types that are in use cannot be deleted"})


TYPE_CRUD = Crud(
    kind="credential_types",
    write_schema="CredentialTypeWrite",
    unique=(UniqueRule(("name", "kind"), "__all__", "Credential type with this Name and Kind already exists."),),
    validate=_validate_type,
    before_delete=_type_before_delete,
)
register_crud(TYPE_CRUD, "api_credential_types")


# -- credentials ------------------------------------------------------------------------------

def credential_kind(store: Store, record: Record) -> dict[str, t.Any]:
    """``kind``, ``cloud`` and ``kubernetes`` of a credential, from its type."""
    ctype = store.get("credential_types", record.get("credential_type")) or {}
    return {"kind": ctype.get("namespace"), "cloud": ctype.get("kind") == "cloud", "kubernetes": ctype.get("kind") == "kubernetes"}


def _secret_fields(store: Store, type_id: int | None) -> set[str]:
    ctype = store.get("credential_types", type_id) or {}
    return {f["id"] for f in ctype.get("inputs", {}).get("fields", []) if f.get("secret")}


def serialize_inputs(store: Store, record: Record) -> dict[str, t.Any]:
    """The inputs as AWX shows them: secrets as ``$encrypted$``, keys in PostgreSQL jsonb order."""
    secrets = _secret_fields(store, record.get("credential_type"))
    inputs = record.get("inputs", {})
    return {k: (ENCRYPTED if k in secrets and inputs[k] not in ("", None) else inputs[k]) for k in sorted(inputs, key=lambda k: (len(k), k))}


def _owners(store: Store, record: Record) -> tuple[list[dict[str, t.Any]], dict[str, str]]:
    """``summary_fields.owners`` and the owner link AWX adds to ``related``."""
    admin = role_of(store, "credential", record["id"], "admin_role") or {"members": [], "team_members": []}
    owners: list[dict[str, t.Any]] = []
    link: dict[str, str] = {}
    organization = store.get("organizations", record.get("organization"))
    if organization is not None:
        owners.append({"id": organization["id"], "type": "organization", "name": organization["name"], "description": organization.get("description", ""), "url": f"/api/v2/organizations/{organization['id']}/"})
    for team in (store.get("teams", pk) for pk in admin.get("team_members", [])):
        if team is not None:
            owners.append({"id": team["id"], "type": "team", "name": team["name"], "description": team.get("description", ""), "url": f"/api/v2/teams/{team['id']}/"})
            link.setdefault("team", f"/api/v2/teams/{team['id']}/")
    for user in (store.get("users", pk) for pk in admin["members"]):
        if user is not None:
            owners.append({"id": user["id"], "type": "user", "name": user["username"], "description": f"{user.get('first_name', '')} {user.get('last_name', '')}", "url": f"/api/v2/users/{user['id']}/"})
            if organization is None and not link:
                link["user"] = f"/api/v2/users/{user['id']}/"
    return owners, link


def serialize_credential(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    related: dict[str, t.Any] = {}
    if detail:
        related["named_url"] = _named_url(store, record)
    if record.get("organization"):
        related["organization"] = f"/api/v2/organizations/{record['organization']}/"
    related.update({name: f"/api/v2/credentials/{pk}/{name}/" for name in RELATED})
    related["credential_type"] = f"/api/v2/credential_types/{record['credential_type']}/"
    owners, owner_link = _owners(store, record)
    related.update(owner_link)
    capabilities = call.access.capabilities(call.user, "credentials", record, ("edit", "delete", "copy", "use"))
    if record.get("managed"):
        capabilities.update(edit=False, delete=False)
    summary = {
        "organization": summary_of(store, "organizations", record.get("organization")),
        "credential_type": summary_of(store, "credential_types", record["credential_type"]),
        "object_roles": object_roles_summary(store, "credential", pk),
        "user_capabilities": capabilities,
        "owners": owners,
    }
    body = base(call, CREDENTIAL_MODEL, record, related, summary)
    body["related"] = ordered(body["related"], ("named_url",))
    body["summary_fields"] = ordered(body["summary_fields"], SUMMARY_ORDER)
    body.update({
        "name": record["name"],
        "description": record.get("description", ""),
        "organization": record.get("organization"),
        "credential_type": record["credential_type"],
        "managed": record.get("managed", False),
        "inputs": serialize_inputs(store, record),
        **credential_kind(store, record),
    })
    return body


CREDENTIAL_MODEL = register(Model(
    kind="credentials",
    type="credential",
    name="Credential",
    serializer=serialize_credential,
    fields=("name", "description", "managed", "inputs"),
    fks={"organization": "organizations", "credential_type": "credential_types"},
    search_fields=("name", "description"),
    default_order=("name",),
    computed={"kind": lambda store, r: credential_kind(store, r)["kind"]},
))


def _named_url(store: Store, record: Record) -> str:
    ctype = store.get("credential_types", record.get("credential_type")) or {}
    organization = store.get("organizations", record.get("organization")) or {}
    return f"/api/v2/credentials/{record['name']}++{ctype.get('name', '')}+{ctype.get('kind', '')}++{organization.get('name', '')}/"


def _get_credential(call: Call) -> Record:
    raw = call.params.get("id", "")
    if raw.isdigit():
        record = call.store.get("credentials", int(raw))
        if record is None:
            raise NotFound.model("Credential")
        return record
    wanted = f"/api/v2/credentials/{raw}/"
    for record in sorted(call.store.all("credentials"), key=lambda r: r["id"]):
        if _named_url(call.store, record) == wanted:
            return record
    raise HtmlNotFound()


def _check_inputs(store: Store, ctype: Record, inputs: dict[str, t.Any]) -> None:
    """AWX's checks of ``inputs`` against the type's fields (schema errors, then required fields)."""
    definition = ctype.get("inputs", {})
    properties = {}
    for field in definition.get("fields", []):
        prop = {"type": field.get("type", "string")}
        if field.get("choices"):
            prop["enum"] = list(field["choices"])
        properties[field["id"]] = prop
    schema = {"type": "object", "properties": properties, "additionalProperties": False, "dependencies": definition.get("dependencies", {})}
    errors: dict[str, list[str]] = {}
    for error in jsonschema.Draft4Validator(schema).iter_errors(inputs):
        if error.path:
            errors[str(error.path[0])] = [error.message]
        else:
            raise BadRequest({"inputs": [error.message]})
    for field in definition.get("required", []):
        if not inputs.get(field):
            errors.setdefault(field, [f"required for {ctype['name']}"])
    if errors:
        raise BadRequest({"inputs": errors})


def _merge_secrets(existing: Record | None, inputs: dict[str, t.Any]) -> dict[str, t.Any]:
    """``$encrypted$`` in an update means "keep the stored secret"."""
    old = (existing or {}).get("inputs", {})
    return {k: (old.get(k, "") if v == ENCRYPTED and existing is not None else v) for k, v in inputs.items()}


def _owner_fields(call: Call, values: dict[str, t.Any]) -> None:
    owners = sorted(f for f in ("user", "team", "organization") if values.get(f))
    if not owners:
        raise BadRequest({"detail": "Missing 'user', 'team', or 'organization'."})
    if len(owners) > 1:
        raise BadRequest({"detail": f"Only one of 'user', 'team', or 'organization' should be provided, received {', '.join(owners)} fields."})
    if values.get("team"):
        values["organization"] = (call.store.get("teams", values["team"]) or {}).get("organization")


def _validate_credential(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    store = call.store
    if existing is None:
        _owner_fields(call, values)
    if existing is not None and existing.get("managed"):
        raise PermissionDenied()
    type_id = values.get("credential_type", (existing or {}).get("credential_type"))
    ctype = store.get("credential_types", type_id) or {}
    if "inputs" in values:
        values["inputs"] = _merge_secrets(existing, values["inputs"] or {})
        _check_inputs(store, ctype, values["inputs"])
    candidate = {**(existing or {}), **values}
    own_id = existing["id"] if existing else None
    if candidate.get("organization") is not None and any(
        c["id"] != own_id and (c.get("organization"), c["name"], c["credential_type"]) == (candidate["organization"], candidate["name"], candidate["credential_type"])
        for c in store.all("credentials")
    ):
        raise BadRequest({"__all__": ["Credential with this Organization, Name and Credential type already exists."]})


CREDENTIAL_CRUD = Crud(kind="credentials", write_schema="CredentialWrite", validate=_validate_credential)
register_crud(CREDENTIAL_CRUD, "api_credentials", methods=("list",))


def new_credential(store: Store, record: Record, *, user: int | None = None, team: int | None = None) -> Record:
    """Insert a credential with its roles; ``user``/``team`` become its owners."""
    store.insert("credentials", record)
    create_roles(store, "credential", record["id"])
    admin = role_of(store, "credential", record["id"], "admin_role")
    if admin is not None and user is not None:
        store.update("roles", admin["id"], {"members": [user]})
    if admin is not None and team is not None:
        store.update("roles", admin["id"], {"team_members": [team]})
    return record


@handles("api_credentials_create")
def credential_create(call: Call) -> Reply:
    values = apply_write(call, CREDENTIAL_CRUD, None)
    user, team = values.pop("user", None), values.pop("team", None)
    values.setdefault("inputs", {})
    record = stamp(call, {"id": None, **values, "managed": False}, creating=True)
    new_credential(call.store, record, user=user, team=team)
    return created(call, "credentials", record)


@handles("api_credentials_read")
def credential_read(call: Call) -> dict[str, t.Any]:
    return serialize_credential(call, _get_credential(call), True)


@handles("api_credentials_update", "api_credentials_partial_update")
def credential_update(call: Call) -> dict[str, t.Any]:
    existing = _get_credential(call)
    cleaned = call.validated(CREDENTIAL_CRUD.write_schema)
    check_foreign_keys(call, CREDENTIAL_CRUD.write_schema, cleaned)
    values = {k: v for k, v in cleaned.items() if k not in ("user", "team")}
    if call.method == "PUT":
        defaults = schema_defaults(call, CREDENTIAL_CRUD.write_schema)
        values = {"description": defaults["description"], "inputs": {}, **values}
    _validate_credential(call, values, existing)
    record = call.store.update("credentials", existing["id"], stamp(call, values, creating=False))
    return serialize_credential(call, record, True)


def delete_credential(call: Call, record: Record) -> None:
    """Remove a credential: FKs to it become null, lists drop it, its roles go."""
    store = call.store
    pk = record["id"]
    for field, kinds in FK_USERS.items():
        for kind in kinds:
            for other in store.find(kind, field, pk):
                store.update(kind, other["id"], {field: None})
    for field, kinds in LIST_USERS.items():
        for kind in kinds:
            for other in store.all(kind):
                if pk in (other.get(field) or []):
                    store.update(kind, other["id"], {field: [c for c in other[field] if c != pk]})
    delete_roles(store, "credential", pk)
    store.delete("credentials", pk)


@handles("api_credentials_delete")
def credential_delete(call: Call) -> Reply:
    record = _get_credential(call)
    if record.get("managed"):
        raise PermissionDenied()
    delete_credential(call, record)
    return Reply(204, None)

