"""The Redis password never appears in `--help`, in logs, or in error answers — whether it comes
from the flag or the environment, is right or wrong, and while Redis fails.

Each test first proves it looked where the password would be: the server is running and
answering, and the line that carries the Redis URL is there with `***` in the password's place.
A server that died at start, or logged nothing useful, fails these tests instead of passing them.
"""
import secrets
import subprocess
import time

import pytest

from testkit import RedisServer, SeedServer, clean_environment, free_port, get_seed, http_request
from testkit import post_seed, seed_server_bin, wait_until

PASSWORD = "pw" + secrets.token_hex(12)
WRONG_PASSWORD = "wrong" + secrets.token_hex(12)
# A server whose Redis is down or refuses it still starts and answers 503 within its Redis
# timeout (500 ms); 3 s covers a loaded machine and still catches a hang.
ANSWER_BOUND = 3.0


def _assert_clean(text: str, where: str, *secrets_: str) -> None:
    for secret in secrets_ or (PASSWORD,):
        assert secret not in text, f"the Redis password appears in {where}:\n{text[-3000:]}"


def _masked(url_user: str, port: int) -> str:
    """The form the server must show the URL in: the password replaced by `***`."""
    return f"redis://{url_user}:***@127.0.0.1:{port}/0"


def _line_with(log: str, *parts: str) -> str:
    """The first log line that holds every one of `parts`; fails naming what is missing."""
    for line in log.splitlines():
        if all(part in line for part in parts):
            return line
    raise AssertionError(f"no log line holds all of {parts}; the log:\n{log[-3000:]}")


def _answers_503_quickly(seed: SeedServer, method: str = "GET") -> bytes:
    """One request to a server whose Redis is unusable: 503, within ANSWER_BOUND; its body."""
    body = b'{"num": 1}' if method == "POST" else None
    started = time.monotonic()
    status, _, data = http_request(seed.url, method, body, timeout=ANSWER_BOUND + 5)
    elapsed = time.monotonic() - started
    assert status == 503, (status, data, seed.log()[-2000:])
    assert elapsed <= ANSWER_BOUND, f"the 503 took {elapsed:.2f} s"
    return data


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_help_does_not_show_the_password(how):
    url = f"redis://default:{PASSWORD}@127.0.0.1:6399/0"
    argv = [str(seed_server_bin())]
    env = clean_environment()
    if how == "environment":
        env["REDIS_URL"] = url
    else:
        argv += ["--redis-url", url]
    done = subprocess.run(argv + ["--help"], capture_output=True, text=True, timeout=30, env=env,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert "--redis-url" in done.stdout, "the help should still describe --redis-url"
    if how == "environment":
        # The help shows what REDIS_URL holds, so it really read the variable — masked.
        assert _masked("default", 6399) in done.stdout, \
            f"--help does not show REDIS_URL's value (masked):\n{done.stdout}"
    _assert_clean(done.stdout + done.stderr, f"--help output ({how})")


def test_logs_and_errors_do_not_show_the_password():
    with RedisServer(password=PASSWORD) as redis, \
            SeedServer("redis", redis.url, extra_args=["--log-level", "trace"]) as seed:
        assert post_seed(seed.url, 7) == (200, "7")
        assert get_seed(seed.url) == (200, "7")
        assert redis.cli("GET", "seedkeeper:seed") == "7", "the seed did not land in Redis"
        redis.kill()  # errors while Redis is gone
        answers = [_answers_503_quickly(seed, "POST") for _ in range(3)]
        answers += [_answers_503_quickly(seed) for _ in range(3)]
        for body in answers:
            _assert_clean(body.decode(errors="replace"), "a 503 answer")
        redis.start()  # empty (it saves nothing), so the seed reads as 0 once it is back
        assert wait_until(lambda: get_seed(seed.url) == (200, "0"), timeout=10), seed.log()[-2000:]
        seed.stop()
        log = seed.log()
    _line_with(log, "seed-server listening", _masked("", redis.port))
    _line_with(log, "serving again", _masked("", redis.port))
    _assert_clean(log, "the server log (trace level, through a Redis outage)")


def test_wrong_password_is_reported_without_either_password():
    with RedisServer(password=PASSWORD) as redis:
        wrong_url = f"redis://:{WRONG_PASSWORD}@127.0.0.1:{redis.port}/0"
        # It must start anyway (README: "the server starts anyway ... answers 503").
        with SeedServer("redis", wrong_url, extra_args=["--log-level", "trace"]) as seed:
            for method in ("GET", "POST"):
                body = _answers_503_quickly(seed, method).decode(errors="replace")
                assert "AUTH" in body, f"the 503 does not say the password was refused: {body!r}"
                _assert_clean(body, "a 503 answer", PASSWORD, WRONG_PASSWORD)
            assert redis.cli("GET", "seedkeeper:seed") == "", "a refused client wrote the seed"
            seed.stop()
            log = seed.log()
    _line_with(log, "seed-server listening", _masked("", redis.port))
    _line_with(log, "AUTH", _masked("", redis.port))
    _assert_clean(log, "the server log after a failed AUTH", PASSWORD, WRONG_PASSWORD)


def test_unreachable_redis_error_does_not_show_the_password():
    port = free_port()  # nothing listens there
    with SeedServer("redis", f"redis://user:{PASSWORD}@127.0.0.1:{port}/0") as seed:
        body = _answers_503_quickly(seed).decode(errors="replace")
        assert f"127.0.0.1:{port}" in body, f"the 503 does not name the Redis it could not reach: {body!r}"
        _assert_clean(body, "a 503 answer")
        seed.stop()
        log = seed.log()
    _line_with(log, "seed-server listening", _masked("user", port))
    _line_with(log, "cannot reach Redis", _masked("user", port))
    _assert_clean(log, "the server log for an unreachable Redis")
