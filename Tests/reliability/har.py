"""Raw exchanges recorded byte for byte, and written out as HAR 1.2 for HTTPolice.

`record` sends a request exactly as given (raw_http's reader does the reading) and keeps every
byte the server sent, cut into one raw message per response. `har_entry` turns the request and
the first response into a HAR entry that keeps what went over the wire: the request line, the
header fields in order and spelled as sent, the status line with its reason phrase, and the
body. `parse_request` says None for a request HAR cannot hold (no method token, request target
and HTTP version in its request line).
"""
from __future__ import annotations

import base64
import json
import re
import socket
import time
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

from .raw_http import _Reader, start_sending

_TOKEN = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_VERSION = re.compile(rb"HTTP/\d\.\d")


@dataclass
class RawMessage:
    start_line: str
    headers: List[Tuple[str, str]]
    body: bytes = field(repr=False)


@dataclass
class Recording:
    request: bytes = field(repr=False)
    responses: List[RawMessage] = field(default_factory=list)  # in the order they came
    raw_responses: List[bytes] = field(default_factory=list, repr=False)  # the same, byte for byte
    junk: bytes = field(default=b"", repr=False)               # what came after, not a response
    received: bytes = field(default=b"", repr=False)           # every byte the server sent
    started: float = 0.0
    took_ms: float = 0.0


class _TeeSocket:
    """What raw_http's reader needs of a socket, keeping a copy of every byte received."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.received = sock, bytearray()

    def settimeout(self, t: float) -> None:
        self.sock.settimeout(t)

    def recv(self, n: int) -> bytes:
        chunk = self.sock.recv(n)
        self.received += chunk
        return chunk


def _split_head(head: bytes) -> Tuple[str, List[Tuple[str, str]]]:
    lines = head.split(b"\r\n")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers.append((name.decode("latin-1"), value.strip(b" \t").decode("latin-1")))
    return lines[0].decode("latin-1"), headers


def record(port: int, pieces: Sequence[bytes], *, method: str, pause: float = 0.0,
           close_after_send: bool = False, linger: float = 0.3, timeout: float = 5.0) -> Recording:
    """Sends `pieces`, then reads responses until the server closes, or nothing more comes within
    `linger` seconds of the last one (`timeout` for the first)."""
    raw_request = b"".join(pieces)
    rec = Recording(raw_request, started=time.time())
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    tee = _TeeSocket(sock)
    reader = _Reader(tee, time.monotonic() + timeout + pause * len(pieces))
    started = time.monotonic()
    sender = start_sending(sock, pieces, pause=pause, close_after_send=close_after_send)
    consumed = 0
    try:
        while not (reader.eof or reader.reset or reader.timed_out):
            parsed = reader.response(method)
            if parsed is None:
                break
            end = len(tee.received) - len(reader.buffer)
            raw = bytes(tee.received[consumed:end])
            consumed = end
            head = raw.split(b"\r\n\r\n", 1)[0]
            start_line, headers = _split_head(head)
            rec.responses.append(RawMessage(start_line, headers, parsed.body))
            rec.raw_responses.append(raw)
            if not rec.took_ms:
                rec.took_ms = (time.monotonic() - started) * 1000
            reader.deadline = time.monotonic() + linger
    except ValueError:
        pass  # not an HTTP response: kept below as junk
    finally:
        sender.join(timeout)
        sock.close()
    rec.junk = bytes(tee.received[consumed:])
    rec.received = bytes(tee.received)
    return rec


def parse_request(raw: bytes) -> Optional[RawMessage]:
    """The request as HAR can hold it, or None when its request line is not `method SP
    request-target SP HTTP-version` with a token for the method (garbage, a TLS hello, no
    target, a version that is not HTTP's)."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep:
        return None
    request_line = head.split(b"\r\n", 1)[0]
    parts = request_line.split(b" ")
    if len(parts) != 3 or not _TOKEN.fullmatch(parts[0]) or not parts[1] \
            or not _VERSION.fullmatch(parts[2]):
        return None
    start_line, headers = _split_head(head)
    return RawMessage(start_line, headers, body)


def dechunk(body: bytes) -> bytes:
    """A chunked body's content (well-formed chunks only, as the ordinary requests send)."""
    content, rest = b"", body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        content, rest = content + rest[:size], rest[size + 2:]
    return content


def _har_headers(headers: List[Tuple[str, str]]) -> List[dict]:
    return [{"name": name, "value": value} for name, value in headers]


def _har_body_text(body: bytes) -> dict:
    try:
        return {"text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"text": base64.b64encode(body).decode("ascii"), "encoding": "base64"}


def _declared_body_size(request: RawMessage) -> int:
    """The body as the request's framing declares it: a client that announced 10 MiB and waited
    for 100 Continue had a body the server refused unread. Unknown (-1) for chunked or unreadable
    framing; otherwise what was sent."""
    names = [n.lower() for n, _ in request.headers]
    if "transfer-encoding" in names:
        return -1
    lengths = [v for n, v in request.headers if n.lower() == "content-length"]
    if lengths:
        return int(lengths[0]) if len(lengths) == 1 and lengths[0].isdigit() else -1
    return len(request.body)


def har_entry(port: int, request: RawMessage, response: RawMessage, *, started: float,
              took_ms: float, comment: str, with_request_body: bool = True) -> dict:
    """Without `with_request_body` (or for a body that is not UTF-8), HAR says only how long the
    request body was (bodySize), and HTTPolice takes it as a body it cannot see."""
    method, target, version = request.start_line.split(" ")
    req_type = next((v for n, v in request.headers if n.lower() == "content-type"), "")
    har_request = {
        "method": method,
        "url": f"http://127.0.0.1:{port}{target}",
        "httpVersion": version,
        "cookies": [],
        "headers": _har_headers(request.headers),
        "queryString": [],
        "headersSize": -1,
        "bodySize": _declared_body_size(request),
    }
    if request.body and with_request_body:
        # HAR's postData has text only: a body that is not UTF-8 cannot be written.
        chunked = any(n.lower() == "transfer-encoding" and v.lower() == "chunked"
                      for n, v in request.headers)
        body = dechunk(request.body) if chunked else request.body
        try:
            har_request["postData"] = {"mimeType": req_type, "params": [],
                                       "text": body.decode("utf-8")}
        except UnicodeDecodeError:
            pass
    version_, _, rest = response.start_line.partition(" ")
    status, _, reason = rest.partition(" ")
    resp_type = next((v for n, v in response.headers if n.lower() == "content-type"), "")
    content = {"size": len(response.body), "mimeType": resp_type}
    if response.body:
        content.update(_har_body_text(response.body))
    har_response = {
        "status": int(status),
        "statusText": reason,
        "httpVersion": version_,
        "cookies": [],
        "headers": _har_headers(response.headers),
        "content": content,
        "redirectURL": "",
        "headersSize": -1,
        "bodySize": len(response.body),
    }
    return {
        "startedDateTime": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(started))
                           + f".{int(started % 1 * 1000):03d}Z",
        "time": took_ms,
        "request": har_request,
        "response": har_response,
        "cache": {},
        "timings": {"send": 0, "wait": took_ms, "receive": 0},
        "comment": comment,
    }


def har_log(entries: List[dict]) -> str:
    return json.dumps({"log": {"version": "1.2",
                               "creator": {"name": "seedkeeper Tests/reliability/har.py",
                                           "version": "1"},
                               "entries": entries}}, indent=1)
