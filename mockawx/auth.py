"""Who is calling: HTTP Basic, Bearer tokens and the ``awx_sessionid`` session cookie."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets


from werkzeug.wrappers import Request

from .clock import Clock
from .errors import PermissionDenied
from .store import Record, Store

__all__ = ["authenticate", "check_password", "hash_password", "issue_token", "new_secret", "token_digest", "SESSION_COOKIE"]

SESSION_COOKIE = "awx_sessionid"
CSRF_COOKIE = "csrftoken"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def hash_password(password: str, salt: str | None = None) -> str:
    """A salted digest; the clear password is never stored."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256(f"{salt}${password}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def check_password(stored: str | None, password: str) -> bool:
    """Constant-time comparison of a password with its stored digest."""
    if not stored or stored.count("$") != 2:
        hmac.compare_digest("x", "y")
        return False
    _, salt, _ = stored.split("$")
    return hmac.compare_digest(hash_password(password, salt), stored)


def new_secret(length: int = 30) -> str:
    """A random alphanumeric secret (tokens, webhook keys, session ids)."""
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def authenticate(request: Request, store: Store, clock: Clock) -> Record | None:
    """The user the request authenticates as, or ``None`` (bad credentials count as none)."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        return _basic(value.strip(), store)
    if scheme.lower() == "bearer":
        return _bearer(value.strip(), store, clock)
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        user = _session(session_id, store)
        if user is not None and request.method in UNSAFE:
            _check_csrf(request)
        return user
    return None


def _basic(value: str, store: Store) -> Record | None:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    if not sep:
        return None
    user = store.first("users", "username", username)
    if user is None or not user.get("is_active", True):
        check_password(None, password)
        return None
    return user if check_password(user.get("password_digest"), password) else None


def _bearer(value: str, store: Store, clock: Clock) -> Record | None:
    if not value:
        return None
    digest = hashlib.sha256(value.encode()).hexdigest()
    token = store.first("tokens", "token", digest)
    if token is None:
        return None
    expires = token.get("expires_at")
    if expires is not None and expires <= clock.now():
        return None
    return store.get("users", token.get("user"))


def _session(session_id: str, store: Store) -> Record | None:
    sessions: dict[str, int] = store.meta.get("sessions", {})
    for known, user_id in sessions.items():
        if hmac.compare_digest(known, session_id):
            return store.get("users", user_id)
    return None


def _check_csrf(request: Request) -> None:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get("X-CSRFToken", "")
    if not header:
        raise PermissionDenied({"detail": "CSRF Failed: CSRF token missing."})
    if not cookie or not hmac.compare_digest(cookie, header):
        raise PermissionDenied({"detail": "CSRF Failed: CSRF token incorrect."})


def token_digest(value: str) -> str:
    """How a token is kept: only its digest, so the value is shown once."""
    return hashlib.sha256(value.encode()).hexdigest()





TOKEN_LIFETIME_SECONDS = 31536000000  # AWX's default OAuth2 access token lifetime (1000 years)


def issue_token(store: Store, clock: Clock, user_id: int, *, scope: str = "write", description: str = "", application: int | None = None) -> tuple[str, dict[str, object]]:
    """Create a token for ``user_id``; returns the clear value (shown once) and the stored record."""
    import datetime as dt

    value = new_secret(30)
    now = clock.now()
    record: dict[str, object] = {
        "id": None,
        "user": user_id,
        "token": token_digest(value),
        "refresh_token": None,
        "application": application,
        "scope": scope,
        "description": description,
        "expires_at": now + dt.timedelta(seconds=TOKEN_LIFETIME_SECONDS),
        "created": now,
        "modified": now,
        "created_by": user_id,
        "modified_by": user_id,
    }
    store.insert("tokens", record)
    return value, record
