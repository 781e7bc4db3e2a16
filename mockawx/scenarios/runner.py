"""Play a scenario over HTTP: build the workflow, launch it, decide approvals, compare the end state.

The same code drives the mock (which can script job outcomes and move its clock) and a
real AWX (approval nodes only; time passes for real there).
"""

from __future__ import annotations

import dataclasses
import time
import typing as t

import httpx

from .load import Scenario

__all__ = ["Outcome", "Target", "run_scenario"]

TERMINAL = ("successful", "failed", "error", "canceled")
DECISIONS = {"approve": "approve", "deny": "deny"}


@dataclasses.dataclass
class Target:
    """Where scenarios run: an authenticated client, an organization to work in, and a name prefix."""

    client: httpx.Client
    organization: int
    mock: bool = True
    prefix: str = "scn-"
    poll_seconds: float = 1.0
    max_rounds: int = 90

    realtime: bool = False

    def settle(self) -> None:
        """Let time pass: one virtual second on a mock with a manual clock, a real pause elsewhere."""
        if self.mock and not self.realtime:
            moved = self.client.post("/_mockawx/clock/advance/", json={"seconds": 1})
            if moved.status_code == 400:  # a mock on real time (mockawx serve): its clock cannot be moved
                self.realtime = True
            else:
                _ok(moved)
                return
        time.sleep(self.poll_seconds)


@dataclasses.dataclass
class Outcome:
    """What a scenario run observed, and how it differs from what was expected."""

    scenario: str
    status: str
    failed: bool
    job_explanation: str
    nodes: dict[str, str]
    problems: list[str]

    @property
    def passed(self) -> bool:
        return not self.problems


def _ok(response: httpx.Response) -> t.Any:
    if response.status_code >= 400:
        raise AssertionError(f"{response.request.method} {response.request.url.path} -> {response.status_code}: {response.text[:500]}")
    return response.json() if response.content else None


class _Builder:
    """Creates the templates a scenario needs and remembers them for cleanup."""

    def __init__(self, target: Target, scenario: Scenario) -> None:
        self.target = target
        self.scenario = scenario
        self.client = target.client
        self.created: list[str] = []
        self.templates: dict[str, int] = {}
        self._job_template: int | None = None

    def name(self, *parts: str) -> str:
        return self.target.prefix + ":".join((self.scenario.name, *parts))

    def workflow(self, key: str) -> int:
        if key not in self.templates:
            body = _ok(self.client.post("/api/v2/workflow_job_templates/", json={"name": self.name(key or "main"), "organization": self.target.organization}))
            self.templates[key] = body["id"]
            self.created.append(body["url"])
        return self.templates[key]

    def job_template(self) -> int:
        if self._job_template is None:
            self._job_template = self._make_job_template()
        return self._job_template

    def _make_job_template(self) -> int:
        org = self.target.organization
        inventory = _ok(self.client.post("/api/v2/inventories/", json={"name": self.name("inventory"), "organization": org}))
        project = _ok(self.client.post("/api/v2/projects/", json={
            "name": self.name("project"), "organization": org, "scm_type": "git",
            "scm_url": "https://example.invalid/scenarios.git",
        }))
        self.created += [project["url"], inventory["url"]]
        for _ in range(self.target.max_rounds):
            if _ok(self.client.get(project["url"]))["status"] in TERMINAL:
                break
            self.target.settle()
        template = _ok(self.client.post("/api/v2/job_templates/", json={
            "name": self.name("job"), "project": project["id"], "inventory": inventory["id"], "playbook": "hello_world.yml",
        }))
        self.created.insert(0, template["url"])
        return int(template["id"])

    def build(self, key: str, graph: dict[str, t.Any]) -> dict[str, int]:
        """Nodes and edges of one workflow; returns node name -> template node id."""
        wfjt = self.workflow(key)
        ids: dict[str, int] = {}
        for node_name, node in (graph.get("nodes") or {}).items():
            ids[node_name] = self._node(key, wfjt, node_name, node)
        for parent, label, child in graph.get("edges") or []:
            _ok(self.client.post(f"/api/v2/workflow_job_template_nodes/{ids[parent]}/{label}_nodes/", json={"id": ids[child]}))
        return ids

    def _node(self, key: str, wfjt: int, node_name: str, node: dict[str, t.Any]) -> int:
        body: dict[str, t.Any] = {"identifier": node_name, "all_parents_must_converge": node.get("converge") == "all"}
        if node["kind"] == "job":
            body["unified_job_template"] = self.job_template()
        elif node["kind"] == "workflow":
            target = node["workflow"]
            body["unified_job_template"] = wfjt if target == "self" else self.workflow(target)
        created = _ok(self.client.post(f"/api/v2/workflow_job_templates/{wfjt}/workflow_nodes/", json=body))
        if node["kind"] == "approval":
            _ok(self.client.post(f"/api/v2/workflow_job_template_nodes/{created['id']}/create_approval_template/", json={
                "name": self.name(key or "main", node_name), "timeout": int(node.get("timeout", 0)),
            }))
        return int(created["id"])

    def cleanup(self) -> None:
        for url in self.created:
            self.client.delete(url)


def _script_outcomes(builder: _Builder, scenario: Scenario) -> None:
    graphs = [("", scenario.nodes), *((k, w.get("nodes") or {}) for k, w in scenario.workflows.items())]
    for key, nodes in graphs:
        for node_name, node in nodes.items():
            status = scenario.outcomes.get(node_name, "successful") if key == "" else "successful"
            if node["kind"] == "job":
                _ok(builder.client.post("/_mockawx/outcomes/", json={
                    "match": {"workflow_job_template": builder.workflow(key), "node_identifier": node_name},
                    "results": [{"status": status}],
                }))


def _decide_approvals(builder: _Builder, scenario: Scenario) -> None:
    """Approve or deny every pending approval of this scenario as its outcome says."""
    prefix = builder.name("")
    pending = _ok(builder.client.get("/api/v2/workflow_approvals/", params={"status": "pending", "name__startswith": prefix, "page_size": 200}))
    for approval in pending["results"]:
        key, _, node_name = approval["name"][len(builder.target.prefix) + len(scenario.name) + 1:].rpartition(":")
        wanted = scenario.outcomes.get(node_name, "approve") if key == "main" else "approve"
        if wanted in DECISIONS:
            _ok(builder.client.post(f"/api/v2/workflow_approvals/{approval['id']}/{DECISIONS[wanted]}/", json={}))


def _observe(client: httpx.Client, job_id: int) -> dict[str, str]:
    nodes = _ok(client.get(f"/api/v2/workflow_jobs/{job_id}/workflow_nodes/", params={"page_size": 200}))["results"]
    seen = {}
    for node in nodes:
        job = node["summary_fields"].get("job")
        seen[node["identifier"]] = job["status"] if job else ("do_not_run" if node["do_not_run"] else "no_job")
    return seen


def run_scenario(target: Target, scenario: Scenario, *, cleanup: bool = True) -> Outcome:
    """Build, launch and drive ``scenario`` to its end; report what differs from ``expect``."""
    builder = _Builder(target, scenario)
    try:
        for key, workflow in scenario.workflows.items():
            builder.build(key, workflow)
        builder.build("", scenario.data)
        if target.mock:
            _script_outcomes(builder, scenario)
        launched = _ok(target.client.post(f"/api/v2/workflow_job_templates/{builder.workflow('')}/launch/", json={}))
        job = _drive(builder, scenario, launched["id"])
        return _compare(scenario, job, _observe(target.client, job["id"]))
    finally:
        if cleanup:
            builder.cleanup()


def _drive(builder: _Builder, scenario: Scenario, job_id: int) -> dict[str, t.Any]:
    """Settle, decide approvals and cancel as scripted until the job ends or stays unchanged too long."""
    client = builder.client
    cancel_after = set(scenario.data.get("cancel_after") or [])
    canceled = False
    job: dict[str, t.Any] = {}
    last: tuple[str, dict[str, str]] | None = None
    unchanged = 0
    for _ in range(builder.target.max_rounds):
        builder.target.settle()
        _decide_approvals(builder, scenario)
        job = _ok(client.get(f"/api/v2/workflow_jobs/{job_id}/"))
        nodes = _observe(client, job_id)
        if cancel_after and not canceled and cancel_after <= {n for n, s in nodes.items() if s not in ("do_not_run", "no_job")}:
            _ok(client.post(f"/api/v2/workflow_jobs/{job_id}/cancel/"))
            canceled = True
        if job["status"] in TERMINAL:
            return job
        unchanged = unchanged + 1 if (job["status"], nodes) == last else 0
        last = (job["status"], nodes)
        if unchanged >= _patience(builder.target):
            return job  # nothing is moving any more: the run is wedged, as AWX's would be
    return job


def _patience(target: Target) -> int:
    """Rounds without change before a run counts as wedged (an idle manual clock settles it sooner)."""
    if target.mock and not target.realtime and _ok(target.client.get("/_mockawx/clock/"))["idle"]:
        return 2
    return 15


def _compare(scenario: Scenario, job: dict[str, t.Any], nodes: dict[str, str]) -> Outcome:
    expect = scenario.expect
    problems = []
    if job["status"] != expect["status"]:
        problems.append(f"workflow status {job['status']!r}, expected {expect['status']!r}")
    if "failed" in expect and job["failed"] != expect["failed"]:
        problems.append(f"failed {job['failed']!r}, expected {expect['failed']!r}")
    if "job_explanation" in expect and job["job_explanation"] != expect["job_explanation"]:
        problems.append(f"job_explanation {job['job_explanation']!r}, expected {expect['job_explanation']!r}")
    for node_name, wanted in (expect.get("nodes") or {}).items():
        if nodes.get(node_name) != wanted:
            problems.append(f"node {node_name}: {nodes.get(node_name)!r}, expected {wanted!r}")
    return Outcome(scenario.name, job["status"], job["failed"], job["job_explanation"], nodes, problems)
