"""Clusters (集群): components and communities of linked cases, their summaries and key nodes.

Key nodes answer the four strikes of a campaign (集群战役):
- ``collector`` 抓金主/资金归集: accounts where the most victims' traced money arrives;
- ``den`` 铲窝点: numbers that reached the most victims, and devices (IMEI) carrying many numbers
  (SIM banks, 猫池);
- ``platform`` 打平台: URLs, domains and apps that served many cases;
- ``cash_out`` 断资金: where the money leaves the traced network (cash-out or last known account).
Each key node carries its score and a reason in Chinese. Hubs never rank as key nodes.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fanzha.cases.linking import LinkResult
from fanzha.domain.money import format_fen

KIND_LABEL = {
    "phone": "号码",
    "account": "账户",
    "url": "网址",
    "domain": "域名",
    "app": "应用",
    "device": "设备",
    "ip": "IP",
    "qq": "QQ号",
    "wechat": "微信号",
    "id_number": "身份证号",
}
ROLE_LABEL = {
    "collector": "抓金主·资金归集",
    "den": "铲窝点·号码与猫池",
    "platform": "打平台·网址与应用",
    "cash_out": "断资金·取现出口",
}


def cluster_id(case_ids: list[str] | np.ndarray) -> str:
    """Stable id of a cluster: derived from its smallest case id, so re-running the linking over
    the same cases gives the same ids, and a merged cluster keeps the id of one of its parts."""
    first = min(str(c) for c in case_ids)
    return "GC" + hashlib.sha1(first.encode()).hexdigest()[:10].upper()


def communities(
    result: LinkResult, min_size: int = 6, resolution: float = 1.0, seed: int = 7
) -> np.ndarray:
    """Leiden communities (modularity) on the weighted case projection; each component smaller
    than ``min_size`` is one community. Returns a label per case code."""
    comp = result.components.case_component
    n = len(comp)
    labels = comp.copy()
    sizes = np.bincount(comp, minlength=result.components.n_components) if n else np.zeros(0)
    big = np.flatnonzero(sizes >= min_size)
    if not len(big):
        return labels
    import igraph as ig

    cases_in = np.flatnonzero(np.isin(comp, big))
    links = result.links(case_codes=cases_in)
    code = pd.Index(result.case_ids).get_indexer
    w = (
        pd.DataFrame({"a": code(links["case_a"]), "b": code(links["case_b"]), "w": links["weight"]})
        .groupby(["a", "b"], as_index=False)["w"]
        .sum()
    )
    g = ig.Graph(n=n, edges=list(zip(w["a"].tolist(), w["b"].tolist(), strict=True)))
    g.es["weight"] = w["w"].tolist()
    state = random.getstate()
    random.seed(seed)
    try:
        ig.set_random_number_generator(random)
        part = g.community_leiden(
            objective_function="modularity",
            weights="weight",
            resolution=resolution,
            n_iterations=-1,
        )
    finally:
        random.setstate(state)
    memb = np.asarray(part.membership, dtype=np.int64)
    # keep small components' labels; offset community labels past the component labels
    out = labels.copy()
    mask = np.isin(comp, big)
    out[mask] = result.components.n_components + memb[mask]
    _, out = np.unique(out, return_inverse=True)
    return out.astype(np.int64)


@dataclass
class ClusterInputs:
    """Tables the summaries read (pandas):

    - cases: case_id, division_code, fraud_type, loss_fen, reported_at, victim_key, source
    - identifiers: case_id, kind, key, masked, role, related_key
    - flows: case_id, hop, from_key, to_key, from_masked, to_masked, flow_time, amount_fen, cash_out
    """

    cases: pd.DataFrame
    identifiers: pd.DataFrame
    flows: pd.DataFrame


def _item(kind: str, key: str, masked: str, score: float, reason: str, **extra: object) -> dict:
    return {
        "kind": kind,
        "key": key,
        "masked": masked,
        "score": float(score),
        "reason": reason,
        **extra,
    }


def _top(df: pd.DataFrame, by: list[str], top: int) -> pd.DataFrame:
    """The ``top`` rows of each cluster by ``by`` (descending), ties by key."""
    cols = ["cluster", *by, "key"]
    asc = [True, *([False] * len(by)), True]
    return df.sort_values(cols, ascending=asc).groupby("cluster", sort=False).head(top)


def _hops(lo: int, hi: int) -> str:
    return f"第 {lo} 跳" if lo == hi else f"第 {lo}–{hi} 跳"


def key_nodes_all(
    identifiers: pd.DataFrame, flows: pd.DataFrame, hub_keys: set[str], top: int = 10
) -> dict[object, dict[str, list[dict]]]:
    """Rank the key nodes of every cluster at once. Inputs carry a ``cluster`` column."""
    out: dict[object, dict[str, list[dict]]] = {}

    def put(cluster: object, role: str, item: dict) -> None:
        out.setdefault(cluster, {r: [] for r in ROLE_LABEL})[role].append(item)

    ids = identifiers[~identifiers["key"].isin(hub_keys)]
    fl = flows[~flows["to_key"].isin(hub_keys)] if len(flows) else flows

    if len(fl):
        g = (
            fl.groupby(["cluster", "to_key"], sort=False)
            .agg(
                masked=("to_masked", "first"),
                amount=("amount_fen", "sum"),
                victims=("case_id", "nunique"),
                hop_min=("hop", "min"),
                hop_max=("hop", "max"),
            )
            .reset_index()
            .rename(columns={"to_key": "key"})
        )
        for r in _top(g, ["amount", "victims"], top).itertuples(index=False):
            put(
                r.cluster,
                "collector",
                _item(
                    "account",
                    r.key,
                    r.masked,
                    r.amount,
                    f"归集 {r.victims} 起案件的受害人资金 {format_fen(int(r.amount))}"
                    f"（{_hops(r.hop_min, r.hop_max)}）",
                    victims=int(r.victims),
                    amount_fen=int(r.amount),
                ),
            )
        senders = fl[["cluster", "from_key"]].drop_duplicates()
        senders = senders.rename(columns={"from_key": "to_key"}).assign(_sends=True)
        m = fl.merge(senders, on=["cluster", "to_key"], how="left")
        terminal = m["_sends"].isna().to_numpy()
        explicit = fl["cash_out"].astype(bool).to_numpy() if "cash_out" in fl else terminal & False
        ends = fl.assign(_why=np.where(explicit, "取现/消费", "末端账户"))[explicit | terminal]
        if len(ends):
            e = (
                ends.groupby(["cluster", "to_key"], sort=False)
                .agg(
                    masked=("to_masked", "first"),
                    amount=("amount_fen", "sum"),
                    victims=("case_id", "nunique"),
                    why=("_why", "min"),
                )
                .reset_index()
                .rename(columns={"to_key": "key"})
            )
            for r in _top(e, ["amount", "victims"], top).itertuples(index=False):
                put(
                    r.cluster,
                    "cash_out",
                    _item(
                        "account",
                        r.key,
                        r.masked,
                        r.amount,
                        f"{r.why}：{r.victims} 起案件的资金 {format_fen(int(r.amount))} "
                        "在此离开追踪链路",
                        victims=int(r.victims),
                        amount_fen=int(r.amount),
                    ),
                )

    dens: list[pd.DataFrame] = []
    phones = ids[ids["kind"] == "phone"]
    if len(phones):
        p = (
            phones.groupby(["cluster", "key"], sort=False)
            .agg(masked=("masked", "first"), victims=("case_id", "nunique"))
            .reset_index()
        )
        p = p[p["victims"] >= 2]
        dens.append(
            p.assign(
                kind="phone",
                score=p["victims"].astype(float),
                numbers=0,
                reason=[f"该号码联系了 {v} 名受害人" for v in p["victims"]],
            )
        )
    devices = ids[ids["kind"] == "device"]
    rel = phones[phones["related_key"].notna()] if "related_key" in phones else phones.iloc[:0]
    reach = pd.concat(
        [
            rel[["cluster", "related_key", "case_id"]].rename(columns={"related_key": "key"}),
            devices[["cluster", "key", "case_id"]],
        ]
    )
    if len(reach):
        d = reach.groupby(["cluster", "key"], sort=False)["case_id"].nunique().rename("victims")
        n = rel.groupby(["cluster", "related_key"], sort=False)["key"].nunique()
        n.index = n.index.set_names(["cluster", "key"])
        mk = devices.groupby(["cluster", "key"], sort=False)["masked"].first()
        d = pd.concat([d, n.rename("numbers"), mk], axis=1).reset_index()
        d["numbers"] = d["numbers"].fillna(0).astype(int)
        d["masked"] = d["masked"].fillna("IMEI ****")
        d = d[(d["victims"] >= 2) | (d["numbers"] >= 2)]
        d = d.assign(
            kind="device",
            score=(d["victims"] + d["numbers"]).astype(float),
            reason=[
                f"该设备使用 {nn} 个号码，触达 {v} 名受害人"
                + ("（疑似猫池/GOIP）" if nn >= 3 else "")
                for nn, v in zip(d["numbers"], d["victims"], strict=True)
            ],
        )
        dens.append(d)
    if dens:
        alld = pd.concat(dens, ignore_index=True)
        for r in _top(alld, ["score"], top).itertuples(index=False):
            extra = {"victims": int(r.victims)}
            if r.kind == "device":
                extra |= {"numbers": int(r.numbers), "sim_bank": bool(r.numbers >= 3)}
            put(r.cluster, "den", _item(r.kind, r.key, r.masked, r.score, r.reason, **extra))

    plat = ids[ids["kind"].isin(["url", "domain", "app"])]
    if len(plat):
        q = (
            plat.groupby(["cluster", "key"], sort=False)
            .agg(kind=("kind", "first"), masked=("masked", "first"), cases=("case_id", "nunique"))
            .reset_index()
        )
        q = q[q["cases"] >= 2]
        for r in _top(q, ["cases"], top).itertuples(index=False):
            put(
                r.cluster,
                "platform",
                _item(
                    r.kind,
                    r.key,
                    r.masked,
                    r.cases,
                    f"{r.cases} 起案件涉及该{KIND_LABEL.get(r.kind, r.kind)}",
                    victims=int(r.cases),
                ),
            )
    for roles in out.values():
        for role, items in roles.items():
            for rank, it in enumerate(items, start=1):
                it["rank"] = rank
                it["role"] = role
    return out


def build_clusters(
    inputs: ClusterInputs,
    result: LinkResult,
    min_cases: int = 2,
    community_min_size: int = 6,
    top: int = 10,
    unit: str = "community",
) -> list[dict]:
    """Summaries of every cluster with at least ``min_cases`` cases, largest first: victims,
    losses, time line, jurisdictions, fraud types, key nodes and hubs touched.

    ``unit="community"`` (default): a cluster is a Leiden community — one shared contact or a
    number two gangs both used joins two gangs into one component, but rarely into one
    community (on the simulator's city preset: components ARI 0.00, communities 0.96).
    ``unit="component"``: a cluster is a connected component. Either way each cluster records
    the component it belongs to (``component``, ``component_cases``).
    """
    comp_all = result.components.case_component
    comm_all = communities(result, min_size=community_min_size)
    labels = comm_all if unit == "community" else comp_all
    comp = pd.Series(labels, index=result.case_ids)
    component_of = pd.Series(comp_all, index=result.case_ids)
    component_size = component_of.value_counts()
    sizes = comp.value_counts()
    keep = sizes[sizes >= min_cases].index
    comp = comp[comp.isin(keep)]
    if not len(comp):
        return []
    comm = pd.Series(comm_all, index=result.case_ids)

    def tag(df: pd.DataFrame) -> pd.DataFrame:
        c = df["case_id"].map(comp)
        return df[c.notna()].assign(cluster=c[c.notna()].astype(np.int64))

    cases = tag(inputs.cases)
    ident = tag(inputs.identifiers)
    flows = tag(inputs.flows) if len(inputs.flows) else inputs.flows.assign(cluster=[])
    hub_nodes = result.nodes[result.nodes["hub"]]
    hub_keys = set(hub_nodes["key"])
    kn = key_nodes_all(ident, flows, hub_keys, top=top)

    touched = pd.concat(
        [ident[["cluster", "key"]], flows[["cluster", "to_key"]].rename(columns={"to_key": "key"})]
    )
    touched = touched[touched["key"].isin(hub_keys)].drop_duplicates()
    touched = touched.merge(hub_nodes, on="key")
    hubs: dict[object, list[dict]] = {}
    for r in touched.sort_values("degree", ascending=False).itertuples(index=False):
        hubs.setdefault(r.cluster, []).append(
            {"kind": r.kind, "masked": r.masked, "degree": int(r.degree), "reason": r.hub_reason}
        )

    cases = cases.assign(
        reported_at=pd.to_datetime(cases["reported_at"], utc=True),
        division_code=cases["division_code"].fillna("未知"),
        fraud_type=cases["fraud_type"].fillna("未知"),
    )
    cases = cases.assign(day=cases["reported_at"].dt.strftime("%Y-%m-%d"))
    by = cases.groupby("cluster")
    base = by.agg(
        n_cases=("case_id", "size"),
        n_victims=("victim_key", "nunique"),
        loss_fen=("loss_fen", "sum"),
        first_at=("reported_at", "min"),
        last_at=("reported_at", "max"),
    )
    members = by["case_id"].apply(sorted)
    div = (
        cases.groupby(["cluster", "division_code"])
        .agg(n_cases=("case_id", "size"), loss_fen=("loss_fen", "sum"))
        .reset_index()
        .sort_values(["cluster", "n_cases", "division_code"], ascending=[True, False, True])
    )
    timeline = (
        cases.groupby(["cluster", "day"])
        .agg(n_cases=("case_id", "size"), loss_fen=("loss_fen", "sum"))
        .reset_index()
    )
    fraud = (
        cases.groupby(["cluster", "fraud_type"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["cluster", "n", "fraud_type"], ascending=[True, False, True])
    )
    cm = cases.assign(community=cases["case_id"].map(comm))
    comms = cm.groupby(["cluster", "community"])["case_id"].apply(sorted).reset_index()

    def bucket(df: pd.DataFrame, fn) -> dict[object, list]:  # noqa: ANN001
        outb: dict[object, list] = {}
        for r in df.itertuples(index=False):
            outb.setdefault(r.cluster, []).append(fn(r))
        return outb

    divs = bucket(
        div,
        lambda r: {"code": r.division_code, "n_cases": int(r.n_cases), "loss_fen": int(r.loss_fen)},
    )
    tl = bucket(
        timeline, lambda r: {"day": r.day, "n_cases": int(r.n_cases), "loss_fen": int(r.loss_fen)}
    )
    ft = bucket(fraud, lambda r: (r.fraud_type, int(r.n)))
    cmb = bucket(
        comms, lambda r: {"label": int(r.community), "n_cases": len(r.case_id), "cases": r.case_id}
    )
    empty_roles = {r: [] for r in ROLE_LABEL}
    out = []
    for cl_label, b in base.iterrows():
        ids = members[cl_label]
        component = int(component_of[ids[0]])
        out.append(
            {
                "id": cluster_id(ids),
                "unit": unit,
                "component": component,
                "component_cases": int(component_size[component]),
                "n_cases": int(b.n_cases),
                "n_victims": int(b.n_victims),
                "loss_fen": int(b.loss_fen),
                "first_at": b.first_at.isoformat(),
                "last_at": b.last_at.isoformat(),
                "divisions": divs.get(cl_label, []),
                "fraud_types": dict(ft.get(cl_label, [])),
                "timeline": tl.get(cl_label, []),
                "key_nodes": kn.get(cl_label, {k: list(v) for k, v in empty_roles.items()}),
                "hubs": hubs.get(cl_label, [])[:20],  # the 20 busiest; the count beside
                "n_hubs": len(hubs.get(cl_label, [])),
                "hub_rule": result.rule_text,
                "communities": sorted(
                    cmb.get(cl_label, []), key=lambda d: (-d["n_cases"], d["label"])
                ),
                "cases": ids,
            }
        )
    out.sort(key=lambda s: (-s["n_cases"], -s["loss_fen"], s["id"]))
    return out
