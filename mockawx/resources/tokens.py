"""OAuth2 access tokens: the value is shown once, on creation; only its digest is kept."""

from __future__ import annotations

import typing as t

from ..auth import issue_token, new_secret, token_digest
from ..clock import format_time
from ..errors import BadRequest, NotFound, PermissionDenied
from ..store import Record
from ..web.call import Call, Reply
from ._common import get_object, list_reply, stamp, summary_of, user_summary
from .activity_stream import record_activity
from ._crud import Crud, apply_write, register_crud
from ..model import Model, register
from ._registry import handles
from .applications import CENSORED

__all__ = ["MODEL", "valid_scope"]

ALLOWED_SCOPES = ("read", "write")
SCOPE_MESSAGE = "Must be a simple space-separated string with allowed scopes ['read', 'write']."


def serialize(call: Call, record: Record, detail: bool) -> dict[str, t.Any]:
    pk = record["id"]
    store = call.store
    related: dict[str, t.Any] = {}
    summary: dict[str, t.Any] = {}
    if record.get("user"):
        related["user"] = f"/api/v2/users/{record['user']}/"
        summary["user"] = user_summary(store, record["user"])
    if record.get("application"):
        related["application"] = f"/api/v2/applications/{record['application']}/"
        summary["application"] = summary_of(store, "applications", record["application"], ("id", "name"))
    related["activity_stream"] = f"/api/v2/tokens/{pk}/activity_stream/"
    clear = record.get("_clear")
    return {
        "id": pk,
        "type": "o_auth2_access_token",
        "url": f"/api/v2/tokens/{pk}/",
        "related": related,
        "summary_fields": {k: v for k, v in summary.items() if v is not None},
        "created": format_time(record.get("created")),
        "modified": format_time(record.get("modified")),
        "description": record.get("description", ""),
        "user": record.get("user"),
        "token": clear or CENSORED,
        "refresh_token": record.get("_clear_refresh") or (CENSORED if record.get("refresh_token") else None),
        "application": record.get("application"),
        "expires": format_time(record.get("expires_at")),
        "scope": record.get("scope", "write"),
    }


MODEL = register(Model(
    kind="tokens",
    type="o_auth2_access_token",
    name="OAuth2AccessToken",
    serializer=serialize,
    fields=("description", "scope"),
    fks={"user": "users", "application": "applications"},
    search_fields=("description",),
    default_order=("id",),
))


def valid_scope(value: t.Any) -> bool:
    """A non-empty space-separated list of distinct allowed scopes."""
    if not value or not isinstance(value, str):
        return False
    words = value.split()
    return bool(words) and all(w in ALLOWED_SCOPES and words.count(w) == 1 for w in words)


def _validate(call: Call, values: dict[str, t.Any], existing: Record | None) -> None:
    if "scope" in values and not valid_scope(values["scope"]):
        raise BadRequest({"scope": [SCOPE_MESSAGE]})


def _visible(call: Call, records: t.Iterable[Record]) -> list[Record]:
    if call.is_superuser:
        return list(records)
    own = call.user["id"] if call.user else None
    return [r for r in records if r.get("user") == own]


class _TokenCrud(Crud):
    def records(self, call: Call) -> t.Iterable[Record]:
        return _visible(call, call.store.all("tokens"))


CRUD = _TokenCrud(kind="tokens", write_schema="OAuth2TokenWrite", validate=_validate, put_resets=False)
register_crud(CRUD, "api_tokens", methods=("list",))


def _token(call: Call) -> Record:
    record = get_object(call, "tokens")
    if not _visible(call, [record]):
        raise NotFound.model("OAuth2AccessToken")
    return record


@handles("api_tokens_read")
def token_read(call: Call) -> dict[str, t.Any]:
    return serialize(call, _token(call), True)


@handles("api_tokens_update", "api_tokens_partial_update")
def token_update(call: Call) -> dict[str, t.Any]:
    existing = _token(call)
    values = apply_write(call, CRUD, existing)
    record = call.store.update("tokens", existing["id"], stamp(call, values, creating=False))
    return serialize(call, record, True)


@handles("api_tokens_delete")
def token_delete(call: Call) -> Reply:
    call.store.delete("tokens", _token(call)["id"])
    return Reply(204, None)


def create_token(call: Call, user_id: int, *, personal: bool) -> Reply:
    """Validate the body and issue a token for ``user_id``; 201 with the clear value."""
    cleaned = call.validated("OAuth2TokenWrite")
    scope = cleaned.get("scope", "write")
    if not valid_scope(scope):
        raise BadRequest({"scope": [SCOPE_MESSAGE]})
    application = None if personal else cleaned.get("application")
    if application is not None and call.store.get("applications", application) is None:
        raise BadRequest({"application": [f'Invalid pk "{application}" - object does not exist.']})
    value, record = issue_token(call.store, call.clock, user_id, scope=scope, description=cleaned.get("description", ""), application=application)
    record_activity(call, "create", "tokens", record)
    shown: dict[str, t.Any] = {**record, "_clear": value}
    if application is not None:
        refresh = new_secret(30)
        call.store.update("tokens", t.cast(int, record["id"]), {"refresh_token": token_digest(refresh)})
        shown.update(refresh_token=token_digest(refresh), _clear_refresh=refresh)
    return Reply(201, serialize(call, shown, True), {"Location": f"/api/v2/tokens/{record['id']}/"})


@handles("api_tokens_create")
def token_create(call: Call) -> Reply:
    assert call.user is not None
    return create_token(call, call.user["id"], personal=False)


def _user_for_tokens(call: Call) -> Record:
    user = get_object(call, "users")
    if not call.access.can(call.user, "read", "users", user):
        raise PermissionDenied()
    return user


@handles("api_users_personal_tokens_list")
def personal_tokens(call: Call) -> dict[str, t.Any]:
    # AWX lists the caller's own personal tokens, whichever user the path names
    _user_for_tokens(call)
    assert call.user is not None
    own = [r for r in call.store.all("tokens") if r.get("user") == call.user["id"] and r.get("application") is None]
    return list_reply(call, "tokens", own)


@handles("api_users_personal_tokens_create")
def personal_token_create(call: Call) -> Reply:
    # the token belongs to the caller (the awx CLI names the user by username here)
    _user_for_tokens(call)
    assert call.user is not None
    return create_token(call, call.user["id"], personal=True)


@handles("api_users_tokens_list")
def user_tokens(call: Call) -> dict[str, t.Any]:
    user = _user_for_tokens(call)
    return list_reply(call, "tokens", _visible(call, call.store.find("tokens", "user", user["id"])))


@handles("api_users_tokens_create")
def user_token_create(call: Call) -> Reply:
    user = _user_for_tokens(call)
    if call.user is None or (call.user["id"] != user["id"] and not call.is_superuser):
        raise PermissionDenied()
    if call.body.get("application") in (None, ""):
        raise BadRequest({"application": ["This field is required."]})
    return create_token(call, user["id"], personal=False)
