"""Reading and writing the cases room's tables (bulk, set-based)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from fanzha.cases.build import CASE_COLUMNS, FLOW_COLUMNS, HUB_COLUMNS, ID_COLUMNS, CaseBundle
from fanzha.store.tables.cases import (
    Case,
    CaseCluster,
    CaseFundFlow,
    CaseHub,
    CaseIdentifier,
    CaseLink,
)

_CHUNK = 5_000


def _records(df: pd.DataFrame) -> list[dict]:
    out = df.astype(object).where(df.notna(), None).to_dict("records")
    return out


def _chunks(rows: list[dict]):  # noqa: ANN202
    for i in range(0, len(rows), _CHUNK):
        yield rows[i : i + _CHUNK]


def save_bundle(session: Session, bundle: CaseBundle, now: datetime) -> dict[str, int]:
    """Upsert cases; a case's identifiers and flows are replaced by the bundle's."""
    cases = bundle.cases.drop_duplicates(subset=["case_id"], keep="last")
    ids = cases["case_id"].tolist()
    existing = set()
    for chunk in (ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)):
        existing |= set(session.scalars(select(Case.id).where(Case.id.in_(chunk))))
        session.execute(delete(CaseIdentifier).where(CaseIdentifier.case_id.in_(chunk)))
        session.execute(delete(CaseFundFlow).where(CaseFundFlow.case_id.in_(chunk)))
    new_rows, upd_rows = [], []
    for r in _records(cases):
        row = {
            "id": r["case_id"],
            "source": r["source"],
            "division_code": r["division_code"],
            "fraud_type": r["fraud_type"],
            "loss_fen": int(r["loss_fen"] or 0),
            "victim_key": r["victim_key"],
            "victim_masked": r["victim_masked"],
            "reported_at": pd.Timestamp(r["reported_at"]).to_pydatetime(),
            "description": (r.get("description") or None) and str(r["description"])[:2000],
            "updated_at": now,
        }
        if r["case_id"] in existing:
            upd_rows.append(row)
        else:
            new_rows.append({**row, "status": "open", "created_at": now})
    for chunk in _chunks(new_rows):
        session.execute(insert(Case), chunk)
    for r in upd_rows:
        session.execute(update(Case).where(Case.id == r["id"]).values(**r))
    idents = bundle.identifiers.drop_duplicates(subset=["case_id", "kind", "key", "role"])
    id_rows = [
        {
            "case_id": r["case_id"],
            "kind": r["kind"],
            "key_hash": r["key"],
            "masked": r["masked"],
            "raw_value": r["raw_value"],
            "role": r["role"] or "contact",
            "related_key": r["related_key"],
        }
        for r in _records(idents)
    ]
    for chunk in _chunks(id_rows):
        session.execute(insert(CaseIdentifier), chunk)
    flow_rows = [
        {
            "case_id": r["case_id"],
            "hop": int(r["hop"]),
            "from_key": r["from_key"] or "",
            "to_key": r["to_key"],
            "from_masked": r["from_masked"] or "",
            "to_masked": r["to_masked"],
            "from_raw": r["from_raw"],
            "to_raw": r["to_raw"],
            "flow_time": pd.Timestamp(r["flow_time"]).to_pydatetime(),
            "amount_fen": int(r["amount_fen"]),
            "cash_out": bool(r["cash_out"]),
        }
        for r in _records(bundle.flows)
    ]
    for chunk in _chunks(flow_rows):
        session.execute(insert(CaseFundFlow), chunk)
    save_hubs(session, bundle.hubs, now)
    session.flush()
    return {
        "cases_new": len(new_rows),
        "cases_updated": len(upd_rows),
        "identifiers": len(id_rows),
        "flows": len(flow_rows),
    }


def save_hubs(session: Session, hubs: pd.DataFrame, now: datetime) -> int:
    """Upsert known hubs (key, kind, masked, reason)."""
    hubs = hubs.drop_duplicates(subset=["key"])
    keys = hubs["key"].tolist()
    for i in range(0, len(keys), _CHUNK):
        session.execute(delete(CaseHub).where(CaseHub.key_hash.in_(keys[i : i + _CHUNK])))
    rows = [
        {
            "key_hash": r["key"],
            "kind": r["kind"],
            "masked": r["masked"],
            "reason": str(r["reason"])[:200],
            "updated_at": now,
        }
        for r in _records(hubs)
    ]
    for chunk in _chunks(rows):
        session.execute(insert(CaseHub), chunk)
    return len(rows)


def load_bundle(session: Session) -> CaseBundle:
    """Every case with its identifiers and flows (the linking input)."""
    conn = session.connection()
    cases = pd.read_sql(
        select(
            Case.id.label("case_id"),
            Case.source,
            Case.division_code,
            Case.fraud_type,
            Case.loss_fen,
            Case.reported_at,
            Case.victim_key,
            Case.victim_masked,
            Case.description,
        ),
        conn,
    )
    idents = pd.read_sql(
        select(
            CaseIdentifier.case_id,
            CaseIdentifier.kind,
            CaseIdentifier.key_hash.label("key"),
            CaseIdentifier.masked,
            CaseIdentifier.raw_value,
            CaseIdentifier.role,
            CaseIdentifier.related_key,
        ),
        conn,
    )
    flows = pd.read_sql(
        select(
            CaseFundFlow.case_id,
            CaseFundFlow.hop,
            CaseFundFlow.from_key,
            CaseFundFlow.to_key,
            CaseFundFlow.from_masked,
            CaseFundFlow.to_masked,
            CaseFundFlow.from_raw,
            CaseFundFlow.to_raw,
            CaseFundFlow.flow_time,
            CaseFundFlow.amount_fen,
            CaseFundFlow.cash_out,
        ),
        conn,
    )
    hubs = pd.read_sql(
        select(CaseHub.key_hash.label("key"), CaseHub.kind, CaseHub.masked, CaseHub.reason), conn
    )
    cases["reported_at"] = pd.to_datetime(cases["reported_at"], utc=True)
    flows["flow_time"] = pd.to_datetime(flows["flow_time"], utc=True)
    return CaseBundle(
        cases[CASE_COLUMNS], idents[ID_COLUMNS], flows[FLOW_COLUMNS], hubs[HUB_COLUMNS]
    )


def save_clusters(
    session: Session, clusters: list[dict], links: pd.DataFrame, now: datetime
) -> None:
    """Replace the stored clusters and links with a fresh linking run's."""
    session.execute(delete(CaseLink))
    session.execute(delete(CaseCluster))
    session.execute(update(Case).where(Case.status == "linked").values(status="open"))
    session.execute(update(Case).values(cluster_id=None))
    rows = []
    for c in clusters:
        rows.append(
            {
                "id": c["id"],
                "computed_at": now,
                "n_cases": c["n_cases"],
                "n_victims": c["n_victims"],
                "loss_fen": c["loss_fen"],
                "first_at": pd.Timestamp(c["first_at"]).to_pydatetime() if c["first_at"] else None,
                "last_at": pd.Timestamp(c["last_at"]).to_pydatetime() if c["last_at"] else None,
                "divisions": [d["code"] for d in c["divisions"]],
                "summary": {k: v for k, v in c.items() if k != "cases"},
            }
        )
    for chunk in _chunks(rows):
        session.execute(insert(CaseCluster), chunk)
    for c in clusters:
        ids = c["cases"]
        for i in range(0, len(ids), _CHUNK):
            session.execute(
                update(Case)
                .where(Case.id.in_(ids[i : i + _CHUNK]))
                .values(cluster_id=c["id"], status="linked")
            )
    link_rows = [
        {
            "cluster_id": r["cluster_id"],
            "case_a": r["case_a"],
            "case_b": r["case_b"],
            "kind": r["kind"],
            "via": r["via"],
            "key_hash": r["key"],
            "masked": r["masked"],
            "weight": float(r["weight"]),
        }
        for r in _records(links)
    ]
    for chunk in _chunks(link_rows):
        session.execute(insert(CaseLink), chunk)
    session.flush()
