"""Declarative workflow scenarios: load them, and play them over HTTP against any AWX."""

from __future__ import annotations

from .load import Scenario, ScenarioError, load_scenario, load_scenarios
from .runner import Outcome, Target, run_scenario

__all__ = ["Outcome", "Scenario", "ScenarioError", "Target", "load_scenario", "load_scenarios", "run_scenario"]
