"""The survey_spec endpoint of workflow job templates, through HTTP."""

from __future__ import annotations

import typing as t

import pytest

SPEC = {
    "name": "Deploy survey",
    "description": "Questions for deploy",
    "spec": [
        {"question_name": "Version", "required": True, "type": "text", "variable": "version", "min": 1, "max": 32, "default": ""},
        {"question_name": "Tier", "required": False, "type": "multiplechoice", "variable": "tier", "choices": ["web", "db"], "default": "web"},
        {"question_name": "Secret", "required": False, "type": "password", "variable": "db_password", "default": "hunter2"},
    ],
}


@pytest.fixture
def wfjt(api: t.Any, org: dict[str, t.Any]) -> str:
    response = api.post("/api/v2/workflow_job_templates/", {"name": "wf", "organization": org["id"]})
    assert response.status_code == 201
    return f"/api/v2/workflow_job_templates/{response.get_json()['id']}/survey_spec/"


def question(**extra: t.Any) -> dict[str, t.Any]:
    return {"question_name": "A", "required": False, "type": "text", "variable": "a", **extra}


def test_empty_survey_is_an_empty_object(api: t.Any, wfjt: str) -> None:
    response = api.get(wfjt)
    assert response.status_code == 200
    assert response.get_json() == {}


def test_post_returns_empty_200_and_get_masks_password_default(api: t.Any, wfjt: str) -> None:
    response = api.post(wfjt, SPEC)
    assert response.status_code == 200
    assert response.get_data() == b""
    body = api.get(wfjt).get_json()
    assert body["spec"][2]["default"] == "$encrypted$"
    assert body["spec"][1]["default"] == "web"
    assert list(body) == ["name", "spec", "description"]


def test_post_does_not_enable_the_survey(api: t.Any, wfjt: str) -> None:
    api.post(wfjt, SPEC)
    template = api.get(wfjt.replace("survey_spec/", "")).get_json()
    assert template["survey_enabled"] is False
    assert template["summary_fields"]["survey"] == {"title": "Deploy survey", "description": "Questions for deploy"}


@pytest.mark.parametrize(("body", "message"), [
    ({"description": "x", "spec": [question()]}, "Field 'name' is missing from survey spec."),
    ({"name": "x", "description": "x"}, "Field 'spec' is missing from survey spec."),
    ({"name": 5, "description": "x", "spec": [question()]}, "Expected string for field 'name', received int type."),
    ({"name": "x", "description": "x", "spec": {"a": 1}}, "Expected list of items for field 'spec', received OrderedDict type."),
    ({"name": "x", "description": "x", "spec": []}, "'spec' doesn't contain any items."),
    ({"name": "x", "description": "x", "spec": ["no"]}, "Survey question 0 is not a json object."),
    ({"name": "x", "description": "x", "spec": [{"question_name": "A", "required": False, "type": "text"}]}, "'variable' missing from survey question 0"),
    ({"name": "x", "description": "x", "spec": [question(required="yes")]}, "'required' in survey question 0 expected to be boolean."),
    ({"name": "x", "description": "x", "spec": [question(variable=3)]}, "'variable' in survey question 0 expected to be string."),
    ({"name": "x", "description": "x", "spec": [question(), question()]}, "'variable' 'a' duplicated in survey question 1."),
    ({"name": "x", "description": "x", "spec": [question(type="bogus")]}, "'bogus' in survey question 0 is not one of 'text, textarea, password, multiplechoice, multiselect, integer, float' allowed question types."),
    ({"name": "x", "description": "x", "spec": [question(type="integer", default="abc")]}, "Default value abc in survey question 0 expected to be integer."),
    ({"name": "x", "description": "x", "spec": [question(default=5)]}, "Default value 5 in survey question 0 expected to be string."),
    ({"name": "x", "description": "x", "spec": [question(min="1")]}, "The min limit in survey question 0 expected to be integer."),
    ({"name": "x", "description": "x", "spec": [question(type="multiplechoice")]}, "Survey question 0 of type multiplechoice must specify choices."),
    ({"name": "x", "description": "x", "spec": [question(type="multiplechoice", choices=["a", "b"], default="a\nb")]}, "Multiple Choice (Single Select) can only have one default value."),
    ({"name": "x", "description": "x", "spec": [question(type="multiselect", choices=["a"], default="z")]}, "Default choice must be answered from the choices listed."),
    ({"name": "x", "description": "x", "spec": [question(default="$encrypted$")]}, "$encrypted$ is a reserved keyword for password question defaults, survey question 0 is type text."),
    ({"name": "x", "description": "x", "spec": [question(type="password", default="$encrypted$")]}, "$encrypted$ is a reserved keyword, may not be used for new default in position 0."),
])
def test_invalid_specs_are_refused_with_awx_messages(api: t.Any, wfjt: str, body: dict[str, t.Any], message: str) -> None:
    response = api.post(wfjt, body)
    assert response.status_code == 400
    assert response.get_json() == {"error": message}
    assert api.get(wfjt).get_json() == {}


def test_loose_checks_on_save(api: t.Any, wfjt: str) -> None:
    body = {"name": "x", "description": "x", "spec": [question(variable="bad var-name", max=3, default="abcdef")]}
    assert api.post(wfjt, body).status_code == 200
    assert api.get(wfjt).get_json()["spec"][0]["variable"] == "bad var-name"


def test_encrypted_keeps_the_stored_password_default(api: t.Any, app: t.Any, wfjt: str) -> None:
    api.post(wfjt, SPEC)
    again = {**SPEC, "spec": [*SPEC["spec"][:2], {**SPEC["spec"][2], "default": "$encrypted$"}]}
    assert api.post(wfjt, again).status_code == 200
    from mockawx.resources.survey import clear_survey_spec

    record = app.runtime.store.all("workflow_job_templates")[0]
    assert clear_survey_spec(record)["spec"][2]["default"] == "hunter2"
    assert api.get(wfjt).get_json()["spec"][2]["default"] == "$encrypted$"


def test_newline_choices_and_defaults_are_normalised(api: t.Any, wfjt: str) -> None:
    body = {"name": "x", "description": "x", "spec": [question(type="multiselect", choices="a\n\nb\n", default="a\n\nb")]}
    assert api.post(wfjt, body).status_code == 200
    stored = api.get(wfjt).get_json()["spec"][0]
    assert stored["choices"] == "a\nb"
    assert stored["default"] == "a\nb"


def test_delete_answers_empty_200_and_clears(api: t.Any, wfjt: str) -> None:
    api.post(wfjt, SPEC)
    response = api.delete(wfjt)
    assert response.status_code == 200
    assert response.get_data() == b""
    assert api.get(wfjt).get_json() == {}


def test_unknown_template_is_404(api: t.Any) -> None:
    response = api.get("/api/v2/workflow_job_templates/999/survey_spec/")
    assert response.status_code == 404
    assert response.get_json() == {"detail": "No WorkflowJobTemplate matches the given query."}


def test_anonymous_is_401(anon: t.Any, wfjt: str) -> None:
    assert anon.get(wfjt).status_code == 401
