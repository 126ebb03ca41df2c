"""Intercept room: victim reports (报案), stop-payment/freeze/query orders and return plans."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from fanzha.store.db import Base, UtcDateTime


class InterceptReport(Base):
    """A victim's report: who, what was involved, which transfers; the 30-minute entry clock."""

    __tablename__ = "intercept_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_no: Mapped[str] = mapped_column(String(64), index=True)
    victim_id: Mapped[str] = mapped_column(String(128))
    victim_name: Mapped[str | None] = mapped_column(String(128), nullable=True)
    victim_phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    fraud_type: Mapped[str | None] = mapped_column(String(64), nullable=True)
    division_code: Mapped[str | None] = mapped_column(String(6), nullable=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    entry_due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    first_hop_entered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    loss_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    involved: Mapped[dict] = mapped_column(JSON, default=dict)  # numbers, accounts, urls
    transfers: Mapped[list] = mapped_column(JSON, default=list)  # victim's transfers
    description: Mapped[str | None] = mapped_column(String(4000), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class InterceptOrder(Base):
    """One message to a bank or payment firm: stop/freeze/lift/extend or a query."""

    __tablename__ = "intercept_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_no: Mapped[str] = mapped_column(String(40), unique=True)
    order_type: Mapped[str] = mapped_column(String(32), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    urgency: Mapped[str] = mapped_column(String(16))
    case_no: Mapped[str] = mapped_column(String(64), index=True)
    case_type: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(1000))
    operator: Mapped[str] = mapped_column(String(64))
    co_operator: Mapped[str | None] = mapped_column(String(64), nullable=True)
    issuing_org: Mapped[str] = mapped_column(String(64), index=True)
    addressee_org: Mapped[str] = mapped_column(String(64), index=True)
    account: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    account_name: Mapped[str | None] = mapped_column(String(128), nullable=True)
    id_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    amount_fen: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    transaction_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    serious: Mapped[bool] = mapped_column(Boolean, default=False)
    approval_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("intercept_orders.id"), nullable=True, index=True
    )
    report_id: Mapped[int | None] = mapped_column(ForeignKey("intercept_reports.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    reply_due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    executed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    reply: Mapped[dict] = mapped_column(JSON, default=dict)


class InterceptReturn(Base):
    """One return round (返还) for one frozen account."""

    __tablename__ = "intercept_returns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_no: Mapped[str] = mapped_column(String(64), index=True)
    freeze_order_id: Mapped[int | None] = mapped_column(
        ForeignKey("intercept_orders.id"), nullable=True
    )
    account: Mapped[str] = mapped_column(String(64), index=True)
    round_no: Mapped[int] = mapped_column(Integer)
    basis: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    frozen_fen: Mapped[int] = mapped_column(BigInteger)
    returned_fen: Mapped[int] = mapped_column(BigInteger)
    remainder_fen: Mapped[int] = mapped_column(BigInteger)
    lines: Mapped[list] = mapped_column(JSON, default=list)
    objections: Mapped[list] = mapped_column(JSON, default=list)
    issuing_org: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    notice_until: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    pay_by: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
