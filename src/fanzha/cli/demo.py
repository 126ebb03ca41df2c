"""``fanzha demo``: the end-to-end demonstration on the embedded default.

The API starts first (so ``/health`` and ``/docs`` answer within seconds), then the simulated
region is replayed through the platform while it serves; the scorecard is printed at the end and
the console keeps running.
"""

from __future__ import annotations

import json
import threading
from datetime import date

import typer
from rich.console import Console
from rich.table import Table

console = Console(width=120)


def demo(
    host: str = typer.Option("127.0.0.1", help="Listen address"),
    port: int = typer.Option(8000, help="Listen port"),
    preset: str = typer.Option("city", help="tiny | city | province"),
    days: int = typer.Option(7, help="Simulated days"),
    seed: int = typer.Option(1, help="Random seed"),
    start: str = typer.Option("2026-11-01", help="First simulated day"),
    serve: bool = typer.Option(True, help="Serve the API and console (and keep running)"),
    fresh: bool = typer.Option(True, help="Start from an empty data directory"),
) -> None:
    """Simulate a region, replay it through ingestion, detection, risk list, warnings,
    interception and cases, print the scorecard, and serve the console."""
    import shutil

    import uvicorn

    from fanzha.demo.pipeline import DemoContext, run_demo
    from fanzha.demo.scorecard import print_scorecard, scorecard
    from fanzha.demo.world import demo_choices, seed_accounts
    from fanzha.settings import get_settings
    from fanzha.store.db import reset_engines, session_scope
    from fanzha.store.migrate import upgrade

    settings = get_settings()
    if fresh and settings.data_dir.exists():
        shutil.rmtree(settings.data_dir)
        reset_engines()
    settings.ensure_dirs()
    upgrade()
    server = None
    if serve:
        config = uvicorn.Config(
            "fanzha.api.app:create_app", factory=True, host=host, port=port, log_level="warning"
        )
        server = uvicorn.Server(config)
        threading.Thread(target=server.run, daemon=True).start()
        console.print(f"API 已启动: http://{host}:{port}  (docs: /docs, 控制台: /console/)")
    ctx = DemoContext(settings, preset, days, seed, date.fromisoformat(start), console.print)
    results = run_demo(ctx)
    with session_scope() as s:
        accounts = seed_accounts(s, demo_choices(s))
    card = scorecard(ctx, results)
    (settings.data_dir / "scorecard.json").write_text(
        json.dumps(card, ensure_ascii=False, indent=2, default=str), "utf-8"
    )
    print_scorecard(console, card)
    table = Table("用户名", "机构", "角色", "用途", title="演示账户")
    for a in accounts:
        table.add_row(a.user, a.org_id, a.role, a.what)
    console.print(table)
    if accounts:
        console.print(f"演示账户密码均为: {accounts[0].password}")
    if server is not None:
        console.print(f"控制台: http://{host}:{port}/console/   （Ctrl+C 退出）")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            server.should_exit = True
