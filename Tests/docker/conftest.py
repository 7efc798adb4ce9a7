"""A real Docker engine for the tests in this folder, and the stand-in base images.

The engine is one that already answers, or a dockerd that deploy/docker/engine starts with its own
data root, pid file and socket under run/docker; the fixture stops that daemon (by its pid) at the
end of the session, and leaves alone an engine it did not start. The data root is kept, so the
stand-ins and the build cache of one run serve the next.
"""
import os
import sys
import time
from pathlib import Path

import pytest

from docker_harness import ENGINE, RUN_DIR, STANDINS, exports, run, tail

# Building the stand-ins from nothing: debootstrap, apt-get and a 3.3 GB toolchain, on two busy cores.
STANDINS_TIMEOUT = 1800


@pytest.fixture(scope="session")
def docker_env():
    """The environment that reaches the engine: DOCKER_HOST, and PATH with a BuildKit client first."""
    if os.geteuid() != 0:
        pytest.fail("the Docker tests start dockerd and debootstrap: run them as root (CI does)")
    result = run([ENGINE, "up", RUN_DIR], dict(os.environ), timeout=900)
    if result.returncode != 0:
        pytest.fail(f"no Docker engine: {tail(result)}")
    env = {**os.environ, **exports(result.stdout)}
    # Only this fixture stops the daemon it started: a script given this marker would take the
    # daemon for its own and stop it when it finishes, under the tests that come after it.
    started = env.pop("SEEDKEEPER_ENGINE_STARTED", None)
    print(result.stderr, file=sys.stderr)
    yield env
    if started:
        stop = run([ENGINE, "down", RUN_DIR], env, timeout=120)
        assert stop.returncode == 0, tail(stop)
        pid = int(started)
        assert not Path(f"/proc/{pid}").exists(), f"dockerd {pid} still runs after `engine down`"


@pytest.fixture(scope="session")
def standins(docker_env):
    """debian:bookworm-slim, redis:7, haproxy:2.6 and swift:6.3-bookworm, built here if missing."""
    started = time.monotonic()
    result = run([STANDINS], docker_env, timeout=STANDINS_TIMEOUT)
    if result.returncode != 0:
        pytest.fail(f"stand-in images: {tail(result)}")
    print(f"stand-in images ready in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return docker_env
