"""A lean asyncio Redis connection for the check hot path: commands issued in one event-loop
iteration go out in one write (automatic micro-batching), replies are parsed by hiredis.

Why not ``redis.asyncio``: its per-command machinery (connection checkout, locks, command parsing
hooks) costs more CPU than the check itself, and every coroutine awaits its own round trip. Here a
worker serves other requests while Redis answers, and concurrent checks of one worker share a
round trip: each check awaits a future that :meth:`_Protocol.data_received` resolves in order.

One connection per event loop (a uvicorn worker has one); it is opened on first use and re-opened
after it is lost (waiting commands then fail with ``ConnectionError``), or when the server has not
answered for ``timeout`` seconds (the URL's ``socket_timeout``, default 5 s). Plain TCP or Unix sockets;
``AUTH``/``SELECT`` from the URL. TLS URLs are not supported (:func:`from_client` returns None and
the synchronous path is used).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Any

import hiredis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

log = logging.getLogger(__name__)
_pack = hiredis.pack_command


class _Protocol(asyncio.Protocol):
    def __init__(self, loop: asyncio.AbstractEventLoop, timeout: float = 5.0) -> None:
        self.loop = loop
        self.timeout = timeout
        self.transport: asyncio.Transport | None = None
        self.reader = hiredis.Reader(replyError=ResponseError)
        self.waiters: deque[asyncio.Future[Any] | None] = deque()
        self.out: list[bytes] = []
        self.flush_scheduled = False
        self.lost = False
        self.progress = 0.0  # loop time of the last reply (or of the first wait)
        self._watch: asyncio.TimerHandle | None = None
        self._deferred: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.progress = self.loop.time()
        self._watch = self.loop.call_later(min(1.0, self.timeout / 2), self._watchdog)

    def _watchdog(self) -> None:
        """A server that stops answering fails the waiting commands after ``timeout`` seconds
        (one timer per connection, not one per command)."""
        if self.lost:
            return
        if self.waiters and self.loop.time() - self.progress > self.timeout:
            log.warning("redis did not answer within %.1f s: dropping the connection", self.timeout)
            if self.transport is not None:
                self.transport.abort()
            self.connection_lost(TimeoutError(f"no reply within {self.timeout} s"))
            return
        self._watch = self.loop.call_later(min(1.0, self.timeout / 2), self._watchdog)

    def data_received(self, data: bytes) -> None:
        self.progress = self.loop.time()
        self.reader.feed(data)
        gets, waiters = self.reader.gets, self.waiters
        while True:
            reply = gets()
            if reply is False:
                return
            fut = waiters.popleft()
            if fut is None:  # fire-and-forget command
                if isinstance(reply, Exception):
                    log.warning("redis write failed: %s", reply)
            elif not fut.done():
                if isinstance(reply, Exception):
                    fut.set_exception(reply)
                else:
                    fut.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        if self._watch is not None:
            self._watch.cancel()
        if self._deferred is not None:
            self._deferred.cancel()
            self._deferred = None
        err = RedisConnectionError(f"redis connection lost: {exc or 'closed'}")
        while self.waiters:
            fut = self.waiters.popleft()
            if fut is not None and not fut.done():
                fut.set_exception(err)

    def send(self, packed: bytes, fut: asyncio.Future[Any] | None) -> None:
        if not self.waiters:
            self.progress = self.loop.time()
        self.out.append(packed)
        self.waiters.append(fut)
        if not self.flush_scheduled:
            self.flush_scheduled = True
            self.loop.call_soon(self._flush)

    def send_deferred(self, packed: bytes, delay: float) -> None:
        """Queue a fire-and-forget command without a write of its own: it leaves with the next
        command's write, or after ``delay`` seconds if none comes (one timer per connection)."""
        if not self.waiters:
            self.progress = self.loop.time()
        self.out.append(packed)
        self.waiters.append(None)
        if self._deferred is None and not self.flush_scheduled:
            self._deferred = self.loop.call_later(delay, self._flush)

    def _flush(self) -> None:
        self.flush_scheduled = False
        if self._deferred is not None:
            self._deferred.cancel()
            self._deferred = None
        out = self.out
        if not out:
            return
        data = out[0] if len(out) == 1 else b"".join(out)
        out.clear()
        if self.transport is None or self.lost:
            self.connection_lost(None)
            return
        self.transport.write(data)


class PipelinedRedis:
    """Auto-pipelining client: ``await call(*args)`` for a reply, ``call_nowait`` for writes whose
    reply nobody waits for (they still travel in order on the same connection)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 6379,
        db: int = 0,
        password: str | None = None,
        username: str | None = None,
        path: str | None = None,
        timeout: float = 5.0,
    ) -> None:
        self.host, self.port, self.db, self.path = host, port, int(db or 0), path
        self.timeout = float(timeout)
        self.password, self.username = password, username
        self._proto: _Protocol | None = None
        self._connecting: asyncio.Future[_Protocol] | None = None

    def _live(self) -> _Protocol | None:
        proto = self._proto
        if proto is None or proto.lost:
            return None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None
        return proto if proto.loop is loop else None

    async def _connect(self) -> _Protocol:
        loop = asyncio.get_running_loop()
        if self._connecting is not None and self._connecting.get_loop() is loop:
            return await asyncio.shield(self._connecting)
        fut: asyncio.Future[_Protocol] = loop.create_future()
        self._connecting = fut
        try:
            if self.path:
                _, proto = await loop.create_unix_connection(
                    lambda: _Protocol(loop, self.timeout), self.path
                )
            else:
                _, proto = await loop.create_connection(
                    lambda: _Protocol(loop, self.timeout), self.host, self.port
                )
            hello = []
            if self.password:
                auth = (self.username, self.password) if self.username else (self.password,)
                hello.append(("AUTH", *auth))
            if self.db:
                hello.append(("SELECT", self.db))
            for cmd in hello:
                f = loop.create_future()
                proto.send(_pack(cmd), f)
                await f
            self._proto = proto
            fut.set_result(proto)
            return proto
        except BaseException as exc:
            fut.set_exception(exc)
            fut.exception()  # retrieved: no "never retrieved" warning when nobody else waits
            raise
        finally:
            self._connecting = None

    async def call(self, *args: Any) -> Any:
        proto = self._live() or await self._connect()
        fut = proto.loop.create_future()
        proto.send(_pack(args), fut)
        return await fut

    async def call_nowait(self, *args: Any) -> None:
        """Queue a command without waiting for its reply (connects first if needed)."""
        proto = self._live() or await self._connect()
        proto.send(_pack(args), None)

    def defer(self, *commands: tuple[Any, ...], delay: float = 0.002) -> bool:
        """Queue fire-and-forget ``commands`` to ride along with the connection's next write (or
        leave after ``delay`` s): no write, no wake-up of Redis and no reply read of their own.
        False when there is no open connection on this loop (use :meth:`call_nowait`)."""
        proto = self._live()
        if proto is None:
            return False
        for args in commands:
            proto.send_deferred(_pack(args), delay)
        return True

    def close(self) -> None:
        proto, self._proto = self._proto, None
        if proto is not None and proto.transport is not None and not proto.lost:
            proto.transport.close()


def from_client(client: Any) -> PipelinedRedis | None:
    """The same server and database as a ``redis.Redis`` client, or None when unsupported (TLS)."""
    pool = client.connection_pool
    kw = pool.connection_kwargs
    if "ssl" in pool.connection_class.__name__.lower() or kw.get("ssl"):
        return None
    return PipelinedRedis(
        host=kw.get("host", "127.0.0.1"),
        port=int(kw.get("port", 6379)),
        db=int(kw.get("db", 0) or 0),
        password=kw.get("password"),
        username=kw.get("username"),
        path=kw.get("path"),
        timeout=float(kw.get("socket_timeout") or 5.0),
    )
