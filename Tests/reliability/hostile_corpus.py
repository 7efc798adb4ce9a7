"""Bad and odd requests, as raw bytes. Each must get a 4xx, or, for framing the server cannot
read, a 4xx or a clean close; never a 2xx or 5xx, and the seed never changes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Sequence

from .raw_http import request_bytes

ANSWER_4XX = "4xx"               # the server understood the framing: it must say what was wrong
ANSWER_4XX_OR_CLOSE = "4xx|close"  # framing it cannot read: a 4xx or closing is fine


@dataclass
class HostileRequest:
    name: str
    pieces: Sequence[bytes]
    expect: str = ANSWER_4XX
    pause: float = 0.0
    close_after_send: bool = False
    linger: float = 0.0       # keep reading for responses to leftover bytes
    timeout: float = 5.0
    method: str = "POST"
    extra: dict = field(default_factory=dict)


def _post(name: str, body: bytes, expect: str = ANSWER_4XX, **kw) -> HostileRequest:
    return HostileRequest(name, [request_bytes("POST", "/", body,
                                               ["Content-Type: application/json"])],
                          expect, **kw)


def _framing(name: str, raw: bytes, **kw) -> HostileRequest:
    return HostileRequest(name, [raw], ANSWER_4XX_OR_CLOSE, linger=kw.pop("linger", 0.3), **kw)


def _json_bodies() -> List[HostileRequest]:
    bad = {
        # malformed and truncated JSON
        "open-brace": b"{", "close-brace": b"}", "no-value": b'{"num":}', "no-colon": b'{"num" 1}',
        "bare-key": b"{num: 1}", "single-quotes": b"{'num': 1}", "trailing-comma": b'{"num": 1,}',
        "extra-brace": b'{"num": 1}}', "trailing-garbage": b'{"num": 1} x',
        "two-objects": b'{"num": 1}{"num": 2}', "truncated": b'{"num": 1',
        "truncated-key": b'{"nu', "comment": b'{"num": 1 /* c */}', "line-comment": b'{"num": 1 // c\n}',
        "unterminated-string": b'{"num": "1}', "bad-escape": b'{"num\\x": 1}',
        "control-char-in-key": b'{"n\x01um": 1}', "nul-byte": b'{"num": 1\x00}',
        "invalid-utf8": b'{"num": 1\xff}', "lone-surrogate-key": b'{"\\ud800": 1}',
        "utf16-body": '{"num": 1}'.encode("utf-16"), "whitespace-only": b"   \r\n\t ",
        "just-null": b"null", "just-true": b"true", "just-number": b"1", "just-string": b'"1"',
        "array": b"[1]", "array-of-object": b'[{"num": 1}]', "empty-object": b"{}",
        "wrong-key": b'{"nu": 1}', "uppercase-key": b'{"NUM": 1}', "nested-num": b'{"x": {"num": 1}}',
        "key-with-space": b'{"num ": 1}',
        # every wrong type for num
        "num-string": b'{"num": "1"}', "num-empty-string": b'{"num": ""}', "num-null": b'{"num": null}',
        "num-true": b'{"num": true}', "num-false": b'{"num": false}', "num-array": b'{"num": [1]}',
        "num-empty-array": b'{"num": []}', "num-object": b'{"num": {"num": 1}}',
        # numbers that are not integers, or not JSON numbers
        "fraction": b'{"num": 1.5}', "negative-fraction": b'{"num": -1.5}', "small-fraction": b'{"num": 0.1}',
        "exp-fraction": b'{"num": 1e-1}', "exp-fraction-2": b'{"num": 15e-1}',
        "almost-integer": b'{"num": 1.0000000000000000001}',
        "almost-integer-big": b'{"num": 4611686018427387904.5}',
        "nan": b'{"num": NaN}', "infinity": b'{"num": Infinity}', "minus-infinity": b'{"num": -Infinity}',
        "hex": b'{"num": 0x10}', "octal-ish": b'{"num": 017}', "leading-plus": b'{"num": +1}',
        "trailing-dot": b'{"num": 1.}', "leading-dot": b'{"num": .5}', "double-minus": b'{"num": --1}',
        "minus-space": b'{"num": - 1}', "underscore": b'{"num": 1_000}', "exp-no-digits": b'{"num": 1e}',
        "double-exp": b'{"num": 1e2e3}', "exp-fraction-exp": b'{"num": 1e2.5}',
        # 64-bit edges and beyond
        "int64-max-plus-1": b'{"num": 9223372036854775808}',
        "int64-min-minus-1": b'{"num": -9223372036854775809}',
        "uint64-max": b'{"num": 18446744073709551615}', "uint64-max-plus-1": b'{"num": 18446744073709551616}',
        "int64-max-times-10": b'{"num": 92233720368547758070}',
        "int64-max-plus-1-as-float": b'{"num": 9223372036854775808.0}',
        "int64-max-plus-1-exp": b'{"num": 9.223372036854775808e18}',
        "exp-19": b'{"num": 1e19}', "minus-exp-19": b'{"num": -1e19}', "exp-400": b'{"num": 1e400}',
        "exp-huge": b'{"num": 1e99999999999999999999}', "minus-exp-400": b'{"num": -1e400}',
        "38-digits": b'{"num": 12345678901234567890123456789012345678}',
        "40-digits": b'{"num": 1234567890123456789012345678901234567890}',
        # unicode digits
        "arabic-indic-digits": '{"num": ١٢٣}'.encode(), "fullwidth-digits": '{"num": １２３}'.encode(),
        "superscript-digit": '{"num": ¹}'.encode(), "devanagari-digits": '{"num": १२}'.encode(),
        "unicode-digits-in-string": '{"num": "١٢٣"}'.encode(), "unicode-minus": '{"num": −5}'.encode(),
        "fullwidth-braces": '｛"num": 1｝'.encode(),
        # deep nesting that fits within 1 KiB
        "deep-array-in-num": b'{"num": ' + b"[" * 400 + b"]" * 400 + b"}",
        "deep-object": b'{"a":' * 120 + b"1" + b"}" * 120,
        "deep-unclosed": b"[" * 1000,
    }
    return [_post(f"json-{name}", body) for name, body in bad.items()]


def _size_cases() -> List[HostileRequest]:
    digits = b"9" * 10_000
    return [
        _post("10000-digit-integer", b'{"num": ' + digits + b"}"),
        _post("10000-digit-negative", b'{"num": -' + digits + b"}"),
        _post("10000-digit-fraction", b'{"num": 0.' + digits + b"}"),
        _post("deep-nesting-100k", b"[" * 100_000 + b"]" * 100_000),
        _post("just-over-1-KiB", b'{"num": 1, "pad": "' + b"x" * 1020 + b'"}'),
        _post("huge-body-4-MiB", b'{"num": 1, "pad": "' + b"x" * (4 << 20) + b'"}',
              ANSWER_4XX_OR_CLOSE, timeout=15.0),
        HostileRequest("empty-body-content-length-0",
                       [request_bytes("POST", "/", b"", content_length=0)]),
        HostileRequest("empty-body-no-length", [request_bytes("POST", "/", None, content_length=None)]),
        HostileRequest("expect-100-continue-huge",
                       [request_bytes("POST", "/", None, ["Expect: 100-continue"],
                                      content_length=10 << 20)],
                       ANSWER_4XX_OR_CLOSE, timeout=5.0),
    ]


def _framing_cases(valid_body: bytes) -> List[HostileRequest]:
    """`valid_body` is a POST body that WOULD change the seed if the server applied it."""
    n = len(valid_body)
    chunked = ["Transfer-Encoding: chunked"]
    return [
        HostileRequest("length-longer-than-body-then-close",
                       [request_bytes("POST", "/", valid_body, content_length=n + 10)],
                       ANSWER_4XX_OR_CLOSE, close_after_send=True),
        HostileRequest("length-longer-than-body-trickled-then-close",
                       [request_bytes("POST", "/", None, content_length=n + 1)] +
                       [bytes([b]) for b in valid_body],
                       ANSWER_4XX_OR_CLOSE, pause=0.01, close_after_send=True),
        _framing("length-shorter-than-body",
                 request_bytes("POST", "/", valid_body, content_length=n - 3)),
        _framing("length-negative", request_bytes("POST", "/", valid_body, content_length=-1)),
        _framing("length-not-a-number", request_bytes("POST", "/", valid_body, content_length="ten")),
        _framing("length-with-plus", request_bytes("POST", "/", valid_body, content_length=f"+{n}")),
        _framing("length-hex", request_bytes("POST", "/", valid_body, content_length=hex(n))),
        _framing("length-huge", request_bytes("POST", "/", valid_body,
                                              content_length="99999999999999999999999")),
        _framing("two-different-lengths",
                 request_bytes("POST", "/", valid_body, [f"Content-Length: {n + 1}"])),
        _framing("length-list", request_bytes("POST", "/", valid_body, content_length=f"{n}, {n + 1}")),
        _framing("chunked-and-length",
                 request_bytes("POST", "/", _chunk(valid_body), chunked, content_length=n)),
        _framing("length-and-chunked-obfuscated",
                 request_bytes("POST", "/", _chunk(valid_body), ["Transfer-Encoding : chunked"],
                               content_length=n)),
        _framing("chunked-bad-size", request_bytes("POST", "/", b"zz\r\n" + valid_body + b"\r\n0\r\n\r\n",
                                                   chunked, content_length=None)),
        _framing("chunked-size-too-small",
                 request_bytes("POST", "/", b"2\r\n" + valid_body + b"\r\n0\r\n\r\n", chunked,
                               content_length=None)),
        _framing("chunked-size-overflow",
                 request_bytes("POST", "/", b"ffffffffffffffffffff\r\n" + valid_body + b"\r\n0\r\n\r\n",
                               chunked, content_length=None)),
        _framing("chunked-missing-crlf",
                 request_bytes("POST", "/", f"{n:x}\r\n".encode() + valid_body + b"0\r\n\r\n",
                               chunked, content_length=None)),
        HostileRequest("chunked-no-last-chunk-then-close",
                       [request_bytes("POST", "/", f"{n:x}\r\n".encode() + valid_body + b"\r\n",
                                      chunked, content_length=None)],
                       ANSWER_4XX_OR_CLOSE, close_after_send=True),
        _framing("transfer-encoding-gzip",
                 request_bytes("POST", "/", valid_body, ["Transfer-Encoding: gzip"], content_length=None)),
        _framing("transfer-encoding-unknown",
                 request_bytes("POST", "/", valid_body, ["Transfer-Encoding: xchunked"],
                               content_length=None)),
        _framing("chunked-huge-total",
                 request_bytes("POST", "/", b"".join(b"400\r\n" + b"1" * 1024 + b"\r\n" for _ in range(8))
                               + b"0\r\n\r\n", chunked, content_length=None)),
    ]


def _chunk(body: bytes) -> bytes:
    return f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"


def _method_and_path_cases(valid_body: bytes) -> List[HostileRequest]:
    cases = [HostileRequest(f"method-{m}", [request_bytes(m, "/", valid_body)], method=m)
             for m in ("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")]
    cases += [
        HostileRequest("post-other-path", [request_bytes("POST", "/seed", valid_body)]),
        HostileRequest("post-double-slash-path", [request_bytes("POST", "//x", valid_body)]),
        HostileRequest("post-dot-dot-path", [request_bytes("POST", "/../etc/passwd", valid_body)]),
        HostileRequest("get-encoded-path", [request_bytes("GET", "/%2e%2e%2f", None)], method="GET"),
        HostileRequest("get-long-path-128-KiB", [request_bytes("GET", "/" + "a" * 131072, None)],
                       ANSWER_4XX_OR_CLOSE, method="GET"),
        HostileRequest("post-long-path-8-KiB", [request_bytes("POST", "/" + "b" * 8192, valid_body)]),
        # Beyond what any HTTP server reads into memory for a header (80 KiB is a common limit).
        _framing("header-128-KiB", request_bytes("POST", "/", valid_body, ["X-Long: " + "h" * 131072])),
        _framing("ten-thousand-headers",
                 request_bytes("POST", "/", valid_body, [f"X-H{i}: v" for i in range(10_000)])),
        # A method outside the usual set may be refused by the HTTP parser itself.
        _framing("method-unknown", request_bytes("FROB", "/", valid_body)),
        _framing("lowercase-method", request_bytes("post", "/", valid_body)),
        _framing("http-version-garbage", request_bytes("POST", "/", valid_body, version="HTXP/1.1")),
        _framing("header-without-colon", request_bytes("POST", "/", valid_body, ["NoColonHere"])),
        _framing("header-name-with-space", request_bytes("POST", "/", valid_body, ["Bad Name: x"])),
        _framing("obsolete-line-folding", request_bytes("POST", "/", valid_body, ["X-A: a", " folded"])),
        _framing("nul-in-header", request_bytes("POST", "/", valid_body, ["X-A: a\x00b"])),
        _framing("request-line-without-target", b"POST HTTP/1.1\r\nHost: x\r\nContent-Length: "
                 + str(len(valid_body)).encode() + b"\r\n\r\n" + valid_body),
        _framing("binary-garbage", bytes(range(256)) * 4),
        _framing("tls-client-hello", bytes.fromhex("16030100a5010000a10303") + b"\x00" * 64),
        HostileRequest("slow-trickled-bad-json",
                       [request_bytes("POST", "/", None, content_length=12)] +
                       [bytes([b]) for b in b'{"num": "x"}'], pause=0.05),
        HostileRequest("slow-trickled-headers",
                       [bytes([b]) for b in request_bytes("POST", "/", b'{"num": 1.5}')], pause=0.01),
    ]
    return cases


def corpus(valid_body: bytes) -> List[HostileRequest]:
    """Every case. `valid_body` must be a body that would change the seed if applied."""
    return (_json_bodies() + _size_cases() + _framing_cases(valid_body)
            + _method_and_path_cases(valid_body))
