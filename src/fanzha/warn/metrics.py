"""Warning-work metrics per unit or region and over time (考评).

Estimated loss prevented = dissuaded warnings × an assumed average loss per fraud type
(:data:`AVG_LOSS_FEN`, a configurable estimate, not a measurement).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.access.principal import Principal
from fanzha.access.scope import jurisdiction_filter, sees_everything
from fanzha.store.tables.warn import WarningRow, WarnTask

AVG_LOSS_FEN: dict[str, int] = {
    "虚假网络投资理财类": 20_000_000,
    "冒充公检法及政府机关类": 10_000_000,
}
DEFAULT_AVG_LOSS_FEN = 5_000_000
CONTACT_OUTCOMES = ("dissuaded", "defrauded", "refused", "false_alarm")


def warnings_frame(session: Session, principal: Principal) -> pd.DataFrame:
    q = select(
        WarningRow.id,
        WarningRow.unit_org_id,
        WarningRow.division_code,
        WarningRow.level,
        WarningRow.fraud_type,
        WarningRow.outcome,
        WarningRow.status,
        WarningRow.first_exposure_at,
        WarningRow.created_at,
        WarningRow.contacted_at,
    )
    if not sees_everything(principal):
        q = q.where(
            (WarningRow.unit_org_id == principal.org_id)
            | jurisdiction_filter(principal, WarningRow.division_code)
        )
    return pd.DataFrame(session.execute(q).all(), columns=[c.name for c in q.selected_columns])


def tasks_frame(session: Session, warning_ids: list[int]) -> pd.DataFrame:
    q = select(
        WarnTask.warning_id,
        WarnTask.status,
        WarnTask.deadline,
        WarnTask.done_at,
        WarnTask.received_at,
    )
    df = pd.DataFrame(session.execute(q).all(), columns=[c.name for c in q.selected_columns])
    return df[df["warning_id"].isin(warning_ids)]


def summarise(warnings: pd.DataFrame, tasks: pd.DataFrame, now: pd.Timestamp) -> dict:
    """One row of figures for a set of warnings."""
    n = len(warnings)
    if n == 0:
        return {"warnings": 0}
    created = pd.to_datetime(warnings["created_at"], utc=True)
    lead = (created - pd.to_datetime(warnings["first_exposure_at"], utc=True)).dt.total_seconds()
    # all-empty columns come back as object dtype: convert before subtracting
    contacted = pd.to_datetime(warnings["contacted_at"], utc=True)
    contact = (contacted - created).dt.total_seconds().dropna()
    closed = warnings[warnings["outcome"].notna()]
    contacted = closed[closed["outcome"].isin(CONTACT_OUTCOMES)]
    done_at = pd.to_datetime(tasks["done_at"], utc=True)
    deadline = pd.to_datetime(tasks["deadline"], utc=True)
    due_mask = done_at.notna() | (deadline < now)
    on_time = (done_at.notna() & (done_at <= deadline))[due_mask]
    due = tasks[due_mask]
    dissuaded = closed[closed["outcome"] == "dissuaded"]
    prevented = int(sum(AVG_LOSS_FEN.get(t, DEFAULT_AVG_LOSS_FEN) for t in dissuaded["fraud_type"]))
    return {
        "warnings": n,
        "by_level": {int(k): int(v) for k, v in warnings["level"].value_counts().items()},
        "by_type": {str(k): int(v) for k, v in warnings["fraud_type"].value_counts().items()},
        "open": int((warnings["status"] == "open").sum()),
        "lead_time_median_s": float(lead.median()),
        "contact_time_median_s": float(contact.median()) if len(contact) else None,
        "sla_compliance": round(int(on_time.sum()) / len(due), 4) if len(due) else None,
        "dissuasion_rate": round(len(dissuaded) / len(contacted), 4) if len(contacted) else None,
        "false_alarm_rate": round(float((closed["outcome"] == "false_alarm").mean()), 4)
        if len(closed)
        else None,
        "est_loss_prevented_fen": prevented,
    }


def metrics(
    session: Session, principal: Principal, now: pd.Timestamp, group_by: str = "unit"
) -> dict[str, dict]:
    """Figures per group: ``unit`` (responsible org), ``county``/``city`` (division), ``day``."""
    w = warnings_frame(session, principal)
    if w.empty:
        return {}
    t = tasks_frame(session, w["id"].tolist())
    keys = {
        "unit": w["unit_org_id"],
        "county": w["division_code"].fillna("未知"),
        "city": w["division_code"].fillna("未知").str[:4] + "00",
        "day": w["created_at"].dt.strftime("%Y-%m-%d"),
    }
    if group_by not in keys:
        raise ValueError(f"group_by: 只能是 {', '.join(keys)}")
    out = {}
    for key, part in w.groupby(keys[group_by]):
        out[str(key)] = summarise(part, t[t["warning_id"].isin(part["id"])], now)
    out["全部"] = summarise(w, t, now)
    return out
