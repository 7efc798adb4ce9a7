"""Without boto3 (a fresh Python on a student's laptop), every command that talks to AWS says so in
one line, with the way to install it on macOS, Linux and Windows, and exits 2: no traceback.
`--help` needs only the standard library. The launcher puts only deploy/aws on sys.path, so
`python3 -S` (no site-packages) is a Python without boto3; a sitecustomize that refuses botocore
stands for a half-installed boto3."""
import os
import subprocess
import sys

import pytest

from awskit import SEEDKEEPER_AWS

COMMANDS = ["up", "status", "check", "down", "ship"]


def bare_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "AWS_", "SEEDKEEPER_"))}
    env.update(extra)
    return env


def assert_says_boto3_is_missing(result, module="boto3"):
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("seedkeeper-aws: ") and module in line, line
    assert "python3 -m pip install boto3" in line, line      # macOS, Linux
    assert "py -m pip install boto3" in line, line           # Windows


@pytest.mark.parametrize("command", COMMANDS)
def test_without_site_packages_each_aws_command_says_how_to_install_boto3(command):
    result = subprocess.run([sys.executable, "-S", str(SEEDKEEPER_AWS), command], env=bare_env(),
                            capture_output=True, text=True, timeout=60)
    assert_says_boto3_is_missing(result)


def test_help_needs_no_boto3():
    result = subprocess.run([sys.executable, "-S", str(SEEDKEEPER_AWS), "--help"], env=bare_env(),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "usage: seedkeeper-aws" in result.stdout, result.stderr


def test_a_missing_botocore_is_reported_the_same_way(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\n"
        "class Refuse:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'botocore' or name.startswith('botocore.'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "        return None\n"
        "sys.meta_path.insert(0, Refuse())\n"
        "sys.modules.pop('botocore', None)\n")
    result = subprocess.run([sys.executable, str(SEEDKEEPER_AWS), "status"],
                            env=bare_env(PYTHONPATH=str(tmp_path)), capture_output=True, text=True, timeout=60)
    assert_says_boto3_is_missing(result, module="botocore")
