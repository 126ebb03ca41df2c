"""Keyed hashes agree with the domain module; the in-memory and Redis look-up indexes."""

from __future__ import annotations

import os
import uuid

import numpy as np
import pytest

from fanzha.domain import identifiers
from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
from fanzha.registry.index import MemoryIndex, RedisIndex, pack, unpack
from fanzha.registry.keys import canonical, hash_prefix, key_of, mask

SECRET = b"k"


@pytest.mark.parametrize(
    ("kind", "domain_kind", "value"),
    [
        ("phone", "phone", "+86 138-1234-5678"),
        ("phone", "phone", "+855 12 345 678"),
        ("url", "url", "HTTP://Fake-Bank.example/login"),
        ("qq", "qq", "12345678"),
        ("domain", "domain", "fake-bank.example"),
    ],
)
def test_keyed_hash_matches_domain_identifiers(kind, domain_kind, value):
    assert key_of(kind, value, SECRET) == identifiers.keyed_hash(domain_kind, value, SECRET)


def test_accounts_that_are_not_cards_still_hash_consistently():
    # fails Luhn: not a bank card, not a payment account → registry's own normalisation
    k1 = key_of("account", "6222 0000 0000 0001", SECRET)
    k2 = key_of("account", "6222000000000001", SECRET)
    assert k1 == k2
    assert canonical("account", "6222000000000001")[0] == "account"
    assert mask("account", "6222000000000001").endswith("0001")
    assert "62220000000" not in mask("account", "6222000000000001")


def test_pack_roundtrip():
    info = pack(RiskLevel.HIGH, FraudType.FAKE_INVESTMENT, SuspiciousCode.CASE_ACCOUNT)
    hit = unpack(info)
    assert (hit.grade, hit.fraud_type, hit.code) == (
        RiskLevel.HIGH,
        FraudType.FAKE_INVESTMENT,
        SuspiciousCode.CASE_ACCOUNT,
    )
    assert unpack(pack(RiskLevel.LOW, None, None)).fraud_type is None


def test_memory_index_overlay_compact_and_snapshot(tmp_path):
    rng = np.random.default_rng(7)
    prefixes = rng.integers(-(2**63), 2**63 - 1, size=50_000, dtype=np.int64)
    infos = np.full(len(prefixes), pack(RiskLevel.MEDIUM, None, None), dtype=np.uint16)
    idx = MemoryIndex.build(prefixes, infos)
    assert idx.nbytes == 50_000 * 10
    h_new = key_of("phone", "13812345678", SECRET)
    assert idx.get(h_new) is None
    idx.put(h_new, pack(RiskLevel.HIGH, None, None))
    assert idx.get(h_new).grade == RiskLevel.HIGH
    probe = np.concatenate([prefixes[:5], np.array([hash_prefix(h_new), 12345], dtype=np.int64)])
    got = idx.lookup_prefixes(probe)
    assert list(got[:5] >= 0) == [True] * 5 and got[5] == pack(RiskLevel.HIGH, None, None)
    assert got[6] == -1 or 12345 in set(prefixes.tolist())
    idx.remove(h_new)
    assert idx.get(h_new) is None
    idx.put(h_new, pack(RiskLevel.LOW, None, None))
    idx.save(tmp_path / "snap")
    loaded = MemoryIndex.load(tmp_path / "snap")
    assert len(loaded) == len(idx) == 50_001
    assert loaded.get(h_new).grade == RiskLevel.LOW
    # a plain ndarray view of the file's mapping (the registry is not read into memory)
    assert isinstance(loaded.keys.base, np.memmap) and not loaded.keys.flags.owndata


@pytest.fixture
def redis_client():
    import redis

    client = redis.Redis.from_url(
        os.environ.get("FANZHA_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis not reachable")
    yield client
    client.close()


@pytest.mark.redis
def test_redis_index_bulk_load_and_lookup(redis_client):
    ns = f"test-{uuid.uuid4().hex[:8]}"
    idx = RedisIndex(redis_client, ns)
    try:
        hashes = [key_of("phone", f"1381234{i:04d}", SECRET) for i in range(2000)]
        prefixes = np.array([hash_prefix(h) for h in hashes], dtype=np.int64)
        infos = np.array(
            [pack(RiskLevel(1 + i % 3), None, None) for i in range(2000)], dtype=np.uint16
        )
        assert idx.load_arrays(prefixes, infos) == 2000
        hits = idx.get_many(hashes[:30])
        assert [int(h.grade) for h in hits] == [1 + i % 3 for i in range(30)]
        other = key_of("phone", "13900000000", SECRET)
        assert idx.get(other) is None
        idx.put(other, pack(RiskLevel.HIGH, FraudType.ROMANCE, None))
        assert idx.get(other).fraud_type == FraudType.ROMANCE
        idx.remove(other)
        assert idx.get(other) is None
    finally:
        idx.clear()
    assert not list(redis_client.scan_iter(match=f"{ns}:*"))
