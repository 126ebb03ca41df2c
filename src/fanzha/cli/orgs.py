"""``fanzha orgs add|list|show|seed-demo``: organisations."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(help="机构管理。", no_args_is_help=True)
console = Console()

DEMO = [
    ("platform", "反诈中心平台", "platform", None, None),
    ("sc-police", "四川省公安厅", "province_police", "510000", None),
    ("cd-police", "成都市公安局", "city_police", "510100", "sc-police"),
    ("cd-jinjiang", "锦江区公安分局", "county_police", "510104", "cd-police"),
    ("cd-qingyang", "青羊区公安分局", "county_police", "510105", "cd-police"),
    ("cd-jinjiang-chunxi", "春熙路派出所", "police_station", "510104", "cd-jinjiang"),
    ("bank-a", "甲银行", "bank", None, None),
    ("bank-b", "乙银行", "bank", None, None),
    ("telecom-a", "甲运营商", "telecom", None, None),
    ("internet-a", "甲互联网平台", "internet", None, None),
    ("public", "社会公众", "public", None, None),
]


def _setup() -> None:
    from fanzha.settings import get_settings
    from fanzha.store.migrate import upgrade

    get_settings().ensure_dirs()
    upgrade()


@app.command("add")
def add_cmd(
    org_id: str = typer.Argument(...),
    name: str = typer.Option(..., "--name"),
    kind: str = typer.Option(..., "--kind"),
    division: str = typer.Option(None, "--division", help="6 位行政区划代码 (公安机关必填)"),
    parent: str = typer.Option(None, "--parent"),
) -> None:
    """新增机构。"""
    from fanzha.access import audit, orgs
    from fanzha.access.principal import PLATFORM_OPERATOR
    from fanzha.store.db import session_scope

    _setup()
    try:
        with session_scope() as s:
            org = orgs.add_org(s, org_id, name, kind, division, parent)
            audit.record(s, PLATFORM_OPERATOR, "orgs.add", "organisation", [org.id])
    except ValueError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from exc
    console.print(f"已添加机构 {org_id}")


@app.command("list")
def list_cmd(kind: str = typer.Option(None, "--kind")) -> None:
    """列出机构。"""
    from rich.table import Table

    from fanzha.access import orgs
    from fanzha.store.db import session_scope

    _setup()
    t = Table("id", "name", "kind", "division", "parent")
    with session_scope() as s:
        for o in orgs.list_orgs(s, kind):
            t.add_row(o.id, o.name, o.kind, o.division_code or "", o.parent_id or "")
    console.print(t)


@app.command("show")
def show_cmd(org_id: str = typer.Argument(...)) -> None:
    """显示机构详情。"""
    from fanzha.access import keys, orgs
    from fanzha.store.db import session_scope

    _setup()
    with session_scope() as s:
        o = orgs.get_org(s, org_id)
        if o is None:
            console.print(f"[red]机构 {org_id} 不存在[/red]")
            raise typer.Exit(1)
        console.print(f"id: {o.id}\n名称: {o.name}\n类型: {o.kind}")
        console.print(f"区划: {o.division_code or '-'}\n上级: {o.parent_id or '-'}")
        console.print(f"下级: {', '.join(c.id for c in orgs.children(s, o.id)) or '-'}")
        active = [k for k in keys.list_keys(s, o.id) if k.revoked_at is None]
        console.print(f"有效密钥: {len(active)}")


@app.command("seed-demo")
def seed_demo_cmd() -> None:
    """创建演示机构并为每个机构打印一个 API 密钥 (仅显示一次)。"""
    from fanzha.access import audit, keys, orgs
    from fanzha.access.principal import PLATFORM_OPERATOR
    from fanzha.store.db import session_scope

    _setup()
    with session_scope() as s:
        for org_id, name, kind, div, parent in DEMO:
            if orgs.get_org(s, org_id) is None:
                orgs.add_org(s, org_id, name, kind, div, parent)
        for org_id, *_ in DEMO:
            issued = keys.create_key(s, org_id, "demo")
            console.print(f"{org_id:<22} {issued.token}")
        audit.record(s, PLATFORM_OPERATOR, "orgs.seed_demo", "organisation", [d[0] for d in DEMO])
