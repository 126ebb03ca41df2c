"""Normalise noisy Chinese chat/SMS text before features and keyword matching.

Real fraud chats dodge filters: full-width letters, emoji and spaces inside keywords
("安 全 账 户"), homophones and pinyin ("V信", "扣扣", "zhuan账"), Chinese numerals for digits.
``normalize`` maps these to one canonical form; it is cheap (a few regex passes per message).
"""

from __future__ import annotations

import re
import unicodedata

# Emoji, pictographs, dingbats, variation selectors, zero-width and other invisible characters.
_INVISIBLE = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe00-\ufe0f\u200b-\u200f\u2060-\u2064"
    "\ufeff\u00ad\u3000\\s\u2190-\u21ff\u25a0-\u25ff\u2700-\u27bf\u02c6-\u02dc"
    "*~`^_|\\\\\"'·•…—–\\-=+#@<>{}\\[\\]()（）《》「」『』〈〉“”‘’、]+"
)
# Runs of Chinese numerals used to spell phone/QQ/card numbers ("幺三八…").
_CN_DIGITS = str.maketrans("零〇一二三四五六七八九幺两洞", "0012345678912" + "0")
_CN_DIGIT_RUN = re.compile("[零〇一二三四五六七八九幺洞]{4,}")

# (pattern, canonical) — applied after NFKC + lower-casing + invisible removal.
_DODGES: list[tuple[str, str]] = [
    (r"(?:v|w|威|薇|微|维|徽|卫|唯|vi)(?:信|x|xin|❤)|vx|wx|weixin|wechat|徽信|威x", "微信"),
    (r"扣扣|抠抠|企鹅号|qq号?|口口号", "qq"),
    (r"(?:zhuan|砖|传)(?:账|帐|zhang)|转(?:帐|zhang)|zhuanzhang", "转账"),
    (r"(?:yin|银)(?:hang|航)|yinhang", "银行"),
    (r"(?:shua|唰)(?:单|dan)|刷dan|shuadan", "刷单"),
    (r"(?:fan|饭)利|返li|fanli", "返利"),
    (r"(?:dai|带)(?:款|kuan)|贷kuan|daikuan", "贷款"),
    (r"(?:jie|借|姐)(?:冻|dong)|解dong|jiedong", "解冻"),
    (r"(?:yan|验)(?:证|zheng)(?:码|ma|吗|马)|验正码|yzm|yanzhengma", "验证码"),
    (r"安全(?:帐|zhang)(?:户|hu)|anquanzhanghu|an全账户", "安全账户"),
    (r"(?:bao|保)(?:证|zheng)(?:金|jin)|baozhengjin", "保证金"),
    (r"(?:zheng|徵|正)信|zhengxin", "征信"),
    (r"公(?:jian|建)法|gongjianfa", "公检法"),
    (r"(?:ping|屏)(?:幕|mu)(?:共|gong)(?:享|xiang)|屏幕分享", "屏幕共享"),
    (r"(?:帐|zhang)(?:户|号|hu)", "账户"),
    (r"(?:jian|兼)(?:职|zhi)", "兼职"),
    (r"(?:dong|冻)(?:结|jie)", "冻结"),
    (r"(?:xi|洗)(?:钱|qian)", "洗钱"),
    (r"(?:tui|退)(?:款|kuan)", "退款"),
    (r"(?:li|理)(?:赔|pei)", "理赔"),
    (r"(?:dao|导)(?:师|shi)", "导师"),
    (r"(?:tou|投)(?:资|zi)", "投资"),
    (r"(?:ke|客)(?:服|fu)", "客服"),
]
# Each alternative is a non-capturing group so one combined regex can report which one matched.
# The lookahead lists every first character of the alternatives: most positions fail at once.
_FIRST = "vw威薇微维徽卫唯扣抠企q口z砖传转y银s唰刷f饭返d带贷j借姐解验安ab保徵正公gp屏帐兼冻x洗t退l理导投k客"
_DODGE_RE = re.compile(f"(?=[{_FIRST}])(?:" + "|".join(f"({p})" for p, _ in _DODGES) + ")")
_DODGE_OUT = [c for _, c in _DODGES]


def _dodge(m: re.Match[str]) -> str:
    return _DODGE_OUT[m.lastindex - 1]  # type: ignore[operator]


def _cn_digits(m: re.Match[str]) -> str:
    return m.group(0).translate(_CN_DIGITS)


def normalize(text: str | None) -> str:
    """Canonical form used for both features and evidence: NFKC, lower case, no spaces/emoji."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKC", text).lower()
    t = _INVISIBLE.sub("", t)
    t = _CN_DIGIT_RUN.sub(_cn_digits, t)
    return _DODGE_RE.sub(_dodge, t)


_DIGIT = re.compile(r"\d")


def for_features(normalized: str) -> str:
    """Digits carry no type information beyond their count: map them all to 0."""
    return _DIGIT.sub("0", normalized)
