"""Makes the shared `testkit` package importable from every system test folder, and closes any
test process still open when the session ends (a test that forgot `with` or `close()`)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from testkit import close_all  # noqa: E402 (needs the path above)


@pytest.fixture(scope="session", autouse=True)
def _no_test_process_outlives_the_session():
    yield
    close_all()
