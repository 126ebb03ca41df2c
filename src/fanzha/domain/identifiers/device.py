"""IMEI: exactly 15 digits with a Luhn check digit.

14 digits (no check digit) and 16 digits (IMEISV, software version instead of a check digit) are
rejected with their own reasons rather than guessed: the device registry must see one form only.
"""

from __future__ import annotations

import re

from fanzha.domain.identifiers._base import Invalid, keep_ends, luhn_ok, prep

_SEPARATORS = re.compile(r"[\s\-./]+")
_LABEL = re.compile(r"^imei\s*[:：]?\s*", re.IGNORECASE)


def parse_imei(raw: object) -> tuple[str, dict[str, str]]:
    d = _SEPARATORS.sub("", _LABEL.sub("", prep(raw)))
    if not (d.isdigit() and d.isascii()):
        raise Invalid("bad_chars", "IMEI contains only digits")
    if len(d) == 14:
        raise Invalid("missing_check_digit", "14 digits: IMEI without its Luhn check digit")
    if len(d) == 16:
        raise Invalid("imeisv", "16 digits is an IMEISV; give the 15-digit IMEI")
    if len(d) != 15:
        raise Invalid("bad_length", f"expected 15 digits, got {len(d)}")
    if not luhn_ok(d):
        raise Invalid("bad_checksum", "Luhn check failed")
    return d, {"tac": d[:8], "reporting_body": d[:2]}


def mask_imei(value: str) -> str:
    """TAC (model, not person) + last 2: ``35209900*****81``."""
    return keep_ends(value, 8, 2)
