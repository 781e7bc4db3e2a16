"""The webhook_key endpoint of workflow job templates."""

from __future__ import annotations

import base64
import typing as t

import pytest

from tests.conftest import ApiClient


@pytest.fixture
def wfjt(api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    response = api.post("/api/v2/workflow_job_templates/", {"name": "wf", "organization": org["id"]})
    assert response.status_code == 201
    return t.cast(dict[str, t.Any], response.get_json())


def key_url(wfjt: dict[str, t.Any]) -> str:
    return f"/api/v2/workflow_job_templates/{wfjt['id']}/webhook_key/"


def test_no_service_means_empty_key(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = api.get(key_url(wfjt))
    assert response.status_code == 200
    assert response.get_json() == {"webhook_key": ""}


def test_rotate_without_service_gives_201_and_a_key(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = api.post(key_url(wfjt), {})
    assert response.status_code == 201
    key = response.get_json()["webhook_key"]
    assert len(key) == 50 and key.isalnum()
    assert api.get(key_url(wfjt)).get_json() == {"webhook_key": key}


def test_service_sets_key_rotate_changes_it_clear_empties_it(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    api.patch(f"/api/v2/workflow_job_templates/{wfjt['id']}/", {"webhook_service": "github"})
    first = api.get(key_url(wfjt)).get_json()["webhook_key"]
    assert len(first) == 50
    rotated = api.post(key_url(wfjt)).get_json()["webhook_key"]
    assert rotated != first
    assert api.get(key_url(wfjt)).get_json()["webhook_key"] == rotated
    api.patch(f"/api/v2/workflow_job_templates/{wfjt['id']}/", {"webhook_service": ""})
    assert api.get(key_url(wfjt)).get_json() == {"webhook_key": ""}


def test_unknown_template_is_404(api: t.Any) -> None:
    response = api.get("/api/v2/workflow_job_templates/999/webhook_key/")
    assert response.status_code == 404
    assert response.get_json() == {"detail": "No WorkflowJobTemplate matches the given query."}


def test_non_admin_gets_403_and_anonymous_401(api: t.Any, app: t.Any, anon: t.Any, wfjt: dict[str, t.Any]) -> None:
    assert api.post("/api/v2/users/", {"username": "bob", "password": "pw"}).status_code == 201
    bob = ApiClient(app, headers={"Authorization": "Basic " + base64.b64encode(b"bob:pw").decode()})
    assert bob.get(key_url(wfjt)).status_code == 403
    assert bob.post(key_url(wfjt)).status_code == 403
    assert anon.get(key_url(wfjt)).status_code == 401


def test_put_is_not_allowed(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = api.put(key_url(wfjt), {})
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST, HEAD, OPTIONS"
