"""Fixtures for the deploy tests: moto_server on a free loopback port for the whole session, reset
before every test that uses it; a small stand-in artifact; the template as moto can take it."""
import shutil
import subprocess
import tarfile
import urllib.request
from pathlib import Path

import pytest

# Free ports and waiting come from the shared testkit, through awskit.
from awskit import REPO_ROOT, free_port, wait_for_port


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    exe = shutil.which("moto_server")
    if not exe:
        pytest.fail("moto_server not found: `make test-deps` installs moto[server]")
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto_server.log", "wb")
    proc = subprocess.Popen([exe, "-H", "127.0.0.1", "-p", str(port)], stdout=log,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        wait_for_port(port, timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture
def moto(moto_endpoint):
    """A moto_server with no state left by an earlier test."""
    request = urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    return moto_endpoint


@pytest.fixture
def dummy_artifact(tmp_path) -> Path:
    """A small tarball with the artifact's layout (tests deploy it; they never build Swift)."""
    root = tmp_path / "artifact"
    (root / "seedkeeper" / "bin").mkdir(parents=True)
    (root / "seedkeeper" / "bin" / "seed-server").write_text("#!/bin/sh\necho stand-in\n")
    shutil.copy(REPO_ROOT / "deploy" / "ec2" / "install.sh", root / "seedkeeper" / "install.sh")
    out = tmp_path / "seedkeeper-x86_64.tar.gz"
    with tarfile.open(out, "w:gz") as tar:
        tar.add(root / "seedkeeper", arcname="seedkeeper")
    return out


@pytest.fixture
def moto_template_file(tmp_path) -> Path:
    from moto_template import write_moto_template
    return write_moto_template(tmp_path / "seedkeeper-moto.json")
