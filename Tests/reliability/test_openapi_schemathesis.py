"""schemathesis generates requests from openapi.yaml and runs every check against a live server:
the server must match the description exactly, and the description must describe the server."""
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testkit import REPO_ROOT, RedisServer, SeedServer

MAX_EXAMPLES = 150
CONFIG = Path(__file__).with_name("schemathesis.toml")


def _schemathesis() -> list:
    st = shutil.which("st") or shutil.which("schemathesis")
    if st:
        return [st]
    return [sys.executable, "-m", "schemathesis.cli"]


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_server_conforms_to_openapi_description(backend, tmp_path):
    with RedisServer() as redis, SeedServer(backend, redis.url if backend == "redis" else None) as seed:
        argv = _schemathesis() + [
            "--config-file", str(CONFIG), "run", str(REPO_ROOT / "openapi.yaml"), "--url", seed.url,
            "--checks", "all", "--max-examples", str(MAX_EXAMPLES), "--seed", "20261125",
            "--phases", "examples,coverage,fuzzing", "--request-timeout", "5",
            "--generation-database", "none", "--no-color",
            "--report", "junit", "--report-dir", str(tmp_path),
        ]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=600, cwd=tmp_path)
        output = done.stdout + done.stderr
        print(output[-1500:])
        assert done.returncode == 0, f"schemathesis found failures:\n{output[-8000:]}"
        # It must really have tested something: a count of test cases in its summary.
        cases = re.search(r"(\d+)\s+generated", output)
        assert cases and int(cases.group(1)) > 0, f"schemathesis generated no cases:\n{output[-3000:]}"
        assert seed.running(), seed.log()[-2000:]
