"""Jobs through HTTP: lifecycle on the event clock, scripted outcomes, cancel, relaunch, output, delete."""

from __future__ import annotations

import typing as t

import pytest

from mockawx.execution.scheduler import Scheduler

JOBS = "/api/v2/jobs/"


@pytest.fixture
def jt(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    app.runtime.store.meta["project_local_paths"] = ["demo"]
    project = api.post("/api/v2/projects/", {"name": "manual", "organization": org["id"], "local_path": "demo"}).get_json()
    inventory = api.post("/api/v2/inventories/", {"name": "inv", "organization": org["id"]}).get_json()
    api.post(f"/api/v2/inventories/{inventory['id']}/hosts/", {"name": "web1"})
    response = api.post("/api/v2/job_templates/", {
        "name": "jt", "project": project["id"], "playbook": "hello_world.yml", "inventory": inventory["id"],
        "ask_variables_on_launch": True,
    })
    assert response.status_code == 201
    return t.cast(dict[str, t.Any], response.get_json())


def launch(api: t.Any, jt: dict[str, t.Any], **body: t.Any) -> dict[str, t.Any]:
    response = api.post(f"/api/v2/job_templates/{jt['id']}/launch/", body)
    assert response.status_code == 201, response.get_json()
    return t.cast(dict[str, t.Any], response.get_json())


def status(api: t.Any, job_id: int) -> str:
    return t.cast(str, api.get(f"{JOBS}{job_id}/").get_json()["status"])


def test_job_runs_on_the_clock(app: t.Any, api: t.Any, jt: dict[str, t.Any]) -> None:
    job = launch(api, jt)
    assert job["status"] == "pending" and job["execution_node"] == "" and job["instance_group"] is None
    assert "modified_by" in job["related"]
    app.runtime.settings.job_duration = 5.0
    api.post("/_mockawx/clock/advance/", {"seconds": 1})
    running = api.get(f"{JOBS}{job['id']}/").get_json()
    assert running["status"] == "running" and running["started"] is not None
    assert running["execution_node"] == "awx-local" and running["summary_fields"]["instance_group"]["name"] == "default"
    assert "modified_by" not in running["related"]
    api.post("/_mockawx/clock/advance/", {"seconds": 10})
    done = api.get(f"{JOBS}{job['id']}/").get_json()
    assert done["status"] == "successful" and done["failed"] is False and done["elapsed"] == 5.0
    assert done["event_processing_finished"] is True
    assert done["host_status_counts"] == {"ok": 1} and done["playbook_counts"] == {"play_count": 1, "task_count": 1}
    template = api.get(f"/api/v2/job_templates/{jt['id']}/").get_json()
    assert template["status"] == "successful" and template["summary_fields"]["last_job"]["id"] == job["id"]


def test_scripted_failure_and_output(app: t.Any, api: t.Any, jt: dict[str, t.Any]) -> None:
    rule = api.post("/_mockawx/outcomes/", {"match": {"job_template": jt["id"]}, "results": [{"status": "failed"}]})
    assert rule.status_code == 201
    job = launch(api, jt)
    Scheduler(app.runtime).run_until_idle()
    body = api.get(f"{JOBS}{job['id']}/").get_json()
    assert body["status"] == "failed" and body["failed"] is True
    stdout = api.get(f"{JOBS}{job['id']}/stdout/?format=json").get_json()
    assert "fatal: [web1]: FAILED!" in stdout["content"]
    assert "web1                       : ok=0    changed=0    unreachable=0    failed=1" in stdout["content"]
    assert stdout["range"]["end"] == stdout["content"].count("\n")
    events = api.get(f"{JOBS}{job['id']}/job_events/").get_json()
    names = [e["event"] for e in events["results"]]
    assert names == ["playbook_on_start", "playbook_on_play_start", "playbook_on_task_start", "runner_on_failed", "playbook_on_stats"]
    assert events["results"][3]["host_name"] == "web1" and events["results"][3]["failed"] is True
    summaries = api.get(f"{JOBS}{job['id']}/job_host_summaries/").get_json()["results"]
    assert [(s["host_name"], s["failures"], s["failed"]) for s in summaries] == [("web1", 1, True)]
    assert api.get(f"{JOBS}{job['id']}/relaunch/").get_json() == {"passwords_needed_to_start": [], "retry_counts": {"all": 1, "failed": 1}}


def test_successful_output(app: t.Any, api: t.Any, jt: dict[str, t.Any]) -> None:
    job = launch(api, jt)
    assert api.get(f"{JOBS}{job['id']}/stdout/?format=json").get_json() == {"range": {"start": 0, "end": 0, "absolute_end": 0}, "content": ""}
    assert api.get(f"{JOBS}{job['id']}/job_events/").get_json()["count"] == 0
    Scheduler(app.runtime).run_until_idle()
    text = api.get(f"{JOBS}{job['id']}/stdout/?format=txt", headers={"Accept": "text/plain"})
    assert text.status_code == 200 and text.content_type.startswith("text/plain")
    assert "PLAY [all]" in text.get_data(as_text=True) and "ok: [web1]" in text.get_data(as_text=True)
    refused = api.get(f"{JOBS}{job['id']}/stdout/?format=txt", headers={"Accept": "application/json"})
    assert refused.status_code == 406 and refused.content_type.startswith("text/html")
    assert api.get(f"{JOBS}{job['id']}/job_events/?event=runner_on_ok").get_json()["count"] == 1


def test_cancel_pending_job(app: t.Any, api: t.Any, jt: dict[str, t.Any]) -> None:
    job = launch(api, jt)
    url = f"{JOBS}{job['id']}/cancel/"
    assert api.get(url).get_json() == {"can_cancel": True}
    response = api.post(url, {})
    assert response.status_code == 202 and response.data == b""
    body = api.get(f"{JOBS}{job['id']}/").get_json()
    assert body["status"] == "canceled" and body["canceled_on"] is not None
    assert api.get(url).get_json() == {"can_cancel": False}
    again = api.post(url, {})
    assert again.status_code == 405 and again.get_json() == {"detail": 'Method "POST" not allowed.'}
    assert api.get(f"{JOBS}{job['id']}/job_events/").get_json()["count"] == 0


def test_cancel_running_job(app: t.Any, api: t.Any, jt: dict[str, t.Any]) -> None:
    app.runtime.settings.job_duration = 60.0
    job = launch(api, jt)
    api.post("/_mockawx/clock/advance/", {"seconds": 1})
    assert api.post(f"{JOBS}{job['id']}/cancel/", {}).status_code == 202
    Scheduler(app.runtime).run_until_idle()
    assert status(api, job["id"]) == "canceled"


def test_relaunch(app: t.Any, api: t.Any, jt: dict[str, t.Any]) -> None:
    job = launch(api, jt, extra_vars={"x": 1})
    Scheduler(app.runtime).run_until_idle()
    response = api.post(f"{JOBS}{job['id']}/relaunch/", {})
    assert response.status_code == 201
    body = response.get_json()
    assert body["job"] == body["id"] != job["id"] and list(body)[-1] == "job"
    assert body["launch_type"] == "relaunch" and body["extra_vars"] == '{"x": 1}' and body["status"] == "pending"
    assert api.get(f"/api/v2/job_templates/{jt['id']}/jobs/").get_json()["count"] == 2
    assert api.get(f"{JOBS}?job_template={jt['id']}&launch_type=relaunch").get_json()["count"] == 1


def test_delete_rules(app: t.Any, api: t.Any, jt: dict[str, t.Any]) -> None:
    job = launch(api, jt)
    running = api.delete(f"{JOBS}{job['id']}/")
    assert running.status_code == 403 and running.get_json() == {"detail": "Cannot delete running job resource."}
    Scheduler(app.runtime).run_until_idle()
    assert api.delete(f"{JOBS}{job['id']}/").status_code == 204
    for suffix in ("", "cancel/", "stdout/?format=json", "job_events/"):
        gone = api.get(f"{JOBS}{job['id']}/{suffix}")
        assert gone.status_code == 404 and gone.get_json() == {"detail": "No Job matches the given query."}


def test_job_labels_and_list(app: t.Any, api: t.Any, jt: dict[str, t.Any]) -> None:
    job = launch(api, jt)
    assert api.get(f"{JOBS}{job['id']}/labels/").get_json()["count"] == 0
    listing = api.get(f"{JOBS}?job_template={jt['id']}").get_json()
    assert listing["count"] == 1 and "job_args" not in listing["results"][0]
    assert "host_status_counts" not in listing["results"][0]


def node(api: t.Any, wfjt_id: int, **body: t.Any) -> int:
    response = api.post(f"/api/v2/workflow_job_templates/{wfjt_id}/workflow_nodes/", body)
    assert response.status_code == 201, response.get_json()
    return t.cast(int, response.get_json()["id"])


def test_workflow_node_missing_inventory_takes_failure_path(app: t.Any, api: t.Any, org: dict[str, t.Any], jt: dict[str, t.Any]) -> None:
    asks = api.post("/api/v2/job_templates/", {
        "name": "asks", "project": jt["project"], "playbook": "hello_world.yml", "ask_inventory_on_launch": True,
    }).get_json()
    wfjt = api.post("/api/v2/workflow_job_templates/", {"name": "wf", "organization": org["id"], "extra_vars": '{"env": "prod"}'}).get_json()
    first = node(api, wfjt["id"], unified_job_template=asks["id"])
    recovery = node(api, wfjt["id"], unified_job_template=jt["id"])
    assert api.post(f"/api/v2/workflow_job_template_nodes/{first}/failure_nodes/", {"id": recovery}).status_code == 204
    workflow_job = api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/launch/", {}).get_json()
    Scheduler(app.runtime).run_until_idle()
    jobs = {j["unified_job_template"]: j for j in api.get(f"{JOBS}?order_by=id").get_json()["results"]}
    failed = api.get(f"{JOBS}{jobs[asks['id']]['id']}/").get_json()
    assert failed["status"] == "failed" and failed["launch_type"] == "workflow"
    assert failed["job_explanation"] == "Job spawned from workflow could not start because it was missing a related resource such as project or inventory"
    assert failed["summary_fields"]["source_workflow_job"]["id"] == workflow_job["id"]
    assert failed["related"]["source_workflow_job"] == f"/api/v2/workflow_jobs/{workflow_job['id']}/"
    recovered = api.get(f"{JOBS}{jobs[jt['id']]['id']}/").get_json()
    assert recovered["status"] == "successful" and recovered["extra_vars"] == '{"env": "prod"}'
    assert api.get(f"/api/v2/workflow_jobs/{workflow_job['id']}/").get_json()["status"] == "successful"


def test_spawned_job_cannot_be_deleted_while_workflow_runs(app: t.Any, api: t.Any, org: dict[str, t.Any], jt: dict[str, t.Any]) -> None:
    app.runtime.settings.job_duration = 30.0
    wfjt = api.post("/api/v2/workflow_job_templates/", {"name": "wf", "organization": org["id"]}).get_json()
    first = node(api, wfjt["id"], unified_job_template=jt["id"])
    second = node(api, wfjt["id"], unified_job_template=jt["id"])
    api.post(f"/api/v2/workflow_job_template_nodes/{first}/success_nodes/", {"id": second})
    api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/launch/", {})
    api.post("/_mockawx/clock/advance/", {"seconds": 31})
    done = [j for j in api.get(f"{JOBS}?status=successful").get_json()["results"]]
    assert len(done) == 1
    refused = api.delete(f"{JOBS}{done[0]['id']}/")
    assert refused.status_code == 403
    assert refused.get_json() == {"detail": "Cannot delete job resource when associated workflow job is running."}


def test_scripted_outcome_can_carry_a_job_explanation(api: t.Any, clock: t.Any) -> None:
    """A scripted result may say why the job ended, as AWX fills job_explanation."""
    org = api.post("/api/v2/organizations/", {"name": "why"}).get_json()
    inventory = api.post("/api/v2/inventories/", {"name": "inv", "organization": org["id"]}).get_json()
    project = api.post("/api/v2/projects/", {"name": "p", "organization": org["id"], "scm_type": "git", "scm_url": "https://example.invalid/p.git"}).get_json()
    clock.advance(5)
    template = api.post("/api/v2/job_templates/", {"name": "jt", "project": project["id"], "inventory": inventory["id"], "playbook": "hello_world.yml"}).get_json()
    reason = "Job could not start because no Execution Environment could be found."
    rule = {"match": {"job_template": template["id"]}, "results": [{"status": "error", "duration": 0, "job_explanation": reason}]}
    assert api.post("/_mockawx/outcomes/", rule).status_code == 201
    job = api.post(f"/api/v2/job_templates/{template['id']}/launch/", {}).get_json()
    clock.advance(5)
    done = api.get(f"/api/v2/jobs/{job['id']}/").get_json()
    assert (done["status"], done["job_explanation"]) == ("error", reason)
