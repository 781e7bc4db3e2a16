"""Jobs a recording never created by request: approvals spawned by a workflow, found through their node.

AWX's workflow manager spawns approvals on its own schedule, so their ids interleave with
other jobs differently than in the mock. A recorded approval id is therefore resolved the way
a client would: the job of the node with the same identifier in the same (mapped) workflow job,
waiting (on the mock's clock) for it to appear as the recorder waited for AWX. An approval that
never appears is sent as an id no object has, never as another object's id.
"""

from __future__ import annotations

import re
import typing as t

__all__ = ["SpawnedJobs"]

APPROVAL_PATH = re.compile(r"^/api/v2/workflow_approvals/(\d+)/")
WAIT_SECONDS = 60  # how long the recorder would have waited for AWX to spawn an approval
NOWHERE = 10**9  # added to an unresolvable id: no mock object has it
SPAWNED = re.compile(r'node #\d+ spawns job #(\d+), "([^"]*)"')


class SpawnedJobs:
    """Where each recorded approval lives: ``{approval id: (workflow job id, node identifier or "name:" + job name)}``."""

    def __init__(self, records: t.Iterable[t.Any]) -> None:
        self.nodes: dict[int, tuple[int, str]] = {}
        for record in records:
            self._scan(record.data.get("response", {}).get("body"))

    def _scan(self, body: t.Any) -> None:
        items = body.get("results", [body]) if isinstance(body, dict) else []
        for item in items:
            if isinstance(item, dict) and item.get("type") == "notification":
                self._scan_summary(item.get("body"))
            if not isinstance(item, dict) or item.get("type") != "workflow_job_node":
                continue
            job = (item.get("summary_fields") or {}).get("job") or {}
            if job.get("type") == "workflow_approval" and item.get("identifier"):
                self.nodes[int(job["id"])] = (int(item["workflow_job"]), str(item["identifier"]))

    def _scan_summary(self, body: t.Any) -> None:
        """A workflow's success/error notification names each node's job: ``node #N spawns job #M, "NAME"``."""
        if not isinstance(body, dict) or not isinstance(body.get("id"), int) or not isinstance(body.get("body"), str):
            return
        for job, name in SPAWNED.findall(body["body"]):
            self.nodes.setdefault(int(job), (body["id"], f"name:{name}"))

    def resolve(self, path: str, ids: t.Any, client: t.Any, auth: dict[str, str], clock: t.Any) -> None:
        """Teach ``ids`` the mock's id of the approval ``path`` names, if it is still unknown."""
        match = APPROVAL_PATH.match(path.partition("?")[0])
        if match is None:
            return
        recorded = int(match.group(1))
        if recorded in ids.forward.get("unified_jobs", {}) or recorded not in self.nodes:
            return
        workflow_job, identifier = self.nodes[recorded]
        mock_job = ids.forward.get("unified_jobs", {}).get(workflow_job)
        for _ in range(WAIT_SECONDS):
            found = self._job_of(client, auth, mock_job, identifier) if mock_job is not None else None
            if found is not None:
                ids.check("unified_jobs", recorded, found)
                return
            clock.advance(1)
        ids.check("unified_jobs", recorded, NOWHERE + recorded)

    @staticmethod
    def _job_of(client: t.Any, auth: dict[str, str], workflow_job: int, identifier: str) -> int | None:
        params = {} if identifier.startswith("name:") else {"identifier": identifier}
        nodes = client.get(f"/api/v2/workflow_jobs/{workflow_job}/workflow_nodes/", params=params, headers=auth)
        if nodes.status_code != 200:
            return None
        jobs = [node["job"] for node in nodes.json()["results"] if node.get("job") is not None]
        if identifier.startswith("name:"):
            named = [node for node in nodes.json()["results"] if (node["summary_fields"].get("job") or {}).get("name") == identifier[5:]]
            jobs = [node["job"] for node in named if node.get("job") is not None]
        return jobs[0] if jobs else None
