"""Pagination, filtering, searching and ordering of lists, and OPTIONS metadata."""

from __future__ import annotations

import typing as t

import pytest

WFJT = "/api/v2/workflow_job_templates/"


@pytest.fixture
def three(make: t.Any, names: t.Any) -> tuple[str, list[dict[str, t.Any]]]:
    stem = names("list")
    made = [make.wfjt(name=f"{stem}-{suffix}", description=f"item {suffix}") for suffix in ("c", "a", "b")]
    return stem, made


def test_pagination_links_are_relative(awx: t.Any, three: t.Any) -> None:
    stem, _ = three
    first = awx.ok(awx.get(WFJT, params={"name__startswith": stem, "page_size": 2}))
    assert first["count"] == 3 and len(first["results"]) == 2 and first["previous"] is None
    assert first["next"].startswith(WFJT + "?") and "page=2" in first["next"]
    second = awx.ok(awx.get(first["next"]))
    assert len(second["results"]) == 1 and second["next"] is None
    assert second["previous"].startswith(WFJT + "?")
    beyond = awx.get(WFJT, params={"name__startswith": stem, "page": 999})
    assert beyond.status_code == 404 and beyond.json() == {"detail": "Invalid page."}


def test_page_size_is_capped_at_200(awx: t.Any, three: t.Any) -> None:
    stem, _ = three
    page = awx.ok(awx.get(WFJT, params={"name__startswith": stem, "page_size": 1000}))
    assert len(page["results"]) == 3


def test_ordering_default_and_explicit(awx: t.Any, three: t.Any) -> None:
    stem, _ = three
    names = lambda **p: [r["name"] for r in awx.ok(awx.get(WFJT, params={"name__startswith": stem, **p}))["results"]]  # noqa: E731
    assert names() == [f"{stem}-a", f"{stem}-b", f"{stem}-c"]
    assert names(order_by="-name") == [f"{stem}-c", f"{stem}-b", f"{stem}-a"]
    assert names(order_by="id") == [f"{stem}-c", f"{stem}-a", f"{stem}-b"]


def test_filters_and_search(awx: t.Any, three: t.Any, organization: dict[str, t.Any]) -> None:
    stem, made = three
    count = lambda **p: awx.ok(awx.get(WFJT, params=p))["count"]  # noqa: E731
    assert count(name=f"{stem}-a") == 1
    assert count(name__in=f"{stem}-a,{stem}-b") == 2
    assert count(name__startswith=stem, not__name=f"{stem}-a") == 2
    assert count(name__startswith=stem, or__name=f"{stem}-a", or__description="item b") == 2
    assert count(search=stem, description__icontains="ITEM C") == 1
    assert count(name__startswith=stem, organization__name=organization["name"]) == 3
    assert count(name__startswith=stem, id__gt=made[0]["id"]) == 2
    assert count(name__startswith=stem, survey_enabled="false") == 3


@pytest.mark.parametrize(("params", "status", "body"), [
    ({"no_such_field": "1"}, 400, {"detail": "WorkflowJobTemplate has no field named 'no_such_field'"}),
    ({"order_by": "no_such_field"}, 400, {"detail": "WorkflowJobTemplate has no field named 'no_such_field'"}),
    ({"extra_vars__icontains": "x"}, 403, {"detail": "Filtering on extra_vars is not allowed."}),
    ({"name__in": ""}, 400, {"detail": "cannot provide empty value for __in"}),
], ids=["unknown-field", "unknown-order", "protected-field", "empty-in"])
def test_filter_errors(awx: t.Any, params: dict[str, str], status: int, body: dict[str, t.Any]) -> None:
    response = awx.get(WFJT, params=params)
    assert response.status_code == status
    assert response.json() == body


def test_options_on_the_list(awx: t.Any) -> None:
    response = awx.options(WFJT)
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Workflow Job Template List"
    assert body["max_page_size"] == 200 and body["types"] == ["workflow_job_template"]
    assert body["search_fields"] == ["description", "name"]
    post = body["actions"]["POST"]
    assert post["name"]["required"] is True and post["name"]["max_length"] == 512
    assert post["extra_vars"]["type"] == "json"
    assert "id" not in post and "status" in body["actions"]["GET"]
    assert response.headers["Allow"] == "GET, POST, HEAD, OPTIONS"


def test_options_on_a_detail(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    response = awx.options(wf["url"])
    assert response.status_code == 200
    assert response.json()["name"] == "Workflow Job Template Detail"
    assert "PUT" in response.json()["actions"]
    assert response.headers["Allow"] == "GET, PUT, PATCH, DELETE, HEAD, OPTIONS"


def test_options_on_nodes_and_jobs(awx: t.Any) -> None:
    nodes = awx.options("/api/v2/workflow_job_template_nodes/").json()
    assert nodes["actions"]["POST"]["identifier"]["default"] == "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
    jobs = awx.options("/api/v2/workflow_jobs/")
    assert "POST" not in jobs.json()["actions"] and jobs.headers["Allow"] == "GET, HEAD, OPTIONS"
