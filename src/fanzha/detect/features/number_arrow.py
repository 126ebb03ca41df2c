"""Per-number call features (DOMAIN.md §8) as vectorised Arrow/numpy over dictionary codes.

The same definitions as :func:`number_sql.number_features_sql` (tested equal), for a local run
over Parquet files: string columns are read as the dictionary codes Parquet already stores, so
every grouping works on integers, and each grouping is one ``np.sort`` of packed integer keys
(numpy's SIMD sort; uint32 when they fit) instead of a hash table or a window sort:

* per caller: ``bincount`` over caller codes (counts, sums);
* inter-call gaps: sort of ``caller << b | t`` → consecutive differences within a caller;
* distinct callees, entropy, callbacks: sort of ``caller·K + callee`` → run lengths;
* distinct cells/IMEIs and numbers per IMEI: sort of ``caller·K_x + x`` (cities: a bitmap).

When (caller, µs) does not fit 63 bits (millions of numbers over years) the gaps fall back to
``np.lexsort``, slower but the same values.

A Spark runner executes :func:`number_sql.number_features_sql` over the same files instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from fanzha.detect.features.number_sql import FEATURE_COLUMNS, NIGHT_HOURS, SHORT_CALL_S, WINDOWS
from fanzha.domain.events import arrow_schema

STRING_COLUMNS = ["caller", "callee", "direction", "caller_card_type", "cell", "city", "imei"]
CALL_COLUMNS = [*STRING_COLUMNS, "duration_s", "event_time"]
_INT_FEATURES = {
    "out_calls",
    "in_calls",
    "distinct_callees",
    "iot_voice_calls",
    "distinct_cells",
    "distinct_cities",
    "imeis_per_number",
    "max_numbers_per_imei",
}


def read_calls(
    paths: str | Path | Sequence[str | Path],
    since: datetime | None = None,
    until: datetime | None = None,
    use_threads: bool = False,
) -> pa.Table:
    """The call columns the features need from Parquet file(s), string columns kept as the
    dictionaries Parquet stores (no string is materialised); rows restricted to [since, until)
    (row groups outside the range are skipped by their statistics)."""
    files = [str(paths)] if isinstance(paths, str | Path) else [str(p) for p in paths]
    if not files:
        return arrow_schema("call").empty_table().select(CALL_COLUMNS)
    ts_type = pa.timestamp("us", tz="UTC")
    filters = []
    if since is not None:
        filters.append(("event_time", ">=", pa.scalar(since, ts_type)))
    if until is not None:
        filters.append(("event_time", "<", pa.scalar(until, ts_type)))
    return pq.read_table(
        files if len(files) != 1 else files[0],
        columns=CALL_COLUMNS,
        read_dictionary=STRING_COLUMNS,
        filters=filters or None,
        use_threads=use_threads,
    )


def _codes(columns: list[pa.ChunkedArray]) -> tuple[list[np.ndarray], pa.Array]:
    """Integer codes (−1 for NULL) of one or more string columns in one shared vocabulary.

    Dictionary chunks that share a dictionary (one Parquet row group) are mapped once, so the
    cost is one hash per dictionary entry, not per row. Plain string chunks are hashed per row."""
    dicts: dict[tuple[int, int], int] = {}
    pieces: list[pa.Array] = []
    plan: list[list[tuple[int, pa.Array | None]]] = []
    for col in columns:
        steps = []
        for chunk in col.chunks:
            if pa.types.is_dictionary(chunk.type):
                d = chunk.dictionary
                ident = (d.buffers()[1].address if d.buffers()[1] else 0, len(d))
                if ident not in dicts:
                    dicts[ident] = len(pieces)
                    pieces.append(d.cast(pa.large_string()))
                steps.append((dicts[ident], chunk.indices))
            else:  # plain strings: the chunk is its own dictionary
                pieces.append(chunk.cast(pa.large_string()))
                steps.append((len(pieces) - 1, None))
        plan.append(steps)
    if pieces:
        enc = pc.dictionary_encode(pa.concat_arrays(pieces))
        vocab = enc.dictionary
        glob = np.asarray(enc.indices.fill_null(-1).to_numpy(zero_copy_only=False), np.int32)
    else:
        vocab, glob = pa.array([], pa.large_string()), np.zeros(0, np.int32)
    offsets = np.concatenate([[0], np.cumsum([len(p) for p in pieces])]).astype(np.int64)
    out = []
    for col, steps in zip(columns, plan, strict=True):
        codes = np.empty(len(col), np.int32)
        pos = 0
        for piece, idx in steps:
            lut = glob[offsets[piece] : offsets[piece + 1]]
            size = len(lut) if idx is None else len(idx)
            dst = codes[pos : pos + size]
            if idx is None:
                dst[:] = lut
            elif idx.null_count:
                lut = np.append(lut, np.int32(-1))
                np.take(lut, idx.fill_null(len(lut) - 1).to_numpy(), out=dst)
            else:
                np.take(lut, idx.to_numpy(), out=dst)
            pos += size
        out.append(codes)
    return out, vocab


def _is(column: pa.ChunkedArray, value: str) -> np.ndarray:
    """Row mask ``column = value`` (NULL → False), compared once per dictionary entry."""
    parts = []
    for chunk in column.chunks:
        if pa.types.is_dictionary(chunk.type):
            hit = np.asarray(pc.equal(chunk.dictionary, value).fill_null(False), bool)
            hit = np.append(hit, False)
            parts.append(hit[chunk.indices.fill_null(len(hit) - 1).to_numpy()])
        else:
            parts.append(np.asarray(pc.equal(chunk, value).fill_null(False), bool))
    return np.concatenate(parts) if parts else np.zeros(0, bool)


def _starts(sorted_keys: np.ndarray) -> np.ndarray:
    """Positions where a new value begins in a sorted array."""
    change = np.empty(len(sorted_keys), bool)
    if len(sorted_keys):
        change[0] = True
        np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=change[1:])
    return np.flatnonzero(change)


def _sorted_keys(a: np.ndarray, b: np.ndarray, kb: int) -> np.ndarray:
    """``a·kb + b`` sorted, as uint32 when it fits (half the memory traffic of int64)."""
    dtype = np.uint32 if (int(a.max()) + 1) * kb <= 2**32 else np.int64
    keys = a.astype(dtype)
    keys *= dtype(kb)
    keys += b.astype(dtype, copy=False)
    keys.sort()
    return keys


def _distinct_per_caller(c: np.ndarray, x: np.ndarray, k: int) -> tuple[np.ndarray, int]:
    """Distinct non-NULL (caller, x) pairs as sorted keys ``caller·kx + x``, and kx."""
    kx = max(int(x.max()) + 1, 1) if len(x) else 1
    if len(x) and x.min() < 0:
        keep = x >= 0
        c, x = c[keep], x[keep]
    if not len(x):
        return np.zeros(0, np.int64), kx
    keys = _sorted_keys(c, x, kx)
    return keys[_starts(keys)].astype(np.int64), kx


def _distinct_count(c: np.ndarray, x: np.ndarray, k: int) -> np.ndarray:
    """Distinct non-NULL values of x per caller: a (caller × x) bitmap when it is no larger than
    a few times the rows (cities), else a sort (cells)."""
    kx = max(int(x.max()) + 1, 1) if len(x) else 1
    if k * kx > 4 * len(x):
        keys, kx = _distinct_per_caller(c, x, k)
        return np.bincount(keys // kx, minlength=k)
    if len(x) and x.min() < 0:
        keep = x >= 0
        c, x = c[keep], x[keep]
    seen = np.zeros(k * kx, bool)
    seen[c * kx + x] = True
    return np.count_nonzero(seen.reshape(k, kx), axis=1)


def number_features_arrow(calls: pa.Table, gap_std: bool = True) -> pa.Table:
    """One row per calling number with :data:`FEATURE_COLUMNS`, ordered by number — the same
    values as :func:`number_sql.number_features` over the same records."""
    for name in ("caller", "callee"):
        if calls[name].null_count:
            raise ValueError(f"{name}: {calls[name].null_count} NULL values; every call needs one")
    (c32, e), numbers = _codes([calls["caller"], calls["callee"]])
    k = len(numbers)
    c = c32.astype(np.int64)
    n_rows = len(c)
    ts_col = calls["event_time"]
    if pa.types.is_timestamp(ts_col.type) and ts_col.type.unit != "us":
        ts_col = ts_col.cast(pa.timestamp("us", tz=ts_col.type.tz))
    ts_us = np.asarray(ts_col.combine_chunks().cast(pa.int64()).to_numpy(), np.int64)
    dur = calls["duration_s"].combine_chunks()
    short_mask = np.asarray(pc.less(dur, SHORT_CALL_S).fill_null(False), bool)
    dur = np.asarray(dur.fill_null(0).to_numpy(), np.int64)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(c[mask], minlength=k)

    out_calls = np.bincount(c, minlength=k)
    in_calls = np.bincount(e, minlength=k)
    short = count(short_mask)
    dur_sum = np.bincount(c, dur.astype(np.float64), k)
    # local hour in [0, 6): the SQL's (epoch_us / 1e6 / 3600 + 8) % 24 in whole microseconds
    hour_us = 3_600_000_000
    local = (ts_us + (8 - NIGHT_HOURS[0]) * hour_us) % (24 * hour_us)
    night = count(local < (NIGHT_HOURS[1] - NIGHT_HOURS[0]) * hour_us)
    fwd = count(_is(calls["direction"], "forwarded"))
    iot = count(_is(calls["caller_card_type"], "iot"))

    # each number's calls in time order: one sort of (caller, time) packed into an int64
    t0 = int(ts_us.min()) if n_rows else 0
    rel = ts_us - t0
    tb = max(int(rel.max()).bit_length(), 1) if n_rows else 1
    if tb + max(int(k - 1).bit_length(), 1) <= 63:
        packed = c << tb
        packed |= rel
        packed.sort()
        cs = packed >> tb
        t_sorted = np.bitwise_and(packed, (1 << tb) - 1, out=packed)  # in place: fewer pages
    else:  # too wide to pack: a slower lexicographic sort, same result
        order = np.lexsort((rel, c))
        cs, t_sorted = c[order], rel[order]
    first, last = np.zeros(k), np.zeros(k)
    head = _starts(cs)
    if n_rows:
        first[cs[head]] = (t_sorted[head] + t0) / 1e6
        tail = np.append(head[1:] - 1, n_rows - 1)
        last[cs[tail]] = (t_sorted[tail] + t0) / 1e6
    many = out_calls > 1
    with np.errstate(invalid="ignore", divide="ignore"):
        gap_mean = np.where(many, (last - first) / (out_calls - 1), np.nan)
    gap_sd = np.full(k, np.nan)
    if gap_std and n_rows > 1:
        # population std of the gaps around their mean, summed within each caller's run
        dev = np.subtract(t_sorted[1:], t_sorted[:-1], dtype=np.float64)
        dev /= 1e6
        dev -= gap_mean[cs[1:]]
        dev[head[1:] - 1] = 0.0  # the step from one caller's last call to the next caller
        dev *= dev
        with np.errstate(invalid="ignore", divide="ignore"):
            sq = np.bincount(cs[1:], dev, k)
            gap_sd = np.where(many, np.sqrt(sq / (out_calls - 1)), np.nan)

    # (caller, callee) pairs: spread of callees, entropy, callbacks
    keys = _sorted_keys(c32, e, k) if n_rows else np.zeros(0, np.int64)
    starts = _starts(keys)
    pairs = keys[starts].astype(np.int64)
    n = np.diff(np.append(starts, n_rows))
    pair_caller, pair_callee = pairs // k, pairs % k
    distinct_callees = np.bincount(pair_caller, minlength=k)
    nlogn = np.bincount(pair_caller, n * np.log(n), k)
    # a pair (a, b) is called back when (b, a) is a pair too: keys present in both lists
    both = np.sort(np.concatenate([pairs * 2, (pair_callee * k + pair_caller) * 2 + 1]))
    dup = both[1:][(both[1:] >> 1) == (both[:-1] >> 1)] >> 1
    callbacks = np.bincount(dup // k, minlength=k)

    (cell,), _ = _codes([calls["cell"]])
    (city,), _ = _codes([calls["city"]])
    (imei,), _ = _codes([calls["imei"]])
    spread = {
        "distinct_cells": _distinct_count(c, cell, k),
        "distinct_cities": _distinct_count(c, city, k),
    }
    keys, ki = _distinct_per_caller(c, imei, k)
    owner, dev_ = keys // ki, keys % ki
    spread["imeis_per_number"] = np.bincount(owner, minlength=k)
    max_per_imei = np.zeros(k, np.int64)
    if len(keys):
        numbers_per_imei = np.bincount(dev_, minlength=ki)[dev_]
        starts = _starts(owner)
        max_per_imei[owner[starts]] = np.maximum.reduceat(numbers_per_imei, starts)

    sel = np.flatnonzero(out_calls > 0)
    sel = sel[np.asarray(pc.sort_indices(numbers.take(pa.array(sel))))]
    oc = out_calls[sel].astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        cols = {
            "out_calls": out_calls[sel],
            "in_calls": in_calls[sel],
            "out_share": oc / (oc + in_calls[sel]),
            "distinct_callees": distinct_callees[sel],
            "short_call_share": short[sel] / oc,
            "mean_duration_s": dur_sum[sel] / oc,
            "night_share": night[sel] / oc,
            "forwarded_share": fwd[sel] / oc,
            "iot_voice_calls": iot[sel],
            **{name: v[sel] for name, v in spread.items()},
            "max_numbers_per_imei": max_per_imei[sel],
            "callee_entropy": np.log(oc) - nlogn[sel] / oc,
            "callback_share": callbacks[sel] / distinct_callees[sel],
            "gap_mean_s": gap_mean[sel],
            "gap_std_s": gap_sd[sel],
        }
    arrays = {"number": numbers.take(pa.array(sel)).cast(pa.string())}
    for name in FEATURE_COLUMNS:
        v = cols[name]
        if name in _INT_FEATURES:
            arrays[name] = pa.array(v.astype(np.int64))
        else:
            arrays[name] = pa.array(v.astype(np.float64), mask=np.isnan(v))
    return pa.table(arrays)


def number_features_parquet(
    paths: str | Path | Sequence[str | Path],
    since: datetime | None = None,
    until: datetime | None = None,
    gap_std: bool = True,
    use_threads: bool = False,
) -> pa.Table:
    """:func:`number_features_arrow` over the calls in Parquet file(s) within [since, until)."""
    return number_features_arrow(read_calls(paths, since, until, use_threads), gap_std)


def windowed_number_features_arrow(calls: pa.Table, as_of: datetime) -> pa.Table:
    """:func:`number_sql.windowed_number_features` from one read of the widest window: the
    narrower windows filter the table in memory. ``calls`` must cover the widest window."""
    ts = calls["event_time"].cast(pa.int64())
    end = pa.scalar(as_of, pa.timestamp("us", tz="UTC")).value
    parts = {}
    for name, width in WINDOWS.items():
        start = end - int(width.total_seconds() * 1_000_000)
        mask = pc.and_(pc.greater_equal(ts, start), pc.less(ts, end))
        parts[name] = number_features_arrow(calls.filter(mask))
    widest = parts[list(WINDOWS)[-1]]
    arrays = {"number": widest["number"]}
    for name, t in parts.items():
        rows = pc.index_in(widest["number"], value_set=t["number"])
        for col in FEATURE_COLUMNS:
            arrays[f"{col}_{name}"] = t[col].take(rows)
    return pa.table(arrays)
