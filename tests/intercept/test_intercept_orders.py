"""Orders and their legal clocks, on the embedded SQLite and on real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from fanzha.domain.clock import FixedClock
from fanzha.domain.limits import LIMITS
from fanzha.intercept import orders as o
from fanzha.intercept import reports as r
from fanzha.store.db import get_engine, session_scope
from fanzha.store.migrate import upgrade

T0 = datetime(2026, 5, 11, 8, 0, tzinfo=UTC)
BANK = "icbc"
POLICE = "sz-anti-fraud"


def req(order_type: o.OrderType, **kw) -> o.OrderRequest:
    base = {
        "order_type": order_type,
        "case_no": "A4403002026051100123",
        "reason": "被害人被冒充客服诈骗，资金转入该账户",
        "operator": "警号 012345",
        "co_operator": "警号 012346",
        "addressee_org": BANK,
        "account": "6222000011112222",
        "account_name": "李某",
        "amount_fen": 5_000_000,
    }
    base.update(kw)
    return o.OrderRequest(**base)


@pytest.fixture
def session(data_dir: Path):
    upgrade()
    with session_scope(get_engine()) as s:
        yield s


def run_stop_freeze_story(s: Session) -> None:
    clock = FixedClock(T0)
    stop1 = o.issue(s, req(o.OrderType.STOP), POLICE, clock.now())
    assert stop1.status == "sent" and stop1.reply_due_at == T0 + LIMITS.order_reply_deadline
    assert stop1.application_no.startswith("ZF")
    with pytest.raises(o.OrderScopeError):
        o.execute(s, stop1.id, "other-bank", o.Reply(), clock.now())
    clock.advance(timedelta(minutes=7))
    o.execute(s, stop1.id, BANK, o.Reply(amount_fen=4_800_000, balance_fen=4_800_000), clock.now())
    assert stop1.status == "in_force"
    assert stop1.expires_at == T0 + timedelta(minutes=7) + timedelta(hours=48)
    # second stop = extension; third stop refused at issue
    clock.advance(timedelta(hours=40))
    stop2 = o.issue(s, req(o.OrderType.STOP_EXTEND, parent_id=stop1.id), POLICE, clock.now())
    o.execute(s, stop2.id, BANK, o.Reply(amount_fen=4_800_000), clock.now())
    assert stop1.status == "renewed" and stop2.status == "in_force"
    with pytest.raises(o.OrderError, match="不得超过 2 次"):
        o.issue(s, req(o.OrderType.STOP), POLICE, clock.now())
    # just before expiry nothing lapses; after 48 h the stop lapses (no freeze followed)
    clock.set(stop2.expires_at - timedelta(seconds=1))
    assert o.expire_due(s, clock.now()) == {"lapsed": [], "expired": []}
    clock.set(stop2.expires_at)
    assert o.expire_due(s, clock.now())["lapsed"] == [stop2.id]
    assert stop2.status == "lapsed" and stop2.closed_at == stop2.expires_at


def test_third_stop_blocked_and_stop_lapses_without_freeze(session):
    run_stop_freeze_story(session)


@pytest.mark.postgres
def test_stop_clocks_on_postgres(pg_data_dir):
    upgrade()
    with session_scope(get_engine()) as s:
        run_stop_freeze_story(s)


def test_freeze_converts_stop_then_expires_unless_renewed(session):
    s = session
    clock = FixedClock(T0)
    stop = o.issue(s, req(o.OrderType.STOP), POLICE, clock.now())
    o.execute(s, stop.id, BANK, o.Reply(amount_fen=100), clock.now())
    clock.advance(timedelta(hours=20))
    fr = o.issue(s, req(o.OrderType.FREEZE, parent_id=stop.id), POLICE, clock.now())
    o.execute(s, fr.id, BANK, o.Reply(amount_fen=4_000_000, balance_fen=4_500_000), clock.now())
    assert stop.status == "converted"
    assert fr.expires_at == clock.now() + timedelta(days=LIMITS.freeze_duration_days)
    assert fr.reply["available_balance_fen"] == 500_000 and fr.reply["prior_freezes"] == []
    # the stop would have lapsed at +48 h: it does not, it was converted
    clock.advance(timedelta(hours=30))
    assert o.expire_due(s, clock.now()) == {"lapsed": [], "expired": []}
    # renew before expiry: the new period runs from the old expiry
    clock.set(fr.expires_at - timedelta(days=2))
    ext = o.issue(s, req(o.OrderType.FREEZE_EXTEND, parent_id=fr.id), POLICE, clock.now())
    o.execute(s, ext.id, BANK, o.Reply(amount_fen=4_000_000), clock.now())
    assert fr.status == "renewed"
    assert ext.expires_at == fr.expires_at + timedelta(days=LIMITS.freeze_duration_days)
    clock.set(ext.expires_at)
    assert o.expire_due(s, clock.now())["expired"] == [ext.id]
    assert ext.status == "expired"
    # an expired freeze can no longer be extended
    with pytest.raises(o.OrderError):
        o.issue(s, req(o.OrderType.FREEZE_EXTEND, parent_id=ext.id), POLICE, clock.now())


def test_serious_freeze_needs_approval_and_lasts_a_year_and_prior_freezes(session):
    s = session
    with pytest.raises(o.OrderError, match="地市级"):
        o.issue(s, req(o.OrderType.FREEZE, serious=True), POLICE, T0)
    first = o.issue(s, req(o.OrderType.FREEZE, amount_fen=1_000), "other-police", T0)
    o.execute(s, first.id, BANK, o.Reply(amount_fen=1_000), T0)
    fr = o.issue(
        s,
        req(o.OrderType.FREEZE, serious=True, approval_ref="深公(反诈)批字〔2026〕88号"),
        POLICE,
        T0,
    )
    o.execute(s, fr.id, BANK, o.Reply(amount_fen=9_000, balance_fen=12_000), T0)
    assert fr.expires_at == T0 + timedelta(days=365)
    assert fr.reply["prior_freezes"][0]["authority"] == "other-police"
    assert fr.reply["available_balance_fen"] == 2_000
    lift = o.issue(s, req(o.OrderType.FREEZE_LIFT, parent_id=first.id), "other-police", T0)
    o.execute(s, lift.id, BANK, o.Reply(), T0 + timedelta(hours=1))
    assert first.status == "lifted" and lift.status == "done"


def test_stop_refused_on_mismatch_does_not_count_and_queries_answered(session):
    s = session
    st1 = o.issue(s, req(o.OrderType.STOP), POLICE, T0)
    o.execute(s, st1.id, BANK, o.Reply(matched=False, note="户名不符"), T0)
    assert st1.status == "refused"
    # refused stops do not count towards the two
    a = o.issue(s, req(o.OrderType.STOP), POLICE, T0)
    assert a.status == "sent"
    q = o.issue(
        s,
        req(o.OrderType.QUERY_ID_ACCOUNTS, account=None, id_number="440300199001011234"),
        POLICE,
        T0,
    )
    assert q.application_no.startswith("CX")
    o.execute(s, q.id, BANK, o.Reply(records=[{"account": "6222000011112222"}]), T0)
    assert q.status == "answered" and q.reply["records"][0]["account"] == "6222000011112222"
    with pytest.raises(o.OrderError):
        o.issue(s, req(o.OrderType.QUERY_ID_ACCOUNTS, account=None), POLICE, T0)


def test_reply_deadline_and_bank_scope(session):
    s = session
    mine = o.issue(s, req(o.OrderType.STOP), POLICE, T0)
    o.issue(s, req(o.OrderType.FREEZE, addressee_org="ccb"), POLICE, T0)
    assert [x.id for x in o.list_orders(s, addressee_org=BANK)] == [mine.id]
    assert len(o.list_orders(s, issuing_org=POLICE)) == 2
    late = T0 + timedelta(hours=25)
    assert [x.id for x in o.overdue(s, late, addressee_org=BANK)] == [mine.id]
    assert o.order_view(mine, late)["reply_overdue"] is True
    o.execute(s, mine.id, BANK, o.Reply(amount_fen=1), late)
    assert mine.reply["late"] is True


def test_report_clock(session):
    s = session
    rep = r.ReportIn(
        case_no="A4403002026051100123",
        victim_id="v-001",
        reported_at=T0,
        involved=r.Involved(numbers=["+8617000000000"], urls=["http://kefu-tuikuan.example"]),
        transfers=[
            r.VictimTransfer(payee_account="6222000011112222", amount_fen=5_000_000, time=T0)
        ],
    )
    row = r.file_report(s, rep, POLICE, T0 + timedelta(minutes=1))
    assert row.loss_fen == 5_000_000
    clock = r.entry_clock(row, T0 + timedelta(minutes=10))
    assert clock["status"] == "running" and clock["seconds_left"] == 20 * 60
    assert r.entry_clock(row, T0 + timedelta(minutes=31))["status"] == "overdue"
    r.mark_entered(s, row.id, T0 + timedelta(minutes=25))
    assert r.entry_clock(row, T0 + timedelta(hours=3))["status"] == "met"
    seeds = r.seeds_of(row)
    assert seeds[0].account == "6222000011112222" and seeds[0].time == T0
