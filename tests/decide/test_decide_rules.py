"""Each rule of the shipped default rule set, rule-set validation, and shadow mode."""

from __future__ import annotations

import pytest

from fanzha.decide.context import payment_context
from fanzha.decide.rules import (
    Outcome,
    RuleEngine,
    RuleSetError,
    default_ruleset,
    parse_ruleset,
)
from fanzha.decide.state import Exposure, PaymentState
from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
from fanzha.registry.index import IndexHit

NOON_BJ = 1_780_000_000 - (1_780_000_000 % 86400) + 4 * 3600  # 12:00 Beijing
NIGHT_BJ = NOON_BJ - 10 * 3600  # 02:00 Beijing
RULES = default_ruleset()


def ctx(
    *,
    amount_yuan=100,
    payee=None,
    payer=None,
    new=False,
    exposures=(),
    now=NOON_BJ,
    c1=0,
    c24=0,
    a24=0,
):
    st = PaymentState(new, list(exposures), c1, c24, a24)
    return payment_context(
        amount_fen=amount_yuan * 100,
        channel="mobile_banking",
        now=now,
        payee=payee,
        payer=payer,
        state=st,
    )


def fired(c):
    return RULES.evaluate(c)


def exp(kind="call", grade=3, hours_ago=1.0, now=NOON_BJ):
    return Exposure(kind, grade, now - hours_ago * 3600)


CASE = IndexHit(RiskLevel.HIGH, FraudType.SHUADAN, SuspiciousCode.CASE_ACCOUNT)
HIGH = IndexHit(RiskLevel.HIGH, None, SuspiciousCode.BANK_REPORTED)
MEDIUM = IndexHit(RiskLevel.MEDIUM, None, SuspiciousCode.SCATTER_IN_GATHER_OUT)


def test_plain_transfer_is_allowed():
    d = fired(ctx())
    assert d.outcome == Outcome.ALLOW and d.rule_ids == [] and d.reasons == []
    assert d.version == "default-v1"


def test_payee_case_account_blocks():
    d = fired(ctx(payee=CASE))
    assert d.outcome == Outcome.BLOCK and d.rule_ids[0] == "payee_case_account" and d.warn
    assert "涉案账户" in d.reasons[0]
    payee_in_case = IndexHit(RiskLevel.HIGH, None, SuspiciousCode.PAYEE_IN_CASE)
    assert fired(ctx(payee=payee_in_case)).outcome == Outcome.BLOCK


def test_payee_high_risk_holds():
    d = fired(ctx(payee=HIGH))
    assert d.outcome == Outcome.HOLD_REVIEW and "payee_high_risk" in d.rule_ids


def test_payer_case_account_holds():
    d = fired(ctx(payer=IndexHit(RiskLevel.HIGH, None, SuspiciousCode.PAYER_IN_CASE)))
    assert d.outcome == Outcome.HOLD_REVIEW and d.rule_ids == ["payer_case_account"]


def test_recent_high_risk_contact_then_large_new_payee_delays_24h():
    d = fired(ctx(amount_yuan=20000, new=True, exposures=[exp(hours_ago=1.5)]))
    assert d.outcome == Outcome.DELAY_24H and d.warn
    assert d.rule_ids[0] == "exposed_2h_large_new_payee"
    # a known payee is not delayed
    assert (
        fired(ctx(amount_yuan=20000, new=False, exposures=[exp(hours_ago=1.5)])).outcome
        == Outcome.ALLOW
    )


def test_contact_within_24h_delays_2h():
    d = fired(ctx(amount_yuan=5000, new=True, exposures=[exp(kind="sms", hours_ago=20)]))
    assert d.outcome == Outcome.DELAY_2H and d.rule_ids == ["exposed_24h_new_payee"]
    # older than 24 h or a low-grade contact: nothing
    assert (
        fired(ctx(amount_yuan=5000, new=True, exposures=[exp(hours_ago=30)])).outcome
        == Outcome.ALLOW
    )
    assert (
        fired(ctx(amount_yuan=5000, new=True, exposures=[exp(grade=1, hours_ago=2)])).outcome
        == Outcome.ALLOW
    )


def test_fraud_app_install_delays():
    d = fired(ctx(amount_yuan=1500, new=True, exposures=[exp(kind="app", grade=2, hours_ago=3)]))
    assert d.outcome == Outcome.DELAY_2H and d.rule_ids == ["fraud_app_installed"]


def test_payee_medium_risk_reminds():
    d = fired(ctx(payee=MEDIUM))
    assert d.outcome == Outcome.REMIND and d.rule_ids == ["payee_medium_risk"] and not d.warn


def test_exposure_plus_risky_payee_delays():
    d = fired(ctx(payee=MEDIUM, exposures=[exp(grade=2, hours_ago=5)]))
    assert d.outcome == Outcome.DELAY_2H and "exposed_any_medium_payee" in d.rule_ids


def test_new_payee_large_amount_at_night_reminds():
    d = fired(ctx(amount_yuan=8000, new=True, now=NIGHT_BJ))
    assert d.outcome == Outcome.REMIND and d.rule_ids == ["new_payee_large_night"]
    assert fired(ctx(amount_yuan=8000, new=True, now=NOON_BJ)).outcome == Outcome.ALLOW


def test_velocity_burst_reminds():
    assert fired(ctx(c1=10, c24=10)).rule_ids == ["velocity_burst"]
    assert fired(ctx(c1=9, c24=9)).outcome == Outcome.ALLOW


def test_velocity_amount_new_payee_reminds():
    d = fired(ctx(amount_yuan=50000, new=True, a24=160_000 * 100))
    assert d.rule_ids == ["velocity_amount_new_payee"]


def test_most_severe_wins_and_all_reasons_kept():
    d = fired(ctx(amount_yuan=20000, new=True, payee=CASE, exposures=[exp(hours_ago=0.5)]))
    assert d.outcome == Outcome.BLOCK
    assert d.rule_ids[0] == "payee_case_account" and "exposed_2h_large_new_payee" in d.rule_ids
    assert len(d.reasons) == len(d.rule_ids)


def test_every_default_rule_is_exercised_by_this_file():
    ids = {r.id for r in RULES.rules}
    exercised = {
        "payee_case_account",
        "payee_high_risk",
        "payer_case_account",
        "exposed_2h_large_new_payee",
        "exposed_24h_new_payee",
        "fraud_app_installed",
        "payee_medium_risk",
        "exposed_any_medium_payee",
        "new_payee_large_night",
        "velocity_burst",
        "velocity_amount_new_payee",
    }
    assert ids == exercised


@pytest.mark.parametrize(
    ("doc", "msg"),
    [
        ({"name": "x", "version": "1"}, "missing 'rules'"),
        (
            {
                "name": "x",
                "version": "1",
                "rules": [{"id": "a", "when": "amount_fen > 1", "outcome": "nuke", "reason": "r"}],
            },
            "outcome",
        ),
        (
            {
                "name": "x",
                "version": "1",
                "rules": [{"id": "a", "when": "amout_fen > 1", "outcome": "block", "reason": "r"}],
            },
            "unknown variable",
        ),
        (
            {
                "name": "x",
                "version": "1",
                "rules": [
                    {"id": "a", "when": "1", "outcome": "block", "reason": "r"},
                    {"id": "a", "when": "1", "outcome": "block", "reason": "r"},
                ],
            },
            "duplicate",
        ),
        (
            {
                "name": "x",
                "version": "1",
                "rules": [{"id": "a", "outcome": "block", "reason": "r"}],
            },
            "missing 'when'",
        ),
    ],
)
def test_invalid_rule_sets_are_rejected_with_a_message(doc, msg):
    with pytest.raises(RuleSetError, match=msg):
        parse_ruleset(doc)


def test_shadow_mode_evaluates_both_only_live_acts():
    candidate = parse_ruleset(
        {
            "name": "default",
            "version": "v2",
            "rules": [
                {
                    "id": "payee_case_account",
                    "when": "payee.case_account",
                    "outcome": "block",
                    "reason": "拦截",
                },
                {
                    "id": "any_new_payee_large",
                    "when": "payee_new and amount_fen >= yuan(5000)",
                    "outcome": "delay_2h",
                    "reason": "首次大额延迟",
                },
            ],
        }
    )
    engine = RuleEngine(RULES, candidate)
    r = engine.decide(ctx(amount_yuan=6000, new=True))
    assert r.live.outcome == Outcome.ALLOW and r.shadow.outcome == Outcome.DELAY_2H
    assert r.differs and r.live.version == "default-v1" and r.shadow.version == "default-v2"
    same = engine.decide(ctx(payee=CASE))
    assert same.live.outcome == same.shadow.outcome == Outcome.BLOCK
    assert RuleEngine(RULES).decide(ctx()).shadow is None
