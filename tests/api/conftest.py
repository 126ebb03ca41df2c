"""API fixtures: a migrated embedded data dir, demo organisations and one key per organisation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

DEMO_ORGS = [
    ("platform", "反诈中心平台", "platform", None, None),
    ("sc-police", "四川省公安厅", "province_police", "510000", None),
    ("cd-police", "成都市公安局", "city_police", "510100", "sc-police"),
    ("cd-jinjiang", "锦江区公安分局", "county_police", "510104", "cd-police"),
    ("cd-qingyang", "青羊区公安分局", "county_police", "510105", "cd-police"),
    ("bank-a", "甲银行", "bank", None, None),
    ("bank-b", "乙银行", "bank", None, None),
    ("telecom-a", "甲运营商", "telecom", None, None),
]


@pytest.fixture
def api_keys(data_dir) -> dict[str, str]:
    from fanzha.access import keys, orgs
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    upgrade()
    out: dict[str, str] = {}
    with session_scope() as s:
        for org_id, name, kind, div, parent in DEMO_ORGS:
            orgs.add_org(s, org_id, name, kind, div, parent)
        for org_id, *_ in DEMO_ORGS:
            out[org_id] = keys.create_key(s, org_id, "test").token
    return out


@pytest.fixture
def client(api_keys) -> Iterator[TestClient]:
    from fanzha.api.app import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


def auth(token: str) -> dict[str, str]:
    return {"X-API-Key": token}
