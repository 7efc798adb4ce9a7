"""Raw bytes over a socket, and a small HTTP/1.1 response reader: nothing tidies the request up.

A sender thread writes the request while the caller reads, so a server that answers early
(413 for a huge body) and closes is still heard, and a slow sender can trickle bytes.
"""
from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Union


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes


@dataclass
class Exchange:
    """What came back: the responses parsed in order, and how the connection ended."""
    responses: List[Response] = field(default_factory=list)
    closed_by_server: bool = False  # clean FIN from the server
    reset: bool = False             # connection reset (RST)
    timed_out: bool = False         # nothing more arrived before the read timeout
    junk: bytes = b""               # bytes that did not parse as an HTTP response

    @property
    def statuses(self) -> List[int]:
        return [r.status for r in self.responses]

    def summary(self) -> str:
        how = ("closed" if self.closed_by_server else "reset" if self.reset
               else "timed out" if self.timed_out else "open")
        junk = f", junk {self.junk[:40]!r}" if self.junk else ""
        return f"statuses {self.statuses}, connection {how}{junk}"


class _Reader:
    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self.sock, self.deadline, self.buffer = sock, deadline, b""
        self.eof = self.reset = self.timed_out = False

    def _fill(self) -> bool:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.timed_out = True
            return False
        self.sock.settimeout(remaining)
        try:
            chunk = self.sock.recv(65536)
        except socket.timeout:
            self.timed_out = True
            return False
        except (ConnectionResetError, BrokenPipeError):
            self.reset = True
            return False
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def until(self, marker: bytes) -> Optional[bytes]:
        while marker not in self.buffer:
            if not self._fill():
                return None
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def exactly(self, n: int) -> Optional[bytes]:
        while len(self.buffer) < n:
            if not self._fill():
                return None
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def response(self, method: str) -> Optional[Response]:
        head = self.until(b"\r\n\r\n")
        if head is None:
            return None
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
            raise ValueError(f"not an HTTP status line: {lines[0][:80]!r}")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower().decode("latin-1")] = value.strip().decode("latin-1")
        status = int(parts[1])
        body = b""
        if method != "HEAD" and status not in (204, 304) and not 100 <= status < 200:
            if headers.get("transfer-encoding", "").lower() == "chunked":
                body = self._chunked()
            elif "content-length" in headers:
                body = self.exactly(int(headers["content-length"])) or b""
        return Response(status, headers, body)

    def _chunked(self) -> bytes:
        body = b""
        while True:
            size_line = self.until(b"\r\n")
            if size_line is None:
                return body
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                self.until(b"\r\n")
                return body
            body += self.exactly(size) or b""
            self.until(b"\r\n")


def start_sending(sock: socket.socket, pieces: Sequence[bytes], *, pause: float = 0.0,
                  close_after_send: bool = False) -> threading.Thread:
    """Sends `pieces` on a thread of its own (with `pause` seconds between them), so the caller
    can read answers meanwhile; `close_after_send` half-closes our side after the last byte. A
    server that answers early and closes ends the sending quietly: what it said is still read."""
    def send() -> None:
        try:
            for i, piece in enumerate(pieces):
                if i and pause:
                    time.sleep(pause)
                sock.sendall(piece)
            if close_after_send:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    return sender


def exchange(port: int, pieces: Union[bytes, Sequence[bytes]], *, pause: float = 0.0,
             close_after_send: bool = False, expect_responses: int = 1, linger: float = 0.0,
             timeout: float = 5.0, method: str = "GET") -> Exchange:
    """Sends `pieces` (with `pause` seconds between them), then reads up to `expect_responses`
    responses within `timeout`, then keeps reading `linger` seconds for any more (a server that
    misreads framing may answer leftovers). `close_after_send` half-closes our side after the
    last byte, as a client that gives up would."""
    if isinstance(pieces, bytes):
        pieces = [pieces]
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    result = Exchange()

    sender = start_sending(sock, pieces, pause=pause, close_after_send=close_after_send)
    reader = _Reader(sock, time.monotonic() + timeout + pause * len(pieces))
    try:
        for _ in range(expect_responses):
            response = reader.response(method)
            if response is None:
                break
            result.responses.append(response)
        if linger and not (reader.eof or reader.reset):
            reader.deadline = time.monotonic() + linger
            reader.timed_out = False
            while not (reader.eof or reader.reset or reader.timed_out):
                response = reader.response(method)
                if response is None:
                    break
                result.responses.append(response)
            reader.timed_out = False
        elif not (reader.eof or reader.reset):
            reader.deadline = time.monotonic() + 0.05
            reader._fill()
            reader.timed_out = False
    except ValueError:
        result.junk = reader.buffer
    finally:
        sender.join(timeout)
        sock.close()
    result.closed_by_server = reader.eof
    result.reset = reader.reset
    result.timed_out = reader.timed_out
    if not result.junk and reader.buffer.strip():
        result.junk = reader.buffer
    return result


def request_bytes(method: str = "POST", path: str = "/", body: Optional[bytes] = None,
                  headers: Sequence[str] = (), content_length: Optional[Union[int, str]] = "auto",
                  version: str = "HTTP/1.1") -> bytes:
    """Builds a request by hand. `content_length="auto"` sets it from the body (if any);
    None leaves it out; anything else is written as given, right or wrong."""
    lines = [f"{method} {path} {version}", "Host: 127.0.0.1"]
    if content_length == "auto":
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
    elif content_length is not None:
        lines.append(f"Content-Length: {content_length}")
    lines += list(headers)
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head + (body or b"")


class KeepAliveConnection:
    """One connection kept open across requests, to watch what the server does with it."""

    def __init__(self, port: int, timeout: float = 5.0) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.timeout = timeout

    def request(self, raw: bytes, method: str = "GET") -> Optional[Response]:
        self.sock.sendall(raw)
        return _Reader(self.sock, time.monotonic() + self.timeout).response(method)

    def closed_by_server_within(self, seconds: float) -> bool:
        """True when the server closes its end (FIN or reset) within `seconds`, sending nothing."""
        reader = _Reader(self.sock, time.monotonic() + seconds)
        reader._fill()
        return (reader.eof or reader.reset) and not reader.buffer

    def close(self) -> None:
        self.sock.close()
