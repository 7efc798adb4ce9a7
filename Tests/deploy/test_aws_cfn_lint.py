"""cfn-lint on every CloudFormation template under deploy/: any error fails the build."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def templates():
    found = [p for p in sorted((REPO_ROOT / "deploy").rglob("*.y*ml"))
             if "AWSTemplateFormatVersion" in p.read_text()]
    assert found, "no CloudFormation template under deploy/"
    return found


def cfn_lint_bin() -> str:
    # Beside this interpreter first: that is the cfn-lint `make test-deps` installed.
    beside = Path(sys.executable).parent / "cfn-lint"
    found = str(beside) if beside.exists() else shutil.which("cfn-lint")
    assert found, "cfn-lint not found: `make test-deps` installs it"
    return found


def cfn_lint(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([cfn_lint_bin(), "--format", "parseable", str(path)],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("template", templates(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_template_lints_clean(template):
    result = cfn_lint(template)
    # cfn-lint exits 2 for errors, 4 for warnings, 8 for informational findings (added up).
    assert result.returncode & 2 == 0, result.stdout + result.stderr
    assert result.returncode == 0, f"warnings or notes: {result.stdout}"


def test_cfn_lint_catches_a_broken_template(tmp_path):
    template = templates()[0]
    broken = tmp_path / "broken.yaml"
    # A listener that forwards to a target group that does not exist.
    broken.write_text(template.read_text().replace("TargetGroupArn: !Ref TargetGroup",
                                                   "TargetGroupArn: !Ref NoSuchTargetGroup"))
    assert broken.read_text() != template.read_text()
    result = cfn_lint(broken)
    assert result.returncode & 2, result.stdout
    assert "NoSuchTargetGroup" in result.stdout
