"""Phone numbers: mainland mobile, fixed line, service numbers, foreign (E.164) numbers.

Normalised values: mobile ``13812345678`` (11 digits; 13 for IoT ranges), fixed line
``01012345678`` (area code + subscriber, no separator), service number as dialled (``95588``,
``4008123456``), foreign ``+85512345678`` (E.164).

Accepted raw forms: ``tel:``, ``+86``/``0086``/``86`` prefixes, spaces, dashes, dots, slashes,
brackets, full-width digits, ``(0)`` trunk marks after a country code, a ``0`` long-distance prefix
before a mobile number, and fixed-line extensions written ``转123``/``ext 123``/``x123``/``#123``
(dropped from the value, kept as ``extension``). Fixed-line subscriber numbers are 8 digits after
a 3-digit area code and 7 or 8 after a 4-digit one, and never start with 0.
"""

from __future__ import annotations

import re

from fanzha.domain.identifiers._base import IdentifierKind, Invalid, keep_ends, prep
from fanzha.domain.identifiers._phone_tables import (
    COUNTRY_CODES,
    EMERGENCY_NUMBERS,
    FOUR_DIGIT_AREA_CODES,
    HIGH_RISK_ORIGIN_CODES,
    IOT13_PREFIXES,
    MOBILE_PREFIXES,
    OPERATOR_NAMES,
    SERVICE_NAMES,
    THREE_DIGIT_AREA_CODES,
)

_SEPARATORS = re.compile(r"[\s\-.()\[\]/]+")
_TRUNK_MARK = re.compile(r"\(\s*0\s*\)")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_PLAIN = re.compile(r"[+\d\s\-.()\[\]/]*")
_DIGITS = re.compile(r"\d+")
_SERVICE = re.compile(
    r"(?P<emergency>1[12]\d)|(?P<short>1[0-2]\d{3})|(?P<sms>106\d{5,17})|(?P<hotline>95\d{3,6})"
    r"|(?P<local>96\d{3,6})|(?P<shared>400\d{7})|(?P<tollfree>800\d{7})"
)
_SERVICE_TYPES = {
    "emergency": "short_code",
    "short": "short_code",
    "sms": "sms_port",
    "hotline": "hotline_95",
    "local": "local_96",
    "shared": "shared_cost_400",
    "tollfree": "toll_free_800",
}

Parsed = tuple[str, dict[str, str]]


def _clean(text: str) -> tuple[bool, str, str | None]:
    """→ (international prefix seen, digits, extension)."""
    if text.isdigit() and text.isascii() and not text.startswith("00"):
        return False, text, None  # the common case, kept cheap for bulk use
    if text[:4].lower() == "tel:":
        text = text[4:].lstrip()
    ext = None
    m = None if _PLAIN.fullmatch(text) else _EXTENSION.search(text)
    if m and m.start() > 0:
        ext = m.group(1)
        text = text[: m.start()].rstrip()
    intl = False
    if text.startswith("+"):
        intl = True
        text = text[1:]
    elif text.startswith("(+"):
        intl = True
        text = text[2:]
    if intl:
        text = _TRUNK_MARK.sub("", text, count=1)
    digits = _SEPARATORS.sub("", text)
    if not intl and digits.startswith("00"):
        intl = True
        digits = digits[2:]
    if not digits:
        raise Invalid("empty")
    if not (digits.isdigit() and digits.isascii()):
        raise Invalid("bad_chars", f"only digits and separators allowed, got {text!r}")
    return intl, digits, ext


def _strip_86(intl: bool, d: str, kind: str) -> str:
    if intl:
        if not d.startswith("86"):
            raise Invalid("not_phone", f"+{d[:3]}… is not a mainland number; use foreign_number")
        return d[2:]
    return d


# --- mobile -----------------------------------------------------------------------------------


def _mobile_attrs(prefix: str, op: str, kind: str, host: str) -> dict[str, str]:
    attrs = {
        "country_code": "86",
        "prefix": prefix[:3],
        "operator": op,
        "operator_name": OPERATOR_NAMES[op],
        "number_kind": kind,
    }
    if host:
        attrs["host_operator"] = host
    return attrs


_MOBILE_ATTRS = {p: _mobile_attrs(p, *entry) for p, entry in MOBILE_PREFIXES.items()}


def _mobile_national(d: str) -> Parsed:
    n = len(d)
    if n == 11:
        if d[0] != "1":
            raise Invalid("bad_prefix", f"mobile numbers start with 1, got {d[0]}")
        attrs = _MOBILE_ATTRS.get(d[:4]) or _MOBILE_ATTRS.get(d[:3])
        if attrs is None:
            raise Invalid("bad_prefix", f"unknown prefix {d[:3]}")
        return d, dict(attrs)
    if n == 13 and d[0] == "1":
        host = IOT13_PREFIXES.get(d[:4]) or IOT13_PREFIXES.get(d[:5])
        if host is None:
            raise Invalid("bad_length", f"expected 11 digits, got 13 (not an IoT range: {d[:4]})")
        return d, {
            "country_code": "86",
            "prefix": d[:4],
            "operator": host,
            "operator_name": OPERATOR_NAMES[host],
            "number_kind": "iot",
        }
    raise Invalid("bad_length", f"expected 11 digits, got {n}")


def parse_mobile(raw: object) -> Parsed:
    intl, d, _ext = _clean(prep(raw))
    d = _strip_86(intl, d, "mobile")
    if not intl:
        if len(d) in (13, 15) and d.startswith("861"):
            d = d[2:]
        elif len(d) == 12 and d.startswith("01") and not d.startswith("010"):
            d = d[1:]
    return _mobile_national(d)


def mask_mobile(value: str) -> str:
    return keep_ends(value, 3, 4)


# --- fixed line -------------------------------------------------------------------------------


def _fixed_national(d: str, ext: str | None) -> Parsed:
    if d[0] != "0":
        if 7 <= len(d) <= 8:
            raise Invalid("missing_area_code", f"local number {len(d)} digits, add the area code")
        raise Invalid("bad_area_code", "fixed-line numbers start with an area code 0…")
    if d.startswith("010") or d.startswith("02"):
        area = d[:3]
        if area not in THREE_DIGIT_AREA_CODES:
            raise Invalid("bad_area_code", f"unknown area code {area}")
        city = THREE_DIGIT_AREA_CODES[area]
        sub_lengths: tuple[int, ...] = (8,)
    else:
        area = d[:4]
        if len(area) < 4 or area[1] not in "3456789":
            raise Invalid("bad_area_code", f"invalid area code {area}")
        city = FOUR_DIGIT_AREA_CODES.get(area, "")
        sub_lengths = (7, 8)
    sub = d[len(area) :]
    if len(sub) not in sub_lengths:
        want = " or ".join(str(x) for x in sub_lengths)
        raise Invalid(
            "bad_length", f"area code {area} needs {want} subscriber digits, got {len(sub)}"
        )
    if sub[0] == "0":
        raise Invalid("bad_subscriber", "subscriber numbers do not start with 0")
    attrs = {"country_code": "86", "area_code": area, "subscriber_length": str(len(sub))}
    if city:
        attrs["city"] = city
    if ext:
        attrs["extension"] = ext
    return d, attrs


def parse_fixed_line(raw: object) -> Parsed:
    intl, d, ext = _clean(prep(raw))
    if intl:
        d = _strip_86(intl, d, "fixed_line")
        if not d.startswith("0"):
            d = "0" + d
    elif len(d) >= 11 and d.startswith("86") and (d[2] != "1" or d.startswith("8610")):
        d = "0" + d[2:] if d[2] != "0" else d[2:]
    return _fixed_national(d, ext)


def mask_fixed_line(value: str) -> str:
    area_len = 3 if value.startswith(("010", "02")) else 4
    return value[:area_len] + "-" + keep_ends(value[area_len:], 0, 4)


# --- service numbers --------------------------------------------------------------------------


def _service_national(d: str) -> Parsed:
    m = _SERVICE.fullmatch(d)
    if m is None:
        raise Invalid("bad_format", "not a 95xxx/96xxx/400/800/1xxxx/106 service number")
    stype = _SERVICE_TYPES[m.lastgroup or ""]
    attrs = {"service_type": stype}
    if d in EMERGENCY_NUMBERS:
        attrs["service_type"] = "emergency"
    name = SERVICE_NAMES.get(d)
    if name:
        attrs["name"] = name
    return d, attrs


def parse_service_number(raw: object) -> Parsed:
    intl, d, _ext = _clean(prep(raw))
    return _service_national(_strip_86(intl, d, "service_number"))


def mask_service_number(value: str) -> str:
    return value  # public business numbers: shown in full


# --- foreign numbers --------------------------------------------------------------------------


def _country_of(d: str) -> str:
    for n in (1, 2, 3):
        if d[:n] in COUNTRY_CODES or d[:n] == "86":
            return d[:n]
    raise Invalid("unknown_country", f"no country calling code matches +{d[:3]}")


def _foreign_intl(d: str) -> Parsed:
    cc = _country_of(d)
    if cc == "86":
        raise Invalid("domestic_number", "use mobile, fixed_line or service_number for +86")
    nsn = d[len(cc) :]
    if not len(nsn) >= 4 or len(d) > 15:
        raise Invalid("bad_length", f"E.164 numbers have 7-15 digits and ≥4 after +{cc}")
    if nsn[0] == "0" and cc != "39":  # a national trunk 0 written after the country code
        nsn = nsn[1:]
        if len(nsn) < 4 or nsn[0] == "0":
            raise Invalid("bad_format", f"unexpected zeros after +{cc}")
    iso, name = COUNTRY_CODES[cc]
    return "+" + cc + nsn, {
        "country_code": cc,
        "country": iso,
        "country_name": name,
        "high_risk_origin": "true" if cc in HIGH_RISK_ORIGIN_CODES else "false",
    }


def parse_foreign_number(raw: object) -> Parsed:
    _intl, d, _ext = _clean(prep(raw))
    return _foreign_intl(d)  # without + or 00 the digits are read as starting with the country code


def mask_foreign_number(value: str) -> str:
    cc = _country_of(value[1:])
    nsn = value[1 + len(cc) :]
    return f"+{cc} " + keep_ends(nsn, 0, 4 if len(nsn) >= 8 else 2)


# --- auto-detection among the four --------------------------------------------------------------


def _sms_port(d: str) -> bool:
    return d.startswith("106") and not (len(d) == 13 and d[:5] in IOT13_PREFIXES)


def classify_phone(raw: object) -> tuple[IdentifierKind, str, dict[str, str]]:
    """Pick the phone kind from the shape of the number, then parse it with that kind's rules."""
    intl, d, ext = _clean(prep(raw))
    if intl:
        if not d.startswith("86"):
            value, attrs = _foreign_intl(d)
            return IdentifierKind.FOREIGN_NUMBER, value, attrs
        d = d[2:]
        if _sms_port(d):
            return (IdentifierKind.SERVICE_NUMBER, *_service_national(d))
        if d.startswith("1") and len(d) in (11, 13):
            return (IdentifierKind.MOBILE, *_mobile_national(d))
        if _SERVICE.fullmatch(d):
            return (IdentifierKind.SERVICE_NUMBER, *_service_national(d))
        return (IdentifierKind.FIXED_LINE, *_fixed_national(d if d[:1] == "0" else "0" + d, ext))
    n = len(d)
    if n >= 11 and d.startswith("86"):  # country code written without + or 00
        national = d[2:]
        if national[0] == "1" and n in (13, 15):
            return (IdentifierKind.MOBILE, *_mobile_national(national))
        fixed = national if national[0] == "0" else "0" + national
        return (IdentifierKind.FIXED_LINE, *_fixed_national(fixed, ext))
    if d[0] == "0":
        if n == 12 and d[1] == "1" and d[2] != "0":
            return (IdentifierKind.MOBILE, *_mobile_national(d[1:]))
        return (IdentifierKind.FIXED_LINE, *_fixed_national(d, ext))
    if d[0] == "1":
        if _sms_port(d):
            return (IdentifierKind.SERVICE_NUMBER, *_service_national(d))
        if n == 11 or (n == 13 and (d[:4] in IOT13_PREFIXES or d[:5] in IOT13_PREFIXES)):
            return (IdentifierKind.MOBILE, *_mobile_national(d))
        if _SERVICE.fullmatch(d):
            return (IdentifierKind.SERVICE_NUMBER, *_service_national(d))
        raise Invalid("bad_length", f"expected 11 digits for a mobile number, got {n}")
    if _SERVICE.fullmatch(d):
        return (IdentifierKind.SERVICE_NUMBER, *_service_national(d))
    if 7 <= n <= 8:
        raise Invalid("missing_area_code", f"local number {n} digits, add the area code")
    raise Invalid("not_phone", f"{n} digits starting with {d[0]}")
