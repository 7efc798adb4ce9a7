"""Plain HTTP requests for checking that a system answers correctly before it is measured."""
import http.client
import socket
import time
from typing import Dict, Optional, Tuple


def request(port: int, method: str = "GET", body: Optional[bytes] = None,
            timeout: float = 5.0) -> Tuple[int, Dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, "/", body=body, headers=headers)
        resp = conn.getresponse()
        text = resp.read().decode(errors="replace")
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, text
    finally:
        conn.close()


def wait_for_200(port: int, timeout: float, what: str, log_tail=lambda: "") -> None:
    """Polls GET / until it answers 200; fails with the process's last log lines otherwise."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            status, _, body = request(port, timeout=1.0)
            if status == 200:
                return
            last = f"HTTP {status}: {body.strip()[:200]}"
        except OSError as error:
            last = str(error)
        time.sleep(0.05)
    raise RuntimeError(f"{what} on 127.0.0.1:{port} gave no 200 within {timeout:.0f}s "
                       f"(last: {last}). Its log ends with:\n{log_tail()}")


def first_200_seconds(port: int, started: float, timeout: float) -> Optional[float]:
    """Seconds from `started` (perf_counter) to the first 200 for GET /, polling in a tight loop
    on raw sockets (http.client would add milliseconds of its own); None after `timeout`."""
    request_bytes = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    deadline = started + timeout
    while time.perf_counter() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1.0) as sock:
                sock.sendall(request_bytes)
                head = sock.recv(64)
                if head.startswith(b"HTTP/1.1 200") or head.startswith(b"HTTP/1.0 200"):
                    return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.0005)
    return None
