"""Per-transaction behaviour features computed from the table itself."""

from __future__ import annotations

import numpy as np
import pandas as pd

from fanzha.detect.accounts.tx_features import account_features, to_time_number


def test_account_features_fan_in_and_pass_through() -> None:
    payer = pd.Series(["v1", "v2", "v3", "mule", "c1"])
    payee = pd.Series(["mule", "mule", "mule", "boss", "shop"])
    amount = np.array([100.0, 200.0, 300.0, 590.0, 20.0])
    t = np.array([0.0, 1.0, 2.0, 3.0, 10.0])
    f = account_features(payer, payee, amount, t)
    assert f.payee_n.tolist()[:3] == [3, 3, 3]
    assert f.payee_distinct_cp[0] == 3
    # the mule forwards 590 of the 600 it received
    assert np.isclose(f.payee_pass_through[0], 590 / 600)
    assert np.isclose(f.payer_pass_through[3], 590 / 600)
    assert f.payee_gap_prev[1] == 1.0 and np.isnan(f.payee_gap_prev[0])
    assert f.payer_seq.tolist() == [0, 0, 0, 0, 0]
    assert f.pair_n.tolist() == [1, 1, 1, 1, 1]


def test_time_parsing() -> None:
    assert to_time_number(pd.Series([1, 5, 9])).tolist() == [1, 5, 9]
    secs = to_time_number(pd.Series(["2026-01-01 00:00:00", "2026-01-01 00:01:00"]))
    assert secs[1] - secs[0] == 60
