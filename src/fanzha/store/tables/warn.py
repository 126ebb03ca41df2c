"""Warn room tables: warnings about people, their signals, dispatched tasks, inbox, feedback."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fanzha.store.db import Base, UtcDateTime


class WarningRow(Base):
    __tablename__ = "warnings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_key: Mapped[str] = mapped_column(String(64), index=True)  # keyed hash of the person
    person_masked: Mapped[str] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    phone_masked: Mapped[str | None] = mapped_column(String(32), nullable=True)
    age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    division_code: Mapped[str | None] = mapped_column(String(6), nullable=True, index=True)
    unit_org_id: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    fraud_type: Mapped[str] = mapped_column(String(32))
    dimensions: Mapped[list] = mapped_column(JSON, default=list)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    outcome: Mapped[str | None] = mapped_column(String(16), nullable=True)
    sms_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    case_ref: Mapped[str | None] = mapped_column(String(64), nullable=True)
    first_exposure_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    contacted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class WarningSignal(Base):
    __tablename__ = "warning_signals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    signal_kind: Mapped[str] = mapped_column(String(16))
    dimension: Mapped[str] = mapped_column(String(16))
    counterpart_kind: Mapped[str] = mapped_column(String(16))
    counterpart_hash: Mapped[str] = mapped_column(String(64), index=True)
    counterpart_masked: Mapped[str] = mapped_column(String(64))
    fraud_type: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class WarnTask(Base):
    __tablename__ = "warn_tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    unit_org_id: Mapped[str] = mapped_column(String(64), index=True)
    level: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), index=True)
    deadline: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    escalations: Mapped[int] = mapped_column(Integer, default=0)


class WarnTaskEvent(Base):
    __tablename__ = "warn_task_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("warn_tasks.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    event: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(128))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class WarnInbox(Base):
    """Warnings pushed to a person's anti-fraud app inbox (public side)."""

    __tablename__ = "warn_inbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    phone_hash: Mapped[str] = mapped_column(String(64), index=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class OperatorRequest(Base):
    """Requests to an operator, e.g. cut the ongoing call of an unreachable 紧急 warning."""

    __tablename__ = "warn_operator_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    phone_hash: Mapped[str] = mapped_column(String(64))
    phone_masked: Mapped[str] = mapped_column(String(32))
    request: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="open")
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class WarnLabel(Base):
    """Outcome feedback: a counterpart identifier confirmed as fraud, or a false alarm."""

    __tablename__ = "warn_labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("warnings.id"), index=True)
    counterpart_kind: Mapped[str] = mapped_column(String(16))
    counterpart_hash: Mapped[str] = mapped_column(String(64), index=True)
    label: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
