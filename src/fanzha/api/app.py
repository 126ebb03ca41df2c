"""The HTTP API: ``create_app()`` builds the FastAPI application (uvicorn factory)."""

from __future__ import annotations

from fastapi import FastAPI

from fanzha import __version__
from fanzha.api.routers import health


def create_app() -> FastAPI:
    app = FastAPI(
        title="Fanzha 反诈 API",
        version=__version__,
        description="反诈开放平台接口：事件接入、风险核验、预警、止付冻结、串并案。",
    )
    app.include_router(health.router)
    return app
