"""Build the flat variable mapping a payment rule sees (names as in ``rules.PAYMENT_VARIABLES``)."""

from __future__ import annotations

from typing import Any

from fanzha.decide.state import PaymentState
from fanzha.domain.taxonomy import SuspiciousCode
from fanzha.registry.index import IndexHit

NEVER = 1e9  # "hours since" when there was no exposure
_PAYEE_CASE = frozenset({SuspiciousCode.CASE_ACCOUNT, SuspiciousCode.PAYEE_IN_CASE})
_PAYER_CASE = frozenset({SuspiciousCode.CASE_ACCOUNT, SuspiciousCode.PAYER_IN_CASE})
BEIJING_OFFSET_S = 8 * 3600


def payment_context(
    *,
    amount_fen: int,
    channel: str,
    now: float,
    payee: IndexHit | None,
    payer: IndexHit | None,
    state: PaymentState,
) -> dict[str, Any]:
    hour = int(((now + BEIJING_OFFSET_S) // 3600) % 24)
    since_high = NEVER
    since_any = NEVER
    calls = sms = url = app = high = 0
    day_ago = now - 86400
    for e in state.exposures:
        age_h = max(now - e.at, 0.0) / 3600.0
        if age_h < since_any:
            since_any = age_h
        if e.grade >= 3 and age_h < since_high:
            since_high = age_h
        if e.at >= day_ago:
            if e.kind == "call":
                calls += 1
            elif e.kind == "sms":
                sms += 1
            elif e.kind == "url":
                url += 1
            elif e.kind == "app":
                app += 1
            if e.grade >= 3:
                high += 1
    return {
        "amount_fen": amount_fen,
        "hour": hour,
        "night": hour < 6,
        "channel": channel,
        "payee_new": state.payee_new,
        "payee.listed": payee is not None,
        "payee.grade": int(payee.grade) if payee else 0,
        "payee.case_account": bool(payee and payee.code in _PAYEE_CASE),
        "payee.code": payee.code.value if payee and payee.code else "",
        "payee.fraud_type": payee.fraud_type.value if payee and payee.fraud_type else "",
        "payer.listed": payer is not None,
        "payer.grade": int(payer.grade) if payer else 0,
        "payer.case_account": bool(payer and payer.code in _PAYER_CASE),
        "exposure.hours_since_high": since_high,
        "exposure.hours_since_any": since_any,
        "exposure.calls_24h": calls,
        "exposure.sms_24h": sms,
        "exposure.url_24h": url,
        "exposure.app_24h": app,
        "exposure.high_24h": high,
        "velocity.count_1h": state.count_1h,
        "velocity.count_24h": state.count_24h,
        "velocity.amount_24h_fen": state.amount_24h_fen,
    }
