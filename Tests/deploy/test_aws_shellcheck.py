"""shellcheck on every shell script of the AWS, EC2 and systemd deploy."""
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DIRS = ("deploy/aws", "deploy/ec2", "deploy/systemd")


def is_shell_script(path: Path) -> bool:
    if path.suffix == ".sh":
        return True
    try:
        first = path.read_text(errors="replace").split("\n", 1)[0]
    except (IsADirectoryError, PermissionError):
        return False
    return first.startswith("#!") and ("bash" in first or first.endswith("/sh"))


def scripts():
    found = sorted(p for d in DEPLOY_DIRS for p in (REPO_ROOT / d).rglob("*")
                   if p.is_file() and is_shell_script(p))
    assert found
    return found


@pytest.mark.parametrize("script", scripts(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_shellcheck_clean(script):
    assert shutil.which("shellcheck"), "shellcheck not found: `make test-deps` installs it"
    # -x follows `source` lines; run from the repo root, where the source= directives point.
    result = subprocess.run(["shellcheck", "-x", str(script.relative_to(REPO_ROOT))], cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deploy_scripts_are_checked():
    names = {p.relative_to(REPO_ROOT).as_posix() for p in scripts()}
    assert {"deploy/ec2/install.sh", "deploy/aws/build-artifact.sh", "deploy/aws/artifact-check.sh"} <= names
    # seedkeeper-aws is Python (it must run where there is no bash); the Python tests cover it.
    assert "deploy/aws/seedkeeper-aws" not in names


def test_shellcheck_finds_a_real_mistake(tmp_path):
    bad = tmp_path / "bad.sh"
    bad.write_text('#!/usr/bin/env bash\nrm -rf $1/*\n')
    result = subprocess.run(["shellcheck", str(bad)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "SC2086" in result.stdout
