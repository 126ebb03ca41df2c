"""``fanzha orders issue|list|execute|refuse|expire``: stop-payment, freeze and query orders."""

from __future__ import annotations

from datetime import UTC, datetime

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(help="止付、冻结、查询指令。", no_args_is_help=True)
console = Console()


def _setup() -> None:
    from fanzha.settings import get_settings
    from fanzha.store.migrate import upgrade

    get_settings().ensure_dirs()
    upgrade()


def _now(at: str | None) -> datetime:
    if at is None:
        return datetime.now(UTC)
    when = datetime.fromisoformat(at)
    if when.tzinfo is None:
        raise typer.BadParameter("--at 须带时区，如 2026-05-11T08:00:00+08:00")
    return when


def _audit(session, action: str, refs: list, detail: dict, now: datetime, org: str | None = None):  # noqa: ANN001, ANN202
    from fanzha.access import audit
    from fanzha.access.principal import PLATFORM_OPERATOR, OrgKind, Principal

    who = PLATFORM_OPERATOR
    if org is not None and org != PLATFORM_OPERATOR.org_id:
        who = Principal(org_id=org, org_kind=OrgKind.BANK, user_id="cli")
    audit.record(session, who, action, "intercept_order", refs, detail, now)


def _fen(text: str | None) -> int | None:
    from fanzha.domain.money import MoneyError, parse_yuan_to_fen

    if text is None:
        return None
    try:
        return parse_yuan_to_fen(text)
    except MoneyError as exc:
        raise typer.BadParameter(str(exc)) from exc


@app.command("issue")
def issue_cmd(
    order_type: str = typer.Argument(..., help="stop_payment|stop_extend|stop_lift|freeze|..."),
    case_no: str = typer.Option(..., "--case"),
    reason: str = typer.Option(..., "--reason"),
    operator: str = typer.Option(..., "--operator"),
    bank: str = typer.Option(..., "--bank", help="接收机构编号"),
    account: str = typer.Option(None, "--account"),
    account_name: str = typer.Option(None, "--name", help="户名"),
    amount: str = typer.Option(None, "--amount", help="金额（元）"),
    id_number: str = typer.Option(None, "--id-number"),
    co_operator: str = typer.Option(None, "--co-operator"),
    urgency: str = typer.Option("urgent", "--urgency"),
    case_type: str = typer.Option("电信网络诈骗", "--case-type"),
    parent: int = typer.Option(None, "--parent", help="延长/解除/继续冻结所针对的原指令编号"),
    serious: bool = typer.Option(False, "--serious", help="重大案件（冻结一年，须审批文号）"),
    approval: str = typer.Option(None, "--approval"),
    issuer: str = typer.Option("platform", "--issuer", help="发出指令的公安机关编号"),
    at: str = typer.Option(None, "--at", help="模拟时间 (ISO 8601，带时区)"),
) -> None:
    """Issue an order to a bank (as the platform operator)."""
    from pydantic import ValidationError

    from fanzha.intercept import orders as o
    from fanzha.store.db import session_scope

    _setup()
    now = _now(at)
    try:
        req = o.OrderRequest(
            order_type=order_type,
            urgency=urgency,
            case_no=case_no,
            case_type=case_type,
            reason=reason,
            operator=operator,
            co_operator=co_operator,
            addressee_org=bank,
            account=account,
            account_name=account_name,
            id_number=id_number,
            amount_fen=_fen(amount),
            serious=serious,
            approval_ref=approval,
            parent_id=parent,
        )
    except ValidationError as exc:
        raise typer.BadParameter(str(exc)) from exc
    try:
        with session_scope() as s:
            order = o.issue(s, req, issuer, now)
            _audit(s, "order.issue", [order.id], {"type": order.order_type}, now)
            console.print(
                f"已发出{o.TYPE_TEXT[o.OrderType(order.order_type)]}指令 #{order.id} "
                f"{order.application_no}，答复期限 {order.reply_due_at:%Y-%m-%d %H:%M} UTC"
            )
    except (o.OrderError, LookupError) as exc:
        console.print(f"[red]拒绝: {exc}[/red]")
        raise typer.Exit(1) from exc


@app.command("list")
def list_cmd(
    bank: str = typer.Option(None, "--bank", help="只看发给该机构的指令（银行队列）"),
    issuer: str = typer.Option(None, "--issuer"),
    status: str = typer.Option(None, "--status"),
    case_no: str = typer.Option(None, "--case"),
    at: str = typer.Option(None, "--at"),
) -> None:
    """List orders."""
    from fanzha.domain.money import format_fen
    from fanzha.intercept import orders as o
    from fanzha.store.db import session_scope

    _setup()
    now = _now(at)
    with session_scope() as s:
        rows = o.list_orders(
            s, addressee_org=bank, issuing_org=issuer, status=status, case_no=case_no
        )
        tab = Table(title=f"指令 {len(rows)} 条")
        for col in ("#", "申请编号", "类型", "状态", "接收机构", "账号", "金额", "到期/答复期限"):
            tab.add_column(col)
        for r in rows:
            v = o.order_view(r, now)
            clock = v["expires_at"] or v["reply_due_at"]
            flag = " 超期未答复" if v["reply_overdue"] else ""
            tab.add_row(
                str(r.id),
                r.application_no,
                v["order_type_text"],
                r.status + flag,
                r.addressee_org,
                r.account or r.id_number or "",
                format_fen(r.amount_fen) if r.amount_fen is not None else "",
                f"{clock:%Y-%m-%d %H:%M}",
            )
        console.print(tab)


@app.command("execute")
def execute_cmd(
    order_id: int = typer.Argument(...),
    bank: str = typer.Option(..., "--bank", help="答复机构（须为指令接收机构）"),
    amount: str = typer.Option(None, "--amount", help="实际止付/冻结金额（元）"),
    balance: str = typer.Option(None, "--balance", help="账户余额（元）"),
    mismatch: bool = typer.Option(False, "--mismatch", help="户名/账号/金额/时间不符，不予执行"),
    note: str = typer.Option(None, "--note"),
    at: str = typer.Option(None, "--at"),
) -> None:
    """A bank executes an order and replies."""
    from fanzha.intercept import orders as o
    from fanzha.store.db import session_scope

    _setup()
    now = _now(at)
    reply = o.Reply(
        matched=not mismatch, amount_fen=_fen(amount), balance_fen=_fen(balance), note=note
    )
    try:
        with session_scope() as s:
            order = o.execute(s, order_id, bank, reply, now)
            _audit(s, "order.reply", [order.id], {"status": order.status}, now, org=bank)
            until = f"，有效期至 {order.expires_at:%Y-%m-%d %H:%M} UTC" if order.expires_at else ""
            console.print(f"指令 #{order.id} {order.application_no}: {order.status}{until}")
    except (o.OrderError, o.OrderScopeError, LookupError) as exc:
        console.print(f"[red]失败: {exc}[/red]")
        raise typer.Exit(1) from exc


@app.command("refuse")
def refuse_cmd(
    order_id: int = typer.Argument(...),
    bank: str = typer.Option(..., "--bank"),
    reason: str = typer.Option(..., "--reason"),
    at: str = typer.Option(None, "--at"),
) -> None:
    """A bank refuses an order (e.g. the account details do not match)."""
    from fanzha.intercept import orders as o
    from fanzha.store.db import session_scope

    _setup()
    now = _now(at)
    try:
        with session_scope() as s:
            order = o.refuse(s, order_id, bank, reason, now)
            _audit(s, "order.refuse", [order.id], {}, now, org=bank)
            console.print(f"指令 #{order.id} 已拒绝执行")
    except (o.OrderError, o.OrderScopeError, LookupError) as exc:
        console.print(f"[red]失败: {exc}[/red]")
        raise typer.Exit(1) from exc


@app.command("expire")
def expire_cmd(
    at: str = typer.Option(None, "--at", help="按该时间执行到期处理（默认现在）"),
) -> None:
    """Apply the legal clocks: lapse stops after 48 h, lift freezes not renewed."""
    from fanzha.intercept import orders as o
    from fanzha.store.db import session_scope

    _setup()
    now = _now(at)
    with session_scope() as s:
        done = o.expire_due(s, now)
        if done["lapsed"] or done["expired"]:
            _audit(s, "order.expire", done["lapsed"] + done["expired"], done, now)
    console.print(f"止付到期失效 {len(done['lapsed'])} 条，冻结到期解除 {len(done['expired'])} 条")
