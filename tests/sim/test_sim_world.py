"""The generated world is coherent: registries, balances, real names, money trails, labels."""

from __future__ import annotations

import json
from collections import defaultdict

import duckdb
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fanzha.sim import ids
from fanzha.sim.engine import KINDS
from fanzha.store.lake import EventLake


def _truth(out, name):
    return pq.read_table(out / "truth" / f"{name}.parquet")


def test_summary_counts_match_files(tiny_run):
    out, summary = tiny_run
    lake = EventLake(out / "lake")
    on_disk = json.loads((out / "summary.json").read_text("utf-8"))
    assert on_disk == summary
    for kind in KINDS:
        assert lake.count(kind) == summary["events"][kind], kind
    assert summary["events"]["call"] > 10_000
    assert summary["events"]["victim_report"] > 0
    assert _truth(out, "cases").num_rows == summary["cases"]
    assert _truth(out, "people").num_rows == summary["people"]
    assert _truth(out, "events").num_rows == summary["fraud_events"]
    assert summary["loss_fen_total"] == sum(summary["loss_fen_by_type"].values()) > 0


def test_every_transfer_account_is_registered_or_external(tiny_run):
    out, _ = tiny_run
    lake = EventLake(out / "lake")
    con = duckdb.connect()
    con.register("acc", _truth(out, "accounts"))
    missing = con.execute(
        f"""SELECT count(*) FROM {lake.relation_sql("transfer")} t
            WHERE t.payer_account NOT IN (SELECT account FROM acc)
               OR t.payee_account NOT IN (SELECT account FROM acc)"""
    ).fetchone()[0]
    assert missing == 0
    # externals hold no real-name link; every simulated account does
    acc = _truth(out, "accounts")
    ext = acc.filter(acc["is_external"])
    sim = acc.filter(pc.invert(acc["is_external"]))
    assert ext.num_rows > 0 and ext["person_id"].null_count == ext.num_rows
    assert sim["person_id"].null_count == 0
    assert len(set(acc["account"].to_pylist())) == acc.num_rows


def test_balances_never_go_negative(tiny_run):
    out, _ = tiny_run
    lake = EventLake(out / "lake")
    con = duckdb.connect()
    con.register("acc", _truth(out, "accounts"))
    worst = con.execute(
        f"""
        WITH t AS (SELECT * FROM {lake.relation_sql("transfer")}),
        moves AS (
            SELECT payer_account AS account, event_time, -amount_fen AS delta, 1 AS ord FROM t
            UNION ALL
            SELECT payee_account, event_time, amount_fen, 0 FROM t
        ),
        run AS (
            SELECT m.account, a.opening_balance_fen + sum(delta) OVER (
                PARTITION BY m.account ORDER BY event_time, ord
                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS bal
            FROM moves m JOIN acc a ON a.account = m.account
            WHERE NOT a.is_external
        )
        SELECT min(bal), count(*) FROM run"""
    ).fetchone()
    assert worst[1] > 1000
    assert worst[0] >= 0


def test_real_names_link_numbers_accounts_people(tiny_run):
    out, _ = tiny_run
    people = _truth(out, "people")
    pids = set(people["person_id"].to_pylist())
    assert len(pids) == people.num_rows
    assert all(ids.resident_id_valid(p) for p in pids)
    nums = _truth(out, "numbers")
    foreign = pc.equal(nums["operator"], "foreign")
    domestic = nums.filter(pc.invert(foreign))
    assert domestic["person_id"].null_count == 0
    assert set(domestic["person_id"].to_pylist()) <= pids
    acc = _truth(out, "accounts").filter(pc.invert(_truth(out, "accounts")["is_external"]))
    assert set(acc["person_id"].to_pylist()) <= pids
    # account cards are Luhn-valid, devices are Luhn-valid IMEIs
    cards = acc.filter(pc.equal(acc["account_class"], "I"))["account"].to_pylist()
    assert cards and all(ids.luhn_valid(c) for c in cards)
    imeis = _truth(out, "devices")["imei"].to_pylist()
    assert all(len(i) == 15 and ids.luhn_valid(i) for i in imeis)
    # every phone number seen on calls is registered (service short codes only send SMS)
    lake = EventLake(out / "lake")
    con = duckdb.connect()
    con.register("nums", nums)
    unknown = con.execute(
        f"""SELECT count(*) FROM {lake.relation_sql("call")} c
            WHERE caller NOT IN (SELECT number FROM nums) OR callee NOT IN (SELECT number FROM nums)"""
    ).fetchone()[0]
    assert unknown == 0
    # sim issuance and account openings name the registered holder
    sims = lake.scan("sim_issuance")
    reg = dict(zip(nums["number"].to_pylist(), nums["person_id"].to_pylist(), strict=True))
    for n, p in zip(sims["number"].to_pylist(), sims["person_id"].to_pylist(), strict=True):
        assert reg[n] == p


def test_fraud_money_can_be_followed_to_cash_out(tiny_run):
    out, summary = tiny_run
    ev = _truth(out, "events").filter(pc.equal(_truth(out, "events")["kind"], "transfer"))
    rows = ev.to_pylist()
    children = defaultdict(list)
    by_id = {r["event_id"]: r for r in rows}
    for r in rows:
        if r["parent_event_id"]:
            children[r["parent_event_id"]].append(r)
    acc = _truth(out, "accounts")
    external = set(acc.filter(acc["is_external"])["account"].to_pylist())
    lake = EventLake(out / "lake")
    tr = lake.scan("transfer")
    lake_ids = set(tr["event_id"].to_pylist())
    payee = dict(zip(tr["event_id"].to_pylist(), tr["payee_account"].to_pylist(), strict=True))
    t_of = dict(zip(tr["event_id"].to_pylist(), tr["event_time"].to_pylist(), strict=True))
    end = max(t_of.values())
    payments = [r for r in rows if r["stage"] == "victim_payment"]
    assert payments
    followed = 0
    for p in payments:
        assert p["event_id"] in lake_ids
        if (end - t_of[p["event_id"]]).total_seconds() < 12 * 3600:
            continue  # its trail may run past the end of the window
        leaves, stack, hops = [], [p], set()
        while stack:
            r = stack.pop()
            kids = children.get(r["event_id"], [])
            hops.add(r["hop"])
            if r["stage"] == "cashout":
                leaves.append(r)
            stack.extend(kids)
        assert sum(x["amount_fen"] for x in leaves) == p["amount_fen"]
        assert all(payee[x["event_id"]] in external for x in leaves)
        assert 3 <= max(hops) <= 7  # 2-5 mule hops, then cash-out
        followed += 1
    assert followed >= 5
    assert all(r["event_id"] in by_id for r in rows)


def test_labels_are_beside_not_inside_events(tiny_run):
    out, _ = tiny_run
    lake = EventLake(out / "lake")
    ev = _truth(out, "events")
    for kind in ("call", "sms", "transfer"):
        cols = set(lake.scan(kind).column_names)
        assert not cols & {"label", "gang_id", "case_id", "role"}
    con = duckdb.connect()
    con.register("ev", ev)
    for kind in set(ev["kind"].to_pylist()):
        n_labels = con.execute(f"SELECT count(*) FROM ev WHERE kind = '{kind}'").fetchone()[0]
        joined = con.execute(
            f"SELECT count(*) FROM {lake.relation_sql(kind)} e JOIN ev ON ev.event_id = e.event_id"
        ).fetchone()[0]
        assert joined == n_labels, kind
    gangs = set(_truth(out, "gangs")["gang_id"].to_pylist())
    assert set(ev["gang_id"].to_pylist()) <= gangs
    ent = _truth(out, "entities")
    kinds = set(ent["entity_kind"].to_pylist())
    assert kinds == {"person", "number", "account", "device", "url", "app"}
    labels = set(ent["label"].to_pylist())
    assert {"fraud", "mule", "hard_negative", "normal", "victim", "seller"} <= labels


def test_victim_reports_link_cases_and_losses(tiny_run):
    out, _ = tiny_run
    lake = EventLake(out / "lake")
    reports = lake.scan("victim_report").to_pylist()
    cases = {c["case_ref"]: c for c in _truth(out, "cases").to_pylist() if c["case_ref"]}
    assert reports and len(reports) == len(cases)
    for r in reports:
        c = cases[r["case_ref"]]
        assert r["victim_id"] == c["victim_id"]
        assert r["loss_fen"] == c["loss_fen"] - c["rebate_fen"] or r["loss_fen"] == c["loss_fen"]
        assert r["event_time"] > c["first_payment_time"]
        assert r["division_code"].startswith("51")


def test_messages_vary_and_hard_negatives_call_a_lot(tiny_run):
    out, summary = tiny_run
    lake = EventLake(out / "lake")
    ev = _truth(out, "events")
    con = duckdb.connect()
    con.register("ev", ev)
    texts = con.execute(
        f"""SELECT s.content FROM {lake.relation_sql("sms")} s JOIN ev USING (event_id)
            WHERE ev.stage IN ('contact', 'groom', 'demand') AND ev.role = 'caller'"""
    ).fetchall()
    assert len(texts) > 20
    assert len({t[0] for t in texts}) > 0.75 * len(texts)
    # businesses (hard negatives) make many short outgoing calls
    people = _truth(out, "people")
    con.register("people", people)
    per_role = dict(
        con.execute(
            f"""SELECT p.role, count(*) / count(DISTINCT p.person_id) FROM {lake.relation_sql("call")} c
                JOIN people p ON p.primary_number = c.caller GROUP BY p.role"""
        ).fetchall()
    )
    assert per_role["courier"] > 10 * per_role["ordinary"]
    assert summary["hard_negatives"]["business_calls"] > 0
