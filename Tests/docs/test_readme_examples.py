"""The console examples in the repository's Markdown files, run against a real seed-server.

The convention (README.md states it in one line, by its first example):

- A ```console block is an example that runs when it has a `$ curl …` command addressed to
  `localhost:8080`. Every other block (```sh, ```console without such a curl, plain ```) is
  documentation and is not run.
- In a block that runs, each line starting with `$ ` is a command; the lines after it, up to the
  next command or the end of the block, are exactly what it prints (trailing spaces and CRs
  aside). `# …` after a command is a comment.
- A command there is either `curl …`, run by bash with `localhost:8080` turned into the test
  server's address, or `make run [NAME=value …]`, which the test plays: it starts a fresh
  seed-server with the command the Makefile's `run` recipe gives (`make -n run`), on a free
  loopback port, with each NAME=value in its environment as make would pass it. Any other
  command in a block that runs is an error, so a block is plainly one kind or the other.
- The blocks of one file run in order as one session: a block without `make run` talks to the
  server the block before it started, so the first block that runs starts one.
"""
import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

import pytest

from testkit import REPO_ROOT, free_port, seed_server_bin, wait_for_port

# What marks a block to run; inside one, 127.0.0.1:8080 means the same server.
RUNS = re.compile(r"\blocalhost:8080\b")
LOCAL_SERVER = re.compile(r"\b(?:localhost|127\.0\.0\.1):8080\b")
# What the server reads from the environment: left out of what the test's server inherits.
SERVER_VARIABLES = re.compile(r"^(SEEDKEEPER_.*|PORT|REDIS_.*|INSTANCE_NAME|LOG_LEVEL)$")


@dataclass
class Command:
    line: int              # 1-based line of the `$ ` line in its file
    text: str
    expected: List[str] = field(default_factory=list)


@dataclass
class Example:
    path: Path
    line: int
    commands: List[Command]

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(REPO_ROOT)}:{self.line}"


def markdown_files() -> List[Path]:
    """Every Markdown file of the repository, outside hidden folders and build output."""
    skip = {"dist", "run", "node_modules"}
    return sorted(p for p in REPO_ROOT.rglob("*.md")
                  if not any(part.startswith(".") or part in skip
                             for part in p.relative_to(REPO_ROOT).parts[:-1]))


def examples_in(path: Path) -> List[Example]:
    """The console blocks of `path` that run under the convention, in order."""
    found, block, start = [], None, 0
    for number, line in enumerate(path.read_text().splitlines(), 1):
        fence = line.strip()
        if block is None:
            if fence == "```console":
                block, start = [], number
            continue
        if fence == "```":
            commands: List[Command] = []
            for at, text in block:
                if text.startswith("$ "):
                    commands.append(Command(at, text[2:].strip()))
                elif commands:
                    commands[-1].expected.append(text.rstrip())
            if any(c.text.startswith("curl ") and RUNS.search(c.text) for c in commands):
                found.append(Example(path, start, commands))
            block = None
            continue
        block.append((number, line))
    return found


def is_make_run(command: Command) -> bool:
    words = shlex.split(command.text, comments=True)
    return words[:2] == ["make", "run"]


class ExampleServer:
    """The seed-server `make run` starts, on a free loopback port; stopped on every way out."""

    def __init__(self, command: Command, log_dir: Path) -> None:
        settings = shlex.split(command.text, comments=True)[2:]
        assert all(re.fullmatch(r"[A-Z_][A-Z0-9_]*=\S*", s) for s in settings), \
            f"`{command.text}`: only NAME=value settings may follow `make run`"
        self.port = free_port()
        recipe = subprocess.run(["make", "--no-print-directory", "-n", "run", f"PORT={self.port}",
                                 *settings], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)
        assert recipe.returncode == 0, recipe.stdout + recipe.stderr
        argv = shlex.split(recipe.stdout.strip().splitlines()[-1])
        assert Path(argv[0]).name == "seed-server", f"`make run` no longer ends by starting seed-server:\n{recipe.stdout}"
        # The recipe's server, built by the test run; on loopback only.
        argv = [str(seed_server_bin())] + argv[1:] + ["--host", "127.0.0.1"]
        env = {k: v for k, v in os.environ.items() if not SERVER_VARIABLES.match(k)}
        env.update(s.split("=", 1) for s in settings)  # make exports command-line variables
        self.log_path = log_dir / f"seed-server-{self.port}.log"
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
        try:
            wait_for_port(self.port, timeout=30)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def run_curl(command: Command, port: int) -> subprocess.CompletedProcess:
    script = LOCAL_SERVER.sub(f"127.0.0.1:{port}", command.text)
    return subprocess.run(["bash", "-c", script], cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=20, stdin=subprocess.DEVNULL)


FILES_WITH_EXAMPLES = [p for p in markdown_files() if examples_in(p)]


def test_the_readme_has_examples_that_run():
    # Guards the convention itself: a change of fence or address must not make every example
    # silently documentation.
    assert len(examples_in(REPO_ROOT / "README.md")) >= 3


@pytest.mark.parametrize("path", FILES_WITH_EXAMPLES,
                         ids=[str(p.relative_to(REPO_ROOT)) for p in FILES_WITH_EXAMPLES])
def test_console_examples_print_what_they_show(path, tmp_path):
    if not shutil.which("curl"):
        pytest.fail("curl not found: `make test` installs it (Debian package curl)")
    server: Optional[ExampleServer] = None
    try:
        for example in examples_in(path):
            for command in example.commands:
                where = f"{path.relative_to(REPO_ROOT)}:{command.line}"
                if is_make_run(command):
                    assert not command.expected, f"{where}: `make run` shows output; the test cannot check it"
                    if server:
                        server.stop()
                    server = ExampleServer(command, tmp_path)
                    continue
                assert command.text.startswith("curl "), \
                    f"{where}: `{command.text}` is neither curl nor `make run`; a block that runs holds only those"
                assert server, f"{where}: no `$ make run` before the first example that runs"
                result = run_curl(command, server.port)
                printed = [line.rstrip() for line in result.stdout.splitlines()]
                assert printed == command.expected, (
                    f"{where}: `{command.text}`\n  README shows: {command.expected}\n"
                    f"  server said:  {printed}\n  curl stderr: {result.stderr.strip()}\n"
                    f"  server log:\n{server.log()[-1500:]}")
    finally:
        if server:
            server.stop()
