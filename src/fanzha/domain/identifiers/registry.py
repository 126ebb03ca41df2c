"""The registry: one parser and one masker per kind, and the public functions built on them."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime

from fanzha.domain.identifiers import app, bank, device, network, payment, phone, social, web
from fanzha.domain.identifiers._base import (
    MASKERS,
    Identifier,
    IdentifierError,
    IdentifierKind,
    Invalid,
    prep,
)
from fanzha.domain.identifiers.resident_id import mask_resident_id, parse_resident_id

K = IdentifierKind
Parser = Callable[[object], tuple[str, dict[str, str]]]

PARSERS: dict[IdentifierKind, Parser] = {
    K.MOBILE: phone.parse_mobile,
    K.FIXED_LINE: phone.parse_fixed_line,
    K.SERVICE_NUMBER: phone.parse_service_number,
    K.FOREIGN_NUMBER: phone.parse_foreign_number,
    K.BANK_CARD: bank.parse_bank_card,
    K.PAYMENT_ACCOUNT: payment.parse_payment_account,
    K.URL: web.parse_url,
    K.DOMAIN: web.parse_domain,
    K.APP_ID: app.parse_app_id,
    K.APK_SHA256: app.parse_apk_sha256,
    K.IMEI: device.parse_imei,
    K.IP: network.parse_ip,
    K.QQ: social.parse_qq,
    K.WECHAT: social.parse_wechat,
    K.RESIDENT_ID: parse_resident_id,
}

MASKERS.update(
    {
        K.MOBILE: phone.mask_mobile,
        K.FIXED_LINE: phone.mask_fixed_line,
        K.SERVICE_NUMBER: phone.mask_service_number,
        K.FOREIGN_NUMBER: phone.mask_foreign_number,
        K.BANK_CARD: bank.mask_bank_card,
        K.PAYMENT_ACCOUNT: payment.mask_payment_account,
        K.URL: web.mask_url,
        K.DOMAIN: web.mask_domain,
        K.APP_ID: app.mask_app_id,
        K.APK_SHA256: app.mask_apk_sha256,
        K.IMEI: device.mask_imei,
        K.IP: network.mask_ip,
        K.QQ: social.mask_qq,
        K.WECHAT: social.mask_wechat,
        K.RESIDENT_ID: mask_resident_id,
        # An Identifier built by hand with kind "phone": mask as the phone kind it really is.
        K.PHONE: lambda value: _parse(_PHONE, value, None).masked,
    }
)


_KINDS: dict[object, IdentifierKind] = {k.value: k for k in IdentifierKind}


def _kind(kind: IdentifierKind | str) -> IdentifierKind:
    found = _KINDS.get(kind)
    if found is None:
        raise IdentifierError(str(kind), "unknown_kind", f"unknown kind {kind!r}")
    return found


_PHONE, _RESIDENT_ID = K.PHONE, K.RESIDENT_ID  # enum attribute access is slow in hot loops


def _parse(k: IdentifierKind, raw: object, today: date | None) -> Identifier:
    if k is _PHONE:
        found, value, attrs = phone.classify_phone(raw)
        return Identifier(found, value, attrs)
    if k is _RESIDENT_ID:
        value, attrs = parse_resident_id(raw, today)
    else:
        value, attrs = PARSERS[k](raw)
    return Identifier(k, value, attrs)


def normalize(kind: IdentifierKind | str, raw: object, *, today: date | None = None) -> Identifier:
    """Parse ``raw`` as ``kind``. ``kind="phone"`` returns the detected phone kind.

    ``today`` bounds resident-ID birth dates (default: the current UTC date).
    """
    k = _kind(kind)
    try:
        return _parse(k, raw, today)
    except Invalid as exc:
        raise IdentifierError(k, exc.code, exc.detail) from None


def validate(kind: IdentifierKind | str, raw: object, *, today: date | None = None) -> None:
    normalize(kind, raw, today=today)


def mask(kind: IdentifierKind | str, value: object) -> str:
    """Masked display form; ``value`` may be raw or normalised (it is normalised first)."""
    return normalize(kind, value).masked


def hash_normalised(kind: IdentifierKind | str, value: str, secret: bytes) -> str:
    """HMAC-SHA256 hex over ``f"{kind}:{value}"`` for an already normalised value."""
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def keyed_hash(kind: IdentifierKind | str, value: object, secret: bytes) -> str:
    """Keyed hash of the normalised identifier (``phone`` hashes as the detected phone kind)."""
    ident = normalize(kind, value)
    return hash_normalised(ident.kind, ident.value, secret)


def normalize_many(
    kind: IdentifierKind | str, values: Iterable[object], *, today: date | None = None
) -> tuple[list[str | None], list[str | None]]:
    """Bulk form that never raises: (normalised values, error reasons), aligned with ``values``."""
    k = _kind(kind)
    out: list[str | None] = []
    errors: list[str | None] = []
    append_v, append_e = out.append, errors.append
    if k is K.PHONE:

        def parse(raw: object) -> str:
            return phone.classify_phone(raw)[1]
    elif k is K.RESIDENT_ID:
        as_of = today or datetime.now(UTC).date()

        def parse(raw: object) -> str:
            return parse_resident_id(raw, as_of)[0]
    else:
        fn = PARSERS[k]

        def parse(raw: object) -> str:
            return fn(raw)[0]

    for raw in values:
        try:
            append_v(parse(raw))
            append_e(None)
        except Invalid as exc:
            append_v(None)
            append_e(IdentifierError(k, exc.code, exc.detail).reason)
    return out, errors


# --- auto-detection ---------------------------------------------------------------------------

_COMPACT = re.compile(r"[\s\-.()]+")
_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_COMMON_TLDS = frozenset(
    [
        "com",
        "cn",
        "net",
        "org",
        "gov",
        "edu",
        "info",
        "top",
        "xyz",
        "vip",
        "cc",
        "io",
        "co",
        "me",
        "tv",
        "shop",
        "site",
        "online",
        "club",
        "app",
        "link",
        "hk",
        "mo",
        "tw",
        "jp",
        "kr",
        "uk",
        "us",
        "ru",
        "de",
        "fr",
        "in",
        "biz",
        "asia",
        "wang",
        "ltd",
    ]
)
_REVERSE_DNS_ROOTS = frozenset(
    ["com", "cn", "org", "net", "io", "me", "gov", "edu", "de", "uk", "jp", "tv", "cc"]
)


def _ok(kind: IdentifierKind, text: str) -> bool:
    try:
        _parse(kind, text, None)
    except Invalid:
        return False
    return True


def detect_kind(raw: object) -> IdentifierKind | None:
    """Best guess of the kind of a value typed by a person (None when nothing fits).

    Digits are tried as resident ID (18, or 15 legacy), IMEI (15, Luhn), Alipay id, phone numbers,
    bank card (13–19, Luhn), then QQ; dotted names as URL, app id (reverse-DNS first label or
    unusual TLD) or domain; anything else as WeChat id.
    """
    try:
        text = prep(raw)
    except Invalid:
        return None
    low = text.lower()
    if "://" in text or low.startswith(("www.", "hxxp")):
        return K.URL if _ok(K.URL, text) else None
    if "@" in text:
        if social._QQ_MAIL.match(text):
            return K.QQ
        return K.PAYMENT_ACCOUNT if _ok(K.PAYMENT_ACCOUNT, text) else None
    if _HEX64.fullmatch(text):
        return K.APK_SHA256
    if _ok(K.IP, text) and (":" in text or text.replace(".", "").isdigit()):
        return K.IP
    compact = _COMPACT.sub("", text)
    if text.startswith(("+", "(+", "00")) or low.startswith("tel:"):
        try:
            return phone.classify_phone(text)[0]
        except Invalid:
            return None
    if compact.isdigit() or (len(compact) == 18 and compact[:17].isdigit() and compact[17] in "xX"):
        n = len(compact)
        if n == 18 and _ok(K.RESIDENT_ID, compact):
            return K.RESIDENT_ID
        if n == 15:
            if _ok(K.IMEI, compact):
                return K.IMEI
            if _ok(K.RESIDENT_ID, compact):
                return K.RESIDENT_ID
        if not compact.isdigit():
            return None
        if n == 16 and compact.startswith("2088"):
            return K.PAYMENT_ACCOUNT
        try:
            return phone.classify_phone(text)[0]
        except Invalid:
            pass
        if 13 <= n <= 19 and _ok(K.BANK_CARD, compact):
            return K.BANK_CARD
        return K.QQ if _ok(K.QQ, compact) else None
    if "." in text and not any(c.isspace() for c in text):
        if "/" in text:
            return K.URL if _ok(K.URL, text) else None
        labels = low.split(".")
        if labels[-1] in _COMMON_TLDS and not any(c.isupper() for c in text):
            return K.DOMAIN if _ok(K.DOMAIN, text) else None
        if (labels[0] in _REVERSE_DNS_ROOTS or any(c.isupper() for c in text)) and _ok(
            K.APP_ID, text
        ):
            return K.APP_ID
        if _ok(K.DOMAIN, text):
            return K.DOMAIN
        return K.APP_ID if _ok(K.APP_ID, text) else None
    if _ok(K.WECHAT, text):
        return K.WECHAT
    return None
