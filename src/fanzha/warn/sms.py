"""12381-style warning SMS and app-inbox texts: Chinese, per category, tail digits only.

They never carry a link or a number to call (DOMAIN.md §2): the person must not be taught to trust
links or numbers in messages.
"""

from __future__ import annotations

import re

from fanzha.domain.taxonomy import FRAUD_TYPE_TO_12381, FraudType, Sms12381Category

_ADVICE: dict[Sms12381Category, str] = {
    Sms12381Category.LOAN: "正规贷款放款前不收任何费用，“解冻费”“保证金”都是骗局",
    Sms12381Category.SHUADAN: "刷单返利都是诈骗，先给小额返利再诱你大额垫付",
    Sms12381Category.AUTHORITY: "公检法机关不会电话办案，更没有“安全账户”，切勿转账",
    Sms12381Category.PIG_BUTCHERING: "网上交友遇到带你投资、借钱的，一定是诈骗",
    Sms12381Category.CUSTOMER_SERVICE: "自称客服说要退款理赔、关闭会员的，是诈骗，切勿提供验证码或共享屏幕",
    Sms12381Category.INVESTMENT: "所谓导师带单、内幕消息、平台漏洞都是诈骗，切勿充值",
    Sms12381Category.ACQUAINTANCE: "“领导”“熟人”换号要求转账，务必当面或视频核实",
    Sms12381Category.CREDIT: "注销校园贷、修复征信是诈骗，征信不能被人为修改",
    Sms12381Category.GAME: "游戏装备交易请走官方平台，私下交易、缴纳解冻费都是诈骗",
}

_LINKS = re.compile(r"(https?://|www\.|\d{5,})", re.IGNORECASE)


def category_for(fraud_type: str) -> Sms12381Category:
    try:
        return FRAUD_TYPE_TO_12381[FraudType(fraud_type)]
    except ValueError:
        return Sms12381Category.SHUADAN


def tail_digits(value: str | None, n: int = 4) -> str:
    digits = re.sub(r"\D", "", value or "")
    return digits[-n:] if digits else ""


def warning_sms(fraud_type: str, counterpart: str | None, counterpart_kind: str = "phone") -> str:
    """The SMS text; ``counterpart`` is the fraud identifier (only its tail digits are shown)."""
    cat = category_for(fraud_type)
    tail = tail_digits(counterpart)
    if counterpart_kind in ("url", "domain", "app_id"):
        source = "您近期访问的网站或安装的应用"
    elif tail:
        what = "账户" if counterpart_kind in ("bank_card", "payment_account") else "号码"
        source = f"与您联系的{what}（尾号{tail}）"
    else:
        source = "与您联系的对象"
    text = (
        f"【反诈预警】{source}涉嫌{cat.value}类诈骗。{_ADVICE[cat]}。如有疑问请到就近派出所咨询。"
    )
    if _LINKS.search(text):
        raise ValueError("warning SMS must not contain links or dialable numbers")
    return text
