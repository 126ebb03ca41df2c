"""A small synthetic gang world for tests and for the cluster evaluation when the simulator is not
available: gangs with caller numbers on SIM banks, phishing domains and fake apps, and mule
accounts layered over hops up to the leader's collection accounts (金主) and cash-out points;
victims in many counties; plus the noise that makes linking hard — hub merchants and settlement
accounts, a popular app every victim has, and each victim's own unrelated contacts.

Outputs the three tables :class:`fanzha.cases.clusters.ClusterInputs` reads, with keys that look
like keyed hashes, and the truth (gang per case, leader accounts per gang).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from fanzha.domain.taxonomy import FraudType

DIVISIONS = ["510104", "510105", "510106", "510107", "510108", "510112", "510113", "510114"]
DIVISIONS += ["510115", "510116", "510121", "510129", "510131", "510181", "510182", "510183"]


def fake_key(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()


def fake_mask(kind: str, value: str) -> str:
    if kind == "phone":
        return value[:3] + "****" + value[-4:]
    if kind in ("account", "device"):
        return "****" + value[-4:]
    return value


@dataclass
class World:
    cases: pd.DataFrame
    identifiers: pd.DataFrame
    flows: pd.DataFrame
    gang_of_case: dict[str, int]
    leader_accounts: dict[int, set[str]]  # gang -> keys of its collection accounts
    hub_keys: set[str] = field(default_factory=set)

    def bundle(self):  # noqa: ANN201 - CaseBundle (imported lazily: build imports the registry)
        from fanzha.cases.build import CASE_COLUMNS, CaseBundle

        cases = self.cases.assign(description=None)[CASE_COLUMNS]
        return CaseBundle(cases, self.identifiers.copy(), self.flows.copy())


def generate(
    n_gangs: int = 12,
    victims_per_gang: tuple[int, int] = (8, 40),
    seed: int = 1,
    start: datetime = datetime(2026, 3, 1, tzinfo=UTC),
    with_hubs: bool = True,
) -> World:
    rng = np.random.default_rng(seed)
    fraud_types = list(FraudType)
    case_rows: list[dict] = []
    id_rows: list[dict] = []
    flow_rows: list[dict] = []
    gang_of: dict[str, int] = {}
    leaders: dict[int, set[str]] = {}
    serial = 0

    def ident(case: str, kind: str, value: str, role: str = "contact", related: str | None = None):
        id_rows.append(
            {
                "case_id": case,
                "kind": kind,
                "key": fake_key(kind, value),
                "masked": fake_mask(kind, value),
                "raw_value": value,
                "role": role,
                "related_key": fake_key("device", related) if related else None,
            }
        )

    def flow(case: str, hop: int, src: str, dst: str, t: datetime, amount: int, cash: bool):
        flow_rows.append(
            {
                "case_id": case,
                "hop": hop,
                "from_key": fake_key("account", src),
                "to_key": fake_key("account", dst),
                "from_masked": fake_mask("account", src),
                "to_masked": fake_mask("account", dst),
                "from_raw": src,
                "to_raw": dst,
                "flow_time": t,
                "amount_fen": int(amount),
                "cash_out": cash,
            }
        )

    popular_app = "com.tencent.mm"
    merchant = "6222000000000000001"  # a big merchant every victim pays now and then
    settlement = "9100000000000000002"  # a payment platform's settlement account
    for g in range(n_gangs):
        ftype = fraud_types[g % len(fraud_types)]
        n_victims = int(rng.integers(*victims_per_gang))
        home = rng.choice(DIVISIONS, size=3, replace=False)
        simbanks = [f"86{g:03d}{i:09d}" for i in range(2)]
        numbers = [(f"17{g:02d}{i:07d}", simbanks[i % 2]) for i in range(int(rng.integers(6, 11)))]
        domains = [f"gang{g}-{i}.top" for i in range(2)]
        app = f"com.fake.gang{g}"
        mules1 = [f"62{g:03d}1{i:012d}" for i in range(int(rng.integers(4, 10)))]
        mules2 = [f"62{g:03d}2{i:012d}" for i in range(3)]
        boss = [f"62{g:03d}9{0:012d}"]  # the leader's collection account (金主)
        atms = [f"ATM{g:03d}{i}" for i in range(2)]
        leaders[g] = {fake_key("account", b) for b in boss}
        t0 = start + timedelta(days=int(rng.integers(0, 20)))
        for _v in range(n_victims):
            serial += 1
            case = f"A{serial:06d}"
            gang_of[case] = g
            victim = f"V{serial:06d}"
            div = str(rng.choice(home)) if rng.random() < 0.6 else str(rng.choice(DIVISIONS))
            t = t0 + timedelta(hours=float(rng.uniform(0, 24 * 14)))
            loss = int(rng.integers(2_000, 300_000)) * 100
            case_rows.append(
                {
                    "case_id": case,
                    "source": "victim_report",
                    "division_code": div,
                    "fraud_type": ftype.value,
                    "loss_fen": loss,
                    "reported_at": t,
                    "victim_key": fake_key("id_number", victim),
                    "victim_masked": "****" + victim[-4:],
                }
            )
            # the gang reaches the victim through 1–2 numbers, maybe a domain or app
            for _ in range(int(rng.integers(1, 3))):
                num, dev = numbers[int(rng.integers(len(numbers)))]
                ident(case, "phone", num, related=dev)
            if rng.random() < 0.5:
                ident(case, "url", f"https://{domains[int(rng.integers(2))]}/pay")
            if rng.random() < 0.3:
                ident(case, "app", app)
            # noise: the victim's own contacts and a popular app
            for _ in range(int(rng.integers(1, 4))):
                ident(case, "phone", f"139{int(rng.integers(0, 10**8)):08d}")
            if with_hubs:
                ident(case, "app", popular_app)
            # money: victim -> mule1 -> mule2 -> boss -> ATM
            victim_acct = f"6217{serial:015d}"
            m1 = mules1[int(rng.integers(len(mules1)))]
            m2 = mules2[int(rng.integers(len(mules2)))]
            b = boss[int(rng.integers(len(boss)))]
            atm = atms[int(rng.integers(len(atms)))]
            tt = t - timedelta(hours=2)
            flow(case, 1, victim_acct, m1, tt, loss, False)
            flow(case, 2, m1, m2, tt + timedelta(minutes=9), loss - 500, False)  # commission
            flow(case, 3, m2, b, tt + timedelta(minutes=25), loss - 500, False)
            flow(case, 4, b, atm, tt + timedelta(hours=3), (loss - 500) // 2, True)
            if with_hubs and rng.random() < 0.7:
                flow(case, 1, victim_acct, merchant, tt - timedelta(days=1), 5_000, False)
                flow(case, 2, merchant, settlement, tt, 5_000, False)
    return World(
        cases=pd.DataFrame(case_rows),
        identifiers=pd.DataFrame(id_rows),
        flows=pd.DataFrame(flow_rows),
        gang_of_case=gang_of,
        leader_accounts=leaders,
        hub_keys={
            fake_key("app", popular_app),
            fake_key("account", merchant),
            fake_key("account", settlement),
        },
    )
