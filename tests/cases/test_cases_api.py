"""The cases API: roles, jurisdiction scope, full identifiers and the package download."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fanzha.cases import service, synthetic

NOW = datetime(2026, 4, 20, 8, 0, tzinfo=UTC)
ORGS = [
    ("platform", "反诈中心平台", "platform", None, None),
    ("sc-police", "四川省公安厅", "province_police", "510000", None),
    ("cd-police", "成都市公安局", "city_police", "510100", "sc-police"),
    ("cd-jinjiang", "锦江区公安分局", "county_police", "510104", "cd-police"),
    ("bank-a", "甲银行", "bank", None, None),
]


@pytest.fixture
def setup(data_dir: Path) -> Iterator[tuple[TestClient, dict[str, str], synthetic.World]]:
    from fanzha.access import keys, orgs
    from fanzha.api.app import create_app
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    upgrade()
    world = synthetic.generate(n_gangs=5, victims_per_gang=(10, 20), seed=9)
    tokens: dict[str, str] = {}
    with session_scope() as s:
        for org_id, name, kind, div, parent in ORGS:
            orgs.add_org(s, org_id, name, kind, div, parent)
        tokens["platform"] = keys.create_key(s, "platform", "t", ["analyst", "investigator"]).token
        tokens["county_analyst"] = keys.create_key(s, "cd-jinjiang", "t", ["analyst"]).token
        tokens["county_inv"] = keys.create_key(s, "cd-jinjiang", "t", ["investigator"]).token
        tokens["bank"] = keys.create_key(s, "bank-a", "t").token
        service.import_bundle(s, world.bundle(), NOW)
        service.run_linking(s, NOW)
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c, tokens, world


def h(token: str) -> dict[str, str]:
    return {"X-API-Key": token}


def test_lists_are_scoped_to_jurisdiction(setup) -> None:  # noqa: ANN001
    client, tokens, world = setup
    r = client.get("/v1/cases?limit=500", headers=h(tokens["county_analyst"]))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == int((world.cases["division_code"] == "510104").sum())
    assert {c["division_code"] for c in body["items"]} == {"510104"}
    r_all = client.get("/v1/cases?limit=1", headers=h(tokens["platform"])).json()
    assert r_all["total"] == len(world.cases)
    clusters = client.get("/v1/clusters", headers=h(tokens["county_analyst"])).json()
    assert clusters["items"] and all("510104" in c["divisions"] for c in clusters["items"])
    assert client.get("/v1/cases", headers=h(tokens["bank"])).status_code == 403
    assert client.get("/v1/clusters").status_code == 401


def test_case_outside_scope_is_404(setup) -> None:  # noqa: ANN001
    client, tokens, world = setup
    other = world.cases.loc[world.cases["division_code"] != "510104", "case_id"].iloc[0]
    r = client.get(f"/v1/cases/{other}", headers=h(tokens["county_analyst"]))
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert client.get(f"/v1/cases/{other}", headers=h(tokens["platform"])).status_code == 200


def test_full_identifiers_need_investigator(setup) -> None:  # noqa: ANN001
    client, tokens, world = setup
    mine = world.cases.loc[world.cases["division_code"] == "510104", "case_id"].iloc[0]
    r = client.get(f"/v1/cases/{mine}?full_identifiers=true", headers=h(tokens["county_analyst"]))
    assert r.status_code == 403
    r = client.get(f"/v1/cases/{mine}?full_identifiers=true", headers=h(tokens["county_inv"]))
    assert r.status_code == 200
    assert all(i.get("value") for i in r.json()["identifiers"])
    masked = client.get(f"/v1/cases/{mine}", headers=h(tokens["county_inv"])).json()
    assert all("value" not in i for i in masked["identifiers"])
    cid = masked["cluster_id"]
    c = client.get(f"/v1/clusters/{cid}", headers=h(tokens["county_analyst"])).json()
    assert c["key_nodes"]["collector"][0]["masked"].startswith("****")
    assert "value" not in c["key_nodes"]["collector"][0]


def test_package_download(setup) -> None:  # noqa: ANN001
    client, tokens, world = setup
    cid = client.get("/v1/clusters", headers=h(tokens["county_analyst"])).json()["items"][0]["id"]
    r = client.get(f"/v1/clusters/{cid}/package", headers=h(tokens["county_analyst"]))
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(r.content))
    names = set(zf.namelist())
    assert f"{cid}/index.html" in names and f"{cid}/manifest.json" in names
    # numbers and accounts are personal data: never in a masked package (URLs and app ids are
    # the fraud platforms' own names and stay readable)
    phones = world.identifiers.loc[world.identifiers["kind"] == "phone", "raw_value"]
    raw = set(phones) | set(world.flows["to_raw"])
    text = "".join(zf.read(n).decode("utf-8-sig") for n in names)
    assert not any(v in text for v in raw)
    denied = client.get(
        f"/v1/clusters/{cid}/package?full_identifiers=true", headers=h(tokens["county_analyst"])
    )
    assert denied.status_code == 403
    full = client.get(
        f"/v1/clusters/{cid}/package?full_identifiers=true", headers=h(tokens["county_inv"])
    )
    assert full.status_code == 200
    kn = zipfile.ZipFile(io.BytesIO(full.content)).read(f"{cid}/key_nodes.csv").decode("utf-8-sig")
    assert any(v in kn for v in world.flows["to_raw"])
