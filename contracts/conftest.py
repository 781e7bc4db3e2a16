"""The contract suite's target, its checking client, and the polite-guest cleanup.

By default the contracts run against an in-process mock (no socket). ``--awx-url`` (with ``--awx-token`` or
``--awx-username``/``--awx-password``, and ``--awx-insecure``) runs the same tests against any AWX. Every
response is checked against the OpenAPI description; operations, statuses and drift are recorded per test
and reported at the end (and written to ``--awx-report-dir`` when given).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import pathlib
import time
import typing as t
import uuid

import httpx
import pytest

import mockawx
from contracts import checks, coverage, drift
from mockawx.spec import load_spec

CONTRACTS = pathlib.Path(__file__).resolve().parent
CALLS, DRIFT = "contract_calls", "contract_drift"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("contracts", "AWX contract suite")
    group.addoption("--awx-url", default=None, help="run the contracts against this AWX (default: an in-process mock)")
    group.addoption("--awx-token", default=None, help="OAuth2 / personal access token for --awx-url")
    group.addoption("--awx-username", default=None, help="user for HTTP Basic authentication")
    group.addoption("--awx-password", default=None, help="password for HTTP Basic authentication")
    group.addoption("--awx-insecure", action="store_true", default=False, help="do not verify the TLS certificate")
    group.addoption("--awx-organization", default=None,
                    help="work inside this existing organization instead of creating one (a user that is only an org admin)")
    group.addoption("--awx-report-dir", default=None, help="write coverage.json, drift.json and tests.json here")


class Results:
    """What the session observed, gathered from test reports (so it also works across xdist workers)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []
        self.findings: list[drift.Finding] = []
        self.tests: dict[str, dict[str, t.Any]] = {}
        self.gathering = True

    def add(self, report: pytest.TestReport) -> None:
        entry = self.tests.setdefault(report.nodeid, {"outcome": "passed", "operations": []})
        if report.failed:
            entry["outcome"] = "failed"
        elif report.skipped and entry["outcome"] == "passed":
            entry["outcome"] = "skipped"
        kept = []
        for name, value in report.user_properties:
            if name == CALLS:
                pairs = [(op, int(status)) for op, status in value]
                self.calls.extend(pairs)
                entry["operations"] = sorted({*entry["operations"], *(op for op, _ in pairs)})
            elif name == DRIFT:
                self.findings.extend(tuple(f) for f in value)  # type: ignore[misc]
            else:
                kept.append((name, value))
        report.user_properties = kept


RESULTS = Results()


def _in_contracts(item: pytest.Item) -> bool:
    return CONTRACTS in pathlib.Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--awx-url"):
        return
    skip = pytest.mark.skip(reason="needs the mock's control plane (clock, scripted outcomes); the target is a real AWX")
    for item in items:
        if _in_contracts(item) and item.get_closest_marker("mock_only"):
            item.add_marker(skip)


def pytest_configure(config: pytest.Config) -> None:
    # an xdist worker must pass the recorded calls on untouched; the controller gathers them
    RESULTS.gathering = not hasattr(config, "workerinput")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if RESULTS.gathering and (report.nodeid.startswith("contracts/") or "/contracts/" in report.fspath):
        RESULTS.add(report)


def pytest_terminal_summary(terminalreporter: t.Any, config: pytest.Config) -> None:
    results = RESULTS
    if not results.tests or hasattr(config, "workerinput"):
        return
    covered = coverage.report(load_spec(), results.calls)
    drifted = drift.report(results.findings)
    terminalreporter.write_sep("-", "AWX contracts")
    terminalreporter.write_line(coverage.summary_line(covered))
    totals = ", ".join(f"{k} {v}" for k, v in sorted(drifted["totals"].items())) or "none"
    terminalreporter.write_line(f"drift findings (distinct): {totals}")
    directory = config.getoption("--awx-report-dir")
    if directory:
        out = pathlib.Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        (out / "coverage.json").write_text(json.dumps(covered, indent=1))
        (out / "drift.json").write_text(json.dumps(drifted, indent=1))
        (out / "tests.json").write_text(json.dumps(results.tests, indent=1))
        terminalreporter.write_line(f"contract reports written to {out}")


# ---- the checking client ----

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
        app = mockawx.create_app(strict=False)  # unimplemented operations answer as the mock does; the suite reports them
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


# ---- fixtures ----

@pytest.fixture(scope="session")
def target(pytestconfig: pytest.Config) -> t.Iterator[Target]:
    """Where the contracts run: the in-process mock, or the AWX named by --awx-url."""
    built = build_target(
        url=pytestconfig.getoption("--awx-url"),
        token=pytestconfig.getoption("--awx-token"),
        username=pytestconfig.getoption("--awx-username"),
        password=pytestconfig.getoption("--awx-password"),
        insecure=pytestconfig.getoption("--awx-insecure"),
    )
    yield built
    built.client.close()


@pytest.fixture(scope="session")
def run_prefix() -> str:
    """A prefix unique to this run; every object the suite creates carries it in its name."""
    return f"ctr-{uuid.uuid4().hex[:8]}-"


@pytest.fixture(scope="session")
def organization(target: Target, run_prefix: str, pytestconfig: pytest.Config) -> t.Iterator[dict[str, t.Any]]:
    """The organization the suite works in: created for the session and deleted at the end."""
    client = target.client
    existing = pytestconfig.getoption("--awx-organization")
    if existing:
        found = client.get("/api/v2/organizations/", params={"name": existing}).json()["results"]
        assert found, f"--awx-organization {existing!r} does not exist or is not visible"
        yield found[0]
        return
    with client.registry() as registry:
        response = client.post("/api/v2/organizations/", json={"name": run_prefix + "org", "description": "contract suite"})
        assert response.status_code == 201, response.text
        yield response.json()
        registry.clean(client)


@pytest.fixture
def awx(target: Target, organization: dict[str, t.Any], request: pytest.FixtureRequest) -> t.Iterator[Awx]:
    """The checking client; everything a test creates through it is deleted when the test ends."""
    client = target.client
    with client.registry() as registry:
        try:
            yield client
        finally:
            registry.clean(client)
            calls, findings = client.recorder.flush()
            request.node.user_properties.append((CALLS, calls))
            request.node.user_properties.append((DRIFT, findings))


@pytest.fixture
def names(run_prefix: str) -> t.Callable[[str], str]:
    """``names("wf")`` gives a unique, run-prefixed name."""
    return lambda label: f"{run_prefix}{label}-{uuid.uuid4().hex[:6]}"


@pytest.fixture
def anon(target: Target, request: pytest.FixtureRequest) -> t.Iterator[httpx.Client]:
    """An unauthenticated checking client (what it sees is recorded with the test's other calls)."""
    with target.anonymous() as client:
        yield client
    if "awx" not in request.fixturenames:
        calls, findings = target.client.recorder.flush()
        request.node.user_properties.append((CALLS, calls))
        request.node.user_properties.append((DRIFT, findings))


@pytest.fixture
def mock(target: Target) -> Target:
    """The target, for mock_only tests that move the clock or script outcomes."""
    assert target.is_mock, "mock_only tests need the mock's control plane"
    return target


class Make:
    """Builders for what the contracts need, all in the session's organization and run-prefixed."""

    def __init__(self, client: Awx, organization: dict[str, t.Any], names: t.Callable[[str], str]) -> None:
        self.client, self.org, self.names = client, organization, names

    def wfjt(self, **fields: t.Any) -> dict[str, t.Any]:
        """A workflow job template (201 checked)."""
        body = {"name": self.names("wf"), "organization": self.org["id"], **fields}
        return t.cast(dict[str, t.Any], self.client.ok(self.client.post("/api/v2/workflow_job_templates/", json=body), 201))

    def node(self, wfjt: dict[str, t.Any], **fields: t.Any) -> dict[str, t.Any]:
        """A template node in ``wfjt``."""
        return t.cast(dict[str, t.Any], self.client.ok(self.client.post(f"{wfjt['url']}workflow_nodes/", json=fields), 201))

    def approval_node(self, wfjt: dict[str, t.Any], identifier: str, timeout: int = 0) -> dict[str, t.Any]:
        """A node whose template is a new approval template; returns the node as it is afterwards."""
        node = self.node(wfjt, identifier=identifier)
        self.client.ok(self.client.post(f"{node['url']}create_approval_template/",
                                        json={"name": self.names(f"approve-{identifier}"), "timeout": timeout}), 201)
        return t.cast(dict[str, t.Any], self.client.ok(self.client.get(node["url"])))

    def link(self, parent: dict[str, t.Any], label: str, child: dict[str, t.Any]) -> None:
        """parent -label-> child (204)."""
        self.client.ok(self.client.post(f"{parent['url']}{label}_nodes/", json={"id": child["id"]}), 204)

    def launch(self, wfjt: dict[str, t.Any], **body: t.Any) -> dict[str, t.Any]:
        """Launch and return the new workflow job (201)."""
        return t.cast(dict[str, t.Any], self.client.ok(self.client.post(f"{wfjt['url']}launch/", json=body), 201))

    def approvals(self, job: dict[str, t.Any], target: Target, count: int = 1) -> list[dict[str, t.Any]]:
        """Wait until the workflow job has ``count`` pending approvals; return them."""
        found: list[dict[str, t.Any]] = []
        for _ in range(60):
            nodes = self.client.ok(self.client.get(f"{job['url']}workflow_nodes/", params={"page_size": 200}))["results"]
            found = [n["summary_fields"]["job"] for n in nodes
                     if n["summary_fields"].get("job", {}).get("type") == "workflow_approval" and n["summary_fields"]["job"]["status"] == "pending"]
            if len(found) >= count:
                return [self.client.ok(self.client.get(f"/api/v2/workflow_approvals/{a['id']}/")) for a in found]
            target.settle()
        raise AssertionError(f"workflow job {job['id']} never had {count} pending approvals (saw {len(found)})")

    def finished(self, job: dict[str, t.Any], target: Target) -> dict[str, t.Any]:
        """Wait until the workflow job is finished; return it."""
        return target.wait_for(job["url"], lambda body: body["status"] in ("successful", "failed", "error", "canceled"))

    def node_states(self, job: dict[str, t.Any]) -> dict[str, str]:
        """identifier -> job status, 'do_not_run' or 'no_job' for every node of a workflow job."""
        nodes = self.client.ok(self.client.get(f"{job['url']}workflow_nodes/", params={"page_size": 200}))["results"]
        return {n["identifier"]: (n["summary_fields"]["job"]["status"] if n["summary_fields"].get("job")
                                  else "do_not_run" if n["do_not_run"] else "no_job") for n in nodes}


@pytest.fixture
def make(awx: Awx, organization: dict[str, t.Any], names: t.Callable[[str], str]) -> Make:
    """Builders (workflow templates, nodes, approval nodes, links, launches) for one test."""
    return Make(awx, organization, names)


@pytest.fixture
def superuser(awx: Awx) -> dict[str, t.Any]:
    """The requesting user, when it is a superuser; the test is skipped otherwise (it creates global objects)."""
    me = awx.ok(awx.get("/api/v2/me/"))["results"][0]
    if not me["is_superuser"]:
        pytest.skip("needs a superuser (creates objects outside the organization)")
    return t.cast(dict[str, t.Any], me)
