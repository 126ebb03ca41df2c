"""The HTTP API: ``create_app()`` builds the FastAPI application (uvicorn factory).

Versioned under ``/v1``; OpenAPI at ``/docs``; errors as problem+json; request ids; Prometheus
metrics at ``/metrics``; ``/health`` and ``/ready``.
"""

from __future__ import annotations

import gc

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


def create_app() -> FastAPI:
    app = FastAPI(
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
