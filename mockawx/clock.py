"""Time for mockawx: the only place that reads the wall clock."""

from __future__ import annotations

import datetime as dt
import threading
import time
import typing as t

__all__ = ["Clock", "ManualClock", "SystemClock", "format_time"]

EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


class Clock(t.Protocol):
    """What the mock needs from time: the current instant."""

    def now(self) -> dt.datetime: ...


class ManualClock:
    """A clock that moves only when told to (tests): ``advance(seconds)``."""

    def __init__(self, start: dt.datetime = EPOCH) -> None:
        self._now = start
        self._lock = threading.Lock()
        self._drivers: list[t.Callable[[float], object]] = []

    def now(self) -> dt.datetime:
        return self._now

    def attach(self, driver: t.Callable[[float], object]) -> None:
        """Let ``driver`` move the clock on ``advance`` (a mock runs its due events on the way)."""
        self._drivers.append(driver)

    def advance(self, seconds: float) -> dt.datetime:
        """Move forward; attached mocks run every event that falls due, at its own time."""
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        if self._drivers:
            for driver in self._drivers:
                driver(seconds)
            return self._now
        with self._lock:
            self._now = self._now + dt.timedelta(seconds=seconds)
            return self._now

    def set(self, instant: dt.datetime) -> None:
        self._now = instant


class SystemClock:
    """The wall clock (``mockawx serve``); strictly increasing so timestamps never tie."""

    def __init__(self) -> None:
        self._last = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        with self._lock:
            current = dt.datetime.fromtimestamp(time.time(), dt.timezone.utc)
            if current <= self._last:
                current = self._last + dt.timedelta(microseconds=1)
            self._last = current
            return current


def format_time(instant: dt.datetime | None) -> str | None:
    """AWX's datetime text: ISO-8601 in UTC with microseconds (dropped when 0) and ``Z``."""
    if instant is None:
        return None
    text = instant.astimezone(dt.timezone.utc).replace(tzinfo=None).isoformat()
    return text + "Z"
