"""Identifier normalisation inside events, over distinct values (numbers repeat a lot).

Uses ``fanzha.domain.identifiers.normalize_many(kind, values) -> (values, reasons)``. Each distinct
raw value is parsed once per run: a :class:`NormCache` remembers results across batches and is
consulted with vectorised ``index_in``; only unseen values reach the Python parser. Full-width
characters are NFKC-folded (vectorised) first. Before any of that, phone columns take a fast
path: values already in normal mobile form (11 ASCII digits, a known mobile prefix) are their own
normal form and skip the lookup (:func:`clean_mobiles`; checked against the parser in the tests).
"""

from __future__ import annotations

import functools

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fanzha.ingest.fastpath import StrView, all_digits, str_view
from fanzha.ingest.fields import IDENTIFIER_FIELDS


def _normalize_many():  # noqa: ANN202
    try:
        from fanzha.domain.identifiers import normalize_many
    except ImportError:
        return None
    return normalize_many


@functools.cache
def _mobile_prefixes() -> np.ndarray:
    """Which 4-digit starts ``1abc`` make an 11-digit number a valid mobile that normalises to
    itself, asked of the parser itself (three different tails must all agree)."""
    fn = _normalize_many()
    table = np.zeros(10_000, dtype=bool)
    if fn is None:
        return table
    heads = [str(p) for p in range(1000, 2000)]
    tails = ("0000000", "9999999", "4827361")
    got = {t: fn("phone", [h + t for h in heads]) for t in tails}
    for i, h in enumerate(heads):
        table[int(h)] = all(got[t][0][i] == h + t and got[t][1][i] is None for t in tails)
    return table


def _clean_mobile_rows(col: pa.ChunkedArray) -> np.ndarray | None:
    masks = [clean_mobiles(c) for c in col.chunks]
    if any(m is None for m in masks):
        return None
    return np.concatenate(masks) if masks else np.zeros(0, dtype=bool)


def clean_mobiles(arr: pa.Array) -> np.ndarray | None:
    """Rows (non-null) already in normal mobile form: 11 ASCII digits, starting ``1`` but not
    ``106`` (an SMS port), with a mobile prefix the parser knows. None for non-text columns."""
    if not pa.types.is_string(arr.type):
        return None
    v = str_view(arr)
    ok = (v.lengths == 11) & all_digits(v)
    rows = np.flatnonzero(ok)
    if len(rows) == 0:
        return ok
    head = _first_four_digits(v, rows)
    sms_port = (head >= 1060) & (head < 1070)  # "106…"
    ok[rows] = _mobile_prefixes()[head] & ~sms_port
    return ok


def _first_four_digits(v: StrView, rows: np.ndarray) -> np.ndarray:
    """The number formed by the first 4 bytes (all ASCII digits) of the given rows (all 11
    bytes long): each read as one little-endian 32-bit word, its digits paired up in place."""
    n = len(v.starts)
    if len(rows) == n and n and (v.lengths == 11).all():
        view = np.ndarray((n,), dtype="<u4", buffer=v.data, offset=int(v.starts[0]), strides=(11,))
        word = view.astype(np.uint32)
    else:
        at = v.starts[rows]
        word = np.ascontiguousarray(v.data[at[:, None] + np.arange(4)]).view("<u4").ravel()
        word = word.astype(np.uint32)
    d = word & np.uint32(0x0F0F0F0F)  # digit values, byte k = digit k
    pairs = d * np.uint32(10) + (d >> np.uint32(8))  # byte k = 10 * digit k + digit k+1
    return (
        (pairs & np.uint32(0xFF)) * np.uint32(100) + ((pairs >> np.uint32(16)) & np.uint32(0xFF))
    ).astype(np.intp)


def _fold(col: pa.ChunkedArray) -> pa.ChunkedArray:
    if pc.all(pc.string_is_ascii(col)).as_py() in (True, None):
        return col
    return pc.utf8_trim_whitespace(pc.utf8_normalize(col, "NFKC"))


class NormCache:
    """raw → (normalised, reason) per identifier kind, as Arrow arrays for vectorised lookup."""

    def __init__(self) -> None:
        self.keys: dict[str, list[pa.Array]] = {}
        self.vals: dict[str, list[pa.Array]] = {}
        self.why: dict[str, list[pa.Array]] = {}
        self._merged: dict[str, tuple[pa.Array, pa.Array, pa.Array]] = {}

    def lookup(self, id_kind: str, col: pa.ChunkedArray, fn) -> tuple[pa.Array, pa.Array]:  # noqa: ANN001
        keys, vals, why = self._get(id_kind)
        idx = pc.index_in(col, value_set=keys)
        missing = pc.drop_null(
            pc.unique(pc.filter(col, pc.and_(pc.is_null(idx), pc.is_valid(col))))
        )
        if len(missing):
            new_vals, new_why = fn(id_kind, missing.to_pylist())
            self.keys.setdefault(id_kind, []).append(missing.cast(pa.string()))
            self.vals.setdefault(id_kind, []).append(pa.array(new_vals, pa.string()))
            self.why.setdefault(id_kind, []).append(
                pa.array([None if w is None else str(w) for w in new_why], pa.string())
            )
            self._merged.pop(id_kind, None)
            keys, vals, why = self._get(id_kind)
            idx = pc.index_in(col, value_set=keys)
        return pc.take(vals, idx), pc.take(why, idx)

    def _get(self, id_kind: str) -> tuple[pa.Array, pa.Array, pa.Array]:
        merged = self._merged.get(id_kind)
        if merged is None:
            k = self.keys.get(id_kind) or [pa.array([], pa.string())]
            v = self.vals.get(id_kind) or [pa.array([], pa.string())]
            w = self.why.get(id_kind) or [pa.array([], pa.string())]
            merged = (pa.concat_arrays(k), pa.concat_arrays(v), pa.concat_arrays(w))
            self._merged[id_kind] = merged
        return merged


def normalise_identifiers(
    kind: str, table: pa.Table, cache: NormCache | None = None
) -> tuple[pa.Table, dict[str, pa.Array]]:
    """Returns the table with normalised identifier columns and, per field with any problem, a
    reason column (null where the value is fine)."""
    reasons: dict[str, pa.Array] = {}
    fn = _normalize_many()
    cache = cache or NormCache()
    for field, id_kind in IDENTIFIER_FIELDS.get(kind, {}).items():
        if field not in table.column_names or table.num_rows == 0:
            continue
        col = table[field]
        if col.null_count == len(col):  # nothing to normalise (e.g. an optional column absent)
            continue
        if fn is None:
            col = _fold(col)
        else:
            done = _clean_mobile_rows(col) if id_kind == "phone" else None
            if done is None or not done.all():
                rest = col if done is None else col.filter(pa.array(~done))
                rest = _fold(rest)
                new, why_col = cache.lookup(id_kind, rest, fn)
                rest = pc.if_else(pc.is_null(why_col), new, rest)
                if done is not None:  # put the looked-up values back in place
                    todo = pa.array(~done)
                    rest = pc.replace_with_mask(col.combine_chunks(), todo, rest.combine_chunks())
                    why_col = pc.replace_with_mask(
                        pa.nulls(len(col), pa.string()), todo, why_col.combine_chunks()
                    )
                col = rest
                if pc.any(pc.is_valid(why_col)).as_py():
                    reasons[field] = why_col
        idx_field = table.schema.get_field_index(field)
        table = table.set_column(idx_field, table.schema.field(field), col)
    return table, reasons
