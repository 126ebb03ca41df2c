"""Registry service: listing, merging, review, lifting, expiry, appeals (simulated time), scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import sessionmaker

from fanzha.access.principal import OrgKind, Principal, Role
from fanzha.domain.clock import FixedClock
from fanzha.domain.limits import LIMITS
from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
from fanzha.registry.index import MemoryIndex
from fanzha.registry.service import (
    RegistryError,
    RegistryService,
    ReportInput,
    Source,
    Status,
    entry_view,
    event_view,
)
from fanzha.store.db import make_engine
from fanzha.store.migrate import upgrade

SECRET = b"test-secret"
BANK_A = Principal("bank-a", OrgKind.BANK, frozenset({Role.PARTNER}))
BANK_B = Principal("bank-b", OrgKind.BANK, frozenset({Role.PARTNER}))
POLICE = Principal("sz-police", OrgKind.CITY_POLICE, frozenset({Role.ANALYST, Role.INVESTIGATOR}))
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def env(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'reg.db'}")
    upgrade(engine=engine)
    session = sessionmaker(bind=engine, expire_on_commit=False)()
    clock = FixedClock(START)
    index = MemoryIndex()
    yield RegistryService(session, SECRET, clock, index), clock, index
    session.close()
    engine.dispose()


def _case_account(account: str = "6222021234567890128") -> ReportInput:
    return ReportInput(
        "account",
        account,
        RiskLevel.HIGH,
        Source.PARTNER,
        "受害人报案涉及该收款账户",
        code=SuspiciousCode.CASE_ACCOUNT,
        fraud_type=FraudType.SHUADAN,
    )


def test_listing_is_keyed_by_hash_and_masked(env):
    svc, _, index = env
    entry = svc.report(_case_account(), BANK_A)
    assert entry.status == Status.ACTIVE
    assert "1234567890" not in entry.masked and entry.masked.endswith("0128")
    assert entry.raw_value is None  # partner entries never keep the raw value
    assert len(entry.key_hash) == 64
    # the same account written differently is the same entry
    again = svc.report(_case_account("6222 0212 3456 7890 128"), BANK_B)
    assert again.id == entry.id and again.report_count == 2
    hit = index.get(entry.key_hash)
    assert (
        hit is not None and hit.grade == RiskLevel.HIGH and hit.code == SuspiciousCode.CASE_ACCOUNT
    )


def test_raw_value_only_under_police_authority(env):
    svc, _, _ = env
    item = ReportInput(
        "phone",
        "13812345678",
        RiskLevel.HIGH,
        Source.ANALYST,
        "冒充公检法来电",
        police_authorised=True,
    )
    by_bank = svc.report(item, BANK_A)
    assert by_bank.raw_value is None
    by_police = svc.report(item, POLICE)
    assert by_police.raw_value == "13812345678"
    assert entry_view(by_police, POLICE)["value"] == "13812345678"
    assert "value" not in entry_view(by_police, BANK_A)


def test_scope_bank_never_learns_which_bank_reported(env):
    svc, _, _ = env
    entry = svc.report(_case_account(), BANK_A)
    view = entry_view(entry, BANK_B)
    assert "source" not in view and "evidence" not in view
    assert "bank-a" not in repr(view)
    history = [event_view(e, BANK_B) for e in svc.history(entry.id)]
    assert history and "bank-a" not in repr(history)
    police_history = [event_view(e, POLICE) for e in svc.history(entry.id)]
    assert police_history[0]["actor_org"] == "bank-a"


def test_grade_only_rises_while_active_and_history_is_append_only(env):
    svc, clock, _ = env
    e = svc.report(
        ReportInput("phone", "13812345678", RiskLevel.MEDIUM, Source.DETECTOR, "模型发现")
    )
    clock.advance(timedelta(hours=1))
    svc.report(ReportInput("phone", "13812345678", RiskLevel.LOW, Source.PARTNER, "骚扰"))
    assert e.grade == RiskLevel.MEDIUM
    svc.report(ReportInput("phone", "13812345678", RiskLevel.HIGH, Source.ANALYST, "已核实诈骗"))
    assert e.grade == RiskLevel.HIGH and e.reason == "已核实诈骗"
    actions = [ev.action for ev in svc.history(e.id)]
    assert actions == ["listed", "updated", "updated"]
    assert e.last_seen == START + timedelta(hours=1)


def test_public_report_restricts_only_after_review(env):
    svc, _, index = env
    e = svc.report(
        ReportInput(
            "url", "http://fake-bank.example/login", RiskLevel.HIGH, Source.PUBLIC, "仿冒银行网站"
        )
    )
    assert e.status == Status.PENDING_REVIEW and index.get(e.key_hash) is None
    svc.review_report(e.id, accept=True, principal=POLICE, note="已核实")
    assert e.status == Status.ACTIVE and index.get(e.key_hash) is not None
    rejected = svc.report(
        ReportInput("phone", "13900001111", RiskLevel.HIGH, Source.PUBLIC, "怀疑")
    )
    svc.review_report(rejected.id, accept=False, principal=POLICE)
    assert rejected.status == Status.REJECTED and index.get(rejected.key_hash) is None


def test_expiry_removes_from_index(env):
    svc, clock, index = env
    e = svc.report(
        ReportInput("phone", "13812345678", RiskLevel.MEDIUM, Source.DETECTOR, "模型发现")
    )
    clock.advance(timedelta(days=89))
    assert svc.expire_due() == 0
    clock.advance(timedelta(days=2))
    assert svc.expire_due() == 1
    assert e.status == Status.EXPIRED and index.get(e.key_hash) is None


def test_appeal_lift_on_passed_verification_is_immediate(env):
    svc, clock, index = env
    e = svc.report(_case_account(), BANK_A)
    appeal = svc.submit_appeal(
        e.id, "本人账户被盗用，已挂失", channel="counter", documents=["身份证", "挂失证明"]
    )
    assert e.status == Status.APPEALING
    assert index.get(e.key_hash) is not None  # restriction holds during review
    assert appeal.review_due_at == START + LIMITS.appeal_review_deadline
    assert appeal.reverify_due_at == START + LIMITS.reverify_deadline
    clock.advance(timedelta(hours=3))
    svc.review_appeal(appeal.id, verification_passed=True, principal=BANK_A, note="柜面核验通过")
    assert e.status == Status.LIFTED and appeal.status == "lifted"
    assert appeal.decided_at == START + timedelta(hours=3)
    assert index.get(e.key_hash) is None
    actions = [ev.action for ev in svc.history(e.id)]
    assert actions == ["listed", "appeal_submitted", "appeal_lifted"]
    with pytest.raises(RegistryError):
        svc.submit_appeal(e.id, "再次申诉")


def test_appeal_deadlines_in_simulated_time(env):
    svc, clock, _ = env
    e = svc.report(_case_account(), BANK_A)
    appeal = svc.submit_appeal(e.id, "非本人操作", channel="hotline")
    clock.advance(LIMITS.reverify_deadline - timedelta(minutes=1))
    assert svc.reverify_overdue() == []
    clock.advance(timedelta(minutes=2))
    assert [a.id for a in svc.reverify_overdue()] == [appeal.id]
    assert svc.overdue_appeals() == []
    clock.set(START + LIMITS.appeal_review_deadline + timedelta(seconds=1))
    assert [a.id for a in svc.overdue_appeals()] == [appeal.id]
    svc.review_appeal(
        appeal.id, verification_passed=False, principal=POLICE, note="资金流水证实涉案"
    )
    assert appeal.status == "upheld" and e.status == Status.ACTIVE
    last = svc.history(e.id)[-1]
    assert last.action == "appeal_upheld" and last.detail["late"] is True
    assert svc.overdue_appeals() == []


def test_appeal_validation(env):
    svc, _, _ = env
    e = svc.report(_case_account(), BANK_A)
    with pytest.raises(RegistryError, match="channel"):
        svc.submit_appeal(e.id, "x", channel="carrier-pigeon")
    with pytest.raises(RegistryError, match="statement"):
        svc.submit_appeal(e.id, "  ")
    svc.submit_appeal(e.id, "申诉")
    with pytest.raises(RegistryError, match="already open"):
        svc.submit_appeal(e.id, "再次")


def test_entry_view_carries_restriction_notice(env):
    svc, _, _ = env
    view = entry_view(svc.report(_case_account(), BANK_A), BANK_B)
    notice = view["notice"]
    assert notice["reason"] == "受害人报案涉及该收款账户"
    assert "申诉" in notice["appeal_channel"]
    assert any("身份证件" in d for d in notice["documents"])


@pytest.mark.postgres
def test_registry_workflow_on_postgresql(pg_url):
    engine = make_engine(pg_url)
    upgrade(engine=engine)
    session = sessionmaker(bind=engine, expire_on_commit=False)()
    try:
        clock = FixedClock(START)
        svc = RegistryService(session, SECRET, clock, MemoryIndex())
        e = svc.report(_case_account(), BANK_A)
        svc.report(_case_account(), BANK_B)
        appeal = svc.submit_appeal(e.id, "非本人操作", documents=["身份证"])
        clock.advance(LIMITS.appeal_review_deadline + timedelta(hours=1))
        assert [a.id for a in svc.overdue_appeals()] == [appeal.id]
        svc.review_appeal(appeal.id, verification_passed=True, principal=POLICE)
        session.commit()
        again = svc.get(e.id)
        assert again.status == Status.LIFTED and again.report_count == 2
        assert [ev.action for ev in svc.history(e.id)] == [
            "listed",
            "updated",
            "appeal_submitted",
            "appeal_lifted",
        ]
        assert svc.history(e.id)[-1].detail["late"] is True
        assert again.first_seen.tzinfo is not None
    finally:
        session.close()
        engine.dispose()
