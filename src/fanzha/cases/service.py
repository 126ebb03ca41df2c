"""Case services: import, link, and read cases and clusters as a principal may see them.

Scope: a case is visible when its division lies in the principal's jurisdiction
(:mod:`fanzha.access.scope`); a cluster is visible when any of its cases is, and then shows its
whole summary (the point of linking is that each county sees the gang) but lists only the member
cases the principal may see. Raw identifiers are returned only to police investigators (and the
platform operator); everyone else gets the masked display. Every raw read is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fanzha.access.principal import Principal, Role
from fanzha.access.scope import can_see_division, jurisdiction_filter
from fanzha.cases import clusters as cl
from fanzha.cases.build import CaseBundle
from fanzha.cases.linking import HubRule, incidence_from, link_frame
from fanzha.cases.repository import load_bundle, save_bundle, save_clusters
from fanzha.store.tables.cases import Case, CaseCluster, CaseFundFlow, CaseIdentifier, CaseLink


class NotVisible(LookupError):
    """The record does not exist or lies outside the caller's scope (callers answer 404)."""


@dataclass
class LinkSettings:
    hub_k: int = 50
    hub_quantile: float = 0.999
    known_hubs: frozenset[str] = field(default_factory=frozenset)
    min_cases: int = 2
    community_min_size: int = 6
    unit: str = "community"  # or "component"

    def rule(self) -> HubRule:
        return HubRule(k=self.hub_k, quantile=self.hub_quantile, known_hubs=self.known_hubs)


def may_see_raw(principal: Principal) -> bool:
    """Full identifiers: police investigators, and the platform operator."""
    if not principal.has(Role.INVESTIGATOR):
        return False
    return principal.org_kind.is_police or principal.is_platform


def import_bundle(session: Session, bundle: CaseBundle, now: datetime) -> dict[str, int]:
    return save_bundle(session, bundle, now)


def run_linking(session: Session, now: datetime, settings: LinkSettings | None = None) -> dict:
    """Link every stored case, rebuild clusters and links; returns a run summary."""
    settings = settings or LinkSettings()
    bundle = load_bundle(session)
    result = link_frame(
        bundle.cases["case_id"],
        incidence_from(bundle.identifiers, bundle.flows),
        settings.rule(),
        hub_reasons=bundle.hub_reasons(),
    )
    inputs = cl.ClusterInputs(bundle.cases, bundle.identifiers, bundle.flows)
    clusters = cl.build_clusters(
        inputs,
        result,
        min_cases=settings.min_cases,
        community_min_size=settings.community_min_size,
        unit=settings.unit,
    )
    parts = []
    for c in clusters:
        codes = pd.Index(result.case_ids).get_indexer(c["cases"])
        parts.append(result.links(case_codes=codes).assign(cluster_id=c["id"]))
    links = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(
            columns=["cluster_id", "case_a", "case_b", "kind", "via", "key", "masked", "weight"]
        )
    )
    save_clusters(session, clusters, links, now)
    hubs = result.hubs()
    return {
        "cases": len(bundle.cases),
        "clusters": len(clusters),
        "linked_cases": sum(c["n_cases"] for c in clusters),
        "links": len(links),
        "hubs": [
            {"kind": r.kind, "masked": r.masked, "degree": int(r.degree), "reason": r.hub_reason}
            for r in hubs.itertuples()
        ],
        "hub_rule": result.rule_text,
    }


# -- reads ----------------------------------------------------------------------------------------
def _case_dict(c: Case) -> dict:
    return {
        "id": c.id,
        "source": c.source,
        "status": c.status,
        "division_code": c.division_code,
        "fraud_type": c.fraud_type,
        "loss_fen": c.loss_fen,
        "victim": c.victim_masked,
        "reported_at": c.reported_at.isoformat(),
        "cluster_id": c.cluster_id,
    }


def list_cases(
    session: Session,
    principal: Principal,
    cluster_id: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict], int]:
    q = select(Case).where(jurisdiction_filter(principal, Case.division_code))
    if cluster_id:
        q = q.where(Case.cluster_id == cluster_id)
    if status:
        q = q.where(Case.status == status)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    rows = session.scalars(q.order_by(Case.reported_at.desc(), Case.id).limit(limit).offset(offset))
    return [_case_dict(c) for c in rows], int(total)


def _audit_raw(
    session: Session, principal: Principal, resource: str, refs: list[str], now: datetime
) -> None:
    from fanzha.access.audit import record

    record(session, principal, "read_full_identifiers", resource, refs=refs, now=now)


def get_case(
    session: Session,
    principal: Principal,
    case_id: str,
    now: datetime,
    full_identifiers: bool = False,
) -> dict:
    """One case with identifiers and fund flows; raw values only when ``full_identifiers`` is
    asked for (and allowed: PermissionError otherwise)."""
    c = session.get(Case, case_id)
    if c is None or not can_see_division(principal, c.division_code):
        raise NotVisible(case_id)
    if full_identifiers and not may_see_raw(principal):
        raise PermissionError("完整标识只向有侦查权限的公安人员提供")
    raw = full_identifiers
    out = _case_dict(c)
    out["description"] = c.description
    idents = session.scalars(select(CaseIdentifier).where(CaseIdentifier.case_id == case_id))
    out["identifiers"] = [
        {
            "kind": i.kind,
            "role": i.role,
            "masked": i.masked,
            "key": i.key_hash,
            **({"value": i.raw_value} if raw else {}),
        }
        for i in idents
    ]
    flows = session.scalars(
        select(CaseFundFlow)
        .where(CaseFundFlow.case_id == case_id)
        .order_by(CaseFundFlow.hop, CaseFundFlow.flow_time)
    )
    out["fund_flows"] = [
        {
            "hop": f.hop,
            "from": f.from_raw if raw and f.from_raw else f.from_masked,
            "to": f.to_raw if raw and f.to_raw else f.to_masked,
            "time": f.flow_time.isoformat(),
            "amount_fen": f.amount_fen,
            "cash_out": f.cash_out,
        }
        for f in flows
    ]
    if raw:
        _audit_raw(session, principal, "case", [case_id], now)
    out["full_identifiers"] = raw
    return out


def _visible_cluster(principal: Principal, c: CaseCluster) -> bool:
    return any(can_see_division(principal, d) for d in (c.divisions or []))


def list_clusters(
    session: Session, principal: Principal, min_cases: int = 2, limit: int = 50, offset: int = 0
) -> tuple[list[dict], int]:
    rows = session.scalars(
        select(CaseCluster)
        .where(CaseCluster.n_cases >= min_cases)
        .order_by(CaseCluster.n_cases.desc(), CaseCluster.loss_fen.desc(), CaseCluster.id)
    )
    visible = [c for c in rows if _visible_cluster(principal, c)]
    page = visible[offset : offset + limit]
    return [
        {
            "id": c.id,
            "n_cases": c.n_cases,
            "n_victims": c.n_victims,
            "loss_fen": c.loss_fen,
            "first_at": c.first_at.isoformat() if c.first_at else None,
            "last_at": c.last_at.isoformat() if c.last_at else None,
            "divisions": c.divisions,
            "fraud_types": c.summary.get("fraud_types", {}),
        }
        for c in page
    ], len(visible)


def raw_values(session: Session, keys: set[str]) -> dict[str, str]:
    """Raw (normalised) identifier values for keyed hashes, from identifiers and flows."""
    out: dict[str, str] = {}
    keys_l = list(keys)
    for i in range(0, len(keys_l), 1000):
        chunk = keys_l[i : i + 1000]
        for k, v in session.execute(
            select(CaseIdentifier.key_hash, CaseIdentifier.raw_value).where(
                CaseIdentifier.key_hash.in_(chunk), CaseIdentifier.raw_value.is_not(None)
            )
        ):
            out[k] = v
        for k, v in session.execute(
            select(CaseFundFlow.to_key, CaseFundFlow.to_raw).where(
                CaseFundFlow.to_key.in_(chunk), CaseFundFlow.to_raw.is_not(None)
            )
        ):
            out[k] = v
    return out


def get_cluster(
    session: Session,
    principal: Principal,
    cluster_id: str,
    now: datetime,
    full_identifiers: bool = False,
) -> dict:
    """A cluster's summary, visible members, links and key nodes. ``full_identifiers`` adds raw
    values to key nodes and links, and is refused (PermissionError) to non-authorised callers."""
    c = session.get(CaseCluster, cluster_id)
    if c is None or not _visible_cluster(principal, c):
        raise NotVisible(cluster_id)
    if full_identifiers and not may_see_raw(principal):
        raise PermissionError("完整标识只向有侦查权限的公安人员提供")
    out = dict(c.summary)
    members = session.scalars(select(Case).where(Case.cluster_id == cluster_id).order_by(Case.id))
    cases = [_case_dict(m) for m in members if can_see_division(principal, m.division_code)]
    out["cases"] = cases
    out["n_cases_outside_scope"] = c.n_cases - len(cases)
    links = session.scalars(select(CaseLink).where(CaseLink.cluster_id == cluster_id))
    out["links"] = [
        {
            "case_a": link.case_a,
            "case_b": link.case_b,
            "kind": link.kind,
            "via": link.via,
            "key": link.key_hash,
            "masked": link.masked,
            "weight": link.weight,
        }
        for link in links
    ]
    if full_identifiers:
        keys = {n["key"] for items in out["key_nodes"].values() for n in items}
        keys |= {link["key"] for link in out["links"]}
        raw = raw_values(session, keys)
        for items in out["key_nodes"].values():
            for n in items:
                n["value"] = raw.get(n["key"])
        for link in out["links"]:
            link["value"] = raw.get(link["key"])
        _audit_raw(session, principal, "case_cluster", [cluster_id], now)
    out["full_identifiers"] = full_identifiers
    return out
