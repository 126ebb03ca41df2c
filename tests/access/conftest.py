"""Access fixtures: a migrated database (embedded SQLite or real PostgreSQL) with demo orgs."""

from __future__ import annotations

import pytest

ORGS = [
    ("platform", "平台", "platform", None, None),
    ("sc-police", "四川省公安厅", "province_police", "510000", None),
    ("cd-police", "成都市公安局", "city_police", "510100", "sc-police"),
    ("mianyang-police", "绵阳市公安局", "city_police", "510700", "sc-police"),
    ("cd-jinjiang", "锦江区公安分局", "county_police", "510104", "cd-police"),
    ("cd-qingyang", "青羊区公安分局", "county_police", "510105", "cd-police"),
    ("cd-jinjiang-chunxi", "春熙路派出所", "police_station", "510104", "cd-jinjiang"),
    ("bank-a", "甲银行", "bank", None, None),
    ("bank-b", "乙银行", "bank", None, None),
]


def seed(session) -> None:  # noqa: ANN001
    from fanzha.access import orgs

    for org_id, name, kind, div, parent in ORGS:
        orgs.add_org(session, org_id, name, kind, div, parent)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db(request):  # noqa: ANN001, ANN201
    """A migrated database with the demo organisations: SQLite, then real PostgreSQL."""
    from fanzha.store.db import get_engine, session_scope
    from fanzha.store.migrate import upgrade

    if request.param == "sqlite":
        request.getfixturevalue("data_dir")
    else:
        request.getfixturevalue("pg_data_dir")
    engine = get_engine()
    upgrade(engine=engine)
    with session_scope(engine) as s:
        seed(s)
    return engine
