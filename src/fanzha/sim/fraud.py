"""The fraud ecosystem: gangs, their SIM batches, phishing domains, fake apps, mule networks,
and playbooks that turn a chosen victim into a timeline of calls, messages, visits, installs,
transfers (layered over 2–5 mule hops to cash-out) and, sometimes, a police report.

Gang setup and cold-call volumes are vectorised; cases are planned one by one (they are few) and
their events are queued by time, then released day by day. Money is reserved on the victim's and
mules' tracked balances when a case is planned, so a replay in time order never goes negative.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np

from fanzha.domain.taxonomy import FraudType
from fanzha.sim import ids, text
from fanzha.sim.draws import FastDraws
from fanzha.sim.world import (
    ACC_ATM,
    ACC_OTC,
    ACC_PAYROLL,
    ROLE_ORDINARY,
    World,
)

MIN_US = 60_000_000
HOUR_US = 3_600_000_000
DAY_US = 86_400_000_000

SIM_SOURCES = ["own", "sold_real_name", "iot", "virtual", "foreign", "simbank"]
MULE_SOURCES = ["own", "bought", "new_bulk", "dormant", "cashout"]
GANG_ROLES = ["leader", "caller", "sim_supplier", "mule_manager", "cashout"]
FOREIGN_CODES = [(855, 8), (63, 10), (95, 9), (60, 9), (84, 9)]  # Cambodia, Philippines, Myanmar...


@dataclass(frozen=True)
class Playbook:
    key: str
    ftype: FraudType
    channel: str  # first contact: "call" or "sms"
    age_mu: float
    age_sd: float
    share: float  # share of cases
    groom_steps: tuple[int, int]
    groom_gap_h: tuple[float, float]
    transfers: tuple[int, int]
    first_yuan: tuple[int, int]
    growth: float
    rebate: bool
    url: bool
    app: bool
    report_p: float
    loan_p: float = 0.0  # victim is talked into borrowing first


PLAYBOOKS: dict[str, Playbook] = {
    p.key: p
    for p in (
        Playbook("shuadan", FraudType.SHUADAN, "sms", 30, 8, 0.30, (2, 4), (0.2, 3), (2, 5),
                 (100, 500), 2.5, True, True, True, 0.75),
        Playbook("investment", FraudType.FAKE_INVESTMENT, "sms", 42, 10, 0.15, (3, 7),
                 (6, 30), (2, 4), (5000, 30000), 2.0, True, True, True, 0.7),
        Playbook("customer_service", FraudType.FAKE_CUSTOMER_SERVICE, "call", 35, 12, 0.12,
                 (1, 3), (0.02, 0.3), (1, 3), (2000, 20000), 1.5, False, True, True, 0.8, 0.4),
        Playbook("loan", FraudType.FAKE_LOAN, "sms", 32, 8, 0.10, (2, 3), (0.5, 12), (2, 4),
                 (300, 2000), 1.8, False, True, True, 0.7),
        Playbook("credit", FraudType.FAKE_CREDIT, "call", 24, 4, 0.07, (1, 3), (0.05, 1),
                 (1, 3), (5000, 30000), 1.3, False, False, True, 0.75, 0.6),
        Playbook("authority", FraudType.IMPERSONATE_AUTHORITY, "call", 56, 14, 0.07, (2, 4),
                 (0.1, 6), (1, 3), (20000, 150000), 1.5, False, True, True, 0.85),
        Playbook("acquaintance", FraudType.IMPERSONATE_ACQUAINTANCE, "sms", 45, 10, 0.07,
                 (1, 2), (0.1, 2), (1, 2), (5000, 30000), 1.0, False, False, False, 0.8),
        Playbook("game", FraudType.GAME_TRADE, "sms", 21, 3, 0.05, (1, 2), (0.2, 6), (1, 3),
                 (200, 2000), 2.0, False, True, False, 0.6),
        Playbook("romance", FraudType.ROMANCE, "sms", 36, 9, 0.07, (4, 9), (10, 40), (1, 3),
                 (5000, 50000), 2.0, False, True, True, 0.55),
    )
}  # fmt: skip
PLAYBOOK_KEYS = list(PLAYBOOKS)
_ORG_BY_OP = [ids.OPERATOR_ORG[o] for o in ids.OPERATORS + ["foreign"]]
_INST_CODES = ids.BANK_CODES + ["ALIPAY", "TENPAY"]
_CARD_TYPES = ["personal", "industry", "iot"]


# Per-event helpers. ``Generator.choice`` and ``Generator.uniform`` on scalars cost 5-10x a bare
# draw in argument handling; these make exactly the same draws (``choice`` without p is
# ``integers(0, n)``, with p a search of the normalised cdf for ``random()``, ``uniform`` is
# ``low + (high - low) * random()``), so a seed's world is unchanged.
def _one(rng: np.random.Generator, seq):
    return seq[int(rng.integers(0, len(seq)))]


def _cdf(p) -> np.ndarray:
    cdf = np.asarray(p, dtype=np.float64).cumsum()
    cdf /= cdf[-1]
    return cdf


def _one_p(rng: np.random.Generator, seq, cdf: np.ndarray):
    return seq[int(cdf.searchsorted(rng.random(), side="right"))]


def _uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return low + (high - low) * rng.random()


_CASHOUT = ["atm", "third_party", "crypto"]
_URL_PATHS = ["", "m", "h5", "app", "login", "task"]
_REPLIES = ["好的", "怎么操作", "真的吗", "可以", "嗯嗯", "需要多少"]
_TEST_AMOUNTS = [1, 100, 1000]
_CASHOUT_CDF = _cdf([0.35, 0.35, 0.3])


@dataclass
class Gang:
    gid: int
    types: list[str]
    abroad: bool
    base_county: int
    members: dict[str, list[int]]
    callers: list[list[int]]  # per caller: number indices
    domains: list[str]
    apps: list[tuple[str, str, str]]  # (package, label, sha256)
    layers: list[list[int]]  # account indices of mule layers L1..L5
    cashout_pay: list[int]
    otc: list[int]
    blast: list[str]
    tested: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class FraudState:
    gangs: list[Gang]
    atm: np.ndarray  # ATM sink account per city index
    lenders: np.ndarray  # consumer-finance external accounts
    victim_p: dict[str, np.ndarray]
    acc_ptr: np.ndarray  # personal accounts by owner (CSR)
    acc_idx: np.ndarray
    sellers: np.ndarray
    pending: dict[str, list[dict]] = field(default_factory=dict)
    truth_events: list[dict] = field(default_factory=list)  # rows of the current day
    truth_tables: list = field(default_factory=list)  # earlier days, as Arrow tables
    transcripts: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)
    entity_extra: list[dict] = field(default_factory=list)
    person_roles: dict[int, tuple[str, int]] = field(default_factory=dict)
    victims: set[int] = field(default_factory=set)
    str_cache: dict = field(default_factory=dict)
    next_case: int = 0


def _sha(s: str) -> str:
    return hashlib.sha256(s.encode()).hexdigest()


def build_fraud(world: World, rng: np.random.Generator, n_gangs: int) -> FraudState:
    """Create gangs and their infrastructure, appending numbers/accounts/devices to the world."""
    w = world
    n = w.n_people
    ordinary = np.flatnonzero(w.people["role"] == ROLE_ORDINARY)
    age = w.people["age"]
    cand_members = ordinary[(age[ordinary] >= 20) & (age[ordinary] <= 48)]
    taken: set[int] = set()

    def take_people(pool: np.ndarray, k: int) -> list[int]:
        out: list[int] = []
        while len(out) < k:
            p = int(pool[rng.integers(0, len(pool))])
            if p not in taken:
                taken.add(p)
                out.append(p)
        return out

    # card/SIM sellers (断卡 targets): young people and low-income elderly
    seller_pool = ordinary[(age[ordinary] <= 26) | (age[ordinary] >= 65)]
    n_sellers = max(10, int(n * 0.002))
    sellers = np.array(take_people(seller_pool, min(n_sellers, len(seller_pool) // 2)))
    seller_cursor = [0]

    def next_seller() -> int:
        s = int(sellers[seller_cursor[0] % len(sellers)])
        seller_cursor[0] += 1
        return s

    # shared sinks: one ATM per city, a few OTC desks per gang, lenders for "borrow first" plays
    cities = sorted(set(w.region.city_codes))
    atm = w.accounts.extend(
        value=np.array([int(c) * 1000 + 1 for c in cities], dtype=np.int64),
        prefix=np.full(len(cities), "ATM", dtype=object),
        owner=np.full(len(cities), -1, dtype=np.int64),
        institution=np.zeros(len(cities), dtype=np.int8),
        **{"class": np.zeros(len(cities), dtype=np.int8)},
        kind=np.full(len(cities), ACC_ATM, dtype=np.int8),
        opening_balance=np.zeros(len(cities), dtype=np.int64),
        source=np.zeros(len(cities), dtype=np.int8),
    )
    lb = rng.choice(len(ids.BANK_CODES), size=4, p=ids.BANK_SHARE).astype(np.int8)
    lenders = w.accounts.extend(
        value=ids.card_numbers(lb, rng),
        prefix=np.full(4, "", dtype=object),
        owner=np.full(4, -1, dtype=np.int64),
        institution=lb,
        **{"class": np.zeros(4, dtype=np.int8)},
        kind=np.full(4, ACC_PAYROLL, dtype=np.int8),
        opening_balance=np.zeros(4, dtype=np.int64),
        source=np.zeros(4, dtype=np.int8),
    )
    # bulk-opening outlets (a few bank branches with lax KYC)
    outlets = [
        f"{ids.BANK_CODES[int(rng.integers(0, len(ids.BANK_CODES)))]}-"
        f"{w.region.county_codes[int(rng.integers(0, w.region.n_counties))]}-网点{int(rng.integers(1, 40)):02d}"
        for _ in range(3)
    ]
    sim_outlets = [
        f"{w.region.county_codes[int(rng.integers(0, w.region.n_counties))]}-代理点{k + 1:02d}"
        for k in range(3)
    ]

    shares = np.array([p.share for p in PLAYBOOKS.values()])
    gangs: list[Gang] = []
    person_roles: dict[int, tuple[str, int]] = {}
    for g in range(n_gangs):
        # round robin so every playbook has a gang, plus a random second line of business
        types = [PLAYBOOK_KEYS[j] for j in range(g, len(PLAYBOOK_KEYS), n_gangs)]
        if not types or rng.random() < 0.5:
            extra = str(rng.choice(PLAYBOOK_KEYS, p=shares))
            if extra not in types:
                types.append(extra)
        abroad = bool(rng.random() < 0.6)
        n_callers = int(rng.integers(3, 10))
        members = {
            "leader": take_people(cand_members, 1),
            "caller": take_people(cand_members, n_callers),
            "sim_supplier": take_people(cand_members, int(rng.integers(1, 3))),
            "mule_manager": take_people(cand_members, int(rng.integers(1, 3))),
            "cashout": take_people(cand_members, int(rng.integers(1, 4))),
        }
        for role, ps in members.items():
            for p in ps:
                person_roles[p] = (role, g)
        base_county = int(w.people["county"][members["leader"][0]])
        # --- SIM batches ----------------------------------------------------------------------
        callers: list[list[int]] = []
        simbank_dev = -1
        if rng.random() < 0.5:
            simbank_dev = int(
                w.devices.extend(
                    value=ids.imeis(1, rng, ids.SIMBANK_TACS),
                    owner=np.array([members["sim_supplier"][0]], dtype=np.int64),
                    simbank=np.array([True]),
                    gang=np.array([g], dtype=np.int32),
                )[0]
            )
        for c in members["caller"]:
            handsets = w.devices.extend(
                value=ids.imeis(1, rng),
                owner=np.array([c], dtype=np.int64),
                gang=np.array([g], dtype=np.int32),
            )
            k = int(rng.integers(2, 7))
            if abroad:
                src = rng.choice([1, 3, 4, 5], size=k, p=[0.3, 0.2, 0.35, 0.15])
            else:
                src = rng.choice([1, 2, 3, 5], size=k, p=[0.45, 0.2, 0.25, 0.1])
            if simbank_dev < 0:
                src[src == 5] = 1
            nums = []
            for s in src:
                nums.append(
                    _add_number(
                        w, rng, int(s), g, int(handsets[0]), simbank_dev, next_seller, sim_outlets
                    )  # fmt: skip
                )
            callers.append(nums)
        # --- phishing domains and fake apps -----------------------------------------------------
        domains = []
        for t in types:
            for _ in range(int(rng.integers(2, 5))):
                tok = str(rng.choice(text.BRAND_TOKENS[t]))
                tail = str(rng.choice(text.DOMAIN_TAILS))
                num = str(rng.integers(0, 100)) if rng.random() < 0.3 else ""
                domains.append(f"{tok}{tail}{num}.{rng.choice(text.TLDS)}")
        apps = []
        for t in types:
            label = str(rng.choice(text.FAKE_APP_LABELS[t]))
            pkg = f"com.{rng.choice(['xy', 'hx', 'jz', 'yun', 'app', 'fast'])}{rng.integers(10, 999)}.{rng.choice(['client', 'android', 'main', 'pro'])}"
            apps.append((pkg, label, _sha(f"{g}{pkg}{label}")))
        # --- mule network ------------------------------------------------------------------------
        layers = []
        for depth in range(5):
            k = int(rng.integers(4, 9)) if depth == 0 else int(rng.integers(2, 6))
            layers.append(_add_mules(w, rng, k, g, next_seller, outlets, members))
        cashout_pay = list(
            _add_accounts(w, rng, np.array(members["cashout"]), g, 4, payment=True, opened_day=-200)
        )
        otc_bank = rng.choice(len(ids.BANK_CODES), size=2, p=ids.BANK_SHARE).astype(np.int8)
        otc = list(
            w.accounts.extend(
                value=ids.card_numbers(otc_bank, rng),
                prefix=np.full(2, "", dtype=object),
                owner=np.full(2, -1, dtype=np.int64),
                institution=otc_bank,
                **{"class": np.zeros(2, dtype=np.int8)},
                kind=np.full(2, ACC_OTC, dtype=np.int8),
                opening_balance=np.zeros(2, dtype=np.int64),
                gang=np.full(2, g, dtype=np.int32),
                source=np.zeros(2, dtype=np.int8),
            )
        )
        blast = []
        for t in types:
            for _ in range(15):
                blast.append(
                    text.compose_fraud_text(
                        t, "contact", rng, url=str(rng.choice(domains)), app=apps[0][1]
                    )
                )
        gangs.append(
            Gang(
                g,
                types,
                abroad,
                base_county,
                members,
                callers,
                domains,
                apps,
                layers,
                cashout_pay,
                otc,
                blast,
            )  # fmt: skip
        )
    for s in sellers:
        person_roles.setdefault(int(s), ("seller", -1))

    # victim weights per type: age fit × online exposure; gang members excluded
    victim_p = {}
    ex = w.people["exposure"].astype(np.float64)
    for key, pb in PLAYBOOKS.items():
        wgt = np.exp(-0.5 * ((age - pb.age_mu) / pb.age_sd) ** 2) * (0.3 + ex)
        for p in person_roles:
            wgt[p] = 0
        victim_p[key] = wgt / wgt.sum()
    # personal accounts by owner (for choosing which account a victim pays from)
    a = w.accounts
    personal = np.flatnonzero((a["owner"] >= 0) & (a["gang"] < 0) & (a["kind"] == 0))
    personal = personal[a["opened_day"][personal] < 0]
    order = ids.stable_argsort(a["owner"][personal])
    pidx = personal[order]
    ptr = np.concatenate([[0], np.cumsum(np.bincount(a["owner"][pidx], minlength=n))])
    return FraudState(
        gangs=gangs,
        atm=atm,
        lenders=lenders,
        victim_p=victim_p,
        acc_ptr=ptr,
        acc_idx=pidx,
        sellers=sellers,
        person_roles=person_roles,
    )


def _add_number(w, rng, source, gang, handset, simbank_dev, next_seller, sim_outlets) -> int:
    """One fraud number of a given SIM source, registered (where it applies) to a seller."""
    owner = -1
    prefix = ""
    card = 0
    op = int(rng.choice(4, p=[0.6, 0.2, 0.19, 0.01]))
    outlet = ""
    if source == 4:  # foreign
        cc, width = FOREIGN_CODES[int(rng.integers(0, len(FOREIGN_CODES)))]
        value = cc * 10**width + int(rng.integers(10 ** (width - 1), 10**width))
        prefix, op = "+", 5
    else:
        owner = next_seller()
        if source == 2:  # IoT card used for voice: 13-digit 1440 numbers
            value, card, op = 1440 * 10**9 + int(rng.integers(0, 10**9)), 2, 0
        elif source == 3:  # virtual operator
            value = int(ids.phone_numbers(np.array([4]), rng)[0])
            op = 4
        else:
            value = int(ids.phone_numbers(np.array([op]), rng)[0])
        outlet = str(rng.choice(sim_outlets))
    issued = int(rng.integers(-20, max(2, w.days // 2))) if owner >= 0 else -1
    device = simbank_dev if source == 5 else handset
    return int(
        w.numbers.extend(
            value=np.array([value], dtype=np.int64),
            foreign_prefix=np.array([prefix], dtype=object),
            owner=np.array([owner], dtype=np.int64),
            operator=np.array([op], dtype=np.int8),
            card_type=np.array([card], dtype=np.int8),
            issued_day=np.array([issued], dtype=np.int32),
            device=np.array([device], dtype=np.int64),
            gang=np.array([gang], dtype=np.int32),
            source=np.array([source], dtype=np.int8),
            outlet=np.array([outlet], dtype=object),
        )[0]
    )


def _add_accounts(w, rng, owners, gang, source, payment=False, opened_day=-300, outlet=""):
    k = len(owners)
    if payment:
        inst = rng.choice([len(ids.BANK_CODES), len(ids.BANK_CODES) + 1], size=k).astype(np.int8)
        value = ids.payment_accounts(k, rng)
        prefix = np.where(inst == len(ids.BANK_CODES), "", "wxp").astype(object)
        cls = np.full(k, 3, dtype=np.int8)
    else:
        inst = rng.choice(len(ids.BANK_CODES), size=k, p=ids.BANK_SHARE).astype(np.int8)
        value = ids.card_numbers(inst, rng)
        prefix = np.full(k, "", dtype=object)
        cls = rng.choice([0, 1], size=k, p=[0.7, 0.3]).astype(np.int8)
    opening = (
        np.zeros(k, dtype=np.int64)
        if opened_day >= 0
        else rng.integers(20_000, 300_000, k).astype(np.int64)
    )
    return w.accounts.extend(
        value=value,
        prefix=prefix,
        owner=owners.astype(np.int64),
        institution=inst,
        **{"class": cls},
        kind=np.zeros(k, dtype=np.int8),
        opened_day=np.full(k, opened_day, dtype=np.int32),
        bound_number=w.primary_number[owners],
        opening_balance=opening,
        gang=np.full(k, gang, dtype=np.int32),
        source=np.full(k, source, dtype=np.int8),
        outlet=np.full(k, outlet, dtype=object),
    )


def _add_mules(w, rng, k, gang, next_seller, outlets, members) -> list[int]:
    """k mule accounts: bought from sellers, opened in bulk at an outlet, or dormant ones."""
    src = rng.choice([1, 2, 3], size=k, p=[0.45, 0.3, 0.25])
    src[0] = 1  # at least one usable from day 0
    out: list[int] = []
    for s in src:
        if s == 3:  # dormant: an existing unused class II/III account of a seller, reactivated
            seller = next_seller()
            out += list(_add_accounts(w, rng, np.array([seller]), gang, 3, opened_day=-1500))
        elif s == 2:  # newly opened in bulk at a lax outlet during the first days
            seller = next_seller()
            day = int(rng.integers(0, max(1, min(3, w.days))))
            out += list(
                _add_accounts(
                    w,
                    rng,
                    np.array([seller]),
                    gang,
                    2,
                    opened_day=day,
                    outlet=str(rng.choice(outlets)),
                )  # fmt: skip
            )
        else:
            seller = next_seller()
            out += list(_add_accounts(w, rng, np.array([seller]), gang, 1, opened_day=-400))
    return out


# --- per-day activity --------------------------------------------------------------------------


class CasePlanner:
    """Plans one case's timeline and queues its events (with labels) by time."""

    def __init__(self, world: World, state: FraudState, rng: FastDraws, ids_rng):
        self.w = world
        self.s = state
        self.rng = rng  # scalar draws as the Generator's; ``rng.gen`` for anything else
        self.new_id = ids_rng  # callable(kind) -> event_id
        self.start_us = world.start_us()
        self.end_us = self.start_us + world.days * DAY_US
        # the columns cases read, fetched once (Columns.__getitem__ costs a call each time)
        nm, ac, pe = world.numbers, world.accounts, world.people
        self.n_operator, self.n_device = nm["operator"], nm["device"]
        self.n_card, self.n_issued = nm["card_type"], nm["issued_day"]
        self.a_kind, self.a_inst, self.a_owner = ac["kind"], ac["institution"], ac["owner"]
        self.a_class, self.a_opened = ac["class"], ac["opened_day"]
        self.p_county, self.p_station, self.p_age = pe["county"], pe["station"], pe["age"]
        cities = sorted(set(world.region.city_codes))
        self.city_index = {c: i for i, c in enumerate(cities)}

    # -- helpers (Arrow scalar access is slow: cache the few identifiers cases touch) --
    def num(self, i: int) -> str:
        c = self.s.str_cache
        key = ("n", int(i))
        if key not in c:
            c[key] = self.w.num_str[int(i)].as_py()
        return c[key]

    def acc(self, i: int) -> str:
        c = self.s.str_cache
        key = ("a", int(i))
        if key not in c:
            c[key] = self.w.acc_str[int(i)].as_py()
        return c[key]

    def imei(self, i: int) -> str:
        c = self.s.str_cache
        key = ("d", int(i))
        if key not in c:
            c[key] = self.w.imei_str[int(i)].as_py()
        return c[key]

    def emit(self, kind: str, row: dict, label: dict | None) -> str:
        eid = self.new_id(kind)
        row["event_id"] = eid
        self.s.pending.setdefault(kind, []).append(row)
        if label is not None:
            self.s.truth_events.append({"event_id": eid, "kind": kind, **label})
        return eid

    def call(self, t, number, callee_num, dur, label, transcript=None, to_fraud=False) -> str:
        w = self.w
        op = int(self.n_operator[number])
        foreign = op == 5
        org = _ORG_BY_OP[int(self.n_operator[callee_num])] if foreign else _ORG_BY_OP[op]
        gang = self.s.gangs[label["gang_id"]] if label and label.get("gang_id", -1) >= 0 else None
        city = None
        cell = None
        if not foreign and gang is not None and not to_fraud:
            city = w.region.city_codes[gang.base_county]
            cell = f"{w.region.county_codes[gang.base_county]}{int(self.rng.integers(0, 400)):04d}"
        dev = int(self.n_device[number])
        row = {
            "source_org": org,
            "event_time": int(t),
            "caller": self.num(number),
            "callee": self.num(callee_num),
            "duration_s": int(dur),
            "direction": "incoming" if foreign else "outgoing",
            "caller_card_type": _CARD_TYPES[int(self.n_card[number])],
            "cell": cell,
            "city": city,
            "imei": None if foreign or dev < 0 else self.imei(dev),
        }
        eid = self.emit("call", row, label)
        if transcript:
            self.s.transcripts.append({"event_id": eid, "speaker": "fraudster", "text": transcript})
        return eid

    def sms(self, t, sender, receiver, content, label) -> str:
        op = int(self.n_operator[receiver])
        row = {
            "source_org": _ORG_BY_OP[op],
            "event_time": int(t),
            "sender": self.num(sender),
            "receiver": self.num(receiver),
            "content": content,
            "sender_card_type": _CARD_TYPES[int(self.n_card[sender])],
        }
        return self.emit("sms", row, label)

    def transfer(self, t, payer, payee, amount, channel, label, credit_payee=True) -> str:
        """Queue a transfer and move the money on the tracked balances at once (reservation)."""
        w = self.w
        kind = self.a_kind
        if 0 <= kind[payer] <= 1:  # personal or merchant: tracked
            w.balance[payer] -= int(amount)
        if credit_payee and 0 <= kind[payee] <= 1:
            w.balance[payee] += int(amount)
        inst = _INST_CODES[int(self.a_inst[payer])]
        owner = int(self.a_owner[payer])
        dev = None
        place = None
        if owner >= 0:
            dev = self.imei(int(w.primary_device[owner])) if channel != "atm" else None
            place = w.region.county_codes[int(self.p_county[owner])]
        row = {
            "source_org": inst,
            "event_time": int(t),
            "payer_account": self.acc(payer),
            "payee_account": self.acc(payee),
            "amount_fen": int(amount),
            "channel": channel,
            "serial_no": f"{inst}{int(t) // 1000 % 10**10}{int(self.rng.integers(0, 100)):02d}",
            "device_id": dev,
            "ip": f"{int(self.rng.integers(1, 223))}.{int(self.rng.integers(0, 256))}."
            f"{int(self.rng.integers(0, 256))}.{int(self.rng.integers(1, 255))}",
            "place": place,
        }
        return self.emit("transfer", row, {**label, "amount_fen": int(amount)})

    # -- the case --
    def plan(self, key: str, victim: int, gang: Gang, t0: int) -> None:
        rng = self.rng
        w = self.w
        s = self.s
        pb = PLAYBOOKS[key]
        cid = s.next_case
        s.next_case += 1
        s.victims.add(victim)
        vid = w.pid_str[victim].as_py()
        vnum = int(w.primary_number[victim])
        case_id = f"C{w.seed}-{cid:06d}"
        ci = int(rng.integers(0, len(gang.callers)))
        cnums = gang.callers[ci]
        caller_person = gang.members["caller"][ci]
        issued = self.n_issued
        active = [x for x in cnums if int(issued[x]) * DAY_US + self.start_us <= t0]
        if not active:
            active = cnums
        base = {
            "gang_id": gang.gid,
            "fraud_type": pb.ftype.value,
            "case_id": case_id,
            "victim_id": vid,
            "role": "caller",
            "hop": None,
            "parent_event_id": None,
            "amount_fen": None,
        }
        url = f"https://{_one(rng, gang.domains)}/{_one(rng, _URL_PATHS)}"
        app = gang.apps[gang.types.index(key)] if key in gang.types else gang.apps[0]

        def pick_num() -> int:
            return int(_one(rng, active))

        def contact(t: int, stage: str) -> int:
            n_ = pick_num()
            lab = {**base, "stage": stage}
            if pb.channel == "call" or (stage != "contact" and rng.random() < 0.35):
                txt = text.compose_fraud_text(key, stage, rng, spoken=True, url=url, app=app[1])
                dur = int(rng.integers(90, 2400))
                self.call(t, n_, vnum, dur, lab, transcript=txt)
                return t + dur * 1_000_000
            txt = text.compose_fraud_text(key, stage, rng, url=url, app=app[1])
            self.sms(t, n_, vnum, txt, lab)
            if rng.random() < 0.4:  # the victim answers
                self.sms(t + int(rng.integers(1, 30)) * MIN_US, vnum, n_,
                         _one(rng, _REPLIES),
                         {**lab, "role": "victim"})  # fmt: skip
            return t + int(rng.integers(1, 20)) * MIN_US

        t = contact(t0, "contact")
        vlab = {**base, "role": "victim"}
        if pb.url and rng.random() < 0.85:
            t += int(rng.integers(1, 40)) * MIN_US
            self.emit("url_visit", {
                "source_org": _ORG_BY_OP[int(self.n_operator[vnum])],
                "event_time": t, "number": self.num(vnum), "url": url,
                "ip": f"10.{int(rng.integers(0, 256))}.{int(rng.integers(0, 256))}.{int(rng.integers(1, 255))}",
            }, {**vlab, "stage": "phishing_visit"})  # fmt: skip
        if pb.app and rng.random() < 0.7:
            t += int(rng.integers(2, 60)) * MIN_US
            self.emit("app_install", {
                "source_org": "MIIT-APPMON", "event_time": t, "number": self.num(vnum),
                "app_id": app[0], "apk_sha256": app[2], "app_label": app[1],
                "imei": self.imei(int(w.primary_device[victim])),
            }, {**vlab, "stage": "fake_app_install"})  # fmt: skip
        for _ in range(int(rng.integers(pb.groom_steps[0], pb.groom_steps[1] + 1))):
            t += int(_uniform(rng, *pb.groom_gap_h) * HOUR_US)
            t = contact(t, "groom")
        # victim's source account: the personal account with the most tracked money
        lo, hi = s.acc_ptr[victim], s.acc_ptr[victim + 1]
        accs = s.acc_idx[lo:hi]
        paid: list[tuple[str, int]] = []
        loss = 0
        rebate_total = 0
        first_t = None
        amount = int(rng.integers(pb.first_yuan[0], pb.first_yuan[1] + 1)) * 100
        n_tr = int(rng.integers(pb.transfers[0], pb.transfers[1] + 1))
        if pb.rebate:  # a small commission/withdrawal paid out first, from a mule's own money
            mule = int(
                _one(rng, [x for x in gang.layers[0] if self._usable(x, t)] or gang.layers[0][:1])
            )
            reb = int(min(amount * _uniform(rng, 0.05, 0.3), w.balance[mule]))
            if reb >= 100 and len(accs):
                t += int(rng.integers(5, 90)) * MIN_US
                # the victim is not credited on the tracked books: it arrives later in time
                self.transfer(t, mule, int(accs[0]), reb, "mobile_banking",
                              {**base, "role": "mule", "stage": "rebate"}, credit_payee=False)  # fmt: skip
                rebate_total += reb
        for k in range(n_tr):
            if len(accs) == 0:
                break
            src = int(accs[np.argmax(w.balance[accs])])
            t += int(rng.integers(3, 180)) * MIN_US if k else int(rng.integers(5, 120)) * MIN_US
            want = amount if key != "authority" else max(amount, int(w.balance[src] * 0.9))
            if pb.loan_p and rng.random() < pb.loan_p:  # borrow first, then send it on
                loan = int(rng.integers(5, 60)) * 100_000
                self.transfer(t, int(_one(rng, s.lenders)), src, loan, "online_banking",
                              {**base, "role": "victim", "stage": "loan_taken"})  # fmt: skip
                t += int(rng.integers(2, 20)) * MIN_US
                want = max(want, loan)
            amt = int(min(want, w.balance[src]))
            if amt < 1000 or t >= self.end_us:
                break
            avail_l1 = [x for x in gang.layers[0] if self._usable(x, t)]
            l1 = int(_one(rng, avail_l1))
            eid = self.transfer(t, src, l1, amt, "mobile_banking" if rng.random() < 0.8 else "online_banking",
                                {**base, "role": "victim", "stage": "victim_payment", "hop": 1})  # fmt: skip
            paid.append((eid, amt))
            loss += amt
            first_t = first_t or t
            hops = int(rng.integers(2, 6))
            self.launder(gang, l1, amt, t, eid, base, 1, hops)
            amount = int(amount * pb.growth * _uniform(rng, 0.8, 1.3))
            if k < n_tr - 1:
                t = contact(t + int(_uniform(rng, *pb.groom_gap_h) * HOUR_US * 0.5), "demand")
        # more demands after the last payment, then (maybe) a report
        for _ in range(int(rng.integers(1, 4))):
            t += int(_uniform(rng, 0.3, 12) * HOUR_US)
            t = contact(t, "demand")
        reported = bool(loss > 0 and rng.random() < pb.report_p)
        report_t = t + int(rng.gen.lognormal(np.log(20), 1.0) * HOUR_US)
        case_ref = f"A{w.region.county_codes[int(self.p_county[victim])]}{cid:08d}"
        emitted = reported and report_t < self.end_us
        if emitted:
            desc = self._describe(key, pb, victim, len(paid), loss, gang, paid)
            self.emit("victim_report", {
                "source_org": "PSB-" + w.region.station_ids[int(self.p_station[victim])],
                "event_time": report_t, "case_ref": case_ref, "victim_id": vid,
                "victim_phone": self.num(vnum),
                "division_code": w.region.county_codes[int(self.p_county[victim])],
                "fraud_type": pb.ftype.value, "loss_fen": int(loss - rebate_total if loss > rebate_total else loss),
                "description": desc,
            }, {**vlab, "stage": "report"})  # fmt: skip
            if rng.random() < 0.4:
                self.emit("public_report", {
                    "source_org": "国家反诈中心APP", "event_time": report_t + 30 * MIN_US,
                    "target_kind": "number", "target_value": self.num(cnums[0]),
                    "reporter": self.num(vnum), "fraud_type": pb.ftype.value,
                    "content": "就是这个号码骗了我",
                }, None)  # fmt: skip
        s.cases.append({
            "case_id": case_id, "case_ref": case_ref if emitted else None, "gang_id": gang.gid,
            "fraud_type": pb.ftype.value, "playbook": key, "victim_id": vid,
            "victim_age": int(self.p_age[victim]), "caller_person_id": w.pid_str[caller_person].as_py(),
            "first_contact_us": t0, "first_payment_us": first_t, "n_payments": len(paid),
            "loss_fen": int(loss), "rebate_fen": int(rebate_total), "reported": reported,
            "report_us": report_t if reported else None, "report_in_window": emitted,
        })  # fmt: skip

    def _usable(self, acc: int, t: int) -> bool:
        return int(self.a_opened[acc]) * DAY_US + self.start_us + 12 * HOUR_US <= t

    def launder(self, gang: Gang, acc: int, amount: int, t: int, parent: str, base, hop, hops):
        """Forward money from ``acc`` down the layers, then cash out (every piece labelled)."""
        rng = self.rng
        t = t + int(rng.integers(1, 30)) * MIN_US  # pass-through within minutes
        if hop >= hops:
            self.cash_out(gang, acc, amount, t, parent, base, hop)
            return
        layer = [x for x in gang.layers[hop] if self._usable(x, t)] or gang.layers[hop][:1]
        parts = 1 if amount < 200_000 or rng.random() < 0.4 else int(rng.integers(2, 4))
        if parts > 1:  # the same draws as before, split in Python (numpy costs ~20 µs here)
            cuts = [0, *sorted(rng.integers(1, amount, parts - 1).tolist()), amount]
            pieces = [b - a for a, b in zip(cuts, cuts[1:], strict=False)]
        else:
            pieces = [amount]
        lab = {**base, "role": "mule", "stage": "layering"}
        for piece in pieces:
            nxt = int(_one(rng, layer))
            if (acc, nxt) not in gang.tested and piece > 10_000:
                gang.tested.add((acc, nxt))
                test = int(_one(rng, _TEST_AMOUNTS))
                self.transfer(t, acc, nxt, test, "mobile_banking",
                              {**lab, "stage": "test_transfer", "hop": hop + 1, "parent_event_id": parent})  # fmt: skip
                t2 = t + int(rng.integers(1, 5)) * MIN_US
                e2 = self.transfer(t2, acc, nxt, int(piece - test), "mobile_banking",
                                   {**lab, "hop": hop + 1, "parent_event_id": parent})  # fmt: skip
                # the test transfer's money travels with the main piece
                self.launder(gang, nxt, int(piece), t2, e2, base, hop + 1, hops)
            else:
                e = self.transfer(t, acc, nxt, int(piece), "mobile_banking",
                                  {**lab, "hop": hop + 1, "parent_event_id": parent})  # fmt: skip
                self.launder(gang, nxt, int(piece), t, e, base, hop + 1, hops)
            t += int(rng.integers(1, 10)) * MIN_US

    def cash_out(self, gang: Gang, acc: int, amount: int, t: int, parent: str, base, hop) -> None:
        rng = self.rng
        w = self.w
        lab = {
            **base,
            "role": "cashout",
            "stage": "cashout",
            "hop": hop + 1,
            "parent_event_id": parent,
        }
        method = _one_p(rng, _CASHOUT, _CASHOUT_CDF)
        is_payment = int(self.a_class[acc]) == 3
        if method == "atm" and not is_payment:
            owner = int(self.a_owner[acc])
            city_i = self.city_index[w.region.city_codes[int(self.p_county[max(owner, 0)])]]
            left = amount
            while left > 0:
                chunk = min(left, 2_000_000)
                self.transfer(
                    t, acc, int(self.s.atm[city_i]), chunk, "atm", {**lab, "cashout_method": "atm"}
                )
                left -= chunk
                t += int(rng.integers(2, 15)) * MIN_US
        elif method == "third_party":
            pay = int(_one(rng, gang.cashout_pay))
            e = self.transfer(t, acc, pay, amount, "third_party",
                              {**lab, "stage": "cashout_transit", "role": "cashout"})  # fmt: skip
            t += int(rng.integers(2, 30)) * MIN_US
            self.transfer(t, pay, int(_one(rng, gang.otc)), amount, "third_party",
                          {**lab, "parent_event_id": e, "hop": hop + 2, "cashout_method": "third_party"})  # fmt: skip
        else:
            self.transfer(t, acc, int(_one(rng, gang.otc)), amount, "online_banking",
                          {**lab, "cashout_method": "crypto_otc"})  # fmt: skip

    def _describe(self, key, pb, victim, n_paid, loss, gang, paid) -> str:
        rng = self.rng
        who = {"call": "接到陌生电话", "sms": "收到短信"}[pb.channel]
        story = text.compose_fraud_text(key, "contact", rng)
        return (
            f"报案人称{_one(rng, ['近日', '前几天', '昨天', '本周'])}{who}，对方称“{story}”。"
            f"报案人按对方要求先后{n_paid}次转账，共计损失{loss / 100:.2f}元。"
            f"{_one(rng, ['现对方已失联。', '对方仍要求继续转账，报案人察觉被骗。', '家属发现后陪同报案。'])}"
            + (f"涉案转账{len(paid)}笔，首笔金额{paid[0][1] / 100:.2f}元。" if paid else "")
        )


def cold_activity(w: World, s: FraudState, day: int, rng: np.random.Generator, day_us: int):
    """Vectorised mass calling and SMS blasts by every gang's active numbers for one day.

    Returns (call columns, sms columns, label columns per kind) as numpy/Python lists.
    """
    from fanzha.sim.life import sample_times

    call_rows = {"number": [], "callee": [], "t": [], "dur": [], "gang": []}
    sms_rows = {"number": [], "receiver": [], "t": [], "content": [], "gang": []}
    for g in s.gangs:
        nums = np.array([x for c in g.callers for x in c], dtype=np.int64)
        nums = nums[w.numbers["issued_day"][nums] <= day]
        if len(nums) == 0:
            continue
        # the region sees only its share of a gang's nationwide calling
        share = float(np.clip(w.n_people / 100_000, 0.1, 1.0))
        lam = np.where(w.numbers["source"][nums] == 5, 150, 60) * share
        c = rng.poisson(lam)
        src = np.repeat(nums, c)
        callee = w.primary_number[rng.integers(0, w.n_people, len(src))]
        dur = np.where(
            rng.random(len(src)) < 0.6,
            0,
            np.where(
                rng.random(len(src)) < 0.75,
                rng.integers(1, 15, len(src)),
                rng.integers(15, 120, len(src)),
            ),  # fmt: skip
        )
        call_rows["number"].append(src)
        call_rows["callee"].append(callee)
        call_rows["t"].append(sample_times(rng, len(src), "work", day_us))
        call_rows["dur"].append(dur)
        call_rows["gang"].append(np.full(len(src), g.gid))
        if any(PLAYBOOKS[t].channel == "sms" for t in g.types):
            blasters = nums[np.isin(w.numbers["source"][nums], [2, 3, 5])]
            if len(blasters):
                k = rng.poisson(40 * share, len(blasters))
                bs = np.repeat(blasters, k)
                sms_rows["number"].append(bs)
                sms_rows["receiver"].append(w.primary_number[rng.integers(0, w.n_people, len(bs))])
                sms_rows["t"].append(sample_times(rng, len(bs), "work", day_us))
                sms_rows["content"].append(rng.integers(0, len(g.blast), len(bs)))
                sms_rows["gang"].append(np.full(len(bs), g.gid))
    return call_rows, sms_rows


def victim_count(n_people: int, rng: np.random.Generator) -> np.ndarray:
    """New cases per playbook for a day: about one per 600 residents per day overall."""
    lam = n_people / 600.0
    shares = np.array([p.share for p in PLAYBOOKS.values()])
    return rng.poisson(lam * shares)
