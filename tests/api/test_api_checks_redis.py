"""Payment checks over HTTP with shared Redis state (the awaited, auto-pipelined path) answer like
the embedded service, on the lean route and on the FastAPI route alike."""

from __future__ import annotations

import os
import uuid
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from test_api_checks_fast import (
    CASE_ACCOUNT,
    FRAUD_PHONE,
    PAYMENTS,
    T0,
    VICTIM_PHONE,
    _runtime,
    _stable,
)

from conftest import auth
from fanzha.api.routers import checks as checks_router
from fanzha.decide.checks import PaymentCheckRequest, build_runtime, check_payment, record_exposure
from fanzha.decide.log import read_decisions
from fanzha.domain.clock import FixedClock
from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
from fanzha.registry.index import RedisIndex, pack
from fanzha.registry.keys import key_of
from fanzha.settings import get_settings

pytestmark = pytest.mark.redis


def _redis_runtime(tmp_path, name: str):
    import redis

    url = os.environ.get("FANZHA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis not reachable")
    secret = get_settings().secret_bytes
    settings = SimpleNamespace(redis_url=url, secret_bytes=secret, data_dir=tmp_path)
    rt = build_runtime(
        settings,
        clock=FixedClock(T0),
        log_dir=tmp_path / name,
        namespace=f"test-{uuid.uuid4().hex[:10]}",
    )
    assert isinstance(rt.index, RedisIndex) and rt.state.aio is not None
    rt.index.put(
        key_of("phone", FRAUD_PHONE, secret),
        pack(RiskLevel.HIGH, FraudType.IMPERSONATE_AUTHORITY, None),
    )
    rt.index.put(
        key_of("account", CASE_ACCOUNT, secret),
        pack(RiskLevel.HIGH, FraudType.SHUADAN, SuspiciousCode.CASE_ACCOUNT),
    )
    record_exposure(rt, VICTIM_PHONE, "call", FRAUD_PHONE)
    return rt


def test_payment_checks_on_redis_answer_like_the_embedded_service(api_keys, tmp_path):
    from fanzha.api.app import create_app

    bank = auth(api_keys["bank-b"])
    fast_app = create_app()
    ref_app = create_app()
    checks_router.remove_fast_routes(ref_app)
    results = {}
    runtimes = []
    try:
        for name, app in (("fast", fast_app), ("ref", ref_app)):
            rt = _redis_runtime(tmp_path, name)
            runtimes.append(rt)
            checks_router.set_runtime(rt)
            with TestClient(app, raise_server_exceptions=False) as client:
                got = []
                for body in PAYMENTS:
                    r = client.post("/v1/check/payment", json=body, headers=bank)
                    assert r.status_code == 200, r.text
                    got.append(_stable(r.json()))
                bad = client.post(
                    "/v1/check/payment", json={**PAYMENTS[0], "amount_fen": 0}, headers=bank
                )
                assert bad.status_code == 422
                assert bad.json()["errors"][0]["field"] == "amount_fen"
            results[name] = got
            rt.log.flush()
        embedded = _runtime(tmp_path, "service")
        service = [
            _stable(check_payment(embedded, PaymentCheckRequest(**b)).as_dict())  # type: ignore[arg-type]
            for b in PAYMENTS
        ]
        assert results["fast"] == results["ref"] == service
        outcomes = [x["outcome"] for x in service]
        assert outcomes == ["block", "allow", "delay_24h", "allow"]
        logged = list(read_decisions(tmp_path / "fast"))
        assert [d["outcome"] for d in logged] == outcomes
        assert {d["org"] for d in logged} == {"bank-b"}
        assert CASE_ACCOUNT not in str(logged)
    finally:
        checks_router.set_runtime(None)
        for rt in runtimes:
            rt.log.close()
            rt.state.clear()
            rt.redis.close()
