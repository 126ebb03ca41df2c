"""How strong an exposure is, and which warning level a person's exposures add up to.

Pure policy, shared by the vectorised engine and the tests. Weights are a documented practice, not
law: severity by fraud type (the types with the largest losses per case weigh most, DOMAIN.md §2),
strength by signal kind (a long call is grooming; an installed app can mean remote control; money
moving now outranks everything), damped by the grade of the listed identifier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np

from fanzha.domain.taxonomy import FraudType, RiskLevel, WarningLevel

DIMENSIONS = ("communication", "network", "funds")

# signal kind → (dimension, base strength)
SIGNAL_KINDS: dict[str, tuple[str, float]] = {
    "call": ("communication", 0.0),  # strength from call length, see call_strength
    "sms": ("communication", 0.25),
    "url_visit": ("network", 0.5),
    "app_install": ("network", 0.7),
    "payment_check": ("funds", 0.8),
    "transfer": ("funds", 0.95),
}

TYPE_SEVERITY: dict[str, float] = {
    FraudType.IMPERSONATE_AUTHORITY.value: 1.0,
    FraudType.FAKE_INVESTMENT.value: 1.0,
    FraudType.SHUADAN.value: 0.9,
    FraudType.ROMANCE.value: 0.9,
    FraudType.FAKE_CUSTOMER_SERVICE.value: 0.9,
    FraudType.IMPERSONATE_ACQUAINTANCE.value: 0.85,
    FraudType.FAKE_LOAN.value: 0.8,
    FraudType.FAKE_CREDIT.value: 0.8,
    FraudType.GAME_TRADE.value: 0.7,
    FraudType.FAKE_SHOPPING.value: 0.7,
    FraudType.IMPERSONATE_MILITARY.value: 0.7,
    FraudType.WANGHEI.value: 0.6,
    FraudType.OTHER.value: 0.6,
}
DEFAULT_SEVERITY = 0.6

GRADE_FACTOR = {
    int(RiskLevel.HIGH): 1.0,
    int(RiskLevel.MEDIUM): 0.7,
    int(RiskLevel.LOW): 0.4,
    int(RiskLevel.NONE): 0.0,
}


@dataclass(frozen=True)
class LevelPolicy:
    """Thresholds on the merged exposure score (noisy-OR of contributions, in [0, 1))."""

    urgent: float = 0.85
    high: float = 0.6
    medium: float = 0.35
    open_min: float = 0.1  # below this no warning is opened
    money_now: timedelta = timedelta(hours=1)  # funds signal this recent → 紧急
    money_now_min: float = 0.5
    decay_half_life: timedelta = timedelta(hours=72)
    elderly_age: int = 60
    minor_age: int = 18
    severity: dict[str, float] = field(default_factory=lambda: dict(TYPE_SEVERITY))


DEFAULT_POLICY = LevelPolicy()


def call_strength(duration_s: np.ndarray) -> np.ndarray:
    """Longer calls mean the person is engaged: 0.15 (<10 s) … 0.8 (≥5 min)."""
    d = np.asarray(duration_s, dtype=np.float64)
    return np.select([d < 10, d < 60, d < 300], [0.15, 0.35, 0.6], default=0.8)


def contributions(
    signal_kind: np.ndarray,
    fraud_type: np.ndarray,
    grade: np.ndarray,
    duration_s: np.ndarray,
    policy: LevelPolicy = DEFAULT_POLICY,
) -> np.ndarray:
    """Per-exposure contribution in [0, 0.999]."""
    kinds = np.asarray(signal_kind, dtype=object)
    base = np.zeros(len(kinds), dtype=np.float64)
    for kind, (_, strength) in SIGNAL_KINDS.items():
        base[kinds == kind] = strength
    is_call = kinds == "call"
    if is_call.any():
        base[is_call] = call_strength(np.asarray(duration_s)[is_call])
    sev = np.array(
        [policy.severity.get(t, DEFAULT_SEVERITY) for t in np.asarray(fraud_type, dtype=object)],
        dtype=np.float64,
    )
    gf = np.vectorize(lambda g: GRADE_FACTOR.get(int(g), 0.0), otypes=[np.float64])(
        np.asarray(grade)
    )
    return np.clip(base * sev * gf, 0.0, 0.999)


def levels_for(
    score: np.ndarray,
    money_recent: np.ndarray,
    age: np.ndarray,
    policy: LevelPolicy = DEFAULT_POLICY,
) -> np.ndarray:
    """Warning level per person (0 = no warning) from merged score, live money and age."""
    s = np.asarray(score, dtype=np.float64)
    lvl = np.select(
        [s >= policy.urgent, s >= policy.high, s >= policy.medium, s >= policy.open_min],
        [
            int(WarningLevel.URGENT),
            int(WarningLevel.HIGH),
            int(WarningLevel.MEDIUM),
            int(WarningLevel.LOW),
        ],
        default=0,
    ).astype(np.int8)
    a = np.asarray(age)
    vulnerable = (a >= policy.elderly_age) | ((a > 0) & (a < policy.minor_age))
    bump = vulnerable & (lvl > 0) & (lvl < int(WarningLevel.HIGH))
    lvl[bump] += 1
    money = np.asarray(money_recent, dtype=bool) & (s >= policy.money_now_min)
    lvl[money] = int(WarningLevel.URGENT)
    return lvl
