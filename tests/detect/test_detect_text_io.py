"""The shared table reader: encodings, JSONL, bad rows kept in place."""

from __future__ import annotations

from pathlib import Path

from fanzha.detect.io import read_table


def test_gbk_csv(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_bytes("text,label\n请转入安全账户,诈骗\n晚饭吃什么,正常\n".encode("gbk"))
    t = read_table(p)
    assert t.encoding == "gb18030" and t.format == "csv"
    assert t.frame["text"].tolist() == ["请转入安全账户", "晚饭吃什么"]
    assert t.errors == []


def test_utf8_bom_and_bad_rows(tmp_path: Path) -> None:
    p = tmp_path / "b.csv"
    p.write_text(
        '\ufefftext,label\n"多行\n文本",1\n只有一个字段\n多,了,字段\n好的,0\n', encoding="utf-8"
    )
    t = read_table(p)
    assert list(t.frame.columns) == ["text", "label"]
    assert len(t.frame) == 4  # one output row per input record, in order
    assert t.frame["text"].tolist()[0] == "多行\n文本"
    assert [e.row for e in t.errors] == [2, 3]
    assert t.errors[0].line == 4
    assert t.frame["text"].tolist()[3] == "好的"


def test_jsonl_by_sniffing_with_bad_line(tmp_path: Path) -> None:
    p = tmp_path / "c.txt"
    p.write_text(
        '{"text": "你好", "n": 1}\n{broken\n\n{"text": "再见", "extra": [1]}\n', encoding="utf-8"
    )
    t = read_table(p)
    assert t.format == "jsonl"
    assert len(t.frame) == 3
    assert t.frame["text"].tolist() == ["你好", None, "再见"]
    assert t.frame["n"].tolist()[0] == "1"
    assert len(t.errors) == 1 and t.errors[0].row == 2 and "JSON" in t.errors[0].reason
