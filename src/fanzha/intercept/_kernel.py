"""The tracing sweep compiled with numba (rules taint_first, fifo, lifo).

Same algorithm and results as :class:`fanzha.intercept.tracing._Sweep` (the pure-Python engine,
kept as the reference and used for the proportional rule, whose exact fen split needs integers
wider than 64 bits). Lots live in a pool of rows ``[victim, hop, fen, next, prev]`` forming one
doubly linked list per account; the event heap has rows ``[key, type, position, account]``.
Per-account scratch arrays are owned by the index and reset after every call (only the accounts
a trace touched), so a trace costs what it touches, not the size of the graph.
"""

from __future__ import annotations

import numpy as np
from numba import njit

CLEAN = -1
R_TAINT_FIRST = 0
R_FIFO = 1
R_LIFO = 2


@njit(cache=True)
def _grow(a: np.ndarray) -> np.ndarray:
    b = np.empty((a.shape[0] * 2, a.shape[1]), dtype=a.dtype)
    b[: a.shape[0]] = a
    return b


@njit(cache=True)
def _less(h: np.ndarray, i: int, j: int) -> bool:
    for c in range(3):
        if h[i, c] != h[j, c]:
            return h[i, c] < h[j, c]
    return False


@njit(cache=True)
def _push(h: np.ndarray, n: int, key: int, typ: int, p: int, acct: int) -> np.ndarray:
    if n == h.shape[0]:
        h = _grow(h)
    h[n, 0] = key
    h[n, 1] = typ
    h[n, 2] = p
    h[n, 3] = acct
    i = n
    while i > 0:
        parent = (i - 1) // 2
        if _less(h, i, parent):
            for c in range(4):
                t = h[i, c]
                h[i, c] = h[parent, c]
                h[parent, c] = t
            i = parent
        else:
            break
    return h


@njit(cache=True)
def _pop(h: np.ndarray, n: int) -> None:
    """Move the last row to the top and sift down (caller read row 0 and passes the old size)."""
    n -= 1
    for c in range(4):
        h[0, c] = h[n, c]
    i = 0
    while True:
        lft = 2 * i + 1
        rgt = lft + 1
        m = i
        if lft < n and _less(h, lft, m):
            m = lft
        if rgt < n and _less(h, rgt, m):
            m = rgt
        if m == i:
            break
        for c in range(4):
            t = h[i, c]
            h[i, c] = h[m, c]
            h[m, c] = t
        i = m


@njit(cache=True)
def sweep(
    time, payer, payee, amount, cash_out, outside,
    out_perm, out_off, in_perm, in_off, out_cs, in_cs,
    seed_r, seed_v, dep_b, dep_v, dep_acct, dep_fen, dep_time,
    rule, max_hops, n_victims,
    head, tail, tainted, out_cur, in_cur, last_in, active,
):  # fmt: skip  # noqa: ANN001, ANN201, PLR0913
    clean = rule != R_TAINT_FIRST
    lots = np.empty((1024, 5), dtype=np.int64)
    n_lots = 0
    free = -1
    heap = np.empty((1024, 4), dtype=np.int64)
    n_heap = 0
    flows = np.empty((1024, 6), dtype=np.int64)
    n_flows = 0
    taken = np.empty((64, 3), dtype=np.int64)
    touched = np.empty(256, dtype=np.int64)
    n_touched = 0
    cashed = np.zeros(n_victims, dtype=np.int64)
    left = np.zeros(n_victims, dtype=np.int64)
    untraced = np.zeros(n_victims, dtype=np.int64)

    for i in range(seed_r.shape[0]):
        heap = _push(heap, n_heap, 2 * seed_r[i] + 1, 3, seed_r[i], -1)
        n_heap += 1
    for i in range(dep_b.shape[0]):
        heap = _push(heap, n_heap, 2 * dep_b[i], 0, i, dep_v[i])
        n_heap += 1

    last = -1
    while n_heap > 0:
        typ = heap[0, 1]
        p = heap[0, 2]
        acct = heap[0, 3]
        _pop(heap, n_heap)
        n_heap -= 1
        r = -1
        b = -1
        got = 0
        n_taken = 0
        deposit_rank = 0
        deposit_time = 0
        clean_fen = 0
        skip_withdraw = False
        if typ == 1:
            if out_cur[acct] != p:
                continue
            r = out_perm[p]
        elif typ == 2:
            if in_cur[acct] != p:
                continue
            r = in_perm[p]
        elif typ == 3:
            r = p

        # ---- what arrives: (victim, hop, fen) parts -> into `taken` rows, then deposit ----
        if typ == 0:
            b = dep_acct[p]
            victim = dep_v[p]
            fen = dep_fen[p]
            if n_flows == flows.shape[0]:
                flows = _grow(flows)
            flows[n_flows, 0] = -(p + 1)
            flows[n_flows, 1] = victim
            flows[n_flows, 2] = 1
            flows[n_flows, 3] = fen
            flows[n_flows, 4] = 2 if outside[b] else 0
            flows[n_flows, 5] = b
            n_flows += 1
            if outside[b]:
                left[victim] += fen
                continue
            n_taken = 1
            taken[0, 0] = victim
            taken[0, 1] = 0  # hop before arrival: arrives as hop 1
            taken[0, 2] = fen
            deposit_rank = -(dep_b[p] + 1)
            deposit_time = dep_time[p]
            clean_fen = 0
            got = fen
            skip_withdraw = True
        else:
            skip_withdraw = False
        if not skip_withdraw:
            if r == last:
                # already processed through the other cursor: just advance this one
                pass
            else:
                last = r
                a = payer[r]
                b = payee[r]
                amt = amount[r]
                n_taken = 0
                if active[a]:
                    need = amt
                    while need > 0 and head[a] != -1:
                        lot = tail[a] if rule == R_LIFO else head[a]
                        v = lots[lot, 0]
                        k = lots[lot, 2] if lots[lot, 2] < need else need
                        lots[lot, 2] -= k
                        need -= k
                        if v != CLEAN:
                            if n_taken == taken.shape[0]:
                                taken = _grow(taken)
                            taken[n_taken, 0] = v
                            taken[n_taken, 1] = lots[lot, 1]
                            taken[n_taken, 2] = k
                            n_taken += 1
                            tainted[a] -= k
                        if lots[lot, 2] == 0:
                            nx = lots[lot, 3]
                            pv = lots[lot, 4]
                            if pv != -1:
                                lots[pv, 3] = nx
                            else:
                                head[a] = nx
                            if nx != -1:
                                lots[nx, 4] = pv
                            else:
                                tail[a] = pv
                            lots[lot, 3] = free
                            free = lot
                    if tainted[a] == 0:
                        lot = head[a]
                        while lot != -1:
                            nx = lots[lot, 3]
                            lots[lot, 3] = free
                            free = lot
                            lot = nx
                        head[a] = -1
                        tail[a] = -1
                        active[a] = False
                        out_cur[a] = -1
                        in_cur[a] = -1
                is_cash = cash_out[r]
                is_out = outside[b]
                # seed transfer: which victim does it belong to?
                seed_victim = -1
                if seed_r.shape[0] > 0:
                    j = np.searchsorted(seed_r, r)
                    if j < seed_r.shape[0] and seed_r[j] == r:
                        seed_victim = seed_v[j]
                got = 0
                n_keep = 0
                taken_fen = 0
                for t in range(n_taken):
                    v = taken[t, 0]
                    hop = taken[t, 1]
                    k = taken[t, 2]
                    taken_fen += k
                    term = 0
                    if is_cash:
                        cashed[v] += k
                        term = 1
                    elif is_out:
                        left[v] += k
                        term = 2
                    elif hop >= max_hops:
                        untraced[v] += k
                        term = 3
                    if n_flows == flows.shape[0]:
                        flows = _grow(flows)
                    flows[n_flows, 0] = r
                    flows[n_flows, 1] = v
                    flows[n_flows, 2] = hop + 1
                    flows[n_flows, 3] = k
                    flows[n_flows, 4] = term
                    flows[n_flows, 5] = b
                    n_flows += 1
                    if term == 0:
                        taken[n_keep, 0] = v
                        taken[n_keep, 1] = hop
                        taken[n_keep, 2] = k
                        n_keep += 1
                        got += k
                if seed_victim >= 0:
                    untraced[seed_victim] += taken_fen
                    fen = amt - taken_fen
                    if fen > 0:
                        term = 1 if is_cash else (2 if is_out else 0)
                        if is_cash:
                            cashed[seed_victim] += fen
                        elif is_out:
                            left[seed_victim] += fen
                        if n_flows == flows.shape[0]:
                            flows = _grow(flows)
                        flows[n_flows, 0] = r
                        flows[n_flows, 1] = seed_victim
                        flows[n_flows, 2] = 1
                        flows[n_flows, 3] = fen
                        flows[n_flows, 4] = term
                        flows[n_flows, 5] = b
                        n_flows += 1
                        if term == 0:
                            if n_keep == taken.shape[0]:
                                taken = _grow(taken)
                            taken[n_keep, 0] = seed_victim
                            taken[n_keep, 1] = 0
                            taken[n_keep, 2] = fen
                            n_keep += 1
                            got += fen
                n_taken = n_keep
                if not is_cash and not is_out:
                    deposit_rank = r
                    deposit_time = time[r]
                    clean_fen = amt - got
                    skip_withdraw = True  # reuse: "there is a deposit to make"
        if skip_withdraw:
            # ---- deposit `taken[:n_taken]` (hops +1) and clean_fen into b ----
            if not active[b] and got > 0:
                # activate b at deposit_rank
                active[b] = True
                tainted[b] = 0
                head[b] = -1
                tail[b] = -1
                if n_touched == touched.shape[0]:
                    t2 = np.empty(touched.shape[0] * 2, dtype=np.int64)
                    t2[:n_touched] = touched[:n_touched]
                    touched = t2
                touched[n_touched] = b
                n_touched += 1
                lo = out_off[b]
                hi = out_off[b + 1]
                if deposit_rank >= 0:
                    p_out = lo + np.searchsorted(out_perm[lo:hi], deposit_rank, side="right")
                else:
                    p_out = lo + np.searchsorted(out_perm[lo:hi], -deposit_rank - 1)
                if p_out < hi:
                    out_cur[b] = p_out
                    heap = _push(heap, n_heap, 2 * out_perm[p_out] + 1, 1, p_out, b)
                    n_heap += 1
                else:
                    out_cur[b] = -1
                in_cur[b] = -1
                if clean:
                    ilo = in_off[b]
                    ihi = in_off[b + 1]
                    if deposit_rank >= 0:
                        p_in_lt = ilo + np.searchsorted(in_perm[ilo:ihi], deposit_rank)
                        p_in = p_in_lt
                        if p_in_lt < ihi and in_perm[p_in_lt] == deposit_rank:
                            p_in += 1
                        p_out_lt = lo + np.searchsorted(out_perm[lo:hi], deposit_rank)
                    else:
                        p_in_lt = ilo + np.searchsorted(in_perm[ilo:ihi], -deposit_rank - 1)
                        p_in = p_in_lt
                        p_out_lt = p_out
                    bal = (in_cs[p_in_lt] - in_cs[ilo]) - (out_cs[p_out_lt] - out_cs[lo])
                    if bal > 0:
                        if free == -1:
                            if n_lots == lots.shape[0]:
                                lots = _grow(lots)
                            lot = n_lots
                            n_lots += 1
                        else:
                            lot = free
                            free = lots[free, 3]
                        lots[lot, 0] = CLEAN
                        lots[lot, 1] = 0
                        lots[lot, 2] = bal
                        lots[lot, 3] = -1
                        lots[lot, 4] = -1
                        head[b] = lot
                        tail[b] = lot
                    if p_in < ihi:
                        in_cur[b] = p_in
                        heap = _push(heap, n_heap, 2 * in_perm[p_in] + 1, 2, p_in, b)
                        n_heap += 1
            if active[b]:
                for t in range(-1, n_taken):
                    if t == -1:
                        if not clean or clean_fen <= 0:
                            continue
                        v = CLEAN
                        hop = 0
                        k = clean_fen
                    else:
                        v = taken[t, 0]
                        hop = taken[t, 1] + 1
                        k = taken[t, 2]
                    if free == -1:
                        if n_lots == lots.shape[0]:
                            lots = _grow(lots)
                        lot = n_lots
                        n_lots += 1
                    else:
                        lot = free
                        free = lots[free, 3]
                    lots[lot, 0] = v
                    lots[lot, 1] = hop
                    lots[lot, 2] = k
                    lots[lot, 3] = -1
                    lots[lot, 4] = tail[b]
                    if tail[b] != -1:
                        lots[tail[b], 3] = lot
                    else:
                        head[b] = lot
                    tail[b] = lot
                tainted[b] += got
                if got > 0:
                    last_in[b] = deposit_time
            n_taken = 0
            got = 0
        # ---- advance the cursor this entry came from ----
        if typ == 1:
            if out_cur[acct] == p:
                p += 1
                if p < out_off[acct + 1]:
                    out_cur[acct] = p
                    heap = _push(heap, n_heap, 2 * out_perm[p] + 1, 1, p, acct)
                    n_heap += 1
                else:
                    out_cur[acct] = -1
        elif typ == 2 and in_cur[acct] == p:
            p += 1
            if p < in_off[acct + 1]:
                in_cur[acct] = p
                heap = _push(heap, n_heap, 2 * in_perm[p] + 1, 2, p, acct)
                n_heap += 1
            else:
                in_cur[acct] = -1

    # ---- holdings, then reset the scratch of every account touched ----
    n_hold = 0
    for i in range(n_touched):
        a = touched[i]
        lot = head[a]
        while lot != -1:
            if lots[lot, 0] != CLEAN and lots[lot, 2] > 0:
                n_hold += 1
            lot = lots[lot, 3]
    hold = np.empty((n_hold, 5), dtype=np.int64)
    n_hold = 0
    for i in range(n_touched):
        a = touched[i]
        lot = head[a]
        while lot != -1:
            if lots[lot, 0] != CLEAN and lots[lot, 2] > 0:
                hold[n_hold, 0] = a
                hold[n_hold, 1] = lots[lot, 0]
                hold[n_hold, 2] = lots[lot, 2]
                hold[n_hold, 3] = lots[lot, 1]
                hold[n_hold, 4] = last_in[a]
                n_hold += 1
            lot = lots[lot, 3]
        head[a] = -1
        tail[a] = -1
        tainted[a] = 0
        out_cur[a] = -1
        in_cur[a] = -1
        last_in[a] = 0
        active[a] = False
    # an account touched twice (drained, then reached again) is listed twice: rows written once
    return flows[:n_flows], hold[:n_hold], cashed, left, untraced
