"""``detect run``: number features + rules, account typologies + 3006/3007/3008, governance, over
the event lake for a time range; returns findings (the CLI writes them as Parquet)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from fanzha.detect.findings import Finding, grade_for
from fanzha.detect.governance.rules import GovContext, run_governance
from fanzha.domain.limits import LIMITS, Limits
from fanzha.engines.duck import connect
from fanzha.store.lake import EventLake


@dataclass
class NumberRuleConfig:
    sim_box_numbers: int = 5
    imeis_per_number: int = 5
    dialer_calls: int = 50
    dialer_callees: int = 30
    dialer_callback_max: float = 0.1
    dialer_short_min: float = 0.5


def number_findings(feats: pd.DataFrame, now: datetime, cfg: NumberRuleConfig) -> list[Finding]:
    out = []
    for r in feats.itertuples(index=False):
        reasons, score = [], 0.0
        if r.max_numbers_per_imei >= cfg.sim_box_numbers:
            reasons.append(f"同一终端上使用{int(r.max_numbers_per_imei)}个号码（疑似猫池）")
            score = max(score, 0.85)
        if r.imeis_per_number >= cfg.imeis_per_number:
            reasons.append(f"一个号码在{int(r.imeis_per_number)}台终端上使用")
            score = max(score, 0.6)
        callback = 0.0 if pd.isna(r.callback_share) else r.callback_share
        if (
            r.out_calls >= cfg.dialer_calls
            and r.distinct_callees >= cfg.dialer_callees
            and callback <= cfg.dialer_callback_max
            and r.short_call_share >= cfg.dialer_short_min
        ):
            reasons.append(
                f"外呼{int(r.out_calls)}次、对象{int(r.distinct_callees)}个，回拨率低（{callback:.0%}），"
                f"短时通话占比{r.short_call_share:.0%}"
            )
            score = max(score, 0.75)
        if reasons:
            out.append(
                Finding(
                    "number",
                    str(r.number),
                    "numbers.rules",
                    score,
                    grade_for(score),
                    tuple(reasons),
                    (),
                    now,
                )
            )
    return out


def account_findings(
    tx: pd.DataFrame, openings: pd.DataFrame | None, now: datetime
) -> list[Finding]:
    from fanzha.detect.accounts.mule_model import signal_table

    if tx.empty:
        return []
    F, reasons = signal_table(tx, set(), openings)
    strong = F[["hit_cycle", "hit_scatter_gather", "hit_bipartite"]].sum(axis=1) > 0
    flagged = F[(F["hit_kinds"] >= 2) | strong]
    out = []
    for acct, row in flagged.iterrows():
        score = min(1.0, 0.3 + 0.2 * float(row["hit_kinds"]) + (0.2 if strong[acct] else 0.0))
        ids = tx.loc[(tx.payer == acct) | (tx.payee == acct), "event_id"].astype(str).tolist()
        out.append(
            Finding(
                "account",
                str(acct),
                "accounts.typologies",
                score,
                grade_for(score),
                tuple(reasons.get(acct, [])),
                tuple(ids[:200]),
                now,
            )
        )
    return out


def run_detectors(
    lake: EventLake,
    since: datetime | None,
    until: datetime,
    now: datetime,
    limits: Limits = LIMITS,
    number_cfg: NumberRuleConfig | None = None,
) -> list[Finding]:
    from fanzha.detect.features.number_sql import number_features

    con = connect()

    def rel(kind: str) -> str:
        return lake.relation_sql(kind, since, until)

    def all_rel(kind: str) -> str:
        return lake.relation_sql(kind, None, until)

    findings: list[Finding] = []
    feats = number_features(rel("call"), con=con).to_pandas()
    findings += number_findings(feats, now, number_cfg or NumberRuleConfig())
    tx = con.sql(
        f"""SELECT event_id, payer_account AS payer, payee_account AS payee, amount_fen,
                   event_time, channel FROM {rel("transfer")}"""
    ).df()
    openings = con.sql(f"SELECT account, event_time FROM {all_rel('account_opening')}").df()
    if not tx.empty:
        tx["event_time"] = pd.to_datetime(tx["event_time"], utc=True)
        openings["event_time"] = pd.to_datetime(openings["event_time"], utc=True)
    findings += account_findings(tx, openings if len(openings) else None, now)
    findings += run_governance(GovContext(con, rel, all_rel, until, limits), now)
    return findings
