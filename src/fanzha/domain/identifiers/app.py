"""Apps: Android package names and APK SHA-256 digests."""

from __future__ import annotations

import re

from fanzha.domain.identifiers._base import Invalid, prep

_SEGMENT = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_PLAY_ID = re.compile(r"[?&]id=([^&#]+)")
_HEX_SEPARATORS = re.compile(r"[\s:\-]+")
_HEX64 = re.compile(r"[0-9a-f]{64}")

# A few apps every analyst recognises (impersonation targets and the national anti-fraud app).
KNOWN_APPS = {
    "com.tencent.mm": "微信",
    "com.tencent.mobileqq": "QQ",
    "com.eg.android.AlipayGphone": "支付宝",
    "com.unionpay": "云闪付",
    "com.hicorenational.antifraud": "国家反诈中心",
    "com.ss.android.ugc.aweme": "抖音",
    "com.taobao.taobao": "淘宝",
    "com.jingdong.app.mall": "京东",
    "com.icbc": "中国工商银行",
    "com.chinamworld.main": "中国建设银行",
    "com.android.bankabc": "中国农业银行",
    "com.chinamworld.bocmbci": "中国银行",
    "cmb.pb": "招商银行",
}


def parse_app_id(raw: object) -> tuple[str, dict[str, str]]:
    """Android rules: ≥2 dot-separated segments, each starting with a letter, [A-Za-z0-9_];
    case is kept (package names are case-sensitive). A Play Store link is read for its ``id=``."""
    text = prep(raw)
    attrs: dict[str, str] = {}
    if "://" in text or text.startswith("play.google.com"):
        m = _PLAY_ID.search(text)
        if not m:
            raise Invalid("bad_format", "store link without id=")
        text = m.group(1)
        attrs["from_store_link"] = "true"
    if len(text) > 255:
        raise Invalid("bad_length", f"package names have at most 255 characters, got {len(text)}")
    segments = text.split(".")
    if len(segments) < 2:
        raise Invalid("bad_format", "package names have at least two dot-separated segments")
    for seg in segments:
        if not _SEGMENT.fullmatch(seg):
            raise Invalid(
                "bad_format", f"segment {seg!r} must start with a letter, then [A-Za-z0-9_]"
            )
    attrs["vendor"] = ".".join(segments[:2])
    name = KNOWN_APPS.get(text)
    if name:
        attrs["app_name"] = name
    return text, attrs


def mask_app_id(value: str) -> str:
    return value  # package names are public


def parse_apk_sha256(raw: object) -> tuple[str, dict[str, str]]:
    text = prep(raw).lower()
    if text.startswith("sha256:") or text.startswith("sha-256:"):
        text = text.partition(":")[2]
    digest = _HEX_SEPARATORS.sub("", text)
    if len(digest) != 64:
        raise Invalid("bad_length", f"expected 64 hex characters, got {len(digest)}")
    if not _HEX64.fullmatch(digest):
        raise Invalid("bad_chars", "only hexadecimal characters allowed")
    return digest, {}


def mask_apk_sha256(value: str) -> str:
    return value  # a file digest reveals nothing about a person
