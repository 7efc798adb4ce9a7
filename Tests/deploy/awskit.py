"""Running deploy/aws/seedkeeper-aws against moto_server: environment, clients, waiting."""
import contextlib
import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

from testkit import SeedServer, free_port, wait_for_port  # noqa: F401 (re-exported for conftest)

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


@contextlib.contextmanager
def seed_server(instance_name: str):
    """A real seed-server (memory backend) on a free loopback port; yields its URL."""
    with SeedServer(instance_name=instance_name) as server:
        yield server.url


def post_seed(url: str, num: int) -> int:
    request = urllib.request.Request(url + "/", data=json.dumps({"num": num}).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status
