"""Organisations and demo accounts for a simulated region.

Police units follow the region's real division codes: the province, every city, every county and
every police station that the simulator placed people under (station ids are the simulator's).
Banks, payment institutions and operators are those that hold the simulated accounts and numbers.
One demo user per role is created with a printed password.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy.orm import Session

from fanzha.access import users
from fanzha.access.principal import OrgKind, Role
from fanzha.store.tables.access import Organisation

INSTITUTION_NAMES = {
    "ICBC": "中国工商银行",
    "ABC": "中国农业银行",
    "BOC": "中国银行",
    "CCB": "中国建设银行",
    "BOCOM": "交通银行",
    "PSBC": "中国邮政储蓄银行",
    "CMB": "招商银行",
    "CDB": "成都银行",
    "SCRCU": "四川农信",
    "CITIC": "中信银行",
    "CIB": "兴业银行",
    "SPDB": "浦发银行",
    "ALIPAY": "支付宝（支付机构）",
    "TENPAY": "财付通（支付机构）",
    "UNIONPAY": "银联商务",
}
PAYMENT_INSTITUTIONS = {"ALIPAY", "TENPAY", "UNIONPAY"}
OPERATOR_NAMES = {
    "china_mobile": "中国移动四川公司",
    "china_unicom": "中国联通四川公司",
    "china_telecom": "中国电信四川公司",
    "china_broadnet": "中国广电四川公司",
    "virtual": "虚拟运营商（转售）",
}
DEMO_PASSWORD = "fanzha-demo-2026"


@dataclass(frozen=True)
class DemoAccount:
    user: str
    password: str
    org_id: str
    role: str
    what: str


def institution_org(code: str) -> str:
    return f"inst-{code.lower()}"


def operator_org(code: str) -> str:
    return f"op-{code.replace('_', '-')}"


def seed_region(session: Session, truth_dir: Path, now: datetime | None = None) -> dict[str, int]:
    """Create every organisation of the simulated region (idempotent)."""
    now = now or datetime.now(UTC)
    have = {o.id for o in session.query(Organisation.id)}
    made = {"police": 0, "banks": 0, "operators": 0}

    rows: list[Organisation] = []

    def add(org_id: str, name: str, kind: OrgKind, code: str | None, parent: str | None) -> None:
        """Queue one organisation; the region's codes are consistent by construction, so the
        seed skips the per-row checks of ``access.orgs.add_org`` and inserts in one batch."""
        if org_id in have:
            return
        rows.append(
            Organisation(
                id=org_id,
                name=name,
                kind=kind.value,
                division_code=code,
                parent_id=parent,
                created_at=now,
            )
        )
        have.add(org_id)
        made[
            "banks"
            if kind in (OrgKind.BANK, OrgKind.PAYMENT)
            else "operators"
            if kind == OrgKind.TELECOM
            else "police"
        ] += 1

    add("platform", "四川省反诈中心（平台）", OrgKind.PLATFORM, None, None)
    add("public", "社会公众", OrgKind.PUBLIC, None, None)
    add("internet-a", "某互联网平台", OrgKind.INTERNET, None, None)
    div = pd.read_parquet(truth_dir / "divisions.parquet")
    province = div["city_code"].iloc[0][:2] + "0000"
    add(f"police-{province}", "四川省公安厅", OrgKind.PROVINCE_POLICE, province, None)
    for city, cname in div[["city_code", "city_name"]].drop_duplicates().itertuples(index=False):
        add(f"police-{city}", f"{cname}公安局", OrgKind.CITY_POLICE, city, f"police-{province}")
    counties = div[["county_code", "county_name", "city_code", "city_name"]].drop_duplicates()
    for county, name, city, cname in counties.itertuples(index=False):
        add(
            f"police-{county}",
            f"{cname}公安局{name}分局",
            OrgKind.COUNTY_POLICE,
            county,
            f"police-{city}",
        )
    for sid, sname, county in div[["station_id", "station_name", "county_code"]].itertuples(
        index=False
    ):
        add(sid, sname, OrgKind.POLICE_STATION, county, f"police-{county}")
    accounts = pd.read_parquet(truth_dir / "accounts.parquet", columns=["institution"])
    for code in sorted(accounts["institution"].dropna().unique()):
        if code in INSTITUTION_NAMES:
            kind = OrgKind.PAYMENT if code in PAYMENT_INSTITUTIONS else OrgKind.BANK
            add(institution_org(code), INSTITUTION_NAMES[code], kind, None, None)
    numbers = pd.read_parquet(truth_dir / "numbers.parquet", columns=["operator"])
    for code in sorted(numbers["operator"].dropna().unique()):
        if code in OPERATOR_NAMES:
            add(operator_org(code), OPERATOR_NAMES[code], OrgKind.TELECOM, None, None)
    session.add_all(rows)
    session.flush()
    return made


def demo_choices(session: Session) -> dict[str, str | None]:
    """Which units the demo logins belong to: where the action is (most warnings, most orders)."""
    from sqlalchemy import func, select

    from fanzha.store.tables.intercept import InterceptOrder
    from fanzha.store.tables.warn import WarningRow

    station = session.execute(
        select(WarningRow.unit_org_id, func.count())
        .group_by(WarningRow.unit_org_id)
        .order_by(func.count().desc())
        .limit(1)
    ).first()
    county = session.execute(
        select(WarningRow.division_code, func.count())
        .where(WarningRow.division_code.is_not(None))
        .group_by(WarningRow.division_code)
        .order_by(func.count().desc())
        .limit(1)
    ).first()
    bank = session.execute(
        select(InterceptOrder.addressee_org, func.count())
        .group_by(InterceptOrder.addressee_org)
        .order_by(func.count().desc())
        .limit(1)
    ).first()
    phone = session.scalar(
        select(WarningRow.phone)
        .where(WarningRow.phone.is_not(None))
        .order_by(WarningRow.id)
        .limit(1)
    )
    return {
        "county": county[0] if county else "510104",
        "station": station[0] if station else None,
        "bank": bank[0] if bank else institution_org("ICBC"),
        "citizen_phone": phone,
    }


def seed_accounts(
    session: Session, choices: dict[str, str | None], now: datetime | None = None
) -> list[DemoAccount]:
    """One login per role; existing users are kept. The citizen's user id is the phone number of
    a person who received a warning, so the portal shows their inbox."""
    from fanzha.store.tables.access import User

    county = choices.get("county") or "510104"
    city = county[:4] + "00"
    plan = [
        (
            "analyst",
            "platform",
            [Role.ANALYST, Role.INVESTIGATOR, Role.ADMIN],
            "平台分析员：名单、串并案、资金追踪",
        ),
        (
            "city",
            f"police-{city}",
            [Role.ANALYST, Role.OFFICER, Role.INVESTIGATOR],
            "市局：预警、止付冻结、考评",
        ),
        (
            "county",
            f"police-{county}",
            [Role.OFFICER, Role.INVESTIGATOR],
            "分局民警：预警处置、止付冻结",
        ),
        (
            "station",
            choices.get("station") or f"police-{county}",
            [Role.OFFICER],
            "派出所民警：劝阻任务",
        ),
        (
            "bank",
            choices.get("bank") or institution_org("ICBC"),
            [Role.PARTNER],
            "银行：执行止付冻结、上报可疑",
        ),
        ("operator", operator_org("china_mobile"), [Role.PARTNER], "运营商：拦截、切断通话"),
        (
            choices.get("citizen_phone") or "citizen",
            "public",
            [Role.CITIZEN],
            "群众：查询、举报、我的预警",
        ),
    ]
    out = []
    for user, org, roles, what in plan:
        if session.get(Organisation, org) is None:
            continue
        if session.get(User, user) is None:
            users.add_user(session, user, org, what.split("：")[0], DEMO_PASSWORD, roles, now=now)
        out.append(DemoAccount(user, DEMO_PASSWORD, org, ",".join(r.value for r in roles), what))
    return out
