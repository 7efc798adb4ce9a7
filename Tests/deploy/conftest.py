"""Fixtures for the deploy tests: a fake AWS account per test (moto's in-process mock_aws), a
small stand-in artifact, the template as moto can take it, real seed-servers standing in for
addresses moto hands out but nothing answers on, and moto_server for the one test that runs the
command as a separate program."""
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

# Free ports and waiting come from the shared testkit, through awskit.
from awskit import (REPO_ROOT, SeedServer, fake_account_env, free_port, give_default_vpc_its_internet_gateway,
                    register_targets_like_cloudformation, wait_for_port)


@pytest.fixture
def fake_aws(monkeypatch):
    """A fresh fake account (moto, in process) and an environment that reaches nothing real.

    Its default VPC gets the internet gateway AWS gives every default VPC and moto does not. And
    moto's CloudFormation ignores the target group's `Targets`; right after CreateStack returns
    (moto creates synchronously) the targets are registered as CloudFormation would have."""
    from moto import mock_aws
    import seedkeeper_aws.aws as aws_module

    import os
    for key in [k for k in os.environ if k.startswith(("AWS_", "SEEDKEEPER_"))]:
        monkeypatch.delenv(key)
    for key, value in fake_account_env().items():
        if key.startswith(("AWS_", "SEEDKEEPER_")):
            monkeypatch.setenv(key, value)

    real_connect = aws_module.connect

    def connect(region=None):
        aws = real_connect(region)
        aws.session.events.register(
            "after-call.cloudformation.CreateStack",
            lambda parsed, **_: register_targets_like_cloudformation(parsed["StackId"]),
            unique_id="register-targets-like-cloudformation")
        return aws

    monkeypatch.setattr(aws_module, "connect", connect)
    with mock_aws():
        give_default_vpc_its_internet_gateway()
        yield


@pytest.fixture
def dummy_artifact(tmp_path) -> Path:
    """A small tarball with the artifact's layout (tests deploy it; they never build Swift)."""
    root = tmp_path / "artifact"
    (root / "seedkeeper" / "bin").mkdir(parents=True)
    (root / "seedkeeper" / "bin" / "seed-server").write_text("#!/bin/sh\necho stand-in\n")
    shutil.copy(REPO_ROOT / "deploy" / "ec2" / "install.sh", root / "seedkeeper" / "install.sh")
    out = tmp_path / "seedkeeper-x86_64.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        tar.add(root / "seedkeeper", arcname="seedkeeper")
    return out


@pytest.fixture
def moto_template_file(tmp_path) -> Path:
    from moto_template import write_moto_template
    return write_moto_template(tmp_path / "seedkeeper-moto.json")


@pytest.fixture
def up_args(dummy_artifact, moto_template_file):
    """The arguments every offline `up` takes: the stand-in artifact and moto's template."""
    return ["--artifact", str(dummy_artifact), "--template", str(moto_template_file)]


@pytest.fixture
def seed_behind_alb(monkeypatch):
    """A real seed-server standing in for the load balancer's address (moto's resolves nowhere)."""
    with SeedServer(instance_name="behind-alb") as server:
        monkeypatch.setenv("SEEDKEEPER_ALB_URL", server.url)
        yield server.url


@pytest.fixture
def seeds_behind_targets(monkeypatch):
    """Two real seed-servers standing in for the instances' public addresses."""
    with SeedServer(instance_name="target-a") as a, SeedServer(instance_name="target-b") as b:
        monkeypatch.setenv("SEEDKEEPER_TARGET_URLS", f"{a.url},{b.url}")
        yield a.url, b.url


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    """moto_server on a free loopback port, for running the command as its own process."""
    exe = shutil.which("moto_server")
    if not exe:
        pytest.fail("moto_server not found: `make test-deps` installs moto[server]")
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto_server.log", "wb")
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)], stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
