"""deploy/aws/seedkeeper-aws up / status / down, end to end against moto_server on loopback.

The template is the real one minus ElastiCache (moto_template.py). Where moto ignores a part of the
real template, the test does by hand what CloudFormation would have done, and says so; each such
gap is proven to still exist in test_aws_moto_gaps.py.
"""
import stat
import subprocess

import pytest

from awskit import REGION, REPO_ROOT, aws_env, boto_client, post_seed, run_cli, seed_server, wait_for

STACK = "seedkeeper"


def stack_outputs(endpoint: str) -> dict:
    stacks = boto_client(endpoint, "cloudformation").describe_stacks(StackName=STACK)["Stacks"]
    return {o["OutputKey"]: o["OutputValue"] for o in stacks[0].get("Outputs", [])}


def stack_status(endpoint: str):
    """The live stack's status, or None. Read with ListStacks, never DescribeStacks: moto answers
    DescribeStacks by resolving the outputs, which creates every resource it does not hold yet. Asked
    while create_stack is still at work (moto_server answers on other threads), that makes a second
    load balancer, target group or instance that no stack owns (test_aws_moto_gaps.py shows it)."""
    summaries = boto_client(endpoint, "cloudformation").list_stacks()["StackSummaries"]
    live = [s["StackStatus"] for s in summaries
            if s["StackName"] == STACK and s["StackStatus"] != "DELETE_COMPLETE"]
    return live[0] if live else None


def register_targets_like_cloudformation(endpoint: str) -> None:
    """moto ignores the target group's `Targets`; CloudFormation registers both instances."""
    outputs = stack_outputs(endpoint)
    boto_client(endpoint, "elbv2").register_targets(
        TargetGroupArn=outputs["TargetGroupArn"],
        Targets=[{"Id": outputs["InstanceAId"], "Port": 8080},
                 {"Id": outputs["InstanceBId"], "Port": 8080}])


def up(endpoint, artifact, template, *extra, env=None):
    """Runs `up` and returns the finished run. On a new stack it registers the targets once the
    stack exists; an update keeps the registrations (and is left alone while moto works on it)."""
    existed = stack_status(endpoint) is not None
    proc = run_cli(["up", "--artifact", str(artifact), "--template", str(template), *extra],
                   env or aws_env(endpoint), background=True)
    if not existed:
        created = wait_for(lambda: stack_status(endpoint) == "CREATE_COMPLETE" or proc.poll() is not None,
                           timeout=120)
        assert created, "the stack was not created within 120 s"
        if proc.poll() is None:
            register_targets_like_cloudformation(endpoint)
    out, _ = proc.communicate(timeout=180)
    return proc.returncode, out


@pytest.fixture
def seed_behind_alb():
    """A real seed-server on loopback standing in for the ALB's address (moto's resolves nowhere)."""
    with seed_server("behind-alb") as url:
        assert post_seed(url, 42) == 200
        yield url


def test_up_status_up_again_down(moto, dummy_artifact, moto_template_file, seed_behind_alb):
    env = aws_env(moto, SEEDKEEPER_ALB_URL=seed_behind_alb)
    rc, out = up(moto, dummy_artifact, moto_template_file, env=env)
    assert rc == 0, out
    outputs = stack_outputs(moto)

    # Progress was shown while CloudFormation worked, and the summary names every address.
    assert "CREATE_COMPLETE" in out
    assert f"http://{outputs['LoadBalancerDnsName']}" in out
    for key in ("InstanceAId", "InstanceBId", "InstanceAPrivateIp", "InstanceBPrivateIp"):
        assert outputs[key] in out, key
    assert f"load balancer address:  {outputs['LoadBalancerDnsName']}" in out
    assert "ip_address1:" in out and "ip_address2:" in out
    assert "private: reachable only through the ALB" in out
    assert "seedkeeper-aws down" in out

    # The stack runs in the default VPC, in two subnets of different zones.
    ec2 = boto_client(moto, "ec2")
    cfn = boto_client(moto, "cloudformation")
    params = {p["ParameterKey"]: p["ParameterValue"]
              for p in cfn.describe_stacks(StackName=STACK)["Stacks"][0]["Parameters"]}
    default_vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]
    assert params["VpcId"] == default_vpc["VpcId"]
    subnets = ec2.describe_subnets(SubnetIds=[params["SubnetA"], params["SubnetB"]])["Subnets"]
    assert len({s["AvailabilityZone"] for s in subnets}) == 2
    assert {s["VpcId"] for s in subnets} == {default_vpc["VpcId"]}

    # The artifact sits in a private bucket under the key the instances are allowed to read.
    s3 = boto_client(moto, "s3")
    body = s3.get_object(Bucket=params["ArtifactBucket"], Key=params["ArtifactKey"])["Body"].read()
    assert body == dummy_artifact.read_bytes()
    block = s3.get_public_access_block(Bucket=params["ArtifactBucket"])["PublicAccessBlockConfiguration"]
    assert all(block.values()), block

    status = run_cli(["status"], env)
    assert status.returncode == 0, status.stdout + status.stderr
    assert "CREATE_COMPLETE" in status.stdout
    assert f"target {outputs['InstanceAId']}: healthy" in status.stdout
    assert f"target {outputs['InstanceBId']}: healthy" in status.stdout
    assert ": 42 (served by behind-alb)" in status.stdout

    # up on an existing stack says so and updates it in place.
    rc, again = up(moto, dummy_artifact, moto_template_file, env=env)
    assert rc == 0, again
    assert "already exists" in again
    assert stack_outputs(moto)["InstanceAId"] == outputs["InstanceAId"]

    down = run_cli(["down"], env)
    assert down.returncode == 0, down.stdout + down.stderr
    assert "nothing billable of stack seedkeeper is left" in down.stdout
    assert stack_status(moto) is None
    instances = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
    assert instances and {i["State"]["Name"] for i in instances} == {"terminated"}
    elbv2 = boto_client(moto, "elbv2")
    assert elbv2.describe_load_balancers()["LoadBalancers"] == [], down.stdout + down.stderr
    assert elbv2.describe_target_groups()["TargetGroups"] == [], down.stdout + down.stderr
    assert params["ArtifactBucket"] not in [b["Name"] for b in s3.list_buckets()["Buckets"]]

    # Nothing there: status says so and fails; down again is harmless.
    assert run_cli(["status"], env).returncode == 1
    again = run_cli(["down"], env)
    assert again.returncode == 0, again.stdout + again.stderr


def instance_ingress(endpoint: str) -> list:
    """(port, source) of every ingress rule of the instances' security group, as moto holds it."""
    ec2 = boto_client(endpoint, "ec2")
    groups = ec2.describe_security_groups(
        Filters=[{"Name": "description", "Values": ["seedkeeper instances*"]}])["SecurityGroups"]
    assert len(groups) == 1, groups
    rules = []
    for perm in groups[0]["IpPermissions"]:
        for r in perm.get("IpRanges", []):
            rules.append((perm.get("FromPort"), r["CidrIp"]))
        for g in perm.get("UserIdGroupPairs", []):
            rules.append((perm.get("FromPort"), g["GroupId"]))
    return rules


def test_targets_closed_by_default_and_opened_by_public_targets(moto, dummy_artifact, moto_template_file):
    rc, out = up(moto, dummy_artifact, moto_template_file)
    assert rc == 0, out
    alb_group = boto_client(moto, "ec2").describe_security_groups(
        Filters=[{"Name": "description", "Values": ["seedkeeper load balancer*"]}])["SecurityGroups"][0]
    assert instance_ingress(moto) == [(8080, alb_group["GroupId"])]

    rc, out = up(moto, dummy_artifact, moto_template_file, "--public-targets", "203.0.113.0/24")
    assert rc == 0, out
    assert sorted(instance_ingress(moto), key=str) == sorted(
        [(8080, alb_group["GroupId"]), (8080, "203.0.113.0/24")], key=str)
    assert "open to 203.0.113.0/24 (--public-targets)" in out


def test_down_reports_what_is_left(moto, dummy_artifact, moto_template_file):
    rc, out = up(moto, dummy_artifact, moto_template_file)
    assert rc == 0, out
    # The remains of an earlier, failed stack: an instance still tagged with the stack's name.
    ec2 = boto_client(moto, "ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    # Both tags the sweep looks for: it still names the instance once, on a line of its own.
    stray = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, TagSpecifications=[{
        "ResourceType": "instance",
        "Tags": [{"Key": "aws:cloudformation:stack-name", "Value": STACK},
                 {"Key": "seedkeeper:stack", "Value": STACK}]}])["Instances"][0]["InstanceId"]

    down = run_cli(["down"], aws_env(moto))
    assert down.returncode == 1
    assert "STILL THERE" in down.stderr
    assert [line for line in down.stderr.splitlines() if stray in line] == [f"  instance  {stray}"], down.stderr
    assert "nothing billable" not in down.stdout

    ec2.terminate_instances(InstanceIds=[stray])
    down = run_cli(["down"], aws_env(moto))
    assert down.returncode == 0, down.stdout + down.stderr
    assert "nothing billable of stack seedkeeper is left" in down.stdout


def test_missing_aws_cli(moto):
    result = run_cli(["up"], aws_env(moto, AWS_CLI="aws-cli-that-is-not-installed"))
    assert result.returncode == 1
    assert "AWS CLI" in result.stderr and "not installed" in result.stderr


def test_no_credentials(moto):
    env = aws_env(moto, AWS_EC2_METADATA_DISABLED="true")  # never ask 169.254.169.254
    del env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"]
    result = run_cli(["status"], env, timeout=60)
    assert result.returncode == 1
    assert "no usable AWS credentials" in result.stderr and "aws configure" in result.stderr


def test_no_default_vpc(moto, dummy_artifact, moto_template_file):
    ec2 = boto_client(moto, "ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    for subnet in ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    ec2.delete_vpc(VpcId=vpc)
    result = run_cli(["up", "--artifact", str(dummy_artifact), "--template", str(moto_template_file)],
                     aws_env(moto))
    assert result.returncode == 1
    assert f"no default VPC in {REGION}" in result.stderr and "create-default-vpc" in result.stderr
    assert stack_status(moto) is None


def test_region_without_the_instance_type(moto, dummy_artifact, moto_template_file):
    result = run_cli(["up", "--artifact", str(dummy_artifact), "--template", str(moto_template_file),
                      "--instance-type", "x9.nano"], aws_env(moto))
    assert result.returncode == 1
    assert f"{REGION} does not offer instance type x9.nano" in result.stderr
    assert stack_status(moto) is None


def test_stack_stuck_in_rollback(moto, dummy_artifact, moto_template_file, tmp_path):
    rc, out = up(moto, dummy_artifact, moto_template_file)
    assert rc == 0, out
    events_before = len(boto_client(moto, "cloudformation").describe_stack_events(StackName=STACK)["StackEvents"])
    # moto never rolls a stack back, so this CLI reports the state a failed creation leaves
    # (ROLLBACK_COMPLETE) for the stack's status and passes every other call to moto unchanged.
    wrapper = tmp_path / "aws-rolled-back"
    wrapper.write_text(
        "#!/usr/bin/env bash\n"
        'if [[ " $* " == *" describe-stacks "* && "$*" == *StackStatus* ]]; then\n'
        "  echo ROLLBACK_COMPLETE; exit 0\nfi\n"
        'exec aws "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    result = run_cli(["up", "--artifact", str(dummy_artifact), "--template", str(moto_template_file)],
                     aws_env(moto, AWS_CLI=str(wrapper)))
    assert result.returncode == 1
    assert "stuck in ROLLBACK_COMPLETE" in result.stderr
    assert "seedkeeper-aws down" in result.stderr
    # It stopped: no update was attempted.
    events_after = len(boto_client(moto, "cloudformation").describe_stack_events(StackName=STACK)["StackEvents"])
    assert events_after == events_before


def test_check_runs_seed_check_against_the_load_balancer(moto, dummy_artifact, moto_template_file,
                                                         seed_behind_alb):
    seed_check = REPO_ROOT / ".build" / "debug" / "seed-check"
    assert seed_check.exists(), "seed-check not built: `make test` builds it before pytest"
    env = aws_env(moto, SEEDKEEPER_ALB_URL=seed_behind_alb, SEED_CHECK_BIN=str(seed_check))
    rc, out = up(moto, dummy_artifact, moto_template_file, env=env)
    assert rc == 0, out
    check = run_cli(["check"], env, timeout=300)
    assert f"+ {seed_check} --lb {seed_behind_alb}" in check.stderr
    assert "checking the load balancer only" in check.stderr
    # Whatever seed-check concludes about a single server, `check` reports it unchanged.
    direct = subprocess.run([str(seed_check), "--lb", seed_behind_alb], capture_output=True,
                            text=True, timeout=300)
    assert check.returncode == direct.returncode, check.stdout + check.stderr
    assert check.stdout.splitlines()[:1] == direct.stdout.splitlines()[:1]


def test_check_without_a_stack_says_run_up(moto):
    result = run_cli(["check"], aws_env(moto, SEED_CHECK_BIN="/bin/true"))
    assert result.returncode == 1 and "seedkeeper-aws up' first" in result.stderr
