"""A server that cannot listen says why and what to do, in one line, and exits at once: the
socket error alone (`bind(descriptor:ptr:bytes:): Address already in use (errno: 98)`) names
neither the port nor the fix."""
import socket
import subprocess
import time

from testkit import free_port, seed_server_bin
from testkit.environment import clean_environment

# Failing to bind is immediate; the bound allows a loaded machine's start-up of a debug build.
EXIT_BOUND = 15.0


def _start(*args: str) -> subprocess.CompletedProcess:
    started = time.monotonic()
    done = subprocess.run([str(seed_server_bin()), "--backend", "memory", *args], capture_output=True,
                          text=True, timeout=60, env=clean_environment(), stdin=subprocess.DEVNULL)
    assert time.monotonic() - started < EXIT_BOUND, "the server did not give up at once"
    return done


def test_a_port_in_use_is_named_with_the_fix():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = _start("--host", "127.0.0.1", "--port", str(port))
    assert done.returncode != 0
    error = done.stderr.strip().splitlines()[-1]
    assert f"port {port} on 127.0.0.1 is already in use" in error, done.stderr
    assert "--port or PORT" in error and "errno" not in error, error


def test_an_address_this_machine_lacks_is_named_with_the_fix():
    # 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a real interface.
    done = _start("--host", "192.0.2.7", "--port", str(free_port()))
    assert done.returncode != 0
    error = done.stderr.strip().splitlines()[-1]
    assert "192.0.2.7 is not an address of this machine" in error, done.stderr
    assert "--host 0.0.0.0" in error, error
