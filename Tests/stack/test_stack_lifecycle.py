"""The local stack end to end: seed-check passes on it, it survives losing an instance, it
starts twice harmlessly, it names a busy port, and `down` leaves nothing running."""
import errno
import random
import signal
import socket
import time

from stack_harness import json_report, process_alive, rows_by_id, wait_for_exit
from testkit import http_request, post_seed, wait_until


def test_seed_check_passes_then_the_lb_survives_losing_an_instance(stack):
    stack.up()

    table = stack.seed_check()
    assert table.returncode == 0, table.stdout + table.stderr + stack.logs()
    assert "all 8 checks passed" in table.stdout
    report = json_report(stack.seed_check("--json"))
    assert report["passed"] is True
    assert {row["result"] for row in report["checks"]} == {"PASS"}
    assert len(report["checks"]) == 8

    # seed-b dies without warning; HAProxy retries its requests on seed-a (retry-on conn-failure,
    # option redispatch), then its health check takes seed-b out. No client sees an error.
    stack.kill("seed-b")
    failures = []
    deadline = time.monotonic() + 60
    for attempt in range(40):
        assert time.monotonic() < deadline, "the loop must stay bounded in time"
        value = random.randint(-(10**18), 10**18)
        status, body = post_seed(stack.lb_url, value)
        if (status, body) != (200, str(value)):
            failures.append(("POST", attempt, status, body))
        status, headers, data = http_request(stack.lb_url)
        if (status, data.decode()) != (200, str(value)):
            failures.append(("GET", attempt, status, data[:80]))
        elif headers.get("x-served-by") != "seed-a":
            failures.append(("GET served by", attempt, headers.get("x-served-by")))
        time.sleep(0.05)  # spread the requests over ~2 s: before and after the health check acts
    errors_logged = [line for line in (stack.directory / "logs" / "haproxy.log").read_text().splitlines()
                     if " 50" in line or "seed-b" in line and "WARNING" in line]
    assert failures == [], f"the LB let requests fail after seed-b died: {failures}\n" + "\n".join(errors_logged)

    status = stack.run("status")
    assert status.returncode == 3
    assert "seed-b   stopped" in status.stdout and "seed-a   running" in status.stdout


def test_down_stops_exactly_what_up_started(stack):
    stack.up()
    pids = stack.recorded_pids()
    assert set(pids) == {"redis", "seed-a", "seed-b", "haproxy"}
    assert all(process_alive(pid) for pid in pids.values())

    down = stack.down()
    assert down.returncode == 0, down.stderr
    for part, pid in pids.items():
        assert wait_for_exit(pid, 5), f"{part} (pid {pid}) still runs after `stack down`"
    assert list((stack.directory / "pids").glob("*.pid")) == []
    for port in (stack.lb_port, stack.a_port, stack.b_port, stack.redis_port):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) == errno.ECONNREFUSED, \
                f"port {port} still answers"
    assert stack.run("status").returncode == 3


def test_up_twice_is_harmless(stack):
    stack.up()
    first = stack.recorded_pids()
    again = stack.up()
    assert again.stdout.count("already running") == 4
    assert stack.recorded_pids() == first
    assert http_request(stack.lb_url)[0] == 200


def test_up_restarts_only_the_missing_part(stack):
    stack.up()
    before = stack.recorded_pids()
    stack.kill("seed-a")
    again = stack.up()
    assert "started seed-a" in again.stdout
    after = stack.recorded_pids()
    assert after["seed-a"] != before["seed-a"]
    assert {p: after[p] for p in ("redis", "seed-b", "haproxy")} == \
        {p: before[p] for p in ("redis", "seed-b", "haproxy")}


def test_busy_port_is_named_with_its_process_and_nothing_starts(stack):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", stack.b_port))
        squatter.listen()
        result = stack.run("up")
    assert result.returncode == 1, result.stdout + result.stderr  # the script's `die`
    message = result.stderr
    assert f"port {stack.b_port}" in message and "TARGET_B_PORT" in message, message
    assert "python" in message and f"pid {__import__('os').getpid()}" in message, message
    assert stack.recorded_pids() == {}, "a refused `up` must start nothing"


def test_an_acknowledged_post_survives_a_redis_crash(stack):
    stack.up()
    value = random.randint(-(10**18), 10**18)
    assert post_seed(stack.lb_url, value) == (200, str(value))

    stack.kill("redis")  # SIGKILL: no chance to save anything at exit
    stack.up()           # starts Redis again from its append-only file

    def reads_back():
        status, body = http_request(stack.lb_url, timeout=2)[0::2]
        return status == 200 and body.decode() == str(value)

    assert wait_until(reads_back, timeout=20, interval=0.2), \
        f"after a Redis crash the LB answers {http_request(stack.lb_url)}; logs:\n{stack.logs()}"
