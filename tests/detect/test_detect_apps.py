"""App risk: impersonation, hash lists, permission combinations."""

from __future__ import annotations

from pathlib import Path

from fanzha.detect.apps import check_app

PERM = "android.permission."


def test_impersonating_app_with_remote_control_permissions() -> None:
    v = check_app(
        "com.zhifubao.anquan",
        "支付宝",
        [PERM + "BIND_ACCESSIBILITY_SERVICE", PERM + "SYSTEM_ALERT_WINDOW", PERM + "INTERNET"],
    )
    assert v.is_risky and v.impersonates == "支付宝"
    assert any("无障碍+悬浮窗" in r for r in v.reasons)


def test_lookalike_package_name() -> None:
    v = check_app("com.tencent.rnm", "微信助手")
    assert v.impersonates == "微信"
    assert any("近似官方应用" in r or "仿冒" in r for r in v.reasons)


def test_official_and_ordinary_apps_are_clean() -> None:
    assert not check_app("com.tencent.mm", "微信", [PERM + "INTERNET", PERM + "CAMERA"]).is_risky
    assert check_app("com.example.notes", "记事本", [PERM + "INTERNET"]).score == 0.0


def test_sms_theft_and_screen_sharing() -> None:
    v = check_app(
        "com.example.helper",
        "会议助手",
        [
            PERM + "READ_SMS",
            PERM + "INTERNET",
            PERM + "FOREGROUND_SERVICE_MEDIA_PROJECTION",
            PERM + "BIND_ACCESSIBILITY_SERVICE",
        ],
    )
    assert v.is_risky
    assert any("验证码" in r for r in v.reasons)
    assert any("屏幕共享+无障碍" in r for r in v.reasons)


def test_hash_lists(tmp_path: Path) -> None:
    h = "ab" * 32
    lists = tmp_path / "lists.yaml"
    lists.write_text(
        f"blocked_apk_sha256:\n  - {{sha256: {h}, reason: 案件 A123 的诈骗 APP}}\nblocked_cert_sha256: []\n",
        encoding="utf-8",
    )
    v = check_app("com.example.x", "计算器", sha256=h.upper(), lists_path=lists)
    assert v.is_risky and v.score > 0.9 and "案件 A123" in v.reasons[0]
    assert not check_app("com.example.x", "计算器", sha256="cd" * 32, lists_path=lists).is_risky
