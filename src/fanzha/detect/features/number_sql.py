"""Per-number call features (DOMAIN.md §8) as one SQL query over a Parquet glob.

The query is plain SQL (DuckDB dialect, ANSI window functions), parameterised only by the source
relation and a time range, so a Spark runner can execute the same definition over the same lake
files. Windows (1 h, 24 h, 7 d) are the same query with a different ``since``.

Every record is a call from ``caller`` to ``callee``. For number n: outgoing calls are records with
caller = n, incoming calls records with callee = n.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb
import pyarrow as pa

from fanzha.engines.duck import connect, query

WINDOWS: dict[str, timedelta] = {
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
}
SHORT_CALL_S = 10
NIGHT_HOURS = (0, 6)  # local (Asia/Shanghai) hours [0, 6)

FEATURE_COLUMNS = [
    "out_calls",
    "in_calls",
    "out_share",
    "distinct_callees",
    "short_call_share",
    "mean_duration_s",
    "night_share",
    "forwarded_share",
    "iot_voice_calls",
    "distinct_cells",
    "distinct_cities",
    "imeis_per_number",
    "max_numbers_per_imei",
    "callee_entropy",
    "callback_share",
    "gap_mean_s",
    "gap_std_s",
]


def number_features_sql(
    source: str, where: str = "TRUE", gap_std: bool = True, materialize: bool = False
) -> str:
    """SQL returning one row per calling number with :data:`FEATURE_COLUMNS`.

    Per-call sums come from one ``GROUP BY caller`` over the rows; the callee spread, entropy,
    callbacks and incoming calls from a pre-aggregation by (caller, callee); cells, cities and
    IMEIs from the distinct (caller, cell, city, imei) tuples (two-level, exact, no row-level
    COUNT(DISTINCT)). The mean inter-call gap is exact without ordering
    ((last − first) / (calls − 1)); only ``gap_std_s`` needs a window sort, which costs about as
    much as everything else together: ``gap_std=False`` returns NULL for it.
    :mod:`number_arrow` computes the same values without any hash table or window.
    """
    gaps = (
        """SELECT number, stddev_pop(gap) AS gap_std_s FROM (
        SELECT caller AS number, ts - lag(ts) OVER (PARTITION BY caller ORDER BY ts) AS gap FROM c
    ) WHERE gap IS NOT NULL GROUP BY number"""
        if gap_std
        else "SELECT NULL::VARCHAR AS number, NULL::DOUBLE AS gap_std_s WHERE FALSE"
    )
    mat = "MATERIALIZED " if materialize else ""  # DuckDB hint; drop it for Spark SQL
    return f"""
WITH c AS (
    SELECT caller, callee, duration_s, direction, caller_card_type, cell, city, imei,
           epoch_us(event_time) / 1e6 AS ts
    FROM {source} WHERE {where}
),
per_call AS (
    SELECT caller AS number, count(*) AS out_calls,
           sum(CASE WHEN duration_s < {SHORT_CALL_S} THEN 1 ELSE 0 END)
               / count(*)::DOUBLE AS short_call_share,
           sum(duration_s) / count(*)::DOUBLE AS mean_duration_s,
           sum(CASE WHEN (ts / 3600 + 8) % 24 >= {NIGHT_HOURS[0]}
                     AND (ts / 3600 + 8) % 24 < {NIGHT_HOURS[1]} THEN 1 ELSE 0 END)
               / count(*)::DOUBLE AS night_share,
           sum(CASE WHEN direction = 'forwarded' THEN 1 ELSE 0 END)
               / count(*)::DOUBLE AS forwarded_share,
           CAST(sum(CASE WHEN caller_card_type = 'iot' THEN 1 ELSE 0 END) AS BIGINT)
               AS iot_voice_calls,
           CASE WHEN count(*) > 1 THEN (max(ts) - min(ts)) / (count(*) - 1) END AS gap_mean_s
    FROM c GROUP BY caller
),
pairs AS {mat}(SELECT caller, callee, count(*) AS n FROM c GROUP BY caller, callee),
callees AS (
    SELECT caller AS number, count(*) AS distinct_callees,
           ln(sum(n)) - sum(n * ln(n)) / sum(n) AS callee_entropy
    FROM pairs GROUP BY caller
),
incoming AS (SELECT callee AS number, CAST(sum(n) AS BIGINT) AS in_calls FROM pairs GROUP BY callee),
callback AS (
    SELECT p.caller AS number,
           avg(CASE WHEN r.caller IS NULL THEN 0.0 ELSE 1.0 END) AS callback_share
    FROM pairs p LEFT JOIN pairs r ON r.caller = p.callee AND r.callee = p.caller
    GROUP BY p.caller
),
tuples AS {mat}(SELECT DISTINCT caller, cell, city, imei FROM c),
spread AS (
    SELECT caller AS number, count(DISTINCT cell) AS distinct_cells,
           count(DISTINCT city) AS distinct_cities, count(DISTINCT imei) AS imeis_per_number
    FROM tuples GROUP BY caller
),
dev AS {mat}(SELECT DISTINCT caller, imei FROM tuples WHERE imei IS NOT NULL),
imei_n AS (SELECT imei, count(*) AS numbers FROM dev GROUP BY imei),
per_imei AS (
    SELECT d.caller AS number, max(i.numbers) AS max_numbers_per_imei
    FROM dev d JOIN imei_n i USING (imei) GROUP BY d.caller
),
gaps AS ({gaps})
SELECT w.number,
       w.out_calls,
       coalesce(i.in_calls, 0) AS in_calls,
       w.out_calls / (w.out_calls + coalesce(i.in_calls, 0))::DOUBLE AS out_share,
       b.distinct_callees, w.short_call_share, w.mean_duration_s, w.night_share,
       w.forwarded_share, w.iot_voice_calls, s.distinct_cells, s.distinct_cities,
       s.imeis_per_number, coalesce(m.max_numbers_per_imei, 0) AS max_numbers_per_imei,
       b.callee_entropy, k.callback_share, w.gap_mean_s, g.gap_std_s
FROM per_call w
JOIN callees b USING (number)
JOIN spread s USING (number)
LEFT JOIN incoming i USING (number)
LEFT JOIN callback k USING (number)
LEFT JOIN per_imei m USING (number)
LEFT JOIN gaps g USING (number)
ORDER BY w.number
"""


def _range(since: datetime | None, until: datetime | None) -> str:
    where = []
    if since is not None:
        where.append(f"event_time >= TIMESTAMPTZ '{since.isoformat()}'")
    if until is not None:
        where.append(f"event_time < TIMESTAMPTZ '{until.isoformat()}'")
    return " AND ".join(where) or "TRUE"


def number_features(
    source: str,
    since: datetime | None = None,
    until: datetime | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    gap_std: bool = True,
) -> pa.Table:
    """``source`` is a FROM-clause, e.g. ``read_parquet('lake/kind=call/*/*.parquet')``."""
    sql = number_features_sql(source, _range(since, until), gap_std, materialize=True)
    return query(sql, con)


def windowed_number_features(
    source: str, as_of: datetime, con: duckdb.DuckDBPyConnection | None = None
) -> pa.Table:
    """Features over each of :data:`WINDOWS` ending at ``as_of``, joined per number
    (column names suffixed ``_1h``, ``_24h``, ``_7d``)."""
    con = con or connect()
    parts = []
    for name, width in WINDOWS.items():
        t = number_features(source, as_of - width, as_of, con)
        con.register(f"w_{name}", t)
        parts.append(name)
    cols = ", ".join(f"w_{n}.{c} AS {c}_{n}" for n in parts for c in FEATURE_COLUMNS)
    joins = " ".join(f"LEFT JOIN w_{n} USING (number)" for n in parts[:-1])
    # the widest window holds every number of the narrower ones
    widest = parts[-1]
    sql = f"SELECT number, {cols} FROM w_{widest} {joins} ORDER BY number"
    return query(sql, con)
