"""The ``fanzha`` command line: one Typer app, sub-commands grouped by room.

Each group lives in its own module under ``fanzha.cli`` and is thin: parse arguments, call one
service, render the result. Heavy libraries are imported inside commands so ``fanzha --help``
stays fast.
"""

from __future__ import annotations

import typer

from fanzha.cli import audit, db, deadletter, demo, ids, ingest, keys, orgs, serve, warn  # noqa: I001

app = typer.Typer(
    name="fanzha",
    help="Fanzha 反诈 — open anti-fraud platform.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(ids.app, name="ids")
app.command("serve")(serve.serve)
app.add_typer(orgs.app, name="orgs")
app.add_typer(keys.app, name="keys")

from fanzha.cli import users as users_cli  # noqa: E402

app.add_typer(users_cli.app, name="users")
app.add_typer(deadletter.app, name="deadletter")
app.add_typer(audit.app, name="audit")
app.command("ingest")(ingest.ingest)
app.command("demo")(demo.demo)
app.add_typer(warn.app, name="warn")

from fanzha.cli import orders, returns, trace  # noqa: E402

app.add_typer(trace.app, name="trace")
app.add_typer(orders.app, name="orders")
app.add_typer(returns.app, name="returns")

from fanzha.cli import cases  # noqa: E402

app.add_typer(cases.app, name="cases")

from fanzha.cli import sim as sim_cli  # noqa: E402

app.add_typer(sim_cli.app, name="sim")

from fanzha.cli import registry as registry_cli  # noqa: E402
from fanzha.cli import rules as rules_cli  # noqa: E402

app.add_typer(registry_cli.app, name="registry")
app.add_typer(rules_cli.app, name="rules")

from fanzha.cli import numbers as numbers_cli  # noqa: E402
from fanzha.cli import tx as tx_cli  # noqa: E402

app.add_typer(numbers_cli.app, name="numbers")
app.add_typer(tx_cli.app, name="tx")
from fanzha.cli import detect as detect_cli  # noqa: E402

app.add_typer(detect_cli.app, name="detect")

from fanzha.cli import apps as apps_cli  # noqa: E402
from fanzha.cli import text as text_cli  # noqa: E402
from fanzha.cli import url as url_cli  # noqa: E402

app.add_typer(text_cli.app, name="text")
app.add_typer(url_cli.app, name="url")
app.add_typer(apps_cli.app, name="app")


def main() -> None:
    app()
