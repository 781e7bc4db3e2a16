"""Operations around the workflow endpoints: config license, update deletes, JT schedules and notifications,
test notifications, zoneinfo, schedule jobs, object roles and access lists, team users, activity sub-lists."""

from __future__ import annotations

import base64
import io
import json
import typing as t
import zipfile

import pytest

from mockawx.execution.scheduler import Scheduler

JTS = "/api/v2/job_templates/"
OPEN = {"license_type": "open", "valid_key": True, "subscription_name": "OPEN", "product_name": "AWX"}
WEBHOOK = {"notification_type": "webhook", "notification_configuration": {"url": "https://example.com/hook", "headers": {}}}


@pytest.fixture
def world(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> dict[str, int]:
    app.runtime.store.meta["project_local_paths"] = ["demo"]
    project = api.post("/api/v2/projects/", {"name": "manual", "organization": org["id"], "local_path": "demo"}).get_json()
    inventory = api.post("/api/v2/inventories/", {"name": "inv", "organization": org["id"]}).get_json()
    jt = api.post(JTS, {"name": "jt", "project": project["id"], "playbook": "hello_world.yml", "inventory": inventory["id"],
                        "ask_variables_on_launch": True, "ask_limit_on_launch": True, "extra_vars": "color: red"}).get_json()
    return {"project": project["id"], "inventory": inventory["id"], "org": org["id"], "jt": jt["id"]}


def _user(api: t.Any, name: str) -> dict[str, t.Any]:
    return api.post("/api/v2/users/", {"username": name, "password": "pass-Word-1"}).get_json()


def _as(app: t.Any, name: str) -> t.Any:
    from tests.conftest import ApiClient

    token = base64.b64encode(f"{name}:pass-Word-1".encode()).decode()
    return ApiClient(app, {"Authorization": f"Basic {token}", "Accept": "application/json"})


def _zip(names: tuple[str, ...]) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, b"x")
    return base64.b64encode(buffer.getvalue()).decode()


# -- /api/v2/config/ ---------------------------------------------------------------------------
def test_config_allows_post_and_delete(api: t.Any) -> None:
    assert api.get("/api/v2/config/").headers["Allow"] == "GET, POST, DELETE, HEAD, OPTIONS"


@pytest.mark.parametrize(("body", "error"), [
    ([1, 2], "Invalid subscription data"),
    ({"license_key": "abc"}, "Legacy license submitted. A subscription manifest is now required."),
    ({"manifest": base64.b64encode(json.dumps({"license_key": "x"}).encode()).decode()},
     "Legacy license submitted. A subscription manifest is now required."),
    ({"manifest": "abc"}, "Incorrect padding"),
    ({"manifest": base64.b64encode(b"not a zip").decode()}, "Invalid manifest: a subscription manifest zip file is required."),
    ({"manifest": _zip(("signature",))}, "Invalid manifest: missing required files."),
    ({"manifest": _zip(("signature", "consumer_export.zip"))}, "Invalid manifest submitted."),
    ({"manifest": 5}, "Invalid manifest submitted."),
])
def test_config_post_refuses_what_an_open_install_cannot_use(api: t.Any, body: t.Any, error: str) -> None:
    response = api.post("/api/v2/config/", body)
    assert response.status_code == 400
    assert response.get_json() == {"error": error}


def test_config_post_without_license_data_answers_the_open_license(api: t.Any) -> None:
    response = api.post("/api/v2/config/", {})
    assert response.status_code == 200
    assert response.get_json() == OPEN


def test_config_delete_keeps_the_open_license(api: t.Any) -> None:
    response = api.delete("/api/v2/config/")
    assert response.status_code == 204 and response.get_data() == b""
    assert api.get("/api/v2/config/").get_json()["license_info"] == OPEN


def test_config_writes_are_for_superusers_only(app: t.Any, api: t.Any) -> None:
    _user(api, "plain")
    plain = _as(app, "plain")
    assert plain.get("/api/v2/config/").status_code == 200
    for response in (plain.post("/api/v2/config/", {}), plain.delete("/api/v2/config/")):
        assert response.status_code == 403
        assert response.get_json() == {"detail": "You do not have permission to perform this action."}


# -- inventory update delete ----------------------------------------------------------------------
def test_inventory_update_delete(app: t.Any, api: t.Any, world: dict[str, int]) -> None:
    source = api.post("/api/v2/inventory_sources/", {"name": "src", "inventory": world["inventory"], "source": "ec2"}).get_json()
    update = api.post(f"/api/v2/inventory_sources/{source['id']}/update/").get_json()
    path = f"/api/v2/inventory_updates/{update['id']}/"
    assert api.get(path).headers["Allow"] == "GET, DELETE, HEAD, OPTIONS"
    running = api.delete(path)
    assert running.status_code == 403
    assert running.get_json() == {"detail": "Cannot delete running job resource."}
    Scheduler(app.runtime).run_until_idle()
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404


# -- job template schedules and scheduled launches --------------------------------------------------
def test_job_template_schedules_list_and_create(api: t.Any, world: dict[str, int]) -> None:
    path = f"{JTS}{world['jt']}/schedules/"
    body = {"name": "weekly", "rrule": "DTSTART;TZID=UTC:20300101T000000 RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO",
            "extra_data": {"greeting": "sched"}}
    created = api.post(path, body)
    assert created.status_code == 201
    schedule = created.get_json()
    assert schedule["unified_job_template"] == world["jt"]
    assert schedule["summary_fields"]["unified_job_template"]["unified_job_type"] == "job"
    assert schedule["summary_fields"]["inventory"]["total_hosts"] == 0
    assert schedule["summary_fields"]["inventory"]["organization_id"] == world["org"]
    listed = api.get(path).get_json()
    assert [s["id"] for s in listed["results"]] == [schedule["id"]]
    assert api.post(path, body).get_json() == {"__all__": ["Schedule with this Unified job template and Name already exists."]}
    refused = api.post(path, {"name": "other", "rrule": body["rrule"], "job_tags": "x"})
    assert refused.get_json() == {"job_tags": ["Field is not configured to prompt on launch."]}


def test_scheduled_job_template_launch(api: t.Any, world: dict[str, int], clock: t.Any) -> None:
    start = clock.now().strftime("%Y%m%dT%H%M%SZ")
    body = {"name": "soon", "rrule": f"DTSTART:{start} RRULE:FREQ=MINUTELY;INTERVAL=1;COUNT=2",
            "extra_data": {"from_schedule": True}, "limit": "web"}
    schedule = api.post(f"{JTS}{world['jt']}/schedules/", body).get_json()
    assert api.get("/api/v2/jobs/").get_json()["count"] == 0
    clock.advance(61)
    jobs = api.get(f"{JTS}{world['jt']}/jobs/").get_json()["results"]
    assert len(jobs) == 1
    job = api.get(f"/api/v2/jobs/{jobs[0]['id']}/").get_json()
    assert job["launch_type"] == "scheduled" and job["limit"] == "web"
    assert job["launched_by"] == {"id": schedule["id"], "name": "soon", "type": "schedule", "url": f"/api/v2/schedules/{schedule['id']}/"}
    assert json.loads(job["extra_vars"]) == {"color": "red", "from_schedule": True}
    listed = api.get(f"/api/v2/schedules/{schedule['id']}/jobs/").get_json()
    assert listed["count"] == 1
    assert listed["results"][0]["id"] == job["id"] and listed["results"][0]["type"] == "job"


def test_schedule_jobs_of_a_workflow_schedule(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    wf = api.post("/api/v2/workflow_job_templates/", {"name": "wf", "organization": org["id"]}).get_json()
    start = clock.now().strftime("%Y%m%dT%H%M%SZ")
    schedule = api.post(f"/api/v2/workflow_job_templates/{wf['id']}/schedules/",
                        {"name": "s", "rrule": f"DTSTART:{start} RRULE:FREQ=MINUTELY;INTERVAL=1;COUNT=3"}).get_json()
    assert api.get(f"/api/v2/schedules/{schedule['id']}/jobs/").get_json()["count"] == 0
    api.post(f"/api/v2/workflow_job_templates/{wf['id']}/launch/", {})  # a manual launch is not the schedule's
    clock.advance(121)
    results = api.get(f"/api/v2/schedules/{schedule['id']}/jobs/?order_by=id").get_json()["results"]
    assert [r["launch_type"] for r in results] == ["scheduled", "scheduled"]
    assert all(r["type"] == "workflow_job" and r["summary_fields"]["schedule"]["id"] == schedule["id"] for r in results)


def test_zoneinfo(api: t.Any) -> None:
    response = api.get("/api/v2/schedules/zoneinfo/?page_size=3")
    body = response.get_json()
    assert response.status_code == 200 and list(body) == ["zones", "links"]
    assert len(body["zones"]) > 500 and body["zones"] == sorted(body["zones"])
    assert {"America/New_York", "UTC", "Europe/Berlin"} <= set(body["zones"])
    assert "localtime" not in body["zones"]
    assert set(body["links"]) <= set(body["zones"]) and set(body["links"].values()) <= set(body["zones"])
    assert body["links"].get("US/Eastern") == "America/New_York"


# -- notification sub-lists and tests ---------------------------------------------------------------
@pytest.mark.parametrize(("owner", "events"), [
    ("job_templates", ("started", "success", "error")),
    ("projects", ("started", "success", "error")),
    ("inventory_sources", ("started", "success", "error")),
    ("organizations", ("approvals", "started", "success", "error")),
])
def test_notification_sublists(api: t.Any, world: dict[str, int], owner: str, events: tuple[str, ...]) -> None:
    ids = {"job_templates": world["jt"], "projects": world["project"], "organizations": world["org"]}
    if owner == "inventory_sources":
        ids[owner] = api.post("/api/v2/inventory_sources/", {"name": "src", "inventory": world["inventory"], "source": "ec2"}).get_json()["id"]
    nt = api.post("/api/v2/notification_templates/", {"name": "hook", "organization": world["org"], **WEBHOOK}).get_json()
    base = f"/api/v2/{owner}/{ids[owner]}/"
    for event in events:
        path = f"{base}notification_templates_{event}/"
        assert api.post(path, {"id": nt["id"]}).status_code == 204
        assert [n["id"] for n in api.get(path).get_json()["results"]] == [nt["id"]]
        assert api.post(path, {"id": 99999}).get_json() == {"detail": "NotificationTemplate matching query does not exist."}
        assert api.post(path, {"id": nt["id"], "disassociate": True}).status_code == 204
        assert api.get(path).get_json()["count"] == 0
    made = api.post(f"{base}notification_templates_error/", {"name": "made here", "organization": world["org"], **WEBHOOK})
    assert made.status_code == 201
    assert api.get(f"{base}notification_templates_error/").get_json()["results"][0]["name"] == "made here"
    if "approvals" not in events:
        assert api.get(f"{base}notification_templates_approvals/").status_code == 404


def test_job_template_error_notification_is_sent(app: t.Any, api: t.Any, world: dict[str, int]) -> None:
    nt = api.post("/api/v2/notification_templates/", {"name": "hook", "organization": world["org"], **WEBHOOK}).get_json()
    api.post(f"{JTS}{world['jt']}/notification_templates_error/", {"id": nt["id"]})
    api.post("/_mockawx/outcomes/", {"match": {"job_template": world["jt"]}, "results": [{"status": "failed"}]})
    job = api.post(f"{JTS}{world['jt']}/launch/", {}).get_json()
    Scheduler(app.runtime).run_until_idle()
    sent = api.get(f"/api/v2/notification_templates/{nt['id']}/notifications/").get_json()["results"]
    assert [n["body"]["id"] for n in sent] == [job["id"]]
    assert sent[0]["body"]["status"] == "failed"


def test_notification_template_test(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> None:
    nt = api.post("/api/v2/notification_templates/", {"name": "hook", "organization": org["id"], **WEBHOOK}).get_json()
    path = f"/api/v2/notification_templates/{nt['id']}/test/"
    refused = api.get(path)
    assert refused.status_code == 405 and refused.headers["Allow"] == "POST, OPTIONS"
    assert refused.get_json() == {"detail": 'Method "GET" not allowed.'}
    response = api.post(path, {})
    body = response.get_json()
    assert response.status_code == 202
    assert response.headers["Location"] == f"/api/v2/notifications/{body['id']}/"
    assert list(body)[:3] == ["notification", "id", "type"] and body["notification"] == body["id"]
    assert body["status"] == "pending" and body["notifications_sent"] == 0
    assert body["body"] == {"body": f"Test Notification {nt['id']} https://towerhost"}
    assert body["recipients"] == "https://example.com/hook"
    Scheduler(app.runtime).run_until_idle()
    listed = api.get(f"/api/v2/notification_templates/{nt['id']}/notifications/").get_json()
    assert listed["count"] == 1
    assert listed["results"][0]["status"] == "successful" and listed["results"][0]["notifications_sent"] == 1
    assert listed["results"][0]["modified"] == body["modified"]


def test_notification_template_test_needs_admin(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> None:
    nt = api.post("/api/v2/notification_templates/", {"name": "hook", "organization": org["id"], **WEBHOOK}).get_json()
    _user(api, "plain")
    assert _as(app, "plain").post(f"/api/v2/notification_templates/{nt['id']}/test/", {}).status_code in (403, 404)
    assert api.get("/api/v2/notifications/").get_json()["count"] == 0


# -- object roles, access lists, team users, activity streams ----------------------------------------
@pytest.mark.parametrize("kind", ["organizations", "teams", "projects", "inventories", "credentials", "job_templates"])
def test_object_roles_and_access_list(api: t.Any, world: dict[str, int], kind: str) -> None:
    ids = {"organizations": world["org"], "projects": world["project"], "inventories": world["inventory"], "job_templates": world["jt"]}
    if kind == "teams":
        ids[kind] = api.post("/api/v2/teams/", {"name": "t", "organization": world["org"]}).get_json()["id"]
    if kind == "credentials":
        ids[kind] = api.post("/api/v2/credentials/", {"name": "c", "credential_type": 1, "organization": world["org"],
                                                      "inputs": {"username": "u"}}).get_json()["id"]
    detail = api.get(f"/api/v2/{kind}/{ids[kind]}/").get_json()
    roles = api.get(f"/api/v2/{kind}/{ids[kind]}/object_roles/")
    assert roles.status_code == 200 and roles.headers["Warning"].startswith("299 awx")
    expected = sorted(r["id"] for r in detail["summary_fields"]["object_roles"].values())
    assert sorted(r["id"] for r in roles.get_json()["results"]) == expected
    user = _user(api, "granted")
    api.post(f"/api/v2/organizations/{world['org']}/users/", {"id": user["id"]})  # credentials are granted within their org
    admin_role = detail["summary_fields"]["object_roles"]["admin_role"]["id"]
    assert api.post(f"/api/v2/users/{user['id']}/roles/", {"id": admin_role}).status_code == 204
    access = api.get(f"/api/v2/{kind}/{ids[kind]}/access_list/").get_json()
    entry = next(u for u in access["results"] if u["id"] == user["id"])
    assert admin_role in [d["role"]["id"] for d in entry["summary_fields"]["direct_access"]]


def test_team_users(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> None:
    team = api.post("/api/v2/teams/", {"name": "t", "organization": org["id"]}).get_json()
    user = _user(api, "dave")
    path = f"/api/v2/teams/{team['id']}/users/"
    added = api.post(path, {"id": user["id"]})
    assert added.status_code == 204 and added.headers["Allow"] == "GET, POST, HEAD, OPTIONS"
    assert [u["id"] for u in api.get(path).get_json()["results"]] == [user["id"]]
    member = api.get(f"/api/v2/roles/{team['summary_fields']['object_roles']['member_role']['id']}/users/").get_json()
    assert [u["id"] for u in member["results"]] == [user["id"]]
    # team membership carries the team's grants
    wf = api.post("/api/v2/workflow_job_templates/", {"name": "wf", "organization": org["id"]}).get_json()
    execute = wf["summary_fields"]["object_roles"]["execute_role"]["id"]
    api.post(f"/api/v2/teams/{team['id']}/roles/", {"id": execute})
    assert _as(app, "dave").get(f"/api/v2/workflow_job_templates/{wf['id']}/").status_code == 200
    assert api.post(path, {"id": 99999}).get_json() == {"detail": "User matching query does not exist."}
    assert api.post(path, {"id": user["id"], "disassociate": True}).status_code == 204
    assert api.get(path).get_json()["count"] == 0


@pytest.mark.parametrize("kind", ["teams", "projects", "inventories", "job_templates"])
def test_activity_stream_sublists(api: t.Any, world: dict[str, int], kind: str) -> None:
    ids = {"organizations": world["org"], "projects": world["project"], "inventories": world["inventory"], "job_templates": world["jt"]}
    if kind == "teams":
        ids[kind] = api.post("/api/v2/teams/", {"name": "t", "organization": world["org"]}).get_json()["id"]
    api.patch(f"/api/v2/{kind}/{ids[kind]}/", {"description": "changed"})
    body = api.get(f"/api/v2/{kind}/{ids[kind]}/activity_stream/?order_by=id").get_json()
    assert body["count"] >= 1
    assert all(ids[kind] in [int(u.rstrip("/").rsplit("/", 1)[1]) for u in e["related"].get(e["object1"], [])]
               for e in body["results"] if e["object1"] == body["results"][0]["object1"])
    assert any(e["operation"] == "update" and e["changes"].get("description") == ["", "changed"] for e in body["results"])
    assert api.get(f"/api/v2/{kind}/99999/activity_stream/").status_code == 404


@pytest.mark.parametrize("kind", ["organizations", "users", "credentials", "credential_types", "execution_environments",
                                  "applications", "tokens", "inventory_sources"])
def test_activity_stream_sublists_answer_for_every_served_kind(api: t.Any, kind: str) -> None:
    assert api.get(f"/api/v2/{kind}/99999/activity_stream/").status_code == 404
    listed = api.get(f"/api/v2/{kind}/").get_json()["results"]
    if listed:
        body = api.get(f"/api/v2/{kind}/{listed[0]['id']}/activity_stream/").get_json()
        assert set(body) == {"count", "next", "previous", "results"}
