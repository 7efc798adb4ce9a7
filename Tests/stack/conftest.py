"""Fixtures for the local stack's tests: every stack is stopped afterwards, even on failure."""
import shutil

import pytest

from stack_harness import Stack, kill_leftovers


def _make_stack(tmp_path, backend):
    if not shutil.which("haproxy"):
        pytest.fail("haproxy not found: `make test` installs it (deploy/local/stack.mk)")
    return Stack(tmp_path / "stack", backend=backend)


def _running_then_stopped(tmp_path, backend):
    """A stack on free ports, not started yet; stopped (and checked for leftovers) afterwards."""
    s = _make_stack(tmp_path, backend)
    try:
        yield s
    finally:
        seen = dict(s.recorded_pids())
        s.down()
        kill_leftovers(seen)


@pytest.fixture
def stack(tmp_path):
    """A redis-backed stack."""
    yield from _running_then_stopped(tmp_path, "redis")


@pytest.fixture
def broken_stack(tmp_path):
    """The deliberately broken stack: both instances with --backend memory."""
    yield from _running_then_stopped(tmp_path, "memory")
