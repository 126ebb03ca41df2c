"""Social accounts: QQ numbers and WeChat ids.

QQ: 5–11 digits, no leading zero; ``QQ:12345`` and ``12345@qq.com`` are read as the number.
WeChat: 6–20 characters, first a letter, then letters/digits/``_``/``-``; folded to lower case
because WeChat id search is case-insensitive, so the same account written twice must match.
"""

from __future__ import annotations

import re

from fanzha.domain.identifiers._base import Invalid, keep_ends, prep

_QQ_LABEL = re.compile(r"^qq\s*号?\s*[:：]?\s*", re.IGNORECASE)
_QQ_MAIL = re.compile(r"^(\d+)@(?:vip\.)?qq\.com$", re.IGNORECASE)
_WX_LABEL = re.compile(r"^(?:微信号?|wechat|weixin|wx)\s*[:：]\s*", re.IGNORECASE)
_WECHAT = re.compile(r"[a-z][a-z0-9_-]{5,19}")


def parse_qq(raw: object) -> tuple[str, dict[str, str]]:
    text = prep(raw)
    attrs: dict[str, str] = {}
    m = _QQ_MAIL.match(text)
    if m:
        text = m.group(1)
        attrs["from_email"] = "true"
    else:
        text = _QQ_LABEL.sub("", text).replace(" ", "")
    if not (text.isdigit() and text.isascii()):
        raise Invalid("bad_chars", "QQ numbers contain only digits")
    if text[0] == "0":
        raise Invalid("leading_zero", "QQ numbers do not start with 0")
    if not 5 <= len(text) <= 11:
        raise Invalid("bad_length", f"expected 5-11 digits, got {len(text)}")
    attrs["length"] = str(len(text))
    return text, attrs


def mask_qq(value: str) -> str:
    return keep_ends(value, 2, 2) if len(value) >= 7 else keep_ends(value, 1, 1)


def parse_wechat(raw: object) -> tuple[str, dict[str, str]]:
    text = _WX_LABEL.sub("", prep(raw)).lower()
    if not 6 <= len(text) <= 20:
        raise Invalid("bad_length", f"expected 6-20 characters, got {len(text)}")
    if not text[0].isascii() or not text[0].isalpha():
        raise Invalid("bad_format", "WeChat ids start with a letter")
    if not _WECHAT.fullmatch(text):
        raise Invalid("bad_chars", "only letters, digits, _ and - allowed")
    return text, {"id_type": "system" if text.startswith("wxid_") else "custom"}


def mask_wechat(value: str) -> str:
    if value.startswith("wxid_"):
        rest = value[5:]
        return "wxid_" + (keep_ends(rest, 2, 2) if len(rest) >= 6 else keep_ends(rest, 1, 1))
    return keep_ends(value, 2, 2) if len(value) > 8 else keep_ends(value, 1, 1)
