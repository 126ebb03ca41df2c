"""Hashed character n-grams of a whole pyarrow string column in a few numpy passes.

No fitted vocabulary: an n-gram's column is a hash of its bytes (and of its block's salt), so
training and scoring agree without storing a vocabulary, and a batch costs a few numpy passes
over its bytes instead of one Python object per n-gram. Kept here (not shared with the text
detector) so that a change there cannot silently move the columns of a shipped URL model.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pyarrow as pa

_P = np.uint64(0x100000001B3)  # FNV prime
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def _finalize(h: np.ndarray, salt: int) -> np.ndarray:
    """splitmix64 finaliser so that nearby n-grams land in unrelated buckets."""
    z = h ^ np.uint64(salt)
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


def column_bytes(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(UTF-8 bytes of all values, offsets) of a string array without a Python object per value."""
    arr = pa.array(arr, pa.string()) if not isinstance(arr, pa.Array) else arr
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    if arr.null_count:
        arr = arr.fill_null("")
    _, off_buf, data_buf = arr.buffers()
    n = len(arr)
    offsets = np.frombuffer(off_buf, dtype=np.int32, count=n + 1, offset=arr.offset * 4)
    offsets = offsets.astype(np.int64)
    if data_buf is None or offsets[-1] == offsets[0]:
        return np.zeros(0, np.uint8), offsets - offsets[0]
    data = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0] : offsets[-1]]
    return data, offsets - offsets[0]


def _bucket(h: np.ndarray, salt: int, n_features: int) -> np.ndarray:
    """Multiply-shift (Fibonacci) hashing of the rolled n-gram hash into ``n_features`` buckets."""
    bits = n_features.bit_length() - 1
    with np.errstate(over="ignore"):
        z = (h + np.uint64((salt * 0x9E3779B97F4A7C15) & (2**64 - 1))) * _MIX1
    return (z >> np.uint64(64 - bits)).astype(np.int64)


def ngram_scores(
    arr: pa.Array, ngram_range: tuple[int, int], weights: np.ndarray, salt: int
) -> np.ndarray:
    """Per value: sum of ``weights`` over its n-gram columns / sqrt(number of n-grams).

    The same number as (row of :func:`ngram_columns` with :func:`row_norms` values) @ weights,
    without materialising rows and columns (the scoring path).
    """
    n_features = len(weights)
    data, offsets = column_bytes(arr)
    lens = np.diff(offsets)
    out = np.zeros(len(lens))
    total = len(data)
    if total == 0:
        return out
    nmin, nmax = ngram_range
    adds, shift = _bucket_consts(salt, n_features)
    ends = offsets[1:]
    codes = data.astype(np.uint64)
    h = codes.copy()
    z = np.empty(total, np.uint64)
    acc = np.zeros(total + 1)
    # uint64 array arithmetic wraps silently; in-place passes, no temporaries of the buffer's size
    for n in range(1, nmax + 1):
        m = total - n + 1
        if m <= 0:
            break
        if n > 1:
            hm = h[:m]
            hm *= _P
            hm += codes[n - 1 : n - 1 + m]
        if n < nmin:
            continue
        zm = z[:m]
        np.add(h[:m], adds[n], out=zm)
        zm *= _MIX1
        zm >>= shift
        w = np.take(weights, zm.view(np.int64))  # buckets < 2**63: the same as uint64 indices
        # n-grams that run past the end of their value start at end - 1 ... end - n + 1
        cross = (ends[:, None] - np.arange(1, n)).ravel()
        w[cross[(cross >= 0) & (cross < m)]] = 0.0
        acc[1 : m + 1] += w
    cs = np.cumsum(acc)
    sums = cs[ends] - cs[offsets[:-1]]
    count = np.zeros(len(lens), np.int64)
    for n in range(nmin, nmax + 1):
        count += np.maximum(lens - n + 1, 0)
    nz = count > 0
    out[nz] = sums[nz] / np.sqrt(count[nz])
    return out


def ngram_columns(
    arr: pa.Array, ngram_range: tuple[int, int], n_features: int, salt: int
) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every byte n-gram of every value, n in ``ngram_range``."""
    if n_features & (n_features - 1):
        raise ValueError("n_features must be a power of two")
    data, offsets = column_bytes(arr)
    lens = np.diff(offsets)
    total = len(data)
    empty = np.zeros(0, np.int64)
    if total == 0:
        return empty, empty
    codes = data.astype(np.uint64)
    row_of = np.repeat(np.arange(len(lens), dtype=np.int64), lens)
    remaining = offsets[1:][row_of] - np.arange(total, dtype=np.int64)
    nmin, nmax = ngram_range
    rows, cols = [], []
    with np.errstate(over="ignore"):
        h = np.zeros(total, dtype=np.uint64)
        for n in range(1, nmax + 1):
            m = total - n + 1
            if m <= 0:
                break
            h = h[:m] * _P + codes[n - 1 : n - 1 + m]
            if n < nmin:
                continue
            idx = np.flatnonzero(remaining[:m] >= n)
            cols.append(_bucket(h[idx], salt * 64 + n, n_features))
            rows.append(row_of[idx])
    if not rows:
        return empty, empty
    return np.concatenate(rows), np.concatenate(cols)


def row_norms(rows: np.ndarray, n_rows: int) -> np.ndarray:
    """1/sqrt(number of n-grams) per row (1 for rows without any)."""
    cnt = np.bincount(rows, minlength=n_rows).astype(np.float64)
    cnt[cnt == 0] = 1.0
    return 1.0 / np.sqrt(cnt)


def count_bytes(arr: pa.Array, lo: int, hi: int) -> np.ndarray:
    """Per value, the number of bytes in [lo, hi] (e.g. ASCII digits)."""
    data, offsets = column_bytes(arr)
    pos = np.flatnonzero((data >= lo) & (data <= hi))
    rows = np.searchsorted(offsets, pos, side="right") - 1
    return np.bincount(rows, minlength=len(offsets) - 1)


def byte_counts(arr: pa.Array, chars: bytes) -> list[np.ndarray]:
    """Per value of a string array, how often each of the ASCII ``chars`` occurs: the same as
    ``pc.count_substring`` (no UTF-8 sequence holds an ASCII byte but its own)."""
    data, off = column_bytes(arr)
    n = len(off) - 1
    out = []
    for c in chars:
        pos = np.flatnonzero(data == c)
        out.append(np.bincount(np.searchsorted(off, pos, side="right") - 1, minlength=n))
    return out


_WORDS_DEFAULT = "[^a-z0-9]+"


def _ascii_word_columns(arr: pa.Array, n_features: int, salt: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`word_columns` for the default split (runs of ASCII a-z0-9), on the bytes: every
    byte of a non-ASCII character is >= 0x80, so it separates words as RE2's class does."""
    from fanzha.detect.urls.batch import _powers

    data, off = column_bytes(arr)
    total = len(data)
    e = np.zeros(0, np.int64)
    if total == 0:
        return e, e
    isw = ((data >= 97) & (data <= 122)) | ((data >= 48) & (data <= 57))
    first = np.zeros(total + 1, bool)  # a value starts here
    first[off[:-1]] = True
    prev = np.zeros(total, bool)
    prev[1:] = isw[:-1]
    prev &= ~first[:total]
    nxt = np.zeros(total, bool)
    nxt[:-1] = isw[1:]
    nxt &= ~first[1:]
    starts = np.flatnonzero(isw & ~prev)
    if not len(starts):
        return e, e
    ends = np.flatnonzero(isw & ~nxt) + 1
    fw, bw = _powers(total + 1)
    with np.errstate(over="ignore"):
        # sum over a word of (byte + 1) * P**(position in word), as one prefix sum
        cs = np.zeros(total + 1, np.uint64)
        np.cumsum((data.astype(np.uint64) + np.uint64(1)) * fw[:total], out=cs[1:])
        h = (cs[ends] - cs[starts]) * bw[starts]
    rows = np.searchsorted(off, starts, side="right") - 1
    cols = (_finalize(h, salt * 64) & np.uint64(n_features - 1)).astype(np.int64)
    return rows.astype(np.int64), cols


def word_columns(
    arr: pa.Array, n_features: int, salt: int, pattern: str = "[^a-z0-9]+"
) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every word (split on ``pattern``) of every value, hashed whole."""
    if pattern == _WORDS_DEFAULT:
        return _ascii_word_columns(arr, n_features, salt)
    import pyarrow.compute as pc

    lists = pc.split_pattern_regex(arr, pattern)
    words = pc.list_flatten(lists)
    rows = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    data, off = column_bytes(words)
    keep = np.diff(off) > 0
    if not keep.any():
        e = np.zeros(0, np.int64)
        return e, e
    codes = data.astype(np.uint64)
    # FNV-style hash of each word: fold bytes with a running product, then finalise
    with np.errstate(over="ignore"):
        pos = np.arange(len(data), dtype=np.int64)
        word_of = np.repeat(np.arange(len(off) - 1), np.diff(off))
        rel = pos - off[:-1][word_of]
        powers = np.cumprod(np.full(max(int(rel.max(initial=0)) + 1, 1), _P, dtype=np.uint64))
        powers = np.concatenate([[np.uint64(1)], powers[:-1]])
        contrib = (codes + np.uint64(1)) * powers[rel]
        cs = np.zeros(len(data) + 1, np.uint64)
        np.cumsum(contrib, out=cs[1:])
        h = cs[off[1:]] - cs[off[:-1]]
    mask = np.uint64(n_features - 1)
    cols = (_finalize(h, salt * 64) & mask).astype(np.int64)
    return rows[keep], cols[keep]


def ngram_score_one(
    data: bytes, ngram_range: tuple[int, int], weights: np.ndarray, salt: int
) -> float:
    """:func:`ngram_scores` of one value (its UTF-8 bytes): the same n-gram columns and weights,
    without the batch bookkeeping (small requests; equal within float rounding)."""
    size = len(data)
    nmin, nmax = ngram_range
    count = 0
    for n in range(nmin, nmax + 1):
        count += max(size - n + 1, 0)
    if not count:
        return 0.0
    adds, shift = _bucket_consts(salt, len(weights))
    codes = np.frombuffer(data, np.uint8).astype(np.uint64)
    h = codes
    cols = []
    # uint64 array arithmetic wraps silently (no np.errstate needed, unlike scalars)
    for n in range(1, min(nmax, size) + 1):
        if n > 1:
            h = h[: size - n + 1] * _P
            h += codes[n - 1 :]
        if n >= nmin:
            z = h + adds[n]
            z *= _MIX1
            z >>= shift
            cols.append(z)
    idx = np.concatenate(cols).view(np.int64)  # buckets < 2**63: the same as uint64 indices
    return float(weights[idx].sum(dtype=np.float64)) / math.sqrt(count)


_CONSTS: dict[tuple[int, int], tuple[list[np.uint64], np.uint64]] = {}


def _bucket_consts(salt: int, n_features: int) -> tuple[list[np.uint64], np.uint64]:
    """:func:`_bucket`'s additive constant per n (index n) and its shift, for ``salt``."""
    key = (salt, n_features)
    c = _CONSTS.get(key)
    if c is None:
        adds = [np.uint64(((salt * 64 + n) * 0x9E3779B97F4A7C15) & (2**64 - 1)) for n in range(9)]
        c = _CONSTS[key] = (adds, np.uint64(64 - (n_features.bit_length() - 1)))
    return c


_M64 = (1 << 64) - 1


def _finalize_int(h: int, salt: int) -> int:
    z = h ^ salt
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
    return z ^ (z >> 31)


_WORD_SPLIT = re.compile("[^a-z0-9]+")


def word_score_one(low: str, weights: np.ndarray, salt: int) -> float:
    """:func:`word_columns` scored for one lower-cased ASCII value: sum of word weights /
    sqrt(number of words)."""
    words = [w for w in _WORD_SPLIT.split(low) if w]
    if not words:
        return 0.0
    mask = len(weights) - 1
    norm = 1.0 / math.sqrt(len(words))
    p = int(_P)
    s = 0.0
    for w in words:
        h, pw = 0, 1
        for c in w.encode():
            h = (h + (c + 1) * pw) & _M64
            pw = (pw * p) & _M64
        s += float(weights[_finalize_int(h, salt * 64) & mask]) * norm
    return s
