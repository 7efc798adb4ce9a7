"""What the command tells its user: progress on stderr, results on stdout, and the one error type
whose message ends the command (one sentence with what to do next)."""
import os
import sys


class CliError(Exception):
    """Ends the command with exit status 1 and this message on stderr."""


def say(message: str = "") -> None:
    """Progress and explanations (stderr, so stdout carries only results such as --json)."""
    print(message, file=sys.stderr, flush=True)


def out(message: str = "") -> None:
    """A result (stdout)."""
    print(message, flush=True)


def env_seconds(name: str, default: float) -> float:
    """A duration in seconds from the environment (tests shorten the waits), else `default`."""
    value = os.environ.get(name, "")
    try:
        return float(value) if value else default
    except ValueError:
        raise CliError(f"{name}={value!r} is not a number of seconds")


def is_interactive() -> bool:
    """True when a person can answer a question (stdin is a terminal)."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def confirm(question: str) -> bool:
    """Asks on the terminal (the question on stderr, like all progress); only "y" or "yes" is a yes."""
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")
