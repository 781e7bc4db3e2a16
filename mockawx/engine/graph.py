"""Immutable workflow graph: nodes, labelled edges, cycles and edge validation."""

from __future__ import annotations

import graphlib
import heapq
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

__all__ = [
    "EdgeKind",
    "FINISHED",
    "FAILED_LIKE",
    "Node",
    "WorkflowGraph",
    "edge_problem",
    "edge_leads",
    "CYCLE_DETECTED",
    "RELATIONSHIP_NOT_ALLOWED",
]

CYCLE_DETECTED = "Cycle detected."
RELATIONSHIP_NOT_ALLOWED = "Relationship not allowed."


class EdgeKind(str, Enum):
    """Label of an edge, named after the node list it lives in (success_nodes, ...)."""

    SUCCESS = "success"
    FAILURE = "failure"
    ALWAYS = "always"


_KINDS: tuple[EdgeKind, ...] = tuple(EdgeKind)
_SLOT: dict[EdgeKind, int] = {kind: pos for pos, kind in enumerate(_KINDS)}

FINISHED: frozenset[str] = frozenset({"successful", "failed", "error", "canceled"})
FAILED_LIKE: frozenset[str] = frozenset({"failed", "error", "canceled"})


def edge_leads(status: str, kinds: Iterable[EdgeKind]) -> bool:
    """True when a parent that ended with `status` follows an edge carrying one of `kinds`."""
    wanted = EdgeKind.SUCCESS if status == "successful" else EdgeKind.FAILURE
    return any(kind is wanted or kind is EdgeKind.ALWAYS for kind in kinds)


@dataclass(frozen=True, slots=True)
class Node:
    """A workflow node: its id, whether it has a unified job template, and its convergence mode."""

    id: int
    has_template: bool = True
    all_parents_must_converge: bool = False


class WorkflowGraph:
    """Immutable DAG of workflow nodes with success/failure/always edges and O(1) neighbour lookups."""

    __slots__ = ("_nodes", "_children", "_parents", "_seen", "_edges")

    def __init__(self, nodes: Iterable[Node], edges: Iterable[tuple[int, EdgeKind, int]]) -> None:
        """Build the graph; raises ValueError for duplicate node ids or an edge to an unknown node."""
        by_id: dict[int, Node] = {}
        for node in nodes:
            if node.id in by_id:
                raise ValueError(f"duplicate node id {node.id}")
            by_id[node.id] = node
        self._nodes: Mapping[int, Node] = MappingProxyType(dict(sorted(by_id.items())))
        # per node: one child list per label, in _KINDS order
        children: dict[int, tuple[list[int], list[int], list[int]]] = {
            nid: ([], [], []) for nid in self._nodes
        }
        parents: dict[int, list[tuple[int, EdgeKind]]] = {nid: [] for nid in self._nodes}
        seen: set[tuple[int, EdgeKind, int]] = set()
        for parent, raw_kind, child in edges:
            kind = raw_kind if type(raw_kind) is EdgeKind else EdgeKind(raw_kind)
            if parent not in by_id or child not in by_id:
                raise ValueError(f"edge {parent} -{kind.value}-> {child} names an unknown node")
            edge = (parent, kind, child)
            if edge in seen:
                continue  # the same edge twice is one edge, as in AWX's many-to-many lists
            seen.add(edge)
            children[parent][_SLOT[kind]].append(child)
            parents[child].append((parent, kind))
        self._children = children
        self._parents = parents
        self._seen = seen
        self._edges: tuple[tuple[int, EdgeKind, int], ...] | None = None  # sorted on first use

    @property
    def nodes(self) -> Mapping[int, Node]:
        """Read-only mapping of node id to Node, in ascending id order."""
        return self._nodes

    @property
    def edges(self) -> tuple[tuple[int, EdgeKind, int], ...]:
        """Every edge once, sorted by (parent, child, label)."""
        if self._edges is None:
            self._edges = tuple(sorted(self._seen, key=lambda e: (e[0], e[2], _SLOT[e[1]])))
        return self._edges

    def labelled_children(self, node_id: int) -> Iterator[tuple[int, EdgeKind]]:
        """(child id, label) for every edge out of `node_id`, labels in success/failure/always order."""
        for kind, kids in zip(_KINDS, self._children[node_id]):
            for child in kids:
                yield child, kind

    def __len__(self) -> int:
        """Number of nodes."""
        return len(self._nodes)

    def roots(self) -> list[int]:
        """Ids of the nodes that are nobody's child, ascending."""
        return [nid for nid, ps in self._parents.items() if not ps]

    def children(self, node_id: int, *kinds: EdgeKind) -> list[int]:
        """Children of `node_id` under the given labels (all labels when none given), without repeats."""
        lists = self._children[node_id]
        if len(kinds) == 1:
            return list(lists[_SLOT[EdgeKind(kinds[0])]])
        out: dict[int, None] = {}
        for kind in kinds or _KINDS:
            out.update(dict.fromkeys(lists[_SLOT[EdgeKind(kind)]]))
        return list(out)

    def parents(self, node_id: int) -> list[tuple[int, EdgeKind]]:
        """(parent id, label) pairs for every edge into `node_id`."""
        return list(self._parents[node_id])

    def labels(self, parent: int, child: int) -> frozenset[EdgeKind]:
        """Labels of the edges from `parent` to `child` (empty when not linked)."""
        return frozenset(kind for p, kind in self._parents[child] if p == parent)

    def has_failure_handler(self, node_id: int) -> bool:
        """True when the node has at least one failure or always child."""
        _, failure, always = self._children[node_id]
        return bool(failure or always)

    def _distinct_children(self, node_id: int) -> set[int]:
        success, failure, always = self._children[node_id]
        return {*success, *failure, *always}

    def find_cycle(self) -> list[int] | None:
        """Some cycle anywhere in the graph as [a, b, ..., z] with edges a->b ... z->a, or None."""
        sorter = graphlib.TopologicalSorter(
            {nid: [p for p, _ in ps] for nid, ps in self._parents.items()}
        )
        try:
            sorter.prepare()
        except graphlib.CycleError as exc:
            path: list[int] = list(exc.args[1])
            return path[:-1]  # graphlib repeats the first node at the end
        return None

    def topological_order(self) -> list[int]:
        """Node ids, parents before children, smallest ready id first; ValueError on a cycle."""
        indegree = {nid: len({p for p, _ in ps}) for nid, ps in self._parents.items()}
        ready = [nid for nid, deg in indegree.items() if deg == 0]
        heapq.heapify(ready)
        order: list[int] = []
        while ready:
            nid = heapq.heappop(ready)
            order.append(nid)
            for child in self._distinct_children(nid):
                indegree[child] -= 1
                if indegree[child] == 0:
                    heapq.heappush(ready, child)
        if len(order) != len(self._nodes):
            raise ValueError(f"workflow graph has a cycle: {self.find_cycle()}")
        return order

    def reaches(self, source: int, target: int) -> bool:
        """True when a directed path (possibly empty) leads from `source` to `target`."""
        stack, seen = [source], {source}
        while stack:
            nid = stack.pop()
            if nid == target:
                return True
            for child in self._distinct_children(nid):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return False

    def __repr__(self) -> str:
        """Compact description for debugging output."""
        return f"WorkflowGraph(nodes={list(self._nodes.values())!r}, edges={list(self.edges)!r})"


def edge_problem(graph: WorkflowGraph, parent: int, kind: EdgeKind | str, child: int) -> str | None:
    """AWX's error text for linking parent -kind-> child in a template, or None when allowed."""
    kind = EdgeKind(kind)
    if parent not in graph.nodes or child not in graph.nodes:
        raise ValueError(f"unknown node in edge {parent} -{kind.value}-> {child}")
    if parent == child:
        return CYCLE_DETECTED
    existing = graph.labels(parent, child)
    if existing - {kind}:
        return RELATIONSHIP_NOT_ALLOWED
    if kind in existing:
        return None  # re-adding an existing edge is a no-op
    # mockawx rejects every cycle, not only those reachable from a root (a documented difference)
    if graph.reaches(child, parent) or graph.find_cycle() is not None:
        return CYCLE_DETECTED
    return None
