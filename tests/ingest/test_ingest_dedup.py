"""De-duplication reads only the days a batch touches, and falls back to comparing the keys
themselves whenever the 64-bit hashes show a pair (a real duplicate or a collision)."""

from __future__ import annotations

import numpy as np

from fanzha.ingest import idindex
from fanzha.ingest.service import ingest_files
from fanzha.store.lake import EventLake

HEAD = "event_id,event_time,caller,callee,duration_s\n"


def _rows(ids: list[str], day: str) -> str:
    return "".join(f"{i},{day} 10:00:00,13800138000,13900139000,5\n" for i in ids)


def test_only_touched_days_are_loaded(lake, write, monkeypatch) -> None:  # noqa: ANN001
    assert (
        ingest_files(
            "call", [write("a.csv", HEAD + _rows(["a1", "a2"], "2026-11-20"))], org="t"
        ).accepted
        == 2
    )
    asked: list[list[str]] = []
    real = EventLake.day_files

    def spy(self: EventLake, kind: str, days: list[str]) -> list:
        asked.append(list(days))
        return real(self, kind, days)

    monkeypatch.setattr(EventLake, "day_files", spy)
    r = ingest_files("call", [write("b.csv", HEAD + _rows(["a1", "b1"], "2026-11-21"))], org="t")
    assert asked == [["2026-11-21"]]
    assert (r.accepted, r.duplicate) == (2, 0)  # a1 on another day: a different event here
    again = ingest_files(
        "call", [write("a2.csv", HEAD + _rows(["a1", "a2", "a3"], "2026-11-20"))], org="t"
    )
    assert (again.accepted, again.duplicate) == (1, 2)
    assert lake.count("call") == 5


def test_ids_repeated_across_files_and_batches_of_one_run(lake, write) -> None:  # noqa: ANN001
    one = write("1.csv", HEAD + _rows([f"x{i}" for i in range(10)], "2026-11-20"))
    two = write("2.csv", HEAD + _rows([f"x{i}" for i in range(5, 15)], "2026-11-20"))
    r = ingest_files("call", [one, two], org="t", batch_rows=3)
    assert (r.accepted, r.duplicate) == (15, 5)
    assert lake.count("call") == 15


def test_hash_collisions_fall_back_to_exact_keys(lake, write, monkeypatch) -> None:  # noqa: ANN001
    """With every key hashing alike the exact comparison must still keep distinct events."""
    monkeypatch.setattr(
        idindex.IdIndex, "_hash", lambda self, keys: np.zeros(keys.num_rows, dtype=np.uint64)
    )
    p = write("c.csv", HEAD + _rows(["k1", "k2", "k1", "k3"], "2026-11-20"))
    r = ingest_files("call", [p], org="t", batch_rows=2)
    assert (r.accepted, r.duplicate) == (3, 1)
    r = ingest_files("call", [p], org="t")
    assert (r.accepted, r.duplicate) == (0, 4)
    assert sorted(x["event_id"] for x in lake.scan("call").to_pylist()) == ["k1", "k2", "k3"]
