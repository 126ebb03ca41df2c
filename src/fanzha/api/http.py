"""uvicorn's httptools protocol, sending a response's head and body in one write.

uvicorn writes the status line and headers (``http.response.start``) and then the body
(``http.response.body``) with two ``transport.write`` calls: two ``send`` system calls and two TCP
segments per small JSON answer, and a client that may wake up for the head alone. On a 2-core host
shared by the API workers, Redis and the clients, those extra wake-ups are what the online checks'
tail latency is made of. Here the head is held until the body's first chunk and both leave in one
write; a head whose body does not follow in the same event-loop iteration (streaming, long polls)
still leaves on the next iteration. Everything else is uvicorn's ``HttpToolsProtocol``.

Use: ``uvicorn --http fanzha.api.http:CoalescingHttpToolsProtocol …`` (any string uvicorn's
``--http`` accepts as an import path) or ``uvicorn.run(…, http=CoalescingHttpToolsProtocol)``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class _CoalescingTransport:
    """Wraps the connection's transport: holds one write until the next one or the next loop
    iteration, whichever comes first. Order is kept for every way of writing or closing."""

    __slots__ = ("_held", "_loop", "_scheduled", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None
        self._scheduled = False

    def write(self, data: bytes) -> None:
        held = self._held
        if held is None:
            self._held = bytes(data)
            if not self._scheduled:
                self._scheduled = True
                self._loop.call_soon(self._flush_soon)
        else:
            self._held = None
            self._transport.write(held + data)

    def _flush_soon(self) -> None:
        self._scheduled = False
        self.flush()

    def flush(self) -> None:
        held = self._held
        if held is not None:
            self._held = None
            self._transport.write(held)

    def writelines(self, lines: Any) -> None:
        self.flush()
        self._transport.writelines(lines)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held = None
        self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_write_buffer_size(self) -> int:
        held = self._held
        return self._transport.get_write_buffer_size() + (len(held) if held else 0)

    def __getattr__(self, name: str) -> Any:  # get_extra_info, pause_reading, set_protocol, …
        return getattr(self._transport, name)


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    """``HttpToolsProtocol`` over a :class:`_CoalescingTransport`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_CoalescingTransport(transport, self.loop))  # type: ignore[arg-type]
