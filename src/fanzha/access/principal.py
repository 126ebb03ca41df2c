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
