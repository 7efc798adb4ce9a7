"""seed-check against real failure setups: its explanations are the point of the tool."""
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from stack_harness import json_report, rows_by_id, run_seed_check
from testkit import free_port, http_request, wait_until


def test_nothing_listening_on_the_lb_is_named_and_later_checks_do_not_run():
    port = free_port()
    started = time.monotonic()
    result = run_seed_check(["--lb", f"http://127.0.0.1:{port}"], timeout=30)
    # Refused is an answer: no waiting for the 5 s request timeout (3 s covers a loaded machine).
    assert time.monotonic() - started < 3.0
    assert result.returncode == 1
    assert f"connection refused on 127.0.0.1:{port}" in result.stdout
    assert "is the load balancer running" in result.stdout
    assert "security group" in result.stdout
    started = time.monotonic()
    report = json_report(run_seed_check(["--lb", f"http://127.0.0.1:{port}", "--json"], timeout=30))
    assert time.monotonic() - started < 3.0
    results = [row["result"] for row in report["checks"]]
    assert results[0] == "FAIL" and set(results[1:]) == {"SKIP"}


def test_a_silent_server_costs_one_timeout_not_a_hang():
    with socket.socket() as silent:  # accepts connections (the kernel's backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(64)
        port = silent.getsockname()[1]
        started = time.monotonic()
        result = run_seed_check(["--lb", f"http://127.0.0.1:{port}", "--timeout", "1", "--json"],
                                timeout=30)
        took = time.monotonic() - started
    # One timeout (1 s), waited in full, and then nothing else waits: 3 s of slack for a loaded
    # machine, far short of a second timeout per later check or the 90 s budget.
    assert 1.0 <= took <= 4.0, f"seed-check took {took:.2f} s against a silent server with --timeout 1"
    assert result.returncode == 1
    first = json_report(result)["checks"][0]
    assert first["result"] == "FAIL"
    assert "did not answer within 1 s" in first["detail"]


def test_a_down_target_is_named_and_the_spread_check_fails(stack):
    stack.up()
    stack.kill("seed-b")
    report = json_report(stack.seed_check("--json"))
    rows = rows_by_id(report)
    a, b = stack.target_urls
    assert report["passed"] is False
    assert rows["lb-get"]["result"] == "PASS"        # the LB still answers, through seed-a
    assert rows["lb-read-back"]["result"] == "PASS"
    assert rows[f"health:{b}"]["result"] == "FAIL"
    assert f"connection refused on 127.0.0.1:{stack.b_port}" in rows[f"health:{b}"]["detail"]
    assert rows[f"share:{a}->{b}"]["result"] == "SKIP"
    assert rows["lb-both-targets"]["result"] == "FAIL"
    assert "not in the LB's rotation" in rows["lb-both-targets"]["cause"]


def test_no_healthy_targets_names_the_health_check_path(stack):
    stack.up()
    stack.kill("seed-a")
    stack.kill("seed-b")
    assert wait_until(lambda: http_request(stack.lb_url, timeout=3)[0] == 503, timeout=10)
    result = stack.seed_check(with_targets=False)
    assert result.returncode == 1
    assert "LB answered 503: no healthy targets" in result.stdout
    assert "health-check path must be `/`" in result.stdout


def test_redis_down_is_told_apart_from_the_lb_having_no_targets(stack):
    stack.up()
    stack.kill("redis")

    def lb_has_no_targets():
        # HAProxy's own 503 page carries no X-Served-By; an instance's 503 does.
        status, headers, _ = http_request(stack.lb_url, timeout=3)
        return status == 503 and "x-served-by" not in headers

    # With Redis gone every instance answers 503, so the LB's health checks take both out.
    assert wait_until(lb_has_no_targets, timeout=10)
    report = json_report(stack.seed_check("--json"))
    rows = rows_by_id(report)
    a, _ = stack.target_urls
    assert "no healthy targets" in rows["lb-get"]["cause"]
    assert "the instance itself says its backend is down" in rows[f"health:{a}"]["detail"]
    assert "cannot reach Redis" in rows[f"health:{a}"]["cause"]


class _HTMLPage(BaseHTTPRequestHandler):
    def do_GET(self):
        body = b"<html><body><h1>Welcome to nginx!</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_default_web_page_is_recognised():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HTMLPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        report = json_report(run_seed_check(["--lb", url, "--json"], timeout=60))
    finally:
        server.shutdown()
        server.server_close()
    first = report["checks"][0]
    assert first["result"] == "FAIL"
    assert "HTML page" in first["cause"]


def test_bad_arguments_are_refused_with_advice():
    one_target = run_seed_check(["--lb", "http://127.0.0.1:1", "--target", "http://127.0.0.1:2"],
                                timeout=30)
    assert one_target.returncode != 0
    assert "at least two" in one_target.stderr
    with_path = run_seed_check(["--lb", "http://127.0.0.1:1/health"], timeout=30)
    assert with_path.returncode != 0
    assert "has the path /health" in with_path.stderr
