"""Building cases: from victim reports, reviewed public reports, their identifiers and traced flows.

Produces a :class:`CaseBundle` (three pandas tables) in which every identifier is held as keyed
hash + masked display + kind, with the raw value kept for police-authorised reads. Identifiers use
the registry's key construction (:mod:`fanzha.registry.keys`) so a case's number matches the same
number on the risk list.

The fund-flow table is the interception room's 涉案资金流向表 (``fanzha.intercept.tracing``), or
any Arrow/pandas table with the same meaning: hop, from, to, time, amount, per victim or case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa

from fanzha.domain.events import PublicReport, VictimReport
from fanzha.registry.keys import IdKind, key_of, mask, normalise

CASE_COLUMNS = [
    "case_id",
    "source",
    "division_code",
    "fraud_type",
    "loss_fen",
    "reported_at",
    "victim_key",
    "victim_masked",
    "description",
]
ID_COLUMNS = ["case_id", "kind", "key", "masked", "raw_value", "role", "related_key"]
FLOW_COLUMNS = [
    "case_id",
    "hop",
    "from_key",
    "to_key",
    "from_masked",
    "to_masked",
    "from_raw",
    "to_raw",
    "flow_time",
    "amount_fen",
    "cash_out",
]

# accepted spellings of the fund-flow table's columns (first match wins)
FLOW_ALIASES: dict[str, tuple[str, ...]] = {
    "case_id": ("case_id", "case_ref", "victim_id", "victim"),
    "hop": ("hop",),
    "from": ("from_account", "from", "src", "payer_account"),
    "to": ("to_account", "to", "dst", "payee_account"),
    "time": ("event_time", "time", "flow_time"),
    "amount": ("amount_fen", "amount"),
}
CASH_OUT_TERMINALS = ("cash_out",)
CASH_OUT_CHANNELS = ("atm", "counter", "merchant")


HUB_COLUMNS = ["key", "kind", "masked", "reason"]


def _empty_hubs() -> pd.DataFrame:
    return pd.DataFrame(columns=HUB_COLUMNS)


@dataclass
class CaseBundle:
    cases: pd.DataFrame
    identifiers: pd.DataFrame
    flows: pd.DataFrame
    hubs: pd.DataFrame = field(default_factory=_empty_hubs)  # known hubs with their rule

    @classmethod
    def empty(cls) -> CaseBundle:
        return cls(
            pd.DataFrame(columns=CASE_COLUMNS),
            pd.DataFrame(columns=ID_COLUMNS),
            pd.DataFrame(columns=FLOW_COLUMNS),
        )

    def concat(self, other: CaseBundle) -> CaseBundle:
        def cat(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
            parts = [x for x in (a, b) if len(x)]
            return pd.concat(parts, ignore_index=True) if parts else a

        return CaseBundle(
            cat(self.cases, other.cases),
            cat(self.identifiers, other.identifiers),
            cat(self.flows, other.flows),
            cat(self.hubs, other.hubs).drop_duplicates(subset=["key"]),
        )

    def hub_reasons(self) -> dict[str, str]:
        return dict(zip(self.hubs["key"], self.hubs["reason"], strict=True))


def identifier_row(
    case_id: str,
    kind: str,
    value: str,
    secret: bytes,
    role: str = "contact",
    related: tuple[str, str] | None = None,
) -> dict:
    """One identifier of a case: keyed hash, masked display, raw (normalised) value."""
    k = IdKind(kind).value
    norm = normalise(k, value)
    return {
        "case_id": case_id,
        "kind": k,
        "key": key_of(k, norm, secret),
        "masked": mask(k, norm),
        "raw_value": norm,
        "role": role,
        "related_key": key_of(related[0], related[1], secret) if related else None,
    }


def domain_of(url: str) -> str | None:
    """Host of a URL (lower case, no port), the node that links rotating phishing paths."""
    rest = url.split("://", 1)[-1]
    host = rest.split("/", 1)[0].split("?", 1)[0].split("@")[-1].split(":", 1)[0].lower()
    return host or None


def cases_from_reports(reports: Iterable[VictimReport | PublicReport], secret: bytes) -> CaseBundle:
    """Cases from validated report events. A victim report is a case keyed by ``case_ref``; a
    reviewed public report is a lead (source ``public_report``) keyed by its event id, carrying
    the reported identifier. The victim is kept as a keyed hash only."""
    cases: list[dict] = []
    ids: list[dict] = []
    for r in reports:
        if isinstance(r, VictimReport):
            cases.append(
                {
                    "case_id": r.case_ref,
                    "source": "victim_report",
                    "division_code": r.division_code,
                    "fraud_type": r.fraud_type,
                    "loss_fen": int(r.loss_fen),
                    "reported_at": r.event_time.astimezone(UTC),
                    "victim_key": key_of("id_number", r.victim_id, secret),
                    "victim_masked": mask("id_number", r.victim_id),
                    "description": r.description,
                }
            )
        elif isinstance(r, PublicReport):
            try:
                kind = IdKind(r.target_kind.strip().lower())
            except ValueError:
                continue  # not an identifier kind a case can link on
            cases.append(
                {
                    "case_id": r.event_id,
                    "source": "public_report",
                    "division_code": None,
                    "fraud_type": r.fraud_type,
                    "loss_fen": 0,
                    "reported_at": r.event_time.astimezone(UTC),
                    "victim_key": None,
                    "victim_masked": None,
                    "description": r.content,
                }
            )
            ids.append(identifier_row(r.event_id, kind.value, r.target_value, secret, "reported"))
            if kind is IdKind.URL and (host := domain_of(r.target_value)):
                ids.append(identifier_row(r.event_id, "domain", host, secret, "reported"))
    return CaseBundle(
        pd.DataFrame(cases, columns=CASE_COLUMNS),
        pd.DataFrame(ids, columns=ID_COLUMNS),
        pd.DataFrame(columns=FLOW_COLUMNS),
    )


_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def is_service_number(value: str) -> bool:
    """Operator/bank/government service numbers and SMS gateways (10010, 95588, 12345, 106…,
    400/800): they reach everyone, so they never link cases."""
    v = value.lstrip("+")
    if not v.isdigit() or _MOBILE.match(v) or v.startswith("86"):
        return False
    return (
        len(v) <= 6
        or v.startswith("106")
        or (v[:2] in ("95", "96") and len(v) <= 8)
        or (v[:3] in ("400", "800") and len(v) == 10)
    )


def background_hubs(
    con,  # noqa: ANN001 - DuckDB connection with ``vr`` (reports) and ``own`` (victim accounts)
    rel,  # noqa: ANN001
    identifiers: pd.DataFrame,
    secret: bytes,
    min_reach: int = 30,
    max_victim_share: float = 0.2,
) -> pd.DataFrame:
    """Hubs found by their popularity in the whole population, not only among cases.

    A domain, app or payee account that ``min_reach`` or more distinct people (payers) used in
    the lake's period, of whom less than ``max_victim_share`` were victims who reported, is
    everyday infrastructure (a search engine, a bank's site, a supermarket's account), not a
    gang's. Every service number among the cases' identifiers is a hub too.
    """
    rows: list[dict] = []
    phones = identifiers[identifiers["kind"] == "phone"]
    svc = phones[phones["raw_value"].map(lambda v: isinstance(v, str) and is_service_number(v))]
    for r in svc.drop_duplicates(subset=["key"]).itertuples(index=False):
        rows.append(
            {"key": r.key, "kind": "phone", "masked": r.masked, "reason": "服务号码/短信端口"}
        )
    pop = con.sql(
        f"""
        WITH vphone AS (SELECT DISTINCT victim_phone AS number FROM vr),
             vacct AS (SELECT DISTINCT o.account FROM own o JOIN vr ON o.person_id = vr.victim_id)
        SELECT 'domain' AS kind,
               lower(regexp_extract(u.url, '^(?:[a-zA-Z]+://)?([^/?:#]+)', 1)) AS value,
               count(DISTINCT u.number) AS reach,
               count(DISTINCT u.number) FILTER (WHERE u.number IN (SELECT number FROM vphone))
                 AS victims
        FROM {rel("url_visit")} u GROUP BY 1, 2
        UNION ALL
        SELECT 'app', a.app_id, count(DISTINCT a.number),
               count(DISTINCT a.number) FILTER (WHERE a.number IN (SELECT number FROM vphone))
        FROM {rel("app_install")} a GROUP BY 1, 2
        UNION ALL
        SELECT 'account', t.payee_account, count(DISTINCT t.payer_account),
               count(DISTINCT t.payer_account)
                 FILTER (WHERE t.payer_account IN (SELECT account FROM vacct))
        FROM {rel("transfer")} t GROUP BY 1, 2
        """
    ).df()
    pop = pop[(pop["reach"] >= min_reach) & (pop["victims"] < max_victim_share * pop["reach"])]
    rows += _business_numbers(con, rel, identifiers, min_reach)
    popular_domains = set(pop.loc[pop["kind"] == "domain", "value"])
    urls = identifiers[identifiers["kind"] == "url"].drop_duplicates(subset=["key"])
    for r in urls.itertuples(index=False):
        host = domain_of(r.raw_value) if isinstance(r.raw_value, str) else None
        if host in popular_domains:
            rows.append(
                {
                    "key": r.key,
                    "kind": "url",
                    "masked": r.masked,
                    "reason": f"所属域名 {host} 为背景流行枢纽",
                }
            )
    for r in pop.itertuples(index=False):
        if not isinstance(r.value, str) or not r.value:
            continue
        try:
            key, masked = key_of(r.kind, r.value, secret), mask(r.kind, r.value)
        except ValueError:
            continue
        who = "个账户向其转账" if r.kind == "account" else "人使用"
        reason = (
            f"背景流行：期间内 {int(r.reach)} {who}，报案受害人仅 {int(r.victims)} "
            f"(< {max_victim_share:.0%})"
        )
        rows.append({"key": key, "kind": r.kind, "masked": masked, "reason": reason})
    return pd.DataFrame(rows, columns=HUB_COLUMNS).drop_duplicates(subset=["key"])


def _business_numbers(
    con,  # noqa: ANN001
    rel,  # noqa: ANN001
    identifiers: pd.DataFrame,
    min_reach: int,
    min_callback: float = 0.1,
) -> list[dict]:
    """Couriers, riders, customer service: numbers that call many people *and get called back*
    (reciprocity, DOMAIN.md §8). Fraud numbers reach many people too, but few call them back.
    The devices those numbers run on are hubs with them."""
    phones = identifiers[(identifiers["kind"] == "phone") & identifiers["raw_value"].notna()]
    if not len(phones):
        return []
    cand = pd.DataFrame({"x": phones["raw_value"].unique()})
    con.register("cand", cand)
    stats = con.sql(
        f"""
        WITH o AS (SELECT caller AS x, callee AS y FROM {rel("call")}
                   WHERE caller IN (SELECT x FROM cand) GROUP BY 1, 2),
             i AS (SELECT callee AS x, caller AS y FROM {rel("call")}
                   WHERE callee IN (SELECT x FROM cand) GROUP BY 1, 2)
        SELECT o.x, count(*) AS reach, count(i.y) AS back
        FROM o LEFT JOIN i ON o.x = i.x AND o.y = i.y GROUP BY o.x
        """
    ).df()
    con.unregister("cand")
    biz = stats[(stats["reach"] >= min_reach) & (stats["back"] >= min_callback * stats["reach"])]
    if not len(biz):
        return []
    by_raw = biz.set_index("x")
    hit = phones[phones["raw_value"].isin(by_raw.index)].drop_duplicates(subset=["key"])
    rows = []
    for r in hit.itertuples(index=False):
        st = by_raw.loc[r.raw_value]
        rows.append(
            {
                "key": r.key,
                "kind": "phone",
                "masked": r.masked,
                "reason": f"业务号码：外呼 {int(st['reach'])} 人，{int(st['back'])} 人回拨"
                f"（≥ {min_callback:.0%}，快递/外卖/客服类）",
            }
        )
    devs = hit["related_key"].dropna().unique()
    dev_rows = identifiers[(identifiers["kind"] == "device") & identifiers["key"].isin(devs)]
    for r in dev_rows.drop_duplicates(subset=["key"]).itertuples(index=False):
        rows.append(
            {
                "key": r.key,
                "kind": "device",
                "masked": r.masked,
                "reason": "该设备上的号码为业务号码",
            }
        )
    return rows


def _pick(df: pd.DataFrame, name: str) -> str:
    for alias in FLOW_ALIASES[name]:
        if alias in df.columns:
            return alias
    raise ValueError(
        f"fund flows: missing column {name!r} (accepted: {', '.join(FLOW_ALIASES[name])})"
    )


def flows_from_table(
    table: pa.Table | pd.DataFrame,
    secret: bytes,
    victim_to_case: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Key a fund-flow table (涉案资金流向表) for storage and linking.

    Accepts the tracer's output (hop, from_account, to_account, event_time, victim_id,
    amount_fen, terminal) or any table with those meanings (see ``FLOW_ALIASES``). Rows are per
    victim; ``victim_to_case`` maps victim ids to case ids when they differ. A row is a cash-out
    when ``terminal == "cash_out"``, ``cash_out`` is true or its ``channel`` is ATM/counter/merchant.
    Seed deposits without a from-account get the placeholder ``受害人``.
    """
    df = table.to_pandas() if isinstance(table, pa.Table) else table.copy()
    if not len(df):
        return pd.DataFrame(columns=FLOW_COLUMNS)
    cid = df[_pick(df, "case_id")].astype(str)
    if victim_to_case:
        cid = cid.map(lambda v: victim_to_case.get(v, v))
    src = df[_pick(df, "from")].astype(object).where(df[_pick(df, "from")].notna(), None)
    dst = df[_pick(df, "to")].astype(str)
    if "terminal" in df:
        cash = df["terminal"].isin(CASH_OUT_TERMINALS).to_numpy()
    elif "cash_out" in df:
        cash = df["cash_out"].fillna(False).astype(bool).to_numpy()
    elif "channel" in df:
        cash = df["channel"].isin(CASH_OUT_CHANNELS).to_numpy()
    else:
        cash = np.zeros(len(df), dtype=bool)
    uniq = pd.unique(pd.concat([src.dropna(), dst]))
    keyed = {
        a: (key_of("account", a, secret), mask("account", a), normalise("account", a)) for a in uniq
    }
    victim = ("受害人", "受害人", None)
    out = pd.DataFrame(
        {
            "case_id": cid.to_numpy(),
            "hop": df[_pick(df, "hop")].astype(int).to_numpy(),
            "from_key": [keyed[a][0] if a is not None else "" for a in src],
            "to_key": [keyed[a][0] for a in dst],
            "from_masked": [keyed[a][1] if a is not None else victim[1] for a in src],
            "to_masked": [keyed[a][1] for a in dst],
            "from_raw": [keyed[a][2] if a is not None else None for a in src],
            "to_raw": [keyed[a][2] for a in dst],
            "flow_time": pd.to_datetime(df[_pick(df, "time")], utc=True).to_numpy(),
            "amount_fen": df[_pick(df, "amount")].astype(np.int64).to_numpy(),
            "cash_out": cash,
        }
    )
    out["flow_time"] = pd.to_datetime(out["flow_time"], utc=True)
    return out


def bundle_from_lake(
    lake_dir: str,
    secret: bytes,
    window: timedelta = timedelta(days=14),
    include_public_reports: bool = True,
    max_hops: int = 6,
    holders: pa.Table | None = None,
    hub_min_reach: int = 30,
) -> CaseBundle:
    """Cases from a lake: victim reports (+ public reports), the victims' contacts in the window
    before the report (callers and their IMEIs, SMS senders, visited URLs and their domains,
    installed apps), and their money traced downstream from the victims' transfers in the window
    by :mod:`fanzha.intercept.tracing`. Heavy lifting in DuckDB; Python only per identifier key.

    The victim's accounts are those opened in the lake's period (``account_opening``) plus, when
    given, ``holders`` (columns account, person_id): the banks' real-name register, which holds
    the accounts opened before the period."""
    import duckdb

    from fanzha.store.lake import EventLake

    lake = EventLake(lake_dir)
    con = duckdb.connect()
    rel = lake.relation_sql
    win = f"INTERVAL '{int(window.total_seconds())} seconds'"
    reports = con.sql(f"SELECT * FROM {rel('victim_report')}").fetch_arrow_table()
    objs: list[VictimReport | PublicReport] = [VictimReport(**row) for row in reports.to_pylist()]
    if include_public_reports:
        objs += [
            PublicReport(**row)
            for row in con.sql(f"SELECT * FROM {rel('public_report')}")
            .fetch_arrow_table()
            .to_pylist()
        ]
    bundle = cases_from_reports(objs, secret)
    if not reports.num_rows:
        return bundle
    con.register("vr", reports)
    contacts = con.sql(
        f"""
        SELECT vr.case_ref AS case_id, 'phone' AS kind, c.caller AS value, c.imei AS related
        FROM vr JOIN {rel("call")} c ON c.callee = vr.victim_phone
         AND c.event_time <= vr.event_time AND c.event_time >= vr.event_time - {win}
        UNION ALL
        SELECT vr.case_ref, 'phone', s.sender, NULL
        FROM vr JOIN {rel("sms")} s ON s.receiver = vr.victim_phone
         AND s.event_time <= vr.event_time AND s.event_time >= vr.event_time - {win}
        UNION ALL
        SELECT vr.case_ref, 'url', u.url, NULL
        FROM vr JOIN {rel("url_visit")} u ON u.number = vr.victim_phone
         AND u.event_time <= vr.event_time AND u.event_time >= vr.event_time - {win}
        UNION ALL
        SELECT vr.case_ref, 'app', a.app_id, NULL
        FROM vr JOIN {rel("app_install")} a ON a.number = vr.victim_phone
         AND a.event_time <= vr.event_time AND a.event_time >= vr.event_time - {win}
        """
    ).df()
    contacts = contacts.drop_duplicates()
    rows: list[dict] = []
    for r in contacts.itertuples(index=False):
        try:
            related = ("device", r.related) if isinstance(r.related, str) and r.related else None
            rows.append(identifier_row(r.case_id, r.kind, r.value, secret, related=related))
            if related:
                rows.append(identifier_row(r.case_id, "device", r.related, secret, "caller_device"))
            if r.kind == "url" and (host := domain_of(r.value)):
                rows.append(identifier_row(r.case_id, "domain", host, secret))
        except ValueError:
            continue
    idents = pd.DataFrame(rows, columns=ID_COLUMNS).drop_duplicates(
        subset=["case_id", "kind", "key", "role"]
    )
    if holders is not None:
        con.register("holders", holders.select(["account", "person_id"]))
    else:
        con.execute("CREATE TEMP TABLE holders (account VARCHAR, person_id VARCHAR)")
    con.execute(
        f"""CREATE TEMP TABLE own AS
            SELECT account, person_id FROM {rel("account_opening")}
            UNION SELECT account, person_id FROM holders"""
    )
    flows = _trace_from_lake(lake, con, rel, win, secret, max_hops)
    hubs = background_hubs(
        con, rel, pd.concat([bundle.identifiers, idents]), secret, min_reach=hub_min_reach
    )
    return bundle.concat(CaseBundle(bundle.cases.iloc[:0], idents, flows, hubs))


def _trace_from_lake(lake, con, rel, win: str, secret: bytes, max_hops: int) -> pd.DataFrame:  # noqa: ANN001
    """Seeds: each victim's own outgoing transfers in the window before the report (accounts held
    in the victim's name). Traced with the interception room's tracer."""
    from fanzha.intercept.tracing import Seed, TransferIndex, trace

    if not lake.files("transfer"):
        return pd.DataFrame(columns=FLOW_COLUMNS)
    seeds = con.sql(
        f"""
        SELECT DISTINCT vr.case_ref AS case_id, t.event_id
        FROM vr
        JOIN own o ON o.person_id = vr.victim_id
        JOIN {rel("transfer")} t ON t.payer_account = o.account
         AND t.event_time <= vr.event_time AND t.event_time >= vr.event_time - {win}
        """
    ).df()
    if not len(seeds):
        return pd.DataFrame(columns=FLOW_COLUMNS)
    transfers = con.sql(f"SELECT * FROM {rel('transfer')}").fetch_arrow_table()
    index = TransferIndex.from_table(transfers)
    # one transfer can only seed one victim: keep the earliest report's claim
    seeds = seeds.drop_duplicates(subset=["event_id"])
    result = trace(
        index,
        [
            Seed(victim_id=c, event_id=e)
            for c, e in zip(seeds["case_id"], seeds["event_id"], strict=True)
        ],
        max_hops=max_hops,
    )
    return flows_from_table(result.flows, secret)
