"""Identifier normalisation inside events, over distinct values (numbers repeat a lot).

Uses ``fanzha.domain.identifiers.normalize_many(kind, values) -> (values, reasons)`` when that
module provides it; otherwise NFKC-folds (full-width → half-width) and trims, vectorised.
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


def normalise_identifiers(kind: str, table: pa.Table) -> tuple[pa.Table, dict[str, pa.Array]]:
    """Returns the table with normalised identifier columns and, per field, a reason column
    (null where the value is fine)."""
    reasons: dict[str, pa.Array] = {}
    fn = _normalize_many()
    for field, id_kind in IDENTIFIER_FIELDS.get(kind, {}).items():
        if field not in table.column_names or table.num_rows == 0:
            continue
        col = _fold(table[field])
        if fn is not None:
            uniq = pc.drop_null(pc.unique(col))
            values, why = fn(id_kind, uniq.to_pylist())
            idx = pc.index_in(col, value_set=uniq)
            new = pc.take(pa.array(values, type=pa.string()), idx)
            why_col = pc.take(
                pa.array([None if w is None else str(w) for w in why], pa.string()), idx
            )
            # a value that normalises to nothing but had a reason is rejected; keep others
            col = pc.if_else(pc.is_null(why_col), new, col)
            if pc.any(pc.is_valid(why_col)).as_py():
                reasons[field] = (
                    why_col.combine_chunks() if hasattr(why_col, "combine_chunks") else why_col
                )
        idx_field = table.schema.get_field_index(field)
        table = table.set_column(idx_field, table.schema.field(field), col)
    return table, reasons
