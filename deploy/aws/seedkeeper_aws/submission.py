"""The addresses the course's submission script sends: `load_balancer1`, `ip_address1` and
`ip_address2`, each `host:port`. Only what answers `GET /` from here is printed: a grader would
time out on the rest."""
import json

from . import probe
from .console import env_seconds, out, say

OPEN_TARGETS = "seedkeeper-aws up --public-targets"


def gather(outputs: dict) -> tuple:
    """(block, notes): the reachable addresses by submission name, and what to tell the user."""
    block, notes = {}, []
    lb_timeout = env_seconds("SEEDKEEPER_LB_TIMEOUT", 300)
    dns = outputs.get("LoadBalancerDnsName", "")
    say("asking the load balancer for GET / (a new load balancer's name takes 1-3 minutes to resolve)")
    if dns and probe.wait_until_answers(probe.alb_url(dns), lb_timeout, "the load balancer").ok:
        block["load_balancer1"] = f"{dns}:80"
    else:
        notes.append("load_balancer1 is not listed: the load balancer does not answer GET / yet; "
                     "try 'seedkeeper-aws status' in a few minutes")

    public = outputs.get("TargetsPublic", "closed") or "closed"
    addresses = [outputs.get("InstanceAAddress", ""), outputs.get("InstanceBAddress", "")]
    if public == "closed":
        notes.append("ip_address1 and ip_address2 are not listed: the instances answer only the load "
                     f"balancer. To open their app port to a grader, run: {OPEN_TARGETS} "
                     "(it changes only a security-group rule; the instances and their addresses stay)")
        return block, notes
    if not all(a and not a.startswith((":", "None")) for a in addresses):
        notes.append("ip_address1 and ip_address2 are not listed: an instance has no public IP")
        return block, notes
    target_timeout = env_seconds("SEEDKEEPER_TARGET_TIMEOUT", 120)
    for n, (address, url) in enumerate(zip(addresses, probe.target_urls(addresses)), start=1):
        if probe.wait_until_answers(url, target_timeout, f"instance {'AB'[n - 1]}").ok:
            block[f"ip_address{n}"] = address
        else:
            notes.append(f"ip_address{n} ({address}) is not listed: it does not answer GET / from here "
                         f"although its port is open to {public}; 'seedkeeper-aws status' shows its health")
    return block, notes


def print_block(block: dict, notes: list, as_json: bool) -> None:
    if as_json:
        out(json.dumps(block, indent=2))
        for note in notes:
            say(note)
        return
    out("")
    out("For the assignment's submission (each answered GET / just now):")
    width = max((len(k) for k in block), default=0)
    for name in ("load_balancer1", "ip_address1", "ip_address2"):
        if name in block:
            out(f"  {name + ':':<{width + 1}} {block[name]}")
    for note in notes:
        out(f"  ({note})")
