"""The CloudFormation stack: its state, its outputs and parameters, and its events printed as
they happen while CloudFormation works."""
import time

from botocore.exceptions import ClientError

from .aws import error_code, error_message
from .console import CliError, env_seconds, say

TAG_KEY = "seedkeeper:stack"


def describe(cfn, name: str):
    """The stack (DescribeStacks' dict), or None when there is none by that name or id."""
    try:
        return cfn.describe_stacks(StackName=name)["Stacks"][0]
    except ClientError as e:
        if error_code(e) == "ValidationError" and "does not exist" in error_message(e):
            return None
        raise CliError(f"could not read stack {name}: {error_message(e)}")


def outputs(stack) -> dict:
    return {o["OutputKey"]: o.get("OutputValue", "") for o in (stack or {}).get("Outputs", [])}


def parameters(stack) -> dict:
    return {p["ParameterKey"]: p.get("ParameterValue", "") for p in (stack or {}).get("Parameters", [])}


def settings(stack) -> dict:
    """The outputs, with the two that only mirror a parameter (TargetsPublic, ExpiresAt) read from
    the parameter itself: that is the value the last update applied, even where an emulator keeps
    the outputs of the first creation."""
    merged = outputs(stack)
    params = parameters(stack)
    if "TargetAccessCidr" in params:
        merged["TargetsPublic"] = params["TargetAccessCidr"] or "closed"
    if "ExpiresAt" in params:
        merged["ExpiresAt"] = params["ExpiresAt"] or "never"
    return merged


def is_settled(status: str) -> bool:
    return not status.endswith("_IN_PROGRESS")


def event_ids(cfn, stack_id: str) -> set:
    """The ids of the events the stack has now, so that watching shows only what comes next."""
    seen = set()
    try:
        for page in cfn.get_paginator("describe_stack_events").paginate(StackName=stack_id):
            seen.update(e["EventId"] for e in page["StackEvents"])
    except ClientError:
        pass
    return seen


def _print_new_events(cfn, stack_id: str, seen: set) -> None:
    fresh = []
    try:
        for page in cfn.get_paginator("describe_stack_events").paginate(StackName=stack_id):
            new = [e for e in page["StackEvents"] if e["EventId"] not in seen]
            fresh.extend(new)
            if len(new) < len(page["StackEvents"]):
                break  # newest first: the rest were seen before
    except ClientError:
        return
    for event in reversed(fresh):
        seen.add(event["EventId"])
        when = event["Timestamp"].strftime("%H:%M:%S")
        kind = event.get("ResourceType", "").split("::")[-1]
        reason = event.get("ResourceStatusReason") or ""
        say(f"  {when}  {event['ResourceStatus']:<28} {event['LogicalResourceId']:<32} {kind:<20} {reason}".rstrip())


def watch(cfn, stack_id: str, seen: set, what: str) -> str:
    """Prints the stack's events until it settles and returns its final status (DELETE_COMPLETE
    once a deleted stack is gone). Bounded by SEEDKEEPER_STACK_TIMEOUT (default 1 h)."""
    timeout = env_seconds("SEEDKEEPER_STACK_TIMEOUT", 3600)
    poll = env_seconds("SEEDKEEPER_POLL_SECONDS", 5)
    started = time.monotonic()
    while True:
        _print_new_events(cfn, stack_id, seen)
        stack = describe(cfn, stack_id)
        status = stack["StackStatus"] if stack else "DELETE_COMPLETE"
        if is_settled(status):
            _print_new_events(cfn, stack_id, seen)
            return status
        waited = time.monotonic() - started
        if waited > timeout:
            raise CliError(f"{what} is still {status} after {waited:.0f} s: watch it with "
                           "'seedkeeper-aws status' or in the CloudFormation console")
        time.sleep(poll)


def failure_reasons(cfn, stack_id: str) -> list:
    """'Resource: reason' for each FAILED event, oldest first."""
    reasons = []
    try:
        for page in cfn.get_paginator("describe_stack_events").paginate(StackName=stack_id):
            for e in page["StackEvents"]:
                if e["ResourceStatus"].endswith("FAILED") and e.get("ResourceStatusReason"):
                    reasons.append(f"{e['LogicalResourceId']}: {e['ResourceStatusReason']}")
    except ClientError:
        pass
    return list(reversed(reasons))
