"""CLI: orgs, keys, ingest, dead letters (list, export, correct, replay) and audit verify."""

from __future__ import annotations

import json

from sqlalchemy import text
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.store.db import get_engine

runner = CliRunner()

CSV = (
    "event_id,event_time,caller,callee,duration_s,note\n"
    "c1,2026/11/28 14:03:00,13800138000,13900139000,60,a\n"
    "c2,2026/11/28 14:04:00,13800138000,13900139000,sixty,b\n"
    "c3,2026-11-28,13800138000,13900139000,5,c\n"
)


def _run(*args: str, code: int = 0) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == code, r.output
    return r.output


def test_orgs_and_keys(data_dir) -> None:  # noqa: ANN001
    out = _run("orgs", "seed-demo")
    assert "cd-jinjiang" in out and "fz_" in out
    _run(
        "orgs",
        "add",
        "cd-wuhou",
        "--name",
        "武侯区公安分局",
        "--kind",
        "county_police",
        "--division",
        "510107",
        "--parent",
        "cd-police",
    )
    out = _run(
        "orgs",
        "add",
        "bad",
        "--name",
        "x",
        "--kind",
        "county_police",
        "--division",
        "440106",
        "--parent",
        "cd-police",
        code=2,
    )
    assert "division_code" in out
    assert "cd-wuhou" in _run("orgs", "list")
    assert "510107" in _run("orgs", "show", "cd-wuhou")
    token = _run("keys", "create", "--org", "bank-a").splitlines()[0]
    assert token.startswith("fz_")
    prefix = token.split("_")[1]
    assert prefix in _run("keys", "list", "--org", "bank-a")
    _run("keys", "revoke", prefix)
    from fanzha.access import keys
    from fanzha.store.db import session_scope

    with session_scope() as s:
        assert keys.resolve(s, token) is None


def test_ingest_deadletter_replay_and_audit(data_dir, tmp_path) -> None:  # noqa: ANN001
    f = tmp_path / "calls.csv"
    f.write_bytes(CSV.encode("gbk"))
    out = _run("ingest", "call", str(f), "--org", "telecom-a", "--quiet")
    report = json.loads(out.splitlines()[0])
    assert (report["accepted"], report["duplicate"], report["rejected"]) == (1, 0, 2)
    assert report["ignored_columns"] == ["note"]
    again = json.loads(_run("ingest", "call", str(f), "--org", "telecom-a", "-q").splitlines()[0])
    assert (again["accepted"], again["duplicate"], again["rejected"]) == (0, 1, 2)

    listed = _run("deadletter", "list", "--kind", "call")
    assert "共 2 条" in listed and "duration_s" in listed

    exported = tmp_path / "bad.jsonl"
    _run("deadletter", "export", "--out", str(exported))
    rows = [json.loads(line) for line in exported.read_text("utf-8").splitlines()]
    assert [r["event_id"] for r in rows] == ["c2", "c3"]
    # replaying uncorrected rows leaves them open (exit 1)
    _run("deadletter", "replay", "--kind", "call", code=1)
    rows[0]["duration_s"] = "60"
    rows[1]["event_time"] = "2026-11-28 14:05:00"
    exported.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    assert "已重放 2 条" in _run("deadletter", "replay", str(exported))
    assert "共 0 条" in _run("deadletter", "list")
    from fanzha.settings import get_settings
    from fanzha.store.lake import EventLake

    assert EventLake(get_settings().lake_dir).count("call") == 3

    assert "审计链完整" in _run("audit", "verify")
    with get_engine().begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor_org = 'someone' WHERE seq = 1"))
    assert "第 1 条" in _run("audit", "verify", code=1)


def test_users_cli(data_dir) -> None:  # noqa: ANN001
    _run("orgs", "seed-demo")
    _run(
        "users",
        "add",
        "li.jing",
        "--org",
        "cd-jinjiang",
        "--name",
        "李警官",
        "--role",
        "officer",
        "--password",
        "correct horse",
    )
    out = _run(
        "users",
        "add",
        "x",
        "--org",
        "bank-a",
        "--name",
        "x",
        "--role",
        "investigator",
        "--password",
        "correct horse",
        code=2,
    )
    assert "roles" in out
    _run("users", "disable", "li.jing")
    assert "停用" in _run("users", "list", "--org", "cd-jinjiang")
    _run("users", "enable", "li.jing")
    _run("users", "roles", "li.jing", "--role", "officer", "--role", "investigator")
    _run("users", "passwd", "li.jing", "--password", "battery staple")
    listed = _run("users", "list")
    assert "investigator" in listed and "scrypt" not in listed
    assert "审计链完整" in _run("audit", "verify")
    with get_engine().begin() as conn:
        actions = {row[0] for row in conn.execute(text("SELECT action FROM audit_log"))}
    for action in ("users.add", "users.disable", "users.enable", "users.roles", "users.passwd"):
        assert action in actions
