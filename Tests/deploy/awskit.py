"""Running deploy/aws/seedkeeper-aws against moto_server: environment, clients, waiting."""
import contextlib
import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDKEEPER_AWS = REPO_ROOT / "deploy" / "aws" / "seedkeeper-aws"
REGION = "us-east-1"


def aws_env(endpoint: str, **extra) -> dict:
    """The environment of a CLI run against moto: fake credentials, one region, short polls."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION, "AWS_ENDPOINT_URL": endpoint,
        # No profile or config of this machine's user may leak in.
        "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
        "SEEDKEEPER_POLL_SECONDS": "0.2", "SEEDKEEPER_HEALTH_TIMEOUT": "60",
        "SEEDKEEPER_STACK_TIMEOUT": "120",
    })
    env.update(extra)
    return env


def boto_client(endpoint: str, service: str, region: str = REGION):
    import boto3
    return boto3.client(service, region_name=region, endpoint_url=endpoint,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def run_cli(args, env, timeout=180, background=False):
    argv = [str(SEEDKEEPER_AWS)] + list(args)
    if background:
        return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, text=True)
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def wait_for(predicate, timeout: float, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float) -> None:
    def listening():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False
    if not wait_for(listening, timeout, interval=0.05):
        raise TimeoutError(f"nothing listened on 127.0.0.1:{port} within {timeout}s")


@contextlib.contextmanager
def seed_server(instance_name: str):
    """A real seed-server (memory backend) on a free loopback port; yields its URL."""
    binary = Path(os.environ.get("SEED_SERVER_BIN") or REPO_ROOT / ".build" / "debug" / "seed-server")
    if not binary.exists():
        raise FileNotFoundError(f"{binary} not found: run `swift build` (make test does) first")
    port = free_port()
    proc = subprocess.Popen([str(binary), "--host", "127.0.0.1", "--port", str(port),
                             "--backend", "memory", "--instance-name", instance_name],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout=30)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def post_seed(url: str, num: int) -> int:
    request = urllib.request.Request(url + "/", data=json.dumps({"num": num}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status
