"""Bank card numbers: 13–19 digits, Luhn, issuer from a small BIN table of major Chinese banks.

The BIN table is deliberately small (well-known debit/credit BINs of the large state and joint-stock
banks); ``bank_name`` is present only when the first six digits are in it.
"""

from __future__ import annotations

import re

from fanzha.domain.identifiers._base import Invalid, luhn_ok, prep

_SEPARATORS = re.compile(r"[\s\-.]+")

_BINS = """
工商银行 622202 622208 621226 621225 620200 621288 621558 621559 621722 621723 955880
建设银行 621700 622700 436742 622280 621284 621081 621466 621467 621488 621499
农业银行 622848 622845 622846 622841 622823 622826 622827 622836 622837 621282 621336
中国银行 621661 621663 621666 621667 621668 621669 621785 621786 621787 621788 621789 621790 456351 601382
交通银行 622260 622262 601428 622258 622259 622261 405512
招商银行 622588 622580 621483 621485 621486 410062 622575 622576 622577 622578 622609
邮储银行 621799 621798 621797 622188 622150 622151 622181 621095 620062 621285 955100
中信银行 622690 622691 622692 622696 622698 622998 622999 433670 433680
光大银行 622660 622661 622662 622663 622664 622665 622666 622667 622668 622669
民生银行 622615 622617 622618 622622 415599 421393 421865 427570 427571 472067 472068
兴业银行 622909 622908 438588 438589 622901 622902 622922
浦发银行 622518 622521 622522 622523 621352 621351 621390 621792 622516 622517
广发银行 622568 622558 622559 622560 622561 622562 622563 621462
平安银行 622155 622156 622157 622158 622159 622160 623058 622986 622989 621626
"""
BIN_TABLE: dict[str, str] = {}
for _line in _BINS.strip().splitlines():
    _bank, *_bins = _line.split()
    for _b in _bins:
        BIN_TABLE[_b] = _bank


def _network(d: str) -> str:
    if d.startswith("62") or d.startswith(("9558", "9551")):
        return "unionpay"
    if d[0] == "4":
        return "visa"
    two = int(d[:2])
    if 51 <= two <= 55 or 2221 <= int(d[:4]) <= 2720:
        return "mastercard"
    if two in (34, 37):
        return "amex"
    if two == 35:
        return "jcb"
    return "other"


def parse_bank_card(raw: object) -> tuple[str, dict[str, str]]:
    d = prep(raw)
    if not d.isdigit():
        d = _SEPARATORS.sub("", d)
    if not (d.isdigit() and d.isascii()):
        raise Invalid("bad_chars", "card numbers contain only digits")
    if not 13 <= len(d) <= 19:
        raise Invalid("bad_length", f"expected 13-19 digits, got {len(d)}")
    if d[0] == "0":
        raise Invalid("leading_zero", "card numbers do not start with 0")
    if not luhn_ok(d):
        raise Invalid("bad_checksum", "Luhn check failed")
    attrs = {"bin": d[:6], "card_length": str(len(d)), "network": _network(d)}
    bank = BIN_TABLE.get(d[:6])
    if bank:
        attrs["bank_name"] = bank
    return d, attrs


def mask_bank_card(value: str) -> str:
    """``6222 **** **** 1234``: first 4 and last 4, the length hidden."""
    return f"{value[:4]} **** **** {value[-4:]}"
