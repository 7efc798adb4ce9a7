"""The instances' boot script, taken from the template and run for real in a folder: its download
retries with a bounded backoff, and it signals CloudFormation success only once GET / answers 200 on
the app port, failure (with the reason in its log) otherwise.

Only what is not on this machine is stood in for, by small executables first on PATH: `aws` (fails
a given number of times, then copies a tarball), `cfn-signal` (records its arguments) and `sleep`
(records the pause and returns at once, so the backoff is checked without being waited out). The
artifact's install.sh is a stand-in that starts a real HTTP server on the port, or none.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import tarfile
from pathlib import Path

import pytest

from moto_template import load_template
from template_policy import PSEUDO, boot_script

REPO_ROOT = Path(__file__).resolve().parents[2]
STACK = "teststack"
ARTIFACT_URL = "s3://seedkeeper-bucket/seedkeeper-x86_64.tar.gz"

STAND_INS = {
    "aws": """#!/bin/sh
echo "$*" >> "$BOOT_TEST/aws.calls"
calls=$(wc -l < "$BOOT_TEST/aws.calls")
if [ "$calls" -le "$AWS_FAILURES" ]; then echo "fatal error: Could not connect to the endpoint URL" >&2; exit 1; fi
for last; do :; done
cp "$BOOT_TEST/artifact.tar.gz" "$last"
""",
    "cfn-signal": """#!/bin/sh
echo "$*" >> "$BOOT_TEST/signals"
""",
    "sleep": """#!/bin/sh
echo "$1" >> "$BOOT_TEST/sleeps"
""",
}

# The artifact's installer, stood in: records its arguments, then serves GET / with the status
# SERVE_STATUS on the port (no server when it is "none"), and returns once the port answers.
INSTALL = """#!/bin/bash
echo "$*" > "$BOOT_TEST/install.args"
port=${@: -1}
[ "$SERVE_STATUS" = none ] && exit 0
python3 - "$port" "$SERVE_STATUS" > /dev/null 2>&1 <<'PY' &
import http.server, sys
port, status = int(sys.argv[1]), int(sys.argv[2])
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(status)
        self.send_header("Content-Length", "1")
        self.end_headers()
        self.wfile.write(b"0")
http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
PY
echo $! > "$BOOT_TEST/server.pid"
for _ in $(seq 1 100); do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && exit 0
  /bin/sleep 0.1
done
exit 1
"""


@pytest.fixture(scope="module")
def template():
    return load_template()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def runnable_script(template, instance: str, folder: Path, port: int) -> Path:
    """The instance's user data with CloudFormation's substitutions made for a test stack."""
    text, variables = boot_script(template["Resources"][instance])
    values = {**PSEUDO, "AWS::StackName": STACK, "ArtifactBucket": "seedkeeper-bucket",
              "ArtifactKey": "seedkeeper-x86_64.tar.gz", "AppPort": str(port),
              "Resource": variables["Resource"], "RedisHost": "redis.example", "RedisPort": "6379"}

    def substitute(match):
        name = match.group(1)
        return "${" + name[1:] + "}" if name.startswith("!") else values[name]

    text = re.sub(r"\$\{([^}]+)\}", substitute, text)
    text = text.replace("/var/log/seedkeeper-boot.log", str(folder / "boot.log"))
    assert "/var/log" not in text
    script = folder / "user-data.sh"
    script.write_text(text)
    return script


def make_artifact(folder: Path):
    stage = folder / "stage" / "seedkeeper"
    stage.mkdir(parents=True)
    (stage / "install.sh").write_text(INSTALL)
    (stage / "install.sh").chmod(0o755)
    with tarfile.open(folder / "artifact.tar.gz", "w:gz") as tar:
        tar.add(stage, arcname="seedkeeper")


class Boot:
    def __init__(self, folder: Path, port: int, result: subprocess.CompletedProcess):
        self.folder, self.port, self.result = folder, port, result

    def lines(self, name: str):
        path = self.folder / name
        return path.read_text().splitlines() if path.exists() else []

    @property
    def signals(self):
        return self.lines("signals")

    @property
    def sleeps(self):
        return [float(s) for s in self.lines("sleeps")]

    @property
    def log(self):
        return (self.folder / "boot.log").read_text()


# Amazon Linux 2023's package manager, stood in for an image without the helper scripts: the first
# try fails (a mirror not reachable yet), the second installs cfn-signal.
DNF = """#!/bin/sh
echo "$*" >> "$BOOT_TEST/dnf.calls"
[ "$(wc -l < "$BOOT_TEST/dnf.calls")" -ge 2 ] || exit 1
install -m 0755 "$BOOT_TEST/cfn-signal.package" "$BOOT_TEST/bin/cfn-signal"
"""


def boot(template, tmp_path, *, instance="InstanceA", aws_failures=0, serve_status="200",
         image_has_cfn_signal=True) -> Boot:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stand_ins = dict(STAND_INS, dnf=DNF)
    if not image_has_cfn_signal:
        (tmp_path / "cfn-signal.package").write_text(stand_ins.pop("cfn-signal"))
    for name, text in stand_ins.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    make_artifact(tmp_path)
    port = free_port()
    script = runnable_script(template, instance, tmp_path, port)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "BOOT_TEST": str(tmp_path),
           "AWS_FAILURES": str(aws_failures), "SERVE_STATUS": serve_status, "TMPDIR": str(tmp_path)}
    try:
        result = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True, timeout=120)
    finally:
        pid_file = tmp_path / "server.pid"
        if pid_file.exists():
            try:
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
            except ProcessLookupError:
                pass
    return Boot(tmp_path, port, result)


def signal_args(exit_code: int, resource: str) -> str:
    return f"--exit-code {exit_code} --stack {STACK} --resource {resource} --region {PSEUDO['AWS::Region']}"


@pytest.mark.parametrize("instance", ["InstanceA", "InstanceB"])
def test_download_is_retried_then_success_is_signalled_once_get_answers(template, tmp_path, instance):
    run = boot(template, tmp_path, instance=instance, aws_failures=2)
    assert run.result.returncode == 0, run.log
    assert len(run.lines("aws.calls")) == 3
    assert all(ARTIFACT_URL in call for call in run.lines("aws.calls"))
    assert run.sleeps[:2] == [2, 4]                       # the backoff between the failed tries
    assert run.lines("install.args") == [
        f"--backend redis --redis-url redis://redis.example:6379/0 --port {run.port}"]
    assert run.signals == [signal_args(0, instance)]


def test_an_image_without_cfn_signal_gets_it_from_dnf(template, tmp_path):
    run = boot(template, tmp_path, image_has_cfn_signal=False)
    assert run.result.returncode == 0, run.log
    assert run.lines("dnf.calls") == ["install -y aws-cfn-bootstrap"] * 2
    assert run.signals == [signal_args(0, "InstanceA")]


def test_download_gives_up_after_a_bounded_backoff_and_signals_failure(template, tmp_path):
    run = boot(template, tmp_path, aws_failures=1000)
    assert run.result.returncode != 0
    assert len(run.lines("aws.calls")) == 8
    assert run.sleeps == [2, 4, 8, 16, 30, 30, 30]       # 2 min 0 s in all: bounded
    assert run.signals == [signal_args(1, "InstanceA")]
    assert not (tmp_path / "install.args").exists()
    reason = [l for l in run.log.splitlines() if l.startswith("seedkeeper boot failed:")]
    assert reason and ARTIFACT_URL in reason[0] and "instance role" in reason[0], run.log


@pytest.mark.parametrize("serve_status,shown", [("none", "'000'"), ("503", "'503'")])
def test_failure_is_signalled_when_get_does_not_answer_200(template, tmp_path, serve_status, shown):
    run = boot(template, tmp_path, serve_status=serve_status)
    assert run.result.returncode != 0
    assert run.signals == [signal_args(1, "InstanceA")]
    reason = [l for l in run.log.splitlines() if l.startswith("seedkeeper boot failed:")]
    assert reason and shown in reason[0] and "journalctl -u seedkeeper" in reason[0], run.log
    # The wait is bounded: 60 checks 2 s apart.
    assert run.sleeps == [2] * 60


def test_boot_script_is_shellcheck_clean(template, tmp_path):
    assert shutil.which("shellcheck"), "shellcheck not found: `make test-deps` installs it"
    script = runnable_script(template, "InstanceA", tmp_path, 8080)
    result = subprocess.run(["shellcheck", str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
