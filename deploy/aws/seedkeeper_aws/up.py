"""`up`: artifact, bucket, then create the stack, or preview the update as a change set and apply
it after a yes; wait for healthy targets; print the addresses that answer."""

from . import ami, artifact, bucket, changeset, expiry, network, stack, submission, targets
from .console import CliError, confirm, is_interactive, out, say
from .template import template_body

STACK_TAGS_KEY = stack.TAG_KEY


def _refuse_unusable_state(name: str, current, cfn) -> None:
    status = current["StackStatus"]
    if status in ("ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "CREATE_FAILED", "DELETE_FAILED",
                  "UPDATE_ROLLBACK_FAILED"):
        reasons = "; ".join(stack.failure_reasons(cfn, current["StackId"])) or "no reason recorded"
        raise CliError(f"stack {name} is stuck in {status} and cannot be updated ({reasons}). "
                       "Run 'seedkeeper-aws down', fix the cause, then run up again")
    if not stack.is_settled(status):
        raise CliError(f"stack {name} is busy ({status}): wait for it ('seedkeeper-aws status'), then run up again")


def _redis_step_allowed(previous: dict, nodes) -> None:
    """ElastiCache refuses turning automatic failover on together with adding the first replica
    ("must have at least one read replica to enable autofailover"), and the reverse in one step."""
    if nodes is None or "RedisNodeCount" not in previous:
        return
    before, after = int(previous["RedisNodeCount"] or 1), int(nodes)
    if (before == 1) != (after == 1):
        raise CliError(
            f"--redis-nodes {before} -> {after} on a running stack would switch ElastiCache's automatic "
            "failover together with its replicas, which ElastiCache refuses in one update. Keep "
            f"--redis-nodes {before}, or recreate the stack: 'seedkeeper-aws down', then "
            f"'seedkeeper-aws up --redis-nodes {after}' (about 15 minutes)")


def template_parameters(cfn, body: str) -> set:
    """The names of the template's parameters, as CloudFormation reads them."""
    return {p["ParameterKey"] for p in cfn.get_template_summary(TemplateBody=body).get("Parameters", [])}


def desired_parameters(args, aws, previous, net, bucket_name, key, image_id, known=None) -> dict:
    """Template parameter -> value; None means "keep the stack's current value". `known`: the
    template's parameter names (a stack made by an older template may hold others, e.g. the
    LatestAmiId that ImageId replaced; those are dropped)."""
    creating = previous is None
    p = {"ArtifactBucket": bucket_name, "ArtifactKey": key, "ImageId": image_id}
    if creating:
        p.update(VpcId=net.vpc_id, SubnetA=net.subnet_a, SubnetB=net.subnet_b)
    else:
        p.update(VpcId=None, SubnetA=None, SubnetB=None)
    p["InstanceType"] = args.instance_type or ("t3.micro" if creating else None)
    p["TargetAccessCidr"] = ("" if args.private_targets else args.public_targets) \
        if (args.private_targets or args.public_targets is not None) else ("" if creating else None)
    if args.ssh:
        p["KeyName"], p["SshCidr"] = args.ssh
    elif args.no_ssh or creating:
        p["KeyName"], p["SshCidr"] = "", ""
    else:
        p["KeyName"], p["SshCidr"] = None, None
    p["RedisNodeCount"] = str(args.redis_nodes) if args.redis_nodes else ("1" if creating else None)
    p["RedisMultiAZ"] = "true" if args.redis_multi_az else ("false" if creating else None)
    if args.no_expiry:
        p["ExpiresAt"] = ""
    elif args.expires_in or creating:
        p["ExpiresAt"] = expiry.expires_at(expiry.parse_duration(args.expires_in or expiry.DEFAULT_EXPIRES_IN))
    else:
        p["ExpiresAt"] = None
    # Keys the running stack has but this call leaves open keep their values (AppPort, RedisNodeType).
    for k in (previous or {}):
        p.setdefault(k, None)
    if previous is not None:
        p = {k: v for k, v in p.items() if k in previous or v is not None}
    if known is not None:
        p = {k: v for k, v in p.items() if k in known}
    return p


def as_cfn(params: dict, previous) -> list:
    result = []
    for k, v in params.items():
        if v is None:
            if previous is not None and k in previous:
                result.append({"ParameterKey": k, "UsePreviousValue": True})
        else:
            result.append({"ParameterKey": k, "ParameterValue": v})
    return result


def _choose_image(args, aws, previous, arch: str):
    if args.image_id:
        return args.image_id
    if previous is None or args.refresh_ami or "ImageId" not in previous:
        return ami.latest_ami(aws.client("ssm"), arch)
    return None


def run(args, aws) -> int:
    cfn, s3 = aws.client("cloudformation"), aws.client("s3")
    name = args.stack
    current = stack.describe(cfn, name)
    previous = stack.parameters(current) if current else None
    if current:
        _refuse_unusable_state(name, current, cfn)
        _redis_step_allowed(previous, args.redis_nodes)
        if args.instance_type and not (args.refresh_ami or args.image_id):
            before = artifact.instance_arch(previous.get("InstanceType", "t3.micro"))
            if artifact.instance_arch(args.instance_type) != before:
                raise CliError(f"--instance-type {args.instance_type} needs another architecture than the "
                               "stack's image: add --refresh-ami (this replaces both instances)")
    if args.redis_multi_az and int(args.redis_nodes or (previous or {}).get("RedisNodeCount") or 1) < 2:
        raise CliError("--redis-multi-az needs --redis-nodes 2 or more")

    instance_type = args.instance_type or (previous or {}).get("InstanceType") or "t3.micro"
    arch = artifact.instance_arch(instance_type)
    net = network.find_network(aws.client("ec2"), aws.region, instance_type) if current is None else None
    body = template_body(args.template)
    path = artifact.artifact_for(args.artifact, arch)
    bucket_name = bucket.bucket_name(aws.account, aws.region, name)
    key = bucket.artifact_key(arch, artifact.sha256_of(path))
    image_id = _choose_image(args, aws, previous, arch)
    params = desired_parameters(args, aws, previous, net, bucket_name, key, image_id,
                                template_parameters(cfn, body))
    tags = [{"Key": STACK_TAGS_KEY, "Value": name}]

    bucket.ensure_bucket(s3, bucket_name, aws.region, name)
    bucket.upload(s3, bucket_name, path, key)

    if current is None:
        say(f"creating stack {name} in {aws.region} (usually 10-15 minutes, most of it ElastiCache)")
        stack_id = cfn.create_stack(StackName=name, TemplateBody=body, Parameters=as_cfn(params, None),
                                    Capabilities=["CAPABILITY_IAM"], Tags=tags)["StackId"]
        final = stack.watch(cfn, stack_id, set(), f"stack {name}")
        if final != "CREATE_COMPLETE":
            reasons = "; ".join(stack.failure_reasons(cfn, stack_id)) or "no reason recorded"
            raise CliError(f"stack {name} ended {final} ({reasons}). Run 'seedkeeper-aws down' to remove "
                           "what is left, fix the cause, then up again")
        say(f"stack {name}: CREATE_COMPLETE")
    else:
        stack_id = current["StackId"]
        say(f"stack {name} exists ({current['StackStatus']}): working out what this up would change "
            "(a change set, usually under a minute)")
        description = changeset.create(cfn, name, body, as_cfn(params, previous), tags)
        if description is None:
            say("nothing to change: the stack already matches; nothing was applied")
        else:
            known = {k: v for k, v in params.items() if v is not None}
            lines, disrupts = changeset.render(description["Changes"],
                                               changeset.parameter_changes(previous, known))
            say(f"this up would change stack {name}:")
            for line in lines:
                say(line)
            if disrupts:
                say("WARNING: instances would be replaced or restarted: their public IPs change and the "
                    "service is interrupted. To ship a new build without that: 'seedkeeper-aws ship'")
            if not args.yes:
                if not is_interactive():
                    changeset.discard(cfn, name, description["ChangeSetName"])
                    raise CliError("not applied: there is no terminal to ask on. Read the change above "
                                   "and run the same command with --yes to apply it")
                if not confirm("Apply these changes?"):
                    changeset.discard(cfn, name, description["ChangeSetName"])
                    say("not applied; the stack runs as before")
                    return 1
            seen = stack.event_ids(cfn, stack_id)
            cfn.execute_change_set(StackName=name, ChangeSetName=description["ChangeSetName"])
            say(f"updating stack {name} (security-group changes take under a minute; replacing "
                "instances 3-5 minutes)")
            final = stack.watch(cfn, stack_id, seen, f"stack {name}")
            if final != "UPDATE_COMPLETE":
                reasons = "; ".join(stack.failure_reasons(cfn, stack_id)) or "no reason recorded"
                raise CliError(f"the update ended {final} ({reasons}); CloudFormation rolled it back and "
                               "the stack runs as before. Fix the cause and run up again")
            say(f"stack {name}: UPDATE_COMPLETE")

    finished = stack.describe(cfn, stack_id)
    outs = stack.settings(finished)
    targets.wait_healthy(aws.client("elbv2"), outs["TargetGroupArn"], 2, aws.region)
    block, notes = submission.gather(outs)
    expires = outs.get("ExpiresAt", "")
    if not args.json:
        out(f"\nseedkeeper is up: stack {name} in {aws.region}")
        out(f"  load balancer:  http://{outs.get('LoadBalancerDnsName', '?')}")
        out(f"  instance A:     {outs.get('InstanceAId', '?')}  {outs.get('InstanceAAddress', '?')}")
        out(f"  instance B:     {outs.get('InstanceBId', '?')}  {outs.get('InstanceBAddress', '?')}")
        out(f"  expires:        {expiry.describe(expires)}")
        if expires and expires != "never":
            out(f"                  ({expiry.BUCKET_NOTE})")
        out(f"  move it with 'seedkeeper-aws up --expires-in 24h'; remove everything now with "
            f"'seedkeeper-aws down --stack {name} --region {aws.region}'")
    else:
        say(f"expires: {expiry.describe(expires)}")
        if expires and expires != "never":
            say(expiry.BUCKET_NOTE)
    submission.print_block(block, notes, args.json)
    return 0 if "load_balancer1" in block else 1
