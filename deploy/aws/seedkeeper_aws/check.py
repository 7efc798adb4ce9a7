"""`check`: seed-check (the project's own consistency checker) against the load balancer, and
against both instances when their port is open."""
import os
import shutil
import subprocess

from . import artifact, probe, stack
from .console import CliError, say


def seed_check_bin() -> str:
    if os.environ.get("SEED_CHECK_BIN"):
        return os.environ["SEED_CHECK_BIN"]
    root = artifact.repo_root()
    for candidate in ([root / ".build" / "debug" / "seed-check", root / ".build" / "release" / "seed-check"]
                      if root else []):
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("seed-check")
    if found:
        return found
    raise CliError("seed-check not found: it is Swift; build it in the repository with Swift 6.3 on Linux "
                   "or macOS ('swift build --product seed-check'), or set SEED_CHECK_BIN to one; on Windows "
                   "run check from WSL. Only check needs it: up, status, down and ship do not ('status' "
                   "asks for the seed through the load balancer)")


def run(args, aws) -> int:
    current = stack.describe(aws.client("cloudformation"), args.stack)
    if current is None:
        raise CliError(f"no stack {args.stack} in {aws.region}: run 'seedkeeper-aws up' first")
    binary = seed_check_bin()
    outs = stack.settings(current)
    argv = [binary, "--lb", probe.alb_url(outs.get("LoadBalancerDnsName", ""))]
    if (outs.get("TargetsPublic") or "closed") == "closed":
        say("the instances answer only the load balancer: checking the load balancer only; "
            "'seedkeeper-aws up --public-targets' opens them so the instance checks can run too")
    else:
        addresses = [outs.get("InstanceAAddress", ""), outs.get("InstanceBAddress", "")]
        for url in probe.target_urls(addresses):
            argv += ["--target", url]
    say("+ " + " ".join(argv))
    return subprocess.run(argv).returncode
