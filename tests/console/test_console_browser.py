"""The console in headless Chromium: each role's landing page and navigation, an officer working a
warning, an analyst tracing money and freezing it, the bank executing the freeze, a citizen
checking a message and reporting, the dashboard's charts. Screenshots go to build/screenshots/."""

from __future__ import annotations

import re

import httpx
import pytest

pytestmark = pytest.mark.browser

MULE_1 = "6222020200000000022"
PASSWORD = "fanzha-demo-2026"
SCAM = (
    "您好，我是市公安局民警，您的银行卡涉嫌洗钱，请立即将资金转入安全账户配合调查，不要告诉家人。"
)

# user → (landing route, a navigation entry it must see, one it must not)
ROLES = {
    "analyst": ("/home", "资金追踪与止付冻结", "止付冻结指令"),
    "city": ("/home", "预警劝阻", "运营商处置"),
    "county": ("/home", "预警劝阻", "止付冻结指令"),
    "station": ("/home", "预警劝阻", "运营商处置"),
    "bank": ("/bank", "止付冻结指令", "挂图作战"),
    "operator": ("/operator", "运营商处置", "挂图作战"),
    "13800138000": ("/portal", "反诈服务", "挂图作战"),
}


def _nav(page) -> list[str]:  # noqa: ANN001
    return [t.strip() for t in page.locator("header nav a").all_inner_texts()]


@pytest.mark.parametrize("user", list(ROLES))
def test_login_lands_each_role_on_its_page(page, login, user: str) -> None:  # noqa: ANN001
    route, sees, hidden = ROLES[user]
    login(page, user)
    page.wait_for_url(re.compile(f"#{route}$"))
    page.wait_for_selector("header .who")
    nav = _nav(page)
    assert sees in nav
    assert hidden not in nav
    assert "登录" not in nav


def test_login_rejects_a_wrong_password(page) -> None:  # noqa: ANN001
    page.goto("/console/#/login")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    page.wait_for_selector("p.error")
    assert "用户名或密码错误" in page.inner_text("p.error")
    assert page.url.endswith("#/login")


def test_dashboard_renders_its_charts(page, login, shot) -> None:  # noqa: ANN001
    login(page, "analyst")
    page.wait_for_url(re.compile("#/home$"))
    page.wait_for_selector(".echart[data-rendered] canvas")
    page.wait_for_function("document.querySelectorAll('.echart[data-rendered] canvas').length >= 4")
    kpis = dict(
        zip(
            page.locator(".kpi .l").all_inner_texts(),
            page.locator(".kpi .v").all_inner_texts(),
            strict=True,
        )
    )
    assert kpis["预警"] == "4"
    assert kpis["立案"] == "13"
    assert "成都市" in page.inner_text("table")
    page.wait_for_timeout(800)  # let the chart animations settle before the screenshot
    shot(page, "dashboard")


def test_officer_takes_a_warning_and_records_the_outcome(page, login, shot) -> None:  # noqa: ANN001
    login(page, "station")
    page.wait_for_url(re.compile("#/home$"))
    page.click("header nav a:has-text('预警劝阻')")
    row = page.locator("tr[data-task]").filter(has_text="冒充公检法及政府机关类")
    row.wait_for()
    # the officer who must call sees the full number; the person's id stays masked
    assert "13800138000" in row.inner_text()
    assert "510104195203150021" not in page.content()
    assert "紧急" in row.inner_text()
    shot(page, "warnings")
    row.locator("button", has_text="签收").click()
    row.locator("td", has_text="已签收").wait_for()
    row.locator("button", has_text="开始处置").click()
    row.locator("td", has_text="处置中").wait_for()
    row.locator("select.outcome").select_option("dissuaded")
    row.locator("button", has_text="提交").click()
    row.wait_for(state="detached")
    assert page.locator("tr[data-task]").count() == 1  # the other warning is still open
    page.select_option("select.status", "done")
    done = page.locator("tr[data-task]").filter(has_text="冒充公检法及政府机关类")
    done.wait_for()
    assert "已完成" in done.inner_text()


def test_analyst_traces_and_freezes_then_the_bank_executes(  # noqa: ANN001
    browser, page, login, shot, live
) -> None:
    login(page, "analyst")
    page.wait_for_url(re.compile("#/home$"))
    page.click("header nav a:has-text('资金追踪')")
    page.fill("input[name=event_ids]", "TX-V1-1")
    page.click("button:has-text('追踪')")
    page.wait_for_selector(".echart[data-rendered] canvas")
    totals = page.inner_text(".kpis")
    assert "¥80,000.00" in totals  # the victim's transfer, all still held somewhere
    row = page.locator("tr").filter(has_text=MULE_1)
    row.first.wait_for()
    cand = page.locator(".candidates tr").filter(has_text=MULE_1)
    assert "¥30,000.00" in cand.inner_text()  # 80,000 in, 50,000 forwarded
    cand.locator("select").select_option("inst-icbc")
    cand.locator("button", has_text="冻结").click()
    page.wait_for_selector("p.ok:has-text('已发送冻结指令')")
    issued = page.locator(".orders tr").filter(has_text="冻结")
    issued.first.wait_for()
    assert "已发送" in issued.first.inner_text()
    shot(page, "trace")

    ctx = browser.new_context(base_url=live.url, viewport={"width": 1400, "height": 900})
    bank = ctx.new_page()
    try:
        login(bank, "bank")
        bank.wait_for_url(re.compile("#/bank$"))
        order = bank.locator("tr").filter(has_text=MULE_1)
        order.wait_for()
        assert "¥30,000.00" in order.inner_text()
        shot(bank, "bank")
        order.locator("button", has_text="执行并回复").click()
        bank.wait_for_selector("p.ok:has-text('已回复')")
        bank.locator("tr").filter(has_text=MULE_1).locator("td", has_text="已生效").wait_for()
        shot(bank, "bank-executed")
    finally:
        ctx.close()
    token = httpx.post(
        f"{live.url}/v1/auth/login", json={"username": "analyst", "password": PASSWORD}
    ).json()["token"]
    kpis = httpx.get(
        f"{live.url}/v1/dashboard", headers={"Authorization": f"Bearer {token}"}
    ).json()["kpis"]
    assert kpis["frozen_fen"] == 3_000_000


def test_citizen_checks_a_message_and_reports(page, login, shot) -> None:  # noqa: ANN001
    login(page, "13800138000")
    page.wait_for_url(re.compile("#/portal$"))
    page.wait_for_selector(".inbox .card")
    assert "反诈预警" in page.inner_text(".inbox")
    page.fill("textarea[name=message]", SCAM)
    page.click("button:has-text('识别')")
    page.wait_for_selector(".text-result")
    result = page.inner_text(".text-result")
    assert "疑似诈骗" in result
    assert "冒充公检法及政府机关类" in result
    marked = page.locator(".highlighted mark").all_inner_texts()
    assert "安全账户" in marked
    page.select_option("select[name=report_kind]", "phone")
    page.fill("input[name=report_target]", "17012345678")
    page.fill("textarea[name=report_content]", "自称公安民警，要求转账到安全账户")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "chat.txt", "mimeType": "text/plain", "buffer": SCAM.encode()}],
    )
    page.click("button:has-text('提交举报')")
    page.wait_for_selector("p.ok:has-text('举报已受理')")
    shot(page, "portal")


def test_public_portal_needs_no_login(page) -> None:  # noqa: ANN001
    page.goto("/console/#/portal")
    page.fill("input[name=lookup]", "17012345678")
    page.click("button:has-text('查询')")
    page.wait_for_selector(".lookup-result")
    assert "冒充公检法及政府机关类" in page.inner_text(".lookup-result")


def test_registry_and_clusters_show_masked_identifiers(page, login, shot) -> None:  # noqa: ANN001
    login(page, "analyst")
    page.wait_for_url(re.compile("#/home$"))
    page.click("header nav a:has-text('风险名单')")
    row = page.locator("tr").filter(has_text="冒充公检法及政府机关类")
    row.first.wait_for()
    assert "17012345678" not in page.inner_text("table")
    row.first.locator("button", has_text="历史").click()
    page.wait_for_selector(".history tr")
    shot(page, "registry")
    page.click("header nav a:has-text('串并案')")
    page.locator("button", has_text="查看").first.click()
    page.wait_for_selector(".echart[data-rendered] canvas")
    page.wait_for_selector(".key-nodes td:has-text('****')")
    page.wait_for_timeout(800)
    shot(page, "clusters")


def test_operator_sees_masked_numbers_to_act_on(page, login, shot) -> None:  # noqa: ANN001
    login(page, "operator")
    page.wait_for_url(re.compile("#/operator$"))
    page.wait_for_selector(".sms td:has-text('139****9000')")
    page.wait_for_selector(".numbers td:has-text('170****5678')")
    content = page.content()
    assert "13900139000" not in content
    assert "17012345678" not in content
    shot(page, "operator")


def test_decisions_page_checks_a_payment(page, login, shot) -> None:  # noqa: ANN001
    login(page, "county")
    page.wait_for_url(re.compile("#/home$"))
    page.click("header nav a:has-text('支付核验')")
    page.fill("input[name=payer_account]", "6222020200000000099")
    page.fill("input[name=payee_account]", MULE_1)
    page.click("button:has-text('核验')")
    page.wait_for_selector(".decision")
    decision = page.inner_text(".decision")
    assert "人工复核" in decision  # the payee is a listed mule account
    assert "高风险" in decision
    shot(page, "decisions")
