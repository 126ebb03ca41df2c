"""``fanzha trace run``, ``fanzha orders`` and ``fanzha returns plan`` end to end."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.domain.events import arrow_schema
from fanzha.store.lake import EventLake

runner = CliRunner()
T0 = datetime(2026, 6, 2, 14, 0, tzinfo=UTC)
ROWS = [
    ("t1", "victim-1", "L1", 2_000_000, "mobile_banking", 0),
    ("t2", "victim-2", "L1", 1_000_000, "mobile_banking", 1),
    ("t3", "L1", "L2", 2_500_000, "online_banking", 4),
    ("t4", "L2", "ATM-1", 1_000_000, "atm", 9),
    ("t5", "L2", "L3", 1_400_000, "third_party", 12),
]


def write_csv(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            ["event_id", "payer_account", "payee_account", "amount_fen", "channel", "event_time"]
        )
        for eid, a, b, amt, ch, m in ROWS:
            w.writerow([eid, a, b, amt, ch, (T0 + timedelta(minutes=m)).isoformat()])


def read(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_trace_run_from_csv(tmp_path: Path):
    src = tmp_path / "transfers.csv"
    write_csv(src)
    out = tmp_path / "out"
    res = runner.invoke(
        app,
        [
            "trace",
            "run",
            "--transfers",
            str(src),
            "--victim-transfers",
            "A=t1",
            "--victim-transfers",
            "B=t2",
            "--rule",
            "fifo",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "可冻结账户" in res.output
    flows = read(out / "flows.csv")
    t3 = {r["victim_id"]: int(r["amount_fen"]) for r in flows if r["event_id"] == "t3"}
    assert t3 == {"A": 2_000_000, "B": 500_000}
    cands = {r["account"]: int(r["amount_fen"]) for r in read(out / "freeze_candidates.csv")}
    assert cands == {"L1": 500_000, "L2": 100_000, "L3": 1_400_000}
    victims = {r["victim_id"]: r for r in read(out / "victims.csv")}
    assert int(victims["A"]["cashed_out"]) == 1_000_000


def test_trace_run_from_lake_and_bad_rule(tmp_path: Path):
    lake = EventLake(tmp_path / "lake")
    schema = arrow_schema("transfer")
    tbl = pa.table(
        {
            "event_id": [r[0] for r in ROWS],
            "source_org": ["bank-a"] * len(ROWS),
            "event_time": pa.array(
                [T0 + timedelta(minutes=r[5]) for r in ROWS], pa.timestamp("us", tz="UTC")
            ),
            "payer_account": [r[1] for r in ROWS],
            "payee_account": [r[2] for r in ROWS],
            "amount_fen": [r[3] for r in ROWS],
            "channel": [r[4] for r in ROWS],
        }
    )
    for f in schema:
        if f.name not in tbl.column_names:
            tbl = tbl.append_column(f.name, pa.nulls(len(ROWS), f.type))
    lake.append("transfer", tbl)
    out = tmp_path / "o"
    res = runner.invoke(
        app,
        [
            "trace",
            "run",
            "--lake",
            str(lake.root),
            "--victim-transfers",
            "t1",
            "--max-hops",
            "2",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    v = read(out / "victims.csv")[0]
    assert v["victim_id"] == "t1" and int(v["seeded"]) == 2_000_000
    bad = runner.invoke(
        app,
        [
            "trace",
            "run",
            "--lake",
            str(lake.root),
            "--victim-transfers",
            "t1",
            "--rule",
            "random",
            "--out",
            str(out),
        ],
    )
    assert bad.exit_code != 0


def test_orders_cli_stop_limit_and_expiry(data_dir: Path):
    base = [
        "orders",
        "issue",
        "stop_payment",
        "--case",
        "A51010420260602001",
        "--reason",
        "冒充公检法诈骗",
        "--operator",
        "警号 100200",
        "--bank",
        "bank-a",
        "--account",
        "6222111122223333",
        "--name",
        "王某",
        "--amount",
        "20000",
        "--at",
        T0.isoformat(),
    ]
    first = runner.invoke(app, base)
    assert first.exit_code == 0, first.output
    assert "答复期限" in first.output
    ex = runner.invoke(app, ["orders", "execute", "1", "--bank", "bank-b", "--at", T0.isoformat()])
    assert ex.exit_code == 1  # not addressed to bank-b
    ex = runner.invoke(
        app,
        ["orders", "execute", "1", "--bank", "bank-a", "--amount", "20000", "--at", T0.isoformat()],
    )
    assert ex.exit_code == 0 and "in_force" in ex.output, ex.output
    assert runner.invoke(app, base).exit_code == 0  # second stop allowed
    third = runner.invoke(app, base)
    assert third.exit_code == 1 and "不得超过 2 次" in third.output
    queue = runner.invoke(app, ["orders", "list", "--bank", "bank-a"])
    assert "紧急止付" in queue.output
    later = (T0 + timedelta(hours=49)).isoformat()
    exp = runner.invoke(app, ["orders", "expire", "--at", later])
    assert exp.exit_code == 0 and "止付到期失效 1 条" in exp.output


def test_returns_plan_cli(tmp_path: Path):
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "victim_id,loss,remit_account,victim_name\nA,20000,6217-A,张某\nB,10000,6217-B,李某\n",
        encoding="utf-8",
    )
    out = tmp_path / "ret"
    res = runner.invoke(
        app,
        [
            "returns",
            "plan",
            "--case",
            "C1",
            "--account",
            "L1",
            "--bank",
            "bank-a",
            "--frozen",
            "6000",
            "--claims",
            str(claims),
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "¥4,000.00" in res.output and "¥2,000.00" in res.output
    assert "三十日" in (out / "notice.txt").read_text(encoding="utf-8")
    holdings = tmp_path / "holdings.csv"
    holdings.write_text(
        "account,victim_id,amount_fen,min_hop,last_in_time\nL1,A,500000,1,2026-06-02\n",
        encoding="utf-8",
    )
    res = runner.invoke(
        app,
        [
            "returns",
            "plan",
            "--case",
            "C1",
            "--account",
            "L1",
            "--bank",
            "bank-a",
            "--frozen",
            "6000",
            "--claims",
            str(claims.with_name("a.csv")),
            "--out",
            str(out),
        ],
    )
    assert res.exit_code != 0
    one = tmp_path / "one.csv"
    one.write_text("victim_id,loss,remit_account\nA,20000,6217-A\n", encoding="utf-8")
    res = runner.invoke(
        app,
        [
            "returns",
            "plan",
            "--case",
            "C1",
            "--account",
            "L1",
            "--bank",
            "bank-a",
            "--frozen",
            "6000",
            "--claims",
            str(one),
            "--holdings",
            str(holdings),
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    ins = json.loads((out / "bank_instructions.json").read_text(encoding="utf-8"))
    assert ins[0]["amount_fen"] == 500_000 and ins[0]["to_account"] == "6217-A"
    assert "返还决定书" in (out / "decision.txt").read_text(encoding="utf-8")
