"""Job status changes deliver the attached notifications, as AWX sends them, to a loopback receiver."""

from __future__ import annotations

import typing as t

import pytest
from pytest_httpserver import HTTPServer

WFJT = "/api/v2/workflow_job_templates/"


@pytest.fixture
def receiver() -> t.Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    server.expect_request("/hook").respond_with_data("ok")
    yield server
    server.clear()
    server.stop()


def hook(api: t.Any, org: dict[str, t.Any], receiver: HTTPServer) -> dict[str, t.Any]:
    body = {"name": "hook", "organization": org["id"], "notification_type": "webhook",
            "notification_configuration": {"url": receiver.url_for("/hook"), "headers": {}, "http_method": "POST"}}
    response = api.post("/api/v2/notification_templates/", body)
    assert response.status_code == 201, response.get_json()
    return t.cast(dict[str, t.Any], response.get_json())


def test_started_and_success_notifications_are_delivered(api: t.Any, org: dict[str, t.Any], clock: t.Any, receiver: HTTPServer) -> None:
    nt = hook(api, org, receiver)
    wf = api.post(WFJT, {"name": "notified", "organization": org["id"]}).get_json()
    for event in ("started", "success"):
        assert api.post(f"{WFJT}{wf['id']}/notification_templates_{event}/", {"id": nt["id"]}).status_code == 204
    job = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()
    clock.advance(5)
    assert api.get(f"/api/v2/workflow_jobs/{job['id']}/").get_json()["status"] == "successful"
    bodies = [request.get_json() for request, _ in receiver.log]
    assert [b["status"] for b in bodies] == ["running", "successful"]
    assert all(b["id"] == job["id"] for b in bodies)
    notifications = api.get(f"/api/v2/workflow_jobs/{job['id']}/notifications/").get_json()
    assert notifications["count"] == 2
    assert {n["status"] for n in notifications["results"]} == {"successful"}


def test_error_notification_and_approval_notifications(api: t.Any, org: dict[str, t.Any], clock: t.Any, receiver: HTTPServer) -> None:
    nt = hook(api, org, receiver)
    wf = api.post(WFJT, {"name": "gated", "organization": org["id"]}).get_json()
    node = api.post(f"{WFJT}{wf['id']}/workflow_nodes/", {"identifier": "gate"}).get_json()
    api.post(f"/api/v2/workflow_job_template_nodes/{node['id']}/create_approval_template/", {"name": "Gate"})
    for event in ("error", "approvals"):
        api.post(f"{WFJT}{wf['id']}/notification_templates_{event}/", {"id": nt["id"]})
    job = api.post(f"{WFJT}{wf['id']}/launch/", {}).get_json()
    clock.advance(1)
    approval = api.get("/api/v2/workflow_approvals/?status=pending").get_json()["results"][0]
    assert api.post(f"/api/v2/workflow_approvals/{approval['id']}/deny/", {}).status_code == 204
    clock.advance(1)
    assert api.get(f"/api/v2/workflow_jobs/{job['id']}/").get_json()["status"] == "failed"
    bodies = [request.get_json() for request, _ in receiver.log]
    texts = [b.get("body", "") for b in bodies if set(b) == {"body"}]
    assert any("needs review" in text for text in texts)
    assert any("was denied" in text for text in texts)
    assert [b["status"] for b in bodies if "status" in b] == ["failed"]
