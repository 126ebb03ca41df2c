"""Exposures joined from the lake with listed identifiers through real-name links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pyarrow as pa

from fanzha.domain.events import arrow_schema
from fanzha.store.lake import EventLake
from fanzha.warn.exposures import build_exposures

T = datetime(2026, 11, 20, 9, tzinfo=UTC)
PERSON = "510104195001010015"


def _add(lake: EventLake, kind: str, rows: list[dict]) -> None:
    schema = arrow_schema(kind)
    full = [{f: r.get(f) for f in schema.names} for r in rows]
    lake.append(kind, pa.Table.from_pylist(full, schema=schema))


def test_every_dimension_reaches_the_person(tmp_path) -> None:
    lake = EventLake(tmp_path / "lake")
    base = {"source_org": "x", "event_time": T - timedelta(days=30)}
    _add(
        lake,
        "sim_issuance",
        [
            {
                **base,
                "event_id": "s1",
                "number": "13800135678",
                "person_id": PERSON,
                "operator": "china_mobile",
            }
        ],
    )
    _add(
        lake,
        "account_opening",
        [
            {
                **base,
                "event_id": "a1",
                "account": "6222020200112233445",
                "person_id": PERSON,
                "institution": "ICBC",
            }
        ],
    )
    ev = {"source_org": "op", "event_time": T}
    _add(
        lake,
        "call",
        [
            {
                **ev,
                "event_id": "c1",
                "caller": "16512345678",
                "callee": "13800135678",
                "duration_s": 300,
            },
            {
                **ev,
                "event_id": "c2",
                "caller": "13911112222",
                "callee": "13800135678",
                "duration_s": 30,
            },  # not listed
        ],
    )
    _add(
        lake,
        "url_visit",
        [
            {
                **ev,
                "event_id": "u1",
                "number": "13800135678",
                "url": "https://icbc-anquan.top/login",
                "event_time": T + timedelta(minutes=10),
            }
        ],
    )
    _add(
        lake,
        "transfer",
        [
            {
                **ev,
                "event_id": "t1",
                "payer_account": "6222020200112233445",
                "payee_account": "6217000000000000001",
                "amount_fen": 500000,
                "event_time": T + timedelta(hours=1),
            }
        ],
    )
    listed = pd.DataFrame(
        [
            {
                "kind": "mobile",
                "value": "16512345678",
                "grade": 3,
                "fraud_type": "冒充公检法及政府机关类",
            },
            {
                "kind": "domain",
                "value": "icbc-anquan.top",
                "grade": 2,
                "fraud_type": "冒充公检法及政府机关类",
            },
            {
                "kind": "bank_card",
                "value": "6217000000000000001",
                "grade": 3,
                "fraud_type": "冒充公检法及政府机关类",
            },
        ]
    )
    ex = build_exposures(lake, listed)
    assert list(ex["signal_kind"]) == ["call", "url_visit", "transfer"]
    assert set(ex["person_id"]) == {PERSON}
    assert ex["phone"].iloc[0] == "13800135678"
    assert ex["division_code"].iloc[0] == "510104"
    assert ex["age"].iloc[0] == 76
    assert ex.loc[ex.signal_kind == "call", "duration_s"].item() == 300
    # a window before the exposures finds nothing
    assert build_exposures(lake, listed, until=T - timedelta(days=1)).empty
    # an identifier listed after the call does not reach back to it
    late = listed.assign(listed_at=pd.Timestamp(T + timedelta(minutes=5)))
    assert list(build_exposures(lake, late)["signal_kind"]) == ["url_visit", "transfer"]


def test_registry_app_kind_reaches_the_installer(tmp_path) -> None:
    lake = EventLake(tmp_path / "lake")
    base = {"source_org": "x", "event_time": T - timedelta(days=30)}
    _add(
        lake,
        "sim_issuance",
        [
            {
                **base,
                "event_id": "s1",
                "number": "13800135678",
                "person_id": PERSON,
                "operator": "china_mobile",
            }
        ],
    )
    _add(
        lake,
        "app_install",
        [
            {
                "source_org": "op",
                "event_time": T,
                "event_id": "a1",
                "number": "13800135678",
                "app_id": "com.fake.anquan",
            }
        ],
    )
    listed = pd.DataFrame(
        [
            {
                "kind": "app",
                "value": "com.fake.anquan",
                "grade": 3,
                "fraud_type": "冒充公检法及政府机关类",
            }
        ]
    )
    ex = build_exposures(lake, listed)
    assert list(ex["signal_kind"]) == ["app_install"]
