"""What the demo achieved, measured against the simulator's ground truth.

Warning figures (issue 8): the share of victims who had a warning before their first payment and
the median lead time; the share of warnings about people no fraudster ever contacted (false
alarms); the same for the hard-negative population — people called by couriers and delivery
riders, whose numbers make many short calls just like fraud callers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.store.tables.warn import WarningRow
from fanzha.warn.service import person_key


def warning_figures(session: Session, truth: Any, lake: Any, secret: bytes) -> dict[str, Any]:
    """``truth(name)`` returns a truth table as a DataFrame; ``lake`` is the platform's lake."""
    rows = session.execute(
        select(WarningRow.person_key, WarningRow.created_at, WarningRow.outcome)
    ).all()
    w = pd.DataFrame(rows, columns=["person_key", "created_at", "outcome"])
    first_warning = (
        w.groupby("person_key")["created_at"].min() if len(w) else pd.Series(dtype=object)
    )
    cases = truth("cases")
    events = truth("events")
    victims = (
        cases.dropna(subset=["first_payment_time"]).groupby("victim_id")["first_payment_time"].min()
    )
    lead = []
    for pid, paid in victims.items():
        at = first_warning.get(person_key(pid, secret))
        if at is not None and pd.Timestamp(at) < pd.Timestamp(paid):
            lead.append((pd.Timestamp(paid) - pd.Timestamp(at)).total_seconds())
    targets = set(events["victim_id"].dropna()) | set(cases["victim_id"])
    target_keys = {person_key(p, secret) for p in targets}
    warned = set(first_warning.index)
    false_alarms = warned - target_keys

    # hard negatives: people called by couriers / delivery riders and never by a fraudster
    ent = truth("entities")
    hn_people = set(
        ent[(ent["entity_kind"] == "person") & ent["role"].isin(["courier", "delivery_rider"])][
            "value"
        ]
    )
    numbers = truth("numbers")
    hn_numbers = set(numbers[numbers["person_id"].isin(hn_people)]["number"])
    calls = lake.scan("call").select(["caller", "callee"]).to_pandas()
    owners = numbers.set_index("number")["person_id"]
    customers = set(calls[calls["caller"].isin(hn_numbers)]["callee"].map(owners).dropna())
    customers -= targets
    hn_keys = {person_key(p, secret) for p in customers}
    return {
        "victims_paid": int(len(victims)),
        "victims_warned_before_first_payment": len(lead),
        "share_warned_before_first_payment": round(len(lead) / len(victims), 4)
        if len(victims)
        else None,
        "median_lead_time_min": round(float(pd.Series(lead).median()) / 60, 1) if lead else None,
        "people_warned": len(warned),
        "false_alarm_share": round(len(false_alarms) / len(warned), 4) if warned else None,
        "hard_negative_customers": len(customers),
        "hard_negative_customers_warned": len(hn_keys & warned),
        "hard_negative_warned_share": round(len(hn_keys & warned) / len(customers), 4)
        if customers
        else None,
        "outcome_false_alarm_rate": round(
            float((w["outcome"] == "false_alarm").sum() / max(w["outcome"].notna().sum(), 1)), 4
        ),
    }
