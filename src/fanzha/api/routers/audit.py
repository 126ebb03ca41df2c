"""``/v1/audit``: the audit log and its verification (platform only)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from fanzha.access import audit as audit_log
from fanzha.access.principal import OrgKind, Principal
from fanzha.api.deps import AuditorDep, SessionDep, require_org_kinds
from fanzha.api.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1/audit", tags=["audit"])

PlatformDep = Depends(require_org_kinds(OrgKind.PLATFORM, OrgKind.MINISTRY))


class AuditOut(BaseModel):
    seq: int
    at: datetime
    actor_org: str
    actor_user: str | None
    actor_key: str | None
    action: str
    resource_kind: str
    refs: list
    detail: dict
    prev_hash: str
    hash: str


class VerifyOut(BaseModel):
    ok: bool
    checked: int
    first_bad_seq: int | None
    reason: str | None


@router.get("", response_model=Page[AuditOut])
def list_audit(
    session: SessionDep,
    auditor: AuditorDep,
    principal: Principal = PlatformDep,
    page: PageParams = Depends(page_params),
    action: str | None = Query(None, max_length=64),
) -> Page[AuditOut]:
    rows, total = audit_log.recent(session, page.limit, page.offset, action)
    items = [
        AuditOut(
            seq=e.seq,
            at=e.at,
            actor_org=e.actor_org,
            actor_user=e.actor_user,
            actor_key=e.actor_key,
            action=e.action,
            resource_kind=e.resource_kind,
            refs=e.refs,
            detail=e.detail,
            prev_hash=e.prev_hash,
            hash=e.hash,
        )
        for e in rows
    ]
    auditor.record("audit.read", "audit_log", detail={"count": len(items)})
    return Page[AuditOut].build(items, total, page)


@router.get("/verify", response_model=VerifyOut)
def verify_audit(session: SessionDep, principal: Principal = PlatformDep) -> VerifyOut:
    r = audit_log.verify(session)
    return VerifyOut(ok=r.ok, checked=r.checked, first_bad_seq=r.first_bad_seq, reason=r.reason)
