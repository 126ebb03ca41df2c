"""A tiny safe expression language for rules, compiled once into Python closures.

Expressions are parsed with :mod:`ast` and only a whitelist of nodes is accepted: literals, names
and dotted names (``payee.grade``) that must be known variables, ``and/or/not``, comparisons
(including ``in`` against a literal list), ``+ - * / %``, ``x if c else y`` and calls of a few pure
functions (``yuan``, ``hours``, ``minutes``, ``min``, ``max``, ``abs``). Nothing is ever passed to
``eval``; attribute access on objects is impossible (dotted names are flat context keys).
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

Ctx = Mapping[str, Any]
Fn = Callable[[Ctx], Any]


class ExprError(ValueError):
    pass


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "yuan": lambda x: int(round(x * 100)),  # yuan → fen
    "hours": lambda x: float(x),  # readability: within_hours <= hours(2)
    "minutes": lambda x: float(x) / 60.0,
    "min": min,
    "max": max,
    "abs": abs,
}

_CMP: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
_BIN: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
}


def _and(a: Fn, b: Fn) -> Fn:
    return lambda ctx: bool(a(ctx)) and bool(b(ctx))


def _or(a: Fn, b: Fn) -> Fn:
    return lambda ctx: bool(a(ctx)) or bool(b(ctx))


def _dotted(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


class Compiler:
    def __init__(
        self,
        variables: Mapping[str, object] | None = None,
        constants: Mapping[str, Any] | None = None,
    ) -> None:
        self.variables = variables  # None = accept any name
        self.constants = dict(constants or {})
        self.used: set[str] = set()

    def compile(self, source: str) -> Fn:
        if len(source) > 2000:
            raise ExprError("expression too long")
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except SyntaxError as exc:
            raise ExprError(f"syntax error in {source!r}: {exc.msg}") from None
        return self._c(tree.body)

    def _c(self, node: ast.AST) -> Fn:  # noqa: C901 - one branch per whitelisted node
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, int | float | str | bool | type(None)):
                raise ExprError(f"literal {node.value!r} not allowed")
            v = node.value
            return lambda ctx: v
        if isinstance(node, ast.Name | ast.Attribute):
            name = _dotted(node)
            if name is None:
                raise ExprError("only plain dotted names may be used")
            if name in self.constants:
                c = self.constants[name]
                return lambda ctx: c
            if self.variables is not None and name not in self.variables:
                raise ExprError(f"unknown variable {name!r}")
            self.used.add(name)
            return lambda ctx: ctx[name]
        if isinstance(node, ast.BoolOp):
            parts = [self._c(v) for v in node.values]
            fn = parts[0]
            for nxt in parts[1:]:  # nested closures: no generator per evaluation
                fn = _and(fn, nxt) if isinstance(node.op, ast.And) else _or(fn, nxt)
            return fn
        if isinstance(node, ast.UnaryOp):
            inner = self._c(node.operand)
            if isinstance(node.op, ast.Not):
                return lambda ctx: not inner(ctx)
            if isinstance(node.op, ast.USub):
                return lambda ctx: -inner(ctx)
            raise ExprError(f"operator {type(node.op).__name__} not allowed")
        if isinstance(node, ast.BinOp):
            op = _BIN.get(type(node.op))
            if op is None:
                raise ExprError(f"operator {type(node.op).__name__} not allowed")
            left, right = self._c(node.left), self._c(node.right)
            return lambda ctx: op(left(ctx), right(ctx))
        if isinstance(node, ast.Compare):
            return self._compare(node)
        if isinstance(node, ast.IfExp):
            test, body, other = self._c(node.test), self._c(node.body), self._c(node.orelse)
            return lambda ctx: body(ctx) if test(ctx) else other(ctx)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            items = []
            for elt in node.elts:
                if not isinstance(elt, ast.Constant):
                    raise ExprError("lists may hold literals only")
                items.append(elt.value)
            frozen = frozenset(items)
            return lambda ctx: frozen
        if isinstance(node, ast.Call):
            if (
                not isinstance(node.func, ast.Name)
                or node.func.id not in FUNCTIONS
                or node.keywords
            ):
                raise ExprError(f"call not allowed: {ast.unparse(node)}")
            fn = FUNCTIONS[node.func.id]
            args = [self._c(a) for a in node.args]
            if all(isinstance(a, ast.Constant) for a in node.args):  # fold constants
                v = fn(*(a(None) for a in args))  # type: ignore[arg-type]
                return lambda ctx: v
            return lambda ctx: fn(*(a(ctx) for a in args))
        raise ExprError(f"{type(node).__name__} not allowed in rules")

    def _compare(self, node: ast.Compare) -> Fn:
        first = self._c(node.left)
        pairs = []
        for op, comp in zip(node.ops, node.comparators, strict=True):
            f = _CMP.get(type(op))
            if f is None:
                raise ExprError(f"comparison {type(op).__name__} not allowed")
            pairs.append((f, self._c(comp)))
        if len(pairs) == 1:
            f0, right = pairs[0]
            return lambda ctx: f0(first(ctx), right(ctx))

        def chained(ctx: Ctx) -> bool:
            left = first(ctx)
            for f, right in pairs:
                r = right(ctx)
                if not f(left, r):
                    return False
                left = r
            return True

        return chained


def compile_expr(
    source: str,
    variables: Mapping[str, object] | None = None,
    constants: Mapping[str, Any] | None = None,
) -> Fn:
    return Compiler(variables, constants).compile(source)


# ---------------------------------------------------------------------------- vectorised form
VFn = Callable[[Mapping[str, Any]], Any]

_VFUNCS: dict[str, Callable[..., Any]] = {
    "yuan": lambda x: np.rint(np.asarray(x) * 100).astype(np.int64),
    "hours": lambda x: np.asarray(x, dtype=float),
    "minutes": lambda x: np.asarray(x, dtype=float) / 60.0,
    "min": np.minimum,
    "max": np.maximum,
    "abs": np.abs,
}


class VectorCompiler(Compiler):
    """The same language over columns (name → numpy array): one call evaluates every row.

    Used by the backtest; semantics match the scalar form (``and``/``or`` become element-wise).
    """

    def _c(self, node: ast.AST) -> Fn:  # noqa: C901
        if isinstance(node, ast.BoolOp):
            parts = [self._c(v) for v in node.values]
            op = np.logical_and if isinstance(node.op, ast.And) else np.logical_or

            def boolop(cols: Ctx) -> Any:
                out = parts[0](cols)
                for p in parts[1:]:
                    out = op(out, p(cols))
                return out

            return boolop
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self._c(node.operand)
            return lambda cols: np.logical_not(inner(cols))
        if isinstance(node, ast.IfExp):
            test, body, other = self._c(node.test), self._c(node.body), self._c(node.orelse)
            return lambda cols: np.where(test(cols), body(cols), other(cols))
        if isinstance(node, ast.Compare):
            first = self._c(node.left)
            pairs = []
            for op, comp in zip(node.ops, node.comparators, strict=True):
                if isinstance(op, ast.In | ast.NotIn):
                    if not isinstance(comp, ast.List | ast.Tuple | ast.Set):
                        raise ExprError("'in' needs a literal list")
                    values = [e.value for e in comp.elts if isinstance(e, ast.Constant)]
                    neg = isinstance(op, ast.NotIn)
                    pairs.append(
                        (lambda a, _v, vals=values, n=neg: np.isin(a, vals, invert=n), None)
                    )
                    continue
                f = _CMP.get(type(op))
                if f is None:
                    raise ExprError(f"comparison {type(op).__name__} not allowed")
                pairs.append((f, self._c(comp)))

            def compare(cols: Ctx) -> Any:
                left = first(cols)
                out = None
                for f, right in pairs:
                    r = right(cols) if right is not None else None
                    res = f(left, r)
                    out = res if out is None else np.logical_and(out, res)
                    left = r
                return out

            return compare
        if isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in _VFUNCS or node.keywords:
                raise ExprError(f"call not allowed: {ast.unparse(node)}")
            if all(isinstance(a, ast.Constant) for a in node.args):
                v = FUNCTIONS[node.func.id](*(a.value for a in node.args))  # type: ignore[attr-defined]
                return lambda cols: v
            fn = _VFUNCS[node.func.id]
            args = [self._c(a) for a in node.args]
            return lambda cols: fn(*(a(cols) for a in args))
        return super()._c(node)


def compile_vector(
    source: str,
    variables: Mapping[str, object] | None = None,
    constants: Mapping[str, Any] | None = None,
) -> Fn:
    return VectorCompiler(variables, constants).compile(source)


# ---------------------------------------------------------------------------- one function per rule set
_CMP_SRC: dict[type, str] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.In: "in",
    ast.NotIn: "not in",
}
_BIN_SRC: dict[type, str] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Mod: "%"}


class _SourceCompiler:
    """Translates an expression the closure :class:`Compiler` has already accepted into Python
    source over ``ctx``. Values that are not plain literals (constants, folded calls, literal
    sets, functions) are bound as globals ``_g<n>`` of the generated function; no name from the
    rule text ever reaches the generated code except as a quoted ``ctx`` key."""

    def __init__(self, constants: Mapping[str, Any]) -> None:
        self.constants = constants
        self.env: dict[str, Any] = {}

    def _bind(self, value: Any) -> str:
        name = f"_g{len(self.env)}"
        self.env[name] = value
        return name

    def _lit(self, v: Any) -> str:
        if v is None or isinstance(v, bool | int | str):
            return repr(v)
        return self._bind(v)  # floats (inf, nan) and anything else: bound, not printed

    def test(self, node: ast.AST) -> str:
        """Source whose truthiness is the expression's (``and``/``or`` need not make a bool)."""
        if isinstance(node, ast.BoolOp):
            op = " and " if isinstance(node.op, ast.And) else " or "
            return "(" + op.join(self.test(v) for v in node.values) + ")"
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return f"(not {self.test(node.operand)})"
        return self.value(node)

    def value(self, node: ast.AST) -> str:  # noqa: C901 - mirrors Compiler._c
        if isinstance(node, ast.Constant):
            return self._lit(node.value)
        if isinstance(node, ast.Name | ast.Attribute):
            name = _dotted(node)
            assert name is not None
            if name in self.constants:
                return self._lit(self.constants[name])
            return f"ctx[{name!r}]"
        if isinstance(node, ast.BoolOp):  # the closures return a real bool
            return f"(True if {self.test(node)} else False)"
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return f"(not {self.test(node.operand)})"
            return f"(-{self.value(node.operand)})"
        if isinstance(node, ast.BinOp):
            op = _BIN_SRC[type(node.op)]
            return f"({self.value(node.left)} {op} {self.value(node.right)})"
        if isinstance(node, ast.Compare):
            parts = [self.value(node.left)]
            for op, comp in zip(node.ops, node.comparators, strict=True):
                parts += [_CMP_SRC[type(op)], self.value(comp)]
            src = " ".join(parts)
            # the closures return a real bool for chains too
            return f"({src})" if len(node.ops) == 1 else f"(True if {src} else False)"
        if isinstance(node, ast.IfExp):
            return f"({self.value(node.body)} if {self.test(node.test)} else {self.value(node.orelse)})"
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return self._bind(frozenset(e.value for e in node.elts))  # type: ignore[attr-defined]
        if isinstance(node, ast.Call):
            fn = FUNCTIONS[node.func.id]  # type: ignore[attr-defined]
            if all(isinstance(a, ast.Constant) for a in node.args):  # folded, as the closures do
                return self._lit(fn(*(a.value for a in node.args)))  # type: ignore[attr-defined]
            return f"{self._bind(fn)}({', '.join(self.value(a) for a in node.args)})"
        raise ExprError(f"{type(node).__name__} not allowed in rules")  # pragma: no cover


def compile_all(
    sources: list[str],
    variables: Mapping[str, object] | None = None,
    constants: Mapping[str, Any] | None = None,
) -> Callable[[Ctx], list[int]]:
    """One Python function testing every expression in order: ``ctx → indices that hold``.

    Same language and results as :func:`compile_expr` per expression (each is validated by it
    first), but one call instead of a tree of closures per rule: several times faster on the hot
    path."""
    consts = dict(constants or {})
    sc = _SourceCompiler(consts)
    lines = ["def _fired(ctx):", "    out = []"]
    for i, source in enumerate(sources):
        Compiler(variables, consts).compile(source)  # validation (raises ExprError)
        tree = ast.parse(source.strip(), mode="eval")
        lines.append(f"    if {sc.test(tree.body)}:")
        lines.append(f"        out.append({i})")
    lines.append("    return out")
    env: dict[str, Any] = {"__builtins__": {"True": True, "False": False}, **sc.env}
    exec(compile("\n".join(lines), "<ruleset>", "exec"), env)  # noqa: S102 - generated from a whitelisted AST
    return env["_fired"]
