"""Running things: unified jobs' lifecycles, workflow jobs over the DAG engine, the event queue."""

from __future__ import annotations

from .outcomes import Outcome, OutcomePlan
from .scheduler import Scheduler

__all__ = ["Outcome", "OutcomePlan", "Scheduler"]
