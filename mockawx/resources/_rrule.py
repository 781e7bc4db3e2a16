"""rrule strings as AWX accepts them: validation, parsing, occurrences and the next-run arithmetic (pure)."""

from __future__ import annotations

import datetime as dt
import re
import typing as t
import warnings
import zoneinfo

from dateutil import rrule as du_rrule
from dateutil import tz as du_tz

__all__ = ["validate_rrule", "parse_rrule", "local_zone", "coerce_until", "occurrences", "next_run", "computed_fields",
           "timezone_name", "until_text", "iso_text"]

UTC = dt.timezone.utc
DTSTART_RE = re.compile(r"DTSTART(;[^:]+)?:[0-9]+T[0-9]+Z?")
NAIVE_DTSTART_RE = re.compile(r"DTSTART:[0-9]+T[0-9]+ ")
RULE_RE = re.compile(r"RULE:\S*")
UNTIL_RE = re.compile(r"UNTIL=(\d{8}T\d{6})(Z?)")
TZID_RE = re.compile(r"DTSTART;TZID=([^:]+):")
MAX_COUNT = 999


def validate_rrule(value: str) -> list[str]:
    """AWX's messages for an unacceptable rrule (empty when it is fine)."""
    errors: list[str] = []
    lowered = value.lower()
    dtstarts = DTSTART_RE.findall(value)
    if not dtstarts:
        errors.append("Valid DTSTART required in rrule. Value should start with: DTSTART:YYYYMMDDTHHMMSSZ")
    if NAIVE_DTSTART_RE.search(value):
        errors.append("DTSTART cannot be a naive datetime.  Specify ;TZINFO= or YYYYMMDDTHHMMSSZZ.")
    if len(dtstarts) > 1:
        errors.append("Multiple DTSTART is not supported.")
    if "rrule:" not in lowered:
        errors.append("One or more rule required in rrule.")
    if "exdate:" in lowered:
        return ["EXDATE not allowed in rrule."]
    if "rdate:" in lowered:
        return ["RDATE not allowed in rrule."]
    for rule in RULE_RE.findall(value):
        errors.extend(_rule_errors(rule))
    try:
        parse_rrule(value)
    except ValueError as exc:
        errors.append(f"rrule parsing failed validation: {exc}")
    return errors


def _rule_errors(rule: str) -> list[str]:
    errors = []
    if "interval" not in rule.lower():
        errors.append(f"INTERVAL required in rrule: {rule}")
    elif "secondly" in rule.lower():
        errors.append(f"SECONDLY is not supported: {rule}")
    if re.match(r".*?BYDAY[:=][0-9]+[a-zA-Z]{2}", rule):
        errors.append(f"BYDAY with numeric prefix not supported: {rule}")
    if "COUNT" in rule and "UNTIL" in rule:
        errors.append(f"RRULE may not contain both COUNT and UNTIL: {rule}")
    count = re.match(r".*?COUNT=([0-9]+)", rule)
    if count and int(count.group(1)) > MAX_COUNT:
        errors.append(f"COUNT > 999 is unsupported: {rule}")
    return errors


def local_zone(text: str) -> dt.tzinfo:
    """The zone the rrule's DTSTART is written in (UTC for a ``Z`` DTSTART)."""
    match = TZID_RE.search(text)
    return zoneinfo.ZoneInfo(match.group(1)) if match else UTC


def coerce_until(text: str) -> str:
    """A local UNTIL under a TZID DTSTART is rewritten to UTC (with ``Z``), as AWX stores it."""
    match = UNTIL_RE.search(text)
    if not match or match.group(2):
        return text
    try:
        zone = local_zone(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return text
    local = dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    in_utc = local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return text[: match.start()] + f"UNTIL={in_utc}" + text[match.end():]


def parse_rrule(text: str) -> du_rrule.rruleset:
    """The rule set of an rrule string; ``ValueError`` with AWX's text when it cannot be used."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ruleset = du_rrule.rrulestr(coerce_until(text), forceset=True, tzinfos={"Z": du_tz.UTC, "UTC": du_tz.UTC})
    for rule in [*ruleset._rrule, *ruleset._exrule]:
        if rule._dtstart is None or rule._dtstart.tzinfo is None:
            raise ValueError("A valid TZID must be provided (e.g., America/New_York)")
    return ruleset


def occurrences(text: str, after: dt.datetime | None = None, limit: int | None = None) -> list[dt.datetime]:
    """Occurrences in UTC (those after ``after`` when given), at most ``limit``."""
    ruleset = parse_rrule(text)
    found: list[dt.datetime] = []
    iterator = ruleset.xafter(after) if after is not None else iter(ruleset)
    for when in iterator:
        found.append(when.astimezone(UTC))
        if limit is not None and len(found) >= limit:
            break
    return found


def _is_finite(ruleset: du_rrule.rruleset) -> bool:
    return all(rule._count is not None or rule._until is not None for rule in ruleset._rrule)


def next_run(schedule: t.Mapping[str, t.Any], now: dt.datetime) -> dt.datetime | None:
    """When an enabled schedule fires next after ``now`` (``None`` when disabled or exhausted)."""
    if not schedule.get("enabled", True):
        return None
    found = occurrences(schedule["rrule"], after=now, limit=1)
    return found[0] if found else None


def computed_fields(text: str, enabled: bool, now: dt.datetime) -> dict[str, t.Any]:
    """``dtstart``, ``dtend``, ``next_run`` (UTC datetimes) for a stored rrule."""
    ruleset = parse_rrule(text)
    first = next(iter(ruleset), None)
    last = None
    if _is_finite(ruleset):
        for last in ruleset:  # noqa: B007 - the final occurrence is the end
            pass
    upcoming = ruleset.after(now) if enabled else None
    return {
        "dtstart": first.astimezone(UTC) if first else None,
        "dtend": last.astimezone(UTC) if last else None,
        "next_run": upcoming.astimezone(UTC) if upcoming else None,
    }


def timezone_name(text: str) -> str:
    """The TZID the rrule's DTSTART names (``UTC`` without one)."""
    match = TZID_RE.search(text)
    return match.group(1) if match else "UTC"


def until_text(text: str) -> str:
    """The rule's UNTIL as a naive ISO time in the DTSTART's zone (empty without one)."""
    match = UNTIL_RE.search(text)
    if not match:
        return ""
    instant = dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    return instant.astimezone(local_zone(text)).replace(tzinfo=None).isoformat()


def iso_text(when: dt.datetime) -> str:
    """ISO text of an occurrence, ``Z`` for UTC (as the preview answers it)."""
    text = when.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
