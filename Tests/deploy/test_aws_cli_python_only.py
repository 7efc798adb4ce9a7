"""The command needs Python and boto3, nothing else: no bash, no GNU tools, no AWS CLI. It runs
here as its own program, with an environment holding nothing but a PATH whose one entry is a folder
with a `python3` link, against moto_server through AWS_ENDPOINT_URL (which boto3 reads by itself).
The same is how it starts on Windows: `python deploy\\aws\\seedkeeper-aws ...`."""
import os
import subprocess
import sys
import time

import boto3
import pytest

from awskit import FAST, REGION, SEEDKEEPER_AWS, SeedServer


@pytest.fixture
def python_only_path(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "python3").symlink_to(os.path.realpath(sys.executable))
    return folder


@pytest.fixture
def fresh_moto(moto_endpoint):
    import urllib.request
    request = urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST", data=b"")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
    return moto_endpoint


def moto_client(endpoint, service):
    return boto3.client(service, region_name=REGION, endpoint_url=endpoint,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def python_only_env(folder, endpoint, **extra) -> dict:
    env = {"PATH": str(folder), "AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION,
           "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
    env.update(FAST)
    env.update(extra)
    return env


def give_moto_server_default_vpc_its_gateway(endpoint):
    ec2 = moto_client(endpoint, "ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    gateway = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=gateway, VpcId=vpc)
    table = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]
    ec2.create_route(RouteTableId=table["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=gateway)


def register_targets_once_created(endpoint, proc, timeout=120):
    """What CloudFormation's `Targets` does and moto's does not. Polls ListStacks (moto's
    DescribeStacks, asked mid-creation from another thread, builds stray copies of resources)."""
    cfn = moto_client(endpoint, "cloudformation")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        done = [s for s in cfn.list_stacks()["StackSummaries"] if s["StackStatus"] == "CREATE_COMPLETE"]
        if done:
            resources = cfn.list_stack_resources(StackName=done[0]["StackId"])["StackResourceSummaries"]
            ids = {r["LogicalResourceId"]: r["PhysicalResourceId"] for r in resources}
            moto_client(endpoint, "elbv2").register_targets(TargetGroupArn=ids["TargetGroup"], Targets=[
                {"Id": ids["InstanceA"], "Port": 8080}, {"Id": ids["InstanceB"], "Port": 8080}])
            return
        time.sleep(0.2)


def test_help_up_and_down_with_python_alone(python_only_path, fresh_moto, up_args):
    python = str(python_only_path / "python3")
    argv = [python, str(SEEDKEEPER_AWS)]
    give_moto_server_default_vpc_its_gateway(fresh_moto)
    with SeedServer(instance_name="behind-alb") as alb:
        env = python_only_env(python_only_path, fresh_moto, SEEDKEEPER_ALB_URL=alb.url)

        shown = subprocess.run(argv + ["--help"], env=env, capture_output=True, text=True, timeout=60)
        assert shown.returncode == 0 and "usage: seedkeeper-aws" in shown.stdout, shown.stderr

        proc = subprocess.Popen(argv + ["up", "--json", *up_args], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        register_targets_once_created(fresh_moto, proc)
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        assert '"load_balancer1"' in out

        down = subprocess.run(argv + ["down"], env=env, capture_output=True, text=True, timeout=180,
                              stdin=subprocess.DEVNULL)
        assert down.returncode == 0, down.stderr
        assert "nothing billable of stack seedkeeper is left" in down.stdout
    assert moto_client(fresh_moto, "s3").list_buckets()["Buckets"] == []
