"""Running seedkeeper-aws against moto: in process (each test its own fake account, through
moto's mock_aws), or as a separate program against moto_server (AWS_ENDPOINT_URL)."""
import contextlib
import io
import os
import sys
from pathlib import Path

from testkit import SeedServer, free_port, wait_for_port  # noqa: F401 (re-exported for conftest)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY_AWS = REPO_ROOT / "deploy" / "aws"
SEEDKEEPER_AWS = DEPLOY_AWS / "seedkeeper-aws"
REGION = "us-east-1"
STACK = "seedkeeper"

# The package under test, importable in process as `seedkeeper_aws`.
if str(DEPLOY_AWS) not in sys.path:
    sys.path.insert(0, str(DEPLOY_AWS))

# Short waits: moto answers at once; a real account needs the defaults.
FAST = {"SEEDKEEPER_POLL_SECONDS": "0.05", "SEEDKEEPER_HEALTH_TIMEOUT": "20",
        "SEEDKEEPER_STACK_TIMEOUT": "60", "SEEDKEEPER_LB_TIMEOUT": "5", "SEEDKEEPER_TARGET_TIMEOUT": "3",
        "SEEDKEEPER_DELETE_RETRY_SECONDS": "0.05", "SEEDKEEPER_S3_RETRY_SECONDS": "0.01"}


def fake_account_env(**extra) -> dict:
    """Fake credentials, one region, no profile of this machine's user, short waits."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SEEDKEEPER_"))}
    env.update({"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": REGION, "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_EC2_METADATA_DISABLED": "true"})
    env.update(FAST)
    env.update(extra)
    return env


def client(service: str, region: str = REGION):
    import boto3
    return boto3.client(service, region_name=region)


class Run:
    """The outcome of one in-process run of the command."""

    def __init__(self, code: int, stdout: str, stderr: str):
        self.code, self.stdout, self.stderr = code, stdout, stderr

    @property
    def all(self) -> str:
        return self.stdout + self.stderr

    def __repr__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


def run_cli(*argv: str) -> Run:
    """seedkeeper-aws ARGV in this process (inside the test's mock_aws); stdin is not a terminal."""
    from seedkeeper_aws.cli import main
    stdout, stderr = io.StringIO(), io.StringIO()
    stdin = io.StringIO("")
    old = sys.stdin
    sys.stdin = stdin
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = main(list(argv))
            except SystemExit as e:  # argparse
                code = e.code if isinstance(e.code, int) else 1
    finally:
        sys.stdin = old
    return Run(code, stdout.getvalue(), stderr.getvalue())


def stack_status(name: str = STACK):
    """The live stack's status, or None (ListStacks: never builds resources, unlike moto's DescribeStacks)."""
    live = [s["StackStatus"] for s in client("cloudformation").list_stacks()["StackSummaries"]
            if s["StackName"] == name and s["StackStatus"] != "DELETE_COMPLETE"]
    return live[0] if live else None


def stack_outputs(name: str = STACK) -> dict:
    stack = client("cloudformation").describe_stacks(StackName=name)["Stacks"][0]
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def stack_parameters(name: str = STACK) -> dict:
    stack = client("cloudformation").describe_stacks(StackName=name)["Stacks"][0]
    return {p["ParameterKey"]: p["ParameterValue"] for p in stack.get("Parameters", [])}


def register_targets_like_cloudformation(stack_id: str) -> None:
    """What CloudFormation does with the target group's `Targets` and moto does not: register
    both instances (test_aws_moto_gaps.py shows the gap)."""
    resources = client("cloudformation").list_stack_resources(StackName=stack_id)["StackResourceSummaries"]
    ids = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources}
    client("elbv2").register_targets(TargetGroupArn=ids["TargetGroup"], Targets=[
        {"Id": ids["InstanceA"], "Port": 8080}, {"Id": ids["InstanceB"], "Port": 8080}])


def instances(name: str = STACK) -> dict:
    """Instance id -> (state, public IP) of every instance tagged with the stack."""
    reservations = client("ec2").describe_instances(
        Filters=[{"Name": "tag:aws:cloudformation:stack-name", "Values": [name]}])["Reservations"]
    return {i["InstanceId"]: (i["State"]["Name"], i.get("PublicIpAddress"))
            for r in reservations for i in r["Instances"]}


def give_default_vpc_its_internet_gateway() -> None:
    """What AWS's default VPC has and moto's lacks (test_aws_moto_gaps.py): an internet gateway,
    and a 0.0.0.0/0 route to it in the main route table."""
    ec2 = client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                              {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]
    ec2.create_route(RouteTableId=main["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)
