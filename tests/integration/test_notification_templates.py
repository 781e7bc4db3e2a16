"""Notification templates, their workflow sub-lists, and notifications sent to a loopback receiver."""

from __future__ import annotations

import typing as t

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from mockawx.resources.notification_delivery import notify, send

NT = "/api/v2/notification_templates/"
WFJT = "/api/v2/workflow_job_templates/"


def _hook(org: dict[str, t.Any], url: str = "http://127.0.0.1:9/hook", **config: t.Any) -> dict[str, t.Any]:
    return {"name": "hook", "organization": org["id"], "notification_type": "webhook",
            "notification_configuration": {"url": url, "headers": {}, **config}}


@pytest.fixture
def wfjt(api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    return t.cast(dict[str, t.Any], api.post(WFJT, {"name": "notify wf", "organization": org["id"]}).get_json())


def test_create_fills_defaults_and_links(api: t.Any, org: dict[str, t.Any]) -> None:
    response = api.post(NT, _hook(org))
    assert response.status_code == 201
    body = response.get_json()
    assert body["notification_configuration"] == {"url": "http://127.0.0.1:9/hook", "headers": {}, "http_method": "POST",
                                                 "disable_ssl_verification": False, "username": "", "password": ""}
    assert body["messages"] == {"started": None, "success": None, "error": None, "workflow_approval": None}
    assert body["related"]["named_url"] == f"{NT}hook++Default/"
    assert body["summary_fields"]["recent_notifications"] == []


@pytest.mark.parametrize(("config", "message"), [
    ({}, "Missing required fields for Notification Configuration: ['url', 'headers']."),
    ({"url": "http://x/"}, "Missing required fields for Notification Configuration: ['headers']."),
    ({"url": "http://x/", "headers": {}, "http_method": "GET"}, "HTTP method must be either 'POST' or 'PUT'."),
])
def test_webhook_configuration_errors(api: t.Any, org: dict[str, t.Any], config: dict[str, t.Any], message: str) -> None:
    body = {"name": "h", "organization": org["id"], "notification_type": "webhook", "notification_configuration": config}
    response = api.post(NT, body)
    assert response.status_code == 400 and response.get_json() == {"__all__": [message]}


def test_type_and_organization_errors(api: t.Any, org: dict[str, t.Any]) -> None:
    bad = api.post(NT, {"name": "h", "organization": org["id"], "notification_type": "carrier_pigeon"})
    assert bad.get_json() == {"notification_type": ['"carrier_pigeon" is not a valid choice.']}
    missing = api.post(NT, {"name": "h", "organization": org["id"]})
    assert missing.get_json() == {"notification_type": ["This field is required."]}
    no_org = api.post(NT, {"name": "h", "notification_type": "webhook", "notification_configuration": {"url": "u", "headers": {}}})
    assert no_org.get_json() == {"organization": ["This field is required."]}


def test_slack_requires_its_fields(api: t.Any, org: dict[str, t.Any]) -> None:
    response = api.post(NT, {"name": "s", "organization": org["id"], "notification_type": "slack", "notification_configuration": {"token": "x"}})
    assert response.get_json() == {"__all__": ["Missing required fields for Notification Configuration: ['channels']."]}


def test_duplicate_name_in_organization(api: t.Any, org: dict[str, t.Any]) -> None:
    api.post(NT, _hook(org))
    again = api.post(NT, _hook(org))
    assert again.get_json() == {"__all__": ["Notification template with this Organization and Name already exists."]}


def test_password_masked_and_kept_on_encrypted_patch(api: t.Any, org: dict[str, t.Any]) -> None:
    pk = api.post(NT, _hook(org, username="u", password="secret")).get_json()["id"]
    assert api.get(f"{NT}{pk}/").get_json()["notification_configuration"]["password"] == "$encrypted$"
    config = {"url": "http://127.0.0.1:9/hook", "headers": {}, "username": "u", "password": "$encrypted$"}
    api.patch(f"{NT}{pk}/", {"notification_configuration": config})
    record = api.app.runtime.store.get("notification_templates", pk)
    assert record["notification_configuration"]["password"] == "secret"


def test_custom_message_that_cannot_render(api: t.Any, org: dict[str, t.Any]) -> None:
    body = {**_hook(org), "messages": {"started": {"body": '{"event": {{ job.id '}}}
    response = api.post(NT, body)
    assert response.status_code == 400
    assert response.get_json() == {"messages": [
        "Unable to render message '{\"event\": {{ job.id ': unexpected end of template, expected 'end of print statement'.",
        "Webhook body for 'started' is not valid. The following gave an error (unexpected end of template, expected 'end of print statement'.).",
    ]}


def test_sublists_attach_detach_and_errors(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    pk = api.post(NT, _hook(org)).get_json()["id"]
    url = f"{WFJT}{wfjt['id']}/notification_templates_success/"
    assert api.get(url).get_json()["count"] == 0
    assert api.post(url, {"id": pk}).status_code == 204
    assert [n["id"] for n in api.get(url).get_json()["results"]] == [pk]
    assert api.get(f"{WFJT}{wfjt['id']}/notification_templates_error/").get_json()["count"] == 0
    unknown = api.post(url, {"id": 99999})
    assert unknown.status_code == 400 and unknown.get_json() == {"detail": "NotificationTemplate matching query does not exist."}
    assert api.post(url, {"id": pk, "disassociate": True}).status_code == 204
    assert api.get(url).get_json()["count"] == 0


def test_sublist_post_without_id_creates(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    url = f"{WFJT}{wfjt['id']}/notification_templates_started/"
    response = api.post(url, _hook(org))
    assert response.status_code == 201
    assert api.get(url).get_json()["results"][0]["id"] == response.get_json()["id"]


def test_delete_detaches_from_templates(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    pk = api.post(NT, _hook(org)).get_json()["id"]
    api.post(f"{WFJT}{wfjt['id']}/notification_templates_error/", {"id": pk})
    assert api.delete(f"{NT}{pk}/").status_code == 204
    assert api.get(f"{NT}{pk}/").status_code == 404
    assert api.get(f"{WFJT}{wfjt['id']}/notification_templates_error/").get_json()["count"] == 0


def test_send_to_loopback_receiver_records_success(api: t.Any, org: dict[str, t.Any], httpserver: HTTPServer) -> None:
    httpserver.expect_request("/hook", method="PUT").respond_with_data("ok")
    pk = api.post(NT, _hook(org, url=httpserver.url_for("/hook"), http_method="PUT", username="u", password="p")).get_json()["id"]
    template = api.app.runtime.store.get("notification_templates", pk)
    record = send(api.app.runtime, template, {"body": "Test Notification 1 https://towerhost"})
    assert (record["status"], record["notifications_sent"], record["error"]) == ("successful", 1, "")
    request, _ = httpserver.log[0]
    assert request.headers["User-Agent"] == "AWX 24.6.1 (open)"
    assert request.headers["Authorization"].startswith("Basic ")
    assert request.get_data() == b'{"body": "Test Notification 1 https://towerhost"}'
    detail = api.get(f"/api/v2/notifications/{record['id']}/").get_json()
    assert detail["recipients"] == httpserver.url_for("/hook")
    assert api.get(f"{NT}{pk}/").get_json()["summary_fields"]["recent_notifications"][0]["status"] == "successful"


def test_receiver_500_and_closed_port_fail(api: t.Any, org: dict[str, t.Any], httpserver: HTTPServer) -> None:
    httpserver.expect_request("/fail").respond_with_response(Response("no", status=500))
    runtime = api.app.runtime
    failing = api.post(NT, {**_hook(org, url=httpserver.url_for("/fail")), "name": "f"}).get_json()
    closed = api.post(NT, {**_hook(org, url="http://127.0.0.1:1/hook"), "name": "c"}).get_json()
    first = send(runtime, runtime.store.get("notification_templates", failing["id"]), {"body": "x"})
    assert (first["status"], first["error"]) == ("failed", "Error sending webhook notification: 500")
    second = send(runtime, runtime.store.get("notification_templates", closed["id"]), {"body": "x"})
    assert second["status"] == "failed" and "Connection refused" in second["error"]
    failed = api.get("/api/v2/notifications/?status=failed").get_json()
    assert failed["count"] == 2


def test_non_loopback_target_is_not_contacted(api: t.Any, org: dict[str, t.Any]) -> None:
    runtime = api.app.runtime
    pk = api.post(NT, _hook(org, url="http://203.0.113.7/hook")).get_json()["id"]
    record = send(runtime, runtime.store.get("notification_templates", pk), {"body": "x"})
    assert record["status"] == "successful"


def test_notify_records_under_workflow_job(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    runtime = api.app.runtime
    pk = api.post(NT, _hook(org, url="http://203.0.113.7/hook")).get_json()["id"]
    api.post(f"{WFJT}{wfjt['id']}/notification_templates_started/", {"id": pk})
    job = runtime.store.insert("workflow_jobs", {"id": None, "name": "notify wf", "workflow_job_template": wfjt["id"],
                                                 "unified_job_template": wfjt["id"], "status": "running", "created_by": 1})
    sent = notify(runtime, job, "started")
    assert len(sent) == 1 and sent[0]["body"]["status"] == "running"
    listing = api.get(f"/api/v2/workflow_jobs/{job['id']}/notifications/").get_json()
    assert [n["id"] for n in listing["results"]] == [sent[0]["id"]]
    assert notify(runtime, job, "success") == []


def test_notification_404(api: t.Any) -> None:
    response = api.get("/api/v2/notifications/12345/")
    assert response.status_code == 404 and response.get_json() == {"detail": "No Notification matches the given query."}


def test_partial_messages_get_null_events_appended(api: t.Any, org: dict[str, t.Any]) -> None:
    body = {**_hook(org), "messages": {"started": {"body": "job {{ job.id }} started"}}}
    response = api.post(NT, body)
    assert response.status_code == 201
    messages = response.get_json()["messages"]
    assert list(messages) == ["started", "success", "error", "workflow_approval"]
    assert messages["started"] == {"body": "job {{ job.id }} started"} and messages["error"] is None
