"""Inbound webhooks launch a workflow only with a valid signature for the configured service."""

from __future__ import annotations

import hashlib
import hmac
import json
import typing as t

import pytest

from tests.conftest import ApiClient

PUSH = {"ref": "refs/heads/main", "after": "6dcb09b5b57875f334f61aebed695e2e4193db5e", "repository": {"full_name": "octo/hello"}}
DENIED = {"detail": "You do not have permission to perform this action."}


def body_bytes(payload: dict[str, t.Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


@pytest.fixture
def github_wf(api: ApiClient, org: dict[str, t.Any]) -> dict[str, t.Any]:
    wf = api.post("/api/v2/workflow_job_templates/", {"name": "hooked", "organization": org["id"], "extra_vars": "deploy: false", "webhook_service": "github"}).get_json()
    wf["key"] = api.get(f"/api/v2/workflow_job_templates/{wf['id']}/webhook_key/").get_json()["webhook_key"]
    return wf


def github(anon: ApiClient, wf: dict[str, t.Any], payload: dict[str, t.Any], *, key: str | None = None, event: str = "push", delivery: str = "d-1", path: str = "github") -> t.Any:
    data = body_bytes(payload)
    signature = hmac.new((key or wf["key"]).encode(), data, hashlib.sha1).hexdigest()
    headers = {"X-GitHub-Event": event, "X-GitHub-Delivery": delivery, "X-Hub-Signature": f"sha1={signature}", "Content-Type": "application/json"}
    return anon.client.post(f"/api/v2/workflow_job_templates/{wf['id']}/{path}/", data=data, headers=headers)


def test_signed_github_push_launches_a_webhook_job(api: ApiClient, anon: ApiClient, github_wf: dict[str, t.Any]) -> None:
    response = github(anon, github_wf, PUSH)
    assert response.status_code == 202
    assert response.get_json() == {"message": "Job queued."}
    jobs = api.get(f"/api/v2/workflow_job_templates/{github_wf['id']}/workflow_jobs/").get_json()["results"]
    assert len(jobs) == 1
    job = jobs[0]
    assert (job["launch_type"], job["webhook_service"], job["webhook_guid"]) == ("webhook", "github", "d-1")
    variables = json.loads(job["extra_vars"])
    assert variables["deploy"] is False
    assert variables["awx_webhook_event_ref"] == PUSH["after"]
    assert variables["tower_webhook_payload"] == PUSH
    assert api.get(f"/api/v2/workflow_jobs/{job['id']}/").get_json()["launched_by"] == {}


def test_repeated_delivery_is_not_launched_twice(api: ApiClient, anon: ApiClient, github_wf: dict[str, t.Any]) -> None:
    assert github(anon, github_wf, PUSH).status_code == 202
    again = github(anon, github_wf, PUSH)
    assert (again.status_code, again.get_json()) == (202, {"message": "Webhook previously received, aborting."})
    assert api.get("/api/v2/workflow_jobs/").get_json()["count"] == 1


@pytest.mark.parametrize("tamper", ["wrong key", "other service path", "sha256 header only", "no signature"])
def test_bad_signatures_are_refused(api: ApiClient, anon: ApiClient, github_wf: dict[str, t.Any], tamper: str) -> None:
    if tamper == "wrong key":
        response = github(anon, github_wf, PUSH, key="not-the-key")
    elif tamper == "other service path":
        response = github(anon, github_wf, PUSH, path="gitlab")
    else:
        data = body_bytes(PUSH)
        headers = {"X-GitHub-Event": "push", "X-GitHub-Delivery": "d-9", "Content-Type": "application/json"}
        if tamper == "sha256 header only":
            headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(github_wf["key"].encode(), data, hashlib.sha256).hexdigest()
        response = anon.client.post(f"/api/v2/workflow_job_templates/{github_wf['id']}/github/", data=data, headers=headers)
    assert (response.status_code, response.get_json()) == (403, DENIED)
    assert api.get("/api/v2/workflow_jobs/").get_json()["count"] == 0


def test_gitlab_token_and_guid(api: ApiClient, anon: ApiClient, org: dict[str, t.Any]) -> None:
    wf = api.post("/api/v2/workflow_job_templates/", {"name": "gl", "organization": org["id"], "webhook_service": "gitlab"}).get_json()
    key = api.get(f"/api/v2/workflow_job_templates/{wf['id']}/webhook_key/").get_json()["webhook_key"]
    payload = {"object_kind": "push", "checkout_sha": "0" * 40, "project": {"id": 15, "web_url": "https://gitlab.example.com/octo/hello"}}
    data = body_bytes(payload)
    url = f"/api/v2/workflow_job_templates/{wf['id']}/gitlab/"
    wrong = anon.client.post(url, data=data, headers={"X-Gitlab-Event": "Tag Push Hook", "X-Gitlab-Token": "nope"})
    assert wrong.status_code == 403
    ok = anon.client.post(url, data=data, headers={"X-Gitlab-Event": "Tag Push Hook", "X-Gitlab-Token": key})
    assert ok.status_code == 202
    job = api.get("/api/v2/workflow_jobs/").get_json()["results"][0]
    assert job["webhook_guid"] == hashlib.sha1(data).hexdigest()
    variables = json.loads(job["extra_vars"])
    assert variables["awx_webhook_event_ref"] is None
    assert variables["awx_webhook_status_api"] == "https://gitlab.example.com/api/v4/projects/15/statuses/None"


def test_bitbucket_ping_is_ignored_and_unknown_template_refused(api: ApiClient, anon: ApiClient, org: dict[str, t.Any]) -> None:
    wf = api.post("/api/v2/workflow_job_templates/", {"name": "bb", "organization": org["id"], "webhook_service": "bitbucket_dc"}).get_json()
    ping = anon.client.post(f"/api/v2/workflow_job_templates/{wf['id']}/bitbucket_dc/", data=b"{}", headers={"X-Event-Key": "diagnostics:ping", "X-Request-Id": "r1"})
    assert (ping.status_code, ping.get_json()) == (200, {"message": "Webhook ignored"})
    missing = anon.client.post("/api/v2/workflow_job_templates/999999/bitbucket_dc/", data=b"{}", headers={"X-Event-Key": "diagnostics:ping"})
    assert missing.status_code == 403
    assert api.get("/api/v2/workflow_jobs/").get_json()["count"] == 0
