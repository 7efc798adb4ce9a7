"""The bounded libFuzzer run over the request-body validation (`make fuzz-smoke`): no crash, no
broken property, and the fuzzer really executed the inputs it was asked to."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

RUNS = 300_000


@pytest.mark.slow
def test_request_body_fuzzing_finds_no_crash():
    if not shutil.which("swiftc"):
        pytest.fail("swiftc not found: the Swift toolchain must be on PATH to build the fuzzer")
    done = subprocess.run(["make", "-s", "fuzz-smoke", f"FUZZ_SMOKE_RUNS={RUNS}"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=600)
    output = done.stdout + done.stderr
    crashes = sorted((REPO_ROOT / ".build-fuzz").glob("crash-*"))
    assert done.returncode == 0, f"the fuzzer failed (inputs saved as {crashes}):\n{output[-4000:]}"
    executed = re.search(r"stat::number_of_executed_units:\s*(\d+)", output)
    assert executed, f"no run statistics from the fuzzer:\n{output[-2000:]}"
    # Either every requested input ran, or the 60 s time bound stopped it after a real amount.
    assert int(executed.group(1)) >= min(RUNS, 10_000), output[-2000:]
    print(f"fuzz: {executed.group(1)} inputs executed")
