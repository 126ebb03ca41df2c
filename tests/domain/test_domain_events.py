"""Event definitions: pydantic validation and the derived Arrow schemas agree."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa
import pytest
from pydantic import ValidationError

from fanzha.domain.events import EVENT_TYPES, Transfer, arrow_schema, enum_values, required_fields


def test_every_kind_has_a_schema_with_common_fields() -> None:
    for kind in EVENT_TYPES:
        schema = arrow_schema(kind)
        for name in ("event_id", "source_org", "event_time"):
            assert not schema.field(name).nullable, (kind, name)
        assert schema.field("event_time").type == pa.timestamp("us", tz="UTC")


def test_transfer_schema_and_model_agree() -> None:
    schema = arrow_schema("transfer")
    assert schema.field("amount_fen").type == pa.int64()
    assert schema.field("device_id").nullable
    assert set(schema.names) == set(Transfer.model_fields)
    assert set(required_fields("transfer")) == {
        "event_id",
        "source_org",
        "event_time",
        "payer_account",
        "payee_account",
        "amount_fen",
    }
    assert "atm" in enum_values("transfer")["channel"]


def test_model_rejects_bad_values_naming_the_field() -> None:
    base = dict(
        event_id="t1",
        source_org="bank-a",
        payer_account="6222",
        payee_account="6228",
        event_time=datetime(2026, 11, 1, tzinfo=UTC),
    )
    Transfer(**base, amount_fen=100)
    with pytest.raises(ValidationError, match="amount_fen"):
        Transfer(**base, amount_fen=0)
    with pytest.raises(ValidationError, match="time zone"):
        Transfer(**{**base, "event_time": datetime(2026, 11, 1)}, amount_fen=5)
    with pytest.raises(ValidationError, match="extra"):
        Transfer(**base, amount_fen=5, colour="red")


def test_rows_validate_into_arrow() -> None:
    t = Transfer(
        event_id="t1",
        source_org="bank-a",
        payer_account="a",
        payee_account="b",
        amount_fen=123450,
        event_time=datetime(2026, 11, 1, 8, tzinfo=UTC),
        channel="atm",
    )
    table = pa.Table.from_pylist([t.model_dump(mode="python")], schema=arrow_schema("transfer"))
    assert table["channel"].to_pylist() == ["atm"]
