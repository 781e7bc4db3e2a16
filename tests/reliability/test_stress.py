"""Eight clients at once against one loopback mock: no 5xx, and the state stays consistent."""

from __future__ import annotations

import base64
import os
import time
import typing as t

import httpx
import pytest
from werkzeug.test import Client

from mockawx import ManualClock, create_app
from mockawx.server import MockServer

import soak

THREADS = 8
OPS_PER_THREAD = int(os.environ.get("MOCKAWX_STRESS_OPS", "300"))
TIME_LIMIT = float(os.environ.get("MOCKAWX_STRESS_SECONDS", "25"))
AUTH = ("admin", "password")


@pytest.fixture
def loopback() -> t.Iterator[tuple[MockServer, t.Any]]:
    app = create_app(seed="demo", clock=ManualClock())
    with MockServer(app, host="127.0.0.1", port=0, threads=THREADS + 2) as server:
        yield server, app


def test_concurrent_mixed_operations_keep_every_invariant(loopback: tuple[MockServer, t.Any]) -> None:
    server, app = loopback
    assert server.url.startswith("http://127.0.0.1:")
    with httpx.Client(base_url=server.url, auth=AUTH, timeout=60) as client:
        baseline = soak.baseline_ids(client)
        started = time.monotonic()
        tally = soak.run_mix(server, AUTH, threads=THREADS, ops=OPS_PER_THREAD, seconds=TIME_LIMIT)
        assert time.monotonic() - started < TIME_LIMIT + 30
        soak.settle(client)
        problems = soak.check_invariants(client, tally, baseline)
    assert not app.runtime.handler_errors, app.runtime.handler_errors[:3]
    assert problems == []
    # the mix really exercised every kind of operation, and enough of them succeeded to mean something
    for op in ("create", "patch", "associate", "disassociate", "delete", "launch", "cancel", "approve", "relaunch"):
        assert tally.sent[op] > 0, op
    acknowledged = {op for (op, status), n in tally.statuses.items() if status in (200, 201, 202, 204)}
    assert {"create", "patch", "associate", "launch", "relaunch"} <= acknowledged
    assert len(tally.wfjts_created) >= 5 and len(tally.workflow_jobs) + len(tally.jobs) >= 10


def test_invariant_checker_notices_a_cycle_and_a_dangling_edge() -> None:
    nodes = {
        1: {"workflow_job_template": 9, "success_nodes": [2], "failure_nodes": [], "always_nodes": []},
        2: {"workflow_job_template": 9, "success_nodes": [], "failure_nodes": [1], "always_nodes": [7]},
    }
    problems = soak._graph_problems(nodes)
    assert any("cycle" in p for p in problems)
    assert any("missing node 7" in p for p in problems)


@pytest.mark.parametrize("gone", ["job template", "approval node"])
def test_workflow_finishes_when_a_node_template_is_deleted_before_it_runs(gone: str) -> None:
    client = Client(create_app(seed="demo", clock=ManualClock()))
    auth = {"Authorization": "Basic " + base64.b64encode(b"admin:password").decode()}

    def call(method: str, path: str, body: t.Any = None) -> t.Any:
        response = client.open(path, method=method, json=body, headers=auth)
        assert response.status_code < 300, (path, response.status_code, response.get_data(as_text=True))
        return response.get_json()

    wfjt = call("POST", "/api/v2/workflow_job_templates/", {"name": "W", "organization": 1})["id"]
    template = call("GET", "/api/v2/job_templates/?name=Demo Job Template")["results"][0]["id"]
    body = {"unified_job_template": template} if gone == "job template" else {}
    node = call("POST", f"/api/v2/workflow_job_templates/{wfjt}/workflow_nodes/", body)["id"]
    if gone == "approval node":
        call("POST", f"/api/v2/workflow_job_template_nodes/{node}/create_approval_template/", {"name": "gate", "timeout": 0})
    job = call("POST", f"/api/v2/workflow_job_templates/{wfjt}/launch/", {})["id"]
    # the node has not run yet (no time has passed) when its template goes away
    call("DELETE", f"/api/v2/job_templates/{template}/" if gone == "job template" else f"/api/v2/workflow_job_template_nodes/{node}/")
    call("POST", "/_mockawx/clock/run_until_idle/")
    assert call("GET", f"/api/v2/workflow_jobs/{job}/")["status"] in soak.TERMINAL
