"""``fanzha audit verify|list``: the hash-chained audit log."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(help="审计日志。", no_args_is_help=True)
console = Console()


@app.command("verify")
def verify_cmd() -> None:
    """校验审计链：发现修改、删除、插入或重排时退出码为 1。"""
    from fanzha.access.audit import verify
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    upgrade()
    with session_scope() as s:
        r = verify(s)
    if r.ok:
        console.print(f"审计链完整：共 {r.checked} 条")
        return
    console.print(f"[red]审计链被破坏：第 {r.first_bad_seq} 条 — {r.reason}[/red]")
    raise typer.Exit(1)


@app.command("list")
def list_cmd(limit: int = typer.Option(20, "--limit")) -> None:
    """最近的审计记录。"""
    from rich.table import Table

    from fanzha.access.audit import recent
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    upgrade()
    with session_scope() as s:
        rows, total = recent(s, limit)
        t = Table("seq", "at", "actor", "action", "resource", "refs")
        for e in rows:
            actor = f"{e.actor_org}/{e.actor_user or e.actor_key or '-'}"
            t.add_row(
                str(e.seq), e.at.isoformat(), actor, e.action, e.resource_kind, ",".join(e.refs[:3])
            )
    console.print(t)
    console.print(f"共 {total} 条")
