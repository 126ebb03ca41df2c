"""Fast path of validation: the clean, common forms decided on raw Arrow buffers with numpy.

A field value is *decided* here only when it is in a form whose result is certain and equal to
what the SQL validator (:mod:`fanzha.ingest.validate`) would produce: plain ASCII digits for
integers, ``YYYY-MM-DD HH:MM:SS`` for times, canonical spellings for enumerations, text with no
surrounding whitespace. A record is accepted here only when every field is decided and valid;
every other record (messy, invalid, or merely unusual) goes to the SQL path, which names the
errors. ``tests/ingest/test_ingest_fastpath.py`` checks fast == slow on messy samples.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fanzha.ingest.fields import FieldSpec

US_PER_S = 1_000_000
US_PER_HOUR = 3600 * US_PER_S
MIN_YEAR, MAX_YEAR = 2000, 2100

_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


@dataclass
class StrView:
    """Raw view of a string array: row starts/ends into ``data`` and which rows are empty/null."""

    data: np.ndarray  # uint8, the whole data buffer
    starts: np.ndarray  # int64
    lengths: np.ndarray  # int64 (0 for null)
    empty: np.ndarray  # bool: null or ''


def str_view(arr: pa.Array) -> StrView:
    if not pa.types.is_string(arr.type):
        raise TypeError(arr.type)
    n = len(arr)
    _validity, offs_buf, data_buf = arr.buffers()
    offs = np.frombuffer(offs_buf, dtype=np.int32)[arr.offset : arr.offset + n + 1].astype(np.int64)
    data = (
        np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, np.uint8)
    )
    lengths = np.diff(offs)
    if arr.null_count:
        valid = np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        lengths = np.where(valid, lengths, 0)
    return StrView(data, offs[:-1], lengths, lengths == 0)


def _edge_bytes(v: StrView) -> tuple[np.ndarray, np.ndarray]:
    """First and last byte of every non-empty row (0 for empty rows)."""
    if len(v.data) == 0:
        z = np.zeros(len(v.starts), dtype=np.uint8)
        return z, z
    if not v.empty.any():
        return v.data[v.starts], v.data[v.starts + (v.lengths - 1)]
    has = ~v.empty
    first = np.where(has, v.data[np.where(has, v.starts, 0)], 0)
    last = np.where(has, v.data[np.where(has, v.starts + v.lengths - 1, 0)], 0)
    return first, last


def no_edge_space(v: StrView) -> np.ndarray:
    """Rows whose text has no leading/trailing space, tab, CR or LF (nothing to trim)."""
    first, last = _edge_bytes(v)
    return ~(_is_space(first) | _is_space(last))


def _is_space(b: np.ndarray) -> np.ndarray:
    """Bytes that are a space, tab, LF or CR (comparisons: cheaper than a table lookup)."""
    return (b == 32) | (b == 9) | (b == 10) | (b == 13)


def all_digits(v: StrView) -> np.ndarray:
    """Rows made only of ASCII digits (empty rows count as digits-only; check ``empty``)."""
    n = len(v.starts)
    if len(v.data) == 0 or n == 0:
        return np.ones(n, dtype=bool)
    lo = int(v.starts[0])
    hi = int(v.starts[-1] + v.lengths[-1])
    seg = v.data[lo:hi]
    bad = (seg - np.uint8(48)) > 9  # uint8 wraps below '0'
    if not bad.any():
        return np.ones(n, dtype=bool)
    cs = np.zeros(len(seg) + 1, dtype=np.int32 if len(seg) < 2**31 else np.int64)
    np.cumsum(bad, out=cs[1:])
    s = v.starts - lo
    return (cs[s + v.lengths] - cs[s]) == 0


def fixed_columns(v: StrView, rows: np.ndarray, width: int) -> list[np.ndarray]:
    """Byte ``p`` (p < width) of each of the given rows, one uint8 array per position. Rows
    laid out back to back (every value that wide) are read as a strided view, without a copy."""
    n = len(v.starts)
    if len(rows) == n and n and (v.lengths == width).all():
        lo = int(v.starts[0])
        block = v.data[lo : lo + n * width].reshape(n, width)
        return [block[:, p] for p in range(width)]
    starts = v.starts[rows]
    return [v.data[starts + p] for p in range(width)]


# --- field kinds ----------------------------------------------------------------------------


def str_field(arr: pa.Array, spec: FieldSpec, limit: int) -> tuple[pa.Array, np.ndarray]:
    """Text: decided when nothing needs trimming and the byte length is within the limit (the
    character length is then too). '' / null → NULL (undecided when the field is required)."""
    v = str_view(arr)
    ok = no_edge_space(v) & (v.lengths <= limit)
    if spec.required:
        ok &= ~v.empty
    if v.empty.any():
        arr = pc.if_else(pa.array(v.empty), pa.scalar(None, pa.string()), arr)
    return arr, ok


def int_field(arr: pa.Array, spec: FieldSpec) -> tuple[pa.Array, np.ndarray]:
    """Integers written as 1-18 plain ASCII digits (no sign, no separators)."""
    v = str_view(arr)
    ok = all_digits(v) & ~v.empty & (v.lengths <= 18)
    if ok.all():
        values = pc.cast(arr, pa.int64())
        nums = values.to_numpy(zero_copy_only=False)
    else:  # cast only the plain-digit rows; the others read as 0 (and stay undecided)
        nums = np.zeros(len(arr), dtype=np.int64)
        nums[ok] = pc.cast(arr.filter(pa.array(ok)), pa.int64()).to_numpy(zero_copy_only=False)
        values = pa.array(nums, pa.int64())
    if spec.ge is not None:
        ok &= nums >= spec.ge
    if spec.gt is not None:
        ok &= nums > spec.gt
    if spec.le is not None:
        ok &= nums <= spec.le
    return values, ok


def enum_field(arr: pa.Array, spec: FieldSpec) -> tuple[pa.Array, np.ndarray]:
    """Values already in canonical spelling; empty → the default (or NULL when optional)."""
    v = str_view(arr)
    ok = pc.is_in(arr, value_set=pa.array(spec.enum_values, pa.string()))
    ok = np.asarray(pc.fill_null(ok, False).to_numpy(zero_copy_only=False), dtype=bool)
    if v.empty.any():
        if spec.default is not None:
            ok |= v.empty
            arr = pc.if_else(pa.array(v.empty), pa.scalar(str(spec.default)), arr)
        else:
            if not spec.required:
                ok |= v.empty
            arr = pc.if_else(pa.array(v.empty), pa.scalar(None, pa.string()), arr)
    return arr, ok


def _days_from_civil(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = y - (m <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (m + np.where(m > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse_local_times(v: StrView, arr: pa.Array | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``YYYY-MM-DD HH:MM:SS`` (or ``T`` between) → (local epoch microseconds, decided).

    When every value of ``arr`` is 19 bytes with ``' '``/``'T'``, ``':'``, ``':'`` at bytes
    10, 13, 16, Arrow's own ISO 8601 cast parses them in one pass; it checks the digits, the
    dashes and the calendar (month, day of month, hour < 24, minute and second < 60) and fails
    on the whole chunk otherwise, which then takes the numpy parser below."""
    if arr is not None and len(arr) and not arr.null_count and (v.lengths == 19).all():
        b = fixed_columns(v, np.arange(len(arr)), 19)
        shape = ((b[10] == 32) | (b[10] == 84)) & (b[13] == 58) & (b[16] == 58)
        if shape.all():
            try:
                ts = pc.cast(arr, pa.timestamp("us"))
            except pa.ArrowInvalid:
                ts = None
            if ts is not None:
                local = ts.cast(pa.int64()).to_numpy(zero_copy_only=False)
                lo, hi = _local_year_bounds()
                return local, (local >= lo) & (local < hi)
    return _parse_local_numpy(v)


@functools.cache
def _local_year_bounds() -> tuple[int, int]:
    """[Jan 1st of MIN_YEAR - 1, Jan 1st of MAX_YEAR + 2) in local µs: the years decided."""
    return _year_start_us(MIN_YEAR - 1), _year_start_us(MAX_YEAR + 2)


def _parse_local_numpy(v: StrView) -> tuple[np.ndarray, np.ndarray]:
    """``YYYY-MM-DD HH:MM:SS`` (or ``T`` between) → (local epoch microseconds, decided)."""
    n = len(v.starts)
    rows = np.flatnonzero(v.lengths == 19)
    if len(rows) == 0:
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    b = fixed_columns(v, rows, 19)
    good = (b[4] == 45) & (b[7] == 45) & ((b[10] == 32) | (b[10] == 84))  # '-' '-' ' '|'T'
    good &= (b[13] == 58) & (b[16] == 58)  # ':' ':'

    def num(*pos: int) -> np.ndarray:
        nonlocal good
        out = np.zeros(len(rows), dtype=np.int32)
        for p in pos:
            d = b[p] - np.uint8(48)  # wraps below '0', so one comparison checks the digit
            good &= d <= 9
            out = out * 10 + d
        return out

    year, month, day = num(0, 1, 2, 3), num(5, 6), num(8, 9)
    hour, minute, sec = num(11, 12), num(14, 15), num(17, 18)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    mi = np.minimum(month, 12)
    dim = _DAYS_IN_MONTH[mi] + ((mi == 2) & leap)
    good &= (year >= MIN_YEAR - 1) & (year <= MAX_YEAR + 1) & (month >= 1) & (month <= 12)
    good &= (day >= 1) & (day <= dim) & (hour <= 23) & (minute <= 59) & (sec <= 59)
    days = _days_from_civil(year.astype(np.int64), np.maximum(mi, 1), np.maximum(day, 1))
    secs = days * 86400 + (hour * 3600 + minute * 60 + sec)
    if len(rows) == n:
        return secs * US_PER_S, good
    local = np.zeros(n, dtype=np.int64)
    ok = np.zeros(n, dtype=bool)
    local[rows] = secs * US_PER_S
    ok[rows] = good
    return local, ok


# tz → {local hour number: its offset in µs, or None when an offset change is near}. The zone
# rules do not change while a process runs, so hours already asked of DuckDB are kept.
_HOUR_OFFSETS: dict[str, dict[int, int | None]] = {}


def _hour_offsets(con: duckdb.DuckDBPyConnection, tz: str, hours: list[int]) -> None:
    known = _HOUR_OFFSETS.setdefault(tz, {})
    wanted = np.array([h for h in hours if h not in known], dtype=np.int64)
    if len(wanted) == 0:
        return
    edges = np.concatenate(
        [
            (wanted - 1) * US_PER_HOUR + (US_PER_HOUR - 1),  # end of the previous hour
            wanted * US_PER_HOUR,  # start of the hour
            wanted * US_PER_HOUR + (US_PER_HOUR - 1),  # end of the hour
            (wanted + 1) * US_PER_HOUR,  # start of the next hour
        ]
    )
    con.register("_tz_edges", pa.table({"l": pa.array(edges, pa.int64())}))
    try:
        utc = con.execute(
            "SELECT epoch_us(timezone(?, make_timestamp(l))) AS u FROM _tz_edges", [tz]
        ).fetchnumpy()["u"]
    finally:
        con.unregister("_tz_edges")
    offs = (edges - np.asarray(utc, dtype=np.int64)).reshape(4, -1)
    stable = (offs == offs[0]).all(axis=0)
    for h, off, st in zip(wanted.tolist(), offs[1].tolist(), stable.tolist(), strict=True):
        known[h] = off if st else None


def local_to_utc(
    con: duckdb.DuckDBPyConnection, local: np.ndarray, ok: np.ndarray, tz: str
) -> tuple[np.ndarray, np.ndarray]:
    """Naive local microseconds → UTC, with DuckDB's own ``timezone(tz, …)`` evaluated once per
    distinct local hour. Hours near an offset change (the hour itself or either neighbour has a
    different offset at its edges) are left undecided, so DST gaps and overlaps go to SQL."""
    if not ok.any():
        return local, ok
    hours = local // US_PER_HOUR
    lo, hi = int(hours[ok].min()), int(hours[ok].max())
    present = np.zeros(hi - lo + 1, dtype=bool)
    present[hours[ok] - lo] = True
    wanted = (np.flatnonzero(present) + lo).tolist()
    _hour_offsets(con, tz, wanted)
    known = _HOUR_OFFSETS[tz]
    table = np.zeros(hi - lo + 1, dtype=np.int64)
    table_ok = np.zeros(hi - lo + 1, dtype=bool)
    for h in wanted:
        off = known[h]
        if off is not None:
            table[h - lo] = off
            table_ok[h - lo] = True
    idx = np.clip(hours - lo, 0, hi - lo)
    ok = ok & table_ok[idx]
    utc_us = local - table[idx]
    ok &= (utc_us >= _year_start_us(MIN_YEAR)) & (utc_us < _year_start_us(MAX_YEAR + 1))
    return utc_us, ok


def _year_start_us(year: int) -> int:
    return (
        int(_days_from_civil(np.array([year]), np.array([1]), np.array([1]))[0]) * 86400 * US_PER_S
    )


def time_field(
    con: duckdb.DuckDBPyConnection, arr: pa.Array, tz: str
) -> tuple[pa.Array, np.ndarray]:
    v = str_view(arr)
    local, ok = parse_local_times(v, arr)
    utc, ok = local_to_utc(con, local, ok, tz)
    return pa.array(utc, pa.int64()).cast(pa.timestamp("us", tz="UTC")), ok


def org_field(arr: pa.Array, org: str, forced: str | None) -> tuple[pa.Array, np.ndarray]:
    """``source_org`` when the caller's organisation is known: empty → that organisation; with
    ``forced``, any other value is left to SQL (which rejects it)."""
    v = str_view(arr)
    ok = no_edge_space(v)
    if forced is not None:
        same = pc.fill_null(pc.equal(arr, pa.scalar(forced)), False)
        ok &= np.asarray(same.to_numpy(zero_copy_only=False), dtype=bool) | v.empty
    if v.empty.any():
        arr = pc.if_else(pa.array(v.empty), pa.scalar(org), arr)
    return arr, ok
