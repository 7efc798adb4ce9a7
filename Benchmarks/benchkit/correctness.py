"""Checks that every system answers the seed API correctly before it is measured:
a fast server that answers wrongly is not fast."""
import re
from typing import Set

from .http_probe import request
from .systems import LB_NGINX, LB_SEED, NGINX, System

INTEGER = re.compile(r"-?[0-9]+")


class WrongAnswer(RuntimeError):
    pass


def check(system: System, value: int) -> None:
    """GET answers an integer; POST {"num": value} answers value and a later GET reads it back;
    behind HAProxy both backends answer."""
    status, _, body = request(system.port)
    _expect(system, status == 200 and INTEGER.fullmatch(body), f"GET / gave {status} {body!r}")
    if system.key == NGINX:
        _expect(system, body == "0", f"GET / gave {body!r}, expected the file's 0")
    if "POST" in system.methods:
        status, _, body = request(system.port, "POST", f'{{"num": {value}}}'.encode())
        _expect(system, (status, body) == (200, str(value)),
                f'POST {{"num": {value}}} gave {status} {body!r}')
        status, _, body = request(system.port)
        _expect(system, (status, body) == (200, str(value)),
                f"GET / after POST gave {status} {body!r}, expected {value}")
    if system.key in (LB_SEED, LB_NGINX):
        served_by: Set[str] = set()
        for _ in range(4):
            status, headers, body = request(system.port)
            _expect(system, status == 200, f"GET / gave {status} {body!r}")
            if system.key == LB_SEED:
                _expect(system, body == str(value),
                        f"a backend answered {body!r} after {value} was posted: Redis not shared?")
            served_by.add(headers.get("x-served-by", "?"))
        _expect(system, len(served_by) == 2,
                f"4 requests were served by {sorted(served_by)}, expected both backends")


def _expect(system: System, ok, what: str) -> None:
    if not ok:
        raise WrongAnswer(f"{system.label} (127.0.0.1:{system.port}) answers wrongly: {what}. "
                          f"Its log is in Benchmarks/out/work/logs/.")
