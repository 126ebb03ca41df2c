"""What the demo achieved, measured against the simulator's ground truth.

Warning figures (issue 8): the share of victims who had a warning before their first payment and
the median lead time; the share of warned people whom no fraudster ever reached — neither a
labelled victim nor called or texted by a fraud number (false alarms); and, for the hard-negative
population — customers of couriers and delivery riders, whose numbers make many short calls just
like fraud callers — the share warned although no fraudster reached them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from fanzha.store.tables.warn import WarningRow
from fanzha.warn.service import person_key


def people_reached_by_fraud(truth: Any, lake: Any) -> set[str]:
    """Everyone a fraudster reached: labelled victims, and anyone called or texted by a fraud
    number (cold calls included)."""
    numbers = truth("numbers")
    owners = numbers.set_index("number")["person_id"]
    fraud_numbers = set(numbers[numbers["label"] == "fraud"]["number"])
    calls = lake.scan("call").select(["caller", "callee"]).to_pandas()
    sms = lake.scan("sms").select(["sender", "receiver"]).to_pandas()
    reached = set(calls[calls["caller"].isin(fraud_numbers)]["callee"]) | set(
        sms[sms["sender"].isin(fraud_numbers)]["receiver"]
    )
    events, cases = truth("events"), truth("cases")
    return (
        set(events["victim_id"].dropna())
        | set(cases["victim_id"])
        | set(pd.Series(list(reached), dtype=object).map(owners).dropna())
    )


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
    victims = (
        cases.dropna(subset=["first_payment_time"]).groupby("victim_id")["first_payment_time"].min()
    )
    lead = []
    for pid, paid in victims.items():
        at = first_warning.get(person_key(pid, secret))
        if at is not None and pd.Timestamp(at) < pd.Timestamp(paid):
            lead.append((pd.Timestamp(paid) - pd.Timestamp(at)).total_seconds())
    targets = people_reached_by_fraud(truth, lake)
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
    owners = numbers.set_index("number")["person_id"]
    calls = lake.scan("call").select(["caller", "callee"]).to_pandas()
    hn_numbers = set(numbers[numbers["person_id"].isin(hn_people)]["number"])
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


def _yuan(fen: int | None) -> str:
    return "-" if fen is None else f"¥{fen / 100:,.2f}"


def scorecard(ctx: Any, results: dict[str, Any]) -> dict[str, Any]:
    """Everything the demo prints at the end, as one JSON-able dict."""
    from fanzha.store.db import session_scope

    cases = ctx.truth_table("cases")
    with session_scope() as s:
        warn = warning_figures(s, ctx.truth_table, ctx.lake, ctx.settings.secret_bytes)
    inter = results.get("intercept", {})
    return {
        "frauds_attempted": int(len(cases)),
        "victims_who_paid": warn["victims_paid"],
        "losses": {
            "lost_fen": int(cases["loss_fen"].fillna(0).sum()),
            "reported_fen": int(inter.get("seeded_fen", 0)),
            "stopped_fen": int(inter.get("stopped_fen", 0)),
            "frozen_fen": int(inter.get("frozen_fen", 0)),
            "returned_fen": int(inter.get("returned_fen", 0)),
        },
        "warnings": warn,
        "detect": results.get("detect", {}),
        "cases": results.get("cases", {}),
        "ingest": results.get("ingest", {}),
        "throughput": [
            {
                "stage": t.name,
                "items": t.items,
                "unit": t.unit,
                "seconds": round(t.seconds, 2),
                "per_second": round(t.rate, 1),
            }
            for t in ctx.timings
        ],
    }


def print_scorecard(console: Any, card: dict[str, Any]) -> None:
    from rich.table import Table

    w = card["warnings"]
    money = card["losses"]
    c = card.get("cases", {})
    t = Table("指标", "数值", title="演示成绩单")
    t.add_row("诈骗案件（模拟）", str(card["frauds_attempted"]))
    t.add_row("付款的被害人", str(card["victims_who_paid"]))
    share = w.get("share_warned_before_first_payment")
    t.add_row(
        "首笔付款前已预警",
        f"{w['victims_warned_before_first_payment']}"
        + (f"（{share:.1%}）" if share is not None else ""),
    )
    t.add_row("提前量中位数（分钟）", str(w.get("median_lead_time_min")))
    t.add_row("被预警人数 / 误报占比", f"{w['people_warned']} / {w.get('false_alarm_share')}")
    t.add_row("难负样本（快递/骑手客户）被预警占比", str(w.get("hard_negative_warned_share")))
    t.add_row("损失 / 报案", f"{_yuan(money['lost_fen'])} / {_yuan(money['reported_fen'])}")
    t.add_row(
        "止付 / 冻结 / 返还",
        f"{_yuan(money['stopped_fen'])} / {_yuan(money['frozen_fen'])} / "
        f"{_yuan(money['returned_fen'])}",
    )
    t.add_row(
        "集群 / 真实团伙 / ARI", f"{c.get('clusters')} / {c.get('true_gangs')} / {c.get('ari')}"
    )
    for row in card["throughput"]:
        t.add_row(
            f"吞吐：{row['stage']}",
            f"{row['items']:,} {row['unit']}，{row['seconds']}s，{row['per_second']:,}/s",
        )
    console.print(t)
