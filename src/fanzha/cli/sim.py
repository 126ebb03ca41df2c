"""``fanzha sim``: generate a synthetic region (events + ground truth) or stream it to a server."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer

app = typer.Typer(
    help="合成区域模拟器：生成带真值标签的通信、网络与资金事件。", no_args_is_help=True
)


def _config(preset: str, scale: float, days: int, seed: int, start: str):
    from fanzha.sim.engine import PRESETS, SimConfig

    if preset not in PRESETS:
        raise typer.BadParameter(f"预设必须是 {', '.join(PRESETS)} 之一")
    try:
        start_d = date.fromisoformat(start)
    except ValueError as exc:
        raise typer.BadParameter("开始日期格式应为 YYYY-MM-DD") from exc
    if days < 1:
        raise typer.BadParameter("天数至少为 1")
    return SimConfig(preset=preset, scale=scale, days=days, seed=seed, start=start_d)


def _print_summary(summary: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(
        title=f"模拟摘要（{summary['preset']}，{summary['days']} 天，种子 {summary['seed']}）"
    )
    t.add_column("项目")
    t.add_column("数值", justify="right")
    t.add_row("人口", f"{summary['people']:,}")
    t.add_row(
        "号码 / 账户 / 设备",
        f"{summary['numbers']:,} / {summary['accounts']:,} / {summary['devices']:,}",
    )
    for k, v in summary["events"].items():
        t.add_row(f"事件：{k}", f"{v:,}")
    t.add_row("事件合计", f"{summary['events_total']:,}")
    t.add_row("涉诈事件（带标签）", f"{summary['fraud_events']:,}")
    t.add_row("团伙", str(summary["gangs"]))
    t.add_row(
        "案件 / 有损失受害人 / 已报案",
        f"{summary['cases']} / {summary['victims_with_loss']} / {summary['reported_cases']}",
    )
    t.add_row("总损失（元）", f"{summary['loss_fen_total'] / 100:,.2f}")
    for ft, v in summary["loss_fen_by_type"].items():
        t.add_row(f"  损失：{ft}", f"{v / 100:,.2f}")
    hn = summary["hard_negatives"]
    t.add_row(
        "难负样本（快递/骑手/客服/电销）",
        f"{hn['couriers']}/{hn['delivery_riders']}/{hn['customer_service']}/{hn['sales_callers']}",
    )
    t.add_row("难负样本外呼次数", f"{hn['business_calls']:,}")
    t.add_row("用时（秒）/ 事件每秒", f"{summary['seconds']} / {summary['events_per_second']:,}")
    Console().print(t)


@app.command("generate")
def generate(
    out: Path = typer.Option(..., "--out", help="输出目录"),
    preset: str = typer.Option("tiny", "--preset", help="tiny | city | province"),
    scale: float = typer.Option(1.0, "--scale", help="人口规模系数"),
    days: int = typer.Option(7, "--days", help="模拟天数"),
    seed: int = typer.Option(1, "--seed", help="随机种子（相同种子输出相同）"),
    start: str = typer.Option("2026-11-01", "--start", help="开始日期（北京时间）"),
    fmt: str = typer.Option("parquet", "--format", help="parquet | csv | jsonl"),
) -> None:
    """生成一个合成区域：事件写入 OUT/lake（或 csv/jsonl），真值写入 OUT/truth。"""
    from fanzha.sim.output import generate as run

    if fmt not in ("parquet", "csv", "jsonl"):
        raise typer.BadParameter("格式必须是 parquet、csv 或 jsonl")
    cfg = _config(preset, scale, days, seed, start)
    summary = run(
        cfg, out, fmt=fmt, on_day=lambda d: typer.echo(f"第 {d + 1}/{days} 天完成", err=True)
    )
    _print_summary(summary)
    typer.echo(f"摘要已写入 {out / 'summary.json'}")


@app.command("stream")
def stream(
    url: str = typer.Option("http://127.0.0.1:8000", "--url", help="服务地址"),
    preset: str = typer.Option("tiny", "--preset"),
    scale: float = typer.Option(1.0, "--scale"),
    days: int = typer.Option(1, "--days"),
    seed: int = typer.Option(1, "--seed"),
    start: str = typer.Option("2026-11-01", "--start"),
    speed: float = typer.Option(3600.0, "--speed", help="加速倍数：3600 = 每秒一模拟小时"),
    api_key: str | None = typer.Option(None, "--api-key", envvar="FANZHA_API_KEY"),
    batch_size: int = typer.Option(500, "--batch-size"),
    truth_out: Path | None = typer.Option(None, "--out", help="真值输出目录（可选）"),
) -> None:
    """按模拟时间顺序把事件推送到 POST {url}/v1/events/{kind}。"""
    from fanzha.sim.engine import simulate
    from fanzha.sim.output import summarize
    from fanzha.sim.stream import Streamer
    from fanzha.sim.truth import write_truth

    if speed <= 0:
        raise typer.BadParameter("加速倍数必须大于 0")
    cfg = _config(preset, scale, days, seed, start)
    st = Streamer(url, speed, api_key=api_key, batch_size=batch_size)
    world, state, stats = simulate(cfg, st.collect, on_day=st.flush)
    summary = summarize(world, state, stats, cfg)
    if truth_out is not None:
        truth_out.mkdir(parents=True, exist_ok=True)
        write_truth(truth_out, world, state)
        (truth_out / "summary.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=2), "utf-8"
        )
    typer.echo(
        f"已发送 {st.stats.events:,} 条事件（{st.stats.batches} 批，失败 {st.stats.failed_batches} 批，"
        f"服务端拒收 {st.stats.rejected:,} 条，"
        f"最大滞后 {st.stats.max_lag_s:.1f} 秒）"
    )
    if st.stats.failed_batches:
        raise typer.Exit(code=1)
