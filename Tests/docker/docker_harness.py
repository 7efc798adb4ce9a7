"""Running the repo's Docker scripts from the tests: the engine, the stand-ins, Compose."""
import re
import subprocess
from pathlib import Path

from testkit import REPO_ROOT

ENGINE = REPO_ROOT / "deploy" / "docker" / "engine"
STANDINS = REPO_ROOT / "deploy" / "docker" / "standins" / "build"
COMPOSE = REPO_ROOT / "deploy" / "docker" / "compose"
BUILD_ARTIFACT = REPO_ROOT / "deploy" / "aws" / "build-artifact.sh"
ARTIFACT_CHECK = REPO_ROOT / "deploy" / "aws" / "artifact-check.sh"
# Shared with `make compose`, so both reuse one engine's images and build cache.
RUN_DIR = REPO_ROOT / "run" / "docker"


def tail(result: subprocess.CompletedProcess, lines: int = 40) -> str:
    """The last lines of a finished command's output, for an assertion message."""
    text = (result.stdout or "") + (result.stderr or "")
    return "\n".join(text.splitlines()[-lines:])


def exports(text: str) -> dict:
    """`export NAME=value` lines (what `deploy/docker/engine up` prints) as a dict."""
    return dict(re.findall(r"^export (\w+)=(.*)$", text, re.M))


def run(argv, env: dict, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in argv], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=REPO_ROOT, stdin=subprocess.DEVNULL)


def docker(env: dict, *args: str, timeout: float = 120) -> str:
    """`docker ARGS` on the tests' engine; its output, or an AssertionError with the reason."""
    result = run(["docker", *args], env, timeout)
    if result.returncode != 0:
        raise AssertionError(f"docker {' '.join(args)}: {tail(result)}")
    return result.stdout


def compose(env: dict, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """deploy/docker/compose ARGS: the project of docker-compose.yml, with this machine's Compose."""
    return run([COMPOSE, *args], env, timeout)
