"""OAuth2 tokens (shown once, usable as Bearer) and the CSRF-protected session login of the awx CLI."""

from __future__ import annotations

import typing as t

from werkzeug.test import Client

CENSORED = "************"


def _personal(api: t.Any, who: str = "admin", **body: t.Any) -> t.Any:
    return api.post(f"/api/v2/users/{who}/personal_tokens/", {"description": "cli", "scope": "write", **body})


def test_personal_token_by_username_is_shown_once_and_works(api: t.Any, anon: t.Any) -> None:
    response = _personal(api)
    body = response.get_json()
    assert response.status_code == 201
    assert response.headers["Location"] == f"/api/v2/tokens/{body['id']}/"
    assert body["type"] == "o_auth2_access_token" and body["user"] == 1 and body["refresh_token"] is None
    assert len(body["token"]) == 30 and body["expires"].startswith("3025-")
    assert api.get(f"/api/v2/tokens/{body['id']}/").get_json()["token"] == CENSORED
    me = anon.get("/api/v2/me/", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.get_json()["results"][0]["username"] == "admin"


def test_bad_scope_is_refused(api: t.Any) -> None:
    response = _personal(api, "1", scope="admin")
    assert response.status_code == 400
    assert response.get_json() == {"scope": ["Must be a simple space-separated string with allowed scopes ['read', 'write']."]}
    assert _personal(api, "1", scope="read read").status_code == 400
    assert _personal(api, "1", scope="read write").status_code == 201


def test_token_list_filter_patch_and_delete(api: t.Any, anon: t.Any) -> None:
    first = _personal(api, description="sup-a").get_json()
    second = _personal(api, "1", description="sup-b").get_json()
    listed = api.get("/api/v2/tokens/?description__startswith=sup").get_json()
    assert [r["id"] for r in listed["results"]] == [first["id"], second["id"]]
    assert {r["token"] for r in listed["results"]} == {CENSORED}
    mine = api.get("/api/v2/users/1/personal_tokens/?description__startswith=sup").get_json()
    assert mine["count"] == 2
    patched = api.patch(f"/api/v2/tokens/{second['id']}/", {"description": "sup-b-patched"}).get_json()
    assert patched["description"] == "sup-b-patched" and patched["token"] == CENSORED
    assert api.delete(f"/api/v2/tokens/{first['id']}/").status_code == 204
    gone = anon.get("/api/v2/me/", headers={"Authorization": f"Bearer {first['token']}"})
    assert gone.status_code == 401
    assert gone.headers["WWW-Authenticate"] == "Bearer realm=api authorization_url=/api/o/authorize/"
    again = api.delete(f"/api/v2/tokens/{first['id']}/")
    assert again.status_code == 404 and again.get_json() == {"detail": "No OAuth2AccessToken matches the given query."}


def test_collection_style_token_via_tokens_endpoint(api: t.Any, anon: t.Any) -> None:
    response = api.post("/api/v2/tokens/", {"description": "ansible", "application": None, "scope": "write"})
    token = response.get_json()
    assert response.status_code == 201 and token["token"] != CENSORED
    assert anon.get("/api/v2/organizations/", headers={"Authorization": f"Bearer {token['token']}"}).status_code == 200


def test_token_for_application_gets_refresh_token(api: t.Any, org: dict[str, t.Any]) -> None:
    app = api.post("/api/v2/applications/", {"name": "app", "organization": org["id"], "authorization_grant_type": "password", "client_type": "confidential"}).get_json()
    token = api.post(f"/api/v2/users/1/tokens/", {"application": app["id"], "scope": "read"}).get_json()
    assert token["application"] == app["id"] and token["refresh_token"] not in (None, CENSORED)
    assert api.get(f"/api/v2/tokens/{token['id']}/").get_json()["refresh_token"] == CENSORED
    summary = api.get(f"/api/v2/applications/{app['id']}/").get_json()["summary_fields"]["tokens"]
    assert summary == {"count": 1, "results": [{"id": token["id"], "token": CENSORED, "scope": "read"}]}
    assert api.post("/api/v2/users/1/tokens/", {"scope": "read"}).get_json() == {"application": ["This field is required."]}


def test_tokens_of_unknown_user_404(api: t.Any) -> None:
    response = api.post("/api/v2/users/nobody/personal_tokens/", {"scope": "write"})
    assert response.status_code == 404


def _login(client: Client, password: str = "password", *, csrf_cookie: bool = True) -> t.Any:
    if csrf_cookie:
        client.get("/api/")
    token = client.get_cookie("csrftoken")
    headers = {"X-CSRFToken": token.value if token else "none", "Referer": "http://testserver/api/login/"}
    return client.post("/api/login/", data={"username": "admin", "password": password, "next": "/api/"}, headers=headers)


def test_session_login_end_to_end(app: t.Any) -> None:
    client = Client(app)
    response = _login(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/api/"
    assert response.headers["X-API-Session-Cookie-Name"] == "awx_sessionid"
    cookies = response.headers.getlist("Set-Cookie")
    assert [c.split("=")[0] for c in cookies] == ["userLoggedIn", "csrftoken", "awx_sessionid"]
    assert "HttpOnly; Max-Age=1800; Path=/; SameSite=Lax" in cookies[2]
    assert all("Secure" not in c for c in cookies)
    me = client.get("/api/v2/me/")
    assert me.status_code == 200 and me.get_json()["results"][0]["username"] == "admin"
    no_csrf = client.post("/api/v2/labels/", json={"name": "x", "organization": 1})
    assert no_csrf.status_code == 403 and no_csrf.get_json() == {"detail": "CSRF Failed: CSRF token missing."}


def test_session_write_with_csrf_header(app: t.Any, api: t.Any, org: dict[str, t.Any]) -> None:
    client = Client(app)
    _login(client)
    token = client.get_cookie("csrftoken")
    assert token is not None
    created = client.post("/api/v2/teams/", json={"name": "via-session", "organization": org["id"]}, headers={"X-CSRFToken": token.value})
    assert created.status_code == 201
    assert created.get_json()["summary_fields"]["created_by"]["username"] == "admin"


def test_login_without_csrf_cookie_is_html_403(app: t.Any) -> None:
    response = _login(Client(app), csrf_cookie=False)
    assert response.status_code == 403
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "CSRF verification failed. Request aborted." in response.get_data(as_text=True)
    assert "requires a CSRF cookie" in response.get_data(as_text=True)


def test_login_with_wrong_password_is_401_form(app: t.Any) -> None:
    client = Client(app)
    response = _login(client, "wrong")
    assert response.status_code == 401
    assert "<form" in response.get_data(as_text=True)
    assert client.get("/api/v2/me/").status_code == 401


def test_login_form_get_sets_csrf_cookie_and_https_marks_secure(app: t.Any) -> None:
    client = Client(app)
    page = client.get("/api/login/")
    assert page.status_code == 200 and "csrfmiddlewaretoken" in page.get_data(as_text=True)
    secure = Client(app).get("/api/login/", base_url="https://testserver")
    assert secure.headers["Set-Cookie"].endswith("SameSite=Lax; Secure")


def test_login_ignores_offsite_next(app: t.Any) -> None:
    client = Client(app)
    client.get("/api/")
    token = client.get_cookie("csrftoken")
    assert token is not None
    response = client.post("/api/login/", data={"username": "admin", "password": "password", "next": "https://evil.example/"}, headers={"X-CSRFToken": token.value})
    assert response.headers["Location"] == "/api/"
