"""Returns under the 2016 rules, Art. 8: bases, notice and objections, rounds, exact sums."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanzha.intercept.returns import (
    BY_TIME,
    PRO_RATA,
    SINGLE,
    Claim,
    ReturnError,
    add_working_days,
    bank_instructions,
    decide,
    decision_text,
    next_round,
    object_to,
    plan_return,
)

NOW = datetime(2026, 4, 3, 10, 0, tzinfo=UTC)  # a Friday


def plan(frozen: int, claims: list[Claim]):
    return plan_return(
        case_no="A3201002026040001",
        account="6222020200112233",
        bank="工商银行",
        frozen_fen=frozen,
        claims=claims,
        now=NOW,
    )


def test_single_traced_deposit_goes_to_that_victim():
    p = plan(3_000_000, [Claim("v1", 5_000_000, "6217001", "张某", traced_fen=2_800_000)])
    assert p.basis == SINGLE and p.status == "ready" and p.notice_until is None
    assert [line.amount_fen for line in p.lines] == [2_800_000]
    assert p.remainder_fen == 200_000


def test_several_traced_deposits_each_victim_gets_their_own():
    claims = [
        Claim("v1", 1_000_000, "a1", traced_fen=600_000),
        Claim("v2", 400_000, "a2", traced_fen=900_000),  # capped at loss
    ]
    p = plan(2_000_000, claims)
    assert p.basis == BY_TIME
    assert [line.amount_fen for line in p.lines] == [600_000, 400_000]
    # frozen less than traced: split by traced amounts, exactly
    q = plan(500_000, claims)
    assert sum(line.amount_fen for line in q.lines) == 500_000
    assert [line.amount_fen for line in q.lines] == [300_000, 200_000]


def test_untraceable_is_pro_rata_with_notice_and_objections():
    claims = [Claim("v1", 100, "a1"), Claim("v2", 200, "a2"), Claim("v3", 400, "a3")]
    p = plan(100, claims)
    assert p.basis == PRO_RATA and p.status == "notice"
    assert p.notice_until == NOW + timedelta(days=30)
    assert [line.amount_fen for line in p.lines] == [14, 29, 57]  # 14.29, 28.57, 57.14
    with pytest.raises(ReturnError):
        decide(p, NOW + timedelta(days=29))
    p2 = object_to(p, "某公司", "冻结资金中有本公司货款", NOW + timedelta(days=3))
    with pytest.raises(ReturnError):
        decide(p2, NOW + timedelta(days=31))
    assert decide(p2, NOW + timedelta(days=31), objections_resolved=True).status == "decided"
    with pytest.raises(ReturnError):
        object_to(p, "x", "late", NOW + timedelta(days=30))


def test_frozen_above_total_loss_makes_everyone_whole_and_rest_stays_frozen():
    p = plan(10_000, [Claim("v1", 1_000, "a1"), Claim("v2", 2_000, "a2", traced_fen=0)])
    assert [line.amount_fen for line in p.lines] == [1_000, 2_000]
    assert p.remainder_fen == 7_000


def test_new_victims_start_a_new_round_over_the_remainder():
    p = plan(10_000, [Claim("v1", 1_000, "a1", traced_fen=1_000)])
    r2 = next_round(p, [Claim("v9", 20_000, "a9")], NOW + timedelta(days=40))
    assert r2.round_no == 2 and r2.frozen_fen == 9_000
    assert r2.lines[0].amount_fen == 9_000 and r2.remainder_fen == 0
    with pytest.raises(ReturnError):
        next_round(p, [Claim("v1", 5, "a1")], NOW)


def test_decision_text_and_bank_instructions():
    p = plan(3_000_000, [Claim("v1", 5_000_000, "6217001", "张某", traced_fen=2_800_000)])
    d = decide(p, NOW)
    text = decision_text(d, "某市公安局反诈中心", NOW)
    assert "返还决定书" in text and "¥28,000.00" in text and "第八条第一项" in text
    ins = bank_instructions(d, NOW)
    assert ins == [
        {
            "case_no": "A3201002026040001",
            "round_no": 1,
            "from_account": "6222020200112233",
            "bank": "工商银行",
            "to_account": "6217001",
            "victim_id": "v1",
            "amount_fen": 2_800_000,
            "pay_by": "2026-04-08T10:00:00+00:00",  # Fri + 3 working days = Wed
        }
    ]
    assert add_working_days(NOW, 1).weekday() == 0


def test_bad_input_is_refused():
    with pytest.raises(ReturnError):
        plan(100, [])
    with pytest.raises(ReturnError):
        plan(100, [Claim("v1", 0, "a")])
    with pytest.raises(ReturnError):
        plan(100, [Claim("v1", 5, "a"), Claim("v1", 6, "b")])


claim_st = st.builds(
    lambda i, loss, traced: Claim(f"v{i}", loss, f"acct{i}", traced_fen=traced),
    st.integers(0, 10**6),
    st.integers(1, 10**9),
    st.one_of(st.just(0), st.integers(0, 10**9)),
)


@settings(max_examples=300, deadline=None)
@given(
    frozen=st.integers(0, 5 * 10**9),
    claims=st.lists(claim_st, min_size=1, max_size=12, unique_by=lambda c: c.victim_id),
)
def test_returns_never_exceed_loss_nor_frozen_and_sum_exactly(frozen, claims):
    p = plan(frozen, claims)
    total = sum(line.amount_fen for line in p.lines)
    assert total <= frozen
    assert p.remainder_fen == frozen - total >= 0
    for line, c in zip(p.lines, claims, strict=True):
        assert 0 <= line.amount_fen <= c.loss_fen
    if p.basis == PRO_RATA:
        # the whole frozen amount (or everyone's whole loss) goes out, to the fen
        assert total == min(frozen, sum(c.loss_fen for c in claims))
        losses = sum(c.loss_fen for c in claims)
        for line, c in zip(p.lines, claims, strict=True):
            exact = Fraction(min(frozen, losses) * c.loss_fen, losses)
            assert abs(line.amount_fen - exact) < 1
    else:
        traced = [min(c.traced_fen, c.loss_fen) for c in claims]
        assert total == min(frozen, sum(traced))
        for line, t in zip(p.lines, traced, strict=True):
            assert line.amount_fen <= t
