"""De-duplication covers every part of the kind (through per-part hash sidecars, rebuilt when
missing), and falls back to comparing the keys themselves whenever the 64-bit hashes show a pair
(a real duplicate or a collision)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyarrow.compute as pc

from fanzha.ingest import idindex
from fanzha.ingest.service import ingest_files
from fanzha.store.lake import EventLake

HEAD = "event_id,event_time,caller,callee,duration_s\n"


def _rows(ids: list[str], day: str) -> str:
    return "".join(f"{i},{day} 10:00:00,13800138000,13900139000,5\n" for i in ids)


def _sidecars(lake: EventLake) -> list[Path]:
    return sorted((lake.kind_dir("call") / "_ids").rglob("*.npy"))


def test_resend_with_another_day_is_a_duplicate(lake, write) -> None:  # noqa: ANN001
    r = ingest_files("call", [write("a.csv", HEAD + _rows(["a1", "a2"], "2026-11-20"))], org="t")
    assert r.accepted == 2
    r = ingest_files("call", [write("b.csv", HEAD + _rows(["a1", "b1"], "2026-11-21"))], org="t")
    assert (r.accepted, r.duplicate) == (1, 1)  # a1 was stored under 2026-11-20 already
    again = ingest_files(
        "call", [write("a2.csv", HEAD + _rows(["a1", "a2", "a3"], "2026-11-25"))], org="t"
    )
    assert (again.accepted, again.duplicate) == (1, 2)
    assert sorted(x["event_id"] for x in lake.scan("call").to_pylist()) == ["a1", "a2", "a3", "b1"]
    # one sidecar per part, none of them visible to readers globbing Parquet files
    assert len(_sidecars(lake)) == len(lake.files("call")) == 3
    assert sorted(lake.kind_dir("call").rglob("*.parquet")) == lake.files("call")


def test_part_without_sidecar_is_still_deduplicated(lake, write) -> None:  # noqa: ANN001
    r = ingest_files("call", [write("a.csv", HEAD + _rows(["a1", "a2"], "2026-11-20"))], org="t")
    assert r.accepted == 2
    # parts from before sidecars existed, or from another writer of the lake
    lake.append("call", lake.scan("call").filter(pc.equal(lake.scan("call")["event_id"], "a2")))
    for p in _sidecars(lake):
        p.unlink()
    r = ingest_files("call", [write("b.csv", HEAD + _rows(["a1", "b1"], "2026-11-22"))], org="t")
    assert (r.accepted, r.duplicate) == (1, 1)
    assert len(_sidecars(lake)) == len(lake.files("call")) == 3  # rebuilt from the parts
    for p in _sidecars(lake):
        p.write_bytes(b"\x93NUMPY garbage")  # unreadable sidecars are rebuilt too
    r = ingest_files(
        "call", [write("c.csv", HEAD + _rows(["a2", "b1", "c1"], "2026-11-23"))], org="t"
    )
    assert (r.accepted, r.duplicate) == (1, 2)
    assert lake.scan("call")["event_id"].to_pylist().count("a2") == 2  # the appended copy, no more


_KILL_AFTER_PART = """
import os, signal, sys
from fanzha.ingest import idindex
from fanzha.ingest.service import ingest_files

def crash(self, part, table):
    os.kill(os.getpid(), signal.SIGKILL)  # the part is in place, its sidecar is not

idindex.IdIndex.write_sidecar = crash
ingest_files("call", [sys.argv[1]], org="t")
"""


def test_kill_9_between_part_and_sidecar_is_recovered(lake, data_dir, write) -> None:  # noqa: ANN001
    p = write("k.csv", HEAD + _rows(["k1", "k2"], "2026-11-20") + _rows(["k3"], "2026-11-21"))
    env = dict(os.environ, FANZHA_DATA_DIR=str(data_dir))
    proc = subprocess.run([sys.executable, "-c", _KILL_AFTER_PART, str(p)], env=env, check=False)
    assert proc.returncode == -signal.SIGKILL
    assert len(lake.files("call")) == 1 and _sidecars(lake) == []  # first day's part only
    r = ingest_files(
        "call", [write("r.csv", HEAD + _rows(["k1", "k2", "k3"], "2026-11-27"))], org="t"
    )
    assert (r.accepted, r.duplicate) == (1, 2)
    assert sorted(lake.scan("call")["event_id"].to_pylist()) == ["k1", "k2", "k3"]
    assert len(_sidecars(lake)) == len(lake.files("call")) == 2


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


def test_sidecars_hold_the_hashes_of_their_parts_keys(lake, write) -> None:  # noqa: ANN001
    """The hashes computed for the duplicate check are reused for the sidecars: they must be
    exactly the hashes of the keys stored in each part, also for a batch spanning several days."""
    import duckdb

    rows = (
        _rows(["a1", "a2"], "2026-11-20")
        + _rows(["b1"], "2026-11-21")
        + _rows(["a3"], "2026-11-20")
    )
    assert ingest_files("call", [write("a.csv", HEAD + rows)], org="t").accepted == 4
    con = duckdb.connect()
    index = idindex.IdIndex(con, lake, "call")
    assert len(lake.files("call")) == 2
    for part in lake.files("call"):
        stored = np.load(index.sidecar(part))
        assert np.array_equal(stored, np.sort(index._hash(index._read_keys(part))))
        assert "_key_hash" not in lake.scan("call").column_names
