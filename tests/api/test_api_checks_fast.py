"""The lean ASGI routes for payment and call checks answer exactly as the service and the FastAPI
routes do: same outcomes for the same inputs, same problem+json errors naming the field, same auth."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient

from conftest import auth
from fanzha.api.routers import checks as checks_router
from fanzha.decide.checks import (
    CallCheckRequest,
    PaymentCheckRequest,
    build_runtime,
    check_call,
    check_payment,
    record_exposure,
)
from fanzha.decide.log import read_decisions
from fanzha.domain.clock import FixedClock
from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
from fanzha.registry.index import MemoryIndex, pack
from fanzha.registry.keys import key_of
from fanzha.settings import get_settings

T0 = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)
CASE_ACCOUNT = "6222021234567890128"
FRAUD_PHONE = "13512345678"
VICTIM_PHONE = "13987654321"
PAYMENTS = [
    {"payer_account": "6217001234567890", "payee_account": CASE_ACCOUNT, "amount_fen": 50_000},
    {
        "payer_account": "6217001234567890",
        "payee_account": "6230580000000000019",
        "amount_fen": 900,
    },
    {
        "payer_account": "6217009999999999",
        "payee_account": "6230580000000000027",
        "amount_fen": 80_000_00,
        "payer_phone": VICTIM_PHONE,
        "channel": "counter",
    },
    {
        "payer_account": "6217001234567890",
        "payee_account": "6230580000000000019",
        "amount_fen": 900,
    },
]
CALLS = [
    {"caller": FRAUD_PHONE, "callee": VICTIM_PHONE},
    {"caller": "+63 912 345 6789", "callee": VICTIM_PHONE, "channel": "sms"},
    {"caller": "13800138000", "callee": VICTIM_PHONE},
]
VOLATILE = ("decision_id", "latency_ms", "warning_ref")


def _runtime(tmp_path, name: str):
    index = MemoryIndex()
    secret = get_settings().secret_bytes
    index.put(
        key_of("phone", FRAUD_PHONE, secret),
        pack(RiskLevel.HIGH, FraudType.IMPERSONATE_AUTHORITY, None),
    )
    index.put(
        key_of("account", CASE_ACCOUNT, secret),
        pack(RiskLevel.HIGH, FraudType.SHUADAN, SuspiciousCode.CASE_ACCOUNT),
    )
    settings = SimpleNamespace(redis_url=None, secret_bytes=secret, data_dir=tmp_path)
    rt = build_runtime(settings, clock=FixedClock(T0), index=index, log_dir=tmp_path / name)
    record_exposure(rt, VICTIM_PHONE, "call", FRAUD_PHONE)
    return rt


def _stable(out: dict) -> dict:
    assert out["decision_id"] and out["latency_ms"] >= 0
    return {k: v for k, v in out.items() if k not in VOLATILE} | {
        "warned": out["warning_ref"] is not None
    }


@pytest.fixture
def apps(api_keys) -> Iterator[tuple[TestClient, TestClient]]:
    from fanzha.api.app import create_app

    fast_app = create_app()
    assert len(fast_app.state.fast_check_routes) == 2
    ref_app = create_app()
    checks_router.remove_fast_routes(ref_app)
    with (
        TestClient(fast_app, raise_server_exceptions=False) as fast,
        TestClient(ref_app, raise_server_exceptions=False) as ref,
    ):
        yield fast, ref
    checks_router.set_runtime(None)


@pytest.fixture
def served(monkeypatch) -> list[str]:
    """Paths the lean route actually handled (a spy on the real handler)."""
    seen: list[str] = []
    original = checks_router.FastCheckRoute.handle

    async def spy(self, scope, receive, send):  # noqa: ANN001
        seen.append(scope["path"])
        await original(self, scope, receive, send)

    monkeypatch.setattr(checks_router.FastCheckRoute, "handle", spy)
    return seen


def test_fast_routes_answer_like_the_service_and_the_fastapi_routes(
    apps, api_keys, served, tmp_path
):
    fast, ref = apps
    bank, telecom = auth(api_keys["bank-b"]), auth(api_keys["telecom-a"])
    results: dict[str, list[dict]] = {}
    for name, client in (("fast", fast), ("ref", ref)):
        checks_router.set_runtime(_runtime(tmp_path, name))
        got = []
        for body in PAYMENTS:
            r = client.post("/v1/check/payment", json=body, headers=bank)
            assert r.status_code == 200 and r.headers["content-type"] == "application/json"
            assert r.headers["x-request-id"]
            got.append(_stable(r.json()))
        for body in CALLS:
            r = client.post("/v1/check/call", json=body, headers=telecom)
            assert r.status_code == 200
            got.append(_stable(r.json()))
        results[name] = got
        checks_router.get_runtime().log.flush()
    assert served == ["/v1/check/payment"] * len(PAYMENTS) + ["/v1/check/call"] * len(CALLS)
    rt = _runtime(tmp_path, "service")
    service = [
        _stable(check_payment(rt, PaymentCheckRequest(**b)).as_dict())  # type: ignore[arg-type]
        for b in PAYMENTS
    ] + [_stable(check_call(rt, CallCheckRequest(**b)).as_dict()) for b in CALLS]
    assert results["fast"] == results["ref"] == service
    outcomes = [x["outcome"] for x in service]
    assert outcomes[0] == "block" and outcomes[2] == "delay_24h" and outcomes[4] == "block"
    assert len({x["outcome"] for x in service}) >= 4  # the inputs take several rule paths
    # every decision is logged with the caller's organisation, inputs only as hash prefixes
    logged = list(read_decisions(tmp_path / "fast"))
    assert [d["outcome"] for d in logged] == outcomes
    assert {d["org"] for d in logged} == {"bank-b", "telecom-a"}
    assert CASE_ACCOUNT not in str(logged) and VICTIM_PHONE not in str(logged)


ERROR_CASES = [
    ("/v1/check/payment", None, PAYMENTS[0], 401, None),
    ("/v1/check/payment", "fz_bad_key", PAYMENTS[0], 401, None),
    ("/v1/check/payment", "telecom-a", PAYMENTS[0], 403, None),
    ("/v1/check/payment", "bank-a", {**PAYMENTS[0], "amount_fen": 0}, 422, "amount_fen"),
    ("/v1/check/payment", "bank-a", {"payer_account": "6217001"}, 422, "payee_account"),
    ("/v1/check/payment", "bank-a", {**PAYMENTS[0], "amount_fen": "x"}, 422, "amount_fen"),
    ("/v1/check/payment", None, {**PAYMENTS[0], "amount_fen": 0}, 401, None),
    ("/v1/check/payment", "bank-a", b"{not json", 422, "-"),
    ("/v1/check/payment", None, b"{not json", 422, "-"),
    ("/v1/check/payment", "bank-a", b"", 422, "-"),
    ("/v1/check/call", "bank-a", CALLS[0], 403, None),
    ("/v1/check/call", "telecom-a", {**CALLS[0], "channel": "fax"}, 422, "channel"),
]


def test_fast_route_errors_are_the_same_problems(apps, api_keys, served):
    for path, key, body, status, field in ERROR_CASES:
        served.clear()
        _same_problem(apps, api_keys, served, path, key, body, status, field)


def _same_problem(apps, api_keys, served, path, key, body, status, field) -> None:  # noqa: ANN001
    fast, ref = apps
    headers = {"Content-Type": "application/json"}
    if key:
        headers["X-API-Key"] = api_keys.get(key, key)
    answers = []
    for client in (fast, ref):
        kw = {"content": body} if isinstance(body, bytes) else {"json": body}
        r = client.post(path, headers=headers, **kw)
        assert r.status_code == status, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        problem = r.json()
        assert problem["request_id"] == r.headers["x-request-id"]
        assert problem["instance"] == path and problem["status"] == status
        if status == 401:
            assert r.headers["www-authenticate"] == "ApiKey"
        if field is not None:
            assert field in [e["field"] for e in problem["errors"]]
        problem.pop("request_id")
        if field == "-":  # the reference names the byte offset of a JSON error as its row
            for e in problem["errors"]:
                e["row"] = None
        answers.append(problem)
    assert answers[0] == answers[1]
    assert served == [path]


def test_other_methods_and_schema_are_unchanged(apps, api_keys):
    fast, ref = apps
    assert fast.get("/v1/check/payment").status_code == ref.get("/v1/check/payment").status_code
    assert fast.get("/v1/check/payment").status_code == 405
    assert fast.get("/openapi.json").json() == ref.get("/openapi.json").json()
    schema = fast.get("/openapi.json").json()["paths"]["/v1/check/payment"]["post"]
    assert schema["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "PaymentCheckIn"
    )


def test_fast_route_unhandled_error_is_a_500_problem(apps, api_keys, served):
    fast, _ = apps
    checks_router.set_runtime(SimpleNamespace(clock=None))  # a broken runtime: the check raises
    r = fast.post("/v1/check/payment", json=PAYMENTS[1], headers=auth(api_keys["bank-a"]))
    assert r.status_code == 500 and served == ["/v1/check/payment"]
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["request_id"] == r.headers["x-request-id"]
    assert "Traceback" not in r.text and "clock" not in r.text
