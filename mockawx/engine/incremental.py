"""Incremental workflow run: the reference cycle's results at O(nodes + edges) total cost."""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from mockawx.engine.dag import FAILED_LIKE, FINISHED, EdgeKind, NodeState, WorkflowGraph

__all__ = ["Step", "WorkflowRun"]

_SUCCESS, _FAILURE, _ALWAYS = 1, 2, 4
_BIT = {EdgeKind.SUCCESS: _SUCCESS, EdgeKind.FAILURE: _FAILURE, EdgeKind.ALWAYS: _ALWAYS}
_ON_SUCCESS = _SUCCESS | _ALWAYS
_ON_FAILURE = _FAILURE | _ALWAYS


@dataclass(slots=True)
class Step:
    """Outcome of one event: nodes newly DNR, nodes to spawn now, jobs to cancel, and run status."""

    newly_dnr: list[int] = field(default_factory=list)
    spawn: list[int] = field(default_factory=list)
    cancel: list[int] = field(default_factory=list)
    done: bool = False
    failed: bool = False
    canceled: bool = False
    stalled: bool = False


def _lead_mask(status: str | None) -> int:
    # a template-less node (status None here) is followed like a failed one
    return _ON_SUCCESS if status == "successful" else _ON_FAILURE


class WorkflowRun:
    """One workflow job's DAG run, driven by job events; agrees with run_cycle at its fixed point."""

    def __init__(self, graph: WorkflowGraph) -> None:
        """Index the graph densely; raises ValueError when it has a cycle."""
        self.graph = graph
        self._ids = list(graph.nodes)
        index = {nid: i for i, nid in enumerate(self._ids)}
        self._index = index
        n = len(self._ids)
        kids: list[dict[int, int]] = [{} for _ in range(n)]
        for p, nid in enumerate(self._ids):
            slot = kids[p]
            for child, kind in graph.labelled_children(nid):
                c = index[child]
                slot[c] = slot.get(c, 0) | _BIT[kind]
        # children as (child index, label bit mask); a parent links to a child at most once here
        self._children = [list(k.items()) for k in kids]
        self._nparents = [0] * n
        for k in kids:
            for c in k:
                self._nparents[c] += 1
        self._rank = self._topological_ranks()
        nodes = list(graph.nodes.values())
        self._null = [not node.has_template for node in nodes]
        self._all = [node.all_parents_must_converge for node in nodes]
        self._handled = [graph.has_failure_handler(nid) for nid in self._ids]
        self._status: list[str | None] = [None] * n
        self._dnr = [False] * n
        self._init_counters(kids)
        self._started = False
        self._canceling = False
        self.done = False
        self.failed = False
        self.canceled = False
        self.stalled = False

    def _topological_ranks(self) -> list[int]:
        # any topological order works: ranks only order re-evaluation of reachability
        indegree = list(self._nparents)
        ready = deque(i for i, d in enumerate(indegree) if d == 0)
        rank = [0] * len(indegree)
        pos = 0
        while ready:
            p = ready.popleft()
            rank[p] = pos
            pos += 1
            for c, _ in self._children[p]:
                indegree[c] -= 1
                if indegree[c] == 0:
                    ready.append(c)
        if pos != len(indegree):
            raise ValueError(f"workflow graph has a cycle: {self.graph.find_cycle()}")
        return rank

    def _init_counters(self, kids: list[dict[int, int]]) -> None:
        n = len(self._ids)
        # block[c]: parents that are undecided or lead to c (ANY marks c DNR at 0)
        self._block = [0] * n
        # unfinished[c]: parents with a template, not DNR, without a finished job
        self._unfinished = [0] * n
        for p, k in enumerate(kids):
            for c, mask in k.items():
                if not self._null[p]:
                    self._block[c] += 1
                    self._unfinished[c] += 1
                elif mask & _ON_FAILURE:
                    self._block[c] += 1
        self._allbad = [False] * n  # ALL node c has a DNR or mismatched successful/failed parent
        self._passes = [0] * n  # reached, non-DNR parents whose outcome follows the edge into c
        self._reached = [self._nparents[i] == 0 for i in range(n)]
        self._contrib = [False] * n
        self._undecided = sum(1 for i in range(n) if not self._null[i])
        self._running = 0
        self._unhandled_jobs = 0
        self._unhandled_null = sum(1 for i in range(n) if self._null[i] and not self._handled[i])

    # ---- public read side -------------------------------------------------------------------
    @property
    def states(self) -> dict[int, NodeState]:
        """Snapshot of every node's state, keyed by node id."""
        return {nid: NodeState(self._status[i], self._dnr[i]) for i, nid in enumerate(self._ids)}

    def job_status(self, node_id: int) -> str | None:
        """Status of the node's job, or None when it has none."""
        return self._status[self._index[node_id]]

    def do_not_run(self, node_id: int) -> bool:
        """Whether the node is marked do-not-run."""
        return self._dnr[self._index[node_id]]

    # ---- events -----------------------------------------------------------------------------
    def start(self) -> Step:
        """First cycle: mark what is already decided and spawn the roots."""
        if self._started:
            raise RuntimeError("workflow run already started")
        self._started = True
        newly: list[int] = []
        self._drain_marks(list(range(len(self._ids))), newly)
        self._update_reach([i for i in range(len(self._ids)) if self._reached[i]])
        return self._finish_step(newly, range(len(self._ids)))

    def job_started(self, node_id: int) -> None:
        """Record that a pending job is now running; changes no decision."""
        i = self._index[node_id]
        if self._status[i] is None or self._status[i] in FINISHED:
            raise ValueError(f"node {node_id} has no active job")
        self._status[i] = "running"

    def job_finished(self, node_id: int, status: str) -> Step:
        """Record a spawned job's final status and run the workflow manager to its fixed point."""
        i = self._index[node_id]
        if status not in FINISHED:
            raise ValueError(f"{status!r} is not a finished status")
        if self._status[i] is None or self._status[i] in FINISHED:
            raise ValueError(f"node {node_id} has no active job")
        self._status[i] = status
        self._running -= 1
        if status in FAILED_LIKE and not self._handled[i]:
            self._unhandled_jobs += 1
        if self._canceling:
            return self._cancel_step([], [])  # cancels were already requested by cancel()
        lead = _lead_mask(status)
        touched: list[int] = []
        candidates: list[int] = []
        for c, mask in self._children[i]:
            if not mask & lead:
                self._block[c] -= 1
                if status in ("successful", "failed"):
                    self._allbad[c] = True  # error/canceled parents are ignored by ALL (AWX quirk)
                touched.append(c)
            self._unfinished[c] -= 1
            if self._unfinished[c] == 0:
                candidates.append(c)
        newly: list[int] = []
        self._drain_marks(touched, newly, candidates)
        candidates.extend(self._update_reach([i, *newly]))
        return self._finish_step(newly, candidates)

    def cancel(self) -> Step:
        """Cancel flag set: mark every jobless node DNR and list the jobs that still need a cancel."""
        if self.done:
            return Step([], [], [], True, self.failed, self.canceled, False)
        self._canceling = True
        if not self._started:
            # a pending workflow job is canceled at once, its nodes untouched
            self._started = True
            return self._cancel_step([], [])
        newly: list[int] = []
        active: list[int] = []
        for i, nid in enumerate(self._ids):
            if self._status[i] is None:
                if not self._dnr[i]:
                    self._dnr[i] = True
                    newly.append(nid)
            elif self._status[i] not in FINISHED:
                active.append(nid)
        return self._cancel_step(newly, active)

    # ---- internals --------------------------------------------------------------------------
    def _cancel_step(self, newly: list[int], active: list[int]) -> Step:
        if self._running == 0:
            # canceled workflow jobs report failed=true, like every failed/error/canceled job
            self.done = self.failed = self.canceled = True
            self.stalled = False
        return Step(newly, [], active, self.done, self.failed, self.canceled, False)

    def _drain_marks(self, todo: list[int], newly: list[int], candidates: list[int] | None = None) -> None:
        """Mark DNR to a fixed point; the closure is unique on a DAG, so worklist order is free."""
        while todo:
            c = todo.pop()
            if self._dnr[c] or self._status[c] is not None or self._nparents[c] == 0:
                continue
            if not (self._allbad[c] if self._all[c] else self._block[c] == 0):
                continue
            self._dnr[c] = True
            newly.append(c)
            if self._null[c]:
                if not self._handled[c]:
                    self._unhandled_null -= 1
            else:
                self._undecided -= 1
            for k, mask in self._children[c]:
                # c was undecided (template) or leading-if-failure-edge (template-less); now neither
                if not self._null[c] or mask & _ON_FAILURE:
                    self._block[k] -= 1
                if not self._null[c]:
                    self._unfinished[k] -= 1
                    if self._unfinished[k] == 0 and candidates is not None:
                        candidates.append(k)
                self._allbad[k] = True
                todo.append(k)

    def _update_reach(self, dirty: list[int]) -> list[int]:
        """Re-evaluate BFS reachability below `dirty` in topological order; return newly reached."""
        heap = [(self._rank[i], i) for i in dict.fromkeys(dirty)]
        heapq.heapify(heap)
        queued = {i for _, i in heap}
        gained: list[int] = []
        while heap:
            _, p = heapq.heappop(heap)
            status = self._status[p]
            want = (
                self._reached[p]
                and not self._dnr[p]
                and (self._null[p] or (status is not None and status in FINISHED))
            )
            if want == self._contrib[p]:
                continue
            self._contrib[p] = want
            delta = 1 if want else -1
            lead = _lead_mask(status)
            for c, mask in self._children[p]:
                if not mask & lead:
                    continue
                self._passes[c] += delta
                now = self._passes[c] > 0 or self._nparents[c] == 0
                if now != self._reached[c]:
                    self._reached[c] = now
                    if now:
                        gained.append(c)
                    # only a template-less node or a finished job can pass reachability on
                    if (self._null[c] or self._status[c] in FINISHED) and c not in queued:
                        queued.add(c)
                        heapq.heappush(heap, (self._rank[c], c))
        return gained

    def _finish_step(self, newly: list[int], candidates: Iterable[int]) -> Step:
        newly_ids = sorted(self._ids[i] for i in newly)
        if self._undecided == 0 and self._running == 0:
            self.done = True
            self.failed = self._unhandled_jobs > 0 or self._unhandled_null > 0
            self.stalled = False
            return Step(newly_ids, [], [], True, self.failed, False, False)
        spawn = sorted({i for i in candidates if self._spawnable(i)})
        for i in spawn:
            self._status[i] = "pending"
            self._undecided -= 1
        self._running += len(spawn)
        self.stalled = self._running == 0
        return Step(newly_ids, [self._ids[i] for i in spawn], [], False, False, False, self.stalled)

    def _spawnable(self, i: int) -> bool:
        # a non-DNR ALL node already passes its criteria: failing them would have marked it DNR
        return (
            self._reached[i]
            and not self._dnr[i]
            and self._status[i] is None
            and not self._null[i]
            and self._unfinished[i] == 0
        )
