"""``fanzha returns plan``: a return round for one frozen account (2016 rules, Art. 8)."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(help="冻结资金返还。", no_args_is_help=True)
console = Console()


def _claims(path: Path, traced: dict[str, int]) -> list:
    from fanzha.domain.money import MoneyError, parse_yuan_to_fen
    from fanzha.intercept.returns import Claim

    out = []
    with open(path, newline="", encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            try:
                loss = (
                    int(row["loss_fen"]) if row.get("loss_fen") else parse_yuan_to_fen(row["loss"])
                )
                out.append(
                    Claim(
                        victim_id=row["victim_id"],
                        loss_fen=loss,
                        remit_account=row["remit_account"],
                        victim_name=row.get("victim_name") or None,
                        traced_fen=traced.get(row["victim_id"], 0),
                    )
                )
            except (KeyError, ValueError, MoneyError) as exc:
                raise typer.BadParameter(f"{path} 第 {n} 行无法读取: {exc}") from exc
    return out


def _traced(holdings: Path | None, account: str) -> dict[str, int]:
    """Per-victim money traced into ``account`` from a ``fanzha trace run`` holdings.csv."""
    if holdings is None:
        return {}
    out: dict[str, int] = {}
    with open(holdings, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["account"] == account:
                out[row["victim_id"]] = out.get(row["victim_id"], 0) + int(row["amount_fen"])
    return out


@app.command("plan")
def plan_cmd(
    case_no: str = typer.Option(..., "--case"),
    account: str = typer.Option(..., "--account", help="冻结账户"),
    bank: str = typer.Option(..., "--bank", help="冻结账户所在机构"),
    frozen: str = typer.Option(..., "--frozen", help="冻结金额（元）"),
    claims: Path = typer.Option(..., "--claims", help="CSV: victim_id,loss|loss_fen,remit_account"),
    holdings: Path = typer.Option(None, "--holdings", help="trace run 输出的 holdings.csv"),
    round_no: int = typer.Option(1, "--round", min=1),
    authority: str = typer.Option("反诈中心", "--authority"),
    out: Path = typer.Option(None, "--out", help="写出决定书/公告与银行指令的目录"),
) -> None:
    """Plan the return: traced deposits go back to their victims, otherwise pro rata by loss."""
    from fanzha.domain.money import MoneyError, format_fen, parse_yuan_to_fen
    from fanzha.intercept import returns as r

    try:
        frozen_fen = parse_yuan_to_fen(frozen)
    except MoneyError as exc:
        raise typer.BadParameter(str(exc)) from exc
    now = datetime.now(UTC)
    try:
        plan = r.plan_return(
            case_no=case_no,
            account=account,
            bank=bank,
            frozen_fen=frozen_fen,
            claims=_claims(claims, _traced(holdings, account)),
            now=now,
            round_no=round_no,
        )
    except r.ReturnError as exc:
        console.print(f"[red]无法制定返还方案: {exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"返还依据: {r.BASIS_TEXT[plan.basis]}")
    for line in plan.lines:
        console.print(
            f"  {line.victim_id}: 损失 {format_fen(line.loss_fen)}，"
            f"可追溯 {format_fen(line.traced_fen)}，返还 {format_fen(line.amount_fen)}"
        )
    console.print(
        f"合计返还 {format_fen(plan.returned_fen)}，剩余 {format_fen(plan.remainder_fen)} 继续冻结"
    )
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        if plan.status == "notice":
            (out / "notice.txt").write_text(r.notice_text(plan, authority), encoding="utf-8")
            console.print(
                f"须公告三十日（至 {plan.notice_until:%Y-%m-%d}），公告已写入 {out}/notice.txt"
            )
        else:
            decided = r.decide(plan, now)
            (out / "decision.txt").write_text(
                r.decision_text(decided, authority, now), encoding="utf-8"
            )
            (out / "bank_instructions.json").write_text(
                json.dumps(r.bank_instructions(decided, now), ensure_ascii=False, indent=2),
                encoding="utf-8",
            )
            console.print(f"返还决定书与银行划款指令已写入 {out}")
