"""Scripted job outcomes: what each spawned job ends as, and how long it takes."""

from __future__ import annotations

import dataclasses
import typing as t

__all__ = ["Outcome", "OutcomePlan", "Rule", "STATUSES"]

STATUSES = ("successful", "failed", "error", "canceled")


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    """How one job ends: its final status (and explanation) after ``duration`` seconds of running."""

    status: str = "successful"
    duration: float | None = None
    job_explanation: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {self.status!r}")
        if self.duration is not None and self.duration < 0:
            raise ValueError("duration must not be negative")


@dataclasses.dataclass
class Rule:
    """Jobs matching ``match`` take their outcomes from ``results`` in order; the last one repeats."""

    id: int
    match: dict[str, t.Any]
    results: list[Outcome]
    used: int = 0

    def matches(self, facts: t.Mapping[str, t.Any]) -> bool:
        return all(facts.get(key) == value for key, value in self.match.items())

    def take(self) -> Outcome:
        outcome = self.results[min(self.used, len(self.results) - 1)]
        self.used += 1
        return outcome

    def as_dict(self) -> dict[str, t.Any]:
        return {
            "id": self.id,
            "match": dict(self.match),
            "results": [dataclasses.asdict(o) for o in self.results],
            "used": self.used,
        }


MATCH_KEYS = ("job_template", "unified_job_template", "node_identifier", "workflow_job", "workflow_job_template", "name")


class OutcomePlan:
    """Ordered rules; the most recently added matching rule wins. Default: success."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self._next_id = 1

    def add(self, match: t.Mapping[str, t.Any], results: t.Sequence[Outcome | t.Mapping[str, t.Any] | str]) -> Rule:
        unknown = set(match) - set(MATCH_KEYS)
        if unknown:
            raise ValueError(f"unknown match keys: {', '.join(sorted(unknown))}; use {', '.join(MATCH_KEYS)}")
        if not results:
            raise ValueError("results must name at least one outcome")
        outcomes = [_outcome(r) for r in results]
        rule = Rule(self._next_id, dict(match), outcomes)
        self._next_id += 1
        self.rules.append(rule)
        return rule

    def remove(self, rule_id: int) -> bool:
        before = len(self.rules)
        self.rules = [r for r in self.rules if r.id != rule_id]
        return len(self.rules) != before

    def clear(self) -> None:
        self.rules.clear()

    def next_outcome(self, facts: t.Mapping[str, t.Any]) -> Outcome:
        for rule in reversed(self.rules):
            if rule.matches(facts):
                return rule.take()
        return Outcome()


def _outcome(value: Outcome | t.Mapping[str, t.Any] | str) -> Outcome:
    if isinstance(value, Outcome):
        return value
    if isinstance(value, str):
        return Outcome(value)
    return Outcome(str(value.get("status", "successful")), value.get("duration"), value.get("job_explanation"))
