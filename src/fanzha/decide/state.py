"""Online state for the hot path: exposures, real-name links, payee history, amount velocity.

Everything is keyed by (a prefix of) keyed hashes, never raw identifiers.

* An **exposure** is a contact of a person (their phone number) with a risky source on another
  channel: a call or SMS from a listed number, a visit to a fraud URL, an install of a fraud app.
* A **link** ties a bank/payment account to the phone numbers of the same real-name holder, so a
  payment check on the account sees the exposures of its holder.
* **Payee history** says whether the payer has paid this payee before (only completed, i.e.
  allowed or reminded, transfers count, so a delayed transfer retried at once is still "new").
* **Velocity**: count and amount of the payer's transfer attempts in the last hour/day.

Two backends: :class:`MemoryState` (default, one process) and :class:`RedisState` (``FANZHA_REDIS_URL``;
several API workers share it). A payment check is one server-side script (by SHA: ``EVALSHA``, no
``SCRIPT EXISTS`` round trip per call) that does both registry look-ups, reads exposures, payee
history and velocity and records the attempt: a single command, a single round trip.

API workers await it on an auto-pipelined asyncio connection (``RedisState.aio``, see
:mod:`fanzha.decide.aio_redis`): concurrent checks of a worker share one write, and a payee commit
rides along with that connection's next write (ahead of that worker's later reads), or leaves within
``COMMIT_DEFER_S`` (2 ms) when the worker is idle. The synchronous path
(:meth:`RedisState.payment_read`, services called outside an event loop) sends the script through a
:class:`CommandBatch`; its payee commits are write-behind: they ride in the next payment batch of the
same process (written *before* its read), or are flushed by a background thread within
``COMMIT_FLUSH_S`` — a retry on another worker within that window sees the payee as new, i.e. errs on
the cautious side.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any, Protocol

from fanzha.decide.ids import new_id

EXPOSURE_WINDOW_S = 72 * 3600
VELOCITY_WINDOW_S = 24 * 3600
LINK_TTL_S = 400 * 24 * 3600
PAYEE_TTL_S = 400 * 24 * 3600
EXPOSURE_KINDS = ("call", "sms", "url", "app")
COMMIT_FLUSH_S = 0.05
COMMIT_DEFER_S = 0.002  # async path: longest a payee commit waits for a write to ride along with
VELOCITY_MAX = 4096  # transfers remembered per payer (in-process state)


def short(key_hash: str) -> str:
    """State keys use the first 80 bits of a keyed hash."""
    return key_hash[:20]


@dataclass(frozen=True, slots=True)
class Exposure:
    kind: str
    grade: int
    at: float  # epoch seconds


@dataclass(slots=True)
class PaymentState:
    payee_new: bool
    exposures: list[Exposure]
    count_1h: int
    count_24h: int
    amount_24h_fen: int


class OnlineState(Protocol):
    def record_exposure(self, person: str, kind: str, grade: int, at: float) -> None: ...
    def link(self, account: str, person: str) -> None: ...
    def persons_of(self, account: str) -> list[str]: ...
    def payment_read(
        self, payer: str, payee: str, persons: list[str], amount_fen: int, now: float
    ) -> PaymentState: ...
    def commit_payee(self, payer: str, payee: str) -> None: ...
    def rate_hit(self, client: str, limit: int, window_s: int, now: float) -> bool: ...
    def exposures_of(self, person: str, now: float) -> list[Exposure]: ...


class MemoryState:
    """In-process state (embedded default). Thread-safe; bounded per key.

    Held in containers the cyclic garbage collector does not have to walk: strings, and tuples of
    strings and numbers (which the collector untracks). One set or deque per payer would make every
    full collection walk millions of objects as the state grows — pauses of 100–300 ms that show
    up directly in the checks' p99.
    """

    def __init__(self, max_per_key: int = 256) -> None:
        self._lock = threading.Lock()
        self._max = max_per_key
        # person -> ((kind, grade, at), ...), newest last, at most ``max_per_key``
        self._exp: dict[str, tuple[tuple[str, int, float], ...]] = {}
        self._links: dict[str, tuple[str, ...]] = {}  # account -> persons
        self._payees: set[str] = set()  # "payer\x1fpayee"
        self._vel: dict[str, tuple[float | int, ...]] = {}  # payer -> (t1, a1, t2, a2, ...)
        self._rate: dict[str, tuple[int, int]] = {}

    def record_exposure(self, person: str, kind: str, grade: int, at: float) -> None:
        key = short(person)
        with self._lock:
            old = self._exp.get(key, ())
            self._exp[key] = (*old[-(self._max - 1) :], (kind, int(grade), float(at)))

    def link(self, account: str, person: str) -> None:
        a, p = short(account), short(person)
        with self._lock:
            old = self._links.get(a, ())
            if p not in old:
                self._links[a] = (*old, p)

    def persons_of(self, account: str) -> list[str]:
        with self._lock:
            return sorted(self._links.get(short(account), ()))

    def _exposures(self, person: str, lo: float, now: float) -> list[Exposure]:
        return [Exposure(k, g, t) for k, g, t in self._exp.get(person, ()) if lo <= t <= now]

    def exposures_of(self, person: str, now: float) -> list[Exposure]:
        with self._lock:
            return self._exposures(short(person), now - EXPOSURE_WINDOW_S, now)

    def payment_read(
        self, payer: str, payee: str, persons: list[str], amount_fen: int, now: float
    ) -> PaymentState:
        p, q = short(payer), short(payee)
        lo = now - EXPOSURE_WINDOW_S
        lo24, lo1 = now - VELOCITY_WINDOW_S, now - 3600
        with self._lock:
            people = set(self._links.get(p, ())) | {short(x) for x in persons}
            exposures = [e for person in people for e in self._exposures(person, lo, now)]
            payee_new = f"{p}\x1f{q}" not in self._payees
            vel = self._vel.get(p, ())
            c1 = c24 = a24 = 0
            start = 0
            for i in range(0, len(vel), 2):  # one pass (usually a handful of transfers)
                t = vel[i]
                if t < lo24:
                    if i == start:  # drop the stale prefix
                        start = i + 2
                    continue
                if t <= now:
                    c24 += 1
                    a24 += vel[i + 1]
                    if t >= lo1:
                        c1 += 1
            kept = vel[max(start, len(vel) - 2 * (VELOCITY_MAX - 1)) :]
            self._vel[p] = (*kept, now, int(amount_fen))
        return PaymentState(payee_new, exposures, c1, c24, int(a24))

    def commit_payee(self, payer: str, payee: str) -> None:
        with self._lock:
            self._payees.add(f"{short(payer)}\x1f{short(payee)}")

    def rate_hit(self, client: str, limit: int, window_s: int, now: float) -> bool:
        """Fixed-window counter; True when the request is within the limit."""
        slot = int(now // window_s)
        with self._lock:
            s, n = self._rate.get(client, (slot, 0))
            if s != slot:
                s, n = slot, 0
            n += 1
            self._rate[client] = (s, n)
            if len(self._rate) > 200_000:
                self._rate = {k: v for k, v in self._rate.items() if v[0] == slot}
        return n <= limit


# KEYS: 1 links(payer) 2 payees(payer) 3 velocity(payer) 4 registry bucket(payee)
#       5 registry bucket(payer)
# ARGV: 1 payee 2 amount 3 now 4 member 5 exposure-prefix 6 payee field 7 payer field
#       ('' = no registry look-up) 8.. extra person keys
# Returns {known, c1, c24, a24, exposures, payee info|nil, payer info|nil}.
_PAYMENT_LUA = """
local now = tonumber(ARGV[3])
local people = redis.call('SMEMBERS', KEYS[1])
for i = 8, #ARGV do people[#people + 1] = ARGV[i] end
local out = {}
local seen = {}
for _, person in ipairs(people) do
  if not seen[person] then
    seen[person] = true
    local xs = redis.call('ZRANGEBYSCORE', ARGV[5] .. person, now - 259200, now)
    for _, x in ipairs(xs) do out[#out + 1] = x end
  end
end
local known = redis.call('SISMEMBER', KEYS[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 86400)
local vel = redis.call('ZRANGEBYSCORE', KEYS[3], now - 86400, now)
local c1, c24, a24 = 0, 0, 0
for _, m in ipairs(vel) do
  local t, a = string.match(m, '^([^:]+):([^:]+):')
  t = tonumber(t); a = tonumber(a)
  c24 = c24 + 1; a24 = a24 + a
  if t >= now - 3600 then c1 = c1 + 1 end
end
redis.call('ZADD', KEYS[3], now, ARGV[4])
redis.call('EXPIRE', KEYS[3], 90000)
local payee_info, payer_info = false, false
if ARGV[6] ~= '' then payee_info = redis.call('HGET', KEYS[4], ARGV[6]) end
if ARGV[7] ~= '' then payer_info = redis.call('HGET', KEYS[5], ARGV[7]) end
return {known, c1, c24, a24, out, payee_info, payer_info}
"""


class CommandBatch:
    """Duck-typed stand-in for a redis-py pipeline on the hot path: commands are packed and sent
    in one write on a connection of the calling thread, replies read in order. redis-py's
    pipeline object, pool checkout and observability hooks cost ~60 µs of CPU per execute; this
    costs ~20. Like a pipeline with ``raise_on_error``, the first error reply is raised after every
    reply has been read, so the connection stays in sync."""

    __slots__ = ("_owner", "commands")

    def __init__(self, owner: RedisState) -> None:
        self._owner = owner
        self.commands: list[tuple[Any, ...]] = []

    def hget(self, key: str, field: Any) -> None:
        self.commands.append(("HGET", key, field))

    def sadd(self, key: str, *members: Any) -> None:
        self.commands.append(("SADD", key, *members))

    def expire(self, key: str, seconds: int) -> None:
        self.commands.append(("EXPIRE", key, int(seconds)))

    def evalsha(self, sha: str, numkeys: int, *keys_and_args: Any) -> None:
        self.commands.append(("EVALSHA", sha, numkeys, *keys_and_args))

    def execute(self) -> list[Any]:
        conn = self._owner._connection()
        try:
            conn.send_packed_command(conn.pack_commands(self.commands))
            out: list[Any] = []
            error: Exception | None = None
            for _ in self.commands:
                try:
                    out.append(conn.read_response())
                except Exception as exc:  # an error reply (connection errors escape below)
                    from redis.exceptions import ResponseError

                    if not isinstance(exc, ResponseError):
                        raise
                    error = error or exc
                    out.append(exc)
        except BaseException:
            self._owner._drop_connection()
            raise
        if error is not None:
            raise error
        return out


class _Collect:
    """Collects the commands :meth:`RedisState._queue_pending` would put in a pipeline."""

    def __init__(self, out: list[tuple[Any, ...]]) -> None:
        self.out = out

    def sadd(self, key: str, *members: Any) -> None:
        self.out.append(("SADD", key, *members))

    def expire(self, key: str, seconds: int) -> None:
        self.out.append(("EXPIRE", key, int(seconds)))


class RedisState:
    def __init__(self, client: Any, namespace: str = "fanzha") -> None:
        self.r = client
        self.ns = namespace
        self._local = threading.local()
        self._script = client.register_script(_PAYMENT_LUA)
        self._pending: deque[tuple[str, str]] = deque()  # (payees key, payee) not yet written
        self._flusher: threading.Thread | None = None
        self._flusher_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self.aio: Any = (
            None  # PipelinedRedis of the async hot path (see checks.check_payment_async)
        )

    def batch(self) -> CommandBatch:
        """An empty command batch for one round trip (see :class:`CommandBatch`)."""
        return CommandBatch(self)

    def _connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self.r.connection_pool.make_connection()
        return conn

    def _drop_connection(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.disconnect()

    def load_script(self) -> None:
        """(Re)load the payment script, e.g. after the server lost its script cache."""
        self.r.script_load(self._script.script)

    def _k(self, kind: str, key: str) -> str:
        return f"{self.ns}:{kind}:{key}"

    def record_exposure(self, person: str, kind: str, grade: int, at: float) -> None:
        key = self._k("x", short(person))
        member = f"{kind}|{int(grade)}|{at:.3f}|{new_id()}"
        pipe = self.r.pipeline(transaction=False)
        pipe.zadd(key, {member: at})
        pipe.zremrangebyscore(key, "-inf", at - EXPOSURE_WINDOW_S)
        pipe.expire(key, EXPOSURE_WINDOW_S + 3600)
        pipe.execute()

    def link(self, account: str, person: str) -> None:
        key = self._k("l", short(account))
        pipe = self.r.pipeline(transaction=False)
        pipe.sadd(key, short(person))
        pipe.expire(key, LINK_TTL_S)
        pipe.execute()

    def persons_of(self, account: str) -> list[str]:
        return sorted(m.decode() for m in self.r.smembers(self._k("l", short(account))))

    def exposures_of(self, person: str, now: float) -> list[Exposure]:
        raw = self.r.zrangebyscore(self._k("x", short(person)), now - EXPOSURE_WINDOW_S, now)
        return [_parse_exposure(m) for m in raw]

    def payment_command(
        self,
        payer: str,
        payee: str,
        persons: list[str],
        amount_fen: int,
        now: float,
        registry: tuple[str, bytes, str, bytes] | None = None,
    ) -> tuple[Any, ...]:
        """The ``EVALSHA`` arguments of one payment read (state, velocity update and, when
        ``registry`` = (payee bucket, payee field, payer bucket, payer field), both look-ups)."""
        p = short(payer)
        links = self._k("l", p)
        if registry is None:
            registry = (links, b"", links, b"")
        payee_bucket, payee_field, payer_bucket, payer_field = registry
        member = f"{now:.6f}:{int(amount_fen)}:{new_id()}"
        return (
            "EVALSHA", self._script.sha, 5,
            links, self._k("p", p), self._k("v", p), payee_bucket, payer_bucket,
            short(payee), int(amount_fen), f"{now:.6f}", member, f"{self.ns}:x:",
            payee_field, payer_field, *[short(x) for x in persons],
        )  # fmt: skip

    def queue_payment(
        self,
        pipe: Any,
        payer: str,
        payee: str,
        persons: list[str],
        amount_fen: int,
        now: float,
        registry: tuple[str, bytes, str, bytes] | None = None,
    ) -> None:
        """Queue pending payee commits, then the payment read; its reply is the pipeline's last."""
        self._queue_pending(pipe)
        cmd = self.payment_command(payer, payee, persons, amount_fen, now, registry)
        pipe.evalsha(*cmd[1:])

    @staticmethod
    def decode_payment(result: list[Any]) -> PaymentState:
        known, c1, c24, a24, raw = result[:5]
        return PaymentState(
            payee_new=not int(known),
            exposures=[_parse_exposure(m) for m in raw],
            count_1h=int(c1),
            count_24h=int(c24),
            amount_24h_fen=int(a24),
        )

    def payment_read(
        self, payer: str, payee: str, persons: list[str], amount_fen: int, now: float
    ) -> PaymentState:
        def build() -> Any:
            pipe = self.batch()
            self.queue_payment(pipe, payer, payee, persons, amount_fen, now)
            return pipe

        return self.decode_payment(self.execute(build)[-1])

    async def payment_read_async(
        self,
        payer: str,
        payee: str,
        persons: list[str],
        amount_fen: int,
        now: float,
        registry: tuple[str, bytes, str, bytes] | None = None,
    ) -> list[Any]:
        """The raw script reply over the worker's auto-pipelined connection (``self.aio``): the
        worker serves other requests meanwhile, and concurrent checks share one round trip."""
        from redis.exceptions import ResponseError

        aio = self.aio
        if self._pending:  # commits made on the synchronous path first
            pending = []
            self._queue_pending(_Collect(pending))
            for cmd in pending:
                await aio.call_nowait(*cmd)
        cmd = self.payment_command(payer, payee, persons, amount_fen, now, registry)
        try:
            return await aio.call(*cmd)
        except ResponseError as exc:
            if not str(exc).startswith("NOSCRIPT"):
                raise
            await aio.call("SCRIPT", "LOAD", self._script.script)
            return await aio.call(*cmd)

    async def commit_payee_async(self, payer: str, payee: str) -> None:
        """Record a completed transfer on the worker's connection (no reply awaited). It rides
        along with the worker's next command — always ahead of that worker's later reads — or
        leaves within ``COMMIT_DEFER_S`` when the worker is idle: under load that saves a write,
        a wake-up of Redis and a reply read per allowed check. Another worker sees the payee as
        known at most that much later (a retry in between is treated as a new payee: cautious)."""
        key = self._k("p", short(payer))
        cmds = (("SADD", key, short(payee)), ("EXPIRE", key, PAYEE_TTL_S))
        if not self.aio.defer(*cmds, delay=COMMIT_DEFER_S):
            for cmd in cmds:
                await self.aio.call_nowait(*cmd)

    def execute(self, build: Any) -> list[Any]:
        """Run ``build()``'s pipeline; if Redis lost the script, load it and run once more."""
        from redis.exceptions import NoScriptError

        try:
            return build().execute()
        except NoScriptError:
            self.load_script()
            return build().execute()

    def commit_payee(self, payer: str, payee: str) -> None:
        """Record a completed transfer to ``payee`` (write-behind, see the module docstring)."""
        self._pending.append((self._k("p", short(payer)), short(payee)))
        if len(self._pending) > 1000:
            self.flush()
        elif self._flusher is None:
            self._start_flusher()

    def _queue_pending(self, pipe: Any) -> int:
        n = 0
        pending = self._pending
        while pending:
            try:
                key, member = pending.popleft()
            except IndexError:
                break
            pipe.sadd(key, member)
            pipe.expire(key, PAYEE_TTL_S)
            n += 1
        return n

    def flush(self) -> None:
        """Write pending payee commits now."""
        with self._flush_lock:
            pipe = self.r.pipeline(transaction=False)
            if self._queue_pending(pipe):
                pipe.execute()

    def _start_flusher(self) -> None:
        with self._flusher_lock:
            if self._flusher is not None:
                return

            def run() -> None:
                while True:
                    time.sleep(COMMIT_FLUSH_S)
                    if self._pending:
                        try:
                            self.flush()
                        except Exception:  # noqa: BLE001 - keep flushing; next pipeline retries
                            time.sleep(1.0)

            self._flusher = threading.Thread(target=run, name="payee-commits", daemon=True)
            self._flusher.start()

    def rate_hit(self, client: str, limit: int, window_s: int, now: float) -> bool:
        key = self._k("rl", f"{client}:{int(now // window_s)}")
        pipe = self.r.pipeline(transaction=False)
        pipe.incr(key)
        pipe.expire(key, window_s + 5)
        n, _ = pipe.execute()
        return int(n) <= limit

    def clear(self) -> None:
        with self._flush_lock:
            self._pending.clear()
            cursor = 0
            while True:
                cursor, keys = self.r.scan(cursor, match=f"{self.ns}:*", count=10_000)
                if keys:
                    self.r.unlink(*keys)
                if cursor == 0:
                    break


def _parse_exposure(m: bytes | str) -> Exposure:
    s = m.decode() if isinstance(m, bytes) else m
    kind, grade, at, _ = s.split("|", 3)
    return Exposure(kind, int(grade), float(at))


def now_epoch() -> float:
    return time.time()
