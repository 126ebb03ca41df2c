"""``POST /v1/check/text``, ``/v1/check/url``, ``/v1/check/app``: content risk for partners and
the public. Models load once per process (lazy singletons); each call is CPU-only, sub-millisecond.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

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


@router.post("/text", response_model=TextOut)
def check_text(body: TextIn) -> dict[str, Any]:
    v = _model("text").classify([body.text])[0]
    return {
        "is_fraud": v.is_fraud,
        "fraud_type": v.fraud_type,
        "score": v.score,
        "evidence": [
            {"phrase": e["phrase"], "signal": e["signal"], "source": e["source"]}
            for e in v.evidence
        ],
    }


@router.post("/url", response_model=UrlOut)
def check_url(body: UrlIn) -> dict[str, Any]:
    v = _model("url").score([body.url])[0]
    return {
        "is_risky": v.is_risky,
        "score": v.score,
        "reasons": v.reasons,
        "registrable_domain": v.registrable_domain,
    }


@router.post("/app", response_model=AppOut)
def check_app(body: AppIn) -> dict[str, Any]:
    from fanzha.detect.apps import check_app as run

    return run(body.package, body.label, body.permissions, body.sha256, body.cert_sha256).as_dict()
