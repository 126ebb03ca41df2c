"""``fanzha.api.http``: one write per small response, same bytes and order as uvicorn's protocol,
and a head whose body is late still leaves at once."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest
import uvicorn

from fanzha.api.http import CoalescingHttpToolsProtocol, _CoalescingTransport


class _Recorder:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.events: list[str] = []

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def writelines(self, lines) -> None:  # noqa: ANN001
        self.writes.append(b"".join(lines))

    def close(self) -> None:
        self.events.append("close")

    def abort(self) -> None:
        self.events.append("abort")

    def is_closing(self) -> bool:
        return False

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str, default=None):  # noqa: ANN001, ANN201
        return ("127.0.0.1", 1) if name in ("sockname", "peername") else default


def test_transport_joins_head_and_body_and_keeps_order():
    async def run() -> None:
        rec = _Recorder()
        t = _CoalescingTransport(rec, asyncio.get_running_loop())  # type: ignore[arg-type]
        t.write(b"HEAD")
        t.write(b"BODY")
        assert rec.writes == [b"HEADBODY"]
        t.write(b"late-head")
        assert t.get_write_buffer_size() == len(b"late-head")
        await asyncio.sleep(0)  # the next loop iteration sends it alone
        await asyncio.sleep(0)
        assert rec.writes[-1] == b"late-head"
        t.write(b"a")
        t.writelines([b"b", b"c"])
        assert rec.writes[-2:] == [b"a", b"bc"]
        t.write(b"last")
        t.close()
        assert rec.writes[-1] == b"last" and rec.events == ["close"]
        t.write(b"dropped")
        t.abort()
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        assert rec.writes[-1] == b"last" and rec.events == ["close", "abort"]
        assert t.get_extra_info("peername") == ("127.0.0.1", 1)

    asyncio.run(run())


async def _app(scope, receive, send) -> None:  # noqa: ANN001
    if scope["type"] != "http":
        return
    body = b""
    while True:
        msg = await receive()
        body += msg.get("body", b"")
        if not msg.get("more_body"):
            break
    if scope["path"] == "/slow":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await asyncio.sleep(0.5)
        await send({"type": "http.response.body", "body": b"late", "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})
        return
    payload = b'{"echo":"' + body + b'","path":"' + scope["path"].encode() + b'"}'
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


@pytest.fixture(scope="module")
def server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        _app, host="127.0.0.1", port=port, http=CoalescingHttpToolsProtocol,
        lifespan="off", log_level="warning", access_log=False,
    )  # fmt: skip
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started
    yield port
    srv.should_exit = True
    thread.join(timeout=10)


def _recv_until(sock: socket.socket, needle: bytes, count: int = 1) -> bytes:
    data = b""
    while data.count(needle) < count:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


def test_keep_alive_and_pipelined_requests_answer_in_order(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        for i in range(3):  # keep-alive, one by one
            body = f"n{i}".encode()
            sock.sendall(
                b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
            )
            reply = _recv_until(sock, b"}")
            assert reply.startswith(b"HTTP/1.1 200 OK\r\n")
            assert reply.endswith(b'{"echo":"n%d","path":"/a"}' % i)
        # pipelined: both answers, in order
        sock.sendall(
            b"POST /p1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx"
            b"POST /p2 HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\ny"
        )
        reply = _recv_until(sock, b"}", 2)
        assert reply.index(b'"path":"/p1"') < reply.index(b'"path":"/p2"')


def test_a_head_without_its_body_is_not_held_back(server):
    with socket.create_connection(("127.0.0.1", server)) as sock:
        sock.settimeout(5)
        t0 = time.perf_counter()
        sock.sendall(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        head = _recv_until(sock, b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK")
        assert time.perf_counter() - t0 < 0.4  # before the body (sent after 0.5 s)
        rest = _recv_until(sock, b"0\r\n\r\n")
        assert b"late" in head + rest
