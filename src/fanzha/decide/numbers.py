"""Caller-number analysis for call/SMS checks: foreign, malformed, spoofed-looking, virtual ranges.

The law requires true caller IDs, foreign calls to show their country, and spoofed or malformed caller
numbers to be blocked (DOMAIN.md §6). This is a plausibility check on the presented number only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Calling codes of countries that often appear in fraud against China, plus common ones.
COUNTRY_CODES: dict[str, str] = {
    "1": "美国/加拿大",
    "7": "俄罗斯/哈萨克斯坦",
    "44": "英国",
    "49": "德国",
    "60": "马来西亚",
    "61": "澳大利亚",
    "62": "印度尼西亚",
    "63": "菲律宾",
    "65": "新加坡",
    "66": "泰国",
    "81": "日本",
    "82": "韩国",
    "84": "越南",
    "90": "土耳其",
    "91": "印度",
    "95": "缅甸",
    "234": "尼日利亚",
    "852": "中国香港",
    "853": "中国澳门",
    "855": "柬埔寨",
    "856": "老挝",
    "880": "孟加拉国",
    "886": "中国台湾",
    "971": "阿联酋",
}
# Numbers that never place outgoing calls to the public: presenting one is spoofing.
RECEIVE_ONLY = frozenset({"110", "119", "120", "122", "12110", "96110", "12381"})
VIRTUAL_PREFIXES = ("170", "171", "162", "165", "167")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0[1-9]\d{1,2}\d{7,8}$")
_SERVICE = re.compile(r"^(1\d{4}|9[56]\d{3,4}|[48]00\d{7}|1\d{2})$")
_CLEAN = re.compile(r"[\s\-()（）]")


@dataclass(frozen=True)
class NumberInfo:
    normalised: str
    foreign: bool = False
    country: str | None = None
    malformed: bool = False
    spoofed: bool = False
    virtual: bool = False
    note: str = ""


def analyse(raw: str, callee: str | None = None) -> NumberInfo:
    s = _CLEAN.sub("", raw or "")
    intl = None
    if s.startswith("+"):
        intl = s[1:]
    elif s.startswith("00"):
        intl = s[2:]
    if intl is not None:
        if not intl.isdigit() or not 6 <= len(intl) <= 15:
            return NumberInfo(s, foreign=True, malformed=True, note="境外号码格式异常")
        if intl.startswith("86"):
            s = intl[2:]
        else:
            country = next(
                (COUNTRY_CODES[intl[:n]] for n in (3, 2, 1) if intl[:n] in COUNTRY_CODES), None
            )
            return NumberInfo("+" + intl, foreign=True, country=country or "其他国家或地区")
    if not s.isdigit():
        return NumberInfo(s, malformed=True, note="号码含非数字字符")
    if s in RECEIVE_ONLY or (callee and _CLEAN.sub("", callee).removeprefix("+86") == s):
        return NumberInfo(s, spoofed=True, note="主叫号码疑似伪造")
    if _MOBILE.match(s):
        return NumberInfo(s, virtual=s.startswith(VIRTUAL_PREFIXES) or s.startswith("192"))
    if _LANDLINE.match(s) or _SERVICE.match(s):
        return NumberInfo(s)
    return NumberInfo(s, malformed=True, note="号码位数或号段不符合编号规则")
