"""Discovery and authentication: the root documents, ping, config, me, and AWX's 401/404/405/301 answers."""

from __future__ import annotations

import httpx

UNAUTHENTICATED = "Authentication credentials were not provided. To establish a login session, visit /api/login/."


def test_api_root_is_public_and_points_to_v2(anon: httpx.Client) -> None:
    body = anon.get("/api/").json()
    assert body["current_version"] == "/api/v2/"
    assert body["available_versions"] == {"v2": "/api/v2/"}
    assert body["description"] == "AWX REST API"


def test_v2_root_lists_the_workflow_collections(anon: httpx.Client) -> None:
    response = anon.get("/api/v2/")
    assert response.status_code == 200
    body = response.json()
    for name in ("workflow_job_templates", "workflow_jobs", "workflow_approvals", "workflow_job_template_nodes", "workflow_job_nodes"):
        assert body[name] == f"/api/v2/{name}/"


def test_ping_is_public(anon: httpx.Client) -> None:
    body = anon.get("/api/v2/ping/").json()
    assert isinstance(body["version"], str) and body["instances"]


def test_config_needs_authentication(anon: httpx.Client, awx: httpx.Client) -> None:
    assert anon.get("/api/v2/config/").status_code == 401
    body = awx.ok(awx.get("/api/v2/config/"))
    assert "version" in body and "license_info" in body


def test_me_is_a_one_item_page(awx: httpx.Client) -> None:
    body = awx.ok(awx.get("/api/v2/me/"))
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    me = body["results"][0]
    assert me["type"] == "user" and me["password"] == "$encrypted$"


def test_unauthenticated_request_gets_401_with_challenge(anon: httpx.Client) -> None:
    response = anon.get("/api/v2/workflow_job_templates/")
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHENTICATED}
    assert response.headers["WWW-Authenticate"] == "Bearer realm=api authorization_url=/api/o/authorize/"
    assert anon.get("/api/v2/me/").status_code == 401


def test_wrong_password_is_treated_as_anonymous(target: object, anon: httpx.Client) -> None:
    response = anon.get("/api/v2/workflow_job_templates/", auth=("admin", "wrong-password-for-contracts"))
    assert response.status_code == 401
    assert response.json() == {"detail": UNAUTHENTICATED}


def test_unknown_api_path_is_404(awx: httpx.Client) -> None:
    # AWX answers an unrouted URL with Django's HTML page (golden 048), not the API's JSON
    assert awx.get("/api/v2/no_such_collection/").status_code == 404
    assert awx.get("/api/v2/workflow_job_templates/abc/").status_code == 404


def test_missing_object_names_its_model(awx: httpx.Client) -> None:
    response = awx.get("/api/v2/workflow_job_templates/999999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No WorkflowJobTemplate matches the given query."}


def test_method_not_allowed_lists_allowed_methods(awx: httpx.Client) -> None:
    response = awx.delete("/api/v2/workflow_job_templates/")
    assert response.status_code == 405
    assert response.json() == {"detail": 'Method "DELETE" not allowed.'}
    assert response.headers["Allow"] == "GET, POST, HEAD, OPTIONS"


def test_missing_trailing_slash_redirects(awx: httpx.Client) -> None:
    response = awx.get("/api/v2/workflow_job_templates", follow_redirects=False)
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/api/v2/workflow_job_templates/")


def test_invalid_json_is_a_parse_error(awx: httpx.Client) -> None:
    response = awx.post("/api/v2/organizations/", content=b"{bad json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("JSON parse error - ")


def test_token_authentication(awx: httpx.Client, anon: httpx.Client, names: object) -> None:
    token = awx.ok(awx.post("/api/v2/users/{}/personal_tokens/".format(awx.ok(awx.get("/api/v2/me/"))["results"][0]["id"]),
                            json={"description": "contract suite", "scope": "read"}), 201)
    assert token["token"] and token["scope"] == "read"
    me = anon.get("/api/v2/me/", headers={"Authorization": f"Bearer {token['token']}"})
    assert me.status_code == 200
    listed = awx.ok(awx.get("/api/v2/tokens/", params={"id": token["id"]}))
    assert listed["count"] == 1 and listed["results"][0]["token"] == "************"
    assert anon.get("/api/v2/me/", headers={"Authorization": "Bearer not-a-real-token"}).status_code == 401
