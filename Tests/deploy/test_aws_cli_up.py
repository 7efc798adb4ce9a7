"""`seedkeeper-aws up` against moto in process: creating, re-running without change, previews of
updates, and what the submission block prints. The template is the real one minus what moto
cannot create (moto_template.py); the load balancer's and the instances' addresses are stood in
for by real seed-servers on loopback (SEEDKEEPER_ALB_URL, SEEDKEEPER_TARGET_URLS)."""
import json
from datetime import datetime, timedelta, timezone

from awskit import REGION, client, instances, run_cli, stack_outputs, stack_parameters

LATEST_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"


def latest_ami() -> str:
    return client("ssm").get_parameter(Name=LATEST_AMI_PARAMETER)["Parameter"]["Value"]


def another_amazon_ami() -> str:
    """An Amazon image that is not the latest AL2023: a stack pinned to it tells 'pinned' from 're-resolved'."""
    latest = latest_ami()
    return next(i["ImageId"] for i in client("ec2").describe_images(Owners=["amazon"])["Images"]
                if i["ImageId"] != latest)


def stack_events() -> list:
    return client("cloudformation").describe_stack_events(StackName="seedkeeper")["StackEvents"]


def account_state() -> dict:
    """What the account holds, read from each service (moto's ListStackResources loses track of
    some resources after an update: test_aws_moto_gaps.py)."""
    ec2, elbv2 = client("ec2"), client("elbv2")
    groups = ec2.describe_security_groups()["SecurityGroups"]
    target_groups = elbv2.describe_target_groups()["TargetGroups"]
    return {
        "instances": instances(),
        "load balancers": sorted(lb["LoadBalancerArn"] for lb in elbv2.describe_load_balancers()["LoadBalancers"]),
        "target groups": sorted(tg["TargetGroupArn"] for tg in target_groups),
        "targets": sorted(d["Target"]["Id"] for tg in target_groups for d in elbv2.describe_target_health(
            TargetGroupArn=tg["TargetGroupArn"])["TargetHealthDescriptions"]),
        "security groups": sorted(g["GroupId"] for g in groups),
        "other groups' rules": sorted(json.dumps(g["IpPermissions"], sort_keys=True) for g in groups
                                      if not g["Description"].startswith("seedkeeper instances")),
    }


def instance_ingress() -> set:
    """(port, source) of each ingress rule of the instances' security group."""
    groups = client("ec2").describe_security_groups(
        Filters=[{"Name": "description", "Values": ["seedkeeper instances*"]}])["SecurityGroups"]
    assert len(groups) == 1, groups
    rules = set()
    for perm in groups[0]["IpPermissions"]:
        rules |= {(perm.get("FromPort"), r["CidrIp"]) for r in perm.get("IpRanges", [])}
        rules |= {(perm.get("FromPort"), g["GroupId"]) for g in perm.get("UserIdGroupPairs", [])}
    return rules


def submission(run) -> dict:
    """name -> value of the lines of the submission block."""
    block = run.stdout.split("For the assignment's submission", 1)[1]
    pairs = [line.strip().split(":", 1) for line in block.splitlines() if line.startswith("  ") and
             line.strip().split(":", 1)[0] in ("load_balancer1", "ip_address1", "ip_address2")]
    return {k: v.strip() for k, v in pairs}


def test_up_creates_the_stack_and_a_second_up_changes_nothing(fake_aws, up_args, seed_behind_alb):
    pinned = another_amazon_ami()
    first = run_cli("up", *up_args, "--image-id", pinned)
    assert first.code == 0, first
    outputs = stack_outputs()
    params = stack_parameters()

    # Stack events were shown as they happened, each long step says how long it usually takes.
    assert "CREATE_COMPLETE" in first.stderr and "usually 10-15 minutes" in first.stderr
    assert "waiting for 2 healthy targets (usually" in first.stderr

    # Two public default subnets of the default VPC, in two zones.
    ec2 = client("ec2")
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = ec2.describe_subnets(SubnetIds=[params["SubnetA"], params["SubnetB"]])["Subnets"]
    assert params["VpcId"] == default_vpc and {s["VpcId"] for s in subnets} == {default_vpc}
    assert len({s["AvailabilityZone"] for s in subnets}) == 2

    # The artifact sits in a private bucket under a key named by its content's hash.
    s3 = client("s3")
    assert params["ArtifactKey"].startswith("artifacts/seedkeeper-x86_64-")
    body = s3.get_object(Bucket=params["ArtifactBucket"], Key=params["ArtifactKey"])["Body"].read()
    assert body == open(up_args[1], "rb").read()
    block = s3.get_public_access_block(Bucket=params["ArtifactBucket"])["PublicAccessBlockConfiguration"]
    assert all(block.values()), block

    # The load balancer answered, so it is in the block, as host:port; nothing else is.
    assert submission(first) == {"load_balancer1": f"{outputs['LoadBalancerDnsName']}:80"}

    # Again, with nothing changed: no change set applied, no event, same instances and image.
    before_events, before_instances = len(stack_events()), instances()
    second = run_cli("up", *up_args)
    assert second.code == 0, second
    assert "nothing to change" in second.stderr
    assert len(stack_events()) == before_events, second
    assert instances() == before_instances
    assert stack_parameters()["ImageId"] == pinned != latest_ami()
    assert client("cloudformation").list_change_sets(StackName="seedkeeper")["Summaries"] == []


def test_public_targets_on_a_running_stack_changes_only_the_security_group(
        fake_aws, up_args, seed_behind_alb, seeds_behind_targets):
    first = run_cli("up", *up_args)
    assert first.code == 0, first
    state_before = account_state()
    ingress_before = instance_ingress()
    instances_before = instances()
    assert len(instances_before) == 2 and all(ip for _, ip in instances_before.values())

    opened = run_cli("up", *up_args, "--public-targets", "--yes")
    assert opened.code == 0, opened
    # The preview named the one parameter and warned of no instance change.
    assert "TargetAccessCidr: (empty) -> 0.0.0.0/0" in opened.stderr
    assert "REPLACED" not in opened.stderr and "RESTARTED" not in opened.stderr
    assert "UPDATE_COMPLETE" in opened.stderr

    # Everything is the one it was; the update added one ingress rule and nothing else.
    assert account_state() == state_before
    assert instance_ingress() - ingress_before == {(8080, "0.0.0.0/0")}
    assert ingress_before <= instance_ingress()
    assert instances() == instances_before  # same instances, same public IPs

    outputs = stack_outputs()
    addresses = [f"{ip}:8080" for _, ip in instances_before.values()]
    assert sorted([outputs["InstanceAAddress"], outputs["InstanceBAddress"]]) == sorted(addresses)
    assert submission(opened) == {"load_balancer1": f"{outputs['LoadBalancerDnsName']}:80",
                                  "ip_address1": outputs["InstanceAAddress"],
                                  "ip_address2": outputs["InstanceBAddress"]}


def test_an_update_is_not_applied_without_yes_when_nobody_can_be_asked(fake_aws, up_args, seed_behind_alb):
    assert run_cli("up", *up_args).code == 0
    events = len(stack_events())
    refused = run_cli("up", *up_args, "--public-targets")
    assert refused.code == 1, refused
    assert "TargetAccessCidr: (empty) -> 0.0.0.0/0" in refused.stderr
    assert "--yes" in refused.stderr and "not applied" in refused.stderr
    assert len(stack_events()) == events
    assert stack_parameters()["TargetAccessCidr"] == ""
    assert client("cloudformation").list_change_sets(StackName="seedkeeper")["Summaries"] == []


def test_refreshing_the_image_is_previewed_as_replacing_both_instances(fake_aws, up_args, seed_behind_alb):
    pinned = another_amazon_ami()
    assert run_cli("up", *up_args, "--image-id", pinned).code == 0
    refreshed = run_cli("up", *up_args, "--refresh-ami", "--yes")
    assert refreshed.code == 0, refreshed
    assert f"ImageId: {pinned} -> {latest_ami()}" in refreshed.stderr
    assert "both instances REPLACED" in refreshed.stderr
    assert "WARNING: instances would be replaced or restarted" in refreshed.stderr
    assert stack_parameters()["ImageId"] == latest_ami()


def test_submission_lists_only_the_targets_that_answer(fake_aws, up_args, seed_behind_alb, monkeypatch):
    from testkit import SeedServer, free_port
    with SeedServer(instance_name="target-a") as a:
        silent = f"http://127.0.0.1:{free_port()}"  # nothing listens there
        monkeypatch.setenv("SEEDKEEPER_TARGET_URLS", f"{a.url},{silent}")
        run = run_cli("up", *up_args, "--public-targets", "--json")
    assert run.code == 0, run
    outputs = stack_outputs()
    assert json.loads(run.stdout) == {"load_balancer1": f"{outputs['LoadBalancerDnsName']}:80",
                                      "ip_address1": outputs["InstanceAAddress"]}
    assert f"ip_address2 ({outputs['InstanceBAddress']}) is not listed" in run.stderr


def test_closed_targets_are_not_listed_and_the_way_to_open_them_is(fake_aws, up_args, seed_behind_alb,
                                                                    seeds_behind_targets):
    # The instances would answer here, but their port is closed to the world: a grader could not.
    run = run_cli("up", *up_args)
    assert run.code == 0, run
    assert "ip_address" not in "".join(f"{k}\n" for k in submission(run))
    assert "seedkeeper-aws up --public-targets" in run.stdout
    assert "addresses stay" in run.stdout


def test_without_an_answering_load_balancer_up_fails_and_lists_nothing(fake_aws, up_args, monkeypatch):
    from testkit import free_port
    monkeypatch.setenv("SEEDKEEPER_ALB_URL", f"http://127.0.0.1:{free_port()}")
    run = run_cli("up", *up_args, "--json")
    assert run.code == 1, run
    assert json.loads(run.stdout) == {}
    assert "load_balancer1 is not listed" in run.stderr


def test_expiry_is_passed_at_creation_moved_by_up_and_reported_by_status(fake_aws, up_args, seed_behind_alb):
    start = datetime.now(timezone.utc)
    assert run_cli("up", *up_args).code == 0
    at = datetime.strptime(stack_parameters()["ExpiresAt"], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    assert start + timedelta(hours=48) - timedelta(minutes=1) <= at <= start + timedelta(hours=48, minutes=1)
    assert stack_outputs()["ExpiresAt"] == stack_parameters()["ExpiresAt"]

    moved = run_cli("up", *up_args, "--expires-in", "3h", "--yes")
    assert moved.code == 0, moved
    at = datetime.strptime(stack_parameters()["ExpiresAt"], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    assert abs(at - (start + timedelta(hours=3))) < timedelta(minutes=2)
    assert "artifact bucket is not deleted by the expiry" in moved.stdout
    assert "next 'seedkeeper-aws down' removes it" in moved.stdout
    status = run_cli("status")
    assert f"expires: {stack_parameters()['ExpiresAt']} UTC (in 2 h" in status.stdout


def test_no_expiry_schedules_nothing(fake_aws, up_args, seed_behind_alb):
    run = run_cli("up", *up_args, "--no-expiry")
    assert run.code == 0, run
    assert stack_parameters()["ExpiresAt"] == ""
    assert stack_outputs()["ExpiresAt"] == "never"
    assert "expires:        never" in run.stdout
    assert client("scheduler").list_schedules()["Schedules"] == []


def test_adding_redis_replicas_to_a_running_stack_is_refused_up_front(fake_aws, up_args, seed_behind_alb):
    assert run_cli("up", *up_args).code == 0
    events = len(stack_events())
    run = run_cli("up", *up_args, "--redis-nodes", "2", "--yes")
    assert run.code == 1, run
    assert "ElastiCache refuses in one update" in run.stderr and "seedkeeper-aws down" in run.stderr
    assert len(stack_events()) == events and stack_parameters()["RedisNodeCount"] == "1"


def test_graviton_types_take_the_arm64_image(fake_aws, up_args, seed_behind_alb, tmp_path):
    arm = tmp_path / "seedkeeper-arm64.tar.gz"
    arm.write_bytes(open(up_args[1], "rb").read())
    run = run_cli("up", "--artifact", str(arm), "--template", up_args[3], "--instance-type", "t4g.micro")
    assert run.code == 0, run
    arm_ami = client("ssm").get_parameter(
        Name=LATEST_AMI_PARAMETER.replace("x86_64", "arm64"))["Parameter"]["Value"]
    assert stack_parameters()["ImageId"] == arm_ami
    assert stack_parameters()["ArtifactKey"].startswith("artifacts/seedkeeper-arm64-")
    assert REGION in run.stdout
