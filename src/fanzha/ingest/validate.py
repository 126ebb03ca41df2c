"""Vectorised validation: one DuckDB query turns a batch of raw columns into typed events.

Input: an Arrow table of raw columns (strings, or typed columns from Parquet) plus ``_row`` (the
1-based record number in the source). Output: the accepted rows in the kind's Arrow schema and
the rejected rows with every ``{row, field, reason}``. No Python loop runs per record except over
rejected rows (to build their error lists).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import numpy as np
import pyarrow as pa

from fanzha.domain.events import arrow_schema
from fanzha.ingest import fastpath
from fanzha.ingest.fields import ALIASES, YUAN_COLUMNS, FieldSpec, field_specs

MAX_STR = 512
VALUE = "⟨v⟩"  # stands for the typed value inside error expressions
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass
class Validated:
    accepted: pa.Table
    rejected_rows: list[int] = field(default_factory=list)
    rejected_raw: list[dict] = field(default_factory=list)
    rejected_errors: list[list[dict]] = field(default_factory=list)


def canonical_column(name: str) -> str:
    n = name.strip().lstrip("\ufeff").strip().lower().replace(" ", "_").replace("-", "_")
    return ALIASES.get(n, n)


def plan_columns(kind: str, columns: list[str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Map source columns to fields: (field → column, yuan field → column, ignored columns)."""
    specs = {s.name for s in field_specs(kind)}
    direct: dict[str, str] = {}
    yuan: dict[str, str] = {}
    ignored: list[str] = []
    for col in columns:
        if col == "_row":
            continue
        c = canonical_column(col)
        if c in specs and c not in direct:
            direct[c] = col
        elif c in YUAN_COLUMNS and YUAN_COLUMNS[c] in specs and YUAN_COLUMNS[c] not in yuan:
            yuan[YUAN_COLUMNS[c]] = col
        else:
            ignored.append(col)
    return direct, yuan, ignored


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _clean(expr: str) -> str:
    """Trimmed text; '' → NULL. Full-width characters were folded before (:func:`fold_width`)."""
    return f"NULLIF(trim(CAST({expr} AS VARCHAR)), '')"


def fold_width(raw: pa.Table, columns: list[str]) -> pa.Table:
    """NFKC-fold the given text columns (full-width digits, punctuation, ideographic space →
    ASCII), only when a column holds any non-ASCII text at all. Vectorised (Arrow)."""
    import pyarrow.compute as pc

    for name in columns:
        col = raw[name]
        if not pa.types.is_string(col.type):
            continue
        if pc.all(pc.string_is_ascii(col)).as_py() in (True, None):
            continue
        folded = pc.utf8_trim(pc.utf8_normalize(col, "NFKC"), " \t\r\n")
        raw = raw.set_column(raw.schema.get_field_index(name), name, folded)
    return raw


def _time_expr(col: str, typ: pa.DataType, tz: str) -> tuple[str, str]:
    """(value expression → TIMESTAMPTZ, error expression) for a time column."""
    if pa.types.is_timestamp(typ):
        v = _q(col) if typ.tz else f"timezone({_lit(tz)}, {_q(col)})"
        return v, "NULL"
    t = _clean(_q(col))
    zoned = f"regexp_matches({t}, '(Z|z|[+-]\\d{{2}}:?\\d{{2}})$')"
    naive = (
        f"coalesce(TRY_CAST({t} AS TIMESTAMP), "
        f"try_strptime({t}, ['%Y/%m/%d %H:%M:%S', '%Y/%m/%d %H:%M', '%Y-%m-%d %H:%M', "
        f"'%Y/%m/%d %H:%M:%S.%f', '%Y%m%d %H:%M:%S', '%Y年%m月%d日 %H:%M:%S', "
        f"'%Y年%m月%d日 %H时%M分%S秒']))"
    )
    # The common case first: 'YYYY-MM-DD HH:MM:SS' (19 characters cannot carry a zone).
    fast = f"CASE WHEN length({t}) = 19 THEN TRY_CAST({t} AS TIMESTAMP) END"
    v = (
        f"CASE WHEN {t} IS NULL THEN NULL "
        f"WHEN {fast} IS NOT NULL THEN timezone({_lit(tz)}, {fast}) "
        f"WHEN regexp_full_match({t}, '\\d{{13}}') THEN to_timestamp(CAST({t} AS BIGINT) / 1000.0) "
        f"WHEN regexp_full_match({t}, '\\d{{9,10}}') THEN to_timestamp(CAST({t} AS BIGINT)) "
        f"WHEN regexp_full_match({t}, '\\d{{14}}') "
        f"THEN timezone({_lit(tz)}, try_strptime({t}, '%Y%m%d%H%M%S')) "
        f"WHEN regexp_full_match({t}, '\\d{{4}}[-/]\\d{{1,2}}[-/]\\d{{1,2}}') THEN NULL "
        f"WHEN {zoned} THEN TRY_CAST({t} AS TIMESTAMPTZ) "
        f"ELSE timezone({_lit(tz)}, {naive}) END"
    )
    e = (
        f"CASE WHEN ⟨v⟩ IS NOT NULL THEN (CASE WHEN ⟨v⟩ < TIMESTAMPTZ '{MIN_YEAR}-01-01 00:00:00Z' "
        f"OR ⟨v⟩ >= TIMESTAMPTZ '{MAX_YEAR + 1}-01-01 00:00:00Z' "
        f"THEN '时间超出合理范围 (timestamp out of range)' END) "
        f"WHEN {t} IS NULL THEN NULL "
        f"WHEN regexp_full_match({t}, '\\d{{4}}[-/]\\d{{1,2}}[-/]\\d{{1,2}}') "
        f"THEN '只有日期没有时间 (date without time)' "
        f"ELSE '无法识别的时间格式 (unrecognised timestamp)' END"
    )
    return v, e


def _field_sql(
    spec: FieldSpec, col: str | None, yuan_col: str | None, typ: pa.DataType | None, tz: str
) -> tuple[str, str]:
    """(value SQL, error SQL with ``v`` standing for the value) for one field."""
    if col is not None and yuan_col is not None and spec.type == "int":
        # both amount_fen and amount (yuan) columns: per record, the fen value wins when present
        fv, fe = _field_sql(spec, col, None, typ, tz)
        yv, ye = _field_sql(spec, None, yuan_col, pa.string(), tz)
        return f"coalesce({fv}, {yv})", f"coalesce({fe}, {ye})"
    src = col or yuan_col
    if src is None:
        v = "NULL" if spec.default is None else _lit(str(spec.default))
        if spec.type == "int" and spec.default is not None:
            v = str(int(spec.default))  # type: ignore[call-overload]
        err = f"{_lit('缺少必填列 (missing column)')}" if spec.required else "NULL"
        return v, err
    missing = "必填字段为空 (required value missing)"
    if spec.type == "time":
        assert typ is not None
        v, e = _time_expr(src, typ, tz)
    elif spec.type == "int" and yuan_col is not None and col is None:
        t = f"regexp_replace({_clean(_q(src))}, '[¥,\\s元]|RMB|CNY', '', 'gi')"
        ok = f"regexp_full_match({t}, '[+-]?\\d{{1,15}}(\\.\\d{{1,2}})?')"
        v = f"CASE WHEN {ok} THEN CAST(round(CAST({t} AS DECIMAL(18,2)) * 100) AS BIGINT) END"
        e = (
            f"CASE WHEN {t} IS NULL OR {t} = '' THEN NULL WHEN ⟨v⟩ IS NULL THEN "
            f"'金额格式不对或超过两位小数 (bad amount in yuan)' END"
        )
    elif spec.type == "int":
        if typ is not None and pa.types.is_integer(typ):
            v, e = f"CAST({_q(src)} AS BIGINT)", "NULL"
        else:
            t0 = _clean(_q(src))
            t = f"regexp_replace({t0}, '[,\\s]', '', 'g')"
            v = (
                f"CASE WHEN regexp_full_match({t0}, '\\d{{1,18}}') THEN CAST({t0} AS BIGINT) "
                f"WHEN regexp_full_match({t}, '[+-]?\\d{{1,18}}') THEN CAST({t} AS BIGINT) END"
            )
            e = f"CASE WHEN {t} IS NOT NULL AND ⟨v⟩ IS NULL THEN '不是整数 (not an integer)' END"
    elif spec.type == "enum":
        t = f"lower({_clean(_q(src))})"
        # Matching ignores case; the stored value is the canonical spelling (e.g. class "II").
        canonical = " ".join(f"WHEN {_lit(x.lower())} THEN {_lit(x)}" for x in spec.enum_values)
        default = "NULL" if spec.default is None else _lit(str(spec.default))
        v = f"CASE WHEN {t} IS NULL THEN {default} ELSE (CASE {t} {canonical} END) END"
        e = (
            f"CASE WHEN {t} IS NOT NULL AND ⟨v⟩ IS NULL THEN "
            f"{_lit('取值不在允许范围 (allowed: ' + ', '.join(spec.enum_values) + ')')} END"
        )
    else:
        v = f"NULLIF(trim(CAST({_q(src)} AS VARCHAR), ' \t\r\n'), '')"
        limit = spec.max_length or MAX_STR * 8
        e = f"CASE WHEN length(⟨v⟩) > {limit} THEN '超过长度上限 {limit} (too long)' END"
    checks = []
    if spec.required:
        checks.append(f"WHEN ⟨v⟩ IS NULL AND ({e}) IS NULL THEN {_lit(missing)}")
    if spec.ge is not None:
        checks.append(f"WHEN ⟨v⟩ < {spec.ge} THEN '不能小于 {spec.ge} (must be ≥ {spec.ge})'")
    if spec.gt is not None:
        checks.append(f"WHEN ⟨v⟩ <= {spec.gt} THEN '必须大于 {spec.gt} (must be > {spec.gt})'")
    if spec.le is not None:
        checks.append(f"WHEN ⟨v⟩ > {spec.le} THEN '不能大于 {spec.le} (must be ≤ {spec.le})'")
    if checks:
        e = f"coalesce({e}, CASE {' '.join(checks)} END)"
    return v, e


def validate_batch(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    raw: pa.Table,
    tz: str = "Asia/Shanghai",
    forced_org: str | None = None,
    default_org: str | None = None,
) -> Validated:
    """Validate ``raw`` (must contain ``_row``): records in clean common forms are decided by
    the numpy fast path (:mod:`fanzha.ingest.fastpath`), the rest by one SQL query
    (:func:`validate_batch_sql`), which names every error. Same results either way."""
    fast = _fast_columns(con, kind, raw, tz, forced_org, default_org)
    if fast is None:
        return validate_batch_sql(con, kind, raw, tz, forced_org, default_org)
    table, ok, constants = fast
    target = pa.schema([pa.field("_row", pa.int64()), *arrow_schema(kind)])
    accepted = _by_day(table, ok, constants, target)
    if ok.all():
        return Validated(accepted=accepted)
    import pyarrow.compute as pc

    slow = validate_batch_sql(
        con, kind, raw.filter(pc.invert(pa.array(ok))), tz, forced_org, default_org
    )
    if ok.any():
        slow.accepted = pa.concat_tables([accepted, slow.accepted])
    return slow


def _by_day(
    table: pa.Table, ok: np.ndarray, constants: dict[str, object], target: pa.Schema
) -> pa.Table:
    """The decided rows, each record batch grouped by UTC day (stable), in one gather per batch:
    it drops the undecided rows and lets the lake cut its per-day parts as slices of the batches
    instead of copying the whole batch again. Columns of one value (``constants``: the file has
    no such column) are made after the gather, at the final length, and never gathered."""
    out: list[pa.RecordBatch] = []
    at = 0
    for batch in table.to_batches():
        n = batch.num_rows
        rows = np.flatnonzero(ok[at : at + n])
        at += n
        if len(rows) == 0:
            continue
        day = batch.column("event_time").cast(pa.int64()).to_numpy()[rows] // 86_400_000_000
        lo, hi = int(day.min()), int(day.max())
        if lo != hi:
            key = day - lo
            rows = rows[
                np.argsort(key.astype(np.uint16) if hi - lo < 65_536 else key, kind="stable")
            ]
            batch = batch.take(pa.array(rows))
        elif len(rows) < n:
            batch = batch.take(pa.array(rows))
        m = batch.num_rows
        arrays = [
            _constant(constants[f.name], m, f.type)
            if f.name in constants
            else batch.column(f.name).cast(f.type)
            for f in target
        ]
        out.append(pa.RecordBatch.from_arrays(arrays, schema=target))
    return pa.Table.from_batches(out, schema=target)


def _fast_columns(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    raw: pa.Table,
    tz: str,
    forced_org: str | None,
    default_org: str | None,
) -> tuple[pa.Table, np.ndarray, dict[str, object]] | None:
    """The kind's columns as decided by the fast path, the rows where every field was decided
    and valid, and the fields of one value for every row (no such column in the file: the
    caller's organisation or the default), which the table leaves out; None when a whole column
    is out of the fast path's reach (typed, yuan, missing). Works chunk by chunk, so the
    reader's record batches are never copied into one."""
    if raw.num_rows == 0 or "_row" not in raw.column_names:
        return None
    direct, yuan, _ignored = plan_columns(kind, raw.column_names)
    specs = field_specs(kind)
    schema = arrow_schema(kind)
    for spec in specs:
        col = direct.get(spec.name)
        org = (forced_org or default_org) if spec.name == "source_org" else None
        if spec.name in yuan or (col is None and spec.required and org is None):
            return None
        if col is not None and not pa.types.is_string(raw.schema.field(col).type):
            return None
    constants: dict[str, object] = {}
    for spec in specs:
        if direct.get(spec.name) is None:
            org = (forced_org or default_org) if spec.name == "source_org" else None
            constants[spec.name] = org if org is not None else spec.default
    chunks: list[list[pa.Array]] = [[] for _ in range(len(specs) + 1)]
    oks: list[np.ndarray] = []
    for batch in raw.to_batches():
        n = batch.num_rows
        if n == 0:
            continue
        ok = np.ones(n, dtype=bool)
        chunks[0].append(batch.column("_row").cast(pa.int64()))
        for i, spec in enumerate(specs, start=1):
            col = direct.get(spec.name)
            org = (forced_org or default_org) if spec.name == "source_org" else None
            if col is None:
                continue
            arr = batch.column(col)
            if org is not None:
                arr, good = fastpath.org_field(arr, org, forced_org)
            elif spec.type == "str":
                arr, good = fastpath.str_field(arr, spec, spec.max_length or MAX_STR * 8)
            elif spec.type == "int":
                arr, good = fastpath.int_field(arr, spec)
            elif spec.type == "enum":
                arr, good = fastpath.enum_field(arr, spec)
            else:
                arr, good = fastpath.time_field(con, arr, tz)
            ok &= good
            chunks[i].append(arr)
        oks.append(ok)
    names = ["_row", *schema.names]
    types = [pa.int64(), *schema.types]
    kept = [
        (name, pa.chunked_array(c, type=t))
        for name, c, t in zip(names, chunks, types, strict=True)
        if name not in constants
    ]
    table = pa.Table.from_arrays([c for _, c in kept], names=[name for name, _ in kept])
    return table, np.concatenate(oks), constants


def _constant(value: object, n: int, typ: pa.DataType) -> pa.Array:
    if value is None:
        return pa.nulls(n, typ)
    if pa.types.is_string(typ) and isinstance(value, str):
        text = value.encode("utf-8")
        if len(text) * n < 2**31:  # the same text n times, built from its buffers
            offsets = (np.arange(n + 1, dtype=np.int64) * len(text)).astype(np.int32)
            return pa.Array.from_buffers(
                typ, n, [None, pa.py_buffer(offsets), pa.py_buffer(text * n)]
            )
    one = pa.array([value]).cast(typ)
    return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), one).cast(typ)


def validate_batch_sql(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    raw: pa.Table,
    tz: str = "Asia/Shanghai",
    forced_org: str | None = None,
    default_org: str | None = None,
) -> Validated:
    """Validate ``raw`` (must contain ``_row``) in one query.

    ``forced_org``: every record must belong to this organisation (API callers); a differing
    ``source_org`` is rejected. ``default_org``: fills ``source_org`` where the file has none.
    """
    direct, yuan, _ignored = plan_columns(kind, raw.column_names)
    specs = field_specs(kind)
    parsed = [direct[s.name] for s in specs if s.type != "str" and s.name in direct]
    original = raw
    raw = fold_width(raw, parsed + list(yuan.values()))
    types = {n: raw.schema.field(n).type for n in raw.column_names}
    values: list[str] = []
    outs: list[str] = []
    errors: list[str] = []
    for spec in specs:
        col, ycol = direct.get(spec.name), yuan.get(spec.name)
        v, e = _field_sql(spec, col, ycol, types.get(col or ycol or ""), tz)
        if spec.name == "source_org":
            org = forced_org or default_org
            if org is not None:
                given = f"NULLIF(trim(CAST({_q(col)} AS VARCHAR)), '')" if col else "NULL"
                v = f"coalesce({given}, {_lit(org)})"
                e = "NULL"
                if forced_org is not None and col:
                    e = (
                        f"CASE WHEN ⟨v⟩ <> {_lit(forced_org)} THEN "
                        f"'只能提交本机构的数据 (source_org must be the caller)' END"
                    )
        values.append(f"{v} AS {_q('__v_' + spec.name)}")
        outs.append(f"{_q('__v_' + spec.name)} AS {_q(spec.name)}")
        errors.append(f"({e.replace(VALUE, _q('__v_' + spec.name))}) AS {_q('_err_' + spec.name)}")
    con.register("_raw_batch", raw)
    try:
        typed = f"SELECT *, {', '.join(values)} FROM _raw_batch"
        checked = f"SELECT _row, {', '.join(outs)}, {', '.join(errors)} FROM ({typed})"
        all_ok = " AND ".join(f"{_q('_err_' + s.name)} IS NULL" for s in specs)
        sql = f"SELECT *, ({all_ok}) AS _ok FROM ({checked})"
        out = con.sql(sql).to_arrow_table()
    finally:
        con.unregister("_raw_batch")
    labels = {f: c for f, c in yuan.items() if f not in direct}
    both = {f: (direct[f], c) for f, c in yuan.items() if f in direct}
    return _split(kind, original, out, specs, labels, both)


def _split(
    kind: str,
    raw: pa.Table,
    out: pa.Table,
    specs: list[FieldSpec],
    labels: dict[str, str],
    both: dict[str, tuple[str, str]],
) -> Validated:
    import pyarrow.compute as pc

    ok = out["_ok"]
    schema = arrow_schema(kind)
    accepted = out.filter(ok).select(["_row", *schema.names])
    accepted = accepted.cast(pa.schema([pa.field("_row", pa.int64()), *schema]))
    result = Validated(accepted=accepted)
    bad_mask = pc.invert(ok)
    if not pc.any(bad_mask).as_py():
        return result
    bad = out.filter(bad_mask)
    rows = bad["_row"].to_pylist()
    raw_bad = raw.filter(pc.is_in(raw["_row"], value_set=bad["_row"]))
    raw_by_row = {r.pop("_row"): r for r in raw_bad.to_pylist()}
    err_cols = {s.name: bad[f"_err_{s.name}"].to_pylist() for s in specs}
    for i, row in enumerate(rows):
        rec = raw_by_row.get(row, {})

        def label(name: str, rec: dict = rec) -> str:
            if name in both:  # fen and yuan columns: name the one this record filled
                fen_col, yuan_col = both[name]
                return yuan_col if rec.get(fen_col) in (None, "") else fen_col
            return labels.get(name, name)

        errs = [
            {"row": row, "field": label(name), "reason": col[i]}
            for name, col in err_cols.items()
            if col[i] is not None
        ]
        result.rejected_rows.append(row)
        result.rejected_raw.append(_jsonable(raw_by_row.get(row, {})))
        result.rejected_errors.append(errs)
    return result


def _jsonable(d: dict) -> dict:
    out = {}
    for k, v in d.items():
        out[k] = v if v is None or isinstance(v, str | int | float | bool) else str(v)
    return out
