"""The vectorised open-warning state agrees with the scalar policy."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.domain.taxonomy import WarningLevel
from fanzha.warn.engine import WarningState
from fanzha.warn.levels import contributions

NOW = pd.Timestamp("2026-11-28T12:00Z")
NOW_US = NOW.value // 1000
KINDS = ["call", "sms", "url_visit", "app_install", "transfer"]


def _batch(rows):
    return pd.DataFrame(
        rows, columns=["person_id", "signal_kind", "fraud_type", "grade", "at", "duration_s"]
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from("abcde"), st.sampled_from(KINDS), st.integers(1, 3), st.integers(0, 900)
        ),
        min_size=1,
        max_size=40,
    )
)
def test_batch_equals_noisy_or_of_contributions(rows) -> None:
    df = _batch([(p, k, "刷单返利类", g, NOW - pd.Timedelta("2h"), d) for p, k, g, d in rows])
    state = WarningState()
    state.process(df, NOW_US)
    c = contributions(
        df["signal_kind"].to_numpy(object),
        df["fraud_type"].to_numpy(object),
        df["grade"].to_numpy(),
        df["duration_s"].to_numpy(),
    )
    for pid, part in df.assign(c=c).groupby("person_id"):
        expected = 1 - np.prod(1 - part["c"].to_numpy())
        got = state.score[state.people.lookup(np.array([pid], dtype=object))[0]]
        assert abs(got - expected) < 1e-9


def test_split_batches_merge_like_one_and_never_downgrade() -> None:
    rows = [
        ("p", "call", "冒充公检法及政府机关类", 3, NOW, 400),
        ("p", "sms", "冒充公检法及政府机关类", 3, NOW, 0),
    ]
    one = WarningState()
    one.process(_batch(rows), NOW_US)
    two = WarningState()
    first = two.process(_batch(rows[:1]), NOW_US)
    second = two.process(_batch(rows[1:]), NOW_US)
    assert abs(one.score[0] - two.score[0]) < 1e-12
    assert first.opened.all() and len(first) == 1
    assert len(second) == 0 or second.level[0] > first.level[0]
    # a week later a weak exposure does not lower the open warning's level
    later = NOW + pd.Timedelta("7D")
    two.process(_batch([("p", "sms", "其他类型", 1, later, 0)]), later.value // 1000)
    assert two.level[0] == one.level[0]
    assert two.score[0] < one.score[0]  # but the score has decayed


def test_money_now_is_urgent_and_old_money_is_not() -> None:
    st_ = WarningState()
    ch = st_.process(
        _batch(
            [
                ("x", "transfer", "刷单返利类", 3, NOW - pd.Timedelta("10min"), 0),
                ("y", "transfer", "刷单返利类", 3, NOW - pd.Timedelta("5h"), 0),
            ]
        ),
        NOW_US,
    )
    levels = dict(zip(ch.person_ids, ch.level, strict=True))
    assert levels["x"] == WarningLevel.URGENT
    assert levels["y"] == WarningLevel.URGENT  # 0.855 ≥ urgent threshold on score alone
    ch = WarningState().process(
        _batch([("z", "transfer", "网黑案件", 2, NOW - pd.Timedelta("5h"), 0)]), NOW_US
    )
    assert ch.level[0] < WarningLevel.URGENT
