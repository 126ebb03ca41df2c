"""Who must act on a warning, what they must do, and by when (DOMAIN.md §3; SLAs in limits)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.access.principal import OrgKind
from fanzha.domain.limits import Limits
from fanzha.domain.taxonomy import WarningLevel
from fanzha.store.tables.access import Organisation

ACTIONS: dict[WarningLevel, str] = {
    WarningLevel.URGENT: "立即电话劝阻并上门见面，必要时请运营商切断正在进行的通话",
    WarningLevel.HIGH: "24小时内见面劝阻",
    WarningLevel.MEDIUM: "限时电话劝阻或上门走访",
    WarningLevel.LOW: "发送12381预警短信并电话提醒",
}

PLATFORM_UNIT = "platform"


def sla(level: WarningLevel, limits: Limits) -> timedelta:
    return {
        WarningLevel.URGENT: limits.sla_urgent,
        WarningLevel.HIGH: limits.sla_high,
        WarningLevel.MEDIUM: limits.sla_medium,
        WarningLevel.LOW: limits.sla_low,
    }[level]


@dataclass(frozen=True)
class Assignment:
    unit_org_id: str
    action: str
    deadline: datetime


class UnitResolver:
    """The police unit responsible for where a person lives: station → county → city → province.

    Stations carry their county's division code; several stations in a county share the people
    by a stable hash of the person key (the real address-to-station map is not in our data).
    """

    def __init__(self, session: Session) -> None:
        rows = session.execute(
            select(
                Organisation.id,
                Organisation.kind,
                Organisation.division_code,
                Organisation.parent_id,
            )
        ).all()
        self._by_code: dict[tuple[str, str], list[str]] = {}
        self.parent: dict[str, str | None] = {}
        for org_id, kind, code, parent in rows:
            self.parent[org_id] = parent
            if code:
                self._by_code.setdefault((kind, code), []).append(org_id)
        for ids in self._by_code.values():
            ids.sort()

    def resolve(
        self, division_code: str | None, person_key: str, station_hint: str | None = None
    ) -> str:
        """The station named by the household register when we know it, else by division."""
        if station_hint and station_hint in self.parent:
            return station_hint
        if not division_code:
            return PLATFORM_UNIT
        code = division_code
        stations = self._by_code.get((OrgKind.POLICE_STATION.value, code))
        if stations:
            h = int(hashlib.sha256(person_key.encode()).hexdigest()[:8], 16)
            return stations[h % len(stations)]
        for kind, c in (
            (OrgKind.COUNTY_POLICE, code),
            (OrgKind.CITY_POLICE, code[:4] + "00"),
            (OrgKind.PROVINCE_POLICE, code[:2] + "0000"),
        ):
            hit = self._by_code.get((kind.value, c))
            if hit:
                return hit[0]
        return PLATFORM_UNIT

    def escalate(self, org_id: str) -> str:
        return self.parent.get(org_id) or PLATFORM_UNIT


def assign(level: WarningLevel, unit_org_id: str, now: datetime, limits: Limits) -> Assignment:
    return Assignment(unit_org_id, ACTIONS[level], now + sla(level, limits))
