"""What a fresh AWX 24.6.1 holds: managed credential types, system job templates and their schedules, preload data."""

from __future__ import annotations

import datetime as dt
import functools
import json
import pathlib
import typing as t

__all__ = [
    "CREDENTIAL_TYPES_FILE",
    "DEMO_HOST_VARIABLES",
    "DEMO_PROJECT",
    "GALAXY_URL",
    "SYSTEM_JOB_TEMPLATES",
    "credential_types",
    "first_run",
    "weekly_rrule",
]

CREDENTIAL_TYPES_FILE = pathlib.Path(__file__).resolve().parent / "data" / "credential_types.json"

# (id, name, description, job_type, schedule name, schedule description, extra_data, weekday or None).
# Id 3 was a template AWX's later migrations removed, so the ids (and schedule ids) skip it.
SYSTEM_JOB_TEMPLATES: tuple[tuple[int, str, str, str, str, str, dict[str, str], int | None], ...] = (
    (1, "Cleanup Job Details", "Remove job history", "cleanup_jobs",
     "Cleanup Job Schedule", "Automatically Generated Schedule", {"days": "120"}, 6),
    (2, "Cleanup Activity Stream", "Remove activity stream history", "cleanup_activitystream",
     "Cleanup Activity Schedule", "Automatically Generated Schedule", {"days": "355"}, 1),
    (4, "Cleanup Expired Sessions", "Cleans out expired browser sessions", "cleanup_sessions",
     "Cleanup Expired Sessions", "Cleans out expired browser sessions", {}, None),
    (5, "Cleanup Expired OAuth 2 Tokens", "Cleanup expired OAuth 2 access and refresh tokens", "cleanup_tokens",
     "Cleanup Expired OAuth 2 Tokens", "Removes expired OAuth 2 access and refresh tokens", {}, None),
)
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

DEMO_PROJECT = {
    "name": "Demo Project",
    "scm_type": "git",
    "scm_url": "https://github.com/ansible/ansible-tower-samples",
    "scm_revision": "347e44fea036c94d5f60e544de006453ee5c71ad",
    "playbook": "hello_world.yml",
}
DEMO_HOST_VARIABLES = "ansible_connection: local\nansible_python_interpreter: '{{ ansible_playbook_python }}'"
GALAXY_URL = "https://galaxy.ansible.com/"


@functools.lru_cache(maxsize=1)
def _credential_types_text() -> str:
    return CREDENTIAL_TYPES_FILE.read_text(encoding="utf-8")


def credential_types() -> list[dict[str, t.Any]]:
    """The 30 managed credential types, in id order (a fresh copy each call)."""
    return t.cast(list[dict[str, t.Any]], json.loads(_credential_types_text()))


def weekly_rrule(start: dt.datetime, weekday: int | None) -> str:
    """AWX's rrule text for a weekly schedule starting at ``start`` (optionally on one weekday)."""
    stamp = start.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    day = f";BYDAY={WEEKDAY_CODES[weekday]}" if weekday is not None else ""
    return f"DTSTART:{stamp} RRULE:FREQ=WEEKLY;INTERVAL=1{day}"


def first_run(start: dt.datetime, weekday: int | None, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The first occurrence (``dtstart``) of a weekly rule and the next one after ``now``."""
    first = start
    if weekday is not None:
        first = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    upcoming = first
    while upcoming <= now:
        upcoming += dt.timedelta(days=7)
    return first, upcoming
