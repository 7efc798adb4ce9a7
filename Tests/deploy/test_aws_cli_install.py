"""`pip install ./deploy/aws` (what `pipx install ./deploy/aws` runs) gives a `seedkeeper-aws`
command whose --help works at once, and the installed package carries the template."""
import os
import shutil
import subprocess
import sys
import venv

from awskit import DEPLOY_AWS


def test_pip_install_gives_a_working_command(tmp_path):
    # A copy of the folder, so that the build leaves nothing in the repository.
    source = tmp_path / "src"
    shutil.copytree(DEPLOY_AWS, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
    env_dir = tmp_path / "venv"
    # boto3 comes from the test's own site-packages; pip fetches only the build backend (setuptools).
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(source)], capture_output=True, text=True, timeout=300)
    assert install.returncode == 0, install.stdout + install.stderr

    shown = subprocess.run([str(bin_dir / "seedkeeper-aws"), "--help"], capture_output=True, text=True,
                           timeout=60, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    for command in ("up", "status", "check", "down", "ship"):
        assert command in shown.stdout

    carried = subprocess.run([str(python), "-c", "import seedkeeper_aws.template as t, pathlib; "
                              "print(pathlib.Path(t.__file__).parent / 'seedkeeper.yaml')"],
                             capture_output=True, text=True, timeout=60, cwd=tmp_path)
    template = carried.stdout.strip()
    assert str(env_dir) in template, carried
    with open(template, encoding="utf-8") as installed, open(DEPLOY_AWS / "seedkeeper.yaml", encoding="utf-8") as ours:
        assert installed.read() == ours.read()
    assert sys.executable  # the venv was made from this interpreter
