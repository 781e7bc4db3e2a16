"""Replay a folder of golden AWX recordings against a fresh in-process mock and report per-file results.

Run ``python -m contracts.replay DIR [--only 052-097] [--verbose]``. The sequence is stateful, so every file up to
the last selected one is replayed; only the selected ones are reported. Volatile values are declared in
``contracts.volatile``; recorded ids are mapped to the mock's ids as the sequence goes.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import pathlib
import re
import sys
import typing as t

import httpx

import mockawx
from mockawx.execution.scheduler import Scheduler

from . import volatile
from .replay_records import FileResult, Record, advance_clock_for, expand_numbers, load_folder, load_known_differences
from .replay_jobs import SpawnedJobs
from .replay_receiver import Receiver
from .replay_compare import NODE_LISTS, Comparison
from .replay_setup import ADMIN_PASSWORD, DISPATCHING, basic, before_file, prepare
from .volatile import IdMap

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

RECEIVER_PATH = re.compile(r"/(github|gitlab|bitbucket_dc)/$")
PATH_ID = re.compile(r"/api/v2/([a-z_0-9]+)/(\d+)(?=/)")
QUERY_INT = re.compile(r"(^|&)([a-z_0-9]+)=(\d+)(?=&|$)")
USER_AUTH = re.compile(r"^Basic <redacted: user (.+)>$")
FORWARDED = frozenset({"accept", "content-type", "x-github-event", "x-github-delivery", "x-gitlab-event", "x-event-key", "x-request-id"})



class Replayer:
    """One fresh mock and the state that maps a recording onto it (ids, secrets, cookies, passwords, tokens)."""

    def __init__(self, folder: str, seed: str = "empty", records: t.Iterable[Record] = ()) -> None:
        self.folder = folder
        self.spawned = SpawnedJobs(records)
        self.app = mockawx.create_app(seed=seed, admin_password=ADMIN_PASSWORD)
        self.client = httpx.Client(transport=httpx.WSGITransport(app=self.app), base_url="http://testserver", follow_redirects=False)
        self.ids = IdMap()
        self.secrets: dict[str, str] = {}
        self.cookies: dict[str, str] = {}
        self.passwords: dict[str, str] = {"admin": ADMIN_PASSWORD}
        self.tokens: dict[int, str] = {}
        self.deleted_tokens: list[int] = []
        self.receiver = Receiver()
        prepare(self)

    def close(self) -> None:
        """Release the HTTP client and the webhook receiver."""
        self.client.close()
        self.receiver.close()

    def replay(self, record: Record) -> FileResult:
        """Send one recorded request to the mock and compare the answer with the recorded one."""
        expected = record.data["response"]
        advance_clock_for(record, self.app.runtime.clock)
        if self.folder in DISPATCHING:
            Scheduler(self.app.runtime).run_due()
        before_file(self, record.number)
        self.rebuild_unrecorded_nodes(record)
        admin = {"Authorization": basic("admin", ADMIN_PASSWORD)}
        self.spawned.resolve(record.data["request"]["path"], self.ids, self.client, admin, self.app.runtime.clock)
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
        auth = {"Authorization": basic("admin", ADMIN_PASSWORD)}
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
        content = json.dumps(body, separators=(",", ":")).encode()
        return content if RECEIVER_PATH.search(path) else self.receiver.rewrite(content)

    def _authorization(self, record: Record, value: str) -> str:
        if value == "Basic <redacted: admin user>":
            return basic("admin", ADMIN_PASSWORD)
        if value == "Basic <redacted: wrong password>":
            return basic("admin", ADMIN_PASSWORD + "-wrong")
        user = USER_AUTH.match(value)
        if user:
            return basic(user.group(1), self.passwords.get(user.group(1), "unknown-password"))
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
        kinds = volatile.query_kinds(route, query)

        def one(match: re.Match[str]) -> str:
            key, value = match.group(2), int(match.group(3))
            kind = kinds(key)
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


def _parse_body(response: httpx.Response) -> t.Any:
    if "json" in response.headers.get("content-type", ""):
        try:
            return response.json()
        except ValueError:
            return response.text
    return response.text


def _collection(record: Record) -> str | None:
    collection = volatile.path_collection(record.data["request"]["path"].partition("?")[0])
    return volatile.id_space(collection) if collection else None


def replay_folder(directory: str | pathlib.Path, until: int | None = None) -> list[FileResult]:
    """Replay a folder in order against one fresh mock; delivery files are not requests and are left out."""
    records = [record for record in load_folder(directory) if not record.is_delivery]
    replayer = Replayer(pathlib.Path(directory).name, records=records)
    try:
        return [replayer.replay(record) for record in records if until is None or int(record.number) <= until]
    finally:
        replayer.close()




def main(argv: list[str] | None = None) -> int:
    """Command line: replay one folder and print PASS/FAIL per file and ``N passed, M failed``."""
    parser = argparse.ArgumentParser(prog="python -m contracts.replay", description=__doc__)
    parser.add_argument("directory")
    parser.add_argument("--only", help="file numbers to report, e.g. 052-097 or 001-010,015")
    parser.add_argument("--verbose", action="store_true", help="print every difference, not the first five")
    args = parser.parse_args(argv)
    selected = set(expand_numbers(args.only.split(","))) if args.only else None
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
