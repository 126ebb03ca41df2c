"""``fanzha db``: migrations and the data directory."""

from __future__ import annotations

import typer
from rich.console import Console

from fanzha.settings import get_settings

app = typer.Typer(help="Database: migrations and status.", no_args_is_help=True)
console = Console()


@app.command("upgrade")
def upgrade_cmd(revision: str = typer.Argument("head")) -> None:
    """Apply Alembic migrations up to REVISION (default head)."""
    from fanzha.store.migrate import upgrade

    settings = get_settings()
    settings.ensure_dirs()
    upgrade(revision)
    console.print(f"数据库已迁移到 {revision}: {_safe_url(settings.effective_database_url)}")


@app.command("current")
def current_cmd() -> None:
    """Show the current migration revision."""
    from fanzha.store.migrate import current_revision

    console.print(current_revision() or "(empty database)")


@app.command("info")
def info_cmd() -> None:
    """Where the data lives."""
    s = get_settings()
    console.print(f"data_dir: {s.data_dir.resolve()}")
    console.print(f"database: {_safe_url(s.effective_database_url)}")
    console.print(f"lake:     {s.lake_dir.resolve()}")
    console.print(f"redis:    {s.redis_url or '(in-process)'}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
