"""The HTTP API: ``create_app()`` builds the FastAPI application (uvicorn factory).

Versioned under ``/v1``; OpenAPI at ``/docs``; errors as problem+json; request ids; Prometheus
metrics at ``/metrics``; ``/health`` and ``/ready``.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from fastapi import FastAPI

from fanzha import __version__
from fanzha.api.errors import install_error_handlers
from fanzha.api.middleware import install_middleware
from fanzha.api.routers import audit, console, events, health, orgs, warnings
from fanzha.api.routers import cases as cases_router  # noqa: I001
from fanzha.api.routers import check_content as check_content_router  # noqa: I001
from fanzha.api.routers import checks as checks_router  # noqa: I001
from fanzha.api.routers import intercept as intercept_router  # noqa: I001
from fanzha.api.routers import registry as registry_router  # noqa: I001
from fanzha.api.routers import users as users_router  # noqa: I001


class FanzhaAPI(FastAPI):
    """FastAPI that hands ``POST`` requests for the lean check routes (``/v1/check/payment``,
    ``/call``) straight to them, through the request-id/metrics middleware only.

    FastAPI's own ``__call__`` first asks its native telemetry whether any OpenTelemetry provider is
    configured — several environment and global look-ups on every request, ~5 % of a payment check's
    CPU — and then enters Starlette's middleware stack. Here that answer is re-read at most once per
    ``TELEMETRY_RECHECK_S``; while telemetry is on (or a root path is set) the lean routes go the
    usual way, so they are traced like every other route. Everything else is FastAPI unchanged.
    """

    TELEMETRY_RECHECK_S = 1.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lean_routes: dict[str, Any] = {}
        self._lean_entry: Any = None
        self._lean_traced = True
        self._lean_trace_next = 0.0

    def set_lean_routes(self, routes: dict[str, Any], entry: Any) -> None:
        """``routes``: exact path → lean route (set as ``scope["route"]``); ``entry``: the ASGI
        callable that serves them (request id, metrics, then the route)."""
        self._lean_routes = dict(routes)
        self._lean_entry = entry

    def _traced(self) -> bool:
        now = time.monotonic()
        if now >= self._lean_trace_next:
            probe = getattr(self, "_native_telemetry", None)
            self._lean_traced = bool(probe is not None and probe.enabled())
            self._lean_trace_next = now + self.TELEMETRY_RECHECK_S
        return self._lean_traced

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        routes = self._lean_routes
        if (
            routes
            and scope["type"] == "http"
            and scope["method"] == "POST"
            and not self.root_path
            and not scope.get("root_path")
            and "fastapi.telemetry" not in scope
        ):
            route = routes.get(scope["path"])
            if route is not None and not self._traced():
                scope["app"] = self
                scope["route"] = route
                await self._lean_entry(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def create_app() -> FastAPI:
    app = FanzhaAPI(
        title="Fanzha 反诈 API",
        version=__version__,
        description="反诈开放平台接口：事件接入、风险核验、预警、止付冻结、串并案。",
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    install_error_handlers(app)
    install_middleware(app)
    app.include_router(health.router)
    app.include_router(orgs.router)
    app.include_router(users_router.router)
    app.include_router(audit.router)
    app.include_router(events.router)
    app.include_router(warnings.router)
    app.include_router(intercept_router.router)
    app.include_router(checks_router.router)
    checks_router.install_fast_routes(app)
    app.include_router(check_content_router.router)
    check_content_router.install_fast_routes(app)
    app.include_router(registry_router.router)
    app.include_router(cases_router.router)
    app.include_router(console.router)
    console.mount_console(app)
    # Everything built so far (modules, routes, schemas) lives as long as the process: move it out
    # of the collector's way, so full collections walk only what requests create (their pauses
    # land straight in the online checks' p99).
    gc.collect()
    gc.freeze()
    return app
