"""``/v1/reports``, ``/v1/trace``, ``/v1/orders``, ``/v1/returns``: interception and recovery.

Police (investigators) file reports, trace money, issue orders and plan returns; banks and
payment firms see only the orders addressed to their organisation and reply to them. The
platform sees everything. Every action is audited.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from fanzha.access.principal import OrgKind, Principal, Role
from fanzha.api.deps import AuditorDep, SessionDep, current_principal, require_roles
from fanzha.api.errors import ProblemError
from fanzha.intercept import orders as order_service
from fanzha.intercept import reports as report_service
from fanzha.intercept import return_records
from fanzha.intercept import returns as return_service
from fanzha.store.tables.intercept import InterceptOrder, InterceptReport, InterceptReturn

router = APIRouter(prefix="/v1", tags=["intercept"])

BANK_KINDS = (OrgKind.BANK, OrgKind.PAYMENT)
PolicePrincipal = Annotated[
    Principal, Depends(require_roles(Role.INVESTIGATOR, Role.ANALYST, Role.OFFICER))
]
InvestigatorPrincipal = Annotated[Principal, Depends(require_roles(Role.INVESTIGATOR))]
AnyPrincipal = Annotated[Principal, Depends(current_principal)]


def _now() -> datetime:
    return datetime.now(UTC)


def _police(p: Principal) -> Principal:
    if not (p.is_platform or p.org_kind.is_police):
        raise ProblemError(403, "仅限公安机关或平台 (police only)")
    return p


# -- reports ---------------------------------------------------------------------------------
@router.post("/reports", status_code=201)
def file_report(
    body: report_service.ReportIn,
    principal: PolicePrincipal,
    session: SessionDep,
    auditor: AuditorDep,
) -> dict[str, Any]:
    _police(principal)
    now = _now()
    try:
        row = report_service.file_report(session, body, principal.org_id, now)
    except ValueError as exc:
        raise ProblemError(422, str(exc)) from exc
    auditor.record("report.file", "intercept_report", [row.id], {"case_no": row.case_no})
    return report_service.report_view(row, now)


def _report(session, principal: Principal, report_id: int) -> InterceptReport:  # noqa: ANN001
    row = session.get(InterceptReport, report_id)
    if row is None or not (principal.is_platform or row.org_id == principal.org_id):
        raise ProblemError(404, f"报案 {report_id} 不存在")
    return row


@router.get("/reports")
def list_reports(
    principal: PolicePrincipal, session: SessionDep, case_no: str | None = None
) -> dict[str, Any]:
    _police(principal)
    now = _now()
    org = None if principal.is_platform else principal.org_id
    rows = report_service.list_reports(session, org_id=org, case_no=case_no)
    return {"items": [report_service.report_view(r, now) for r in rows], "total": len(rows)}


@router.get("/reports/{report_id}")
def get_report(report_id: int, principal: PolicePrincipal, session: SessionDep) -> dict[str, Any]:
    _police(principal)
    return report_service.report_view(_report(session, principal, report_id), _now())


@router.post("/reports/{report_id}/entered")
def report_entered(
    report_id: int, principal: PolicePrincipal, session: SessionDep, auditor: AuditorDep
) -> dict[str, Any]:
    _police(principal)
    row = _report(session, principal, report_id)
    now = _now()
    report_service.mark_entered(session, row.id, now)
    auditor.record("report.entered", "intercept_report", [row.id])
    return report_service.report_view(row, now)


# -- tracing ---------------------------------------------------------------------------------
class SeedIn(BaseModel):
    victim_id: str = Field(min_length=1, max_length=128)
    event_id: str | None = Field(None, max_length=128)
    account: str | None = Field(None, max_length=64)
    amount_fen: int | None = Field(None, gt=0)
    time: datetime | None = None


class TraceIn(BaseModel):
    seeds: list[SeedIn] = Field(default_factory=list, max_length=10_000)
    report_ids: list[int] = Field(default_factory=list, max_length=1000)
    rule: str = Field("taint_first", pattern="^(taint_first|fifo|lifo|proportional)$")
    max_hops: int = Field(10, ge=1, le=100)
    since: datetime | None = None
    until: datetime | None = None
    flow_limit: int = Field(5000, ge=0, le=100_000)


_INDEX_CACHE: dict[tuple, Any] = {}


def _index(since: datetime | None, until: datetime | None):  # noqa: ANN202
    from fanzha.intercept.tracing import TransferIndex
    from fanzha.settings import get_settings
    from fanzha.store.lake import EventLake

    lake = EventLake(get_settings().lake_dir)
    files = lake.files("transfer")
    key = (str(lake.root), since, until, tuple((str(f), f.stat().st_mtime_ns) for f in files))
    if key not in _INDEX_CACHE:
        _INDEX_CACHE.clear()
        _INDEX_CACHE[key] = TransferIndex.from_table(lake.scan("transfer", since, until))
    return _INDEX_CACHE[key]


@router.post("/trace")
def run_trace(
    body: TraceIn, principal: PolicePrincipal, session: SessionDep, auditor: AuditorDep
) -> dict[str, Any]:
    from fanzha.intercept.tracing import Seed, trace

    _police(principal)
    seeds = [Seed(s.victim_id, s.event_id, s.account, s.amount_fen, s.time) for s in body.seeds]
    for rid in body.report_ids:
        seeds.extend(report_service.seeds_of(_report(session, principal, rid)))
    if not seeds:
        raise ProblemError(422, "请提供被害人转账 (seeds) 或报案编号 (report_ids)")
    try:
        result = trace(
            _index(body.since, body.until), seeds, rule=body.rule, max_hops=body.max_hops
        )
    except ValueError as exc:
        raise ProblemError(422, str(exc)) from exc
    auditor.record(
        "trace.run",
        "intercept_trace",
        body.report_ids,
        {"seeds": len(seeds), "rule": body.rule, "max_hops": body.max_hops},
    )
    flows = result.flows.slice(0, body.flow_limit).to_pylist()
    return {
        "rule": result.rule.value,
        "max_hops": result.max_hops,
        "totals": result.totals(),
        "victims": result.victims.to_pylist(),
        "freeze_candidates": result.freeze_candidates().to_pylist(),
        "holdings": result.holdings.to_pylist(),
        "per_hop": result.per_hop().to_pylist(),
        "flows": flows,
        "flows_total": result.flows.num_rows,
        "unmatched_seeds": [s.event_id or s.account for s in result.unmatched_seeds],
    }


# -- orders ----------------------------------------------------------------------------------
def _visible(principal: Principal, order: InterceptOrder) -> bool:
    if principal.is_platform:
        return True
    if principal.org_kind in BANK_KINDS:
        return order.addressee_org == principal.org_id
    if principal.org_kind.is_police:
        return order.issuing_org == principal.org_id
    return False


def _order(session, principal: Principal, order_id: int) -> InterceptOrder:  # noqa: ANN001
    order = session.get(InterceptOrder, order_id)
    if order is None or not _visible(principal, order):
        raise ProblemError(404, f"指令 {order_id} 不存在")
    return order


@router.post("/orders", status_code=201)
def issue_order(
    body: order_service.OrderRequest,
    principal: InvestigatorPrincipal,
    session: SessionDep,
    auditor: AuditorDep,
) -> dict[str, Any]:
    _police(principal)
    now = _now()
    if body.parent_id is not None:
        _order(session, principal, body.parent_id)
    if body.report_id is not None:
        _report(session, principal, body.report_id)
    try:
        order = order_service.issue(session, body, principal.org_id, now)
    except order_service.OrderError as exc:
        raise ProblemError(409, str(exc)) from exc
    if order.report_id is not None and order.order_type == order_service.OrderType.STOP:
        report_service.mark_entered(session, order.report_id, now)
    auditor.record(
        "order.issue",
        "intercept_order",
        [order.id],
        {"type": order.order_type, "addressee": order.addressee_org},
    )
    return order_service.order_view(order, now)


@router.get("/orders")
def list_orders(
    principal: AnyPrincipal,
    session: SessionDep,
    status: str | None = None,
    case_no: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> dict[str, Any]:
    """Police: the orders their unit issued. Banks: the orders addressed to them (their queue)."""
    now = _now()
    if principal.is_platform:
        scope: dict[str, str] = {}
    elif principal.org_kind in BANK_KINDS:
        scope = {"addressee_org": principal.org_id}
    elif principal.org_kind.is_police:
        scope = {"issuing_org": principal.org_id}
    else:
        raise ProblemError(403, "无权查看止付冻结指令 (forbidden)")
    rows = order_service.list_orders(
        session, status=status, case_no=case_no, limit=limit, offset=offset, **scope
    )
    return {"items": [order_service.order_view(o, now) for o in rows], "total": len(rows)}


@router.get("/orders/{order_id}")
def get_order(order_id: int, principal: AnyPrincipal, session: SessionDep) -> dict[str, Any]:
    return order_service.order_view(_order(session, principal, order_id), _now())


class ReplyIn(order_service.Reply):
    refuse: bool = False


@router.post("/orders/{order_id}/reply")
def reply_order(
    order_id: int,
    body: ReplyIn,
    principal: Annotated[Principal, Depends(require_roles(Role.PARTNER))],
    session: SessionDep,
    auditor: AuditorDep,
) -> dict[str, Any]:
    if principal.org_kind not in BANK_KINDS:
        raise ProblemError(403, "仅限银行或支付机构答复 (banks only)")
    order = _order(session, principal, order_id)
    now = _now()
    try:
        if body.refuse:
            order_service.refuse(session, order.id, principal.org_id, body.note or "不予执行", now)
        else:
            reply = order_service.Reply(**body.model_dump(exclude={"refuse"}))
            order_service.execute(session, order.id, principal.org_id, reply, now)
    except order_service.OrderScopeError as exc:
        raise ProblemError(404, f"指令 {order_id} 不存在") from exc
    except order_service.OrderError as exc:
        raise ProblemError(409, str(exc)) from exc
    auditor.record("order.reply", "intercept_order", [order.id], {"status": order.status})
    return order_service.order_view(order, now)


@router.post("/orders/expire")
def expire_orders(
    principal: Annotated[Principal, Depends(require_roles(Role.ADMIN))],
    session: SessionDep,
    auditor: AuditorDep,
) -> dict[str, list[int]]:
    """Run the scheduler step now (the platform only)."""
    if not principal.is_platform:
        raise ProblemError(403, "仅限平台 (platform only)")
    done = order_service.expire_due(session, _now())
    auditor.record("order.expire", "intercept_order", done["lapsed"] + done["expired"], done)
    return done


# -- returns ---------------------------------------------------------------------------------
class ClaimIn(BaseModel):
    victim_id: str = Field(min_length=1, max_length=128)
    loss_fen: int = Field(gt=0)
    remit_account: str = Field(min_length=1, max_length=64)
    victim_name: str | None = Field(None, max_length=128)
    traced_fen: int = Field(0, ge=0)


class ReturnIn(BaseModel):
    case_no: str = Field(min_length=1, max_length=64)
    freeze_order_id: int
    claims: list[ClaimIn] = Field(min_length=1, max_length=10_000)
    round_no: int = Field(1, ge=1)


class ObjectionIn(BaseModel):
    by: str = Field(min_length=1, max_length=200)
    reason: str = Field(min_length=1, max_length=2000)


class DecideIn(BaseModel):
    authority: str = Field(min_length=1, max_length=200)
    objections_resolved: bool = False


def _return(session, principal: Principal, return_id: int) -> InterceptReturn:  # noqa: ANN001
    row = session.get(InterceptReturn, return_id)
    if row is None or not (principal.is_platform or row.issuing_org == principal.org_id):
        raise ProblemError(404, f"返还 {return_id} 不存在")
    return row


@router.post("/returns", status_code=201)
def plan_return(
    body: ReturnIn, principal: InvestigatorPrincipal, session: SessionDep, auditor: AuditorDep
) -> dict[str, Any]:
    """Plan a return round from an executed freeze (frozen amount from the bank's reply)."""
    _police(principal)
    freeze = _order(session, principal, body.freeze_order_id)
    if freeze.order_type not in {t.value for t in order_service.FREEZES} or not freeze.executed_at:
        raise ProblemError(409, "须针对已执行的冻结指令制定返还方案")
    now = _now()
    try:
        plan = return_service.plan_return(
            case_no=body.case_no,
            account=freeze.account or "",
            bank=freeze.addressee_org,
            frozen_fen=int(freeze.reply.get("amount_fen") or 0),
            claims=[return_service.Claim(**c.model_dump()) for c in body.claims],
            now=now,
            round_no=body.round_no,
        )
    except return_service.ReturnError as exc:
        raise ProblemError(422, str(exc)) from exc
    row = return_records.save(session, plan, principal.org_id, freeze.id)
    auditor.record("return.plan", "intercept_return", [row.id], {"basis": plan.basis})
    return return_records.view(row)


@router.get("/returns/{return_id}")
def get_return(return_id: int, principal: PolicePrincipal, session: SessionDep) -> dict[str, Any]:
    _police(principal)
    return return_records.view(_return(session, principal, return_id))


@router.post("/returns/{return_id}/objections")
def object_return(
    return_id: int,
    body: ObjectionIn,
    principal: PolicePrincipal,
    session: SessionDep,
    auditor: AuditorDep,
) -> dict[str, Any]:
    """Record an objection received during the public notice."""
    _police(principal)
    row = _return(session, principal, return_id)
    try:
        plan = return_service.object_to(return_records.load(row), body.by, body.reason, _now())
    except return_service.ReturnError as exc:
        raise ProblemError(409, str(exc)) from exc
    return_records.save(session, plan, row.issuing_org, row=row)
    auditor.record("return.objection", "intercept_return", [row.id])
    return return_records.view(row)


@router.post("/returns/{return_id}/decide")
def decide_return(
    return_id: int,
    body: DecideIn,
    principal: InvestigatorPrincipal,
    session: SessionDep,
    auditor: AuditorDep,
) -> dict[str, Any]:
    """The return decision (返还决定书) and the payment instructions to the bank."""
    _police(principal)
    row = _return(session, principal, return_id)
    now = _now()
    try:
        plan = return_service.decide(return_records.load(row), now, body.objections_resolved)
    except return_service.ReturnError as exc:
        raise ProblemError(409, str(exc)) from exc
    return_records.mark_decided(row, now)
    auditor.record("return.decide", "intercept_return", [row.id], {"returned": plan.returned_fen})
    return {
        **return_records.view(row),
        "decision_text": return_service.decision_text(plan, body.authority, now),
        "bank_instructions": return_service.bank_instructions(plan, now),
    }
