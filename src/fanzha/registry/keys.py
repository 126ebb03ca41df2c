"""Identifier kinds, normalisation, masking and the keyed hash the registry is keyed by.

The registry never keys by raw value: every organisation matches identifiers by
HMAC-SHA256(platform secret, "<canonical kind>:<normalised value>") as computed by
``fanzha.domain.identifiers``. Registry kinds are coarser (``account`` covers bank cards and payment
accounts, ``phone`` every phone kind); :func:`canonical` maps them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from enum import StrEnum
from functools import lru_cache

from fanzha.domain import identifiers as _ids
from fanzha.domain.identifiers._base import luhn_ok as _luhn_ok
from fanzha.domain.identifiers.bank import mask_bank_card as _mask_bank_card


class IdKind(StrEnum):
    PHONE = "phone"
    ACCOUNT = "account"  # bank card / bank account / payment account
    URL = "url"
    DOMAIN = "domain"
    QQ = "qq"
    WECHAT = "wechat"
    ID_NUMBER = "id_number"
    DEVICE = "device"  # IMEI / device id / MAC
    IP = "ip"
    APP = "app"  # app id or APK sha256


ID_KIND_LABELS: dict[IdKind, str] = {
    IdKind.PHONE: "电话号码",
    IdKind.ACCOUNT: "银行/支付账户",
    IdKind.URL: "网址",
    IdKind.DOMAIN: "域名",
    IdKind.QQ: "QQ号",
    IdKind.WECHAT: "微信号",
    IdKind.ID_NUMBER: "身份证号",
    IdKind.DEVICE: "设备",
    IdKind.IP: "IP地址",
    IdKind.APP: "应用",
}

# Registry kinds → the canonical kinds of ``fanzha.domain.identifiers`` tried in order.
_CANONICAL: dict[IdKind, tuple[str, ...]] = {
    IdKind.PHONE: ("phone",),
    IdKind.ACCOUNT: ("bank_card", "payment_account"),
    IdKind.URL: ("url",),
    IdKind.DOMAIN: ("domain",),
    IdKind.QQ: ("qq",),
    IdKind.WECHAT: ("wechat",),
    IdKind.ID_NUMBER: ("resident_id",),
    IdKind.DEVICE: ("imei",),
    IdKind.IP: ("ip",),
    IdKind.APP: ("app_id", "apk_sha256"),
}

_SPACES = re.compile(r"[\s\-_()（）]")


def parse_kind(kind: str) -> IdKind:
    try:
        return IdKind(str(kind).strip().lower())
    except ValueError:
        allowed = ", ".join(k.value for k in IdKind)
        raise ValueError(
            f"kind: unknown identifier kind {kind!r}; expected one of {allowed}"
        ) from None


def _plain_account(value: str) -> tuple[str, str, str] | None:
    """:func:`canonical` of an ``account`` given as bare ASCII digits, when the answer is certain
    without trying every parser: a Luhn-valid 13–19 digit card number, or digits that no parser
    accepts (not a card, and starting with 3–7 or 9: no Alipay id, merchant id or mobile number).
    The general path gets there through two rejected parsers (two exceptions), which made a payee
    seen for the first time the costliest part of a payment check. ``None``: take the general path.
    ``tests/registry`` checks both paths agree."""
    if not (value.isdigit() and value.isascii()):
        return None
    n = len(value)
    first = value[0]
    if 13 <= n <= 19 and first != "0" and _luhn_ok(value):
        return "bank_card", value, _mask_bank_card(value)
    if first in "345679":
        return "account", value, "****" + value[-4:] if n > 4 else "****"
    return None


@lru_cache(maxsize=262_144)
def canonical(kind: str, value: str) -> tuple[str, str, str]:
    """(canonical kind, normalised value, masked) of an identifier.

    Uses ``fanzha.domain.identifiers`` so keyed hashes match every other room. Values it rejects
    (e.g. a corporate account that is no card and fails Luhn, a device id that is no IMEI) are still
    listable: they keep the registry kind and a conservative normalisation of our own.
    """
    if kind == "account" and isinstance(value, str):
        plain = _plain_account(value)
        if plain is not None:
            return plain
    return _canonical_general(kind, value)


def _canonical_general(kind: str, value: str) -> tuple[str, str, str]:
    k = parse_kind(kind)
    for ck in _CANONICAL[k]:
        try:
            ident = _ids.normalize(ck, value)
        except (_ids.IdentifierError, ValueError, TypeError):
            continue
        return str(ident.kind), ident.value, ident.masked
    v = _fallback_normalise(k, value)
    return k.value, v, _fallback_mask(k, v)


def _fallback_normalise(k: IdKind, value: str) -> str:
    v = str(value).strip()
    if k in (IdKind.PHONE, IdKind.ACCOUNT, IdKind.QQ, IdKind.ID_NUMBER):
        v = _SPACES.sub("", v)
        if k is IdKind.PHONE:
            if v.startswith("+86"):
                v = v[3:]
            elif v.startswith("0086"):
                v = v[4:]
        return v.upper() if k is IdKind.ID_NUMBER else v
    if k in (IdKind.URL, IdKind.DOMAIN):
        v = v.lower()
        return v.rstrip("/") if k is IdKind.URL else v
    if k is IdKind.DEVICE:
        return _SPACES.sub("", v).replace(":", "").upper()
    return v


def _fallback_mask(k: IdKind, v: str) -> str:
    if k is IdKind.PHONE:
        return v[:3] + "****" + v[-4:] if len(v) >= 8 else v[:1] + "****"
    if k in (IdKind.ACCOUNT, IdKind.ID_NUMBER, IdKind.DEVICE):
        return "****" + v[-4:] if len(v) > 4 else "****"
    if k in (IdKind.QQ, IdKind.WECHAT):
        return v[:2] + "****" + v[-2:] if len(v) > 4 else v[:1] + "****"
    if k in (IdKind.URL, IdKind.DOMAIN):
        rest = re.sub(r"^[a-z]+://", "", v)
        return rest.split("/", 1)[0] + ("/…" if "/" in rest else "")
    if k is IdKind.IP:
        parts = v.split(".")
        return ".".join(parts[:2] + ["*", "*"]) if len(parts) == 4 else "****"
    return v[:6] + "…" if len(v) > 6 else v


def normalise(kind: str, value: str) -> str:
    """Canonical text of an identifier (what the keyed hash is computed over)."""
    return canonical(kind, value)[1]


@lru_cache(maxsize=8)
def _hmac_base(secret: bytes) -> hmac.HMAC:
    return hmac.new(secret, digestmod=hashlib.sha256)


def keyed_hash(kind: str, value: str, secret: bytes) -> str:
    """HMAC-SHA256 over ``kind:value`` for an already canonical (kind, value).

    Same value as ``fanzha.domain.identifiers.hash_normalised`` (a test checks it); the keyed
    inner/outer state is computed once per secret and copied, which halves the cost on the hot path.
    """
    h = _hmac_base(secret).copy()
    h.update(f"{kind}:{value}".encode())
    return h.hexdigest()


def key_of(kind: str, value: str, secret: bytes) -> str:
    """Normalise then hash: the registry key of a raw identifier."""
    if kind == "account" and isinstance(value, str):
        plain = _plain_account(value)  # cheaper than a (usually missing) lru_cache entry
        if plain is not None:
            return keyed_hash(plain[0], plain[1], secret)
    ck, v, _ = canonical(kind, value)
    return keyed_hash(ck, v, secret)


def mask(kind: str, value: str) -> str:
    """What screens and logs show (138****5678, 6222 **** **** 1234, …)."""
    return canonical(kind, value)[2]


def hash_prefix(key_hash: str) -> int:
    """The first 8 bytes of a keyed hash as a signed 64-bit int (the in-memory index key)."""
    return int.from_bytes(bytes.fromhex(key_hash[:16]), "big", signed=True)
