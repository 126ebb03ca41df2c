"""Data scopes, enforced here and nowhere else.

Rules:
- the platform (and the ministry) sees everything;
- police see their jurisdiction and below, by administrative-division code: a province (510000)
  covers every 51xxxx, a city (510100) every 5101xx, a county (510104) itself and its stations
  (stations carry their county's code);
- a partner (bank, payment institution, operator, internet platform, public) sees its own
  submissions and what the platform shares with it (rows whose share column names the partner's
  org id, its org kind, or ``*``).

Other rooms call these builders instead of filtering by hand: SQLAlchemy clauses for workflow
tables and ``*_sql`` text for DuckDB queries over the lake.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, false, or_, select, true
from sqlalchemy.orm import Session

from fanzha.access.orgs import jurisdiction_prefix
from fanzha.access.principal import OrgKind, Principal
from fanzha.store.tables.access import Organisation

SHARE_ALL = "*"


def sees_everything(principal: Principal) -> bool:
    return principal.is_platform


def division_prefix(principal: Principal) -> str | None:
    """The division-code prefix a police principal covers (None for non-police or no code)."""
    if not principal.org_kind.is_police or principal.org_kind == OrgKind.MINISTRY:
        return None
    if not principal.division_code:
        return None
    return jurisdiction_prefix(principal.org_kind, principal.division_code)


def can_see_division(principal: Principal, code: str | None) -> bool:
    if sees_everything(principal):
        return True
    prefix = division_prefix(principal)
    return bool(prefix and code and str(code).startswith(prefix))


def share_targets(principal: Principal) -> list[str]:
    """Values of a share column that make a row visible to this principal."""
    return [principal.org_id, principal.org_kind.value, SHARE_ALL]


def jurisdiction_filter(principal: Principal, division_column: Any) -> ColumnElement[bool]:
    """SQL clause: rows whose division code lies in the principal's jurisdiction."""
    if sees_everything(principal):
        return true()
    prefix = division_prefix(principal)
    if prefix is None:
        return false()
    return division_column.like(f"{prefix}%")


def visible_org_filter(
    principal: Principal, org_column: Any, shared_column: Any | None = None
) -> ColumnElement[bool]:
    """SQL clause: rows owned by an organisation the principal may see.

    Police see rows of organisations whose division lies in their jurisdiction (their own units
    and those below); partners see their own rows plus rows shared with them via ``shared_column``.
    """
    if sees_everything(principal):
        return true()
    clauses: list[ColumnElement[bool]] = [org_column == principal.org_id]
    prefix = division_prefix(principal)
    if prefix is not None:
        in_jurisdiction = select(Organisation.id).where(
            Organisation.division_code.like(f"{prefix}%"),
            Organisation.kind.in_([k.value for k in OrgKind if k.is_police]),
        )
        clauses.append(org_column.in_(in_jurisdiction))
    if shared_column is not None:
        clauses.append(shared_column.in_(share_targets(principal)))
    return or_(*clauses)


def can_see_org(principal: Principal, org_id: str, session: Session | None = None) -> bool:
    """May the principal see data owned by ``org_id``? Police need a session to look it up."""
    if sees_everything(principal) or org_id == principal.org_id:
        return True
    prefix = division_prefix(principal)
    if prefix is None:
        return False
    if session is None:
        from fanzha.store.db import session_scope

        with session_scope() as s:
            return can_see_org(principal, org_id, s)
    org = session.get(Organisation, org_id)
    if org is None or not org.division_code or not OrgKind(org.kind).is_police:
        return False
    return org.division_code.startswith(prefix)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def source_org_sql(principal: Principal, column: str = "source_org") -> str:
    """DuckDB WHERE text: lake rows the principal submitted (platform: all)."""
    if sees_everything(principal):
        return "TRUE"
    return f"{column} = {_quote(principal.org_id)}"


def jurisdiction_sql(principal: Principal, column: str = "division_code") -> str:
    """DuckDB WHERE text equivalent of :func:`jurisdiction_filter`."""
    if sees_everything(principal):
        return "TRUE"
    prefix = division_prefix(principal)
    if prefix is None:
        return "FALSE"
    return f"starts_with({column}, {_quote(prefix)})"
