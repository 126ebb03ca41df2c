"""Stop-payment, freeze and query orders with their legal clocks (DOMAIN.md §4).

State machine (``status``):

* every order starts ``sent``; the addressed bank replies within ``LIMITS.order_reply_deadline``
  (24 h) by executing it or refusing it (``refused``: e.g. account name/number/amount/time do not
  match its records — a stop is only executed on a match).
* ``stop_payment`` executed → ``in_force`` for 48 h from execution, then ``lapsed`` unless a freeze
  on the same account is executed first (the stop becomes ``converted``). At most 2 stops per
  account at the same institution: a ``stop_extend`` is the second stop (48 h from its own
  execution; the first becomes ``renewed``); a third stop request is refused at issue.
* ``freeze`` executed → ``in_force`` for 6 months (``freeze_duration_days``), or 1 year
  (``freeze_serious_duration_days``) for a serious case with a city-level approval reference;
  ``freeze_extend`` executed before expiry → a new period counted from the old expiry (the old
  order becomes ``renewed``); not renewed → ``expired`` (lifted automatically).
* ``stop_lift`` / ``freeze_lift`` executed → the target becomes ``lifted``; the lift is ``done``.
* queries (transaction details, account holder, all accounts of an ID) → ``answered``.

:func:`expire_due` applies the clocks at ``now`` (simulated or real; callers pass a clock's time).
Services take organisation ids, not principals: the API/CLI layer checks roles and audits.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from fanzha.domain.limits import LIMITS, Limits
from fanzha.store.tables.intercept import InterceptOrder


class OrderType(StrEnum):
    STOP = "stop_payment"
    STOP_EXTEND = "stop_extend"
    STOP_LIFT = "stop_lift"
    FREEZE = "freeze"
    FREEZE_EXTEND = "freeze_extend"
    FREEZE_LIFT = "freeze_lift"
    QUERY_TRANSACTIONS = "query_transactions"
    QUERY_HOLDER = "query_holder"
    QUERY_ID_ACCOUNTS = "query_id_accounts"


class Status(StrEnum):
    SENT = "sent"
    IN_FORCE = "in_force"
    REFUSED = "refused"
    LAPSED = "lapsed"
    EXPIRED = "expired"
    LIFTED = "lifted"
    CONVERTED = "converted"
    RENEWED = "renewed"
    DONE = "done"
    ANSWERED = "answered"


class Urgency(StrEnum):
    NORMAL = "normal"  # 普通
    URGENT = "urgent"  # 加急
    EXTRA_URGENT = "extra_urgent"  # 特急


STOPS = (OrderType.STOP, OrderType.STOP_EXTEND)
FREEZES = (OrderType.FREEZE, OrderType.FREEZE_EXTEND)
QUERIES = (OrderType.QUERY_TRANSACTIONS, OrderType.QUERY_HOLDER, OrderType.QUERY_ID_ACCOUNTS)
TYPE_TEXT = {
    OrderType.STOP: "紧急止付",
    OrderType.STOP_EXTEND: "延长止付",
    OrderType.STOP_LIFT: "解除止付",
    OrderType.FREEZE: "冻结",
    OrderType.FREEZE_EXTEND: "继续冻结",
    OrderType.FREEZE_LIFT: "解除冻结",
    OrderType.QUERY_TRANSACTIONS: "交易明细查询",
    OrderType.QUERY_HOLDER: "账户主体查询",
    OrderType.QUERY_ID_ACCOUNTS: "按证件查询全部账户",
}
_PREFIX = {"stop": "ZF", "freeze": "DJ", "query": "CX"}

Fen = Annotated[int, Field(ge=0)]


class OrderError(ValueError):
    """An order that the rules do not allow (message in Chinese for the user)."""


class OrderScopeError(PermissionError):
    """The organisation may not see or answer this order."""


class OrderRequest(BaseModel):
    """The request header and body as on the platform."""

    model_config = ConfigDict(extra="forbid")

    order_type: OrderType
    urgency: Urgency = Urgency.URGENT
    case_no: str = Field(min_length=1, max_length=64)
    case_type: str = Field("电信网络诈骗", min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=1000)
    operator: str = Field(min_length=1, max_length=64)
    co_operator: str | None = Field(None, max_length=64)
    addressee_org: str = Field(min_length=1, max_length=64)
    account: str | None = Field(None, max_length=64)
    account_name: str | None = Field(None, max_length=128)
    id_number: str | None = Field(None, max_length=32)
    amount_fen: Fen | None = None
    transaction_ref: str | None = Field(None, max_length=64)
    serious: bool = False
    approval_ref: str | None = Field(None, max_length=64)
    parent_id: int | None = None
    report_id: int | None = None


class PriorFreeze(BaseModel):
    amount_fen: Fen
    expires_at: datetime
    authority: str


class Reply(BaseModel):
    """A bank's answer. Stops/freezes: amount actually stopped/frozen, balance, prior freezes,
    available balance. Queries: ``records``."""

    model_config = ConfigDict(extra="forbid")

    matched: bool = True
    amount_fen: Fen | None = None
    balance_fen: Fen | None = None
    available_balance_fen: int | None = None
    prior_freezes: list[PriorFreeze] | None = None
    records: list[dict] = Field(default_factory=list)
    note: str | None = Field(None, max_length=1000)


def _kind(t: OrderType) -> str:
    if t in QUERIES:
        return "query"
    return "stop" if t in (*STOPS, OrderType.STOP_LIFT) else "freeze"


def application_no(order_type: OrderType, now: datetime) -> str:
    return f"{_PREFIX[_kind(order_type)]}{now:%Y%m%d%H%M%S}{uuid.uuid4().hex[:8].upper()}"


def _get(session: Session, order_id: int) -> InterceptOrder:
    order = session.get(InterceptOrder, order_id)
    if order is None:
        raise LookupError(f"指令 {order_id} 不存在")
    return order


def stops_on(session: Session, addressee_org: str, account: str) -> list[InterceptOrder]:
    """Stop orders on an account at an institution that count towards the limit of two."""
    return list(
        session.scalars(
            select(InterceptOrder).where(
                InterceptOrder.addressee_org == addressee_org,
                InterceptOrder.account == account,
                InterceptOrder.order_type.in_([t.value for t in STOPS]),
                InterceptOrder.status != Status.REFUSED.value,
            )
        )
    )


def _parent(session: Session, req: OrderRequest, types: tuple[OrderType, ...]) -> InterceptOrder:
    if req.parent_id is None:
        raise OrderError(f"{TYPE_TEXT[req.order_type]}须指明原指令 (parent_id)")
    parent = _get(session, req.parent_id)
    if parent.order_type not in {t.value for t in types}:
        raise OrderError(f"原指令 {parent.application_no} 类型不符")
    if parent.status != Status.IN_FORCE.value:
        raise OrderError(f"原指令 {parent.application_no} 当前状态为 {parent.status}，不在有效期内")
    if parent.addressee_org != req.addressee_org:
        raise OrderError("原指令的接收机构与本指令不一致")
    return parent


def issue(
    session: Session,
    req: OrderRequest,
    issuing_org: str,
    now: datetime,
    limits: Limits = LIMITS,
) -> InterceptOrder:
    """Validate and record an order addressed to a bank (status ``sent``)."""
    t = req.order_type
    account = req.account
    if t in (*STOPS, *FREEZES, OrderType.QUERY_TRANSACTIONS, OrderType.QUERY_HOLDER) and (
        not account
    ):
        raise OrderError(f"{TYPE_TEXT[t]}须填写账号")
    if t is OrderType.STOP and not req.account_name:
        raise OrderError("紧急止付须填写户名（银行核对户名、账号、金额、交易时间）")
    if t is OrderType.QUERY_ID_ACCOUNTS and not req.id_number:
        raise OrderError("按证件查询须填写证件号码")
    parent = None
    if t in (OrderType.STOP_EXTEND, OrderType.STOP_LIFT):
        parent = _parent(session, req, STOPS)
        account = parent.account
    elif t in (OrderType.FREEZE_EXTEND, OrderType.FREEZE_LIFT):
        parent = _parent(session, req, FREEZES)
        account = parent.account
    elif req.parent_id is not None:
        parent = _get(session, req.parent_id)
    if parent is not None and req.account and req.account != parent.account:
        raise OrderError("账号与原指令不一致")
    if t in STOPS:
        existing = stops_on(session, req.addressee_org, account or "")
        if len(existing) >= limits.stop_payment_max_per_account:
            raise OrderError(
                f"同一账户紧急止付不得超过 {limits.stop_payment_max_per_account} 次，"
                f"账户 {account} 已有 {len(existing)} 次；请办理冻结"
            )
    if t in FREEZES and req.serious and not req.approval_ref:
        raise OrderError("重大案件冻结一年须经地市级以上公安机关负责人批准（填写审批文号）")
    order = InterceptOrder(
        application_no=application_no(t, now),
        order_type=t.value,
        status=Status.SENT.value,
        urgency=req.urgency.value,
        case_no=req.case_no,
        case_type=req.case_type,
        reason=req.reason,
        operator=req.operator,
        co_operator=req.co_operator,
        issuing_org=issuing_org,
        addressee_org=req.addressee_org,
        account=account,
        account_name=req.account_name or (parent.account_name if parent else None),
        id_number=req.id_number,
        amount_fen=req.amount_fen,
        transaction_ref=req.transaction_ref,
        serious=req.serious,
        approval_ref=req.approval_ref,
        parent_id=parent.id if parent else None,
        report_id=req.report_id,
        created_at=now,
        reply_due_at=now + limits.order_reply_deadline,
        reply={},
    )
    session.add(order)
    session.flush()
    return order


def _freeze_days(order: InterceptOrder, limits: Limits) -> int:
    return limits.freeze_serious_duration_days if order.serious else limits.freeze_duration_days


def prior_freezes(
    session: Session, addressee_org: str, account: str, now: datetime, exclude: int | None = None
) -> list[dict]:
    """Freezes in force on the account at ``now`` recorded on the platform."""
    rows = session.scalars(
        select(InterceptOrder).where(
            InterceptOrder.addressee_org == addressee_org,
            InterceptOrder.account == account,
            InterceptOrder.order_type.in_([t.value for t in FREEZES]),
            InterceptOrder.status == Status.IN_FORCE.value,
        )
    )
    return [
        {
            "amount_fen": int(o.reply.get("amount_fen") or 0),
            "expires_at": o.expires_at.isoformat() if o.expires_at else None,
            "authority": o.issuing_org,
        }
        for o in rows
        if o.id != exclude and (o.expires_at is None or o.expires_at > now)
    ]


def refuse(
    session: Session, order_id: int, replying_org: str, reason: str, now: datetime
) -> InterceptOrder:
    order = _get(session, order_id)
    if order.addressee_org != replying_org:
        raise OrderScopeError("只能答复发给本机构的指令")
    if order.status != Status.SENT.value:
        raise OrderError(f"指令 {order.application_no} 已处理（{order.status}）")
    order.status = Status.REFUSED.value
    order.closed_at = now
    order.reply = {"refused": True, "note": reason, "replied_at": now.isoformat()}
    return order


def execute(
    session: Session,
    order_id: int,
    replying_org: str,
    reply: Reply,
    now: datetime,
    limits: Limits = LIMITS,
) -> InterceptOrder:
    """The addressed bank executes the order and replies."""
    order = _get(session, order_id)
    if order.addressee_org != replying_org:
        raise OrderScopeError("只能答复发给本机构的指令")
    if order.status != Status.SENT.value:
        raise OrderError(f"指令 {order.application_no} 已处理（{order.status}）")
    t = OrderType(order.order_type)
    if t in (*STOPS, OrderType.FREEZE) and not reply.matched:
        return refuse(
            session, order_id, replying_org, reply.note or "户名、账号、金额或交易时间不符", now
        )
    body = reply.model_dump(mode="json", exclude_none=True)
    body["replied_at"] = now.isoformat()
    body["late"] = now > order.reply_due_at
    parent = session.get(InterceptOrder, order.parent_id) if order.parent_id else None
    if t in STOPS:
        if t is OrderType.STOP_EXTEND and parent is not None:
            if parent.status != Status.IN_FORCE.value:
                return refuse(session, order_id, replying_org, "原止付已失效，无法延长", now)
            parent.status = Status.RENEWED.value
            parent.closed_at = now
        order.status = Status.IN_FORCE.value
        order.expires_at = now + limits.stop_payment_duration
    elif t in FREEZES:
        if reply.amount_fen is None:
            raise OrderError("冻结回执须填写实际冻结金额")
        if "prior_freezes" not in body:
            body["prior_freezes"] = prior_freezes(
                session, order.addressee_org, order.account or "", now, exclude=order.parent_id
            )
        if reply.balance_fen is not None and reply.available_balance_fen is None:
            held = reply.amount_fen + sum(p["amount_fen"] for p in body["prior_freezes"])
            body["available_balance_fen"] = max(0, reply.balance_fen - held)
        period = timedelta(days=_freeze_days(order, limits))
        if t is OrderType.FREEZE_EXTEND:
            if (
                parent is None
                or parent.status != Status.IN_FORCE.value
                or (parent.expires_at is not None and parent.expires_at <= now)
            ):
                return refuse(
                    session, order_id, replying_org, "原冻结已到期解除，无法继续冻结", now
                )
            order.expires_at = (parent.expires_at or now) + period
            parent.status = Status.RENEWED.value
            parent.closed_at = now
        else:
            order.expires_at = now + period
            # a freeze that follows a stop on the same account keeps the money: the stop ends
            for stop in stops_on(session, order.addressee_org, order.account or ""):
                if stop.status == Status.IN_FORCE.value:
                    stop.status = Status.CONVERTED.value
                    stop.closed_at = now
        order.status = Status.IN_FORCE.value
    elif t in (OrderType.STOP_LIFT, OrderType.FREEZE_LIFT):
        if parent is None or parent.status != Status.IN_FORCE.value:
            return refuse(session, order_id, replying_org, "原指令已不在有效期内", now)
        parent.status = Status.LIFTED.value
        parent.closed_at = now
        order.status = Status.DONE.value
        order.closed_at = now
    else:
        order.status = Status.ANSWERED.value
        order.closed_at = now
    order.executed_at = now
    order.reply = body
    return order


def expire_due(session: Session, now: datetime) -> dict[str, list[int]]:
    """Apply the clocks: stops past 48 h lapse, freezes past their period expire."""
    due = session.scalars(
        select(InterceptOrder).where(
            InterceptOrder.status == Status.IN_FORCE.value,
            InterceptOrder.expires_at <= now,
        )
    )
    out: dict[str, list[int]] = {"lapsed": [], "expired": []}
    for order in due:
        if order.order_type in {t.value for t in STOPS}:
            order.status = Status.LAPSED.value
            out["lapsed"].append(order.id)
        else:
            order.status = Status.EXPIRED.value
            out["expired"].append(order.id)
        order.closed_at = order.expires_at
    session.flush()
    return out


def list_orders(
    session: Session,
    *,
    addressee_org: str | None = None,
    issuing_org: str | None = None,
    status: str | None = None,
    case_no: str | None = None,
    account: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[InterceptOrder]:
    """Orders filtered by who may see them: a bank passes its ``addressee_org``, a police unit
    its ``issuing_org``; the platform passes neither."""
    q = select(InterceptOrder)
    if addressee_org is not None:
        q = q.where(InterceptOrder.addressee_org == addressee_org)
    if issuing_org is not None:
        q = q.where(InterceptOrder.issuing_org == issuing_org)
    if status is not None:
        q = q.where(InterceptOrder.status == status)
    if case_no is not None:
        q = q.where(InterceptOrder.case_no == case_no)
    if account is not None:
        q = q.where(InterceptOrder.account == account)
    q = q.order_by(InterceptOrder.created_at.desc(), InterceptOrder.id.desc())
    return list(session.scalars(q.limit(limit).offset(offset)))


def overdue(
    session: Session, now: datetime, addressee_org: str | None = None
) -> list[InterceptOrder]:
    """Orders not answered within their reply deadline."""
    q = select(InterceptOrder).where(
        InterceptOrder.status == Status.SENT.value, InterceptOrder.reply_due_at < now
    )
    if addressee_org is not None:
        q = q.where(InterceptOrder.addressee_org == addressee_org)
    return list(session.scalars(q))


def in_force(session: Session, account: str, now: datetime) -> list[InterceptOrder]:
    """Stops and freezes holding an account at ``now`` (before the scheduler has run too)."""
    q = select(InterceptOrder).where(
        InterceptOrder.account == account,
        InterceptOrder.status == Status.IN_FORCE.value,
        or_(InterceptOrder.expires_at.is_(None), InterceptOrder.expires_at > now),
    )
    return list(session.scalars(q))


def order_view(order: InterceptOrder, now: datetime) -> dict:
    """A JSON-able view with the clocks as seen at ``now``."""
    left = (order.expires_at - now).total_seconds() if order.expires_at else None
    return {
        "id": order.id,
        "application_no": order.application_no,
        "order_type": order.order_type,
        "order_type_text": TYPE_TEXT[OrderType(order.order_type)],
        "status": order.status,
        "urgency": order.urgency,
        "case_no": order.case_no,
        "case_type": order.case_type,
        "reason": order.reason,
        "operator": order.operator,
        "co_operator": order.co_operator,
        "issuing_org": order.issuing_org,
        "addressee_org": order.addressee_org,
        "account": order.account,
        "account_name": order.account_name,
        "id_number": order.id_number,
        "amount_fen": order.amount_fen,
        "transaction_ref": order.transaction_ref,
        "serious": order.serious,
        "approval_ref": order.approval_ref,
        "parent_id": order.parent_id,
        "report_id": order.report_id,
        "created_at": order.created_at,
        "reply_due_at": order.reply_due_at,
        "reply_overdue": order.status == Status.SENT.value and now > order.reply_due_at,
        "executed_at": order.executed_at,
        "expires_at": order.expires_at,
        "seconds_left": max(0.0, left) if left is not None and order.status == "in_force" else None,
        "closed_at": order.closed_at,
        "reply": order.reply,
    }
