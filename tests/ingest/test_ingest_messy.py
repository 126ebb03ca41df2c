"""Messy partner files: encodings, full-width digits, yuan amounts, timestamp formats and zones,
extra and missing columns. Unambiguous input is accepted; the rest is rejected naming row,
field and reason, and kept in the dead-letter store."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from fanzha.ingest import deadletters
from fanzha.ingest.service import ingest_files
from fanzha.store.db import session_scope

CALL_HEAD = "event_id,event_time,caller,callee,duration_s,city\n"


def _by_id(lake, kind: str) -> dict[str, dict]:  # noqa: ANN001
    return {r["event_id"]: r for r in lake.scan(kind).to_pylist()}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_encodings(lake, write, encoding) -> None:  # noqa: ANN001
    p = write(
        "calls.csv",
        CALL_HEAD + "c1,2026-11-28 14:03:00,13800138000,13900139000,60,成都市锦江区\n",
        encoding,
    )
    r = ingest_files("call", [p], org="telecom-a")
    assert (r.accepted, r.rejected) == (1, 0)
    row = _by_id(lake, "call")["c1"]
    assert row["city"] == "成都市锦江区"
    assert row["source_org"] == "telecom-a"


def test_bom_header_is_recognised(lake, write) -> None:  # noqa: ANN001
    p = write(
        "bom.csv", "\ufeff" + CALL_HEAD + "c1,2026-11-28 14:03:00,13800138000,13900139000,60,\n"
    )
    r = ingest_files("call", [p], org="t")
    assert r.accepted == 1 and r.ignored_columns == []


def test_fullwidth_digits(lake, write) -> None:  # noqa: ANN001
    p = write(
        "fw.csv",
        CALL_HEAD
        + "c1,２０２６－１１－２８　１４：０３：００,１３８００１３８０００,13900139000,６０,\n",
    )
    r = ingest_files("call", [p], org="t")
    assert r.accepted == 1, r.errors
    row = _by_id(lake, "call")["c1"]
    assert row["duration_s"] == 60
    assert row["caller"] == "13800138000"
    assert row["event_time"] == datetime(2026, 11, 28, 6, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("amount", "fen"),
    [
        ("¥1,234.50", 123450),
        ("￥1，234.5", 123450),
        ("1234.5元", 123450),
        ("RMB 8", 800),
        ("１２３．４５", 12345),
        ("0.01", 1),
    ],
)
def test_yuan_amounts(lake, write, amount, fen) -> None:  # noqa: ANN001
    p = write(
        "t.csv",
        "event_id,event_time,payer_account,payee_account,amount\n"
        f't1,2026-11-28 10:00:00,6222020200112233,6217000010002000,"{amount}"\n',
    )
    r = ingest_files("transfer", [p], org="bank-a")
    assert r.accepted == 1, r.errors
    assert _by_id(lake, "transfer")["t1"]["amount_fen"] == fen


@pytest.mark.parametrize("amount", ["1.234", "abc", "¥", "1,2,3.4.5", "-5", "0"])
def test_bad_amounts_rejected(lake, write, amount) -> None:  # noqa: ANN001
    p = write(
        "t.csv",
        "event_id,event_time,payer_account,payee_account,amount\n"
        f't1,2026-11-28 10:00:00,6222,6217,"{amount}"\n',
    )
    r = ingest_files("transfer", [p], org="bank-a")
    assert (r.accepted, r.rejected) == (0, 1)
    assert r.errors[0]["row"] == 1 and r.errors[0]["field"] == "amount"


def test_amount_fen_column(lake, write) -> None:  # noqa: ANN001
    p = write(
        "t.csv",
        "event_id,event_time,payer_account,payee_account,amount_fen\n"
        "t1,2026-11-28 10:00:00,6222,6217,99\n",
    )
    assert ingest_files("transfer", [p], org="b").accepted == 1
    assert _by_id(lake, "transfer")["t1"]["amount_fen"] == 99


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-28T14:03:00+08:00", datetime(2026, 11, 28, 6, 3, tzinfo=UTC)),
        ("2026-11-28T06:03:00Z", datetime(2026, 11, 28, 6, 3, tzinfo=UTC)),
        ("2026-11-28T14:03:00.250+0800", datetime(2026, 11, 28, 6, 3, 0, 250000, tzinfo=UTC)),
        ("2026-11-28 01:03:00-05:00", datetime(2026, 11, 28, 6, 3, tzinfo=UTC)),
        ("2026-11-28T14:03:00", datetime(2026, 11, 28, 6, 3, tzinfo=UTC)),  # naive = Shanghai
        ("2026/11/28 14:03:00", datetime(2026, 11, 28, 6, 3, tzinfo=UTC)),
        ("2026/11/28 14:03", datetime(2026, 11, 28, 6, 3, tzinfo=UTC)),
        ("20261128140300", datetime(2026, 11, 28, 6, 3, tzinfo=UTC)),
        ("1795845780", datetime(2026, 11, 28, 6, 3, tzinfo=UTC)),  # epoch seconds
        ("1795845780000", datetime(2026, 11, 28, 6, 3, tzinfo=UTC)),  # epoch millis
    ],
)
def test_timestamp_formats(lake, write, text, expected) -> None:  # noqa: ANN001
    p = write("c.csv", CALL_HEAD + f"c1,{text},13800138000,13900139000,1,\n")
    r = ingest_files("call", [p], org="t")
    assert r.accepted == 1, r.errors
    assert _by_id(lake, "call")["c1"]["event_time"] == expected


def test_configurable_zone_for_naive_times(lake, write) -> None:  # noqa: ANN001
    p = write("c.csv", CALL_HEAD + "c1,2026-11-28 14:03:00,13800138000,13900139000,1,\n")
    assert ingest_files("call", [p], org="t", tz="UTC").accepted == 1
    assert _by_id(lake, "call")["c1"]["event_time"] == datetime(2026, 11, 28, 14, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-11-28", "date without time"),
        ("28/11/2026 14:03", "unrecognised"),
        ("2026-02-30 10:00:00", "unrecognised"),
        ("yesterday", "unrecognised"),
        ("1899-01-01 00:00:00", "out of range"),
        ("202611281403", "unrecognised"),
    ],
)
def test_ambiguous_timestamps_rejected(lake, write, text, reason) -> None:  # noqa: ANN001
    p = write(
        "c.csv",
        CALL_HEAD + f"ok,2026-11-28 14:03:00,13800138000,13900139000,1,\n"
        f"bad,{text},13800138000,13900139000,1,\n",
    )
    r = ingest_files("call", [p], org="t")
    assert (r.accepted, r.rejected) == (1, 1)
    (err,) = r.errors
    assert err["row"] == 2 and err["field"] == "event_time" and reason in err["reason"]


def test_extra_and_missing_optional_columns(lake, write) -> None:  # noqa: ANN001
    p = write(
        "c.csv",
        "event_id,event_time,caller,callee,duration_s,备注,operator_note\n"
        "c1,2026-11-28 14:03:00,13800138000,13900139000,5,测试,x\n",
    )
    r = ingest_files("call", [p], org="t")
    assert r.accepted == 1
    assert r.ignored_columns == ["备注", "operator_note"]
    row = _by_id(lake, "call")["c1"]
    assert row["direction"] == "outgoing" and row["city"] is None and "备注" not in row


def test_missing_required_column_rejects_every_row(lake, write) -> None:  # noqa: ANN001
    p = write("c.csv", "event_id,event_time,caller,duration_s\nc1,2026-11-28 14:03:00,138,5\n")
    r = ingest_files("call", [p], org="t")
    assert (r.accepted, r.rejected) == (0, 1)
    assert r.errors == [{"row": 1, "field": "callee", "reason": "缺少必填列 (missing column)"}]


def test_per_record_errors_and_dead_letters(lake, write) -> None:  # noqa: ANN001
    p = write(
        "c.csv",
        CALL_HEAD
        + "c1,2026-11-28 14:03:00,13800138000,13900139000,60,\n"
        + "c2,2026-11-28 14:03:00,13800138000,,70,\n"
        + ",2026-11-28 14:03:00,13800138000,13900139000,-1,\n"
        + "c4,2026-11-28 14:03:00,13800138000,13900139000,99999,\n"
        + "c5,2026-11-28 14:03:00,13800138000,13900139000,6.5,\n",
    )
    r = ingest_files("call", [p], org="telecom-a")
    assert (r.accepted, r.rejected) == (1, 4)
    got = {(e["row"], e["field"]) for e in r.errors}
    assert got == {
        (2, "callee"),
        (3, "event_id"),
        (3, "duration_s"),
        (4, "duration_s"),
        (5, "duration_s"),
    }
    with session_scope() as s:
        letters, total = deadletters.query(s, kind="call")
        assert total == 4
        assert [d.row_number for d in letters] == [2, 3, 4, 5]
        assert letters[0].raw["event_id"] == "c2" and letters[0].source_org == "telecom-a"
        assert letters[0].batch_id == r.batch_id


def test_enum_values_case_insensitive_and_checked(lake, write) -> None:  # noqa: ANN001
    p = write(
        "c.csv",
        "event_id,event_time,caller,callee,duration_s,direction\n"
        "c1,2026-11-28 14:03:00,13800138000,13900139000,5,INCOMING\n"
        "c2,2026-11-28 14:03:00,13800138000,13900139000,5,sideways\n",
    )
    r = ingest_files("call", [p], org="t")
    assert (r.accepted, r.rejected) == (1, 1)
    assert _by_id(lake, "call")["c1"]["direction"] == "incoming"
    assert r.errors[0]["field"] == "direction"


def test_jsonl_with_numbers_and_bad_lines(lake, write) -> None:  # noqa: ANN001
    lines = [
        {
            "event_id": "j1",
            "event_time": 1795845780,
            "caller": "13800138000",
            "callee": "13900139000",
            "duration_s": 12,
        },
        "not json",
        {
            "event_id": "j2",
            "event_time": "2026/11/28 14:03:00",
            "caller": "13800138000",
            "callee": "13900139000",
            "duration_s": "7",
            "extra": {"a": 1},
        },
    ]
    text = "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines)
    p = write("calls.jsonl", text + "\n")
    r = ingest_files("call", [p], org="t")
    assert (r.accepted, r.rejected) == (2, 1)
    assert r.errors[0]["row"] == 2 and "JSON" in r.errors[0]["reason"]
    assert r.ignored_columns == ["extra"]


def test_parquet_typed_columns(lake, tmp_path) -> None:  # noqa: ANN001
    t = pa.table(
        {
            "event_id": ["p1", "p2"],
            "event_time": pa.array(
                [datetime(2026, 11, 28, 14, 3), datetime(2026, 11, 28, 15, 0)], pa.timestamp("us")
            ),  # naive → Asia/Shanghai
            "payer_account": ["6222", "6223"],
            "payee_account": ["6217", "6218"],
            "amount_fen": pa.array([100, -3], pa.int64()),
        }
    )
    p = tmp_path / "t.parquet"
    pq.write_table(t, p)
    r = ingest_files("transfer", [p], org="bank-a")
    assert (r.accepted, r.rejected) == (1, 1)
    assert r.errors[0]["row"] == 2 and r.errors[0]["field"] == "amount_fen"
    assert _by_id(lake, "transfer")["p1"]["event_time"] == datetime(2026, 11, 28, 6, 3, tzinfo=UTC)
