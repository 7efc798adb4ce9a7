"""The artifact that ships to EC2 (make artifact), checked by deploy/aws/artifact-check.sh.

`make test` builds the artifact before the system tests run (a release build, 5-13 minutes on two
cores), so every run checks the binary that goes to EC2, not only the debug build. Run on its own,
this test checks the artifact in dist/. A missing or stale artifact, or a run without root, fails
in CI (CI=true: a missing prerequisite there is a broken build, never a reason to skip); elsewhere
it is skipped with the command that provides it.
"""
import os
import platform
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARCH = {"x86_64": "x86_64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
ARTIFACT = REPO_ROOT / "dist" / f"seedkeeper-{ARCH}.tar.gz"
# What the artifact is built from: an artifact older than any of these is not this tree's.
INPUTS = ["Sources", "Package.swift", "Package.resolved", "deploy/systemd/seedkeeper.service",
          "deploy/ec2/install.sh", "deploy/aws/build-artifact.sh", "deploy/aws/glibc-compat"]


def missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"{reason} (in CI that is a failure: `make test` builds the artifact first)")
    pytest.skip(reason)


def newest_input() -> Path:
    files = []
    for name in INPUTS:
        path = REPO_ROOT / name
        files += [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else [path] if path.exists() else []
    return max(files, key=lambda p: p.stat().st_mtime)


@pytest.mark.slow
def test_artifact_runs_in_a_bare_root():
    if not ARTIFACT.exists():
        missing(f"no {ARTIFACT.relative_to(REPO_ROOT)}: `make artifact` builds one")
    newest = newest_input()
    if newest.stat().st_mtime > ARTIFACT.stat().st_mtime:
        missing(f"{ARTIFACT.relative_to(REPO_ROOT)} is older than {newest.relative_to(REPO_ROOT)}: "
                f"`make artifact` rebuilds it")
    if os.geteuid() != 0:
        missing("artifact-check needs root (debootstrap, chroot): run `make test` as root")
    result = subprocess.run([str(REPO_ROOT / "deploy" / "aws" / "artifact-check.sh"), str(ARTIFACT)],
                            capture_output=True, text=True, timeout=900, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    # Layout, shared libraries, glibc symbol versions, and a run inside a bare Debian root.
    assert result.stdout.count("artifact-check: ok:") == 4, result.stdout
    print(result.stdout)
