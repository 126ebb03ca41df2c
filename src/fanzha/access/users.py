"""Users: members of an organisation with roles; passwords hashed with scrypt."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.access.principal import OrgKind, Principal, Role, check_roles
from fanzha.store.tables.access import Organisation, User

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    dk = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(dk).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, dk = stored.split("$")
    except ValueError:
        return False
    if algo != "scrypt":
        return False
    want = base64.b64decode(dk)
    got = hashlib.scrypt(
        password.encode("utf-8"),
        salt=base64.b64decode(salt),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=len(want),
    )
    return hmac.compare_digest(want, got)


MIN_PASSWORD = 8


class UserError(ValueError):
    """A user could not be created or changed; the message starts with the field's name."""


def _roles(org: Organisation, roles: list[Role | str]) -> list[str]:
    try:
        role_set = frozenset(Role(r) for r in roles)
    except ValueError as exc:
        raise UserError(f"roles: 未知角色 ({exc})") from exc
    try:
        check_roles(OrgKind(org.kind), role_set)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    return sorted(r.value for r in role_set)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password: 密码至少 {MIN_PASSWORD} 位")


def add_user(
    session: Session,
    user_id: str,
    org_id: str,
    name: str,
    password: str,
    roles: list[Role | str],
    now: datetime | None = None,
) -> User:
    org = session.get(Organisation, org_id)
    if org is None:
        raise UserError(f"org: 机构 {org_id} 不存在")
    if session.get(User, user_id) is not None:
        raise UserError(f"id: 用户 {user_id} 已存在")
    _check_password(password)
    user = User(
        id=user_id,
        org_id=org_id,
        name=name,
        roles=_roles(org, roles),
        password_hash=hash_password(password),
        disabled=False,
        created_at=now or datetime.now(UTC),
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, user_id: str, password: str) -> Principal | None:
    user = session.get(User, user_id)
    if user is None or user.disabled or not check_password(password, user.password_hash):
        return None
    return principal_of(session, user)


def principal_of(session: Session, user: User) -> Principal | None:
    """The principal a (checked, enabled) user acts as."""
    org = session.get(Organisation, user.org_id)
    if org is None:
        return None
    return Principal(
        org_id=org.id,
        org_kind=OrgKind(org.kind),
        roles=frozenset(Role(r) for r in user.roles),
        division_code=org.division_code,
        user_id=user.id,
    )


def list_users(session: Session, org_id: str | None = None) -> list[User]:
    q = select(User).order_by(User.id)
    if org_id:
        q = q.where(User.org_id == org_id)
    return list(session.scalars(q))


def get_user(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise UserError(f"id: 用户 {user_id} 不存在")
    return user


def set_disabled(session: Session, user_id: str, disabled: bool) -> User:
    """Disable (or re-enable) a user; a disabled user's session tokens stop working at once."""
    user = get_user(session, user_id)
    user.disabled = disabled
    session.flush()
    return user


def set_password(session: Session, user_id: str, password: str) -> User:
    user = get_user(session, user_id)
    _check_password(password)
    user.password_hash = hash_password(password)
    session.flush()
    return user


def set_roles(session: Session, user_id: str, roles: list[Role | str]) -> User:
    user = get_user(session, user_id)
    org = session.get(Organisation, user.org_id)
    assert org is not None  # users.org_id is a foreign key
    user.roles = _roles(org, roles)
    session.flush()
    return user
