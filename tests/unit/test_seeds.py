"""The ``empty`` and ``demo`` seeds: what AWX's migrations and a fresh install hold, and the sample data."""

from __future__ import annotations

import json
import pathlib
import typing as t

import pytest

from mockawx import ManualClock, MockAWX, create_app
from mockawx.auth import issue_token
from mockawx.errors import MockAWXError
from tests.conftest import ApiClient

FRESH = pathlib.Path("/work/shared/golden-fresh-install")


@pytest.fixture(scope="module")
def demo() -> MockAWX:
    return create_app(seed="demo", clock=ManualClock())


def _names(app: MockAWX, kind: str, field: str = "name") -> set[str]:
    return {r[field] for r in app.runtime.store.all(kind)}


def test_empty_seed_is_what_migrations_create() -> None:
    store = create_app(seed="empty").runtime.store
    assert [u["username"] for u in store.all("users")] == ["admin"]
    assert sorted(store.tables["system_job_templates"]) == [1, 2, 4, 5]
    assert sorted(store.tables["schedules"]) == [1, 2, 4, 5]
    assert _names_of(store, "instance_groups") == ["controlplane", "default"]
    assert len(store.all("credential_types")) == 30 and all(c["managed"] for c in store.all("credential_types"))
    assert store.all("organizations") == [] and store.all("credentials") == []


def _names_of(store: t.Any, kind: str) -> list[str]:
    return [r["name"] for r in sorted(store.all(kind), key=lambda r: r["id"])]


@pytest.mark.skipif(not FRESH.exists(), reason="the recorded fresh install is not available")
def test_credential_types_match_the_recorded_install() -> None:
    recorded = json.loads((FRESH / "007_fresh_credential_types.json").read_text())["response"]["body"]["results"]
    api = ApiClient(create_app())
    served = api.get("/api/v2/credential_types/?page_size=200&order_by=id").get_json()["results"]
    keys = ("id", "name", "kind", "namespace", "managed", "inputs", "injectors")
    assert [{k: r[k] for k in keys} for r in served] == [{k: r[k] for k in keys} for r in recorded]


@pytest.mark.parametrize(("kind", "field", "expected"), [
    ("organizations", "name", {"Default"}),
    ("projects", "name", {"Demo Project"}),
    ("inventories", "name", {"Demo Inventory"}),
    ("hosts", "name", {"localhost"}),
    ("credentials", "name", {"Demo Credential", "Ansible Galaxy"}),
    ("job_templates", "name", {"Demo Job Template"}),
    ("users", "username", {"admin"}),
])
def test_demo_holds_the_fresh_install(demo: MockAWX, kind: str, field: str, expected: set[str]) -> None:
    assert expected <= _names(demo, kind, field)


def test_demo_fresh_install_links(demo: MockAWX) -> None:
    store = demo.runtime.store
    default = store.first("organizations", "name", "Default")
    galaxy = store.first("credentials", "name", "Ansible Galaxy")
    template = store.first("job_templates", "name", "Demo Job Template")
    project = store.first("projects", "name", "Demo Project")
    assert default["galaxy_credentials"] == [galaxy["id"]] and galaxy["managed"] is True
    assert (project["id"], template["id"]) == (6, 7)
    assert template["credentials"] == [store.first("credentials", "name", "Demo Credential")["id"]]
    assert template["playbook"] == "hello_world.yml" and project["_playbooks"] == ["hello_world.yml"]


def test_demo_sample_data_is_deterministic(demo: MockAWX) -> None:
    again = create_app(seed="demo", clock=ManualClock())
    for kind in ("organizations", "projects", "inventories", "job_templates", "teams"):
        assert _names(again, kind) == _names(demo, kind)
    assert len(demo.runtime.store.all("organizations")) == 3


def test_demo_workflow_has_four_nodes_with_edges(demo: MockAWX) -> None:
    store = demo.runtime.store
    workflow = store.first("workflow_job_templates", "name", "Deploy Full Stack")
    nodes = {n["identifier"]: n for n in store.find("workflow_job_template_nodes", "workflow_job_template", workflow["id"])}
    assert set(nodes) == {"provision", "deploy", "smoke-test", "rollback"}
    assert nodes["provision"]["success_nodes"] == [nodes["deploy"]["id"]]
    assert nodes["deploy"]["failure_nodes"] == [nodes["rollback"]["id"]]
    assert all(store.get("job_templates", n["unified_job_template"]) for n in nodes.values())


def test_issued_bearer_token_authenticates() -> None:
    app = create_app()
    value, record = issue_token(app.runtime.store, app.runtime.clock, 1, scope="read", description="seeded")
    client = ApiClient(app, headers={"Authorization": f"Bearer {value}"})
    assert client.get("/api/v2/me/").get_json()["results"][0]["username"] == "admin"
    assert record["token"] != value


def test_demo_serves_through_http(demo: MockAWX) -> None:
    api = ApiClient(demo)
    credentials = api.get("/api/v2/credentials/").get_json()
    assert [c["name"] for c in credentials["results"]] == ["Ansible Galaxy", "Demo Credential"]
    assert credentials["results"][0]["summary_fields"]["user_capabilities"]["edit"] is False
    assert credentials["results"][1]["related"]["user"] == "/api/v2/users/1/"
    templates = api.get("/api/v2/unified_job_templates/?name__startswith=Demo").get_json()
    assert {r["type"] for r in templates["results"]} == {"project", "job_template"}


def test_unknown_seed_is_refused() -> None:
    with pytest.raises(MockAWXError, match="unknown seed 'nope'"):
        create_app(seed="nope")
