"""Exposures from the event lake: who was reached by a listed identifier, on which dimension.

Joins, in DuckDB, the lake's calls, SMS, URL visits, app installs and transfers with a table of
listed identifiers (kind, value, grade, fraud_type — the registry's export) and the real-name
links (number → person from SIM issuance, account → person from account openings). The person's
age and home county come from the resident ID number (birth date, region code).
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from fanzha.store.lake import EventLake

PHONE_KINDS = ("phone", "mobile", "fixed_line", "service_number", "foreign_number")
ACCOUNT_KINDS = ("bank_card", "payment_account", "account")
URL_KINDS = ("url", "domain")
APP_KINDS = ("app_id", "app")

_SELECT = """
    SELECT l.person_id, '{kind}' AS signal_kind, x.fraud_type, x.grade, e.event_time AS at,
           {duration} AS duration_s, '{ckind}' AS counterpart_kind, {cval} AS counterpart
    FROM {rel} e
    JOIN {links} l ON l.key = e.{person_col}
    JOIN listed x ON ({match}) AND e.event_time >= x.listed_at
"""


def build_exposures(
    lake: EventLake,
    listed: pd.DataFrame,
    since: datetime | None = None,
    until: datetime | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> pd.DataFrame:
    """Exposure rows sorted by time; columns as :data:`fanzha.warn.engine.EXPOSURE_COLUMNS` plus
    ``phone``, ``age``, ``division_code``, ``counterpart_kind``, ``counterpart``.

    ``listed`` holds ``kind``, ``value``, ``grade``, ``fraud_type`` and optionally ``listed_at``:
    an identifier only counts from the moment it was listed (no hindsight)."""
    con = con or duckdb.connect()
    cols = ["kind", "value", "grade", "fraud_type"]
    if "listed_at" in listed.columns:
        cols.append("listed_at")
    else:
        listed = listed.assign(listed_at=pd.Timestamp(0, tz="UTC"))
        cols.append("listed_at")
    con.register("listed", listed[cols])
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE phone_links AS
            SELECT number AS key, arg_max(person_id, event_time) AS person_id
            FROM {lake.relation_sql("sim_issuance")} GROUP BY number"""
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE account_links AS
            SELECT account AS key, arg_max(person_id, event_time) AS person_id
            FROM {lake.relation_sql("account_opening")} GROUP BY account"""
    )

    def kinds(names: tuple[str, ...]) -> str:
        return ", ".join(f"'{k}'" for k in names)

    host = "lower(regexp_extract(e.url, '^(?:[a-zA-Z]+://)?([^/:?#]+)', 1))"
    # event kind, duration, counterpart kind and column, real-name links, person column,
    # how a listed identifier matches the event
    specs = [
        (
            "call",
            "e.duration_s",
            "phone",
            "caller",
            "phone_links",
            "callee",
            f"x.kind IN ({kinds(PHONE_KINDS)}) AND x.value = e.caller",
        ),
        (
            "sms",
            "0",
            "phone",
            "sender",
            "phone_links",
            "receiver",
            f"x.kind IN ({kinds(PHONE_KINDS)}) AND x.value = e.sender",
        ),
        (
            "url_visit",
            "0",
            "url",
            "url",
            "phone_links",
            "number",
            f"(x.kind = 'url' AND x.value = e.url) OR (x.kind = 'domain' AND {host} = x.value)",
        ),
        (
            "app_install",
            "0",
            "app_id",
            "app_id",
            "phone_links",
            "number",
            f"x.kind IN ({kinds(APP_KINDS)}) AND x.value = e.app_id",
        ),
        (
            "transfer",
            "0",
            "bank_card",
            "payee_account",
            "account_links",
            "payer_account",
            f"x.kind IN ({kinds(ACCOUNT_KINDS)}) AND x.value = e.payee_account",
        ),
    ]
    parts = [
        _SELECT.format(
            kind=kind,
            duration=duration,
            ckind=ckind,
            cval=f"e.{ccol}",
            rel=lake.relation_sql(kind, since, until),
            links=links,
            person_col=person_col,
            match=match,
        )
        for kind, duration, ckind, ccol, links, person_col, match in specs
    ]
    sql = f"""
        WITH ex AS ({" UNION ALL ".join(parts)}),
        phone_of AS (SELECT person_id, min(key) AS phone FROM phone_links GROUP BY person_id)
        SELECT ex.*, p.phone,
               CASE WHEN length(ex.person_id) = 18 THEN
                    date_diff('year', TRY_STRPTIME(substr(ex.person_id, 7, 8), '%Y%m%d'), ex.at)
               END AS age,
               CASE WHEN length(ex.person_id) = 18 THEN substr(ex.person_id, 1, 6) END
                    AS division_code
        FROM ex LEFT JOIN phone_of p USING (person_id)
        ORDER BY ex.at, ex.signal_kind, ex.counterpart
    """
    df = con.sql(sql).df()
    df["age"] = df["age"].fillna(0).astype(int)
    df["at"] = pd.to_datetime(df["at"], utc=True)
    return df
