"""Backtest: replay lake transfers (with calls and real-name links) through the default rule set."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest

from fanzha.decide.backtest import run_backtest
from fanzha.decide.rules import default_ruleset, parse_ruleset
from fanzha.domain.events import arrow_schema
from fanzha.domain.taxonomy import RiskLevel, SuspiciousCode
from fanzha.registry.index import MemoryIndex, pack
from fanzha.registry.keys import key_of
from fanzha.store.lake import EventLake

SECRET = b"bt"
T0 = datetime(2026, 4, 1, 2, 0, tzinfo=UTC)  # 10:00 Beijing
FRAUD_PHONE = "13512345678"
CASE = "6222021234567890128"


def _table(kind, rows):
    schema = arrow_schema(kind)
    cols = {f.name: [r.get(f.name) for r in rows] for f in schema}
    return pa.Table.from_pydict(cols, schema=schema)


def _transfer(i, payer, payee, yuan, at):
    return {
        "event_id": f"t{i}",
        "source_org": "bank-a",
        "event_time": at,
        "payer_account": payer,
        "payee_account": payee,
        "amount_fen": yuan * 100,
        "channel": "mobile_banking",
    }


@pytest.fixture
def lake(tmp_path):
    lk = EventLake(tmp_path / "lake")
    victim_acc, victim_phone = "6217001111111111", "13987654321"
    lk.append(
        "account_opening",
        _table(
            "account_opening",
            [
                {
                    "event_id": "o1",
                    "source_org": "bank-a",
                    "event_time": T0 - timedelta(days=300),
                    "account": victim_acc,
                    "person_id": "p1",
                    "institution": "bank-a",
                    "account_class": "I",
                    "bound_phone": victim_phone,
                },
            ],
        ),
    )
    lk.append(
        "call",
        _table(
            "call",
            [
                {
                    "event_id": "c1",
                    "source_org": "op",
                    "event_time": T0 + timedelta(hours=1),
                    "caller": FRAUD_PHONE,
                    "callee": victim_phone,
                    "duration_s": 900,
                    "direction": "outgoing",
                    "caller_card_type": "personal",
                },
                {
                    "event_id": "c2",
                    "source_org": "op",
                    "event_time": T0,
                    "caller": "13800000000",
                    "callee": "13700000000",
                    "duration_s": 60,
                    "direction": "outgoing",
                    "caller_card_type": "personal",
                },
            ],
        ),
    )
    rows = [
        _transfer(0, "6217002222222222", CASE, 500, T0),  # → block
        _transfer(
            1, victim_acc, "6230580000000000019", 50_000, T0 + timedelta(minutes=30)
        ),  # before call: allow
        _transfer(
            2, victim_acc, "6230580000000000027", 50_000, T0 + timedelta(hours=1, minutes=30)
        ),  # delay_24h
        _transfer(
            3, victim_acc, "6230580000000000027", 50_000, T0 + timedelta(hours=1, minutes=35)
        ),  # still new
        _transfer(
            4, victim_acc, "6230580000000000019", 50_000, T0 + timedelta(hours=1, minutes=40)
        ),  # known payee
    ]
    rows += [
        _transfer(
            10 + i,
            "6217003333333333",
            "6228480000000000017",
            100,
            T0 + timedelta(days=1, minutes=i),
        )
        for i in range(12)
    ]  # velocity burst: 11th and 12th remind
    lk.append("transfer", _table("transfer", rows))
    return lk


@pytest.fixture
def index():
    idx = MemoryIndex()
    idx.put(key_of("phone", FRAUD_PHONE, SECRET), pack(RiskLevel.HIGH, None, None))
    idx.put(
        key_of("account", CASE, SECRET), pack(RiskLevel.HIGH, None, SuspiciousCode.CASE_ACCOUNT)
    )
    idx.compact()
    return idx


def test_backtest_counts_hits_per_rule_and_outcome(lake, index):
    report = run_backtest(lake, default_ruleset(), index, SECRET)
    out = report.as_dict()
    assert out["events"] == 17 and out["exposures_replayed"] == 1
    assert out["outcomes"] == {
        "allow": 12,
        "remind": 2,
        "delay_2h": 0,
        "delay_24h": 2,
        "hold_review": 0,
        "block": 1,
    }
    assert out["rules"]["payee_case_account"] == 1
    assert out["rules"]["exposed_2h_large_new_payee"] == 2
    assert out["rules"]["velocity_burst"] == 2
    assert out["warnings"] == 3


def test_backtest_window_and_shadow(lake, index):
    candidate = parse_ruleset(
        {
            "name": "default",
            "version": "v2",
            "rules": [
                {"id": "all", "when": "amount_fen > 0", "outcome": "remind", "reason": "全部提醒"}
            ],
        }
    )
    report = run_backtest(
        lake,
        default_ruleset(),
        index,
        SECRET,
        since=T0 + timedelta(days=1),
        until=T0 + timedelta(days=2),
        shadow=candidate,
    )
    assert report.events == 12 and report.outcomes["remind"] == 2
    assert report.shadow_outcomes["remind"] == 12 and report.shadow_differences == 12
    assert (
        run_backtest(EventLake(lake.root / "empty"), default_ruleset(), index, SECRET).events == 0
    )
