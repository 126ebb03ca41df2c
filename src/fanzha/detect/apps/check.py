"""App risk: impersonation of official apps, hash lists, and dangerous permission combinations."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
OFFICIAL_FILE = HERE / "official_apps.yaml"
LISTS_FILE = HERE / "lists.yaml"

# Short permission names -> what they enable for a fraudster.
PERMISSION_SIGNALS: dict[str, tuple[str, float]] = {
    "BIND_ACCESSIBILITY_SERVICE": ("无障碍服务：可代替用户点击、读取屏幕", 0.35),
    "FOREGROUND_SERVICE_MEDIA_PROJECTION": ("屏幕录制/共享（MediaProjection）", 0.3),
    "MEDIA_PROJECTION": ("屏幕录制/共享（MediaProjection）", 0.3),
    "CAPTURE_VIDEO_OUTPUT": ("屏幕录制/共享", 0.3),
    "READ_SMS": ("读取短信（可窃取验证码）", 0.3),
    "RECEIVE_SMS": ("接收短信（可拦截验证码）", 0.3),
    "SEND_SMS": ("发送短信", 0.15),
    "SYSTEM_ALERT_WINDOW": ("悬浮窗覆盖（可伪造界面、遮挡提示）", 0.2),
    "REQUEST_INSTALL_PACKAGES": ("安装其他应用", 0.15),
    "BIND_DEVICE_ADMIN": ("设备管理器（难以卸载）", 0.3),
    "BIND_NOTIFICATION_LISTENER_SERVICE": ("读取通知（可窃取验证码）", 0.2),
    "READ_CALL_LOG": ("读取通话记录", 0.1),
    "PROCESS_OUTGOING_CALLS": ("拦截/转接去电", 0.3),
    "CALL_PHONE": ("直接拨打电话", 0.05),
    "ANSWER_PHONE_CALLS": ("自动接听电话", 0.2),
    "READ_CONTACTS": ("读取通讯录", 0.1),
    "RECORD_AUDIO": ("录音", 0.05),
    "QUERY_ALL_PACKAGES": ("枚举已安装应用（查找银行/反诈应用）", 0.1),
}
# Combinations that together mean remote control or code theft.
COMBOS: list[tuple[frozenset[str], str, float]] = [
    (
        frozenset({"BIND_ACCESSIBILITY_SERVICE", "SYSTEM_ALERT_WINDOW"}),
        "无障碍+悬浮窗：可远程操控并遮挡屏幕",
        0.5,
    ),
    (
        frozenset({"FOREGROUND_SERVICE_MEDIA_PROJECTION", "BIND_ACCESSIBILITY_SERVICE"}),
        "屏幕共享+无障碍：可远程查看并操作手机",
        0.6,
    ),
    (
        frozenset({"MEDIA_PROJECTION", "BIND_ACCESSIBILITY_SERVICE"}),
        "屏幕共享+无障碍：可远程查看并操作手机",
        0.6,
    ),
    (frozenset({"READ_SMS", "INTERNET"}), "读短信+联网：可将验证码外传", 0.35),
    (frozenset({"RECEIVE_SMS", "INTERNET"}), "收短信+联网：可将验证码外传", 0.35),
    (
        frozenset({"BIND_NOTIFICATION_LISTENER_SERVICE", "INTERNET"}),
        "读通知+联网：可将验证码外传",
        0.25,
    ),
    (
        frozenset({"PROCESS_OUTGOING_CALLS", "CALL_PHONE"}),
        "拦截去电+拨号：可把拨给银行/110的电话转走",
        0.5,
    ),
]


@dataclass
class AppVerdict:
    is_risky: bool
    score: float
    reasons: list[str] = field(default_factory=list)
    impersonates: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "is_risky": self.is_risky,
            "score": self.score,
            "reasons": self.reasons,
            "impersonates": self.impersonates,
        }


@dataclass(frozen=True)
class OfficialApp:
    package: str
    labels: tuple[str, ...]
    owner: str


@lru_cache(maxsize=4)
def official_apps(path: Path = OFFICIAL_FILE) -> tuple[OfficialApp, ...]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return tuple(
        OfficialApp(a["package"], tuple(str(x) for x in a["labels"]), a.get("owner", ""))
        for a in raw["apps"]
    )


@lru_cache(maxsize=4)
def hash_lists(path: Path = LISTS_FILE) -> dict[str, Any]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def index(entries: Iterable[Any]) -> dict[str, str]:
        out = {}
        for e in entries or []:
            if isinstance(e, dict):
                out[str(e["sha256"]).lower()] = str(e.get("reason", "名单命中"))
            else:
                out[str(e).lower()] = "名单命中"
        return out

    return {
        "apk": index(raw.get("blocked_apk_sha256")),
        "cert": index(raw.get("blocked_cert_sha256")),
        "official_certs": {
            k: {c.lower() for c in v} for k, v in (raw.get("official_certs") or {}).items()
        },
    }


def short_permission(p: str) -> str:
    p = p.strip()
    return p.rsplit(".", 1)[-1].upper() if p else ""


def _norm_label(s: str) -> str:
    return re.sub(r"[\s\-_·.()（）]+", "", s).lower()


def _sim(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def check_app(
    package: str,
    label: str = "",
    permissions: Iterable[str] = (),
    sha256: str | None = None,
    cert_sha256: str | None = None,
    lists_path: Path = LISTS_FILE,
) -> AppVerdict:
    reasons: list[tuple[str, float]] = []
    pkg = (package or "").strip()
    lab = _norm_label(label or "")
    lists = hash_lists(lists_path)
    impersonates = None
    if sha256 and sha256.lower() in lists["apk"]:
        reasons.append((f"安装包哈希在涉诈名单中：{lists['apk'][sha256.lower()]}", 0.99))
    if cert_sha256 and cert_sha256.lower() in lists["cert"]:
        reasons.append((f"签名证书在涉诈名单中：{lists['cert'][cert_sha256.lower()]}", 0.95))
    officials = official_apps()
    by_pkg = {a.package.lower(): a for a in officials}
    official = by_pkg.get(pkg.lower())
    if official is not None:
        certs = lists["official_certs"].get(official.package)
        if certs and cert_sha256 and cert_sha256.lower() not in certs:
            reasons.append(
                (f"包名与官方应用「{official.labels[0]}」相同但签名证书不同（重打包）", 0.9)
            )
            impersonates = official.labels[0]
    else:
        best, best_s = None, 0.0
        for a in officials:
            for ol in a.labels:
                n = _norm_label(ol)
                if lab and (lab == n or (len(n) >= 2 and n in lab)):
                    s = 1.0
                else:
                    s = _sim(lab, n) if lab else 0.0
                if s > best_s:
                    best, best_s = a, s
        if best is not None and best_s >= 0.75:
            impersonates = best.labels[0]
            reasons.append(
                (
                    f"名称「{label}」仿冒官方应用「{best.labels[0]}」，但包名不是 {best.package}",
                    0.7 if best_s >= 0.99 else 0.5,
                )
            )
        pbest, ps = None, 0.0
        for a in officials:
            s = _sim(pkg.lower(), a.package.lower())
            if s > ps:
                pbest, ps = a, s
        if pbest is not None and ps >= 0.8:
            impersonates = impersonates or pbest.labels[0]
            reasons.append((f"包名 {pkg} 近似官方应用 {pbest.package}（{pbest.labels[0]}）", 0.6))
        if re.search(
            r"(?:anquan|fanzha|gongan|jingcha|police|yinhang|bank|zhifu|pay|daikuan|loan|touzi|licai)",
            pkg.lower(),
        ):
            reasons.append((f"包名含敏感词（{pkg}）", 0.15))
    perms = {short_permission(p) for p in permissions if p and p.strip()}
    for p in sorted(perms):
        if p in PERMISSION_SIGNALS:
            text, w = PERMISSION_SIGNALS[p]
            reasons.append((f"申请权限：{text}", w))
    for combo, text, w in COMBOS:
        if combo <= perms:
            reasons.append((f"高危权限组合：{text}", w))
    s = 1.0
    for _, w in reasons:
        s *= 1.0 - w
    score = round(1.0 - s, 4)
    texts = [t for t, _ in sorted(reasons, key=lambda r: -r[1])]
    return AppVerdict(score >= 0.5, score, texts, impersonates)
