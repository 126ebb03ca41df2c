"""``/v1/warnings``: the units' warning queue, receipt, outcomes, metrics; ``/v1/inbox`` for citizens.

Police officers see the full phone number of the person they must call (audited); everyone else
sees it masked.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from fanzha.access.principal import OrgKind, Principal, Role
from fanzha.api.deps import AuditorDep, SessionDep, require_org_kinds, require_roles
from fanzha.api.errors import ProblemError
from fanzha.api.pagination import Page, PageParams, page_params
from fanzha.domain.clock import SystemClock
from fanzha.domain.taxonomy import WarningLevel
from fanzha.settings import get_settings
from fanzha.store.tables.warn import WarningRow, WarnTask
from fanzha.warn.metrics import metrics
from fanzha.warn.service import OUTCOMES, WarnError, WarningService

router = APIRouter(prefix="/v1", tags=["warnings"])

POLICE = (
    OrgKind.PLATFORM,
    OrgKind.MINISTRY,
    OrgKind.PROVINCE_POLICE,
    OrgKind.CITY_POLICE,
    OrgKind.COUNTY_POLICE,
    OrgKind.POLICE_STATION,
)
PoliceDep = Annotated[Principal, Depends(require_org_kinds(*POLICE))]


class TaskOut(BaseModel):
    task_id: int
    warning_id: int
    unit_org_id: str
    status: str
    level: int
    level_label: str
    action: str
    deadline: datetime
    seconds_left: int
    person: str
    phone: str | None
    age: int | None
    division_code: str | None
    fraud_type: str
    dimensions: list[str]
    reasons: list[str]
    first_exposure_at: datetime
    created_at: datetime


class OutcomeIn(BaseModel):
    outcome: str = Field(description="、".join(f"{k}={v}" for k, v in OUTCOMES.items()))
    note: str = Field("", max_length=2000)


class WarningOut(BaseModel):
    id: int
    level: int
    status: str
    outcome: str | None
    fraud_type: str


class InboxOut(BaseModel):
    id: int
    at: datetime
    title: str
    body: str


def _service(session, now_clock=None) -> WarningService:  # noqa: ANN001
    return WarningService(session, get_settings().secret_bytes, now_clock or SystemClock())


def _sees_full_phone(p: Principal) -> bool:
    return p.org_kind.is_police and bool(p.roles & {Role.OFFICER, Role.INVESTIGATOR})


def _task_out(task: WarnTask, w: WarningRow, p: Principal, now: datetime) -> TaskOut:
    return TaskOut(
        task_id=task.id,
        warning_id=w.id,
        unit_org_id=task.unit_org_id,
        status=task.status,
        level=task.level,
        level_label=WarningLevel(task.level).label,
        action=task.action,
        deadline=task.deadline,
        seconds_left=int((task.deadline - now).total_seconds()),
        person=w.person_masked,
        phone=w.phone if _sees_full_phone(p) else w.phone_masked,
        age=w.age,
        division_code=w.division_code,
        fraud_type=w.fraud_type,
        dimensions=w.dimensions,
        reasons=w.reasons,
        first_exposure_at=w.first_exposure_at,
        created_at=w.created_at,
    )


@router.get("/warnings/queue", response_model=Page[TaskOut], summary="本单位预警任务队列")
def queue(
    principal: PoliceDep,
    session: SessionDep,
    auditor: AuditorDep,
    page: Annotated[PageParams, Depends(page_params)],
    status: str = Query(
        "open", description="open / dispatched / received / in_progress / done / escalated"
    ),
) -> Page[TaskOut]:
    svc = _service(session)
    now = svc.clock.now()
    rows = svc.queue(principal, status, page.limit + 1, page.offset)
    items = [_task_out(t, w, principal, now) for t, w in rows[: page.limit]]
    auditor.record(
        "warnings.queue",
        "warning",
        [i.warning_id for i in items],
        {"full_phone": _sees_full_phone(principal)},
    )
    total = page.offset + len(rows)
    return Page.build(items, total, page)


def _act(task_id: int, principal: Principal, session, auditor, fn: str) -> TaskOut:  # noqa: ANN001
    svc = _service(session)
    try:
        task = getattr(svc, fn)(task_id, principal)
    except WarnError as exc:
        raise ProblemError(404 if "task_id" in str(exc) else 409, str(exc)) from exc
    w = session.get(WarningRow, task.warning_id)
    auditor.record(f"warnings.{fn}", "warn_task", [task_id])
    return _task_out(task, w, principal, svc.clock.now())


@router.post("/warnings/tasks/{task_id}/receive", response_model=TaskOut, summary="签收任务")
def receive(
    principal: PoliceDep, session: SessionDep, auditor: AuditorDep, task_id: int = Path(ge=1)
) -> TaskOut:
    return _act(task_id, principal, session, auditor, "receive")


@router.post("/warnings/tasks/{task_id}/start", response_model=TaskOut, summary="开始处置")
def start(
    principal: PoliceDep, session: SessionDep, auditor: AuditorDep, task_id: int = Path(ge=1)
) -> TaskOut:
    return _act(task_id, principal, session, auditor, "start")


@router.post("/warnings/tasks/{task_id}/outcome", response_model=WarningOut, summary="反馈处置结果")
def outcome(
    body: OutcomeIn,
    principal: PoliceDep,
    session: SessionDep,
    auditor: AuditorDep,
    task_id: int = Path(ge=1),
) -> WarningOut:
    svc = _service(session)
    try:
        w = svc.record_outcome(task_id, body.outcome, principal, body.note)
    except WarnError as exc:
        status = 404 if "task_id" in str(exc) else 409 if "status" in str(exc) else 422
        raise ProblemError(status, str(exc)) from exc
    auditor.record("warnings.outcome", "warning", [w.id], {"outcome": body.outcome})
    return WarningOut(
        id=w.id, level=w.level, status=w.status, outcome=w.outcome, fraud_type=w.fraud_type
    )


@router.post("/warnings/escalate", summary="到期未处置任务升级（平台调度）")
def escalate(
    principal: Annotated[Principal, Depends(require_roles(Role.ADMIN, Role.ANALYST))],
    session: SessionDep,
    auditor: AuditorDep,
) -> dict[str, int]:
    if not principal.is_platform:
        raise ProblemError(403, "权限不足：仅平台可触发升级")
    created = _service(session).escalate_due()
    auditor.record("warnings.escalate", "warn_task", [t.id for t in created])
    return {"escalated": len(created)}


@router.get("/warnings/metrics", summary="预警考评指标")
def warning_metrics(
    principal: PoliceDep,
    session: SessionDep,
    group_by: str = Query("unit", pattern="^(unit|county|city|day)$"),
) -> dict:
    return metrics(session, principal, pd.Timestamp.now(tz="UTC"), group_by)


@router.get("/inbox", response_model=list[InboxOut], summary="我的预警消息（反诈App）")
def inbox(
    principal: Annotated[Principal, Depends(require_org_kinds(OrgKind.PUBLIC))],
    session: SessionDep,
    auditor: AuditorDep,
) -> list[InboxOut]:
    """A citizen's warnings; the citizen's user id is the phone number they registered with."""
    if not principal.user_id:
        raise ProblemError(403, "需要以手机号注册的个人账户")
    items = _service(session).inbox(principal.user_id)
    auditor.record("warnings.inbox", "warn_inbox", [i.id for i in items])
    return [InboxOut(id=i.id, at=i.at, title=i.title, body=i.body) for i in items]
