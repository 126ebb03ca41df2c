"""``/v1/check/payment``, ``/v1/check/call``, ``/v1/check/lookup``, ``/v1/check/exposure``.

The hot path: handlers are ``async`` and do their sub-millisecond CPU-bound work inline, skipping
the thread-pool hop; with Redis state the payment check awaits its one round trip on the worker's
auto-pipelined connection (``check_payment_async``), so the worker serves other requests meanwhile. API keys are resolved through the access room and
cached for ``PRINCIPAL_TTL_S`` seconds per key, so a check does not read the database (revocation
takes effect within that time).

``POST /payment`` and ``POST /call`` are additionally served by lean ASGI routes
(:func:`install_fast_routes`) placed first in the application's routing table: FastAPI's route
matching over every included router and its dependency solver cost more than the check itself
(~0.6 ms of ~0.8 ms CPU per request). The FastAPI routes below stay as the OpenAPI contract; the
lean routes answer identically (same models, same problem+json errors naming the field, same auth
and decision log) — ``tests/api/test_api_checks_fast.py`` compares both.
"""

from __future__ import annotations

import hashlib
import inspect
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, FastAPI, Request, Security
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from starlette.routing import Match

from fanzha.access.principal import OrgKind, Principal
from fanzha.api.deps import api_key_header
from fanzha.api.errors import ProblemError, problem
from fanzha.api.lean import LeanPostRoute

router = APIRouter(prefix="/v1/check", tags=["checks"])

PRINCIPAL_TTL_S = 30.0
_cache: dict[str, tuple[Principal, float]] = {}
_cache_lock = threading.Lock()
_runtime: Any = None
_runtime_lock = threading.Lock()


def get_runtime() -> Any:
    """The process's check runtime (built on first use from settings)."""
    global _runtime
    if _runtime is None:
        with _runtime_lock:
            if _runtime is None:
                from fanzha.decide.checks import build_runtime
                from fanzha.settings import get_settings

                _runtime = build_runtime(get_settings())
    return _runtime


def set_runtime(runtime: Any) -> None:
    """Tests and embedding applications install their own runtime."""
    global _runtime
    _runtime = runtime
    with _cache_lock:
        _cache.clear()


def _resolve_cached(token: str) -> Principal | None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    now = time.monotonic()
    hit = _cache.get(digest)
    if hit is not None and hit[1] > now:
        return hit[0]
    from datetime import UTC, datetime

    from fanzha.access import keys
    from fanzha.store.db import session_scope

    with session_scope() as s:
        principal = keys.resolve(s, token, datetime.now(UTC))
    if principal is not None:
        with _cache_lock:
            if len(_cache) > 10_000:
                _cache.clear()
            _cache[digest] = (principal, now + PRINCIPAL_TTL_S)
    return principal


def _principal(api_key: str | None) -> Principal | None:
    if not api_key:
        return None
    principal = _resolve_cached(api_key)
    if principal is None:
        raise ProblemError(
            401,
            "API 密钥无效或已吊销 (invalid or revoked API key)",
            headers={"WWW-Authenticate": "ApiKey"},
        )
    return principal


def _authorise(api_key: str | None, wanted: frozenset[OrgKind]) -> Principal:
    principal = _principal(api_key)
    if principal is None:
        raise ProblemError(
            401,
            "需要 X-API-Key 请求头 (missing API key)",
            headers={"WWW-Authenticate": "ApiKey"},
        )
    if principal.org_kind not in wanted:
        names = ", ".join(sorted(k.value for k in wanted))
        raise ProblemError(403, f"权限不足：仅限机构类型 {names} (forbidden)")
    return principal


def _kinds(*kinds: OrgKind) -> frozenset[OrgKind]:
    return frozenset(kinds) | {OrgKind.PLATFORM}


PAYMENT_KINDS = _kinds(OrgKind.BANK, OrgKind.PAYMENT)
CALL_KINDS = _kinds(OrgKind.TELECOM)


def _require(*kinds: OrgKind):  # noqa: ANN202 - a FastAPI dependency
    wanted = _kinds(*kinds)

    async def dep(api_key: Annotated[str | None, Security(api_key_header)] = None) -> Principal:
        return _authorise(api_key, wanted)

    return dep


async def _optional(
    api_key: Annotated[str | None, Security(api_key_header)] = None,
) -> Principal | None:
    return _principal(api_key)


PaymentCaller = Annotated[Principal, Depends(_require(OrgKind.BANK, OrgKind.PAYMENT))]
CallCaller = Annotated[Principal, Depends(_require(OrgKind.TELECOM))]
ExposureCaller = Annotated[
    Principal, Depends(_require(OrgKind.TELECOM, OrgKind.INTERNET, OrgKind.BANK, OrgKind.PAYMENT))
]


class PaymentCheckIn(BaseModel):
    payer_account: str = Field(..., min_length=1, max_length=64, description="付款账户")
    payee_account: str = Field(..., min_length=1, max_length=64, description="收款账户")
    amount_fen: int = Field(..., gt=0, description="金额（分）")
    channel: str = Field("mobile_banking", max_length=32)
    payer_phone: str | None = Field(None, max_length=32, description="付款人实名手机号（可选）")


class CheckOut(BaseModel):
    decision_id: str
    outcome: str
    outcome_label: str
    reasons: list[str]
    rule_version: str
    latency_ms: float
    warning_ref: str | None = None
    labels: list[str] = []
    notice: dict[str, Any] | None = None


class CallCheckIn(BaseModel):
    caller: str = Field(..., min_length=1, max_length=40, description="主叫号码（原样）")
    callee: str = Field(..., min_length=1, max_length=40, description="被叫号码")
    channel: str = Field("call", pattern="^(call|sms)$", description="call 或 sms")


class LookupIn(BaseModel):
    kind: str = Field(..., description="phone/account/url/domain/qq/wechat/app")
    value: str = Field(..., min_length=1, max_length=512)


class LookupOut(BaseModel):
    kind: str
    risk_level: int
    risk_label: str
    fraud_type: str | None
    advice: str
    report_hint: str


class ExposureIn(BaseModel):
    number: str = Field(..., min_length=1, max_length=32, description="接触者手机号")
    kind: str = Field(..., pattern="^(call|sms|url|app)$")
    target: str = Field(..., min_length=1, max_length=512, description="来电号码、网址或应用ID")
    account: str | None = Field(None, max_length=64, description="同一实名人的账户（可选）")


class ExposureOut(BaseModel):
    recorded: bool
    risk_level: int


def _bad(exc: Exception, field: str) -> ProblemError:
    return ProblemError(422, str(exc), [{"row": None, "field": field, "reason": str(exc)}])


async def _payment_answer(body: PaymentCheckIn, principal: Principal) -> dict[str, Any]:
    """Awaits Redis (shared state) without blocking the worker; in-process state is synchronous."""
    from fanzha.decide.checks import CheckError, PaymentCheckRequest, check_payment_async

    req = PaymentCheckRequest(
        body.payer_account, body.payee_account, body.amount_fen, body.channel, body.payer_phone
    )
    try:
        out = await check_payment_async(get_runtime(), req, org=principal.org_id)
    except CheckError as exc:
        raise _bad(exc, "body") from None
    return out.as_dict()


def _call_answer(body: CallCheckIn, principal: Principal) -> dict[str, Any]:
    from fanzha.decide.checks import CallCheckRequest, CheckError, check_call

    try:
        out = check_call(
            get_runtime(),
            CallCheckRequest(body.caller, body.callee, body.channel),
            org=principal.org_id,
        )
    except CheckError as exc:
        raise _bad(exc, "channel") from None
    return out.as_dict()


@router.post("/payment", response_model=CheckOut)
async def payment(body: PaymentCheckIn, principal: PaymentCaller) -> JSONResponse:
    """转账前核验（银行、支付机构）：收款方风险、付款人近期跨渠道接触、金额与新收款人异常。"""
    return JSONResponse(await _payment_answer(body, principal))


@router.post("/call", response_model=CheckOut)
async def call(body: CallCheckIn, principal: CallCaller) -> JSONResponse:
    """来电/短信核验（运营商）：拦截、标记（如“疑似诈骗”、境外来电）或放行。"""
    return JSONResponse(_call_answer(body, principal))


@router.post("/lookup", response_model=LookupOut)
async def lookup(
    body: LookupIn, request: Request, principal: Annotated[Principal | None, Depends(_optional)]
) -> JSONResponse:
    """风险查询（公众）：号码、银行/支付账户、网址、QQ/微信 → 风险等级与建议。按密钥或IP限流。"""
    from fanzha.decide.checks import CheckError, RateLimited, public_lookup

    client = f"key:{principal.key_id}" if principal and principal.key_id else None
    if client is None:
        client = f"ip:{request.client.host if request.client else 'unknown'}"
    try:
        out = public_lookup(get_runtime(), body.kind, body.value, client)
    except RateLimited as exc:
        raise ProblemError(429, str(exc), headers={"Retry-After": "60"}) from None
    except (CheckError, ValueError) as exc:
        raise _bad(exc, "kind") from None
    return JSONResponse(out)


@router.post("/exposure", response_model=ExposureOut)
async def exposure(body: ExposureIn, principal: ExposureCaller) -> JSONResponse:
    """报告一次接触（来电、短信、访问网址、安装应用）；来源在名单中时计入付款核验的跨渠道暴露。"""
    from fanzha.decide.checks import CheckError, record_exposure

    try:
        hit = record_exposure(get_runtime(), body.number, body.kind, body.target, body.account)
    except (CheckError, ValueError) as exc:
        raise _bad(exc, "kind") from None
    return JSONResponse({"recorded": hit is not None, "risk_level": int(hit.grade) if hit else 0})


# ---------------------------------------------------------------------------- lean ASGI routes
Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
_VALIDATION_DETAIL = "请求格式不正确 (request validation failed)"
_JSON_START = b"application/json"


def _validation_problem(exc: ValidationError) -> ProblemError:
    """The same ``errors`` FastAPI's handler builds (field named by the error's location)."""
    errors = []
    for err in exc.errors(include_url=False, include_context=False, include_input=False):
        if err.get("type") == "json_invalid":
            errors.append({"row": None, "field": "-", "reason": "JSON decode error"})
            continue
        parts = [p for p in err.get("loc", ()) if not isinstance(p, int)]
        errors.append(
            {
                "row": None,
                "field": ".".join(str(p) for p in parts) or "-",
                "reason": str(err.get("msg", "invalid")),
            }
        )
    return ProblemError(422, _VALIDATION_DETAIL, errors)


class FastCheckRoute(LeanPostRoute):
    """``POST <path>`` answered straight from ASGI: read the body, resolve the (cached) key,
    validate with the route's pydantic model in one pass over the raw JSON, run the check and send
    the body serialised by orjson. Matches nothing else, so other methods fall through to FastAPI
    (405) and the OpenAPI schema still comes from the FastAPI route."""

    def __init__(
        self,
        path: str,
        model: type[BaseModel],
        kinds: frozenset[OrgKind],
        answer: Callable[[Any, Principal], dict[str, Any] | Awaitable[dict[str, Any]]],
    ) -> None:
        super().__init__(path, model)
        self._kinds = kinds
        self._answer = answer
        self._answer_is_async = inspect.iscoroutinefunction(answer)

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        raw = await self.read_body(receive)
        if raw is None:  # client went away
            return
        api_key = None
        content_type = None
        for name, value in scope["headers"]:
            if name == b"x-api-key" and api_key is None:
                api_key = value.decode("latin-1")
            elif name == b"content-type" and content_type is None:
                content_type = value
        try:
            body, invalid, early = self._parse(raw, content_type)
            if invalid is not None and early:
                raise invalid  # FastAPI decodes the JSON before authenticating
            principal = _authorise(api_key or None, self._kinds)
            if invalid is not None:
                raise invalid
            answer = self._answer(body, principal)
            if self._answer_is_async:
                answer = await answer
            payload = orjson.dumps(answer)
        except ProblemError as exc:
            response = problem(
                Request(scope), exc.status, exc.detail, exc.errors, exc.type, exc.headers
            )
            await response(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-length", str(len(payload)).encode()),
                    (b"content-type", _JSON_START),
                ],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    def _parse(
        self, raw: bytes, content_type: bytes | None
    ) -> tuple[Any, ProblemError | None, bool]:
        """(model, problem, whether FastAPI would report it before authenticating)."""
        if not raw or (content_type is not None and b"json" not in content_type.lower()):
            missing = [{"row": None, "field": "-", "reason": "Field required"}]
            return None, ProblemError(422, _VALIDATION_DETAIL, missing), False
        try:
            return self._validate_json(raw), None, False
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_context=False, include_input=False)
            early = any(e.get("type") == "json_invalid" for e in errors)
            return None, _validation_problem(exc), early


class _FastDispatch:
    """Outermost ASGI layer of the application's middleware stack: a request for a lean route goes
    through the request-id/metrics middleware straight to it; anything else goes to the usual
    stack (error handlers, user middleware, FastAPI's router)."""

    def __init__(self, inner: Any, routes: list[FastCheckRoute], metrics: Any) -> None:
        from fanzha.api.middleware import RequestContextMiddleware

        self.inner = inner
        self.routes = routes
        self._with_context = RequestContextMiddleware(self._handle, metrics=metrics)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            for route in self.routes:
                if route.matches(scope)[0] is Match.FULL:
                    scope["route"] = route
                    await self._with_context(scope, receive, send)
                    return
        await self.inner(scope, receive, send)

    @staticmethod
    async def _handle(scope: Scope, receive: Receive, send: Send) -> None:
        await scope["route"].handle(scope, receive, send)


def install_fast_routes(app: FastAPI) -> None:
    """Serve ``POST /v1/check/payment`` and ``/call`` by the lean routes.

    They sit in front of the whole Starlette/FastAPI middleware stack (which is built lazily on
    the first request, so middleware added to ``app`` later still wraps everything else), wrapped
    only in the request-id/metrics middleware, which also answers an unhandled error as a 500
    problem; this saves ~0.1 ms of CPU per check. NB: other user middleware (CORS, …) does *not*
    see these two routes. The FastAPI routes remain for the OpenAPI schema (and answer if the lean
    routes are removed, see :func:`remove_fast_routes`).
    """
    routes = [
        FastCheckRoute(f"{router.prefix}/payment", PaymentCheckIn, PAYMENT_KINDS, _payment_answer),
        FastCheckRoute(f"{router.prefix}/call", CallCheckIn, CALL_KINDS, _call_answer),
    ]
    build = type(app).build_middleware_stack

    def build_middleware_stack() -> Any:
        from fanzha.api.middleware import Metrics

        metrics = getattr(app.state, "metrics", None) or Metrics()
        return _FastDispatch(build(app), routes, metrics)

    app.build_middleware_stack = build_middleware_stack  # type: ignore[method-assign]
    app.state.fast_check_routes = routes
    if hasattr(app, "set_lean_routes"):  # fanzha.api.app.FanzhaAPI: entered before FastAPI's own
        from fanzha.api.middleware import Metrics, RequestContextMiddleware

        metrics = getattr(app.state, "metrics", None) or Metrics()
        app.set_lean_routes(
            {r.path: r for r in routes}, RequestContextMiddleware(_FastDispatch._handle, metrics)
        )


def remove_fast_routes(app: FastAPI) -> None:
    """Back to plain FastAPI routing for the checks (tests compare both); before the first request."""
    vars(app).pop("build_middleware_stack", None)
    app.state.fast_check_routes = []
    if hasattr(app, "set_lean_routes"):
        app.set_lean_routes({}, None)
