"""``fanzha keys create|list|revoke``: API keys (the full key is printed once)."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(help="API 密钥管理。", no_args_is_help=True)
console = Console()


@app.command("create")
def create_cmd(
    org: str = typer.Option(..., "--org"),
    name: str = typer.Option("", "--name"),
    role: list[str] = typer.Option(None, "--role", help="角色 (默认按机构类型)"),
) -> None:
    """为机构创建密钥；完整密钥只显示这一次。"""
    from fanzha.access import audit, keys
    from fanzha.access.principal import PLATFORM_OPERATOR
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    upgrade()
    try:
        with session_scope() as s:
            issued = keys.create_key(s, org, name, role or None)
            audit.record(s, PLATFORM_OPERATOR, "keys.create", "api_key", [issued.id])
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    typer.echo(issued.token)
    console.print(
        f"密钥 {issued.id} (前缀 {issued.prefix})，角色 {', '.join(issued.roles)}；请妥善保存，不会再次显示。"
    )


@app.command("list")
def list_cmd(org: str = typer.Option(None, "--org")) -> None:
    """列出密钥 (不含密钥本身)。"""
    from rich.table import Table

    from fanzha.access import keys
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    upgrade()
    t = Table("id", "org", "prefix", "roles", "created", "revoked", "last used")
    with session_scope() as s:
        for k in keys.list_keys(s, org):
            t.add_row(
                k.id,
                k.org_id,
                k.prefix,
                ",".join(k.roles),
                k.created_at.isoformat(),
                k.revoked_at.isoformat() if k.revoked_at else "",
                k.last_used_at.isoformat() if k.last_used_at else "",
            )
    console.print(t)


@app.command("revoke")
def revoke_cmd(key_id: str = typer.Argument(..., help="密钥 id 或前缀")) -> None:
    """吊销密钥。"""
    from fanzha.access import audit, keys
    from fanzha.access.principal import PLATFORM_OPERATOR
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    upgrade()
    try:
        with session_scope() as s:
            k = keys.revoke(s, key_id)
            audit.record(s, PLATFORM_OPERATOR, "keys.revoke", "api_key", [k.id])
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from exc
    console.print(f"已吊销 {k.id}")
