"""Victim report intake (报案) and the 30-minute clock for entering the first-hop account.

A report names the victim, the fraud numbers/accounts/URLs involved and the victim's transfers
(the account paid, amount, time). Police must enter the first-hop account on the platform within
``LIMITS.report_entry_target`` (30 minutes) of the report; :func:`entry_clock` shows the status.
The victim's transfers become tracing seeds (:func:`seeds_of`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.domain.limits import LIMITS, Limits
from fanzha.intercept.tracing import Seed
from fanzha.store.tables.intercept import InterceptReport


class VictimTransfer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    payee_account: str = Field(min_length=1, max_length=64)  # the first-hop account
    payee_name: str | None = Field(None, max_length=128)
    payee_institution: str | None = Field(None, max_length=64)
    amount_fen: Annotated[int, Field(gt=0)]
    time: datetime
    payer_account: str | None = Field(None, max_length=64)
    event_id: str | None = Field(None, max_length=128)  # the transfer in the lake, when known

    @field_validator("time")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("time must carry a time zone")
        return v


class Involved(BaseModel):
    model_config = ConfigDict(extra="forbid")

    numbers: list[str] = Field(default_factory=list, max_length=100)
    accounts: list[str] = Field(default_factory=list, max_length=100)
    urls: list[str] = Field(default_factory=list, max_length=100)
    apps: list[str] = Field(default_factory=list, max_length=100)


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_no: str = Field(min_length=1, max_length=64)
    victim_id: str = Field(min_length=1, max_length=128)
    victim_name: str | None = Field(None, max_length=128)
    victim_phone: str | None = Field(None, max_length=32)
    fraud_type: str | None = Field(None, max_length=64)
    division_code: str | None = Field(None, pattern=r"^\d{6}$")
    reported_at: datetime
    involved: Involved = Field(default_factory=Involved)
    transfers: list[VictimTransfer] = Field(default_factory=list, max_length=500)
    description: str | None = Field(None, max_length=4000)

    @field_validator("reported_at")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("reported_at must carry a time zone")
        return v


def file_report(
    session: Session, report: ReportIn, org_id: str, now: datetime, limits: Limits = LIMITS
) -> InterceptReport:
    if report.reported_at > now:
        raise ValueError("报案时间不能晚于当前时间")
    row = InterceptReport(
        case_no=report.case_no,
        victim_id=report.victim_id,
        victim_name=report.victim_name,
        victim_phone=report.victim_phone,
        fraud_type=report.fraud_type,
        division_code=report.division_code,
        org_id=org_id,
        reported_at=report.reported_at,
        entry_due_at=report.reported_at + limits.report_entry_target,
        first_hop_entered_at=None,
        loss_fen=sum(t.amount_fen for t in report.transfers),
        involved=report.involved.model_dump(),
        transfers=[t.model_dump(mode="json") for t in report.transfers],
        description=report.description,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def mark_entered(session: Session, report_id: int, now: datetime) -> InterceptReport:
    """The first-hop account has been entered on the platform (a stop-payment issued)."""
    row = session.get(InterceptReport, report_id)
    if row is None:
        raise LookupError(f"报案 {report_id} 不存在")
    if row.first_hop_entered_at is None:
        row.first_hop_entered_at = now
    return row


def entry_clock(row: InterceptReport, now: datetime) -> dict:
    """Status of the 30-minute target: running / met / missed / overdue (still not entered)."""
    due = row.entry_due_at
    if row.first_hop_entered_at is not None:
        took = (row.first_hop_entered_at - row.reported_at).total_seconds()
        status = "met" if row.first_hop_entered_at <= due else "missed"
        return {"status": status, "due_at": due, "seconds_left": None, "seconds_taken": took}
    left = (due - now).total_seconds()
    status = "running" if left > 0 else "overdue"
    return {"status": status, "due_at": due, "seconds_left": max(0.0, left), "seconds_taken": None}


def list_reports(
    session: Session, org_id: str | None = None, case_no: str | None = None, limit: int = 200
) -> list[InterceptReport]:
    q = select(InterceptReport)
    if org_id is not None:
        q = q.where(InterceptReport.org_id == org_id)
    if case_no is not None:
        q = q.where(InterceptReport.case_no == case_no)
    return list(session.scalars(q.order_by(InterceptReport.id.desc()).limit(limit)))


def seeds_of(row: InterceptReport) -> list[Seed]:
    """Tracing seeds from the victim's transfers (by event id when known)."""
    out = []
    for t in row.transfers:
        if t.get("event_id"):
            out.append(Seed(row.victim_id, event_id=t["event_id"]))
        else:
            out.append(
                Seed(
                    row.victim_id,
                    account=t["payee_account"],
                    amount_fen=int(t["amount_fen"]),
                    time=datetime.fromisoformat(t["time"]),
                )
            )
    return out


def report_view(row: InterceptReport, now: datetime) -> dict:
    return {
        "id": row.id,
        "case_no": row.case_no,
        "victim_id": row.victim_id,
        "victim_name": row.victim_name,
        "fraud_type": row.fraud_type,
        "division_code": row.division_code,
        "org_id": row.org_id,
        "reported_at": row.reported_at,
        "loss_fen": row.loss_fen,
        "involved": row.involved,
        "transfers": row.transfers,
        "entry_clock": entry_clock(row, now),
    }
