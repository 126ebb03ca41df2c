"""Linking cases (串并案): pure computation over the case–identifier incidence.

Two cases are linked when they share a node: an identifier (number, account, URL, app, device, IP,
social account) or an account their traced money reached. A node shared by too many cases is a hub
(a big merchant, a payment platform's settlement account, a popular app) that would glue unrelated
cases into one blob; hubs are detected by degree relative to the distribution and discounted (they
link nothing), and the rule that did so is returned with the result.

Everything here works on integer codes (numpy) so the same functions serve a county's cases and
the 10 M-identifier benchmark; :func:`link_frame` is the pandas front door used by the service.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# Prior weight of a shared identifier by kind: a shared device or account is stronger evidence than
# a shared IP (NAT, mobile carriers) or a shared app (many gangs use the same off-the-shelf kit).
KIND_PRIOR: dict[str, float] = {
    "account": 1.0,
    "phone": 1.0,
    "device": 1.0,
    "qq": 0.9,
    "wechat": 0.9,
    "id_number": 1.0,
    "url": 0.8,
    "domain": 0.7,
    "app": 0.6,
    "ip": 0.4,
}


@dataclass(frozen=True)
class HubRule:
    """A node is a hub when it is in the known-hub list or its degree (distinct cases) exceeds
    ``max(k, Q)``, Q the ``quantile`` of all node degrees. Q is only used when at least
    ``min_tail`` nodes lie above the quantile (a P99.9 of 2,000 nodes is just the maximum, which
    would let the very hubs set their own threshold); otherwise the threshold is ``k``."""

    k: int = 50
    quantile: float = 0.999
    min_tail: int = 10
    known_hubs: frozenset[str] = field(default_factory=frozenset)
    # a high-degree node is confirmed as a hub only when its cases, without it, fall apart: the
    # largest group of otherwise-linked cases holds less than ``bridge_share`` of them. A gang's
    # collection account (金主) with 300 victims keeps them together through the gang's numbers
    # and mules; a supermarket's account joins strangers.
    bridge_share: float | None = 0.5

    def threshold(self, degree: np.ndarray) -> tuple[int, float | None]:
        used = degree[degree >= 1]
        if used.size * (1.0 - self.quantile) < self.min_tail:
            return self.k, None
        q = float(np.quantile(used, self.quantile))
        return max(self.k, math.ceil(q)), q

    def describe(self, threshold: int, q_value: float | None) -> str:
        if q_value is None:
            q_text = f"节点数不足以估计 P{self.quantile * 100:g}，只用 k"
            text = f"枢纽规则: 关联案件数 > k={self.k} 的节点不用于串并（{q_text}）"
        else:
            text = (
                f"枢纽规则: 关联案件数 > max(k={self.k}, P{self.quantile * 100:g}={q_value:g}) = "
                f"{threshold} 的节点不用于串并"
            )
        if self.bridge_share is not None:
            text += (
                f"，且其案件去掉该节点后最大关联组占比 < {self.bridge_share:.0%}"
                "（否则视为团伙核心节点保留）"
            )
        if self.known_hubs:
            text += f"; 另有已知枢纽名单 {len(self.known_hubs)} 个"
        return text


@dataclass
class Components:
    """Connected components of cases after hub discounting (integer form)."""

    n_cases: int
    n_nodes: int
    case_component: np.ndarray  # int64 per case: component label (0..n_components-1)
    degree: np.ndarray  # int64 per node: distinct cases
    hub: np.ndarray  # bool per node
    threshold: int
    quantile_value: float | None
    rule_text: str
    case_idx: np.ndarray  # deduplicated incidence (case, node)
    node_idx: np.ndarray
    # per node: share of its cases in the largest group linked without it (NaN: not a candidate)
    bridge: np.ndarray | None = None

    @property
    def n_components(self) -> int:
        return int(self.case_component.max()) + 1 if self.n_cases else 0


def sorted_unique(a: np.ndarray) -> np.ndarray:
    """``np.unique`` by sort + mask (NumPy ≥ 2.3's hash-based unique is ~100× slower here)."""
    s = np.sort(a)
    if not len(s):
        return s
    mask = np.empty(len(s), dtype=bool)
    mask[0] = True
    np.not_equal(s[1:], s[:-1], out=mask[1:])
    return s[mask]


def first_appearance_labels(labels: np.ndarray) -> np.ndarray:
    """Relabel 0..k-1 in order of first appearance (stable ids for a given input order)."""
    if not len(labels):
        return labels.astype(np.int64)
    k = int(labels.max()) + 1
    first = np.empty(k, dtype=np.int64)
    first[labels[::-1]] = np.arange(len(labels) - 1, -1, -1, dtype=np.int64)
    present = np.zeros(k, dtype=bool)
    present[labels] = True
    rank = np.full(k, -1, dtype=np.int64)
    order = np.flatnonzero(present)[np.argsort(first[present], kind="stable")]
    rank[order] = np.arange(len(order), dtype=np.int64)
    return rank[labels]


def dedupe_incidence(
    case_idx: np.ndarray, node_idx: np.ndarray, n_nodes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Unique (case, node) pairs, sorted by node then case."""
    width = np.int64(max(int(case_idx.max(initial=0)) + 1, 1))
    key = node_idx.astype(np.int64) * width
    key += case_idx.astype(np.int64)
    key = sorted_unique(key)
    return key % width, key // width


def star_to_path(case_idx: np.ndarray, node_idx: np.ndarray) -> np.ndarray:
    """Case–case edges that connect exactly the cases sharing each node: consecutive cases along
    each node's list (d - 1 edges per node instead of d(d-1)/2). Input sorted by node."""
    same = node_idx[1:] == node_idx[:-1]
    return np.column_stack([case_idx[:-1][same], case_idx[1:][same]])


def contract(n: int, edges: np.ndarray, rounds: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised min-label hooking with pointer jumping (Shiloach–Vishkin style).

    Returns ``label`` (each vertex → a root vertex of its component found so far) and the edges
    still joining different roots. Labels only ever merge connected vertices, so components of
    the remaining edges over roots, composed with ``label``, are the exact components; on case
    graphs 2–3 rounds usually leave no edge at all.
    """
    label = np.arange(n, dtype=np.int64)
    u = edges[:, 0].astype(np.int64)
    v = edges[:, 1].astype(np.int64)
    for _ in range(rounds):
        if not len(u):
            break
        m = np.minimum(label[u], label[v])
        np.minimum.at(label, u, m)
        np.minimum.at(label, v, m)
        while True:
            nxt = label[label]
            if np.array_equal(nxt, label):
                break
            label = nxt
        lu, lv = label[u], label[v]
        keep = lu != lv
        u, v = lu[keep], lv[keep]
    return label, np.column_stack([u, v])


def connected_components(n: int, edges: np.ndarray, engine: str = "igraph") -> np.ndarray:
    """Component label per vertex.

    ``igraph``: the edge list is first contracted in numpy (:func:`contract`) because
    python-igraph converts edges one Python object at a time (~2.5 µs each: 9 M edges would take
    most of a minute); igraph then finds the components of whatever edges remain between roots.
    ``scipy``: csgraph on the whole edge list (a baseline).
    """
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if engine == "scipy":
        import scipy.sparse as sp
        from scipy.sparse.csgraph import connected_components as cc

        m = sp.coo_matrix(
            (np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(n, n)
        ).tocsr()
        _, labels = cc(m, directed=False)
        return labels.astype(np.int64)
    import igraph as ig

    label, rest = contract(n, edges)
    g = ig.Graph(n=n)
    for i in range(0, len(rest), 1_000_000):
        part = rest[i : i + 1_000_000]
        g.add_edges(list(zip(part[:, 0].tolist(), part[:, 1].tolist(), strict=True)))
    membership = np.asarray(g.connected_components().membership, dtype=np.int64)
    return membership[label]


def link_codes(
    case_idx: np.ndarray,
    node_idx: np.ndarray,
    n_cases: int,
    n_nodes: int,
    rule: HubRule | None = None,
    known_hub_mask: np.ndarray | None = None,
    engine: str = "igraph",
) -> Components:
    """Components of cases linked through non-hub nodes shared by ≥ 2 cases."""
    rule = rule or HubRule()
    c, nd = dedupe_incidence(np.asarray(case_idx), np.asarray(node_idx), n_nodes)
    degree = np.bincount(nd, minlength=n_nodes).astype(np.int64)
    threshold, q_value = rule.threshold(degree)
    known = np.zeros(n_nodes, dtype=bool) if known_hub_mask is None else np.asarray(known_hub_mask)
    cand = degree > threshold
    hub = known | cand
    keep = ~hub[nd] & (degree[nd] >= 2)
    labels = connected_components(n_cases, star_to_path(c[keep], nd[keep]), engine=engine)
    bridge = np.full(n_nodes, np.nan)
    rule_text = rule.describe(threshold, q_value)
    blob = n_cases and np.bincount(labels).max() >= (rule.bridge_share or 1.0) * n_cases
    if rule.bridge_share is not None and (cand & ~known).any() and blob:
        # without the candidates the cases are already one blob: the test cannot tell a gang's
        # core from a hub, so the degree rule alone decides
        rule_text += "（未做桥接检验：不含候选节点时最大关联组已过半）"
    elif rule.bridge_share is not None and (cand & ~known).any():
        on = (cand & ~known)[nd]
        pairs = pd.DataFrame({"node": nd[on], "label": labels[c[on]]})
        counts = pairs.groupby(["node", "label"]).size()
        largest = counts.groupby(level=0).max()
        share = largest / degree[largest.index.to_numpy()]
        bridge[share.index.to_numpy()] = share.to_numpy()
        core = share.index.to_numpy()[share.to_numpy() >= rule.bridge_share]
        if len(core):
            hub[core] = False
            keep = ~hub[nd] & (degree[nd] >= 2)
            edges = star_to_path(c[keep], nd[keep])
            labels = connected_components(n_cases, edges, engine=engine)
    labels = first_appearance_labels(labels)
    return Components(
        n_cases=n_cases,
        n_nodes=n_nodes,
        case_component=labels,
        degree=degree,
        hub=hub,
        threshold=threshold,
        quantile_value=q_value,
        rule_text=rule_text,
        case_idx=c,
        node_idx=nd,
        bridge=bridge,
    )


def node_weights(degree: np.ndarray, kinds: np.ndarray, hub: np.ndarray) -> np.ndarray:
    """Evidence weight of each node: kind prior × kind rarity ÷ log2(1 + degree); hubs weigh 0.

    Kind rarity is the inverse document frequency of the kind among shared nodes, so when every
    case shares an app but few share a device, a shared device counts more.
    """
    kinds = np.asarray(kinds, dtype=object)
    shared = degree >= 2
    out = np.zeros(len(degree), dtype=np.float64)
    if not shared.any():
        return out
    total = int(shared.sum())
    uniq, counts = np.unique(kinds[shared], return_counts=True)
    rarity = {k: math.log(1.0 + total / n) for k, n in zip(uniq, counts, strict=True)}
    prior = np.array([KIND_PRIOR.get(k, 0.5) * rarity.get(k, 1.0) for k in kinds])
    out = prior / np.log2(1.0 + np.maximum(degree, 1))
    out[hub] = 0.0
    return out


def case_pairs(case_idx: np.ndarray, node_idx: np.ndarray, usable: np.ndarray) -> pd.DataFrame:
    """All (case_a < case_b, node) triples through usable nodes: the evidence of each link."""
    df = pd.DataFrame({"case": case_idx, "node": node_idx})
    df = df[usable[df["node"].to_numpy()]]
    m = df.merge(df, on="node", suffixes=("_a", "_b"))
    m = m[m["case_a"] < m["case_b"]]
    return m.rename(columns={"case_a": "a", "case_b": "b"})[["a", "b", "node"]]


@dataclass
class LinkResult:
    """Linking of named cases and nodes (the service's view)."""

    case_ids: np.ndarray  # object array; index = case code
    nodes: pd.DataFrame  # key, kind, masked, degree, hub, hub_reason, weight, vias
    incidence: pd.DataFrame  # case, node (codes), deduplicated
    components: Components
    known_hub_keys: frozenset[str]

    @property
    def rule_text(self) -> str:
        return self.components.rule_text

    def component_of(self) -> dict[str, int]:
        return dict(
            zip(self.case_ids.tolist(), self.components.case_component.tolist(), strict=True)
        )

    def hubs(self) -> pd.DataFrame:
        return self.nodes[self.nodes["hub"]].sort_values("degree", ascending=False)

    def links(self, case_codes: np.ndarray | None = None) -> pd.DataFrame:
        """Evidence rows (case_a, case_b, kind, via, key, masked, weight), optionally restricted
        to pairs within ``case_codes``."""
        inc = self.incidence
        if case_codes is not None:
            inc = inc[np.isin(inc["case"].to_numpy(), case_codes)]
        usable = (~self.nodes["hub"].to_numpy()) & (self.nodes["degree"].to_numpy() >= 2)
        pairs = case_pairs(inc["case"].to_numpy(), inc["node"].to_numpy(), usable)
        nodes = self.nodes
        out = pd.DataFrame(
            {
                "case_a": self.case_ids[pairs["a"].to_numpy()],
                "case_b": self.case_ids[pairs["b"].to_numpy()],
                "kind": nodes["kind"].to_numpy()[pairs["node"].to_numpy()],
                "via": nodes["vias"].to_numpy()[pairs["node"].to_numpy()],
                "key": nodes["key"].to_numpy()[pairs["node"].to_numpy()],
                "masked": nodes["masked"].to_numpy()[pairs["node"].to_numpy()],
                "weight": nodes["weight"].to_numpy()[pairs["node"].to_numpy()],
            }
        )
        return out.reset_index(drop=True)


def link_frame(
    cases: pd.Series | list[str],
    incidence: pd.DataFrame,
    rule: HubRule | None = None,
    engine: str = "igraph",
    hub_reasons: dict[str, str] | None = None,
) -> LinkResult:
    """Link named cases.

    ``incidence`` columns: case_id, kind, key (keyed hash), masked, via (``identifier`` or
    ``fund_flow``). Case ids not in ``cases`` are ignored; cases without identifiers stay alone.
    ``hub_reasons``: known hubs (key → the rule that found them), added to the rule's list.
    """
    rule = rule or HubRule()
    hub_reasons = dict(hub_reasons or {})
    if hub_reasons:
        rule = HubRule(
            k=rule.k,
            quantile=rule.quantile,
            min_tail=rule.min_tail,
            known_hubs=rule.known_hubs | frozenset(hub_reasons),
        )
    case_ids = pd.Index(pd.unique(pd.Series(list(cases), dtype=object)))
    inc = incidence[incidence["case_id"].isin(case_ids)]
    case_code = case_ids.get_indexer(inc["case_id"])
    node_code, node_keys = pd.factorize(inc["key"], sort=False)
    n_nodes = len(node_keys)
    first = (
        inc.assign(_node=node_code)
        .groupby("_node", sort=True)
        .agg(
            kind=("kind", "first"),
            masked=("masked", "first"),
            vias=("via", lambda s: "+".join(sorted(set(s)))),
        )
    )
    known = np.isin(np.asarray(node_keys, dtype=object), list(rule.known_hubs))
    comps = link_codes(
        case_code, node_code, len(case_ids), n_nodes, rule, known_hub_mask=known, engine=engine
    )
    degree = comps.degree
    threshold = comps.threshold
    known_text = np.array(
        [hub_reasons.get(k, "已知枢纽名单") for k in np.asarray(node_keys, dtype=object)],
        dtype=object,
    )
    reasons = np.where(
        known,
        known_text,
        np.where(
            comps.hub,
            [
                f"关联 {d} 起案件 > 阈值 {threshold}"
                + ("" if b != b else f"，去掉后最大关联组仅占 {b:.0%}")
                for d, b in zip(degree, comps.bridge, strict=True)
            ],
            "",
        ),
    )
    kinds = first["kind"].to_numpy() if n_nodes else np.array([], dtype=object)
    nodes = pd.DataFrame(
        {
            "key": np.asarray(node_keys, dtype=object),
            "kind": kinds,
            "masked": first["masked"].to_numpy() if n_nodes else np.array([], dtype=object),
            "vias": first["vias"].to_numpy() if n_nodes else np.array([], dtype=object),
            "degree": degree,
            "hub": comps.hub,
            "hub_reason": reasons if n_nodes else np.array([], dtype=object),
            "weight": node_weights(degree, kinds, comps.hub),
        }
    )
    return LinkResult(
        case_ids=np.asarray(case_ids, dtype=object),
        nodes=nodes,
        incidence=pd.DataFrame({"case": comps.case_idx, "node": comps.node_idx}),
        components=comps,
        known_hub_keys=rule.known_hubs,
    )


def key_to_u64(keys: np.ndarray | list[str]) -> np.ndarray:
    """First 8 bytes of hex keyed hashes as uint64 (the in-memory index of nodes)."""
    return np.array([int(k[:16], 16) for k in keys], dtype=np.uint64)


def incidence_from(identifiers: pd.DataFrame, flows: pd.DataFrame) -> pd.DataFrame:
    """The linking incidence: identifiers plus the accounts traced money reached (hop ≥ 1
    receivers; the victim's own paying account is not evidence of a gang). Cash-out sinks (an
    ATM, a counter, a merchant) are places many gangs use: they rank as 断资金 key nodes but do
    not link cases."""
    parts = [
        identifiers.assign(via="identifier")[["case_id", "kind", "key", "masked", "via"]],
    ]
    if len(flows):
        fl = flows[~flows["cash_out"].astype(bool)] if "cash_out" in flows else flows
        parts.append(
            pd.DataFrame(
                {
                    "case_id": fl["case_id"],
                    "kind": "account",
                    "key": fl["to_key"],
                    "masked": fl["to_masked"],
                    "via": "fund_flow",
                }
            )
        )
    return pd.concat(parts, ignore_index=True)
