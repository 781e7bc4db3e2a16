"""Hostile and malformed input: every refusal is an AWX-shaped 4xx and leaves the state exactly as it was."""

from __future__ import annotations

import base64
import json
import time
import typing as t

import pytest
from werkzeug.test import Client, TestResponse

from mockawx import ManualClock, MockAWX, create_app
from mockawx.persist import dump_state
from mockawx.resources._vars import MAX_EXPANDED

AUTH = {"Authorization": "Basic " + base64.b64encode(b"admin:password").decode()}
BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n" for prev, name in zip("abcdefgh", "bcdefghi")
)
SELF_ALIAS = "a: &a [1, *a]\n"


class World:
    """One demo-seeded mock for the module, with the objects the table refers to."""

    def __init__(self) -> None:
        self.app: MockAWX = create_app(seed="demo", clock=ManualClock())
        self.client = Client(self.app)
        self.ids: dict[str, int] = {}
        store = self.app.runtime.store
        self.ids["jt"] = next(r["id"] for r in store.all("job_templates") if r["name"] == "Demo Job Template")
        self.ids["wfjt"] = self.ok("POST", "/api/v2/workflow_job_templates/",
                                   {"name": "target", "organization": 1, "ask_variables_on_launch": True})["id"]
        self.ids["node"] = self.ok("POST", f"/api/v2/workflow_job_templates/{self.ids['wfjt']}/workflow_nodes/",
                                   {"unified_job_template": self.ids["jt"]})["id"]
        self.ids["node2"] = self.ok("POST", f"/api/v2/workflow_job_templates/{self.ids['wfjt']}/workflow_nodes/", {})["id"]
        for name, text in (("bomb", BILLION_LAUGHS), ("loop", SELF_ALIAS)):
            self.ids[name] = self.ok("POST", "/api/v2/workflow_job_templates/",
                                     {"name": name, "organization": 1, "extra_vars": text})["id"]
            self.ids[f"{name}_jt"] = self.ok("POST", "/api/v2/job_templates/", {
                "name": f"{name} jt", "project": store.get("job_templates", self.ids["jt"])["project"],
                "inventory": store.get("job_templates", self.ids["jt"])["inventory"], "playbook": "hello_world.yml",
                "extra_vars": text})["id"]

    def open(self, method: str, path: str, **kwargs: t.Any) -> TestResponse:
        headers = {**AUTH, **kwargs.pop("headers", {})}
        return self.client.open(path.format(**self.ids), method=method, headers=headers, **kwargs)

    def ok(self, method: str, path: str, body: t.Any) -> dict[str, t.Any]:
        response = self.open(method, path, json=body)
        assert response.status_code in (200, 201), response.get_data(as_text=True)
        return t.cast(dict[str, t.Any], response.get_json())

    def state(self) -> dict[str, t.Any]:
        return dump_state(self.app.runtime)

    def refused(self, method: str, path: str, **kwargs: t.Any) -> TestResponse:
        """Send a request that must be refused; check the refusal's shape and that nothing changed."""
        before = self.state()
        started = time.monotonic()
        response = self.open(method, path, **kwargs)
        assert time.monotonic() - started < 5, "a refusal must be quick"
        assert 400 <= response.status_code < 500, (response.status_code, response.get_data(as_text=True)[:300])
        assert_awx_shaped(response)
        assert self.state() == before, "a refused request changed the state"
        assert not self.app.runtime.handler_errors
        return response


def assert_awx_shaped(response: TestResponse) -> None:
    """JSON errors the way AWX writes them; an unmatched URL gets Django's HTML 404 as in AWX."""
    if response.status_code == 404 and response.mimetype == "text/html":
        assert "Not Found" in response.get_data(as_text=True)
        return
    assert response.mimetype == "application/json", response.mimetype
    body = response.get_json()
    assert isinstance(body, dict) and body, body
    for key, value in body.items():
        if key in ("detail", "error", "Error", "msg"):
            assert isinstance(value, (str, dict, list)), body
        else:
            assert isinstance(value, (list, dict)) and value, body


@pytest.fixture(scope="module")
def world() -> World:
    return World()


JSON = {"Content-Type": "application/json"}
WFJTS = "/api/v2/workflow_job_templates/"
WFJT = "/api/v2/workflow_job_templates/{wfjt}/"
LAUNCH = "/api/v2/workflow_job_templates/{wfjt}/launch/"
NODES = "/api/v2/workflow_job_templates/{wfjt}/workflow_nodes/"
EDGE = "/api/v2/workflow_job_template_nodes/{node}/success_nodes/"
PARSE = "JSON parse error - "

# (case id, method, path, request keyword arguments, status, expected body: exact dict or a prefix of "detail")
TABLE: list[tuple[str, str, str, dict[str, t.Any], int, t.Any]] = [
    ("malformed-json-create", "POST", WFJTS, {"data": b'{"name": "x",', "headers": JSON}, 400, PARSE),
    ("malformed-json-patch", "PATCH", WFJT, {"data": b"{name: x}", "headers": JSON}, 400, PARSE),
    ("malformed-json-launch", "POST", LAUNCH, {"data": b"{]", "headers": JSON}, 400, PARSE),
    ("malformed-json-associate", "POST", EDGE, {"data": b"{'id': 1}", "headers": JSON}, 400, PARSE),
    ("trailing-comma", "POST", WFJTS, {"data": b'{"name": "x",}', "headers": JSON}, 400, PARSE),
    ("invalid-utf8", "POST", WFJTS, {"data": b'{"name": "\xff\xfe"}', "headers": JSON}, 400, PARSE),
    ("json-array", "POST", WFJTS, {"json": [{"name": "x"}]}, 400, {"detail": "JSON parse error - not a JSON object"}),
    ("json-string", "PATCH", WFJT, {"json": "name"}, 400, {"detail": "JSON parse error - not a JSON object"}),
    ("json-number", "POST", NODES, {"json": 7}, 400, {"detail": "JSON parse error - not a JSON object"}),
    ("json-null-launch", "POST", LAUNCH, {"data": b"null", "headers": JSON}, 400, {"detail": "JSON parse error - not a JSON object"}),
    ("text-plain", "POST", WFJTS, {"data": b'{"name": "x", "organization": 1}', "headers": {"Content-Type": "text/plain"}},
     415, {"detail": 'Unsupported media type "text/plain" in request.'}),
    ("xml", "PATCH", WFJT, {"data": b"<name>x</name>", "headers": {"Content-Type": "application/xml"}},
     415, {"detail": 'Unsupported media type "application/xml" in request.'}),
    ("empty-body-create", "POST", WFJTS, {"data": b"", "headers": JSON}, 400, {"name": ["This field is required."]}),
    ("empty-object-create", "POST", WFJTS, {"json": {}}, 400, {"name": ["This field is required."]}),
    ("name-too-long", "POST", WFJTS, {"json": {"name": "x" * 513, "organization": 1}}, 400,
     {"name": ["Ensure this field has no more than 512 characters."]}),
    ("name-blank", "PATCH", WFJT, {"json": {"name": ""}}, 400, {"name": ["This field may not be blank."]}),
    ("name-null", "PATCH", WFJT, {"json": {"name": None}}, 400, {"name": ["This field may not be null."]}),
    ("nul-in-name", "POST", WFJTS, {"json": {"name": "a\u0000b", "organization": 1}}, 400, {"name": ["Null characters are not allowed."]}),
    ("nul-in-description", "PATCH", WFJT, {"json": {"description": "\u0000"}}, 400, {"description": ["Null characters are not allowed."]}),
    ("name-object", "POST", WFJTS, {"json": {"name": {"a": 1}, "organization": 1}}, 400, {"name": ["Not a valid string."]}),
    ("bool-garbage", "PATCH", WFJT, {"json": {"allow_simultaneous": "maybe"}}, 400, {"allow_simultaneous": ["Must be a valid boolean."]}),
    ("fk-zero", "PATCH", WFJT, {"json": {"organization": 0}}, 400, {"organization": ['Invalid pk "0" - object does not exist.']}),
    ("fk-negative", "PATCH", WFJT, {"json": {"organization": -1}}, 400, {"organization": ['Invalid pk "-1" - object does not exist.']}),
    ("fk-huge", "PATCH", WFJT, {"json": {"organization": 10**20}}, 400,
     {"organization": [f'Invalid pk "{10**20}" - object does not exist.']}),
    ("fk-text", "PATCH", WFJT, {"json": {"organization": "abc"}}, 400, {"organization": ["Incorrect type. Expected pk value, received str."]}),
    ("fk-list", "PATCH", WFJT, {"json": {"organization": [1]}}, 400, {"organization": ["Incorrect type. Expected pk value, received list."]}),
    ("edge-to-missing-node", "POST", EDGE, {"json": {"id": 10**12}}, 400, None),
    ("edge-id-text", "POST", EDGE, {"json": {"id": "abc"}}, 400, None),
    ("edge-id-negative", "POST", EDGE, {"json": {"id": -1}}, 400, None),
    ("id-zero", "GET", "/api/v2/workflow_job_templates/0/", {}, 404, {"detail": "No WorkflowJobTemplate matches the given query."}),
    ("id-huge-patch", "PATCH", f"/api/v2/workflow_job_templates/{10**20}/", {"json": {"name": "x"}}, 404,
     {"detail": "No WorkflowJobTemplate matches the given query."}),
    ("id-zero-delete", "DELETE", "/api/v2/workflow_job_template_nodes/0/", {}, 404, None),
    ("id-negative", "DELETE", "/api/v2/workflow_job_templates/-1/", {}, 404, None),
    ("id-text", "PATCH", "/api/v2/workflow_job_templates/abc/", {"json": {"name": "x"}}, 404, None),
    ("id-float", "GET", "/api/v2/workflow_jobs/1.5/", {}, 404, None),
    ("launch-missing", "POST", "/api/v2/workflow_job_templates/0/launch/", {"json": {}}, 404, None),
    ("unknown-order-by", "GET", WFJTS + "?order_by=bogus_field", {}, 400, {"detail": "WorkflowJobTemplate has no field named 'bogus_field'"}),
    ("unknown-order-by-desc", "GET", WFJTS + "?order_by=-nope,name", {}, 400, {"detail": "WorkflowJobTemplate has no field named 'nope'"}),
    ("unknown-filter", "GET", WFJTS + "?bogus__in=1", {}, 400, None),
    ("page-zero", "GET", WFJTS + "?page=0", {}, 404, {"detail": "Invalid page."}),
    ("page-text", "GET", WFJTS + "?page=abc", {}, 404, {"detail": "Invalid page."}),
    ("page-beyond", "GET", WFJTS + "?page=99999999999", {}, 404, {"detail": "Invalid page."}),
    ("extra-vars-not-a-mapping", "PATCH", WFJT, {"json": {"extra_vars": "- just\n- a list"}}, 400, None),
    ("extra-vars-deep-text", "PATCH", WFJT, {"json": {"extra_vars": "[" * 100_000 + "]" * 100_000}}, 400, None),
    ("body-deeply-nested", "POST", WFJTS, {"data": b'{"name": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "headers": JSON}, 400, PARSE),
    ("launch-deep-extra-vars", "POST", LAUNCH, {"data": b'{"extra_vars": ' + b'{"a":' * 50_000 + b"1" + b"}" * 50_000 + b"}",
                                                "headers": JSON}, 400, PARSE),
    ("launch-bomb-in-template", "POST", "/api/v2/workflow_job_templates/{bomb}/launch/", {"json": {}}, 400, "extra_vars"),
    ("launch-self-alias-in-template", "POST", "/api/v2/workflow_job_templates/{loop}/launch/", {"json": {}}, 400, "extra_vars"),
    ("launch-bomb-in-body", "POST", LAUNCH, {"json": {"extra_vars": BILLION_LAUGHS}}, 400, "extra_vars"),
    ("jt-launch-bomb-in-template", "POST", "/api/v2/job_templates/{bomb_jt}/launch/", {"json": {}}, 400, "extra_vars"),
    ("jt-launch-self-alias", "POST", "/api/v2/job_templates/{loop_jt}/launch/", {"json": {}}, 400, "extra_vars"),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "status", "expected"),
                         [case[1:] for case in TABLE], ids=[case[0] for case in TABLE])
def test_refused_without_a_trace(world: World, method: str, path: str, kwargs: dict[str, t.Any], status: int, expected: t.Any) -> None:
    response = world.refused(method, path, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    body = response.get_json() if response.mimetype == "application/json" else None
    if isinstance(expected, dict):
        assert body == expected
    elif expected == "extra_vars":
        assert list(body) == ["extra_vars"] and "YAML aliases" in body["extra_vars"][0]
        assert str(MAX_EXPANDED) in body["extra_vars"][0]
    elif isinstance(expected, str):
        assert body["detail"].startswith(expected), body


def test_yaml_bomb_is_stored_verbatim_and_never_expanded(world: World) -> None:
    started = time.monotonic()
    stored = world.open("GET", "/api/v2/workflow_job_templates/{bomb}/").get_json()
    assert stored["extra_vars"] == BILLION_LAUGHS
    info = world.open("GET", "/api/v2/workflow_job_templates/{bomb}/launch/").get_json()
    assert info["defaults"]["extra_vars"] == BILLION_LAUGHS
    assert world.open("GET", "/api/v2/job_templates/{bomb_jt}/").get_json()["extra_vars"] == BILLION_LAUGHS
    assert time.monotonic() - started < 2


def test_small_aliases_still_launch(world: World) -> None:
    text = "base: &b {region: eu, size: 3}\nweb: *b\ndb: *b\n"
    wfjt = world.ok("POST", "/api/v2/workflow_job_templates/", {"name": "aliases", "organization": 1, "extra_vars": text})
    job = world.ok("POST", f"/api/v2/workflow_job_templates/{wfjt['id']}/launch/", {})
    assert json.loads(job["extra_vars"])["db"] == {"region": "eu", "size": 3}


def test_unicode_round_trips(world: World) -> None:
    name = "Ünïcødé ✓ 🚀 日本語 \u202e ‮"
    created = world.ok("POST", "/api/v2/workflow_job_templates/", {"name": name, "organization": 1, "description": "🙂" * 1000})
    again = world.open("GET", f"/api/v2/workflow_job_templates/{created['id']}/").get_json()
    assert again["name"] == name and again["description"] == "🙂" * 1000


def test_deeply_nested_but_parseable_extra_vars_are_kept(world: World) -> None:
    nested: t.Any = "leaf"
    for _ in range(200):
        nested = {"n": nested}
    created = world.ok("POST", "/api/v2/workflow_job_templates/", {"name": "nested", "organization": 1, "extra_vars": json.dumps({"v": nested})})
    assert json.loads(created["extra_vars"]) == {"v": nested}


@pytest.mark.parametrize("page_size, shown", [("0", 25), ("-1", 25), ("abc", 25), ("99999999999999999999", 200), ("201", 200)])
def test_page_size_out_of_range_falls_back_or_caps(world: World, page_size: str, shown: int) -> None:
    response = world.open("GET", f"/api/v2/roles/?page_size={page_size}")
    assert response.status_code == 200
    body = response.get_json()
    assert len(body["results"]) == min(shown, body["count"])


def test_body_over_the_configured_limit_is_413(world: World) -> None:
    settings = world.app.runtime.settings
    saved = settings.max_body_bytes
    settings.max_body_bytes = 64 * 1024
    try:
        body = json.dumps({"name": "big", "organization": 1, "description": "x" * (65 * 1024)}).encode()
        response = world.refused("POST", WFJTS, data=body, headers=JSON)
        assert response.status_code == 413 and response.get_json() == {"detail": "Request body is too large."}
    finally:
        settings.max_body_bytes = saved


def test_default_limit_takes_what_awx_took_and_refuses_far_more(world: World) -> None:
    three_mb = "d" * (3 * 1024 * 1024)  # AWX 24.6.1 stored a 3 MB description
    created = world.ok("POST", "/api/v2/workflow_job_templates/", {"name": "3mb", "organization": 1, "description": three_mb})
    assert len(created["description"]) == len(three_mb)
    huge = b'{"name": "huge", "organization": 1, "description": "' + b"d" * (world.app.runtime.settings.max_body_bytes + 1) + b'"}'
    assert world.refused("POST", WFJTS, data=huge, headers=JSON).status_code == 413


def _patch_targets() -> list[str]:
    app = create_app(seed="demo", clock=ManualClock())
    store = app.runtime.store
    found = []
    for op in app.runtime.spec.by_id.values():
        parts = op.path.strip("/").split("/")
        if (op.operation_id.endswith("_partial_update") and op.request_schema and len(parts) == 4
                and parts[3] == "{id}" and store.all(parts[2])):
            found.append(op.operation_id)
    return sorted(found)


def _wrong_values(prop: dict[str, t.Any]) -> list[t.Any]:
    kinds = prop.get("type", [])
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    if "x-foreign-key" in prop or "integer" in kinds:
        return ["abc", {"a": 1}, 1.5, True]
    if "boolean" in kinds:
        return ["maybe", [1], 7]
    if "string" in kinds:
        return [{"a": 1}, [1, 2], True]
    if "array" in kinds:
        return ["text", {"a": 1}, 5]
    if "object" in kinds:
        return [[1], 5, "["]
    return [{"deep": [{"x": None}]}]


@pytest.mark.parametrize("operation_id", _patch_targets())
def test_every_field_with_a_wrong_type(world: World, operation_id: str) -> None:
    operation = world.app.runtime.spec.by_id[operation_id]
    collection = operation.path.strip("/").split("/")[2]
    pk = min(r["id"] for r in world.app.runtime.store.all(collection))
    path = operation.path.replace("{id}", str(pk))
    refused = 0
    for field, prop in (operation.request_schema or {}).get("properties", {}).items():
        for value in _wrong_values(prop):
            before = world.state()
            response = world.open("PATCH", path, json={field: value})
            assert response.status_code < 500, (field, value, response.get_data(as_text=True)[:300])
            assert not world.app.runtime.handler_errors
            if response.status_code >= 400:
                refused += 1
                assert_awx_shaped(response)
                assert world.state() == before, (field, value, "a refused request changed the state")
    assert refused > 0


@pytest.mark.parametrize("operation_id", _patch_targets())
def test_over_long_strings_are_refused_at_awx_max_length(world: World, operation_id: str) -> None:
    operation = world.app.runtime.spec.by_id[operation_id]
    collection = operation.path.strip("/").split("/")[2]
    pk = min(r["id"] for r in world.app.runtime.store.all(collection))
    limited = {f: p["maxLength"] for f, p in (operation.request_schema or {}).get("properties", {}).items() if "maxLength" in p}
    if not limited:
        pytest.skip("no field with a maximum length")
    for field, limit in limited.items():
        response = world.refused("PATCH", operation.path.replace("{id}", str(pk)), json={field: "y" * (limit + 1)})
        assert response.get_json()[field] == [f"Ensure this field has no more than {limit} characters."]


def test_odd_ids_on_every_detail_route(world: World) -> None:
    """Zero, negative, huge, textual and fractional ids: a 404 (or 405), never a 5xx, nothing changed."""
    before = world.state()
    checked = 0
    for op in world.app.runtime.spec.by_id.values():
        if "{id}" not in op.path or op.path.startswith("/_mockawx"):
            continue
        for odd in ("0", "-1", str(10**20), "abc", "1.5", "%00"):
            body = {"json": {}} if op.method in ("post", "put", "patch") else {}
            response = world.open(op.method.upper(), op.path.replace("{id}", odd), **body)
            assert response.status_code in (400, 403, 404, 405), (op.operation_id, odd, response.status_code)
            assert_awx_shaped(response)
            checked += 1
    assert world.state() == before
    assert checked > 500
