"""Feeds into the registry: banks' suspicious-list reports (codes of DOMAIN.md §7), detector findings.

Suspicious-list rows (CSV with a header, or a JSON list / JSONL of objects) carry:
``code, account, name, id_number, reason`` and optionally ``ip, mac, device_id, place, reported_at``.
The account is listed; for 1001/1002 (account-opening patterns) the person's ID number is listed too.
Name, IP, MAC, device and place go into evidence masked — they support the listing, they are not
listed themselves (one report is not enough to list a shared IP).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fanzha.access.principal import Principal
from fanzha.domain.taxonomy import FraudType, RiskLevel, SuspiciousCode
from fanzha.registry.keys import IdKind, mask
from fanzha.registry.service import RegistryError, RegistryService, ReportInput, Source

CODE_GRADE: dict[SuspiciousCode, RiskLevel] = {
    SuspiciousCode.FREQUENT_OPENING: RiskLevel.LOW,
    SuspiciousCode.CUMULATIVE_OPENING: RiskLevel.LOW,
    SuspiciousCode.CASE_ACCOUNT: RiskLevel.HIGH,
    SuspiciousCode.ATTEMPTED_FRAUD: RiskLevel.MEDIUM,
    SuspiciousCode.VICTIM_REPORTED: RiskLevel.MEDIUM,
    SuspiciousCode.BANK_REPORTED: RiskLevel.MEDIUM,
    SuspiciousCode.PAYEE_IN_CASE: RiskLevel.HIGH,
    SuspiciousCode.PAYER_IN_CASE: RiskLevel.HIGH,
    SuspiciousCode.SCATTER_IN_GATHER_OUT: RiskLevel.MEDIUM,
    SuspiciousCode.GATHER_IN_SCATTER_OUT: RiskLevel.MEDIUM,
    SuspiciousCode.CONSECUTIVE_TRANSACTIONS: RiskLevel.MEDIUM,
    SuspiciousCode.OTHER: RiskLevel.LOW,
}
_OPENING = {SuspiciousCode.FREQUENT_OPENING, SuspiciousCode.CUMULATIVE_OPENING}
_FIELDS = ("code", "account", "name", "id_number", "reason", "ip", "mac", "device_id", "place")


@dataclass
class IntakeResult:
    accepted: int = 0
    listed: int = 0
    errors: list[str] = field(default_factory=list)


def read_rows(path: Path) -> Iterator[dict[str, Any]]:
    text = Path(path).read_text(encoding="utf-8-sig")
    stripped = text.lstrip()
    if path.suffix.lower() == ".json" or stripped.startswith("["):
        data = json.loads(text)
        if not isinstance(data, list):
            raise RegistryError("file: a JSON suspicious list must be an array of objects")
        yield from data
    elif path.suffix.lower() == ".jsonl" or stripped.startswith("{"):
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)
    else:
        yield from csv.DictReader(io.StringIO(text))


def _clean(row: dict[str, Any]) -> dict[str, str]:
    out = {}
    for k, v in row.items():
        if k is None:
            continue
        key = str(k).strip().lower()
        out[key] = "" if v is None else str(v).strip()
    return out


def _validate(row: dict[str, str]) -> tuple[SuspiciousCode, list[str]]:
    problems = []
    try:
        code = SuspiciousCode(row.get("code", ""))
    except ValueError:
        allowed = ", ".join(c.value for c in SuspiciousCode)
        problems.append(f"code: {row.get('code')!r} is not a suspicious-list code ({allowed})")
        code = SuspiciousCode.OTHER
    account = row.get("account", "")
    if not account:
        problems.append("account: missing")
    elif not account.replace(" ", "").isdigit() or not 8 <= len(account.replace(" ", "")) <= 32:
        problems.append(f"account: {mask('account', account)} is not 8–32 digits")
    if not row.get("reason"):
        problems.append("reason: missing (every listing needs a reason)")
    if code in _OPENING and not row.get("id_number"):
        problems.append(f"id_number: needed for code {code.value} ({code.label})")
    return code, problems


def import_suspicious(
    service: RegistryService, rows: Iterable[dict[str, Any]], reporter: Principal
) -> IntakeResult:
    """List the accounts of a partner's suspicious-list report; bad rows are named and skipped."""
    result = IntakeResult()
    for n, raw in enumerate(rows, start=1):
        row = _clean(raw)
        code, problems = _validate(row)
        if problems:
            result.errors.extend(f"第{n}行 {p}" for p in problems)
            continue
        evidence = {
            "code": code.value,
            "label": code.label,
            "name": (row["name"][:1] + "*" * max(len(row["name"]) - 1, 1))
            if row.get("name")
            else None,
            "ip": mask("ip", row["ip"]) if row.get("ip") else None,
            "mac": mask("device", row["mac"]) if row.get("mac") else None,
            "device": mask("device", row["device_id"]) if row.get("device_id") else None,
            "place": row.get("place") or None,
            "reported_at": row.get("reported_at") or None,
        }
        evidence = {k: v for k, v in evidence.items() if v}
        reason = f"{code.label}（{code.value}）：{row['reason']}"
        grade = CODE_GRADE[code]
        service.report(
            ReportInput(
                kind=IdKind.ACCOUNT,
                value=row["account"],
                grade=grade,
                source=Source.PARTNER,
                reason=reason,
                code=code,
                evidence=evidence,
            ),
            reporter,
        )
        result.listed += 1
        if code in _OPENING:
            service.report(
                ReportInput(
                    kind=IdKind.ID_NUMBER,
                    value=row["id_number"],
                    grade=grade,
                    source=Source.PARTNER,
                    reason=reason,
                    code=code,
                    evidence={"code": code.value, "label": code.label},
                ),
                reporter,
            )
            result.listed += 1
        result.accepted += 1
    return result


_KIND_ALIASES = {
    "number": IdKind.PHONE,
    "msisdn": IdKind.PHONE,
    "phone": IdKind.PHONE,
    "account": IdKind.ACCOUNT,
    "payee_account": IdKind.ACCOUNT,
    "payer_account": IdKind.ACCOUNT,
    "url": IdKind.URL,
    "domain": IdKind.DOMAIN,
    "app": IdKind.APP,
    "app_id": IdKind.APP,
    "apk_sha256": IdKind.APP,
    "imei": IdKind.DEVICE,
    "device": IdKind.DEVICE,
    "ip": IdKind.IP,
    "qq": IdKind.QQ,
    "wechat": IdKind.WECHAT,
    "id_number": IdKind.ID_NUMBER,
    "person_id": IdKind.ID_NUMBER,
}


def _attr(obj: Any, *names: str) -> Any:
    for n in names:
        if isinstance(obj, dict) and n in obj:
            return obj[n]
        if hasattr(obj, n):
            return getattr(obj, n)
    return None


def finding_to_report(finding: Any) -> ReportInput:
    """Adapter for ``fanzha.detect.findings.Finding`` or any object/dict with entity kind/value,
    score, grade and reasons."""
    kind = _attr(finding, "entity_kind", "kind")
    value = _attr(finding, "entity_value", "value", "entity")
    if not kind or not value:
        raise RegistryError("finding: needs entity_kind and entity_value")
    k = _KIND_ALIASES.get(str(getattr(kind, "value", kind)).lower())
    if k is None:
        raise RegistryError(f"finding: identifier kind {kind!r} cannot be listed")
    grade_raw = _attr(finding, "grade", "level")
    if grade_raw is None:
        score = float(_attr(finding, "score") or 0.0)
        grade = (
            RiskLevel.HIGH if score >= 0.9 else RiskLevel.MEDIUM if score >= 0.7 else RiskLevel.LOW
        )
    elif isinstance(grade_raw, str) and not grade_raw.isdigit():
        grade = RiskLevel[grade_raw.upper()]
    else:
        grade = RiskLevel(int(grade_raw))
    reasons = _attr(finding, "reasons") or []
    if isinstance(reasons, str):
        reasons = [reasons]
    texts = [str(getattr(r, "text", None) or getattr(r, "message", None) or r) for r in reasons]
    ft = _attr(finding, "fraud_type")
    fraud_type = None
    if ft:
        try:
            fraud_type = FraudType(str(getattr(ft, "value", ft)))
        except ValueError:
            fraud_type = None
    score = _attr(finding, "score")
    detector = _attr(finding, "detector", "model", "source")
    evidence = {
        "score": float(score) if score is not None else None,
        "detector": str(detector or ""),
    }
    return ReportInput(
        kind=k,
        value=str(value),
        grade=grade,
        source=Source.DETECTOR,
        reason="模型发现：" + ("；".join(texts) if texts else "风险评分超过阈值"),
        fraud_type=fraud_type,
        evidence={k2: v for k2, v in evidence.items() if v not in (None, "")},
    )


def ingest_findings(
    service: RegistryService, findings: Iterable[Any], principal: Principal, min_grade: int = 2
) -> IntakeResult:
    """List detector findings at or above ``min_grade`` (lower grades are not a restriction)."""
    result = IntakeResult()
    for n, f in enumerate(findings, start=1):
        try:
            item = finding_to_report(f)
        except (RegistryError, ValueError, KeyError) as exc:
            result.errors.append(f"第{n}条 {exc}")
            continue
        result.accepted += 1
        if item.grade >= min_grade:
            # Findings come from the platform's own lake: a police or platform principal keeps
            # the raw value so that other rooms can match events against the entry.
            item = replace(
                item, police_authorised=principal.org_kind.is_police or principal.is_platform
            )
            service.report(item, principal)
            result.listed += 1
    return result
