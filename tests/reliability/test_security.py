"""No way in without credentials: binding, 401s, secrets never echoed, constant-time checks, the control plane."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import typing as t

import pytest
from werkzeug.test import Client

from mockawx import ManualClock, MockAWX, cli, create_app
from mockawx.server import MockServer

ADMIN = {"Authorization": "Basic " + base64.b64encode(b"admin:password").decode()}
# What AWX serves without credentials (the webhook receivers check their own signatures instead).
PUBLIC = {
    ("get", "/api/"), ("get", "/api/v2/"), ("get", "/api/v2/ping/"), ("get", "/api/login/"), ("post", "/api/login/"),
    ("post", "/api/v2/workflow_job_templates/{id}/github/"), ("post", "/api/v2/workflow_job_templates/{id}/gitlab/"),
    ("post", "/api/v2/workflow_job_templates/{id}/bitbucket_dc/"),
}
NOT_AUTHENTICATED = {"detail": "Authentication credentials were not provided. To establish a login session, visit /api/login/."}
SECRETS = ("Hunter2-User-Pass", "Cred-Secret-Value", "Survey-Default-Secret", "Survey-Answer-Secret")


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def _awx_operations(app: MockAWX) -> list[t.Any]:
    return [op for op in app.runtime.spec.by_id.values() if not op.path.startswith("/_mockawx/")]


def test_binds_to_loopback_unless_told_otherwise(app: MockAWX) -> None:
    assert cli.build_parser().parse_args(["serve"]).host == "127.0.0.1"
    assert MockServer(app).host == "127.0.0.1"


def test_binding_every_interface_warns(app: MockAWX) -> None:
    server = MockServer(app, host="0.0.0.0", port=0)
    with pytest.warns(UserWarning, match="every network interface"):
        server.start()
    server.stop()  # bound and closed at once; no traffic is sent


@pytest.mark.parametrize("credentials", [
    {}, {"Authorization": "Basic " + base64.b64encode(b"admin:wrong").decode()},
    {"Authorization": "Basic " + base64.b64encode(b"nobody:password").decode()}, {"Authorization": "Basic !!!"},
    {"Authorization": "Bearer not-a-token"}, {"Authorization": "Token abc"}, {"awx_sessionid": "forged"},
], ids=["none", "wrong-password", "unknown-user", "garbled-basic", "bogus-bearer", "other-scheme", "forged-session"])
def test_every_operation_but_the_public_ones_needs_credentials(app: MockAWX, credentials: dict[str, str]) -> None:
    client = Client(app)
    credentials = dict(credentials)
    app.runtime.store.meta["sessions"] = {"a-real-session": 1}
    if "awx_sessionid" in credentials:
        client.set_cookie("awx_sessionid", credentials.pop("awx_sessionid"))
    operations = _awx_operations(app)
    assert {(op.method, op.path) for op in operations if op.public} == PUBLIC  # the spec marks exactly these public
    for op in operations:
        body = {"json": {}} if op.method in ("post", "put", "patch") else {}
        response = client.open(_concrete(op.path), method=op.method.upper(), headers=credentials, **body)
        if (op.method, op.path) in PUBLIC:
            assert response.status_code != 401, op.operation_id
            continue
        assert response.status_code == 401, (op.operation_id, response.status_code)
        assert response.get_json() == NOT_AUTHENTICATED
        assert response.headers["WWW-Authenticate"].startswith("Bearer realm=api")
    assert not app.runtime.handler_errors


def test_webhook_receivers_refuse_unsigned_requests(api: t.Any, anon: t.Any, org: dict[str, t.Any]) -> None:
    wfjt = api.post("/api/v2/workflow_job_templates/", {"name": "hooked", "organization": org["id"], "webhook_service": "github"}).get_json()
    key = api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/webhook_key/").get_json()["webhook_key"]
    payload = json.dumps({"after": "a" * 40}).encode()
    unsigned = anon.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/github/", data=payload,
                         headers={"Content-Type": "application/json", "X-GitHub-Event": "push"})
    forged = anon.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/github/", data=payload,
                       headers={"Content-Type": "application/json", "X-GitHub-Event": "push", "X-Hub-Signature": "sha1=" + "0" * 40})
    assert unsigned.status_code == forged.status_code == 403
    signed = anon.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/github/", data=payload, headers={
        "Content-Type": "application/json", "X-GitHub-Event": "push", "X-GitHub-Delivery": "d-1",
        "X-Hub-Signature": "sha1=" + hmac.new(key.encode(), payload, hashlib.sha1).hexdigest()})
    assert signed.status_code in (201, 202)
    assert api.get("/api/v2/workflow_jobs/").get_json()["count"] == 1


def _plant_secrets(api: t.Any, org: dict[str, t.Any]) -> str:
    """Objects holding every kind of secret; returns the token value shown at its creation."""
    user = api.post("/api/v2/users/", {"username": "alice", "password": SECRETS[0]})
    assert user.status_code == 201
    assert user.get_json().get("password", "$encrypted$") == "$encrypted$"
    credential = api.post("/api/v2/credentials/", {"name": "c", "organization": org["id"], "credential_type": 1,
                                                   "inputs": {"username": "u", "password": SECRETS[1]}})
    assert credential.get_json()["inputs"]["password"] == "$encrypted$"
    wfjt = api.post("/api/v2/workflow_job_templates/", {"name": "wf", "organization": org["id"], "survey_enabled": True}).get_json()
    spec = {"name": "", "description": "", "spec": [{"question_name": "pw", "variable": "pw", "type": "password",
                                                     "required": False, "default": SECRETS[2]}]}
    assert api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/survey_spec/", spec).status_code == 200
    launched = api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/launch/", {"extra_vars": {"pw": SECRETS[3]}})
    assert launched.status_code == 201, launched.get_json()
    token = api.post("/api/v2/users/1/personal_tokens/", {"description": "t", "scope": "write"}).get_json()
    assert len(token["token"]) >= 30  # shown once, at creation
    return t.cast(str, token["token"])


def test_passwords_tokens_and_secrets_are_never_returned(app: MockAWX, api: t.Any, org: dict[str, t.Any]) -> None:
    token = _plant_secrets(api, org)
    store = app.runtime.store
    seen = 0
    for op in _awx_operations(app):
        if op.method != "get" or "stdout" in op.path:
            continue
        collection = op.path.strip("/").split("/")[2] if op.path.count("/") > 3 else ""
        ids = [r["id"] for r in store.all(collection)] if "{id}" in op.path else [None]
        for pk in ids[:20]:
            path = re.sub(r"\{[^}]+\}", str(pk), op.path) if pk is not None else _concrete(op.path)
            text = api.get(path + "?page_size=200").get_data(as_text=True)
            seen += 1
            for secret in (*SECRETS, token):
                assert secret not in text, (path, secret)
    assert seen > 150
    survey = api.get("/api/v2/workflow_job_templates/?name=wf").get_json()["results"][0]["id"]
    assert api.get(f"/api/v2/workflow_job_templates/{survey}/survey_spec/").get_json()["spec"][0]["default"] == "$encrypted$"
    job = api.get("/api/v2/workflow_jobs/").get_json()["results"][0]
    assert json.loads(job["extra_vars"])["pw"] == "$encrypted$"
    assert api.get("/api/v2/tokens/").get_json()["results"][0]["token"] == "************"


def test_comparisons_of_secrets_are_constant_time(api: t.Any, anon: t.Any, app: MockAWX, monkeypatch: pytest.MonkeyPatch,
                                                  org: dict[str, t.Any]) -> None:
    calls: list[int] = []
    real = hmac.compare_digest

    def spy(a: t.Any, b: t.Any) -> bool:
        calls.append(1)
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    checks = {
        "password": lambda: anon.get("/api/v2/me/", headers={"Authorization": "Basic " + base64.b64encode(b"admin:nope").decode()}),
        "session": lambda: (anon.client.set_cookie("awx_sessionid", "abc"), anon.get("/api/v2/me/"))[1],
        "control token": lambda: anon.get("/_mockawx/state/", headers={"X-Mockawx-Control-Token": "guess"}),
    }
    app.runtime.settings.control_token = "right"
    app.runtime.store.meta["sessions"] = {"realsession": 1}
    wfjt = api.post("/api/v2/workflow_job_templates/", {"name": "g", "organization": org["id"], "webhook_service": "gitlab"}).get_json()
    api.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/webhook_key/")
    checks["gitlab token"] = lambda: anon.post(f"/api/v2/workflow_job_templates/{wfjt['id']}/gitlab/", {}, headers={"X-Gitlab-Token": "x"})
    for name, check in checks.items():
        calls.clear()
        assert check().status_code in (401, 403), name
        assert calls, f"the {name} was not compared with hmac.compare_digest"


def test_tokens_are_kept_as_digests_only(app: MockAWX, api: t.Any) -> None:
    token = api.post("/api/v2/users/1/personal_tokens/", {"description": "t", "scope": "write"}).get_json()["token"]
    assert token not in json.dumps(app.runtime.store.all("tokens"), default=str)
    assert "password" not in json.dumps(app.runtime.store.all("users"), default=str).replace("password_digest", "")


def test_control_plane_needs_its_token_when_one_is_set(app: MockAWX, anon: t.Any) -> None:
    app.runtime.settings.control_token = "sekrit"
    control = [op for op in app.runtime.spec.by_id.values() if op.path.startswith("/_mockawx/")]
    for op in control:
        for headers in ({}, {"X-Mockawx-Control-Token": "wrong"}, {"X-Mockawx-Control-Token": ""}, ADMIN):
            response = anon.request(op.method.upper(), op.path, json={} if op.method == "post" else None, headers=headers)
            assert response.status_code == 403, (op.operation_id, headers)
    assert anon.get("/_mockawx/clock/", headers={"X-Mockawx-Control-Token": "sekrit"}).status_code == 200


def test_control_plane_can_be_turned_off(app: MockAWX, anon: t.Any) -> None:
    app.runtime.settings.control_enabled = False
    for op in app.runtime.spec.by_id.values():
        if op.path.startswith("/_mockawx/"):
            response = anon.request(op.method.upper(), op.path, json={} if op.method == "post" else None, headers=ADMIN)
            assert response.status_code == 404, op.operation_id


def test_control_plane_lives_outside_the_awx_namespace(app: MockAWX) -> None:
    for op in app.runtime.spec.by_id.values():
        assert op.operation_id.startswith("mockawx_") == op.path.startswith("/_mockawx/"), op.operation_id
        assert not op.path.startswith("/api/") or not op.operation_id.startswith("mockawx_")


def test_command_line_switches_configure_the_control_plane(monkeypatch: pytest.MonkeyPatch) -> None:
    parse = cli.build_parser().parse_args
    off = cli.prepare(parse(["serve", "--seed", "empty", "--no-control"]))
    assert Client(off.wsgi).get("/_mockawx/clock/").status_code == 404
    monkeypatch.setenv(cli.CONTROL_TOKEN_ENV, "from-env")
    guarded = cli.prepare(parse(["serve", "--seed", "empty"]))
    client = Client(guarded.wsgi)
    assert client.get("/_mockawx/clock/").status_code == 403
    assert client.get("/_mockawx/clock/", headers={"X-Mockawx-Control-Token": "from-env"}).status_code == 200
    explicit = cli.prepare(parse(["serve", "--seed", "empty", "--control-token", "given"]))
    assert explicit.app.runtime.settings.control_token == "given"
    assert explicit.app.runtime.settings.job_duration == 2.0 and explicit.app.runtime.settings.job_start_delay == 0.5


def test_a_fresh_app_has_no_default_control_token() -> None:
    app = create_app(clock=ManualClock())
    assert app.runtime.settings.control_token is None and app.runtime.settings.control_enabled
