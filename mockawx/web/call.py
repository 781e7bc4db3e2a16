"""What a handler receives (``Call``) and what it returns (``Reply``)."""

from __future__ import annotations

import dataclasses
import functools
import json
import typing as t

from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request

from ..clock import Clock
from ..errors import BadRequest, ParseError, PayloadTooLarge, UnsupportedMediaType
from ..spec import Operation, validate_body
from ..store import Record, Store

if t.TYPE_CHECKING:
    from ..access import Access
    from ..runtime import Runtime

__all__ = ["Call", "Reply", "Handler"]


@dataclasses.dataclass(slots=True)
class Reply:
    """A handler's answer: status, JSON body (or ``None`` for none) and extra headers."""

    status: int = 200
    body: t.Any = None
    headers: dict[str, str] = dataclasses.field(default_factory=dict)
    content_type: str = "application/json"


@dataclasses.dataclass
class Call:
    """One request as a handler sees it: parameters, body, user and the mock's state."""

    request: Request
    operation: Operation
    params: dict[str, str]
    store: Store
    clock: Clock
    runtime: Runtime
    access: Access
    user: Record | None = None
    max_body: int = 10 * 1024 * 1024
    extra: dict[str, t.Any] = dataclasses.field(default_factory=dict)

    @property
    def method(self) -> str:
        return self.request.method

    @property
    def query(self) -> MultiDict[str, str]:
        return self.request.args

    @property
    def path(self) -> str:
        return self.request.path

    @property
    def full_path(self) -> str:
        """The path with its query string, as AWX builds pagination links from it."""
        query = self.request.query_string.decode("latin-1")
        return f"{self.request.path}?{query}" if query else self.request.path

    @functools.cached_property
    def raw_body(self) -> t.Any:
        """The request body parsed as JSON (empty = ``{}``); any JSON value."""
        length = self.request.content_length
        if length is not None and length > self.max_body:
            raise PayloadTooLarge()
        data = self.request.get_data(cache=True)
        if len(data) > self.max_body:
            raise PayloadTooLarge()
        if not data.strip():
            return {}
        mimetype = self.request.mimetype
        if mimetype == "application/x-www-form-urlencoded" or mimetype == "multipart/form-data":
            return {k: v for k, v in self.request.form.items()}
        if mimetype != "application/json" and not mimetype.endswith("+json"):
            # AWX parses request bodies as JSON only; DRF refuses any other declared type
            raise UnsupportedMediaType(self.request.headers.get("Content-Type", ""))
        try:
            return json.loads(data.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise ParseError(f"'utf-8' codec can't decode byte: {exc.reason}") from None
        except json.JSONDecodeError as exc:
            raise ParseError(f"{exc}\nPossible cause: trailing comma.") from None
        except RecursionError:
            raise ParseError("maximum nesting depth exceeded") from None

    @property
    def body(self) -> dict[str, t.Any]:
        """The body as a JSON object, as every write endpoint requires."""
        data = self.raw_body
        if not isinstance(data, dict):
            raise ParseError("not a JSON object")
        return data

    def validated(self, schema_name: str | None = None, *, partial: bool | None = None) -> dict[str, t.Any]:
        """The body checked against the operation's (or a named) write schema; 400 on errors."""
        if partial is None:
            partial = self.method == "PATCH"
        schema = self.runtime.spec.schema(schema_name) if schema_name else self.operation.request_schema
        if schema is None:
            return dict(self.body)
        cleaned, errors = validate_body(schema, self.body, partial=partial)
        if errors:
            raise BadRequest(errors)
        return cleaned

    @property
    def is_superuser(self) -> bool:
        return bool(self.user and self.user.get("is_superuser"))


Handler = t.Callable[[Call], "Reply | dict[str, t.Any] | list[t.Any]"]
