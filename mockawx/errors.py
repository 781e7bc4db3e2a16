"""Errors that render themselves as AWX-shaped HTTP responses.

Hierarchy::

    ApiError (werkzeug HTTPException)      an answer the client is meant to see
    ├── BadRequest           400  {"field": ["message"]} or another AWX 400 shape
    ├── ParseError           400  {"detail": "JSON parse error - ..."}
    ├── NotAuthenticated     401
    ├── PermissionDenied     403
    ├── NotFound             404  {"detail": "No <Model> matches the given query."}
    ├── MethodNotAllowed     405  with Allow
    ├── Conflict             409
    ├── PayloadTooLarge      413
    └── UnsupportedMediaType 415
    MockAWXError (Exception)  misuse of mockawx itself (bad spec, bad scenario, bad seed)
"""

from __future__ import annotations

import json
import typing as t

from werkzeug.exceptions import HTTPException

__all__ = [
    "ApiError",
    "BadRequest",
    "Conflict",
    "HtmlNotFound",
    "MethodNotAllowed",
    "MockAWXError",
    "NotAuthenticated",
    "NotFound",
    "ParseError",
    "PayloadTooLarge",
    "PermissionDenied",
    "UnsupportedMediaType",
    "field_error",
]

NOT_AUTHENTICATED = (
    "Authentication credentials were not provided. To establish a login session, visit /api/login/."
)


class MockAWXError(Exception):
    """Raise when mockawx itself is misused: a broken spec, scenario, seed or state file."""


class ApiError(HTTPException):
    """An error answered to the client as JSON; only the app turns it into a response."""

    code = 400
    default_body: t.Any = {"detail": "Bad request."}

    def __init__(self, body: t.Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__()
        self.body = self.default_body if body is None else body
        self.extra_headers = dict(headers or {})

    def get_body(self, environ: t.Any = None, scope: t.Any = None) -> str:
        return json.dumps(self.body)

    def get_headers(self, environ: t.Any = None, scope: t.Any = None) -> list[tuple[str, str]]:
        return [("Content-Type", "application/json"), *self.extra_headers.items()]


class BadRequest(ApiError):
    """Raise for invalid input; the body is AWX's 400 shape for that endpoint."""

    code = 400


class ParseError(ApiError):
    """Raise when a request body is not valid JSON (or not a JSON object)."""

    code = 400

    def __init__(self, message: str) -> None:
        super().__init__({"detail": f"JSON parse error - {message}"})


class NotAuthenticated(ApiError):
    """Raise when a protected endpoint gets no valid credentials."""

    code = 401
    default_body = {"detail": NOT_AUTHENTICATED}

    def __init__(self) -> None:
        super().__init__(
            headers={"WWW-Authenticate": "Bearer realm=api authorization_url=/api/o/authorize/"}
        )


class PermissionDenied(ApiError):
    """Raise when the user may not do this (or for AWX's own 403 answers)."""

    code = 403
    default_body = {"detail": "You do not have permission to perform this action."}


class NotFound(ApiError):
    """Raise when an object does not exist; the message names AWX's model."""

    code = 404
    default_body = {"detail": "The requested resource could not be found."}

    @classmethod
    def model(cls, model_name: str) -> NotFound:
        return cls({"detail": f"No {model_name} matches the given query."})


class HtmlNotFound(HTTPException):
    """Raise when a URL names no object at all (an unknown named URL): Django's HTML 404."""

    code = 404
    page = (
        "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n"
        "  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n"
    )

    def get_body(self, environ: t.Any = None, scope: t.Any = None) -> str:
        return self.page

    def get_headers(self, environ: t.Any = None, scope: t.Any = None) -> list[tuple[str, str]]:
        return [("Content-Type", "text/html; charset=utf-8")]


class MethodNotAllowed(ApiError):
    """Raise for a method the endpoint does not have; carries the Allow header."""

    code = 405

    def __init__(self, method: str, allow: t.Iterable[str] = ()) -> None:
        allowed = list(allow)
        headers = {"Allow": ", ".join(allowed)} if allowed else {}
        super().__init__({"detail": f'Method "{method}" not allowed.'}, headers)


class Conflict(ApiError):
    """Raise when an object is in use (e.g. deleting a template with active jobs)."""

    code = 409


class PayloadTooLarge(ApiError):
    """Raise when a request body exceeds the configured limit."""

    code = 413
    default_body = {"detail": "Request body is too large."}


class UnsupportedMediaType(ApiError):
    """Raise when a body arrives in a media type the endpoint does not parse."""

    code = 415

    def __init__(self, media_type: str) -> None:
        super().__init__({"detail": f'Unsupported media type "{media_type}" in request.'})


def field_error(field: str, message: str) -> BadRequest:
    """A 400 with AWX's ``{"field": ["message"]}`` body."""
    return BadRequest({field: [message]})
