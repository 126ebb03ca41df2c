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

    Most features come from one pre-aggregation by (caller, callee); the mean inter-call gap is
    exact without ordering ((last − first) / (calls − 1)). Only ``gap_std_s`` needs a window sort,
    which costs about as much as everything else together: ``gap_std=False`` returns NULL for it.
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
pairs AS {mat}(
    SELECT caller, callee, count(*) AS n,
           sum(CASE WHEN duration_s < {SHORT_CALL_S} THEN 1 ELSE 0 END) AS short,
           sum(duration_s) AS dur,
           sum(CASE WHEN (ts / 3600 + 8) % 24 >= {NIGHT_HOURS[0]}
                     AND (ts / 3600 + 8) % 24 < {NIGHT_HOURS[1]} THEN 1 ELSE 0 END) AS night,
           sum(CASE WHEN direction = 'forwarded' THEN 1 ELSE 0 END) AS fwd,
           sum(CASE WHEN caller_card_type = 'iot' THEN 1 ELSE 0 END) AS iot,
           min(ts) AS t_min, max(ts) AS t_max
    FROM c GROUP BY caller, callee
),
base AS (
    SELECT caller AS number, sum(n) AS out_calls, count(*) AS distinct_callees,
           sum(short) / sum(n)::DOUBLE AS short_call_share,
           sum(dur) / sum(n)::DOUBLE AS mean_duration_s,
           sum(night) / sum(n)::DOUBLE AS night_share,
           sum(fwd) / sum(n)::DOUBLE AS forwarded_share,
           sum(iot) AS iot_voice_calls,
           ln(sum(n)) - sum(n * ln(n)) / sum(n) AS callee_entropy,
           CASE WHEN sum(n) > 1 THEN (max(t_max) - min(t_min)) / (sum(n) - 1) END AS gap_mean_s
    FROM pairs GROUP BY caller
),
incoming AS (SELECT callee AS number, sum(n) AS in_calls FROM pairs GROUP BY callee),
callback AS (
    SELECT p.caller AS number,
           avg(CASE WHEN r.caller IS NULL THEN 0.0 ELSE 1.0 END) AS callback_share
    FROM pairs p LEFT JOIN pairs r ON r.caller = p.callee AND r.callee = p.caller
    GROUP BY p.caller
),
spread AS (
    SELECT caller AS number, count(DISTINCT cell) AS distinct_cells,
           count(DISTINCT city) AS distinct_cities, count(DISTINCT imei) AS imeis_per_number
    FROM (SELECT DISTINCT caller, cell, city, imei FROM c) GROUP BY caller
),
dev AS {mat}(SELECT DISTINCT caller, imei FROM c WHERE imei IS NOT NULL),
imei_n AS (SELECT imei, count(*) AS numbers FROM dev GROUP BY imei),
per_imei AS (
    SELECT d.caller AS number, max(i.numbers) AS max_numbers_per_imei
    FROM dev d JOIN imei_n i USING (imei) GROUP BY d.caller
),
gaps AS ({gaps})
SELECT b.number,
       b.out_calls,
       coalesce(i.in_calls, 0) AS in_calls,
       b.out_calls / (b.out_calls + coalesce(i.in_calls, 0))::DOUBLE AS out_share,
       b.distinct_callees, b.short_call_share, b.mean_duration_s, b.night_share,
       b.forwarded_share, b.iot_voice_calls, s.distinct_cells, s.distinct_cities,
       s.imeis_per_number, coalesce(m.max_numbers_per_imei, 0) AS max_numbers_per_imei,
       b.callee_entropy, k.callback_share, b.gap_mean_s, g.gap_std_s
FROM base b
JOIN spread s USING (number)
LEFT JOIN incoming i USING (number)
LEFT JOIN callback k USING (number)
LEFT JOIN per_imei m USING (number)
LEFT JOIN gaps g USING (number)
ORDER BY b.number
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
    sql = number_features_sql(source, _range(since, until), gap_std)
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
