"""The warning loop in simulated time: levels, merging, dispatch, escalation, outcomes, scope."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
import sqlalchemy
from sqlalchemy import func, select

from fanzha.access.orgs import add_org
from fanzha.access.principal import PLATFORM_OPERATOR, OrgKind, Principal, Role
from fanzha.domain.clock import FixedClock
from fanzha.domain.taxonomy import WarningLevel
from fanzha.store.db import get_engine, session_scope
from fanzha.store.migrate import upgrade
from fanzha.store.tables.warn import (
    OperatorRequest,
    WarnInbox,
    WarningSignal,
    WarnLabel,
    WarnTask,
)
from fanzha.warn.service import WarnError, WarningService

SECRET = b"test-secret"
T0 = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
# resident IDs with valid check digits: Chengdu Jinjiang (510104) and Wuhou (510107)
ELDER = "510104195001010015"  # born 1950: 76 years old
YOUNG = "510107199505050012"  # born 1995
OTHER = "510104198803030017"


def _valid(pid: str) -> str:
    from fanzha.domain.identifiers.resident_id import check_char

    return pid[:17] + check_char(pid[:17])


ELDER, YOUNG, OTHER = _valid(ELDER), _valid(YOUNG), _valid(OTHER)


def _exposure(
    pid: str,
    kind: str,
    at: datetime,
    *,
    duration: int = 0,
    grade: int = 3,
    ftype: str = "冒充公检法及政府机关类",
    counterpart: str = "16512345678",
    phone: str = "13800135678",
) -> dict:
    ckind = "bank_card" if kind == "transfer" else "phone"
    return dict(
        person_id=pid,
        signal_kind=kind,
        fraud_type=ftype,
        grade=grade,
        at=at,
        duration_s=duration,
        counterpart_kind=ckind,
        counterpart=counterpart,
        phone=phone,
        age=0,
        division_code=pid[:6],
    )


def _frame(rows: list[dict]) -> pd.DataFrame:
    df = pd.DataFrame(rows)
    df["age"] = [(2026 - int(p[6:10])) for p in df["person_id"]]
    return df


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request):
    """The same region on the embedded SQLite and on the real PostgreSQL."""
    request.getfixturevalue("data_dir" if request.param == "sqlite" else "pg_data_dir")
    upgrade()
    with session_scope() as s:
        add_org(s, "sc", "四川省公安厅", OrgKind.PROVINCE_POLICE, "510000", now=T0)
        add_org(s, "cd", "成都市公安局", OrgKind.CITY_POLICE, "510100", "sc", now=T0)
        add_org(s, "jj", "锦江分局", OrgKind.COUNTY_POLICE, "510104", "cd", now=T0)
        add_org(s, "wh", "武侯分局", OrgKind.COUNTY_POLICE, "510107", "cd", now=T0)
        add_org(s, "jj-1", "锦江某派出所", OrgKind.POLICE_STATION, "510104", "jj", now=T0)
    return get_engine()


def _officer(org: str, kind: OrgKind, code: str) -> Principal:
    return Principal(org_id=org, org_kind=kind, roles=frozenset({Role.OFFICER}), division_code=code)


def test_levels_merge_and_dispatch(world) -> None:
    clock = FixedClock(T0)
    with session_scope() as s:
        svc = WarningService(s, SECRET, clock)
        # a short SMS from a medium-grade number: low warning for the young person
        r = svc.process(
            _frame(
                [_exposure(YOUNG, "sms", T0 - timedelta(minutes=5), grade=2, phone="13900001111")]
            )
        )
        assert (r.opened, r.raised) == (1, 0)
        q = svc.queue(_officer("wh", OrgKind.COUNTY_POLICE, "510107"))
        assert len(q) == 1
        task, w = q[0]
        assert w.level == int(WarningLevel.LOW) and task.unit_org_id == "wh"
        assert w.phone_masked == "139****1111"
        assert "尾号5678" in w.sms_text and "http" not in w.sms_text
        # then a 6-minute call from a high-grade number: the same warning rises, not a new one
        clock.advance(timedelta(minutes=10))
        r = svc.process(
            _frame(
                [
                    _exposure(
                        YOUNG, "call", T0 + timedelta(minutes=8), duration=360, phone="13900001111"
                    )
                ]
            )
        )
        assert (r.opened, r.raised) == (0, 1)
        ((task2, w2),) = svc.queue(_officer("wh", OrgKind.COUNTY_POLICE, "510107"))
        assert w2.id == w.id and w2.level == int(WarningLevel.HIGH)
        assert task2.deadline <= clock.now() + timedelta(hours=24)
        assert s.scalar(select(func.count()).select_from(WarningSignal)) == 2
        # elderly person, same call → one level higher; money moving now → 紧急
        r = svc.process(_frame([_exposure(ELDER, "call", clock.now(), duration=70)]))
        elder_w = [w for _, w in svc.queue(_officer("jj", OrgKind.COUNTY_POLICE, "510104"))][0]
        assert elder_w.level == int(WarningLevel.HIGH)  # medium bumped for age 76
        assert elder_w.unit_org_id == "jj-1"  # the station of his county
        svc.process(
            _frame([_exposure(ELDER, "transfer", clock.now(), counterpart="6222020200112233445")])
        )
        s.refresh(elder_w)
        assert elder_w.level == int(WarningLevel.URGENT)
        assert set(elder_w.dimensions) == {"communication", "funds"}
        assert s.scalar(select(func.count()).select_from(WarnInbox)) == 2


def test_scope_county_sees_only_its_own(world) -> None:
    clock = FixedClock(T0)
    with session_scope() as s:
        svc = WarningService(s, SECRET, clock)
        svc.process(
            _frame(
                [
                    _exposure(YOUNG, "call", T0, duration=100),
                    _exposure(OTHER, "call", T0, duration=100, phone="13700000000"),
                ]
            )
        )
        wh = svc.queue(_officer("wh", OrgKind.COUNTY_POLICE, "510107"))
        jj = svc.queue(_officer("jj", OrgKind.COUNTY_POLICE, "510104"))
        city = svc.queue(_officer("cd", OrgKind.CITY_POLICE, "510100"))
        assert {w.division_code for _, w in wh} == {"510107"}
        assert {w.division_code for _, w in jj} == {"510104"}
        assert len(city) == 2
        bank = Principal(org_id="bank-a", org_kind=OrgKind.BANK, roles=frozenset({Role.PARTNER}))
        assert svc.queue(bank) == []
        ((task, _),) = wh
        with pytest.raises(WarnError, match="task_id"):
            svc.receive(task.id, _officer("jj", OrgKind.COUNTY_POLICE, "510104"))


def test_lifecycle_escalation_and_outcomes(world) -> None:
    clock = FixedClock(T0)
    officer = _officer("jj-1", OrgKind.POLICE_STATION, "510104")
    with session_scope() as s:
        svc = WarningService(s, SECRET, clock)
        svc.process(_frame([_exposure(ELDER, "transfer", T0)]))  # 紧急: 10-minute SLA
        ((task, w),) = svc.queue(officer)
        assert w.level == int(WarningLevel.URGENT)
        with pytest.raises(WarnError, match="status"):
            svc.start(task.id, officer)  # must be received first
        clock.advance(timedelta(minutes=11))
        (new,) = svc.escalate_due()
        assert new.unit_org_id == "jj" and new.escalations == 1
        assert s.scalar(select(func.count()).select_from(OperatorRequest)) == 1
        assert svc.escalate_due() == []  # the new task has a fresh deadline
        county = _officer("jj", OrgKind.COUNTY_POLICE, "510104")
        svc.receive(new.id, county)
        svc.start(new.id, county)
        closed = svc.record_outcome(new.id, "dissuaded", county, "已上门劝阻")
        assert closed.status == "closed" and closed.contacted_at is not None
        assert s.scalar(select(WarnLabel.label)) == "confirmed"
        with pytest.raises(WarnError, match="status"):
            svc.record_outcome(new.id, "false_alarm", county)
        # after closing, a new exposure opens a new warning
        r = svc.process(_frame([_exposure(ELDER, "sms", clock.now(), grade=2)]))
        assert r.opened == 1


def test_false_alarm_and_bad_outcome(world) -> None:
    clock = FixedClock(T0)
    officer = _officer("wh", OrgKind.COUNTY_POLICE, "510107")
    with session_scope() as s:
        svc = WarningService(s, SECRET, clock)
        svc.process(_frame([_exposure(YOUNG, "url_visit", T0)]))
        ((task, _),) = svc.queue(officer)
        with pytest.raises(WarnError, match="outcome"):
            svc.record_outcome(task.id, "maybe", officer)
        w = svc.record_outcome(task.id, "false_alarm", officer)
        assert w.outcome == "false_alarm"
        assert s.scalar(select(WarnLabel.label)) == "false_alarm"


def test_household_station_wins_over_division(world) -> None:
    with session_scope() as s:
        add_org(s, "jj-2", "锦江另一派出所", OrgKind.POLICE_STATION, "510104", "jj", now=T0)
        svc = WarningService(s, SECRET, FixedClock(T0))
        row = _exposure(OTHER, "call", T0, duration=100) | {"station_id": "jj-2"}
        stranger = _exposure(YOUNG, "call", T0, duration=100) | {"station_id": "no-such-org"}
        svc.process(_frame([row, stranger]))
        units = {
            w.division_code: w.unit_org_id
            for _, w in svc.queue(_officer("cd", OrgKind.CITY_POLICE, "510100"))
        }
        assert units == {"510104": "jj-2", "510107": "wh"}


def test_metrics_before_anyone_was_contacted(world) -> None:
    import pandas as pd

    from fanzha.warn.metrics import metrics

    with session_scope() as s:
        svc = WarningService(s, SECRET, FixedClock(T0))
        svc.process(_frame([_exposure(YOUNG, "call", T0, duration=100)]))
        out = metrics(s, _officer("cd", OrgKind.CITY_POLICE, "510100"), pd.Timestamp(T0), "unit")
        assert out["全部"]["warnings"] == 1
        assert out["全部"]["contact_time_median_s"] is None
        assert out["全部"]["sla_compliance"] is None
        later = pd.Timestamp(T0) + pd.Timedelta(days=2)
        assert (
            metrics(s, _officer("cd", OrgKind.CITY_POLICE, "510100"), later, "unit")["全部"][
                "sla_compliance"
            ]
            == 0.0
        )


def _outcome_world(s, clock: FixedClock) -> tuple[WarningService, list[int]]:
    """Three warnings with open tasks in three states; the urgent one is escalated first."""
    svc = WarningService(s, SECRET, clock)
    svc.process(
        _frame(
            [
                _exposure(ELDER, "transfer", T0, counterpart="6222020200112233445"),  # 紧急
                _exposure(YOUNG, "call", T0, duration=360, phone="13900001111"),
                _exposure(YOUNG, "sms", T0, counterpart="16511112222", phone="13900001111"),
                _exposure(OTHER, "url_visit", T0, phone="13700000000"),
            ]
        )
    )
    clock.advance(timedelta(minutes=11))
    svc.escalate_due()
    ids = [t.id for t, _ in svc.queue(PLATFORM_OPERATOR, limit=1000)]
    # one task received, one started, the rest still dispatched
    svc.receive(ids[1], PLATFORM_OPERATOR)
    svc.receive(ids[2], PLATFORM_OPERATOR)
    svc.start(ids[2], PLATFORM_OPERATOR)
    return svc, ids


def _snapshot(s) -> dict[str, list]:
    """Everything the outcomes wrote, without row ids (their order may differ)."""
    from fanzha.store.tables.warn import WarningRow, WarnTask, WarnTaskEvent

    def rows(q) -> list:
        return sorted(tuple(str(v) for v in r) for r in s.execute(q).all())

    base = s.scalar(select(func.min(WarnTask.id)))  # ids differ between runs on PostgreSQL

    return {
        "tasks": rows(select(WarnTask.status, WarnTask.received_at, WarnTask.done_at)),
        "warnings": rows(
            select(
                WarningRow.status,
                WarningRow.outcome,
                WarningRow.contacted_at,
                WarningRow.closed_at,
                WarningRow.case_ref
                == sqlalchemy.literal("W") + sqlalchemy.cast(WarningRow.id, sqlalchemy.String),
            )
        ),
        "events": sorted(
            (
                task_id - base,
                str(at),
                event,
                actor,
                str(
                    detail
                    | (
                        {"escalated_from": detail["escalated_from"] - base}
                        if "escalated_from" in detail
                        else {}
                    )
                ),
            )
            for task_id, at, event, actor, detail in s.execute(
                select(
                    WarnTaskEvent.task_id,
                    WarnTaskEvent.at,
                    WarnTaskEvent.event,
                    WarnTaskEvent.actor,
                    WarnTaskEvent.detail,
                )
            )
        ),
        "labels": rows(
            select(WarnLabel.warning_id, WarnLabel.counterpart_hash, WarnLabel.label, WarnLabel.at)
        ),
        "requests": rows(select(OperatorRequest.warning_id, OperatorRequest.at)),
    }


def test_bulk_outcomes_equal_one_by_one(world) -> None:
    """record_outcomes writes the same rows as receive/start/record_outcome one by one, and a
    closed person's next exposure opens a new warning in both."""
    outcomes = ["unreachable", "defrauded", "false_alarm"]
    got = []
    for bulk in (False, True):
        with session_scope() as s:
            s.execute(WarnLabel.__table__.delete())
            s.execute(OperatorRequest.__table__.delete())
            for t in (
                "warn_task_events",
                "warn_inbox",
                "warning_signals",
                "warn_tasks",
                "warnings",
            ):
                s.execute(sqlalchemy.text(f"DELETE FROM {t}"))
        with session_scope() as s:
            clock = FixedClock(T0)
            svc, ids = _outcome_world(s, clock)
            at = [clock.now() + timedelta(minutes=m) for m in (1, 2, 3)]
            items = list(zip(ids, outcomes, at, strict=True))
            if bulk:
                assert svc.record_outcomes([*items, items[0]], PLATFORM_OPERATOR, "模拟") == 3
            else:
                for task_id, outcome, when in items:
                    clock.set(when)
                    task = s.get(WarnTask, task_id)
                    if task.status == "dispatched":
                        svc.receive(task_id, PLATFORM_OPERATOR)
                    if task.status == "received":
                        svc.start(task_id, PLATFORM_OPERATOR)
                    svc.record_outcome(task_id, outcome, PLATFORM_OPERATOR, "模拟")
            clock.set(at[-1])
            assert svc.process(_frame([_exposure(OTHER, "url_visit", at[-1])])).opened == 1
            got.append(_snapshot(s))
    assert got[0]["labels"] and got[0]["requests"]
    assert {"received", "in_progress", "outcome", "escalated"} <= {e[2] for e in got[0]["events"]}
    for k in got[0]:
        if k in ("labels", "requests"):  # warning ids also differ: compare without them
            assert [r[1:] for r in got[0][k]] == [r[1:] for r in got[1][k]], k
        else:
            assert got[0][k] == got[1][k], k
    with session_scope() as s:
        svc = WarningService(s, SECRET, FixedClock(T0))
        with pytest.raises(WarnError, match="outcome"):
            svc.record_outcomes([(1, "maybe", T0)], PLATFORM_OPERATOR)
