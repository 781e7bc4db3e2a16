"""Every scenario in scenarios/ plays out on the mock exactly as its file expects."""

from __future__ import annotations

import pathlib

import httpx
import pytest

from mockawx import create_app
from mockawx.scenarios import ScenarioError, Target, load_scenario, load_scenarios, run_scenario
from mockawx.scenarios.load import from_dict

FOLDER = pathlib.Path(__file__).resolve().parent.parent / "scenarios"
SCENARIOS = sorted(FOLDER.glob("*.yaml"))


def make_target() -> tuple[Target, httpx.Client]:
    app = create_app()
    client = httpx.Client(transport=httpx.WSGITransport(app=app), base_url="http://mock", auth=("admin", "password"))
    org = client.post("/api/v2/organizations/", json={"name": "Scenarios"}).json()
    return Target(client=client, organization=org["id"]), client


def test_there_are_enough_scenarios() -> None:
    assert len(SCENARIOS) >= 30
    assert len({load_scenario(p).name for p in SCENARIOS}) == len(SCENARIOS)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path: pathlib.Path) -> None:
    scenario = load_scenario(path)
    target, client = make_target()
    try:
        outcome = run_scenario(target, scenario)
    finally:
        client.close()
    assert outcome.passed, f"{scenario.name}: {outcome.problems} (nodes seen: {outcome.nodes})"


def test_a_wrong_expectation_is_reported() -> None:
    scenario = from_dict({
        "name": "wrong_on_purpose",
        "nodes": {"A": {"kind": "approval"}},
        "outcomes": {"A": "deny"},
        "expect": {"status": "successful", "nodes": {"A": "successful"}},
    })
    target, client = make_target()
    try:
        outcome = run_scenario(target, scenario)
    finally:
        client.close()
    assert not outcome.passed
    assert "workflow status 'failed', expected 'successful'" in outcome.problems
    assert "node A: 'failed', expected 'successful'" in outcome.problems


@pytest.mark.parametrize("data, message", [
    ({"name": "x", "nodes": {}, "expect": {"status": "nope"}}, "expect/status"),
    ({"name": "x", "nodes": {"A": {"kind": "approval"}}, "edges": [["A", "success", "Z"]], "expect": {"status": "successful"}}, "unknown node 'Z'"),
    ({"name": "x", "nodes": {"W": {"kind": "workflow", "workflow": "missing"}}, "expect": {"status": "successful"}}, "unknown workflow"),
    ({"name": "Bad Name", "nodes": {}, "expect": {"status": "successful"}}, "name"),
])
def test_invalid_scenarios_are_refused(data: dict, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        from_dict(data)


def test_every_file_loads() -> None:
    assert [s.name for s in load_scenarios(FOLDER)] == [p.stem for p in SCENARIOS]
