"""Launch-time survey answer checks (``validate_answers``) and usable defaults (``survey_defaults``)."""

from __future__ import annotations

import typing as t

from mockawx.resources.survey import SurveyError, survey_defaults, validate_answers, validate_spec

import pytest


def spec(*questions: dict[str, t.Any]) -> dict[str, t.Any]:
    return {"name": "s", "description": "d", "spec": list(questions)}


def q(variable: str, kind: str = "text", required: bool = False, **extra: t.Any) -> dict[str, t.Any]:
    return {"question_name": variable, "variable": variable, "type": kind, "required": required, **extra}


def test_missing_required_answer_is_reported_even_with_a_default() -> None:
    assert validate_answers(spec(q("v", required=True, default="x")), {}) == ["'v' value missing"]


def test_optional_missing_answer_is_fine() -> None:
    assert validate_answers(spec(q("v")), {}) == []


def test_text_type_and_length_limits() -> None:
    survey = spec(q("v", min=3, max=4))
    assert validate_answers(survey, {"v": 5}) == ["Value 5 for 'v' expected to be a string."]
    assert validate_answers(survey, {"v": "ab"}) == ["'v' value ab is too small (length is 2 must be at least 3)."]
    assert validate_answers(survey, {"v": "abcde"}) == ["'v' value abcde is too large (must be no more than 4)."]
    assert validate_answers(survey, {"v": "abc"}) == []


def test_blank_or_null_limits_are_ignored() -> None:
    assert validate_answers(spec(q("v", min="", max=None)), {"v": ""}) == []


def test_integer_rejects_bools_and_floats_and_checks_range() -> None:
    survey = spec(q("n", "integer", min=2, max=9))
    assert validate_answers(survey, {"n": True}) == ["Value True for 'n' expected to be an integer."]
    assert validate_answers(survey, {"n": 2.5}) == ["Value 2.5 for 'n' expected to be an integer."]
    assert validate_answers(survey, {"n": 1}) == ["'n' value 1 is too small (must be at least 2)."]
    assert validate_answers(survey, {"n": 10}) == ["'n' value 10 is too large (must be no more than 9)."]


def test_float_accepts_ints_and_rejects_strings() -> None:
    survey = spec(q("f", "float", min=1, max=2))
    assert validate_answers(survey, {"f": 1}) == []
    assert validate_answers(survey, {"f": "a"}) == ["Value a for 'f' expected to be a numeric type."]
    assert validate_answers(survey, {"f": 2.5}) == ["'f' value 2.5 is too large (must be no more than 2)."]


def test_choices() -> None:
    single = spec(q("c", "multiplechoice", choices=["a", "b"]))
    assert validate_answers(single, {"c": "z"}) == ["Value z for 'c' expected to be one of ['a', 'b']."]
    multi = spec(q("m", "multiselect", choices="a\n\nb"))
    assert validate_answers(multi, {"m": "a"}) == ["'m' value is expected to be a list."]
    assert validate_answers(multi, {"m": ["a", "x", "y"]}) == [
        "Value x for 'm' expected to be one of ['a', 'b'].",
        "Value y for 'm' expected to be one of ['a', 'b'].",
    ]


def test_encrypted_password_answer_counts_as_missing_without_default() -> None:
    assert validate_answers(spec(q("p", "password", required=True)), {"p": "$encrypted$"}) == ["'p' value missing"]
    assert validate_answers(spec(q("p", "password", required=True, default="s")), {"p": "$encrypted$"}) == []


def test_empty_spec_has_nothing_to_check() -> None:
    assert validate_answers({}, {"x": 1}) == []


def test_survey_defaults_keep_only_valid_defaults() -> None:
    survey = spec(
        q("ok", default="abc"), q("long", max=2, default="abcdef"), q("n", "integer", default=3),
        q("none"), q("c", "multiplechoice", choices=["a"], default="a"),
    )
    assert survey_defaults(survey) == {"ok": "abc", "n": 3, "c": "a"}


def test_validate_spec_reports_last_top_level_problem() -> None:
    with pytest.raises(SurveyError, match="Field 'spec' is missing"):
        validate_spec({"description": "x"}, {}, {})


def test_validate_spec_stores_password_default_secretly() -> None:
    stored, secrets = validate_spec(spec(q("p", "password", default="hunter2")), {}, {})
    assert stored["spec"][0]["default"] == "$encrypted$"
    assert secrets == {"p": "hunter2"}
