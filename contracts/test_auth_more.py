"""Session login through /api/login/ (what the awx CLI does without a token), the subscription endpoints of
/api/v2/config/, the activity streams of applications and tokens, and the mock's reset."""

from __future__ import annotations

import typing as t

import httpx
import pytest

import mockawx
from contracts.client import Awx, Target

PASSWORD = "Contract-pass-1"


def _login(client: httpx.Client, username: str, password: str, csrf: str | None) -> httpx.Response:
    headers = {"Referer": f"{client.base_url}/api/login/", **({"X-CSRFToken": csrf} if csrf else {})}
    return client.post("/api/login/", data={"username": username, "password": password, "next": "/api/"}, headers=headers,
                       follow_redirects=False)


def test_login_form_and_session(awx: t.Any, anon: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    user = awx.ok(awx.post(f"/api/v2/organizations/{organization['id']}/users/",
                           json={"username": names("login"), "password": PASSWORD}), 201)
    refused = _login(anon, user["username"], PASSWORD, "x" * 32)
    assert refused.status_code == 403 and "CSRF verification failed. Request aborted." in refused.text
    form = anon.get("/api/login/")
    assert form.status_code == 200 and form.headers["content-type"].startswith("text/html")
    assert 'name="username"' in form.text and 'name="password"' in form.text
    assert anon.get("/api/").status_code == 200  # sets the csrftoken cookie, as the CLI does
    csrf = anon.cookies.get("csrftoken")
    assert csrf
    with anon.unchecked():  # the description documents this 401 as JSON; AWX re-renders the HTML form
        wrong = _login(anon, user["username"], "not-the-password", csrf)
    assert wrong.status_code == 401 and wrong.headers["content-type"].startswith("text/html") and 'name="password"' in wrong.text
    done = _login(anon, user["username"], PASSWORD, csrf)
    assert done.status_code == 302 and done.headers["Location"] == "/api/"
    assert done.headers["X-API-Session-Cookie-Name"] == "awx_sessionid" and anon.cookies.get("awx_sessionid")
    me = anon.get("/api/v2/me/")
    assert me.status_code == 200 and me.json()["results"][0]["username"] == user["username"]
    unsafe = anon.post("/api/v2/labels/", json={"name": names("label"), "organization": organization["id"]})
    assert unsafe.status_code == 403 and unsafe.json() == {"detail": "CSRF Failed: CSRF token missing."}


@pytest.mark.mock_only
def test_config_subscription_post_and_delete(awx: t.Any, anon: t.Any, superuser: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    license_info = awx.ok(awx.get("/api/v2/config/"))["license_info"]
    assert awx.ok(awx.post("/api/v2/config/", json={})) == license_info
    legacy = awx.post("/api/v2/config/", json={"license_key": "0123"})
    assert legacy.status_code == 400
    assert legacy.json() == {"error": "Legacy license submitted. A subscription manifest is now required."}
    user = awx.ok(awx.post(f"/api/v2/organizations/{organization['id']}/users/",
                           json={"username": names("plain"), "password": PASSWORD}), 201)
    for method in ("POST", "DELETE"):
        denied = anon.request(method, "/api/v2/config/", json={}, auth=(user["username"], PASSWORD))
        assert denied.status_code == 403
        assert denied.json() == {"detail": "You do not have permission to perform this action."}
    removed = awx.delete("/api/v2/config/")
    assert (removed.status_code, removed.content) == (204, b"")
    assert awx.ok(awx.get("/api/v2/config/"))["license_info"] == license_info  # an open install keeps its license


def test_application_and_token_activity_streams(awx: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    app = awx.ok(awx.post("/api/v2/applications/", json={"name": names("app"), "organization": organization["id"],
                                                         "client_type": "confidential", "authorization_grant_type": "password"}), 201)
    token = awx.ok(awx.post("/api/v2/tokens/", json={"description": "contract", "scope": "read"}), 201)
    app_stream = awx.ok(awx.get(f"{app['url']}activity_stream/"))["results"]
    token_stream = awx.ok(awx.get(f"{token['url']}activity_stream/"))["results"]
    assert [(e["operation"], e["object1"]) for e in app_stream] == [("create", "o_auth2_application")]
    assert [(e["operation"], e["object1"]) for e in token_stream] == [("create", "o_auth2_access_token")]


@pytest.mark.mock_only
def test_reset_returns_a_separate_mock_to_its_seed(awx: t.Any, target: Target) -> None:
    # a throwaway app: resetting the shared one would wipe every other test's objects
    options = {"transport": httpx.WSGITransport(app=mockawx.create_app(seed="demo")), "base_url": "http://mock", "auth": ("admin", "password")}
    scratch = Target(client=None, is_mock=True, manual_clock=True, options=options)  # type: ignore[arg-type]
    with Awx(scratch, **options) as client:
        scratch.client = client
        client.recorder = awx.recorder  # its calls count for this test's coverage
        seeded = client.ok(client.get("/api/v2/organizations/"))["count"]
        org = client.ok(client.post("/api/v2/organizations/", json={"name": "scratch"}), 201)
        reset = client.post("/_mockawx/reset/")
        assert (reset.status_code, reset.content) == (204, b"")
        assert client.get(org["url"]).status_code == 404
        assert client.ok(client.get("/api/v2/organizations/"))["count"] == seeded
