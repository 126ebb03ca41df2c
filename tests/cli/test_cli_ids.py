"""``fanzha ids``: normalise and detect from arguments and files; exit codes and output formats."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fanzha.cli import app
from fanzha.domain.identifiers import keyed_hash
from fanzha.settings import reset_settings_cache

SECRET = "cli-test-secret"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("FANZHA_SECRET", SECRET)
    monkeypatch.setenv("COLUMNS", "250")
    reset_settings_cache()
    yield CliRunner()
    reset_settings_cache()


def test_normalize_table_for_good_values(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        ["ids", "normalize", "--kind", "mobile", "+86 138 1234 5678", "０１３９-８７６５-４３２１"],
    )
    assert result.exit_code == 0, result.output
    assert "13812345678" in result.stdout
    assert "138****5678" in result.stdout
    assert "13987654321" in result.stdout
    assert "china_mobile" in result.stdout
    assert keyed_hash("mobile", "13812345678", SECRET.encode()) in result.stdout


def test_normalize_bad_value_gives_error_line_and_exit_1(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ids", "normalize", "-k", "mobile", "13812345678", "1381234567"])
    assert result.exit_code == 1
    assert "13812345678" in result.stdout
    assert "arg 2" in result.stderr
    assert "1381234567" in result.stderr
    assert "mobile: 号码位数不对 (expected 11 digits, got 10)" in result.stderr


def test_normalize_jsonl_with_auto_detection(runner: CliRunner) -> None:
    result = runner.invoke(
        app,
        ["ids", "normalize", "-f", "jsonl", "010-8765 4321", "https://例子.cn/a?x=1", "96110"],
    )
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["kind"] for r in records] == ["fixed_line", "url", "service_number"]
    assert records[0]["value"] == "01087654321"
    assert records[0]["attrs"]["city"] == "北京"
    assert records[0]["masked"] == "010-****4321"
    assert records[1]["value"] == "https://xn--fsqu00a.cn/a?x=1"
    assert records[1]["attrs"]["punycode"] == "true"
    assert records[2]["hash"] == keyed_hash("service_number", "96110", SECRET.encode())


def test_normalize_text_file(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "imeis.txt"
    f.write_text("49-015420-323751-8\n\n490154203237517\n49015420323751\n", encoding="utf-8")
    result = runner.invoke(app, ["ids", "normalize", "-k", "imei", "--input", str(f), "-f", "csv"])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    assert rows[0]["row"] == "line 1"
    assert rows[0]["value"] == "490154203237518"
    assert json.loads(rows[0]["attrs"])["tac"] == "49015420"
    assert "line 3" in result.stderr and "校验位不对" in result.stderr
    assert "line 4" in result.stderr and "缺少校验位" in result.stderr


def test_normalize_csv_column(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "reports.csv"
    f.write_text(
        "report_id,card,note\nr1,4111 1111 1111 1111,a\nr2,6222-0200-0012-3456-780,b\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        ["ids", "normalize", "-k", "bank_card", "-i", str(f), "--column", "card", "-f", "jsonl"],
    )
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["row"], r["masked"]) for r in records] == [("line 2", "4111 **** **** 1111")]
    assert "line 3" in result.stderr and "bank_card" in result.stderr


def test_normalize_csv_missing_column_is_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["ids", "normalize", "-i", str(f), "--column", "card"])
    assert result.exit_code == 2
    assert "card" in result.output


def test_normalize_needs_values(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ids", "normalize", "-k", "qq"])
    assert result.exit_code == 2


def test_detect(runner: CliRunner) -> None:
    result = runner.invoke(app, ["ids", "detect", "-f", "jsonl", "13812345678", "com.tencent.mm"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records == [
        {"input": "13812345678", "kind": "mobile", "masked": "138****5678"},
        {"input": "com.tencent.mm", "kind": "app_id", "masked": "com.tencent.mm"},
    ]
    unknown = runner.invoke(app, ["ids", "detect", "13812345678", "你好"])
    assert unknown.exit_code == 1
    assert "无法识别" in unknown.stdout
