"""The URL scorer's vectorised shortcuts give exactly what the plain definitions give."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fanzha.detect.urls import batch, default_model, rules
from fanzha.detect.urls.corpus import generate
from fanzha.detect.urls.hashing import byte_counts, count_bytes
from fanzha.detect.urls.model import _round4, _sub_domains

_PIECES = list("aZ09._-:/?#@[]%+'\"<> \t\n") + [
    "://", "http://", "www.", ":80", ":99999", ":0080", "..", "例", "İ", "xn--",
]  # fmt: skip


def _mutants(seed: int, n: int) -> list[str]:
    rnd = random.Random(seed)
    base = [u for u, _ in generate(400, seed=seed)] + [
        "a://b", "://x", "ab/c://d", "h+t://x.com", "abcdefghi://x.com", "abcdefghij://x.com",
        "x.com:", "x.com:/a", "x.com:123456", "x.com:65536/", "x.com:65535", "x.com:0080/p",
        "http://x.com.:80?", "A.B.C", "http://..", "http://.", "_x.com", "-x.com", "h://x",
        "HTTP://Example.COM/a?b#c", "http://x.com/?#", "http://x.com/a#", "", "  ",
    ]  # fmt: skip
    out = list(base)
    for _ in range(n):
        u = list(rnd.choice(base))
        for _ in range(rnd.randint(1, 4)):
            k = rnd.randrange(len(u) + 1)
            if rnd.random() < 0.6:
                u.insert(k, rnd.choice(_PIECES))
            elif k < len(u):
                del u[k]
        out.append("".join(u))
    return out


def test_split_urls_equals_rules_split() -> None:
    urls = _mutants(5, 6000)
    scheme, host, path, userinfo, port = batch.split_urls(urls)
    got = list(
        zip(
            scheme.to_pylist(), host.to_pylist(), path.to_pylist(), userinfo.tolist(),
            [None if p < 0 else p for p in port.tolist()], strict=True,
        )
    )  # fmt: skip
    want = [tuple(rules._split(u) or ("http", "", "", False, None)) for u in urls]
    assert got == want


def test_take_ranges_and_byte_counts() -> None:
    values = _mutants(6, 500)
    arr = pa.array(values, pa.string())
    ascii_ = pa.array([v for v in values if v.isascii()], pa.string())  # ranges: any byte cuts
    data, off = batch._bytes(ascii_)
    rng = np.random.default_rng(1)
    s = np.minimum(off[:-1] + rng.integers(0, 3, len(off) - 1), off[1:])
    e = np.maximum(s, off[1:] - rng.integers(0, 3, len(off) - 1))
    raw = data.tobytes().decode()
    want = [raw[a:b] for a, b in zip(s.tolist(), e.tolist(), strict=True)]
    assert batch._take_ranges(data, s, e).to_pylist() == want
    for c, counts in zip(".-_/?", byte_counts(arr, b".-_/?"), strict=True):
        assert counts.tolist() == pc.count_substring(arr, c).to_pylist()
    digits = [sum("0" <= ch <= "9" for ch in v) for v in values]
    assert count_bytes(arr, 48, 57).tolist() == digits


def test_member_equals_set_membership() -> None:
    rng = np.random.default_rng(2)
    table = np.unique(rng.integers(0, 2**63, 5000, dtype=np.int64).astype(np.uint64) * np.uint64(3))
    small = np.arange(1, 40, dtype=np.uint64)  # short strings hash to small numbers
    table = np.unique(np.concatenate([table, small]))
    h = np.concatenate(
        [
            table[::7],
            rng.integers(0, 2**63, 20000, dtype=np.int64).astype(np.uint64),
            np.arange(0, 60, dtype=np.uint64),
        ]
    )
    want = np.isin(h, table)
    assert np.array_equal(batch._member(h, table), want)
    assert not batch._member(h, table[:0]).any()


def test_round4_equals_python_round() -> None:
    rng = np.random.default_rng(3)
    k = rng.integers(0, 10_000, 20_000)
    near = (k + 0.5) / 1e4  # halves (as near as doubles get)
    x = np.concatenate(
        [
            rng.random(50_000),
            near,
            np.nextafter(near, 0),
            np.nextafter(near, 1),
            [0.0, 1.0, 0.00005, 0.99995],
        ]
    )
    assert _round4(x) == [round(v, 4) for v in x.tolist()]


def test_sub_domains_ascii_and_unicode() -> None:
    keys = [
        "a.b.example.com",
        "example.com",
        "x.y.co.uk",
        "1.2.3.4",
        "例子.测试",
        "ab.例子.测试",
        "bad..host",
        "com",
    ]
    H = batch.host_table(pa.array(keys * 20, pa.string()))
    want = []
    for a, r in zip(H.ascii.to_pylist(), H.reg_list, strict=True):
        c = len(a) - len(r) - 1
        want.append("^" + a[:c] if c > 0 else "")
    assert _sub_domains(H).to_pylist() == want
    odd = batch.Hosts(  # an "ASCII" host that is not (IDNA failed): the per-host fallback
        key=["ä.b.c", "x.y"], host=["ä.b.c", "x.y"], ascii=pa.array(["ä.b.c", "x.y"]),
        registrable=pa.array(["b.c", "x.y"]), suffix=pa.array(["c", "y"]), reg_list=["b.c", "x.y"],
        suf_list=["c", "y"], is_ip=np.zeros(2, bool), punycode=np.zeros(2, bool),
        official=np.zeros(2, bool), reasons=[(), ()],
    )  # fmt: skip
    assert _sub_domains(odd).to_pylist() == ["^ä", ""]


def test_hinted_host_reasons_equal_plain() -> None:
    """The batch passes hints only where its prefilter proves a search cannot match; with every
    hint on, the uncached function is host_reasons itself."""
    hosts = [rules._split(u)[1] for u, _ in generate(600, seed=7) if rules._split(u)]
    for h in hosts:
        f = rules.host_facts(h)
        args = (f[1], f[0], f[4], f[5], f[3], f[2])
        assert rules.host_reasons_hinted(*args) == rules.host_reasons(*args)
    keys = pa.array(sorted(set(hosts)), pa.string())
    H = batch.host_table(keys)
    for k, got in zip(H.key, H.reasons, strict=True):
        f = rules.host_facts(k)
        assert got == rules.host_reasons(f[1], f[0], f[4], f[5], f[3], f[2])


def test_batch_verdicts_cold_partial_warm_and_single_agree() -> None:
    m = default_model()
    urls = [u for u, _ in generate(1500, seed=11)] + [
        "https://www.icbc.com.cn/", "http://www.sz.gov.cn/x", "http://user@evil.example.com:8080/jd.com/a.apk",
        "http://paypa1.com/login", "   ", "http://[::1/", "http://例子.测试/登录",
    ]  # fmt: skip

    def tup(vs):
        return [(v.is_risky, v.score, v.reasons, v.registrable_domain) for v in vs]

    m.__dict__.pop("_hosts", None)
    cold = tup(m.score(urls))
    m.__dict__.pop("_hosts", None)
    m.score(urls[::4])
    partial = tup(m.score(urls))
    warm = tup(m.score(urls))
    single = tup(m._score_one(u) for u in urls)
    assert cold == partial == warm == single
