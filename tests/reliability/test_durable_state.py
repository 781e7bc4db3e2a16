"""``mockawx serve --state FILE``: restarts, SIGKILL mid-write, refused files, snapshots and restores."""

from __future__ import annotations

import json
import os
import pathlib
import random
import re
import signal
import subprocess
import sys
import threading
import time
import typing as t

import httpx
import pytest

from mockawx import cli
from mockawx.persist import FORMAT
from mockawx.statefile import StateFile

CONTROL = {"X-Mockawx-Control-Token": "sekrit"}
AUTH = ("admin", "password")


class Serve:
    """``mockawx serve`` in a child process on a free loopback port."""

    def __init__(self, state: pathlib.Path, *extra: str) -> None:
        command = [sys.executable, "-m", "mockawx.cli", "serve", "--port", "0", "--state", str(state),
                   "--control-token", "sekrit", *extra]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines = [self._line(), self._line(), self._line()]
        match = re.search(r"serving (http://127\.0\.0\.1:\d+)/api/v2/", lines[0])
        assert match, lines
        self.url = match.group(1)
        self.token = lines[2].split()[-1]
        self.client = httpx.Client(base_url=self.url, auth=AUTH, timeout=10)

    def _line(self) -> str:
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(self.process.stdout.readline()), daemon=True)  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout=20)
        if not box or not box[0]:
            self.process.kill()
            raise AssertionError(f"mockawx serve did not start: {self.process.stderr.read()}")  # type: ignore[union-attr]
        return box[0]

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Signal the process (unless it already ended), wait for it and close everything."""
        self.client.close()
        if self.process.poll() is None:
            self.process.send_signal(sig)
        self.process.wait(timeout=10)
        for stream in (self.process.stdout, self.process.stderr):
            assert stream is not None
            stream.close()


@pytest.fixture
def state_path(tmp_path: pathlib.Path) -> pathlib.Path:
    return tmp_path / "mock-state.json"


def test_state_survives_a_restart(state_path: pathlib.Path) -> None:
    first = Serve(state_path, "--seed", "empty")
    try:
        assert json.loads(state_path.read_text())["format"] == FORMAT  # written at start
        org = first.client.post("/api/v2/organizations/", json={"name": "Kept"}).json()
        wfjt = first.client.post("/api/v2/workflow_job_templates/", json={"name": "W", "organization": org["id"]}).json()
        token = first.token
    finally:
        first.stop()
    second = Serve(state_path, "--seed", "empty")
    try:
        again = second.client.get(f"/api/v2/workflow_job_templates/{wfjt['id']}/").json()
        assert again["name"] == "W" and again["organization"] == org["id"] and again["created"] == wfjt["created"]
        # a token from the earlier run still works, and ids go on from where they were
        bearer = httpx.get(f"{second.url}/api/v2/me/", headers={"Authorization": f"Bearer {token}"})
        assert bearer.status_code == 200
        newer = second.client.post("/api/v2/organizations/", json={"name": "Next"}).json()
        assert newer["id"] > org["id"]
    finally:
        second.stop()


def test_sigkill_mid_write_keeps_every_acknowledged_change(state_path: pathlib.Path) -> None:
    acknowledged: list[int] = []
    rng = random.Random(5)
    for round_number in range(3):
        server = Serve(state_path, "--seed", "empty")
        try:
            names = {r["id"] for r in server.client.get("/api/v2/organizations/?page_size=200").json()["results"]}
            assert set(acknowledged) <= names, "an acknowledged organization was lost"
            stop = threading.Event()

            def write(client: httpx.Client = server.client, tag: int = round_number) -> None:
                for index in range(2000):
                    if stop.is_set():
                        return
                    try:
                        response = client.post("/api/v2/organizations/", json={"name": f"r{tag}-{index}", "description": "x" * 2000})
                    except httpx.HTTPError:
                        return
                    if response.status_code == 201:
                        acknowledged.append(response.json()["id"])

            writer = threading.Thread(target=write, daemon=True)
            writer.start()
            # let a few writes land however slow the machine is, then kill at a random moment after
            before, deadline = len(acknowledged), time.monotonic() + 20
            while len(acknowledged) < before + 5 and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(rng.uniform(0.0, 0.3))
            server.process.kill()  # SIGKILL while requests (and so saves) are in flight
            server.process.wait(timeout=10)
            stop.set()
            writer.join(timeout=10)
        finally:
            server.stop(signal.SIGKILL)
    assert len(acknowledged) > 10
    last = Serve(state_path, "--seed", "empty")
    try:
        ids = {r["id"] for r in _all(last.client, "/api/v2/organizations/")}
        assert set(acknowledged) <= ids
        assert not [p for p in state_path.parent.iterdir() if p.name.endswith(".tmp")], "a temporary file was left"
    finally:
        last.stop()


def _saved_status_is(state_path: pathlib.Path, job_id: int, status: str) -> bool:
    """Whether the state file (replaced atomically, so always whole) already holds the job's status."""
    try:
        data = json.loads(state_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return any(r.get("id") == job_id and r.get("status") == status for r in data.get("tables", {}).get("jobs", []))


def _all(client: httpx.Client, path: str) -> list[dict[str, t.Any]]:
    items: list[dict[str, t.Any]] = []
    url: str | None = f"{path}?page_size=200"
    while url:
        body = client.get(url).json()
        items += body["results"]
        url = body["next"]
    return items


def test_real_time_jobs_run_and_their_progress_is_saved(state_path: pathlib.Path) -> None:
    server = Serve(state_path, "--seed", "demo", "--job-duration", "0.3", "--job-start-delay", "0")
    try:
        template = server.client.get("/api/v2/job_templates/?name=Demo Job Template").json()["results"][0]["id"]
        job = server.client.post(f"/api/v2/job_templates/{template}/launch/", json={}).json()["id"]
        deadline = time.monotonic() + 10
        while server.client.get(f"/api/v2/jobs/{job}/").json()["status"] != "successful":
            assert time.monotonic() < deadline, "the job never finished in real time"
            time.sleep(0.1)
        # the ticker's changes reach the file within the saver's interval, with no request needed
        deadline = time.monotonic() + 10
        while not _saved_status_is(state_path, job, "successful"):
            assert time.monotonic() < deadline, "the finished job never reached the state file"
            time.sleep(0.05)
        assert server.client.get("/_mockawx/state/").status_code == 403  # the control token is required
        assert server.client.get("/_mockawx/state/", headers=CONTROL).status_code == 200
    finally:
        server.stop(signal.SIGKILL)
    again = Serve(state_path, "--seed", "demo")
    try:
        assert again.client.get(f"/api/v2/jobs/{job}/").json()["status"] == "successful"
    finally:
        again.stop()


CORRUPT = {
    "not-json": b'{"format": "mockawx-state/1", "tables": {',
    "empty": b"",
    "foreign-json": b'{"name": "something else entirely"}',
    "json-list": b"[1, 2, 3]",
    "other-version": json.dumps({"format": "mockawx-state/999", "tables": {}}).encode(),
    "damaged-state": json.dumps({"format": FORMAT, "sequences": {}, "tables": {"users": [{"no": "id"}]}}).encode(),
    "damaged-tables": json.dumps({"format": FORMAT, "sequences": {}, "tables": [1]}).encode(),
    "binary": bytes(range(256)),
}


@pytest.mark.parametrize("kind", sorted(CORRUPT))
def test_a_corrupt_or_foreign_file_is_refused_and_left_alone(state_path: pathlib.Path, kind: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    state_path.write_bytes(CORRUPT[kind])
    code = cli.main(["serve", "--state", str(state_path), "--port", "0", "--seed", "empty"])
    assert code == 2
    message = capsys.readouterr().err
    assert "refusing to use the state file" in message and str(state_path) in message and "left untouched" in message
    assert state_path.read_bytes() == CORRUPT[kind]


def test_the_command_exits_2_on_a_corrupt_file(state_path: pathlib.Path) -> None:
    state_path.write_text("{ half a state")
    done = subprocess.run([sys.executable, "-m", "mockawx.cli", "serve", "--state", str(state_path), "--port", "0"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2 and "not JSON" in done.stderr and done.stdout == ""
    assert state_path.read_text() == "{ half a state"


def test_a_missing_directory_is_refused(tmp_path: pathlib.Path) -> None:
    args = cli.build_parser().parse_args(["serve", "--state", str(tmp_path / "nowhere" / "s.json"), "--seed", "empty"])
    with pytest.raises(cli.MockAWXError, match="does not exist"):
        cli.prepare(args)


def test_saving_is_atomic(state_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch) -> None:
    served = cli.prepare(cli.build_parser().parse_args(["serve", "--state", str(state_path), "--seed", "empty"]))
    state = t.cast(StateFile, served.state)
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd))[1])
    state.save()
    assert synced, "the state was not fsynced"
    good = state_path.read_bytes()

    def broken_rename(src: str, dst: str) -> None:
        raise OSError("disk on fire")

    served.app.runtime.store.meta["marker"] = "changed"
    monkeypatch.setattr(os, "replace", broken_rename)
    with pytest.raises(OSError):
        state.save()
    assert state_path.read_bytes() == good  # the old complete state is still there
    assert [p.name for p in state_path.parent.iterdir()] == [state_path.name]  # and no temporary file


def test_snapshot_and_restore_through_the_control_plane(state_path: pathlib.Path) -> None:
    served = cli.prepare(cli.build_parser().parse_args(["serve", "--seed", "empty"]))
    client = httpx.Client(transport=httpx.WSGITransport(app=served.wsgi), base_url="http://mock", auth=AUTH)
    client.post("/api/v2/organizations/", json={"name": "Before"})
    saved = client.get("/_mockawx/state/").json()
    client.post("/api/v2/organizations/", json={"name": "After"})
    assert client.post("/_mockawx/state/", json=saved).status_code == 204
    names = [r["name"] for r in client.get("/api/v2/organizations/").json()["results"]]
    assert names == ["Before"]
    assert client.post("/_mockawx/state/", json={"format": "something/else"}).status_code == 400
    assert client.get("/_mockawx/state/").json()["tables"] == saved["tables"]


def test_fixture_handle_saves_and_restores(mockawx: t.Any) -> None:
    with httpx.Client(base_url=mockawx.url, auth=mockawx.auth) as client:
        org = client.post("/api/v2/organizations/", json={"name": "Saved"}).json()
        saved = mockawx.save()
        json.dumps(saved)  # plain JSON
        client.patch(f"/api/v2/organizations/{org['id']}/", json={"name": "Changed"})
        client.post("/api/v2/organizations/", json={"name": "Extra"})
        mockawx.restore(saved)
        assert [r["name"] for r in client.get("/api/v2/organizations/").json()["results"]] == ["Saved"]
        client.post("/api/v2/organizations/", json={"name": "Again"})
        mockawx.restore(saved)  # the same saved state can be returned to twice
        assert client.get("/api/v2/organizations/").json()["count"] == 1
