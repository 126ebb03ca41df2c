"""``fanzha detect``: run the behaviour detectors over the event lake and write findings."""

from __future__ import annotations

from datetime import UTC, datetime

import typer
from rich.console import Console

app = typer.Typer(help="行为检测：号码、账户与卡/账户治理。", no_args_is_help=True)
console = Console(stderr=True)


def _parse(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        console.print(
            f"[red]错误[/red]: {name}: 无法识别的时间 {value!r}（示例 2026-05-01T00:00:00+08:00）"
        )
        raise typer.Exit(2) from None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


@app.command("run")
def run_cmd(
    since: str | None = typer.Option(None, "--since", help="ISO time, inclusive"),
    until: str | None = typer.Option(None, "--until", help="ISO time, exclusive (default now)"),
) -> None:
    """Number rules, account typologies/3006-3008, governance checks → <data_dir>/findings/*.parquet."""
    from fanzha.detect.findings import write_findings
    from fanzha.detect.runner import run_detectors
    from fanzha.domain.clock import SystemClock
    from fanzha.domain.limits import load_limits
    from fanzha.settings import get_settings
    from fanzha.store.lake import EventLake

    settings = get_settings()
    now = SystemClock().now()
    t0, t1 = _parse(since, "--since"), _parse(until, "--until") or now
    findings = run_detectors(EventLake(settings.lake_dir), t0, t1, now, load_limits())
    path = write_findings(findings, settings.data_dir, now)
    by: dict[str, int] = {}
    for f in findings:
        by[f.detector] = by.get(f.detector, 0) + 1
    summary = "，".join(f"{k} {v}" for k, v in sorted(by.items())) or "无"
    console.print(f"检测完成：共 {len(findings)} 条发现（{summary}）")
    if path:
        console.print(f"已写入 {path}")
