"""Returning frozen money to victims (2016 rules, Art. 8) — pure computation.

Which basis applies (:func:`plan_return`):

1. ``single_deposit`` — the fund-flow table traces money in the frozen account to exactly one
   claimant: that victim gets back what was traced, at most their loss and the frozen amount.
2. ``traced_by_time`` — several claimants, every one of them traced into the account by
   transaction time: each gets their traced amount (capped at loss). If the traced amounts
   together exceed what is frozen, the frozen amount is split in proportion to them.
3. ``pro_rata`` — otherwise (a claimant without traced money, or no fund-flow table): the frozen
   amount is shared by loss, ``share_i = F × loss_i / Σ loss`` (never above ``loss_i``; when
   ``F ≥ Σ loss`` everyone is made whole), after a **30-day public notice** during which anyone
   may object (``LIMITS.return_notice_days``).

Rounding: every split floors each share and hands the leftover fen one by one to the largest
remainders (ties: the claimant listed first), so the lines sum exactly to the amount split and no
fen is created or lost. What is not returned stays frozen; newly found victims start a new round
(``round_no + 1``) over the remainder. The bank pays within 3 working days of the decision
(``LIMITS.bank_payment_working_days``; Saturdays and Sundays are skipped, public holidays are
not modelled).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from fanzha.domain.limits import LIMITS, Limits
from fanzha.domain.money import format_fen
from fanzha.intercept.tracing import split_largest_remainder

SINGLE = "single_deposit"
BY_TIME = "traced_by_time"
PRO_RATA = "pro_rata"
BASIS_TEXT = {
    SINGLE: "冻结账户内仅有一笔可查明属于被害人的资金（第八条第一项）",
    BY_TIME: "冻结账户内多笔资金可按交易时间查明分别属于各被害人（第八条第二项）",
    PRO_RATA: "冻结资金无法查清归属，按被害人损失比例返还，经三十日公告（第八条第三项）",
}


class ReturnError(ValueError):
    pass


@dataclass(frozen=True)
class Claim:
    """A victim's application: loss not yet made good, and the original remitting account."""

    victim_id: str
    loss_fen: int
    remit_account: str
    victim_name: str | None = None
    traced_fen: int = 0  # this victim's money traced into the frozen account (fund-flow table)


@dataclass(frozen=True)
class ReturnLine:
    victim_id: str
    victim_name: str | None
    remit_account: str
    loss_fen: int
    traced_fen: int
    amount_fen: int


@dataclass(frozen=True)
class Objection:
    by: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class ReturnPlan:
    case_no: str
    account: str
    bank: str
    round_no: int
    basis: str
    frozen_fen: int
    lines: tuple[ReturnLine, ...]
    created_at: datetime
    notice_until: datetime | None
    status: str  # "notice" (pro rata, objections open) or "ready"
    objections: tuple[Objection, ...] = field(default_factory=tuple)

    @property
    def returned_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def remainder_fen(self) -> int:
        return self.frozen_fen - self.returned_fen


def _check(claims: Sequence[Claim], frozen_fen: int) -> None:
    if frozen_fen < 0:
        raise ReturnError("冻结金额不能为负")
    seen = set()
    for c in claims:
        if c.loss_fen <= 0:
            raise ReturnError(f"被害人 {c.victim_id} 的损失金额必须为正")
        if c.traced_fen < 0:
            raise ReturnError(f"被害人 {c.victim_id} 的可追溯金额不能为负")
        if c.victim_id in seen:
            raise ReturnError(f"被害人 {c.victim_id} 重复申请")
        seen.add(c.victim_id)


def _capped_split(total: int, weights: list[int], caps: list[int]) -> list[int]:
    """Split ``total`` by ``weights`` (largest remainder), never above ``caps`` (weights ≤ caps
    and total ≤ Σ weights guarantee it: each share is at most ceil(total·w/Σw) ≤ w ≤ cap)."""
    if total == 0 or sum(weights) == 0:
        return [0] * len(weights)
    shares = split_largest_remainder(total, weights)
    assert all(s <= c for s, c in zip(shares, caps, strict=True))
    return shares


def plan_return(
    *,
    case_no: str,
    account: str,
    bank: str,
    frozen_fen: int,
    claims: Sequence[Claim],
    now: datetime,
    round_no: int = 1,
    limits: Limits = LIMITS,
) -> ReturnPlan:
    """The return round for one frozen account (see the module docstring for the rules)."""
    _check(claims, frozen_fen)
    if now.tzinfo is None:
        raise ReturnError("now must carry a time zone")
    if not claims:
        raise ReturnError("没有被害人返还申请")
    traced = [min(c.traced_fen, c.loss_fen) for c in claims]
    losses = [c.loss_fen for c in claims]
    if all(t > 0 for t in traced):
        basis = SINGLE if len(claims) == 1 else BY_TIME
        amounts = traced if sum(traced) <= frozen_fen else _capped_split(frozen_fen, traced, traced)
        notice_until, status = None, "ready"
    else:
        basis = PRO_RATA
        amounts = _capped_split(min(frozen_fen, sum(losses)), losses, losses)
        notice_until = now + timedelta(days=limits.return_notice_days)
        status = "notice"
    lines = tuple(
        ReturnLine(c.victim_id, c.victim_name, c.remit_account, c.loss_fen, t, a)
        for c, t, a in zip(claims, traced, amounts, strict=True)
    )
    return ReturnPlan(
        case_no, account, bank, round_no, basis, frozen_fen, lines, now, notice_until, status
    )


def object_to(plan: ReturnPlan, by: str, reason: str, now: datetime) -> ReturnPlan:
    """Record an objection; only a pro-rata plan under public notice accepts them."""
    if plan.basis != PRO_RATA or plan.notice_until is None:
        raise ReturnError("该返还无需公告，不接受异议")
    if now >= plan.notice_until:
        raise ReturnError("公告期已满，不再接受异议")
    return replace(plan, objections=plan.objections + (Objection(by, reason, now),))


def decide(plan: ReturnPlan, now: datetime, objections_resolved: bool = False) -> ReturnPlan:
    """Make the plan final: a pro-rata plan only after its notice period and with every
    objection resolved."""
    if plan.notice_until is not None and now < plan.notice_until:
        raise ReturnError(f"公告期至 {plan.notice_until:%Y-%m-%d %H:%M} UTC，期满前不得决定返还")
    if plan.objections and not objections_resolved:
        raise ReturnError(f"尚有 {len(plan.objections)} 项异议未处理")
    return replace(plan, status="decided")


def next_round(
    plan: ReturnPlan, new_claims: Sequence[Claim], now: datetime, limits: Limits = LIMITS
) -> ReturnPlan:
    """Newly found victims: a new round over what is still frozen."""
    old = {line.victim_id for line in plan.lines}
    dup = [c.victim_id for c in new_claims if c.victim_id in old]
    if dup:
        raise ReturnError(f"被害人已在上一轮返还中: {', '.join(dup)}")
    return plan_return(
        case_no=plan.case_no,
        account=plan.account,
        bank=plan.bank,
        frozen_fen=plan.remainder_fen,
        claims=new_claims,
        now=now,
        round_no=plan.round_no + 1,
        limits=limits,
    )


def add_working_days(start: datetime, days: int) -> datetime:
    """``start`` plus ``days`` working days (Monday–Friday; holidays not modelled)."""
    d = start
    left = days
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


def pay_by(decided_at: datetime, limits: Limits = LIMITS) -> datetime:
    return add_working_days(decided_at, limits.bank_payment_working_days)


def decision_text(plan: ReturnPlan, authority: str, decided_at: datetime) -> str:
    """返还决定书 (the return decision)."""
    rows = "\n".join(
        f"  {i}. 被害人 {line.victim_name or line.victim_id}（损失 {format_fen(line.loss_fen)}）："
        f"返还 {format_fen(line.amount_fen)}，退回原汇款账户 {line.remit_account}"
        for i, line in enumerate(plan.lines, 1)
    )
    notice = (
        f"本返还方案已于 {plan.created_at:%Y年%m月%d日} 起公告三十日，公告期至"
        f" {plan.notice_until:%Y年%m月%d日}。\n"
        if plan.notice_until
        else ""
    )
    due = pay_by(decided_at)
    return (
        "返还决定书\n"
        f"案件编号：{plan.case_no}（第 {plan.round_no} 轮）\n"
        f"冻结账户：{plan.account}（{plan.bank}），冻结金额 {format_fen(plan.frozen_fen)}\n"
        f"依据：《电信网络新型违法犯罪案件冻结资金返还若干规定》第八条；{BASIS_TEXT[plan.basis]}。\n"
        f"{notice}"
        f"经审批，决定返还如下：\n{rows}\n"
        f"合计返还 {format_fen(plan.returned_fen)}，剩余 {format_fen(plan.remainder_fen)} 继续冻结。\n"
        f"请 {plan.bank} 于 {due:%Y年%m月%d日} 前（三个工作日内）将上述款项划至原汇款账户。\n"
        f"{authority}\n{decided_at:%Y年%m月%d日}"
    )


def bank_instructions(plan: ReturnPlan, decided_at: datetime) -> list[dict]:
    """One payment instruction per line with money, for the bank holding the frozen account."""
    due = pay_by(decided_at)
    return [
        {
            "case_no": plan.case_no,
            "round_no": plan.round_no,
            "from_account": plan.account,
            "bank": plan.bank,
            "to_account": line.remit_account,
            "victim_id": line.victim_id,
            "amount_fen": line.amount_fen,
            "pay_by": due.isoformat(),
        }
        for line in plan.lines
        if line.amount_fen > 0
    ]


def notice_text(plan: ReturnPlan, authority: str) -> str:
    """返还公告 for a pro-rata plan: the 30-day public notice inviting objections."""
    if plan.notice_until is None:
        raise ReturnError("该返还无需公告")
    rows = "\n".join(
        f"  {i}. 被害人 {line.victim_id}：损失 {format_fen(line.loss_fen)}，"
        f"拟返还 {format_fen(line.amount_fen)}"
        for i, line in enumerate(plan.lines, 1)
    )
    return (
        "冻结资金返还公告\n"
        f"案件编号：{plan.case_no}。冻结账户 {plan.account}（{plan.bank}）内冻结资金"
        f" {format_fen(plan.frozen_fen)} 无法查清归属，拟按被害人损失比例返还：\n{rows}\n"
        f"公告期三十日，自 {plan.created_at:%Y年%m月%d日} 至 {plan.notice_until:%Y年%m月%d日}。"
        "对上述返还有异议者，请于公告期内向本机关书面提出。\n"
        f"{authority}"
    )
