"""``/v1/cases`` and ``/v1/clusters``: linked cases, gangs and campaign packages for analysts.

Scope is the service's (:mod:`fanzha.cases.service` via :mod:`fanzha.access.scope`): police see
the cases of their jurisdiction and every cluster touching it. ``full_identifiers=true`` returns
raw identifiers and needs the ``investigator`` role (police or platform); it is audited.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from fanzha.access.principal import Principal, Role
from fanzha.api.deps import SessionDep, require_roles
from fanzha.api.errors import ProblemError
from fanzha.api.pagination import Page, PageParams, page_params
from fanzha.cases import service
from fanzha.cases.package import write_package

router = APIRouter(prefix="/v1", tags=["cases"])

Analyst = Annotated[Principal, Depends(require_roles(Role.ANALYST, Role.INVESTIGATOR))]
Paging = Annotated[PageParams, Depends(page_params)]
FullIds = Annotated[bool, Query(description="返回完整标识（需要 investigator 角色；记入审计日志）")]


def _now() -> datetime:
    return datetime.now(UTC)


def _full_allowed(principal: Principal, full: bool) -> None:
    if full and not service.may_see_raw(principal):
        raise ProblemError(403, "权限不足：完整标识需要公安侦查角色 investigator (forbidden)")


@router.get("/cases", response_model=Page[dict])
def list_cases(
    principal: Analyst,
    session: SessionDep,
    paging: Paging,
    cluster_id: str | None = Query(None, description="只列出该集群的案件"),
    status: str | None = Query(None, description="open | linked | closed"),
) -> Page[dict]:
    items, total = service.list_cases(
        session, principal, cluster_id, status, limit=paging.limit, offset=paging.offset
    )
    return Page[dict].build(items, total, paging)


@router.get("/cases/{case_id}")
def get_case(
    case_id: str, principal: Analyst, session: SessionDep, full_identifiers: FullIds = False
) -> dict[str, Any]:
    _full_allowed(principal, full_identifiers)
    try:
        return service.get_case(session, principal, case_id, _now(), full_identifiers)
    except service.NotVisible:
        raise ProblemError(404, f"案件不存在或不在管辖范围内: {case_id}") from None


@router.get("/clusters", response_model=Page[dict])
def list_clusters(
    principal: Analyst,
    session: SessionDep,
    paging: Paging,
    min_cases: int = Query(2, ge=1, description="最少案件数"),
) -> Page[dict]:
    items, total = service.list_clusters(
        session, principal, min_cases=min_cases, limit=paging.limit, offset=paging.offset
    )
    return Page[dict].build(items, total, paging)


def _cluster(session: Any, principal: Principal, cluster_id: str, full: bool) -> dict:
    _full_allowed(principal, full)
    try:
        return service.get_cluster(session, principal, cluster_id, _now(), full)
    except service.NotVisible:
        raise ProblemError(404, f"集群不存在或不在管辖范围内: {cluster_id}") from None


@router.get("/clusters/{cluster_id}")
def get_cluster(
    cluster_id: str, principal: Analyst, session: SessionDep, full_identifiers: FullIds = False
) -> dict[str, Any]:
    return _cluster(session, principal, cluster_id, full_identifiers)


@router.get(
    "/clusters/{cluster_id}/package",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}, "description": "集群战役资料包 (zip)"}},
)
def get_package(
    cluster_id: str, principal: Analyst, session: SessionDep, full_identifiers: FullIds = False
) -> Response:
    data = _cluster(session, principal, cluster_id, full_identifiers)
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        files = write_package(data, root, _now().isoformat(), principal.label)
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for f in files:
                zf.write(f, f"{cluster_id}/{f.relative_to(root)}")
    suffix = "full" if full_identifiers else "masked"
    return Response(
        buf.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{cluster_id}-{suffix}.zip"'},
    )
