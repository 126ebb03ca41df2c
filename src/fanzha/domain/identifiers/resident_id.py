"""Resident identity card numbers (居民身份证号码, GB 11643-1999).

18 characters: 6-digit region code, birth date YYYYMMDD, 3-digit sequence (odd = male), ISO 7064
MOD 11-2 check character (``X`` for 10). Birth dates must exist, be on or after 1900-01-01 and not
after ``today`` (passed in, default the current UTC date). Only the province-level prefix of the
region code is checked (codes 11–65, 71, 81, 82, and 83 for residence permits of Taiwan residents);
prefecture codes change too often for a static table.

Legacy 15-digit numbers (YYMMDD, no check digit, issued before 1999 to people born 1900–1999) are
accepted and converted to the 18-digit form, ``legacy_15=true``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from fanzha.domain.identifiers._base import Invalid, keep_ends, prep

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SEPARATORS = re.compile(r"[\s\-]+")
_ID18 = re.compile(r"\d{17}[\dX]")

PROVINCES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省",
    "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}  # fmt: skip
_PERMIT_PREFIXES = {"83": "台湾居民居住证"}


def check_char(first17: str) -> str:
    return _CHECK[sum([(ord(c) - 48) * w for c, w in zip(first17, _WEIGHTS, strict=True)]) % 11]


def _birth(text: str, today: date) -> date:
    try:
        born = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError as exc:
        raise Invalid("bad_date", f"{text} is not a date") from exc
    if born < date(1900, 1, 1):
        raise Invalid("bad_date", f"{born.isoformat()} is before 1900")
    if born > today:
        raise Invalid("future_date", f"{born.isoformat()} is after {today.isoformat()}")
    return born


def parse_resident_id(raw: object, today: date | None = None) -> tuple[str, dict[str, str]]:
    today = today or datetime.now(UTC).date()
    text = prep(raw)
    if not text.isalnum():
        text = _SEPARATORS.sub("", text)
    text = text.upper()
    attrs: dict[str, str] = {}
    if len(text) == 15:
        if not (text.isdigit() and text.isascii()):
            raise Invalid("bad_chars", "15-digit numbers contain only digits")
        first17 = text[:6] + "19" + text[6:]
        text = first17 + check_char(first17)
        attrs["legacy_15"] = "true"
    elif len(text) != 18:
        raise Invalid("bad_length", f"expected 18 characters, got {len(text)}")
    if not (_ID18.fullmatch(text) and text.isascii()):
        raise Invalid("bad_chars", "17 digits then a digit or X")
    prefix = text[:2]
    province = PROVINCES.get(prefix) or _PERMIT_PREFIXES.get(prefix)
    if province is None:
        raise Invalid("bad_region", f"unknown province code {prefix}")
    born = _birth(text[6:14], today)
    if check_char(text[:17]) != text[17]:
        raise Invalid("bad_checksum", f"expected check character {check_char(text[:17])}")
    attrs.update(
        {
            "region_code": text[:6],
            "province_code": prefix,
            "province": province,
            "birth_date": born.isoformat(),
            "sex": "male" if int(text[16]) % 2 else "female",
        }
    )
    return text, attrs


def mask_resident_id(value: str) -> str:
    """``110***********123X``: first 3 and last 4, the birth date hidden."""
    return keep_ends(value, 3, 4)
