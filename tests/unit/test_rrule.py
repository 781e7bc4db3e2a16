"""rrule validation messages and arithmetic, as AWX 24.6.1 answers them."""

from __future__ import annotations

import datetime as dt

import pytest

from mockawx.resources._rrule import coerce_until, computed_fields, next_run, occurrences, validate_rrule

UTC = dt.timezone.utc
NOW = dt.datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(("rrule", "expected"), [
    ("FREQ=SOMETIMES", [
        "Valid DTSTART required in rrule. Value should start with: DTSTART:YYYYMMDDTHHMMSSZ",
        "One or more rule required in rrule.",
        "rrule parsing failed validation: invalid 'FREQ': SOMETIMES",
    ]),
    ("DTSTART:20300101T000000Z RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5", ["INTERVAL required in rrule: RULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5"]),
    ("DTSTART:20300101T000000Z RRULE:FREQ=SECONDLY;INTERVAL=10", ["SECONDLY is not supported: RULE:FREQ=SECONDLY;INTERVAL=10"]),
    ("RRULE:FREQ=DAILY;INTERVAL=1", [
        "Valid DTSTART required in rrule. Value should start with: DTSTART:YYYYMMDDTHHMMSSZ",
        "rrule parsing failed validation: A valid TZID must be provided (e.g., America/New_York)",
    ]),
    ("DTSTART;TZID=Mars/Olympus:20300101T000000 RRULE:FREQ=DAILY;INTERVAL=1",
     ["rrule parsing failed validation: A valid TZID must be provided (e.g., America/New_York)"]),
    ("DTSTART:20300101T000000Z RRULE:FREQ=DAILY;INTERVAL=1;COUNT=3;UNTIL=20300201T000000Z",
     ["RRULE may not contain both COUNT and UNTIL: RULE:FREQ=DAILY;INTERVAL=1;COUNT=3;UNTIL=20300201T000000Z"]),
    ("DTSTART:20300101T000000Z RRULE:FREQ=DAILY;INTERVAL=1;COUNT=1000", ["COUNT > 999 is unsupported: RULE:FREQ=DAILY;INTERVAL=1;COUNT=1000"]),
    ("DTSTART:20300101T000000Z EXRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=SA", ["One or more rule required in rrule."]),
    ("dtstart:20300101T000000Z rrule:freq=daily;interval=1", ["Valid DTSTART required in rrule. Value should start with: DTSTART:YYYYMMDDTHHMMSSZ"]),
    ("DTSTART:20300101T000000Z RRULE:FREQ=FORTNIGHTLY", [
        "INTERVAL required in rrule: RULE:FREQ=FORTNIGHTLY", "rrule parsing failed validation: invalid 'FREQ': FORTNIGHTLY"]),
    ("DTSTART:20300308T050000Z RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=5MO", ["BYDAY with numeric prefix not supported: RULE:FREQ=YEARLY;INTERVAL=1;BYDAY=5MO"]),
    ("DTSTART:20300308T050000Z RRULE:FREQ=MONTHLY;INTERVAL=1 EXDATE:20220401", ["EXDATE not allowed in rrule."]),
])
def test_invalid_rrules_give_awx_messages(rrule: str, expected: list[str]) -> None:
    assert validate_rrule(rrule) == expected


def test_valid_rrule_has_no_messages() -> None:
    assert validate_rrule("DTSTART;TZID=America/New_York:20300101T020000 RRULE:FREQ=DAILY;INTERVAL=1") == []


def test_first_occurrence_is_dtstart_matching_the_rule() -> None:
    fields = computed_fields("DTSTART:20300101T000000Z RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=5", True, NOW)
    assert fields["dtstart"] == dt.datetime(2030, 1, 7, tzinfo=UTC)
    assert fields["dtend"] == dt.datetime(2030, 2, 4, tzinfo=UTC)
    assert fields["next_run"] == dt.datetime(2030, 1, 7, tzinfo=UTC)


def test_infinite_rule_has_no_dtend_and_disabled_has_no_next_run() -> None:
    fields = computed_fields("DTSTART:20300101T000000Z RRULE:FREQ=DAILY;INTERVAL=1", False, NOW)
    assert fields["dtend"] is None and fields["next_run"] is None


def test_exrule_removes_weekends_from_dtend() -> None:
    text = "DTSTART:20300101T120000Z RRULE:FREQ=DAILY;INTERVAL=1;COUNT=10 EXRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=SA,SU"
    assert len(occurrences(text)) == 8
    assert computed_fields(text, True, NOW)["dtend"] == dt.datetime(2030, 1, 10, 12, tzinfo=UTC)


def test_local_until_is_rewritten_to_utc() -> None:
    text = "DTSTART;TZID=America/New_York:20300101T090000 RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20300110T090000"
    assert coerce_until(text).endswith("UNTIL=20300110T140000Z")


def test_next_run_moves_with_the_clock_and_ends_after_count() -> None:
    schedule = {"rrule": "DTSTART:20300101T000000Z RRULE:FREQ=DAILY;INTERVAL=1;COUNT=2", "enabled": True}
    assert next_run(schedule, NOW) == dt.datetime(2030, 1, 1, tzinfo=UTC)
    assert next_run(schedule, dt.datetime(2030, 1, 1, 0, 0, 1, tzinfo=UTC)) == dt.datetime(2030, 1, 2, tzinfo=UTC)
    assert next_run(schedule, dt.datetime(2030, 1, 3, tzinfo=UTC)) is None
