"""The contract suite's checking HTTP client, its target, and the polite-guest cleanup of what a test created.

Every response is checked against the OpenAPI description; operations, statuses and drift are recorded.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import time
import typing as t

import httpx

import mockawx
from contracts import checks, drift

__all__ = ["Awx", "Target", "Registry", "Recorder", "build_target"]


class Recorder:
    """Operations, statuses and drift seen since the last flush (one test's worth)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.findings: set[drift.Finding] = set()

    def flush(self) -> tuple[list[tuple[str, int]], list[drift.Finding]]:
        calls, findings = self.calls, sorted(self.findings)
        self.calls, self.findings = [], set()
        return calls, findings


class Registry:
    """URLs of objects created by one test (or the session), deleted newest first."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def add(self, url: str) -> None:
        # labels cannot be deleted through the API (AWX removes a label once nothing uses it); hosts go with their inventory
        if url not in self.urls and not url.startswith(("/api/v2/labels/", "/api/v2/hosts/")):
            self.urls.append(url)

    def clean(self, client: Awx) -> None:
        """Delete everything registered; a failure here is reported but does not hide the test's own."""
        problems = []
        with client.unchecked():
            for url in reversed(self.urls):
                status = _delete(client, url)
                if status not in (200, 202, 204, 404):
                    problems.append(f"DELETE {url} -> {status}")
        self.urls.clear()
        assert not problems, "cleanup left objects behind: " + "; ".join(problems)


JOB_LISTS = {"workflow_job_templates": "workflow_jobs", "job_templates": "jobs", "projects": "project_updates"}
ACTIVE = ("new", "pending", "waiting", "running")


def _delete(client: Awx, url: str) -> int:
    collection = url.split("/")[3]
    if collection in JOB_LISTS:
        jobs = client.get(f"{url}{JOB_LISTS[collection]}/", params={"page_size": 200})
        for job in jobs.json().get("results", []) if jobs.status_code == 200 else []:
            _delete(client, job["url"])
    if collection == "workflow_jobs":
        _finish(client, url)
        nodes = client.get(f"{url}workflow_nodes/", params={"page_size": 200})
        for node in nodes.json().get("results", []) if nodes.status_code == 200 else []:
            if node.get("related", {}).get("job"):
                _delete(client, node["related"]["job"])
    elif collection in ("jobs", "workflow_approvals", "project_updates"):
        _finish(client, url)
    return client.delete(url).status_code


def _finish(client: Awx, url: str) -> None:
    """Cancel a job of ours that is still active and wait until it has stopped (it cannot be deleted before)."""
    for _ in range(60):
        current = client.get(url)
        if current.status_code != 200 or current.json().get("status") not in ACTIVE:
            return
        if "workflow_approvals" in url:
            client.post(f"{url}deny/", json={})
        else:
            client.post(f"{url}cancel/", json={})
        client.target.settle()


class Awx(httpx.Client):
    """An httpx client that checks every response against the description and records what it saw."""

    def __init__(self, target: Target, **kwargs: t.Any) -> None:
        super().__init__(**kwargs)
        self.target = target
        self.recorder = Recorder()
        self.registries: list[Registry] = []
        self._checking = True

    @contextlib.contextmanager
    def registry(self) -> t.Iterator[Registry]:
        """Objects created inside the block are registered for deletion."""
        registry = Registry()
        self.registries.append(registry)
        try:
            yield registry
        finally:
            self.registries.remove(registry)

    @contextlib.contextmanager
    def unchecked(self) -> t.Iterator[None]:
        """Record but do not fail on violations (cleanup must run to the end)."""
        self._checking = False
        try:
            yield
        finally:
            self._checking = True

    def send(self, request: httpx.Request, **kwargs: t.Any) -> httpx.Response:
        response = super().send(request, **kwargs)
        response.read()
        op = checks.router().operation(request.method, request.url.path)
        if op is None or checks.unrouted(response):
            return response
        self.recorder.calls.append((op.operation_id, response.status_code))
        parsed, body = checks.body_of(response)
        self.recorder.findings.update(drift.drift_of(op, response.status_code, body, parsed))
        if response.status_code == 201 and isinstance(body, dict) and isinstance(body.get("url"), str) and self.registries:
            self.registries[-1].add(body["url"])
        problems = checks.check_response(op, response)
        if problems and self._checking:
            raise AssertionError(f"{request.method} {request.url.path} -> {response.status_code} breaks the description:\n  "
                                 + "\n  ".join(problems) + f"\n  body: {response.text[:600]}")
        return response

    def ok(self, response: httpx.Response, status: int = 200) -> t.Any:
        """Assert the status and return the JSON body (None when empty)."""
        assert response.status_code == status, f"{response.request.method} {response.request.url.path}: expected {status}, got {response.status_code}: {response.text[:800]}"
        return response.json() if response.content else None


@dataclasses.dataclass
class Target:
    """The server under test: its checking client, and whether it is the mock (and its clock manual)."""

    client: Awx
    is_mock: bool
    manual_clock: bool
    options: dict[str, t.Any]

    def settle(self, seconds: float = 1.0) -> None:
        """Let time pass: virtual seconds on a mock with a manual clock, a real pause elsewhere."""
        if self.manual_clock:
            self.client.post("/_mockawx/clock/advance/", json={"seconds": seconds})
        else:
            time.sleep(seconds)

    def wait_for(self, url: str, done: t.Callable[[dict[str, t.Any]], bool], rounds: int = 90) -> dict[str, t.Any]:
        """GET ``url`` until ``done(body)``, letting time pass in between."""
        body: dict[str, t.Any] = {}
        for _ in range(rounds):
            body = self.client.ok(self.client.get(url))
            if done(body):
                return body
            self.settle()
        raise AssertionError(f"{url} never reached the expected state; last: {json.dumps(body)[:800]}")

    @contextlib.contextmanager
    def anonymous(self) -> t.Iterator[Awx]:
        """A checking client without credentials, sharing this target's transport."""
        options = {k: v for k, v in self.options.items() if k not in ("auth", "headers")}
        client = Awx(self, **options)
        client.recorder = self.client.recorder
        try:
            yield client
        finally:
            if "transport" not in options:
                client.close()


def build_target(*, url: str | None, token: str | None, username: str | None, password: str | None, insecure: bool) -> Target:
    """The in-process mock (no socket) when ``url`` is None, else the AWX at ``url``."""
    if url is None:
        app = mockawx.create_app(seed="demo")  # a fresh install plus sample data: objects to read everywhere
        options: dict[str, t.Any] = {"transport": httpx.WSGITransport(app=app), "base_url": "http://mock", "auth": ("admin", "password")}
    else:
        options = {"base_url": url.rstrip("/"), "verify": not insecure, "timeout": 60.0}
        if token:
            options["headers"] = {"Authorization": f"Bearer {token}"}
        elif username:
            options["auth"] = (username, password or "")
    target = Target(client=None, is_mock=url is None, manual_clock=url is None, options=options)  # type: ignore[arg-type]
    target.client = Awx(target, **options)
    if url is not None:
        with target.client.unchecked():
            probe = target.client.get("/_mockawx/clock/")
            if probe.status_code == 200 and probe.headers.get("content-type", "").startswith("application/json"):
                target.is_mock = True
                target.manual_clock = target.client.post("/_mockawx/clock/advance/", json={"seconds": 0}).status_code == 200
        target.client.recorder.flush()
    return target
