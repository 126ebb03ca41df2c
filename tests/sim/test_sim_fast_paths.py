"""The simulator's fast paths give exactly what the plain numpy/Arrow formulations give."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fanzha.sim import ids, life
from fanzha.sim.draws import choice_p
from fanzha.sim.engine import Deferred, IdMint, build_table, format_ids
from fanzha.sim.fraud import _cdf, _one, _one_p, _uniform
from fanzha.sim.output import LakeSink, split_by_utc_day

DAY_US = 86_400_000_000


def _digits_ref(values: np.ndarray, width: int) -> np.ndarray:
    pows = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // pows[None, :]) % 10


def _luhn_ref(body: np.ndarray, width: int) -> np.ndarray:
    d = _digits_ref(body, width)[:, ::-1]
    doubled = d[:, 0::2] * 2
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    return (10 - (doubled.sum(axis=1) + d[:, 1::2].sum(axis=1)) % 10) % 10


def _dup_ref(values: np.ndarray) -> np.ndarray:
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    dup = np.zeros(len(values), dtype=bool)
    dup[order[1:]] = ordered[1:] == ordered[:-1]
    return dup


@pytest.mark.parametrize("width", [1, 9, 10, 14, 17, 18])
def test_digits_and_check_digits_match_the_direct_formulas(width):
    rng = np.random.default_rng(width)
    v = rng.integers(0, 10 ** min(width + 1, 18), 5000)
    assert (ids.digits(v, width) == _digits_ref(v, width)).all()
    assert (ids.luhn_check_digit(v, width) == _luhn_ref(v, width)).all()
    body = rng.integers(0, min(10**width, 9 * 10**17), 1000)  # card fits in int64
    cards = body * 10 + ids.luhn_check_digit(body, width)
    assert all(ids.luhn_valid(str(c).zfill(width + 1)) for c in cards[:200])
    body = rng.integers(10**16, 10**17, 2000)
    weights = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    expect = np.array(list("10X98765432"))[(_digits_ref(body, 17) * weights).sum(axis=1) % 11]
    assert (ids.resident_id_check(body) == expect).all()


@pytest.mark.parametrize(("n", "hi"), [(0, 1), (1, 5), (2, 1), (1000, 3), (200_000, 10**9)])
def test_sort_helpers_match_numpy(n, hi):
    rng = np.random.default_rng(n)
    keys = rng.integers(-5, hi, n)
    assert (ids.stable_argsort(keys) == np.argsort(keys, kind="stable")).all()
    assert (ids.dup_mask(keys) == _dup_ref(keys)).all()
    second = rng.integers(10**15, 10**15 + 50, n)  # many ties: the stable fallback
    assert (ids.lexsort2(keys, second) == np.lexsort((second, keys))).all()
    wide = rng.integers(0, 2**62, n)  # too wide to pack: numpy itself
    assert (ids.stable_argsort(wide) == np.argsort(wide, kind="stable")).all()
    assert (ids.lexsort2(keys, wide) == np.lexsort((wide, keys))).all()


def test_scalar_draw_helpers_make_the_same_draws_as_generator_methods():
    a, b = np.random.default_rng(7), np.random.default_rng(7)
    seq = ["x", "y", "z", "w", "v", "u", "t"]
    p = [0.35, 0.35, 0.3]
    cdf = _cdf(p)
    for _ in range(500):
        assert _one(a, seq) == b.choice(seq)
        assert _one_p(a, ["atm", "tp", "c"], cdf) == b.choice(["atm", "tp", "c"], p=p)
        assert _uniform(a, 0.3, 12) == b.uniform(0.3, 12)
    assert a.random() == b.random()


def test_id_mint_scalar_and_vector_paths_agree():
    m1, m2 = IdMint(3), IdMint(3)
    one = [m1.one("call") for _ in range(5)]
    many = m2.many("call", 5).to_pylist()
    assert one == many
    assert format_ids("sms", m1._values(2)).to_pylist() == m2.many("sms", 2).to_pylist()
    assert len(set(m1.many("call", 10_000).to_pylist())) == 10_000


def test_split_by_utc_day_keeps_every_row_once():
    rng = np.random.default_rng(1)
    base = 20_400 * DAY_US
    t = base + rng.integers(-DAY_US // 3, 2 * DAY_US, 10_000)
    table = pa.table(
        {"event_time": pa.array(t).cast(pa.timestamp("us", tz="UTC")), "i": np.arange(10_000)}
    )
    parts = split_by_utc_day(table)
    assert [d for d, _ in parts] == ["2025-11-07", "2025-11-08", "2025-11-09"]
    got = np.sort(np.concatenate([p["i"].to_numpy() for _, p in parts]))
    assert (got == np.arange(10_000)).all()
    for day, part in parts:
        days = part["event_time"].cast(pa.int64()).to_numpy() // DAY_US
        assert (days == days[0]).all()
        assert str(np.datetime64(int(days[0]), "D")) == day


def _sms_cols(n: int, t0: int) -> dict:
    return {
        "source_org": lambda: ids.const("CMCC-SC", n),
        "event_time": np.full(n, t0, dtype=np.int64) + np.arange(n),
        "sender": lambda: ids.to_str(np.arange(n) + 13_800_000_000),
        "receiver": lambda: ids.to_str(np.arange(n) + 13_900_000_000),
        "content": lambda: ids.const("您好", n),
    }


def test_lake_sink_writes_deferred_tables_in_the_lake_layout(tmp_path):
    sink = LakeSink(tmp_path, max_rows=1_000)  # small budget: the generator has to wait
    mint = IdMint(1)
    t0 = 20_400 * DAY_US + DAY_US - 500  # straddles a UTC midnight
    for _ in range(5):
        eid = mint._values(800)
        sink("sms", Deferred("sms", 800, lambda e=eid: build_table("sms", _sms_cols(800, t0), e)))
    sink.close()
    files = sorted((tmp_path / "lake" / "kind=sms").glob("day=*/part-*.parquet"))
    assert {f.parent.name for f in files} == {"day=2025-11-08", "day=2025-11-09"}
    assert not list((tmp_path / "lake").rglob("*.tmp"))
    table = pa.concat_tables([pq.read_table(f) for f in files])
    assert table.num_rows == 4_000
    assert len(set(table["event_id"].to_pylist())) == 4_000
    assert set(table["content"].to_pylist()) == {"您好"}


def test_lake_sink_reports_a_failed_write(tmp_path):
    sink = LakeSink(tmp_path)

    def boom() -> pa.Table:
        raise ValueError("no such column: caller")

    sink("call", Deferred("call", 10, boom))
    with pytest.raises(RuntimeError, match="lake writer failed.*no such column"):
        sink.close()


@pytest.mark.parametrize(
    ("a", "p"),
    [
        (24, None),
        ([1, 2, 3, 4, 5], [0.2, 0.3, 0.25, 0.15, 0.1]),
        (len(ids.BANK_CODES), ids.BANK_SHARE),
        (3, [0.45, 0.4, 0.15]),
    ],
)
def test_choice_p_makes_the_same_draws_and_state_as_generator_choice(a, p):
    if p is None:
        p = life.PROFILES["social"]
    for seed in range(5):
        r1, r2 = np.random.default_rng([seed, 9]), np.random.default_rng([seed, 9])
        for size in (0, 1, 7, 1000, 200_000):
            want = r1.choice(a, size=size, p=p)
            got = choice_p(r2, a, size, p)
            assert got.dtype == want.dtype and np.array_equal(got, want)
        assert r1.random() == r2.random()  # the generators moved alike


def test_sample_times_matches_generator_choice_hours():
    for profile, p in life.PROFILES.items():
        r1, r2 = np.random.default_rng(3), np.random.default_rng(3)
        for n in (1, 50, 100_000):
            hours = r1.choice(24, size=n, p=p)
            want = 10**15 + hours * life.HOUR_US + r1.integers(0, life.HOUR_US, n)
            assert np.array_equal(life.sample_times(r2, n, profile, 10**15), want)
        assert r1.random() == r2.random()


def test_truth_written_with_the_world_prebuilt_equals_the_one_shot_export(tmp_path):
    """start_truth() during the run (as generate() does) and write_truth() alone: same files."""
    from fanzha.sim.engine import SimConfig, simulate
    from fanzha.sim.truth import start_truth, write_truth

    cfg = SimConfig(preset="tiny", days=2, seed=5)
    early: list = []
    world, state, _ = simulate(
        cfg,
        lambda kind, table: None,
        on_world=lambda w, s: early.append(start_truth(tmp_path / "a", w, s)),
    )
    write_truth(tmp_path / "a", world, state, early[0])
    write_truth(tmp_path / "b", world, state)
    names = sorted(f.name for f in (tmp_path / "a" / "truth").glob("*.parquet"))
    assert len(names) == 10
    for name in names:
        ta = pq.read_table(tmp_path / "a" / "truth" / name)
        tb = pq.read_table(tmp_path / "b" / "truth" / name)
        assert ta.num_rows > 0 and ta.equals(tb), name


def test_fast_draws_make_the_same_draws_and_state_as_the_generator():
    """FastDraws' scalar draws equal Generator.integers/random, across the 32/64-bit Lemire
    paths and rejections, interleaved with the generator's own methods through ``gen``."""
    from fanzha.sim.draws import FastDraws

    spans = [1, 2, 3, 100, 2**31, 2**32 - 1, 2**32, 2**32 + 1, 10**12, 2**62, 3_600_000_000]
    for seed in range(6):
        a, b = np.random.default_rng([seed, 5]), np.random.default_rng([seed, 5])
        fd = FastDraws(b)
        ops = np.random.default_rng(seed + 1000)
        for _ in range(2000):
            op = int(ops.integers(0, 10))
            if op < 3:
                assert a.random() == fd.random()
            elif op < 7:
                lo = int(ops.integers(-1000, 1000))
                span = spans[int(ops.integers(0, len(spans)))]
                assert a.integers(lo, lo + span) == fd.integers(lo, lo + span)
            elif op == 7:
                hi, k = int(ops.integers(2, 10**7)), int(ops.integers(1, 4))
                assert np.array_equal(a.integers(1, hi, k), fd.integers(1, hi, k))
            elif op == 8:
                assert a.lognormal(3.0, 1.0) == fd.gen.lognormal(3.0, 1.0)
            else:
                assert np.array_equal(a.integers(0, 10, 3), fd.gen.integers(0, 10, 3))
        fd.sync()
        assert a.bit_generator.state == b.bit_generator.state
        assert a.random() == b.random()


def test_deferred_tables_build_each_utc_day_as_the_filtered_whole():
    """The lake writer builds a Deferred table's UTC days directly from Lazy columns: the same
    tables as building it whole and filtering (so the same Parquet bytes)."""
    from fanzha.sim.lazy import Lazy
    from fanzha.sim.output import _day_parts

    rng = np.random.default_rng(4)
    n = 5_000
    t = 20_400 * DAY_US + rng.integers(-DAY_US // 2, DAY_US // 2, n)
    pool = ids.to_str(np.arange(1000) + 13_800_000_000)
    a, b = rng.integers(0, 1000, 700), rng.integers(0, 4, n - 700)
    cols = {
        "source_org": Lazy(lambda x: ids.const("CMCC-SC", len(x)), t),
        "event_time": t,
        "sender": Lazy(pool.take, rng.integers(0, 1000, n)),
        "receiver": lambda: pool.take(np.arange(n) % 1000),  # a plain callable still works
        "content": life._segments((pool.take, a), (pa.array(["甲", "乙", "丙", "丁"]).take, b)),
    }
    eid = IdMint(2)._values(n)
    d = Deferred("sms", n, lambda sel=None: build_table("sms", dict(cols), eid, sel), t)
    whole = split_by_utc_day(build_table("sms", dict(cols), eid))
    parts = list(_day_parts(d))
    assert [day for day, _ in parts] == [day for day, _ in whole] and len(parts) == 2
    for (_, got), (_, want) in zip(parts, whole, strict=True):
        assert got.equals(want)
