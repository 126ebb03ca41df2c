"""``/v1/orgs`` and ``/v1/keys``: organisations and API keys (platform admins; org admins for
their own keys)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from fanzha.access import keys as key_service
from fanzha.access import orgs as org_service
from fanzha.access.principal import OrgKind, Principal, Role
from fanzha.access.scope import can_see_org, sees_everything
from fanzha.api.deps import AuditorDep, SessionDep, require_roles
from fanzha.api.errors import ProblemError
from fanzha.api.pagination import Page, PageParams, page_params

router = APIRouter(prefix="/v1", tags=["organisations"])

AdminDep = Depends(require_roles(Role.ADMIN))


class OrgIn(BaseModel):
    id: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    name: str = Field(min_length=1, max_length=200)
    kind: OrgKind
    division_code: str | None = Field(None, pattern=r"^\d{6}$")
    parent_id: str | None = Field(None, max_length=64)


class OrgOut(BaseModel):
    id: str
    name: str
    kind: OrgKind
    division_code: str | None
    parent_id: str | None
    created_at: datetime


class KeyIn(BaseModel):
    org_id: str = Field(min_length=1, max_length=64)
    name: str = Field("", max_length=200)
    roles: list[Role] | None = None


class KeyOut(BaseModel):
    id: str
    org_id: str
    prefix: str
    name: str
    roles: list[str]
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class IssuedKeyOut(BaseModel):
    id: str
    org_id: str
    prefix: str
    roles: list[str]
    key: str = Field(description="完整密钥，仅显示这一次 (shown once)")


def _org_out(o) -> OrgOut:  # noqa: ANN001
    return OrgOut(
        id=o.id,
        name=o.name,
        kind=OrgKind(o.kind),
        division_code=o.division_code,
        parent_id=o.parent_id,
        created_at=o.created_at,
    )


def _key_out(k) -> KeyOut:  # noqa: ANN001
    return KeyOut(
        id=k.id,
        org_id=k.org_id,
        prefix=k.prefix,
        name=k.name,
        roles=list(k.roles),
        created_at=k.created_at,
        revoked_at=k.revoked_at,
        last_used_at=k.last_used_at,
    )


def _platform_only(principal: Principal) -> None:
    if not sees_everything(principal):
        raise ProblemError(403, "仅平台管理员可管理机构 (platform admins only)")


@router.get("/orgs", response_model=Page[OrgOut])
def list_orgs(
    session: SessionDep,
    auditor: AuditorDep,
    principal: Principal = AdminDep,
    page: PageParams = Depends(page_params),
) -> Page[OrgOut]:
    rows = [o for o in org_service.list_orgs(session) if can_see_org(principal, o.id, session)]
    auditor.record("orgs.list", "organisation", detail={"count": len(rows)})
    items = [_org_out(o) for o in rows[page.offset : page.offset + page.limit]]
    return Page[OrgOut].build(items, len(rows), page)


@router.post("/orgs", response_model=OrgOut, status_code=201)
def add_org(
    body: OrgIn, session: SessionDep, auditor: AuditorDep, principal: Principal = AdminDep
) -> OrgOut:
    _platform_only(principal)
    try:
        org = org_service.add_org(
            session, body.id, body.name, body.kind, body.division_code, body.parent_id
        )
    except org_service.OrgError as exc:
        field, _, reason = str(exc).partition(": ")
        raise ProblemError(
            422, str(exc), [{"row": None, "field": field, "reason": reason or str(exc)}]
        ) from exc
    auditor.record("orgs.add", "organisation", [org.id])
    return _org_out(org)


@router.get("/orgs/{org_id}", response_model=OrgOut)
def show_org(
    session: SessionDep,
    auditor: AuditorDep,
    org_id: str = Path(max_length=64),
    principal: Principal = AdminDep,
) -> OrgOut:
    org = org_service.get_org(session, org_id)
    if org is None or not can_see_org(principal, org_id, session):
        raise ProblemError(404, f"机构 {org_id} 不存在")
    auditor.record("orgs.show", "organisation", [org.id])
    return _org_out(org)


@router.get("/keys", response_model=Page[KeyOut])
def list_keys(
    session: SessionDep,
    auditor: AuditorDep,
    principal: Principal = AdminDep,
    page: PageParams = Depends(page_params),
) -> Page[KeyOut]:
    org = None if sees_everything(principal) else principal.org_id
    rows = key_service.list_keys(session, org)
    auditor.record("keys.list", "api_key", detail={"count": len(rows)})
    items = [_key_out(k) for k in rows[page.offset : page.offset + page.limit]]
    return Page[KeyOut].build(items, len(rows), page)


@router.post("/keys", response_model=IssuedKeyOut, status_code=201)
def create_key(
    body: KeyIn, session: SessionDep, auditor: AuditorDep, principal: Principal = AdminDep
) -> IssuedKeyOut:
    if not sees_everything(principal) and body.org_id != principal.org_id:
        raise ProblemError(403, "只能为本机构创建密钥 (own organisation only)")
    try:
        issued = key_service.create_key(
            session, body.org_id, body.name, body.roles, datetime.now(UTC)
        )
    except (key_service.KeyError_, ValueError) as exc:
        raise ProblemError(422, str(exc)) from exc
    auditor.record("keys.create", "api_key", [issued.id], {"org": body.org_id})
    return IssuedKeyOut(
        id=issued.id,
        org_id=issued.org_id,
        prefix=issued.prefix,
        roles=list(issued.roles),
        key=issued.token,
    )


@router.delete("/keys/{key_id}", response_model=KeyOut)
def revoke_key(
    session: SessionDep,
    auditor: AuditorDep,
    key_id: str = Path(max_length=64),
    principal: Principal = AdminDep,
) -> KeyOut:
    rows = [k for k in key_service.list_keys(session) if key_id in (k.id, k.prefix)]
    if not rows or (not sees_everything(principal) and rows[0].org_id != principal.org_id):
        raise ProblemError(404, f"密钥 {key_id} 不存在")
    key = key_service.revoke(session, rows[0].id, datetime.now(UTC))
    auditor.record("keys.revoke", "api_key", [key.id])
    return _key_out(key)
