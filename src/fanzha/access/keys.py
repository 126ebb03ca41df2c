"""API keys: ``fz_<prefix>_<secret>``, shown once; only an HMAC of the secret is stored."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.access.principal import OrgKind, Principal, Role, check_roles
from fanzha.settings import get_settings
from fanzha.store.tables.access import ApiKey, Organisation

LAST_USED_RESOLUTION = timedelta(minutes=1)

DEFAULT_ROLES: dict[OrgKind, frozenset[Role]] = {
    OrgKind.PLATFORM: frozenset({Role.ADMIN, Role.ANALYST, Role.INVESTIGATOR}),
    OrgKind.MINISTRY: frozenset({Role.ADMIN, Role.ANALYST, Role.INVESTIGATOR}),
    OrgKind.PROVINCE_POLICE: frozenset({Role.ANALYST, Role.OFFICER, Role.INVESTIGATOR}),
    OrgKind.CITY_POLICE: frozenset({Role.ANALYST, Role.OFFICER, Role.INVESTIGATOR}),
    OrgKind.COUNTY_POLICE: frozenset({Role.OFFICER, Role.INVESTIGATOR}),
    OrgKind.POLICE_STATION: frozenset({Role.OFFICER}),
    OrgKind.BANK: frozenset({Role.PARTNER}),
    OrgKind.PAYMENT: frozenset({Role.PARTNER}),
    OrgKind.TELECOM: frozenset({Role.PARTNER}),
    OrgKind.INTERNET: frozenset({Role.PARTNER}),
    OrgKind.PUBLIC: frozenset({Role.CITIZEN}),
}


class KeyError_(ValueError):
    pass


@dataclass(frozen=True)
class IssuedKey:
    id: str
    org_id: str
    prefix: str
    token: str  # the full key; shown once, never stored
    roles: tuple[str, ...]


def _secret_hash(secret: str) -> str:
    return hmac.new(get_settings().secret_bytes, secret.encode("utf-8"), hashlib.sha256).hexdigest()


def create_key(
    session: Session,
    org_id: str,
    name: str = "",
    roles: list[Role | str] | None = None,
    now: datetime | None = None,
) -> IssuedKey:
    org = session.get(Organisation, org_id)
    if org is None:
        raise KeyError_(f"org: 机构 {org_id} 不存在")
    kind = OrgKind(org.kind)
    try:
        role_set = frozenset(Role(r) for r in roles) if roles else DEFAULT_ROLES[kind]
        check_roles(kind, role_set)
    except ValueError as exc:
        raise KeyError_(str(exc) if str(exc).startswith("roles:") else f"roles: {exc}") from exc
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(24)
    key = ApiKey(
        id=f"key-{uuid.uuid4().hex[:12]}",
        org_id=org_id,
        prefix=prefix,
        secret_hash=_secret_hash(secret),
        name=name,
        roles=sorted(r.value for r in role_set),
        created_at=now or datetime.now(UTC),
    )
    session.add(key)
    session.flush()
    return IssuedKey(key.id, org_id, prefix, f"fz_{prefix}_{secret}", tuple(key.roles))


def parse_token(token: str) -> tuple[str, str] | None:
    if not token or not token.startswith("fz_"):
        return None
    parts = token.split("_", 2)
    if len(parts) != 3 or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]


def resolve(session: Session, token: str, now: datetime | None = None) -> Principal | None:
    """The principal for a key, or None when the key is unknown, wrong or revoked."""
    parsed = parse_token(token.strip())
    if parsed is None:
        return None
    prefix, secret = parsed
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == prefix))
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.secret_hash, _secret_hash(secret)):
        return None
    org = session.get(Organisation, key.org_id)
    if org is None:
        return None
    now = now or datetime.now(UTC)
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        key.last_used_at = now
    return Principal(
        org_id=org.id,
        org_kind=OrgKind(org.kind),
        roles=frozenset(Role(r) for r in key.roles),
        division_code=org.division_code,
        key_id=key.id,
    )


def revoke(session: Session, key_id: str, now: datetime | None = None) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None:
        key = session.scalar(select(ApiKey).where(ApiKey.prefix == key_id))
    if key is None:
        raise KeyError_(f"key: 密钥 {key_id} 不存在")
    if key.revoked_at is None:
        key.revoked_at = now or datetime.now(UTC)
    session.flush()
    return key


def list_keys(session: Session, org_id: str | None = None) -> list[ApiKey]:
    q = select(ApiKey).order_by(ApiKey.created_at, ApiKey.id)
    if org_id:
        q = q.where(ApiKey.org_id == org_id)
    return list(session.scalars(q))
