"""``fanzha cases``: build cases from a lake, link them, list clusters, export campaign packages.

The CLI acts as the platform operator (``PLATFORM_OPERATOR``), so it may export full identifiers
with ``--full-identifiers``; the read is written to the audit log.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="串并案：案件、关联、集群与集群战役资料包。", no_args_is_help=True)
console = Console()


def _prepare() -> None:
    from fanzha.settings import get_settings
    from fanzha.store.migrate import upgrade

    get_settings().ensure_dirs()
    upgrade()


def _now() -> datetime:
    return datetime.now(UTC)


def _fen(v: int) -> str:
    from fanzha.domain.money import format_fen

    return format_fen(int(v))


@app.command("load")
def load_cmd(
    lake: Path = typer.Option(..., "--lake", help="事件湖目录 (kind=*/day=*/part-*.parquet)"),
    window_days: int = typer.Option(14, help="报案前多少天内的联系与转账计入案件"),
    public_reports: bool = typer.Option(True, help="把群众举报作为线索案件一并导入"),
    max_hops: int = typer.Option(6, help="资金追踪的最大跳数"),
    holders: Path | None = typer.Option(
        None, help="实名账户登记表 (Parquet/CSV，列 account, person_id)：期间前开立的账户"
    ),
) -> None:
    """从事件湖的报案、举报、通话/短信/网址/应用与转账事件构建案件。"""
    from datetime import timedelta

    from fanzha.cases.build import bundle_from_lake
    from fanzha.cases.service import import_bundle
    from fanzha.settings import get_settings
    from fanzha.store.db import session_scope

    if not lake.is_dir():
        console.print(f"[red]事件湖目录不存在: {lake}[/red]")
        raise typer.Exit(2)
    _prepare()
    holder_table = None
    if holders is not None:
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq

        holder_table = (
            pq.read_table(holders, columns=["account", "person_id"])
            if holders.suffix == ".parquet"
            else pacsv.read_csv(holders).select(["account", "person_id"])
        )
    bundle = bundle_from_lake(
        str(lake),
        get_settings().secret_bytes,
        window=timedelta(days=window_days),
        include_public_reports=public_reports,
        max_hops=max_hops,
        holders=holder_table,
    )
    with session_scope() as s:
        counts = import_bundle(s, bundle, _now())
    console.print(
        f"已导入案件 {counts['cases_new']} 起（更新 {counts['cases_updated']} 起），"
        f"标识 {counts['identifiers']} 条，资金流向 {counts['flows']} 条"
    )


@app.command("link")
def link_cmd(
    hub_k: int = typer.Option(
        50, help="枢纽阈值下限 k：关联案件数超过 max(k, 分位数) 的节点不用于串并"
    ),
    hub_quantile: float = typer.Option(0.999, help="枢纽阈值分位数"),
    known_hubs: Path | None = typer.Option(None, help="已知枢纽名单：每行一个键控哈希"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """对全部案件重新串并：关联、剔除枢纽、生成集群与打击重点。"""
    from fanzha.cases.service import LinkSettings, run_linking
    from fanzha.store.db import session_scope

    _prepare()
    hubs = frozenset()
    if known_hubs is not None:
        hubs = frozenset(x.strip() for x in known_hubs.read_text("utf-8").splitlines() if x.strip())
    settings = LinkSettings(hub_k=hub_k, hub_quantile=hub_quantile, known_hubs=hubs)
    with session_scope() as s:
        out = run_linking(s, _now(), settings)
    if as_json:
        console.print_json(json.dumps(out, ensure_ascii=False))
        return
    console.print(
        f"案件 {out['cases']} 起 → 集群 {out['clusters']} 个（覆盖案件 {out['linked_cases']} 起），"
        f"关联证据 {out['links']} 条"
    )
    console.print(out["hub_rule"])
    for h in out["hubs"][:20]:
        console.print(f"  剔除枢纽 {h['kind']} {h['masked']}：{h['reason']}")


@app.command("clusters")
def clusters_cmd(
    limit: int = typer.Option(20),
    min_cases: int = typer.Option(2),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """列出集群（按案件数排序）。"""
    from fanzha.access.principal import PLATFORM_OPERATOR
    from fanzha.cases.service import list_clusters
    from fanzha.store.db import session_scope

    _prepare()
    with session_scope() as s:
        rows, total = list_clusters(s, PLATFORM_OPERATOR, min_cases=min_cases, limit=limit)
    if as_json:
        console.print_json(json.dumps({"total": total, "items": rows}, ensure_ascii=False))
        return
    t = Table(title=f"集群（共 {total} 个）")
    for col in ("编号", "案件", "受害人", "损失", "涉及单位", "时间", "主要类型"):
        t.add_column(col)
    for r in rows:
        top = max(r["fraud_types"].items(), key=lambda kv: kv[1])[0] if r["fraud_types"] else ""
        t.add_row(
            r["id"],
            str(r["n_cases"]),
            str(r["n_victims"]),
            _fen(r["loss_fen"]),
            str(len(r["divisions"])),
            f"{(r['first_at'] or '')[:10]}~{(r['last_at'] or '')[:10]}",
            top,
        )
    console.print(t)


@app.command("show")
def show_cmd(
    ident: str = typer.Argument(..., help="集群编号 (GC…) 或案件编号"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """显示一个集群（摘要与打击重点）或一起案件。"""
    from fanzha.access.principal import PLATFORM_OPERATOR
    from fanzha.cases.clusters import ROLE_LABEL
    from fanzha.cases.service import NotVisible, get_case, get_cluster
    from fanzha.store.db import session_scope

    _prepare()
    with session_scope() as s:
        try:
            if ident.startswith("GC"):
                out = get_cluster(s, PLATFORM_OPERATOR, ident, _now())
            else:
                out = get_case(s, PLATFORM_OPERATOR, ident, _now())
        except NotVisible:
            console.print(f"[red]未找到: {ident}[/red]")
            raise typer.Exit(1) from None
    if as_json or not ident.startswith("GC"):
        console.print_json(json.dumps(out, ensure_ascii=False, default=str))
        return
    console.print(
        f"集群 {out['id']}：案件 {out['n_cases']} 起，受害人 {out['n_victims']} 名，"
        f"损失 {_fen(out['loss_fen'])}，涉及 {len(out['divisions'])} 个单位"
    )
    for role, items in out["key_nodes"].items():
        console.print(f"[bold]{ROLE_LABEL[role]}[/bold]")
        for n in items[:5]:
            console.print(f"  {n['rank']}. {n['kind']} {n['masked']} — {n['reason']}")
    console.print(out["hub_rule"])


@app.command("export-cluster")
def export_cmd(
    cluster_id: str = typer.Argument(...),
    out: Path = typer.Option(..., "--out", help="输出目录"),
    full_identifiers: bool = typer.Option(
        False, "--full-identifiers", help="包含完整标识（仅限授权侦查；记入审计日志）"
    ),
) -> None:
    """导出集群战役资料包（JSON + CSV + HTML 摘要与关联图）。"""
    from fanzha.access.principal import PLATFORM_OPERATOR
    from fanzha.cases.package import write_package
    from fanzha.cases.service import NotVisible, get_cluster
    from fanzha.store.db import session_scope

    _prepare()
    now = _now()
    with session_scope() as s:
        try:
            data = get_cluster(s, PLATFORM_OPERATOR, cluster_id, now, full_identifiers)
        except NotVisible:
            console.print(f"[red]未找到集群: {cluster_id}[/red]")
            raise typer.Exit(1) from None
    files = write_package(data, out, now.isoformat(), PLATFORM_OPERATOR.label)
    console.print(
        f"已写出资料包 {out}（{len(files)} 个文件，{'完整标识' if full_identifiers else '脱敏'}）"
    )
