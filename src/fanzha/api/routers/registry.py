"""``/v1/registry``: the risk list for partners and the platform.

Scope: partners (banks, payment firms, operators, internet firms) search by value and see grade,
type, status, reason and the restriction notice — never which organisation reported an entry.
Listing by analysts and reviewing appeals are for the platform and police. Every write goes through
:class:`RegistryService` with the process's hot-path index, so checks see changes at once.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from fanzha.access.principal import POLICE_KINDS, OrgKind, Principal
from fanzha.api.deps import PrincipalDep, SessionDep, require_org_kinds
from fanzha.api.errors import ProblemError
from fanzha.api.routers.checks import get_runtime

router = APIRouter(prefix="/v1/registry", tags=["registry"])

_POLICE = (OrgKind.PLATFORM, *POLICE_KINDS)
PoliceDep = Annotated[Principal, Depends(require_org_kinds(*_POLICE))]
BankDep = Annotated[
    Principal, Depends(require_org_kinds(OrgKind.BANK, OrgKind.PAYMENT, OrgKind.PLATFORM))
]


def _service(session: Any) -> Any:
    from fanzha.registry.service import RegistryService
    from fanzha.settings import get_settings

    return RegistryService(session, get_settings().secret_bytes, index=get_runtime().index)


def _err(exc: Exception) -> ProblemError:
    msg = str(exc)
    status = 404 if "not found" in msg else 422
    field = msg.split(":", 1)[0] if ":" in msg else "body"
    return ProblemError(status, msg, [{"row": None, "field": field, "reason": msg}])


class EntryIn(BaseModel):
    kind: str
    value: str = Field(..., min_length=1, max_length=512)
    grade: int = Field(..., ge=1, le=3)
    reason: str = Field(..., min_length=1, max_length=500)
    fraud_type: str | None = None
    code: str | None = None
    police_authorised: bool = False


class SuspiciousIn(BaseModel):
    rows: list[dict[str, Any]] = Field(..., min_length=1, max_length=10_000)


class AppealIn(BaseModel):
    statement: str = Field(..., min_length=1, max_length=2000)
    channel: str = "online"
    documents: list[str] = []
    applicant: str | None = None


class AppealReviewIn(BaseModel):
    verification_passed: bool
    note: str = ""


def _appeal_out(a: Any) -> dict[str, Any]:
    return {
        "id": a.id,
        "entry_id": a.entry_id,
        "status": a.status,
        "channel": a.channel,
        "submitted_at": a.submitted_at.isoformat(),
        "reverify_due_at": a.reverify_due_at.isoformat(),
        "review_due_at": a.review_due_at.isoformat(),
        "decided_at": a.decided_at.isoformat() if a.decided_at else None,
    }


@router.get("/search")
def search(
    session: SessionDep,
    principal: PrincipalDep,
    kind: str = Query(...),
    value: str = Query(..., min_length=1, max_length=512),
) -> dict[str, Any]:
    """按标识查询名单条目（合作机构可用；不显示报送机构）。"""
    from fanzha.registry.service import entry_view

    try:
        rows = _service(session).search(kind=kind, value=value, limit=1)
    except ValueError as exc:
        raise _err(exc) from None
    return {"listed": bool(rows), "entry": entry_view(rows[0], principal) if rows else None}


@router.get("/entries")
def list_entries(
    session: SessionDep,
    principal: PoliceDep,
    kind: str | None = None,
    status: str | None = None,
    min_grade: int | None = None,
    limit: int = Query(50, ge=1, le=500),
) -> list[dict[str, Any]]:
    """名单条目列表（平台、公安）。"""
    from fanzha.registry.service import entry_view

    try:
        rows = _service(session).search(kind=kind, status=status, min_grade=min_grade, limit=limit)
    except ValueError as exc:
        raise _err(exc) from None
    return [entry_view(e, principal) for e in rows]


@router.post("/entries", status_code=201)
def add_entry(body: EntryIn, session: SessionDep, principal: PoliceDep) -> dict[str, Any]:
    """分析员登记标识（平台、公安）。"""
    from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
    from fanzha.registry.service import ReportInput, Source, entry_view

    try:
        item = ReportInput(
            body.kind,
            body.value,
            RiskLevel(body.grade),
            Source.ANALYST,
            body.reason,
            fraud_type=FraudType(body.fraud_type) if body.fraud_type else None,
            code=SuspiciousCode(body.code) if body.code else None,
            police_authorised=body.police_authorised,
        )
        entry = _service(session).report(item, principal)
    except ValueError as exc:
        raise _err(exc) from None
    return entry_view(entry, principal)


@router.get("/entries/{entry_id}")
def get_entry(entry_id: int, session: SessionDep, principal: PoliceDep) -> dict[str, Any]:
    from fanzha.registry.service import RegistryError, entry_view

    try:
        return entry_view(_service(session).get(entry_id), principal)
    except RegistryError as exc:
        raise _err(exc) from None


@router.get("/entries/{entry_id}/history")
def entry_history(entry_id: int, session: SessionDep, principal: PoliceDep) -> list[dict[str, Any]]:
    from fanzha.registry.service import RegistryError, event_view

    try:
        return [event_view(e, principal) for e in _service(session).history(entry_id)]
    except RegistryError as exc:
        raise _err(exc) from None


@router.post("/suspicious")
def report_suspicious(
    body: SuspiciousIn, session: SessionDep, principal: BankDep
) -> dict[str, Any]:
    """银行/支付机构报送可疑名单（代码 1001–3008、9999）。"""
    from fanzha.registry.intake import import_suspicious

    result = import_suspicious(_service(session), body.rows, principal)
    return {"accepted": result.accepted, "listed": result.listed, "errors": result.errors}


@router.post("/entries/{entry_id}/appeals", status_code=201)
def submit_appeal(
    entry_id: int, body: AppealIn, session: SessionDep, principal: PrincipalDep
) -> dict[str, Any]:
    """提交申诉（受限方经机构或App提交）。"""
    try:
        a = _service(session).submit_appeal(
            entry_id, body.statement, body.channel, body.documents, body.applicant, principal
        )
    except ValueError as exc:
        raise _err(exc) from None
    return _appeal_out(a)


@router.post("/appeals/{appeal_id}/review")
def review_appeal(
    appeal_id: int, body: AppealReviewIn, session: SessionDep, principal: PoliceDep
) -> dict[str, Any]:
    """复核申诉：核验通过立即解除限制，否则维持（平台、公安）。"""
    try:
        a = _service(session).review_appeal(
            appeal_id, body.verification_passed, principal, body.note
        )
    except ValueError as exc:
        raise _err(exc) from None
    return _appeal_out(a)
