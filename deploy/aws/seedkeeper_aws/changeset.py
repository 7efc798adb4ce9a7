"""Every update of an existing stack goes through a change set: CloudFormation works out what would
change, this module prints it (flagging instances that would be replaced or restarted, since that
moves their public IPs and interrupts the service), and the update runs only after a yes.
https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-updating-stacks-changesets.html
"""
import time

from botocore.exceptions import ClientError, WaiterError

from .aws import error_code, error_message
from .console import CliError, env_seconds, say

# What a new value of these template parameters does to both instances, from the "Update
# requires" line of each AWS::EC2::Instance property they feed (ImageId, SubnetId, KeyName:
# Replacement; InstanceType, UserData: Some interruptions, i.e. stop and start)
# https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-ec2-instance.html
INSTANCE_EFFECT = {
    "ImageId": "both instances REPLACED (new instances, new public IPs, downtime)",
    "SubnetA": "instance A REPLACED (new instance, new public IP)",
    "SubnetB": "instance B REPLACED (new instance, new public IP)",
    "KeyName": "both instances REPLACED (new instances, new public IPs, downtime)",
    "InstanceType": "both instances RESTARTED (stopped and started: new public IPs, downtime)",
    "ArtifactKey": ("both instances RESTARTED (their user data changes: new public IPs, downtime), and "
                    "running instances do not install the new build on restart: use 'seedkeeper-aws ship'"),
    "AppPort": "both instances RESTARTED (their user data changes: new public IPs, downtime)",
}

_NO_CHANGES = ("didn't contain changes", "No updates are to be performed")


def parameter_changes(old: dict, new: dict) -> list:
    """(key, old value, new value) for each parameter whose value changes."""
    return [(k, old.get(k, ""), v) for k, v in sorted(new.items())
            if v is not None and old.get(k, "") != v]


def _resource_line(change: dict) -> tuple:
    """One line of the preview for a ResourceChange, and whether it disrupts an instance."""
    rc = change["ResourceChange"]
    action, name = rc.get("Action", "?"), rc.get("LogicalResourceId", "?")
    kind = rc.get("ResourceType", "").replace("AWS::", "")
    replacement = rc.get("Replacement", "")
    is_instance = rc.get("ResourceType") == "AWS::EC2::Instance"
    note = ""
    disrupts = False
    if action == "Modify" and replacement == "True":
        note, disrupts = "REPLACED", True
    elif action == "Modify" and replacement == "Conditional":
        note, disrupts = "may be REPLACED", True
    elif action == "Remove":
        disrupts = is_instance
    if is_instance and action == "Modify" and replacement == "False":
        props = sorted({d.get("Target", {}).get("Name", "") for d in rc.get("Details", [])} - {""})
        if set(props) & {"UserData", "InstanceType"}:
            note, disrupts = "RESTARTED (stop and start: new public IP)", True
        elif props:
            note = "changed in place (" + ", ".join(props) + ")"
    if is_instance and disrupts:
        note += " <- this instance's address changes"
    return f"  {action:<8} {name:<36} {kind:<40} {note}".rstrip(), disrupts


def render(changes: list, param_changes: list) -> tuple:
    """The preview as lines, and whether anything in it replaces or restarts an instance."""
    lines, disrupts = [], False
    if param_changes:
        lines.append("parameters:")
        for key, old, new in param_changes:
            lines.append(f"  {key}: {old or '(empty)'} -> {new or '(empty)'}")
            if key in INSTANCE_EFFECT:
                lines.append(f"    => {INSTANCE_EFFECT[key]}")
                disrupts = True
    resource_changes = [c for c in changes if c.get("Type") == "Resource"]
    if resource_changes:
        lines.append("resources (as CloudFormation works them out):")
        for change in resource_changes:
            line, hit = _resource_line(change)
            lines.append(line)
            disrupts = disrupts or hit
    elif param_changes:
        lines.append("resources: CloudFormation listed no resource changes")
    return lines, disrupts


def create(cfn, stack_name: str, template_body: str, parameters: list, tags: list):
    """Creates an UPDATE change set and waits until it is worked out. Returns its description,
    or None when it holds no change (the failed empty change set is deleted again)."""
    name = f"seedkeeper-{time.strftime('%Y%m%d-%H%M%S')}"
    try:
        cfn.create_change_set(StackName=stack_name, ChangeSetName=name, ChangeSetType="UPDATE",
                              TemplateBody=template_body, Parameters=parameters, Tags=tags,
                              Capabilities=["CAPABILITY_IAM"])
    except ClientError as e:
        if any(s in error_message(e) for s in _NO_CHANGES):
            return None
        raise CliError(f"CloudFormation refused the update: {error_message(e)}")
    delay = max(1, int(env_seconds("SEEDKEEPER_POLL_SECONDS", 5)))
    try:
        cfn.get_waiter("change_set_create_complete").wait(
            StackName=stack_name, ChangeSetName=name, WaiterConfig={"Delay": delay, "MaxAttempts": 120})
    except WaiterError:
        pass  # the description below says why
    description = cfn.describe_change_set(StackName=stack_name, ChangeSetName=name)
    changes = list(description.get("Changes", []))
    token = description.get("NextToken")
    while token:
        page = cfn.describe_change_set(StackName=stack_name, ChangeSetName=name, NextToken=token)
        changes.extend(page.get("Changes", []))
        token = page.get("NextToken")
    description["Changes"] = changes
    if description["Status"] == "FAILED":
        reason = description.get("StatusReason", "")
        discard(cfn, stack_name, name)
        if any(s in reason for s in _NO_CHANGES):
            return None
        raise CliError(f"CloudFormation cannot make this update: {reason}")
    return description


def discard(cfn, stack_name: str, name: str) -> None:
    try:
        cfn.delete_change_set(StackName=stack_name, ChangeSetName=name)
    except ClientError as e:
        if error_code(e) != "ChangeSetNotFound":
            say(f"note: could not delete change set {name}: {error_message(e)}")
