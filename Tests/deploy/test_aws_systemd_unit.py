"""The seedkeeper unit: systemd accepts it, and scores its hardening "OK" or better offline."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
UNIT = REPO_ROOT / "deploy" / "systemd" / "seedkeeper.service"
INSTALLED_BINARY = "/opt/seedkeeper/bin/seed-server"
# systemd-analyze security's levels, safest first; "OK or better" means the first three.
GOOD_LEVELS = ("PERFECT", "SAFE", "OK")


@pytest.fixture
def unit_with_stand_in_binary(tmp_path) -> Path:
    """The unit with ExecStart pointed at a real executable here (verify checks that it exists;
    the real path exists only on a host where install.sh ran). Nothing else is changed."""
    stand_in = tmp_path / "seed-server"
    stand_in.write_text("#!/bin/sh\nexit 0\n")
    stand_in.chmod(0o755)
    text = UNIT.read_text()
    assert f"ExecStart={INSTALLED_BINARY}" in text
    unit = tmp_path / "seedkeeper.service"
    unit.write_text(text.replace(INSTALLED_BINARY, str(stand_in)))
    return unit


def systemd_analyze(*args, cwd=None) -> subprocess.CompletedProcess:
    assert shutil.which("systemd-analyze"), "systemd-analyze not found: `make test-deps` installs systemd"
    return subprocess.run(["systemd-analyze", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_unit_verifies(unit_with_stand_in_binary):
    result = systemd_analyze("verify", unit_with_stand_in_binary.name, cwd=unit_with_stand_in_binary.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "seedkeeper.service" not in result.stderr, result.stderr  # no warnings about the unit


def test_verify_rejects_a_broken_unit(tmp_path, unit_with_stand_in_binary):
    broken = tmp_path / "broken" / "seedkeeper.service"
    broken.parent.mkdir()
    broken.write_text(unit_with_stand_in_binary.read_text().replace("Type=exec", "Type=nonsense"))
    result = systemd_analyze("verify", broken.name, cwd=broken.parent)
    # verify exits 0 on a setting it ignores; the warning is what the clean test looks for.
    assert "Failed to parse service type" in result.stderr, result.stderr


def security_level(unit: Path):
    result = systemd_analyze("security", "--offline=true", unit.name, cwd=unit.parent)
    match = re.search(r"Overall exposure level for \S+: ([0-9.]+) (\w+)", result.stdout)
    assert match, result.stdout + result.stderr
    return float(match.group(1)), match.group(2)


def test_hardening_scores_ok_or_better(unit_with_stand_in_binary):
    exposure, level = security_level(unit_with_stand_in_binary)
    assert level in GOOD_LEVELS, f"exposure {exposure} {level}"


def test_security_score_notices_lost_hardening(tmp_path, unit_with_stand_in_binary):
    weak = tmp_path / "weak" / "seedkeeper.service"
    weak.parent.mkdir()
    kept = [line for line in unit_with_stand_in_binary.read_text().splitlines()
            if not re.match(r"(Protect|Private|Restrict|SystemCall|Capability|NoNewPrivileges)", line)]
    weak.write_text("\n".join(kept) + "\n")
    exposure, level = security_level(weak)
    good, _ = security_level(unit_with_stand_in_binary)
    assert exposure > good + 3 and level not in GOOD_LEVELS, (exposure, level)


def test_runs_unprivileged_and_restarts():
    text = UNIT.read_text()
    user = re.search(r"^User=(\S+)$", text, re.MULTILINE)
    assert user and user.group(1) not in ("root", "0")
    assert re.search(r"^Restart=always$", text, re.MULTILINE)
    assert re.search(r"^EnvironmentFile=/etc/seedkeeper/seedkeeper.env$", text, re.MULTILINE)
    for setting in ("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                    "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "CapabilityBoundingSet="):
        assert re.search(rf"^{re.escape(setting)}$", text, re.MULTILINE), setting
