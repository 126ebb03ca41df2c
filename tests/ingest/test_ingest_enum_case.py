"""Enumerated fields match whatever case a partner writes, and are stored in canonical spelling."""

from __future__ import annotations

from fanzha.domain.identifiers.resident_id import check_char
from fanzha.ingest.service import ingest_files

PID = "51010419500101001" + check_char("51010419500101001")
HEAD = "event_id,event_time,account,person_id,institution,account_class\n"


def test_account_class_any_case(lake, write) -> None:  # noqa: ANN001
    rows = [
        f"a1,2026-11-01 09:00:00,6222020200112233445,{PID},ICBC,II",
        f"a2,2026-11-01 09:00:00,6222020200112233446,{PID},ICBC,iii",
        f"a3,2026-11-01 09:00:00,6222020200112233447,{PID},ICBC,Payment",
        f"a4,2026-11-01 09:00:00,6222020200112233448,{PID},ICBC,IV",
    ]
    r = ingest_files("account_opening", [write("acc.csv", HEAD + "\n".join(rows) + "\n")], org="b")
    assert (r.accepted, r.rejected) == (3, 1)
    got = {x["event_id"]: x["account_class"] for x in lake.scan("account_opening").to_pylist()}
    assert got == {"a1": "II", "a2": "III", "a3": "payment"}
    assert "account_class" in str(r.errors)
