"""``fanzha serve``: apply migrations, then run the HTTP API."""

from __future__ import annotations

import typer
from rich.console import Console

from fanzha.settings import DEV_SECRET, get_settings

console = Console(stderr=True)


def serve(
    host: str = typer.Option(None, help="Listen address (default FANZHA_HOST)"),
    port: int = typer.Option(None, help="Listen port (default FANZHA_PORT)"),
    workers: int = typer.Option(None, help="uvicorn worker processes"),
) -> None:
    """Start the API (applies database migrations first)."""
    import uvicorn

    from fanzha.api.http import CoalescingHttpToolsProtocol
    from fanzha.store.migrate import upgrade

    settings = get_settings()
    settings.ensure_dirs()
    upgrade()
    if settings.secret == DEV_SECRET:
        console.print("[yellow]警告: 使用开发密钥 (FANZHA_SECRET 未设置)，仅供演示。[/yellow]")
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    console.print(
        f"Fanzha API listening on http://{host}:{port}  (docs: http://{host}:{port}/docs)"
    )
    uvicorn.run(
        "fanzha.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        http=CoalescingHttpToolsProtocol,  # head and body in one write: fewer wake-ups per check
        log_level="info",
    )
