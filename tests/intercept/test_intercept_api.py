"""The intercept API: police issue, banks see only their own queue and reply, returns, tracing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient

from fanzha.domain.events import arrow_schema
from fanzha.settings import get_settings
from fanzha.store.lake import EventLake

ORGS = [
    ("platform", "反诈中心平台", "platform", None, None),
    ("sc-police", "四川省公安厅", "province_police", "510000", None),
    ("cd-police", "成都市公安局", "city_police", "510100", "sc-police"),
    ("cd-jinjiang", "锦江区公安分局", "county_police", "510104", "cd-police"),
    ("bank-a", "甲银行", "bank", None, None),
    ("bank-b", "乙银行", "bank", None, None),
    ("telecom-a", "甲运营商", "telecom", None, None),
]


@pytest.fixture
def keys(data_dir) -> dict[str, str]:
    from fanzha.access import keys as key_service
    from fanzha.access import orgs
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    upgrade()
    out = {}
    with session_scope() as s:
        for org_id, name, kind, div, parent in ORGS:
            orgs.add_org(s, org_id, name, kind, div, parent)
        for org_id, *_ in ORGS:
            out[org_id] = key_service.create_key(s, org_id, "test").token
    return out


@pytest.fixture
def client(keys) -> Iterator[TestClient]:
    from fanzha.api.app import create_app

    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


def h(token: str) -> dict[str, str]:
    return {"X-API-Key": token}


def stop_body(bank: str = "bank-a", **kw) -> dict:
    body = {
        "order_type": "stop_payment",
        "case_no": "A5101042026060200001",
        "reason": "冒充电商客服退款诈骗",
        "operator": "警号 510001",
        "addressee_org": bank,
        "account": "6222333344445555",
        "account_name": "赵某",
        "amount_fen": 3_000_000,
    }
    body.update(kw)
    return body


def test_orders_scope_reply_and_stop_limit(client, keys):
    police = h(keys["cd-jinjiang"])
    r = client.post("/v1/orders", json=stop_body(), headers=police)
    assert r.status_code == 201, r.text
    oid = r.json()["id"]
    client.post("/v1/orders", json=stop_body("bank-b", account="6217000"), headers=police)
    # banks cannot issue orders; telecoms cannot see them
    assert client.post("/v1/orders", json=stop_body(), headers=h(keys["bank-a"])).status_code == 403
    assert client.get("/v1/orders", headers=h(keys["telecom-a"])).status_code == 403
    # each bank sees only its own queue
    qa = client.get("/v1/orders", headers=h(keys["bank-a"])).json()
    assert [o["id"] for o in qa["items"]] == [oid]
    qb = client.get("/v1/orders", headers=h(keys["bank-b"])).json()
    assert all(o["addressee_org"] == "bank-b" for o in qb["items"]) and qb["total"] == 1
    assert client.get(f"/v1/orders/{oid}", headers=h(keys["bank-b"])).status_code == 404
    wrong = client.post(
        f"/v1/orders/{oid}/reply", json={"amount_fen": 1}, headers=h(keys["bank-b"])
    )
    assert wrong.status_code == 404
    # another police unit does not see it; the platform does
    assert client.get(f"/v1/orders/{oid}", headers=h(keys["cd-police"])).status_code == 404
    assert client.get(f"/v1/orders/{oid}", headers=h(keys["platform"])).status_code == 200
    ok = client.post(
        f"/v1/orders/{oid}/reply",
        json={"amount_fen": 2_900_000, "balance_fen": 2_900_000},
        headers=h(keys["bank-a"]),
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["status"] == "in_force" and ok.json()["seconds_left"] > 47 * 3600
    again = client.post(f"/v1/orders/{oid}/reply", json={}, headers=h(keys["bank-a"]))
    assert again.status_code == 409
    assert client.post("/v1/orders", json=stop_body(), headers=police).status_code == 201
    third = client.post("/v1/orders", json=stop_body(), headers=police)
    assert third.status_code == 409 and "不得超过" in third.json()["detail"]
    audit = client.get("/v1/audit", params={"limit": 100}, headers=h(keys["platform"]))
    assert audit.status_code == 200, audit.text
    actions = {e["action"] for e in audit.json()["items"]}
    assert {"order.issue", "order.reply"} <= actions


def test_freeze_then_return_round(client, keys):
    police = h(keys["cd-jinjiang"])
    fr = client.post(
        "/v1/orders", json=stop_body(order_type="freeze", amount_fen=None), headers=police
    ).json()
    client.post(
        f"/v1/orders/{fr['id']}/reply",
        json={"amount_fen": 600_000, "balance_fen": 700_000},
        headers=h(keys["bank-a"]),
    )
    claims = [
        {"victim_id": "v1", "loss_fen": 1_000_000, "remit_account": "6217-1"},
        {"victim_id": "v2", "loss_fen": 500_000, "remit_account": "6217-2"},
    ]
    r = client.post(
        "/v1/returns",
        json={"case_no": "A5101042026060200001", "freeze_order_id": fr["id"], "claims": claims},
        headers=police,
    )
    assert r.status_code == 201, r.text
    ret = r.json()
    assert ret["basis"] == "pro_rata" and ret["status"] == "notice"
    assert [x["amount_fen"] for x in ret["lines"]] == [400_000, 200_000]
    obj = client.post(
        f"/v1/returns/{ret['id']}/objections",
        json={"by": "某商户", "reason": "含本商户货款"},
        headers=police,
    )
    assert obj.status_code == 200 and len(obj.json()["objections"]) == 1
    early = client.post(
        f"/v1/returns/{ret['id']}/decide", json={"authority": "成都市公安局"}, headers=police
    )
    assert early.status_code == 409  # 30-day notice still running
    assert client.get(f"/v1/returns/{ret['id']}", headers=h(keys["cd-police"])).status_code == 404


def test_report_and_trace_over_the_lake(client, keys):
    t0 = datetime.now(UTC) - timedelta(hours=2)
    rows = [
        ("t1", "victim-x", "L1", 900_000, "mobile_banking", 0),
        ("t2", "L1", "L2", 800_000, "online_banking", 5),
        ("t3", "L2", "ATM", 300_000, "atm", 9),
    ]
    schema = arrow_schema("transfer")
    cols = {
        "event_id": [r[0] for r in rows],
        "source_org": ["bank-a"] * 3,
        "event_time": pa.array(
            [t0 + timedelta(minutes=r[5]) for r in rows], pa.timestamp("us", tz="UTC")
        ),
        "payer_account": [r[1] for r in rows],
        "payee_account": [r[2] for r in rows],
        "amount_fen": [r[3] for r in rows],
        "channel": [r[4] for r in rows],
    }
    tbl = pa.table({f.name: cols.get(f.name, pa.nulls(3, f.type)) for f in schema}, schema=schema)
    EventLake(get_settings().lake_dir).append("transfer", tbl)
    police = h(keys["cd-jinjiang"])
    rep = client.post(
        "/v1/reports",
        json={
            "case_no": "A5101042026060200002",
            "victim_id": "v-x",
            "reported_at": (t0 + timedelta(minutes=30)).isoformat(),
            "involved": {"numbers": ["95xxx"], "urls": ["http://refund.example"]},
            "transfers": [{"payee_account": "L1", "amount_fen": 900_000, "time": t0.isoformat()}],
        },
        headers=police,
    )
    assert rep.status_code == 201, rep.text
    assert rep.json()["entry_clock"]["status"] == "overdue"
    assert client.post("/v1/reports", json={}, headers=h(keys["bank-a"])).status_code in (403, 422)
    tr = client.post("/v1/trace", json={"report_ids": [rep.json()["id"]]}, headers=police)
    assert tr.status_code == 200, tr.text
    body = tr.json()
    assert body["totals"] == {
        "seeded": 900_000,
        "held": 600_000,
        "cashed_out": 300_000,
        "left_data": 0,
        "untraced": 0,
    }
    cands = {c["account"]: c["amount_fen"] for c in body["freeze_candidates"]}
    assert cands == {"L1": 100_000, "L2": 500_000}
    assert (
        client.post(
            "/v1/trace", json={"report_ids": [rep.json()["id"]]}, headers=h(keys["bank-a"])
        ).status_code
        == 403
    )
