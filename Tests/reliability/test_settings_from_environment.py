"""seed-server configured the way EC2 configures it: from the environment alone.

On EC2 the server gets no flags: systemd starts the unit's `ExecStart=` with the unit's
`Environment=` lines and the `EnvironmentFile` that deploy/ec2/install.sh writes. Here install.sh
really runs (staged with `--root`), the staged unit and file are read the way systemd reads them,
and the staged binary is started with exactly that environment against a real redis-server.
Which variable belongs to which option is read from `seed-server --help`, never copied here.
"""
import functools
import random
import re
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from testkit import REPO_ROOT, RedisServer, SeedServer, free_port, http_request, post_seed, \
    seed_server_bin, wait_for_port, wait_until

from .documented_options import documented_options
from .raw_http import KeepAliveConnection, request_bytes
from .systemd_service import SYSTEMD_DEFAULT_PATH, ServiceUnit

INSTALL = REPO_ROOT / "deploy" / "ec2" / "install.sh"
UNIT = REPO_ROOT / "deploy" / "systemd" / "seedkeeper.service"
INSTANCE_ID = "i-0e2c5eed0ec2a0001"

@functools.lru_cache(maxsize=None)
def options():
    return documented_options(seed_server_bin())


def variable(flag: str) -> str:
    """The environment variable `--help` names for `flag`."""
    assert flag in options(), f"{flag} names no environment variable in --help"
    return options()[flag].variable


def default(flag: str) -> str:
    return options()[flag].default


@contextmanager
def running(argv, env, log_path: Path):
    """A process started with exactly `env`; killed and reaped on every way out."""
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, cwd=log_path.parent)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def stage_install(tmp_path: Path, redis: RedisServer, port: int) -> Path:
    """Runs install.sh for real into a staging root; returns the root."""
    root = tmp_path / "root"
    result = subprocess.run([str(INSTALL), "--root", str(root), "--binary", str(seed_server_bin()),
                             "--unit", str(UNIT), "--redis-url", redis.url,
                             "--instance-name", INSTANCE_ID, "--port", str(port)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def refuses_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.25).close()
        return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False


@pytest.mark.slow
def test_started_as_the_unit_starts_it_on_ec2(tmp_path):
    with RedisServer() as redis:
        root = stage_install(tmp_path, redis, free_port())
        unit = ServiceUnit(root / "etc" / "systemd" / "system" / "seedkeeper.service")
        env = unit.environment(root)
        argv = unit.argv(root)
        assert argv == [str(root / "opt" / "seedkeeper" / "bin" / "seed-server")], \
            f"the unit passes flags ({argv}); this test is about the environment alone"
        assert env[variable("--backend")] == "redis", env
        port = int(env[variable("--port")])
        drain = float(env[variable("--drain-seconds")])
        assert drain > 0, "the unit sets no drain period, so the drain below would prove nothing"
        key = env.get(variable("--redis-key")) or default("--redis-key")

        def log() -> str:
            return (tmp_path / "server.log").read_text(errors="replace")

        with running(argv, env, tmp_path / "server.log") as server:
            wait_for_port(port, timeout=30)
            url = f"http://127.0.0.1:{port}"

            status, headers, body = http_request(url)
            assert status == 200, (status, body, log())
            assert headers.get("x-served-by") == INSTANCE_ID == env[variable("--instance-name")]

            # The seed lands in Redis under the key, and is read back from there.
            value = random.SystemRandom().randrange(-10 ** 15, 10 ** 15)
            assert post_seed(url, value) == (200, str(value)), log()
            assert redis.cli("GET", key) == str(value), f"the seed is not in Redis under {key!r}"
            assert redis.cli("DBSIZE") == "1", redis.cli("KEYS", "*")
            redis.cli("SET", key, "4242")
            assert http_request(url)[2] == b"4242", "GET / did not read the seed from Redis"

            # The drain: new connections refused at once, open ones answered until it ends.
            serving = KeepAliveConnection(port)
            idle = KeepAliveConnection(port)
            for connection in (serving, idle):
                assert connection.request(request_bytes("GET")).status == 200
            stopped = time.monotonic()
            server.send_signal(signal.SIGTERM)
            assert wait_until(lambda: refuses_connections(port), timeout=2.0), \
                "still accepting connections 2 s after SIGTERM"
            time.sleep(1.0)
            answer = serving.request(request_bytes("GET"))
            assert answer is not None and answer.status == 200, "an open connection got no answer mid-drain"
            assert answer.headers.get("connection") == "close", answer.headers
            assert idle.closed_by_server_within(drain + 5), "the idle connection was never closed"
            closed_after = time.monotonic() - stopped
            assert drain - 0.1 <= closed_after <= drain + 3.0, \
                f"idle connection closed {closed_after:.2f} s after SIGTERM; the drain is {drain} s"
            assert server.wait(timeout=unit.seconds("TimeoutStopSec")) == 0, log()
            exited_after = time.monotonic() - stopped
            assert exited_after < unit.seconds("TimeoutStopSec"), \
                f"exited {exited_after:.1f} s after SIGTERM: systemd would have killed it"
            print(f"from the environment: served on {port} as {INSTANCE_ID}, seed in Redis key {key!r}; "
                  f"idle connection closed {closed_after:.2f} s after SIGTERM (drain {drain} s), "
                  f"exit 0 after {exited_after:.2f} s")


def test_a_flag_wins_over_its_variable(tmp_path):
    with RedisServer() as redis:
        env_port, flag_port = free_port(), free_port()
        env = {"PATH": SYSTEMD_DEFAULT_PATH,
               variable("--backend"): "redis", variable("--redis-url"): redis.url,
               variable("--port"): str(env_port), variable("--instance-name"): "from-environment",
               variable("--redis-key"): "from-environment:seed"}
        argv = [str(seed_server_bin()), "--host", "127.0.0.1", "--port", str(flag_port),
                "--instance-name", "from-flag", "--redis-key", "from-flag:seed"]
        with running(argv, env, tmp_path / "server.log"):
            wait_for_port(flag_port, timeout=30)
            url = f"http://127.0.0.1:{flag_port}"
            assert refuses_connections(env_port), "also listening on the port from the environment"
            status, headers, _ = http_request(url)
            assert (status, headers.get("x-served-by")) == (200, "from-flag")
            assert post_seed(url, 77) == (200, "77")
            assert redis.cli("GET", "from-flag:seed") == "77"
            assert redis.cli("EXISTS", "from-environment:seed") == "0"


@pytest.mark.parametrize("flag,value", [
    ("--port", "abc"), ("--port", "70000"), ("--backend", "redsi"),
    ("--redis-timeout-ms", "0"), ("--drain-seconds", "-1"),
])
def test_an_invalid_variable_stops_the_start_and_names_the_variable(tmp_path, flag, value):
    name = variable(flag)
    env = {"PATH": SYSTEMD_DEFAULT_PATH, name: value}
    # The port comes from the environment in the first cases, so only the host is a flag.
    argv = [str(seed_server_bin()), "--host", "127.0.0.1"]
    if flag != "--port":
        argv += ["--port", str(free_port())]
    with running(argv, env, tmp_path / "server.log") as server:
        try:
            code = server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{name}={value} was accepted: the server is still running 15 s later")
    output = (tmp_path / "server.log").read_text(errors="replace")
    assert code != 0, output
    assert re.search(rf"\b{name}\b", output) and value in output, \
        f"{name}={value}: the message does not name the variable and its value:\n{output}"


def test_redis_key_flag_is_honoured():
    with RedisServer() as redis, \
            SeedServer("redis", redis.url, extra_args=["--redis-key", "tenant-7:seed"]) as server:
        assert post_seed(server.url, 31337) == (200, "31337")
        assert redis.cli("GET", "tenant-7:seed") == "31337"
        assert redis.cli("EXISTS", default("--redis-key")) == "0"
        redis.cli("SET", "tenant-7:seed", "-5")
        assert http_request(server.url)[2] == b"-5"


@pytest.mark.slow
def test_redis_timeout_flag_is_honoured():
    # Far from the default, so a server that ignores the flag misses the window on either side.
    timeout_ms = 1500
    assert int(default("--redis-timeout-ms")) * 2 <= timeout_ms
    with RedisServer() as redis, \
            SeedServer("redis", redis.url, extra_args=["--redis-timeout-ms", str(timeout_ms)]) as server:
        assert post_seed(server.url, 9) == (200, "9")
        redis.signal(signal.SIGSTOP)  # connections stay open, nothing is answered
        try:
            started = time.monotonic()
            status, _, body = http_request(server.url, timeout=30)
            waited = time.monotonic() - started
        finally:
            redis.signal(signal.SIGCONT)
        assert status == 503, (status, body)
        # From below: it waited for the reply as long as configured. From above: 2 s of slack for
        # a loaded machine, far short of a hang.
        assert timeout_ms / 1000 * 0.9 <= waited <= timeout_ms / 1000 + 2.0, \
            f"503 after {waited:.2f} s with --redis-timeout-ms {timeout_ms}"
        print(f"frozen Redis, --redis-timeout-ms {timeout_ms}: 503 after {waited:.2f} s")
