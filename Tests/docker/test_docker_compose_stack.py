"""docker-compose.yml on a real engine: `deploy/docker/compose up` (what `make compose` runs) builds
the stack from the repo's Dockerfile on the stand-in base images, all four services turn healthy,
seed-check passes through the LB and both targets, a killed seed-a leaves the LB serving, Redis
recreated from its volume keeps the last acknowledged POST, and `down -v` leaves nothing behind.

The tests run in file order on one stack; each says what it needs from the ones before.
"""
import random
import socket
import sys
import time

import pytest
import yaml

from docker_harness import compose, docker, run, tail
from testkit import REPO_ROOT, get_seed, http_request, post_seed, seed_check_bin

pytestmark = pytest.mark.slow

PROJECT = "seedkeeper"
SERVICES = ("redis", "seed-a", "seed-b", "lb")
LB, SEED_A, SEED_B = "http://127.0.0.1:8080", "http://127.0.0.1:8081", "http://127.0.0.1:8082"
PUBLISHED_PORTS = (8080, 8081, 8082, 6380)
# The image build is one release build of seed-server: ~4-13 minutes on two cores, more when the
# machine is busy; the health wait after it is bounded by the compose script (180 s).
UP_TIMEOUT = 2700


def port_taken(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def stack(standins):
    env = standins
    taken = [p for p in PUBLISHED_PORTS if port_taken(p)]
    if taken:
        pytest.fail(f"ports {taken} on 127.0.0.1 are in use (`make stack` or `make compose` running?): "
                    "the compose stack publishes 8080-8082 and 6380 — stop what holds them")
    started = time.monotonic()
    up = compose(env, "up", timeout=UP_TIMEOUT)
    try:
        assert up.returncode == 0, f"`deploy/docker/compose up` failed:\n{tail(up, 60)}"
        print(f"compose up --build and healthy in {time.monotonic() - started:.0f} s", file=sys.stderr)
        yield env
    finally:
        down = compose(env, "down")
        assert down.returncode == 0, tail(down)


def container(env, service: str) -> str:
    result = compose(env, "ps", "-q", service)
    assert result.returncode == 0 and result.stdout.strip(), f"no {service} container: {tail(result)}"
    return result.stdout.strip()


def health(env, service: str) -> str:
    return docker(env, "inspect", "-f", "{{.State.Health.Status}}", container(env, service)).strip()


def wait_for(predicate, timeout: float, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def test_compose_gets_the_file_minus_only_its_name(stack):
    """Compose v1 refuses the top-level `name:`; its copy must differ by that key alone."""
    result = compose(stack, "file")
    assert result.returncode == 0, tail(result)
    used = (REPO_ROOT / result.stdout.strip()).resolve()
    original = REPO_ROOT / "docker-compose.yml"
    if used == original.resolve():
        return  # Compose v2 reads the file as it is
    original_doc, used_doc = yaml.safe_load(original.read_text()), yaml.safe_load(used.read_text())
    assert original_doc.pop("name") == PROJECT
    assert used_doc == original_doc
    dropped = [line for line in original.read_text().splitlines()
               if line not in used.read_text().splitlines()]
    assert dropped == [f"name: {PROJECT}"], dropped


def test_all_four_services_are_healthy(stack):
    assert {service: health(stack, service) for service in SERVICES} == dict.fromkeys(SERVICES, "healthy")
    # Every published port is on loopback only.
    for service in SERVICES:
        bindings = docker(stack, "inspect", "-f",
                          "{{range $p, $b := .NetworkSettings.Ports}}{{range $b}}{{.HostIp}} {{end}}{{end}}",
                          container(stack, service)).split()
        assert bindings and set(bindings) == {"127.0.0.1"}, (service, bindings)


def test_seed_check_passes_through_the_lb_and_both_targets(stack):
    result = run([seed_check_bin(), "--lb", LB, "--target", SEED_A, "--target", SEED_B], stack, timeout=120)
    assert result.returncode == 0, f"seed-check failed:\n{tail(result, 60)}"


def test_redis_recreated_from_its_volume_keeps_the_last_acknowledged_post(stack):
    value = random.randint(-2**63, 2**63 - 1)
    assert post_seed(LB, value) == (200, str(value))
    # Killed (no shutdown save), removed, and created anew: only the AOF on the volume is left.
    for args in (("kill", "redis"), ("rm", "-f", "redis"), ("up", "-d", "--no-deps", "redis")):
        result = compose(stack, *args)
        assert result.returncode == 0, f"compose {' '.join(args)}: {tail(result)}"
    assert wait_for(lambda: health(stack, "redis") == "healthy", 60), "redis did not turn healthy again"
    stored = docker(stack, "exec", container(stack, "redis"), "redis-cli", "-p", "6380", "GET", "seedkeeper:seed")
    assert stored.strip() == str(value)
    # Both targets reconnect by themselves and serve it.
    for target in (SEED_A, SEED_B):
        assert wait_for(lambda: get_seed(target) == (200, str(value)), 30), (target, get_seed(target))


def test_killing_seed_a_leaves_the_lb_serving(stack):
    value = random.randint(1, 10**9)
    assert post_seed(LB, value) == (200, str(value))
    result = compose(stack, "kill", "seed-a")
    assert result.returncode == 0, tail(result)
    served_by = []
    deadline = time.monotonic() + 10
    for _ in range(40):
        status, headers, body = http_request(LB + "/", timeout=5)
        assert (status, body.decode()) == (200, str(value)), (status, body)
        served_by.append(headers.get("x-served-by"))
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert set(served_by) == {"seed-b"}, served_by
    assert post_seed(LB, value + 1) == (200, str(value + 1))
    assert get_seed(SEED_B) == (200, str(value + 1))
    # Back to four healthy services, for what follows.
    result = compose(stack, "start", "seed-a")
    assert result.returncode == 0, tail(result)
    assert wait_for(lambda: health(stack, "seed-a") == "healthy", 60)
    assert get_seed(SEED_A) == (200, str(value + 1))


def test_down_v_leaves_no_container_network_or_volume(stack):
    label = f"label=com.docker.compose.project={PROJECT}"
    assert docker(stack, "volume", "ls", "-q", "--filter", label).split(), "the Redis volume should exist before down"
    result = compose(stack, "down")
    assert result.returncode == 0, tail(result)
    left = {kind: docker(stack, *cmd, "--filter", label).split()
            for kind, cmd in (("containers", ("ps", "-aq")), ("networks", ("network", "ls", "-q")),
                              ("volumes", ("volume", "ls", "-q")))}
    assert left == {"containers": [], "networks": [], "volumes": []}, left
