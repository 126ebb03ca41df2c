"""The synthetic population: people, numbers, accounts, devices, businesses and the social graph.

Everything is held as numpy columns indexed by position (person index, number index, account
index, device index); string forms (resident IDs, phone numbers, card numbers, IMEIs) are Arrow
arrays so event columns are built with ``take`` instead of per-row Python. The fraud ecosystem
(:mod:`fanzha.sim.fraud`) appends its numbers, accounts and devices through :meth:`World.add_*`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fanzha.sim import ids
from fanzha.sim.divisions import Region, build_region
from fanzha.sim.draws import choice_p
from fanzha.sim.text import person_names

# person roles (ordinary life); fraud roles are kept in fraud.py labels
ROLE_ORDINARY = 0
ROLE_COURIER = 1
ROLE_RIDER = 2
ROLE_CS_AGENT = 3
ROLE_SALES = 4
ROLE_SHOP = 5
ROLE_NAMES = ["ordinary", "courier", "delivery_rider", "customer_service", "sales_caller", "shop"]
BUSINESS_SHARE = {ROLE_COURIER: 0.004, ROLE_RIDER: 0.006, ROLE_CS_AGENT: 0.002, ROLE_SALES: 0.0015}
SHOP_SHARE = 0.02

CARD_TYPES = ["personal", "industry", "iot"]
ACCOUNT_CLASSES = ["I", "II", "III", "payment"]
# account kinds: simulated (balance tracked) vs external (outside the region's books)
ACC_PERSONAL = 0
ACC_MERCHANT = 1
ACC_PAYROLL = 2  # employer / social-security payers (external)
ACC_ATM = 3  # cash withdrawal sink (external)
ACC_OTC = 4  # crypto OTC / off-ramp merchants (external)
ACC_KIND_NAMES = ["personal", "merchant", "payroll", "atm", "otc"]
EXTERNAL_KINDS = (ACC_PAYROLL, ACC_ATM, ACC_OTC)
INSTITUTIONS = ids.BANK_CODES + list(ids.PAYMENT_INSTITUTIONS)


class Columns:
    """A growable column store (dict of numpy arrays of equal length).

    Appends are buffered and concatenated on the next read, so many small appends (one per fraud
    number or mule account) stay linear.
    """

    def __init__(self, cols: dict[str, np.ndarray] | None = None) -> None:
        self.cols: dict[str, np.ndarray] = cols or {}
        self._pending: list[dict[str, np.ndarray]] = []
        self._len = len(next(iter(self.cols.values()))) if self.cols else 0

    def __len__(self) -> int:
        return self._len

    def _flush(self) -> None:
        if self._pending:
            for k, arr in self.cols.items():
                self.cols[k] = np.concatenate([arr] + [p[k] for p in self._pending])
            self._pending = []

    def __getitem__(self, key: str) -> np.ndarray:
        self._flush()
        return self.cols[key]

    def __setitem__(self, key: str, value: np.ndarray) -> None:
        self._flush()
        self.cols[key] = value
        self._len = len(value)

    def extend(self, **new: np.ndarray) -> np.ndarray:
        """Append rows (missing columns get their defaults); returns the new row indices."""
        start = self._len
        n = len(next(iter(new.values())))
        row = {}
        for k, arr in self.cols.items():
            add = new.get(k)
            if add is None:
                row[k] = np.full(n, _default(arr.dtype), dtype=arr.dtype)
            else:
                row[k] = np.asarray(add, dtype=arr.dtype)
        self._pending.append(row)
        self._len += n
        return np.arange(start, start + n)


def _default(dtype: np.dtype) -> object:
    if dtype.kind in "iu":
        return -1
    if dtype.kind == "f":
        return 0.0
    if dtype.kind == "b":
        return False
    return ""


@lru_cache(maxsize=64)
def _start_us(start: date) -> int:
    epoch_days = (np.datetime64(start, "D") - np.datetime64("1970-01-01", "D")).astype(np.int64)
    return int(epoch_days) * 86_400_000_000 - 8 * 3_600_000_000


@dataclass
class World:
    seed: int
    start: date
    days: int
    region: Region
    people: Columns
    numbers: Columns
    accounts: Columns
    devices: Columns
    # social graph in CSR form over person indices; edge type 0 family, 1 friend, 2 colleague
    adj_ptr: np.ndarray
    adj_idx: np.ndarray
    adj_type: np.ndarray
    # fast lookups
    primary_number: np.ndarray  # person -> number index
    primary_account: np.ndarray  # person -> class I account index
    spending_account: np.ndarray  # person -> account used for everyday payments
    primary_device: np.ndarray  # person -> device index
    employer_account: np.ndarray  # person -> payroll account index (-1 none)
    balance: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # string forms (Arrow), built by finalize()
    pid_str: pa.Array | None = None
    num_str: pa.Array | None = None
    acc_str: pa.Array | None = None
    imei_str: pa.Array | None = None
    county_str: pa.Array | None = None
    city_str: pa.Array | None = None

    @property
    def n_people(self) -> int:
        return len(self.people)

    def start_us(self) -> int:
        """UTC microseconds of local (UTC+8) midnight of the first simulated day."""
        return _start_us(self.start)

    def finalize(self) -> None:
        """Build string forms of every identifier (call after fraud setup appended its rows)."""
        n = self.numbers
        self.num_str = pc.if_else(
            pa.array(n["foreign_prefix"] != ""),
            pc.binary_join_element_wise(pa.array(n["foreign_prefix"]), ids.to_str(n["value"]), ""),
            ids.to_str(n["value"]),
        )
        a = self.accounts
        self.acc_str = pc.binary_join_element_wise(
            pa.array(a["prefix"]), ids.to_str(a["value"]), ""
        )
        self.imei_str = ids.to_str(self.devices["value"])
        self._num_value = n["value"]
        self._dev_value = self.devices["value"]
        self._primary_plain = not (n["foreign_prefix"][self.primary_number] != "").any()
        self.county_str = pa.array(self.region.county_codes)
        self.city_str = pa.array(self.region.city_codes)
        if len(self.balance) < len(a):
            self.balance = np.concatenate(
                [self.balance, a["opening_balance"][len(self.balance) :].copy()]
            )

    def primary_num_str(self, idx: np.ndarray) -> pa.Array:
        """``num_str.take(idx)`` for indices of people's primary numbers (which have no foreign
        prefix): formatted from the values, about 3x faster than gathering the strings."""
        if not self._primary_plain:
            return self.num_str.take(idx)
        return ids.to_str(self._num_value[idx])

    def imei_of(self, idx: np.ndarray) -> pa.Array:
        """``imei_str.take(idx)``, formatted from the values (as imei_str itself was)."""
        return ids.to_str(self._dev_value[idx])

    def simulated_account(self) -> np.ndarray:
        """True for accounts whose balance is tracked (cached: asked once per chunk)."""
        kind = self.accounts["kind"]
        cached = self.__dict__.get("_sim_mask")
        if cached is None or cached[0] is not kind:
            cached = (kind, ~np.isin(kind, EXTERNAL_KINDS))
            self.__dict__["_sim_mask"] = cached
        return cached[1]


def build_world(n_people: int, seed: int, start: date, days: int) -> World:
    rng = np.random.default_rng([seed, 1])
    region = build_region()
    n = n_people

    # --- people ---------------------------------------------------------------------------------
    county = choice_p(rng, region.n_counties, n, region.weights).astype(np.int16)
    order = np.argsort(county, kind="stable")  # keep people grouped by county (graph locality)
    county = county[order]
    station = region.county_station_start[county] + (
        rng.random(n) * region.county_station_count[county]
    ).astype(np.int32)
    # adult age pyramid (18..85), a little heavier at 30-60
    age = np.clip(rng.normal(44, 15, n), 18, 85).astype(np.int16)
    male = rng.random(n) < 0.51
    start64 = np.datetime64(start, "D")
    birth = start64 - (age.astype(np.int64) * 365 + rng.integers(0, 365, n)).astype(
        "timedelta64[D]"
    )
    county_codes = np.array(region.county_codes, dtype=np.int64)[county]
    pid = ids.resident_ids(county_codes, birth, male, rng)
    role = np.zeros(n, dtype=np.int8)
    working = np.flatnonzero((age >= 20) & (age <= 55))
    for r, share in BUSINESS_SHARE.items():
        k = max(2, int(round(share * n)))
        free = working[role[working] == ROLE_ORDINARY]
        role[rng.choice(free, size=min(k, len(free)), replace=False)] = r
    free = np.flatnonzero(role == ROLE_ORDINARY)
    role[rng.choice(free, size=max(5, int(SHOP_SHARE * n)), replace=False)] = ROLE_SHOP
    # exposure to online fraud: internet activity, skewed
    exposure = rng.lognormal(0.0, 0.8, n).astype(np.float32)
    # monthly income in fen (salary for < 60, pension after)
    income = np.where(
        age < 60, rng.lognormal(np.log(5500), 0.5, n), rng.lognormal(np.log(2800), 0.35, n)
    )
    income = (np.round(income, -1) * 100).astype(np.int64)
    pay_day = np.where(age < 60, rng.choice([5, 10, 15, 25], n), 5).astype(np.int8)
    people = Columns(
        {
            "county": county,
            "station": station,
            "age": age,
            "male": male,
            "birth": birth.astype("datetime64[D]").astype(np.int32),
            "role": role,
            "exposure": exposure,
            "income": income,
            "pay_day": pay_day,
            "renter": (age >= 22) & (age <= 40) & (rng.random(n) < 0.35),
        }
    )
    names = person_names(n, rng)

    # --- devices: one handset each, 10% two ---------------------------------------------------
    n_dev = choice_p(rng, [1, 2], n, [0.9, 0.1])
    dev_owner = np.repeat(np.arange(n), n_dev)
    devices = Columns(
        {
            "value": ids.imeis(len(dev_owner), rng),
            "owner": dev_owner.astype(np.int64),
            "simbank": np.zeros(len(dev_owner), dtype=bool),
            "gang": np.full(len(dev_owner), -1, dtype=np.int32),
        }
    )
    dev_start = np.concatenate([[0], np.cumsum(n_dev)[:-1]])

    # --- phone numbers: 1-5 per person -----------------------------------------------------------
    k_num = choice_p(rng, [1, 2, 3, 4, 5], n, [0.55, 0.28, 0.11, 0.04, 0.02])
    num_owner = np.repeat(np.arange(n), k_num)
    m = len(num_owner)
    op = choice_p(rng, 5, m, [0.57, 0.2, 0.19, 0.015, 0.025]).astype(np.int8)
    first_num = np.concatenate([[0], np.cumsum(k_num)[:-1]])
    op[first_num] = choice_p(rng, 4, n, [0.6, 0.2, 0.19, 0.01])  # primary: a big-3 number
    card_type = np.zeros(m, dtype=np.int8)
    card_type[first_num[np.isin(role, [ROLE_CS_AGENT, ROLE_SALES])]] = 1  # industry cards
    # issue time: days before start (most years ago); a few non-primary numbers inside the period
    issued = -rng.integers(30, 4000, m).astype(np.int32)
    new_in_period = rng.random(m) < 0.002
    new_in_period[first_num] = False
    issued[new_in_period] = rng.integers(0, max(days, 1), new_in_period.sum())
    numbers = Columns(
        {
            "value": ids.phone_numbers(op, rng),
            "foreign_prefix": np.full(m, "", dtype=object),
            "owner": num_owner.astype(np.int64),
            "operator": op,
            "card_type": card_type,
            "issued_day": issued,
            "device": (dev_start[num_owner] + 0).astype(np.int64),
            "gang": np.full(m, -1, dtype=np.int32),
            "source": np.zeros(m, dtype=np.int8),  # see fraud.SIM_SOURCES
            "outlet": np.full(m, "", dtype=object),
        }
    )

    # --- accounts --------------------------------------------------------------------------------
    k_bank = choice_p(rng, [1, 2, 3], n, [0.45, 0.4, 0.15])
    b_owner = np.repeat(np.arange(n), k_bank)
    b_first = np.concatenate([[0], np.cumsum(k_bank)[:-1]])
    nb = len(b_owner)
    cls = choice_p(rng, [0, 1, 2], nb, [0.45, 0.4, 0.15]).astype(np.int8)
    cls[b_first] = 0
    bank = choice_p(rng, len(ids.BANK_CODES), nb, ids.BANK_SHARE).astype(np.int8)
    # one class-I account per person per bank (DOMAIN.md §6): later ones at the same bank are II
    key = b_owner.astype(np.int64) * 256 + bank
    first_class1 = np.zeros(nb, dtype=bool)
    c1 = np.flatnonzero(cls == 0)
    _, first = np.unique(key[c1], return_index=True)
    first_class1[c1[first]] = True
    cls[(cls == 0) & ~first_class1] = 1
    bal = np.where(
        cls == 0,
        rng.lognormal(np.log(1_500_000), 1.1, nb),  # class I: median 15 000 yuan
        np.where(cls == 1, rng.lognormal(np.log(150_000), 1.0, nb), rng.uniform(0, 150_000, nb)),
    ).astype(np.int64)
    has_ali = rng.random(n) < 0.85
    has_wx = rng.random(n) < 0.9
    p_owner = np.concatenate([np.flatnonzero(has_ali), np.flatnonzero(has_wx)])
    p_inst = np.concatenate(
        [
            np.full(has_ali.sum(), len(ids.BANK_CODES)),
            np.full(has_wx.sum(), len(ids.BANK_CODES) + 1),
        ]
    ).astype(np.int8)
    npay = len(p_owner)
    p_bal = rng.lognormal(np.log(60_000), 1.0, npay).astype(np.int64)
    acc_value = np.concatenate([ids.card_numbers(bank, rng), ids.payment_accounts(npay, rng)])
    prefix = np.concatenate(
        [np.full(nb, "", dtype=object), np.where(p_inst == len(ids.BANK_CODES), "", "wxp")]
    ).astype(object)
    owner = np.concatenate([b_owner, p_owner]).astype(np.int64)
    accounts = Columns(
        {
            "value": acc_value,
            "prefix": prefix,
            "owner": owner,
            "institution": np.concatenate([bank, p_inst]).astype(np.int8),
            "class": np.concatenate([cls, np.full(npay, 3, dtype=np.int8)]),
            "kind": np.zeros(nb + npay, dtype=np.int8),
            "opened_day": -rng.integers(30, 5000, nb + npay).astype(np.int32),
            "bound_number": first_num[owner].astype(np.int64),
            "opening_balance": np.concatenate([bal, p_bal]),
            "gang": np.full(nb + npay, -1, dtype=np.int32),
            "source": np.zeros(nb + npay, dtype=np.int8),  # see fraud.MULE_SOURCES
            "outlet": np.full(nb + npay, "", dtype=object),
        }
    )
    primary_account = b_first.astype(np.int64)
    spending = primary_account.copy()
    ali_idx = nb + np.arange(has_ali.sum())
    spending[np.flatnonzero(has_ali)] = ali_idx  # Alipay first, else WeChat, else class I card
    wx_only = np.flatnonzero(~has_ali & has_wx)
    wx_pos = nb + has_ali.sum() + np.searchsorted(np.flatnonzero(has_wx), wx_only)
    spending[wx_only] = wx_pos
    # shops: a merchant account each (simulated, receive-mostly)
    shops = np.flatnonzero(role == ROLE_SHOP)
    merch_bank = choice_p(rng, len(ids.BANK_CODES), len(shops), ids.BANK_SHARE).astype(np.int8)
    accounts.extend(
        value=ids.card_numbers(merch_bank, rng),
        prefix=np.full(len(shops), "", dtype=object),
        owner=shops.astype(np.int64),
        institution=merch_bank,
        **{"class": np.zeros(len(shops), dtype=np.int8)},
        kind=np.full(len(shops), ACC_MERCHANT, dtype=np.int8),
        opened_day=-rng.integers(100, 3000, len(shops)).astype(np.int32),
        bound_number=first_num[shops].astype(np.int64),
        opening_balance=rng.integers(1_000_000, 10_000_000, len(shops)),
        gang=np.full(len(shops), -1, dtype=np.int32),
        source=np.zeros(len(shops), dtype=np.int8),
        outlet=np.full(len(shops), "", dtype=object),
    )
    # employers' payroll accounts (external payers) and social security
    n_emp = max(3, n // 40)
    emp_bank = choice_p(rng, len(ids.BANK_CODES), n_emp, ids.BANK_SHARE).astype(np.int8)
    emp_idx = accounts.extend(
        value=ids.card_numbers(emp_bank, rng),
        prefix=np.full(n_emp, "", dtype=object),
        owner=np.full(n_emp, -1, dtype=np.int64),
        institution=emp_bank,
        **{"class": np.zeros(n_emp, dtype=np.int8)},
        kind=np.full(n_emp, ACC_PAYROLL, dtype=np.int8),
        opening_balance=np.zeros(n_emp, dtype=np.int64),
        source=np.zeros(n_emp, dtype=np.int8),
    )
    employer = rng.integers(0, n_emp, n)
    # colleagues cluster by employer; retirees are paid by the first payroll account (社保)
    employer[age >= 60] = 0
    employer_account = emp_idx[employer]

    world = World(
        seed=seed,
        start=start,
        days=days,
        region=region,
        people=people,
        numbers=numbers,
        accounts=accounts,
        devices=devices,
        adj_ptr=np.zeros(1, dtype=np.int64),
        adj_idx=np.zeros(0, dtype=np.int64),
        adj_type=np.zeros(0, dtype=np.int8),
        primary_number=first_num.astype(np.int64),
        primary_account=primary_account,
        spending_account=spending,
        primary_device=dev_start.astype(np.int64),
        employer_account=employer_account,
    )
    world.pid_str = pid
    world.people["name"] = names.astype(object)
    _social_graph(world, employer, rng)
    return world


def _social_graph(world: World, employer: np.ndarray, rng: np.random.Generator) -> None:
    """Households (family), local friendships and workplaces (colleagues), as CSR adjacency."""
    n = world.n_people
    # families: consecutive runs (people are sorted by county) of size 1-5
    sizes = choice_p(rng, [1, 2, 3, 4, 5], n // 2 + 1, [0.2, 0.3, 0.25, 0.15, 0.1])
    ends = np.cumsum(sizes)
    ends = ends[ends < n]
    hh = np.zeros(n, dtype=np.int64)
    hh[ends] = 1
    hh = np.cumsum(hh)
    src, dst, typ = [], [], []
    o = ids.stable_argsort(hh)
    for off in range(1, 5):  # pairs within households (size ≤ 5)
        a = o[:-off]
        b = o[off:]
        same = hh[a] == hh[b]
        src.append(a[same])
        dst.append(b[same])
        typ.append(np.zeros(same.sum(), dtype=np.int8))
    # friends: ~6 per person, mostly nearby in county order (same county/town)
    k = 3
    a = np.repeat(np.arange(n), k)
    off = np.rint(rng.normal(0, 400, len(a))).astype(np.int64)
    off[off == 0] = 1
    far = rng.random(len(a)) < 0.1
    b = np.where(far, rng.integers(0, n, len(a)), np.clip(a + off, 0, n - 1))
    keep = a != b
    src.append(a[keep])
    dst.append(b[keep])
    typ.append(np.ones(keep.sum(), dtype=np.int8))
    # colleagues: 2 links per working person to others with the same employer
    work = np.flatnonzero(world.people["age"] < 60)
    oe = work[ids.stable_argsort(employer[work])]
    for off in (1, 2):
        a, b = oe[:-off], oe[off:]
        same = employer[a] == employer[b]
        src.append(a[same])
        dst.append(b[same])
        typ.append(np.full(same.sum(), 2, dtype=np.int8))
    s = np.concatenate(src + dst)
    d = np.concatenate(dst + src)
    t = np.concatenate(typ + typ)
    order = ids.stable_argsort(s)
    d, t = d[order], t[order]  # (the counts per source need no sorted copy of s)
    world.adj_ptr = np.concatenate([[0], np.cumsum(np.bincount(s, minlength=n))]).astype(np.int64)
    world.adj_idx = d.astype(np.int64)
    world.adj_type = t
