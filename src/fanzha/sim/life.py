"""Ordinary life for one simulated day, vectorised over a chunk of people.

Calls and SMS over the social graph and with businesses (couriers, riders, customer service and
sales callers make many short outgoing calls — the hard negatives), service notifications and
marketing with 退订, salaries, pensions, rent, shopping, family transfers and red packets, URL
visits and app installs. Daily rhythm comes from hourly profiles in local time (UTC+8), weekly
rhythm from weekday/weekend factors. Nothing here loops per event.

Balances: every outgoing transfer is admitted only if the payer's tracked balance (fraud plans
reserve their outflows in advance) minus all earlier admitted outflows of the day stays ≥ 0;
same-day inflows are credited only at the end of the day, so a time-ordered replay never goes
negative.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fanzha.sim import ids, text
from fanzha.sim.draws import CdfTable, cdf_of, choice_p
from fanzha.sim.lazy import Lazy
from fanzha.sim.world import (
    ROLE_COURIER,
    ROLE_CS_AGENT,
    ROLE_RIDER,
    ROLE_SALES,
    ROLE_SHOP,
    World,
)

DAY_US = 86_400_000_000
HOUR_US = 3_600_000_000

# hourly activity in local time
_SOCIAL = np.array([0.3, 0.15, 0.1, 0.05, 0.05, 0.1, 0.4, 1.5, 3, 4, 4.5, 4.5, 4, 3.5, 4, 4.2,
                    4.3, 4.5, 5, 5.5, 5, 4, 2.5, 1])  # fmt: skip
_WORK = np.array([0, 0, 0, 0, 0, 0, 0.05, 0.6, 3, 5, 5.5, 5, 3, 3.5, 5, 5.5, 5.5, 5, 3.5, 2, 1,
                  0.3, 0.05, 0])  # fmt: skip
_SHOP = np.array([0.2, 0.1, 0.05, 0.02, 0.02, 0.05, 0.3, 1.5, 2.5, 3, 3.5, 4.5, 5, 3.5, 3, 3, 3.2,
                  3.8, 4.5, 5, 5, 4, 2, 0.8])  # fmt: skip
PROFILES = {k: v / v.sum() for k, v in {"social": _SOCIAL, "work": _WORK, "shop": _SHOP}.items()}

BUSINESS_RATE = {ROLE_COURIER: 55, ROLE_RIDER: 40, ROLE_CS_AGENT: 70, ROLE_SALES: 140}
# (median duration s, share of very short/unanswered) per business role
BUSINESS_DUR = {ROLE_COURIER: (25, 0.2), ROLE_RIDER: (18, 0.15), ROLE_CS_AGENT: (110, 0.1),
                ROLE_SALES: (28, 0.45)}  # fmt: skip


@dataclass
class Pools:
    """Pre-composed Arrow string pools (built once per run, sampled by index)."""

    notify: pa.Array
    marketing: pa.Array
    personal: pa.Array
    service_senders: pa.Array
    marketing_senders: pa.Array
    urls: pa.Array
    url_weights: np.ndarray
    ips: pa.Array
    app_ids: pa.Array
    app_labels: pa.Array
    app_sha: pa.Array


def build_pools(rng: np.random.Generator) -> Pools:
    notify = [text.fill(str(rng.choice(text.NOTIFY_SMS)), rng) for _ in range(600)]
    marketing = [text.fill(str(rng.choice(text.MARKETING_SMS)), rng) for _ in range(200)]
    urls = []
    for dom in text.ORDINARY_DOMAINS:
        for _ in range(20):
            path = str(rng.choice(text.URL_PATHS))
            if path.endswith(("=", "/")) and path != "/":
                path += str(rng.integers(1000, 99_999_999))
            urls.append(f"https://{dom}{path}")
    url_w = 1.0 / np.arange(1, len(text.ORDINARY_DOMAINS) + 1) ** 0.8
    url_w = np.repeat(url_w, 20)
    ip_int = rng.integers(0, 2**32, 4000, dtype=np.int64)
    ips = [f"{(v >> 24) % 223 + 1}.{(v >> 16) & 255}.{(v >> 8) & 255}.{v & 255}" for v in ip_int]
    mk = [f"10690{rng.integers(10**6, 10**7)}" for _ in range(30)]
    return Pools(
        notify=pa.array(notify),
        marketing=pa.array(marketing),
        personal=pa.array(text.PERSONAL_SMS),
        service_senders=pa.array(text.SERVICE_SENDERS),
        marketing_senders=pa.array(mk),
        urls=pa.array(urls),
        url_weights=url_w / url_w.sum(),
        ips=pa.array(ips),
        app_ids=pa.array([a for a, _ in text.ORDINARY_APPS]),
        app_labels=pa.array([b for _, b in text.ORDINARY_APPS]),
        app_sha=pa.array([hashlib.sha256(a.encode()).hexdigest() for a, _ in text.ORDINARY_APPS]),
    )


# rng.choice(24, p=PROFILES[k]) without its per-call checks (draws.py: same values and state)
_PROFILE_CDF = {k: cdf_of(v) for k, v in PROFILES.items()}


_PROFILE_TABLE = {k: CdfTable(v) for k, v in _PROFILE_CDF.items()}


def sample_times(rng: np.random.Generator, n: int, profile: str, day_start_us: int) -> np.ndarray:
    u = rng.random(n)
    if n < 64:
        hours = _PROFILE_CDF[profile].searchsorted(u, side="right")
    else:
        hours = _PROFILE_TABLE[profile].search(u)
    return day_start_us + hours * HOUR_US + rng.integers(0, HOUR_US, n)


def _repeat_counts(rng: np.random.Generator, rates: np.ndarray) -> np.ndarray:
    return rng.poisson(rates)


def _neighbour(world: World, src: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random social-graph neighbour of each source person (a random person if isolated)."""
    lo = world.adj_ptr[src]
    deg = world.adj_ptr[src + 1] - lo
    pick = lo + (rng.random(len(src)) * np.maximum(deg, 1)).astype(np.int64)
    pick = np.minimum(pick, len(world.adj_idx) - 1)
    out = world.adj_idx[pick]
    iso = deg == 0
    out[iso] = rng.integers(0, world.n_people, iso.sum())
    return out


class DayContext:
    """What one simulated day needs: its index, UTC start, weekend flag and the pools."""

    def __init__(self, world: World, day: int, pools: Pools) -> None:
        self.world = world
        self.day = day
        self.day_us = world.start_us() + day * DAY_US
        weekday = (np.datetime64(world.start, "D") + day).astype("datetime64[D]").item().weekday()
        self.weekend = weekday >= 5
        local = np.datetime64(world.start, "D") + day
        self.day_of_month = int(str(local)[8:10])
        self.pools = pools


def _segments(*parts: tuple[Callable[[np.ndarray], pa.Array], np.ndarray]) -> Lazy:
    """``concat(take_k(idx_k) for each part)`` as a :class:`Lazy` over row positions (the parts
    are consecutive row ranges), so a subset of the rows is built directly."""
    bounds = np.cumsum([0] + [len(i) for _, i in parts])

    def build(rows: np.ndarray) -> pa.Array:
        cut = np.searchsorted(rows, bounds)
        return pa.concat_arrays(
            [take(idx[rows[cut[k] : cut[k + 1]] - bounds[k]])
             for k, (take, idx) in enumerate(parts)]
        )  # fmt: skip

    return Lazy(build, np.arange(bounds[-1]))


def calls(ctx: DayContext, lo: int, hi: int, rng: np.random.Generator) -> dict:
    w = ctx.world
    people = np.arange(lo, hi)
    age = w.people["age"][lo:hi]
    rate = np.where(age < 30, 2.6, np.where(age < 60, 2.3, 1.6)) * (1.1 if ctx.weekend else 1.0)
    cnt = _repeat_counts(rng, rate)
    src = np.repeat(people, cnt)
    dst = np.where(rng.random(len(src)) < 0.88, _neighbour(w, src, rng),
                   rng.integers(0, w.n_people, len(src)))  # fmt: skip
    t = sample_times(rng, len(src), "social", ctx.day_us)
    dur = rng.lognormal(np.log(85), 1.0, len(src)).astype(np.int64)
    dur[rng.random(len(src)) < 0.12] = 0  # unanswered
    # businesses: many short outgoing calls, and some callbacks from the people they called
    role = w.people["role"][lo:hi]
    bsrc, bdst, bt, bdur = [src], [dst], [t], [dur]
    n_business = 0
    for r, lam in BUSINESS_RATE.items():
        who = people[role == r]
        if len(who) == 0:
            continue
        lam_d = lam * (0.6 if ctx.weekend and r != ROLE_RIDER else 1.0)
        c = rng.poisson(lam_d, len(who))
        s = np.repeat(who, c)
        d = rng.integers(0, w.n_people, len(s))
        tt = sample_times(rng, len(s), "work", ctx.day_us)
        med, short = BUSINESS_DUR[r]
        du = rng.lognormal(np.log(med), 0.7, len(s)).astype(np.int64)
        sh = rng.random(len(s)) < short
        du[sh] = rng.integers(0, 6, sh.sum())
        back = rng.random(len(s)) < (0.02 if r == ROLE_SALES else 0.12)
        n_business += len(s)
        bsrc += [s, d[back]]
        bdst += [d, s[back]]
        bt += [tt, tt[back] + rng.integers(60_000_000, 3 * HOUR_US, back.sum())]
        bdur += [du, rng.lognormal(np.log(40), 0.6, back.sum()).astype(np.int64)]
    src = np.concatenate(bsrc)
    dst = np.concatenate(bdst)
    t = np.concatenate(bt)
    dur = np.clip(np.concatenate(bdur), 0, 86_400)
    caller = w.primary_number[src]
    callee = w.primary_number[dst]
    county = w.people["county"][src]
    cell = np.array(w.region.county_codes, dtype=np.int64)[county] * 10_000 + rng.integers(
        0, 400, len(src)
    )
    nm = w.numbers
    op, ctype, dev = nm["operator"], nm["card_type"], nm["device"]
    # string columns are built lazily (see engine.to_table): on the lake writer's thread
    return {
        "source_org": Lazy(lambda c: ids.pick(_ORGS, op[c]), caller),
        "event_time": t,
        "caller": Lazy(w.primary_num_str, caller),
        "callee": Lazy(w.primary_num_str, callee),
        "duration_s": dur,
        "direction": Lazy(lambda x: ids.const("outgoing", len(x)), t),
        "caller_card_type": Lazy(lambda c: ids.pick(_CARD_TYPES, ctype[c]), caller),
        "cell": Lazy(ids.to_str, cell),
        "city": Lazy(lambda c: w.city_str.take(c.astype(np.int64)), county),
        "imei": Lazy(lambda c: w.imei_of(dev[c]), caller),
        "_hardneg": n_business,
    }


def sms(ctx: DayContext, lo: int, hi: int, rng: np.random.Generator) -> dict:
    w = ctx.world
    p = ctx.pools
    people = np.arange(lo, hi)
    n = hi - lo
    # person to person
    c = rng.poisson(0.3, n)
    s = np.repeat(people, c)
    d = _neighbour(w, s, rng)
    # notifications and marketing from service numbers to any of the person's numbers
    cn = rng.poisson(1.1, n)
    cm = rng.poisson(0.35 * (1.3 if ctx.weekend else 1.0), n)
    rn = np.repeat(people, cn)
    rm = np.repeat(people, cm)
    t = np.concatenate([
        sample_times(rng, len(s), "social", ctx.day_us),
        sample_times(rng, len(rn), "shop", ctx.day_us),
        sample_times(rng, len(rm), "work", ctx.day_us),
    ])  # fmt: skip
    recv = np.concatenate([w.primary_number[d], w.primary_number[rn], w.primary_number[rm]])
    snd = w.primary_number[s]
    # the random draws happen here, in order; the string gathers later (lazily)
    i_service = rng.integers(0, len(p.service_senders), len(rn))
    i_marketing = rng.integers(0, len(p.marketing_senders), len(rm))
    i_personal = rng.integers(0, len(p.personal), len(s))
    i_notify = rng.integers(0, len(p.notify), len(rn))
    i_mtext = rng.integers(0, len(p.marketing), len(rm))
    ctype = np.concatenate(
        [np.zeros(len(s), dtype=np.int8), np.ones(len(rn) + len(rm), dtype=np.int8)]
    )
    op = w.numbers["operator"]
    return {
        "source_org": Lazy(lambda r: ids.pick(_ORGS, op[r]), recv),
        "event_time": t,
        "sender": _segments(
            (w.primary_num_str, snd),
            (p.service_senders.take, i_service),
            (p.marketing_senders.take, i_marketing),
        ),
        "receiver": Lazy(w.primary_num_str, recv),
        "content": _segments(
            (p.personal.take, i_personal), (p.notify.take, i_notify), (p.marketing.take, i_mtext)
        ),
        "sender_card_type": Lazy(lambda c: ids.pick(_CARD_TYPES, c), ctype),
    }


def transfers(ctx: DayContext, lo: int, hi: int, rng: np.random.Generator) -> dict:
    """Ordinary payments of people in [lo, hi). Mutates ``world.balance``."""
    w = ctx.world
    people = np.arange(lo, hi)
    n = hi - lo
    payer, payee, amt, t, chan = [], [], [], [], []

    def add(pr, pe, a, tt, ch):
        payer.append(pr)
        payee.append(pe)
        amt.append(a.astype(np.int64))
        t.append(tt)
        chan.append(np.full(len(pr), ch, dtype=np.int8))

    # salary / pension on pay day (external payroll -> class I card)
    paid = people[w.people["pay_day"][lo:hi] == ctx.day_of_month]
    if len(paid):
        add(w.employer_account[paid], w.primary_account[paid], w.people["income"][paid],
            sample_times(rng, len(paid), "work", ctx.day_us), 1)  # fmt: skip
    # rent on the 1st: renters pay a landlord (an older person) from their class I card
    if ctx.day_of_month == 1:
        r = people[w.people["renter"][lo:hi]]
        landlord = rng.integers(0, w.n_people, len(r))
        add(w.primary_account[r], w.primary_account[landlord],
            rng.integers(8, 35, len(r)) * 10_000, sample_times(rng, len(r), "social", ctx.day_us), 0)  # fmt: skip
    # shopping: spending account -> a shop's merchant account
    merch = np.flatnonzero(w.accounts["kind"] == 1)
    c = rng.poisson(0.55 * (1.3 if ctx.weekend else 1.0), n)
    s = np.repeat(people, c)
    a = np.maximum(rng.lognormal(np.log(4500), 1.0, len(s)), 100)
    add(w.spending_account[s], merch[rng.integers(0, len(merch), len(s))], a,
        sample_times(rng, len(s), "shop", ctx.day_us), 5)  # fmt: skip
    # top-ups: class I card -> own payment account
    c = rng.poisson(0.06, n)
    s = np.repeat(people, c)
    s = s[w.spending_account[s] != w.primary_account[s]]
    add(w.primary_account[s], w.spending_account[s], rng.integers(5, 200, len(s)) * 10_000,
        sample_times(rng, len(s), "social", ctx.day_us), 2)  # fmt: skip
    # family transfers and red packets over the social graph
    c = rng.poisson(0.08 * (1.4 if ctx.weekend else 1.0), n)
    s = np.repeat(people, c)
    d = _neighbour(w, s, rng)
    red = rng.random(len(s)) < 0.6
    a = np.where(red, rng.choice([666, 888, 1888, 5200, 6600, 8800, 20000], len(s)),
                 rng.integers(2, 50, len(s)) * 10_000)  # fmt: skip
    add(w.spending_account[s], w.spending_account[d], a,
        sample_times(rng, len(s), "social", ctx.day_us), 2)  # fmt: skip

    payer_a = np.concatenate(payer)
    payee_a = np.concatenate(payee)
    amt_a = np.concatenate(amt)
    t_a = np.concatenate(t)
    chan_a = np.concatenate(chan)
    keep = (payer_a != payee_a) & (amt_a > 0)
    payer_a, payee_a, amt_a, t_a, chan_a = (x[keep] for x in (payer_a, payee_a, amt_a, t_a, chan_a))
    # admit outflows in time order per payer while start-of-day balance allows (externals unlimited)
    sim = w.simulated_account()
    order = ids.lexsort2(payer_a, t_a)
    payer_a, payee_a, amt_a, t_a, chan_a = (
        x[order] for x in (payer_a, payee_a, amt_a, t_a, chan_a)
    )
    cum = np.cumsum(amt_a)
    first = np.r_[True, payer_a[1:] != payer_a[:-1]]
    grp_start = np.maximum.accumulate(np.where(first, np.arange(len(payer_a)), 0))
    before = np.where(grp_start > 0, cum[grp_start - 1], 0)
    run = cum - before
    avail = w.balance[payer_a]
    ok = (~sim[payer_a]) | (run <= avail)
    # once a payer's run exceeds the balance, later ones are dropped as well (run is monotone)
    payer_a, payee_a, amt_a, t_a, chan_a = (x[ok] for x in (payer_a, payee_a, amt_a, t_a, chan_a))
    # book the day's moves on tracked accounts only (scatter-adds over the moved rows instead of
    # four passes over every account in the region)
    m = sim[payer_a]
    np.subtract.at(w.balance, payer_a[m], amt_a[m])
    m = sim[payee_a]
    np.add.at(w.balance, payee_a[m], amt_a[m])
    return transfer_columns(w, payer_a, payee_a, amt_a, t_a, chan_a, rng, ctx.pools)


_ORGS = [ids.OPERATOR_ORG[o] for o in ids.OPERATORS + ["foreign"]]
_CARD_TYPES = ["personal", "industry", "iot"]
_INSTITUTIONS = ids.BANK_CODES + list(ids.PAYMENT_INSTITUTIONS)
CHANNELS = ["mobile_banking", "online_banking", "third_party", "atm", "counter", "merchant"]


def transfer_columns(w, payer, payee, amt, t, chan, rng, pools) -> dict:
    inst_i = w.accounts["institution"][payer]
    owner = w.accounts["owner"][payer]
    dev = np.where(owner >= 0, w.primary_device[np.maximum(owner, 0)], 0)
    has_dev = (owner >= 0) & (chan != 3)
    county = np.where(owner >= 0, w.people["county"][np.maximum(owner, 0)], 0)
    serial_no = t // 1000 % 10**10 * 100 + rng.integers(0, 100, len(t))
    ip = rng.integers(0, len(pools.ips), len(t))
    return {
        "source_org": Lazy(lambda i: ids.pick(_INSTITUTIONS, i), inst_i),
        "event_time": t,
        "payer_account": Lazy(w.acc_str.take, payer),
        "payee_account": Lazy(w.acc_str.take, payee),
        "amount_fen": amt,
        "channel": Lazy(lambda c: ids.pick(CHANNELS, c), chan),
        "serial_no": Lazy(
            lambda i, sn: pc.binary_join_element_wise(
                ids.pick(_INSTITUTIONS, i), ids.to_str(sn), ""
            ),
            inst_i,
            serial_no,
        ),
        "device_id": Lazy(
            lambda h, d: pc.if_else(pa.array(h), w.imei_of(d), pa.scalar(None, pa.string())),
            has_dev,
            dev,
        ),
        "ip": Lazy(pools.ips.take, ip),
        "place": Lazy(lambda c: w.county_str.take(c.astype(np.int64)), county),
    }


def url_visits(ctx: DayContext, lo: int, hi: int, rng: np.random.Generator) -> dict:
    w = ctx.world
    p = ctx.pools
    ex = w.people["exposure"][lo:hi]
    c = rng.poisson(np.minimum(1.2 * ex, 8))
    s = np.repeat(np.arange(lo, hi), c)
    num = w.primary_number[s]
    op = w.numbers["operator"]
    t = sample_times(rng, len(s), "social", ctx.day_us)
    url = choice_p(rng, len(p.urls), len(s), p.url_weights)
    ip = rng.integers(0, len(p.ips), len(s))
    return {
        "source_org": Lazy(lambda x: ids.pick(_ORGS, op[x]), num),
        "event_time": t,
        "number": Lazy(w.primary_num_str, num),
        "url": Lazy(p.urls.take, url),
        "ip": Lazy(p.ips.take, ip),
    }


def app_installs(ctx: DayContext, lo: int, hi: int, rng: np.random.Generator) -> dict:
    w = ctx.world
    p = ctx.pools
    c = rng.poisson(0.02, hi - lo)
    s = np.repeat(np.arange(lo, hi), c)
    app = rng.integers(0, len(p.app_ids), len(s))
    num = w.primary_number[s]
    return {
        "source_org": Lazy(lambda x: ids.const("MIIT-APPMON", len(x)), s),
        "event_time": sample_times(rng, len(s), "social", ctx.day_us),
        "number": Lazy(w.primary_num_str, num),
        "app_id": Lazy(p.app_ids.take, app),
        "apk_sha256": Lazy(p.app_sha.take, app),
        "app_label": Lazy(p.app_labels.take, app),
        "imei": Lazy(lambda x: w.imei_of(w.primary_device[x]), s),
    }


def openings(ctx: DayContext, rng: np.random.Generator) -> tuple[dict, dict]:
    """sim_issuance / account_opening events for registry rows whose issue day is today."""
    w = ctx.world
    nm = w.numbers
    ni = np.flatnonzero(nm["issued_day"] == ctx.day)
    owner_n = nm["owner"][ni]
    county_n = w.people["county"][owner_n]
    sims = {
        "source_org": pa.array(np.array([ids.OPERATOR_ORG[o] for o in ids.OPERATORS + ["foreign"]])[nm["operator"][ni]]),
        "event_time": sample_times(rng, len(ni), "work", ctx.day_us),
        "number": w.num_str.take(ni),
        "person_id": w.pid_str.take(owner_n),
        "operator": pa.array(np.array(ids.OPERATORS + ["foreign"])[nm["operator"][ni]]),
        "card_type": pa.array(np.array(["personal", "industry", "iot"])[nm["card_type"][ni]]),
        "outlet": pa.array(np.where(nm["outlet"][ni] != "", nm["outlet"][ni],
                                    np.char.add(np.array(w.region.county_codes)[county_n], "-YYT01")).astype(str)),
        "agent": pa.array(np.where(nm["outlet"][ni] != "", np.char.add(nm["outlet"][ni].astype(str), "-A"), "").astype(str)),
    }  # fmt: skip
    ac = w.accounts
    ai = np.flatnonzero((ac["opened_day"] == ctx.day) & (ac["owner"] >= 0))
    owner_a = ac["owner"][ai]
    county_a = w.people["county"][owner_a]
    inst = np.array(ids.BANK_CODES + ["ALIPAY", "TENPAY"])[ac["institution"][ai]]
    accs = {
        "source_org": pa.array(inst),
        "event_time": sample_times(rng, len(ai), "work", ctx.day_us),
        "account": w.acc_str.take(ai),
        "person_id": w.pid_str.take(owner_a),
        "institution": pa.array(inst),
        "account_class": pa.array(np.array(["I", "II", "III", "payment"])[ac["class"][ai]]),
        "bound_phone": w.num_str.take(np.maximum(ac["bound_number"][ai], 0)),
        "outlet": pa.array(np.where(ac["outlet"][ai] != "", ac["outlet"][ai],
                                    np.char.add(np.char.add(inst, "-"), np.array(w.region.county_codes)[county_a])).astype(str)),
    }  # fmt: skip
    return sims, accs


__all__ = [
    "DayContext",
    "Pools",
    "app_installs",
    "build_pools",
    "calls",
    "openings",
    "sms",
    "transfers",
    "transfer_columns",
    "url_visits",
    "ROLE_SHOP",
]
