"""`stack up` on a stack that already runs: with other settings it refuses and names the ones
that run (instead of printing URLs nothing listens on); `down` says why it takes seconds."""
import socket
import subprocess

from stack_harness import STACK_SCRIPT, distinct_free_ports, process_alive
from testkit import http_request


def run_with(stack, settings, command):
    """The script on `stack`'s STACK_DIR with some settings changed, e.g. {"LB_PORT": "9090"}."""
    return subprocess.run([str(STACK_SCRIPT), command], env={**stack.env, **settings},
                          capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)


def _unused_port(*taken):
    return next(p for p in distinct_free_ports(len(taken) + 1) if p not in taken)


def test_up_with_another_lb_port_refuses_and_names_what_runs(stack):
    stack.up()
    first = stack.recorded_pids()
    other = _unused_port(stack.lb_port, stack.a_port, stack.b_port, stack.redis_port)

    result = run_with(stack, {"LB_PORT": str(other)}, "up")

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert f"127.0.0.1:{other}" not in output, f"a URL nothing of the stack listens on:\n{output}"
    assert f"already runs with LB_PORT={stack.lb_port}" in result.stderr, output
    assert f"LB_PORT={other}" in result.stderr, output  # what was asked for
    assert "make stack-down" in result.stderr, output
    assert stack.recorded_pids() == first, "a refused `up` must leave the running stack alone"
    assert http_request(stack.lb_url)[0] == 200


def test_up_with_another_backend_refuses(stack):
    stack.up()
    first = stack.recorded_pids()
    result = run_with(stack, {"STACK_BACKEND": "memory"}, "up")
    assert result.returncode != 0, result.stdout + result.stderr
    assert "STACK_BACKEND=redis" in result.stderr and "STACK_BACKEND=memory" in result.stderr, \
        result.stderr
    assert "seedkeeper stack is up" not in result.stdout
    assert stack.recorded_pids() == first


def test_a_part_that_died_is_not_restarted_with_other_settings(stack):
    stack.up()
    stack.kill("seed-a")
    other = _unused_port(stack.lb_port, stack.a_port, stack.b_port, stack.redis_port)
    result = run_with(stack, {"TARGET_A_PORT": str(other)}, "up")
    assert result.returncode != 0, result.stdout + result.stderr
    assert f"TARGET_A_PORT={stack.a_port}" in result.stderr, result.stderr
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", other)) != 0, "seed-a started on the other port"


def test_after_down_up_takes_the_new_settings(stack):
    stack.up()
    assert stack.down().returncode == 0
    other = _unused_port(stack.lb_port, stack.a_port, stack.b_port, stack.redis_port)
    stack.env["LB_PORT"] = str(other)
    stack.lb_port = other
    again = stack.up()
    assert f"load balancer   http://127.0.0.1:{other}" in again.stdout
    assert http_request(stack.lb_url)[0] == 200


def test_down_says_the_instances_drain_and_for_how_long(stack):
    stack.up()
    down = stack.down()
    assert down.returncode == 0, down.stderr
    lines = down.stdout.splitlines()
    said = [i for i, line in enumerate(lines) if "drain" in line]
    assert said, f"`down` waits for the drain without a word:\n{down.stdout}"
    assert "3 s" in lines[said[0]], lines[said[0]]
    first_seed_stop = next(i for i, line in enumerate(lines) if line.startswith("stopped seed-"))
    assert said[0] < first_seed_stop, "the line must come before the wait, not after it"

    quiet = stack.down()  # nothing runs: nothing drains, nothing to say
    assert "drain" not in quiet.stdout, quiet.stdout


def test_a_port_with_a_leading_zero_is_refused_and_nothing_starts(stack):
    # ss reads ":08080" as another port than HAProxy's 8080, so the stack could not see its own LB.
    result = run_with(stack, {"LB_PORT": f"0{stack.lb_port}"}, "up")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"LB_PORT=0{stack.lb_port} is not a TCP port" in result.stderr, result.stderr
    assert stack.recorded_pids() == {}


def test_a_part_that_cannot_start_undoes_the_run(stack, tmp_path):
    bad = tmp_path / "bin" / "seed-server"
    bad.parent.mkdir()
    bad.write_text("#!/bin/sh\necho 'seed-server: cannot start (stand-in)' >&2\nexit 1\n")
    bad.chmod(0o755)
    result = run_with(stack, {"SEED_SERVER_BIN": str(bad)}, "up")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "seed-a exited before listening" in result.stderr, result.stderr
    assert "could not start seed-a; stopped what this run had started" in result.stderr, \
        result.stdout + result.stderr
    assert "started seed-a" not in result.stdout and "haproxy" not in result.stdout, result.stdout
    for part, pid in stack.recorded_pids().items():
        assert not process_alive(pid), f"{part} (pid {pid}) still runs after a failed `up`"


def test_status_shows_the_ports_of_what_runs_not_the_ones_asked_for(stack):
    stack.up()
    other = _unused_port(stack.lb_port, stack.a_port, stack.b_port, stack.redis_port)
    status = run_with(stack, {"LB_PORT": str(other)}, "status")
    assert status.returncode == 0, status.stdout + status.stderr
    haproxy = next(line for line in status.stdout.splitlines() if line.startswith("haproxy"))
    assert haproxy.endswith(f"port {stack.lb_port}"), status.stdout
