"""Suspicious-list intake (bank codes of DOMAIN.md §7) and the detector-finding adapter."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import sessionmaker

from fanzha.access.principal import OrgKind, Principal, Role
from fanzha.domain.clock import FixedClock
from fanzha.domain.taxonomy import RiskLevel, SuspiciousCode
from fanzha.registry.index import MemoryIndex
from fanzha.registry.intake import finding_to_report, import_suspicious, ingest_findings, read_rows
from fanzha.registry.service import RegistryService, Source
from fanzha.store.db import make_engine
from fanzha.store.migrate import upgrade

BANK = Principal("bank-a", OrgKind.BANK, frozenset({Role.PARTNER}))
CSV = """code,account,name,id_number,reason,ip,mac,device_id,place
2001,6222021234567890128,张三,,公安机关通报涉案,10.1.2.3,AA:BB:CC:DD:EE:FF,dev-1,广东深圳
1001,6222029876543210,李四,110101199003071233,一周内在5个网点开户,,,,
3006,6228480000000000017,王五,,3个工作日内分散转入集中转出,,,,浙江杭州
7777,6222020000000001,赵六,,未知代码,,,,
2001,abc,钱七,,,,,,
1002,6222020000000002,孙八,,累计开户,,,,
"""


@pytest.fixture
def svc(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    upgrade(engine=engine)
    s = sessionmaker(bind=engine, expire_on_commit=False)()
    yield RegistryService(s, b"k", FixedClock(datetime(2026, 5, 1, tzinfo=UTC)), MemoryIndex())
    s.close()
    engine.dispose()


def test_import_csv_lists_accounts_and_names_bad_rows(svc, tmp_path):
    path = tmp_path / "suspicious.csv"
    path.write_text(CSV, encoding="utf-8")
    result = import_suspicious(svc, read_rows(path), BANK)
    assert result.accepted == 3
    assert result.listed == 4  # 1001 also lists the ID number
    joined = "\n".join(result.errors)
    assert "第4行 code" in joined
    assert "第5行 account" in joined and "第5行 reason" in joined
    assert "第6行 id_number" in joined
    case = svc.find("account", "6222021234567890128")
    assert case.grade == RiskLevel.HIGH and case.code == SuspiciousCode.CASE_ACCOUNT
    assert case.source == Source.PARTNER
    ev = case.evidence[0]
    assert ev["name"] == "张*" and ev["place"] == "广东深圳"
    assert "10.1.2.3" not in json.dumps(ev) and "AA:BB" not in json.dumps(ev)
    assert "涉案账户" in case.reason
    person = svc.find("id_number", "110101199003071233")
    assert person is not None and person.grade == RiskLevel.LOW
    assert svc.find("account", "6228480000000000017").grade == RiskLevel.MEDIUM


def test_import_json(svc, tmp_path):
    path = tmp_path / "s.json"
    path.write_text(
        json.dumps([{"code": "3004", "account": "6222021234567890128", "reason": "收方涉案"}]),
        encoding="utf-8",
    )
    result = import_suspicious(svc, read_rows(path), BANK)
    assert result.accepted == 1 and not result.errors
    assert svc.find("account", "6222021234567890128").code == "3004"


@dataclass
class FakeFinding:  # the shape of fanzha.detect.findings.Finding
    entity_kind: str
    entity_value: str
    score: float
    grade: int
    reasons: list[str]


def test_findings_adapter_and_threshold(svc):
    f_high = FakeFinding("number", "13812345678", 0.97, 3, ["短时外呼集中", "回拨率低"])
    item = finding_to_report(f_high)
    assert item.kind == "phone" and item.grade == RiskLevel.HIGH and item.source == Source.DETECTOR
    assert "回拨率低" in item.reason and item.evidence["score"] == 0.97
    low = {
        "entity_kind": "account",
        "entity_value": "6222021234567890128",
        "score": 0.75,
        "reasons": "快进快出",
    }
    assert finding_to_report(low).grade == RiskLevel.MEDIUM
    bad = FakeFinding("spaceship", "x", 0.9, 3, [])
    result = ingest_findings(svc, [f_high, low, bad], BANK, min_grade=RiskLevel.HIGH)
    assert result.accepted == 2 and result.listed == 1 and len(result.errors) == 1
    assert svc.find("phone", "13812345678") is not None
    assert svc.find("account", "6222021234567890128") is None
