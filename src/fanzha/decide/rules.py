"""Versioned rule sets in YAML, compiled once, evaluated per check; optional shadow rule set.

A rule set file::

    name: default
    version: v1
    rules:
      - id: payee_case_account
        when: "payee.case_account"
        outcome: block
        warn: true
        reason: 收款账户已被列为涉案账户，交易已拦截。

The decision is the most severe outcome among the rules that fire; reasons come from every fired
rule, most severe first. On the hot path all tests of a rule set run as one generated function
(:func:`fanzha.decide.expr.compile_all`) and each distinct set of fired rules is resolved once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from fanzha.decide.expr import Compiler, ExprError, Fn, compile_all
from fanzha.domain.taxonomy import RiskLevel


class Outcome(StrEnum):
    ALLOW = "allow"
    REMIND = "remind"
    DELAY_2H = "delay_2h"
    DELAY_24H = "delay_24h"
    HOLD_REVIEW = "hold_review"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_RANK = {o: i for i, o in enumerate(Outcome)}
_LABELS = {
    Outcome.ALLOW: "放行",
    Outcome.REMIND: "风险提醒",
    Outcome.DELAY_2H: "延迟2小时到账",
    Outcome.DELAY_24H: "延迟24小时到账",
    Outcome.HOLD_REVIEW: "暂停交易，人工复核",
    Outcome.BLOCK: "拦截交易",
}

# Variables a payment rule may read (name → meaning). Unknown names fail validation.
PAYMENT_VARIABLES: dict[str, str] = {
    "amount_fen": "转账金额（分）",
    "hour": "北京时间小时 0–23",
    "night": "是否夜间（0–6 时）",
    "channel": "交易渠道",
    "payee_new": "付款人此前未成功向该收款人转账",
    "payee.listed": "收款账户在名单中且限制生效",
    "payee.grade": "收款账户风险等级 0–3",
    "payee.case_account": "收款账户为涉案账户（2001/3004）",
    "payee.code": "收款账户可疑名单代码",
    "payee.fraud_type": "收款账户关联诈骗类型",
    "payer.listed": "付款账户在名单中",
    "payer.grade": "付款账户风险等级 0–3",
    "payer.case_account": "付款账户为涉案账户（2001/3005）",
    "exposure.hours_since_high": "距最近一次高风险接触的小时数（无则很大）",
    "exposure.hours_since_any": "距最近一次任何风险接触的小时数（无则很大）",
    "exposure.calls_24h": "24小时内来自名单号码的来电数",
    "exposure.sms_24h": "24小时内涉诈短信数",
    "exposure.url_24h": "24小时内访问涉诈网址数",
    "exposure.app_24h": "24小时内安装涉诈应用数",
    "exposure.high_24h": "24小时内高风险接触数",
    "velocity.count_1h": "此前1小时内转账笔数",
    "velocity.count_24h": "此前24小时内转账笔数",
    "velocity.amount_24h_fen": "此前24小时内转账总额（分）",
}
CONSTANTS: dict[str, Any] = {lvl.name: int(lvl) for lvl in RiskLevel} | {
    "true": True,
    "false": False,
}


class RuleSetError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    id: str
    when: str
    outcome: Outcome
    reason: str
    warn: bool
    test: Fn = field(repr=False, compare=False)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    reasons: list[str]
    rule_ids: list[str]
    warn: bool
    version: str

    @property
    def key(self) -> tuple[str, tuple[str, ...]]:
        return self.outcome.value, tuple(self.rule_ids)


@dataclass(frozen=True)
class RuleSet:
    name: str
    version: str
    rules: tuple[Rule, ...]
    description: str = ""
    # all rule tests as one generated function (expr.compile_all); None = the per-rule closures
    fired: Callable[[Mapping[str, Any]], list[int]] | None = field(
        default=None, repr=False, compare=False
    )
    _decisions: dict[tuple[int, ...], tuple[Any, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def label(self) -> str:
        return f"{self.name}-{self.version}"

    def evaluate_columns(self, cols: Mapping[str, Any], n: int) -> tuple[Any, Any]:
        """Vectorised: (outcome rank per row, bool matrix rules × rows of which rules fired)."""
        import numpy as np

        from fanzha.decide.expr import VectorCompiler

        masks = np.zeros((len(self.rules), n), dtype=bool)
        for k, rule in enumerate(self.rules):
            test = VectorCompiler(PAYMENT_VARIABLES, CONSTANTS).compile(rule.when)
            masks[k] = np.broadcast_to(np.asarray(test(cols), dtype=bool), (n,))
        ranks = np.array([r.outcome.rank for r in self.rules], dtype=np.int8)
        rank = np.zeros(n, dtype=np.int8)
        for k in range(len(self.rules)):
            rank = np.where(masks[k], np.maximum(rank, ranks[k]), rank)
        return rank, masks

    def evaluate(self, ctx: Mapping[str, Any]) -> Decision:
        if self.fired is not None:
            idx = tuple(self.fired(ctx))
        else:
            idx = tuple(k for k, rule in enumerate(self.rules) if rule.test(ctx))
        if not idx:
            return Decision(Outcome.ALLOW, [], [], False, self.label)
        parts = self._decisions.get(idx)
        if parts is None:  # a few distinct combinations: computed once each
            fired = sorted((self.rules[k] for k in idx), key=lambda r: -r.outcome.rank)
            parts = (
                max((r.outcome for r in fired), key=lambda o: o.rank),
                tuple(r.reason for r in fired),
                tuple(r.id for r in fired),
                any(r.warn for r in fired),
            )
            if len(self._decisions) < 4096:
                self._decisions[idx] = parts
        best, reasons, ids, warn = parts
        return Decision(best, list(reasons), list(ids), warn, self.label)


def parse_ruleset(data: Any, variables: Mapping[str, str] = PAYMENT_VARIABLES) -> RuleSet:
    if not isinstance(data, dict):
        raise RuleSetError("rule set: expected a mapping with name, version, rules")
    for key in ("name", "version", "rules"):
        if key not in data:
            raise RuleSetError(f"rule set: missing {key!r}")
    rules = []
    seen: set[str] = set()
    for i, raw in enumerate(data["rules"] or [], start=1):
        where = f"rule #{i}"
        if not isinstance(raw, dict):
            raise RuleSetError(f"{where}: expected a mapping")
        rid = str(raw.get("id") or "")
        if not rid:
            raise RuleSetError(f"{where}: missing id")
        where = f"rule {rid!r}"
        if rid in seen:
            raise RuleSetError(f"{where}: duplicate id")
        seen.add(rid)
        for key in ("when", "outcome", "reason"):
            if not raw.get(key):
                raise RuleSetError(f"{where}: missing {key!r}")
        try:
            outcome = Outcome(raw["outcome"])
        except ValueError:
            raise RuleSetError(
                f"{where}: outcome {raw['outcome']!r} not one of {', '.join(Outcome)}"
            ) from None
        try:
            test = Compiler(variables, CONSTANTS).compile(str(raw["when"]))
        except ExprError as exc:
            raise RuleSetError(f"{where}: {exc}") from None
        rules.append(
            Rule(rid, str(raw["when"]), outcome, str(raw["reason"]), bool(raw.get("warn")), test)
        )
    try:
        fired = compile_all([r.when for r in rules], variables, CONSTANTS)
    except (ExprError, SyntaxError, RecursionError, MemoryError):  # pragma: no cover - closures
        fired = None
    return RuleSet(
        str(data["name"]),
        str(data["version"]),
        tuple(rules),
        str(data.get("description", "")),
        fired,
    )


def load_ruleset(path: Path | str) -> RuleSet:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RuleSetError(f"{path}: not valid YAML ({exc})") from None
    return parse_ruleset(data)


def default_ruleset_path() -> Path:
    return Path(str(resources.files("fanzha.decide") / "rulesets" / "default-v1.yaml"))


def default_ruleset() -> RuleSet:
    return load_ruleset(default_ruleset_path())


@dataclass(frozen=True)
class ShadowResult:
    live: Decision
    shadow: Decision | None

    @property
    def differs(self) -> bool:
        return self.shadow is not None and self.shadow.key != self.live.key


class RuleEngine:
    """The live rule set acts; a candidate set, when given, is evaluated beside it (shadow mode)."""

    def __init__(self, live: RuleSet, shadow: RuleSet | None = None) -> None:
        self.live = live
        self.shadow = shadow

    def decide(self, ctx: Mapping[str, Any]) -> ShadowResult:
        live = self.live.evaluate(ctx)
        shadow = self.shadow.evaluate(ctx) if self.shadow is not None else None
        return ShadowResult(live, shadow)
