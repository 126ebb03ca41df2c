"""``fanzha demo``: the end-to-end demonstration on the embedded default."""

from __future__ import annotations

import typer

from fanzha.cli.serve import serve


def demo(
    host: str = typer.Option("127.0.0.1", help="Listen address"),
    port: int = typer.Option(8000, help="Listen port"),
) -> None:
    """Initialise the data directory, apply migrations and serve the API."""
    serve(host=host, port=port, workers=1)
