"""A tiny region generated once per test session (a few seconds)."""

from __future__ import annotations

from datetime import date

import pytest

from fanzha.sim.engine import SimConfig
from fanzha.sim.output import generate

TINY = SimConfig(preset="tiny", scale=1.5, days=4, seed=11, start=date(2026, 11, 1))


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("sim_tiny")
    summary = generate(TINY, out)
    return out, summary
