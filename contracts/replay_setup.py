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

if t.TYPE_CHECKING:
    from .replay import Replayer

__all__ = ["ADMIN_PASSWORD", "BEFORE_FILE", "PRECONDITIONS", "OUTCOMES", "basic", "before_file", "prepare"]

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


PRECONDITIONS: dict[str, t.Callable[[Replayer], None]] = {"golden-supporting": _supporting}

# golden-supporting README: "Jobs cannot run on this installation (no execution node)".
# - every launched job ended in ``error`` within a fraction of a second (171, 191, 230);
# - the git project's own updates (launched on create, 104, and by hand, 114) stayed waiting until cancelled
#   (201, 203); the project update the inventory update spawned (launch_type sync) failed at once (144).
OUTCOMES: dict[str, list[dict[str, t.Any]]] = {
    "golden-supporting": [
        {"match": {"name": "sup-gu20-jt"}, "results": [{"status": "error", "duration": 0.05}]},
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


# Unrecorded requests the recording's AWX received between two files: folder -> {file number: run before it}.
BEFORE_FILE: dict[str, dict[str, t.Callable[[Replayer], None]]] = {
    "golden-supporting": {"276": _move_probe_label},
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
