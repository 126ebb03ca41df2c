"""Request ids and Prometheus metrics (labelled by route template, not raw path)."""

from __future__ import annotations

import re
import time
import uuid

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.routing import Match

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_RID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "fanzha_http_requests_total",
            "HTTP requests",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "fanzha_http_request_duration_seconds",
            "HTTP request latency",
            ["method", "route"],
            registry=self.registry,
        )


def _route_template(request: Request) -> str:
    """The matched route's template (``/v1/events/{kind}``), never the raw path."""
    route = request.scope.get("route")
    if route is not None:
        return getattr(route, "path_format", None) or getattr(route, "path", "unmatched")
    for candidate in request.app.router.routes:
        match, _ = candidate.matches(request.scope)
        if match == Match.FULL:
            return getattr(candidate, "path", "unmatched")
    return "unmatched"


class RequestContextMiddleware(BaseHTTPMiddleware):
    def __init__(self, app, metrics: Metrics) -> None:  # noqa: ANN001
        super().__init__(app)
        self.metrics = metrics

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        rid = incoming if _VALID_RID.match(incoming) else uuid.uuid4().hex
        request.state.request_id = rid
        start = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception:  # the app raised: answer problem+json here so the id and metrics stay
            from fanzha.api.errors import log, problem

            log.exception("unhandled error on %s %s", request.method, request.url.path)
            response = problem(
                request, 500, "内部错误，请联系平台并提供 request_id (internal error)"
            )
        elapsed = time.perf_counter() - start
        route = _route_template(request)
        self.metrics.requests.labels(request.method, route, str(response.status_code)).inc()
        self.metrics.latency.labels(request.method, route).observe(elapsed)
        response.headers[REQUEST_ID_HEADER] = rid
        return response


def install_middleware(app: FastAPI) -> Metrics:
    metrics = Metrics()
    app.add_middleware(RequestContextMiddleware, metrics=metrics)

    @app.get("/metrics", include_in_schema=False)
    def metrics_endpoint() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    app.state.metrics = metrics
    return metrics
