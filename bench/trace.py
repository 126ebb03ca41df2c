"""Fund-tracing benchmark: layered mule networks inside a random background of transfers.

Measures, on one synthetic graph (default 10 M transfers):
  * index build time (``TransferIndex``),
  * one victim's trace (≥ 5 hops) — median of several victims,
  * a batch of 10 k victims traced together in one sweep,
  * networkx doing the same time-respecting FIFO walk, on a sample graph (all mule transfers plus
    a slice of the background) because a 10 M-edge networkx graph does not fit the budget; the
    Fanzha tracer runs on the same sample so the per-trace ratio compares like with like, and both
    must agree to the fen.

Run: ``.venv/bin/python bench/trace.py [--transfers 10000000] [--victims 10000]``.
"""

from __future__ import annotations

import argparse
import gc
import heapq
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from fanzha.intercept.tracing import Rule, Seed, TransferIndex, trace  # noqa: E402

LAYERS = (3, 6, 10, 15, 20, 25)  # accounts per mule layer in each network
FANOUT = 2
DAY_US = 86_400 * 1_000_000


def build_graph(n_transfers: int, n_victims: int, seed: int = 7) -> dict[str, np.ndarray]:
    """Arrays: time_us, payer, payee, amount, cash_out; plus victim seed ranks by victim."""
    rng = np.random.default_rng(seed)
    n_nets = max(1, n_victims // 10)
    per_net = sum(LAYERS)
    n_mules = n_nets * per_net
    layer_start = np.cumsum((0,) + LAYERS)[:-1]
    n_victim_acc = n_victims
    # victims' transfers and the mule tree under each: level k has FANOUT**(k-1) transfers
    net = rng.integers(0, n_nets, n_victims)
    t = rng.integers(0, 28 * DAY_US, n_victims)
    amt = (np.exp(rng.normal(np.log(3_000_000), 1.0, n_victims))).astype(np.int64) + 10_000
    payer = n_mules + np.arange(n_victims)  # victim accounts after the mules
    payee = net * per_net + layer_start[0] + rng.integers(0, LAYERS[0], n_victims)
    parts_t, parts_a, parts_from, parts_to, parts_cash = (
        [t],
        [amt],
        [payer],
        [payee],
        [np.zeros(n_victims, bool)],
    )
    cur_acc, cur_t, cur_amt, cur_net = payee, t, amt, net
    for k in range(1, len(LAYERS)):
        cur_acc = np.repeat(cur_acc, FANOUT)
        cur_net = np.repeat(cur_net, FANOUT)
        cur_t = np.repeat(cur_t, FANOUT) + rng.integers(60, 1800, len(cur_acc)) * 1_000_000
        cur_amt = np.repeat(cur_amt * 92 // 100 // FANOUT, FANOUT)
        nxt = cur_net * per_net + layer_start[k] + rng.integers(0, LAYERS[k], len(cur_acc))
        parts_t.append(cur_t)
        parts_a.append(np.maximum(cur_amt, 1))
        parts_from.append(cur_acc)
        parts_to.append(nxt)
        parts_cash.append(np.zeros(len(cur_acc), bool))
        cur_acc = nxt
    # last layer: cash out most of it at an ATM / merchant pseudo-account
    n_bg_acc = max(1000, n_transfers // 5)
    sink = n_mules + n_victim_acc + n_bg_acc
    cash_t = cur_t + rng.integers(60, 3600, len(cur_acc)) * 1_000_000
    parts_t.append(cash_t)
    parts_a.append(np.maximum(cur_amt * 70 // 100, 1))
    parts_from.append(cur_acc)
    parts_to.append(np.full(len(cur_acc), sink))
    parts_cash.append(np.ones(len(cur_acc), bool))
    n_mule_tr = sum(len(p) for p in parts_t)
    # background: random pairs among background accounts; 8 % cash-out; some pay mules and
    # some mules pay background accounts (so victims' money leaks into the background)
    n_bg = max(0, n_transfers - n_mule_tr)
    bg_from = n_mules + n_victim_acc + rng.integers(0, n_bg_acc, n_bg)
    bg_to = n_mules + n_victim_acc + rng.integers(0, n_bg_acc, n_bg)
    touch = rng.random(n_bg) < 0.01
    bg_to[touch] = rng.integers(0, n_mules, touch.sum())
    leak = rng.random(n_bg) < 0.005
    bg_from[leak] = rng.integers(0, n_mules, leak.sum())
    bg_cash = rng.random(n_bg) < 0.08
    bg_to[bg_cash] = sink
    parts_t.append(rng.integers(0, 30 * DAY_US, n_bg))
    parts_a.append((np.exp(rng.normal(np.log(50_000), 1.5, n_bg))).astype(np.int64) + 1)
    parts_from.append(bg_from)
    parts_to.append(bg_to)
    parts_cash.append(bg_cash)
    return {
        "time_us": np.concatenate(parts_t).astype(np.int64),
        "payer": np.concatenate(parts_from).astype(np.int64),
        "payee": np.concatenate(parts_to).astype(np.int64),
        "amount": np.concatenate(parts_a).astype(np.int64),
        "cash_out": np.concatenate(parts_cash),
        "n_victims": np.int64(n_victims),
        "n_mule_transfers": np.int64(n_mule_tr),
    }


def make_index(g: dict[str, np.ndarray], rows: np.ndarray | None = None) -> TransferIndex:
    if rows is None:
        return TransferIndex(g["time_us"], g["payer"], g["payee"], g["amount"], g["cash_out"])
    return TransferIndex(
        g["time_us"][rows],
        g["payer"][rows],
        g["payee"][rows],
        g["amount"][rows],
        g["cash_out"][rows],
    )


# -- networkx baseline: the same FIFO sweep, reading edges from a MultiDiGraph ------------------
def nx_graph(g: dict[str, np.ndarray], rows: np.ndarray):
    import networkx as nx

    order = rows[np.argsort(g["time_us"][rows], kind="stable")]
    G = nx.MultiDiGraph()
    for rank, i in enumerate(order.tolist()):
        G.add_edge(
            int(g["payer"][i]),
            int(g["payee"][i]),
            key=rank,
            amount=int(g["amount"][i]),
            cash=bool(g["cash_out"][i]),
        )
    return G


def nx_trace_fifo(G, seeds: list[tuple[int, int, int, int]], max_hops: int) -> dict[int, list[int]]:
    """seeds: (rank, victim, payer, payee). Returns victim -> [held, cashed, untraced]."""
    lots: dict[int, list] = {}
    gen: dict[int, int] = {}
    heap: list = []
    seed_of = {r: v for r, v, _, _ in seeds}
    edge_of = {r: (u, w) for r, _, u, w in seeds}
    tot: dict[int, list[int]] = {v: [0, 0, 0] for _, v, _, _ in seeds}
    for r in seed_of:
        heap.append((r, -1, r))
    heapq.heapify(heap)
    last = -1

    def activate(acct: int, rank: int) -> None:
        gen[acct] = gen.get(acct, 0) + 1
        bal = 0
        for _, _, k, d in G.in_edges(acct, keys=True, data=True):
            if k < rank:
                bal += d["amount"]
        for _, w, k, d in G.out_edges(acct, keys=True, data=True):
            if k < rank:
                bal -= d["amount"]
            else:
                heapq.heappush(heap, (k, acct, gen[acct]))
                edge_of[k] = (acct, w)
        for u, _, k, _ in G.in_edges(acct, keys=True, data=True):
            if k > rank:
                heapq.heappush(heap, (k, acct, gen[acct]))
                edge_of[k] = (u, acct)
        lots[acct] = [[-1, 0, bal]] if bal > 0 else []

    while heap:
        r, acct, g_ = heapq.heappop(heap)
        if acct >= 0 and gen.get(acct) != g_:
            continue
        if r == last:
            continue
        if acct >= 0 and acct not in lots:
            continue
        last = r
        u, w = edge_of[r]
        d = G.edges[u, w, r]
        amount, cash = d["amount"], d["cash"]
        taken = []
        if u in lots:
            q = lots[u]
            need = amount
            while need and q:
                k = min(need, q[0][2])
                q[0][2] -= k
                need -= k
                if q[0][0] >= 0:
                    taken.append([q[0][0], q[0][1], k])
                if q[0][2] == 0:
                    q.pop(0)
            if not any(x[0] >= 0 for x in q):
                del lots[u]
                gen[u] = gen.get(u, 0) + 1
        moved = []
        for v, hop, k in taken:
            if cash:
                tot[v][1] += k
            elif hop >= max_hops:
                tot[v][2] += k
            else:
                moved.append([v, hop + 1, k])
        if r in seed_of:
            v = seed_of[r]
            got = sum(x[2] for x in taken)
            tot[v][2] += got
            if amount - got:
                if cash:
                    tot[v][1] += amount - got
                else:
                    moved.append([v, 1, amount - got])
        if cash:
            continue
        if moved:
            if w not in lots:
                activate(w, r)
            rest = amount - sum(x[2] for x in moved)
            if rest:
                lots[w].append([-1, 0, rest])
            lots[w].extend(moved)
        elif w in lots:
            lots[w].append([-1, 0, amount])
    for q in lots.values():
        for v, _, k in q:
            if v >= 0:
                tot[v][0] += k
    return tot


def fmt(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--transfers", type=int, default=10_000_000)
    ap.add_argument("--victims", type=int, default=10_000)
    ap.add_argument("--single", type=int, default=20, help="victims timed one by one")
    ap.add_argument("--nx-background", type=int, default=300_000)
    ap.add_argument("--nx-victims", type=int, default=200)
    ap.add_argument("--max-hops", type=int, default=10)
    ap.add_argument("--sim", type=Path, help="measure on a simulator output directory instead")
    args = ap.parse_args()
    if args.sim is not None:
        measure_sim(args.sim, args.max_hops)
        return

    t = time.perf_counter()
    g = build_graph(args.transfers, args.victims)
    n = len(g["time_us"])
    print(
        f"graph: {n:,} transfers ({int(g['n_mule_transfers']):,} in mule networks), "
        f"{args.victims:,} victims, generated in {fmt(time.perf_counter() - t)}"
    )
    t = time.perf_counter()
    ix = make_index(g)
    print(f"index build: {fmt(time.perf_counter() - t)}")
    nv = args.victims
    t = time.perf_counter()
    warm = trace(ix, [Seed("warm", "0")], rule=Rule.FIFO)
    warm.freeze_candidates(), warm.flows  # first use of the Arrow kernels
    print(f"compiled sweep warm-up (numba JIT / cache load): {fmt(time.perf_counter() - t)}")
    victim_rows = np.arange(nv)  # the first nv rows are the victims' transfers
    rank_of_row = np.empty(n, dtype=np.int64)
    rank_of_row[ix.row] = np.arange(n)

    def seeds_for(rows: np.ndarray, rank_map: np.ndarray) -> list[Seed]:
        return [Seed(f"v{i}", str(int(rank_map[i]))) for i in rows.tolist()]

    # ranks_of() with no event ids reads the id as the rank
    rng = np.random.default_rng(1)
    pick = rng.choice(nv, size=min(args.single, nv), replace=False)
    single_times, with_tables, hops = [], [], []
    for i in pick:
        s = seeds_for(np.array([i]), rank_of_row)
        t = time.perf_counter()
        res = trace(ix, s, rule=Rule.FIFO, max_hops=args.max_hops)
        single_times.append(time.perf_counter() - t)
        res.freeze_candidates()  # builds the holdings table
        hops.append(int(max(res.flows["hop"].to_pylist() or [0])))
        with_tables.append(time.perf_counter() - t)
    print(
        f"one trace (FIFO, full graph): median {fmt(statistics.median(single_times))}, "
        f"max {fmt(max(single_times))}; with flow table + freeze candidates built: median "
        f"{fmt(statistics.median(with_tables))}, max {fmt(max(with_tables))}; hops reached "
        f"median {statistics.median(hops)} max {max(hops)} (target ≤ 50 ms)"
    )
    for rule in (Rule.FIFO, Rule.TAINT_FIRST):
        t = time.perf_counter()
        res = trace(ix, seeds_for(victim_rows, rank_of_row), rule=rule, max_hops=args.max_hops)
        el = time.perf_counter() - t
        tot = res.totals()
        share = {k: f"{tot[k] / tot['seeded']:.1%}" for k in tot if k != "seeded"}
        t = time.perf_counter()
        n_rows = res.flows.num_rows
        n_cand = res.freeze_candidates().num_rows
        tables = time.perf_counter() - t
        print(
            f"batch of {nv:,} victims ({rule.value}): {fmt(el)} (target ≤ 30 s), then "
            f"{fmt(tables)} to build the flow table ({n_rows:,} rows) and {n_cand:,} freeze "
            f"candidates; {share}"
        )

    # networkx on a sample: all mule transfers + a slice of the background
    n_mule = int(g["n_mule_transfers"])
    bg = np.arange(n_mule, n)
    bg = rng.choice(bg, size=min(args.nx_background, len(bg)), replace=False)
    rows = np.sort(np.concatenate([np.arange(n_mule), bg]))
    t = time.perf_counter()
    G = nx_graph(g, rows)
    print(
        f"networkx sample graph: {len(rows):,} transfers, built in {fmt(time.perf_counter() - t)}"
    )
    # millions of graph objects would make every cyclic-GC pass (triggered by whichever side is
    # allocating) cost tens of ms; freeze them so neither side pays for the other's garbage
    gc.collect()
    gc.freeze()
    six = make_index(g, rows)
    srank = np.empty(len(rows), dtype=np.int64)
    srank[six.row] = np.arange(len(rows))
    pos = {int(r): i for i, r in enumerate(rows.tolist()) if r < nv}
    sample_rank = np.zeros(nv, dtype=np.int64)
    for r, i in pos.items():
        sample_rank[r] = srank[i]
    mine, theirs, agree = [], [], True
    for i in pick:
        s = seeds_for(np.array([i]), sample_rank)
        t = time.perf_counter()
        res = trace(six, s, rule=Rule.FIFO, max_hops=args.max_hops)
        mine.append(time.perf_counter() - t)
        r = int(sample_rank[i])
        t = time.perf_counter()
        ref = nx_trace_fifo(G, [(r, 0, int(six.payer[r]), int(six.payee[r]))], args.max_hops)
        theirs.append(time.perf_counter() - t)
        v = res.victims.to_pylist()[0]
        agree &= [v["held"], v["cashed_out"], v["untraced"]] == ref[0]
    m, x = statistics.median(mine), statistics.median(theirs)
    print(
        f"one trace on the sample: fanzha {fmt(m)}, networkx {fmt(x)}, ratio {x / m:.0f}× "
        f"(target ≥ 20×); results identical: {agree}"
    )
    bv = rng.choice(nv, size=min(args.nx_victims, nv), replace=False)
    s = seeds_for(bv, sample_rank)
    t = time.perf_counter()
    res = trace(six, s, rule=Rule.FIFO, max_hops=args.max_hops)
    m = time.perf_counter() - t
    seeds = [
        (int(sample_rank[i]), k, int(six.payer[sample_rank[i]]), int(six.payee[sample_rank[i]]))
        for k, i in enumerate(bv.tolist())
    ]
    t = time.perf_counter()
    ref = nx_trace_fifo(G, seeds, args.max_hops)
    x = time.perf_counter() - t
    got = res.victims.to_pylist()
    same = all([v["held"], v["cashed_out"], v["untraced"]] == ref[k] for k, v in enumerate(got))
    print(
        f"batch of {len(bv)} victims on the sample: fanzha {fmt(m)}, networkx {fmt(x)}, "
        f"ratio {x / m:.0f}×; results identical: {same}"
    )


def measure_sim(sim_dir: Path, max_hops: int) -> None:
    """Share of stolen money the tracer finds and the share still freezable, per hop, against
    the simulator's truth (``<dir>/lake`` transfers, ``<dir>/truth/events.parquet`` and
    ``accounts.parquet``). Seeds: every victim payment in the truth."""
    import pyarrow.parquet as pq

    from fanzha.store.lake import EventLake

    tr = EventLake(sim_dir / "lake").scan("transfer")
    ev = pq.read_table(sim_dir / "truth" / "events.parquet").to_pandas()
    acc = pq.read_table(sim_dir / "truth" / "accounts.parquet").to_pandas()
    ev = ev[ev["kind"] == "transfer"]
    known = acc.loc[~acc["is_external"], "account"].tolist()
    t = time.perf_counter()
    ix = TransferIndex.from_table(tr, known_accounts=known)
    built = time.perf_counter() - t
    trace(ix, [Seed("warm", tr["event_id"][0].as_py())])  # load the compiled sweep first
    pay = ev[ev["stage"] == "victim_payment"]
    seeds = [Seed(v, e) for v, e in zip(pay["victim_id"], pay["event_id"], strict=True)]
    stolen = int(pay["amount_fen"].sum())
    tx = tr.select(["event_id", "payer_account", "payee_account"]).to_pandas()
    truth = ev.merge(tx, on="event_id")
    # truth still held at the end: per (account, victim) inflow − outflow of the victim's money
    inflow = truth.groupby(["payee_account", "victim_id"])["amount_fen"].sum()
    outflow = truth.groupby(["payer_account", "victim_id"])["amount_fen"].sum()
    inflow.index.names = outflow.index.names = ["account", "victim_id"]
    remain = inflow.sub(outflow, fill_value=0)
    cash_accounts = set(acc.loc[acc["account_kind"].isin(["atm", "otc", "merchant"]), "account"])
    remain = remain[(remain > 0) & ~remain.index.get_level_values(0).isin(cash_accounts)]
    mule = set(acc.loc[acc["label"].isin(["mule", "cashout"]), "account"])
    print(
        f"simulator {sim_dir}: {ix.n:,} transfers, {len(seeds):,} victim payments, stolen "
        f"¥{stolen / 100:,.0f}; index {fmt(built)}; truth still in accounts "
        f"¥{remain.sum() / 100:,.0f} ({remain.sum() / stolen:.1%})"
    )
    for rule in (Rule.TAINT_FIRST, Rule.FIFO):
        t = time.perf_counter()
        res = trace(ix, seeds, rule=rule, max_hops=max_hops)
        el = time.perf_counter() - t
        fl = res.flows.select(["event_id", "victim_id", "amount_fen"]).to_pandas()
        fl = fl.groupby(["event_id", "victim_id"], as_index=False)["amount_fen"].sum()
        m = truth.merge(fl, on=["event_id", "victim_id"], how="left", suffixes=("", "_traced"))
        m["found"] = np.minimum(m["amount_fen"], m["amount_fen_traced"].fillna(0))
        per_hop = m.groupby("hop")[["amount_fen", "found"]].sum()
        hold = res.holdings.to_pandas()
        hold_by_hop = hold.groupby("min_hop")["amount_fen"].sum()
        h = hold.set_index(["account", "victim_id"])["amount_fen"]
        both = h.to_frame("traced").join(remain.rename("truth"), how="outer").fillna(0)
        overlap = np.minimum(both["traced"], both["truth"]).sum()
        in_mule = hold.loc[hold["account"].isin(mule), "amount_fen"].sum()
        tot = res.totals()
        print(
            f"  rule {rule.value}: {fmt(el)}; held {tot['held'] / stolen:.1%}, cashed out "
            f"{tot['cashed_out'] / stolen:.1%}, left data {tot['left_data'] / stolen:.1%}, "
            f"untraced {tot['untraced'] / stolen:.1%}"
        )
        print(
            f"    freezable: tracer says {tot['held'] / stolen:.1%} of stolen; of that "
            f"{in_mule / max(tot['held'], 1):.1%} sits in true mule/cash-out accounts; "
            f"agreement with truth (Σ min per account×victim) {overlap / max(remain.sum(), 1):.1%}"
            f" of the truly remaining money"
        )
        for hop, row in per_hop.iterrows():
            print(
                f"    hop {int(hop)}: truth ¥{row['amount_fen'] / 100:,.0f}, found "
                f"{row['found'] / max(row['amount_fen'], 1):.1%}; tracer holds at this level "
                f"{hold_by_hop.get(int(hop), 0) / stolen:.1%} of stolen"
            )


if __name__ == "__main__":
    main()
