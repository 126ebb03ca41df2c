"""``POST /v1/check/text``, ``/v1/check/url``, ``/v1/check/app``: content risk for partners and
the public. Models load once per process (lazy singletons); each call is CPU-only, sub-millisecond.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from typing import Any

import orjson
from fastapi import APIRouter, FastAPI, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from fanzha.api.lean import LeanPostRoute

router = APIRouter(prefix="/v1/check", tags=["check"])

_lock = threading.Lock()
_models: dict[str, Any] = {}


def _model(kind: str) -> Any:
    m = _models.get(kind)
    if m is None:
        with _lock:
            m = _models.get(kind)
            if m is None:
                if kind == "text":
                    from fanzha.detect.text import default_model
                else:
                    from fanzha.detect.urls import default_model
                m = _models[kind] = default_model()
    return m


class TextIn(BaseModel):
    text: str = Field(..., max_length=20_000, description="短信/聊天/通话文本")


class Evidence(BaseModel):
    phrase: str
    signal: str
    source: str


class TextOut(BaseModel):
    is_fraud: bool
    fraud_type: str = Field(description="警方分类（FraudType 值）；非诈骗为空")
    score: float
    evidence: list[Evidence]


class UrlIn(BaseModel):
    url: str = Field(..., min_length=1, max_length=4096)


class UrlOut(BaseModel):
    is_risky: bool
    score: float
    reasons: list[str]
    registrable_domain: str


class AppIn(BaseModel):
    package: str = Field(..., min_length=1, max_length=255)
    label: str = Field("", max_length=100)
    permissions: list[str] = Field(default_factory=list, max_length=500)
    sha256: str | None = Field(None, max_length=64)
    cert_sha256: str | None = Field(None, max_length=64)


class AppOut(BaseModel):
    is_risky: bool
    score: float
    reasons: list[str]
    impersonates: str | None


# Longer texts (call transcripts, chat logs) go to the thread pool so that they do not hold the
# event loop; an SMS-sized message (~0.3 ms of CPU) is answered on the loop: the hop to a worker
# thread and back costs more than the classification itself.
INLINE_MAX_CHARS = 2_000


def _text_answer(text: str) -> bytes:
    v = _model("text").classify([text])[0]
    return orjson.dumps(
        {
            "is_fraud": v.is_fraud,
            "fraud_type": v.fraud_type,
            "score": v.score,
            "evidence": [
                {"phrase": e["phrase"], "signal": e["signal"], "source": e["source"]}
                for e in v.evidence
            ],
        }
    )


async def _text_payload(text: str) -> bytes:
    """SMS-sized texts on the event loop, longer ones in the thread pool (``INLINE_MAX_CHARS``)."""
    if len(text) <= INLINE_MAX_CHARS:
        return _text_answer(text)
    return await run_in_threadpool(_text_answer, text)


def _url_answer(url: str) -> bytes:
    v = _model("url").score([url])[0]
    return orjson.dumps(
        {
            "is_risky": v.is_risky,
            "score": v.score,
            "reasons": v.reasons,
            "registrable_domain": v.registrable_domain,
        }
    )


class _FastContentRoute(LeanPostRoute, ABC):
    """A content check straight from ASGI, first in the routing table.

    FastAPI's matching over every route, its dependency solver and body handling cost about
    twice the classification of an SMS. This route reads the body, validates it with its input
    model in one pass over the raw JSON and answers with the same bytes as the FastAPI route below
    (which stays as the OpenAPI contract). Errors are raised as ``RequestValidationError`` with
    FastAPI's ``("body", …)`` locations, so the application's handlers answer them identically.
    It still runs inside the middleware stack (request id, metrics, error handlers).
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        raw = await self.read_body(receive)
        if raw is None:  # client went away
            return
        content_type = next((v for k, v in scope["headers"] if k == b"content-type"), None)
        if not raw or (content_type is not None and b"json" not in content_type.lower()):
            raise RequestValidationError(
                [{"type": "missing", "loc": ("body",), "msg": "Field required", "input": None}]
            )
        try:
            body = self._validate_json(raw)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            for e in errors:
                e["loc"] = ("body", *e.get("loc", ()))
            raise RequestValidationError(errors) from None
        payload = await self.answer(body)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-length", str(len(payload)).encode()),
                    (b"content-type", b"application/json"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    @abstractmethod
    async def answer(self, body: Any) -> bytes:
        """The response body for a validated request ``body``."""


class FastTextRoute(_FastContentRoute):
    """``POST /v1/check/text``."""

    def __init__(self, path: str) -> None:
        super().__init__(path, TextIn)

    async def answer(self, body: Any) -> bytes:
        return await _text_payload(body.text)


class FastUrlRoute(_FastContentRoute):
    """``POST /v1/check/url``: one URL takes the model's single-URL path (a few hundred µs of
    CPU), answered on the event loop."""

    def __init__(self, path: str) -> None:
        super().__init__(path, UrlIn)

    async def answer(self, body: Any) -> bytes:
        return _url_answer(body.url)


def install_fast_routes(app: FastAPI) -> None:
    """Put the lean text and URL routes first in ``app``'s routing table (after
    ``include_router``)."""
    app.router.routes.insert(0, FastUrlRoute(f"{router.prefix}/url"))
    app.router.routes.insert(0, FastTextRoute(f"{router.prefix}/text"))


def remove_fast_routes(app: FastAPI) -> None:
    """Back to the FastAPI routes (tests compare both)."""
    app.router.routes[:] = [r for r in app.router.routes if not isinstance(r, _FastContentRoute)]


@router.post("/text", response_model=TextOut)
async def check_text(body: TextIn) -> Response:
    # The answer is built from TextVerdict fields that match TextOut by construction, so it is
    # serialised directly (FastAPI would otherwise validate and re-encode it through TextOut).
    return Response(await _text_payload(body.text), media_type="application/json")


@router.post("/url", response_model=UrlOut)
def check_url(body: UrlIn) -> Response:
    # As check_text: the same bytes as the lean route, built from UrlVerdict fields.
    return Response(_url_answer(body.url), media_type="application/json")


@router.post("/app", response_model=AppOut)
def check_app(body: AppIn) -> dict[str, Any]:
    from fanzha.detect.apps import check_app as run

    return run(body.package, body.label, body.permissions, body.sha256, body.cert_sha256).as_dict()
