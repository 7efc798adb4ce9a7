"""The EC2 artifact built through Docker (`build-artifact.sh --via docker`, i.e. the Dockerfile's
`artifact` stage) passes the same checks as a native one (deploy/aws/artifact-check.sh: only
glibc's libraries, no glibc symbol newer than Amazon Linux 2023's 2.34, starts in a bare Debian
root and answers), and a second build gives the same bytes.

The Docker build shares its release build with the compose stack's image (one Dockerfile stage),
so after test_docker_compose_stack it costs only the packing.
"""
import hashlib
import os
import platform
import shutil
import tarfile
from pathlib import Path

import pytest

from docker_harness import ARTIFACT_CHECK, BUILD_ARTIFACT, docker, run, tail
from testkit import REPO_ROOT

pytestmark = [
    pytest.mark.slow,
    # Another arch would run the compiler under emulation for the better part of an hour.
    pytest.mark.skipif(platform.machine() != "x86_64", reason="builds the x86_64 artifact natively only"),
]

BUILD_TIMEOUT = 2700
ARTIFACT = "seedkeeper-x86_64.tar.gz"


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def docker_artifact(standins, tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    result = run([BUILD_ARTIFACT, "--arch", "x86_64", "--via", "docker", "--dist", dist], standins,
                 timeout=BUILD_TIMEOUT)
    assert result.returncode == 0, f"build-artifact.sh --via docker failed:\n{tail(result, 60)}"
    assert sorted(p.name for p in dist.iterdir()) == [ARTIFACT]
    return dist / ARTIFACT


def test_the_docker_built_artifact_passes_artifact_check(docker_artifact, standins):
    result = run([ARTIFACT_CHECK, docker_artifact], standins, timeout=900)
    assert result.returncode == 0, tail(result, 60)
    assert result.stdout.count("artifact-check: ok:") == 4, result.stdout


def test_the_tarball_is_normalised(docker_artifact):
    with tarfile.open(docker_artifact) as tar:
        members = tar.getmembers()
    assert [m.name for m in members] == sorted(m.name for m in members)
    assert {(m.uid, m.gid, m.uname, m.gname, m.mtime) for m in members} == {(0, 0, "", "", 0)}
    header = docker_artifact.read_bytes()[:10]
    assert header[4:8] == b"\0\0\0\0", "gzip header carries a time"
    assert header[3] & 0x08 == 0, "gzip header carries a file name"


# What the Dockerfile reads from the context.
BUILD_INPUTS = ("Dockerfile", ".dockerignore", "Package.swift", "Sources", "Tests",
                "deploy/aws/build-artifact.sh", "deploy/aws/glibc-compat",
                "deploy/systemd/seedkeeper.service", "deploy/ec2/install.sh")


def copy_as_another_checkout(dest: Path) -> None:
    """The build inputs as a clone made later under umask 077 has them: same contents, new file
    times, owner-only modes (executables stay executable)."""
    for name in BUILD_INPUTS:
        source = REPO_ROOT / name
        files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or ".pytest_cache" in path.parts:
                continue
            target = dest / path.relative_to(REPO_ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            target.chmod(0o700 if os.access(path, os.X_OK) else 0o600)
    for folder in [dest, *(p for p in dest.rglob("*") if p.is_dir())]:
        folder.chmod(0o700)


def test_a_second_build_from_another_checkout_gives_the_same_bytes(docker_artifact, standins, tmp_path):
    """The artifact stage built again from a copy of the inputs with other file times and modes:
    the build step runs anew (SwiftPM recompiles the project's modules and relinks; the
    dependencies stay compiled in the stage's cache mount), and the tarball must not change."""
    checkout, again = tmp_path / "checkout", tmp_path / "again"
    copy_as_another_checkout(checkout)
    docker(standins, "build", "--platform", "linux/amd64", "--target", "artifact",
           "--output", f"type=local,dest={again}", str(checkout), timeout=BUILD_TIMEOUT)
    assert sorted(p.name for p in again.iterdir()) == [ARTIFACT]
    assert sha256(again / ARTIFACT) == sha256(docker_artifact)
