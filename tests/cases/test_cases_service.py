"""Cases stored and linked through the service: scope, raw identifiers, campaign packages."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from fanzha.access.principal import PLATFORM_OPERATOR, OrgKind, Principal, Role
from fanzha.cases import service, synthetic
from fanzha.cases.package import write_package
from fanzha.store.db import session_scope
from fanzha.store.migrate import upgrade

NOW = datetime(2026, 4, 20, 8, 0, tzinfo=UTC)


def police(division: str, kind: OrgKind = OrgKind.COUNTY_POLICE, *roles: Role) -> Principal:
    return Principal(
        org_id=f"police-{division}",
        org_kind=kind,
        roles=frozenset(roles or {Role.ANALYST}),
        division_code=division,
        user_id="u1",
    )


@pytest.fixture
def linked(data_dir: Path) -> synthetic.World:
    upgrade()
    world = synthetic.generate(n_gangs=6, victims_per_gang=(8, 20), seed=5)
    with session_scope() as s:
        counts = service.import_bundle(s, world.bundle(), NOW)
        assert counts["cases_new"] == len(world.cases)
        out = service.run_linking(s, NOW, service.LinkSettings(hub_k=50))
    assert out["clusters"] == 6
    assert {h["degree"] > 50 for h in out["hubs"]} == {True}
    return world


def test_reimport_updates_instead_of_duplicating(linked: synthetic.World) -> None:
    with session_scope() as s:
        counts = service.import_bundle(s, linked.bundle(), NOW)
        assert counts["cases_new"] == 0 and counts["cases_updated"] == len(linked.cases)
        out = service.run_linking(s, NOW)
        assert out["clusters"] == 6
        rows, total = service.list_cases(s, PLATFORM_OPERATOR, limit=1000)
    assert total == len(linked.cases)


def test_clusters_match_gangs_and_survive_relinking(linked: synthetic.World) -> None:
    with session_scope() as s:
        rows, total = service.list_clusters(s, PLATFORM_OPERATOR)
        assert total == 6
        for r in rows:
            c = service.get_cluster(s, PLATFORM_OPERATOR, r["id"], NOW)
            gangs = {linked.gang_of_case[x["id"]] for x in c["cases"]}
            assert len(gangs) == 1
            assert c["links"] and all(lk["case_a"] < lk["case_b"] for lk in c["links"])
        first_ids = sorted(r["id"] for r in rows)
        service.run_linking(s, NOW)
        again = sorted(r["id"] for r in service.list_clusters(s, PLATFORM_OPERATOR)[0])
    assert again == first_ids  # cluster ids are stable across runs


def test_scope_county_sees_only_its_cases_but_whole_gang_summary(
    linked: synthetic.World,
) -> None:
    div = linked.cases["division_code"].value_counts().index[0]
    county = police(div)
    with session_scope() as s:
        mine, total = service.list_cases(s, county, limit=1000)
        assert total == int((linked.cases["division_code"] == div).sum())
        assert {c["division_code"] for c in mine} == {div}
        clusters, _ = service.list_clusters(s, county)
        assert clusters and all(div in c["divisions"] for c in clusters)
        c = service.get_cluster(s, county, clusters[0]["id"], NOW)
        assert {x["division_code"] for x in c["cases"]} == {div}
        assert c["n_cases_outside_scope"] == c["n_cases"] - len(c["cases"])
        other = linked.cases.loc[linked.cases["division_code"] != div, "case_id"].iloc[0]
        with pytest.raises(service.NotVisible):
            service.get_case(s, county, other, NOW)
        # a bank sees no cases and no clusters
        bank = Principal(org_id="bank1", org_kind=OrgKind.BANK, roles=frozenset({Role.PARTNER}))
        assert service.list_cases(s, bank)[1] == 0
        assert service.list_clusters(s, bank)[1] == 0
        # a city unit sees every county below it
        city = police(div[:4] + "00", OrgKind.CITY_POLICE)
        assert service.list_cases(s, city)[1] == int(
            linked.cases["division_code"].str.startswith(div[:4]).sum()
        )


def test_raw_identifiers_only_for_investigators(linked: synthetic.World) -> None:
    case_id = linked.cases["case_id"].iloc[0]
    div = linked.cases["division_code"].iloc[0]
    analyst = police(div, OrgKind.COUNTY_POLICE, Role.ANALYST)
    investigator = police(div, OrgKind.COUNTY_POLICE, Role.INVESTIGATOR)
    bank_inv = Principal(
        org_id="bank1", org_kind=OrgKind.BANK, roles=frozenset({Role.INVESTIGATOR})
    )
    assert not service.may_see_raw(bank_inv)
    with session_scope() as s:
        masked = service.get_case(s, analyst, case_id, NOW)
        assert all("value" not in i for i in masked["identifiers"])
        assert all(
            "value" not in i for i in service.get_case(s, investigator, case_id, NOW)["identifiers"]
        )
        with pytest.raises(PermissionError):
            service.get_case(s, analyst, case_id, NOW, full_identifiers=True)
        full = service.get_case(s, investigator, case_id, NOW, full_identifiers=True)
        raws = {i["value"] for i in full["identifiers"]}
        expected = set(
            linked.identifiers.loc[linked.identifiers["case_id"] == case_id, "raw_value"]
        )
        assert raws == expected
        cluster_id = full["cluster_id"]
        with pytest.raises(PermissionError):
            service.get_cluster(s, analyst, cluster_id, NOW, full_identifiers=True)
        c = service.get_cluster(s, investigator, cluster_id, NOW, full_identifiers=True)
        boss = c["key_nodes"]["collector"][0]
        assert boss["value"] and boss["value"].startswith("62")
        from fanzha.store.tables.access import AuditEntry

        actions = s.scalars(select(AuditEntry.action)).all()
        assert actions.count("read_full_identifiers") == 2


def test_package_masked_by_default_full_on_request(linked: synthetic.World, tmp_path: Path) -> None:
    with session_scope() as s:
        cid = service.list_clusters(s, PLATFORM_OPERATOR)[0][0]["id"]
        masked = service.get_cluster(s, PLATFORM_OPERATOR, cid, NOW)
        full = service.get_cluster(s, PLATFORM_OPERATOR, cid, NOW, full_identifiers=True)
    raw_accounts = {n["value"] for n in full["key_nodes"]["collector"]}
    raw_phones = set(linked.identifiers.loc[linked.identifiers["kind"] == "phone", "raw_value"])

    out = tmp_path / "pkg"
    files = write_package(masked, out, NOW.isoformat(), "platform/cli")
    names = {str(f.relative_to(out)) for f in files}
    assert {"cluster.json", "cases.csv", "key_nodes.csv", "links.csv", "index.html"} <= names
    assert any(n.startswith("units/") for n in names)
    blob = "\n".join(f.read_text("utf-8-sig") for f in files)
    assert not any(a in blob for a in raw_accounts)
    assert not any(p in blob for p in raw_phones)
    html = (out / "index.html").read_text("utf-8")
    assert "<svg" in html and "<script" not in html and "<link" not in html and "src=" not in html
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["full_identifiers"] is False and "index.html" in manifest["files"]
    data = json.loads((out / "cluster.json").read_text("utf-8"))
    assert data["id"] == cid and data["key_nodes"]["collector"][0]["masked"].startswith("****")

    out2 = tmp_path / "pkg_full"
    write_package(full, out2, NOW.isoformat(), "platform/cli")
    kn = (out2 / "key_nodes.csv").read_text("utf-8-sig")
    assert all(a in kn for a in raw_accounts)
    assert "完整标识" in (out2 / "index.html").read_text("utf-8")


@pytest.mark.postgres
def test_link_and_read_on_postgres(pg_data_dir: Path) -> None:
    upgrade()
    world = synthetic.generate(n_gangs=4, victims_per_gang=(8, 15), seed=8)
    with session_scope() as s:
        service.import_bundle(s, world.bundle(), NOW)
        out = service.run_linking(s, NOW)
    assert out["clusters"] == 4
    with session_scope() as s:
        rows, total = service.list_clusters(s, PLATFORM_OPERATOR)
        assert total == 4
        c = service.get_cluster(s, PLATFORM_OPERATOR, rows[0]["id"], NOW, full_identifiers=True)
        assert c["key_nodes"]["collector"][0]["value"]
        assert {world.gang_of_case[x["id"]] for x in c["cases"]} == {
            world.gang_of_case[c["cases"][0]["id"]]
        }
        reported = [x["reported_at"] for x in c["cases"]]
        assert all(r.endswith("+00:00") for r in reported)
