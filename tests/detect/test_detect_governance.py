"""Governance rules and `fanzha detect run` over a small lake built with EventLake.append."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.detect.findings import read_findings
from fanzha.domain.events import arrow_schema
from fanzha.store.lake import EventLake

T = datetime(2026, 6, 1, 9, tzinfo=UTC)
_n = iter(range(1_000_000))


def _table(kind: str, rows: list[dict]) -> pa.Table:
    schema = arrow_schema(kind)
    full = []
    for r in rows:
        base = {"event_id": f"{kind}-{next(_n)}", "source_org": "org-1"}
        base.update(r)
        full.append({f.name: base.get(f.name) for f in schema})
    return pa.Table.from_pylist(full, schema=schema)


def build_lake(root: Path) -> None:
    lake = EventLake(root)
    sims = (
        [  # 7 cards at one operator for P1; 25 cards in one hour at outlet O-bulk
            {
                "event_time": T - timedelta(days=30, minutes=i),
                "number": f"1390000{i:04d}",
                "person_id": "P1",
                "operator": "china_mobile",
                "outlet": "O-normal",
            }
            for i in range(7)
        ]
        + [
            {
                "event_time": T + timedelta(minutes=i),
                "number": f"1700001{i:04d}",
                "person_id": f"Q{i}",
                "operator": "virtual",
                "outlet": "O-bulk",
                "agent": "A9",
            }
            for i in range(25)
        ]
        + [
            {
                "event_time": T - timedelta(days=100),
                "number": "1440000000001",
                "person_id": "IOT-CO",
                "operator": "china_unicom",
                "card_type": "iot",
            },
            {
                "event_time": T - timedelta(days=90),
                "number": "13800000001",
                "person_id": "P2",
                "operator": "china_telecom",
            },
        ]
    )
    lake.append("sim_issuance", _table("sim_issuance", sims))
    opens = [
        {
            "event_time": T - timedelta(days=400),
            "account": "6222-P2-a",
            "person_id": "P2",
            "institution": "ICBC",
            "account_class": "I",
            "bound_phone": "13800000001",
        },
        {
            "event_time": T - timedelta(days=300),
            "account": "6222-P2-b",
            "person_id": "P2",
            "institution": "ICBC",
            "account_class": "I",
            "bound_phone": "13800000001",
        },
        {
            "event_time": T - timedelta(days=200),
            "account": "6222-P3",
            "person_id": "P3",
            "institution": "ABC",
            "account_class": "II",
            "bound_phone": "13800000001",
        },
        {
            "event_time": T - timedelta(days=250),
            "account": "6222-P4",
            "person_id": "P4",
            "institution": "BOC",
            "account_class": "I",
            "bound_phone": "13800000001",
        },
    ]
    lake.append("account_opening", _table("account_opening", opens))
    tx = [
        {
            "event_time": T - timedelta(days=399),
            "payer_account": "6222-P2-a",
            "payee_account": "6222-P4",
            "amount_fen": 10_000,
        }
    ]
    # a cycle of fast pass-through transfers among three accounts, plus one more hop out
    for i, (a, b) in enumerate([("M1", "M2"), ("M2", "M3"), ("M3", "M1"), ("M1", "M4")]):
        tx.append(
            {
                "event_time": T + timedelta(hours=i),
                "payer_account": a,
                "payee_account": b,
                "amount_fen": 5_000_000 - i * 10_000,
                "channel": "online_banking",
            }
        )
    lake.append("transfer", _table("transfer", tx))
    calls = [
        {
            "event_time": T + timedelta(minutes=i),
            "caller": "1440000000001",
            "callee": "13900000000",
            "duration_s": 40,
            "caller_card_type": "iot",
            "imei": f"imei-{i % 2}",
        }
        for i in range(3)
    ] + [
        {
            "event_time": T + timedelta(seconds=30 * i),
            "caller": f"1700001{i % 6:04d}",
            "callee": f"1351111{i:04d}",
            "duration_s": 5,
            "imei": "imei-box",
        }
        for i in range(120)
    ]
    # a fraud dialler (many short calls to strangers, nobody calls back) and a courier (many short
    # calls too, but customers call back): only the dialler is a fraud number
    for who, back in (("13312340000", 0), ("13512340000", 2)):
        for i in range(80):
            customer = f"1860000{i:04d}"
            t = T + timedelta(minutes=2 * i)
            calls.append(
                {
                    "event_time": t,
                    "caller": who,
                    "callee": customer,
                    "duration_s": 6,
                    "imei": f"imei-{who}",
                }
            )
            if back and i % back == 0:
                calls.append(
                    {
                        "event_time": t + timedelta(minutes=1),
                        "caller": customer,
                        "callee": who,
                        "duration_s": 30,
                        "imei": f"imei-{customer}",
                    }
                )
    lake.append("call", _table("call", calls))
    lake.append(
        "sms",
        _table(
            "sms",
            [
                {
                    "event_time": T,
                    "sender": "1440000000001",
                    "receiver": "13900000000",
                    "sender_card_type": "iot",
                }
            ],
        ),
    )
    reports = [
        {"event_time": T, "target_kind": "number", "target_value": f"1390000{i:04d}"}
        for i in range(3)
    ]
    lake.append("public_report", _table("public_report", reports))


def test_detect_run_writes_governance_findings(data_dir: Path) -> None:
    build_lake(data_dir / "lake")
    r = CliRunner().invoke(app, ["detect", "run", "--until", (T + timedelta(days=1)).isoformat()])
    assert r.exit_code == 0, r.output
    f = read_findings(data_dir).to_pandas()
    rules = set(f.rule_id.dropna())
    assert {
        "GOV-CARD-LIMIT",
        "GOV-ACCT-CLASS1",
        "GOV-BULK-OPEN",
        "GOV-IOT-VOICE",
        "GOV-IOT-DEVICE",
        "GOV-DORMANT",
        "GOV-PHONE-SHARED",
        "GOV-SELLER",
    } <= rules
    card = f[f.rule_id == "GOV-CARD-LIMIT"].iloc[0]
    assert card.entity_value == "P1" and len(card.evidence) == 7
    assert "反电信网络诈骗法" in card.legal_basis and "24小时" in card.next_action
    assert "申诉" in card.next_action
    dormant = set(f[f.rule_id == "GOV-DORMANT"].entity_value)
    assert dormant == {"6222-P2-b", "6222-P3"}  # P2-a and P4 transacted after opening
    bulk = f[f.rule_id == "GOV-BULK-OPEN"]
    assert set(bulk.entity_value) == {"O-bulk", "A9"}
    # the SIM box (6 numbers on one IMEI, short calls, no callbacks) and the laundering cycle
    numbers = f[f.detector == "numbers.rules"]
    assert set(numbers.entity_value) == {f"1700001{i:04d}" for i in range(6)} | {"13312340000"}
    dialler = numbers[numbers.entity_value == "13312340000"].iloc[0]
    assert "回拨率低" in dialler.reasons[0]
    accts = f[f.detector == "accounts.typologies"]
    assert {"M1", "M2", "M3"} <= set(accts.entity_value)
    assert "6222-P4" not in set(accts.entity_value)
    assert all(f.grade.between(0, 3))


def test_detect_run_on_empty_lake(data_dir: Path) -> None:
    r = CliRunner().invoke(app, ["detect", "run", "--since", "2026-01-01T00:00:00+08:00"])
    assert r.exit_code == 0, r.output
    assert read_findings(data_dir).num_rows == 0
    r = CliRunner().invoke(app, ["detect", "run", "--since", "yesterday"])
    assert r.exit_code == 2
