"""Event types: one pydantic definition per kind, from which the Arrow schema is derived.

Every event carries ``event_id`` (idempotency key), ``source_org`` (the organisation that sent it)
and ``event_time`` (timezone-aware, stored as UTC microseconds). Identifiers inside events are kept
in their normalised form; the ingest room normalises them on the way in.
"""

from __future__ import annotations

import types
import typing
from datetime import datetime
from enum import Enum, StrEnum
from typing import Annotated, ClassVar

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, field_validator


class CallDirection(StrEnum):
    OUTGOING = "outgoing"
    INCOMING = "incoming"
    FORWARDED = "forwarded"


class CardType(StrEnum):
    PERSONAL = "personal"
    INDUSTRY = "industry"
    IOT = "iot"


class Channel(StrEnum):
    MOBILE_BANKING = "mobile_banking"
    ONLINE_BANKING = "online_banking"
    THIRD_PARTY = "third_party"
    ATM = "atm"
    COUNTER = "counter"
    MERCHANT = "merchant"


class AccountClass(StrEnum):
    CLASS_I = "I"
    CLASS_II = "II"
    CLASS_III = "III"
    PAYMENT = "payment"


class Operator(StrEnum):
    CHINA_MOBILE = "china_mobile"
    CHINA_UNICOM = "china_unicom"
    CHINA_TELECOM = "china_telecom"
    CHINA_BROADNET = "china_broadnet"
    VIRTUAL = "virtual"
    FOREIGN = "foreign"
    UNKNOWN = "unknown"


NonEmpty = Annotated[str, Field(min_length=1, max_length=512)]


class Event(BaseModel):
    """Fields common to every event kind."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)
    kind: ClassVar[str] = "event"

    event_id: NonEmpty
    source_org: NonEmpty
    event_time: datetime

    @field_validator("event_time")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("event_time must carry a time zone")
        return v


class CallRecord(Event):
    kind: ClassVar[str] = "call"
    caller: NonEmpty
    callee: NonEmpty
    duration_s: Annotated[int, Field(ge=0, le=86_400)]
    direction: CallDirection = CallDirection.OUTGOING
    caller_card_type: CardType = CardType.PERSONAL
    cell: str | None = None
    city: str | None = None
    imei: str | None = None


class SmsRecord(Event):
    kind: ClassVar[str] = "sms"
    sender: NonEmpty
    receiver: NonEmpty
    content: str | None = None
    sender_card_type: CardType = CardType.PERSONAL


class Transfer(Event):
    kind: ClassVar[str] = "transfer"
    payer_account: NonEmpty
    payee_account: NonEmpty
    amount_fen: Annotated[int, Field(gt=0)]
    channel: Channel = Channel.MOBILE_BANKING
    serial_no: str | None = None
    device_id: str | None = None
    ip: str | None = None
    place: str | None = None


class AccountOpening(Event):
    kind: ClassVar[str] = "account_opening"
    account: NonEmpty
    person_id: NonEmpty
    institution: NonEmpty
    account_class: AccountClass = AccountClass.CLASS_I
    bound_phone: str | None = None
    outlet: str | None = None


class SimIssuance(Event):
    kind: ClassVar[str] = "sim_issuance"
    number: NonEmpty
    person_id: NonEmpty
    operator: Operator
    card_type: CardType = CardType.PERSONAL
    outlet: str | None = None
    agent: str | None = None


class UrlVisit(Event):
    kind: ClassVar[str] = "url_visit"
    number: NonEmpty
    url: NonEmpty
    ip: str | None = None


class AppInstall(Event):
    kind: ClassVar[str] = "app_install"
    number: NonEmpty
    app_id: NonEmpty
    apk_sha256: str | None = None
    app_label: str | None = None
    imei: str | None = None


class PublicReport(Event):
    """举报: a member of the public reports a number, account, URL, app or message."""

    kind: ClassVar[str] = "public_report"
    target_kind: NonEmpty
    target_value: NonEmpty
    reporter: str | None = None
    fraud_type: str | None = None
    content: str | None = None


class VictimReport(Event):
    """报案: a victim reports a fraud to the police; transfers are linked by ``case_ref``."""

    kind: ClassVar[str] = "victim_report"
    case_ref: NonEmpty
    victim_id: NonEmpty
    victim_phone: str | None = None
    division_code: str | None = None
    fraud_type: str | None = None
    loss_fen: Annotated[int, Field(ge=0)] = 0
    description: str | None = None


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        CallRecord,
        SmsRecord,
        Transfer,
        AccountOpening,
        SimIssuance,
        UrlVisit,
        AppInstall,
        PublicReport,
        VictimReport,
    )
}


def event_type(kind: str) -> type[Event]:
    try:
        return EVENT_TYPES[kind]
    except KeyError:
        raise ValueError(
            f"kind: unknown event kind {kind!r}; expected one of {', '.join(EVENT_TYPES)}"
        ) from None


def _arrow_type(annotation: object) -> tuple[pa.DataType, bool]:
    """Map a field annotation to (Arrow type, nullable)."""
    nullable = False
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _arrow_type(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        nullable = len(args) != len(typing.get_args(annotation))
        inner, _ = _arrow_type(args[0])
        return inner, nullable
    if annotation is datetime:
        return pa.timestamp("us", tz="UTC"), nullable
    if annotation is bool:
        return pa.bool_(), nullable
    if annotation is int:
        return pa.int64(), nullable
    if annotation is float:
        return pa.float64(), nullable
    if isinstance(annotation, type) and issubclass(annotation, Enum | str):
        return pa.string(), nullable
    raise TypeError(f"no Arrow type for {annotation!r}")


def arrow_schema(kind_or_type: str | type[Event]) -> pa.Schema:
    """The Arrow schema of an event kind, derived from its pydantic model."""
    cls = event_type(kind_or_type) if isinstance(kind_or_type, str) else kind_or_type
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for name, info in cls.model_fields.items():
        dtype, nullable = _arrow_type(hints[name])
        out.append(pa.field(name, dtype, nullable=nullable or not info.is_required()))
    return pa.schema(out)


def required_fields(kind: str) -> list[str]:
    return [n for n, f in event_type(kind).model_fields.items() if f.is_required()]


def enum_values(kind: str) -> dict[str, list[str]]:
    """Allowed values of each enum-typed field of a kind (for vectorised validation)."""
    cls = event_type(kind)
    hints = typing.get_type_hints(cls)
    out: dict[str, list[str]] = {}
    for name in cls.model_fields:
        ann = hints[name]
        args = typing.get_args(ann) or (ann,)
        for a in args:
            if isinstance(a, type) and issubclass(a, Enum):
                out[name] = [m.value for m in a]
    return out
