"""shellcheck on every shell script of the Docker path (engine, compose, stand-ins)."""
import subprocess

from testkit import REPO_ROOT

DOCKER_DIR = REPO_ROOT / "deploy" / "docker"


def shell_scripts():
    return sorted(p for p in DOCKER_DIR.rglob("*")
                  if p.is_file() and p.read_bytes()[:2] == b"#!" and b"sh\n" in p.read_bytes().split(b"\n", 1)[0] + b"\n")


def test_the_docker_scripts_are_found():
    names = {str(p.relative_to(REPO_ROOT)) for p in shell_scripts()}
    assert {"deploy/docker/engine", "deploy/docker/compose", "deploy/docker/standins/build",
            "deploy/docker/standins/redis/docker-entrypoint.sh",
            "deploy/docker/standins/haproxy/docker-entrypoint.sh"} <= names, names


def test_shellcheck_finds_nothing():
    result = subprocess.run(["shellcheck", "--external-sources", *map(str, shell_scripts())],
                            capture_output=True, text=True, timeout=120, cwd=REPO_ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
