"""Shared fixtures for the mock's own tests: a fresh app and an authenticated client per test."""

from __future__ import annotations

import base64
import os
import typing as t

import pytest
from hypothesis import settings
from werkzeug.test import Client, TestResponse

from mockawx import ManualClock, MockAWX, create_app

# CI replays the same examples every run, so a failure there can be reproduced exactly.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

ADMIN_AUTH = {"Authorization": "Basic " + base64.b64encode(b"admin:password").decode()}


class ApiClient:
    """A werkzeug test client that authenticates as admin and speaks JSON."""

    def __init__(self, app: MockAWX, headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.client = Client(app)
        self.headers = dict(ADMIN_AUTH if headers is None else headers)

    def request(self, method: str, path: str, json: t.Any = None, **kwargs: t.Any) -> TestResponse:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.open(path, method=method, json=json, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: t.Any) -> TestResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json: t.Any = None, **kwargs: t.Any) -> TestResponse:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json: t.Any = None, **kwargs: t.Any) -> TestResponse:
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path: str, json: t.Any = None, **kwargs: t.Any) -> TestResponse:
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: t.Any) -> TestResponse:
        return self.request("DELETE", path, **kwargs)

    def options(self, path: str, **kwargs: t.Any) -> TestResponse:
        return self.request("OPTIONS", path, **kwargs)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def app(clock: ManualClock) -> t.Iterator[MockAWX]:
    application = create_app(clock=clock)
    yield application
    errors = application.runtime.handler_errors
    if errors:
        raise errors[0]


@pytest.fixture
def api(app: MockAWX) -> ApiClient:
    return ApiClient(app)


@pytest.fixture
def anon(app: MockAWX) -> ApiClient:
    return ApiClient(app, headers={})


@pytest.fixture
def org(api: ApiClient) -> dict[str, t.Any]:
    response = api.post("/api/v2/organizations/", {"name": "Default", "description": "Default organization"})
    assert response.status_code == 201, response.get_data(as_text=True)
    return t.cast(dict[str, t.Any], response.get_json())
