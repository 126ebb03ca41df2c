"""Errors as ``application/problem+json`` (RFC 9457).

Body: ``type``, ``title``, ``status``, ``detail``, ``instance`` (the request path) and, for
validation errors, ``errors: [{row, field, reason}]``. Unhandled exceptions become a 500 that
names only the request id, never internals.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM = "application/problem+json"
log = logging.getLogger("fanzha.api")


class ProblemError(Exception):
    """Raise from services/routers for a problem with per-record ``errors``."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: list[dict[str, Any]] | None = None,
        type_: str = "about:blank",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.type = type_
        self.headers = headers


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem(
    request: Request,
    status: int,
    detail: str | None,
    errors: list[dict[str, Any]] | None = None,
    type_: str = "about:blank",
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": type_,
        "title": _title(status),
        "status": status,
        "detail": detail or _title(status),
        "instance": request.url.path,
    }
    rid = getattr(request.state, "request_id", None)
    if rid:
        body["request_id"] = rid
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _loc_to_row_field(loc: tuple | list) -> tuple[int | None, str]:
    """('body', 'events', 3, 'caller') → row 3, field 'caller'."""
    parts = [p for p in loc if p not in ("body", "query", "path", "header")]
    row = next((p for p in parts if isinstance(p, int)), None)
    names = [str(p) for p in parts if not isinstance(p, int)]
    if names and names[0] == "events" and len(names) > 1:
        names = names[1:]
    return row, ".".join(names) or "-"


async def _http_exc(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) else None
    errors = exc.detail.get("errors") if isinstance(exc.detail, dict) else None
    if isinstance(exc.detail, dict):
        detail = exc.detail.get("detail")
    return problem(request, exc.status_code, detail, errors, headers=getattr(exc, "headers", None))


async def _problem_exc(request: Request, exc: ProblemError) -> JSONResponse:
    return problem(request, exc.status, exc.detail, exc.errors, exc.type, exc.headers)


async def _validation_exc(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = []
    for err in exc.errors():
        row, field = _loc_to_row_field(err.get("loc", ()))
        errors.append({"row": row, "field": field, "reason": str(err.get("msg", "invalid"))})
    return problem(request, 422, "请求格式不正确 (request validation failed)", errors)


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem(request, 500, "内部错误，请联系平台并提供 request_id (internal error)")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_exc)  # type: ignore[arg-type]
    app.add_exception_handler(ProblemError, _problem_exc)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_exc)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unhandled)
