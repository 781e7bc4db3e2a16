"""Copying a workflow job template, and labels on templates."""

from __future__ import annotations

import typing as t


def test_copy_get_and_errors(awx: t.Any, make: t.Any) -> None:
    wf = make.wfjt()
    info = awx.ok(awx.get(f"{wf['url']}copy/"))
    assert info["can_copy"] is True and info["can_copy_without_user_input"] is True
    assert info["templates_unable_to_copy"] == []
    missing = awx.post(f"{wf['url']}copy/", json={})
    assert missing.status_code == 400 and missing.json() == {"name": ["This field is required."]}
    same = awx.post(f"{wf['url']}copy/", json={"name": wf["name"]})
    assert same.status_code == 400
    assert same.json() == {"__all__": [f"The original object is already named {wf['name']}, a copy from it cannot have the same name."]}


def test_copy_duplicates_nodes_edges_and_survey(awx: t.Any, make: t.Any, names: t.Any, target: t.Any) -> None:
    wf = make.wfjt(description="original", ask_variables_on_launch=True)
    a = make.approval_node(wf, "a")
    b = make.node(wf, identifier="b")
    make.link(a, "failure", b)
    spec = {"name": "s", "description": "d", "spec": [{"question_name": "Q", "required": False, "type": "text", "variable": "q"}]}
    assert awx.post(f"{wf['url']}survey_spec/", json=spec).status_code == 200
    copy = awx.ok(awx.post(f"{wf['url']}copy/", json={"name": names("copy")}), 201)
    assert copy["id"] != wf["id"] and copy["description"] == "original" and copy["ask_variables_on_launch"] is True
    assert copy["organization"] == wf["organization"]
    assert awx.ok(awx.get(f"{copy['url']}survey_spec/")) == spec
    nodes = target.wait_for(f"{copy['url']}workflow_nodes/", lambda body: body["count"] == 2)["results"]
    by_id = {n["identifier"]: n for n in nodes}
    assert by_id["a"]["failure_nodes"] == [by_id["b"]["id"]]
    # approval templates are duplicated, never shared
    assert by_id["a"]["unified_job_template"] not in (None, a["unified_job_template"])


def test_labels_create_attach_detach(awx: t.Any, make: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    wf = make.wfjt()
    url = f"{wf['url']}labels/"
    assert awx.ok(awx.get(url))["count"] == 0
    created = awx.ok(awx.post(url, json={"name": names("lbl"), "organization": organization["id"]}), 201)
    assert created["type"] == "label" and created["organization"] == organization["id"]
    standalone = awx.ok(awx.post("/api/v2/labels/", json={"name": names("lbl"), "organization": organization["id"]}), 201)
    assert awx.post(url, json={"id": standalone["id"]}).status_code == 204
    again = awx.post(url, json={"name": created["name"], "organization": organization["id"]})
    assert again.status_code == 204  # an existing label of that name is attached, not created
    listed = awx.ok(awx.get(url))
    assert sorted(lb["id"] for lb in listed["results"]) == sorted([created["id"], standalone["id"]])
    summary = awx.ok(awx.get(wf["url"]))["summary_fields"]["labels"]
    assert summary["count"] == 2
    assert awx.post(url, json={"id": standalone["id"], "disassociate": True}).status_code == 204
    assert [lb["id"] for lb in awx.ok(awx.get(url))["results"]] == [created["id"]]
    missing_org = awx.post(url, json={"name": names("lbl")})
    assert missing_org.status_code == 400 and missing_org.json() == {"organization": ["This field is required."]}


def test_label_detail_and_update(awx: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    label = awx.ok(awx.post("/api/v2/labels/", json={"name": names("lbl"), "organization": organization["id"]}), 201)
    assert awx.ok(awx.get(label["url"]))["name"] == label["name"]
    renamed = names("lbl")
    assert awx.ok(awx.patch(label["url"], json={"name": renamed}))["name"] == renamed
    assert awx.ok(awx.put(label["url"], json={"name": renamed, "organization": organization["id"]}))["name"] == renamed
    assert awx.ok(awx.get("/api/v2/labels/", params={"name": renamed}))["count"] == 1
    assert awx.delete(label["url"]).status_code == 405
    duplicate = awx.post("/api/v2/labels/", json={"name": renamed, "organization": organization["id"]})
    assert duplicate.status_code == 400


def test_launch_labels_are_added_to_the_job(awx: t.Any, make: t.Any, names: t.Any, organization: dict[str, t.Any]) -> None:
    wf = make.wfjt(ask_labels_on_launch=True)
    own = awx.ok(awx.post(f"{wf['url']}labels/", json={"name": names("own"), "organization": organization["id"]}), 201)
    extra = awx.ok(awx.post("/api/v2/labels/", json={"name": names("extra"), "organization": organization["id"]}), 201)
    info = awx.ok(awx.get(f"{wf['url']}launch/"))
    assert info["defaults"]["labels"] == [{"id": own["id"], "name": own["name"]}]
    job = make.launch(wf, labels=[extra["id"]])
    labels = awx.ok(awx.get(f"{job['url']}labels/"))
    assert sorted(lb["id"] for lb in labels["results"]) == sorted([own["id"], extra["id"]])
