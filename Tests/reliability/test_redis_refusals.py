"""Redis refusing seed-server with an error reply while it connects: protected mode (from another
host), no password or a wrong one, maxclients reached.

Each time: every request gets a fast 503 that carries Redis' own words and what to do; the log
says it once per outage, not once per retry; nothing claims Redis is back until a round trip has
worked; and once the cause is gone the server serves again by itself.
"""
import contextlib
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from testkit import RedisServer, SeedServer, free_port, get_seed, http_request, wait_until
from testkit.netns import PrivateNetwork, namespace_exists

# A refused server answers 503 at once. Its Redis timeout is set far above the bound, so a 503
# that waited for the timeout (or a hang) shows; the bound is what "at once" may take on a
# 2-core machine under heavy load.
TIMEOUT_ARGS = ["--redis-timeout-ms", "10000"]
ANSWER_BOUND = 3.0
WATCH = 2.0         # long enough for many reconnect attempts (every 20-250 ms)


def _watch(url: str, seconds: float = WATCH):
    """GET every 100 ms for `seconds`: (status, body, seconds taken) for each."""
    answers, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.monotonic()
        status, _, body = http_request(url, timeout=5)
        answers.append((status, body.decode(errors="replace"), time.monotonic() - started))
        time.sleep(0.1)
    return answers


def _assert_refused(seed: SeedServer, words: str, hint: str) -> None:
    answers = _watch(seed.url)
    assert all(status == 503 for status, _, _ in answers), [a[:2] for a in answers[:3]]
    for _, body, _ in answers:
        assert words in body and hint in body, f"the 503 lacks {words!r} or {hint!r}: {body}"
        assert body.endswith("\n") and "\n" not in body[:-1], f"not one line: {body!r}"
    slowest = max(took for _, _, took in answers)
    assert slowest <= ANSWER_BOUND, f"a 503 took {slowest:.3f} s"
    log = seed.log()
    said = [line for line in log.splitlines() if words in line]
    assert len(said) == 1, f"Redis' refusal logged {len(said)} times in {WATCH} s:\n{log}"
    assert hint in said[0], said[0]
    assert "serving again" not in log, f"claimed Redis was back while it refused us:\n{log}"
    assert "lost the connection" not in log, f"reported a lost connection, not the refusal:\n{log}"


def _assert_serves_again(seed: SeedServer) -> None:
    assert wait_until(lambda: get_seed(seed.url)[0] == 200, timeout=10), seed.log()
    assert seed.log().count("serving again") == 1, seed.log()


@contextlib.contextmanager
def _redis_in(network: PrivateNetwork, *options: str):
    """redis-server inside `network`, on its veth address and its own loopback."""
    port = free_port()
    folder = tempfile.mkdtemp(prefix="redis-netns-")
    log = open(f"{folder}/output.log", "ab")
    proc = network.popen(["redis-server", "--bind", network.inner_address, "127.0.0.1",
                          "--port", str(port), "--dir", folder, "--save", "",
                          "--daemonize", "no", *options],
                         stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log.close()
    try:
        deadline = time.monotonic() + 10
        while network.run(["redis-cli", "-p", str(port), "PING"]) != "PONG":
            assert proc.poll() is None and time.monotonic() < deadline, \
                open(f"{folder}/output.log").read()
            time.sleep(0.05)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(folder, ignore_errors=True)


def test_protected_mode_refusal_from_another_host():
    with PrivateNetwork() as network:
        with _redis_in(network, "--protected-mode", "yes") as port:
            # What Redis itself answers a client on the host side of the link.
            probe = subprocess.run(["redis-cli", "-h", network.inner_address, "-p", str(port),
                                    "PING"], capture_output=True, text=True, timeout=10)
            assert probe.stdout.startswith("DENIED"), probe.stdout + probe.stderr
            url = f"redis://{network.inner_address}:{port}/0"
            with SeedServer("redis", url, extra_args=TIMEOUT_ARGS) as seed:
                _assert_refused(seed, "DENIED Redis is running in protected mode",
                                "put it in --redis-url / REDIS_URL")
                # The operator's first fix, made from the namespace's own loopback.
                assert network.run(["redis-cli", "-p", str(port), "CONFIG", "SET",
                                    "protected-mode", "no"]) == "OK"
                _assert_serves_again(seed)
        name = network.name
    assert not namespace_exists(name), f"network namespace {name} left behind"


def test_no_password_refused_with_noauth():
    password = "pw" + secrets.token_hex(8)
    with RedisServer(password=password) as redis, \
            SeedServer("redis", f"redis://127.0.0.1:{redis.port}/0",
                       extra_args=TIMEOUT_ARGS) as seed:
        _assert_refused(seed, "NOAUTH", "it needs a password")
        assert redis.cli("CONFIG", "SET", "requirepass", "") == "OK"
        _assert_serves_again(seed)


def test_wrong_password_refused_with_wrongpass():
    password = "pw" + secrets.token_hex(8)
    with RedisServer(password=password) as redis:
        assert redis.cli("ACL", "SETUSER", "alice", "on", f">{password}", "~*", "+@all") == "OK"
        wrong = "wrong" + secrets.token_hex(8)
        with SeedServer("redis", f"redis://alice:{wrong}@127.0.0.1:{redis.port}/0",
                        extra_args=TIMEOUT_ARGS) as seed:
            _assert_refused(seed, "WRONGPASS", "check the user and password")
            assert wrong not in seed.log() and password not in seed.log()
            assert redis.cli("ACL", "SETUSER", "alice", f">{wrong}") == "OK"
            _assert_serves_again(seed)


def _hold_the_only_place(redis: RedisServer) -> socket.socket:
    """A connection that holds the one place maxclients 1 allows. Redis may still be closing the
    redis-cli connection that set it and turn this one away (it writes an error and closes), so
    try until Redis has left one silent, that is accepted, for a moment."""
    for _ in range(50):
        held = socket.create_connection(("127.0.0.1", redis.port), timeout=5)
        time.sleep(0.2)
        held.setblocking(False)
        try:
            held.recv(1, socket.MSG_PEEK)
        except BlockingIOError:
            return held
        held.close()
    raise AssertionError("could not fill Redis' only client place")


def test_max_clients_reached():
    with RedisServer() as redis:
        assert redis.cli("CONFIG", "SET", "maxclients", "1") == "OK"
        held = _hold_the_only_place(redis)
        try:
            with SeedServer("redis", f"redis://127.0.0.1:{redis.port}/0",
                            extra_args=TIMEOUT_ARGS) as seed:
                _assert_refused(seed, "ERR max number of clients reached", "raise maxclients")
                held.close()
                _assert_serves_again(seed)
        finally:
            held.close()
