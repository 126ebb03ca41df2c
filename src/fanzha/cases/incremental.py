"""Incremental linking: attach one new case to the existing clusters without recomputing them.

A union-find over case and node vertices, seeded from a full linking run. Adding a case unions it
with every non-hub node it names; when those nodes belong to several clusters the clusters merge
(the merged cluster keeps the id of the largest). Node lookup is a binary search over the sorted
64-bit prefixes of the keyed hashes, so 10 M nodes cost 80 MB, not a dict of strings.

Hub status is frozen between full runs: a node that crosses the threshold while cases are added
incrementally stops linking from then on and is reported, and the next full run (which discounts
it everywhere) undoes the unions it made before crossing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from fanzha.cases.linking import Components


def _u64(key: str | int | np.integer) -> np.uint64:
    if isinstance(key, str):
        return np.uint64(int(key[:16], 16))
    return np.uint64(key)


@dataclass
class AddResult:
    case_id: str
    cluster_id: str
    joined: list[str]  # existing clusters the case attached to (before merging)
    merged: bool  # True when the case joined two or more clusters into one
    new_nodes: int
    hubs_skipped: list[str] = field(default_factory=list)  # node keys not used (hub or crossed)


class IncrementalLinker:
    def __init__(
        self,
        case_ids: list[str],
        node_keys: np.ndarray,
        components: Components,
        cluster_ids: list[str] | None = None,
    ) -> None:
        """``node_keys``: uint64 per node code (see :func:`fanzha.cases.linking.key_to_u64`);
        ``cluster_ids``: the id per component label (default ``"K<label>"``)."""
        n_cases, n_nodes = components.n_cases, components.n_nodes
        self.threshold = components.threshold
        self._n_cases0 = n_cases
        self._order = np.argsort(node_keys, kind="stable")
        self._sorted = np.asarray(node_keys, dtype=np.uint64)[self._order]
        self._extra: dict[int, int] = {}  # new node key -> vertex
        self.case_vertex: dict[str, int] = {c: i for i, c in enumerate(case_ids)}
        base = n_cases + n_nodes
        self._base = base
        self._parent = np.arange(base, dtype=np.int64)
        self._size = np.zeros(base, dtype=np.int64)
        self._degree = np.zeros(base, dtype=np.int64)
        self._hub = np.zeros(base, dtype=bool)
        # vertices added later live in Python lists: appending never copies the big arrays, so no
        # single add pays for a resize
        self._x: list[list[int]] = []  # [parent, size, degree, hub] per new vertex
        self._n = base
        labels = components.case_component
        # representative of each component: its first case
        rep = np.full(components.n_components, -1, dtype=np.int64)
        idx = np.arange(n_cases, dtype=np.int64)
        rep[labels[::-1]] = idx[::-1]
        self._parent[:n_cases] = rep[labels]
        self._size[:n_cases] = 0
        np.add.at(self._size, rep[labels], 1)
        # each usable node hangs on the component of (any) case naming it
        node_comp = np.full(n_nodes, -1, dtype=np.int64)
        node_comp[components.node_idx] = labels[components.case_idx]
        has = node_comp >= 0
        node_v = np.arange(n_cases, n_cases + n_nodes, dtype=np.int64)
        usable = has & ~components.hub
        self._parent[node_v[usable]] = rep[node_comp[usable]]
        self._degree[n_cases : n_cases + n_nodes] = components.degree
        self._hub[n_cases : n_cases + n_nodes] = components.hub
        ids = cluster_ids or [f"K{i}" for i in range(components.n_components)]
        self.cluster_of_root: dict[int, str] = {int(rep[i]): ids[i] for i in range(len(ids))}

    # -- vertex state (base vertices in numpy, new ones in lists) -------------------------------
    def _get(self, field: int, v: int) -> int:
        if v < self._base:
            arr = (self._parent, self._size, self._degree, self._hub)[field]
            return int(arr[v])
        return self._x[v - self._base][field]

    def _set(self, field: int, v: int, value: int) -> None:
        if v < self._base:
            arr = (self._parent, self._size, self._degree, self._hub)[field]
            arr[v] = value
        else:
            self._x[v - self._base][field] = value

    # -- union-find ---------------------------------------------------------------------------
    def _find(self, v: int) -> int:
        while True:
            p = self._get(0, v)
            if p == v:
                return v
            gp = self._get(0, p)
            self._set(0, v, gp)
            v = gp

    def _new_vertex(self) -> int:
        v = self._n
        self._x.append([v, 0, 0, 0])
        self._n += 1
        return v

    def _node_vertex(self, key: np.uint64) -> tuple[int, bool]:
        pos = int(np.searchsorted(self._sorted, key))
        if pos < len(self._sorted) and self._sorted[pos] == key:
            return self._n_cases0 + int(self._order[pos]), False
        k = int(key)
        v = self._extra.get(k)
        if v is None:
            v = self._extra[k] = self._new_vertex()
            return v, True
        return v, False

    # -- public -------------------------------------------------------------------------------
    def cluster_of(self, case_id: str) -> str | None:
        v = self.case_vertex.get(case_id)
        if v is None:
            return None
        return self.cluster_of_root.get(self._find(v))

    def add_case(self, case_id: str, keys: list[str] | list[int]) -> AddResult:
        if case_id in self.case_vertex:
            raise ValueError(f"case_id: 案件 {case_id} 已存在")
        cv = self._new_vertex()
        self.case_vertex[case_id] = cv
        self._set(1, cv, 1)
        usable: list[int] = []
        skipped: list[str] = []
        new_nodes = 0
        for raw in keys:
            nv, created = self._node_vertex(_u64(raw))
            new_nodes += created
            degree = self._get(2, nv) + 1
            self._set(2, nv, degree)
            if self._get(3, nv) or degree > self.threshold:
                self._set(3, nv, 1)
                skipped.append(raw if isinstance(raw, str) else str(raw))
                continue
            usable.append(nv)
        # clusters touched, seen before any union so their sizes and ids are the old ones
        roots: dict[int, int] = {}
        for nv in usable:
            r = self._find(nv)
            if r in self.cluster_of_root and r not in roots:
                roots[r] = self._get(1, r)
        for nv in usable:
            self._union(cv, nv)
        root = self._find(cv)
        if roots:
            biggest = max(roots, key=lambda r: (roots[r], -r))
            new_id = self.cluster_of_root[biggest]
        else:
            new_id = case_id_cluster(case_id)
        joined = [self.cluster_of_root[r] for r in roots]
        for r in roots:
            self.cluster_of_root.pop(r, None)
        self.cluster_of_root[root] = new_id
        return AddResult(
            case_id=case_id,
            cluster_id=new_id,
            joined=joined,
            merged=len(joined) >= 2,
            new_nodes=new_nodes,
            hubs_skipped=skipped,
        )

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        sa, sb = self._get(1, ra), self._get(1, rb)
        if sa < sb:
            ra, rb = rb, ra
        self._set(0, rb, ra)
        self._set(1, ra, sa + sb)


def case_id_cluster(case_id: str) -> str:
    """Cluster id of a case alone; full runs use :func:`fanzha.cases.clusters.cluster_id`."""
    from fanzha.cases.clusters import cluster_id

    return cluster_id([case_id])
