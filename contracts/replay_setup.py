"""Per-recording setup: what each recording's AWX had or did that its requests do not show.

This is the one place that prepares the mock for a golden folder before (and while) it is replayed:

- ``PRECONDITIONS``: state the recording's AWX had before its first request (objects made elsewhere, folders on
  the machine). The mock is given the same through its API, its control plane or its store.
- ``BEFORE_FILE``: requests the recording's AWX received between two files that the recording does not contain
  (its README names them); they are sent just before the file that first depends on them.
- ``OUTCOMES``: how the recording's jobs ended. The recording's AWX could not run jobs the way the mock does by
  default (golden-supporting had no execution node), so the mock's job outcomes are scripted through its control
  plane (``POST /_mockawx/outcomes/``) to end the same way.
"""

from __future__ import annotations

import base64
import typing as t

import httpx

if t.TYPE_CHECKING:
    from .replay import Replayer

__all__ = ["ADMIN_PASSWORD", "BEFORE_FILE", "DISPATCHING", "PRECONDITIONS", "OUTCOMES", "basic", "before_file", "prepare"]

ADMIN_PASSWORD = "password"
# Long enough that a job "left waiting until cancelled" is still active whenever the recording cancels it.
UNTIL_CANCELED = 24 * 3600.0


def basic(username: str, password: str) -> str:
    """An HTTP Basic Authorization header value."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def _default_org(replayer: Replayer) -> None:
    """golden-supporting ran on a used AWX: organization 1 "Default" existed before the recording."""
    response = replayer.client.post(
        "/api/v2/organizations/", json={"name": "Default", "description": "Default organization"},
        headers={"Authorization": basic("admin", ADMIN_PASSWORD)},
    )
    if response.status_code == 201:
        replayer.ids.check("organizations", 1, response.json()["id"])


def _manual_project_folder(replayer: Replayer) -> None:
    """golden-supporting README: the folder ``sup-gu20-manual`` existed under the projects root (093, 090).

    AWX lists the folders under its projects root; the mock reads them from its store (no HTTP API sets them).
    """
    store = replayer.app.runtime.store
    store.meta["project_local_paths"] = [*store.meta.get("project_local_paths", []), "sup-gu20-manual"]


def _supporting(replayer: Replayer) -> None:
    _default_org(replayer)
    _manual_project_folder(replayer)


def _admin_logged_in(replayer: Replayer) -> None:
    """golden-governance ran on a used AWX whose admin had logged in through the login form (``last_login``, and
    so the user's ``modified``, are set in 025 and 139); the mock's admin logs in the same way once."""
    client = httpx.Client(transport=httpx.WSGITransport(app=replayer.app), base_url="http://testserver", follow_redirects=False)
    try:
        token = client.get("/api/login/").cookies.get("csrftoken", "")
        response = client.post("/api/login/", data={"username": "admin", "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": token})
    finally:
        client.close()
    if response.status_code != 302:
        raise RuntimeError(f"admin login failed: {response.status_code} {response.text[:200]}")



# golden-supporting README: "Jobs cannot run on this installation (no execution node)".
# - every launched job ended in ``error`` within a fraction of a second (171, 191, 230);
# - the git project's own updates (launched on create, 104, and by hand, 114) stayed waiting until cancelled
#   (201, 203); the project update the inventory update spawned (launch_type sync) failed at once (144).
OUTCOMES: dict[str, list[dict[str, t.Any]]] = {
    "golden-supporting": [
        # 1733 (launched before the template had an execution environment) could not start; the later ones errored
        {"match": {"name": "sup-gu20-jt"}, "results": [
            {"status": "error", "duration": 0.05, "job_explanation": "Job could not start because no Execution Environment could be found."},
            {"status": "error", "duration": 0.05},
        ]},
        # In start order: 1729 (104) runs until cancelled; 1730 (114) never starts (it waits behind 1729);
        # the sync update of the inventory update (140) fails at once.
        {"match": {"name": "sup-gu20-git"}, "results": [
            {"status": "successful", "duration": UNTIL_CANCELED},
            {"status": "failed", "duration": 0.05},
        ]},
    ],
}


def _move_probe_label(replayer: Replayer) -> None:
    """README: the label made in organization Default (006) was later moved into sup-gu20-org by a request the
    recording does not contain; deleting that organization (276) removed it with the others (277)."""
    label = replayer.ids.to_mock("labels", 75)
    organization = replayer.ids.to_mock("organizations", 1026)
    response = replayer.client.patch(f"/api/v2/labels/{label}/", json={"organization": organization},
                                     headers={"Authorization": basic("admin", ADMIN_PASSWORD)})
    if response.status_code != 200:
        raise RuntimeError(f"moving label {label} failed: {response.status_code} {response.text}")


def _scratch_template(replayer: Replayer) -> None:
    """golden-governance 053 note: admin created "gov-ca8b scratch wf" (3332, roles 21021-21024, as listed in 077)
    without recording it, so that carol could be given its admin role (053) and delete it (088)."""
    organization = replayer.ids.to_mock("organizations", 1025)
    response = replayer.client.post("/api/v2/workflow_job_templates/", json={"name": "gov-ca8b scratch wf", "organization": organization},
                                    headers={"Authorization": basic("admin", ADMIN_PASSWORD)})
    if response.status_code != 201:
        raise RuntimeError(f"creating the scratch template failed: {response.status_code} {response.text}")
    body = response.json()
    replayer.ids.check("unified_job_templates", 3332, body["id"])
    roles = body["summary_fields"]["object_roles"]
    for field, recorded in (("admin_role", 21021), ("execute_role", 21022), ("read_role", 21023), ("approval_role", 21024)):
        replayer.ids.check("roles", recorded, roles[field]["id"])


def _admin_post(replayer: Replayer, path: str, body: dict[str, t.Any]) -> dict[str, t.Any]:
    response = replayer.client.post(path, json=body, headers={"Authorization": basic("admin", ADMIN_PASSWORD)})
    if response.status_code != 201:
        raise RuntimeError(f"POST {path} failed: {response.status_code} {response.text}")
    return dict(response.json())


def _notify_gate_node(replayer: Replayer) -> None:
    """golden-governance 167 note: the approval node 1767 of "gov-ca8b notify wf" (3335) was created with
    ``POST /workflow_job_templates/3335/workflow_nodes/ {"identifier": "approve-me"}`` (not recorded)."""
    template = replayer.ids.to_mock("unified_job_templates", 3335)
    node = _admin_post(replayer, f"/api/v2/workflow_job_templates/{template}/workflow_nodes/", {"identifier": "approve-me"})
    replayer.ids.check("workflow_job_template_nodes", 1767, node["id"])


def _timeout_template(replayer: Replayer) -> None:
    """golden-governance 199 note: "gov-ca8b timeout wf" (3337) with one approval node whose timeout is 4 s was
    created beforehand (not recorded); its approval is "gov-ca8b slow gate" (204)."""
    organization = replayer.ids.to_mock("organizations", 1025)
    template = _admin_post(replayer, "/api/v2/workflow_job_templates/", {"name": "gov-ca8b timeout wf", "organization": organization})
    replayer.ids.check("unified_job_templates", 3337, template["id"])
    node = _admin_post(replayer, f"/api/v2/workflow_job_templates/{template['id']}/workflow_nodes/", {})
    _admin_post(replayer, f"/api/v2/workflow_job_template_nodes/{node['id']}/create_approval_template/", {"name": "gov-ca8b slow gate", "timeout": 4})


def _noprompt_template(replayer: Replayer) -> None:
    """golden-governance README and 257 note: "gov-ca8b sched noprompt wf" (3340, no nodes, ask_variables_on_launch
    false) was created without a recorded request."""
    organization = replayer.ids.to_mock("organizations", 1025)
    template = _admin_post(replayer, "/api/v2/workflow_job_templates/", {"name": "gov-ca8b sched noprompt wf", "organization": organization})
    replayer.ids.check("unified_job_templates", 3340, template["id"])


def _install_defaults(replayer: Replayer) -> None:
    """golden-governance ran on a used AWX that still had the objects every install starts with: organization 1
    "Default" and inventory 1 "Demo Inventory" (256 sends ``"inventory": 1`` and AWX found it). Then the admin's
    earlier login."""
    organization = _admin_post(replayer, "/api/v2/organizations/", {"name": "Default", "description": "The default organization for Ansible Automation Platform"})
    replayer.ids.check("organizations", 1, organization["id"])
    inventory = _admin_post(replayer, "/api/v2/inventories/", {"name": "Demo Inventory", "organization": organization["id"]})
    replayer.ids.check("inventories", 1, inventory["id"])
    _admin_logged_in(replayer)


PRECONDITIONS: dict[str, t.Callable[[Replayer], None]] = {"golden-supporting": _supporting, "golden-governance": _install_defaults}

# Recordings whose AWX dispatched work at once: what is due happens before the next request (a workflow launched
# by one request is running by the next). golden-supporting's AWX had no execution node, so nothing started there.
DISPATCHING = frozenset({"golden", "golden-governance"})

# Unrecorded requests the recording's AWX received between two files: folder -> {file number: run before it}.
BEFORE_FILE: dict[str, dict[str, t.Callable[[Replayer], None]]] = {
    "golden-supporting": {"276": _move_probe_label},
    "golden-governance": {"053": _scratch_template, "167": _notify_gate_node, "199": _timeout_template,
                          "257": _noprompt_template},
}


def before_file(replayer: Replayer, number: str) -> None:
    """Replay what happened on the recording's AWX before file ``number`` without being recorded."""
    step = BEFORE_FILE.get(replayer.folder, {}).get(number)
    if step is not None:
        step(replayer)


def prepare(replayer: Replayer) -> None:
    """Give a fresh mock the recording's preconditions and scripted job outcomes."""
    PRECONDITIONS.get(replayer.folder, lambda _: None)(replayer)
    for rule in OUTCOMES.get(replayer.folder, ()):
        response = replayer.client.post("/_mockawx/outcomes/", json=rule)
        if response.status_code != 201:
            raise RuntimeError(f"scripting outcome {rule} failed: {response.status_code} {response.text}")
