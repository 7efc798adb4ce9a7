"""What the run was measured on: recorded with every result, since ratios only hold per machine."""
import os
import platform
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version


def _first_line(argv) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else "unknown"


def _cpu_model() -> str:
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> str:
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return "unknown"


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def describe() -> dict:
    cores = os.cpu_count() or 0
    machine = {
        "cores": cores, "cpu": _cpu_model(), "memory": _memory_gib(),
        "kernel": f"{platform.system()} {platform.release()}",
        "nginx": _first_line(["nginx", "-v"]),
        "haproxy": _first_line(["haproxy", "-v"]).split(" - ")[0].rsplit(" ", 1)[0],
        "redis": " ".join(_first_line(["redis-server", "--version"]).split()[:3]),
        "wrk": _first_line(["wrk", "-v"]).split(" [")[0],
        "swift": _first_line(["swift", "--version"]),
        "python": sys.version.split()[0],
        "flask": _package("flask"), "gunicorn": _package("gunicorn"),
        "redis-py": _package("redis"),
    }
    machine["summary"] = f"{cores} cores ({machine['cpu']}), {machine['kernel']}"
    return machine


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"
