"""Fixtures for the local stack's tests: every stack is stopped afterwards, even on failure."""
import shutil

import pytest

from stack_harness import Stack, kill_leftovers


def _make_stack(tmp_path, backend):
    if not shutil.which("haproxy"):
        pytest.fail("haproxy not found: `make test` installs it (deploy/local/stack.mk)")
    return Stack(tmp_path / "stack", backend=backend)


@pytest.fixture
def stack(tmp_path):
    """A redis-backed stack on free ports, not started yet; stopped (and checked) afterwards."""
    s = _make_stack(tmp_path, "redis")
    seen = {}
    try:
        yield s
    finally:
        seen.update(s.recorded_pids())
        s.down()
        kill_leftovers(seen)


@pytest.fixture
def broken_stack(tmp_path):
    """The deliberately broken stack: both instances with --backend memory."""
    s = _make_stack(tmp_path, "memory")
    seen = {}
    try:
        yield s
    finally:
        seen.update(s.recorded_pids())
        s.down()
        kill_leftovers(seen)
