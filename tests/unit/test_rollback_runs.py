"""A request that fails half-way leaves no trace, also in the workflow runs kept beside the tables."""

from __future__ import annotations

import pytest

from mockawx import ManualClock, create_app
from mockawx.execution.workflows import launch_workflow, workflow_run


def test_failed_transaction_rebuilds_the_runs_from_the_tables() -> None:
    app = create_app(clock=ManualClock())
    runtime, store = app.runtime, app.runtime.store
    with store.transaction():
        template = store.insert("workflow_job_templates", {"id": None, "name": "w", "organization": None, "allow_simultaneous": False})
        for identifier in ("a", "b"):
            node = store.insert("workflow_job_template_nodes", {"id": None, "workflow_job_template": template["id"], "identifier": identifier,
                                                                "unified_job_template": None, "success_nodes": [], "failure_nodes": [], "always_nodes": []})
            approval = store.insert("workflow_approval_templates", {"id": None, "name": f"gate {identifier}", "timeout": 0})
            store.update("workflow_job_template_nodes", node["id"], {"unified_job_template": approval["id"]})
        job = launch_workflow(runtime, template, {"extra_vars": "{}"}, 1)
    runtime.clock.advance(1)
    before = workflow_run(runtime, job["id"])
    assert before is not None and not before.done
    approval = store.all("workflow_approvals")[0]
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.update("workflow_approvals", approval["id"], {"status": "successful"})
            before.job_finished(approval["_workflow_node"], "successful")  # the engine moved on...
            raise RuntimeError("...and then the request failed")
    after = workflow_run(runtime, job["id"])
    assert after is not before
    assert store.get("workflow_approvals", approval["id"])["status"] == "pending"
    assert after.job_status(approval["_workflow_node"]) == "pending"
