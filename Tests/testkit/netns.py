"""A private network namespace joined to this host by a veth pair: a second "machine" for tests.

Some behaviour only shows to clients on another host: Redis' protected mode refuses every client
that is not on loopback. A namespace of the test's own, with private addresses, shows it without
touching any real network. Needs root (or passwordless sudo) and iproute2; `ip` is installed with
`scripts/ensure-apt iproute2` when missing. Everything is removed on exit, on every path.
"""
from __future__ import annotations

import ipaddress
import os
import secrets
import shutil
import subprocess
from typing import List, Sequence

from .paths import REPO_ROOT


def _privileged(argv: Sequence[str]) -> List[str]:
    return list(argv) if os.geteuid() == 0 else ["sudo", "-n", *argv]


def _ensure_ip() -> str:
    if not shutil.which("ip"):
        subprocess.run([str(REPO_ROOT / "scripts" / "ensure-apt"), "iproute2"], check=True,
                       timeout=600)
    found = shutil.which("ip")
    if not found:
        raise FileNotFoundError("`ip` (iproute2) is missing and could not be installed")
    return found


def _addresses_in_use() -> str:
    return subprocess.run(["ip", "-4", "-o", "addr", "show"], capture_output=True, text=True,
                          check=True, timeout=10).stdout + subprocess.run(
        ["ip", "-4", "route", "show"], capture_output=True, text=True, check=True,
        timeout=10).stdout


class PrivateNetwork:
    """A namespace `name` and a /30 link: this host is `host_address`, the namespace is
    `inner_address`. Use as a context manager; `popen` and `run` execute inside the namespace."""

    def __init__(self) -> None:
        self.ip = _ensure_ip()
        token = secrets.token_hex(3)
        self.name = f"seedkeeper-{token}"
        self.host_link, self.inner_link = f"sk{token}h", f"sk{token}n"  # at most 15 characters
        used = _addresses_in_use()
        for _ in range(100):
            # 10.231.0.0/16 split into /30 links; skip any the machine already uses.
            base = int(ipaddress.IPv4Address("10.231.0.0")) + 4 * secrets.randbelow(16384)
            net = ipaddress.IPv4Network((base, 30))
            if f"{net.network_address}/30" not in used and str(net.network_address + 1) not in used:
                break
        else:
            raise RuntimeError("no free /30 in 10.231.0.0/16 for a test network")
        self.host_address = str(net.network_address + 1)
        self.inner_address = str(net.network_address + 2)
        self._created = False

    def _ip(self, *args: str) -> None:
        done = subprocess.run(_privileged([self.ip, *args]), capture_output=True, text=True,
                              timeout=30)
        if done.returncode != 0:
            raise RuntimeError(f"ip {' '.join(args)} failed: {done.stderr.strip()} "
                               "(network namespaces need root or passwordless sudo)")

    def __enter__(self) -> "PrivateNetwork":
        self._ip("netns", "add", self.name)
        self._created = True
        try:
            self._ip("link", "add", self.host_link, "type", "veth", "peer", "name", self.inner_link)
            self._ip("link", "set", self.inner_link, "netns", self.name)
            self._ip("addr", "add", f"{self.host_address}/30", "dev", self.host_link)
            self._ip("link", "set", self.host_link, "up")
            self._ip("-n", self.name, "addr", "add", f"{self.inner_address}/30", "dev",
                     self.inner_link)
            self._ip("-n", self.name, "link", "set", self.inner_link, "up")
            self._ip("-n", self.name, "link", "set", "lo", "up")
        except BaseException:
            self.close()
            raise
        return self

    def command(self, argv: Sequence[str]) -> List[str]:
        """`argv` run inside the namespace."""
        return _privileged([self.ip, "netns", "exec", self.name, *argv])

    def popen(self, argv: Sequence[str], **kwargs) -> subprocess.Popen:
        return subprocess.Popen(self.command(argv), **kwargs)

    def run(self, argv: Sequence[str], timeout: float = 10.0) -> str:
        return subprocess.run(self.command(argv), capture_output=True, text=True,
                              timeout=timeout).stdout.strip()

    def close(self) -> None:
        """Deletes the namespace; its end of the veth pair goes with it, and so the host's end."""
        if not self._created:
            return
        self._created = False
        subprocess.run(_privileged([self.ip, "netns", "delete", self.name]), capture_output=True,
                       timeout=30)
        subprocess.run(_privileged([self.ip, "link", "delete", self.host_link]),
                       capture_output=True, timeout=30)

    def __exit__(self, *exc) -> None:
        self.close()


def namespace_exists(name: str) -> bool:
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=10)
    return any(line.split()[0] == name for line in listed.stdout.splitlines() if line.strip())


__all__ = ["PrivateNetwork", "namespace_exists"]
