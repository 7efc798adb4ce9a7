"""The Redis password never appears in `--help`, in logs, or in error answers — whether it comes
from the flag or the environment, is right or wrong, and while Redis fails."""
import os
import secrets
import signal
import socket
import subprocess

import pytest

from testkit import RedisServer, SeedServer, free_port, get_seed, http_request, post_seed
from testkit import seed_server_bin, wait_until

PASSWORD = "pw" + secrets.token_hex(12)
WRONG_PASSWORD = "wrong" + secrets.token_hex(12)


def _assert_clean(text: str, where: str, *secrets_: str) -> None:
    for secret in secrets_ or (PASSWORD,):
        assert secret not in text, f"the Redis password appears in {where}:\n{text[-3000:]}"


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_help_does_not_show_the_password(how):
    url = f"redis://default:{PASSWORD}@127.0.0.1:6399/0"
    env = {k: v for k, v in os.environ.items()}
    argv = [str(seed_server_bin())]
    if how == "environment":
        env["REDIS_URL"] = url
    else:
        argv += ["--redis-url", url]
    done = subprocess.run(argv + ["--help"], capture_output=True, text=True, timeout=30, env=env)
    assert done.returncode == 0, done.stderr
    assert "--redis-url" in done.stdout, "the help should still describe --redis-url"
    _assert_clean(done.stdout + done.stderr, f"--help output ({how})")


def test_logs_and_errors_do_not_show_the_password():
    with RedisServer(password=PASSWORD) as redis, \
            SeedServer("redis", redis.url, extra_args=["--log-level", "trace"]) as seed:
        assert post_seed(seed.url, 7) == (200, "7")
        assert get_seed(seed.url) == (200, "7")
        redis.kill()  # errors while Redis is gone
        answers = [http_request(seed.url, "POST", b'{"num": 8}', timeout=5) for _ in range(3)]
        answers += [http_request(seed.url, timeout=5) for _ in range(3)]
        assert all(status == 503 for status, _, _ in answers), [a[0] for a in answers]
        for _, headers, body in answers:
            _assert_clean(body.decode(errors="replace") + repr(headers), "a 503 answer")
        redis.start()
        assert wait_until(lambda: get_seed(seed.url)[0] == 200, timeout=10)
        seed.stop()
        _assert_clean(seed.log(), "the server log (trace level, through a Redis outage)")


def test_wrong_password_is_reported_without_either_password():
    with RedisServer(password=PASSWORD) as redis:
        wrong_url = f"redis://:{WRONG_PASSWORD}@127.0.0.1:{redis.port}/0"
        seed = SeedServer("redis", wrong_url, extra_args=["--log-level", "trace"])
        seed.start(wait=False)
        try:
            # Either the server refuses to start, or it starts and answers 503: both must say
            # why without the secret.
            wait_until(lambda: not seed.running() or _listening(seed.port), timeout=30)
            if seed.running():
                status, headers, body = http_request(seed.url, "POST", b'{"num": 1}', timeout=5)
                assert status == 503
                _assert_clean(body.decode(errors="replace"), "a 503 answer", PASSWORD,
                              WRONG_PASSWORD)
        finally:
            seed.stop()
        log = seed.log()
        assert log.strip(), "the server said nothing about the failed authentication"
        _assert_clean(log, "the server log after a failed AUTH", PASSWORD, WRONG_PASSWORD)


def test_unreachable_redis_error_does_not_show_the_password():
    port = free_port()  # nothing listens there
    seed = SeedServer("redis", f"redis://user:{PASSWORD}@127.0.0.1:{port}/0")
    seed.start(wait=False)
    try:
        wait_until(lambda: not seed.running() or _listening(seed.port), timeout=30)
        if seed.running():
            status, _, body = http_request(seed.url, timeout=5)
            assert status == 503
            _assert_clean(body.decode(errors="replace"), "a 503 answer")
    finally:
        seed.stop(signal.SIGTERM)
    assert seed.log().strip(), "the server said nothing about the unreachable Redis"
    _assert_clean(seed.log(), "the server log for an unreachable Redis")


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False
