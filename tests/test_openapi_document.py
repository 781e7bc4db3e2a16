"""Checks on openapi/awx.yaml: valid OAS 3.1, complete, consistent, and reproducible."""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "openapi" / "awx.yaml"
GENERATOR = ROOT / "openapi" / "build" / "generate.py"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# "Workflow endpoints (all required)" from ENDPOINTS.md
WORKFLOW_ENDPOINTS = """
/api/v2/workflow_approval_templates/{id}/ GET PUT PATCH DELETE
/api/v2/workflow_approval_templates/{id}/approvals/ GET
/api/v2/workflow_approvals/ GET
/api/v2/workflow_approvals/{id}/ GET DELETE
/api/v2/workflow_approvals/{id}/approve/ GET POST
/api/v2/workflow_approvals/{id}/deny/ GET POST
/api/v2/workflow_job_nodes/ GET
/api/v2/workflow_job_nodes/{id}/ GET
/api/v2/workflow_job_nodes/{id}/always_nodes/ GET
/api/v2/workflow_job_nodes/{id}/credentials/ GET
/api/v2/workflow_job_nodes/{id}/failure_nodes/ GET
/api/v2/workflow_job_nodes/{id}/instance_groups/ GET POST
/api/v2/workflow_job_nodes/{id}/labels/ GET
/api/v2/workflow_job_nodes/{id}/success_nodes/ GET
/api/v2/workflow_job_template_nodes/ GET POST
/api/v2/workflow_job_template_nodes/{id}/ GET PUT PATCH DELETE
/api/v2/workflow_job_template_nodes/{id}/always_nodes/ GET POST
/api/v2/workflow_job_template_nodes/{id}/create_approval_template/ GET POST
/api/v2/workflow_job_template_nodes/{id}/credentials/ GET POST
/api/v2/workflow_job_template_nodes/{id}/failure_nodes/ GET POST
/api/v2/workflow_job_template_nodes/{id}/instance_groups/ GET POST
/api/v2/workflow_job_template_nodes/{id}/labels/ GET POST
/api/v2/workflow_job_template_nodes/{id}/success_nodes/ GET POST
/api/v2/workflow_job_templates/ GET POST
/api/v2/workflow_job_templates/{id}/ GET PUT PATCH DELETE
/api/v2/workflow_job_templates/{id}/access_list/ GET
/api/v2/workflow_job_templates/{id}/activity_stream/ GET
/api/v2/workflow_job_templates/{id}/bitbucket_dc/ POST
/api/v2/workflow_job_templates/{id}/copy/ GET POST
/api/v2/workflow_job_templates/{id}/github/ POST
/api/v2/workflow_job_templates/{id}/gitlab/ POST
/api/v2/workflow_job_templates/{id}/labels/ GET POST
/api/v2/workflow_job_templates/{id}/launch/ GET POST
/api/v2/workflow_job_templates/{id}/notification_templates_approvals/ GET POST
/api/v2/workflow_job_templates/{id}/notification_templates_error/ GET POST
/api/v2/workflow_job_templates/{id}/notification_templates_started/ GET POST
/api/v2/workflow_job_templates/{id}/notification_templates_success/ GET POST
/api/v2/workflow_job_templates/{id}/object_roles/ GET
/api/v2/workflow_job_templates/{id}/schedules/ GET POST
/api/v2/workflow_job_templates/{id}/survey_spec/ GET POST DELETE
/api/v2/workflow_job_templates/{id}/webhook_key/ GET POST
/api/v2/workflow_job_templates/{id}/workflow_jobs/ GET
/api/v2/workflow_job_templates/{id}/workflow_nodes/ GET POST
/api/v2/workflow_jobs/ GET
/api/v2/workflow_jobs/{id}/ GET DELETE
/api/v2/workflow_jobs/{id}/activity_stream/ GET
/api/v2/workflow_jobs/{id}/cancel/ GET POST
/api/v2/workflow_jobs/{id}/labels/ GET
/api/v2/workflow_jobs/{id}/notifications/ GET
/api/v2/workflow_jobs/{id}/relaunch/ GET POST
/api/v2/workflow_jobs/{id}/workflow_nodes/ GET
"""
CONTROL_PLANE = {
    ("/_mockawx/reset/", "post"), ("/_mockawx/state/", "get"), ("/_mockawx/state/", "post"),
    ("/_mockawx/clock/", "get"), ("/_mockawx/clock/advance/", "post"), ("/_mockawx/clock/run_until_idle/", "post"),
    ("/_mockawx/outcomes/", "get"), ("/_mockawx/outcomes/", "post"), ("/_mockawx/outcomes/", "delete"),
    ("/_mockawx/requests/", "get"), ("/_mockawx/requests/", "delete"),
}
PUBLIC = {"/api/", "/api/v2/", "/api/v2/ping/"}


@pytest.fixture(scope="module")
def doc() -> dict:
    with SPEC.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS:
                yield path, method, op


def required_workflow_operations() -> list[tuple[str, str]]:
    out = []
    for line in WORKFLOW_ENDPOINTS.strip().splitlines():
        path, *methods = line.split()
        out += [(path, m.lower()) for m in methods]
    return out


def test_document_is_valid_openapi_3_1(doc: dict) -> None:
    assert doc["openapi"] == "3.1.0"
    validate(doc)


@pytest.mark.parametrize(("path", "method"), required_workflow_operations())
def test_workflow_endpoint_is_described(doc: dict, path: str, method: str) -> None:
    assert method in doc["paths"].get(path, {}), f"{method.upper()} {path} missing"


def test_control_plane_is_described_and_tagged(doc: dict) -> None:
    found = {(p, m) for p, m, _ in operations(doc) if p.startswith("/_mockawx/")}
    assert found == CONTROL_PLANE
    for path, method, op in operations(doc):
        if path.startswith("/_mockawx/"):
            assert op["tags"] == ["mockawx-control"]
            assert op["operationId"].startswith("mockawx_")


def test_operation_ids_are_unique(doc: dict) -> None:
    ids = [op["operationId"] for _, _, op in operations(doc)]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates


def test_awx_operation_ids_follow_awx_pattern(doc: dict) -> None:
    suffix = {"get": ("list", "read"), "post": ("create",), "put": ("update",), "patch": ("partial_update",),
              "delete": ("delete",)}
    for path, method, op in operations(doc):
        if path.startswith("/api/"):
            assert op["operationId"].startswith("api_"), path
            assert op["operationId"].rsplit("_", 1)[-1] in {s.rsplit("_", 1)[-1] for s in suffix[method]}, (path, method)


def test_paths_end_with_slash_and_use_id_parameter(doc: dict) -> None:
    for path in doc["paths"]:
        assert path.endswith("/"), path
        assert set(re.findall(r"{(\w+)}", path)) <= {"id"}, path


def test_every_operation_has_tags_and_responses(doc: dict) -> None:
    for path, method, op in operations(doc):
        assert op.get("tags"), (path, method)
        assert any(code.startswith("2") or code == "302" for code in op["responses"]), (path, method)


def test_security(doc: dict) -> None:
    assert doc["security"] == [{"basicAuth": []}, {"bearerAuth": []}]
    schemes = doc["components"]["securitySchemes"]
    assert {"basicAuth", "bearerAuth", "sessionCookie"} <= set(schemes)
    assert schemes["sessionCookie"]["name"] == "awx_sessionid"
    for path, method, op in operations(doc):
        receiver = re.search(r"/(github|gitlab|bitbucket_dc)/$", path)
        if path in PUBLIC or receiver:
            assert op.get("security") == [], path
        elif path.startswith("/api/v2/"):
            assert "security" not in op, path
            assert "401" in op["responses"], (path, method)


def _refs(node, found: list[str]) -> list[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                found.append(value)
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def test_every_ref_resolves(doc: dict) -> None:
    for target in set(_refs(doc, [])):
        assert target.startswith("#/"), target
        node = doc
        for part in target[2:].split("/"):
            assert isinstance(node, dict) and part in node, f"unresolved {target}"
            node = node[part]


def test_resource_schemas_follow_conventions(doc: dict) -> None:
    schemas = doc["components"]["schemas"]
    for name in ("WorkflowJobTemplate", "WorkflowJobTemplateNode", "WorkflowJob", "WorkflowJobNode",
                 "WorkflowApprovalTemplate", "WorkflowApproval", "Organization", "User", "Team", "Project",
                 "ProjectUpdate", "Inventory", "Host", "InventorySource", "InventoryUpdate", "JobTemplate", "Job",
                 "Label", "Schedule", "NotificationTemplate", "Notification", "ActivityStream", "Credential",
                 "CredentialType", "ExecutionEnvironment", "Application", "InstanceGroup", "Instance", "Role",
                 "OAuth2Token", "UnifiedJobTemplate", "UnifiedJob", "SystemJobTemplate"):
        schema = schemas[name]
        assert schema.get("additionalProperties", True) is not False, name
        assert set(schema.get("required", [])) <= set(schema["properties"]), name
        for field, prop in schema["properties"].items():
            assert "x-awx-type" in prop and "title" in prop, (name, field)
            # AWX leaves "filterable" out for some fields (e.g. most "type" fields): so does the document
            assert isinstance(prop.get("x-filterable", False), bool), (name, field)
            if "x-choices" in prop:
                assert all(isinstance(pair, list) and len(pair) == 2 for pair in prop["x-choices"]), (name, field)
                assert {json.dumps(v) for v, _ in prop["x-choices"]} <= {json.dumps(v) for v in prop["enum"]}, (name, field)


def test_options_metadata_extensions(doc: dict) -> None:
    schemas = doc["components"]["schemas"]
    wfjt = schemas["WorkflowJobTemplateWrite"]["properties"]
    assert wfjt["webhook_service"]["x-choices"] == [
        ["", "---------"], ["github", "GitHub"], ["gitlab", "GitLab"], ["bitbucket_dc", "BitBucket DataCenter"]]
    assert schemas["WorkflowJobTemplate"]["properties"]["type"]["x-choices"] == [
        ["workflow_job_template", "Workflow Template"]]
    node = schemas["WorkflowJobTemplateNodeWrite"]["properties"]
    assert node["identifier"]["x-awx-default"] == "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
    assert node["verbosity"]["x-choices"][:2] == [[None, "---------"], [0, "0 (Normal)"]]
    assert schemas["WorkflowJobTemplateNode"]["properties"]["forks"]["minimum"] == 0
    assert "x-filterable" not in schemas["WorkflowJobTemplateNode"]["properties"]["type"]
    assert schemas["OAuth2TokenWrite"]["properties"]["application"]["x-awx-create-only"] is True
    edge = doc["paths"]["/api/v2/workflow_job_template_nodes/{id}/success_nodes/"]["post"]
    assert edge["x-awx-sublist"] == "attach_or_create"
    assert edge["x-awx-options-schema"] == "WorkflowJobTemplateNodeWrite"
    attach_only = doc["paths"]["/api/v2/workflow_job_template_nodes/{id}/credentials/"]["post"]
    assert "x-awx-options-schema" not in attach_only


def test_wfjt_field_order_and_types(doc: dict) -> None:
    wfjt = doc["components"]["schemas"]["WorkflowJobTemplate"]["properties"]
    assert list(wfjt) == [
        "id", "type", "url", "related", "summary_fields", "created", "modified", "name", "description",
        "last_job_run", "last_job_failed", "next_job_run", "status", "extra_vars", "organization", "survey_enabled",
        "allow_simultaneous", "ask_variables_on_launch", "inventory", "limit", "scm_branch", "ask_inventory_on_launch",
        "ask_scm_branch_on_launch", "ask_limit_on_launch", "webhook_service", "webhook_credential",
        "ask_labels_on_launch", "ask_skip_tags_on_launch", "ask_tags_on_launch", "skip_tags", "job_tags"]
    assert wfjt["organization"]["type"] == ["integer", "null"]
    assert wfjt["extra_vars"]["type"] == "string"
    write = doc["components"]["schemas"]["WorkflowJobTemplateWrite"]
    assert write["required"] == ["name"]
    assert write["properties"]["name"]["maxLength"] == 512
    assert write["properties"]["organization"]["x-foreign-key"] == "organizations"
    node_write = doc["components"]["schemas"]["WorkflowJobTemplateNodeWrite"]["properties"]
    assert node_write["extra_data"]["type"] == "object"
    job = doc["components"]["schemas"]["WorkflowJob"]
    assert "job_args" in job["properties"] and "job_args" not in job["required"]


def test_error_responses_are_shared(doc: dict) -> None:
    responses = doc["components"]["responses"]
    bad = responses["BadRequest"]["content"]["application/json"]["schema"]["anyOf"]
    assert {"$ref": "#/components/schemas/FieldErrors"} in bad
    conflict = doc["paths"]["/api/v2/workflow_job_templates/{id}/"]["delete"]["responses"]["409"]
    assert conflict == {"$ref": "#/components/responses/Conflict"}


def test_generator_reproduces_committed_file() -> None:
    assert GENERATOR.exists(), "openapi/build/generate.py is missing"
    spec = importlib.util.spec_from_file_location("_awx_openapi_generate", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        assert module.render() == SPEC.read_text(encoding="utf-8"), "run: python openapi/build/generate.py"
    finally:
        sys.modules.pop(spec.name, None)
        sys.modules.pop("tables", None)
