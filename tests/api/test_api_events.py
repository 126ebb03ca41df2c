"""Event submission and read-back over HTTP: tenant isolation, masking, idempotent re-send."""

from __future__ import annotations

from conftest import auth  # tests/api/conftest.py


def _calls(prefix: str, n: int) -> list[dict]:
    return [
        {
            "event_id": f"{prefix}-{i}",
            "event_time": f"2026-11-28 10:{i:02d}:00",
            "caller": f"1380013{i:04d}",
            "callee": "13900139000",
            "duration_s": i,
        }
        for i in range(n)
    ]


def test_submit_and_resend_batch(client, api_keys) -> None:  # noqa: ANN001
    h = auth(api_keys["telecom-a"])
    r = client.post("/v1/events/call", headers=h, json={"events": _calls("a", 5)})
    assert r.status_code == 200
    assert (r.json()["accepted"], r.json()["duplicate"]) == (5, 0)
    r = client.post("/v1/events/call", headers=h, json={"events": _calls("a", 5)})
    assert (r.json()["accepted"], r.json()["duplicate"]) == (0, 5)
    assert client.get("/v1/events/call", headers=h).json()["total"] == 5


def test_rejections_name_index_field_reason(client, api_keys) -> None:  # noqa: ANN001
    h = auth(api_keys["bank-a"])
    events = [
        {
            "event_id": "t1",
            "event_time": "2026-11-28T10:00:00+08:00",
            "payer_account": "6222",
            "payee_account": "6217",
            "amount": "¥1,234.50",
        },
        {
            "event_id": "t2",
            "event_time": "2026-11-28T10:00:00+08:00",
            "payer_account": "6222",
            "payee_account": "6217",
            "amount": "12.345",
        },
        {
            "event_id": "t3",
            "event_time": "2026-11-28T10:00:00+08:00",
            "payer_account": "6222",
            "payee_account": "6217",
            "amount_fen": 5,
            "source_org": "bank-b",
        },
    ]
    body = client.post("/v1/events/transfer", headers=h, json={"events": events}).json()
    assert (body["accepted"], body["rejected"]) == (1, 2)
    errs = {(e["row"], e["field"]) for e in body["errors"]}
    assert errs == {(1, "amount"), (2, "source_org")}
    dl = client.get("/v1/deadletters", headers=h).json()
    assert dl["total"] == 2 and {d["source_org"] for d in dl["items"]} == {"bank-a"}
    # a record that is not an object fails the request shape: 422 naming its index
    r = client.post("/v1/events/transfer", headers=h, json={"events": [events[0], "text"]})
    assert r.status_code == 422
    assert r.json()["errors"][0]["row"] == 1


def test_bank_a_cannot_read_bank_b(client, api_keys) -> None:  # noqa: ANN001
    ev = {
        "event_time": "2026-11-28 10:00:00",
        "payer_account": "6222020200112233",
        "payee_account": "6217000010002000",
        "amount_fen": 100,
    }
    a, b = auth(api_keys["bank-a"]), auth(api_keys["bank-b"])
    client.post("/v1/events/transfer", headers=a, json={"events": [{**ev, "event_id": "A1"}]})
    client.post(
        "/v1/events/transfer",
        headers=b,
        json={"events": [{**ev, "event_id": "B1"}, {**ev, "event_id": "B2", "amount_fen": 0}]},
    )
    got_a = client.get("/v1/events/transfer", headers=a).json()
    got_b = client.get("/v1/events/transfer", headers=b).json()
    assert [r["event_id"] for r in got_a["items"]] == ["A1"]
    assert [r["event_id"] for r in got_b["items"]] == ["B1"]
    assert client.get("/v1/deadletters", headers=a).json()["total"] == 0
    assert client.get("/v1/deadletters", headers=b).json()["total"] == 1
    everything = client.get("/v1/events/transfer", headers=auth(api_keys["platform"])).json()
    assert everything["total"] == 2


def test_identifiers_are_masked_on_read(client, api_keys) -> None:  # noqa: ANN001
    h = auth(api_keys["telecom-a"])
    client.post("/v1/events/call", headers=h, json={"events": _calls("m", 1)})
    (row,) = client.get("/v1/events/call", headers=h).json()["items"]
    assert row["caller"] == "138****0000" and row["callee"] == "139****9000"
    assert row["event_id"] == "m-0"


def test_pagination(client, api_keys) -> None:  # noqa: ANN001
    h = auth(api_keys["telecom-a"])
    client.post("/v1/events/call", headers=h, json={"events": _calls("p", 7)})
    page = client.get("/v1/events/call?limit=3&offset=3", headers=h).json()
    assert page["total"] == 7 and page["limit"] == 3 and page["next_offset"] == 6
    assert [r["event_id"] for r in page["items"]] == ["p-3", "p-4", "p-5"]
    last = client.get("/v1/events/call?limit=3&offset=6", headers=h).json()
    assert last["next_offset"] is None and len(last["items"]) == 1
