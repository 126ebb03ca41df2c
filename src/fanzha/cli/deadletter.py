"""``fanzha deadletter list|export|replay``: rejected records."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(help="死信库：被拒收的记录。", no_args_is_help=True)
console = Console()


@app.command("list")
def list_cmd(
    kind: str = typer.Option(None, "--kind"),
    batch: str = typer.Option(None, "--batch"),
    status: str = typer.Option("open", "--status", help="open / replayed / all"),
    limit: int = typer.Option(50, "--limit"),
) -> None:
    """列出死信记录。"""
    from rich.table import Table

    from fanzha.ingest import deadletters
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    upgrade()
    with session_scope() as s:
        rows, total = deadletters.query(
            s, kind=kind, batch_id=batch, status=None if status == "all" else status, limit=limit
        )
        t = Table("id", "kind", "org", "source", "row", "status", "errors")
        for d in rows:
            errs = "; ".join(f"{e['field']}: {e['reason']}" for e in d.errors)
            t.add_row(
                str(d.id),
                d.kind,
                d.source_org,
                Path(d.source).name,
                str(d.row_number),
                d.status,
                errs,
            )
    console.print(t)
    console.print(f"共 {total} 条")


@app.command("export")
def export_cmd(
    out: Path = typer.Option(..., "--out", "-o", help="JSONL 文件"),
    kind: str = typer.Option(None, "--kind"),
    batch: str = typer.Option(None, "--batch"),
) -> None:
    """导出未处理的死信 (JSONL)，修改后用 replay 重新导入。"""
    import json

    from fanzha.ingest import deadletters
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    upgrade()
    with session_scope() as s:
        rows, _ = deadletters.query(s, kind=kind, batch_id=batch)
        lines = deadletters.export_rows(rows)
    with open(out, "w", encoding="utf-8") as fh:
        for r in lines:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    console.print(f"已导出 {len(lines)} 条到 {out}")


@app.command("replay")
def replay_cmd(
    file: Path = typer.Argument(None, exists=True, dir_okay=False, help="修正后的 JSONL"),
    ids: list[int] = typer.Option(None, "--id"),
    batch: str = typer.Option(None, "--batch"),
    kind: str = typer.Option(None, "--kind"),
) -> None:
    """重新校验并导入死信；成功的标记为 replayed。"""
    import json

    from fanzha.ingest.service import replay
    from fanzha.store.migrate import upgrade

    upgrade()
    corrected = None
    if file is not None:
        with open(file, encoding="utf-8-sig") as fh:
            corrected = [json.loads(line) for line in fh if line.strip()]
    r = replay(ids=ids or None, batch_id=batch, kind=kind, corrected=corrected)
    console.print(f"已重放 {r.replayed} 条，仍失败 {r.still_failing} 条，其中重复 {r.duplicate} 条")
    if r.still_failing:
        raise typer.Exit(1)
