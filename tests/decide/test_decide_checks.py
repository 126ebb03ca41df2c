"""Online checks end to end on the embedded runtime (and on the real Redis when marked)."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from fanzha.decide.checks import (
    CallCheckRequest,
    CheckError,
    PaymentCheckRequest,
    RateLimited,
    build_runtime,
    check_call,
    check_payment,
    public_lookup,
    record_exposure,
)
from fanzha.decide.log import read_decisions, shadow_report
from fanzha.decide.rules import default_ruleset, parse_ruleset
from fanzha.decide.state import MemoryState, RedisState
from fanzha.domain.clock import FixedClock
from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
from fanzha.registry.index import MemoryIndex, RedisIndex, pack
from fanzha.registry.keys import key_of

SECRET = b"check-secret"
T0 = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)  # 12:00 Beijing
FRAUD_PHONE = "13512345678"
CASE_ACCOUNT = "6222021234567890128"
VICTIM_PHONE = "13987654321"
VICTIM_ACCOUNT = "6217001234567890"


def _seed(index):
    index.put(
        key_of("phone", FRAUD_PHONE, SECRET),
        pack(RiskLevel.HIGH, FraudType.IMPERSONATE_AUTHORITY, None),
    )
    index.put(
        key_of("account", CASE_ACCOUNT, SECRET),
        pack(RiskLevel.HIGH, FraudType.SHUADAN, SuspiciousCode.CASE_ACCOUNT),
    )
    index.put(key_of("phone", "13600001111", SECRET), pack(RiskLevel.MEDIUM, None, None))
    index.put(
        key_of("url", "http://fake-bank.example/login", SECRET), pack(RiskLevel.HIGH, None, None)
    )
    index.put(key_of("domain", "evil-app.example", SECRET), pack(RiskLevel.HIGH, None, None))
    index.put(key_of("app", "com.fake.meeting", SECRET), pack(RiskLevel.HIGH, None, None))


def _settings(tmp_path, redis_url=None):
    return SimpleNamespace(
        redis_url=redis_url,
        secret_bytes=SECRET,
        data_dir=tmp_path,
        public_lookup_rate_per_minute=3,
        effective_database_url="sqlite://",
    )


@pytest.fixture
def rt(tmp_path):
    index = MemoryIndex()
    _seed(index)
    runtime = build_runtime(
        _settings(tmp_path),
        clock=FixedClock(T0),
        index=index,
        live=default_ruleset(),
        log_dir=tmp_path / "log",
    )
    assert isinstance(runtime.state, MemoryState)
    yield runtime
    runtime.log.close()


@pytest.fixture
def redis_rt(tmp_path):
    import redis

    url = os.environ.get("FANZHA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis not reachable")
    ns = f"test-{uuid.uuid4().hex[:10]}"
    runtime = build_runtime(
        _settings(tmp_path, url),
        clock=FixedClock(T0),
        live=default_ruleset(),
        log_dir=tmp_path / "log",
        namespace=ns,
    )
    assert isinstance(runtime.state, RedisState) and isinstance(runtime.index, RedisIndex)
    _seed(runtime.index)
    yield runtime
    runtime.log.close()
    runtime.state.clear()
    assert not list(runtime.redis.scan_iter(match=f"{ns}:*"))
    runtime.redis.close()


def _scenario(runtime):
    """Fraud call → victim's large transfer to a new payee is delayed; a case account is blocked."""
    pay = PaymentCheckRequest(
        VICTIM_ACCOUNT, "6228480000000000017", 30_000_00, payer_phone=VICTIM_PHONE
    )
    assert check_payment(runtime, pay).outcome == "allow"
    call = check_call(runtime, CallCheckRequest(FRAUD_PHONE, VICTIM_PHONE))
    assert call.outcome == "block" and "疑似诈骗" in call.labels
    assert FraudType.IMPERSONATE_AUTHORITY.value in call.labels
    runtime.clock.advance(timedelta(minutes=40))
    new_payee = PaymentCheckRequest(
        VICTIM_ACCOUNT, "6230580000000000019", 50_000_00, payer_phone=VICTIM_PHONE
    )
    r = check_payment(runtime, new_payee)
    assert r.outcome == "delay_24h" and r.warning_ref and r.warning_ref.startswith("FW20260601")
    # a delayed transfer does not make the payee "known": retrying is delayed again
    assert check_payment(runtime, new_payee).outcome == "delay_24h"
    # the earlier, allowed payee is known now: no delay
    assert check_payment(runtime, pay).outcome == "allow"
    blocked = check_payment(runtime, PaymentCheckRequest("6217009999999999", CASE_ACCOUNT, 100_00))
    assert blocked.outcome == "block" and blocked.notice is not None
    assert "申诉" in blocked.notice["appeal_channel"]
    # 25 hours later the exposure no longer delays
    runtime.clock.advance(timedelta(hours=25))
    later = PaymentCheckRequest(
        VICTIM_ACCOUNT, "6230580000000000027", 50_000_00, payer_phone=VICTIM_PHONE
    )
    assert check_payment(runtime, later).outcome == "allow"


def test_payment_and_call_checks_embedded(rt):
    _scenario(rt)


@pytest.mark.redis
def test_payment_and_call_checks_redis(redis_rt):
    _scenario(redis_rt)


@pytest.mark.redis
def test_payee_commits_reach_other_workers_redis(redis_rt):
    """Write-behind payee commits: the same process sees them at once (they ride in its next
    pipeline before the read); another worker sees them once flushed (within COMMIT_FLUSH_S)."""
    import time

    from fanzha.decide.state import COMMIT_FLUSH_S, RedisState

    other = RedisState(redis_rt.redis, redis_rt.state.ns)  # a second API worker
    pay = PaymentCheckRequest(VICTIM_ACCOUNT, "6228480000000000017", 100_00)
    payer, payee = (redis_rt.key("account", a) for a in (pay.payer_account, pay.payee_account))
    now = T0.timestamp()
    assert other.payment_read(payer, payee, [], 1, now).payee_new
    assert check_payment(redis_rt, pay).outcome == "allow"
    assert not redis_rt.state.payment_read(payer, payee, [], 1, now).payee_new
    check_payment(redis_rt, pay)
    deadline = time.monotonic() + 50 * COMMIT_FLUSH_S
    while other.payment_read(payer, payee, [], 1, now).payee_new:
        assert time.monotonic() < deadline, "commit never flushed"
        time.sleep(COMMIT_FLUSH_S)
    # a server that does not know the script yet (restart, SCRIPT FLUSH): loaded on first use
    from fanzha.decide.state import _PAYMENT_LUA

    fresh = RedisState(redis_rt.redis, redis_rt.state.ns)
    fresh._script = redis_rt.redis.register_script(f"{_PAYMENT_LUA}\n-- {uuid.uuid4().hex}")
    assert not fresh.payment_read(payer, payee, [], 1, now).payee_new


def _real_name_link(runtime):
    # the URL visit is reported by number, tied to the account of the same holder
    hit = record_exposure(
        runtime, VICTIM_PHONE, "url", "http://fake-bank.example/login", account=VICTIM_ACCOUNT
    )
    assert hit is not None and hit.grade == RiskLevel.HIGH
    assert record_exposure(runtime, VICTIM_PHONE, "app", "com.benign.app") is None
    # payment check without payer_phone: the link finds the holder's exposure
    r = check_payment(runtime, PaymentCheckRequest(VICTIM_ACCOUNT, "6230580000000000019", 5_000_00))
    assert r.outcome == "delay_2h" or r.outcome == "delay_24h"
    # a subdomain-less URL on a listed domain counts too
    assert (
        record_exposure(runtime, "13700000000", "url", "https://evil-app.example/download?x=1")
        is not None
    )


def test_real_name_link_embedded(rt):
    _real_name_link(rt)


@pytest.mark.redis
def test_real_name_link_redis(redis_rt):
    _real_name_link(redis_rt)


def test_velocity_burst_and_state(rt):
    outcomes = [
        check_payment(
            rt, PaymentCheckRequest(VICTIM_ACCOUNT, "6228480000000000017", 100_00)
        ).outcome
        for _ in range(12)
    ]
    assert outcomes[:10] == ["allow"] * 10 and outcomes[10:] == ["remind", "remind"]


def test_call_check_labels(rt):
    foreign = check_call(rt, CallCheckRequest("+855 12 345 678", VICTIM_PHONE))
    assert foreign.outcome == "label" and any("柬埔寨" in lb for lb in foreign.labels)
    spoof = check_call(rt, CallCheckRequest("110", VICTIM_PHONE))
    assert spoof.outcome == "block" and "疑似伪造主叫" in spoof.labels
    same = check_call(rt, CallCheckRequest(VICTIM_PHONE, VICTIM_PHONE))
    assert same.outcome == "block"
    bad = check_call(rt, CallCheckRequest("12a45", VICTIM_PHONE))
    assert bad.outcome == "block" and "号码异常" in bad.labels
    short = check_call(rt, CallCheckRequest("1381234", VICTIM_PHONE))
    assert short.outcome == "block"
    medium = check_call(rt, CallCheckRequest("13600001111", VICTIM_PHONE, channel="sms"))
    assert medium.outcome == "label" and "疑似诈骗" in medium.labels and "短信" in medium.reasons[0]
    virtual = check_call(rt, CallCheckRequest("17012345678", VICTIM_PHONE))
    assert virtual.outcome == "label" and "虚拟运营商号段" in virtual.labels
    assert check_call(rt, CallCheckRequest("02588886666", VICTIM_PHONE)).outcome == "allow"
    assert check_call(rt, CallCheckRequest("95588", VICTIM_PHONE)).outcome == "allow"
    with pytest.raises(CheckError):
        check_call(rt, CallCheckRequest("95588", VICTIM_PHONE, channel="fax"))


def test_public_lookup_advice_and_rate_limit(rt):
    r = public_lookup(rt, "account", CASE_ACCOUNT, "1.2.3.4")
    assert r["risk_level"] == 3 and "110" in r["advice"]
    assert "source" not in r and "code" not in r
    r2 = public_lookup(rt, "url", "https://evil-app.example/x", "1.2.3.4")
    assert r2["risk_level"] == 3
    r3 = public_lookup(rt, "qq", "12345678", "1.2.3.4")
    assert r3["risk_level"] == 0 and "安全账户" in r3["advice"]
    with pytest.raises(RateLimited):
        public_lookup(rt, "qq", "12345678", "1.2.3.4")
    assert public_lookup(rt, "qq", "12345678", "5.6.7.8")["risk_level"] == 0  # another client
    rt.clock.advance(timedelta(minutes=1))
    assert public_lookup(rt, "qq", "12345678", "1.2.3.4")["risk_level"] == 0
    with pytest.raises(CheckError):
        public_lookup(rt, "device", "x", "1.2.3.4")


def test_decision_log_and_shadow_report(tmp_path):
    index = MemoryIndex()
    _seed(index)
    candidate = parse_ruleset(
        {
            "name": "default",
            "version": "v2",
            "rules": [
                {
                    "id": "payee_case_account",
                    "when": "payee.case_account",
                    "outcome": "block",
                    "reason": "拦截",
                },
                {
                    "id": "all_large",
                    "when": "amount_fen >= yuan(1000)",
                    "outcome": "remind",
                    "reason": "大额提醒",
                },
            ],
        }
    )
    runtime = build_runtime(
        _settings(tmp_path),
        clock=FixedClock(T0),
        index=index,
        live=default_ruleset(),
        shadow=candidate,
        log_dir=tmp_path / "log",
    )
    check_payment(runtime, PaymentCheckRequest(VICTIM_ACCOUNT, CASE_ACCOUNT, 100_00), org="bank-a")
    check_payment(
        runtime, PaymentCheckRequest(VICTIM_ACCOUNT, "6228480000000000017", 2_000_00), org="bank-a"
    )
    check_call(runtime, CallCheckRequest(FRAUD_PHONE, VICTIM_PHONE), org="op-1")
    assert runtime.log.flush()
    rows = list(read_decisions(tmp_path / "log"))
    assert [r["check"] for r in rows] == ["payment", "payment", "call"]
    assert all(r["latency_ms"] >= 0 and r["version"] for r in rows)
    assert VICTIM_ACCOUNT not in repr(rows) and CASE_ACCOUNT not in repr(rows)
    assert rows[0]["inputs"]["payee"] == key_of("account", CASE_ACCOUNT, SECRET)[:16]
    assert rows[0]["shadow_differs"] is False and rows[1]["shadow_differs"] is True
    assert rows[1]["shadow"] == {
        "version": "default-v2",
        "outcome": "remind",
        "rules": ["all_large"],
    }
    report = shadow_report(tmp_path / "log")
    assert report["with_shadow"] == 2 and report["differences"] == 1
    assert report["outcome_changes"] == {"allow → remind": 1}
    assert report["rules_only_in_shadow"] == {"all_large": 1}
    runtime.log.close()
