"""Payment-account identifiers (Alipay / WeChat Pay style).

Rule (one value per account, the platform is context, not identity):

- an optional platform prefix ``alipay:``/``支付宝:``/``wechatpay:``/``微信:``/... is read into
  ``attrs["platform"]`` and dropped from the value, because the public reports accounts with and
  without the platform and matching must not depend on it;
- a mainland mobile number (any form ``mobile`` accepts) → its 11 digits, ``account_type=mobile``;
- an e-mail address → lower-cased, ``account_type=email``;
- ``2088`` + 12 digits → Alipay user/partner id (``account_type=alipay_uid``, platform alipay);
- 10 digits starting with 1 → WeChat Pay merchant number (``account_type=wechatpay_mch_id``).

Anything else is rejected: bank cards have their own kind.
"""

from __future__ import annotations

import re

from fanzha.domain.identifiers._base import Invalid, keep_ends, prep
from fanzha.domain.identifiers.phone import mask_mobile, parse_mobile

_PLATFORMS = {
    "alipay": "alipay",
    "支付宝": "alipay",
    "zfb": "alipay",
    "wechatpay": "wechatpay",
    "wechat": "wechatpay",
    "weixin": "wechatpay",
    "wxpay": "wechatpay",
    "wx": "wechatpay",
    "微信": "wechatpay",
    "微信支付": "wechatpay",
    "tenpay": "wechatpay",
    "财付通": "wechatpay",
    "unionpay": "unionpay",
    "云闪付": "unionpay",
    "jdpay": "jdpay",
    "京东支付": "jdpay",
    "douyinpay": "douyinpay",
    "抖音支付": "douyinpay",
}
_PREFIX = re.compile(r"([A-Za-z\u4e00-\u9fff]+)\s*[:：]\s*")
_EMAIL = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)
_ALIPAY_UID = re.compile(r"2088\d{12}")
_MCH_ID = re.compile(r"1\d{9}")
_SEPARATORS = re.compile(r"[\s\-]+")


def parse_payment_account(raw: object) -> tuple[str, dict[str, str]]:
    text = prep(raw)
    attrs: dict[str, str] = {}
    m = _PREFIX.match(text)
    if m:
        platform = _PLATFORMS.get(m.group(1).lower())
        if platform is None:
            raise Invalid("bad_platform", f"unknown platform {m.group(1)!r}")
        attrs["platform"] = platform
        text = text[m.end() :]
        if not text:
            raise Invalid("empty")
    if "@" in text:
        email = text.lower()
        if len(email) > 254 or not _EMAIL.fullmatch(email):
            raise Invalid("bad_format", "not a valid e-mail address")
        attrs["account_type"] = "email"
        attrs["email_domain"] = email.rpartition("@")[2]
        return email, attrs
    compact = _SEPARATORS.sub("", text)
    if _ALIPAY_UID.fullmatch(compact):
        attrs["account_type"] = "alipay_uid"
        attrs.setdefault("platform", "alipay")
        return compact, attrs
    if _MCH_ID.fullmatch(compact):
        attrs["account_type"] = "wechatpay_mch_id"
        attrs.setdefault("platform", "wechatpay")
        return compact, attrs
    try:
        value, mobile_attrs = parse_mobile(text)
    except Invalid as exc:
        raise Invalid(
            "bad_format",
            "expected a mobile number, e-mail, 2088… Alipay id or 10-digit merchant id",
        ) from exc
    attrs["account_type"] = "mobile"
    attrs["operator"] = mobile_attrs["operator"]
    return value, attrs


def mask_payment_account(value: str) -> str:
    if "@" in value:
        local, _, domain = value.rpartition("@")
        return local[:1] + "***@" + domain
    if len(value) == 16:  # Alipay id
        return keep_ends(value, 4, 4)
    if len(value) == 10:  # merchant id
        return keep_ends(value, 2, 2)
    return mask_mobile(value)
