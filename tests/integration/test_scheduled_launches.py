"""An enabled schedule launches its workflow when the clock reaches its next run."""

from __future__ import annotations

import json
import typing as t

WFJT = "/api/v2/workflow_job_templates/"


def test_schedule_fires_once_and_is_exhausted(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    wf = api.post(WFJT, {"name": "nightly", "organization": org["id"], "extra_vars": "color: blue", "ask_variables_on_launch": True}).get_json()
    start = clock.now().strftime("%Y%m%dT%H%M%SZ")
    body = {"name": "soon", "rrule": f"DTSTART:{start} RRULE:FREQ=MINUTELY;INTERVAL=1;COUNT=2", "extra_data": {"from_schedule": True}}
    schedule = api.post(f"{WFJT}{wf['id']}/schedules/", body).get_json()
    assert schedule["next_run"] is not None
    assert api.get("/api/v2/workflow_jobs/").get_json()["count"] == 0
    clock.advance(61)
    jobs = api.get("/api/v2/workflow_jobs/").get_json()["results"]
    assert len(jobs) == 1
    job = api.get(f"/api/v2/workflow_jobs/{jobs[0]['id']}/").get_json()
    assert job["launch_type"] == "scheduled"
    assert job["launched_by"] == {"id": schedule["id"], "name": "soon", "type": "schedule", "url": f"/api/v2/schedules/{schedule['id']}/"}
    assert json.loads(job["extra_vars"]) == {"color": "blue", "from_schedule": True}
    assert job["related"]["schedule"] == f"/api/v2/schedules/{schedule['id']}/"
    clock.advance(600)
    assert api.get("/api/v2/workflow_jobs/").get_json()["count"] == 1
    assert api.get(f"/api/v2/schedules/{schedule['id']}/").get_json()["next_run"] is None


def test_disabled_schedule_does_not_fire(api: t.Any, org: dict[str, t.Any], clock: t.Any) -> None:
    wf = api.post(WFJT, {"name": "quiet", "organization": org["id"]}).get_json()
    start = clock.now().strftime("%Y%m%dT%H%M%SZ")
    schedule = api.post(f"{WFJT}{wf['id']}/schedules/", {"name": "off", "rrule": f"DTSTART:{start} RRULE:FREQ=MINUTELY;INTERVAL=1"}).get_json()
    assert api.patch(f"/api/v2/schedules/{schedule['id']}/", {"enabled": False}).status_code == 200
    clock.advance(300)
    assert api.get("/api/v2/workflow_jobs/").get_json()["count"] == 0
    assert api.post("/_mockawx/clock/run_until_idle/").get_json()["idle"] is True
