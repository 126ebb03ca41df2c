"""Users: members of an organisation with roles; passwords hashed with scrypt."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.access.principal import OrgKind, Principal, Role
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


def add_user(
    session: Session,
    user_id: str,
    org_id: str,
    name: str,
    password: str,
    roles: list[Role | str],
    now: datetime | None = None,
) -> User:
    if session.get(Organisation, org_id) is None:
        raise ValueError(f"org: 机构 {org_id} 不存在")
    if session.get(User, user_id) is not None:
        raise ValueError(f"id: 用户 {user_id} 已存在")
    if len(password) < 8:
        raise ValueError("password: 密码至少 8 位")
    user = User(
        id=user_id,
        org_id=org_id,
        name=name,
        roles=sorted(Role(r).value for r in roles),
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
