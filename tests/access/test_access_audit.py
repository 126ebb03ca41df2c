"""The hash-chained audit log: appends verify; edits, deletions, insertions and reordering are
found and the first bad row is named; concurrent appends stay one chain (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from fanzha.access import audit
from fanzha.access.principal import OrgKind, Principal, Role
from fanzha.store.db import session_scope

BANK = Principal("bank-a", OrgKind.BANK, frozenset({Role.PARTNER}), key_id="key-1")
T0 = datetime(2026, 11, 28, 6, 0, tzinfo=UTC)


def _append(engine, n: int) -> None:  # noqa: ANN001
    with session_scope(engine) as s:
        for i in range(n):
            audit.record(
                s,
                BANK,
                "events.read",
                "event:call",
                [audit.ref_hash(f"1380013800{i}")],
                {"count": i, "名称": "通话"},
                T0 + timedelta(seconds=i),
            )


def _verify(engine) -> audit.VerifyResult:  # noqa: ANN001
    with session_scope(engine) as s:
        return audit.verify(s)


def test_audit_chain_verifies_and_keeps_no_raw_identifier(db) -> None:
    _append(db, 5)
    r = _verify(db)
    assert r.ok and r.checked == 5
    with session_scope(db) as s:
        rows, total = audit.recent(s, 10)
        assert total == 5
        assert all("13800138" not in str(e.refs) for e in rows)
        assert rows[0].actor_key == "key-1" and rows[0].actor_org == "bank-a"


def test_audit_edit_is_detected(db) -> None:
    _append(db, 5)
    with db.begin() as conn:
        conn.execute(text("UPDATE audit_log SET action = 'events.ingest' WHERE seq = 3"))
    r = _verify(db)
    assert not r.ok and r.first_bad_seq == 3


def test_audit_detail_edit_is_detected(db) -> None:
    _append(db, 4)
    with db.begin() as conn:
        conn.execute(text("UPDATE audit_log SET at = :at WHERE seq = 2"), {"at": T0})
    r = _verify(db)
    assert not r.ok and r.first_bad_seq == 2


def test_audit_deletion_in_the_middle_is_detected(db) -> None:
    _append(db, 5)
    with db.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))
    r = _verify(db)
    assert not r.ok and r.first_bad_seq == 2


def test_audit_deletion_at_the_end_is_detected(db) -> None:
    _append(db, 5)
    with db.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 5"))
    r = _verify(db)
    assert not r.ok and r.first_bad_seq == 5


def test_audit_reordering_is_detected(db) -> None:
    _append(db, 4)
    with db.begin() as conn:
        conn.execute(text("UPDATE audit_log SET seq = 100 WHERE seq = 2"))
        conn.execute(text("UPDATE audit_log SET seq = 2 WHERE seq = 3"))
        conn.execute(text("UPDATE audit_log SET seq = 3 WHERE seq = 100"))
    r = _verify(db)
    assert not r.ok and r.first_bad_seq == 2


def test_audit_forged_insertion_is_detected(db) -> None:
    _append(db, 3)
    with db.begin() as conn:  # make room for a row at seq 2 (highest first: seq is unique)
        for seq in (3, 2):
            conn.execute(text("UPDATE audit_log SET seq = seq + 1 WHERE seq = :s"), {"s": seq})
    with session_scope(db) as s:
        forged = audit.AuditEntry(
            seq=2,
            at=T0,
            actor_org="x",
            actor_user=None,
            actor_key=None,
            action="forged",
            resource_kind="x",
            refs=[],
            detail={},
            prev_hash="0" * 64,
            hash="0" * 64,
        )
        s.add(forged)
    r = _verify(db)
    assert not r.ok and r.first_bad_seq == 2


def test_concurrent_appends_form_one_chain(db) -> None:
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(5):
                _append(db, 2)
        except BaseException as exc:  # noqa: BLE001 - surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    r = _verify(db)
    assert r.ok and r.checked == 40
