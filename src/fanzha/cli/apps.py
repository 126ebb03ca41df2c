"""``fanzha app``: check an Android app for fraud risk."""

from __future__ import annotations

import json

import typer

app = typer.Typer(help="应用风险检查：仿冒官方应用、哈希名单、高危权限组合。", no_args_is_help=True)


@app.command("check")
def check_cmd(
    package: str = typer.Option(..., "--package", help="包名，如 com.example.app"),
    label: str = typer.Option("", "--label", help="应用显示名称"),
    permissions: list[str] = typer.Option([], "--permissions", help="权限，可重复或用逗号分隔"),
    sha256: str | None = typer.Option(None, "--sha256", help="安装包 SHA-256"),
    cert_sha256: str | None = typer.Option(None, "--cert-sha256", help="签名证书 SHA-256"),
) -> None:
    """输出 JSON：is_risky、score、reasons、impersonates。"""
    from fanzha.detect.apps import check_app

    perms = [p for item in permissions for p in item.split(",") if p.strip()]
    v = check_app(package, label, perms, sha256, cert_sha256)
    typer.echo(json.dumps(v.as_dict(), ensure_ascii=False, indent=2))
