"""Schedules through HTTP: create on a workflow template, validation, prompts, computed times, preview."""

from __future__ import annotations

import typing as t

import pytest

WFJT = "/api/v2/workflow_job_templates/"
DAILY = "DTSTART:20300101T000000Z RRULE:FREQ=DAILY;INTERVAL=1"


@pytest.fixture
def wfjt(api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    response = api.post(WFJT, {"name": "Sched wf", "organization": org["id"], "ask_variables_on_launch": True, "ask_limit_on_launch": True})
    assert response.status_code == 201, response.get_json()
    return t.cast(dict[str, t.Any], response.get_json())


def _create(api: t.Any, wfjt: dict[str, t.Any], **body: t.Any) -> t.Any:
    return api.post(f"{WFJT}{wfjt['id']}/schedules/", {"name": "s", "rrule": DAILY, **body})


def test_create_computes_times_in_utc_and_timezone(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = _create(api, wfjt, rrule="DTSTART;TZID=America/New_York:20300101T020000 RRULE:FREQ=DAILY;INTERVAL=1", extra_data={"v": 1})
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == body["url"]
    assert list(body)[:3] == ["rrule", "id", "type"]
    assert (body["dtstart"], body["dtend"], body["next_run"]) == ("2030-01-01T07:00:00Z", None, "2030-01-01T07:00:00Z")
    assert body["timezone"] == "America/New_York" and body["until"] == ""
    assert body["summary_fields"]["unified_job_template"] == {"id": wfjt["id"], "name": "Sched wf", "description": "", "unified_job_type": "workflow_job"}
    assert body["related"]["unified_job_template"] == f"{WFJT}{wfjt['id']}/"
    assert body["extra_data"] == {"v": 1}


def test_missing_rrule_is_required(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = api.post(f"{WFJT}{wfjt['id']}/schedules/", {"name": "x"})
    assert response.status_code == 400
    assert response.get_json() == {"rrule": ["This field is required."]}


def test_rrule_without_interval_wins_over_prompt_errors(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = _create(api, wfjt, rrule="DTSTART:20300101T000000Z RRULE:FREQ=DAILY;COUNT=1", job_type="run")
    assert response.status_code == 400
    assert response.get_json() == {"rrule": ["INTERVAL required in rrule: RULE:FREQ=DAILY;COUNT=1"]}


def test_unprompted_field_is_refused(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = _create(api, wfjt, scm_branch="main")
    assert response.status_code == 400
    assert response.get_json() == {"scm_branch": ["Field is not configured to prompt on launch."]}


def test_prompted_limit_is_accepted(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = _create(api, wfjt, limit="web*")
    assert response.status_code == 201 and response.get_json()["limit"] == "web*"


def test_extra_data_refused_without_ask_variables(api: t.Any, org: dict[str, t.Any]) -> None:
    template = api.post(WFJT, {"name": "noprompt", "organization": org["id"]}).get_json()
    response = _create(api, template, extra_data={"color": "red", "size": 1})
    assert response.status_code == 400
    assert response.get_json() == {"extra_data": [
        "Variables color, size are not allowed on launch. Check the Prompt on Launch setting on the Workflow Job "
        "Template to include Extra Variables."]}


def test_duplicate_name_per_template_only(api: t.Any, wfjt: dict[str, t.Any], org: dict[str, t.Any]) -> None:
    assert _create(api, wfjt, name="nightly").status_code == 201
    again = _create(api, wfjt, name="nightly")
    assert again.status_code == 400
    assert again.get_json() == {"__all__": ["Schedule with this Unified job template and Name already exists."]}
    other = api.post(WFJT, {"name": "other", "organization": org["id"]}).get_json()
    assert _create(api, other, name="nightly").status_code == 201


def test_list_orders_by_latest_next_run_first(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    _create(api, wfjt, name="early", rrule="DTSTART:20300101T000000Z RRULE:FREQ=DAILY;INTERVAL=1")
    _create(api, wfjt, name="late", rrule="DTSTART:20300301T000000Z RRULE:FREQ=DAILY;INTERVAL=1")
    names = [s["name"] for s in api.get(f"{WFJT}{wfjt['id']}/schedules/").get_json()["results"]]
    assert names == ["late", "early"]
    filtered = api.get("/api/v2/schedules/?next_run__gt=2030-02-01T00:00:00Z").get_json()
    assert [s["name"] for s in filtered["results"]] == ["late"]
    same_day = api.get("/api/v2/schedules/?next_run__gt=2029-12-31T23:00:00Z&order_by=next_run").get_json()
    assert [s["name"] for s in same_day["results"]] == ["early", "late"]


def test_global_create_requires_existing_template(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    missing = api.post("/api/v2/schedules/", {"name": "g", "rrule": DAILY})
    assert missing.get_json() == {"unified_job_template": ["This field is required."]}
    bad = api.post("/api/v2/schedules/", {"name": "g", "rrule": DAILY, "unified_job_template": 99999})
    assert bad.get_json() == {"unified_job_template": ['Invalid pk "99999" - object does not exist.']}
    good = api.post("/api/v2/schedules/", {"name": "g", "rrule": DAILY, "unified_job_template": wfjt["id"], "enabled": False})
    assert good.status_code == 201 and good.get_json()["next_run"] is None


def test_disable_and_enable_toggle_next_run(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    pk = _create(api, wfjt).get_json()["id"]
    assert api.patch(f"/api/v2/schedules/{pk}/", {"enabled": False}).get_json()["next_run"] is None
    assert api.patch(f"/api/v2/schedules/{pk}/", {"enabled": True}).get_json()["next_run"] == "2030-01-01T00:00:00Z"


def test_patch_rrule_recomputes_and_bad_rrule_is_400(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    pk = _create(api, wfjt).get_json()["id"]
    body = api.patch(f"/api/v2/schedules/{pk}/", {"rrule": "DTSTART:20300101T000000Z RRULE:FREQ=MINUTELY;INTERVAL=5;COUNT=2"}).get_json()
    assert body["dtend"] == "2030-01-01T00:05:00Z"
    bad = api.patch(f"/api/v2/schedules/{pk}/", {"rrule": "DTSTART:20300101T000000Z RRULE:FREQ=FORTNIGHTLY"})
    assert bad.status_code == 400
    assert bad.get_json()["rrule"][1] == "rrule parsing failed validation: invalid 'FREQ': FORTNIGHTLY"


def test_local_until_rewritten_and_shown_locally(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    body = _create(api, wfjt, rrule="DTSTART;TZID=America/New_York:20300101T090000 RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20300110T090000").get_json()
    assert body["rrule"].endswith("UNTIL=20300110T140000Z")
    assert body["until"] == "2030-01-10T09:00:00"
    assert body["dtend"] == "2030-01-10T14:00:00Z"


def test_delete_then_404(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    pk = _create(api, wfjt).get_json()["id"]
    assert api.delete(f"/api/v2/schedules/{pk}/").status_code == 204
    missing = api.get(f"/api/v2/schedules/{pk}/")
    assert missing.status_code == 404 and missing.get_json() == {"detail": "No Schedule matches the given query."}


def test_put_resets_omitted_fields(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    pk = _create(api, wfjt, description="d", limit="x").get_json()["id"]
    body = api.put(f"/api/v2/schedules/{pk}/", {"name": "s2", "rrule": DAILY, "unified_job_template": wfjt["id"]}).get_json()
    assert (body["name"], body["description"], body["limit"]) == ("s2", "", None)


def test_preview_lists_local_and_utc(api: t.Any) -> None:
    body = api.post("/api/v2/schedules/preview/", {"rrule": "DTSTART;TZID=America/New_York:20300101T020000 RRULE:FREQ=DAILY;INTERVAL=1;COUNT=3"}).get_json()
    assert body == {
        "local": ["2030-01-01T02:00:00-05:00", "2030-01-02T02:00:00-05:00", "2030-01-03T02:00:00-05:00"],
        "utc": ["2030-01-01T07:00:00Z", "2030-01-02T07:00:00Z", "2030-01-03T07:00:00Z"],
    }
    utc = api.post("/api/v2/schedules/preview/", {"rrule": DAILY}).get_json()
    assert len(utc["utc"]) == 10 and utc["local"][0] == "2030-01-01T00:00:00Z"


def test_preview_invalid_rrule(api: t.Any) -> None:
    response = api.post("/api/v2/schedules/preview/", {"rrule": "DTSTART:20300101T000000Z RRULE:FREQ=SECONDLY"})
    assert response.status_code == 400
    assert response.get_json() == {"rrule": ["INTERVAL required in rrule: RULE:FREQ=SECONDLY"]}


def test_unknown_template_sublist_is_404(api: t.Any) -> None:
    assert api.get(f"{WFJT}999/schedules/").status_code == 404


def test_anonymous_is_401(anon: t.Any) -> None:
    assert anon.get("/api/v2/schedules/").status_code == 401
