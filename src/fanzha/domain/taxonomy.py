"""Fraud taxonomy and risk levels (DOMAIN.md §2, §3), held as data."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class FraudType(StrEnum):
    """The police platform's 12 case categories plus 其他 (DOMAIN.md §2)."""

    SHUADAN = "刷单返利类"
    FAKE_CUSTOMER_SERVICE = "冒充电商物流客服类"
    FAKE_INVESTMENT = "虚假网络投资理财类"
    FAKE_LOAN = "贷款、代办信用卡类"
    FAKE_CREDIT = "虚假征信类"
    FAKE_SHOPPING = "虚假购物、服务类"
    IMPERSONATE_AUTHORITY = "冒充公检法及政府机关类"
    IMPERSONATE_ACQUAINTANCE = "冒充领导、熟人类"
    GAME_TRADE = "网络游戏产品虚假交易类"
    ROMANCE = "网络婚恋、交友类"
    IMPERSONATE_MILITARY = "冒充军警购物类"
    WANGHEI = "网黑案件"
    OTHER = "其他类型"


class Sms12381Category(StrEnum):
    """The 9 categories used by 12381 warning SMS (DOMAIN.md §2)."""

    LOAN = "贷款"
    SHUADAN = "刷单返利"
    AUTHORITY = "冒充公检法"
    PIG_BUTCHERING = "杀猪盘"
    CUSTOMER_SERVICE = "冒充客服"
    INVESTMENT = "虚假投资理财"
    ACQUAINTANCE = "冒充熟人领导"
    CREDIT = "虚假征信"
    GAME = "游戏交易"


FRAUD_TYPE_TO_12381: dict[FraudType, Sms12381Category] = {
    FraudType.SHUADAN: Sms12381Category.SHUADAN,
    FraudType.FAKE_CUSTOMER_SERVICE: Sms12381Category.CUSTOMER_SERVICE,
    FraudType.FAKE_INVESTMENT: Sms12381Category.INVESTMENT,
    FraudType.FAKE_LOAN: Sms12381Category.LOAN,
    FraudType.FAKE_CREDIT: Sms12381Category.CREDIT,
    FraudType.FAKE_SHOPPING: Sms12381Category.CUSTOMER_SERVICE,
    FraudType.IMPERSONATE_AUTHORITY: Sms12381Category.AUTHORITY,
    FraudType.IMPERSONATE_ACQUAINTANCE: Sms12381Category.ACQUAINTANCE,
    FraudType.GAME_TRADE: Sms12381Category.GAME,
    FraudType.ROMANCE: Sms12381Category.PIG_BUTCHERING,
    FraudType.IMPERSONATE_MILITARY: Sms12381Category.AUTHORITY,
    FraudType.WANGHEI: Sms12381Category.LOAN,
    FraudType.OTHER: Sms12381Category.SHUADAN,
}


class RiskLevel(IntEnum):
    """Registry grades, ordered so that comparisons mean 'riskier than'."""

    NONE = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def label(self) -> str:
        return {0: "无风险", 1: "低风险", 2: "中风险", 3: "高风险"}[int(self)]


class WarningLevel(IntEnum):
    """Warning levels: national 高/中/低 plus the widely copied 紧急 (DOMAIN.md §3)."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    URGENT = 4

    @property
    def label(self) -> str:
        return {1: "低", 2: "中", 3: "高", 4: "紧急"}[int(self)]


class SuspiciousCode(StrEnum):
    """Banks' suspicious-list codes (DOMAIN.md §7)."""

    FREQUENT_OPENING = "1001"
    CUMULATIVE_OPENING = "1002"
    CASE_ACCOUNT = "2001"
    ATTEMPTED_FRAUD = "3001"
    VICTIM_REPORTED = "3002"
    BANK_REPORTED = "3003"
    PAYEE_IN_CASE = "3004"
    PAYER_IN_CASE = "3005"
    SCATTER_IN_GATHER_OUT = "3006"
    GATHER_IN_SCATTER_OUT = "3007"
    CONSECUTIVE_TRANSACTIONS = "3008"
    OTHER = "9999"

    @property
    def label(self) -> str:
        return SUSPICIOUS_CODE_LABELS[self]


SUSPICIOUS_CODE_LABELS: dict[SuspiciousCode, str] = {
    SuspiciousCode.FREQUENT_OPENING: "频繁开户",
    SuspiciousCode.CUMULATIVE_OPENING: "累计开户",
    SuspiciousCode.CASE_ACCOUNT: "涉案账户",
    SuspiciousCode.ATTEMPTED_FRAUD: "诈骗未遂",
    SuspiciousCode.VICTIM_REPORTED: "受害人举报疑似诈骗",
    SuspiciousCode.BANK_REPORTED: "银行举报疑似诈骗",
    SuspiciousCode.PAYEE_IN_CASE: "收方涉案",
    SuspiciousCode.PAYER_IN_CASE: "付方涉案",
    SuspiciousCode.SCATTER_IN_GATHER_OUT: "分散转入集中转出",
    SuspiciousCode.GATHER_IN_SCATTER_OUT: "集中转入分散转出",
    SuspiciousCode.CONSECUTIVE_TRANSACTIONS: "连续多笔交易",
    SuspiciousCode.OTHER: "其他",
}
