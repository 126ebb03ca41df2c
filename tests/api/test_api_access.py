"""API infrastructure and access: keys (401 when missing/invalid/revoked), roles (403),
problem+json errors, request ids, metrics, organisations and keys endpoints, audit endpoints."""

from __future__ import annotations

from conftest import auth  # tests/api/conftest.py (rootdir-relative import mode)


def test_health_ready_docs_metrics(client) -> None:  # noqa: ANN001
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").status_code == 200
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/v1/events/{kind}" in spec["paths"]
    client.get("/v1/orgs")
    text = client.get("/metrics").text
    assert 'fanzha_http_requests_total{method="GET",route="/v1/orgs",status="401"}' in text
    assert "fanzha_http_request_duration_seconds_bucket" in text


def test_request_id_echoed_or_generated(client) -> None:  # noqa: ANN001
    r = client.get("/health", headers={"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"
    r = client.get("/health", headers={"X-Request-ID": "bad id with spaces"})
    assert (
        r.headers["X-Request-ID"] != "bad id with spaces" and len(r.headers["X-Request-ID"]) == 32
    )


def test_missing_invalid_and_revoked_keys_are_401_problems(client, api_keys) -> None:  # noqa: ANN001
    for headers in ({}, {"X-API-Key": "fz_deadbeef_nope"}, {"X-API-Key": "junk"}):
        r = client.get("/v1/events/call", headers=headers)
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        body = r.json()
        assert body["status"] == 401 and body["instance"] == "/v1/events/call"
        assert {"type", "title", "detail"} <= set(body)
    token = api_keys["bank-a"]
    assert client.get("/v1/events/call", headers=auth(token)).status_code == 200
    keys = client.get("/v1/keys", headers=auth(api_keys["platform"])).json()["items"]
    key_id = next(k["id"] for k in keys if k["org_id"] == "bank-a")
    assert (
        client.delete(f"/v1/keys/{key_id}", headers=auth(api_keys["platform"])).status_code == 200
    )
    assert client.get("/v1/events/call", headers=auth(token)).status_code == 401


def test_roles_and_kinds_are_403(client, api_keys) -> None:  # noqa: ANN001
    r = client.get("/v1/orgs", headers=auth(api_keys["bank-a"]))
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    assert client.get("/v1/audit", headers=auth(api_keys["cd-police"])).status_code == 403
    assert client.get("/v1/audit", headers=auth(api_keys["platform"])).status_code == 200


def test_validation_error_names_field(client, api_keys) -> None:  # noqa: ANN001
    r = client.post("/v1/events/call", json={"evts": []}, headers=auth(api_keys["bank-a"]))
    assert r.status_code == 422
    body = r.json()
    assert body["errors"] and body["errors"][0]["field"] == "events"
    r = client.get("/v1/events/call?limit=0", headers=auth(api_keys["bank-a"]))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "limit"


def test_orgs_and_keys_endpoints(client, api_keys) -> None:  # noqa: ANN001
    h = auth(api_keys["platform"])
    r = client.post(
        "/v1/orgs",
        headers=h,
        json={
            "id": "cd-wuhou",
            "name": "武侯区公安分局",
            "kind": "county_police",
            "division_code": "510107",
            "parent_id": "cd-police",
        },
    )
    assert r.status_code == 201, r.text
    r = client.post(
        "/v1/orgs",
        headers=h,
        json={
            "id": "bad-county",
            "name": "x",
            "kind": "county_police",
            "division_code": "440106",
            "parent_id": "cd-police",
        },
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "division_code"
    assert client.get("/v1/orgs/cd-wuhou", headers=h).json()["division_code"] == "510107"
    r = client.post("/v1/keys", headers=h, json={"org_id": "cd-wuhou", "name": "ops"})
    assert r.status_code == 201
    token = r.json()["key"]
    listed = client.get("/v1/keys", headers=h).json()["items"]
    assert all(token not in str(k) for k in listed)  # the key itself is never listed
    assert client.get("/v1/events/call", headers=auth(token)).status_code == 200


def test_every_action_is_audited_and_chain_verifies(client, api_keys) -> None:  # noqa: ANN001
    client.post(
        "/v1/events/call",
        headers=auth(api_keys["bank-a"]),
        json={
            "events": [
                {
                    "event_id": "x",
                    "event_time": "2026-11-28 10:00:00",
                    "caller": "13800138000",
                    "callee": "13900139000",
                    "duration_s": 3,
                }
            ]
        },
    )
    client.get("/v1/events/call", headers=auth(api_keys["bank-a"]))
    h = auth(api_keys["platform"])
    items = client.get("/v1/audit?limit=100", headers=h).json()["items"]
    actions = [i["action"] for i in items]
    assert "events.ingest" in actions and "events.read" in actions
    read = next(i for i in items if i["action"] == "events.read")
    assert read["actor_org"] == "bank-a" and read["actor_key"] and read["refs"] == ["x"]
    assert client.get("/v1/audit/verify", headers=h).json()["ok"] is True
