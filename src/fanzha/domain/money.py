"""Money is integer fen. Parsing accepts what partners write (¥1,234.50, 1234.5元, full-width)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

_STRIP = re.compile(r"[\s,，¥￥元RMBCNY]", re.IGNORECASE)
_FULLWIDTH = str.maketrans("０１２３４５６７８９．－", "0123456789.-")


class MoneyError(ValueError):
    pass


def parse_yuan_to_fen(text: str | int | float | Decimal) -> int:
    """'¥1,234.50' → 123450. More than two decimals is ambiguous and rejected."""
    if isinstance(text, bool):
        raise MoneyError("amount: not a number")
    raw = str(text).translate(_FULLWIDTH)
    cleaned = _STRIP.sub("", raw)
    if not cleaned:
        raise MoneyError("amount: empty")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise MoneyError(f"amount: cannot read {str(text)!r} as an amount") from exc
    if not value.is_finite():
        raise MoneyError("amount: not finite")
    fen = value * 100
    if fen != fen.to_integral_value():
        raise MoneyError(f"amount: {str(text)!r} has more than two decimal places")
    return int(fen.to_integral_value(rounding=ROUND_HALF_UP))


def format_fen(fen: int) -> str:
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}¥{fen // 100:,}.{fen % 100:02d}"
