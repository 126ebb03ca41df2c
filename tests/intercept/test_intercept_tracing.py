"""Fund tracing: worked examples, a brute-force reference sweep, and properties (hypothesis)."""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanzha.intercept.tracing import (
    Rule,
    Seed,
    TransferIndex,
    split_largest_remainder,
    trace,
)

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def table(rows: list[tuple[str, str, str, int, str, float]]) -> pa.Table:
    return pa.table(
        {
            "event_id": [r[0] for r in rows],
            "source_org": ["bank-a"] * len(rows),
            "payer_account": [r[1] for r in rows],
            "payee_account": [r[2] for r in rows],
            "amount_fen": pa.array([r[3] for r in rows], pa.int64()),
            "channel": [r[4] for r in rows],
            "event_time": pa.array(
                [T0 + timedelta(minutes=r[5]) for r in rows], pa.timestamp("us", tz="UTC")
            ),
        }
    )


MULE_CHAIN = [
    ("t1", "victim-A", "L1-a", 5_000_000, "mobile_banking", 0),
    ("t2", "victim-B", "L1-a", 3_000_000, "online_banking", 2),
    ("t3", "L1-a", "L2-a", 4_000_000, "mobile_banking", 5),
    ("t4", "L1-a", "L2-b", 4_000_000, "mobile_banking", 6),
    ("t5", "L2-a", "L3-a", 3_990_000, "third_party", 9),
    ("t6", "L2-b", "ATM-881", 2_000_000, "atm", 12),
    ("t7", "L3-a", "L4-a", 3_000_000, "mobile_banking", 15),
    ("t8", "L4-a", "L5-a", 2_900_000, "mobile_banking", 20),
    ("t9", "L5-a", "shop-77", 500_000, "merchant", 30),
    ("t0", "L5-a", "L6-a", 100, "mobile_banking", 1),  # before the money came: carries nothing
    ("tx", "L2-b", "elsewhere-bank", 1_000_000, "online_banking", 40),
]


def test_mule_chain_taint_first_mixes_victims_and_stops_at_cash_out():
    ix = TransferIndex.from_table(table(MULE_CHAIN), known_accounts=None)
    res = trace(ix, [Seed("A", "t1"), Seed("B", "t2")])
    tot = res.totals()
    assert tot["seeded"] == 8_000_000
    assert tot["held"] + tot["cashed_out"] + tot["left_data"] + tot["untraced"] == 8_000_000
    flows = res.flows.to_pylist()
    # t3 carries A's oldest money first; t4 carries the rest of A then B
    t3 = [f for f in flows if f["event_id"] == "t3"]
    assert [(f["victim_id"], f["amount_fen"], f["hop"]) for f in t3] == [("A", 4_000_000, 2)]
    t4 = {f["victim_id"]: f["amount_fen"] for f in flows if f["event_id"] == "t4"}
    assert t4 == {"A": 1_000_000, "B": 3_000_000}
    assert not [f for f in flows if f["event_id"] == "t0"]
    cash = [f for f in flows if f["terminal"] == "cash_out"]
    assert {f["event_id"] for f in cash} == {"t6", "t9"}
    hops = {f["event_id"]: f["hop"] for f in flows}
    assert hops["t8"] == 5 and hops["t9"] == 6
    cands = {r["account"]: r["amount_fen"] for r in res.freeze_candidates().to_pylist()}
    assert cands["L5-a"] == 2_400_000
    assert cands["L2-b"] == 1_000_000  # stays (the 'tx' hop is still inside the data)


def test_outside_accounts_and_hop_limit():
    known = {a for r in MULE_CHAIN for a in (r[1], r[2])} - {"elsewhere-bank"}
    ix = TransferIndex.from_table(table(MULE_CHAIN), known_accounts=known)
    res = trace(ix, [Seed("A", "t1"), Seed("B", "t2")], max_hops=3)
    v = {r["victim_id"]: r for r in res.victims.to_pylist()}
    assert v["B"]["left_data"] == 1_000_000  # tx went to a bank outside the data
    # L3-a is hop 3: what it sends on (t7) is beyond the limit
    assert v["A"]["untraced"] == 3_000_000
    assert "L4-a" not in {r["account"] for r in res.holdings.to_pylist()}
    for r in res.victims.to_pylist():
        assert r["held"] + r["cashed_out"] + r["left_data"] + r["untraced"] == r["seeded"]


def test_seed_by_account_amount_time_matches_a_transfer_or_deposits():
    ix = TransferIndex.from_table(table(MULE_CHAIN))
    matched = trace(ix, [Seed("A", account="L1-a", amount_fen=5_000_000, time=T0)])
    assert matched.flows.to_pylist()[0]["event_id"] == "t1"
    # a victim paid L3-a from a bank outside the data at 09:10 → deposit before t7
    dep = trace(ix, [Seed("C", account="L3-a", amount_fen=7_000, time=T0 + timedelta(minutes=10))])
    first = dep.flows.to_pylist()[0]
    assert first["event_id"] is None and first["to_account"] == "L3-a"
    assert {f["event_id"] for f in dep.flows.to_pylist()[1:]} == {"t7", "t8", "t9"}
    assert dep.victims.to_pylist()[0]["cashed_out"] == 7_000
    unknown = trace(ix, [Seed("D", account="nowhere", amount_fen=10, time=T0)])
    assert unknown.victims.to_pylist()[0]["left_data"] == 10
    assert len(unknown.unmatched_seeds) == 1


def test_rules_differ_where_they_should():
    rows = [
        ("s1", "vA", "M", 1_000, "mobile_banking", 0),
        ("c1", "boss", "M", 4_000, "mobile_banking", 1),
        ("s2", "vB", "M", 1_000, "mobile_banking", 2),
        ("o1", "M", "N", 1_000, "mobile_banking", 3),
    ]
    ix = TransferIndex.from_table(table(rows))
    seeds = [Seed("A", "s1"), Seed("B", "s2")]

    def carried(rule: str) -> dict[str, int]:
        res = trace(ix, seeds, rule=rule)
        return {f["victim_id"]: f["amount_fen"] for f in res.flows.to_pylist() if f["hop"] == 2}

    assert carried("taint_first") == {"A": 1_000}
    assert carried("fifo") == {"A": 1_000}
    assert carried("lifo") == {"B": 1_000}
    # 1000 × 1000/6000 each; the two leftover fen go to the earliest equal remainders (A, clean)
    assert carried("proportional") == {"A": 167, "B": 166}


def test_largest_remainder_split_is_exact():
    assert split_largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(split_largest_remainder(999_999, [7, 13, 29, 1])) == 999_999
    with pytest.raises(ValueError):
        split_largest_remainder(5, [0, 0])


# -- reference: every transfer of the data in time order, no cursors ---------------------------
def reference(rows, seeds: dict[str, str], rule: str, max_hops: int) -> dict[str, dict[str, int]]:
    order = sorted(range(len(rows)), key=lambda i: (rows[i][5], i))
    lots: dict[str, deque] = {}
    inflow: dict[str, int] = defaultdict(int)
    outflow: dict[str, int] = defaultdict(int)
    tot = {v: defaultdict(int) for v in set(seeds.values())}
    clean = rule != "taint_first"
    for i in order:
        eid, a, b, amt, ch, _ = rows[i]
        taken = []
        if a in lots:
            q = lots[a]
            if rule == "proportional":
                total = sum(x[2] for x in q)
                if amt >= total:
                    taken = [x for x in q if x[0] is not None]
                    q.clear()
                else:
                    sh = split_largest_remainder(amt, [x[2] for x in q])
                    taken = [[x[0], x[1], s] for x, s in zip(q, sh, strict=True) if s and x[0]]
                    lots[a] = deque([x[0], x[1], x[2] - s] for x, s in zip(q, sh, strict=True))
                    lots[a] = deque(x for x in lots[a] if x[2] > 0)
            else:
                need = amt
                q = lots[a]
                while need and q:
                    x = q[-1] if rule == "lifo" else q[0]
                    k = min(need, x[2])
                    x[2] -= k
                    need -= k
                    if x[0] is not None:
                        taken.append([x[0], x[1], k])
                    if x[2] == 0:
                        q.pop() if rule == "lifo" else q.popleft()
            if not any(x[0] is not None for x in lots[a]):
                del lots[a]
        cash = ch in ("atm", "counter", "merchant")
        moved = []
        for v, hop, k in taken:
            if cash:
                tot[v]["cashed_out"] += k
            elif hop >= max_hops:
                tot[v]["untraced"] += k
            else:
                moved.append([v, hop + 1, k])
        if eid in seeds:
            v = seeds[eid]
            got = sum(k for _, _, k in taken)
            tot[v]["untraced"] += got
            tot[v]["seeded"] += amt
            if amt - got:
                if cash:
                    tot[v]["cashed_out"] += amt - got
                else:
                    moved.append([v, 1, amt - got])
        if moved and not cash:
            if b not in lots:
                lots[b] = deque()
                bal = inflow[b] - outflow[b]
                if clean and bal > 0:
                    lots[b].append([None, 0, bal])
            rest = amt - sum(k for _, _, k in moved)
            if clean and rest:
                lots[b].append([None, 0, rest])
            lots[b].extend(moved)
        elif b in lots and clean and not cash:
            lots[b].append([None, 0, amt])
        inflow[b] += amt
        outflow[a] += amt
    for q in lots.values():
        for v, _, k in q:
            if v is not None:
                tot[v]["held"] += k
    return {v: dict(d) for v, d in tot.items()}


ACCOUNTS = [f"acc{i}" for i in range(7)]
row_st = st.tuples(
    st.sampled_from(ACCOUNTS),
    st.sampled_from(ACCOUNTS),
    st.integers(1, 5_000),
    st.sampled_from(["mobile_banking", "mobile_banking", "online_banking", "atm", "merchant"]),
    st.integers(0, 30),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    raw=st.lists(row_st, min_size=1, max_size=40),
    n_seeds=st.integers(1, 4),
    rule=st.sampled_from([r.value for r in Rule]),
    max_hops=st.integers(1, 6),
)
def test_properties_against_reference(raw, n_seeds, rule, max_hops):
    rows = [(f"e{i}", a, b, amt, ch, t) for i, (a, b, amt, ch, t) in enumerate(raw)]
    seed_rows = rows[:n_seeds]
    seeds = [Seed(f"v{i % 3}", r[0]) for i, r in enumerate(seed_rows)]
    ix = TransferIndex.from_table(table(rows))
    res = trace(ix, seeds, rule=rule, max_hops=max_hops)
    if rule != "proportional":
        # the compiled sweep and the pure-Python sweep agree row for row
        py = trace(ix, seeds, rule=rule, max_hops=max_hops, engine="python")
        assert res.flows.equals(py.flows)
        assert res.holdings.equals(py.holdings)
        assert res.victims.equals(py.victims)

    amount = {r[0]: r[3] for r in rows}
    when = {r[0]: T0 + timedelta(minutes=r[5]) for r in rows}
    flows = res.flows.to_pylist()
    per_transfer: dict[str, int] = defaultdict(int)
    for f in flows:
        per_transfer[f["event_id"]] += f["amount_fen"]
        assert f["amount_fen"] > 0
    # traced amounts never exceed what flowed on a transfer
    for eid, fen in per_transfer.items():
        assert fen <= amount[eid]
    loss: dict[str, int] = defaultdict(int)
    for s in seeds:
        loss[s.victim_id] += amount[s.event_id]
    for v in res.victims.to_pylist():
        assert v["seeded"] == loss[v["victim_id"]]
        assert v["held"] + v["cashed_out"] + v["left_data"] + v["untraced"] == v["seeded"]
        assert 0 <= v["held"] <= loss[v["victim_id"]]
    # time order: per (account, victim), money out by any time ≤ money in strictly earlier
    order = {r[0]: (r[5], i) for i, r in enumerate(rows)}
    ins: dict[tuple, list] = defaultdict(list)
    outs: dict[tuple, list] = defaultdict(list)
    for f in flows:
        if f["hop"] > 1:
            outs[(f["from_account"], f["victim_id"])].append(
                (order[f["event_id"]], f["amount_fen"])
            )
        if f["terminal"] == "":
            ins[(f["to_account"], f["victim_id"])].append((order[f["event_id"]], f["amount_fen"]))
    for key, out_list in outs.items():
        for k, _ in out_list:
            sent = sum(x for kk, x in out_list if kk <= k)
            received = sum(x for kk, x in ins[key] if kk < k)
            assert sent <= received, (key, k)
    for f in flows:
        assert f["event_time"] == when[f["event_id"]]
    # identical to the brute-force sweep over all transfers
    ref = reference(rows, {s.event_id: s.victim_id for s in seeds}, rule, max_hops)
    for v in res.victims.to_pylist():
        r = ref[v["victim_id"]]
        for name in ("seeded", "held", "cashed_out", "untraced"):
            assert v[name] == r.get(name, 0), (name, v, r)
