"""Golden recordings as files: the records of a folder, their results, the mock's clock per file, known differences."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import pathlib
import re
import typing as t

import yaml

from . import volatile

__all__ = ["Record", "FileResult", "load_folder", "advance_clock_for", "load_known_differences", "expand_numbers"]

KNOWN_DIFFERENCES = pathlib.Path(__file__).with_name("known_differences.yaml")
WAIT_IN_NAME = re.compile(r"after_(\d+)s(_|$)")


@dataclasses.dataclass(frozen=True)
class Record:
    """One recorded interaction (``delivery`` files are webhook bodies AWX sent out, not API calls)."""

    folder: str
    name: str
    data: dict[str, t.Any]

    @property
    def number(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def is_delivery(self) -> bool:
        return "request" not in self.data


@dataclasses.dataclass
class FileResult:
    """The outcome of one replayed file."""

    name: str
    passed: bool
    diffs: list[str]
    expected_status: int
    actual_status: int | None

    def summary(self, limit: int | None = 5) -> str:
        """PASS/FAIL line plus a compact diff."""
        head = f"{'PASS' if self.passed else 'FAIL'} {self.name}"
        if self.passed:
            return head
        shown = self.diffs if limit is None else self.diffs[:limit]
        more = len(self.diffs) - len(shown)
        lines = [head] + [f"    {line}" for line in shown] + ([f"    ... {more} more"] if more > 0 else [])
        return "\n".join(lines)


def load_folder(directory: str | pathlib.Path) -> list[Record]:
    """Every ``NNN_*.json`` of a golden folder, in recording order."""
    root = pathlib.Path(directory)
    return [
        Record(root.name, path.stem, json.loads(path.read_text()))
        for path in sorted(root.glob("[0-9][0-9][0-9]_*.json"))
    ]


def advance_clock_for(record: Record, clock: t.Any) -> float:
    """Advance the mock's ManualClock to the recorded server time of this file; return the seconds advanced.

    The recorded time is the latest creation/modification/start/finish timestamp in the recorded response (the
    recording's clock had reached at least that), and a name such as ``job_after_45s`` adds that wait. Moving
    the mock through the recording's timeline makes approval timeouts and due schedules happen where they did.
    """
    if not hasattr(clock, "advance"):
        return 0.0
    now = clock.now()
    target = now
    latest = _latest_time(record.data["response"]["body"], None)
    if latest is not None and latest > target:
        target = latest
    wait = WAIT_IN_NAME.search(record.name)
    if wait:
        target = max(target, now + dt.timedelta(seconds=int(wait.group(1))))
    seconds = (target - now).total_seconds()
    if seconds > 0:
        clock.advance(seconds)
    return max(seconds, 0.0)


def _latest_time(value: t.Any, key: str | None) -> dt.datetime | None:
    if isinstance(value, dict):
        found = [_latest_time(item, k) for k, item in value.items()]
    elif isinstance(value, list):
        found = [_latest_time(item, key) for item in value]
    elif key in volatile.ADVANCING_TIME_KEYS and isinstance(value, str) and volatile.TIMESTAMP.match(value):
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    else:
        return None
    present = [item for item in found if item is not None]
    return max(present) if present else None


def load_known_differences(path: str | pathlib.Path = KNOWN_DIFFERENCES) -> dict[str, dict[str, str]]:
    """``{folder: {file number: "category: reason"}}`` from known_differences.yaml (ranges expanded)."""
    data = yaml.safe_load(pathlib.Path(path).read_text()) or {}
    known: dict[str, dict[str, str]] = {}
    for folder, entries in data.items():
        for entry in entries or ():
            reason = f"{entry['category']}: {entry.get('feature') or entry.get('reason')}"
            for number in expand_numbers(entry["files"]):
                if number in known.setdefault(folder, {}):
                    raise ValueError(f"{folder}/{number} is listed twice in {path}")
                known[folder][number] = reason
    return known


def expand_numbers(spec: t.Iterable[str | int]) -> list[str]:
    """File numbers of ``["052-097", 15]``-style ranges, as three-digit text."""
    numbers: list[str] = []
    for item in spec:
        first, _, last = str(item).partition("-")
        numbers.extend(f"{n:03d}" for n in range(int(first), int(last or first) + 1))
    return numbers
