"""Small HTTP helpers over the standard library's http.client (a real socket, no mocks)."""
import http.client
import json
from typing import Optional, Tuple
from urllib.parse import urlsplit


def http_request(url: str, method: str = "GET", body: Optional[bytes] = None,
                 headers: Optional[dict] = None, timeout: float = 5.0
                 ) -> Tuple[int, dict, bytes]:
    """One request on a fresh connection. Returns (status, lower-cased headers, body)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        conn.request(method, parts.path or "/", body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def get_seed(url: str, timeout: float = 5.0) -> Tuple[int, str]:
    status, _, body = http_request(url, timeout=timeout)
    return status, body.decode(errors="replace")


def post_seed(url: str, num, timeout: float = 5.0) -> Tuple[int, str]:
    body = json.dumps({"num": num}).encode()
    status, _, data = http_request(url, "POST", body, {"Content-Type": "application/json"},
                                   timeout=timeout)
    return status, data.decode(errors="replace")
