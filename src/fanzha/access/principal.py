"""Who is calling: the principal every service receives, and the organisation kinds.

The API resolves a principal from an API key (``X-API-Key``) or a console session; the CLI acts as
the platform operator. Services take a ``Principal`` and never look at HTTP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class OrgKind(StrEnum):
    PLATFORM = "platform"  # the anti-fraud centre operating Fanzha
    MINISTRY = "ministry"
    PROVINCE_POLICE = "province_police"
    CITY_POLICE = "city_police"
    COUNTY_POLICE = "county_police"
    POLICE_STATION = "police_station"
    BANK = "bank"
    PAYMENT = "payment"
    TELECOM = "telecom"
    INTERNET = "internet"
    PUBLIC = "public"

    @property
    def is_police(self) -> bool:
        return self in POLICE_KINDS


POLICE_KINDS = frozenset(
    {
        OrgKind.MINISTRY,
        OrgKind.PROVINCE_POLICE,
        OrgKind.CITY_POLICE,
        OrgKind.COUNTY_POLICE,
        OrgKind.POLICE_STATION,
    }
)


class Role(StrEnum):
    ADMIN = "admin"  # manages its own organisation's users and keys
    ANALYST = "analyst"  # platform/police analyst: registry, cases, tracing
    OFFICER = "officer"  # police officer: warnings, tasks, outcomes
    INVESTIGATOR = "investigator"  # police: stop-payment/freeze orders, full identifiers
    PARTNER = "partner"  # bank/operator/internet staff: submit events, run checks, answer orders
    CITIZEN = "citizen"  # public portal user


_POLICE_ROLES = frozenset({Role.ADMIN, Role.ANALYST, Role.OFFICER, Role.INVESTIGATOR})
_PARTNER_ROLES = frozenset({Role.ADMIN, Role.PARTNER})

# Which roles an organisation of each kind may hold at all (users and API keys): a bank can never be
# given an investigator's view of full identifiers, nor a citizen an analyst's.
ALLOWED_ROLES: dict[OrgKind, frozenset[Role]] = {
    OrgKind.PLATFORM: _POLICE_ROLES,
    OrgKind.MINISTRY: _POLICE_ROLES,
    **{kind: _POLICE_ROLES for kind in POLICE_KINDS},
    OrgKind.BANK: _PARTNER_ROLES,
    OrgKind.PAYMENT: _PARTNER_ROLES,
    OrgKind.TELECOM: _PARTNER_ROLES,
    OrgKind.INTERNET: _PARTNER_ROLES,
    OrgKind.PUBLIC: frozenset({Role.CITIZEN}),
}


def check_roles(kind: OrgKind, roles: frozenset[Role]) -> None:
    """Raise ``ValueError`` naming the field when ``roles`` exceed what ``kind`` may hold."""
    if not roles:
        raise ValueError("roles: 至少需要一个角色")
    extra = sorted(r.value for r in roles - ALLOWED_ROLES[kind])
    if extra:
        raise ValueError(f"roles: {kind.value} 类机构不能拥有角色 {', '.join(extra)}")


@dataclass(frozen=True)
class Principal:
    org_id: str
    org_kind: OrgKind
    roles: frozenset[Role] = field(default_factory=frozenset)
    division_code: str | None = None  # police: 6-digit administrative division
    user_id: str | None = None
    key_id: str | None = None

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_platform(self) -> bool:
        return self.org_kind in (OrgKind.PLATFORM, OrgKind.MINISTRY)

    @property
    def label(self) -> str:
        who = self.user_id or self.key_id or "-"
        return f"{self.org_id}/{who}"


PLATFORM_OPERATOR = Principal(
    org_id="platform",
    org_kind=OrgKind.PLATFORM,
    roles=frozenset({Role.ADMIN, Role.ANALYST, Role.INVESTIGATOR}),
    user_id="cli",
)
