"""Request ids and Prometheus metrics (labelled by route template, not raw path)."""

from __future__ import annotations

import itertools
import re
import time
import uuid
from typing import Any

from fastapi import FastAPI, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

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


class RequestContextMiddleware:
    """Pure ASGI middleware: request id in and out, metrics by route template.

    Written against ASGI directly rather than ``BaseHTTPMiddleware``, which costs most of a
    millisecond per request; ids are a per-process prefix plus a counter (no ``urandom`` call).
    """

    def __init__(self, app, metrics: Metrics) -> None:  # noqa: ANN001
        self.app = app
        self.metrics = metrics
        self._prefix = uuid.uuid4().hex[:20]
        self._counter = itertools.count(1)
        # labelled children, looked up once: ``labels()`` validates, locks and builds a key per call
        self._counts: dict[tuple[str, str, int], Any] = {}
        self._latency: dict[tuple[str, str], Any] = {}

    def _observe(self, method: str, template: str, status: int, seconds: float) -> None:
        key = (method, template, status)
        count = self._counts.get(key)
        if count is None:
            if len(self._counts) > 10_000:  # unmatched methods/paths: bounded anyway
                self._counts.clear()
                self._latency.clear()
            count = self._counts[key] = self.metrics.requests.labels(method, template, str(status))
        count.inc()
        lat = self._latency.get(key[:2])
        if lat is None:
            lat = self._latency[key[:2]] = self.metrics.latency.labels(method, template)
        lat.observe(seconds)

    async def __call__(self, scope, receive, send) -> None:  # noqa: ANN001
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = ""
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        rid = (
            incoming
            if incoming and _VALID_RID.match(incoming)
            else f"{self._prefix}{next(self._counter):012x}"
        )
        scope.setdefault("state", {})["request_id"] = rid
        status = 500
        started = False
        start = time.perf_counter()

        async def send_with_id(message) -> None:  # noqa: ANN001
            nonlocal status, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                headers = [*message.get("headers", ()), (b"x-request-id", rid.encode())]
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:  # the app raised: answer problem+json here so the id and metrics stay
            from fanzha.api.errors import log, problem

            request = Request(scope)
            log.exception("unhandled error on %s %s", request.method, request.url.path)
            if not started:
                response = problem(
                    request, 500, "内部错误，请联系平台并提供 request_id (internal error)"
                )
                await response(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            template = (
                getattr(route, "path_format", None) or getattr(route, "path", "unmatched")
                if route is not None
                else "unmatched"
            )
            self._observe(scope.get("method", ""), template, status, time.perf_counter() - start)


def install_middleware(app: FastAPI) -> Metrics:
    metrics = Metrics()
    app.add_middleware(RequestContextMiddleware, metrics=metrics)

    @app.get("/metrics", include_in_schema=False)
    def metrics_endpoint() -> Response:
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    app.state.metrics = metrics
    return metrics
