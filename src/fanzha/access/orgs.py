"""Organisations: creation with division-code rules for police units, lookup, listing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.access.principal import OrgKind
from fanzha.store.tables.access import Organisation

_DIVISION = re.compile(r"^[1-9]\d{5}$")
_ORG_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")

# Which police kind may sit under which parent kind.
_POLICE_PARENTS: dict[OrgKind, set[OrgKind]] = {
    OrgKind.MINISTRY: set(),
    OrgKind.PROVINCE_POLICE: {OrgKind.MINISTRY},
    OrgKind.CITY_POLICE: {OrgKind.PROVINCE_POLICE},
    OrgKind.COUNTY_POLICE: {OrgKind.CITY_POLICE},
    OrgKind.POLICE_STATION: {OrgKind.COUNTY_POLICE},
}


class OrgError(ValueError):
    """A rule about organisations was broken; the message names the field."""


def division_level(code: str) -> str:
    """'province' for 510000, 'city' for 510100, 'county' for 510104."""
    if code[2:] == "0000":
        return "province"
    if code[4:] == "00":
        return "city"
    return "county"


def jurisdiction_prefix(kind: OrgKind, code: str) -> str:
    """The division-code prefix a police unit covers: province 51, city 5101, county 510104."""
    if kind == OrgKind.PROVINCE_POLICE:
        return code[:2]
    if kind == OrgKind.CITY_POLICE:
        return code[:4]
    return code[:6]


def validate_org(
    session: Session,
    org_id: str,
    kind: OrgKind,
    division_code: str | None,
    parent_id: str | None,
) -> Organisation | None:
    """Check an organisation before it is added; returns the parent (if any)."""
    if not _ORG_ID.match(org_id):
        raise OrgError("id: 只能使用小写字母、数字、下划线、点和连字符 (最长 64)")
    if session.get(Organisation, org_id) is not None:
        raise OrgError(f"id: 机构 {org_id} 已存在")
    parent = None
    if parent_id:
        parent = session.get(Organisation, parent_id)
        if parent is None:
            raise OrgError(f"parent_id: 上级机构 {parent_id} 不存在")
    if not kind.is_police or kind == OrgKind.MINISTRY:
        if division_code is not None and not _DIVISION.match(division_code):
            raise OrgError("division_code: 行政区划代码必须是 6 位数字")
        return parent
    if division_code is None or not _DIVISION.match(division_code):
        raise OrgError("division_code: 公安机关必须有 6 位行政区划代码")
    level = division_level(division_code)
    wanted = {
        OrgKind.PROVINCE_POLICE: {"province"},
        OrgKind.CITY_POLICE: {"city"},
        OrgKind.COUNTY_POLICE: {"county"},  # 市辖区 codes like 510104 are county-level
        OrgKind.POLICE_STATION: {"county"},  # a station carries its county's code
    }[kind]
    if level not in wanted:
        raise OrgError(f"division_code: {division_code} 与机构类型 {kind.value} 的层级不符")
    allowed_parents = _POLICE_PARENTS[kind]
    if parent is None:
        if kind != OrgKind.PROVINCE_POLICE:
            raise OrgError(f"parent_id: {kind.value} 必须指定上级公安机关")
        return None
    parent_kind = OrgKind(parent.kind)
    if parent_kind not in allowed_parents:
        raise OrgError(f"parent_id: {kind.value} 的上级不能是 {parent_kind.value}")
    if parent.division_code:
        prefix = jurisdiction_prefix(parent_kind, parent.division_code)
        if not division_code.startswith(prefix):
            raise OrgError(
                f"division_code: {division_code} 不在上级 {parent.id} ({parent.division_code}) 辖区内"
            )
    return parent


def add_org(
    session: Session,
    org_id: str,
    name: str,
    kind: OrgKind | str,
    division_code: str | None = None,
    parent_id: str | None = None,
    now: datetime | None = None,
) -> Organisation:
    kind = OrgKind(kind)
    if not name.strip():
        raise OrgError("name: 机构名称不能为空")
    validate_org(session, org_id, kind, division_code, parent_id)
    org = Organisation(
        id=org_id,
        name=name.strip(),
        kind=kind.value,
        division_code=division_code,
        parent_id=parent_id,
        created_at=now or datetime.now(UTC),
    )
    session.add(org)
    session.flush()
    return org


def get_org(session: Session, org_id: str) -> Organisation | None:
    return session.get(Organisation, org_id)


def list_orgs(session: Session, kind: OrgKind | str | None = None) -> list[Organisation]:
    q = select(Organisation).order_by(Organisation.id)
    if kind:
        q = q.where(Organisation.kind == OrgKind(kind).value)
    return list(session.scalars(q))


def children(session: Session, org_id: str) -> list[Organisation]:
    return list(
        session.scalars(
            select(Organisation).where(Organisation.parent_id == org_id).order_by(Organisation.id)
        )
    )
