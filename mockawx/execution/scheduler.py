"""The event queue that moves jobs along; time moves only through the clock.

Events live in the store (so snapshots and restores carry them). In manual mode nothing
happens until ``advance`` or ``run_until_idle``; ``mockawx serve`` runs ``RealtimeTicker``.
"""

from __future__ import annotations

import datetime as dt
import heapq
import threading
import typing as t

from ..clock import ManualClock
from ..errors import MockAWXError

if t.TYPE_CHECKING:
    from ..runtime import Runtime

__all__ = ["Scheduler", "RealtimeTicker", "ACTIONS"]

Event = tuple[dt.datetime, int, str, tuple[t.Any, ...]]
Action = t.Callable[["Runtime", t.Any], None]

# Event names to the functions that carry them out; filled by the execution modules.
ACTIONS: dict[str, t.Callable[..., None]] = {}
# Events that recur on their own (schedules): they never keep the queue from being idle.
TIMERS = frozenset({"schedule_fire"})


def action(name: str) -> t.Callable[[t.Callable[..., None]], t.Callable[..., None]]:
    """Register the function an event name runs."""

    def register(function: t.Callable[..., None]) -> t.Callable[..., None]:
        ACTIONS[name] = function
        return function

    return register


class Scheduler:
    """Schedule events at clock times and run the due ones in time order."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @property
    def _queue(self) -> list[Event]:
        return t.cast(list[Event], self.runtime.store.meta.setdefault("events", []))

    def schedule(self, delay: float, name: str, *args: t.Any) -> None:
        """Run event ``name(runtime, *args)`` ``delay`` seconds from now."""
        if name not in ACTIONS:
            raise MockAWXError(f"unknown event {name!r}")
        meta = self.runtime.store.meta
        sequence = meta.get("event_sequence", 0) + 1
        meta["event_sequence"] = sequence
        due = self.runtime.clock.now() + dt.timedelta(seconds=max(delay, 0.0))
        self.runtime.store.push_meta("events", (due, sequence, name, args))

    def next_due(self) -> dt.datetime | None:
        queue = self._queue
        return queue[0][0] if queue else None

    def run_due(self, limit: int = 100_000) -> int:
        """Run every event due by the clock's current time; returns how many ran."""
        count = 0
        while count < limit:
            due = self.next_due()
            if due is None or due > self.runtime.clock.now():
                break
            self._run_next()
            count += 1
        return count

    def advance(self, seconds: float, limit: int = 1_000_000) -> int:
        """Move a manual clock forward, running events at their own times on the way."""
        clock = self._manual_clock()
        target = clock.now() + dt.timedelta(seconds=seconds)
        count = self.run_due(limit)
        while count < limit:
            due = self.next_due()
            if due is None or due > target:
                break
            clock.set(max(due, clock.now()))
            count += self.run_due(limit - count)
        clock.set(target)
        return count

    def run_until_idle(self, limit: int = 1_000_000) -> int:
        """Run events (moving a manual clock to each) until no job event is left, or ``limit`` ran.

        Schedules keep firing forever, so they run only while they fall before the last job event.
        """
        clock = self._manual_clock()
        count = 0
        while count < limit:
            horizon = self.last_job_event()
            due = self.next_due()
            if horizon is None or due is None:
                break
            clock.set(max(due, clock.now()))
            count += self.run_due(limit - count)
        return count

    def last_job_event(self) -> dt.datetime | None:
        """When the last queued event that is not a recurring timer falls due."""
        dues = [due for due, _, name, _ in self._queue if name not in TIMERS]
        return max(dues) if dues else None

    @property
    def idle(self) -> bool:
        """No job event is waiting (recurring schedules do not count)."""
        return self.last_job_event() is None

    def _manual_clock(self) -> ManualClock:
        clock = self.runtime.clock
        if not isinstance(clock, ManualClock):
            raise MockAWXError("only a manual clock can be moved; this mock runs on real time")
        return clock

    def _run_next(self) -> None:
        runtime = self.runtime
        _, _, name, args = heapq.heappop(self._queue)
        with runtime.store.transaction():
            ACTIONS[name](runtime, *args)


class RealtimeTicker:
    """Runs due events every ``interval`` seconds in a daemon thread (``mockawx serve``)."""

    def __init__(self, runtime: Runtime, interval: float = 0.1) -> None:
        self.scheduler = Scheduler(runtime)
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="mockawx-ticker", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        runtime = self.scheduler.runtime
        while not self._stop.wait(self.interval):
            try:
                with runtime.store.lock:
                    self.scheduler.run_due()
            except Exception as exc:  # noqa: BLE001 - keep serving; surface it like a handler error
                runtime.handler_errors.append(exc)
