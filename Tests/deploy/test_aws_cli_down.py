"""`seedkeeper-aws down`: the stack, the bucket, and a list of whatever is left.

moto never fails a stack deletion (it even deletes a security group a network interface still
holds; test_aws_moto_gaps.py shows it), so the tests that need a failed deletion make moto's
DeleteStack end the way AWS's does then: the stack in DELETE_FAILED with the reason AWS gives,
and every resource still there."""
import json

import pytest

from awskit import client, instances, run_cli, stack_parameters, stack_status


@pytest.fixture
def failing_deletions(monkeypatch):
    """Returns a setter: the next N DeleteStack calls leave the stack DELETE_FAILED."""
    from moto.cloudformation.models import CloudFormationBackend
    real = CloudFormationBackend.delete_stack
    remaining = [0]

    def delete_stack(self, name_or_stack_id):
        if remaining[0] <= 0:
            return real(self, name_or_stack_id)
        remaining[0] -= 1
        stack = next(s for s in self.stacks.values() if name_or_stack_id in (s.name, s.stack_id))
        stack._add_stack_event("DELETE_IN_PROGRESS", resource_status_reason="User Initiated")
        stack._add_stack_event("DELETE_FAILED", resource_status_reason=(
            "The following resource(s) failed to delete: [InstanceSecurityGroup]. "))
        stack.status = "DELETE_FAILED"

    monkeypatch.setattr(CloudFormationBackend, "delete_stack", delete_stack)
    return lambda n: remaining.__setitem__(0, n)


def bucket_names() -> list:
    return [b["Name"] for b in client("s3").list_buckets()["Buckets"]]


def test_down_removes_the_stack_the_bucket_and_what_moto_leaves(fake_aws, up_args, seed_behind_alb):
    assert run_cli("up", *up_args).code == 0
    bucket = stack_parameters()["ArtifactBucket"]
    run = run_cli("down")
    assert run.code == 0, run
    assert "nothing billable of stack seedkeeper is left" in run.stdout
    assert stack_status() is None and bucket not in bucket_names()
    assert {state for state, _ in instances().values()} == {"terminated"}
    elbv2 = client("elbv2")
    assert elbv2.describe_load_balancers()["LoadBalancers"] == []
    assert elbv2.describe_target_groups()["TargetGroups"] == []
    # Nothing there any more: down again is harmless.
    again = run_cli("down")
    assert again.code == 0, again


def test_a_deletion_that_fails_once_is_retried(fake_aws, up_args, seed_behind_alb, failing_deletions):
    assert run_cli("up", *up_args).code == 0
    bucket = stack_parameters()["ArtifactBucket"]
    failing_deletions(1)
    run = run_cli("down")
    assert run.code == 0, run
    assert "ended DELETE_FAILED" in run.stderr and "InstanceSecurityGroup" in run.stderr
    assert "attempt 2 of 3" in run.stderr
    assert stack_status() is None and bucket not in bucket_names()


def test_a_deletion_that_keeps_failing_still_removes_the_bucket_and_lists_what_is_left(
        fake_aws, up_args, seed_behind_alb, failing_deletions):
    assert run_cli("up", *up_args).code == 0
    bucket = stack_parameters()["ArtifactBucket"]
    running = sorted(instances())
    failing_deletions(10)
    run = run_cli("down")
    assert run.code == 1, run
    assert "attempt 3 of 3" in run.stderr
    assert bucket not in bucket_names()
    assert "STILL THERE" in run.stderr
    for instance in running:
        assert f"  instance  {instance}" in run.stderr
    assert "  stack  seedkeeper (DELETE_FAILED)" in run.stderr
    assert "nothing billable" not in run.stdout

    # Once AWS lets go, down finishes the job.
    failing_deletions(0)
    run = run_cli("down")
    assert run.code == 0, run


def test_down_lists_a_leftover_tagged_with_the_stack(fake_aws, up_args, seed_behind_alb):
    assert run_cli("up", *up_args).code == 0
    ec2 = client("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    stray = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, TagSpecifications=[{
        "ResourceType": "instance", "Tags": [{"Key": "seedkeeper:stack", "Value": "seedkeeper"}]}]
    )["Instances"][0]["InstanceId"]
    run = run_cli("down")
    assert run.code == 1, run
    assert [line for line in run.stderr.splitlines() if stray in line] == [f"  instance  {stray}"]
    ec2.terminate_instances(InstanceIds=[stray])
    assert run_cli("down").code == 0


def test_down_deletes_the_role_the_stack_keeps_for_its_expiry(fake_aws, up_args, seed_behind_alb):
    assert run_cli("up", *up_args).code == 0
    iam = client("iam")
    # The template retains its expiry role (a role cannot delete itself); it lives under this path.
    iam.create_role(RoleName="seedkeeper-StackExpiryRole-X", Path="/seedkeeper/seedkeeper/",
                    AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow", "Principal": {"Service": "scheduler.amazonaws.com"},
                        "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName="seedkeeper-StackExpiryRole-X", PolicyName="delete-this-stack",
                        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{
                            "Effect": "Allow", "Action": "cloudformation:DeleteStack", "Resource": "*"}]}))
    run = run_cli("down")
    assert run.code == 0, run
    assert iam.list_roles(PathPrefix="/seedkeeper/seedkeeper/")["Roles"] == []
