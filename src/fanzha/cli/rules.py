"""``fanzha rules``: validate rule sets, backtest them on the lake, compare shadow runs."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="决策规则: 校验、回测、影子运行报告。", no_args_is_help=True)
console = Console()


def _load(path: Path | None):  # noqa: ANN202
    from fanzha.decide.rules import RuleSetError, default_ruleset, load_ruleset

    try:
        return load_ruleset(path) if path else default_ruleset()
    except RuleSetError as exc:
        console.print(f"[red]规则集无效：{exc}[/red]")
        raise typer.Exit(1) from None


@app.command("validate")
def validate(
    ruleset: Path = typer.Argument(None, help="YAML 规则集（默认：内置 default-v1）"),
    list_variables: bool = typer.Option(False, help="列出规则可用的变量"),
) -> None:
    """校验规则集：语法、变量名、结果取值。"""
    from fanzha.decide.rules import PAYMENT_VARIABLES

    rs = _load(ruleset)
    console.print(f"[green]有效[/green] {rs.label}：{len(rs.rules)} 条规则")
    t = Table("规则", "条件", "结果", "预警")
    for r in rs.rules:
        t.add_row(r.id, r.when, r.outcome.value, "是" if r.warn else "")
    console.print(t)
    if list_variables:
        v = Table("变量", "含义")
        for name, meaning in PAYMENT_VARIABLES.items():
            v.add_row(name, meaning)
        console.print(v)


@app.command("backtest")
def backtest(
    lake: Path = typer.Option(None, help="事件湖目录（默认：数据目录下的 lake）"),
    ruleset: Path = typer.Option(None, help="规则集（默认：内置 default-v1）"),
    shadow: Path = typer.Option(None, help="候选规则集，与之对比"),
    since: datetime = typer.Option(None, help="起始时间（UTC）"),
    until: datetime = typer.Option(None, help="截止时间（UTC）"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """用历史转账回放规则集，统计各规则命中与各结果数量。"""
    from datetime import UTC

    from fanzha.decide.backtest import run_backtest
    from fanzha.decide.checks import load_memory_index
    from fanzha.settings import get_settings
    from fanzha.store.lake import EventLake

    settings = get_settings()
    rs = _load(ruleset)
    sh = _load(shadow) if shadow else None
    since = since.replace(tzinfo=UTC) if since and since.tzinfo is None else since
    until = until.replace(tzinfo=UTC) if until and until.tzinfo is None else until
    index = load_memory_index(settings)
    report = run_backtest(
        EventLake(lake or settings.lake_dir), rs, index, settings.secret_bytes, since, until, sh
    )
    out = report.as_dict()
    if as_json:
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    console.print(
        f"{rs.label}：{report.events} 笔转账，{report.seconds:.2f} 秒（{report.rate:,.0f} 笔/秒），"
        f"回放暴露 {report.exposures} 次，预警 {report.warnings} 次"
    )
    t = Table("结果", "笔数")
    for k, v in out["outcomes"].items():
        t.add_row(k, str(v))
    console.print(t)
    r = Table("规则", "命中")
    for k, v in out["rules"].items():
        r.add_row(k, str(v))
    console.print(r)
    if sh:
        console.print(
            f"影子 {sh.label}：{out['shadow']['outcomes']}，差异 {out['shadow']['differences']} 笔"
        )


@app.command("shadow-report")
def shadow_report_cmd(
    log_dir: Path = typer.Option(None, help="决策日志目录（默认：数据目录下的 decisions）"),
) -> None:
    """汇总决策日志中线上规则与影子规则的差异。"""
    from fanzha.decide.log import shadow_report
    from fanzha.settings import get_settings

    directory = log_dir or get_settings().data_dir / "decisions"
    if not directory.exists():
        console.print(f"[red]没有决策日志：{directory}[/red]")
        raise typer.Exit(1)
    typer.echo(json.dumps(shadow_report(directory), ensure_ascii=False, indent=2))
