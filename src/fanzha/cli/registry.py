"""``fanzha registry``: the risk list (涉诈名单) — list, search, show, history, intake, appeals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from fanzha.access.principal import PLATFORM_OPERATOR, OrgKind, Principal, Role

app = typer.Typer(help="涉诈名单: 登记、查询、历史、可疑名单导入、申诉。", no_args_is_help=True)
appeal_app = typer.Typer(help="申诉: 提交、复核（核验通过立即解除）。", no_args_is_help=True)
app.add_typer(appeal_app, name="appeal")
console = Console()


@contextmanager
def _service() -> Iterator[Any]:
    from fanzha.registry.service import RegistryService
    from fanzha.settings import get_settings
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade

    settings = get_settings()
    upgrade()
    index = None
    if settings.redis_url:  # keep the shared hot-path index in step
        import redis

        from fanzha.registry.index import RedisIndex

        index = RedisIndex(redis.Redis.from_url(settings.redis_url))
    with session_scope() as s:
        yield RegistryService(s, settings.secret_bytes, index=index)


def _fail(exc: Exception) -> None:
    console.print(f"[red]错误：{exc}[/red]")
    raise typer.Exit(1)


def _print_entries(rows: list[Any]) -> None:
    from fanzha.registry.service import entry_view

    t = Table("ID", "类型", "标识", "等级", "诈骗类型", "代码", "状态", "来源", "最近")
    for e in rows:
        v = entry_view(e, PLATFORM_OPERATOR)
        t.add_row(
            str(e.id),
            e.kind,
            e.masked,
            str(v["grade_label"]),
            e.fraud_type or "-",
            e.code or "-",
            e.status,
            e.source,
            e.last_seen.strftime("%Y-%m-%d %H:%M"),
        )
    console.print(t)


@app.command("add")
def add(
    kind: str = typer.Argument(
        ..., help="phone/account/url/domain/qq/wechat/id_number/device/ip/app"
    ),
    value: str = typer.Argument(...),
    grade: int = typer.Option(3, min=1, max=3, help="1 低 2 中 3 高"),
    reason: str = typer.Option(..., help="列入原因（中文）"),
    fraud_type: str = typer.Option(None, help="诈骗类型，如 刷单返利类"),
    code: str = typer.Option(None, help="可疑名单代码 1001–3008/9999"),
    source: str = typer.Option("analyst", help="detector/analyst/partner/public"),
    police_authorised: bool = typer.Option(False, help="经公安授权保存原始值"),
) -> None:
    """登记一个标识（平台分析员身份）。"""
    from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
    from fanzha.registry.service import RegistryError, ReportInput, Source

    try:
        item = ReportInput(
            kind,
            value,
            RiskLevel(grade),
            Source(source),
            reason,
            fraud_type=FraudType(fraud_type) if fraud_type else None,
            code=SuspiciousCode(code) if code else None,
            police_authorised=police_authorised,
        )
        with _service() as svc:
            e = svc.report(item, PLATFORM_OPERATOR)
            console.print(f"已登记 #{e.id} {e.masked} 状态 {e.status} 等级 {e.grade}")
    except (RegistryError, ValueError) as exc:
        _fail(exc)


@app.command("list")
def list_(
    kind: str = typer.Option(None),
    status: str = typer.Option(
        None, help="active/appealing/pending_review/lifted/expired/rejected"
    ),
    min_grade: int = typer.Option(None),
    limit: int = typer.Option(50),
) -> None:
    """列出名单条目（最新在前）。"""
    with _service() as svc:
        try:
            _print_entries(svc.search(kind=kind, status=status, min_grade=min_grade, limit=limit))
        except ValueError as exc:
            _fail(exc)


@app.command("search")
def search(kind: str = typer.Argument(...), value: str = typer.Argument(...)) -> None:
    """按原始值查询（先计算密钥哈希，库中不存原始值）。"""
    with _service() as svc:
        try:
            rows = svc.search(kind=kind, value=value)
        except ValueError as exc:
            _fail(exc)
        if not rows:
            console.print("未在名单中。")
            return
        _print_entries(rows)


@app.command("show")
def show(entry_id: int) -> None:
    """条目详情（含限制说明、申诉渠道、所需材料）。"""
    from fanzha.registry.service import RegistryError, entry_view

    with _service() as svc:
        try:
            view = entry_view(svc.get(entry_id), PLATFORM_OPERATOR)
        except RegistryError as exc:
            _fail(exc)
        console.print_json(json.dumps(view, ensure_ascii=False))


@app.command("history")
def history(entry_id: int) -> None:
    """条目的完整变更历史（只追加）。"""
    from fanzha.registry.service import RegistryError, event_view

    with _service() as svc:
        try:
            events = svc.history(entry_id)
        except RegistryError as exc:
            _fail(exc)
        t = Table("时间", "动作", "状态", "等级", "来源", "机构", "说明")
        for ev in events:
            v = event_view(ev, PLATFORM_OPERATOR)
            t.add_row(
                ev.at.strftime("%Y-%m-%d %H:%M:%S"),
                ev.action,
                ev.status_after,
                str(ev.grade_after),
                str(v.get("source") or "-"),
                str(v.get("actor_org") or "-"),
                json.dumps(ev.detail, ensure_ascii=False)[:60],
            )
        console.print(t)


@app.command("import-suspicious")
def import_suspicious_cmd(
    file: Path = typer.Argument(..., exists=True, help="CSV/JSON/JSONL 可疑名单"),
    org: str = typer.Option(..., help="报送机构ID（仅平台和公安可见）"),
    org_kind: str = typer.Option("bank", help="bank/payment"),
) -> None:
    """导入银行/支付机构报送的可疑名单（代码 1001–3008、9999）。"""
    from fanzha.registry.intake import import_suspicious, read_rows
    from fanzha.registry.service import RegistryError

    reporter = Principal(org, OrgKind(org_kind), frozenset({Role.PARTNER}), user_id="cli")
    with _service() as svc:
        try:
            result = import_suspicious(svc, read_rows(file), reporter)
        except (RegistryError, ValueError) as exc:
            _fail(exc)
    console.print(
        f"接收 {result.accepted} 行，登记 {result.listed} 个标识，拒收 {len(result.errors)} 处问题。"
    )
    for err in result.errors[:50]:
        console.print(f"  [yellow]{err}[/yellow]")
    if result.errors and not result.accepted:
        raise typer.Exit(1)


@app.command("review")
def review(
    entry_id: int,
    accept: bool = typer.Option(..., "--accept/--reject"),
    note: str = typer.Option(""),
) -> None:
    """复核群众举报：确认后才生效。"""
    from fanzha.registry.service import RegistryError

    with _service() as svc:
        try:
            e = svc.review_report(entry_id, accept, PLATFORM_OPERATOR, note)
        except RegistryError as exc:
            _fail(exc)
        console.print(f"#{e.id} → {e.status}")


@app.command("lift")
def lift(entry_id: int, reason: str = typer.Option(...)) -> None:
    """解除名单限制（保留历史）。"""
    from fanzha.registry.service import RegistryError

    with _service() as svc:
        try:
            e = svc.lift(entry_id, PLATFORM_OPERATOR, reason)
        except RegistryError as exc:
            _fail(exc)
        console.print(f"#{e.id} 已解除")


@app.command("expire")
def expire() -> None:
    """使到期条目失效。"""
    with _service() as svc:
        console.print(f"到期失效 {svc.expire_due()} 条")


@app.command("sync-index")
def sync_index(
    snapshot: Path = typer.Option(None, help="写出内存索引快照目录（.npy，可 mmap）"),
) -> None:
    """把生效条目写入热路径索引：Redis（FANZHA_REDIS_URL）或快照文件。"""
    import numpy as np

    from fanzha.registry.index import MemoryIndex
    from fanzha.registry.keys import hash_prefix

    with _service() as svc:
        rows = list(svc.active_index_rows())
        index = svc.index
    prefixes = np.array([hash_prefix(h) for h, _ in rows], dtype=np.int64)
    infos = np.array([i for _, i in rows], dtype=np.uint16)
    if snapshot:
        MemoryIndex.build(prefixes, infos).save(snapshot)
        console.print(f"快照 {len(rows)} 条 → {snapshot}")
    if index is not None:
        index.clear()
        index.load_arrays(prefixes, infos)
        console.print(f"Redis 索引 {len(rows)} 条")
    if not snapshot and index is None:
        console.print("未设置 FANZHA_REDIS_URL，也未给 --snapshot：无事可做。")


@appeal_app.command("submit")
def appeal_submit(
    entry_id: int,
    statement: str = typer.Option(..., help="申诉人陈述"),
    channel: str = typer.Option("counter", help="counter/hotline/app/online/police"),
    document: list[str] = typer.Option([], help="提交的材料（可多次）"),
    applicant: str = typer.Option(None, help="申诉人（脱敏）"),
) -> None:
    """提交申诉（复核期内限制不解除）。"""
    from fanzha.registry.service import RegistryError

    with _service() as svc:
        try:
            a = svc.submit_appeal(entry_id, statement, channel, document, applicant)
        except RegistryError as exc:
            _fail(exc)
        console.print(
            f"申诉 #{a.id} 已受理；身份核验期限 {a.reverify_due_at:%Y-%m-%d %H:%M} UTC，"
            f"复核期限 {a.review_due_at:%Y-%m-%d %H:%M} UTC"
        )


@appeal_app.command("review")
def appeal_review(
    appeal_id: int,
    passed: bool = typer.Option(..., "--passed/--failed", help="身份/用途核验是否通过"),
    note: str = typer.Option(""),
) -> None:
    """复核申诉：核验通过立即解除；否则维持。"""
    from fanzha.registry.service import RegistryError

    with _service() as svc:
        try:
            a = svc.review_appeal(appeal_id, passed, PLATFORM_OPERATOR, note)
        except RegistryError as exc:
            _fail(exc)
        console.print(f"申诉 #{a.id} → {'已解除' if a.status == 'lifted' else '维持'}")


@appeal_app.command("list")
def appeal_list(
    status: str = typer.Option(None, help="submitted/lifted/upheld"),
    overdue: bool = typer.Option(False, help="只看超过复核期限的"),
) -> None:
    """列出申诉。"""
    with _service() as svc:
        rows = svc.overdue_appeals() if overdue else svc.appeals(status)
        t = Table("ID", "条目", "状态", "渠道", "提交", "核验期限", "复核期限")
        for a in rows:
            t.add_row(
                str(a.id),
                str(a.entry_id),
                a.status,
                a.channel,
                f"{a.submitted_at:%Y-%m-%d %H:%M}",
                f"{a.reverify_due_at:%Y-%m-%d %H:%M}",
                f"{a.review_due_at:%Y-%m-%d %H:%M}",
            )
        console.print(t)
