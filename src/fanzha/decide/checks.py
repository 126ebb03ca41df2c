"""Online check services: payment check, call/SMS check, public lookup, exposure recording.

A :class:`CheckRuntime` bundles what the hot path needs (registry index, online state, rule engine,
decision log, clock, secret) and is built once per process by :func:`build_runtime`. Services take
plain request objects and return plain results; the API router only translates HTTP.

With Redis, a payment check is one script call that reads both registry look-ups and all online
state and records the attempt; an allowed/reminded transfer then records the payee.
:func:`check_payment_async` (the API's path) awaits that call so the worker serves other requests
meanwhile. Keyed hashes of raw identifiers are cached per runtime (normalisation + HMAC were half
of a check's own CPU).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fanzha.decide.context import payment_context
from fanzha.decide.ids import new_id
from fanzha.decide.log import DecisionLog
from fanzha.decide.numbers import analyse
from fanzha.decide.rules import Outcome, RuleEngine, RuleSet, default_ruleset, load_ruleset
from fanzha.decide.state import MemoryState, OnlineState, RedisState
from fanzha.domain.clock import Clock, SystemClock
from fanzha.domain.taxonomy import RiskLevel
from fanzha.registry.index import IndexHit, MemoryIndex, RedisIndex
from fanzha.registry.keys import ID_KIND_LABELS, IdKind, key_of, parse_kind
from fanzha.registry.notices import restriction_notice

_COMMITTING = frozenset({Outcome.ALLOW, Outcome.REMIND})
KEY_CACHE_SIZE = 100_000  # per generation; ≤ 2 × 100 k entries ≈ 50 MB per process


class CheckError(ValueError):
    pass


@dataclass
class CheckRuntime:
    secret: bytes
    index: MemoryIndex | RedisIndex
    state: OnlineState
    engine: RuleEngine
    log: DecisionLog | None
    clock: Clock = field(default_factory=SystemClock)
    redis: Any = None  # the client when state and index are shared in Redis
    public_rate_per_minute: int = 30
    key_cache_size: int = KEY_CACHE_SIZE

    def __post_init__(self) -> None:
        # raw (kind, value) → keyed hash; payers and payees recur. Two plain dicts (the full one
        # becomes the "old" generation, read on a miss) instead of functools.lru_cache: its
        # per-entry linked-list nodes are GC-tracked, and a growing cache of them made full
        # collections cost more than the hits saved on a check path where most payees are new.
        self._keys: dict[tuple[str, str], str] = {}
        self._keys_old: dict[tuple[str, str], str] = {}

    def key(self, kind: str, value: str) -> str:
        k = (kind, value)
        h = self._keys.get(k)
        if h is None:
            h = self._keys_old.get(k)
            if h is None:
                h = key_of(kind, value, self.secret)
            if len(self._keys) >= self.key_cache_size:
                self._keys_old, self._keys = self._keys, {}
            self._keys[k] = h
        return h

    def lookup(self, key_hash: str) -> IndexHit | None:
        return self.index.get(key_hash)


# ---------------------------------------------------------------------------- payment check
@dataclass
class PaymentCheckRequest:
    payer_account: str
    payee_account: str
    amount_fen: int
    channel: str = "mobile_banking"
    payer_phone: str | None = None
    payer_name_masked: str | None = None
    request_id: str | None = None


@dataclass
class CheckResult:
    decision_id: str
    outcome: str
    outcome_label: str
    reasons: list[str]
    rule_version: str
    latency_ms: float
    warning_ref: str | None = None
    labels: list[str] = field(default_factory=list)
    notice: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        # by hand: dataclasses.asdict deep-copies recursively and cost ~30 µs per check
        return {
            "decision_id": self.decision_id,
            "outcome": self.outcome,
            "outcome_label": self.outcome_label,
            "reasons": list(self.reasons),
            "rule_version": self.rule_version,
            "latency_ms": self.latency_ms,
            "warning_ref": self.warning_ref,
            "labels": list(self.labels),
            "notice": _copy_notice(self.notice),
        }


def _copy_notice(notice: dict[str, Any] | None) -> dict[str, Any] | None:
    if notice is None:
        return None
    return {k: list(v) if isinstance(v, list) else v for k, v in notice.items()}


def _decision_id() -> str:
    return new_id()


def _warning_ref(now: float) -> str:
    day = datetime.fromtimestamp(now, UTC).strftime("%Y%m%d")
    return f"FW{day}{new_id()[-14:].upper()}"


def _payment_keys(rt: CheckRuntime, req: PaymentCheckRequest) -> tuple[str, str, list[str], float]:
    """Validate; (payer hash, payee hash, person hashes, now)."""
    if req.amount_fen <= 0:
        raise CheckError("amount_fen: must be a positive number of fen")
    if not req.payer_account.strip() or not req.payee_account.strip():
        raise CheckError("payer_account/payee_account: required")
    now = rt.clock.now().timestamp()
    payer_h = rt.key("account", req.payer_account)
    payee_h = rt.key("account", req.payee_account)
    persons = [rt.key("phone", req.payer_phone)] if req.payer_phone else []
    return payer_h, payee_h, persons, now


def _redis_shared(rt: CheckRuntime) -> bool:
    return (
        rt.redis is not None
        and isinstance(rt.index, RedisIndex)
        and isinstance(rt.state, RedisState)
    )


def _registry_locations(
    index: RedisIndex, payee_h: str, payer_h: str
) -> tuple[str, bytes, str, bytes]:
    return (*index.location(payee_h), *index.location(payer_h))


def check_payment(rt: CheckRuntime, req: PaymentCheckRequest, org: str = "-") -> CheckResult:
    t0 = time.perf_counter()
    payer_h, payee_h, persons, now = _payment_keys(rt, req)
    if _redis_shared(rt):
        index, state = rt.index, rt.state
        loc = _registry_locations(index, payee_h, payer_h)

        def build() -> Any:
            pipe = state.batch()
            state.queue_payment(pipe, payer_h, payee_h, persons, req.amount_fen, now, loc)
            return pipe

        raw = state.execute(build)[-1]
        payee, payer = RedisIndex.decode(raw[5]), RedisIndex.decode(raw[6])
        st = RedisState.decode_payment(raw)
    else:
        payee, payer = rt.index.get(payee_h), rt.index.get(payer_h)
        st = rt.state.payment_read(payer_h, payee_h, persons, req.amount_fen, now)
    out, commit = _payment_decide(rt, req, org, t0, now, payer_h, payee_h, payee, payer, st)
    if commit:
        rt.state.commit_payee(payer_h, payee_h)
    return out


async def check_payment_async(
    rt: CheckRuntime, req: PaymentCheckRequest, org: str = "-"
) -> CheckResult:
    """:func:`check_payment` for an event loop: with Redis shared state (and an auto-pipelined
    connection, ``RedisState.aio``) the round trip is awaited, so the worker serves other requests
    meanwhile and concurrent checks share one write; the payee commit rides along with the
    connection's next write (within ``COMMIT_DEFER_S``). Otherwise
    (in-process state) it is the synchronous check."""
    state = rt.state
    if not (_redis_shared(rt) and state.aio is not None):  # type: ignore[union-attr]
        return check_payment(rt, req, org)
    t0 = time.perf_counter()
    payer_h, payee_h, persons, now = _payment_keys(rt, req)
    loc = _registry_locations(rt.index, payee_h, payer_h)  # type: ignore[arg-type]
    raw = await state.payment_read_async(  # type: ignore[union-attr]
        payer_h, payee_h, persons, req.amount_fen, now, loc
    )
    payee, payer = RedisIndex.decode(raw[5]), RedisIndex.decode(raw[6])
    st = RedisState.decode_payment(raw)
    out, commit = _payment_decide(rt, req, org, t0, now, payer_h, payee_h, payee, payer, st)
    if commit:
        await state.commit_payee_async(payer_h, payee_h)  # type: ignore[union-attr]
    return out


def _payment_decide(
    rt: CheckRuntime,
    req: PaymentCheckRequest,
    org: str,
    t0: float,
    now: float,
    payer_h: str,
    payee_h: str,
    payee: IndexHit | None,
    payer: IndexHit | None,
    st: Any,
) -> tuple[CheckResult, bool]:
    """Rules → result (logged); and whether the payee is to be committed as known."""
    ctx = payment_context(
        amount_fen=req.amount_fen, channel=req.channel, now=now, payee=payee, payer=payer, state=st
    )
    result = rt.engine.decide(ctx)
    live = result.live
    warning_ref = _warning_ref(now) if live.warn else None
    notice = None
    if live.outcome.rank >= Outcome.HOLD_REVIEW.rank:
        notice = restriction_notice("account", live.reasons[0])
    labels = []
    if payee is not None and payee.fraud_type is not None:
        labels.append(payee.fraud_type.value)
    latency = (time.perf_counter() - t0) * 1000.0
    out = CheckResult(
        decision_id=_decision_id(),
        outcome=live.outcome.value,
        outcome_label=live.outcome.label,
        reasons=live.reasons,
        rule_version=live.version,
        latency_ms=round(latency, 3),
        warning_ref=warning_ref,
        labels=labels,
        notice=notice,
    )
    _log(
        rt,
        "payment",
        out,
        org,
        {"payer": payer_h[:16], "payee": payee_h[:16]},
        live.rule_ids,
        result,
    )
    return out, live.outcome in _COMMITTING


def _log(
    rt: CheckRuntime,
    check: str,
    out: CheckResult,
    org: str,
    inputs: dict[str, str],
    rules: list[str],
    result: Any = None,
) -> None:
    if rt.log is None:
        return
    rec: dict[str, Any] = {
        "id": out.decision_id,
        "at": time.time(),
        "check": check,
        "org": org,
        "inputs": inputs,
        "version": out.rule_version,
        "outcome": out.outcome,
        "rules": rules,
        "latency_ms": out.latency_ms,
    }
    if out.warning_ref:
        rec["warning_ref"] = out.warning_ref
    if result is not None and result.shadow is not None:
        sh = result.shadow
        rec["shadow"] = {"version": sh.version, "outcome": sh.outcome.value, "rules": sh.rule_ids}
        rec["shadow_differs"] = result.differs
    rt.log.write(rec)


# ---------------------------------------------------------------------------- call / SMS check
@dataclass
class CallCheckRequest:
    caller: str
    callee: str
    channel: str = "call"  # or "sms"


def check_call(rt: CheckRuntime, req: CallCheckRequest, org: str = "-") -> CheckResult:
    """Operator check before connecting a call or delivering an SMS: block, label or allow.

    A listed caller also records an exposure on the callee, which later payment checks read.
    """
    t0 = time.perf_counter()
    if req.channel not in ("call", "sms"):
        raise CheckError("channel: expected 'call' or 'sms'")
    info = analyse(req.caller, req.callee)
    now = rt.clock.now().timestamp()
    labels: list[str] = []
    reasons: list[str] = []
    outcome = "allow"
    hit = None
    caller_h = ""
    if not info.malformed:
        caller_h = rt.key("phone", info.normalised)
        hit = rt.lookup(caller_h)
    callee_h = rt.key("phone", req.callee)
    what = "来电" if req.channel == "call" else "短信"
    if info.malformed:
        outcome = "block"
        labels.append("号码异常")
        reasons.append(f"主叫号码格式异常（{info.note}），依法拦截。")
    elif info.spoofed:
        outcome = "block"
        labels.append("疑似伪造主叫")
        reasons.append(f"{info.note}，依法拦截。")
    if hit is not None and hit.grade >= RiskLevel.HIGH:
        outcome = "block"
        labels.append("疑似诈骗")
        reasons.append(f"主叫号码为高风险涉诈号码，已拦截该{what}。")
    elif hit is not None and hit.grade >= RiskLevel.MEDIUM:
        outcome = "label" if outcome == "allow" else outcome
        labels.append("疑似诈骗")
        reasons.append(f"主叫号码存在涉诈风险记录，请谨慎对待该{what}。")
    elif hit is not None:
        outcome = "label" if outcome == "allow" else outcome
        labels.append("风险号码")
        reasons.append("主叫号码存在风险记录。")
    if hit is not None and hit.fraud_type is not None:
        labels.append(hit.fraud_type.value)
    if info.foreign and not info.malformed:
        outcome = "label" if outcome == "allow" else outcome
        labels.append(f"境外{what}（{info.country}）")
        reasons.append(f"该{what}来自境外（{info.country}），公检法、客服不会用境外号码联系您。")
    if info.virtual and outcome == "allow":
        outcome = "label"
        labels.append("虚拟运营商号段")
    if hit is not None:
        rt.state.record_exposure(callee_h, req.channel, int(hit.grade), now)
    out = CheckResult(
        decision_id=_decision_id(),
        outcome=outcome,
        outcome_label={"allow": "放行", "label": "标记提示", "block": "拦截"}[outcome],
        reasons=reasons,
        rule_version="call-v1",
        latency_ms=round((time.perf_counter() - t0) * 1000.0, 3),
        labels=labels,
    )
    _log(rt, req.channel, out, org, {"caller": caller_h[:16], "callee": callee_h[:16]}, labels)
    return out


# ---------------------------------------------------------------------------- exposures
_EXPOSURE_TARGET = {"url": IdKind.URL, "app": IdKind.APP, "call": IdKind.PHONE, "sms": IdKind.PHONE}


def record_exposure(
    rt: CheckRuntime, number: str, kind: str, target: str, account: str | None = None
) -> IndexHit | None:
    """A number visited a URL / installed an app / was called: record it if the target is listed.

    ``account`` (optional) links the number to a bank account of the same real-name holder.
    """
    if kind not in _EXPOSURE_TARGET:
        raise CheckError(f"kind: expected one of {', '.join(_EXPOSURE_TARGET)}")
    person = rt.key("phone", number)
    if account:
        rt.state.link(rt.key("account", account), person)
    target_kind = _EXPOSURE_TARGET[kind]
    hit = rt.lookup(rt.key(target_kind, target))
    if hit is None and target_kind is IdKind.URL:
        hit = rt.lookup(rt.key("domain", _host(target)))
    if hit is not None:
        rt.state.record_exposure(person, kind, int(hit.grade), rt.clock.now().timestamp())
    return hit


def _host(url: str) -> str:
    s = url.strip().lower()
    if "://" in s:
        s = s.split("://", 1)[1]
    return s.split("/", 1)[0].split(":", 1)[0]


# ---------------------------------------------------------------------------- public lookup
_ADVICE = {
    RiskLevel.HIGH: "该{label}已被列为高风险涉诈对象。请立即停止联系，切勿转账或提供验证码；如已转账，请立即拨打110报警。",
    RiskLevel.MEDIUM: "该{label}存在涉诈风险记录。请核实对方真实身份，不要向陌生账户转账，不要下载陌生应用。",
    RiskLevel.LOW: "该{label}存在少量风险记录，请提高警惕，谨慎交易。",
    RiskLevel.NONE: "暂未发现该{label}的风险记录，但这不代表绝对安全：凡是要求转账到“安全账户”、索要验证码、屏幕共享的，都是诈骗。",
}
PUBLIC_KINDS = (
    IdKind.PHONE,
    IdKind.ACCOUNT,
    IdKind.URL,
    IdKind.DOMAIN,
    IdKind.QQ,
    IdKind.WECHAT,
    IdKind.APP,
)


class RateLimited(Exception):
    pass


def public_lookup(rt: CheckRuntime, kind: str, value: str, client: str) -> dict[str, Any]:
    """风险查询: risk level and advice; never says who reported it."""
    t0 = time.perf_counter()
    k = parse_kind(kind)
    if k not in PUBLIC_KINDS:
        raise CheckError(f"kind: public lookup supports {', '.join(x.value for x in PUBLIC_KINDS)}")
    if not value.strip():
        raise CheckError("value: empty")
    now = rt.clock.now().timestamp()
    if not rt.state.rate_hit(f"pub:{client}", rt.public_rate_per_minute, 60, now):
        raise RateLimited("查询过于频繁，请稍后再试。")
    h = rt.key(k, value)
    hit = rt.lookup(h)
    if hit is None and k is IdKind.URL:
        hit = rt.lookup(rt.key("domain", _host(value)))
    level = hit.grade if hit else RiskLevel.NONE
    label = ID_KIND_LABELS[k]
    out = {
        "kind": k.value,
        "risk_level": int(level),
        "risk_label": level.label,
        "fraud_type": hit.fraud_type.value if hit and hit.fraud_type else None,
        "advice": _ADVICE[level].format(label=label),
        "report_hint": "如发现诈骗线索，可通过国家反诈中心App或拨打96110举报。",
    }
    if rt.log is not None:
        rt.log.write(
            {
                "id": _decision_id(),
                "at": time.time(),
                "check": "lookup",
                "org": "public",
                "inputs": {k.value: h[:16]},
                "version": "lookup-v1",
                "outcome": level.name.lower(),
                "rules": [],
                "latency_ms": round((time.perf_counter() - t0) * 1000.0, 3),
            }
        )
    return out


# ---------------------------------------------------------------------------- building a runtime
def build_runtime(
    settings: Any,
    clock: Clock | None = None,
    live: RuleSet | None = None,
    shadow: RuleSet | None = None,
    index: MemoryIndex | RedisIndex | None = None,
    log_dir: Path | None = None,
    namespace: str | None = None,
) -> CheckRuntime:
    """Runtime from settings: Redis state and index when ``redis_url`` is set, in-process otherwise.

    Environment: ``FANZHA_RULESET`` (live rule set file, default the shipped one),
    ``FANZHA_SHADOW_RULESET`` (candidate run in shadow mode), ``FANZHA_REGISTRY_SNAPSHOT`` (a
    directory of ``keys.npy``/``info.npy`` to memory-map instead of loading from the database).
    """
    if live is None:
        path = os.environ.get("FANZHA_RULESET")
        live = load_ruleset(path) if path else default_ruleset()
    if shadow is None and os.environ.get("FANZHA_SHADOW_RULESET"):
        shadow = load_ruleset(os.environ["FANZHA_SHADOW_RULESET"])
    ns = namespace or os.environ.get("FANZHA_REDIS_NAMESPACE", "fanzha")
    redis_client = None
    state: OnlineState
    if settings.redis_url:
        import redis

        from fanzha.decide.aio_redis import from_client

        redis_client = redis.Redis.from_url(settings.redis_url)
        state = RedisState(redis_client, ns)
        state.aio = from_client(redis_client)
        index = index or RedisIndex(redis_client, ns)
    else:
        state = MemoryState()
        if index is None:
            snap = os.environ.get("FANZHA_REGISTRY_SNAPSHOT")
            index = MemoryIndex.load(Path(snap)) if snap else load_memory_index(settings)
    log = DecisionLog(log_dir or Path(settings.data_dir) / "decisions")
    return CheckRuntime(
        secret=settings.secret_bytes,
        index=index,
        state=state,
        engine=RuleEngine(live, shadow),
        log=log,
        clock=clock or SystemClock(),
        redis=redis_client,
        public_rate_per_minute=int(getattr(settings, "public_lookup_rate_per_minute", 30)),
    )


def load_memory_index(settings: Any) -> MemoryIndex:
    """Active registry entries from the database into a fresh in-process index."""
    import numpy as np
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from fanzha.registry.keys import hash_prefix
    from fanzha.registry.service import RegistryService
    from fanzha.store.db import get_engine, session_scope

    prefixes: list[int] = []
    infos: list[int] = []
    try:
        with session_scope(get_engine(settings.effective_database_url)) as s:
            for h, info in RegistryService(s, settings.secret_bytes).active_index_rows():
                prefixes.append(hash_prefix(h))
                infos.append(info)
    except (OperationalError, ProgrammingError):  # tables not migrated yet: empty registry
        return MemoryIndex()
    return MemoryIndex.build(np.array(prefixes, dtype=np.int64), np.array(infos, dtype=np.uint16))
