"""Campaign package (集群战役资料包): one directory a unit can open offline.

Contents: ``cluster.json`` (everything), ``cases.csv``, ``key_nodes.csv``, ``links.csv``,
``timeline.csv``, ``units/<division>.csv`` (each involved unit's own cases), ``index.html`` (a
summary with the graph as inline SVG; no external resources) and ``manifest.json`` (SHA-256 of
every file). Identifiers are masked unless the cluster dict was read with full identifiers, which
the service grants only to authorised police.
"""

from __future__ import annotations

import csv
import hashlib
import json
from html import escape
from pathlib import Path

from fanzha.cases.clusters import KIND_LABEL, ROLE_LABEL
from fanzha.cases.svg import ROLE_COLOUR, cluster_svg
from fanzha.domain.money import format_fen


def _label(node: dict, full: bool) -> str:
    return str(node.get("value") or node["masked"]) if full else str(node["masked"])


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8-sig") as fh:  # BOM: opens right in Excel
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def _strip_raw(obj: object) -> object:
    """Drop every raw ``value`` (masked packages must not carry them even by accident)."""
    if isinstance(obj, dict):
        return {k: _strip_raw(v) for k, v in obj.items() if k != "value"}
    if isinstance(obj, list):
        return [_strip_raw(v) for v in obj]
    return obj


def write_package(cluster: dict, out_dir: Path, generated_at: str, generated_by: str) -> list[Path]:
    full = bool(cluster.get("full_identifiers"))
    data = cluster if full else _strip_raw(cluster)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    meta = {"generated_at": generated_at, "generated_by": generated_by, "full_identifiers": full}

    p = out_dir / "cluster.json"
    p.write_text(json.dumps({**data, "package": meta}, ensure_ascii=False, indent=2), "utf-8")
    files.append(p)

    case_header = ["案件编号", "来源", "状态", "行政区划", "诈骗类型", "损失(分)", "报案时间"]

    def case_row(c: dict) -> list[object]:
        return [
            c["id"],
            c["source"],
            c["status"],
            c["division_code"] or "",
            c["fraud_type"] or "",
            c["loss_fen"],
            c["reported_at"],
        ]

    _write_csv(out_dir / "cases.csv", case_header, [case_row(c) for c in data["cases"]])
    files.append(out_dir / "cases.csv")
    by_unit: dict[str, list[dict]] = {}
    for c in data["cases"]:
        by_unit.setdefault(c["division_code"] or "unknown", []).append(c)
    for unit, cs in sorted(by_unit.items()):
        path = out_dir / "units" / f"{unit}.csv"
        _write_csv(path, case_header, [case_row(c) for c in cs])
        files.append(path)

    kn_rows = []
    for role, items in data["key_nodes"].items():
        for n in items:
            kn_rows.append(
                [
                    ROLE_LABEL.get(role, role),
                    n["rank"],
                    KIND_LABEL.get(n["kind"], n["kind"]),
                    _label(n, full),
                    n.get("victims", ""),
                    n.get("amount_fen", ""),
                    n["reason"],
                ]
            )
    _write_csv(
        out_dir / "key_nodes.csv",
        ["打击方向", "排名", "类型", "标识", "涉及受害人", "金额(分)", "依据"],
        kn_rows,
    )
    files.append(out_dir / "key_nodes.csv")
    _write_csv(
        out_dir / "links.csv",
        ["案件A", "案件B", "共同节点类型", "来源", "标识", "权重"],
        [
            [
                lk["case_a"],
                lk["case_b"],
                KIND_LABEL.get(lk["kind"], lk["kind"]),
                lk["via"],
                _label(lk, full),
                f"{lk['weight']:.3f}",
            ]
            for lk in data["links"]
        ],
    )
    files.append(out_dir / "links.csv")
    _write_csv(
        out_dir / "timeline.csv",
        ["日期", "案件数", "损失(分)"],
        [[t["day"], t["n_cases"], t["loss_fen"]] for t in data["timeline"]],
    )
    files.append(out_dir / "timeline.csv")

    p = out_dir / "index.html"
    p.write_text(render_html(data, full, meta), "utf-8")
    files.append(p)

    manifest = {
        "cluster_id": data["id"],
        **meta,
        "files": {
            str(f.relative_to(out_dir)): hashlib.sha256(f.read_bytes()).hexdigest() for f in files
        },
    }
    p = out_dir / "manifest.json"
    p.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), "utf-8")
    files.append(p)
    return files


def render_html(data: dict, full: bool, meta: dict) -> str:
    key_roles: dict[str, str] = {}
    label_of: dict[str, str] = {}
    for role, items in data["key_nodes"].items():
        for n in items:
            key_roles.setdefault(n["key"], role)
            label_of[n["key"]] = _label(n, full)
    for lk in data["links"]:
        label_of.setdefault(lk["key"], _label(lk, full))
    svg = cluster_svg(data["cases"], data["links"], key_roles, label_of)

    def table(header: list[str], rows: list[list[object]]) -> str:
        head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in r) + "</tr>" for r in rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    sections = []
    for role, items in data["key_nodes"].items():
        rows = [
            [n["rank"], KIND_LABEL.get(n["kind"], n["kind"]), _label(n, full), n["reason"]]
            for n in items
        ]
        colour = ROLE_COLOUR.get(role, "#333")
        sections.append(
            f'<h3 style="color:{colour}">{escape(ROLE_LABEL.get(role, role))}</h3>'
            + (table(["排名", "类型", "标识", "依据"], rows) if rows else "<p>无</p>")
        )
    hubs = [
        [KIND_LABEL.get(h["kind"], h["kind"]), h["masked"], h["degree"], h["reason"]]
        for h in data["hubs"]
    ]
    divisions = [[d["code"], d["n_cases"], format_fen(d["loss_fen"])] for d in data["divisions"]]
    fraud = [[k, v] for k, v in data["fraud_types"].items()]
    timeline = [[t["day"], t["n_cases"], format_fen(t["loss_fen"])] for t in data["timeline"]]
    notice = (
        "本资料包含完整标识，仅限授权侦查人员使用，严禁外传。"
        if full
        else "标识已脱敏；完整标识须由有侦查权限的公安人员导出。"
    )
    outside = data.get("n_cases_outside_scope", 0)
    style = (
        "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:24px;color:#222}"
        "table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #ccc;"
        "padding:3px 8px;font-size:13px;text-align:left}th{background:#f0f2f5}"
        ".notice{background:#fff4e5;border:1px solid #f0b060;padding:8px}"
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>集群战役资料包 {escape(data["id"])}</title>
<style>{style}</style></head><body>
<h1>集群战役资料包 {escape(data["id"])}</h1>
<p class="notice">{escape(notice)}</p>
<p>案件 {data["n_cases"]} 起（本包列出 {len(data["cases"])} 起，权限外 {outside} 起）；受害人 {data["n_victims"]} 名；
损失 {escape(format_fen(data["loss_fen"]))}；时间 {escape(str(data["first_at"]))} 至 {escape(str(data["last_at"]))}。
生成于 {escape(meta["generated_at"])}，操作人 {escape(meta["generated_by"])}。</p>
<h2>关联图</h2>
<p>圆点为案件；方块为共同节点（红：资金归集，紫：窝点，橙：平台，绿：取现出口，灰：其他共同标识）。</p>
{svg}
<h2>打击重点</h2>
{"".join(sections)}
<h2>涉及单位</h2>{table(["行政区划", "案件数", "损失"], divisions)}
<h2>诈骗类型</h2>{table(["类型", "案件数"], fraud)}
<h2>时间线</h2>{table(["日期", "案件数", "损失"], timeline)}
<h2>已剔除的枢纽节点（共 {data.get("n_hubs", len(data["hubs"]))} 个，列出关联最多的 {len(data["hubs"])} 个）</h2><p>{escape(data["hub_rule"])}</p>
{table(["类型", "标识", "关联案件数", "原因"], hubs) if hubs else "<p>无</p>"}
</body></html>
"""
