"""Online checks and the registry over HTTP: auth by partner key, scope, appeals, rate limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import auth
from fanzha.api.routers import checks as checks_router
from fanzha.settings import reset_settings_cache

CASE_ACCOUNT = "6222021234567890128"
FRAUD_PHONE = "13512345678"
VICTIM_PHONE = "13987654321"
VICTIM_ACCOUNT = "6217001234567890"


@pytest.fixture
def api(client, api_keys, monkeypatch) -> Iterator[tuple]:
    monkeypatch.setenv("FANZHA_PUBLIC_LOOKUP_RATE_PER_MINUTE", "3")
    reset_settings_cache()
    checks_router.set_runtime(None)
    yield client, api_keys
    if checks_router._runtime is not None and checks_router._runtime.log is not None:
        checks_router._runtime.log.close()
    checks_router.set_runtime(None)


def _list_case_account(client, keys) -> int:
    r = client.post(
        "/v1/registry/suspicious",
        json={
            "rows": [
                {
                    "code": "2001",
                    "account": CASE_ACCOUNT,
                    "name": "张三",
                    "reason": "公安通报涉案",
                    "ip": "10.0.0.8",
                    "place": "四川成都",
                }
            ]
        },
        headers=auth(keys["bank-a"]),
    )
    assert r.status_code == 200, r.text
    assert r.json()["listed"] == 1
    found = client.get(
        "/v1/registry/search",
        params={"kind": "account", "value": CASE_ACCOUNT},
        headers=auth(keys["platform"]),
    ).json()
    return found["entry"]["id"]


def test_authentication_and_org_kinds(api):
    client, keys = api
    body = {"payer_account": VICTIM_ACCOUNT, "payee_account": CASE_ACCOUNT, "amount_fen": 100}
    assert client.post("/v1/check/payment", json=body).status_code == 401
    assert (
        client.post("/v1/check/payment", json=body, headers={"X-API-Key": "fz_bad_key"}).status_code
        == 401
    )
    r = client.post("/v1/check/payment", json=body, headers=auth(keys["telecom-a"]))
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    call = {"caller": FRAUD_PHONE, "callee": VICTIM_PHONE}
    assert client.post("/v1/check/call", json=call, headers=auth(keys["bank-a"])).status_code == 403
    bad = client.post(
        "/v1/check/payment", json={**body, "amount_fen": 0}, headers=auth(keys["bank-a"])
    )
    assert bad.status_code == 422


def test_scope_a_bank_never_learns_which_bank_reported(api):
    client, keys = api
    entry_id = _list_case_account(client, keys)
    seen = client.get(
        "/v1/registry/search",
        params={"kind": "account", "value": CASE_ACCOUNT},
        headers=auth(keys["bank-b"]),
    )
    assert seen.status_code == 200
    text = seen.text
    assert seen.json()["listed"] and "bank-a" not in text and "甲银行" not in text
    assert "10.0.0.8" not in text and "source" not in seen.json()["entry"]
    check = client.post(
        "/v1/check/payment",
        headers=auth(keys["bank-b"]),
        json={"payer_account": VICTIM_ACCOUNT, "payee_account": CASE_ACCOUNT, "amount_fen": 50_000},
    )
    assert check.status_code == 200, check.text
    assert check.json()["outcome"] == "block" and "bank-a" not in check.text
    assert check.json()["notice"]["documents"]
    # bank-b cannot read the history; the platform sees who reported
    assert (
        client.get(
            f"/v1/registry/entries/{entry_id}/history", headers=auth(keys["bank-b"])
        ).status_code
        == 403
    )
    hist = client.get(
        f"/v1/registry/entries/{entry_id}/history", headers=auth(keys["platform"])
    ).json()
    assert hist[0]["actor_org"] == "bank-a"


def test_call_exposure_then_payment_delay(api):
    client, keys = api
    r = client.post(
        "/v1/registry/entries",
        headers=auth(keys["cd-police"]),
        json={
            "kind": "phone",
            "value": FRAUD_PHONE,
            "grade": 3,
            "reason": "冒充公检法",
            "fraud_type": "冒充公检法及政府机关类",
        },
    )
    assert r.status_code == 201, r.text
    call = client.post(
        "/v1/check/call",
        headers=auth(keys["telecom-a"]),
        json={"caller": FRAUD_PHONE, "callee": VICTIM_PHONE},
    )
    assert call.status_code == 200
    assert call.json()["outcome"] == "block" and "疑似诈骗" in call.json()["labels"]
    sms = client.post(
        "/v1/check/call",
        headers=auth(keys["telecom-a"]),
        json={"caller": "+63 912 345 6789", "callee": VICTIM_PHONE, "channel": "sms"},
    )
    assert sms.json()["outcome"] == "label" and any("菲律宾" in x for x in sms.json()["labels"])
    pay = client.post(
        "/v1/check/payment",
        headers=auth(keys["bank-b"]),
        json={
            "payer_account": VICTIM_ACCOUNT,
            "payee_account": "6230580000000000019",
            "amount_fen": 80_000_00,
            "payer_phone": VICTIM_PHONE,
        },
    )
    out = pay.json()
    assert (
        out["outcome"] == "delay_24h" and out["warning_ref"] and out["rule_version"] == "default-v1"
    )
    assert any("24小时" in reason for reason in out["reasons"])


def test_appeal_lifts_restriction_for_checks_at_once(api):
    client, keys = api
    entry_id = _list_case_account(client, keys)
    body = {"payer_account": VICTIM_ACCOUNT, "payee_account": CASE_ACCOUNT, "amount_fen": 100_00}
    assert (
        client.post("/v1/check/payment", json=body, headers=auth(keys["bank-b"])).json()["outcome"]
        == "block"
    )
    a = client.post(
        f"/v1/registry/entries/{entry_id}/appeals",
        headers=auth(keys["bank-b"]),
        json={"statement": "账户本人，已到柜面核验", "channel": "counter", "documents": ["身份证"]},
    )
    assert a.status_code == 201, a.text
    assert (
        client.post("/v1/check/payment", json=body, headers=auth(keys["bank-b"])).json()["outcome"]
        == "block"
    )
    denied = client.post(
        f"/v1/registry/appeals/{a.json()['id']}/review",
        headers=auth(keys["bank-b"]),
        json={"verification_passed": True},
    )
    assert denied.status_code == 403
    ok = client.post(
        f"/v1/registry/appeals/{a.json()['id']}/review",
        headers=auth(keys["platform"]),
        json={"verification_passed": True, "note": "核验通过"},
    )
    assert ok.status_code == 200 and ok.json()["status"] == "lifted"
    assert (
        client.post("/v1/check/payment", json=body, headers=auth(keys["bank-b"])).json()["outcome"]
        == "allow"
    )


def test_public_lookup_is_rate_limited_and_anonymous(api):
    client, keys = api
    _list_case_account(client, keys)
    r = client.post("/v1/check/lookup", json={"kind": "account", "value": CASE_ACCOUNT})
    assert r.status_code == 200 and r.json()["risk_level"] == 3
    assert "bank" not in r.text and "2001" not in r.text
    for _ in range(2):
        assert (
            client.post("/v1/check/lookup", json={"kind": "qq", "value": "12345678"}).status_code
            == 200
        )
    limited = client.post("/v1/check/lookup", json={"kind": "qq", "value": "12345678"})
    assert limited.status_code == 429 and limited.headers.get("Retry-After") == "60"
    # a keyed client has its own budget
    keyed = client.post(
        "/v1/check/lookup", json={"kind": "qq", "value": "12345678"}, headers=auth(keys["bank-b"])
    )
    assert keyed.status_code == 200
    assert (
        client.post(
            "/v1/check/lookup",
            json={"kind": "spaceship", "value": "x"},
            headers=auth(keys["bank-a"]),
        ).status_code
        == 422
    )
