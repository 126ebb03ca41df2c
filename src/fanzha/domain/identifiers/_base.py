"""Shared vocabulary of the identifier package: kinds, the error, the value object, text prep.

Identity of an :class:`Identifier` is ``(kind, value)``; ``attrs`` are facts derived while parsing
(operator, bank, province, ...) and take no part in equality or hashing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum


class IdentifierKind(StrEnum):
    MOBILE = "mobile"
    FIXED_LINE = "fixed_line"
    SERVICE_NUMBER = "service_number"
    FOREIGN_NUMBER = "foreign_number"
    PHONE = "phone"  # auto-detect among the four phone kinds above
    BANK_CARD = "bank_card"
    PAYMENT_ACCOUNT = "payment_account"
    URL = "url"
    DOMAIN = "domain"
    APP_ID = "app_id"
    APK_SHA256 = "apk_sha256"
    IMEI = "imei"
    IP = "ip"
    QQ = "qq"
    WECHAT = "wechat"
    RESIDENT_ID = "resident_id"


PHONE_KINDS = frozenset(
    {
        IdentifierKind.MOBILE,
        IdentifierKind.FIXED_LINE,
        IdentifierKind.SERVICE_NUMBER,
        IdentifierKind.FOREIGN_NUMBER,
    }
)


# Stable reason codes → (Chinese text, default English detail).
REASONS: dict[str, tuple[str, str]] = {
    "empty": ("值为空", "empty value"),
    "not_text": ("不是文本", "value must be a string or an integer"),
    "bad_chars": ("含有非法字符", "unexpected characters"),
    "bad_length": ("号码位数不对", "wrong number of digits"),
    "bad_prefix": ("号段不存在或未分配", "unknown or unallocated prefix"),
    "bad_area_code": ("区号不对", "invalid area code"),
    "bad_subscriber": ("用户号码不对", "invalid subscriber number"),
    "missing_area_code": ("缺少区号", "local number without area code"),
    "unknown_country": ("国家/地区代码未知", "unknown country calling code"),
    "domestic_number": ("这是中国大陆号码", "+86 is not a foreign number"),
    "not_phone": ("无法识别的电话号码", "not a recognisable phone number"),
    "bad_checksum": ("校验位不对", "check digit mismatch"),
    "missing_check_digit": ("缺少校验位", "check digit missing"),
    "imeisv": ("这是IMEISV而不是IMEI", "16 digits is an IMEISV, not an IMEI"),
    "leading_zero": ("不能以0开头", "must not start with 0"),
    "bad_format": ("格式不对", "malformed value"),
    "bad_scheme": ("不支持的协议", "unsupported URL scheme"),
    "bad_host": ("主机名不对", "invalid host name"),
    "no_tld": ("缺少顶级域名", "host has no top-level domain"),
    "bad_punycode": ("国际化域名编码错误", "invalid IDNA/punycode label"),
    "bad_port": ("端口不对", "invalid port"),
    "bad_ip": ("IP地址不对", "invalid IP address"),
    "bad_date": ("出生日期不对", "invalid birth date"),
    "future_date": ("出生日期在未来", "birth date is in the future"),
    "bad_region": ("行政区划代码不对", "unknown province-level region code"),
    "bad_platform": ("不支持的支付平台", "unknown payment platform"),
    "unknown_kind": ("未知的标识类型", "unknown identifier kind"),
}


class IdentifierError(ValueError):
    """A raw value that is not a valid identifier of ``kind``.

    ``code`` is a stable machine code (keys of ``REASONS``); ``reason`` the bilingual text, e.g.
    ``号码位数不对 (expected 11 digits, got 10)``; ``str(err)`` is ``"<kind>: <reason>"``.
    """

    def __init__(self, kind: str, code: str, detail: str | None = None) -> None:
        self.kind = str(kind)
        self.code = code
        self.detail = detail
        if code in REASONS:
            zh, en = REASONS[code]
            self.reason = f"{zh} ({detail or en})"
        else:  # a caller-made reason text
            self.reason = f"{code} ({detail})" if detail else code
        super().__init__(f"{self.kind}: {self.reason}")

    def __reduce__(self) -> tuple[type[IdentifierError], tuple[str, str, str | None]]:
        return type(self), (self.kind, self.code, self.detail)


class Invalid(Exception):
    """Raised by kind parsers (which do not know which public kind they serve); wrapped later."""

    __slots__ = ("code", "detail")

    def __init__(self, code: str, detail: str | None = None) -> None:
        self.code = code
        self.detail = detail


# Filled by the registry: kind → function(normalised value) → masked display form.
MASKERS: dict[str, Callable[[str], str]] = {}


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: IdentifierKind
    value: str
    attrs: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def masked(self) -> str:
        return MASKERS[self.kind](self.value)

    def keyed_hash(self, secret: bytes) -> str:
        from fanzha.domain.identifiers.registry import hash_normalised

        return hash_normalised(self.kind, self.value, secret)

    def __repr__(self) -> str:  # logs show masked values (privacy by construction)
        return f"Identifier(kind={self.kind.value!r}, masked={self.masked!r})"


_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")


def prep(raw: object) -> str:
    """NFKC (full-width → ASCII), drop invisible characters, strip surrounding whitespace."""
    if isinstance(raw, str):
        text = raw
    elif isinstance(raw, int) and not isinstance(raw, bool):
        return str(raw)
    else:
        raise Invalid("not_text", f"got {type(raw).__name__}")
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = _INVISIBLE.sub("", text)
    text = text.strip()
    if not text:
        raise Invalid("empty")
    return text


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_ok(digits: str) -> bool:
    nums = [ord(c) - 48 for c in digits]
    total = sum(nums[-1::-2]) + sum([_DOUBLED[n] for n in nums[-2::-2]])
    return total % 10 == 0


def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass Luhn."""
    for d in "0123456789":
        if luhn_ok(payload + d):
            return d
    raise AssertionError("unreachable")


def keep_ends(text: str, head: int, tail: int, star: str = "*") -> str:
    """Keep ``head`` leading and ``tail`` trailing characters, star the rest (never reveals more)."""
    n = len(text)
    if head + tail >= n:
        # Too short for the rule: reveal at most a third of it.
        head, tail = 0, n // 3
    return text[:head] + star * (n - head - tail) + (text[n - tail :] if tail else "")
