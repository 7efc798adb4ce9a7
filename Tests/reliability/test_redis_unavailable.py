"""What seed-server says when Redis cannot give it the seed: a `rediss://` URL, Redis absent at
start, Redis still loading its data set, a key that holds something other than an integer.

The README's "When Redis is down" section, checked on real processes: the start-up log lines, a
fast 503 for GET and HEAD, and a reason in the answer that names what to fix.
"""
import contextlib
import secrets
import shutil
import signal
import subprocess
import tempfile
import time

from testkit import RedisServer, SeedServer, free_port, get_seed, http_request, wait_for_port
from testkit import wait_until

# These 503s come at once. The servers get a Redis timeout far above the bound, so a 503 that
# waited for the timeout (or a hang) shows; the bound is what "at once" may take on a 2-core
# machine under heavy load.
TIMEOUT_ARGS = ["--redis-timeout-ms", "10000"]
ANSWER_BOUND = 3.0
RECOVERY_BOUND = 2.0  # the README: back about 0.3 s after Redis is; plus polling and load


def _timed(url: str, method: str = "GET"):
    started = time.monotonic()
    status, headers, body = http_request(url, method, timeout=5)
    return status, headers, body.decode(errors="replace"), time.monotonic() - started


def _serving_since(url: str, since: float, timeout: float = 10) -> float:
    """Seconds from `since` until `url` first answers 200; infinity if not within `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if get_seed(url, timeout=2)[0] == 200:
            return time.monotonic() - since
        time.sleep(0.01)
    return float("inf")


def test_rediss_url_is_refused_at_start():
    seed = SeedServer("redis", "rediss://127.0.0.1:6380/0")
    started = time.monotonic()
    seed.start(wait=False)
    try:
        assert wait_until(lambda: not seed.running(), timeout=30), \
            "seed-server kept running with a rediss:// URL"
        took = time.monotonic() - started
    finally:
        code = seed.stop()
    assert code not in (0, None), f"exit status {code}; log:\n{seed.log()}"
    assert "rediss:// (TLS) is not supported" in seed.log(), seed.log()
    assert "redis://" in seed.log().split("rediss://", 2)[-1], "the message should say what to use"
    assert took < 20, f"took {took:.1f} s to refuse"


def test_absent_at_start_logs_once_answers_503_then_serves_again():
    port = free_port()  # nothing listens there yet
    with SeedServer("redis", f"redis://127.0.0.1:{port}/0", extra_args=TIMEOUT_ARGS) as seed:
        for method in ("GET", "HEAD", "GET", "HEAD"):
            status, headers, body, took = _timed(seed.url, method)
            assert status == 503, (method, status, body)
            assert took <= ANSWER_BOUND, f"{method} took {took:.3f} s while Redis was absent"
            assert "x-served-by" in headers
            if method == "HEAD":
                assert body == "", f"HEAD answered a body: {body!r}"
            else:
                assert f"cannot reach Redis at 127.0.0.1:{port}" in body, body
        time.sleep(1.0)  # several reconnect attempts
        log = seed.log()
        said = [line for line in log.splitlines() if "cannot reach Redis" in line]
        assert len(said) == 1, f"logged {len(said)} times:\n{log}"
        assert f"127.0.0.1:{port}" in said[0] and "is it running" in said[0] \
            and "--backend memory" in said[0], said[0]
        assert "serving again" not in log

        with RedisServer(port=port):
            back = _serving_since(seed.url, time.monotonic())
            assert back <= RECOVERY_BOUND, f"served again only {back:.2f} s after Redis started"
            assert _timed(seed.url, "HEAD")[0] == 200
            log = seed.log()
            assert log.count("serving again") == 1, log
            assert log.index("cannot reach Redis") < log.index("serving again")


def test_non_integer_key_is_a_503_naming_the_key():
    key = f"seedkeeper:test:{secrets.token_hex(4)}"
    with RedisServer() as redis, \
            SeedServer("redis", redis.url, extra_args=["--redis-key", key, *TIMEOUT_ARGS]) as seed:
        assert redis.cli("SET", key, "not-a-number") == "OK"
        status, _, body, took = _timed(seed.url)
        assert status == 503, (status, body)
        assert f"'{key}'" in body and "not an integer" in body, body
        assert f"redis-cli DEL {key}" in body, body
        assert took <= ANSWER_BOUND
        assert http_request(seed.url, "HEAD", timeout=5)[0] == 503
        assert redis.cli("GET", key) == "not-a-number", "a read must not change the key"


@contextlib.contextmanager
def _redis_loading_at_start(keys: int, seed_key: str, seed_value: int):
    """A redis-server restarted on a data set it takes a few seconds to load: each key costs
    100 µs, and it answers clients (with LOADING) every KiB loaded. Yields its port."""
    port = free_port()
    folder = tempfile.mkdtemp(prefix="redis-loading-")
    argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--dir", folder,
            "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--enable-debug-command", "yes", "--key-load-delay", "100",
            "--loading-process-events-interval-bytes", "1024"]
    procs = []

    def start():
        log = open(f"{folder}/output.log", "ab")
        procs.append(subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL))
        log.close()
        wait_for_port(port, timeout=10)

    def cli(*args):
        return subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True,
                              text=True, timeout=30).stdout.strip()

    try:
        start()
        assert cli("DEBUG", "POPULATE", str(keys)) == "OK"
        assert cli("SET", seed_key, str(seed_value)) == "OK"
        assert cli("SAVE") == "OK"
        procs[-1].send_signal(signal.SIGKILL)
        procs[-1].wait(10)
        start()
        yield port, cli
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


def test_loading_at_start_is_a_503_with_redis_words_then_the_loaded_seed():
    with _redis_loading_at_start(40_000, "seedkeeper:seed", 41) as (port, cli):
        assert cli("PING").startswith("LOADING"), "Redis finished loading too soon to test"
        with SeedServer("redis", f"redis://127.0.0.1:{port}/0", extra_args=TIMEOUT_ARGS) as seed:
            assert cli("PING").startswith("LOADING"), "Redis finished loading too soon to test"
            status, _, body, took = _timed(seed.url)
            assert status == 503, (status, body)
            assert "LOADING" in body and "loading its data set" in body, body
            assert took <= ANSWER_BOUND, f"took {took:.3f} s while Redis was loading"
            time.sleep(1.0)
            assert seed.log().count("LOADING") == 1, seed.log()
            assert wait_until(lambda: get_seed(seed.url) == (200, "41"), timeout=30), seed.log()
            assert "serving again" in seed.log()
