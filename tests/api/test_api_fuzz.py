"""Fuzz the ingest, lookup and content-check endpoints from the app's own OpenAPI spec: no input yields a 5xx.

The app is built at import (building it touches no database); each test's ``api_keys`` fixture
points settings at a fresh migrated data directory before any request is made.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from fanzha.api.app import create_app

FUZZED = r"^/v1/(events|deadletters|check/(lookup|text|url)|registry/search)"

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())


@schema.include(path_regex=FUZZED).parametrize()
@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case, api_keys) -> None:  # noqa: ANN001
    case.headers = {**(case.headers or {}), "X-API-Key": api_keys["bank-a"]}
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
