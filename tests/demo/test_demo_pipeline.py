"""The demo replay end to end on the tiny preset: every stage runs and hands data to the next."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from fanzha.demo.pipeline import STAGES, DemoContext, run_demo
from fanzha.demo.scorecard import scorecard
from fanzha.demo.world import demo_choices, seed_accounts
from fanzha.settings import get_settings
from fanzha.store.db import session_scope
from fanzha.store.migrate import upgrade
from fanzha.store.tables.access import User
from fanzha.store.tables.registry import RegistryEntry
from fanzha.store.tables.warn import WarningRow


@pytest.mark.slow
def test_tiny_region_through_every_room(data_dir) -> None:
    upgrade()
    ctx = DemoContext(get_settings(), "tiny", 2, 3, date(2026, 11, 1), lambda _msg: None)
    results = run_demo(ctx)

    assert all(v["rejected"] == 0 for v in results["ingest"].values()), results["ingest"]
    assert results["ingest"]["call"]["accepted"] > 1000
    assert results["detect"]["listed"] > 0
    with session_scope() as s:
        assert s.scalar(select(func.count()).select_from(RegistryEntry)) > 0
        assert s.scalar(select(func.count()).select_from(WarningRow)) > 0
        accounts = seed_accounts(s, demo_choices(s))
        assert {a.user for a in accounts} >= {"analyst", "city", "county", "bank", "operator"}
        assert s.scalar(select(func.count()).select_from(User)) == len(accounts)
    card = scorecard(ctx, results)
    assert [row["stage"] for row in card["throughput"]] == [t.name for t in ctx.timings]
    assert len(card["throughput"]) == len(STAGES)
    w = card["warnings"]
    assert w["people_warned"] > 0
    assert 0.0 <= w["false_alarm_share"] <= 1.0
    assert card["losses"]["returned_fen"] <= card["losses"]["frozen_fen"]
