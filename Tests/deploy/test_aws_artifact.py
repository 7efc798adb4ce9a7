"""The built artifact (make artifact), checked by deploy/aws/artifact-check.sh when one exists.

A release build takes 5-13 minutes here, so `make test` does not build one: `make artifact-check`
builds and checks it. This test checks an artifact that is already there (dist/), so a developer
who built one has it proven in every test run.
"""
import os
import platform
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARCH = {"x86_64": "x86_64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
ARTIFACT = REPO_ROOT / "dist" / f"seedkeeper-{ARCH}.tar.gz"


@pytest.mark.slow
@pytest.mark.skipif(not ARTIFACT.exists(), reason="no dist/ artifact: `make artifact-check` builds and checks one")
@pytest.mark.skipif(os.geteuid() != 0, reason="artifact-check needs root (debootstrap, chroot)")
def test_artifact_runs_in_a_bare_root():
    result = subprocess.run([str(REPO_ROOT / "deploy" / "aws" / "artifact-check.sh"), str(ARTIFACT)],
                            capture_output=True, text=True, timeout=900, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("artifact-check: ok:") == 4, result.stdout
