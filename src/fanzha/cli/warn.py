"""``fanzha warn``: turn exposures into warnings, work the queue, see the metrics."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from fanzha.access.principal import PLATFORM_OPERATOR
from fanzha.settings import get_settings

app = typer.Typer(help="预警劝阻: exposures → warnings → tasks → outcomes.", no_args_is_help=True)
console = Console()


def _service(session, now: datetime | None = None):  # noqa: ANN001, ANN202
    from fanzha.domain.clock import FixedClock, SystemClock
    from fanzha.warn.service import WarningService

    clock = FixedClock(now) if now else SystemClock()
    return WarningService(session, get_settings().secret_bytes, clock)


def _read_listed(path: Path):  # noqa: ANN202
    import pandas as pd

    df = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path, dtype=str)
    missing = {"kind", "value", "grade", "fraud_type"} - set(df.columns)
    if missing:
        raise typer.BadParameter(f"listed: 缺少列 {', '.join(sorted(missing))}")
    df["grade"] = df["grade"].astype(int)
    return df


@app.command("run")
def run(
    listed: Path = typer.Option(..., exists=True, help="涉诈名单 (kind,value,grade,fraud_type)"),
    lake: Path = typer.Option(None, help="Event lake (default: the data directory's)"),
    since: datetime = typer.Option(None, help="Exposures from (UTC)"),
    until: datetime = typer.Option(None, help="Exposures until (UTC)"),
    batch_hours: int = typer.Option(1, help="Replay in windows of this many hours"),
) -> None:
    """Replay exposures in time order: open/raise warnings, dispatch tasks, escalate overdue."""
    from datetime import UTC, timedelta

    from fanzha.store.db import session_scope
    from fanzha.store.lake import EventLake
    from fanzha.store.migrate import upgrade
    from fanzha.warn.exposures import build_exposures

    settings = get_settings()
    upgrade()
    ex = build_exposures(EventLake(lake or settings.lake_dir), _read_listed(listed), since, until)
    if ex.empty:
        console.print("没有发现暴露（名单号码、网址、应用、账户均未触达任何人）。")
        return
    start = ex["at"].min().floor("h")
    step = timedelta(hours=batch_hours)
    totals = {"exposures": 0, "opened": 0, "raised": 0, "escalated": 0}
    with session_scope() as s:
        svc = _service(s, start.to_pydatetime())
        t = start
        end = ex["at"].max()
        while t <= end:
            part = ex[(ex["at"] >= t) & (ex["at"] < t + step)]
            svc.clock.set((t + step).to_pydatetime().astimezone(UTC))
            r = svc.process(part)
            totals["escalated"] += len(svc.escalate_due())
            totals["exposures"] += r.exposures
            totals["opened"] += r.opened
            totals["raised"] += r.raised
            t += step
    console.print(json.dumps(totals, ensure_ascii=False))


@app.command("queue")
def queue(limit: int = 20, status: str = "open") -> None:
    """The open tasks (platform view), most urgent first."""
    from fanzha.domain.taxonomy import WarningLevel
    from fanzha.store.db import session_scope

    with session_scope() as s:
        rows = _service(s).queue(PLATFORM_OPERATOR, status, limit)
        table = Table("任务", "级别", "单位", "对象", "电话", "类型", "截止", "状态")
        for task, w in rows:
            table.add_row(
                str(task.id),
                WarningLevel(task.level).label,
                task.unit_org_id,
                w.person_masked,
                w.phone_masked or "",
                w.fraud_type,
                task.deadline.strftime("%m-%d %H:%M"),
                task.status,
            )
    console.print(table)


@app.command("receive")
def receive(task_id: int) -> None:
    """签收 a task."""
    from fanzha.store.db import session_scope

    with session_scope() as s:
        console.print(f"任务 {_service(s).receive(task_id, PLATFORM_OPERATOR).id} 已签收")


@app.command("outcome")
def outcome(task_id: int, result: str, note: str = "") -> None:
    """Record the outcome: dissuaded, defrauded, unreachable, refused, false_alarm."""
    from fanzha.store.db import session_scope
    from fanzha.warn.service import WarnError

    with session_scope() as s:
        try:
            w = _service(s).record_outcome(task_id, result, PLATFORM_OPERATOR, note)
        except WarnError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(1) from exc
        console.print(f"预警 {w.id} 已关闭：{w.outcome}")


@app.command("escalate")
def escalate() -> None:
    """Escalate every task past its deadline to the parent unit."""
    from fanzha.store.db import session_scope

    with session_scope() as s:
        console.print(f"升级 {len(_service(s).escalate_due())} 个任务")


@app.command("metrics")
def show_metrics(group_by: str = typer.Option("unit", help="unit / county / city / day")) -> None:
    """Warnings, lead times, SLA compliance, dissuasion and false-alarm rates."""
    import pandas as pd

    from fanzha.store.db import session_scope
    from fanzha.warn.metrics import metrics

    with session_scope() as s:
        out = metrics(s, PLATFORM_OPERATOR, pd.Timestamp.now(tz="UTC"), group_by)
    console.print_json(json.dumps(out, ensure_ascii=False, default=str))
