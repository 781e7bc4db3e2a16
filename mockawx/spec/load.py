"""Load the OpenAPI document once into an immutable ``Spec`` (paths, operations, schemas)."""

from __future__ import annotations

import dataclasses
import functools
import pathlib
import typing as t

import yaml

from ..errors import MockAWXError

__all__ = ["Operation", "Spec", "default_spec_path", "load_spec"]

METHODS = ("get", "post", "put", "patch", "delete")
Schema = dict[str, t.Any]


@dataclasses.dataclass(frozen=True, slots=True)
class Operation:
    """One path and method of the API, with its schemas resolved."""

    operation_id: str
    method: str
    path: str
    public: bool
    request_schema: Schema | None
    responses: dict[str, Schema | None]
    raw: Schema

    @property
    def view(self) -> dict[str, t.Any]:
        """The ``x-awx-view`` metadata (OPTIONS name and description)."""
        return dict(self.raw.get("x-awx-view") or {})


@dataclasses.dataclass(frozen=True)
class Spec:
    """The whole document: operations by id and path, and resolved component schemas."""

    document: Schema
    operations: tuple[Operation, ...]

    @functools.cached_property
    def by_id(self) -> dict[str, Operation]:
        return {op.operation_id: op for op in self.operations}

    @functools.cached_property
    def by_path(self) -> dict[str, dict[str, Operation]]:
        paths: dict[str, dict[str, Operation]] = {}
        for op in self.operations:
            paths.setdefault(op.path, {})[op.method.upper()] = op
        return paths

    def schema(self, name: str) -> Schema:
        """A component schema with every ``$ref`` inlined."""
        try:
            raw = self.document["components"]["schemas"][name]
        except KeyError:
            raise MockAWXError(f"the spec has no schema named {name!r}") from None
        return _resolve(self.document, raw, ())

    def has_schema(self, name: str) -> bool:
        return name in self.document.get("components", {}).get("schemas", {})


def default_spec_path() -> pathlib.Path:
    """The packaged document (``openapi/awx.yaml`` in a checkout)."""
    return pathlib.Path(__file__).resolve().parent.parent / "openapi.yaml"


@functools.lru_cache(maxsize=4)
def load_spec(path: str | None = None) -> Spec:
    """Read, parse and index the document; cached so it is compiled once per process."""
    source = pathlib.Path(path) if path else default_spec_path()
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        document = yaml.load(source.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as exc:
        raise MockAWXError(f"cannot read the OpenAPI description {source}: {exc}") from exc
    return from_dict(document)


def from_dict(document: Schema) -> Spec:
    """Build a ``Spec``; the one place that checks the document's shape."""
    if not isinstance(document, dict) or not str(document.get("openapi", "")).startswith("3.1"):
        raise MockAWXError("the OpenAPI description must be an OpenAPI 3.1 document")
    global_security = document.get("security")
    operations = []
    for path, item in (document.get("paths") or {}).items():
        for method in METHODS:
            raw = item.get(method)
            if raw is None:
                continue
            if "operationId" not in raw:
                raise MockAWXError(f"{method.upper()} {path} has no operationId")
            operations.append(_operation(document, path, method, raw, global_security))
    return Spec(document=document, operations=tuple(operations))


def _operation(document: Schema, path: str, method: str, raw: Schema, security: t.Any) -> Operation:
    body = (raw.get("requestBody") or {}).get("content", {})
    media = body.get("application/json") or next(iter(body.values()), None)
    request_schema = _resolve(document, media["schema"], ()) if media and "schema" in media else None
    responses: dict[str, Schema | None] = {}
    for status, response in (raw.get("responses") or {}).items():
        response = _resolve(document, response, ())
        content = (response.get("content") or {}).get("application/json")
        responses[str(status)] = content.get("schema") if content else None
    public = raw.get("security", security) == []
    return Operation(raw["operationId"], method, path, public, request_schema, responses, raw)


def _resolve(document: Schema, node: t.Any, seen: tuple[str, ...]) -> t.Any:
    """Inline local ``$ref``s (recursive references are left as they are)."""
    if isinstance(node, list):
        return [_resolve(document, item, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/"):
        if ref in seen:
            return node
        target: t.Any = document
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _resolve(document, merged, (*seen, ref))
    return {key: _resolve(document, value, seen) for key, value in node.items()}
