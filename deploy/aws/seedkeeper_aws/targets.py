"""The two instances as the load balancer sees them: registered, then healthy (two passing
`GET /` checks 10 s apart). A progress line shows where they are while waiting."""
import sys
import time

from .console import CliError, env_seconds, say

USUALLY = "usually 2-5 minutes after the stack is complete: boot, fetch, install, two health checks"


def health(elbv2, target_group_arn: str) -> list:
    """(instance id, state, reason) of each registered target."""
    described = elbv2.describe_target_health(TargetGroupArn=target_group_arn)["TargetHealthDescriptions"]
    return [(d["Target"]["Id"], d["TargetHealth"]["State"],
             d["TargetHealth"].get("Reason") or d["TargetHealth"].get("Description") or "")
            for d in described]


def wait_healthy(elbv2, target_group_arn: str, want: int, region: str) -> None:
    """Returns once `want` targets are healthy; raises CliError after SEEDKEEPER_HEALTH_TIMEOUT
    (default 900 s) with where to look."""
    timeout = env_seconds("SEEDKEEPER_HEALTH_TIMEOUT", 900)
    poll = env_seconds("SEEDKEEPER_POLL_SECONDS", 5)
    started = time.monotonic()
    say(f"waiting for {want} healthy targets ({USUALLY})")
    last = None
    tty = sys.stderr.isatty()
    while True:
        states = health(elbv2, target_group_arn)
        healthy = sum(1 for _, state, _ in states if state == "healthy")
        elapsed = time.monotonic() - started
        line = f"  [{elapsed:4.0f} s] healthy {healthy}/{want}: " + (
            ", ".join(f"{i} {s}" for i, s, _ in states) or "none registered yet")
        if tty:
            print("\r" + line.ljust(100), end="", file=sys.stderr, flush=True)
        elif line.split("] ", 1)[1] != last:
            say(line)
        last = line.split("] ", 1)[1]
        if healthy >= want:
            if tty:
                print(file=sys.stderr)
            say(f"targets: {healthy} healthy after {elapsed:.0f} s")
            return
        if elapsed > timeout:
            if tty:
                print(file=sys.stderr)
            raise CliError(
                f"only {healthy} of {want} targets are healthy after {elapsed:.0f} s. Look inside an "
                f"instance: 'aws ssm start-session --region {region} --target INSTANCE_ID', then "
                "'sudo cat /var/log/seedkeeper-boot.log' and 'sudo journalctl -u seedkeeper'. The stack "
                "stays up and costs money: 'seedkeeper-aws down' removes it")
        time.sleep(poll)
