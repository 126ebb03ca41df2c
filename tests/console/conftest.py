"""A live console for the browser tests: a seeded data dir, the API in a uvicorn subprocess, and a
headless Debian Chromium driven by Playwright.

The data are seeded through the services themselves (organisations, the demo accounts, warnings
from exposures, transfers through ingestion, risk-list entries through the API, clustered cases),
which takes seconds; the full ``fanzha demo`` replay is far too slow for a test fixture.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
STATIC_INDEX = REPO / "src" / "fanzha" / "console" / "static" / "index.html"
SCREENSHOTS = REPO / "build" / "screenshots"
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "fanzha-demo-2026"
STATION = "S510104001"
BANK_ORG = "inst-icbc"
CITIZEN_PHONE = "13800138000"
EARLIER = ("510105198807070045", "510104196612120018")
VICTIM_ACCOUNT = "6222020200000000011"
MULE_1 = "6222020200000000022"
MULE_2 = "6222020200000000033"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the built console in headless Chromium")


@dataclass(frozen=True)
class Live:
    url: str
    data_dir: Path
    seed: dict


def _missing() -> str | None:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} missing (make browser)"
    if not STATIC_INDEX.exists():
        return "console not built (make console)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright not installed"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _seed(now: datetime) -> dict:
    """Organisations, demo users, warnings, transfers and cases, written through the services."""
    import pandas as pd
    from sqlalchemy import select

    from fanzha.access.principal import PLATFORM_OPERATOR, OrgKind, Principal
    from fanzha.cases.service import import_bundle, run_linking
    from fanzha.cases.synthetic import generate
    from fanzha.demo.world import seed_accounts
    from fanzha.domain.clock import FixedClock
    from fanzha.ingest.service import ingest_records
    from fanzha.settings import get_settings
    from fanzha.store.db import session_scope
    from fanzha.store.migrate import upgrade
    from fanzha.store.tables.access import Organisation
    from fanzha.store.tables.warn import WarnTask
    from fanzha.warn.service import WarningService

    settings = get_settings()
    settings.ensure_dirs()
    upgrade()
    orgs = [
        ("platform", "四川省反诈中心（平台）", OrgKind.PLATFORM, None, None),
        ("public", "社会公众", OrgKind.PUBLIC, None, None),
        ("police-510000", "四川省公安厅", OrgKind.PROVINCE_POLICE, "510000", None),
        ("police-510100", "成都市公安局", OrgKind.CITY_POLICE, "510100", "police-510000"),
        (
            "police-510104",
            "成都市公安局锦江区分局",
            OrgKind.COUNTY_POLICE,
            "510104",
            "police-510100",
        ),
        (
            "police-510105",
            "成都市公安局青羊区分局",
            OrgKind.COUNTY_POLICE,
            "510105",
            "police-510100",
        ),
        (STATION, "锦江区春熙路派出所", OrgKind.POLICE_STATION, "510104", "police-510104"),
        (BANK_ORG, "中国工商银行", OrgKind.BANK, None, None),
        ("op-china-mobile", "中国移动四川公司", OrgKind.TELECOM, None, None),
    ]
    with session_scope() as s:
        for oid, name, kind, code, parent in orgs:
            s.add(
                Organisation(
                    id=oid,
                    name=name,
                    kind=kind.value,
                    division_code=code,
                    parent_id=parent,
                    created_at=now,
                )
            )
        s.flush()
        accounts = seed_accounts(
            s,
            {
                "county": "510104",
                "station": STATION,
                "bank": BANK_ORG,
                "citizen_phone": CITIZEN_PHONE,
            },
            now=now,
        )
    exposures = pd.DataFrame(
        [
            # person, signal, type, grade, minutes ago, call s, phone, age, county, station
            ("510104195203150021", "call", "冒充公检法及政府机关类", 3, 50, 600, CITIZEN_PHONE, 74,
             "510104", STATION),
            ("510104195203150021", "sms", "冒充公检法及政府机关类", 3, 45, 0, CITIZEN_PHONE, 74,
             "510104", STATION),
            ("510104199001010037", "url_visit", "虚假网络投资理财类", 3, 30, 0, "13900139000", 36,
             "510104", STATION),
            ("510104199001010037", "app_install", "虚假网络投资理财类", 3, 25, 0, "13900139000",
             36, "510104", STATION),
            ("510105198807070045", "call", "刷单返利类", 2, 150, 240, "13700137000", 38,
             "510105", None),
            ("510104196612120018", "call", "冒充电商物流客服类", 2, 140, 300, "13600136000", 60,
             "510104", STATION),
        ],
        columns=["person_id", "signal_kind", "fraud_type", "grade", "ago", "duration_s", "phone",
                 "age", "division_code", "station_id"],
    )  # fmt: skip
    exposures["at"] = [pd.Timestamp(now - timedelta(minutes=int(m))) for m in exposures["ago"]]
    exposures["counterpart_kind"] = "phone"
    exposures["counterpart"] = "17012345678"
    exposures = exposures.drop(columns=["ago"])
    with session_scope() as s:
        svc = WarningService(s, settings.secret_bytes, FixedClock(now - timedelta(hours=2)))
        opened = svc.process(exposures[exposures["person_id"].isin(EARLIER)]).opened
        # yesterday's work: the officers already called these two people
        for task in s.scalars(select(WarnTask).order_by(WarnTask.id)).all():
            svc.receive(task.id, PLATFORM_OPERATOR)
            svc.record_outcome(task.id, "dissuaded", PLATFORM_OPERATOR, "已电话劝阻")
        svc.clock = FixedClock(now)
        opened += svc.process(exposures[~exposures["person_id"].isin(EARLIER)]).opened
    # the victim's transfer to a mule, who forwards part of it and keeps the rest
    t0 = now - timedelta(hours=3)
    transfers = [
        ("TX-V1-1", t0, VICTIM_ACCOUNT, MULE_1, 8_000_000),
        ("TX-M1-1", t0 + timedelta(minutes=12), MULE_1, MULE_2, 5_000_000),
        ("TX-M2-1", t0 + timedelta(minutes=30), MULE_2, "6222020200000000044", 1_000_000),
    ]
    bank = Principal(org_id=BANK_ORG, org_kind=OrgKind.BANK)
    rep = ingest_records(
        "transfer",
        [
            {
                "event_id": eid,
                "event_time": at.isoformat(),
                "payer_account": a,
                "payee_account": b,
                "amount_fen": amt,
            }
            for eid, at, a, b, amt in transfers
        ],
        bank,
    )
    assert not rep.rejected, rep.errors
    world = generate(n_gangs=3, victims_per_gang=(4, 6), seed=7, start=now - timedelta(days=20))
    with session_scope() as s:
        import_bundle(s, world.bundle(), now)
        linked = run_linking(s, now)
    return {
        "users": {a.user: a.org_id for a in accounts},
        "warnings_opened": opened,
        "victim_event": "TX-V1-1",
        "linked": linked,
    }


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    why = _missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"CI requires the browser tests: {why}")
        pytest.skip(why)
    from fanzha.settings import reset_settings_cache
    from fanzha.store.db import reset_engines

    data = tmp_path_factory.mktemp("console") / "var"
    names = ("FANZHA_DATA_DIR", "FANZHA_DATABASE_URL", "FANZHA_REDIS_URL")
    saved = {k: os.environ.get(k) for k in names}
    # the seed runs in this process; the environment is restored straight after it so that
    # the rest of the test session never sees the console's data dir
    os.environ["FANZHA_DATA_DIR"] = str(data)
    os.environ.pop("FANZHA_DATABASE_URL", None)
    os.environ.pop("FANZHA_REDIS_URL", None)
    reset_settings_cache()
    reset_engines()
    try:
        seed = _seed(datetime.now(UTC))
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        reset_engines()
        reset_settings_cache()
    env = {k: v for k, v in os.environ.items() if k not in names}
    env["FANZHA_DATA_DIR"] = str(data)
    port = _free_port()
    log = (data / "uvicorn.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "fanzha.api.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"API did not start: {(data / 'uvicorn.log').read_text()}")
            time.sleep(0.3)
        token = httpx.post(
            f"{url}/v1/auth/login", json={"username": "analyst", "password": PASSWORD}
        ).json()["token"]
        for kind, value, ftype in (
            ("phone", "17012345678", "冒充公检法及政府机关类"),
            ("account", MULE_1, "虚假网络投资理财类"),
            ("url", "http://invest-vip-tz.top/login", "虚假网络投资理财类"),
        ):
            r = httpx.post(
                f"{url}/v1/registry/entries",
                headers={"Authorization": f"Bearer {token}"},
                json={"kind": kind, "value": value, "grade": 3, "reason": "群众举报、警情核实",
                      "fraud_type": ftype},
            )  # fmt: skip
            assert r.status_code == 201, r.text
        yield Live(url, data, seed)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        log.close()


@pytest.fixture(scope="session")
def browser(live: Live) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROME_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, live: Live) -> Iterator[object]:  # noqa: ANN001
    ctx = browser.new_context(
        base_url=live.url, viewport={"width": 1400, "height": 900}, locale="zh-CN"
    )
    ctx.set_default_timeout(15_000)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.errors = errors
    yield pg
    ctx.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture
def shot():  # noqa: ANN201
    """``shot(page, name)`` saves a full-page screenshot to build/screenshots/<name>.png."""

    def take(pg, name: str) -> Path:  # noqa: ANN001
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login():  # noqa: ANN201
    """``login(page, user)`` signs in through the login form."""

    def go(pg, user: str) -> None:  # noqa: ANN001
        pg.goto("/console/#/login")
        pg.fill("input[name=username]", user)
        pg.fill("input[name=password]", PASSWORD)
        pg.click("button[type=submit]")

    return go
