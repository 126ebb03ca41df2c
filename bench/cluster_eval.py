"""Cluster evaluation against true gangs, on the simulator (or the built-in synthetic gangs).

Simulator mode (default): reads a generated region (``fanzha sim generate --out DIR``): builds
cases from ``DIR/lake`` exactly as ``fanzha cases load`` does (victim reports + public reports,
contacts, traced fund flows; the banks' real-name register ``truth/accounts.parquet`` supplies
only account → holder, as banks do), links and clusters them, then compares with
``truth/cases.parquet`` (gang per reported case) and ``truth/gangs.parquet`` (leader per gang):

* adjusted Rand index and precision/recall of same-gang case pairs, for connected components
  and for Leiden communities, and for a run without hub discounting (the blob baseline);
* for each gang, the rank of its leader's accounts among the key nodes (资金归集) of the cluster
  holding most of its cases; and the rank of its top mule-layer (collection) accounts.

``--synthetic`` runs the same measures on :mod:`fanzha.cases.synthetic` instead.
Run: ``.venv/bin/python bench/cluster_eval.py --sim DIR`` (``--generate city`` makes DIR first).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from math import comb
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sklearn.metrics import adjusted_rand_score  # noqa: E402

from fanzha.cases import clusters as cl  # noqa: E402
from fanzha.cases import linking, synthetic  # noqa: E402
from fanzha.cases.build import bundle_from_lake  # noqa: E402
from fanzha.registry.keys import key_of  # noqa: E402

SECRET = b"cluster-eval"


def pair_scores(truth: list, pred: list) -> tuple[float, float]:
    """Precision and recall of same-gang case pairs."""
    df = pd.DataFrame({"t": truth, "p": pred})
    tp = sum(comb(int(n), 2) for n in df.groupby(["t", "p"]).size())
    pp = sum(comb(int(n), 2) for n in df.groupby("p").size())
    tt = sum(comb(int(n), 2) for n in df.groupby("t").size())
    return (tp / pp if pp else 1.0), (tp / tt if tt else 1.0)


def report_partition(name: str, truth: list, pred: list) -> None:
    p, r = pair_scores(truth, pred)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    ari = adjusted_rand_score(truth, pred)
    print(f"  {name:<34} ARI {ari:6.3f}   pair precision {p:6.3f}  recall {r:6.3f}  F1 {f1:6.3f}")


def rank_in(items: list[dict], keys: set[str]) -> int | None:
    for it in items:
        if it["key"] in keys:
            return int(it["rank"])
    return None


def evaluate(
    cases: pd.DataFrame,
    identifiers: pd.DataFrame,
    flows: pd.DataFrame,
    hub_reasons: dict[str, str],
    gang_of_case: dict[str, int],
    leader_keys: dict[int, set[str]],
    collection_keys: dict[int, set[str]] | None,
    hub_k: int,
) -> None:
    inc = linking.incidence_from(identifiers, flows)
    t0 = time.perf_counter()
    res = linking.link_frame(
        cases["case_id"], inc, linking.HubRule(k=hub_k), hub_reasons=hub_reasons
    )
    out = cl.build_clusters(cl.ClusterInputs(cases, identifiers, flows), res, min_cases=1)
    # clusters are Leiden communities (the service's default); key nodes are ranked per cluster
    elapsed = time.perf_counter() - t0
    comm = cl.communities(res)
    blob = linking.link_frame(cases["case_id"], inc, linking.HubRule(k=10**9))
    ids = [c for c in res.case_ids.tolist() if c in gang_of_case]
    code = pd.Index(res.case_ids).get_indexer(ids)
    truth = [gang_of_case[c] for c in ids]
    print(
        f"cases {len(cases)} (with a true gang: {len(ids)}), identifiers {len(identifiers)}, "
        f"flows {len(flows)}; hubs discounted {int(res.nodes['hub'].sum())}; "
        f"linking + clusters {elapsed:.2f} s"
    )
    print(f"  {res.rule_text}")
    report_partition(
        "components (hubs discounted)", truth, res.components.case_component[code].tolist()
    )
    report_partition("Leiden communities", truth, comm[code].tolist())
    report_partition(
        "components, no hub discounting", truth, blob.components.case_component[code].tolist()
    )
    n_gangs = len(set(truth))
    n_clusters = len({res.components.case_component[i] for i in code})
    print(f"  true gangs among reported cases: {n_gangs}; clusters holding them: {n_clusters}")

    cluster_of = {c: s for s in out for c in s["cases"]}
    rows = []
    for g in sorted(set(truth)):
        members = [c for c in ids if gang_of_case[c] == g]
        counts = pd.Series([cluster_of[c]["id"] for c in members]).value_counts()
        main = next(s for s in out if s["id"] == counts.index[0])
        coll = main["key_nodes"]["collector"]
        row = {
            "gang": g,
            "cases": len(members),
            "in_main_cluster": int(counts.iloc[0]),
            "main_cluster_cases": main["n_cases"],
            "leader_rank": rank_in(coll, leader_keys.get(g, set())),
        }
        if collection_keys is not None:
            row["collection_rank"] = rank_in(coll, collection_keys.get(g, set()))
        rows.append(row)
    df = pd.DataFrame(rows)
    print(df.to_string(index=False))
    for col in [c for c in ("leader_rank", "collection_rank") if c in df]:
        r = df[col]
        mrr = float(np.mean([1 / x if x == x and x else 0.0 for x in r]))
        print(
            f"  {col}: found in top-10 for {int(r.notna().sum())}/{len(r)} gangs, "
            f"hit@1 {int((r == 1).sum())}, hit@3 {int((r <= 3).sum())}, MRR {mrr:.3f}"
        )


def run_sim(sim: Path, hub_k: int, min_reach: int) -> None:
    import pyarrow.parquet as pq

    truth_dir = sim / "truth"
    holders = pq.read_table(truth_dir / "accounts.parquet", columns=["account", "person_id"])
    t0 = time.perf_counter()
    b = bundle_from_lake(str(sim / "lake"), SECRET, holders=holders, hub_min_reach=min_reach)
    print(f"built cases from {sim / 'lake'} in {time.perf_counter() - t0:.1f} s")
    tc = pq.read_table(truth_dir / "cases.parquet").to_pandas()
    tc = tc[tc["case_ref"].notna()]
    gang_of = dict(zip(tc["case_ref"], tc["gang_id"].astype(int), strict=True))
    gangs = pq.read_table(truth_dir / "gangs.parquet").to_pandas()
    accts = pq.read_table(truth_dir / "accounts.parquet").to_pandas()
    leader_keys: dict[int, set[str]] = {}
    for g in gangs.itertuples():
        own = accts.loc[accts["person_id"] == g.leader_id, "account"]
        leader_keys[int(g.gang_id)] = {key_of("account", a, SECRET) for a in own}
    coll: dict[int, set[str]] = {}
    mules = accts[(accts["gang_id"] >= 0) & (accts["mule_layer"] >= 0)]
    for g, grp in mules.groupby("gang_id"):
        top = grp[grp["mule_layer"] == grp["mule_layer"].max()]["account"]
        coll[int(g)] = {key_of("account", a, SECRET) for a in top}
    evaluate(b.cases, b.identifiers, b.flows, b.hub_reasons(), gang_of, leader_keys, coll, hub_k)


def run_synthetic(hub_k: int) -> None:
    w = synthetic.generate(n_gangs=40, victims_per_gang=(5, 80), seed=3)
    reasons = {}  # the synthetic world's hubs must be found by degree alone
    evaluate(
        w.cases, w.identifiers, w.flows, reasons, w.gang_of_case, w.leader_accounts, None, hub_k
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sim", type=Path, help="a generated region (DIR with lake/ and truth/)")
    ap.add_argument("--generate", choices=["tiny", "city"], help="generate --sim DIR first")
    ap.add_argument("--synthetic", action="store_true", help="built-in synthetic gangs instead")
    ap.add_argument("--hub-k", type=int, default=50)
    ap.add_argument("--min-reach", type=int, default=30, help="background-popularity hub rule")
    args = ap.parse_args()
    if args.synthetic or args.sim is None:
        print("synthetic gangs (fanzha.cases.synthetic)")
        run_synthetic(args.hub_k)
        return
    if args.generate and not (args.sim / "truth").is_dir():
        fanzha = Path(sys.executable).with_name("fanzha")
        subprocess.run(
            [str(fanzha), "sim", "generate", "--preset", args.generate, "--out", str(args.sim)],
            check=True,
        )
    run_sim(args.sim, args.hub_k, args.min_reach)


if __name__ == "__main__":
    main()
