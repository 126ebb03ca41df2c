"""The warning queue over HTTP: scope by jurisdiction, receipt, outcome, masking, inbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from fanzha.domain.clock import FixedClock
from fanzha.domain.identifiers.resident_id import check_char
from fanzha.settings import get_settings
from fanzha.store.db import session_scope
from fanzha.warn.service import WarningService


def auth(token: str) -> dict[str, str]:
    return {"X-API-Key": token}


def _pid(first17: str) -> str:
    return first17 + check_char(first17)


def _seed(now: datetime) -> None:
    rows = [
        dict(person_id=_pid("51010419600101001"), phone="13800135678", division_code="510104"),
        dict(person_id=_pid("51010519900101001"), phone="13900001111", division_code="510105"),
    ]
    df = pd.DataFrame(
        [
            {
                **r,
                "signal_kind": "call",
                "fraud_type": "虚假网络投资理财类",
                "grade": 3,
                "at": now - timedelta(minutes=20),
                "duration_s": 400,
                "age": 50,
                "counterpart_kind": "phone",
                "counterpart": "17012345678",
            }
            for r in rows
        ]
    )
    with session_scope() as s:
        WarningService(s, get_settings().secret_bytes, FixedClock(now)).process(df)


def test_queue_scope_and_outcome(client, api_keys) -> None:
    _seed(datetime.now(UTC))
    r = client.get("/v1/warnings/queue", headers=auth(api_keys["cd-jinjiang"]))
    assert r.status_code == 200, r.text
    (item,) = r.json()["items"]
    assert item["division_code"] == "510104"
    assert item["phone"] == "13800135678"  # county officers must call the person
    assert item["level_label"] in ("高", "紧急") and item["seconds_left"] > 0
    assert "尾号" not in item["person"] and "*" in item["person"]
    city = client.get("/v1/warnings/queue", headers=auth(api_keys["cd-police"])).json()
    assert city["total"] == 2
    assert client.get("/v1/warnings/queue", headers=auth(api_keys["bank-a"])).status_code == 403
    assert client.get("/v1/warnings/queue").status_code == 401

    tid = item["task_id"]
    other = client.post(f"/v1/warnings/tasks/{tid}/receive", headers=auth(api_keys["cd-qingyang"]))
    assert other.status_code == 404
    assert other.headers["content-type"].startswith("application/problem+json")
    ok = client.post(f"/v1/warnings/tasks/{tid}/receive", headers=auth(api_keys["cd-jinjiang"]))
    assert ok.status_code == 200 and ok.json()["status"] == "received"
    again = client.post(f"/v1/warnings/tasks/{tid}/receive", headers=auth(api_keys["cd-jinjiang"]))
    assert again.status_code == 409
    bad = client.post(
        f"/v1/warnings/tasks/{tid}/outcome",
        json={"outcome": "whatever"},
        headers=auth(api_keys["cd-jinjiang"]),
    )
    assert bad.status_code == 422
    done = client.post(
        f"/v1/warnings/tasks/{tid}/outcome",
        json={"outcome": "dissuaded", "note": "电话劝阻成功"},
        headers=auth(api_keys["cd-jinjiang"]),
    )
    assert done.status_code == 200 and done.json()["status"] == "closed"
    m = client.get("/v1/warnings/metrics?group_by=county", headers=auth(api_keys["cd-police"]))
    assert m.json()["510104"]["dissuasion_rate"] == 1.0
    assert m.json()["全部"]["warnings"] == 2
