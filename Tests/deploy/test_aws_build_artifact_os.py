"""build-artifact.sh picks how to build from the OS as well as the arch: the artifact is a Linux
binary, so only Linux builds natively; a Mac (whose Xcode swift builds for macOS) goes through
Docker even with swift on PATH, and says to install Docker Desktop when docker is missing. macOS
has no sha256sum: the script falls back to `shasum -a 256`.

The script runs from a copy of the files it reads, in a temporary tree, with PATH holding only
shims: `uname` says Darwin/arm64 (or Linux/x86_64), and `docker` and `deploy/docker/engine` stand in
for Docker Desktop. Nothing is compiled and no engine is contacted."""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "deploy" / "aws" / "build-artifact.sh"
TOOLS = ["bash", "dirname", "mkdir", "du", "cut", "cat", "touch"]


def shim(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!" + shutil.which("bash") + "\n" + body)
    path.chmod(0o755)


@pytest.fixture
def tree(tmp_path):
    """A checkout holding only the script, and a bin folder of the tools it may call."""
    root = tmp_path / "checkout"
    (root / "deploy" / "aws").mkdir(parents=True)
    shutil.copy(SCRIPT, root / "deploy" / "aws" / "build-artifact.sh")
    (root / "deploy" / "docker").mkdir()
    # Docker Desktop's engine already answers: `engine up` has nothing to export.
    shim(root / "deploy" / "docker", "engine", "exit 0\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in TOOLS:
        (bin_dir / tool).symlink_to(shutil.which(tool))
    return root, bin_dir


def as_host(bin_dir: Path, os_name: str, machine: str) -> None:
    shim(bin_dir, "uname", f'case "${{1:-}}" in -m) echo {machine} ;; *) echo {os_name} ;; esac\n')


def with_swift(bin_dir: Path) -> None:
    # Xcode's swift on a Mac: present, but it would build a Mach-O binary. Never run here.
    shim(bin_dir, "swift", 'echo "swift shim must not run" >&2; exit 99\n')


def with_docker(bin_dir: Path, log: Path) -> None:
    # `docker image inspect` finds the Swift image; `docker build ... --output type=local,dest=D`
    # writes the tarball its --platform names.
    shim(bin_dir, "docker", f'''echo "docker $*" >>"{log}"
[ "$1" = build ] || exit 0
for a in "$@"; do
  case "$a" in
    linux/amd64) arch=x86_64 ;;
    linux/arm64) arch=arm64 ;;
    type=local,dest=*) dest="${{a#type=local,dest=}}" ;;
  esac
done
echo tarball >"$dest/seedkeeper-$arch.tar.gz"
''')


def run(root: Path, bin_dir: Path, *args):
    env = {"PATH": str(bin_dir), "HOME": str(root)}
    return subprocess.run([str(bin_dir / "bash"), str(root / "deploy" / "aws" / "build-artifact.sh"), *args],
                          cwd=root, env=env, capture_output=True, text=True, timeout=60)


def test_dry_run_on_a_mac_with_swift_on_path_picks_docker(tree):
    root, bin_dir = tree
    as_host(bin_dir, "Darwin", "arm64")
    with_swift(bin_dir)
    result = run(root, bin_dir, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["via", "docker", "arch", "arm64", "os", "Darwin",
                                     "out", "dist/seedkeeper-arm64.tar.gz"], result.stdout
    assert not (root / "dist").exists()


def test_dry_run_on_linux_with_swift_still_builds_natively(tree):
    root, bin_dir = tree
    as_host(bin_dir, "Linux", "x86_64")
    with_swift(bin_dir)
    result = run(root, bin_dir, "--dry-run")
    assert result.returncode == 0 and result.stdout.split()[:4] == ["via", "native", "arch", "x86_64"], \
        result.stdout + result.stderr
    result = run(root, bin_dir, "--dry-run", "--arch", "arm64")
    assert result.stdout.split()[:4] == ["via", "docker", "arch", "arm64"], result.stdout + result.stderr


def test_on_a_mac_the_build_goes_through_docker_and_sums_with_shasum(tree, tmp_path):
    root, bin_dir = tree
    as_host(bin_dir, "Darwin", "arm64")
    with_swift(bin_dir)
    log = tmp_path / "docker.log"
    with_docker(bin_dir, log)
    # macOS's shasum; there is no sha256sum on PATH.
    shim(bin_dir, "shasum", '[ "$1 $2" = "-a 256" ] || exit 64\necho "0123456789abcdef0123  $3"\n')
    assert shutil.which("sha256sum", path=str(bin_dir)) is None
    result = run(root, bin_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "swift shim must not run" not in result.stderr
    assert "libhiredis" not in result.stderr
    assert "docker build --platform linux/arm64 --target artifact" in log.read_text()
    assert (root / "dist" / "seedkeeper-arm64.tar.gz").is_file()
    assert "sha256 0123456789abcdef" in result.stdout, result.stdout


def test_on_a_mac_without_docker_it_names_docker_desktop(tree):
    root, bin_dir = tree
    as_host(bin_dir, "Darwin", "x86_64")
    with_swift(bin_dir)
    result = run(root, bin_dir)
    assert result.returncode != 0
    assert "Docker Desktop" in result.stderr, result.stderr
    assert "libhiredis" not in result.stderr and "swift shim must not run" not in result.stderr, result.stderr


def test_a_native_build_on_a_mac_is_refused_with_the_docker_way(tree):
    root, bin_dir = tree
    as_host(bin_dir, "Darwin", "arm64")
    with_swift(bin_dir)
    result = run(root, bin_dir, "--via", "native")
    assert result.returncode != 0
    assert "needs Linux" in result.stderr and "--via docker" in result.stderr, result.stderr
    assert "swift shim must not run" not in result.stderr


def test_the_usage_line_documents_dry_run():
    head = SCRIPT.read_text().split("set -euo pipefail", 1)[0]
    assert "--dry-run" in head


@pytest.mark.parametrize("readme", ["deploy/aws/README.md", "deploy/docker/README.md"])
def test_both_readmes_say_where_the_artifact_builds(readme):
    text = " ".join((REPO_ROOT / readme).read_text().split())
    assert "no cross build" not in text
    assert "natively on Linux" in text or "natively only on Linux" in text
    assert "Docker Desktop's Linux VM" in text and "native speed" in text
