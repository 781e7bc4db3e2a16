"""Comparing one recorded AWX response with the mock's: volatile values by shape, ids through the map."""

from __future__ import annotations

import json
import typing as t

from . import volatile
from .volatile import IdMap, match_text

__all__ = ["Comparison", "NODE_LISTS", "is_int", "short"]

NODE_LISTS = frozenset({"success_nodes", "failure_nodes", "always_nodes"})
COMPARED_HEADERS = ("Content-Type", "Allow", "Location", "X-API-Product-Name")


class Comparison:
    """Strict comparison of one recorded response with the mock's, collecting readable differences."""

    def __init__(self, ids: IdMap, secrets: dict[str, str], tokens: dict[int, str]) -> None:
        self.ids = ids
        self.secrets = secrets
        self.tokens = tokens
        self.diffs: list[str] = []

    def response(self, expected: dict[str, t.Any], status: int, headers: dict[str, str], body: t.Any, space: str | None, shape_only: bool) -> None:
        """Status exact; the compared headers; the body (HTML bodies: content type and status only)."""
        if status != expected["status"]:
            self.diffs.append(f"status: expected {expected['status']}, got {status}; body {short(body, 300)}")
            return
        recorded = {name.lower(): value for name, value in expected["headers"].items()}
        html = "html" in recorded.get("content-type", "")
        # HTML answers (error pages, redirects): status, content type and Location only.
        for name in ("Content-Type", "Location") if html else COMPARED_HEADERS:
            want, got = recorded.get(name.lower()), headers.get(name.lower())
            same = want == got if want is None or got is None or name != "Location" else match_text(self.ids, want, got)
            if not same:
                self.diffs.append(f"header {name}: expected {want!r}, got {got!r}")
        if html:
            return
        if shape_only:
            self.shape(expected["body"], body, "$")
        else:
            self.value(expected["body"], body, "$", None, space)

    def value(self, expected: t.Any, actual: t.Any, path: str, key: str | None, space: str | None) -> None:
        """Compare one value; ``key`` selects volatile rules, ``space`` says an int is an id of that kind."""
        rule = volatile.shape_rule(key)
        if rule is not None and expected not in (None, "") and not isinstance(expected, (dict, list)):
            if not rule[1](actual) or (isinstance(expected, str) and expected.endswith("Z") != str(actual).endswith("Z")):
                self.diffs.append(f"{path}: expected {rule[0]} like {short(expected)}, got {short(actual)}")
        elif key in volatile.SECRET_KEYS and isinstance(expected, str) and expected:
            self.secret(expected, actual, path, key)
        elif isinstance(expected, dict):
            self.object(expected, actual, path, key, space)
        elif isinstance(expected, list):
            self.sequence(expected, actual, path, key, space)
        elif isinstance(expected, str):
            keyed = volatile.match_keyed_text(self.ids, key, expected, actual) if key in volatile.KEYED_ID_TEXT else None
            if keyed is False or (keyed is None and not match_text(self.ids, expected, actual, space)):
                self.diffs.append(f"{path}: expected {short(expected)}, got {short(actual)}")
        elif isinstance(expected, int) and not isinstance(expected, bool) and space and is_int(actual):
            if not self.ids.check(space, expected, actual):
                self.diffs.append(f"{path}: id {expected} ({space}) maps to {self.ids.to_mock(space, expected)}, got {actual}")
        elif expected != actual or type(expected) is not type(actual):
            self.diffs.append(f"{path}: expected {short(expected)}, got {short(actual)}")

    def object(self, expected: dict[str, t.Any], actual: t.Any, path: str, key: str | None, space: str | None) -> None:
        """Same keys, each value compared; the object's id space comes from its type, url or the key holding it."""
        if not isinstance(actual, dict):
            self.diffs.append(f"{path}: expected an object, got {short(actual)}")
            return
        missing = [k for k in expected if k not in actual]
        extra = [k for k in actual if k not in expected]
        if missing:
            self.diffs.append(f"{path}: missing keys {missing}")
        if extra:
            self.diffs.append(f"{path}: unexpected keys {extra}")
        own = _object_space(expected, key, space)
        node_space = "workflow_job_nodes" if expected.get("type") == "workflow_job_node" else "workflow_job_template_nodes"
        for name, item in expected.items():
            if name not in actual:
                continue
            if name == "id":
                child = own or f"?{key}"
            elif name in NODE_LISTS:
                child = node_space
            elif name == "results":
                child = own
            elif name == "changes" and isinstance(expected.get("object1"), str):
                child = volatile.kind_of_type(expected["object1"])  # an activity stream entry's snapshot of object1
            else:
                child = volatile.kind_of_key(name)
            self.value(item, actual[name], f"{path}.{name}", name, child)
        self.learn_token(expected, actual)

    def learn_token(self, expected: dict[str, t.Any], actual: dict[str, t.Any]) -> None:
        """Remember a token's value where AWX shows it (its create response), never the ``************`` of lists."""
        if expected.get("type") != "o_auth2_access_token" or not is_int(expected.get("id")):
            return
        recorded, value = expected.get("token"), actual.get("token")
        if isinstance(recorded, str) and volatile.REDACTED.match(recorded) and isinstance(value, str) and value != "************":
            self.tokens[expected["id"]] = value

    def sequence(self, expected: list[t.Any], actual: t.Any, path: str, key: str | None, space: str | None) -> None:
        """Same length and order (documented unordered lists: same elements)."""
        if not isinstance(actual, list):
            self.diffs.append(f"{path}: expected a list, got {short(actual)}")
            return
        if key in volatile.UNORDERED_KEYS:
            if sorted(map(json.dumps, expected)) != sorted(map(json.dumps, actual)):
                self.diffs.append(f"{path}: expected the elements {short(expected)}, got {short(actual)}")
            return
        if len(expected) != len(actual):
            self.diffs.append(f"{path}: expected {len(expected)} items, got {len(actual)}")
        for index, (want, got) in enumerate(zip(expected, actual)):
            self.value(want, got, f"{path}[{index}]", key, space)

    def secret(self, expected: str, actual: t.Any, path: str, key: str) -> None:
        """Redacted secrets: any non-empty string; webhook keys: consistent with the recorded key's mock value."""
        if expected == "************" or not (volatile.REDACTED.match(expected) or key == "webhook_key"):
            if expected != actual:
                self.diffs.append(f"{path}: expected {short(expected)}, got {short(actual)}")
            return
        if not isinstance(actual, str) or not actual or actual == "************":
            self.diffs.append(f"{path}: expected a secret value, got {short(actual)}")
        elif key == "webhook_key":
            if self.secrets.setdefault(expected, actual) != actual:
                self.diffs.append(f"{path}: expected the mock's key for the recorded key (same key as before), got another")

    def shape(self, expected: t.Any, actual: t.Any, path: str) -> None:
        """Structure only (lists of objects from other recordings): same keys, same JSON types."""
        if expected is None or actual is None:
            return
        if isinstance(expected, dict) and isinstance(actual, dict):
            if set(expected) != set(actual):
                self.diffs.append(f"{path}: keys differ: missing {sorted(set(expected) - set(actual))}, unexpected {sorted(set(actual) - set(expected))}")
            for name in set(expected) & set(actual):
                self.shape(expected[name], actual[name], f"{path}.{name}")
        elif isinstance(expected, list) and isinstance(actual, list):
            for index, item in enumerate(actual):
                if expected and not any(_same_shape(option, item) for option in expected):
                    self.diffs.append(f"{path}[{index}]: matches the shape of no recorded item: {short(item)}")
        elif _json_kind(expected) != _json_kind(actual):
            self.diffs.append(f"{path}: expected a {_json_kind(expected)}, got {short(actual)}")


def _same_shape(expected: t.Any, actual: t.Any) -> bool:
    probe = Comparison(IdMap(), {}, {})
    probe.shape(expected, actual, "$")
    return not probe.diffs


def _json_kind(value: t.Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {dict: "object", list: "array", str: "string"}.get(type(value), "null")


def _object_space(expected: dict[str, t.Any], key: str | None, inherited: str | None) -> str | None:
    if isinstance(expected.get("type"), str) and is_int(expected.get("id")):
        return volatile.kind_of_type(expected["type"])
    url = volatile.ID_IN_TEXT.match(expected.get("url") or "") if isinstance(expected.get("url"), str) else None
    if url and url.group("collection"):
        return volatile.id_space(url.group("collection"))
    return volatile.kind_of_key(key) or inherited


def is_int(value: t.Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def short(value: t.Any, limit: int = 120) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
