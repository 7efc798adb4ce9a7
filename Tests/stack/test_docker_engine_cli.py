"""deploy/docker/engine and the Docker README without a Docker engine: stand-in `docker` clients
on PATH. The CLI the README's debugging commands need must be reachable from the README, and a
client without BuildKit is named only when an engine is set up for a build, not on every command."""
import os
import re
import stat
import subprocess

from testkit import REPO_ROOT

ENGINE = REPO_ROOT / "deploy" / "docker" / "engine"
DOCKER_README = REPO_ROOT / "deploy" / "docker" / "README.md"

# A Docker 23+ client without the buildx plugin: `build --help` has no --output.
OLD_CLIENT = """#!/bin/sh
case "$1" in
  --version) echo "Docker version 28.2.2, build stand-in" ;;
  build) echo "Usage: docker build [OPTIONS] PATH"; echo "  -t, --tag list" ;;
  *) echo "Cannot connect to the Docker daemon" >&2; exit 1 ;;
esac
"""
# A client with BuildKit; its server answers only at $STAND_IN_HOST (empty: nowhere).
GOOD_CLIENT = """#!/bin/sh
case "$1" in
  --version) echo "Docker version 20.10.24, build stand-in" ;;
  build) echo "      --output stringArray" ;;
  version)
    if [ -n "$STAND_IN_HOST" ] && [ "$DOCKER_HOST" = "$STAND_IN_HOST" ]; then echo 20.10.24; exit 0; fi
    echo "Cannot connect to the Docker daemon" >&2; exit 1 ;;
  *) exit 1 ;;
esac
"""


def _client(directory, text):
    directory.mkdir()
    path = directory / "docker"
    path.write_text(text)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _engine(tmp_path, command, stand_in_host=""):
    _client(tmp_path / "old", OLD_CLIENT)
    _client(tmp_path / "good", GOOD_CLIENT)
    env = {"PATH": f"{tmp_path / 'old'}:{tmp_path / 'good'}:/usr/bin:/bin",
           "HOME": str(tmp_path), "STAND_IN_HOST": stand_in_host}
    run_dir = tmp_path / "run"
    return run_dir, subprocess.run([str(ENGINE), command, str(run_dir)], env=env,
                                   capture_output=True, text=True, timeout=60,
                                   stdin=subprocess.DEVNULL)


def test_env_names_the_socket_of_this_folders_engine(tmp_path):
    run_dir = tmp_path / "run"
    _, result = _engine(tmp_path, "env", stand_in_host=f"unix://{run_dir}/docker.sock")
    assert result.returncode == 0, result.stderr
    assert f"export DOCKER_HOST=unix://{run_dir}/docker.sock" in result.stdout.splitlines()


def test_env_does_not_name_the_skipped_client_every_time(tmp_path):
    _, result = _engine(tmp_path, "env", stand_in_host="unix:///nowhere")
    assert result.returncode != 0
    assert "no engine answers" in result.stderr, result.stderr
    assert "skipping" not in result.stderr, \
        f"every Compose command (ps, down) repeats the skipped client:\n{result.stderr}"


def test_readme_debugging_commands_reach_the_wrappers_engine():
    text = DOCKER_README.read_text()
    section = text[text.index("### When a container stays unhealthy"):text.index("## Build the EC2 artifact")]
    section = " ".join(section.split())  # sentences wrap at any word
    assert "docker inspect" in section
    # How the plain CLI reaches the engine the wrapper started, with the socket the script uses.
    assert 'eval "$(deploy/docker/engine env)"' in section, section
    engine = ENGINE.read_text()
    assert 'socket="$run_dir/docker.sock"' in engine and 'run_dir="${2:-run/docker}"' in engine
    assert "DOCKER_HOST=unix://$PWD/run/docker/docker.sock" in section, section
    assert "Cannot connect to the Docker daemon" in section, section
    # Compose straight on the file needs v2; v1 refuses the top-level `name:`.
    run = " ".join(text[text.index("## Run the stack"):text.index("### How long it takes")].split())
    assert re.search(r"Compose v2", run) and "deploy/docker/compose ps" in run
    assert re.search(r"v1[^.]*(refuses|rejects)[^.]*`name:`", run), run
