"""HTTPolice finds no error in the server's answers: every exchange of the hostile corpus and the
ordinary ones (GET, HEAD, POST, 404, 405, 413, 414, 431, the parser's 400s) is sent as raw bytes to
a live seed-server, recorded byte for byte into a HAR 1.2 file, and checked by `httpolice -i har`.

What HTTPolice says about a response must be no error, and no notice outside ACCEPTED_RESPONSE.
What it says about a request is about the client: the ordinary requests are valid HTTP and may
only draw ACCEPTED_REQUEST; the hostile ones are wrong on purpose (E 1000 "Syntax error in
Content-Length header", E 1013 "Multiple Content-Length headers", E 1020 "both Transfer-Encoding
and Content-Length", E 1293 "Invalid field name", E 1295 "Method 'post' should probably be
'POST'", E 1062 "OPTIONS request with a body needs Content-Type", ...), and any notice on them is
theirs.

Left out of the HAR, as HAR cannot hold them (its request needs a method token, a request target
and an HTTP version): the requests in UNREPRESENTABLE. Their answers are still checked: HAR holds
a body as decoded text, so HTTPolice cannot see framing there (a Content-Length that disagrees with
the body passes), and every connection's bytes from the server, the answers to those requests
among them, are also checked as a raw response stream (`-i resp-stream`), under the same rule.

The HAR holds the hostile requests a little short of what was sent, as their notices are not the
point and HTTPolice's parser is slow on them:
- no body (bodySize still says how long the framing declared it): HTTPolice would report the
  corpus's broken JSON as the client's errors (E 1038 "Bad JSON body") and dies on the
  100,000-deep nesting (RecursionError in its JSON parser);
- a request target over 8 KiB cut to 8 KiB, and no more than 100 header fields: the server refuses
  those (414, 431) unread, and HTTPolice takes 20-30 s over a 128 KiB target or 10,000 fields.
The ordinary requests are in the HAR exactly as sent.
"""
import collections
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import pytest

from testkit import SeedServer

from . import har
from .hostile_corpus import corpus
from .raw_http import request_bytes

# Notices accepted on a response, with the reason.
ACCEPTED_RESPONSE = {
    # C 1277 "Obsolete 'X-' prefix in headers": X-Served-By, the header naming the instance that
    # answered (behind HAProxy), is the project's own, documented and tested under that name.
    # RFC 6648 only advises against new X- names; a comment, not an error.
    1277,
}
# Notices accepted on an ordinary (valid) request, with the reason.
ACCEPTED_REQUEST = {
    # C 1070 "Missing User-Agent header": the requests are written by hand and carry none. That
    # every request draws it is also what lets the report's blocks be matched to the entries.
    1070,
}
# Not HTTP requests at all: their answers are checked on their own.
UNREPRESENTABLE = {"http-version-garbage", "request-line-without-target", "binary-garbage",
                   "tls-client-hello"}

JSON = ["Content-Type: application/json"]
ORDINARY = [
    # name, raw request, method, status; all valid HTTP, so HTTPolice must find nothing wrong with
    # them. The parser's 400s are the corpus's (method-unknown, length-not-a-number, ...).
    ("GET /", request_bytes("GET", "/"), "GET", 200),
    ("GET / HTTP/1.0", b"GET / HTTP/1.0\r\n\r\n", "GET", 200),
    ("GET / HTTP/1.0 keep-alive", b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", "GET", 200),
    ("GET / with Connection: close", request_bytes("GET", "/", headers=["Connection: close"]), "GET", 200),
    ("HEAD /", request_bytes("HEAD", "/"), "HEAD", 200),
    ("POST / valid", request_bytes("POST", "/", b'{"num": 42}', JSON), "POST", 200),
    ("POST / valid, chunked",
     request_bytes("POST", "/", b'b\r\n{"num": 43}\r\n0\r\n\r\n', JSON + ["Transfer-Encoding: chunked"],
                   content_length=None), "POST", 200),
    ("POST / not JSON", request_bytes("POST", "/", b"num=5",
                                      ["Content-Type: application/x-www-form-urlencoded"]), "POST", 400),
    ("POST / JSON without num", request_bytes("POST", "/", b'{"n": 1}', JSON), "POST", 400),
    ("POST / over 1 KiB", request_bytes("POST", "/", b'{"num": 1, "pad": "' + b"x" * 2000 + b'"}', JSON),
     "POST", 413),
    ("GET /nope", request_bytes("GET", "/nope"), "GET", 404),
    ("HEAD /nope", request_bytes("HEAD", "/nope"), "HEAD", 404),
    ("POST /nope", request_bytes("POST", "/nope", b'{"num": 1}', JSON), "POST", 404),
    ("PUT /", request_bytes("PUT", "/", b'{"num": 1}', JSON), "PUT", 405),
    ("DELETE /", request_bytes("DELETE", "/"), "DELETE", 405),
    ("OPTIONS /", request_bytes("OPTIONS", "/"), "OPTIONS", 405),
    ("request target of 16 KiB", request_bytes("GET", "/" + "a" * 16384), "GET", 414),
    ("header block of 20 KiB", request_bytes("GET", "/", headers=["Big: " + "b" * 20480]), "GET", 431),
]


@dataclass
class Exchange:
    name: str
    request: Optional[har.RawMessage]  # None: not a request HAR can hold
    recording: har.Recording
    ordinary: bool


@dataclass
class Block:
    """One exchange's part of HTTPolice's text report."""
    marker: str
    request: List[Tuple[str, int, str]]   # (severity letter, notice id, title)
    response: List[Tuple[str, int, str]]


_NOTICE = re.compile(r"^([EWCD]) (\d+) (.*)$")


def parse_report(text: str) -> List[Block]:
    blocks: List[Block] = []
    in_response = False
    for line in text.splitlines():
        if line.startswith("------------ response:"):
            in_response = True
        elif line.startswith("------------"):
            blocks.append(Block(line, [], []))
            in_response = False
        elif line.strip():
            match = _NOTICE.match(line)
            assert match and blocks, f"cannot read HTTPolice's report line {line!r}"
            notice = (match.group(1), int(match.group(2)), match.group(3))
            (blocks[-1].response if in_response else blocks[-1].request).append(notice)
    return blocks


def httpolice(*args: str) -> subprocess.CompletedProcess:
    path = shutil.which("httpolice")
    if not path:
        pytest.fail("httpolice not found: `make test` installs it from PyPI")
    done = subprocess.run([path, "-o", "text", *args], capture_output=True, text=True, timeout=120)
    assert not done.stderr, f"httpolice failed: {done.stderr}"
    return done


def _record_all(port: int) -> List[Exchange]:
    exchanges = []
    for name, raw, method, status in ORDINARY:
        rec = har.record(port, [raw], method=method, linger=0.05)
        assert [r.start_line.split(" ")[1] for r in rec.responses] == [str(status)], (name, rec)
        exchanges.append(Exchange(name, har.parse_request(raw), rec, True))
    # A body that would change the seed if applied, as the hostile-input test sends.
    for case in corpus(b'{"num": 777}'):
        rec = har.record(port, case.pieces, method=case.method, pause=case.pause,
                         close_after_send=case.close_after_send, linger=max(case.linger, 0.05),
                         timeout=case.timeout)
        exchanges.append(Exchange(case.name, har.parse_request(rec.request), rec, False))
    return exchanges


@pytest.fixture(scope="module")
def exchanges():
    with SeedServer() as seed:
        recorded = _record_all(seed.port)
        assert seed.running(), seed.log()[-2000:]
        return seed.port, recorded


LONGEST_TARGET, MOST_FIELDS = 8192, 100


def _shortened(exchange: Exchange) -> Tuple[har.RawMessage, str]:
    """A hostile request as the HAR holds it (see the module's docstring), and what was cut."""
    request = exchange.request
    if exchange.ordinary:
        return request, ""
    method, target, version = request.start_line.split(" ")
    cut = []
    if len(target) > LONGEST_TARGET:
        cut.append(f"target cut from {len(target)} bytes")
        target = target[:LONGEST_TARGET]
    headers = request.headers
    if len(headers) > MOST_FIELDS:
        cut.append(f"{len(headers) - MOST_FIELDS} of {len(headers)} header fields left out")
        headers = headers[:MOST_FIELDS]
    return har.RawMessage(f"{method} {target} {version}", headers, request.body), "; ".join(cut)


def write_har(path, port: int, exchanges: List[Exchange]) -> List[Exchange]:
    """Writes the exchanges that HAR can hold and that were answered; returns them, in order."""
    written = [e for e in exchanges if e.request is not None and e.recording.responses]
    entries = []
    for e in written:
        request, cut = _shortened(e)
        entries.append(har.har_entry(port, request, e.recording.responses[0],
                                     started=e.recording.started, took_ms=e.recording.took_ms,
                                     comment=e.name + (f" ({cut})" if cut else ""),
                                     with_request_body=e.ordinary))
    path.write_text(har.har_log(entries), encoding="utf-8")
    return written


def _unaccepted(notices, accepted) -> List[Tuple[str, int, str]]:
    return [n for n in notices if n[0] == "E" or n[1] not in accepted]


def test_httpolice_finds_no_error_in_the_answers(exchanges, tmp_path):
    port, recorded = exchanges
    unrepresentable = {e.name for e in recorded if e.request is None}
    assert unrepresentable == UNREPRESENTABLE
    har_file = tmp_path / "exchanges.har"
    written = write_har(har_file, port, recorded)
    assert len(written) >= 140, f"only {len(written)} answered exchanges to check"
    assert all(e.name in {w.name for w in written} for e in recorded if e.ordinary)

    done = httpolice("-i", "har", str(har_file))
    blocks = parse_report(done.stdout)
    # Every request draws 1070 (no User-Agent), so the report has one block per entry, in order.
    assert len(blocks) == len(written), f"{len(blocks)} report blocks for {len(written)} entries:\n" \
                                        + done.stdout[-3000:]
    seen: Dict[str, collections.Counter] = {"request": collections.Counter(),
                                            "response": collections.Counter()}
    problems = []
    for exchange, block in zip(written, blocks):
        method, target, _ = exchange.request.start_line.split(" ")
        # HTTPolice shows the URL for a request without Host (HTTP/1.0), the target otherwise.
        shown = f"------------ request: {method} " + ("" if any(n.lower() == "host" for n, _ in exchange.request.headers)
                                                    else f"http://127.0.0.1:{port}")
        assert block.marker.startswith(shown + target[:30]), (exchange.name, block.marker)
        seen["request"].update(f"{s} {i}" for s, i, _ in block.request)
        seen["response"].update(f"{s} {i}" for s, i, _ in block.response)
        bad = _unaccepted(block.response, ACCEPTED_RESPONSE)
        if exchange.ordinary:
            bad += _unaccepted(block.request, ACCEPTED_REQUEST)
        if bad:
            problems.append(f"{exchange.name} -> {exchange.recording.responses[0].start_line}: {bad}")
    print("HTTPolice notices seen:", dict(seen))
    assert not problems, "HTTPolice on the HAR:\n" + "\n".join(problems)


def _check_streams(paths) -> List[str]:
    done = httpolice("-i", "resp-stream", "--fail-on", "error", *map(str, paths))
    blocks = parse_report(done.stdout)
    bad = [f"{b.marker} {_unaccepted(b.request + b.response, ACCEPTED_RESPONSE)}" for b in blocks
           if _unaccepted(b.request + b.response, ACCEPTED_RESPONSE)]
    if done.returncode != 0 and not bad:
        bad = [done.stdout[-3000:]]
    return bad


def test_httpolice_finds_no_error_in_the_raw_answer_streams(exchanges, tmp_path):
    """Each connection's bytes from the server, as a response stream: the framing HAR cannot show,
    and the answers to what HAR cannot hold. A response to HEAD carries Content-Length but no
    body, which without its request reads as a truncated body: those are checked in the HAR only."""
    _, recorded = exchanges
    paths, names = [], []
    for exchange in recorded:
        if exchange.recording.received and not exchange.recording.request.startswith(b"HEAD "):
            assert not exchange.recording.junk, f"{exchange.name}: bytes that are not a response"
            path = tmp_path / f"{len(paths):03d}.http"
            path.write_bytes(exchange.recording.received)
            paths.append(path)
            names.append(exchange.name)
    assert set(UNREPRESENTABLE) <= set(names) and len(paths) >= 140, names
    bad = _check_streams(paths)
    assert not bad, "HTTPolice on the raw answers:\n" + "\n".join(bad)


def test_httpolice_flags_a_doctored_answer(exchanges, tmp_path):
    """The checks above can fail: a 405 without Allow in the HAR, and a 200 whose Content-Length
    disagrees with its body in a stream, draw errors."""
    port, recorded = exchanges
    get = next(e for e in recorded if e.name == "GET /")
    put = next(e for e in recorded if e.name == "PUT /")
    good_405 = put.recording.responses[0]
    bad_405 = har.RawMessage(good_405.start_line,
                             [(n, v) for n, v in good_405.headers if n.lower() != "allow"], good_405.body)
    rec = har.Recording(put.recording.request, [bad_405], started=put.recording.started)
    har_file = tmp_path / "doctored.har"
    write_har(har_file, port, [Exchange(put.name, put.request, rec, True)])
    done = httpolice("-i", "har", "--fail-on", "error", str(har_file))
    assert done.returncode == 1 and "E 1089 " in done.stdout, done.stdout

    raw_200 = get.recording.received
    length = re.search(rb"Content-Length: (\d+)", raw_200)
    doctored = raw_200.replace(length.group(0), b"Content-Length: %d" % (int(length.group(1)) + 5))
    stream = tmp_path / "doctored.http"
    stream.write_bytes(doctored)
    bad = _check_streams([stream])
    assert bad and "1004" in bad[0], bad
