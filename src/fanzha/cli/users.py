"""``fanzha users add|list|disable|enable|passwd|roles``: console users of an organisation."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(help="用户管理 (控制台登录账号)。", no_args_is_help=True)
console = Console()


def _run(action: str, change) -> None:  # noqa: ANN001 - a callable taking a session
    """Migrate, apply ``change`` in one transaction, audit it as the platform operator."""
    from fanzha.access import audit
    from fanzha.access.principal import PLATFORM_OPERATOR
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    upgrade()
    try:
        with session_scope() as s:
            user = change(s)
            audit.record(s, PLATFORM_OPERATOR, action, "user", [user.id])
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc


def _password(given: str | None) -> str:
    return given or typer.prompt("密码", hide_input=True, confirmation_prompt=True)


@app.command("add")
def add_cmd(
    user_id: str = typer.Argument(..., help="登录名"),
    org: str = typer.Option(..., "--org"),
    name: str = typer.Option(..., "--name", help="姓名或岗位"),
    role: list[str] = typer.Option(..., "--role", help="角色，可重复"),
    password: str = typer.Option(None, "--password", help="不给则交互输入"),
) -> None:
    """新增用户。"""
    from fanzha.access import users

    pw = _password(password)
    _run("users.add", lambda s: users.add_user(s, user_id, org, name, pw, role))
    console.print(f"已添加用户 {user_id}")


@app.command("list")
def list_cmd(org: str = typer.Option(None, "--org")) -> None:
    """列出用户 (不含密码)。"""
    from rich.table import Table

    from fanzha.access import users
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    upgrade()
    t = Table("id", "org", "name", "roles", "status", "created")
    with session_scope() as s:
        for u in users.list_users(s, org):
            status = "停用" if u.disabled else "启用"
            t.add_row(u.id, u.org_id, u.name, ",".join(u.roles), status, u.created_at.isoformat())
    console.print(t)


@app.command("disable")
def disable_cmd(user_id: str = typer.Argument(...)) -> None:
    """停用用户；其会话立即失效。"""
    from fanzha.access import users

    _run("users.disable", lambda s: users.set_disabled(s, user_id, True))
    console.print(f"已停用 {user_id}")


@app.command("enable")
def enable_cmd(user_id: str = typer.Argument(...)) -> None:
    """重新启用用户。"""
    from fanzha.access import users

    _run("users.enable", lambda s: users.set_disabled(s, user_id, False))
    console.print(f"已启用 {user_id}")


@app.command("passwd")
def passwd_cmd(
    user_id: str = typer.Argument(...),
    password: str = typer.Option(None, "--password", help="不给则交互输入"),
) -> None:
    """重置密码。"""
    from fanzha.access import users

    pw = _password(password)
    _run("users.passwd", lambda s: users.set_password(s, user_id, pw))
    console.print(f"已重置 {user_id} 的密码")


@app.command("roles")
def roles_cmd(
    user_id: str = typer.Argument(...),
    role: list[str] = typer.Option(..., "--role", help="新的角色集合，可重复"),
) -> None:
    """修改用户角色 (受机构类型限制)。"""
    from fanzha.access import users

    _run("users.roles", lambda s: users.set_roles(s, user_id, role))
    console.print(f"{user_id} 的角色: {', '.join(sorted(role))}")
