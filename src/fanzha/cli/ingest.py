"""``fanzha ingest KIND FILE…``: CSV, JSONL or Parquet into the event lake."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

console = Console(stderr=True)


def ingest(
    kind: str = typer.Argument(..., help="事件类型: call, sms, transfer, ..."),
    files: list[Path] = typer.Argument(..., exists=True, dir_okay=False, help="CSV/JSONL/Parquet"),
    org: str = typer.Option(None, "--org", help="文件中没有 source_org 时使用的机构"),
    tz: str = typer.Option(None, "--tz", help="无时区时间的时区 (默认 Asia/Shanghai)"),
    batch_rows: int = typer.Option(1_000_000, "--batch-rows", min=1),
    quiet: bool = typer.Option(False, "--quiet", "-q"),
) -> None:
    """导入事件文件：校验、去重，拒收记录进入死信库。"""
    import json

    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    from fanzha.domain.events import EVENT_TYPES
    from fanzha.ingest.service import ingest_files
    from fanzha.settings import get_settings
    from fanzha.store.migrate import upgrade

    if kind not in EVENT_TYPES:
        console.print(f"[red]未知事件类型 {kind}；可选: {', '.join(EVENT_TYPES)}[/red]")
        raise typer.Exit(2)
    get_settings().ensure_dirs()
    upgrade()
    total = sum(f.stat().st_size for f in files)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=quiet,
        transient=True,
    ) as bar:
        task = bar.add_task(f"导入 {kind}", total=total)
        report = ingest_files(
            kind,
            files,
            org=org,
            tz=tz,
            batch_rows=batch_rows,
            progress=lambda n: bar.advance(task, n),
        )
    typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    console.print(
        f"接收 {report.accepted} 条，重复 {report.duplicate} 条，拒收 {report.rejected} 条"
        + (f"；忽略列: {', '.join(report.ignored_columns)}" if report.ignored_columns else "")
    )
