"""The command line and environment systemd gives a service, read from its unit file.

Only what starting seed-server needs (systemd.exec(5), systemd.service(5)): `ExecStart=`,
`Environment=` (several assignments per line, shell-like quotes), `EnvironmentFile=` (KEY=VALUE
lines; a leading `-` makes the file optional), which overrides `Environment=`, and `[Service]`
time settings. Absolute paths in the unit are taken relative to a staging root, so a unit staged by
`install.sh --root DIR` can be started from DIR without installing anything.
"""
import re
import shlex
from pathlib import Path
from typing import Dict, List

# systemd's PATH for services when the unit sets none (systemd.exec(5), "Environment Variables").
SYSTEMD_DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


def _under(root: Path, path: str) -> Path:
    return root / path.lstrip("/")


class ServiceUnit:
    """The `[Service]` section of a unit file: every `Key=` with all its values, in order."""

    def __init__(self, unit_file: Path) -> None:
        self.settings: Dict[str, List[str]] = {}
        section = None
        for raw in unit_file.read_text().splitlines():
            line = raw.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
                continue
            if section == "Service" and "=" in line:
                key, value = line.split("=", 1)
                self.settings.setdefault(key.strip(), []).append(value.strip())

    def one(self, key: str) -> str:
        values = self.settings.get(key, [])
        assert len(values) == 1, f"expected exactly one {key}= in [Service], found {values}"
        return values[0]

    def seconds(self, key: str) -> float:
        """A time span such as `35`, `35s` or `1min 5s`, in seconds."""
        units = {"": 1, "s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "ms": 0.001}
        total = 0.0
        for number, unit in re.findall(r"(\d+(?:\.\d+)?)\s*([a-z]*)", self.one(key)):
            total += float(number) * units[unit]
        return total

    def argv(self, root: Path) -> List[str]:
        """`ExecStart=` as an argv, its program found under `root`."""
        words = shlex.split(self.one("ExecStart").lstrip("-@+!:"))
        return [str(_under(root, words[0]))] + words[1:]

    def environment(self, root: Path) -> Dict[str, str]:
        """What the service's process sees: systemd's PATH, then `Environment=`, then every
        `EnvironmentFile=` (found under `root`), later settings winning."""
        env = {"PATH": SYSTEMD_DEFAULT_PATH}
        for line in self.settings.get("Environment", []):
            for assignment in shlex.split(line):
                name, value = assignment.split("=", 1)
                env[name] = value
        for spec in self.settings.get("EnvironmentFile", []):
            optional = spec.startswith("-")
            path = _under(root, spec.lstrip("-"))
            if optional and not path.exists():
                continue
            env.update(read_environment_file(path))
        return env


def read_environment_file(path: Path) -> Dict[str, str]:
    """KEY=VALUE lines; `#` and `;` start comments; a value may be quoted as a whole."""
    env = {}
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        name, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        env[name.strip()] = value
    return env
