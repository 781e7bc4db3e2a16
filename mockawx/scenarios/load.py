"""Read scenario files and check them against ``scenarios/schema.json`` (the only validator)."""

from __future__ import annotations

import dataclasses
import functools
import json
import pathlib
import typing as t

import jsonschema
import yaml

from ..errors import MockAWXError

__all__ = ["Scenario", "ScenarioError", "load_scenario", "load_scenarios", "from_dict"]

SCHEMA_PATH = pathlib.Path(__file__).resolve().parent / "schema.json"


class ScenarioError(MockAWXError):
    """Raise when a scenario file cannot be read or breaks the schema or its own references."""


@dataclasses.dataclass(frozen=True)
class Scenario:
    """One scenario: the graph, the outcomes and the expected end state."""

    name: str
    data: dict[str, t.Any]
    source: str = "<dict>"

    @property
    def nodes(self) -> dict[str, dict[str, t.Any]]:
        return dict(self.data.get("nodes") or {})

    @property
    def edges(self) -> list[tuple[str, str, str]]:
        return [tuple(edge) for edge in self.data.get("edges") or []]  # type: ignore[misc]

    @property
    def workflows(self) -> dict[str, dict[str, t.Any]]:
        return dict(self.data.get("workflows") or {})

    @property
    def outcomes(self) -> dict[str, str]:
        return dict(self.data.get("outcomes") or {})

    @property
    def expect(self) -> dict[str, t.Any]:
        return dict(self.data["expect"])

    @property
    def mock_only(self) -> bool:
        """Job nodes need scripted outcomes, which only the mock has."""
        if self.data.get("mock_only"):
            return True
        graphs = [self.nodes, *(w.get("nodes") or {} for w in self.workflows.values())]
        return any(node["kind"] == "job" for graph in graphs for node in graph.values())


@functools.lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def from_dict(data: t.Any, source: str = "<dict>") -> Scenario:
    """Validate ``data`` and return the scenario; every problem is named in the error."""
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in _validator().iter_errors(data)]
    if problems:
        raise ScenarioError(f"{source} is not a valid scenario: " + "; ".join(problems))
    scenario = Scenario(data["name"], data, source)
    _check_references(scenario)
    return scenario


def _check_references(scenario: Scenario) -> None:
    graphs = {"": (scenario.nodes, scenario.edges)}
    for name, workflow in scenario.workflows.items():
        graphs[name] = (workflow.get("nodes") or {}, [tuple(e) for e in workflow.get("edges") or []])
    for graph_name, (nodes, edges) in graphs.items():
        for parent, _, child in edges:
            for end in (parent, child):
                if end not in nodes:
                    raise ScenarioError(f"{scenario.source}: edge names unknown node {end!r} {graph_name}".rstrip())
        for node_name, node in nodes.items():
            target = node.get("workflow")
            if node["kind"] == "workflow" and target != "self" and target not in scenario.workflows:
                raise ScenarioError(f"{scenario.source}: node {node_name!r} runs unknown workflow {target!r}")
    for node_name in list(scenario.outcomes) + list(scenario.expect.get("nodes") or {}):
        if node_name not in scenario.nodes:
            raise ScenarioError(f"{scenario.source}: {node_name!r} is not a node of the workflow")


def load_scenario(path: str | pathlib.Path) -> Scenario:
    """Read one YAML scenario file."""
    path = pathlib.Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError(f"cannot read {path}: {exc}") from exc
    return from_dict(data, str(path))


def load_scenarios(folder: str | pathlib.Path) -> list[Scenario]:
    """Every ``*.yaml`` scenario in ``folder``, sorted by file name."""
    return [load_scenario(p) for p in sorted(pathlib.Path(folder).glob("*.yaml"))]
