"""Every OPTIONS answer AWX 24.6.1 recorded is what the mock answers, body for body."""

from __future__ import annotations

import base64
import json
import pathlib
import re
import typing as t

import pytest
from werkzeug.test import Client, TestResponse

from mockawx import MockAWX, create_app
from mockawx.store import SEQUENCE_GROUPS

SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared"
RECORDINGS = sorted(
    path for path in SHARED.glob("golden*/*.json")
    if json.loads(path.read_text(encoding="utf-8")).get("request", {}).get("method") == "OPTIONS"
)
PASSWORD = "pass-Word-1"

# Recordings the mock deliberately answers differently.
SKIP = {
    "golden-supporting/082_instance_groups_options.json":
        "AWX 24.6.1 fails with an HTML 500 here (a defect); the mock answers 200 with the intended metadata",
    "golden-supporting/083_instance_group_options_detail_1.json":
        "AWX 24.6.1 fails with an HTML 500 here (a defect); the mock answers 200 with the intended metadata",
}
ADMIN = {"Authorization": "Basic " + base64.b64encode(b"admin:password").decode(), "Accept": "application/json"}


def _cases() -> list[t.Any]:
    cases = []
    for path in RECORDINGS:
        name = str(path.relative_to(SHARED))
        marks = []
        if name in SKIP:
            marks.append(pytest.mark.skip(reason=SKIP[name]))
        cases.append(pytest.param(path, id=name, marks=marks))
    return cases


class Setup:
    """Creates, over HTTP as admin, what a recording's path refers to (with the recorded id)."""

    def __init__(self, app: MockAWX) -> None:
        self.app = app
        self.client = Client(app)

    def call(self, method: str, path: str, body: t.Any = None, headers: dict[str, str] | None = None) -> TestResponse:
        return self.client.open(path, method=method, json=body, headers=headers or ADMIN)

    def create(self, path: str, body: dict[str, t.Any], *, kind: str | None = None,
               pk: int | None = None) -> dict[str, t.Any]:
        """POST ``body``; with ``pk``, the new object gets exactly that id (as in the recording)."""
        if pk is not None and kind is not None:
            self.app.runtime.store.sequences[SEQUENCE_GROUPS.get(kind, kind)] = pk - 1
        response = self.call("POST", path, body)
        assert response.status_code == 201, response.get_data(as_text=True)
        created = t.cast(dict[str, t.Any], response.get_json())
        assert pk is None or created["id"] == pk
        return created

    def org(self) -> int:
        return self.create("/api/v2/organizations/", {"name": "options-org"})["id"]

    def ensure(self, kind: str, pk: int) -> None:
        """Make ``/api/v2/<kind>/<pk>/`` exist."""
        if self.call("GET", f"/api/v2/{kind}/{pk}/").status_code == 200:
            return
        if kind == "organizations":
            self.create("/api/v2/organizations/", {"name": "o"}, kind=kind, pk=pk)
        elif kind in ("teams", "labels", "inventories"):
            self.create(f"/api/v2/{kind}/", {"name": "x", "organization": self.org()}, kind=kind, pk=pk)
        elif kind == "notification_templates":
            body = {"name": "nt", "organization": self.org(), "notification_type": "webhook",
                    "notification_configuration": {"url": "https://example.com/hook", "headers": {}}}
            self.create("/api/v2/notification_templates/", body, kind=kind, pk=pk)
        elif kind == "tokens":
            self.create("/api/v2/tokens/", {"scope": "write"}, kind=kind, pk=pk)
        elif kind == "workflow_job_templates":
            self.create("/api/v2/workflow_job_templates/", {"name": f"wf-{pk}"}, kind=kind, pk=pk)
        elif kind == "schedules":
            wf = self.create("/api/v2/workflow_job_templates/", {"name": "scheduled"})
            body = {"name": "s", "rrule": "DTSTART:20300101T000000Z RRULE:FREQ=DAILY;INTERVAL=1"}
            self.create(f"/api/v2/workflow_job_templates/{wf['id']}/schedules/", body, kind=kind, pk=pk)
        else:
            raise AssertionError(f"no setup for {kind}")

    def governance(self, wfjt: int) -> dict[str, dict[str, str]]:
        """The recorded governance cast around one WFJT; their Basic auth headers by name."""
        org = self.org()
        self.create("/api/v2/workflow_job_templates/", {"name": "gov", "organization": org},
                    kind="workflow_job_templates", pk=wfjt)
        roles = self.call("GET", f"/api/v2/workflow_job_templates/{wfjt}/").get_json()["summary_fields"]["object_roles"]
        team = self.create("/api/v2/teams/", {"name": "gov-team", "organization": org})
        member = team["summary_fields"]["object_roles"]["member_role"]["id"]
        users = {}
        for name in ("alice", "bob", "carol", "dave", "erin", "frank"):
            users[name] = self.create("/api/v2/users/", {"username": name, "password": PASSWORD})["id"]
        grants = [
            (f"/api/v2/users/{users['alice']}/roles/", roles["read_role"]["id"]),
            (f"/api/v2/users/{users['bob']}/roles/", roles["execute_role"]["id"]),
            (f"/api/v2/users/{users['carol']}/roles/", roles["admin_role"]["id"]),
            (f"/api/v2/teams/{team['id']}/roles/", roles["approval_role"]["id"]),
            (f"/api/v2/users/{users['dave']}/roles/", member),
        ]
        links = [
            (f"/api/v2/organizations/{org}/users/", users["erin"]),
            (f"/api/v2/organizations/{org}/admins/", users["frank"]),
        ]
        for path, pk in grants + links:
            response = self.call("POST", path, {"id": pk})
            assert response.status_code == 204, (path, response.get_data(as_text=True))
        return {name: {"Authorization": "Basic " + base64.b64encode(f"{name}:{PASSWORD}".encode()).decode(),
                       "Accept": "application/json"} for name in users}


def _normalised(body: t.Any) -> t.Any:
    """AWX emits related_search_fields in set order: compare it as a set."""
    if isinstance(body, dict) and "related_search_fields" in body:
        body = {**body, "related_search_fields": sorted(body["related_search_fields"])}
    return body


@pytest.mark.parametrize("recording", _cases())
def test_options_matches_awx(recording: pathlib.Path) -> None:
    record = json.loads(recording.read_text(encoding="utf-8"))
    name = str(recording.relative_to(SHARED))
    path = record["request"]["path"]
    expected = record["response"]
    app = create_app()
    setup = Setup(app)
    headers = ADMIN
    actor = re.search(r"_as_([a-z]+)_", recording.name)
    detail = re.fullmatch(r"/api/v2/(\w+)/(\d+)/", path)
    if actor:
        headers = setup.governance(int(detail.group(2)) if detail else 0)[actor.group(1)]
    elif detail and expected["status"] != 200:
        pass
    elif detail and "PUT" in expected["body"].get("actions", {}):
        setup.ensure(detail.group(1), int(detail.group(2)))
    elif detail and "PUT" in app.runtime.spec.by_path.get(f"/api/v2/{detail.group(1)}/{{id}}/", {}):
        # AWX answered for an object that did not exist (no PUT): the mock must not have it either
        assert setup.call("GET", path).status_code == 404

    response = setup.call("OPTIONS", path, headers=headers)

    assert response.status_code == expected["status"]
    if expected["status"] != 200:
        assert response.mimetype == "text/html"
        return
    assert response.headers["Allow"] == expected["headers"]["Allow"]
    assert _normalised(response.get_json()) == _normalised(expected["body"])
    assert list(response.get_json()) == list(expected["body"])
    assert app.runtime.handler_errors == []
