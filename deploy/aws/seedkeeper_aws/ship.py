"""`ship`: a new build onto the running instances, one at a time, without the grader seeing an
error and without touching the stack (its instances and addresses stay).

For each instance: take it out of the target group and wait while the load balancer drains it
(35 s, the target group's deregistration delay); install the new build through SSM Run Command
(AWS-RunShellScript: download, unpack, install.sh, which restarts the service; the server drains
its open connections on SIGTERM); put it back and wait until it is healthy; then the next one.
The other instance serves alone meanwhile. The instance fetches the build with a presigned URL
(valid 1 hour), since its own role may read only the object the stack names.
"""
import shlex
import time

from botocore.exceptions import WaiterError

from . import artifact, bucket, stack
from .console import CliError, env_seconds, say

INSTALL = """set -eu
work=$(mktemp -d)
curl -fsS --retry 5 --retry-delay 3 --max-time 300 -o "$work/artifact.tar.gz" {url}
tar -xzf "$work/artifact.tar.gz" -C "$work"
set -a; . /etc/seedkeeper/seedkeeper.env; set +a
set -- --backend "$SEEDKEEPER_BACKEND" --instance-name "$INSTANCE_NAME" --port "$PORT"
if [ -n "${{REDIS_URL:-}}" ]; then set -- "$@" --redis-url "$REDIS_URL"; fi
"$work/seedkeeper/install.sh" "$@"
rm -rf "$work"
"""

_DONE = {"Success", "Cancelled", "TimedOut", "Failed", "Cancelling"}


def _run_command(ssm, instance_id: str, script: str) -> None:
    timeout = env_seconds("SEEDKEEPER_SHIP_TIMEOUT", 600)
    poll = env_seconds("SEEDKEEPER_POLL_SECONDS", 5)
    command = ssm.send_command(InstanceIds=[instance_id], DocumentName="AWS-RunShellScript",
                               Comment=f"seedkeeper ship to {instance_id}", TimeoutSeconds=int(timeout),
                               Parameters={"commands": [script]})["Command"]
    started = time.monotonic()
    while True:
        time.sleep(poll)
        try:
            invocation = ssm.get_command_invocation(CommandId=command["CommandId"], InstanceId=instance_id)
        except ssm.exceptions.InvocationDoesNotExist:
            continue  # not registered yet, just after send_command
        if invocation["Status"] in _DONE:
            break
        if time.monotonic() - started > timeout:
            raise CliError(f"installing on {instance_id} did not finish in {timeout:.0f} s; see "
                           f"'aws ssm list-command-invocations --command-id {command['CommandId']} --details'")
    if invocation["Status"] != "Success":
        raise CliError(f"installing on {instance_id} ended {invocation['Status']}: "
                       f"{invocation.get('StandardErrorContent', '').strip()[-500:]} — it is out of the "
                       "load balancer; the other instance serves. Fix the cause and run ship again")


def run(args, aws) -> int:
    cfn, s3, elbv2, ssm = (aws.client(s) for s in ("cloudformation", "s3", "elbv2", "ssm"))
    current = stack.describe(cfn, args.stack)
    if current is None:
        raise CliError(f"no stack {args.stack} in {aws.region}: run 'seedkeeper-aws up' first")
    if current["StackStatus"] not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
        raise CliError(f"stack {args.stack} is {current['StackStatus']}: ship needs a running stack")
    outs, params = stack.outputs(current), stack.parameters(current)
    arch = artifact.instance_arch(params.get("InstanceType", "t3.micro"))
    path = artifact.artifact_for(args.artifact, arch)
    bucket_name = bucket.bucket_name(aws.account, aws.region, args.stack)
    key = bucket.artifact_key(arch, artifact.sha256_of(path))
    bucket.ensure_bucket(s3, bucket_name, aws.region, args.stack)
    bucket.upload(s3, bucket_name, path, key)
    # Signature Version 4: S3 refuses SigV2 URLs in the regions opened since 2014.
    presigner = aws.client("s3", signature_version="s3v4")
    url = presigner.generate_presigned_url("get_object", Params={"Bucket": bucket_name, "Key": key}, ExpiresIn=3600)
    script = INSTALL.format(url=shlex.quote(url))
    group, port = outs["TargetGroupArn"], int(outs.get("AppPort", "8080"))
    delay = max(1, int(env_seconds("SEEDKEEPER_POLL_SECONDS", 5)))
    waiter_config = {"Delay": delay, "MaxAttempts": max(1, int(env_seconds("SEEDKEEPER_HEALTH_TIMEOUT", 900) / delay))}
    for instance_id in (outs["InstanceAId"], outs["InstanceBId"]):
        target = [{"Id": instance_id, "Port": port}]
        say(f"{instance_id}: out of the load balancer, draining (about 35 s)")
        elbv2.deregister_targets(TargetGroupArn=group, Targets=target)
        try:
            elbv2.get_waiter("target_deregistered").wait(TargetGroupArn=group, Targets=target,
                                                         WaiterConfig=waiter_config)
        except WaiterError as e:
            raise CliError(f"{instance_id} did not leave the target group: {e}")
        say(f"{instance_id}: installing {key} through SSM (usually under a minute)")
        _run_command(ssm, instance_id, script)
        say(f"{instance_id}: back into the load balancer, waiting for 2 passing health checks (about 20-30 s)")
        elbv2.register_targets(TargetGroupArn=group, Targets=target)
        try:
            elbv2.get_waiter("target_in_service").wait(TargetGroupArn=group, Targets=target,
                                                       WaiterConfig=waiter_config)
        except WaiterError as e:
            raise CliError(f"{instance_id} runs the new build but is not healthy ({e}); the other "
                           "instance still runs the old one. Look at 'sudo journalctl -u seedkeeper' "
                           "through 'aws ssm start-session'")
        say(f"{instance_id}: healthy on the new build")
    say(f"shipped {key} to both instances; the stack itself is unchanged (a later 'up' with this "
        "same build shows ArtifactKey as a change that restarts the instances: answer no)")
    return 0
