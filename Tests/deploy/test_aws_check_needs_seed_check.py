"""`check` runs seed-check, a Swift program of this repository: the README's "What you need" says
so, and when it is missing the error says how to get it on Linux and macOS, what to do on Windows,
and that the other commands do not need it."""
from pathlib import Path

import pytest

import seedkeeper_aws.check as check
from seedkeeper_aws.console import CliError

REPO_ROOT = Path(__file__).resolve().parents[2]
README = REPO_ROOT / "deploy" / "aws" / "README.md"


def what_you_need() -> str:
    text = README.read_text()
    section = text[text.index("## What you need"):]
    return " ".join(section[:section.index("\n## ", 1)].split())


def test_what_you_need_names_seed_check_and_swift():
    needs = what_you_need()
    assert "seed-check" in needs and "Swift" in needs, needs
    assert "swift build --product seed-check" in needs, needs
    assert "SEED_CHECK_BIN" in needs, needs


def test_missing_seed_check_says_how_to_build_it_and_who_needs_it(monkeypatch):
    monkeypatch.delenv("SEED_CHECK_BIN", raising=False)
    monkeypatch.setattr(check.artifact, "repo_root", lambda: None)
    monkeypatch.setattr(check.shutil, "which", lambda name: None)
    with pytest.raises(CliError) as raised:
        check.seed_check_bin()
    message = str(raised.value)
    assert "\n" not in message
    assert "swift build --product seed-check" in message
    assert "macOS" in message and "Linux" in message and "Windows" in message, message
    assert "SEED_CHECK_BIN" in message
    assert "up, status, down and ship do not" in message, message
