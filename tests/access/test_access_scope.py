"""Data scopes: police see their jurisdiction and below, partners their own and what is shared."""

from __future__ import annotations

import pytest
from sqlalchemy import Column, MetaData, String, Table, insert, select

from fanzha.access.principal import OrgKind, Principal, Role
from fanzha.access.scope import (
    can_see_division,
    can_see_org,
    jurisdiction_filter,
    jurisdiction_sql,
    source_org_sql,
    visible_org_filter,
)
from fanzha.store.db import session_scope
from fanzha.store.tables.access import Organisation


def P(org: str, kind: OrgKind, div: str | None = None) -> Principal:  # noqa: N802
    return Principal(org, kind, frozenset({Role.OFFICER}), division_code=div)


PROVINCE = P("sc-police", OrgKind.PROVINCE_POLICE, "510000")
CITY = P("cd-police", OrgKind.CITY_POLICE, "510100")
JINJIANG = P("cd-jinjiang", OrgKind.COUNTY_POLICE, "510104")
QINGYANG = P("cd-qingyang", OrgKind.COUNTY_POLICE, "510105")
BANK_A = P("bank-a", OrgKind.BANK)
BANK_B = P("bank-b", OrgKind.BANK)
PLATFORM = P("platform", OrgKind.PLATFORM)

CASES = [
    ("c1", "510104", "bank-a", None),  # 锦江
    ("c2", "510105", "bank-b", None),  # 青羊
    ("c3", "510703", "bank-a", "bank-b"),  # 绵阳涪城, shared with bank-b by org id
    ("c4", "110101", "bank-b", "bank"),  # 北京东城, shared with every bank
]


@pytest.fixture
def cases_table(db):  # noqa: ANN001, ANN201
    md = MetaData()
    t = Table(
        "scope_test_cases",
        md,
        Column("id", String, primary_key=True),
        Column("division_code", String),
        Column("owner", String),
        Column("shared", String),
    )
    md.create_all(db)
    with db.begin() as conn:
        conn.execute(
            insert(t),
            [dict(zip(["id", "division_code", "owner", "shared"], c, strict=True)) for c in CASES],
        )
    yield t
    md.drop_all(db)


def _ids(db, t, clause) -> set[str]:  # noqa: ANN001
    with db.connect() as conn:
        return set(conn.scalars(select(t.c.id).where(clause)))


def test_jurisdiction_filter_by_division(db, cases_table) -> None:
    t = cases_table
    assert _ids(db, t, jurisdiction_filter(PROVINCE, t.c.division_code)) == {"c1", "c2", "c3"}
    assert _ids(db, t, jurisdiction_filter(CITY, t.c.division_code)) == {"c1", "c2"}
    assert _ids(db, t, jurisdiction_filter(JINJIANG, t.c.division_code)) == {"c1"}
    # a county sees no other county's
    assert _ids(db, t, jurisdiction_filter(QINGYANG, t.c.division_code)) == {"c2"}
    assert _ids(db, t, jurisdiction_filter(BANK_A, t.c.division_code)) == set()
    assert _ids(db, t, jurisdiction_filter(PLATFORM, t.c.division_code)) == {"c1", "c2", "c3", "c4"}


def test_partner_sees_own_and_shared(db, cases_table) -> None:
    t = cases_table
    assert _ids(db, t, visible_org_filter(BANK_A, t.c.owner, t.c.shared)) == {"c1", "c3", "c4"}
    assert _ids(db, t, visible_org_filter(BANK_B, t.c.owner, t.c.shared)) == {"c2", "c3", "c4"}
    # without a share column only own rows
    assert _ids(db, t, visible_org_filter(BANK_A, t.c.owner)) == {"c1", "c3"}


def test_police_see_units_below_them(db) -> None:
    with session_scope(db) as s:

        def visible(p: Principal) -> set[str]:
            return set(
                s.scalars(select(Organisation.id).where(visible_org_filter(p, Organisation.id)))
            )

        assert visible(CITY) == {"cd-police", "cd-jinjiang", "cd-qingyang", "cd-jinjiang-chunxi"}
        assert visible(JINJIANG) == {"cd-jinjiang", "cd-jinjiang-chunxi"}
        assert "cd-qingyang" not in visible(JINJIANG)
        assert visible(BANK_A) == {"bank-a"}
        assert can_see_org(CITY, "cd-jinjiang", s)
        assert not can_see_org(JINJIANG, "cd-qingyang", s)
        assert not can_see_org(JINJIANG, "cd-police", s)  # not upward
        assert not can_see_org(BANK_A, "bank-b", s)
        assert can_see_org(PLATFORM, "bank-b", s)


def test_division_checks_and_duckdb_text() -> None:
    assert can_see_division(PROVINCE, "510704")
    assert can_see_division(CITY, "510199")
    assert not can_see_division(CITY, "510704")
    assert not can_see_division(JINJIANG, "510105")
    assert not can_see_division(BANK_A, "510104")
    assert jurisdiction_sql(CITY) == "starts_with(division_code, '5101')"
    assert jurisdiction_sql(BANK_A) == "FALSE"
    assert source_org_sql(Principal("o'x", OrgKind.BANK)) == "source_org = 'o''x'"
    assert source_org_sql(PLATFORM) == "TRUE"
