"""Laundering typologies over the transfer graph (fan-in, fan-out, cycle, gather-scatter,
scatter-gather, stack, bipartite) plus pass-through hops, in overlapping time windows.

Known business accounts (merchants, payroll — from KYC) are left out of the graph: their fan-in and
fan-out is their business. Only transfers of at least ``min_fen`` count, because laundering moves
meaningful sums while shared bills and small-shop takings are small.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp

REASONS = {
    "fan_in": "短期内多个账户向其集中转入（汇聚）",
    "fan_out": "短期内向多个账户分散转出（发散）",
    "cycle": "资金在账户间闭环流转",
    "gather_scatter": "先多方转入再多方转出（集中转入分散转出）",
    "scatter_gather": "资金经多个中间账户分散后又汇聚到同一账户",
    "stack": "资金经多层账户逐层转移",
    "bipartite": "一组账户共同向另一组账户转账",
    "pass_through": "资金转入后很快等额转出（快进快出）",
}


@dataclass
class TypologyConfig:
    window: pd.Timedelta = pd.Timedelta(days=4)
    min_fen: int = 200_000  # 2,000 yuan
    fan_degree: int = 3
    gs_degree: int = 2
    sg_paths: int = 2
    bipartite_shared: int = 2
    hop_window: pd.Timedelta = pd.Timedelta(hours=48)
    hop_tolerance: float = 0.2
    cycle_min_size: int = 3


@dataclass
class TypologyHit:
    typology: str
    accounts: tuple[str, ...]
    event_ids: tuple[str, ...] = field(default_factory=tuple)

    @property
    def reason(self) -> str:
        return REASONS[self.typology]

    @property
    def core(self) -> tuple[str, ...]:
        """The accounts the hit points at: the hub for hub shapes, every member otherwise."""
        if self.typology in {"fan_in", "fan_out", "gather_scatter", "pass_through"}:
            return self.accounts[:1]
        return self.accounts


def _windows(tx: pd.DataFrame, window: pd.Timedelta) -> pd.DataFrame:
    """Each transfer goes into the two half-overlapping windows that contain it."""
    step = window / 2
    k = ((tx["event_time"] - pd.Timestamp("1970-01-01", tz="UTC")) // step).astype("int64")
    a = tx.assign(win=k)
    b = tx.assign(win=k - 1)
    return pd.concat([a, b], ignore_index=True)


def detect_typologies(
    tx: pd.DataFrame, business: set[str] | None = None, cfg: TypologyConfig | None = None
) -> list[TypologyHit]:
    import igraph as ig

    cfg = cfg or TypologyConfig()
    business = business or set()
    keep = (
        (tx["amount_fen"] >= cfg.min_fen)
        & ~tx["payer"].isin(business)
        & ~tx["payee"].isin(business)
        & (tx["payer"] != tx["payee"])
    )
    big = tx.loc[keep, ["event_id", "payer", "payee", "amount_fen", "event_time"]]
    hits: list[TypologyHit] = []
    hits += pass_through_hops(big, cfg)
    if big.empty:
        return hits
    W = _windows(big, cfg.window)
    for _, w in W.groupby("win", sort=True):
        if len(w) < 2:
            continue
        out_deg = w.groupby("payer")["payee"].nunique()
        in_deg = w.groupby("payee")["payer"].nunique()
        for acct in out_deg.index[out_deg >= cfg.fan_degree]:
            e = w[w.payer == acct]
            hits.append(TypologyHit("fan_out", (acct, *e.payee.unique()), tuple(e.event_id)))
        for acct in in_deg.index[in_deg >= cfg.fan_degree]:
            e = w[w.payee == acct]
            hits.append(TypologyHit("fan_in", (acct, *e.payer.unique()), tuple(e.event_id)))
        both = out_deg.index.intersection(in_deg.index)
        for acct in both:
            if in_deg[acct] >= cfg.gs_degree and out_deg[acct] >= cfg.gs_degree:
                e_in, e_out = w[w.payee == acct], w[w.payer == acct]
                if e_out.event_time.max() > e_in.event_time.min():
                    ids = tuple(e_in.event_id) + tuple(e_out.event_id)
                    hits.append(TypologyHit("gather_scatter", (acct,), ids))
        nodes = pd.Index(pd.unique(pd.concat([w.payer, w.payee])))
        src = nodes.get_indexer(w.payer)
        dst = nodes.get_indexer(w.payee)
        # reciprocal pairs (two people paying each other back) are not a laundering cycle
        pairs = set(zip(src.tolist(), dst.tolist(), strict=True))
        one_way = [(a, b) for a, b in pairs if (b, a) not in pairs]
        g = ig.Graph(n=len(nodes), edges=one_way, directed=True)
        for comp in g.connected_components(mode="strong"):
            if len(comp) >= cfg.cycle_min_size:
                members = set(nodes[comp])
                e = w[w.payer.isin(members) & w.payee.isin(members)]
                hits.append(TypologyHit("cycle", tuple(sorted(members)), tuple(e.event_id)))
        B = sp.csr_matrix((np.ones(len(src)), (src, dst)), shape=(len(nodes), len(nodes)))
        B.data[:] = 1.0
        B.sum_duplicates()
        B.data[:] = 1.0
        two = (B @ B).tocoo()  # number of distinct intermediates between s and t
        for s, t, c in zip(two.row, two.col, two.data, strict=True):
            if c >= cfg.sg_paths and s != t:
                mids = set(nodes[B[s].indices]) & set(nodes[B[:, t].nonzero()[0]])
                members = (nodes[s], *sorted(mids), nodes[t])
                e = w[
                    (w.payer == nodes[s]) & w.payee.isin(mids)
                    | w.payer.isin(mids) & (w.payee == nodes[t])
                ]
                hits.append(TypologyHit("scatter_gather", members, tuple(e.event_id)))
        co = (B @ B.T).tocoo()  # payees shared by two payers
        for s1, s2, c in zip(co.row, co.col, co.data, strict=True):
            if s1 < s2 and c >= cfg.bipartite_shared:
                shared = set(nodes[B[s1].indices]) & set(nodes[B[s2].indices])
                members = (nodes[s1], nodes[s2], *sorted(shared))
                e = w[w.payer.isin([nodes[s1], nodes[s2]]) & w.payee.isin(shared)]
                hits.append(TypologyHit("bipartite", members, tuple(e.event_id)))
        # stack: a pass-through layer between two groups (≥2 payers in, ≥2 payees out, chained)
        layer_in = in_deg[in_deg >= 2].index
        layer_out = out_deg[out_deg >= 2].index
        chained = w[w.payer.isin(layer_in.intersection(out_deg.index)) & w.payee.isin(layer_out)]
        if len(chained) >= 2:
            members = tuple(sorted(set(chained.payer) | set(chained.payee)))
            hits.append(TypologyHit("stack", members, tuple(chained.event_id)))
    return hits


def pass_through_hops(big: pd.DataFrame, cfg: TypologyConfig) -> list[TypologyHit]:
    """An inflow followed within ``hop_window`` by an outflow of about the same amount."""
    if big.empty:
        return []
    inn = big.rename(columns={"payee": "acct", "payer": "src"}).sort_values("event_time")
    out = big.rename(columns={"payer": "acct", "payee": "dst"}).sort_values("event_time")
    m = pd.merge_asof(
        out,
        inn[["acct", "event_time", "amount_fen", "event_id", "src"]],
        on="event_time",
        by="acct",
        direction="backward",
        tolerance=cfg.hop_window,
        suffixes=("", "_in"),
        allow_exact_matches=False,
    ).dropna(subset=["amount_fen_in"])
    ratio = m["amount_fen"] / m["amount_fen_in"]
    m = m[(ratio >= 1 - cfg.hop_tolerance) & (ratio <= 1 + 0.02) & (m["dst"] != m["src"])]
    return [
        TypologyHit("pass_through", (r.acct, r.src, r.dst), (r.event_id_in, r.event_id))
        for r in m.itertuples(index=False)
    ]
