"""Schedules of workflow job templates, and notification templates attached to them."""

from __future__ import annotations

import typing as t

import pytest

RRULE = "DTSTART:20300101T000000Z RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=5"
WEBHOOK = {"url": "http://127.0.0.1:9/hook", "headers": {}, "http_method": "POST", "username": "", "password": "", "disable_ssl_verification": False}


def test_schedule_lifecycle(awx: t.Any, make: t.Any, names: t.Any) -> None:
    wf = make.wfjt(ask_variables_on_launch=True)
    url = f"{wf['url']}schedules/"
    assert awx.ok(awx.get(url))["count"] == 0
    schedule = awx.ok(awx.post(url, json={"name": names("sched"), "rrule": RRULE, "extra_data": {"v": "1"}}), 201)
    assert schedule["type"] == "schedule" and schedule["rrule"] == RRULE
    assert schedule["unified_job_template"] == wf["id"] and schedule["enabled"] is True
    assert schedule["next_run"].startswith("2030-01-07T00:00:00")
    assert awx.ok(awx.get(url))["results"][0]["id"] == schedule["id"]
    assert awx.ok(awx.get("/api/v2/schedules/", params={"id": schedule["id"]}))["count"] == 1
    assert awx.ok(awx.get(wf["url"]))["next_job_run"] == schedule["next_run"]

    disabled = awx.ok(awx.patch(schedule["url"], json={"enabled": False}))
    assert disabled["enabled"] is False and disabled["next_run"] is None
    put = awx.ok(awx.put(schedule["url"], json={"name": schedule["name"], "rrule": RRULE, "unified_job_template": wf["id"]}))
    assert put["enabled"] is True
    duplicate = awx.post(url, json={"name": schedule["name"], "rrule": RRULE})
    assert duplicate.status_code == 400
    assert duplicate.json() == {"__all__": ["Schedule with this Unified job template and Name already exists."]}
    assert awx.delete(schedule["url"]).status_code == 204
    assert awx.get(schedule["url"]).status_code == 404


def test_top_level_schedule_create(awx: t.Any, make: t.Any, names: t.Any) -> None:
    wf = make.wfjt()
    schedule = awx.ok(awx.post("/api/v2/schedules/", json={"name": names("sched"), "rrule": RRULE, "unified_job_template": wf["id"]}), 201)
    assert schedule["summary_fields"]["unified_job_template"]["id"] == wf["id"]


@pytest.mark.parametrize(("body", "errors"), [
    ({"rrule": RRULE}, {"name": ["This field is required."]}),
    ({"name": "{n}"}, {"rrule": ["This field is required."]}),
    ({"name": "{n}", "rrule": "DTSTART:20300101T000000Z RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5"},
     {"rrule": ["INTERVAL required in rrule: RULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5"]}),
], ids=["no-name", "no-rrule", "no-interval"])
def test_schedule_errors(awx: t.Any, make: t.Any, names: t.Any, body: dict[str, t.Any], errors: dict[str, t.Any]) -> None:
    wf = make.wfjt()
    if body.get("name") == "{n}":
        body = {**body, "name": names("sched")}
    response = awx.post(f"{wf['url']}schedules/", json=body)
    assert response.status_code == 400
    assert response.json() == errors


def test_schedule_refuses_prompts_the_template_does_not_ask_for(awx: t.Any, make: t.Any, names: t.Any) -> None:
    wf = make.wfjt()
    response = awx.post(f"{wf['url']}schedules/", json={"name": names("sched"), "rrule": RRULE, "limit": "web"})
    assert response.status_code == 400
    assert response.json() == {"limit": ["Field is not configured to prompt on launch."]}


def test_schedule_preview(awx: t.Any) -> None:
    body = awx.ok(awx.post("/api/v2/schedules/preview/", json={"rrule": "DTSTART;TZID=America/New_York:20300101T020000 RRULE:FREQ=DAILY;INTERVAL=1;COUNT=3"}))
    assert body == {
        "local": ["2030-01-01T02:00:00-05:00", "2030-01-02T02:00:00-05:00", "2030-01-03T02:00:00-05:00"],
        "utc": ["2030-01-01T07:00:00Z", "2030-01-02T07:00:00Z", "2030-01-03T07:00:00Z"],
    }


def test_notification_template_lifecycle(awx: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    created = awx.ok(awx.post("/api/v2/notification_templates/", json={
        "name": names("nt"), "organization": organization["id"], "notification_type": "webhook", "notification_configuration": WEBHOOK,
    }), 201)
    assert created["type"] == "notification_template" and created["notification_type"] == "webhook"
    assert created["notification_configuration"]["url"] == WEBHOOK["url"]
    assert awx.ok(awx.get(created["url"]))["id"] == created["id"]
    assert awx.ok(awx.patch(created["url"], json={"description": "ops"}))["description"] == "ops"
    put = awx.ok(awx.put(created["url"], json={"name": created["name"], "organization": organization["id"],
                                                 "notification_type": "webhook", "notification_configuration": WEBHOOK}))
    assert put["description"] == ""
    assert awx.ok(awx.get("/api/v2/notification_templates/", params={"id": created["id"]}))["count"] == 1
    bad = awx.post("/api/v2/notification_templates/", json={"name": names("nt"), "organization": organization["id"], "notification_type": "pigeon"})
    assert bad.status_code == 400 and "notification_type" in bad.json()
    assert awx.delete(created["url"]).status_code == 204


@pytest.mark.parametrize("event", ["started", "success", "error", "approvals"])
def test_notification_templates_attach_and_detach(awx: t.Any, make: t.Any, names: t.Any, organization: dict[str, t.Any], event: str) -> None:
    wf = make.wfjt()
    url = f"{wf['url']}notification_templates_{event}/"
    assert awx.ok(awx.get(url))["count"] == 0
    nt = awx.ok(awx.post("/api/v2/notification_templates/", json={
        "name": names("nt"), "organization": organization["id"], "notification_type": "webhook", "notification_configuration": WEBHOOK,
    }), 201)
    assert awx.post(url, json={"id": nt["id"]}).status_code == 204
    assert [n["id"] for n in awx.ok(awx.get(url))["results"]] == [nt["id"]]
    assert awx.post(url, json={"id": nt["id"], "disassociate": True}).status_code == 204
    assert awx.ok(awx.get(url))["count"] == 0
    created = awx.ok(awx.post(url, json={"name": names("nt"), "organization": organization["id"],
                                         "notification_type": "webhook", "notification_configuration": WEBHOOK}), 201)
    assert [n["id"] for n in awx.ok(awx.get(url))["results"]] == [created["id"]]


def test_notifications_lists(awx: t.Any) -> None:
    listed = awx.ok(awx.get("/api/v2/notifications/", params={"page_size": 1}))
    assert "results" in listed
    for item in listed["results"]:
        assert awx.ok(awx.get(item["url"]))["id"] == item["id"]
