"""Identifier kinds, normalisation, masking and the keyed hash the registry is keyed by.

The registry never keys by raw value: every organisation matches identifiers by
HMAC-SHA256(platform secret, "<kind>:<normalised value>"). ``fanzha.domain.identifiers`` owns the
canonical implementation; while it is absent this module computes the same construction itself, in
:func:`keyed_hash` only, so switching is one place.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from enum import StrEnum


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

try:  # the canonical module, written by the domain room
    from fanzha.domain import identifiers as _ids  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - depends on the other room's progress
    _ids = None

_SPACES = re.compile(r"[\s\-_()（）]")


def parse_kind(kind: str) -> IdKind:
    try:
        return IdKind(kind.strip().lower())
    except ValueError:
        allowed = ", ".join(k.value for k in IdKind)
        raise ValueError(f"kind: unknown identifier kind {kind!r}; expected one of {allowed}") from None


def normalise(kind: str, value: str) -> str:
    """Canonical text of an identifier (the value the keyed hash is computed over)."""
    k = parse_kind(kind)
    if _ids is not None and hasattr(_ids, "normalise"):
        try:
            return str(_ids.normalise(k.value, value))
        except (ValueError, KeyError, TypeError):
            pass
    v = value.strip()
    if k in (IdKind.PHONE, IdKind.ACCOUNT, IdKind.QQ, IdKind.ID_NUMBER):
        v = _SPACES.sub("", v)
        if k is IdKind.PHONE:
            if v.startswith("+86"):
                v = v[3:]
            elif v.startswith("0086"):
                v = v[4:]
        if k is IdKind.ID_NUMBER:
            v = v.upper()
        return v
    if k in (IdKind.URL, IdKind.DOMAIN):
        v = v.lower()
        if k is IdKind.URL:
            v = v.rstrip("/")
        return v
    if k is IdKind.DEVICE:
        return _SPACES.sub("", v).replace(":", "").upper()
    return v


def keyed_hash(kind: str, value: str, secret: bytes) -> str:
    """HMAC-SHA256 over ``kind:value`` (value already normalised), hex."""
    if _ids is not None and hasattr(_ids, "keyed_hash"):
        return str(_ids.keyed_hash(kind, value, secret))
    return hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def key_of(kind: str, value: str, secret: bytes) -> str:
    """Normalise then hash: the registry key of a raw identifier."""
    k = parse_kind(kind).value
    return keyed_hash(k, normalise(k, value), secret)


def mask(kind: str, value: str) -> str:
    """What screens and logs show (138****5678, ****1234, evil.example/…)."""
    k = parse_kind(kind)
    if _ids is not None and hasattr(_ids, "mask"):
        try:
            return str(_ids.mask(k.value, value))
        except (ValueError, KeyError, TypeError):
            pass
    v = normalise(k, value)
    if k is IdKind.PHONE:
        return v[:3] + "****" + v[-4:] if len(v) >= 8 else v[:1] + "****"
    if k in (IdKind.ACCOUNT, IdKind.ID_NUMBER, IdKind.DEVICE):
        return "****" + v[-4:] if len(v) > 4 else "****"
    if k in (IdKind.QQ, IdKind.WECHAT):
        return v[:2] + "****" + v[-2:] if len(v) > 4 else v[:1] + "****"
    if k in (IdKind.URL, IdKind.DOMAIN):
        host = re.sub(r"^[a-z]+://", "", v).split("/", 1)[0]
        return host + ("/…" if "/" in re.sub(r"^[a-z]+://", "", v) else "")
    if k is IdKind.IP:
        parts = v.split(".")
        return ".".join(parts[:2] + ["*", "*"]) if len(parts) == 4 else "****"
    return v[:6] + "…" if len(v) > 6 else v


def hash_prefix(key_hash: str) -> int:
    """The first 8 bytes of a keyed hash as a signed 64-bit int (the in-memory index key)."""
    return int.from_bytes(bytes.fromhex(key_hash[:16]), "big", signed=True)
