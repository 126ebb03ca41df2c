"""``/v1/users``: console users. Platform admins manage every organisation's users; an
organisation's admin manages its own. Passwords are never returned."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from fanzha.access import users as user_service
from fanzha.access.principal import Principal, Role
from fanzha.access.scope import sees_everything
from fanzha.api.deps import AuditorDep, SessionDep, require_roles
from fanzha.api.errors import ProblemError
from fanzha.api.pagination import Page, PageParams, page_params
from fanzha.store.tables.access import User

router = APIRouter(prefix="/v1/users", tags=["organisations"])

AdminDep = Depends(require_roles(Role.ADMIN))
UserId = Path(max_length=64, description="登录名")


class UserIn(BaseModel):
    id: str = Field(min_length=2, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.@-]*$")
    org_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    roles: list[Role] = Field(min_length=1)
    password: str = Field(min_length=user_service.MIN_PASSWORD, max_length=200)


class UserPatch(BaseModel):
    disabled: bool | None = None
    roles: list[Role] | None = Field(None, min_length=1)
    password: str | None = Field(None, min_length=user_service.MIN_PASSWORD, max_length=200)


class UserOut(BaseModel):
    id: str
    org_id: str
    name: str
    roles: list[str]
    disabled: bool
    created_at: datetime


def _out(u: User) -> UserOut:
    return UserOut(
        id=u.id,
        org_id=u.org_id,
        name=u.name,
        roles=list(u.roles),
        disabled=u.disabled,
        created_at=u.created_at,
    )


def _unprocessable(exc: ValueError) -> ProblemError:
    field, _, reason = str(exc).partition(": ")
    return ProblemError(
        422, str(exc), [{"row": None, "field": field, "reason": reason or str(exc)}]
    )


def _own_user(session: Session, principal: Principal, user_id: str) -> User:
    """The user, if the caller may manage it; 404 otherwise (no hint that it exists elsewhere)."""
    user = session.get(User, user_id)
    if user is None or not (sees_everything(principal) or user.org_id == principal.org_id):
        raise ProblemError(404, f"用户 {user_id} 不存在")
    return user


@router.get("", response_model=Page[UserOut], summary="列出用户")
def list_users(
    session: SessionDep,
    auditor: AuditorDep,
    principal: Principal = AdminDep,
    page: PageParams = Depends(page_params),
) -> Page[UserOut]:
    org = None if sees_everything(principal) else principal.org_id
    rows = user_service.list_users(session, org)
    auditor.record("users.list", "user", detail={"count": len(rows)})
    items = [_out(u) for u in rows[page.offset : page.offset + page.limit]]
    return Page[UserOut].build(items, len(rows), page)


@router.post("", response_model=UserOut, status_code=201, summary="新增用户")
def add_user(
    body: UserIn, session: SessionDep, auditor: AuditorDep, principal: Principal = AdminDep
) -> UserOut:
    if not sees_everything(principal) and body.org_id != principal.org_id:
        raise ProblemError(403, "只能为本机构添加用户 (own organisation only)")
    try:
        user = user_service.add_user(
            session, body.id, body.org_id, body.name, body.password, list(body.roles)
        )
    except ValueError as exc:
        raise _unprocessable(exc) from exc
    auditor.record("users.add", "user", [user.id], {"org": user.org_id})
    return _out(user)


@router.get("/{user_id}", response_model=UserOut, summary="用户详情")
def show_user(
    session: SessionDep,
    auditor: AuditorDep,
    user_id: str = UserId,
    principal: Principal = AdminDep,
) -> UserOut:
    user = _own_user(session, principal, user_id)
    auditor.record("users.show", "user", [user.id])
    return _out(user)


@router.patch("/{user_id}", response_model=UserOut, summary="停用/启用、改角色、重置密码")
def change_user(
    body: UserPatch,
    session: SessionDep,
    auditor: AuditorDep,
    user_id: str = UserId,
    principal: Principal = AdminDep,
) -> UserOut:
    user = _own_user(session, principal, user_id)
    if user.id == principal.user_id and (body.disabled or body.roles is not None):
        raise ProblemError(409, "不能停用自己或修改自己的角色 (ask another admin)")
    changes: list[tuple[str, Callable[[], User]]] = []
    if body.roles is not None:
        changes.append(("roles", lambda: user_service.set_roles(session, user.id, body.roles)))
    if body.password is not None:
        changes.append(
            ("password", lambda: user_service.set_password(session, user.id, body.password))
        )
    if body.disabled is not None:
        changes.append(
            ("disabled", lambda: user_service.set_disabled(session, user.id, body.disabled))
        )
    try:
        for _, change in changes:
            user = change()
    except ValueError as exc:
        raise _unprocessable(exc) from exc
    # The audit entry names what changed, never the new password.
    auditor.record("users.change", "user", [user.id], {"changed": [name for name, _ in changes]})
    return _out(user)
