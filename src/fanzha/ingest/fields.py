"""What the validator knows about each event kind: field types, aliases, identifier kinds."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

import annotated_types

from fanzha.domain.events import event_type

# Column-name aliases partners use → the event field they mean.
ALIASES: dict[str, str] = {
    "id": "event_id",
    "eventid": "event_id",
    "time": "event_time",
    "timestamp": "event_time",
    "ts": "event_time",
    "org": "source_org",
}

# Money columns written in yuan (``¥1,234.50``) → the fen field they fill.
YUAN_COLUMNS: dict[str, str] = {"amount": "amount_fen", "loss": "loss_fen", "loss_yuan": "loss_fen"}

# Fields holding identifiers, normalised with ``fanzha.domain.identifiers`` (kind per field).
IDENTIFIER_FIELDS: dict[str, dict[str, str]] = {
    "call": {"caller": "phone", "callee": "phone", "imei": "imei"},
    "sms": {"sender": "phone", "receiver": "phone"},
    "transfer": {"ip": "ip"},
    "account_opening": {"person_id": "resident_id", "bound_phone": "phone"},
    "sim_issuance": {"number": "phone", "person_id": "resident_id"},
    "url_visit": {"number": "phone", "url": "url", "ip": "ip"},
    "app_install": {"number": "phone", "apk_sha256": "apk_sha256", "imei": "imei"},
    "public_report": {},
    "victim_report": {"victim_id": "resident_id", "victim_phone": "phone"},
}

# Personal data masked when events are read back over the API.
PERSONAL_FIELDS: dict[str, tuple[str, ...]] = {
    "call": ("caller", "callee", "imei"),
    "sms": ("sender", "receiver", "content"),
    "transfer": ("payer_account", "payee_account", "device_id", "ip"),
    "account_opening": ("account", "person_id", "bound_phone"),
    "sim_issuance": ("number", "person_id", "agent"),
    "url_visit": ("number", "ip"),
    "app_install": ("number", "imei"),
    "public_report": ("reporter", "target_value", "content"),
    "victim_report": ("victim_id", "victim_phone", "description"),
}


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # "str" | "int" | "time" | "enum"
    required: bool
    default: object = None
    enum_values: tuple[str, ...] = ()
    ge: int | None = None
    gt: int | None = None
    le: int | None = None
    max_length: int | None = None


def field_specs(kind: str) -> list[FieldSpec]:
    cls = event_type(kind)
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for name, info in cls.model_fields.items():
        ann = hints[name]
        base = ann
        if typing.get_origin(base) is typing.Annotated:
            base = typing.get_args(base)[0]
        args = [a for a in typing.get_args(base) if a is not type(None)] or [base]
        t = args[0]
        if typing.get_origin(t) is typing.Annotated:
            t = typing.get_args(t)[0]
        ge = gt = le = max_len = None
        for m in info.metadata:
            if isinstance(m, annotated_types.Ge):
                ge = int(m.ge)
            elif isinstance(m, annotated_types.Gt):
                gt = int(m.gt)
            elif isinstance(m, annotated_types.Le):
                le = int(m.le)
            elif isinstance(m, annotated_types.MaxLen):
                max_len = int(m.max_length)
        enum_vals: tuple[str, ...] = ()
        if t is datetime:
            typ = "time"
        elif t is int:
            typ = "int"
        elif isinstance(t, type) and issubclass(t, Enum):
            typ = "enum"
            enum_vals = tuple(str(e.value) for e in t)
        else:
            typ = "str"
        default = None
        if not info.is_required() and info.default is not None:
            default = info.default.value if isinstance(info.default, Enum) else info.default
        out.append(
            FieldSpec(name, typ, info.is_required(), default, enum_vals, ge, gt, le, max_len)
        )
    return out
