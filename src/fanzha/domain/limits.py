"""Every legal time limit and count limit of DOMAIN.md in one place.

Values that DOMAIN.md marks as a practice (not law) are configurable through ``FANZHA_LIMIT_*``
environment variables via :func:`load_limits`; statutory ones are constants of the same object so
that every room reads them from here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from datetime import timedelta


@dataclass(frozen=True)
class Limits:
    # §4 stop-payment and freeze (PBoC/MPS rules)
    report_entry_target: timedelta = timedelta(minutes=30)
    stop_payment_duration: timedelta = timedelta(hours=48)
    stop_payment_max_per_account: int = 2
    freeze_duration_days: int = 183  # six months
    freeze_serious_duration_days: int = 365  # one year, city-level approval
    order_reply_deadline: timedelta = timedelta(hours=24)
    # §5 returns
    return_notice_days: int = 30
    bank_payment_working_days: int = 3
    # §6 law obligations
    reverify_deadline: timedelta = timedelta(hours=24)
    max_cards_per_operator: int = 5  # practice
    max_class1_accounts_per_bank: int = 1
    dormant_account_days: int = 183
    card_seller_threshold: int = 3  # ≥3 cards/accounts or ≥3 times (2024 rule)
    seller_punishment_years: int = 2
    convicted_punishment_years: int = 3
    # §4 payment cooling off (practice)
    interception_window: timedelta = timedelta(minutes=15)
    delayed_arrival_short: timedelta = timedelta(hours=2)
    delayed_arrival_long: timedelta = timedelta(hours=24)
    # §3 warning SLAs (city practice)
    sla_urgent: timedelta = timedelta(minutes=10)
    sla_high: timedelta = timedelta(hours=24)
    sla_medium: timedelta = timedelta(hours=72)
    sla_low: timedelta = timedelta(days=7)
    # §7 bank rule for 3006/3007 (one bank's practice)
    pattern_window_working_days: int = 3
    pattern_count_ratio: float = 3.0
    pattern_amount_tolerance: float = 0.10
    # appeals (Art. 32) — review deadline is a practice
    appeal_review_deadline: timedelta = timedelta(days=15)


LIMITS = Limits()


def _parse(value: str, current: object) -> object:
    if isinstance(current, timedelta):
        return timedelta(seconds=float(value))
    if isinstance(current, bool):
        return value.lower() in {"1", "true", "yes"}
    if isinstance(current, int):
        return int(value)
    if isinstance(current, float):
        return float(value)
    return value


def load_limits(env: dict[str, str] | None = None) -> Limits:
    """Limits with ``FANZHA_LIMIT_<NAME>`` overrides (durations in seconds)."""
    env = dict(os.environ) if env is None else env
    changes: dict[str, object] = {}
    for f in fields(Limits):
        key = f"FANZHA_LIMIT_{f.name.upper()}"
        if key in env:
            try:
                changes[f.name] = _parse(env[key], getattr(LIMITS, f.name))
            except ValueError as exc:
                raise ValueError(f"{key}: cannot read {env[key]!r} ({exc})") from exc
    return replace(LIMITS, **changes)
