"""Which program `up` and `ship` run to build the artifact. On Windows a `bash` on PATH is often
WSL's launcher (C:\\Windows\\System32\\bash.exe), which cannot open the script by its Windows path,
or Git's; so there the build goes straight to Docker (Docker Desktop), and without docker the error
says to install it or pass --artifact. Elsewhere bash runs build-artifact.sh as before."""
import sys
from pathlib import Path

import pytest

import seedkeeper_aws.artifact as artifact
from seedkeeper_aws.console import CliError


@pytest.fixture
def build_here(tmp_path, monkeypatch):
    """A repository root in tmp_path; subprocess.run records argv and writes the tarball."""
    monkeypatch.setattr(artifact, "repo_root", lambda: tmp_path)
    calls = []

    class Done:
        returncode = 0

    def run(argv, cwd=None, env=None):
        calls.append(list(argv))
        (tmp_path / "dist").mkdir(exist_ok=True)
        (tmp_path / "dist" / "seedkeeper-x86_64.tar.gz").write_bytes(b"tarball")
        return Done()

    monkeypatch.setattr(artifact.subprocess, "run", run)
    return calls


def programs(monkeypatch, **found):
    monkeypatch.setattr(artifact.shutil, "which", lambda name: found.get(name))


def test_on_windows_docker_builds_even_with_a_bash_on_path(build_here, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    programs(monkeypatch, bash=r"C:\Windows\System32\bash.exe", docker=r"C:\Program Files\Docker\docker.exe")
    out = artifact.build("x86_64")
    assert out.name == "seedkeeper-x86_64.tar.gz"
    (argv,) = build_here
    assert argv[0].endswith("docker.exe") and argv[1:6] == ["build", "--platform", "linux/amd64",
                                                            "--target", "artifact"], argv
    assert not any("bash" in a for a in argv), argv


def test_on_windows_without_docker_it_names_docker_desktop(build_here, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    programs(monkeypatch, bash=r"C:\Windows\System32\bash.exe")
    with pytest.raises(CliError) as raised:
        artifact.build("x86_64")
    assert "Docker Desktop" in str(raised.value) and "--artifact" in str(raised.value)
    assert build_here == []


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_elsewhere_bash_runs_the_build_script(build_here, monkeypatch, platform):
    monkeypatch.setattr(sys, "platform", platform)
    programs(monkeypatch, bash="/bin/bash", docker="/usr/bin/docker")
    artifact.build("x86_64")
    (argv,) = build_here
    assert argv[0] == "/bin/bash" and Path(argv[1]).name == "build-artifact.sh", argv
