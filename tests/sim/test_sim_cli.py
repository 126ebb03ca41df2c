"""``fanzha sim generate`` writes events in the chosen format, truth and a summary."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.domain.events import EVENT_TYPES


def test_generate_jsonl_and_csv(tmp_path):
    runner = CliRunner()
    for fmt in ("jsonl", "csv"):
        out = tmp_path / fmt
        res = runner.invoke(
            app,
            ["sim", "generate", "--preset", "tiny", "--scale", "0.1", "--days", "1",
             "--seed", "4", "--out", str(out), "--format", fmt],
        )  # fmt: skip
        assert res.exit_code == 0, res.output
        summary = json.loads((out / "summary.json").read_text("utf-8"))
        assert (out / "truth" / "entities.parquet").exists()
        counted = 0
        for kind in EVENT_TYPES:
            files = sorted((out / fmt / f"kind={kind}").glob(f"day=*/part-*.{fmt}"))
            for f in files:
                if fmt == "jsonl":
                    rows = [json.loads(line) for line in f.read_text("utf-8").splitlines()]
                    for r in rows[:50]:
                        EVENT_TYPES[kind].model_validate(r)
                else:
                    with open(f, encoding="utf-8") as fh:
                        rows = list(csv.DictReader(fh))
                    assert rows and "event_id" in rows[0]
                counted += len(rows)
        assert counted == summary["events_total"] > 0


def test_generate_rejects_unknown_preset(tmp_path):
    res = CliRunner().invoke(app, ["sim", "generate", "--preset", "planet", "--out", str(tmp_path)])
    assert res.exit_code != 0
