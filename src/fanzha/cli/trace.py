"""``fanzha trace``: follow victims' money through the transfers (资金穿透) and list what to freeze."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="资金追踪：涉案资金流向表与可冻结账户。", no_args_is_help=True)
console = Console()


def _read_transfers(lake: Path | None, transfers: Path | None):  # noqa: ANN202
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    if (lake is None) == (transfers is None):
        raise typer.BadParameter("请给出 --lake 或 --transfers 之一")
    if lake is not None:
        from fanzha.store.lake import EventLake

        return EventLake(lake).scan("transfer")
    assert transfers is not None
    if not transfers.exists():
        raise typer.BadParameter(f"文件不存在: {transfers}")
    if transfers.suffix.lower() == ".parquet":
        return pq.read_table(transfers)
    return pacsv.read_csv(
        transfers,
        convert_options=pacsv.ConvertOptions(
            column_types={
                "event_id": "string",
                "payer_account": "string",
                "payee_account": "string",
                "amount_fen": "int64",
            }
        ),
    )


def _seeds(victim_transfers: list[str], seeds_file: Path | None) -> list:
    from datetime import datetime

    from fanzha.domain.money import parse_yuan_to_fen
    from fanzha.intercept.tracing import Seed

    out = []
    for group in victim_transfers:
        for item in filter(None, (x.strip() for x in group.split(","))):
            victim, sep, event = item.partition("=")
            out.append(Seed(victim, event) if sep else Seed(item, item))
    if seeds_file is not None:
        import csv

        with open(seeds_file, newline="", encoding="utf-8") as fh:
            for n, row in enumerate(csv.DictReader(fh), start=2):
                if row.get("event_id"):
                    out.append(Seed(row["victim_id"], row["event_id"]))
                    continue
                try:
                    amount = (
                        int(row["amount_fen"])
                        if row.get("amount_fen")
                        else parse_yuan_to_fen(row["amount"])
                    )
                    when = datetime.fromisoformat(row["time"])
                except (KeyError, ValueError) as exc:
                    raise typer.BadParameter(f"{seeds_file} 第 {n} 行无法读取: {exc}") from exc
                if when.tzinfo is None:
                    raise typer.BadParameter(f"{seeds_file} 第 {n} 行: 时间须带时区")
                out.append(
                    Seed(row["victim_id"], account=row["account"], amount_fen=amount, time=when)
                )
    if not out:
        raise typer.BadParameter("请给出 --victim-transfers 或 --seeds")
    return out


@app.command("run")
def run_cmd(
    out: Path = typer.Option(..., "--out", help="输出目录"),
    lake: Path | None = typer.Option(None, "--lake", help="事件湖目录 (读取 kind=transfer)"),
    transfers: Path | None = typer.Option(None, "--transfers", help="转账文件 (.parquet/.csv)"),
    victim_transfers: list[str] = typer.Option(
        [],
        "--victim-transfers",
        help="被害人转账事件编号（可重复或逗号分隔），可写 被害人=事件编号",
    ),
    seeds: Path | None = typer.Option(
        None, "--seeds", help="CSV: victim_id,event_id 或 victim_id,account,amount_fen|amount,time"
    ),
    rule: str = typer.Option("taint_first", "--rule", help="taint_first|fifo|lifo|proportional"),
    max_hops: int = typer.Option(10, "--max-hops", min=1, max=100),
    known_accounts: Path | None = typer.Option(
        None,
        "--known-accounts",
        help="数据覆盖的账户清单（每行一个）；清单外的收款账户视为流出数据",
    ),
) -> None:
    """Trace victims' transfers downstream; write flows.csv, freeze_candidates.csv and more."""
    import time

    import pyarrow.csv as pacsv

    from fanzha.domain.money import format_fen
    from fanzha.intercept.tracing import Rule, TransferIndex, trace

    try:
        rule_v = Rule(rule)
    except ValueError:
        raise typer.BadParameter(f"未知分配规则 {rule!r}") from None
    table = _read_transfers(lake, transfers)
    seed_list = _seeds(victim_transfers, seeds)
    known = None
    if known_accounts is not None:
        known = [
            line.strip()
            for line in known_accounts.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
    t0 = time.perf_counter()
    index = TransferIndex.from_table(table, known_accounts=known)
    t1 = time.perf_counter()
    result = trace(index, seed_list, rule=rule_v, max_hops=max_hops)
    t2 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(result.flows, out / "flows.csv")
    pacsv.write_csv(result.freeze_candidates(), out / "freeze_candidates.csv")
    pacsv.write_csv(result.holdings, out / "holdings.csv")
    pacsv.write_csv(result.victims, out / "victims.csv")
    pacsv.write_csv(result.per_hop(), out / "per_hop.csv")

    tot = result.totals()
    console.print(
        f"转账 {index.n:,} 笔，被害人 {result.victims.num_rows} 名，规则 {rule_v.value}，"
        f"最多 {max_hops} 级；建索引 {t1 - t0:.2f} 秒，追踪 {(t2 - t1) * 1000:.1f} 毫秒"
    )
    tab = Table(title="资金去向汇总")
    tab.add_column("项目")
    tab.add_column("金额", justify="right")
    tab.add_column("占比", justify="right")
    seeded = tot["seeded"] or 1
    for key, label in (
        ("seeded", "被骗总额"),
        ("held", "仍在账户（可冻结）"),
        ("cashed_out", "已取现/消费"),
        ("left_data", "流出数据范围"),
        ("untraced", "超出追踪层级/无法区分"),
    ):
        tab.add_row(label, format_fen(tot[key]), f"{tot[key] / seeded:.1%}")
    console.print(tab)
    cands = result.freeze_candidates()
    console.print(f"可冻结账户 {cands.num_rows} 个；前 10 个：")
    for row in cands.slice(0, 10).to_pylist():
        console.print(
            f"  {row['account']}  {format_fen(row['amount_fen'])}  "
            f"第 {row['min_hop']} 级  涉及被害人 {row['victims']} 名"
        )
    if result.unmatched_seeds:
        console.print(f"[yellow]{len(result.unmatched_seeds)} 笔被害人转账在数据中未找到[/yellow]")
    console.print(f"已写入 {out}/flows.csv（涉案资金流向表）与 freeze_candidates.csv")
