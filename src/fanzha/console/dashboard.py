"""The dashboard read model (挂图作战): KPIs by city and county, trends, fraud types, money.

Reads the workflow tables of every response room, scoped to the caller's jurisdiction: warnings
(warn), cases and losses (cases), stop-payment and freeze amounts actually executed by banks
(intercept orders), returns (intercept returns) and the size of the risk list (registry).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanzha.access.principal import Principal
from fanzha.access.scope import can_see_division, jurisdiction_filter, sees_everything
from fanzha.sim.divisions import CITIES, COUNTIES
from fanzha.store.tables.access import Organisation
from fanzha.store.tables.cases import Case
from fanzha.store.tables.intercept import InterceptOrder, InterceptReport, InterceptReturn
from fanzha.store.tables.registry import RegistryEntry
from fanzha.warn.metrics import summarise, tasks_frame, warnings_frame

EXECUTED = ("in_force", "executed", "lapsed", "expired", "lifted", "closed")


def _frame(session: Session, q) -> pd.DataFrame:  # noqa: ANN001
    return pd.DataFrame(session.execute(q).all(), columns=[c.name for c in q.selected_columns])


def _city_name(code: str) -> str:
    c = CITIES.get(code[:4] + "00")
    return c[0] if c else code


def _money(session: Session, principal: Principal) -> pd.DataFrame:
    """Executed stop/freeze amounts and returns with the division they belong to."""
    orgs = dict(session.execute(select(Organisation.id, Organisation.division_code)).all())
    q = select(
        InterceptOrder.order_type,
        InterceptOrder.status,
        InterceptOrder.reply,
        InterceptOrder.issuing_org,
        InterceptReport.division_code,
        InterceptOrder.executed_at,
    ).outerjoin(InterceptReport, InterceptReport.id == InterceptOrder.report_id)
    rows = []
    for otype, status, reply, issuer, division, executed in session.execute(q).all():
        if executed is None or status not in EXECUTED:
            continue
        amount = int((reply or {}).get("amount_fen") or 0)
        kind = (
            "stopped"
            if otype.startswith("stop")
            else "frozen"
            if otype.startswith("freeze")
            else None
        )
        if kind and amount:
            rows.append((division or orgs.get(issuer), kind, amount))
    for issuer, returned in session.execute(
        select(InterceptReturn.issuing_org, InterceptReturn.returned_fen)
    ).all():
        rows.append((orgs.get(issuer), "returned", int(returned or 0)))
    df = pd.DataFrame(rows, columns=["division_code", "kind", "amount_fen"])
    if not sees_everything(principal):
        df = df[[can_see_division(principal, c) for c in df["division_code"]]]
    return df


def dashboard(session: Session, principal: Principal, now: pd.Timestamp) -> dict[str, Any]:
    w = warnings_frame(session, principal)
    t = (
        tasks_frame(session, w["id"].tolist())
        if len(w)
        else pd.DataFrame(columns=["warning_id", "status", "deadline", "done_at", "received_at"])
    )
    cq = select(Case.id, Case.division_code, Case.fraud_type, Case.loss_fen, Case.reported_at)
    if not sees_everything(principal):
        cq = cq.where(jurisdiction_filter(principal, Case.division_code))
    cases = _frame(session, cq)
    money = _money(session, principal)
    registry = session.scalar(
        select(func.count()).select_from(RegistryEntry).where(RegistryEntry.status == "active")
    )

    def area(wpart: pd.DataFrame, cpart: pd.DataFrame, mpart: pd.DataFrame) -> dict[str, Any]:
        s = summarise(wpart, t[t["warning_id"].isin(wpart["id"])], now) if len(wpart) else {}
        by_kind = mpart.groupby("kind")["amount_fen"].sum() if len(mpart) else {}
        return {
            "warnings": int(len(wpart)),
            "dissuasion_rate": s.get("dissuasion_rate"),
            "sla_compliance": s.get("sla_compliance"),
            "false_alarm_rate": s.get("false_alarm_rate"),
            "cases": int(len(cpart)),
            "loss_fen": int(cpart["loss_fen"].sum()) if len(cpart) else 0,
            "stopped_fen": int(by_kind.get("stopped", 0)),
            "frozen_fen": int(by_kind.get("frozen", 0)),
            "returned_fen": int(by_kind.get("returned", 0)),
        }

    wdiv = w["division_code"].fillna("") if len(w) else pd.Series(dtype=str)
    cdiv = cases["division_code"].fillna("") if len(cases) else pd.Series(dtype=str)
    mdiv = money["division_code"].fillna("") if len(money) else pd.Series(dtype=str)
    codes = sorted({c for c in [*wdiv, *cdiv, *mdiv] if c})
    regions = []
    for city in sorted({c[:4] for c in codes}):
        counties = []
        for county in sorted(c for c in codes if c.startswith(city)):
            counties.append(
                {
                    "code": county,
                    "name": COUNTIES.get(county, county),
                    **area(w[wdiv == county], cases[cdiv == county], money[mdiv == county]),
                }
            )
        regions.append(
            {
                "code": city + "00",
                "name": _city_name(city),
                **area(
                    w[wdiv.str.startswith(city)],
                    cases[cdiv.str.startswith(city)],
                    money[mdiv.str.startswith(city)],
                ),
                "counties": counties,
            }
        )
    days = sorted(
        {
            *(w["created_at"].dt.strftime("%Y-%m-%d") if len(w) else []),
            *(cases["reported_at"].dt.strftime("%Y-%m-%d") if len(cases) else []),
        }
    )
    trend = []
    for day in days:
        wd = w[w["created_at"].dt.strftime("%Y-%m-%d") == day] if len(w) else w
        cd = cases[cases["reported_at"].dt.strftime("%Y-%m-%d") == day] if len(cases) else cases
        trend.append(
            {
                "day": day,
                "warnings": int(len(wd)),
                "cases": int(len(cd)),
                "loss_fen": int(cd["loss_fen"].sum()) if len(cd) else 0,
            }
        )
    types = cases["fraud_type"] if len(cases) else w.get("fraud_type", pd.Series(dtype=str))
    kpis = area(w, cases, money)
    kpis["registry_entries"] = int(registry or 0)
    return {
        "kpis": kpis,
        "regions": regions,
        "trend": trend,
        "by_type": {str(k): int(v) for k, v in types.fillna("未分类").value_counts().items()},
    }
