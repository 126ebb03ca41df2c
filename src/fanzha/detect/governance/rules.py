"""Card and account governance checks of the Anti-Telecom-and-Online-Fraud Law (DOMAIN.md §6).

Each check is one SQL query over the lake (DuckDB relations of ``sim_issuance``, ``account_opening``,
``call``, ``sms``, ``transfer``, ``public_report``) and yields findings naming the rule, its legal
basis, the records behind it and what the law requires next.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb

from fanzha.detect.findings import Finding
from fanzha.domain.limits import LIMITS, Limits
from fanzha.domain.taxonomy import RiskLevel

LAW = "《中华人民共和国反电信网络诈骗法》"
APPEAL = "书面告知限制原因、申诉渠道及所需材料；核验通过后立即恢复（第三十二条）"


@dataclass(frozen=True)
class GovRule:
    rule_id: str
    title: str
    legal_basis: str
    next_action: str
    grade: RiskLevel


RULES: dict[str, GovRule] = {
    r.rule_id: r
    for r in (
        GovRule(
            "GOV-CARD-LIMIT",
            "同一人在同一运营商办理电话卡超过限额",
            f"{LAW}第九条、第十条（电话卡实名制，监测识别涉诈异常办卡）；行业规范：一证一运营商不超过5张",
            "24小时内重新实名核验；未按期核验或核验不通过的限制、暂停有关电话卡功能；" + APPEAL,
            RiskLevel.MEDIUM,
        ),
        GovRule(
            "GOV-ACCT-CLASS1",
            "同一人在同一银行开立多个Ⅰ类账户",
            f"{LAW}第十五条、第十六条（开户实名核验；人民银行一人一行一个Ⅰ类户）",
            "核实开户情况，暂停新增开户，对多余账户重新核验或降级/销户；" + APPEAL,
            RiskLevel.MEDIUM,
        ),
        GovRule(
            "GOV-BULK-OPEN",
            "同一网点/代理短时间内集中开卡或开户",
            f"{LAW}第九条、第十条、第十五条（监测识别异常办卡、开户）",
            "暂停该网点/代理业务并核查；对批量办理的卡和账户24小时内重新实名核验；" + APPEAL,
            RiskLevel.HIGH,
        ),
        GovRule(
            "GOV-IOT-VOICE",
            "物联网卡用于语音或短信",
            f"{LAW}第十二条（物联网卡用户风险评估、功能最小化，核查异常使用）",
            "立即限制该卡语音/短信功能并核查用户；" + APPEAL,
            RiskLevel.HIGH,
        ),
        GovRule(
            "GOV-IOT-DEVICE",
            "物联网卡更换使用设备",
            f"{LAW}第十二条（物联网卡与设备绑定，机卡分离应核查）",
            "暂停该卡，核实使用主体和设备后恢复；" + APPEAL,
            RiskLevel.MEDIUM,
        ),
        GovRule(
            "GOV-DORMANT",
            "开户后6个月无交易",
            f"{LAW}第十七条（异常账户监测）；人民银行：开户6个月无交易的暂停非柜面业务",
            "暂停非柜面业务，本人重新核验后恢复；" + APPEAL,
            RiskLevel.LOW,
        ),
        GovRule(
            "GOV-PHONE-SHARED",
            "同一手机号绑定多人账户",
            f"{LAW}第十六条、第十七条（账户实名与异常账户监测）",
            "核实绑定关系，解除非本人绑定并重新核验相关账户；" + APPEAL,
            RiskLevel.MEDIUM,
        ),
        GovRule(
            "GOV-SELLER",
            "名下电话卡/账户多次涉诈（疑似买卖、出租、出借）",
            f"{LAW}第三十一条（禁止非法买卖、出租、出借电话卡、银行账户）；"
            "惩戒期限按有关规定（两年/三年）",
            "限制其名下电话卡和账户功能、限制新开；依法移送公安机关；" + APPEAL,
            RiskLevel.HIGH,
        ),
    )
}


@dataclass
class GovContext:
    con: duckdb.DuckDBPyConnection
    rel: Callable[[str], str]  # kind -> FROM clause already restricted to the run's range
    all_rel: Callable[[str], str]  # kind -> FROM clause of all history
    until: datetime
    limits: Limits = LIMITS
    bulk_per_hour: int = 20
    phone_people: int = 3


def _finding(
    rule: GovRule, kind: str, value: str, reason: str, ids: list, now: datetime, score: float
) -> Finding:
    return Finding(
        entity_kind=kind,
        entity_value=str(value),
        detector="governance",
        score=score,
        grade=rule.grade,
        reasons=(f"{rule.title}：{reason}",),
        evidence=tuple(str(i) for i in ids[:200]),
        detected_at=now,
        legal_basis=rule.legal_basis,
        next_action=rule.next_action,
        rule_id=rule.rule_id,
    )


def _rows(ctx: GovContext, sql: str) -> list[tuple]:
    return ctx.con.sql(sql).fetchall()


def run_governance(ctx: GovContext, now: datetime) -> list[Finding]:
    L = ctx.limits
    out: list[Finding] = []
    R = RULES
    for person, op, n, ids in _rows(
        ctx,
        f"""
        SELECT person_id, operator, count(DISTINCT number), list(event_id)
        FROM {ctx.all_rel("sim_issuance")} GROUP BY person_id, operator
        HAVING count(DISTINCT number) > {L.max_cards_per_operator}""",
    ):
        out.append(
            _finding(
                R["GOV-CARD-LIMIT"],
                "person",
                person,
                f"在{op}办理{n}张（上限{L.max_cards_per_operator}张）",
                ids,
                now,
                0.6,
            )
        )
    for person, bank, n, ids in _rows(
        ctx,
        f"""
        SELECT person_id, institution, count(DISTINCT account), list(event_id)
        FROM {ctx.all_rel("account_opening")} WHERE account_class = 'I'
        GROUP BY person_id, institution
        HAVING count(DISTINCT account) > {L.max_class1_accounts_per_bank}""",
    ):
        out.append(
            _finding(R["GOV-ACCT-CLASS1"], "person", person, f"在{bank}有{n}个Ⅰ类户", ids, now, 0.6)
        )
    for kind, col, what in (
        ("sim_issuance", "outlet", "张卡"),
        ("sim_issuance", "agent", "张卡"),
        ("account_opening", "outlet", "个账户"),
    ):
        for who, hour, n, ids in _rows(
            ctx,
            f"""
            SELECT {col}, date_trunc('hour', event_time) AS h, count(*), list(event_id)
            FROM {ctx.rel(kind)} WHERE {col} IS NOT NULL GROUP BY {col}, h
            HAVING count(*) >= {ctx.bulk_per_hour}""",
        ):
            ent = "agent" if col == "agent" else "outlet"
            out.append(
                _finding(
                    R["GOV-BULK-OPEN"],
                    ent,
                    who,
                    f"{hour:%Y-%m-%d %H}时一小时内办理{n}{what}",
                    ids,
                    now,
                    0.85,
                )
            )
    for number, n, ids in _rows(
        ctx,
        f"""
        SELECT caller, count(*), list(event_id) FROM {ctx.rel("call")}
        WHERE caller_card_type = 'iot' GROUP BY caller""",
    ):
        out.append(_finding(R["GOV-IOT-VOICE"], "number", number, f"语音通话{n}次", ids, now, 0.9))
    for number, n, ids in _rows(
        ctx,
        f"""
        SELECT sender, count(*), list(event_id) FROM {ctx.rel("sms")}
        WHERE sender_card_type = 'iot' GROUP BY sender""",
    ):
        out.append(_finding(R["GOV-IOT-VOICE"], "number", number, f"发送短信{n}条", ids, now, 0.8))
    for number, n, ids in _rows(
        ctx,
        f"""
        SELECT caller, count(DISTINCT imei), list(event_id) FROM {ctx.rel("call")}
        WHERE caller_card_type = 'iot' AND imei IS NOT NULL GROUP BY caller
        HAVING count(DISTINCT imei) > 1""",
    ):
        out.append(
            _finding(R["GOV-IOT-DEVICE"], "number", number, f"出现在{n}台设备上", ids, now, 0.7)
        )
    out += dormant_accounts(ctx, now)
    for phone, n, ids in _rows(
        ctx,
        f"""
        SELECT bound_phone, count(DISTINCT person_id), list(event_id)
        FROM {ctx.all_rel("account_opening")} WHERE bound_phone IS NOT NULL GROUP BY bound_phone
        HAVING count(DISTINCT person_id) >= {ctx.phone_people}""",
    ):
        out.append(
            _finding(R["GOV-PHONE-SHARED"], "phone", phone, f"绑定{n}人的账户", ids, now, 0.6)
        )
    for person, n, ids in _rows(
        ctx,
        f"""
        WITH owned AS (
            SELECT person_id, number AS value, event_id FROM {ctx.all_rel("sim_issuance")}
            UNION ALL
            SELECT person_id, account AS value, event_id FROM {ctx.all_rel("account_opening")}
        )
        SELECT o.person_id, count(DISTINCT o.value), list(DISTINCT r.event_id)
        FROM owned o JOIN {ctx.all_rel("public_report")} r ON r.target_value = o.value
        GROUP BY o.person_id HAVING count(DISTINCT o.value) >= {L.card_seller_threshold}""",
    ):
        out.append(
            _finding(
                R["GOV-SELLER"], "person", person, f"名下{n}张卡/个账户被举报涉诈", ids, now, 0.85
            )
        )
    return out


def dormant_accounts(ctx: GovContext, now: datetime) -> list[Finding]:
    """Accounts with no transfer in the first ``dormant_account_days`` after opening.

    Only accounts whose whole first period lies inside the transfer data we hold can be judged:
    opened on or after the earliest transfer in the lake and at least the period before ``until``.
    An old account that merely has no transfer in a short lake window is not dormant evidence.
    """
    L = ctx.limits
    days = L.dormant_account_days
    ((first,),) = ctx.con.sql(f"SELECT min(event_time) FROM {ctx.all_rel('transfer')}").fetchall()
    if first is None:
        return []
    cutoff = ctx.until - timedelta(days=days)
    if first > cutoff:
        return []
    rows = _rows(
        ctx,
        f"""
        WITH o AS (
            SELECT account, min(event_time) AS opened, min(event_id) AS eid
            FROM {ctx.all_rel("account_opening")} GROUP BY account
        ),
        judged AS (
            SELECT * FROM o WHERE opened >= TIMESTAMPTZ '{first.isoformat()}'
                              AND opened < TIMESTAMPTZ '{cutoff.isoformat()}'
        ),
        legs AS (
            SELECT payer_account AS account, event_time FROM {ctx.all_rel("transfer")}
            WHERE payer_account IN (SELECT account FROM judged)
            UNION ALL
            SELECT payee_account AS account, event_time FROM {ctx.all_rel("transfer")}
            WHERE payee_account IN (SELECT account FROM judged)
        ),
        used AS (
            SELECT DISTINCT j.account FROM judged j JOIN legs l USING (account)
            WHERE l.event_time < j.opened + INTERVAL {days} DAY
        )
        SELECT account, opened, eid FROM judged WHERE account NOT IN (SELECT account FROM used)
        ORDER BY account""",
    )
    return [
        _finding(
            RULES["GOV-DORMANT"],
            "account",
            acct,
            f"{opened:%Y-%m-%d}开户后{days}天内无交易（数据覆盖该期间）",
            [eid],
            now,
            0.3,
        )
        for acct, opened, eid in rows
    ]
