"""`status`: the stack's state, each target's health, the seed read through the load balancer,
and when the stack deletes itself."""
from botocore.exceptions import ClientError

from . import expiry, probe, stack, targets
from .console import out


def run(args, aws) -> int:
    cfn = aws.client("cloudformation")
    current = stack.describe(cfn, args.stack)
    if current is None:
        out(f"stack {args.stack}: none in {aws.region} (nothing running, nothing billed by it)")
        return 1
    ok = current["StackStatus"] in ("CREATE_COMPLETE", "UPDATE_COMPLETE")
    out(f"stack {args.stack} ({aws.region}): {current['StackStatus']}")
    outs = stack.settings(current)
    expires = outs.get("ExpiresAt", "")
    out(f"expires: {expiry.describe(expires)}")
    states = []
    if outs.get("TargetGroupArn"):
        try:
            states = targets.health(aws.client("elbv2"), outs["TargetGroupArn"])
        except ClientError:
            states = []
    if not states:
        out("targets: none registered")
        ok = False
    for instance, state, reason in states:
        out(f"target {instance}: {state}" + (f" ({reason})" if reason else ""))
        ok = ok and state == "healthy"
    if outs.get("LoadBalancerDnsName"):
        url = probe.alb_url(outs["LoadBalancerDnsName"])
        answer = probe.get(url)
        if answer.ok:
            served = f" (served by {answer.served_by})" if answer.served_by else ""
            out(f"seed via {url}: {answer.body}{served}")
        else:
            out(f"seed via {url}: no answer ({answer.error})")
            ok = False
    return 0 if ok else 1
