"""FastAPI dependencies shared by every router: session, caller, role/kind checks, audit.

``current_principal`` resolves ``X-API-Key`` through the access room; a missing, unknown or
revoked key is a 401 problem. ``optional_principal`` lets anonymous public callers through as
``None``. ``require_roles`` / ``require_org_kinds`` build dependencies that answer 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from fanzha.access import audit as audit_log
from fanzha.access import keys, sessions
from fanzha.access.principal import OrgKind, Principal, Role
from fanzha.api.errors import ProblemError
from fanzha.settings import get_settings
from fanzha.store.db import session_scope

api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="fz_<prefix>_<secret>"
)


def get_session() -> Iterator[Session]:
    """One SQLAlchemy session per request: commit on success, roll back on error."""
    with session_scope() as session:
        yield session


bearer = HTTPBearer(auto_error=False, description="控制台会话令牌 fzs_… (POST /v1/auth/login)")


def _resolve(token: str) -> Principal | None:
    # A separate short transaction so last_used is committed even if the request later fails.
    with session_scope() as s:
        if token.startswith(sessions.PREFIX):
            return sessions.resolve(s, token, get_settings().secret_bytes, datetime.now(UTC))
        return keys.resolve(s, token, datetime.now(UTC))


def optional_principal(
    request: Request,
    api_key: Annotated[str | None, Security(api_key_header)] = None,
    bearer_token: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)] = None,
) -> Principal | None:
    """The caller, or None when nothing is sent (anonymous public access). Partners send an API
    key in ``X-API-Key``; console users a session token as ``Authorization: Bearer``. A bad
    credential is a 401."""
    token = api_key or (bearer_token.credentials if bearer_token else None)
    if not token:
        return None
    principal = _resolve(token)
    if principal is None:
        raise ProblemError(
            401,
            "API 密钥无效或已吊销 (invalid or revoked API key)",
            headers={"WWW-Authenticate": "ApiKey"},
        )
    request.state.principal = principal
    return principal


def current_principal(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise ProblemError(
            401, "需要 X-API-Key 请求头 (missing API key)", headers={"WWW-Authenticate": "ApiKey"}
        )
    return principal


def require_roles(*roles: Role | str) -> Callable[..., Principal]:
    """Dependency: the caller must hold at least one of ``roles``."""
    wanted = frozenset(Role(r) for r in roles)

    def dep(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not (principal.roles & wanted):
            names = ", ".join(sorted(r.value for r in wanted))
            raise ProblemError(403, f"权限不足：需要角色 {names} (forbidden)")
        return principal

    return dep


def require_org_kinds(*kinds: OrgKind | str) -> Callable[..., Principal]:
    """Dependency: the caller's organisation must be one of ``kinds``."""
    wanted = frozenset(OrgKind(k) for k in kinds)

    def dep(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if principal.org_kind not in wanted:
            names = ", ".join(sorted(k.value for k in wanted))
            raise ProblemError(403, f"权限不足：仅限机构类型 {names} (forbidden)")
        return principal

    return dep


class Auditor:
    """``audit.record(...)`` bound to the request's session, principal and request id."""

    def __init__(self, session: Session, principal: Principal | None, request_id: str | None):
        self.session = session
        self.principal = principal
        self.request_id = request_id

    def record(
        self,
        action: str,
        resource: str,
        refs: Iterable[str | int] = (),
        detail: dict | None = None,
        principal: Principal | None = None,
        now: datetime | None = None,
    ) -> None:
        who = principal or self.principal
        if who is None:
            who = Principal(org_id="anonymous", org_kind=OrgKind.PUBLIC)
        d = dict(detail or {})
        if self.request_id:
            d.setdefault("request_id", self.request_id)
        audit_log.record(self.session, who, action, resource, refs, d, now or datetime.now(UTC))


def get_auditor(
    request: Request,
    session: Annotated[Session, Depends(get_session)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Auditor:
    return Auditor(session, principal, getattr(request.state, "request_id", None))


SessionDep = Annotated[Session, Depends(get_session)]
PrincipalDep = Annotated[Principal, Depends(current_principal)]
OptionalPrincipalDep = Annotated[Principal | None, Depends(optional_principal)]
AuditorDep = Annotated[Auditor, Depends(get_auditor)]
