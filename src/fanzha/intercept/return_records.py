"""Persist return rounds (``intercept_returns``) and read them back as :class:`ReturnPlan`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy.orm import Session

from fanzha.intercept.returns import Objection, ReturnLine, ReturnPlan, pay_by
from fanzha.store.tables.intercept import InterceptReturn


def save(
    session: Session,
    plan: ReturnPlan,
    issuing_org: str,
    freeze_order_id: int | None = None,
    row: InterceptReturn | None = None,
) -> InterceptReturn:
    if row is None:
        row = InterceptReturn(
            case_no=plan.case_no,
            freeze_order_id=freeze_order_id,
            account=plan.account,
            round_no=plan.round_no,
            issuing_org=issuing_org,
            created_at=plan.created_at,
        )
        session.add(row)
    row.basis = plan.basis
    row.status = plan.status
    row.frozen_fen = plan.frozen_fen
    row.returned_fen = plan.returned_fen
    row.remainder_fen = plan.remainder_fen
    row.lines = [asdict(line) | {"bank": plan.bank} for line in plan.lines]
    row.objections = [
        {"by": o.by, "reason": o.reason, "at": o.at.isoformat()} for o in plan.objections
    ]
    row.notice_until = plan.notice_until
    session.flush()
    return row


def load(row: InterceptReturn) -> ReturnPlan:
    bank = row.lines[0].get("bank", "") if row.lines else ""
    lines = tuple(
        ReturnLine(
            victim_id=x["victim_id"],
            victim_name=x.get("victim_name"),
            remit_account=x["remit_account"],
            loss_fen=int(x["loss_fen"]),
            traced_fen=int(x["traced_fen"]),
            amount_fen=int(x["amount_fen"]),
        )
        for x in row.lines
    )
    objections = tuple(
        Objection(o["by"], o["reason"], datetime.fromisoformat(o["at"])) for o in row.objections
    )
    return ReturnPlan(
        case_no=row.case_no,
        account=row.account,
        bank=bank,
        round_no=row.round_no,
        basis=row.basis,
        frozen_fen=row.frozen_fen,
        lines=lines,
        created_at=row.created_at,
        notice_until=row.notice_until,
        status=row.status,
        objections=objections,
    )


def mark_decided(row: InterceptReturn, decided_at: datetime) -> None:
    row.status = "decided"
    row.decided_at = decided_at
    row.pay_by = pay_by(decided_at)


def view(row: InterceptReturn) -> dict:
    return {
        "id": row.id,
        "case_no": row.case_no,
        "account": row.account,
        "round_no": row.round_no,
        "basis": row.basis,
        "status": row.status,
        "frozen_fen": row.frozen_fen,
        "returned_fen": row.returned_fen,
        "remainder_fen": row.remainder_fen,
        "lines": row.lines,
        "objections": row.objections,
        "issuing_org": row.issuing_org,
        "created_at": row.created_at,
        "notice_until": row.notice_until,
        "decided_at": row.decided_at,
        "pay_by": row.pay_by,
    }
