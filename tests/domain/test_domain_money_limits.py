"""Money in fen, limits as data, injectable clocks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fanzha.domain.clock import FixedClock
from fanzha.domain.limits import LIMITS, load_limits
from fanzha.domain.money import MoneyError, format_fen, parse_yuan_to_fen
from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode


@pytest.mark.parametrize(
    ("raw", "fen"),
    [
        ("¥1,234.50", 123450),
        ("1234.5元", 123450),
        ("１２３４．５", 123450),
        ("￥0.01", 1),
        ("  88 ", 8800),
        (12, 1200),
        ("RMB 3,000", 300000),
    ],
)
def test_parse_amounts(raw, fen) -> None:
    assert parse_yuan_to_fen(raw) == fen


@pytest.mark.parametrize("raw", ["", "abc", "1.234", "1,2,3.4.5", "nan", "inf"])
def test_bad_amounts_named(raw) -> None:
    with pytest.raises(MoneyError, match="amount"):
        parse_yuan_to_fen(raw)


@given(st.integers(min_value=0, max_value=10**13))
def test_format_parse_roundtrip(fen) -> None:
    assert parse_yuan_to_fen(format_fen(fen)) == fen


def test_limits_from_domain_and_overrides() -> None:
    assert LIMITS.stop_payment_duration == timedelta(hours=48)
    assert LIMITS.stop_payment_max_per_account == 2
    assert LIMITS.max_cards_per_operator == 5
    custom = load_limits(
        {"FANZHA_LIMIT_MAX_CARDS_PER_OPERATOR": "3", "FANZHA_LIMIT_SLA_HIGH": "3600"}
    )
    assert custom.max_cards_per_operator == 3
    assert custom.sla_high == timedelta(hours=1)
    with pytest.raises(ValueError, match="FANZHA_LIMIT_MAX_CARDS_PER_OPERATOR"):
        load_limits({"FANZHA_LIMIT_MAX_CARDS_PER_OPERATOR": "many"})


def test_fixed_clock() -> None:
    c = FixedClock(datetime(2026, 11, 28, tzinfo=UTC))
    assert c.advance(timedelta(hours=48)) == datetime(2026, 11, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        FixedClock(datetime(2026, 1, 1))


def test_taxonomy() -> None:
    assert len(FraudType) == 13
    assert RiskLevel.HIGH > RiskLevel.LOW
    assert SuspiciousCode("3006").label == "分散转入集中转出"
