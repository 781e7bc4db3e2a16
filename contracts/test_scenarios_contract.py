"""Every declarative scenario in scenarios/, played over the checking client against the target.

Scenarios with job nodes need scripted outcomes and are mock_only; approval-only scenarios run anywhere.
"""

from __future__ import annotations

import pathlib
import typing as t

import pytest

from mockawx.scenarios import Target as ScenarioTarget
from mockawx.scenarios import load_scenario, run_scenario

FOLDER = pathlib.Path(__file__).resolve().parent.parent / "scenarios"


def _cases() -> list[t.Any]:
    cases = []
    for path in sorted(FOLDER.glob("*.yaml")):
        scenario = load_scenario(path)
        marks = [pytest.mark.mock_only] if scenario.mock_only else []
        cases.append(pytest.param(path, marks=marks, id=path.stem))
    return cases


@pytest.mark.parametrize("path", _cases())
def test_scenario(path: pathlib.Path, awx: t.Any, target: t.Any, organization: dict[str, t.Any], run_prefix: str) -> None:
    scenario = load_scenario(path)
    where = ScenarioTarget(client=awx, organization=organization["id"], mock=target.manual_clock, prefix=run_prefix + "scn-")
    outcome = run_scenario(where, scenario)
    assert outcome.passed, f"{scenario.name}: {outcome.problems} (nodes seen: {outcome.nodes})"
