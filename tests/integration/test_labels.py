"""Global labels and the labels/ sub-list of workflow job templates, through HTTP."""

from __future__ import annotations

import typing as t

import pytest

from mockawx.resources.labels import MAX_LABELS


@pytest.fixture
def wfjt(api: t.Any, org: dict[str, t.Any]) -> dict[str, t.Any]:
    response = api.post("/api/v2/workflow_job_templates/", {"name": "wf", "organization": org["id"]})
    assert response.status_code == 201
    return t.cast(dict[str, t.Any], response.get_json())


def sub(wfjt: dict[str, t.Any]) -> str:
    return f"/api/v2/workflow_job_templates/{wfjt['id']}/labels/"


def test_create_global_label(api: t.Any, org: dict[str, t.Any]) -> None:
    response = api.post("/api/v2/labels/", {"name": "frontend", "organization": org["id"]})
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"] == f"/api/v2/labels/{body['id']}/"
    assert body["related"]["named_url"] == "/api/v2/labels/frontend++Default/"
    assert list(body["related"]) == ["named_url", "created_by", "modified_by", "organization"]
    assert body["summary_fields"]["organization"] == {"id": org["id"], "name": "Default", "description": "Default organization"}
    assert (body["type"], body["name"], body["organization"]) == ("label", "frontend", org["id"])


def test_duplicate_label_in_same_org_is_refused(api: t.Any, org: dict[str, t.Any]) -> None:
    api.post("/api/v2/labels/", {"name": "x", "organization": org["id"]})
    response = api.post("/api/v2/labels/", {"name": "x", "organization": org["id"]})
    assert response.status_code == 400
    assert response.get_json() == {"__all__": ["Label with this Name and Organization already exists."]}


def test_label_needs_an_existing_organization(api: t.Any) -> None:
    response = api.post("/api/v2/labels/", {"name": "x", "organization": 999})
    assert response.get_json() == {"organization": ['Invalid pk "999" - object does not exist.']}
    assert api.post("/api/v2/labels/", {"name": "x"}).get_json() == {"organization": ["This field is required."]}


def test_list_filter_detail_and_patch(api: t.Any, org: dict[str, t.Any]) -> None:
    label = api.post("/api/v2/labels/", {"name": "b", "organization": org["id"]}).get_json()
    api.post("/api/v2/labels/", {"name": "a", "organization": org["id"]})
    listing = api.get(f"/api/v2/labels/?organization={org['id']}").get_json()
    assert [r["name"] for r in listing["results"]] == ["a", "b"]
    assert "named_url" not in listing["results"][0]["related"]
    patched = api.patch(f"/api/v2/labels/{label['id']}/", {"name": "renamed"})
    assert patched.status_code == 200
    assert patched.get_json()["related"]["named_url"] == "/api/v2/labels/renamed++Default/"
    assert api.get(f"/api/v2/labels/{label['id']}/").get_json()["name"] == "renamed"


def test_label_delete_is_not_allowed(api: t.Any, org: dict[str, t.Any]) -> None:
    label = api.post("/api/v2/labels/", {"name": "b", "organization": org["id"]}).get_json()
    response = api.delete(f"/api/v2/labels/{label['id']}/")
    assert response.status_code == 405
    assert response.get_json() == {"detail": 'Method "DELETE" not allowed.'}


def test_sublist_create_attach_and_list(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    assert api.get(sub(wfjt)).get_json()["count"] == 0
    created = api.post(sub(wfjt), {"name": "production", "organization": org["id"]})
    assert created.status_code == 201
    assert created.headers["Location"] == f"/api/v2/labels/{created.get_json()['id']}/"
    other = api.post("/api/v2/labels/", {"name": "frontend", "organization": org["id"]}).get_json()
    attached = api.post(sub(wfjt), {"id": other["id"]})
    assert attached.status_code == 204
    names = [r["name"] for r in api.get(sub(wfjt)).get_json()["results"]]
    assert names == ["frontend", "production"]
    summary = api.get(f"/api/v2/workflow_job_templates/{wfjt['id']}/").get_json()["summary_fields"]["labels"]
    assert summary["count"] == 2


def test_sublist_create_of_existing_name_attaches(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    api.post("/api/v2/labels/", {"name": "x", "organization": org["id"]})
    response = api.post(sub(wfjt), {"name": "x", "organization": org["id"]})
    assert response.status_code == 204
    assert api.get("/api/v2/labels/").get_json()["count"] == 1
    assert api.get(sub(wfjt)).get_json()["count"] == 1


def test_sublist_create_needs_organization(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    response = api.post(sub(wfjt), {"name": "no-org-label"})
    assert response.status_code == 400
    assert response.get_json() == {"organization": ["This field is required."]}


def test_disassociate_deletes_unused_label(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    label = api.post(sub(wfjt), {"name": "x", "organization": org["id"]}).get_json()
    response = api.post(sub(wfjt), {"id": label["id"], "disassociate": True})
    assert response.status_code == 204
    assert api.get(sub(wfjt)).get_json()["count"] == 0
    assert api.get(f"/api/v2/labels/{label['id']}/").status_code == 404


def test_disassociate_keeps_label_used_elsewhere(api: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    other = api.post("/api/v2/workflow_job_templates/", {"name": "wf2", "organization": org["id"]}).get_json()
    label = api.post(sub(wfjt), {"name": "x", "organization": org["id"]}).get_json()
    api.post(sub(other), {"id": label["id"]})
    api.post(sub(wfjt), {"id": label["id"], "disassociate": True})
    assert api.get(f"/api/v2/labels/{label['id']}/").status_code == 200


def test_sublist_errors(api: t.Any, wfjt: dict[str, t.Any]) -> None:
    assert api.post(sub(wfjt), {"disassociate": True}).get_json() == {"msg": '"id" is required to disassociate'}
    assert api.post(sub(wfjt), {"id": "a"}).get_json() == {"msg": '"id" field must be an integer.'}
    missing = api.post(sub(wfjt), {"id": 999})
    assert missing.status_code == 400
    assert missing.get_json() == {"detail": "Label matching query does not exist."}
    not_object = api.post(sub(wfjt), [1])
    assert not_object.status_code == 400
    assert not_object.get_json() == "invalid type for post data"


def test_label_limit(api: t.Any, app: t.Any, org: dict[str, t.Any], wfjt: dict[str, t.Any]) -> None:
    store = app.runtime.store
    ids = [store.insert("labels", {"id": None, "name": f"l{i}", "organization": org["id"]})["id"] for i in range(MAX_LABELS + 1)]
    store.update("workflow_job_templates", wfjt["id"], {"labels": ids})
    response = api.post(sub(wfjt), {"name": "one-more", "organization": org["id"]})
    assert response.status_code == 400
    assert response.get_json() == {"msg": "Maximum number of labels for workflow job template reached."}


def test_unknown_parent_is_404(api: t.Any) -> None:
    assert api.get("/api/v2/workflow_job_templates/999/labels/").status_code == 404
