"""deploy/ec2/install.sh, staged into a folder (--root): what it installs and what it refuses."""
import os
import stat
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
INSTALL = REPO_ROOT / "deploy" / "ec2" / "install.sh"


def stand_in_binary(tmp_path) -> Path:
    binary = tmp_path / "seed-server"
    binary.write_text("#!/bin/sh\nexit 0\n")
    binary.chmod(0o755)
    return binary


def install(tmp_path, *args):
    return subprocess.run([str(INSTALL), "--root", str(tmp_path / "root"),
                           "--binary", str(stand_in_binary(tmp_path)), *args],
                          capture_output=True, text=True, timeout=60)


def env_file(tmp_path) -> dict:
    path = tmp_path / "root" / "etc" / "seedkeeper" / "seedkeeper.env"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # may hold a Redis password
    lines = [l for l in path.read_text().splitlines() if l and not l.startswith("#")]
    return dict(l.split("=", 1) for l in lines)


def test_stages_binary_unit_and_environment(tmp_path):
    result = install(tmp_path, "--redis-url", "redis://cache.example:6379/0",
                     "--instance-name", "i-0123456789abcdef0", "--port", "8080")
    assert result.returncode == 0, result.stderr
    root = tmp_path / "root"
    assert os.access(root / "opt" / "seedkeeper" / "bin" / "seed-server", os.X_OK)
    unit = root / "etc" / "systemd" / "system" / "seedkeeper.service"
    assert unit.read_text() == (REPO_ROOT / "deploy" / "systemd" / "seedkeeper.service").read_text()
    assert env_file(tmp_path) == {"SEEDKEEPER_BACKEND": "redis", "REDIS_URL": "redis://cache.example:6379/0",
                                  "INSTANCE_NAME": "i-0123456789abcdef0", "PORT": "8080"}


def test_memory_backend_without_a_redis_url(tmp_path):
    result = install(tmp_path, "--instance-name", "solo")
    assert result.returncode == 0, result.stderr
    assert env_file(tmp_path) == {"SEEDKEEPER_BACKEND": "memory", "INSTANCE_NAME": "solo", "PORT": "8080"}
    assert "give --redis-url to share one" in result.stderr


def test_refusals_say_what_to_do(tmp_path):
    cases = [
        (["--backend", "redis"], "--backend redis needs --redis-url"),
        (["--port", "80"], "1024 to 65535"),
        (["--redis-url", "redis://a b"], "must not contain spaces"),
        (["--frobnicate"], "unknown option '--frobnicate'"),
    ]
    for args, message in cases:
        result = install(tmp_path, *args)
        assert result.returncode != 0 and message in result.stderr, (args, result.stderr)
    missing = subprocess.run([str(INSTALL), "--root", str(tmp_path / "r2"), "--binary", str(tmp_path / "nope")],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode != 0 and "no seed-server at" in missing.stderr
