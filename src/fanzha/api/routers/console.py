"""Endpoints behind the console and the public portal: login, dashboard, operator view, public
reports with evidence upload; and the built console itself at ``/console/``."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections import defaultdict, deque
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, Field
from sqlalchemy import select

from fanzha.access import sessions
from fanzha.access.principal import OrgKind, Principal
from fanzha.api.deps import (
    AuditorDep,
    OptionalPrincipalDep,
    PrincipalDep,
    SessionDep,
    require_org_kinds,
)
from fanzha.api.errors import ProblemError
from fanzha.settings import get_settings
from fanzha.store.tables.warn import OperatorRequest, WarningRow

router = APIRouter(tags=["console"])

STATIC_DIR = Path(__file__).resolve().parents[2] / "console" / "static"
POLICE = (
    OrgKind.PLATFORM,
    OrgKind.MINISTRY,
    OrgKind.PROVINCE_POLICE,
    OrgKind.CITY_POLICE,
    OrgKind.COUNTY_POLICE,
    OrgKind.POLICE_STATION,
)
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "application/pdf": "pdf",
    "text/plain": "txt",
}
REPORT_KINDS = {"phone", "account", "url", "app", "qq", "wechat", "sms"}


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=200)


class SessionOut(BaseModel):
    token: str
    user: str
    name: str
    org_id: str
    org_kind: OrgKind
    division_code: str | None
    roles: list[str]


@router.post("/v1/auth/login", response_model=SessionOut, summary="控制台登录")
def login(body: LoginIn, session: SessionDep, auditor: AuditorDep) -> SessionOut:
    from fanzha.store.tables.access import User

    got = sessions.login(
        session, body.username, body.password, get_settings().secret_bytes, datetime.now(UTC)
    )
    if got is None:
        auditor.record("auth.login_failed", "user", [body.username])
        raise ProblemError(401, "用户名或密码错误")
    token, p = got
    auditor.record("auth.login", "user", [body.username], principal=p)
    user = session.get(User, body.username)
    return SessionOut(
        token=token,
        user=body.username,
        name=user.name if user else body.username,
        org_id=p.org_id,
        org_kind=p.org_kind,
        division_code=p.division_code,
        roles=sorted(r.value for r in p.roles),
    )


@router.get("/v1/auth/me", summary="当前身份")
def me(principal: PrincipalDep) -> dict[str, Any]:
    return {
        "org_id": principal.org_id,
        "org_kind": principal.org_kind.value,
        "roles": sorted(r.value for r in principal.roles),
        "user": principal.user_id,
    }


@router.get("/v1/dashboard", summary="挂图作战：各地指标")
def get_dashboard(
    principal: Annotated[Principal, Depends(require_org_kinds(*POLICE))],
    session: SessionDep,
    auditor: AuditorDep,
) -> dict[str, Any]:
    from fanzha.console.dashboard import dashboard

    auditor.record("dashboard.read", "dashboard")
    return dashboard(session, principal, pd.Timestamp.now(tz="UTC"))


OperatorDep = Annotated[Principal, Depends(require_org_kinds(OrgKind.TELECOM, OrgKind.PLATFORM))]


@router.get("/v1/operator/requests", summary="运营商：切断通话等请求")
def operator_requests(
    principal: OperatorDep, session: SessionDep, auditor: AuditorDep, status: str = "open"
) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(OperatorRequest)
        .where(OperatorRequest.status == status)
        .order_by(OperatorRequest.at.desc())
        .limit(500)
    ).all()
    auditor.record("operator.requests", "warn_operator_requests", [r.id for r in rows])
    return [
        {
            "id": r.id,
            "warning_id": r.warning_id,
            "phone_masked": r.phone_masked,
            "request": r.request,
            "reason": r.reason,
            "status": r.status,
            "at": r.at,
        }
        for r in rows
    ]


@router.get("/v1/operator/sms", summary="运营商：待发送的12381预警短信")
def operator_sms(principal: OperatorDep, session: SessionDep, auditor: AuditorDep) -> list[dict]:
    rows = session.scalars(
        select(WarningRow)
        .where(WarningRow.status == "open", WarningRow.sms_text.is_not(None))
        .order_by(WarningRow.created_at.desc())
        .limit(500)
    ).all()
    auditor.record("operator.sms", "warning", [w.id for w in rows])
    return [
        {"warning_id": w.id, "phone_masked": w.phone_masked, "level": w.level, "text": w.sms_text}
        for w in rows
    ]


@router.get("/v1/operator/numbers", summary="运营商：需拦截或复核的号码（风险名单，脱敏）")
def operator_numbers(
    principal: OperatorDep, session: SessionDep, auditor: AuditorDep, limit: int = 200
) -> list[dict[str, Any]]:
    """Listed mobile numbers as a partner may see them: masked, no reporting organisation."""
    from fanzha.api.routers.checks import get_runtime
    from fanzha.registry.service import RegistryService, entry_view

    svc = RegistryService(session, get_settings().secret_bytes, index=get_runtime().index)
    rows = svc.search(kind="phone", status="active", limit=max(1, min(limit, 500)))
    auditor.record("operator.numbers", "registry_entry", [e.id for e in rows])
    return [entry_view(e, principal) for e in rows]


POLICE_OR_BANK = (*POLICE, OrgKind.BANK, OrgKind.PAYMENT)


@router.get("/v1/console/banks", summary="控制台：可接收止付冻结指令的银行与支付机构")
def console_banks(
    principal: Annotated[Principal, Depends(require_org_kinds(*POLICE))], session: SessionDep
) -> list[dict[str, str]]:
    from fanzha.store.tables.access import Organisation

    rows = session.scalars(
        select(Organisation)
        .where(Organisation.kind.in_([OrgKind.BANK.value, OrgKind.PAYMENT.value]))
        .order_by(Organisation.id)
    ).all()
    return [{"id": o.id, "name": o.name, "kind": o.kind} for o in rows]


class PaymentCheckIn(BaseModel):
    payer_account: str = Field(min_length=1, max_length=64)
    payee_account: str = Field(min_length=1, max_length=64)
    amount_fen: int = Field(gt=0)
    channel: str = Field("mobile_banking", max_length=32)
    payer_phone: str | None = Field(None, max_length=32)


@router.post("/v1/console/check/payment", summary="控制台：转账前支付核验（登录会话）")
def console_payment_check(
    body: PaymentCheckIn,
    principal: Annotated[Principal, Depends(require_org_kinds(*POLICE_OR_BANK))],
    auditor: AuditorDep,
) -> dict[str, Any]:
    """The same check as ``/v1/check/payment`` (which takes partners' API keys), for a person
    signed in to the console: bank staff and police checking a payment by hand."""
    from fanzha.api.routers.checks import get_runtime
    from fanzha.decide.checks import CheckError, PaymentCheckRequest, check_payment

    req = PaymentCheckRequest(
        body.payer_account, body.payee_account, body.amount_fen, body.channel, body.payer_phone
    )
    try:
        out = check_payment(get_runtime(), req, org=principal.org_id)
    except CheckError as exc:
        raise ProblemError(
            422, str(exc), [{"row": None, "field": "body", "reason": str(exc)}]
        ) from None
    auditor.record("console.check_payment", "decision", [out.as_dict()["decision_id"]])
    return out.as_dict()


_REPORT_TIMES: dict[str, deque[float]] = defaultdict(deque)
REPORTS_PER_MINUTE = 10


def _rate_ok(client: str) -> bool:
    """In-process sliding window per client address (each API worker keeps its own)."""
    now = time.monotonic()
    q = _REPORT_TIMES[client]
    while q and now - q[0] > 60:
        q.popleft()
    if len(q) >= REPORTS_PER_MINUTE:
        return False
    q.append(now)
    return True


@router.post("/v1/portal/reports", status_code=201, summary="群众举报（可上传证据）")
async def public_report(
    request: Request,
    principal: OptionalPrincipalDep,
    target_kind: Annotated[str, Form()],
    target_value: Annotated[str, Form(min_length=1, max_length=512)],
    content: Annotated[str, Form(max_length=5000)] = "",
    fraud_type: Annotated[str, Form(max_length=32)] = "",
    evidence: Annotated[UploadFile | None, File()] = None,
) -> dict[str, Any]:
    from fanzha.ingest.service import ingest_records

    if target_kind not in REPORT_KINDS:
        raise ProblemError(
            422,
            f"target_kind: 只能是 {', '.join(sorted(REPORT_KINDS))}",
            [{"row": None, "field": "target_kind", "reason": "unknown kind"}],
        )
    client = request.client.host if request.client else "unknown"
    if not _rate_ok(principal.org_id if principal else client):
        raise ProblemError(429, "举报过于频繁，请稍后再试")
    evidence_ref = None
    if evidence is not None and evidence.filename:
        ext = EVIDENCE_TYPES.get(evidence.content_type or "")
        if ext is None:
            raise ProblemError(415, f"evidence: 不支持的文件类型 {evidence.content_type}")
        data = await evidence.read(EVIDENCE_MAX_BYTES + 1)
        if len(data) > EVIDENCE_MAX_BYTES:
            raise ProblemError(413, "evidence: 文件超过 5 MB")
        digest = hashlib.sha256(data).hexdigest()
        folder = get_settings().data_dir / "evidence"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{digest}.{ext}").write_bytes(data)
        evidence_ref = f"sha256:{digest}"
    reporter = principal or Principal(org_id="public", org_kind=OrgKind.PUBLIC)
    report_id = f"R{uuid.uuid4().hex[:16]}"
    text = content + (f"\n[证据 {evidence_ref}]" if evidence_ref else "")
    event = {
        "event_id": report_id,
        "event_time": datetime.now(UTC).isoformat(),
        "target_kind": target_kind,
        "target_value": target_value,
        "fraud_type": fraud_type or None,
        "content": text or None,
        "reporter": reporter.user_id,
    }
    rep = ingest_records("public_report", [event], reporter)
    if rep.rejected:
        raise ProblemError(
            422,
            "举报内容有误",
            [{"row": None, "field": e["field"], "reason": e["reason"]} for e in rep.errors],
        )
    return {"report_id": report_id, "evidence": evidence_ref}


@router.get("/", include_in_schema=False)
def root() -> RedirectResponse:
    return RedirectResponse("/console/")


def mount_console(app) -> None:  # noqa: ANN001
    """Serve the built console (``make console``) at /console/ when it has been built."""
    from fastapi.staticfiles import StaticFiles

    if (STATIC_DIR / "index.html").exists():
        app.mount("/console", StaticFiles(directory=STATIC_DIR, html=True), name="console")
