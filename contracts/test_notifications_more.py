"""Notification templates: the test message and its notification, and attaching templates to organizations,
projects, job templates and inventory sources for each event."""

from __future__ import annotations

import typing as t

CLOSED_PORT = "http://127.0.0.1:9/hook"  # nothing listens there: delivery fails without reaching anyone
SAMPLES = "https://github.com/ansible/ansible-tower-samples"
UNKNOWN = {"detail": "NotificationTemplate matching query does not exist."}


def _webhook(awx: t.Any, names: t.Any, organization: dict[str, t.Any]) -> dict[str, t.Any]:
    return t.cast(dict[str, t.Any], awx.ok(awx.post("/api/v2/notification_templates/", json={
        "name": names("hook"), "organization": organization["id"], "notification_type": "webhook",
        "notification_configuration": {"url": CLOSED_PORT, "headers": {}, "http_method": "POST"}}), 201))


def _attach_each(awx: t.Any, owner_url: str, template: dict[str, t.Any], events: tuple[str, ...]) -> None:
    for event in events:
        sub = f"{owner_url}notification_templates_{event}/"
        assert awx.post(sub, json={"id": template["id"]}).status_code == 204
        assert [n["id"] for n in awx.ok(awx.get(sub))["results"]] == [template["id"]]
        unknown = awx.post(sub, json={"id": 999999999})
        assert unknown.status_code == 400 and unknown.json() == UNKNOWN
        assert awx.post(sub, json={"id": template["id"], "disassociate": True}).status_code == 204
        assert awx.ok(awx.get(sub))["count"] == 0


def test_test_notification_is_recorded(awx: t.Any, names: t.Any, organization: dict[str, t.Any], target: t.Any) -> None:
    template = _webhook(awx, names, organization)
    assert awx.ok(awx.get(f"{template['url']}notifications/"))["count"] == 0
    sent = awx.ok(awx.post(f"{template['url']}test/", json={}), 202)
    assert sent["notification"] == sent["id"] and sent["type"] == "notification"
    assert sent["status"] == "pending" and sent["notifications_sent"] == 0 and sent["error"] == ""
    assert sent["notification_template"] == template["id"] and sent["recipients"] == CLOSED_PORT
    assert sent["body"]["body"].startswith(f"Test Notification {template['id']} ")
    failed = target.wait_for(sent["url"], lambda body: body["status"] != "pending")
    assert failed["status"] == "failed" and failed["notifications_sent"] == 0
    assert "Connection refused" in failed["error"] and failed["error"].startswith("HTTPConnectionPool(host='127.0.0.1', port=9)")
    listed = awx.ok(awx.get(f"{template['url']}notifications/"))
    assert [n["id"] for n in listed["results"]] == [sent["id"]]


def test_organization_notification_events(awx: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    template = _webhook(awx, names, organization)
    _attach_each(awx, organization["url"], template, ("approvals", "started", "success", "error"))


def test_project_and_job_template_notification_events(awx: t.Any, names: t.Any, organization: dict[str, t.Any], target: t.Any) -> None:
    template = _webhook(awx, names, organization)
    project = awx.ok(awx.post("/api/v2/projects/", json={"name": names("proj"), "organization": organization["id"],
                                                         "scm_type": "git", "scm_url": SAMPLES}), 201)
    _attach_each(awx, project["url"], template, ("started", "success", "error"))
    target.wait_for(project["url"], lambda body: body["status"] in ("successful", "failed", "error", "canceled"))
    inventory = awx.ok(awx.post("/api/v2/inventories/", json={"name": names("inv"), "organization": organization["id"]}), 201)
    jt = awx.ok(awx.post("/api/v2/job_templates/", json={"name": names("jt"), "inventory": inventory["id"],
                                                       "project": project["id"], "playbook": "hello_world.yml"}), 201)
    _attach_each(awx, jt["url"], template, ("started", "success", "error"))


def test_inventory_source_notification_events(awx: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    template = _webhook(awx, names, organization)
    inventory = awx.ok(awx.post("/api/v2/inventories/", json={"name": names("inv"), "organization": organization["id"]}), 201)
    source = awx.ok(awx.post("/api/v2/inventory_sources/", json={"name": names("src"), "inventory": inventory["id"],
                                                                 "source": "ec2"}), 201)
    _attach_each(awx, source["url"], template, ("started", "success", "error"))
