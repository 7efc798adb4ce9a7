"""HTTP as every client expects it, seen from outside: raw bytes over a socket, ApacheBench (an
HTTP/1.0 client that waits for the server to close) and REDbot (an HTTP linter), against a real
seed-server."""
import json
import re
import shutil
import subprocess
import time

import pytest

from testkit import SeedServer

from .raw_http import exchange

# An answer (or a close) this long after the request is prompt even on a loaded 2-core machine; a
# server that waits for its 75 s idle timeout instead misses it by far.
PROMPT = 3.0


@pytest.fixture(scope="module")
def server():
    with SeedServer() as seed:
        yield seed


def test_http10_closes_after_the_answer_unless_asked_to_keep_alive(server):
    start = time.monotonic()
    plain = exchange(server.port, b"GET / HTTP/1.0\r\n\r\n", timeout=10)
    took = time.monotonic() - start
    assert plain.statuses == [200], plain.summary()
    assert plain.closed_by_server and took < PROMPT, f"closed={plain.closed_by_server} after {took:.2f} s"
    assert plain.responses[0].headers.get("connection") == "close"

    kept = exchange(server.port, b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", timeout=1.5)
    assert kept.statuses == [200], kept.summary()
    assert kept.responses[0].headers.get("connection") == "keep-alive"
    assert not kept.closed_by_server, "an HTTP/1.0 request that asked for keep-alive was closed"


REFUSALS = [
    # What NIO's HTTP parser refuses before any route runs, then what the routes refuse.
    ("unknown method", b"FOO / HTTP/1.1\r\nHost: x\r\n\r\n", 400, "unknown request method"),
    ("bad Content-Length", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n", 400, "Content-Length"),
    ("request target of 16 KiB", b"GET /" + b"a" * 16384 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414, "longer than"),
    ("header block of 20 KiB", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 20480 + b"\r\n\r\n", 431, "header fields"),
    ("long unknown path", b"GET /" + b"c" * 1500 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 404, "no such path"),
    ("method not allowed", b"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 405, "not allowed"),
]


@pytest.mark.parametrize("name,request_bytes,status,reason", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_every_refusal_carries_a_one_line_reason_and_echoes_little(server, name, request_bytes, status, reason):
    result = exchange(server.port, request_bytes, timeout=10)
    assert result.statuses == [status], result.summary()
    body = result.responses[0].body.decode()
    assert reason in body, body
    assert body.endswith("\n") and "\n" not in body[:-1], repr(body)
    # Never an echo of what was sent: at most a short prefix of it.
    assert len(body) < 300, f"{len(body)}-byte answer to a {len(request_bytes)}-byte request"


MISTAKES = [
    # What curl -d num=5 and PowerShell's -Body @{num=5} send; what Windows cmd leaves of a Unix
    # shell's quotes; a JavaScript object literal.
    ("form data", b"num=5", "form data"),
    ("single quotes from cmd", b"'{\"num\":5}'", "single quotes"),
    ("key without quotes", b"{num:5}", "double quotes around keys"),
]


@pytest.mark.parametrize("name,body,reason", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_common_mistakes_are_named_with_their_fix(server, name, body, reason):
    request = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    result = exchange(server.port, request, timeout=10, method="POST")
    assert result.statuses == [400], result.summary()
    text = result.responses[0].body.decode()
    assert reason in text and '"num": 5' in text.replace('\\"', '"'), text
    assert text.endswith("\n") and "\n" not in text[:-1], repr(text)


@pytest.mark.parametrize("request_bytes", [
    b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{\"num\": 1}",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nnum=5",
    b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n",
    b"FOO / HTTP/1.1\r\nHost: x\r\n\r\n",
], ids=["GET", "HEAD", "POST", "bad POST", "404", "parser refusal"])
def test_every_answer_forbids_caching_and_carries_a_date(server, request_bytes):
    method = request_bytes.split(b" ", 1)[0].decode()
    result = exchange(server.port, request_bytes, timeout=10, method=method)
    assert len(result.responses) == 1, result.summary()
    headers = result.responses[0].headers
    assert headers.get("cache-control") == "no-store", headers
    # RFC 9110 §6.6.1, as an IMF-fixdate (§5.6.7).
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT", headers.get("date", "")), headers


@pytest.fixture(scope="module")
def ab():
    path = shutil.which("ab")
    if not path:
        pytest.fail("ab not found: `make test` installs apache2-utils")
    return path


def _ab(ab, url, *args, timeout):
    done = subprocess.run([ab, "-q", "-s", "10", *args, url], capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    complete = int(re.search(r"Complete requests:\s+(\d+)", done.stdout).group(1))
    failed = int(re.search(r"Failed requests:\s+(\d+)", done.stdout).group(1))
    return complete, failed, done.stdout


def test_apachebench_without_keep_alive_finishes_at_once(server, ab):
    # ab speaks HTTP/1.0 and waits for the server to close each connection.
    start = time.monotonic()
    complete, failed, report = _ab(ab, server.url + "/", "-n", "20", "-c", "2", timeout=60)
    took = time.monotonic() - start
    assert (complete, failed) == (20, 0), report
    assert took < 10, f"20 requests took {took:.1f} s: the server is not closing HTTP/1.0 connections"


def test_apachebench_5000_requests_none_failed(server, ab):
    complete, failed, report = _ab(ab, server.url + "/", "-n", "5000", "-c", "16", timeout=120)
    assert (complete, failed) == (5000, 0), report


@pytest.mark.parametrize("path", ["/", "/nope"])
def test_redbot_finds_no_problem(server, path):
    redbot = shutil.which("redbot")
    if not redbot:
        pytest.fail("redbot not found: `make test` installs it from PyPI")
    done = subprocess.run([redbot, "-o", "har", server.url + path], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    notes = json.loads(done.stdout)["log"]["entries"][0]["_red_messages"]
    problems = [note for note in notes if note["level"] in ("BAD", "WARN")]
    assert not problems, problems
    assert any(note["note_id"] == "STORE_NO_STORE" for note in notes), notes
