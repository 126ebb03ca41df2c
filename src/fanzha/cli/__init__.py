"""The ``fanzha`` command line: one Typer app, sub-commands grouped by room.

Each group lives in its own module under ``fanzha.cli`` and is thin: parse arguments, call one
service, render the result. Heavy libraries are imported inside commands so ``fanzha --help``
stays fast.
"""

from __future__ import annotations

import typer

from fanzha.cli import db, demo, serve

app = typer.Typer(
    name="fanzha",
    help="Fanzha 反诈 — open anti-fraud platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.command("serve")(serve.serve)
app.command("demo")(demo.demo)


def main() -> None:
    app()
