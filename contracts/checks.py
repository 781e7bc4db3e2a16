"""Response checks against the OpenAPI description: each check is a small function returning violations.

A violation is a one-line string; an empty list means the response conforms. Requests whose path and
method the description does not list (redirects for a missing slash, 405s, OPTIONS) are not checked here.
"""

from __future__ import annotations

import functools
import json
import re
import typing as t

import httpx
import jsonschema

from mockawx.spec import Operation, Spec, load_spec

__all__ = [
    "Router",
    "body_of",
    "check_body",
    "check_content_type",
    "check_response",
    "check_status",
    "router",
    "unrouted",
]

Schema = dict[str, t.Any]


class Router:
    """Finds the operation of a request path; literal segments win over ``{id}`` placeholders."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        templates = sorted(spec.by_path, key=lambda path: (path.count("{"), -len(path)))
        self._patterns = [(re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(p)) + "$"), p) for p in templates]

    def template(self, path: str) -> str | None:
        """The spec path template matching ``path``, or None."""
        for pattern, template in self._patterns:
            if pattern.match(path):
                return template
        return None

    def operation(self, method: str, path: str) -> Operation | None:
        """The operation for this method and path, or None when the description does not list it."""
        template = self.template(path)
        return self.spec.by_path.get(template, {}).get(method.upper()) if template else None


@functools.cache
def router() -> Router:
    """The router over the packaged description (built once per process)."""
    return Router(load_spec())


def unrouted(response: httpx.Response) -> bool:
    """Django's HTML 404: the URL matched no view (a non-numeric id, say), so no operation answered."""
    return response.status_code == 404 and response.headers.get("content-type", "").startswith("text/html")


def documented(op: Operation, status: int) -> tuple[str | None, Schema | None]:
    """The response key documenting ``status`` (exact, ``4XX`` style, or default) and its raw definition."""
    responses = op.raw.get("responses") or {}
    for key in (str(status), f"{str(status)[0]}XX", "default"):
        if key in responses:
            return key, _deref(router().spec.document, responses[key])
    return None, None


def _deref(document: Schema, node: Schema) -> Schema:
    while isinstance(node, dict) and "$ref" in node:
        target: t.Any = document
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


def check_status(op: Operation, status: int) -> list[str]:
    """The status code must be documented for the operation."""
    key, _ = documented(op, status)
    if key is None:
        return [f"{op.operation_id}: status {status} is not documented (documented: {', '.join(sorted(op.raw.get('responses', {})))})"]
    return []


def check_content_type(op: Operation, response: httpx.Response) -> list[str]:
    """A documented body comes with its media type; an undocumented body must be empty."""
    _, definition = documented(op, response.status_code)
    if definition is None:
        return []
    media = list((definition.get("content") or {}).keys())
    actual = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if not media:
        if response.content.strip():
            return [f"{op.operation_id} {response.status_code}: documented without a body, got {len(response.content)} bytes ({actual or 'no content type'})"]
        return []
    if actual not in [m.lower() for m in media]:
        return [f"{op.operation_id} {response.status_code}: content type {actual or '(none)'!r}, documented {media}"]
    return []


def body_of(response: httpx.Response) -> tuple[bool, t.Any]:
    """(parsed, body): the JSON body, or (False, None) when it is not JSON."""
    if not response.content:
        return False, None
    try:
        return True, json.loads(response.content)
    except ValueError:
        return False, None


def response_schema(op: Operation, status: int) -> Schema | None:
    """The raw (unresolved) JSON schema of the documented response, or None when it has no JSON body."""
    _, definition = documented(op, status)
    content = (definition or {}).get("content") or {}
    media = content.get("application/json")
    return media.get("schema") if media else None


@functools.lru_cache(maxsize=1024)
def _validator(operation_id: str, status: int) -> jsonschema.protocols.Validator | None:
    op = router().spec.by_id[operation_id]
    schema = response_schema(op, status)
    if schema is None:
        return None
    # The schema keeps its $refs; the components sit beside it so "#/components/..." resolves.
    wrapper = {"$ref": "#/x-response", "x-response": schema, "components": router().spec.document.get("components", {})}
    return jsonschema.Draft202012Validator(wrapper)


def check_body(op: Operation, status: int, response: httpx.Response) -> list[str]:
    """A JSON body must be valid for the documented schema (other documented media types are checked by type)."""
    validator = _validator(op.operation_id, status)
    if validator is None or "json" not in response.headers.get("content-type", "application/json"):
        return []
    parsed, body = body_of(response)
    if not parsed:
        return [f"{op.operation_id} {status}: body is not JSON: {response.text[:200]!r}"]
    problems = []
    for error in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))[:5]:
        where = "/".join(map(str, error.absolute_path)) or "(body)"
        problems.append(f"{op.operation_id} {status}: {where}: {error.message[:300]}")
    return problems


def check_response(op: Operation, response: httpx.Response) -> list[str]:
    """Every check for one response of a documented operation."""
    problems = check_status(op, response.status_code)
    if problems:
        return problems
    return check_content_type(op, response) + check_body(op, response.status_code, response)
