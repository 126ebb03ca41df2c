"""The awaited payment check on shared Redis state (what the API workers run): same answers as the
synchronous service, concurrent checks of one worker share round trips without mixing up replies,
payee commits reach other workers with the next write or within milliseconds, and a lost script or connection is recovered."""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import uuid
from datetime import UTC, datetime

import pytest

from fanzha.decide.aio_redis import PipelinedRedis, from_client
from fanzha.decide.checks import (
    PaymentCheckRequest,
    build_runtime,
    check_payment,
    check_payment_async,
    record_exposure,
)
from fanzha.decide.rules import default_ruleset
from fanzha.decide.state import _PAYMENT_LUA, RedisState
from fanzha.domain.clock import FixedClock
from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
from fanzha.registry.index import MemoryIndex, RedisIndex, pack
from fanzha.registry.keys import key_of

pytestmark = pytest.mark.redis

SECRET = b"async-check-secret"
T0 = datetime(2026, 6, 1, 16, 30, tzinfo=UTC)  # 00:30 Beijing: the night rule can fire too


def _run(coro):  # noqa: ANN001, ANN202
    """``asyncio.run`` on a fresh thread: another suite's fixture (Playwright's sync API) may hold
    a running loop on the main thread for the whole session."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


FRAUD_PHONE = "13512345678"
CASE_ACCOUNT = "6222021234567890128"
MEDIUM_ACCOUNT = "6230580000000000035"
VICTIM_PHONE = "13987654321"
VICTIM_ACCOUNT = "6217001234567890"


def _settings(tmp_path, redis_url=None):
    from types import SimpleNamespace

    return SimpleNamespace(
        redis_url=redis_url, secret_bytes=SECRET, data_dir=tmp_path, public_lookup_rate_per_minute=5
    )


def _seed(index) -> None:
    index.put(
        key_of("phone", FRAUD_PHONE, SECRET),
        pack(RiskLevel.HIGH, FraudType.IMPERSONATE_AUTHORITY, None),
    )
    index.put(
        key_of("account", CASE_ACCOUNT, SECRET),
        pack(RiskLevel.HIGH, FraudType.SHUADAN, SuspiciousCode.CASE_ACCOUNT),
    )
    index.put(key_of("account", MEDIUM_ACCOUNT, SECRET), pack(RiskLevel.MEDIUM, None, None))


@pytest.fixture
def runtimes(tmp_path):
    """(Redis runtime, embedded runtime) with the same registry, clock and exposure."""
    import redis

    url = os.environ.get("FANZHA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis not reachable")
    ns = f"test-{uuid.uuid4().hex[:10]}"
    shared = build_runtime(
        _settings(tmp_path, url),
        clock=FixedClock(T0),
        live=default_ruleset(),
        log_dir=tmp_path / "redis-log",
        namespace=ns,
    )
    assert isinstance(shared.index, RedisIndex) and isinstance(shared.state, RedisState)
    assert isinstance(shared.state.aio, PipelinedRedis)
    _seed(shared.index)
    index = MemoryIndex()
    _seed(index)
    embedded = build_runtime(
        _settings(tmp_path),
        clock=FixedClock(T0),
        index=index,
        live=default_ruleset(),
        log_dir=tmp_path / "mem-log",
    )
    for rt in (shared, embedded):
        assert record_exposure(rt, VICTIM_PHONE, "call", FRAUD_PHONE) is not None
    yield shared, embedded
    for rt in (shared, embedded):
        rt.log.close()
    shared.state.clear()
    assert not list(shared.redis.scan_iter(match=f"{ns}:*"))
    shared.redis.close()


def _answer(out) -> tuple:
    return (out.outcome, out.reasons, out.labels, out.warning_ref is not None, out.notice)


def _requests(n_payers: int) -> list[PaymentCheckRequest]:
    reqs = []
    for i in range(n_payers):
        payer = f"62170000000{i:05d}"
        payee = (CASE_ACCOUNT, MEDIUM_ACCOUNT, f"62305800000{i:05d}")[i % 3]
        amount = (50_000_00, 900, 8_000_00, 300_000_00)[i % 4]
        phone = VICTIM_PHONE if i % 5 == 0 else None
        reqs.append(PaymentCheckRequest(payer, payee, amount, payer_phone=phone))
    return reqs


def test_awaited_checks_answer_like_the_embedded_service(runtimes):
    shared, embedded = runtimes
    sequence = [
        PaymentCheckRequest(VICTIM_ACCOUNT, "6230580000000000019", 900),  # allow → payee known
        PaymentCheckRequest(VICTIM_ACCOUNT, "6230580000000000019", 60_000_00),  # known payee
        PaymentCheckRequest(
            VICTIM_ACCOUNT, "6230580000000000027", 50_000_00, payer_phone=VICTIM_PHONE
        ),
        PaymentCheckRequest(
            VICTIM_ACCOUNT, "6230580000000000027", 50_000_00, payer_phone=VICTIM_PHONE
        ),  # a delayed transfer does not make the payee known
        PaymentCheckRequest(VICTIM_ACCOUNT, CASE_ACCOUNT, 100_00),
        PaymentCheckRequest(VICTIM_ACCOUNT, MEDIUM_ACCOUNT, 100_00),
        PaymentCheckRequest(VICTIM_ACCOUNT, MEDIUM_ACCOUNT, 100_00, payer_phone=VICTIM_PHONE),
        *[PaymentCheckRequest(VICTIM_ACCOUNT, "6230580000000000043", 10_00)] * 10,  # velocity
    ]
    want = [_answer(check_payment(embedded, r, org="bank-a")) for r in sequence]

    async def run() -> list[tuple]:
        return [_answer(await check_payment_async(shared, r, org="bank-a")) for r in sequence]

    got = _run(run())
    assert got == want
    outcomes = [a[0] for a in want]
    assert {"allow", "delay_24h", "block", "delay_2h", "remind"} <= set(outcomes)
    assert outcomes[1] == "allow" and outcomes[3] == "delay_24h" and outcomes[-1] == "remind"
    shared.log.flush()
    assert CASE_ACCOUNT not in str(list((shared.log.dir).glob("*.jsonl"))[0].read_text())


def test_concurrent_checks_share_round_trips_without_mixing_replies(runtimes):
    shared, embedded = runtimes
    reqs = _requests(60)
    want = [_answer(check_payment(embedded, r)) for r in reqs]
    aio = shared.state.aio
    writes: list[int] = []

    async def run() -> list[tuple]:
        await check_payment_async(shared, PaymentCheckRequest("1", "2", 1))  # connect
        proto = aio._proto
        flush = proto._flush

        def counting_flush() -> None:
            writes.append(len(proto.out))
            flush()

        proto._flush = counting_flush
        outs = await asyncio.gather(*[check_payment_async(shared, r) for r in reqs])
        return [_answer(o) for o in outs]

    got = _run(run())
    assert got == want
    assert len({a[0] for a in want}) >= 3
    # 60 reads went out in far fewer writes than 60 (commits ride along too)
    assert writes and sum(writes) >= 60 and len(writes) <= 5


def test_commit_reaches_other_workers_at_once_and_recovers(runtimes):
    shared, _ = runtimes
    other = RedisState(shared.redis, shared.state.ns)  # another worker, synchronous client
    pay = PaymentCheckRequest(VICTIM_ACCOUNT, "6228480000000000017", 100_00)
    payer, payee = (shared.key("account", a) for a in (pay.payer_account, pay.payee_account))
    now = T0.timestamp()

    async def run() -> None:
        assert other.payment_read(payer, payee, [], 1, now).payee_new
        assert (await check_payment_async(shared, pay)).outcome == "allow"
        await shared.state.aio.call("PING")  # the commit left before this reply came back
        assert not other.payment_read(payer, payee, [], 1, now).payee_new
        # the server lost the script (restart, SCRIPT FLUSH): loaded on first use
        shared.state._script = shared.redis.register_script(
            f"{_PAYMENT_LUA}\n-- {uuid.uuid4().hex}"
        )
        assert (await check_payment_async(shared, pay)).outcome == "allow"
        # the connection dropped: the next check opens a new one
        shared.state.aio.close()
        assert (await check_payment_async(shared, pay)).outcome == "allow"

    _run(run())
    # a new event loop (e.g. a restarted worker loop) gets its own connection
    assert _run(check_payment_async(shared, pay)).outcome == "allow"


def test_commit_leaves_on_its_own_when_the_worker_is_idle(runtimes):
    """No later command to ride along with: the deferred commit is written within
    ``COMMIT_DEFER_S`` anyway, in one write for the commit's two commands."""
    from fanzha.decide.state import COMMIT_DEFER_S

    shared, _ = runtimes
    other = RedisState(shared.redis, shared.state.ns)
    pay = PaymentCheckRequest(VICTIM_ACCOUNT, "6228480000000000025", 100_00)
    payer, payee = (shared.key("account", a) for a in (pay.payer_account, pay.payee_account))
    now = T0.timestamp()
    aio = shared.state.aio
    writes: list[int] = []

    async def run() -> None:
        await aio.call("PING")  # connect
        proto = aio._proto
        flush = proto._flush

        def counting_flush() -> None:
            writes.append(len(proto.out))
            flush()

        proto._flush = counting_flush
        assert (await check_payment_async(shared, pay)).outcome == "allow"
        n = len(writes)
        assert proto.out  # queued, not written yet
        await asyncio.sleep(COMMIT_DEFER_S + 0.05)
        assert not proto.out and writes[n:] == [2]
        assert not other.payment_read(payer, payee, [], 1, now).payee_new

    assert other.payment_read(payer, payee, [], 1, now).payee_new
    _run(run())


def test_connection_settings_follow_the_url():
    import redis

    aio = from_client(redis.Redis.from_url("redis://:pw@10.1.2.3:6390/4"))
    assert aio is not None
    assert (aio.host, aio.port, aio.db, aio.password) == ("10.1.2.3", 6390, 4, "pw")
    assert from_client(redis.Redis.from_url("rediss://10.1.2.3:6390/0")) is None


def test_a_server_that_stops_answering_fails_the_waiting_checks():
    """No reply within the timeout: the waiting commands fail (no worker hangs forever)."""
    import time

    from redis.exceptions import ConnectionError as RedisConnectionError

    async def run() -> float:
        async def silent(reader, writer):  # noqa: ANN001 - reads, never answers
            while await reader.read(1024):
                pass

        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        aio = PipelinedRedis("127.0.0.1", port, timeout=0.3)
        t = time.monotonic()
        with pytest.raises(RedisConnectionError):
            await aio.call("PING")
        elapsed = time.monotonic() - t
        server.close()
        return elapsed

    assert 0.3 <= _run(run()) < 3.0
