"""``detect run``: fraud-number model + rules, mule-account model + 3006/3007/3008, governance,
over the event lake for a time range; returns findings (the CLI writes them as Parquet).

The shipped models (``detect/models/numbers_default``, ``mules_default``, trained on simulator
output by ``scripts/train_sim_detectors.py``) are loaded once per process. With a model loaded
the laundering typology search runs only over transfers between pass-through accounts the model did
not flag, and reports closed cycles only: over a whole city the full search is the slowest detector
(tens of seconds) and, on simulator data, its other shapes mostly flag victims and counterparties
around mules. 3006/3007/3008 on model-flagged accounts become reasons of their findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

import numpy as np
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
    dialer_short_min: float = 0.6
    # registered industry (business) cards are checked through the operators' industry-card
    # process; their sales/service diallers look like fraud diallers by volume alone
    dialer_skip_industry: bool = True


class LakeSnapshot:
    """The lake's events loaded once into tables of one in-memory DuckDB connection, ordered by
    time, for repeated detection runs over a lake that does not change between them (the demo's
    replay runs the detectors every 12 simulated hours). The partners' registers are thousands of
    small day files; reading them once instead of several times per run is most of the gain.

    Like :meth:`EventLake.relation_sql`, every FROM-clause is restricted to ``[since, until)``:
    a run at time T still sees only the events before T."""

    def __init__(self, lake: EventLake, kinds: Iterable[str] | None = None) -> None:
        from fanzha.domain.events import EVENT_TYPES

        self.con = connect()
        self.kinds = tuple(kinds or EVENT_TYPES)
        for kind in self.kinds:
            self.con.execute(
                f"CREATE OR REPLACE TABLE {self._table(kind)} AS "
                f"SELECT * FROM {lake.relation_sql(kind)} ORDER BY event_time"
            )

    @staticmethod
    def _table(kind: str) -> str:
        return f"lake_{kind}"

    def relation_sql(
        self, kind: str, since: datetime | None = None, until: datetime | None = None
    ) -> str:
        if kind not in self.kinds:
            raise ValueError(f"kind: {kind!r} is not in this lake snapshot")
        where = ["TRUE"]
        if since is not None:
            where.append(f"event_time >= TIMESTAMPTZ '{since.isoformat()}'")
        if until is not None:
            where.append(f"event_time < TIMESTAMPTZ '{until.isoformat()}'")
        return f"(SELECT * FROM {self._table(kind)} WHERE {' AND '.join(where)})"


def lake_relations(
    lake: EventLake | LakeSnapshot, since: datetime | None, until: datetime
) -> tuple[Callable[[str], str], Callable[[str], str]]:
    def rel(kind: str) -> str:
        return lake.relation_sql(kind, since, until)

    def all_rel(kind: str) -> str:
        return lake.relation_sql(kind, None, until)

    return rel, all_rel


def load_transfers(con, rel, all_rel) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    tx = con.sql(
        f"""SELECT event_id, payer_account AS payer, payee_account AS payee, amount_fen,
                   event_time, channel FROM {rel("transfer")}"""
    ).df()
    openings = con.sql(
        f"""SELECT account, min(event_time) AS event_time FROM {all_rel("account_opening")}
            GROUP BY account"""
    ).df()
    tx["event_time"] = pd.to_datetime(tx["event_time"], utc=True)
    openings["event_time"] = pd.to_datetime(openings["event_time"], utc=True)
    return tx, (openings if len(openings) else None)


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
            and not (cfg.dialer_skip_industry and getattr(r, "card_industry", 0) == 1)
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


def _scaled(p: np.ndarray, thr: float) -> np.ndarray:
    """Map model probability to a finding score: the threshold becomes 0.5 (中), 1 stays 1."""
    thr = min(max(thr, 1e-6), 1 - 1e-6)
    return np.clip(0.5 + 0.5 * (p - thr) / (1 - thr), 0.0, 1.0)


def model_number_findings(
    feats: pd.DataFrame, now: datetime, model=None, threshold: float | None = None
) -> list[Finding]:
    from fanzha.detect.numbers.lake_model import label, load_number_model

    model = model or load_number_model()
    if model is None or feats.empty:
        return []
    thr = model.threshold if threshold is None else threshold
    p = model.predict(feats)
    rows = np.flatnonzero(p >= thr)
    reasons = model.reasons(feats, rows, label)
    score = _scaled(p[rows], thr)
    return [
        Finding(
            "number",
            str(feats["number"].iat[i]),
            "numbers.model",
            float(s),
            grade_for(float(s)),
            ("行为模型判定疑似涉诈号码", *rs),
            (),
            now,
        )
        for i, s, rs in zip(rows, score, reasons, strict=True)
    ]


def model_account_findings(
    tx: pd.DataFrame,
    openings: pd.DataFrame | None,
    until: datetime,
    now: datetime,
    model=None,
    threshold: float | None = None,
) -> tuple[list[Finding], list[str] | None]:
    """Model findings and the accounts the typology search should look at (None: all): accounts
    with pass-through hops that the model did not flag."""
    from fanzha.detect.accounts.lake_model import label, lake_account_features, load_mule_model

    model = model or load_mule_model()
    if model is None:
        return [], None
    if tx.empty:
        return [], []
    F = lake_account_features(tx, openings, until)
    if F.empty:
        return [], []
    thr = model.threshold if threshold is None else threshold
    p = model.predict(F)
    rows = np.flatnonzero(p >= thr)
    reasons = model.reasons(F, rows, label)
    score = _scaled(p[rows], thr)
    accts = [str(a) for a in F.index[rows]]
    ev = _evidence(tx, accts)
    # the typology search looks at pass-through hops the model did not flag
    focus = sorted({str(a) for a in F.index[F["hop_n"].to_numpy() >= 1]} - set(accts))
    out = [
        Finding(
            "account",
            a,
            "accounts.model",
            float(s),
            grade_for(float(s)),
            ("行为模型判定疑似涉诈账户（“两卡”/跑分）", *rs),
            ev.get(a, ()),
            now,
        )
        for a, s, rs in zip(accts, score, reasons, strict=True)
    ]
    return out, focus


def pattern_findings(
    tx: pd.DataFrame, model: list[Finding], focus: list[str], now: datetime, limits: Limits
) -> list[Finding]:
    """3006/3007/3008 over the transfers of the focus accounts (model-flagged accounts and
    unflagged pass-through accounts). Hits on model-flagged accounts become reasons of those findings; a 3008
    burst (≥10 transfers within an hour) on another focus account is a finding of its own."""
    from fanzha.detect.accounts.mule import pattern_rules
    from fanzha.detect.accounts.mule_model import CODE_REASONS

    if not focus:
        return list(model)
    s = set(focus)
    hits = pattern_rules(tx[tx.payer.isin(s) | tx.payee.isin(s)], limits)
    codes: dict[str, list] = {}
    for h in hits:
        if h.account in s:
            codes.setdefault(h.account, []).append(h)
    out = []
    for f in model:
        extra = [CODE_REASONS[h.code] for h in codes.pop(f.entity_value, [])]
        if extra:
            f = replace(f, reasons=(f.reasons[0], *extra, *f.reasons[1:]))
        out.append(f)
    for acct, hs in codes.items():
        burst = [h for h in hs if h.code == "3008"]
        if burst:
            h = burst[0]
            out.append(
                Finding(
                    "account",
                    acct,
                    "accounts.rules",
                    0.6,
                    grade_for(0.6),
                    (
                        f"{CODE_REASONS['3008']}：{h.window_start:%m-%d %H:%M}起1小时内"
                        f"{h.in_n + h.out_n}笔（转入{h.in_n}笔、转出{h.out_n}笔）",
                    ),
                    h.event_ids[:200],
                    now,
                    rule_id="3008",
                )
            )
    return out


def _evidence(tx: pd.DataFrame, accts: list[str], per: int = 200) -> dict[str, tuple[str, ...]]:
    if not accts:
        return {}
    s = set(accts)
    legs = pd.concat(
        [
            tx.loc[tx.payer.isin(s), ["payer", "event_id"]].rename(columns={"payer": "a"}),
            tx.loc[tx.payee.isin(s), ["payee", "event_id"]].rename(columns={"payee": "a"}),
        ]
    )
    return {
        str(a): tuple(g["event_id"].astype(str).head(per)) for a, g in legs.groupby("a", sort=False)
    }


def account_findings(
    tx: pd.DataFrame,
    openings: pd.DataFrame | None,
    now: datetime,
    focus: list[str] | None = None,
) -> list[Finding]:
    """Typologies and 3006/3007/3008 rules. With ``focus``, only over the transfers between
    those accounts."""
    from fanzha.detect.accounts.mule_model import signal_table

    if tx.empty:
        return []
    if focus is not None:
        if not focus:
            return []
        s = set(focus)
        tx = tx[tx.payer.isin(s) & tx.payee.isin(s)]
    F, reasons = signal_table(tx, set(), openings)
    if focus is not None:
        F = F[F.index.isin(set(focus))]
    strong = F[["hit_cycle", "hit_scatter_gather", "hit_bipartite"]].sum(axis=1) > 0
    flagged = F[(F["hit_kinds"] >= 2) | strong]
    if focus is not None:
        # beside the model, only closed cycles: on simulator data scatter-gather and bipartite
        # shapes around unflagged accounts are victims and counterparties of mules
        flagged = flagged[flagged["hit_cycle"] > 0]
    ev = _evidence(tx, [str(a) for a in flagged.index])
    out = []
    for acct, row in flagged.iterrows():
        score = min(1.0, 0.3 + 0.2 * float(row["hit_kinds"]) + (0.2 if strong[acct] else 0.0))
        out.append(
            Finding(
                "account",
                str(acct),
                "accounts.typologies",
                score,
                grade_for(score),
                tuple(reasons.get(acct, [])),
                ev.get(str(acct), ()),
                now,
            )
        )
    return out


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per (detector, rule, entity) per run: the highest score, reasons merged."""
    best: dict[tuple, Finding] = {}
    extra: dict[tuple, list[str]] = {}
    for f in findings:
        key = (f.detector, f.rule_id, f.entity_kind, f.entity_value)
        cur = best.get(key)
        extra.setdefault(key, [])
        for r in f.reasons:
            if r not in extra[key]:
                extra[key].append(r)
        if cur is None or f.score > cur.score:
            best[key] = f
    out = []
    for key, f in best.items():
        if len(extra[key]) > len(f.reasons):
            f = Finding(
                f.entity_kind,
                f.entity_value,
                f.detector,
                f.score,
                f.grade,
                tuple(extra[key][:10]),
                f.evidence,
                f.detected_at,
                f.legal_basis,
                f.next_action,
                f.rule_id,
            )
        out.append(f)
    return out


def run_detectors(
    lake: EventLake | LakeSnapshot,
    since: datetime | None,
    until: datetime,
    now: datetime,
    limits: Limits = LIMITS,
    number_cfg: NumberRuleConfig | None = None,
    models: bool = True,
) -> list[Finding]:
    from fanzha.detect.features.number_sql import number_features
    from fanzha.detect.numbers.lake_model import MIN_OUT_CALLS, lake_number_features

    # a snapshot's tables live in its own connection
    con = lake.con if isinstance(lake, LakeSnapshot) else connect()
    rel, all_rel = lake_relations(lake, since, until)
    findings: list[Finding] = []
    if models:
        rule_feats = lake_number_features(
            con, rel("call"), rel("sms"), all_rel("sim_issuance"), until, min_out_calls=1
        )
        feats = rule_feats[rule_feats["out_calls"] >= MIN_OUT_CALLS].reset_index(drop=True)
        findings += model_number_findings(feats, now)
    else:
        rule_feats = number_features(rel("call"), con=con, gap_std=False).to_pandas()
    findings += number_findings(rule_feats, now, number_cfg or NumberRuleConfig())
    tx, openings = load_transfers(con, rel, all_rel)
    focus: list[str] | None = None
    if models:
        acct, focus = model_account_findings(tx, openings, until, now)
        if focus is not None:
            flagged = [f.entity_value for f in acct]
            findings += pattern_findings(tx, acct, flagged + focus, now, limits)
    # without a model: the full typology search (slow on a whole city); with one, only over the
    # transfers between model-flagged and pass-through accounts
    findings += account_findings(tx, openings, now, focus)
    findings += run_governance(GovContext(con, rel, all_rel, until, limits), now)
    return dedupe(findings)
