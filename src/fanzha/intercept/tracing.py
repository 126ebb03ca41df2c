"""Fund tracing (资金穿透): follow victims' money downstream through the transfer graph.

Pure computation on Arrow/numpy — no database. :class:`TransferIndex` sorts the transfers once
(by time, then grouped by payer and by payee as CSR arrays); :func:`trace` then runs one
time-ordered sweep over only the transfers that touch accounts currently holding victims' money.

Model
-----
* A victim's money enters the graph through *seeds*: the victim's own transfers (by event id),
  or a deposit (first-hop account, amount, time) when the victim's transfer is not in the data.
  The seed transfer is hop 1; money leaving a hop-k account travels on hop k+1.
* Each account holds *lots*: (victim, hop, fen). An outgoing transfer can only carry money that
  arrived before it (strictly earlier in the sweep order: event time, then input row order).
* Which lots an outgoing transfer carries is the **allocation rule**:

  - ``taint_first`` (default, 涉案资金优先): the transfer carries victims' money first, up to what
    the account holds; among victims' lots the oldest go first. Mule accounts hold little of
    their own, and this is how investigators draw a 资金流向表: it never under-traces a victim.
  - ``fifo``: the account is a queue of all deposits (victims' and clean); outgoing money takes
    the oldest first. The clean balance found before the account was first reached counts as the
    oldest lot (``max(0, inflows − outflows before that time)`` from the data).
  - ``lifo``: as ``fifo`` but newest first.
  - ``proportional`` (haircut): every outgoing transfer carries each lot in proportion to its
    share of the account's known balance. Shares are floored and the leftover fen go to the lots
    with the largest remainders (ties: the older lot), so a split never creates or loses a fen.

  When a transfer exceeds the known balance the excess is the owner's unobserved money.
* Money stops at a cash-out (channel ``atm``/``counter``/``merchant``: 取现/消费), at an account
  outside the data (``known_accounts`` given and the payee neither listed nor seen paying), or at
  the hop limit: money a hop-``max_hops`` account sends to another account is *untraced*.
* Per victim: ``held + cashed_out + left_data + untraced == seeded`` exactly, in fen. A seed
  transfer sent from an account that already holds other victims' money carries those first (per
  the rule); the seed victim is then attributed only the rest and the difference is untraced.

Engines: the sweep runs compiled with numba (:mod:`fanzha.intercept._kernel`) for
``taint_first``/``fifo``/``lifo``; ``proportional`` and ``engine="python"`` use the pure-Python
:class:`_Sweep`, which is the reference the property tests compare the compiled sweep against.
"""

from __future__ import annotations

import heapq
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

CASH_OUT_CHANNELS = ("atm", "counter", "merchant")
DEFAULT_MAX_HOPS = 10
SEED_MATCH_WINDOW = timedelta(minutes=10)

# terminal codes of flow rows
FLOW_ONWARD = ""
FLOW_CASH_OUT = "cash_out"
FLOW_LEFT_DATA = "left_data"
FLOW_BEYOND_LIMIT = "beyond_hop_limit"
_TERMINALS = (FLOW_ONWARD, FLOW_CASH_OUT, FLOW_LEFT_DATA, FLOW_BEYOND_LIMIT)


class Rule(StrEnum):
    TAINT_FIRST = "taint_first"
    FIFO = "fifo"
    LIFO = "lifo"
    PROPORTIONAL = "proportional"


DEFAULT_RULE = Rule.TAINT_FIRST
_CLEAN = -1  # victim index of an owner's (clean) lot


def _time_us(col: pa.ChunkedArray | pa.Array) -> np.ndarray:
    col = col.cast(pa.timestamp("us", tz="UTC"))
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    return col.cast(pa.int64()).to_numpy(zero_copy_only=False)


def _us(when: datetime) -> int:
    if when.tzinfo is None:
        raise ValueError("time must carry a time zone")
    delta = when.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _from_us(us: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(us))


def _csr(keys: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    perm = np.argsort(keys, kind="stable")
    off = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(keys, minlength=n), out=off[1:])
    return perm, off


class TransferIndex:
    """Transfers sorted once for tracing.

    ``rank`` is a transfer's position in time order (ties keep input order). ``out_perm`` lists
    ranks grouped by payer (ascending within a payer, so it is time order), ``out_off`` the CSR
    offsets; ``in_perm``/``in_off`` the same by payee; ``out_cs``/``in_cs`` cumulative amounts
    along those lists (for an account's balance before a given time).
    """

    def __init__(
        self,
        time_us: np.ndarray,
        payer: np.ndarray,
        payee: np.ndarray,
        amount_fen: np.ndarray,
        cash_out: np.ndarray,
        accounts: Sequence[str] | pa.Array | None = None,
        event_ids: pa.Array | Sequence[str] | None = None,
        outside: np.ndarray | None = None,
    ) -> None:
        n_acc = int(max(payer.max(initial=-1), payee.max(initial=-1)) + 1)
        if accounts is not None:
            n_acc = max(n_acc, len(accounts))
        order = np.argsort(time_us, kind="stable")
        self.n = len(order)
        self.n_accounts = n_acc
        self.row = order  # rank -> input row
        self.time = np.ascontiguousarray(time_us[order], dtype=np.int64)
        self.payer = np.ascontiguousarray(payer[order], dtype=np.int64)
        self.payee = np.ascontiguousarray(payee[order], dtype=np.int64)
        self.amount = np.ascontiguousarray(amount_fen[order], dtype=np.int64)
        if (self.amount <= 0).any():
            raise ValueError("amount_fen: every transfer must move a positive amount")
        self.cash_out = np.ascontiguousarray(cash_out[order], dtype=bool)
        self.out_perm, self.out_off = _csr(self.payer, n_acc)
        self.in_perm, self.in_off = _csr(self.payee, n_acc)
        self.out_cs = np.concatenate([[0], np.cumsum(self.amount[self.out_perm])])
        self.in_cs = np.concatenate([[0], np.cumsum(self.amount[self.in_perm])])
        self.outside = (
            np.zeros(n_acc, dtype=bool) if outside is None else np.asarray(outside, dtype=bool)
        )
        self._accounts = accounts
        self._event_ids = event_ids
        self._id_lookup = None
        self._acc_lookup = None
        self._scratch: tuple[np.ndarray, ...] | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_table(
        cls, table: pa.Table, known_accounts: Iterable[str] | None = None
    ) -> TransferIndex:
        """Index an Arrow table with the columns of :class:`fanzha.domain.events.Transfer`."""
        need = ("event_id", "payer_account", "payee_account", "amount_fen", "event_time")
        missing = [c for c in need if c not in table.column_names]
        if missing:
            raise ValueError(f"transfers: missing columns {', '.join(missing)}")
        n = table.num_rows
        both = pa.chunked_array(
            table["payer_account"].cast(pa.string()).chunks
            + table["payee_account"].cast(pa.string()).chunks,
            type=pa.string(),
        )
        enc = pc.dictionary_encode(both).combine_chunks()
        codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        accounts = enc.dictionary
        if "channel" in table.column_names:
            co = pc.is_in(table["channel"].cast(pa.string()), pa.array(CASH_OUT_CHANNELS))
            cash_out = pc.fill_null(co, False).to_numpy(zero_copy_only=False)
        else:
            cash_out = np.zeros(n, dtype=bool)
        amount = table["amount_fen"].cast(pa.int64()).to_numpy()
        outside = None
        if known_accounts is not None:
            known = pc.is_in(accounts, pa.array(list(known_accounts), pa.string()))
            outside = ~known.to_numpy(zero_copy_only=False)
            outside[np.unique(codes[:n])] = False  # seen paying: inside the data
        return cls(
            _time_us(table["event_time"]),
            codes[:n],
            codes[n:],
            amount,
            cash_out,
            accounts=accounts,
            event_ids=table["event_id"].cast(pa.string()),
            outside=outside,
        )

    # -- lookups -------------------------------------------------------------------------------
    def account_name(self, idx: int) -> str:
        return str(self._accounts[idx]) if self._accounts is not None else str(idx)

    def account_names(self, idx: np.ndarray) -> pa.Array:
        if self._accounts is None:
            return pa.array(np.asarray(idx, dtype=np.int64)).cast(pa.string())
        acc = self._accounts if isinstance(self._accounts, pa.Array) else pa.array(self._accounts)
        return acc.take(pa.array(idx, pa.int64()))

    def account_id(self, name: str) -> int | None:
        if self._acc_lookup is None:
            if self._accounts is None:
                return int(name) if name.isdigit() and int(name) < self.n_accounts else None
            import pandas as pd

            acc = self._accounts
            self._acc_lookup = pd.Index(acc.to_pylist() if isinstance(acc, pa.Array) else acc)
        pos = self._acc_lookup.get_indexer([name])[0]
        return None if pos < 0 else int(pos)

    def ranks_of(self, event_ids: Sequence[str]) -> list[int | None]:
        """Rank of each event id (None if absent)."""
        if self._event_ids is None:
            return [int(e) if str(e).isdigit() and int(e) < self.n else None for e in event_ids]
        if self._id_lookup is None:
            import pandas as pd

            rank_of_row = np.empty(self.n, dtype=np.int64)
            rank_of_row[self.row] = np.arange(self.n)
            ids = self._event_ids
            ids = ids.to_pylist() if isinstance(ids, pa.Array | pa.ChunkedArray) else list(ids)
            self._id_lookup = (pd.Index(ids), rank_of_row)
        index, rank_of_row = self._id_lookup
        pos = index.get_indexer(list(event_ids))
        return [None if p < 0 else int(rank_of_row[p]) for p in pos]

    def event_id(self, rank: int) -> str:
        row = int(self.row[rank])
        if self._event_ids is None:
            return str(row)
        return str(self._event_ids[row])

    def event_id_array(self, ranks: np.ndarray) -> pa.Array:
        rows = self.row[ranks]
        if self._event_ids is None:
            return pa.array(rows.astype(np.int64)).cast(pa.string())
        ids = self._event_ids
        if not isinstance(ids, pa.Array | pa.ChunkedArray):
            ids = pa.array(list(ids), pa.string())
        return ids.take(pa.array(rows, pa.int64()))

    def run_compiled(
        self,
        seed_ranks: dict[int, int],
        deposits: list[tuple[int, int, int, int, int]],
        rule: Rule,
        max_hops: int,
        n_victims: int,
    ) -> tuple[np.ndarray, ...]:
        """Run the numba sweep (per-account scratch arrays are kept between calls)."""
        from fanzha.intercept import _kernel

        code = {
            Rule.TAINT_FIRST: _kernel.R_TAINT_FIRST,
            Rule.FIFO: _kernel.R_FIFO,
            Rule.LIFO: _kernel.R_LIFO,
        }[rule]
        seeds = sorted(seed_ranks.items())
        seed_r = np.array([r for r, _ in seeds], dtype=np.int64)
        seed_v = np.array([v for _, v in seeds], dtype=np.int64)
        dep = np.array(deposits, dtype=np.int64).reshape(-1, 5)
        with self._lock:
            if self._scratch is None:
                n = self.n_accounts
                self._scratch = (
                    np.full(n, -1, dtype=np.int64),  # head
                    np.full(n, -1, dtype=np.int64),  # tail
                    np.zeros(n, dtype=np.int64),  # tainted
                    np.full(n, -1, dtype=np.int64),  # out cursor
                    np.full(n, -1, dtype=np.int64),  # in cursor
                    np.zeros(n, dtype=np.int64),  # last tainted arrival
                    np.zeros(n, dtype=np.bool_),  # active
                )
            return _kernel.sweep(
                self.time, self.payer, self.payee, self.amount, self.cash_out, self.outside,
                self.out_perm, self.out_off, self.in_perm, self.in_off, self.out_cs, self.in_cs,
                seed_r, seed_v,
                np.ascontiguousarray(dep[:, 0]), np.ascontiguousarray(dep[:, 1]),
                np.ascontiguousarray(dep[:, 2]), np.ascontiguousarray(dep[:, 3]),
                np.ascontiguousarray(dep[:, 4]),
                code, max_hops, n_victims, *self._scratch,
            )  # fmt: skip

    def match_transfer(self, payee: str, amount_fen: int, when: datetime) -> int | None:
        """The transfer into ``payee`` of exactly ``amount_fen`` closest to ``when`` (±10 min)."""
        b = self.account_id(payee)
        if b is None:
            return None
        ranks = self.in_perm[self.in_off[b] : self.in_off[b + 1]]
        hit = ranks[self.amount[ranks] == amount_fen]
        if len(hit) == 0:
            return None
        gap = np.abs(self.time[hit] - _us(when))
        best = int(np.argmin(gap))
        if gap[best] > SEED_MATCH_WINDOW.total_seconds() * 1_000_000:
            return None
        return int(hit[best])


@dataclass(frozen=True)
class Seed:
    """Where a victim's money entered: a transfer event id, or (first-hop account, amount, time)."""

    victim_id: str
    event_id: str | None = None
    account: str | None = None
    amount_fen: int | None = None
    time: datetime | None = None


class TraceResult:
    """Output of :func:`trace`.

    ``flows``: 涉案资金流向表 — one row per (transfer, victim, hop): hop, from_account, to_account,
    event_time, event_id, victim_id, amount_fen, terminal ("" onward, cash_out, left_data,
    beyond_hop_limit). ``holdings``: where victims' money still sits (account, victim_id,
    amount_fen, min_hop, last_in_time). ``victims``: per-victim totals in fen. The two big
    tables are built from the sweep's arrays on first access.
    """

    def __init__(
        self,
        victims: pa.Table,
        rule: Rule,
        max_hops: int,
        unmatched_seeds: list[Seed],
        build_flows: Callable[[], pa.Table],
        build_holdings: Callable[[], pa.Table],
    ) -> None:
        self.victims = victims
        self.rule = rule
        self.max_hops = max_hops
        self.unmatched_seeds = unmatched_seeds
        self._build_flows = build_flows
        self._build_holdings = build_holdings

    @cached_property
    def flows(self) -> pa.Table:
        return self._build_flows()

    @cached_property
    def holdings(self) -> pa.Table:
        return self._build_holdings()

    def totals(self) -> dict[str, int]:
        out = {}
        for name in ("seeded", "held", "cashed_out", "left_data", "untraced"):
            out[name] = int(pc.sum(self.victims[name]).as_py() or 0)
        return out

    def freeze_candidates(self) -> pa.Table:
        """Holdings per account (all victims together), largest first."""
        if self.holdings.num_rows == 0:
            return pa.table(
                {
                    "account": pa.array([], pa.string()),
                    "amount_fen": pa.array([], pa.int64()),
                    "victims": pa.array([], pa.int64()),
                    "min_hop": pa.array([], pa.int64()),
                    "last_in_time": pa.array([], pa.timestamp("us", tz="UTC")),
                }
            )
        g = self.holdings.group_by("account").aggregate(
            [
                ("amount_fen", "sum"),
                ("victim_id", "count"),
                ("min_hop", "min"),
                ("last_in_time", "max"),
            ]
        )
        g = g.rename_columns(["account", "amount_fen", "victims", "min_hop", "last_in_time"])
        return g.sort_by([("amount_fen", "descending"), ("account", "ascending")])

    def per_hop(self) -> pa.Table:
        """Fen arriving at each hop level, and fen still held at accounts of each level."""
        arrived = self.flows.group_by("hop").aggregate([("amount_fen", "sum")])
        held = self.holdings.group_by("min_hop").aggregate([("amount_fen", "sum")])
        a = dict(
            zip(arrived["hop"].to_pylist(), arrived["amount_fen_sum"].to_pylist(), strict=True)
        )
        h = dict(zip(held["min_hop"].to_pylist(), held["amount_fen_sum"].to_pylist(), strict=True))
        hops = sorted(set(a) | set(h))
        return pa.table(
            {
                "hop": pa.array(hops, pa.int64()),
                "arrived_fen": pa.array([int(a.get(k, 0)) for k in hops], pa.int64()),
                "held_fen": pa.array([int(h.get(k, 0)) for k in hops], pa.int64()),
            }
        )


def split_largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` fen in proportion to integer ``weights`` without creating or losing a fen.

    Each share is floored; the leftover fen go one each to the largest remainders, ties to the
    earlier weight. Requires ``0 <= total`` and ``sum(weights) > 0``.
    """
    w_sum = sum(weights)
    if w_sum <= 0:
        raise ValueError("weights must sum to a positive number")
    if total < 0:
        raise ValueError("total must not be negative")
    shares = []
    rems = []
    for i, w in enumerate(weights):
        q, r = divmod(total * w, w_sum)
        shares.append(q)
        rems.append((-r, i))
    left = total - sum(shares)
    if left:
        for _, i in sorted(rems)[:left]:
            shares[i] += 1
    return shares


class _Sweep:
    """State of one trace: per-account lots and the cursors of active accounts."""

    def __init__(self, ix: TransferIndex, rule: Rule, max_hops: int, n_victims: int) -> None:
        self.ix = ix
        self.rule = rule
        self.max_hops = max_hops
        self.clean = rule is not Rule.TAINT_FIRST
        self.lots: dict[int, deque] = {}  # account -> deque of [victim, hop, fen]
        self.tainted: dict[int, int] = {}  # account -> tainted fen held
        self.last_in: dict[int, int] = {}  # account -> rank/key of last tainted deposit
        self.out_cur: dict[int, int] = {}
        self.in_cur: dict[int, int] = {}
        self.heap: list[tuple[int, int, int, int]] = []
        self.cashed = [0] * n_victims
        self.left = [0] * n_victims
        self.untraced = [0] * n_victims
        # flow rows: rank (-1 for a direct deposit: seed index in `acct`), victim, hop, fen, terminal
        self.f_rank: list[int] = []
        self.f_victim: list[int] = []
        self.f_hop: list[int] = []
        self.f_fen: list[int] = []
        self.f_term: list[int] = []
        self.f_to: list[int] = []

    # -- cursors -------------------------------------------------------------------------------
    def _activate(self, acct: int, rank: int) -> None:
        """``acct`` receives victims' money at sweep position ``rank`` (its own transfer rank,
        or for a direct deposit the first rank not before it minus one half, passed as -(b+1))."""
        ix = self.ix
        lo, hi = int(ix.out_off[acct]), int(ix.out_off[acct + 1])
        lots: deque = deque()
        self.lots[acct] = lots
        self.tainted[acct] = 0
        if rank >= 0:
            p_out = lo + int(np.searchsorted(ix.out_perm[lo:hi], rank, side="right"))
        else:
            p_out = lo + int(np.searchsorted(ix.out_perm[lo:hi], -rank - 1, side="left"))
        if p_out < hi:
            self.out_cur[acct] = p_out
            heapq.heappush(self.heap, (2 * int(ix.out_perm[p_out]) + 1, 1, p_out, acct))
        if not self.clean:
            return
        ilo, ihi = int(ix.in_off[acct]), int(ix.in_off[acct + 1])
        if rank >= 0:
            p_in_lt = ilo + int(np.searchsorted(ix.in_perm[ilo:ihi], rank, side="left"))
            p_in = p_in_lt + (1 if p_in_lt < ihi and int(ix.in_perm[p_in_lt]) == rank else 0)
            p_out_lt = lo + int(np.searchsorted(ix.out_perm[lo:hi], rank, side="left"))
        else:
            p_in = p_in_lt = ilo + int(np.searchsorted(ix.in_perm[ilo:ihi], -rank - 1, "left"))
            p_out_lt = p_out
        balance = int(ix.in_cs[p_in_lt] - ix.in_cs[ilo]) - int(ix.out_cs[p_out_lt] - ix.out_cs[lo])
        if balance > 0:
            lots.append([_CLEAN, 0, balance])
        if p_in < ihi:
            self.in_cur[acct] = p_in
            heapq.heappush(self.heap, (2 * int(ix.in_perm[p_in]) + 1, 2, p_in, acct))

    def _deactivate(self, acct: int) -> None:
        del self.lots[acct]
        del self.tainted[acct]
        self.out_cur.pop(acct, None)
        self.in_cur.pop(acct, None)

    # -- money movement ------------------------------------------------------------------------
    def _withdraw(self, acct: int, amount: int) -> list[list[int]]:
        """Take ``amount`` fen out of ``acct`` per the rule; return the victims' parts taken."""
        lots = self.lots[acct]
        taken: list[list[int]] = []
        rule = self.rule
        if rule is Rule.PROPORTIONAL:
            total = 0
            for lot in lots:
                total += lot[2]
            if amount >= total:
                taken = [lot for lot in lots if lot[0] != _CLEAN]
                lots.clear()
            else:
                shares = split_largest_remainder(amount, [lot[2] for lot in lots])
                keep: deque = deque()
                for lot, s in zip(lots, shares, strict=True):
                    if s and lot[0] != _CLEAN:
                        taken.append([lot[0], lot[1], s])
                    if lot[2] > s:
                        lot[2] -= s
                        keep.append(lot)
                self.lots[acct] = keep
        else:
            pop = lots.pop if rule is Rule.LIFO else lots.popleft
            need = amount
            while need > 0 and lots:
                lot = lots[-1] if rule is Rule.LIFO else lots[0]
                if lot[2] <= need:
                    pop()
                    need -= lot[2]
                    if lot[0] != _CLEAN:
                        taken.append(lot)
                else:
                    lot[2] -= need
                    if lot[0] != _CLEAN:
                        taken.append([lot[0], lot[1], need])
                    need = 0
        got = 0
        for t in taken:
            got += t[2]
        self.tainted[acct] -= got
        return taken

    def _deposit(
        self, acct: int, rank: int, parts: list[list[int]], clean_fen: int, when_us: int
    ) -> None:
        """Victims' ``parts`` (victim, hop, fen) and ``clean_fen`` arrive in ``acct``."""
        got = 0
        for p in parts:
            got += p[2]
        if acct not in self.lots:
            if got == 0:
                return
            self._activate(acct, rank)
        lots = self.lots[acct]
        if self.clean and clean_fen > 0:
            lots.append([_CLEAN, 0, clean_fen])
        for p in parts:
            lots.append(list(p))
        self.tainted[acct] += got
        if got:
            self.last_in[acct] = when_us

    def _record(self, rank: int, victim: int, hop: int, fen: int, term: int, to: int) -> None:
        self.f_rank.append(rank)
        self.f_victim.append(victim)
        self.f_hop.append(hop)
        self.f_fen.append(fen)
        self.f_term.append(term)
        self.f_to.append(to)

    def process(self, r: int, seed_victim: int | None) -> None:
        ix = self.ix
        a = int(ix.payer[r])
        b = int(ix.payee[r])
        amount = int(ix.amount[r])
        taken: list[list[int]] = []
        if a in self.lots:
            taken = self._withdraw(a, amount)
            if self.tainted[a] == 0:
                self._deactivate(a)
        cash = bool(ix.cash_out[r])
        out = bool(ix.outside[b])
        carried: list[list[int]] = []
        carried_fen = 0
        max_hops = self.max_hops
        for v, hop, fen in taken:
            nh = hop + 1
            if cash:
                self.cashed[v] += fen
                self._record(r, v, nh, fen, 1, b)
            elif out:
                self.left[v] += fen
                self._record(r, v, nh, fen, 2, b)
            elif hop >= max_hops:
                self.untraced[v] += fen
                self._record(r, v, nh, fen, 3, b)
            else:
                carried.append([v, nh, fen])
                carried_fen += fen
                self._record(r, v, nh, fen, 0, b)
        if seed_victim is not None:
            taken_fen = sum(t[2] for t in taken)
            self.untraced[seed_victim] += taken_fen
            fen = amount - taken_fen
            if fen > 0:
                if cash:
                    self.cashed[seed_victim] += fen
                    self._record(r, seed_victim, 1, fen, 1, b)
                elif out:
                    self.left[seed_victim] += fen
                    self._record(r, seed_victim, 1, fen, 2, b)
                else:
                    carried.append([seed_victim, 1, fen])
                    carried_fen += fen
                    self._record(r, seed_victim, 1, fen, 0, b)
        if not cash and not out:
            self._deposit(b, r, carried, amount - carried_fen, int(ix.time[r]))

    def deposit_seed(self, s: int, victim: int, acct: int, b: int, fen: int, when: int) -> None:
        ix = self.ix
        if bool(ix.outside[acct]):
            self.left[victim] += fen
            self._record(-1, victim, 1, fen, 2, acct)
            self.f_rank[-1] = -(s + 1)
            return
        self._record(-1, victim, 1, fen, 0, acct)
        self.f_rank[-1] = -(s + 1)
        self._deposit(acct, -(b + 1), [[victim, 1, fen]], 0, when)

    def run(
        self, seed_ranks: dict[int, int], deposits: list[tuple[int, int, int, int, int]]
    ) -> None:
        heap = self.heap
        ix = self.ix
        for r in seed_ranks:
            heap.append((2 * r + 1, 3, r, -1))
        for s, dep in enumerate(deposits):
            heap.append((2 * dep[0], 0, s, dep[1]))
        heapq.heapify(heap)
        last = -1
        out_cur, in_cur = self.out_cur, self.in_cur
        out_perm, in_perm = ix.out_perm, ix.in_perm
        out_off, in_off = ix.out_off, ix.in_off
        while heap:
            key, typ, p, acct = heapq.heappop(heap)
            if typ == 0:
                b, victim, account, fen, when = deposits[p]
                self.deposit_seed(p, victim, account, b, fen, when)
                continue
            if typ == 1:
                if out_cur.get(acct) != p:
                    continue
                r = int(out_perm[p])
            elif typ == 2:
                if in_cur.get(acct) != p:
                    continue
                r = int(in_perm[p])
            else:
                r = p
            if r != last:
                last = r
                self.process(r, seed_ranks.get(r))
            if typ == 1:
                if out_cur.get(acct) == p:
                    p += 1
                    if p < out_off[acct + 1]:
                        out_cur[acct] = p
                        heapq.heappush(heap, (2 * int(out_perm[p]) + 1, 1, p, acct))
                    else:
                        del out_cur[acct]
            elif typ == 2 and in_cur.get(acct) == p:
                p += 1
                if p < in_off[acct + 1]:
                    in_cur[acct] = p
                    heapq.heappush(heap, (2 * int(in_perm[p]) + 1, 2, p, acct))
                else:
                    del in_cur[acct]


def trace(
    index: TransferIndex,
    seeds: Sequence[Seed],
    rule: Rule | str = DEFAULT_RULE,
    max_hops: int = DEFAULT_MAX_HOPS,
    engine: str = "auto",
) -> TraceResult:
    """Trace every victim's money in one time-ordered sweep (victims mix freely).

    ``engine``: ``"compiled"`` (numba; not for the proportional rule), ``"python"`` (the
    reference implementation), or ``"auto"`` (compiled whenever the rule allows)."""
    rule = Rule(rule)
    if engine not in ("auto", "compiled", "python"):
        raise ValueError(f"unknown engine {engine!r}")
    if engine == "compiled" and rule is Rule.PROPORTIONAL:
        raise ValueError("the proportional rule runs on the python engine only")
    if max_hops < 1:
        raise ValueError("max_hops must be at least 1")
    victim_ids: list[str] = []
    vpos: dict[str, int] = {}
    for s in seeds:
        if s.victim_id not in vpos:
            vpos[s.victim_id] = len(victim_ids)
            victim_ids.append(s.victim_id)
    seeded = [0] * len(victim_ids)
    seed_ranks: dict[int, int] = {}
    deposits: list[tuple[int, int, int, int, int]] = []
    unmatched: list[Seed] = []
    by_id = [s for s in seeds if s.event_id is not None]
    ranks = index.ranks_of([s.event_id for s in by_id]) if by_id else []
    for s, r in zip(by_id, ranks, strict=True):
        if r is None:
            unmatched.append(s)
            continue
        if r in seed_ranks and seed_ranks[r] != vpos[s.victim_id]:
            raise ValueError(f"transfer {s.event_id} is claimed by two victims")
        if r in seed_ranks:
            continue
        seed_ranks[r] = vpos[s.victim_id]
        seeded[vpos[s.victim_id]] += int(index.amount[r])
    outside_data = [0] * len(victim_ids)
    for s in seeds:
        if s.event_id is not None:
            continue
        if s.account is None or s.amount_fen is None or s.time is None:
            raise ValueError("a seed needs an event_id or (account, amount_fen, time)")
        if s.amount_fen <= 0:
            raise ValueError("seed amount_fen must be positive")
        v = vpos[s.victim_id]
        seeded[v] += s.amount_fen
        r = index.match_transfer(s.account, s.amount_fen, s.time)
        if r is not None and r not in seed_ranks:
            seed_ranks[r] = v
            continue
        acct = index.account_id(s.account)
        if acct is None:
            # paid into an account the data does not cover: it left the data at once
            unmatched.append(s)
            outside_data[v] += s.amount_fen
            continue
        when = _us(s.time)
        b = int(np.searchsorted(index.time, when, side="left"))
        deposits.append((b, v, acct, s.amount_fen, when))

    n_v = len(victim_ids)
    if engine == "python" or rule is Rule.PROPORTIONAL:
        sweep = _Sweep(index, rule, max_hops, n_v)
        sweep.run(seed_ranks, deposits)
        flows = (
            np.array(
                [sweep.f_rank, sweep.f_victim, sweep.f_hop, sweep.f_fen, sweep.f_term, sweep.f_to],
                dtype=np.int64,
            )
            .reshape(6, -1)
            .T
        )
        hold = [
            (acct, v, fen, hop, sweep.last_in.get(acct, 0))
            for acct, lots in sweep.lots.items()
            for v, hop, fen in lots
            if v != _CLEAN and fen > 0
        ]
        hold_arr = np.array(hold, dtype=np.int64).reshape(-1, 5)
        cashed = np.array(sweep.cashed, dtype=np.int64)
        left = np.array(sweep.left, dtype=np.int64)
        untraced = np.array(sweep.untraced, dtype=np.int64)
    else:
        flows, hold_arr, cashed, left, untraced = index.run_compiled(
            seed_ranks, deposits, rule, max_hops, n_v
        )
    left = left + np.array(outside_data, dtype=np.int64)
    return _result(
        index, flows, hold_arr, cashed, left, untraced, victim_ids, seeded, deposits,
        unmatched, rule, max_hops,
    )  # fmt: skip


def _group(keys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Sort order over ``keys`` (first key most significant) and the start of each group."""
    n = len(keys[0])
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    order = np.lexsort(keys[::-1])
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for k in keys:
        ks = k[order]
        change[1:] |= ks[1:] != ks[:-1]
    return order, np.flatnonzero(change)


def _result(
    ix: TransferIndex,
    flow_rows: np.ndarray,
    hold_rows: np.ndarray,
    cashed: np.ndarray,
    left: np.ndarray,
    untraced: np.ndarray,
    victim_ids: list[str],
    seeded: list[int],
    deposits: list[tuple[int, int, int, int, int]],
    unmatched: list[Seed],
    rule: Rule,
    max_hops: int,
) -> TraceResult:
    vid = pa.array(victim_ids, pa.string())
    held = np.zeros(len(victim_ids), dtype=np.int64)
    np.add.at(held, hold_rows[:, 1], hold_rows[:, 2])
    victims = pa.table(
        {
            "victim_id": vid,
            "seeded": pa.array(seeded, pa.int64()),
            "held": pa.array(held, pa.int64()),
            "cashed_out": pa.array(cashed, pa.int64()),
            "left_data": pa.array(left, pa.int64()),
            "untraced": pa.array(untraced, pa.int64()),
        }
    )
    return TraceResult(
        victims,
        rule,
        max_hops,
        unmatched,
        lambda: _flows_table(ix, flow_rows, deposits, vid),
        lambda: _holdings_table(ix, hold_rows, vid),
    )


def _flows_table(
    ix: TransferIndex,
    flow_rows: np.ndarray,
    deposits: list[tuple[int, int, int, int, int]],
    vid: pa.Array,
) -> pa.Table:
    ts = pa.timestamp("us", tz="UTC")
    # flows, summed per (rank, hop, victim, terminal, to); sorted by rank (time), hop, victim
    cols = [flow_rows[:, c] for c in (0, 2, 1, 4, 5)]
    order, starts = _group(cols)
    fen = np.add.reduceat(flow_rows[order, 3], starts) if len(starts) else np.zeros(0, np.int64)
    first = order[starts]
    rank, hop, victim, term, to = (c[first] for c in cols)
    is_tr = rank >= 0
    safe = np.where(is_tr, rank, 0)
    dep_time = np.asarray([d[4] for d in deposits] + [0], dtype=np.int64)
    dep_idx = np.where(is_tr, 0, -rank - 1)
    time_us = np.where(is_tr, ix.time[safe] if ix.n else 0, dep_time[dep_idx])
    n_rows = len(rank)
    no_str = pa.nulls(n_rows, pa.string())
    mask = pa.array(~is_tr)
    from_acc = ix.account_names(ix.payer[safe]) if ix.n else no_str
    ev = ix.event_id_array(safe) if ix.n else no_str
    if n_rows and not is_tr.all():
        from_acc = pc.if_else(mask, no_str, from_acc)
        ev = pc.if_else(mask, no_str, ev)
    return pa.table(
        {
            "hop": pa.array(hop, pa.int64()),
            "from_account": from_acc,
            "to_account": ix.account_names(to),
            "event_time": pa.array(time_us, pa.int64()).cast(ts),
            "event_id": ev,
            "victim_id": vid.take(pa.array(victim, pa.int64())),
            "amount_fen": pa.array(fen, pa.int64()),
            "terminal": pa.array(_TERMINALS, pa.string()).take(pa.array(term, pa.int64())),
        }
    )


def _holdings_table(ix: TransferIndex, hold_rows: np.ndarray, vid: pa.Array) -> pa.Table:
    """Holdings per (account, victim): fen summed, the lowest hop, the last tainted arrival."""
    ts = pa.timestamp("us", tz="UTC")
    order, starts = _group([hold_rows[:, 0], hold_rows[:, 1]])
    if len(starts):
        h_fen = np.add.reduceat(hold_rows[order, 2], starts)
        h_hop = np.minimum.reduceat(hold_rows[order, 3], starts)
        h_last = np.maximum.reduceat(hold_rows[order, 4], starts)
    else:
        h_fen = h_hop = h_last = np.zeros(0, dtype=np.int64)
    h_acc = hold_rows[order[starts], 0]
    h_vic = hold_rows[order[starts], 1]
    holdings = pa.table(
        {
            "account": ix.account_names(h_acc),
            "victim_id": vid.take(pa.array(h_vic, pa.int64())),
            "amount_fen": pa.array(h_fen, pa.int64()),
            "min_hop": pa.array(h_hop, pa.int64()),
            "last_in_time": pa.array(h_last, pa.int64()).cast(ts),
        }
    )
    if holdings.num_rows > 1:
        holdings = holdings.sort_by([("account", "ascending"), ("victim_id", "ascending")])
    return holdings
