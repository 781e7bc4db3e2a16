"""Concurrent mixed traffic against one loopback mock, then whole-state invariants.

``tests/reliability/test_stress.py`` runs a short bounded round; ``make soak`` runs
``python -m tests.reliability.soak`` for ``SOAK_SECONDS`` (default 300) and prints counts.
"""

from __future__ import annotations

import collections
import dataclasses
import os
import random
import threading
import time
import typing as t

import httpx

from mockawx import ManualClock, create_app
from mockawx.server import MockServer

__all__ = ["Tally", "run_mix", "settle", "check_invariants", "main"]

TERMINAL = {"successful", "failed", "error", "canceled"}
HOSTILE_BODIES = (b"{bad", b"[1, 2]", b'"text"', b"\x00\xff", b'{"name": ' + b"[" * 5000 + b"]" * 5000 + b"}", b"")


@dataclasses.dataclass
class Tally:
    """What one client thread sent and what the server acknowledged."""

    sent: collections.Counter[str] = dataclasses.field(default_factory=collections.Counter)
    statuses: collections.Counter[tuple[str, int]] = dataclasses.field(default_factory=collections.Counter)
    server_errors: list[str] = dataclasses.field(default_factory=list)
    wfjts_created: list[int] = dataclasses.field(default_factory=list)
    wfjts_deleted: list[int] = dataclasses.field(default_factory=list)
    nodes_created: list[tuple[int, int]] = dataclasses.field(default_factory=list)  # (wfjt, node)
    nodes_deleted: list[int] = dataclasses.field(default_factory=list)
    workflow_jobs: list[int] = dataclasses.field(default_factory=list)
    jobs: list[int] = dataclasses.field(default_factory=list)

    def merge(self, other: Tally) -> None:
        """Add another thread's counts and acknowledgements to these."""
        self.sent.update(other.sent)
        self.statuses.update(other.statuses)
        for name in ("server_errors", "wfjts_created", "wfjts_deleted", "nodes_created", "nodes_deleted", "workflow_jobs", "jobs"):
            getattr(self, name).extend(getattr(other, name))


class Shared:
    """Objects every thread may act on, so threads collide on the same templates and nodes."""

    def __init__(self, job_templates: list[int]) -> None:
        self.lock = threading.Lock()
        self.job_templates = job_templates
        self.wfjts: list[int] = []
        self.nodes: dict[int, list[int]] = {}
        self.edges: list[tuple[int, int, str]] = []
        self.workflow_jobs: list[int] = []
        self.jobs: list[int] = []

    def pick(self, rng: random.Random, items: t.Sequence[t.Any]) -> t.Any:
        with self.lock:
            return rng.choice(items) if items else None


class Worker:
    """One client thread: a seeded random mix of operations until its count or the deadline."""

    def __init__(self, base: str, auth: tuple[str, str], shared: Shared, seed: int, hostile: bool) -> None:
        self.client = httpx.Client(base_url=base, auth=auth, timeout=30.0)
        self.shared = shared
        self.rng = random.Random(seed)
        self.name = f"t{seed}"
        self.hostile = hostile
        self.tally = Tally()
        self.counter = 0

    def send(self, op: str, method: str, path: str, **kwargs: t.Any) -> httpx.Response:
        self.tally.sent[op] += 1
        response = self.client.request(method, path, **kwargs)
        self.tally.statuses[(op, response.status_code)] += 1
        if response.status_code >= 500:
            self.tally.server_errors.append(f"{op} {method} {path} -> {response.status_code} {response.text[:200]}")
        return response

    def run(self, count: int, deadline: float) -> None:
        ops = [self.create_wfjt, self.patch_wfjt, self.create_node, self.create_node, self.associate, self.associate,
               self.disassociate, self.delete_node, self.delete_wfjt, self.launch_wfjt, self.launch_jt, self.cancel,
               self.approve, self.relaunch]
        if self.hostile:
            ops.append(self.garbage)
        try:
            for _ in range(count):
                if time.monotonic() > deadline:
                    break
                self.rng.choice(ops)()
        finally:
            self.client.close()

    def create_wfjt(self) -> None:
        self.counter += 1
        response = self.send("create", "POST", "/api/v2/workflow_job_templates/",
                             json={"name": f"{self.name}-{self.counter}", "organization": 1, "allow_simultaneous": True})
        if response.status_code == 201:
            pk = response.json()["id"]
            self.tally.wfjts_created.append(pk)
            with self.shared.lock:
                self.shared.wfjts.append(pk)
                self.shared.nodes[pk] = []

    def patch_wfjt(self) -> None:
        pk = self.shared.pick(self.rng, self.shared.wfjts)
        if pk is not None:
            self.send("patch", "PATCH", f"/api/v2/workflow_job_templates/{pk}/", json={"description": f"by {self.name}"})

    def create_node(self) -> None:
        pk = self.shared.pick(self.rng, self.shared.wfjts)
        if pk is None:
            return
        approval = self.rng.random() < 0.25
        body = {} if approval else {"unified_job_template": self.rng.choice(self.shared.job_templates)}
        response = self.send("create", "POST", f"/api/v2/workflow_job_templates/{pk}/workflow_nodes/", json=body)
        if response.status_code != 201:
            return
        node = response.json()["id"]
        self.tally.nodes_created.append((pk, node))
        with self.shared.lock:
            self.shared.nodes.setdefault(pk, []).append(node)
        if approval:
            self.send("create", "POST", f"/api/v2/workflow_job_template_nodes/{node}/create_approval_template/",
                      json={"name": f"gate {node}", "timeout": 0})

    def associate(self) -> None:
        with self.shared.lock:
            candidates = [nodes for nodes in self.shared.nodes.values() if len(nodes) >= 2]
            pair = self.rng.sample(self.rng.choice(candidates), 2) if candidates else None
        if pair is None:
            return
        kind = self.rng.choice(("success_nodes", "failure_nodes", "always_nodes"))
        response = self.send("associate", "POST", f"/api/v2/workflow_job_template_nodes/{pair[0]}/{kind}/", json={"id": pair[1]})
        if response.status_code == 204:
            with self.shared.lock:
                self.shared.edges.append((pair[0], pair[1], kind))

    def disassociate(self) -> None:
        edge = self.shared.pick(self.rng, self.shared.edges)
        if edge is not None:
            parent, child, kind = edge
            self.send("disassociate", "POST", f"/api/v2/workflow_job_template_nodes/{parent}/{kind}/",
                      json={"id": child, "disassociate": True})

    def delete_node(self) -> None:
        # approval nodes too: deleting one takes its approval template, and running workflows must still finish
        with self.shared.lock:
            nodes = [n for ns in self.shared.nodes.values() for n in ns]
        node = self.rng.choice(nodes) if nodes else None
        if node is not None and self.send("delete", "DELETE", f"/api/v2/workflow_job_template_nodes/{node}/").status_code == 204:
            self.tally.nodes_deleted.append(node)
            with self.shared.lock:
                for ns in self.shared.nodes.values():
                    if node in ns:
                        ns.remove(node)

    def delete_wfjt(self) -> None:
        with self.shared.lock:
            if len(self.shared.wfjts) < 4:  # keep some templates alive to launch and wire
                return
        pk = self.shared.pick(self.rng, self.shared.wfjts)
        if self.send("delete", "DELETE", f"/api/v2/workflow_job_templates/{pk}/").status_code == 204:
            self.tally.wfjts_deleted.append(pk)
            with self.shared.lock:
                if pk in self.shared.wfjts:
                    self.shared.wfjts.remove(pk)
                self.shared.nodes.pop(pk, None)

    def launch_wfjt(self) -> None:
        pk = self.shared.pick(self.rng, self.shared.wfjts)
        if pk is None:
            return
        response = self.send("launch", "POST", f"/api/v2/workflow_job_templates/{pk}/launch/", json={})
        if response.status_code == 201:
            self._launched("workflow_jobs", response.json()["id"])

    def launch_jt(self) -> None:
        pk = self.rng.choice(self.shared.job_templates)
        response = self.send("launch", "POST", f"/api/v2/job_templates/{pk}/launch/", json={})
        if response.status_code == 201:
            self._launched("jobs", response.json()["id"])

    def _launched(self, kind: str, pk: int) -> None:
        getattr(self.tally, kind).append(pk)
        with self.shared.lock:
            getattr(self.shared, kind).append(pk)

    def _some_job(self) -> tuple[str, int] | None:
        kind = self.rng.choice(("workflow_jobs", "jobs"))
        pk = self.shared.pick(self.rng, getattr(self.shared, kind))
        return None if pk is None else (kind, pk)

    def cancel(self) -> None:
        found = self._some_job()
        if found:
            self.send("cancel", "POST", f"/api/v2/{found[0]}/{found[1]}/cancel/", json={})

    def relaunch(self) -> None:
        found = self._some_job()
        if found:
            response = self.send("relaunch", "POST", f"/api/v2/{found[0]}/{found[1]}/relaunch/", json={})
            if response.status_code == 201:
                self._launched(found[0], response.json()["id"])

    def approve(self) -> None:
        pending = self.send("approve", "GET", "/api/v2/workflow_approvals/?status=pending&page_size=5")
        results = pending.json().get("results", []) if pending.status_code == 200 else []
        if results:
            verb = self.rng.choice(("approve", "approve", "deny"))
            self.send("approve", "POST", f"/api/v2/workflow_approvals/{self.rng.choice(results)['id']}/{verb}/", json={})

    def garbage(self) -> None:
        pk = self.shared.pick(self.rng, self.shared.wfjts) or 0
        path = self.rng.choice(("/api/v2/workflow_job_templates/", f"/api/v2/workflow_job_templates/{pk}/",
                                f"/api/v2/workflow_job_templates/{pk}/launch/", "/api/v2/job_templates/"))
        method = self.rng.choice(("POST", "PATCH", "PUT")) if path.endswith(f"{pk}/") else "POST"
        response = self.send("garbage", method, path, content=self.rng.choice(HOSTILE_BODIES), headers={"Content-Type": "application/json"})
        if response.status_code == 201 and path.endswith("/launch/"):  # an empty body is a valid launch
            self._launched("workflow_jobs", response.json()["id"])


def run_mix(server: MockServer, auth: tuple[str, str], *, threads: int, ops: int, seconds: float, hostile: bool = False) -> Tally:
    """``threads`` clients doing up to ``ops`` operations each, stopped at ``seconds``; a clock thread advances time."""
    with httpx.Client(base_url=server.url, auth=auth) as client:
        listing = client.get("/api/v2/job_templates/?page_size=50").json()
    shared = Shared([r["id"] for r in listing["results"]])
    deadline = time.monotonic() + seconds
    workers = [Worker(server.url, auth, shared, seed, hostile) for seed in range(threads)]
    done = threading.Event()
    clock_tally = Tally()

    def drive_clock() -> None:
        with httpx.Client(base_url=server.url, timeout=30.0) as client:
            while not done.wait(0.02):
                response = client.post("/_mockawx/clock/advance/", json={"seconds": 0.5})
                clock_tally.statuses[("clock", response.status_code)] += 1
                if response.status_code >= 500:
                    clock_tally.server_errors.append(f"clock advance -> {response.status_code}")

    pool = [threading.Thread(target=w.run, args=(ops, deadline), daemon=True) for w in workers]
    ticker = threading.Thread(target=drive_clock, daemon=True)
    ticker.start()
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=seconds + 60)
    done.set()
    ticker.join(timeout=30)
    total = clock_tally
    for worker in workers:
        total.merge(worker.tally)
    return total


def settle(client: httpx.Client, rounds: int = 50) -> None:
    """Run every queued event and answer every pending approval until nothing is left."""
    for _ in range(rounds):
        client.post("/_mockawx/clock/run_until_idle/")
        pending = pages(client, "/api/v2/workflow_approvals/?status=pending")
        if not pending:
            return
        for approval in pending:
            client.post(f"/api/v2/workflow_approvals/{approval['id']}/approve/", json={})
    raise AssertionError("approvals kept appearing; the mock did not settle")


def pages(client: httpx.Client, path: str) -> list[dict[str, t.Any]]:
    """Every item of a list endpoint, following ``next``."""
    items: list[dict[str, t.Any]] = []
    url: str | None = path + ("&" if "?" in path else "?") + "page_size=200"
    while url:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code, response.text[:200])
        body = response.json()
        items.extend(body["results"])
        url = body["next"]
    return items


def check_invariants(client: httpx.Client, tally: Tally, baseline: dict[str, set[int]]) -> list[str]:
    """Problems found in the settled state (empty when every invariant holds)."""
    problems = list(tally.server_errors)
    for name, acked in (("workflow job templates", tally.wfjts_created), ("nodes", [n for _, n in tally.nodes_created]),
                        ("workflow jobs", tally.workflow_jobs), ("jobs", tally.jobs)):
        if len(acked) != len(set(acked)):
            problems.append(f"{name}: the same id was acknowledged twice")
    wfjts = {r["id"] for r in pages(client, "/api/v2/workflow_job_templates/")} - baseline["wfjts"]
    expected = set(tally.wfjts_created) - set(tally.wfjts_deleted)
    if wfjts != expected:
        problems.append(f"workflow job templates: {len(wfjts)} exist, {len(expected)} acknowledged ({sorted(wfjts ^ expected)[:10]})")
    nodes = {r["id"]: r for r in pages(client, "/api/v2/workflow_job_template_nodes/")}
    alive_nodes = {n for w, n in tally.nodes_created if w in expected} - set(tally.nodes_deleted)
    if set(nodes) - baseline["nodes"] != alive_nodes:
        problems.append(f"nodes: {len(set(nodes) - baseline['nodes'])} exist, {len(alive_nodes)} acknowledged")
    problems.extend(_graph_problems(nodes))
    workflow_jobs = {r["id"]: r for r in pages(client, "/api/v2/workflow_jobs/")}
    jobs = {r["id"]: r for r in pages(client, "/api/v2/jobs/")}
    if set(workflow_jobs) - baseline["workflow_jobs"] != set(tally.workflow_jobs):
        problems.append(f"workflow jobs: {len(workflow_jobs)} exist, {len(tally.workflow_jobs)} acknowledged")
    for kind, acked, found in (("workflow job", tally.workflow_jobs, workflow_jobs), ("job", tally.jobs, jobs)):
        for pk in acked:
            status = found.get(pk, {}).get("status")
            if status not in TERMINAL:
                problems.append(f"{kind} {pk} ended {status!r}, not a terminal state")
    unfinished = [pk for pk, job in jobs.items() if job["status"] not in TERMINAL]
    if unfinished:
        problems.append(f"jobs never finished: {unfinished[:10]}")
    return problems


def _graph_problems(nodes: dict[int, dict[str, t.Any]]) -> list[str]:
    problems: list[str] = []
    children: dict[int, list[int]] = {}
    for pk, node in nodes.items():
        kids = [*node["success_nodes"], *node["failure_nodes"], *node["always_nodes"]]
        for kid in kids:
            if kid not in nodes:
                problems.append(f"node {pk} has an edge to missing node {kid}")
            elif nodes[kid]["workflow_job_template"] != node["workflow_job_template"]:
                problems.append(f"node {pk} has an edge to node {kid} of another template")
        children[pk] = [k for k in kids if k in nodes]
    indegree = collections.Counter(k for kids in children.values() for k in kids)
    ready = [pk for pk in children if indegree[pk] == 0]
    seen = 0
    while ready:  # Kahn: every node is removed only when the graph has no cycle
        pk = ready.pop()
        seen += 1
        for kid in children[pk]:
            indegree[kid] -= 1
            if indegree[kid] == 0:
                ready.append(kid)
    if seen != len(children):
        problems.append(f"cycle: {len(children) - seen} nodes are on or behind a cycle")
    return problems


def baseline_ids(client: httpx.Client) -> dict[str, set[int]]:
    """Ids present before the mix (the seed's), left out of the acknowledged counts."""
    return {
        "wfjts": {r["id"] for r in pages(client, "/api/v2/workflow_job_templates/")},
        "nodes": {r["id"] for r in pages(client, "/api/v2/workflow_job_template_nodes/")},
        "workflow_jobs": {r["id"] for r in pages(client, "/api/v2/workflow_jobs/")},
    }


def main() -> int:
    """``make soak``: a long mixed run with hostile requests; prints counts, exits 1 on a broken invariant."""
    seconds = float(os.environ.get("SOAK_SECONDS", "300"))
    threads = int(os.environ.get("SOAK_THREADS", "8"))
    app = create_app(seed="demo", clock=ManualClock())
    auth = ("admin", "password")
    started = time.monotonic()
    with MockServer(app, threads=threads + 2) as server, httpx.Client(base_url=server.url, auth=auth, timeout=60) as client:
        baseline = baseline_ids(client)
        tally = run_mix(server, auth, threads=threads, ops=10**9, seconds=seconds, hostile=True)
        settle(client)
        problems = check_invariants(client, tally, baseline)
    problems += [repr(e) for e in app.runtime.handler_errors]
    elapsed = time.monotonic() - started
    total = sum(tally.sent.values())
    print(f"soak: {total} operations by {threads} threads in {elapsed:.1f} s ({total / elapsed:.0f}/s)")
    for op, count in sorted(tally.sent.items()):
        codes = ", ".join(f"{code}: {n}" for (name, code), n in sorted(tally.statuses.items()) if name == op)
        print(f"  {op:<13}{count:>8}   {codes}")
    print(f"  acknowledged: {len(tally.wfjts_created)} templates created, {len(tally.wfjts_deleted)} deleted, "
          f"{len(tally.nodes_created)} nodes, {len(tally.workflow_jobs)} workflow jobs, {len(tally.jobs)} jobs")
    print(f"  5xx: {len(tally.server_errors)}   invariant problems: {len(problems)}")
    for problem in problems[:20]:
        print(f"  ! {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
