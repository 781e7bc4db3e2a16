"""Replay a folder of golden AWX recordings against a fresh in-process mock and report per-file results.

Run ``python -m contracts.replay DIR [--only 052-097] [--verbose]``. The sequence is stateful, so every file up to
the last selected one is replayed; only the selected ones are reported. Volatile values are declared in
``contracts.volatile``; recorded ids are mapped to the mock's ids as the sequence goes.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import pathlib
import re
import sys
import typing as t

import httpx
import yaml

import mockawx

from . import volatile
from .volatile import IdMap, match_text

__all__ = [
    "Comparison",
    "FileResult",
    "Record",
    "Replayer",
    "advance_clock_for",
    "load_folder",
    "load_known_differences",
    "main",
    "replay_folder",
]

ADMIN_PASSWORD = "password"
KNOWN_DIFFERENCES = pathlib.Path(__file__).with_name("known_differences.yaml")
RECEIVER_PATH = re.compile(r"/(github|gitlab|bitbucket_dc)/$")
PATH_ID = re.compile(r"/api/v2/([a-z_0-9]+)/(\d+)(?=/)")
QUERY_INT = re.compile(r"(^|&)([a-z_0-9]+)=(\d+)(?=&|$)")
WAIT_IN_NAME = re.compile(r"after_(\d+)s(_|$)")
USER_AUTH = re.compile(r"^Basic <redacted: user (.+)>$")
FORWARDED = frozenset({"accept", "content-type", "x-github-event", "x-github-delivery", "x-gitlab-event", "x-event-key", "x-request-id"})


@dataclasses.dataclass(frozen=True)
class Record:
    """One recorded interaction (``delivery`` files are webhook bodies AWX sent out, not API calls)."""

    folder: str
    name: str
    data: dict[str, t.Any]

    @property
    def number(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def is_delivery(self) -> bool:
        return "request" not in self.data


@dataclasses.dataclass
class FileResult:
    """The outcome of one replayed file."""

    name: str
    passed: bool
    diffs: list[str]
    expected_status: int
    actual_status: int | None

    def summary(self, limit: int | None = 5) -> str:
        """PASS/FAIL line plus a compact diff."""
        head = f"{'PASS' if self.passed else 'FAIL'} {self.name}"
        if self.passed:
            return head
        shown = self.diffs if limit is None else self.diffs[:limit]
        more = len(self.diffs) - len(shown)
        lines = [head] + [f"    {line}" for line in shown] + ([f"    ... {more} more"] if more > 0 else [])
        return "\n".join(lines)


def load_folder(directory: str | pathlib.Path) -> list[Record]:
    """Every ``NNN_*.json`` of a golden folder, in recording order."""
    root = pathlib.Path(directory)
    return [
        Record(root.name, path.stem, json.loads(path.read_text()))
        for path in sorted(root.glob("[0-9][0-9][0-9]_*.json"))
    ]


def advance_clock_for(record: Record, clock: t.Any) -> float:
    """Advance the mock's ManualClock to the recorded server time of this file; return the seconds advanced.

    The recorded time is the latest creation/modification/start/finish timestamp in the recorded response (the
    recording's clock had reached at least that), and a name such as ``job_after_45s`` adds that wait. Moving
    the mock through the recording's timeline makes approval timeouts and due schedules happen where they did.
    """
    if not hasattr(clock, "advance"):
        return 0.0
    now = clock.now()
    target = now
    latest = _latest_time(record.data["response"]["body"], None)
    if latest is not None and latest > target:
        target = latest
    wait = WAIT_IN_NAME.search(record.name)
    if wait:
        target = max(target, now + dt.timedelta(seconds=int(wait.group(1))))
    seconds = (target - now).total_seconds()
    if seconds > 0:
        clock.advance(seconds)
    return max(seconds, 0.0)


def _latest_time(value: t.Any, key: str | None) -> dt.datetime | None:
    if isinstance(value, dict):
        found = [_latest_time(item, k) for k, item in value.items()]
    elif isinstance(value, list):
        found = [_latest_time(item, key) for item in value]
    elif key in volatile.ADVANCING_TIME_KEYS and isinstance(value, str) and volatile.TIMESTAMP.match(value):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    else:
        return None
    present = [item for item in found if item is not None]
    return max(present) if present else None


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
            self.diffs.append(f"status: expected {expected['status']}, got {status}; body {_short(body, 300)}")
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
            if not rule[1](actual):
                self.diffs.append(f"{path}: expected {rule[0]}, got {_short(actual)}")
        elif key in volatile.SECRET_KEYS and isinstance(expected, str) and expected:
            self.secret(expected, actual, path, key)
        elif isinstance(expected, dict):
            self.object(expected, actual, path, key, space)
        elif isinstance(expected, list):
            self.sequence(expected, actual, path, key, space)
        elif isinstance(expected, str):
            if not match_text(self.ids, expected, actual, space):
                self.diffs.append(f"{path}: expected {_short(expected)}, got {_short(actual)}")
        elif isinstance(expected, int) and not isinstance(expected, bool) and space and _is_int(actual):
            if not self.ids.check(space, expected, actual):
                self.diffs.append(f"{path}: id {expected} ({space}) maps to {self.ids.to_mock(space, expected)}, got {actual}")
        elif expected != actual or type(expected) is not type(actual):
            self.diffs.append(f"{path}: expected {_short(expected)}, got {_short(actual)}")

    def object(self, expected: dict[str, t.Any], actual: t.Any, path: str, key: str | None, space: str | None) -> None:
        """Same keys, each value compared; the object's id space comes from its type, url or the key holding it."""
        if not isinstance(actual, dict):
            self.diffs.append(f"{path}: expected an object, got {_short(actual)}")
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
            else:
                child = volatile.kind_of_key(name)
            self.value(item, actual[name], f"{path}.{name}", name, child)
        if expected.get("type") == "o_auth2_access_token" and isinstance(actual.get("token"), str) and _is_int(expected.get("id")):
            self.tokens[expected["id"]] = actual["token"]

    def sequence(self, expected: list[t.Any], actual: t.Any, path: str, key: str | None, space: str | None) -> None:
        """Same length and order (documented unordered lists: same elements)."""
        if not isinstance(actual, list):
            self.diffs.append(f"{path}: expected a list, got {_short(actual)}")
            return
        if key in volatile.UNORDERED_KEYS:
            if sorted(map(json.dumps, expected)) != sorted(map(json.dumps, actual)):
                self.diffs.append(f"{path}: expected the elements {_short(expected)}, got {_short(actual)}")
            return
        if len(expected) != len(actual):
            self.diffs.append(f"{path}: expected {len(expected)} items, got {len(actual)}")
        for index, (want, got) in enumerate(zip(expected, actual)):
            self.value(want, got, f"{path}[{index}]", key, space)

    def secret(self, expected: str, actual: t.Any, path: str, key: str) -> None:
        """Redacted secrets: any non-empty string; webhook keys: consistent with the recorded key's mock value."""
        if expected == "************" or not (volatile.REDACTED.match(expected) or key == "webhook_key"):
            if expected != actual:
                self.diffs.append(f"{path}: expected {_short(expected)}, got {_short(actual)}")
            return
        if not isinstance(actual, str) or not actual or actual == "************":
            self.diffs.append(f"{path}: expected a secret value, got {_short(actual)}")
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
                    self.diffs.append(f"{path}[{index}]: matches the shape of no recorded item: {_short(item)}")
        elif _json_kind(expected) != _json_kind(actual):
            self.diffs.append(f"{path}: expected a {_json_kind(expected)}, got {_short(actual)}")


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
    if isinstance(expected.get("type"), str) and _is_int(expected.get("id")):
        return volatile.kind_of_type(expected["type"])
    url = volatile.ID_IN_TEXT.match(expected.get("url") or "") if isinstance(expected.get("url"), str) else None
    if url and url.group("collection"):
        return volatile.id_space(url.group("collection"))
    return volatile.kind_of_key(key) or inherited


def _is_int(value: t.Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _short(value: t.Any, limit: int = 120) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Replayer:
    """One fresh mock and the state that maps a recording onto it (ids, secrets, cookies, passwords, tokens)."""

    def __init__(self, folder: str, seed: str = "empty") -> None:
        self.folder = folder
        self.app = mockawx.create_app(seed=seed, strict=False, admin_password=ADMIN_PASSWORD)
        self.client = httpx.Client(transport=httpx.WSGITransport(app=self.app), base_url="http://testserver", follow_redirects=False)
        self.ids = IdMap()
        self.secrets: dict[str, str] = {}
        self.cookies: dict[str, str] = {}
        self.passwords: dict[str, str] = {"admin": ADMIN_PASSWORD}
        self.tokens: dict[int, str] = {}
        self.deleted_tokens: list[int] = []
        PRECONDITIONS.get(folder, lambda replayer: None)(self)

    def close(self) -> None:
        """Release the HTTP client."""
        self.client.close()

    def replay(self, record: Record) -> FileResult:
        """Send one recorded request to the mock and compare the answer with the recorded one."""
        expected = record.data["response"]
        advance_clock_for(record, self.app.runtime.clock)
        self.rebuild_unrecorded_nodes(record)
        errors_before = len(self.app.runtime.handler_errors)
        method, path, headers, content = self.build_request(record)
        response = self.client.request(method, path, headers=headers, content=content)
        self.client.cookies.clear()  # cookies are sent exactly as the recording did (build_request)
        body = _parse_body(response)
        comparison = Comparison(self.ids, self.secrets, self.tokens)
        shape_only = record.number in volatile.SHAPE_ONLY.get(self.folder, frozenset())
        comparison.response(expected, response.status_code, dict(response.headers), body, _collection(record), shape_only)
        for error in self.app.runtime.handler_errors[errors_before:]:
            comparison.diffs.append(f"mock raised {type(error).__name__}: {error}")
        self._learn(record, response)
        return FileResult(record.name, not comparison.diffs, comparison.diffs, expected["status"], response.status_code)

    def rebuild_unrecorded_nodes(self, record: Record) -> None:
        """Create the workflow nodes a recorded node list shows but no recorded request made (DAG setups, 061).

        The recorder built the DAG scenarios' nodes, approval templates and edges without recording them; the
        node list that follows shows them. Only objects whose recorded ids were never seen are created, and only
        edges touching a node created here are linked, so nothing the recorded requests did is redone.
        """
        request, response = record.data["request"], record.data["response"]
        owner = re.fullmatch(r"/api/v2/workflow_job_templates/(\d+)/workflow_nodes/", request["path"])
        if request["method"] != "GET" or owner is None or response["status"] != 200:
            return
        nodes, ujts = self.ids.forward.get("workflow_job_template_nodes", {}), self.ids.forward.get("unified_job_templates", {})
        auth = {"Authorization": _basic("admin", ADMIN_PASSWORD)}
        template = self.ids.to_mock("unified_job_templates", int(owner.group(1)))
        created: set[int] = set()
        for node in response["body"]["results"]:
            if node["id"] not in nodes:
                fields = {"identifier": node["identifier"], "all_parents_must_converge": node["all_parents_must_converge"]}
                made = self.client.post(f"/api/v2/workflow_job_templates/{template}/workflow_nodes/", json=fields, headers=auth)
                if made.status_code != 201:
                    return
                self.ids.check("workflow_job_template_nodes", node["id"], made.json()["id"])
                created.add(node["id"])
            gate = node["summary_fields"].get("unified_job_template") or {}
            if gate.get("unified_job_type") == "workflow_approval" and gate["id"] not in ujts:
                fields = {key: gate[key] for key in ("name", "description", "timeout")}
                made = self.client.post(f"/api/v2/workflow_job_template_nodes/{nodes[node['id']]}/create_approval_template/", json=fields, headers=auth)
                if made.status_code == 201:
                    self.ids.check("unified_job_templates", gate["id"], made.json()["id"])
        for node in response["body"]["results"]:
            for edge in NODE_LISTS:
                for child in node[edge]:
                    if created & {node["id"], child} and child in nodes:
                        self.client.post(f"/api/v2/workflow_job_template_nodes/{nodes[node['id']]}/{edge}/", json={"id": nodes[child]}, headers=auth)

    def build_request(self, record: Record) -> tuple[str, str, dict[str, str], bytes | None]:
        """The recorded request with ids, credentials, cookies and signatures translated for the mock."""
        request = record.data["request"]
        path = self._map_path(request["path"])
        headers = {name: value for name, value in request["headers"].items() if name.lower() in FORWARDED}
        for name, value in request["headers"].items():
            lowered = name.lower()
            if lowered == "authorization":
                headers[name] = self._authorization(record, value)
            elif lowered == "cookie":
                pairs = [part.split("=", 1)[0].strip() for part in value.split(";")]
                headers[name] = "; ".join(f"{key}={self.cookies[key]}" for key in pairs if key in self.cookies)
            elif lowered == "x-csrftoken":
                headers[name] = self.cookies.get("csrftoken", "no-csrf-cookie-yet")
            elif lowered == "referer":
                headers[name] = value.replace("<awx host>", "testserver")
        content = self._content(request, path)
        if RECEIVER_PATH.search(path) and content is not None:
            headers.update(self._webhook_headers(request["headers"], content))
        return request["method"], path, headers, content

    def _content(self, request: dict[str, t.Any], path: str) -> bytes | None:
        body = request["body"]
        if body is None:
            return None
        if isinstance(body, str):
            return body.replace("<redacted: admin password>", ADMIN_PASSWORD).encode()
        if isinstance(body, dict) and not RECEIVER_PATH.search(path):
            body = self._map_body(body, path)
        # Compact JSON: the bytes the recorder sent (webhook signatures are HMACs of exactly these).
        return json.dumps(body, separators=(",", ":")).encode()

    def _authorization(self, record: Record, value: str) -> str:
        if value == "Basic <redacted: admin user>":
            return _basic("admin", ADMIN_PASSWORD)
        if value == "Basic <redacted: wrong password>":
            return _basic("admin", ADMIN_PASSWORD + "-wrong")
        user = USER_AUTH.match(value)
        if user:
            return _basic(user.group(1), self.passwords.get(user.group(1), "unknown-password"))
        if value.startswith("Bearer "):
            return "Bearer " + self.bearer_for(record)
        return value

    def bearer_for(self, record: Record) -> str:
        """The token a redacted Bearer header stood for: bad -> junk, deleted -> the last deleted, else the oldest live one."""
        if "bad" in record.name:
            return "not-a-valid-token-0000"
        if "deleted" in record.name and self.deleted_tokens:
            return self.tokens.get(self.deleted_tokens[-1], "no-such-token")
        live = [pk for pk in self.tokens if pk not in self.deleted_tokens]
        return self.tokens[live[0]] if live else "no-token-created-yet"

    def _webhook_headers(self, recorded: dict[str, str], content: bytes) -> dict[str, str]:
        """Re-sign with the mock's key whatever the recording signed with a key it had seen; keep wrong signatures wrong."""
        headers: dict[str, str] = {}
        for name, algorithm in (("X-Hub-Signature", hashlib.sha1), ("X-Hub-Signature-256", hashlib.sha256)):
            signature = recorded.get(name)
            if signature is None:
                continue
            headers[name] = signature
            prefix, _, digest = signature.partition("=")
            for recorded_key, mock_key in self.secrets.items():
                if hmac.compare_digest(hmac.new(recorded_key.encode(), content, algorithm).hexdigest(), digest):
                    headers[name] = f"{prefix}={hmac.new(mock_key.encode(), content, algorithm).hexdigest()}"
        if "X-Gitlab-Token" in recorded:
            headers["X-Gitlab-Token"] = self.secrets.get(recorded["X-Gitlab-Token"], recorded["X-Gitlab-Token"])
        return headers

    def _map_path(self, path: str) -> str:
        route, sep, query = path.partition("?")
        route = PATH_ID.sub(lambda m: f"/api/v2/{m.group(1)}/{self.ids.to_mock(volatile.id_space(m.group(1)), int(m.group(2)))}", route)
        if not sep:
            return route
        collection = _path_collection(route)
        model = re.search(r"content_type__model=([a-z_]+)", query)

        def one(match: re.Match[str]) -> str:
            key = match.group(2)
            kind = _query_kind(key, collection, model.group(1) if model else None)
            value = int(match.group(3))
            return f"{match.group(1)}{key}={self.ids.to_mock(kind, value) if kind else value}"

        return f"{route}?{QUERY_INT.sub(one, query)}"

    def _map_body(self, body: dict[str, t.Any], path: str) -> dict[str, t.Any]:
        sublist = re.search(r"/api/v2/[a-z_]+/[^/]+/([a-z_]+)/$", path.partition("?")[0])
        mapped = {}
        for key, value in body.items():
            kind = volatile.kind_of_key(key)
            if key == "id" and sublist:
                kind = volatile.id_space(volatile.SUBLIST_KINDS.get(sublist.group(1), sublist.group(1)))
            mapped[key] = self._map_value(kind, value) if kind else value
        return mapped

    def _map_value(self, kind: str, value: t.Any) -> t.Any:
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return self.ids.to_mock(kind, value)
        if isinstance(value, list):
            return [self._map_value(kind, item) for item in value]
        return value

    def _learn(self, record: Record, response: httpx.Response) -> None:
        """Remember what later requests need: cookies, user passwords, deleted tokens."""
        for cookie in response.headers.get_list("set-cookie"):
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        request = record.data["request"]
        body = request["body"]
        if request["method"] == "POST" and request["path"] == "/api/v2/users/" and response.status_code == 201 and isinstance(body, dict):
            self.passwords[str(body.get("username"))] = str(body.get("password"))
        deleted = re.match(r"^/api/v2/tokens/(\d+)/$", request["path"])
        if request["method"] == "DELETE" and deleted and response.status_code == 204:
            self.deleted_tokens.append(int(deleted.group(1)))


def _precondition_default_org(replayer: Replayer) -> None:
    """golden-supporting ran on a used AWX: organization 1 "Default" existed before the recording."""
    response = replayer.client.post(
        "/api/v2/organizations/", json={"name": "Default", "description": "Default organization"},
        headers={"Authorization": _basic("admin", ADMIN_PASSWORD)},
    )
    if response.status_code == 201:
        replayer.ids.check("organizations", 1, response.json()["id"])


PRECONDITIONS: dict[str, t.Callable[[Replayer], None]] = {"golden-supporting": _precondition_default_org}


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def _parse_body(response: httpx.Response) -> t.Any:
    if "json" in response.headers.get("content-type", ""):
        try:
            return response.json()
        except ValueError:
            return response.text
    return response.text


def _path_collection(route: str) -> str | None:
    parts = [part for part in route.split("/") if part]
    for part in reversed(parts):
        if not part.isdigit() and part not in ("api", "v2"):
            return part
    return None


def _collection(record: Record) -> str | None:
    collection = _path_collection(record.data["request"]["path"].partition("?")[0])
    return volatile.id_space(collection) if collection else None


def _query_kind(key: str, collection: str | None, model: str | None) -> str | None:
    if key == "id":
        return volatile.id_space(collection) if collection else None
    if key == "object_id":
        return volatile.kind_of_type(model) if model else None
    for part in reversed(key.split("__")):
        kind = volatile.kind_of_key(part)
        if kind:
            return kind
    return None


def replay_folder(directory: str | pathlib.Path, until: int | None = None) -> list[FileResult]:
    """Replay a folder in order against one fresh mock; delivery files are not requests and are left out."""
    records = [record for record in load_folder(directory) if not record.is_delivery]
    replayer = Replayer(pathlib.Path(directory).name)
    try:
        return [replayer.replay(record) for record in records if until is None or int(record.number) <= until]
    finally:
        replayer.close()


def load_known_differences(path: str | pathlib.Path = KNOWN_DIFFERENCES) -> dict[str, dict[str, str]]:
    """``{folder: {file number: "category: reason"}}`` from known_differences.yaml (ranges expanded)."""
    data = yaml.safe_load(pathlib.Path(path).read_text()) or {}
    known: dict[str, dict[str, str]] = {}
    for folder, entries in data.items():
        for entry in entries or ():
            reason = f"{entry['category']}: {entry.get('feature') or entry.get('reason')}"
            for number in _expand(entry["files"]):
                if number in known.setdefault(folder, {}):
                    raise ValueError(f"{folder}/{number} is listed twice in {path}")
                known[folder][number] = reason
    return known


def _expand(spec: t.Iterable[str | int]) -> list[str]:
    numbers: list[str] = []
    for item in spec:
        first, _, last = str(item).partition("-")
        numbers.extend(f"{n:03d}" for n in range(int(first), int(last or first) + 1))
    return numbers


def main(argv: list[str] | None = None) -> int:
    """Command line: replay one folder and print PASS/FAIL per file and ``N passed, M failed``."""
    parser = argparse.ArgumentParser(prog="python -m contracts.replay", description=__doc__)
    parser.add_argument("directory")
    parser.add_argument("--only", help="file numbers to report, e.g. 052-097 or 001-010,015")
    parser.add_argument("--verbose", action="store_true", help="print every difference, not the first five")
    args = parser.parse_args(argv)
    selected = set(_expand(args.only.split(","))) if args.only else None
    until = max(int(n) for n in selected) if selected else None
    results = replay_folder(args.directory, until)
    known = load_known_differences().get(pathlib.Path(args.directory).name, {})
    shown = [r for r in results if selected is None or r.name.split("_", 1)[0] in selected]
    for result in shown:
        line = result.summary(None if args.verbose else 5)
        number = result.name.split("_", 1)[0]
        if number in known:
            line = line.replace(result.name, f"{result.name} [known: {known[number]}]", 1)
        print(line)
    failed = [r for r in shown if not r.passed]
    unexpected = [r.name for r in failed if r.name[:3] not in known]
    fixed = [r.name for r in shown if r.passed and r.name[:3] in known]
    print(f"known differences: {len(failed) - len(unexpected)} listed failures, {len(unexpected)} unlisted failures, {len(fixed)} listed but passing")
    print(f"{len(shown) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
