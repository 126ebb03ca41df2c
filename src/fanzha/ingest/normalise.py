"""Identifier normalisation inside events, over distinct values (numbers repeat a lot).

Uses ``fanzha.domain.identifiers.normalize_many(kind, values) -> (values, reasons)``. Each distinct
raw value is parsed once per run: a :class:`NormCache` remembers results across batches and is
consulted with vectorised ``index_in``; only unseen values reach the Python parser. Full-width
characters are NFKC-folded (vectorised) first.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from fanzha.ingest.fields import IDENTIFIER_FIELDS


def _normalize_many():  # noqa: ANN202
    try:
        from fanzha.domain.identifiers import normalize_many
    except ImportError:
        return None
    return normalize_many


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
        col = _fold(table[field])
        if fn is not None:
            new, why_col = cache.lookup(id_kind, col, fn)
            col = pc.if_else(pc.is_null(why_col), new, col)
            if pc.any(pc.is_valid(why_col)).as_py():
                reasons[field] = why_col
        idx_field = table.schema.get_field_index(field)
        table = table.set_column(idx_field, table.schema.field(field), col)
    return table, reasons
