"""The polymorphic lists: unified job templates and unified jobs, each item in its own kind's form."""

from __future__ import annotations

import typing as t

import pytest

from mockawx import ManualClock, create_app
from tests.conftest import ApiClient


@pytest.fixture
def demo(clock: ManualClock) -> t.Iterator[ApiClient]:
    application = create_app(clock=clock, seed="demo")
    yield ApiClient(application)
    if application.runtime.handler_errors:
        raise application.runtime.handler_errors[0]


def test_unified_job_templates_of_a_fresh_install(api: ApiClient) -> None:
    page = api.get("/api/v2/unified_job_templates/").get_json()
    assert [(r["id"], r["type"]) for r in page["results"]] == [
        (2, "system_job_template"), (5, "system_job_template"), (4, "system_job_template"), (1, "system_job_template"),
    ]
    assert page["results"][0]["url"] == "/api/v2/system_job_templates/2/"
    assert page["results"][0]["status"] == "ok"


def test_type_filter_and_own_serializer(demo: ApiClient) -> None:
    page = demo.get("/api/v2/unified_job_templates/?type=workflow_job_template").get_json()
    assert page["count"] == 1
    workflow = page["results"][0]
    assert workflow["name"] == "Deploy Full Stack" and workflow["url"].startswith("/api/v2/workflow_job_templates/")
    assert workflow["extra_vars"] == "---\nenv: production"
    assert "named_url" not in workflow["related"]
    both = demo.get("/api/v2/unified_job_templates/?type=project,system_job_template&page_size=50").get_json()
    assert {r["type"] for r in both["results"]} == {"project", "system_job_template"}


def test_name_filter_order_and_paging(demo: ApiClient) -> None:
    page = demo.get("/api/v2/unified_job_templates/?name__startswith=Demo&order_by=id").get_json()
    assert [(r["name"], r["type"]) for r in page["results"]] == [("Demo Project", "project"), ("Demo Job Template", "job_template")]
    small = demo.get("/api/v2/unified_job_templates/?type=system_job_template&page_size=2&order_by=-id").get_json()
    assert [r["id"] for r in small["results"]] == [5, 4]
    assert small["next"] == "/api/v2/unified_job_templates/?order_by=-id&page=2&page_size=2&type=system_job_template"


def test_bad_filter_field_is_400(api: ApiClient) -> None:
    response = api.get("/api/v2/unified_job_templates/?bogus=1")
    assert response.status_code == 400
    assert response.get_json() == {"detail": "UnifiedJobTemplate has no field named 'bogus'"}


def test_unified_jobs_list_jobs_of_every_kind(demo: ApiClient) -> None:
    assert demo.get("/api/v2/unified_jobs/").get_json()["count"] == 0
    workflow = demo.get("/api/v2/workflow_job_templates/?name=Deploy%20Full%20Stack").get_json()["results"][0]
    launched = demo.post(f"/api/v2/workflow_job_templates/{workflow['id']}/launch/", {}).get_json()
    template = demo.get("/api/v2/job_templates/?name=Demo%20Job%20Template").get_json()["results"][0]
    job = demo.post(f"/api/v2/job_templates/{template['id']}/launch/", {}).get_json()
    page = demo.get("/api/v2/unified_jobs/?order_by=id").get_json()
    listed = [(r["id"], r["type"]) for r in page["results"]]
    assert (launched["id"], "workflow_job") in listed and (job["id"], "job") in listed
    only_jobs = demo.get("/api/v2/unified_jobs/?type=job&name=Demo%20Job%20Template").get_json()
    assert [r["url"] for r in only_jobs["results"]] == [f"/api/v2/jobs/{job['id']}/"]
    assert demo.get("/api/v2/unified_jobs/?failed=true").get_json()["count"] == 0


def test_unified_lists_are_read_only(api: ApiClient, anon: ApiClient) -> None:
    refused = api.post("/api/v2/unified_job_templates/", {})
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert api.post("/api/v2/unified_jobs/", {}).status_code == 405
    assert anon.get("/api/v2/unified_jobs/").status_code == 401
    assert api.get("/api/v2/unified_job_templates/1/").status_code == 404
