"""What `seed-server --help` documents for each option: its environment variable and default.

Tests that start the server from an environment ask the server's own help which variable belongs
to which flag, instead of keeping a second copy of the names that could drift from the first.
"""
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Dict

# An option's entry starts on a line indented by a few spaces with its flag; its help, wrapped,
# continues on lines indented further and includes "(env: NAME, default: VALUE)".
_ENTRY_START = re.compile(r"^ {1,4}(?:-[a-zA-Z], )?(--[a-z][a-z-]*)\b")
_ENV = re.compile(r"\(env: ([A-Z][A-Z0-9_]*), default: ([^)]*)\)")


@dataclass(frozen=True)
class DocumentedOption:
    flag: str       # e.g. "--port"
    variable: str   # the environment variable the help names for it
    default: str    # the default the help states, as written


def documented_options(binary: Path) -> Dict[str, DocumentedOption]:
    """Every option of `binary --help` that names an environment variable, by flag."""
    result = subprocess.run([str(binary), "--help"], capture_output=True, text=True, timeout=30,
                            env={})  # nothing inherited can change what it prints
    assert result.returncode == 0, result.stdout + result.stderr
    entries = {}
    flag = None
    for line in result.stdout.splitlines():
        start = _ENTRY_START.match(line)
        if start:
            flag = start.group(1)
            entries[flag] = line
        elif flag and line.startswith(" "):
            entries[flag] += " " + line
        else:
            flag = None
    options = {}
    for flag, entry in entries.items():
        found = _ENV.search(" ".join(entry.split()))
        if found:
            options[flag] = DocumentedOption(flag, found.group(1), found.group(2).strip())
    assert len(options) >= 5, f"could not read the options from --help:\n{result.stdout}"
    return options
