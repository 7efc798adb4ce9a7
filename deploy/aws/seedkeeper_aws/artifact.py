"""The release artifact (dist/seedkeeper-<arch>.tar.gz): which architecture an instance type
needs, and where the file comes from: --artifact, or a build from the repository this command
belongs to (deploy/aws/build-artifact.sh where bash is, else Docker's `artifact` stage; on Windows
always Docker's)."""
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .console import CliError, say

# AWS Graviton families carry a "g" after the generation digit: t4g, m7g, c6gn, r8gd, ...
_GRAVITON = re.compile(r"^[a-z]+[0-9]+g[a-z]*$")


def instance_arch(instance_type: str) -> str:
    """'arm64' for Graviton instance types (t4g.micro), else 'x86_64' (t3.micro)."""
    family = instance_type.split(".", 1)[0].lower()
    return "arm64" if _GRAVITON.match(family) else "x86_64"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def repo_root():
    """The repository holding this command (deploy/aws/seedkeeper_aws/..), or None when the
    command was installed elsewhere; then the current directory's repository, if any."""
    candidates = [Path(__file__).resolve().parents[3]] + [p for p in [Path.cwd(), *Path.cwd().parents]]
    for root in candidates:
        if (root / "deploy" / "aws" / "build-artifact.sh").is_file() and (root / "Package.swift").is_file():
            return root
    return None


def build(arch: str) -> Path:
    """Builds dist/seedkeeper-<arch>.tar.gz (reproducible: the same source gives the same bytes)."""
    root = repo_root()
    if root is None:
        raise CliError("no artifact given and no seedkeeper repository here to build one: run this "
                       "from the repository, or pass --artifact dist/seedkeeper-ARCH.tar.gz")
    dest = root / "dist" / f"seedkeeper-{arch}.tar.gz"
    # On Windows a bash on PATH is often WSL's launcher (System32\bash.exe), which cannot open the
    # script by its Windows path and builds in another system, or Git's: Docker Desktop builds it.
    windows = sys.platform == "win32"
    bash = None if windows else shutil.which("bash")
    docker = shutil.which("docker")
    if bash:
        argv = [bash, str(root / "deploy" / "aws" / "build-artifact.sh"), "--arch", arch]
    elif docker:
        platform = "linux/arm64" if arch == "arm64" else "linux/amd64"
        argv = [docker, "build", "--platform", platform, "--target", "artifact",
                "--output", f"type=local,dest={root / 'dist'}", str(root)]
    elif windows:
        raise CliError("building the artifact on Windows needs Docker: install Docker Desktop and start "
                       "it, or pass --artifact FILE built elsewhere")
    else:
        raise CliError("building the artifact needs bash (Linux, macOS) or Docker (any system): "
                       "install Docker Desktop, or pass --artifact FILE built elsewhere")
    say(f"building the {arch} artifact: {' '.join(argv)} (a release build usually takes 5-15 minutes)")
    # --output needs BuildKit, which Docker Engine before 23 turns on only when asked.
    env = dict(os.environ, DOCKER_BUILDKIT="1")
    if subprocess.run(argv, cwd=root, env=env).returncode != 0:
        raise CliError("the artifact build failed (see above); fix it, or pass --artifact FILE")
    if not dest.is_file():
        raise CliError(f"the build finished but wrote no {dest}; pass --artifact FILE")
    return dest


def artifact_for(path, arch: str) -> Path:
    """--artifact as given (checked), else a fresh build."""
    if path:
        p = Path(path)
        if not p.is_file():
            raise CliError(f"no artifact at {p}: build one with 'make artifact' (ARCH={arch}) or check the path")
        if arch not in p.name:
            say(f"note: {p.name} does not name {arch}, which this instance type needs")
        return p
    return build(arch)
