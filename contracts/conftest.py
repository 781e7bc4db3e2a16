"""The contract suite's options, fixtures and end-of-run report (the checking client is ``contracts.client``).

By default the contracts run against an in-process mock (no socket). ``--awx-url`` (with ``--awx-token`` or
``--awx-username``/``--awx-password``, and ``--awx-insecure``) runs the same tests against any AWX. Every
response is checked against the OpenAPI description; operations, statuses and drift are recorded per test
and reported at the end (and written to ``--awx-report-dir`` when given).
"""

from __future__ import annotations

import json
import pathlib
import typing as t
import uuid

import httpx
import pytest

from contracts import coverage, drift
from contracts.client import Awx, Target, build_target
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
