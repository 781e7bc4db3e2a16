"""golden-governance notifications and activity stream details, through HTTP."""

from __future__ import annotations

import typing as t

import pytest
from pytest_httpserver import HTTPServer

WFJT = "/api/v2/workflow_job_templates/"
CUSTOM = {"workflow_approval": {"timed_out": {"body": '{"event": "approval_timed_out", "approval": "{{ approval_node_name }}"}'}}}


@pytest.fixture
def receiver() -> t.Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    server.expect_request("/hook").respond_with_data("ok")
    server.expect_request("/custom").respond_with_data("ok")
    yield server
    server.clear()
    server.stop()


def _hook(api: t.Any, org: dict[str, t.Any], receiver: HTTPServer, name: str, path: str, **extra: t.Any) -> dict[str, t.Any]:
    body = {"name": name, "organization": org["id"], "notification_type": "webhook",
            "notification_configuration": {"url": receiver.url_for(path), "headers": {}, "http_method": "POST"}, **extra}
    response = api.post("/api/v2/notification_templates/", body)
    assert response.status_code == 201, response.get_json()
    return t.cast(dict[str, t.Any], response.get_json())


def test_given_messages_are_stored_as_given_but_answered_with_nulls(api: t.Any, org: dict[str, t.Any], receiver: HTTPServer) -> None:
    custom = _hook(api, org, receiver, "custom", "/custom", messages=CUSTOM)
    assert custom["messages"] == {**CUSTOM, "started": None, "success": None, "error": None}
    assert api.get(f"/api/v2/notification_templates/{custom['id']}/").get_json()["messages"] == CUSTOM
    plain = _hook(api, org, receiver, "plain", "/hook")
    assert api.get(f"/api/v2/notification_templates/{plain['id']}/").get_json()["messages"] == {
        "error": None, "started": None, "success": None, "workflow_approval": None}


def test_notifications_go_out_in_template_id_order(api: t.Any, org: dict[str, t.Any], clock: t.Any, receiver: HTTPServer) -> None:
    first = _hook(api, org, receiver, "first", "/hook")
    second = _hook(api, org, receiver, "second", "/custom")
    wf = api.post(WFJT, {"name": "ordered", "organization": org["id"]}).get_json()
    for nt in (second, first):  # attached newest first
        assert api.post(f"{WFJT}{wf['id']}/notification_templates_started/", {"id": nt["id"]}).status_code == 204
    job = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()
    clock.advance(5)
    sent = api.get(f"/api/v2/workflow_jobs/{job['id']}/notifications/?order_by=id").get_json()["results"]
    assert [n["notification_template"] for n in sent] == [first["id"], second["id"]]
    assert [request.path for request, _ in receiver.log] == ["/hook", "/custom"]


def test_activity_stream_hides_webhook_keys_and_snapshots_the_survey(api: t.Any, org: dict[str, t.Any]) -> None:
    wf = api.post(WFJT, {"name": "hooked", "organization": org["id"]}).get_json()
    assert api.patch(f"{WFJT}{wf['id']}/", {"webhook_service": "github"}).status_code == 200
    assert api.post(f"{WFJT}{wf['id']}/webhook_key/", {}).status_code == 201
    entries = api.get(f"{WFJT}{wf['id']}/activity_stream/?order_by=id").get_json()["results"]
    assert [e["operation"] for e in entries] == ["create", "update"]
    assert entries[0]["changes"]["survey_spec"] == "{}"
    assert list(entries[0]["changes"])[-2:] == ["survey_spec", "id"]
    assert entries[1]["changes"] == {"webhook_service": ["", "github"]}
    api.delete(f"{WFJT}{wf['id']}/")
    deleted = api.get("/api/v2/activity_stream/?operation=delete&object1=workflow_job_template").get_json()["results"][0]
    assert "webhook_key" not in deleted["changes"] and deleted["changes"]["survey_spec"] == "{}"


def test_workflow_jobs_filter_by_schedule(api: t.Any, org: dict[str, t.Any]) -> None:
    response = api.get("/api/v2/workflow_jobs/?launch_type=scheduled&schedule=1")
    assert response.status_code == 200 and response.get_json()["count"] == 0


def test_last_job_names_canceled_on_only_for_a_cancelled_job(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    wf = api.post(WFJT, {"name": "summarised", "organization": org["id"]}).get_json()
    api.post(f"{WFJT}{wf['id']}/launch/", {})
    clock.advance(5)
    last = api.get(f"{WFJT}{wf['id']}/").get_json()["summary_fields"]["last_job"]
    assert last["status"] == "successful" and "canceled_on" not in last
    job = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()
    api.post(f"/api/v2/workflow_jobs/{job['id']}/cancel/", {})
    clock.advance(5)
    last = api.get(f"{WFJT}{wf['id']}/").get_json()["summary_fields"]["last_job"]
    assert last["status"] == "canceled" and last["canceled_on"] is not None
