"""Survey specs (loose on save, strict at launch) and launch prompts on workflow job templates."""

from __future__ import annotations

import json
import typing as t

import pytest

SPEC = {
    "name": "Release", "description": "What to release",
    "spec": [
        {"question_name": "Version", "required": True, "type": "text", "variable": "version", "min": 1, "max": 8, "default": ""},
        {"question_name": "Tier", "required": False, "type": "multiplechoice", "variable": "tier", "choices": ["web", "db"], "default": "web"},
        {"question_name": "Replicas", "required": False, "type": "integer", "variable": "replicas", "min": 1, "max": 10, "default": 2},
    ],
}


def _question(**fields: t.Any) -> dict[str, t.Any]:
    return {"name": "x", "description": "x", "spec": [{"question_name": "A", "required": False, "type": "text", "variable": "a", **fields}]}


def test_survey_spec_store_read_delete(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    url = f"{wf['url']}survey_spec/"
    assert awx.ok(awx.get(url)) == {}
    stored = awx.post(url, json=SPEC)
    assert stored.status_code == 200 and stored.content == b""
    assert awx.ok(awx.get(url)) == SPEC
    assert awx.ok(awx.get(wf["url"]))["survey_enabled"] is False  # storing a spec does not enable it
    deleted = awx.delete(url)
    assert deleted.status_code == 200 and deleted.content == b""
    assert awx.ok(awx.get(url)) == {}


@pytest.mark.parametrize(("spec", "error"), [
    ({"description": "x", "spec": SPEC["spec"]}, "Field 'name' is missing from survey spec."),
    ({"name": "x", "description": "x"}, "Field 'spec' is missing from survey spec."),
    ({"name": "x", "description": "x", "spec": []}, "'spec' doesn't contain any items."),
    ({"name": "x", "description": "x", "spec": ["not-a-dict"]}, "Survey question 0 is not a json object."),
    (_question(type="bogus"), "'bogus' in survey question 0 is not one of 'text, textarea, password, multiplechoice, multiselect, integer, float' allowed question types."),
    (_question(type="integer", default="abc"), "Default value abc in survey question 0 expected to be integer."),
    (_question(type="multiplechoice", choices=["x", "y"], default="z"), "Default choice must be answered from the choices listed."),
    ({"name": "x", "description": "x", "spec": [{"question_name": "A", "required": False, "type": "text", "variable": "dup"},
                                                {"question_name": "B", "required": False, "type": "text", "variable": "dup"}]},
     "'variable' 'dup' duplicated in survey question 1."),
], ids=["no-name", "no-spec", "empty-spec", "question-not-object", "bad-type", "integer-default", "default-not-a-choice", "duplicate-variable"])
def test_survey_spec_errors(awx: t.Any, make: t.Any, spec: dict[str, t.Any], error: str) -> None:
    wf = make.wfjt()
    response = awx.post(f"{wf['url']}survey_spec/", json=spec)
    assert response.status_code == 400
    assert response.json() == {"error": error}
    assert awx.ok(awx.get(f"{wf['url']}survey_spec/")) == {}


def test_survey_is_loose_on_save(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    loose = _question(variable="bad var-name", max=2, default="too long")
    assert awx.post(f"{wf['url']}survey_spec/", json=loose).status_code == 200


def test_launch_info_without_survey(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt(extra_vars='{"a": 1}')
    info = awx.ok(awx.get(f"{wf['url']}launch/"))
    assert info["can_start_without_user_input"] is True and info["variables_needed_to_start"] == []
    assert info["survey_enabled"] is False and info["node_templates_missing"] == []
    assert info["defaults"]["extra_vars"] == '{"a": 1}'
    assert info["workflow_job_template_data"] == {"name": wf["name"], "id": wf["id"], "description": ""}


@pytest.fixture
def surveyed(awx: t.Any, make: t.Any) -> dict[str, t.Any]:
    wf = make.wfjt(survey_enabled=True)
    assert awx.post(f"{wf['url']}survey_spec/", json=SPEC).status_code == 200
    return t.cast(dict[str, t.Any], wf)


def test_launch_info_with_survey(awx: t.Any, surveyed: dict[str, t.Any]) -> None:
    info = awx.ok(awx.get(f"{surveyed['url']}launch/"))
    assert info["survey_enabled"] is True
    assert info["variables_needed_to_start"] == ["version"]
    assert info["can_start_without_user_input"] is False


@pytest.mark.parametrize(("extra_vars", "message"), [
    ({}, "'version' value missing"),
    ({"version": "123456789"}, "'version' value 123456789 is too large (must be no more than 8)."),
    ({"version": "1", "tier": "mainframe"}, "Value mainframe for 'tier' expected to be one of ['web', 'db']."),
    ({"version": "1", "replicas": 99}, "'replicas' value 99 is too large (must be no more than 10)."),
    ({"version": "1", "replicas": "many"}, "Value many for 'replicas' expected to be an integer."),
], ids=["missing", "too-long", "bad-choice", "out-of-range", "not-an-integer"])
def test_survey_answers_are_checked_at_launch(awx: t.Any, surveyed: dict[str, t.Any], extra_vars: dict[str, t.Any], message: str) -> None:
    response = awx.post(f"{surveyed['url']}launch/", json={"extra_vars": extra_vars})
    assert response.status_code == 400
    assert response.json() == {"variables_needed_to_start": [message]}


def test_valid_survey_answers_launch(make: t.Any, surveyed: dict[str, t.Any]) -> None:
    job = make.launch(surveyed, extra_vars={"version": "1.0"})
    assert job["workflow_job"] == job["id"] and job["ignored_fields"] == {}
    assert job["status"] == "pending" and job["launch_type"] == "manual"
    assert json.loads(job["extra_vars"]) == {"version": "1.0", "tier": "web", "replicas": 2}


def test_launch_refuses_prompts_it_does_not_ask_for(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    response = awx.post(f"{wf['url']}launch/", json={"limit": "web", "labels": []})
    assert response.status_code == 400
    assert response.json() == {"limit": ["Field is not configured to prompt on launch."], "labels": ["Field is not configured to prompt on launch."]}
    extra = awx.post(f"{wf['url']}launch/", json={"extra_vars": {"foo": "bar"}})
    assert extra.json() == {"extra_vars": ["Variables foo are not allowed on launch. Check the Prompt on Launch setting on the Workflow Job Template to include Extra Variables."]}
    assert awx.ok(awx.get(f"{wf['url']}workflow_jobs/"))["count"] == 0


def test_launch_with_prompts_it_asks_for(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt(ask_variables_on_launch=True, ask_limit_on_launch=True)
    response = awx.post(f"{wf['url']}launch/", json={"extra_vars": "env: prod", "limit": "web"})
    job = awx.ok(response, 201)
    assert response.headers["Location"] == f"/api/v2/workflow_jobs/{job['id']}/"
    assert job["limit"] == "web" and job["ignored_fields"] == {}
    bad = awx.post(f"{wf['url']}launch/", json={"extra_vars": "env: [unclosed"})
    assert bad.status_code == 400 and bad.json()["extra_vars"][0].startswith("Cannot parse as JSON")


def test_launch_a_missing_template(awx: t.Any) -> None:
    response = awx.post("/api/v2/workflow_job_templates/999999999/launch/", json={})
    assert response.status_code == 404
    assert response.json() == {"detail": "No WorkflowJobTemplate matches the given query."}
