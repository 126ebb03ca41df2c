"""The shortcut for plain-digit accounts gives exactly what the general normalisation gives."""

from __future__ import annotations

import random

from fanzha.domain.identifiers._base import luhn_check_digit
from fanzha.registry.keys import _canonical_general, _plain_account, canonical, key_of

SECRET = b"fast-path-secret"


def _samples() -> list[str]:
    rnd = random.Random(7)
    out = []
    for n in range(1, 24):
        for first in "0123456789":
            for _ in range(40):
                out.append(first + "".join(rnd.choice("0123456789") for _ in range(n - 1)))
            if n >= 2:  # Luhn-valid forms of each length and first digit
                body = first + "".join(rnd.choice("0123456789") for _ in range(n - 2))
                out.append(body + luhn_check_digit(body))
    out += [
        "2088123456789012",  # Alipay id
        "1234567890",  # merchant id
        "13812345678",  # mobile
        "8613812345678",
        "008613812345678",
        "013812345678",
        "6222000000000001",
        "6217000000000000000",
        "٦٢٢٢٠٠٠٠٠٠٠٠٠٠٠١",  # Arabic-Indic digits: not ASCII, general path
        "６２２２０００００００００００００１",  # full-width: general path
        " 6222000000000001",
        "6222 0000 0000 0001",
        "",
    ]
    return out


def test_plain_accounts_match_the_general_path():
    taken = 0
    for value in _samples():
        fast = _plain_account(value) if value else None
        if fast is None:
            continue
        taken += 1
        assert fast == _canonical_general("account", value), value
        assert canonical("account", value) == fast
        ck, v, _ = _canonical_general("account", value)
        from fanzha.registry.keys import keyed_hash

        assert key_of("account", value, SECRET) == keyed_hash(ck, v, SECRET)
    assert taken > 3000  # the shortcut covers most plain digit strings


def test_shortcut_declines_what_it_cannot_decide():
    for value in (
        "2088123456789012",
        "13812345678",
        "8613812345678000",
        "013812345678",
        "1234567890",
    ):
        assert _plain_account(value) is None
    assert _plain_account("６２２２０００００００００００００１") is None
    assert _plain_account("6222 0000 0000 0001") is None
