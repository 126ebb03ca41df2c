"""Red-flag phrases (DOMAIN.md §2): what each signals and which fraud type it points to.

Patterns are matched against :func:`fanzha.detect.text.normalize.normalize` output, so dodges such
as "安 全 帐 户" or "V信" are already in canonical form. A phrase is evidence, not a verdict: 验证码
also appears in every genuine login SMS; the model decides, the lexicon explains.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fanzha.domain.taxonomy import FraudType as F


@dataclass(frozen=True)
class Cue:
    pattern: str
    signal: str  # what it signals, in Chinese, for the evidence column
    fraud_type: F | None  # the type it points to, None when it is cross-type
    weight: float = 1.0  # how strongly it points to that type (for type hints only)


CUES: tuple[Cue, ...] = (
    # 冒充公检法及政府机关
    Cue("安全账户", '冒充公检法: 要求转入"安全账户"', F.IMPERSONATE_AUTHORITY, 3),
    Cue(
        "涉嫌(?:洗钱|诈骗|犯罪|违法)|洗钱案|涉案",
        "冒充公检法: 称涉嫌案件",
        F.IMPERSONATE_AUTHORITY,
        2,
    ),
    Cue("通缉令|逮捕令|拘捕令|冻结令", "冒充公检法: 出示通缉/逮捕令", F.IMPERSONATE_AUTHORITY, 3),
    Cue("资金核查|资金清查|清查资金", "冒充公检法: 要求资金核查", F.IMPERSONATE_AUTHORITY, 3),
    Cue("(?:公安局|检察院|法院|公检法)", "冒充公检法: 自称公检法机关", F.IMPERSONATE_AUTHORITY, 1),
    Cue(
        "保密|不能告诉(?:家人|任何人)|不要告诉", "要求保密、隔离受害人", F.IMPERSONATE_AUTHORITY, 1
    ),
    Cue(
        "(?:医保|社保)卡?(?:异常|冻结|被盗用)",
        "冒充政府机关: 称医保/社保异常",
        F.IMPERSONATE_AUTHORITY,
        2,
    ),
    # 冒充电商物流客服
    Cue("理赔|退款|双倍赔偿|赔付", "冒充客服: 主动理赔/退款", F.FAKE_CUSTOMER_SERVICE, 1.5),
    Cue(
        "(?:误|自动)开通|百万保障|会员(?:将|会)?扣费|取消(?:会员|自动续费)",
        "冒充客服: 称误开通会员将扣费",
        F.FAKE_CUSTOMER_SERVICE,
        3,
    ),
    Cue("关闭免密支付|免密支付", "冒充客服: 要求关闭免密支付", F.FAKE_CUSTOMER_SERVICE, 2),
    Cue(
        "快递(?:丢失|破损|异常)|包裹(?:丢失|异常)",
        "冒充物流客服: 称快递异常",
        F.FAKE_CUSTOMER_SERVICE,
        2,
    ),
    Cue("芝麻信用|备用金|花呗|借呗", "诱导借贷平台操作", F.FAKE_CUSTOMER_SERVICE, 1),
    # 跨类型
    Cue("验证码|动态码|短信码", "索要验证码", None),
    Cue("屏幕共享|共享屏幕|投屏|会议app|腾讯会议|zoom|视频会议", "要求屏幕共享/会议软件", None),
    Cue("解冻费?|账户冻结|资金冻结|被冻结", "称账户冻结、需交解冻费", None),
    Cue("银行卡号|卡号|密码", "索要银行卡号/密码", None),
    Cue("(?:下载|安装)(?:.{0,6})(?:app|软件|apk)", "诱导下载非官方APP", None),
    Cue("转账|汇款|打款", "要求转账汇款", None),
    Cue("(?:加|添加)(?:我|客服)?(?:的)?(?:微信|qq)", "引导添加社交账号私聊", None),
    Cue("手续费|服务费|工本费|激活费|认证费|税费|刷流水", "先交各种费用", None),
    # 刷单返利
    Cue("刷单|做单|接单|派单", "刷单返利: 刷单/做任务", F.SHUADAN, 3),
    Cue("返利|返佣|佣金|返现", "刷单返利: 承诺返佣", F.SHUADAN, 2),
    Cue("连单|卡单|任务未完成|冲单", "刷单返利: 连单/卡单要求继续充值", F.SHUADAN, 3),
    Cue("点赞|关注.{0,4}(?:返|赚|佣金)|兼职", "刷单返利: 点赞关注兼职", F.SHUADAN, 1.5),
    Cue("垫付|充值越多", "刷单返利: 要求垫付充值", F.SHUADAN, 2),
    # 虚假投资理财
    Cue(
        "导师|带单|内幕|稳赚|平台漏洞|高回报|保本|收益率",
        "虚假投资: 导师带单/稳赚高回报",
        F.FAKE_INVESTMENT,
        2,
    ),
    Cue(
        "(?:虚拟币|数字货币|usdt|比特币|期货|外汇|原始股)",
        "虚假投资: 虚拟币/外汇等投资",
        F.FAKE_INVESTMENT,
        1.5,
    ),
    Cue(
        "系统异常|提现失败|无法提现|审核不通过",
        "虚假投资/贷款: 提现失败需再交钱",
        F.FAKE_INVESTMENT,
        1.5,
    ),
    # 贷款、代办信用卡
    Cue(
        "无抵押|低利息|低息|放款快|秒批|秒到|免息|零门槛|黑户",
        "虚假贷款: 无抵押低息快放款",
        F.FAKE_LOAN,
        2,
    ),
    Cue("保证金|押金", "要求交保证金", F.FAKE_LOAN, 1.5),
    Cue(
        "(?:银行卡号|卡号)填错|流水不足|提额|代办信用卡|办理信用卡|额度",
        "虚假贷款/信用卡: 填错卡号/提额",
        F.FAKE_LOAN,
        1.5,
    ),
    # 虚假征信
    Cue("征信", "虚假征信: 称影响征信", F.FAKE_CREDIT, 2),
    Cue(
        "注销(?:校园贷|学生账户|网贷|账户)|校园贷|学生账户|清零额度|额度清零",
        "虚假征信: 注销校园贷/学生账户",
        F.FAKE_CREDIT,
        3,
    ),
    # 冒充领导熟人
    Cue(
        "换号了|换(?:了)?新号|是我啊|猜猜我是谁|我是你(?:领导|老板|同学|表哥|舅舅)",
        "冒充熟人: 换号/猜猜我是谁",
        F.IMPERSONATE_ACQUAINTANCE,
        3,
    ),
    Cue(
        "(?:领导|老板|董事长|校长).{0,8}(?:转|借|急用)|公账.{0,6}慢|私人账户",
        "冒充领导: 急需转账到私人账户",
        F.IMPERSONATE_ACQUAINTANCE,
        3,
    ),
    Cue("不方便(?:接|视频|通话)|不能视频", "拒绝视频/语音核实", F.IMPERSONATE_ACQUAINTANCE, 2),
    # 游戏交易
    Cue(
        "游戏(?:账号|装备|币|皮肤)|代练|交易猫|账号交易",
        "游戏交易: 场外交易游戏账号/装备",
        F.GAME_TRADE,
        3,
    ),
    Cue("注册费|激活账户", "要求注册费/激活费", F.GAME_TRADE, 1),
    # 婚恋交友
    Cue("亲爱的|宝贝|老公|老婆|网恋|交友", "婚恋交友: 情感诱导", F.ROMANCE, 1),
    # 虚假购物服务
    Cue(
        "低价(?:出售|转让|代购)|特价|内部价|先付款|定金",
        "虚假购物: 低价先付款",
        F.FAKE_SHOPPING,
        1.5,
    ),
    # 冒充军警购物
    Cue("部队|军队|武警|采购|军需", "冒充军警: 部队采购", F.IMPERSONATE_MILITARY, 2),
    # 网黑
    Cue("网黑|黑户贷|口子|强开", "网黑: 黑户口子贷", F.WANGHEI, 2),
    # 中奖/绑架/其他
    Cue("中奖|恭喜您获得|幸运用户|领奖", "称中奖需先交费", F.OTHER, 1.5),
    Cue("绑架|赎金|被扣押", "称家人被绑架索要赎金", F.OTHER, 3),
)

_COMPILED = [(re.compile(c.pattern), c) for c in CUES]


@dataclass(frozen=True)
class Hit:
    phrase: str
    cue: Cue
    start: int


def find_cues(normalized: str) -> list[Hit]:
    """All cue matches in ``normalized`` text, first occurrence per cue, in text order."""
    hits = []
    for rx, cue in _COMPILED:
        m = rx.search(normalized)
        if m:
            hits.append(Hit(m.group(0), cue, m.start()))
    hits.sort(key=lambda h: h.start)
    return hits


def guess_type(hits: list[Hit]) -> F | None:
    """The police type the cues point to most, or None when only cross-type cues matched."""
    score: dict[F, float] = {}
    for h in hits:
        if h.cue.fraud_type is not None:
            score[h.cue.fraud_type] = score.get(h.cue.fraud_type, 0.0) + h.cue.weight
    if not score:
        return None
    return max(score, key=score.get)  # type: ignore[arg-type]
