"""The bounded libFuzzer run over the request-body validation (`make fuzz-smoke`): no crash, no
broken property, and the fuzzer really executed the inputs it was asked to."""
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from testkit import SeedServer, clean_environment, get_seed, http_request, post_seed

REPO_ROOT = Path(__file__).resolve().parents[2]
FUZZ_DIR = REPO_ROOT / ".build-fuzz"
RUNS = 300_000

# Bodies the server accepts and that are valid JSON: the harness's own oracle (StrictJSON.swift)
# must not call any of them invalid, or a fuzz failure would be the harness's fault.
VALID_ACCEPTED = [
    b'{"num": 100}', b'{"num":-0}', b'{"num": 1e2}', b'{"num": 1.0}', b'{"num": -9223372036854775808}',
    b' \r\n\t{"num" : 5 , "other": [true, false, null, {"a": "b"}, -1.5e-3, "\\u00e9\\n\\"x\\""]} ',
    '{"num": 7, "note": "ünïcødé ✓ 😀"}'.encode(), b'{"other": {}, "num": 0E0, "x": []}',
]


def _build() -> None:
    if not shutil.which("swiftc"):
        pytest.fail("swiftc not found: the Swift toolchain must be on PATH to build the fuzzer")
    done = subprocess.run(["make", "-s", "fuzz-build"], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=600, env=clean_environment())
    assert done.returncode == 0, f"building the fuzzer failed:\n{done.stdout}{done.stderr}"


def test_fuzz_oracle_accepts_valid_json(tmp_path):
    _build()
    files = []
    for i, body in enumerate(VALID_ACCEPTED):
        files.append(tmp_path / f"valid-{i}.json")
        files[-1].write_bytes(body)
    done = subprocess.run([str(FUZZ_DIR / "seed-input-fuzzer")] + [str(f) for f in files],
                          capture_output=True, text=True, timeout=120,
                          env=clean_environment({"SWIFT_BACKTRACE": "enable=no"}))
    assert done.returncode == 0, f"the harness refused valid, accepted bodies:\n{done.stderr[-3000:]}"


@pytest.mark.slow
def test_request_body_fuzzing_finds_no_crash():
    _build()
    before = set(FUZZ_DIR.glob("crash-*"))
    done = subprocess.run(["make", "-s", "fuzz-smoke", f"FUZZ_SMOKE_RUNS={RUNS}"], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=600, env=clean_environment())
    output = done.stdout + done.stderr
    if done.returncode != 0:
        found = sorted(set(FUZZ_DIR.glob("crash-*")) - before)
        violated = re.findall(r"property violated: .*", output)
        inputs = "\n".join(f"  {p.name}: {p.read_bytes()[:300]!r}" for p in found)
        pytest.fail(f"the fuzzer found a failing input ({violated or 'crash'}):\n{inputs}\n"
                    f"replay: {FUZZ_DIR.name}/seed-input-fuzzer <file>\n{output[-3000:]}")
    executed = re.search(r"stat::number_of_executed_units:\s*(\d+)", output)
    assert executed, f"no run statistics from the fuzzer:\n{output[-2000:]}"
    # Either every requested input ran, or the 60 s time bound stopped it after a real amount.
    assert int(executed.group(1)) >= min(RUNS, 10_000), output[-2000:]
    print(f"fuzz: {executed.group(1)} inputs executed")


# Inputs the fuzzer once found crashing, replayed against a running server: each must get its
# one-line 400 and leave the server serving.
CRASHERS = {
    "513 unclosed brackets (Foundation's too-deep error read past the body's end)": b"[" * 513,
    "513 unclosed brackets with CRs between": b"[" * 32 + b"\r\r" + b"[" * 481,
    "513 unclosed brackets inside num": b'{"num": ' + b"[" * 513,
}


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_inputs_that_crashed_the_parser_get_a_400_from_a_live_server(name):
    with SeedServer() as seed:
        assert post_seed(seed.url, 7) == (200, "7")
        status, _, body = http_request(seed.url, "POST", CRASHERS[name], timeout=10)
        assert (status, body) == (400, b"body is not valid JSON: send a JSON object like {\"num\": 100}\n")
        assert seed.running(), f"the server died on {name}:\n{seed.log()[-2000:]}"
        assert get_seed(seed.url) == (200, "7")
