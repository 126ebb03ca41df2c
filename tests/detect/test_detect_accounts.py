"""Mule signals: 3006/3007/3008 with configurable limits, typologies, account behaviour."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from fanzha.detect.accounts.mule import account_features, pattern_rules
from fanzha.detect.accounts.typologies import TypologyConfig, detect_typologies
from fanzha.domain.limits import LIMITS

T0 = pd.Timestamp("2026-06-01T01:00:00Z")  # a Monday, 09:00 Beijing


def frame(rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["payer", "payee", "amount_fen", "hours"])
    df["event_time"] = T0 + pd.to_timedelta(df.pop("hours"), unit="h")
    df["event_id"] = [f"e{i}" for i in range(len(df))]
    df["channel"] = "mobile_banking"
    return df


def test_3006_3007_and_limits() -> None:
    gather = [(f"v{i}", "hub", 100_000, i) for i in range(6)] + [("hub", "out", 590_000, 7)]
    scatter = [("src", "hub2", 900_000, 0)] + [("hub2", f"w{i}", 300_000, 1 + i) for i in range(3)]
    hits = pattern_rules(frame(gather + scatter))
    codes = {(h.account, h.code) for h in hits}
    assert ("hub", "3006") in codes and ("hub2", "3007") in codes
    h = next(h for h in hits if h.code == "3006")
    assert h.in_n == 6 and h.out_n == 1 and len(h.event_ids) == 7
    # stricter amount tolerance: 590k out vs 600k in is outside ±1 %
    strict = replace(LIMITS, pattern_amount_tolerance=0.01)
    assert ("hub", "3006") not in {
        (h.account, h.code) for h in pattern_rules(frame(gather), strict)
    }
    # outside the 3-working-day window: inflows Monday, outflow the next Monday
    late = [(f"v{i}", "hub", 100_000, i) for i in range(6)] + [("hub", "out", 600_000, 24 * 7)]
    assert not [h for h in pattern_rules(frame(late)) if h.code == "3006"]


def test_3008_burst() -> None:
    rows = [("a", f"b{i}", 10_000, i / 60) for i in range(12)]
    hits = [h for h in pattern_rules(frame(rows)) if h.code == "3008"]
    assert [h.account for h in hits] == ["a"]
    assert not [h for h in pattern_rules(frame(rows[:9])) if h.code == "3008"]


def test_typologies_and_business_accounts() -> None:
    rows = [("c1", "c2", 500_000, 0), ("c2", "c3", 490_000, 1), ("c3", "c1", 480_000, 2)]  # cycle
    rows += [("s", f"m{i}", 300_000, 3 + i) for i in range(3)]
    rows += [(f"m{i}", "t", 290_000, 10 + i) for i in range(3)]  # scatter-gather s → m* → t
    rows += [(f"cust{i}", "SHOP", 300_000, i) for i in range(10)]  # a merchant: fan-in is business
    rows += [("x", "y", 5_000, 1), ("y", "x", 5_000, 2), ("x", "z", 5_000, 3), ("z", "x", 5_000, 4)]
    hits = detect_typologies(frame(rows), business={"SHOP"})
    kinds = {(h.typology, h.core) for h in hits}
    assert ("cycle", ("c1", "c2", "c3")) in kinds
    sg = [h for h in hits if h.typology == "scatter_gather"]
    assert sg and sg[0].accounts[0] == "s" and sg[0].accounts[-1] == "t"
    assert ("fan_out", ("s",)) in kinds and ("fan_in", ("t",)) in kinds
    assert not [h for h in hits if "SHOP" in h.accounts]
    assert not [h for h in hits if "x" in h.accounts]  # small amounts between friends
    hops = [h for h in hits if h.typology == "pass_through"]
    assert {h.core[0] for h in hops} >= {"c2", "c3"}
    # a lower minimum amount brings the friends' small 2-cycle into scope (still not a 3-cycle)
    low = detect_typologies(frame(rows), {"SHOP"}, TypologyConfig(min_fen=1_000))
    assert not [h for h in low if h.typology == "cycle" and "x" in h.accounts]


def test_account_features_new_and_dormant() -> None:
    rows = [("p", "new", 1_000_000, 1), ("new", "q", 990_000, 1.5), ("new", "atm", 500, 2)]
    rows += [("old", "r", 10_000, 0), ("old", "r", 10_000, 24 * 200)]
    tx = frame(rows)
    tx.loc[tx.payee == "atm", "channel"] = "atm"
    openings = pd.DataFrame({"account": ["new"], "event_time": [T0]})
    f = account_features(tx, openings)
    assert f.loc["new", "days_open_to_first_tx"] < 0.1
    assert np.isclose(f.loc["new", "pass_through"], 990_500 / 1_000_000)
    assert f.loc["new", "fast_out_share"] == 1.0
    assert f.loc["new", "small_test_n"] == 1 and f.loc["new", "cash_out_share"] > 0
    assert f.loc["old", "max_idle_days"] > 199
    assert f.loc["new", "in_cp"] == 1 and f.loc["new", "out_cp"] == 2
