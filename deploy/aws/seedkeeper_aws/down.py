"""`down`: delete the stack (retrying a deletion that fails, e.g. a security group still held by
a network interface for a few minutes), then whatever happened, empty and delete the bucket and
list what is left. Exit status 1 while anything billable is left."""
import time

from . import bucket, leftovers, stack
from .console import CliError, env_seconds, out, say

ATTEMPTS = 3


def _delete_stack(cfn, name: str, stack_id: str) -> bool:
    """Deletes the stack, retrying with growing pauses; True once it is gone."""
    pause = env_seconds("SEEDKEEPER_DELETE_RETRY_SECONDS", 60)
    for attempt in range(1, ATTEMPTS + 1):
        seen = stack.event_ids(cfn, stack_id)
        say(f"deleting stack {name} (usually 5-10 minutes; ElastiCache is the slow part)"
            + (f", attempt {attempt} of {ATTEMPTS}" if attempt > 1 else ""))
        cfn.delete_stack(StackName=stack_id)
        final = stack.watch(cfn, stack_id, seen, f"the deletion of stack {name}")
        if final == "DELETE_COMPLETE":
            say(f"stack {name}: deleted")
            return True
        reasons = stack.failure_reasons(cfn, stack_id)
        say(f"stack {name} ended {final}: " + ("; ".join(reasons[-3:]) or "no reason recorded"))
        if attempt < ATTEMPTS:
            say(f"retrying in {pause:.0f} s (a network interface AWS still holds is usually released by then)")
            time.sleep(pause)
            pause *= 2
    return False


def run(args, aws) -> int:
    cfn, s3 = aws.client("cloudformation"), aws.client("s3")
    name = args.stack
    bucket_name = bucket.bucket_name(aws.account, aws.region, name)
    current = stack.describe(cfn, name)
    recorded, deleted = [], True
    if current:
        recorded = leftovers.recorded_resources(cfn, current["StackId"])
        try:
            deleted = _delete_stack(cfn, name, current["StackId"])
        except CliError as e:
            say(str(e))
            deleted = False
        if deleted:
            for kind, ident in recorded:
                if leftovers.exists(aws, kind, ident):
                    say(f"deleting what the stack left behind: {kind} {ident}")
                    try:
                        leftovers.delete(aws, kind, ident)
                    except Exception as e:  # noqa: BLE001 - listed below as left
                        say(f"  could not delete it: {e}")
            # Kept by the template on purpose (the expiry's role outlives the stack it deletes).
            for role in leftovers.expiry_roles(aws, name):
                say(f"deleting the role the stack kept for its expiry: {role}")
                try:
                    leftovers.delete_role(aws, role)
                except Exception as e:  # noqa: BLE001 - listed below as left
                    say(f"  could not delete it: {e}")
    else:
        say(f"stack {name}: none in {aws.region}")
    bucket.delete_bucket(s3, bucket_name)

    say(f"looking for what is left of {name} (instances, load balancers, target groups, Redis, "
        "security groups, buckets)")
    left = {(k, i) for k, i in recorded if leftovers.exists(aws, k, i)}
    left |= set(leftovers.tagged(aws, name))
    left |= {("iam-role", role) for role in leftovers.expiry_roles(aws, name)}
    still = stack.describe(cfn, name)
    if still:
        left.add(("stack", f"{name} ({still['StackStatus']})"))
    if left:
        say("STILL THERE:")
        for kind, ident in sorted(left):
            say(f"  {kind}  {ident}" + ("" if kind in leftovers.BILLABLE else "  (costs nothing)"))
    billable = [x for x in left if x[0] in leftovers.BILLABLE]
    if billable:
        say("These may still cost money. Run 'seedkeeper-aws down' again in a few minutes, or delete "
            "them in the console (CloudFormation, EC2, Load Balancers, ElastiCache, S3)")
        return 1
    out(f"nothing billable of stack {name} is left in {aws.region}")
    return 0
