"""The artifact bucket's name (valid and distinct for any stack name) and S3's OperationAborted
after a bucket of the same name was just deleted."""
import re

import pytest
from botocore.exceptions import ClientError

from seedkeeper_aws import bucket

# S3's naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
VALID = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
ACCOUNT, REGION = "123456789012", "ap-southeast-2"


@pytest.mark.parametrize("stack", ["seedkeeper", "a", "x" * 128, "a-" * 40, "MyStack",
                                   "seedkeeper-for-the-distributed-systems-course-b"])
def test_every_stack_name_gives_a_valid_bucket_name(stack):
    name = bucket.bucket_name(ACCOUNT, REGION, stack)
    assert VALID.match(name) and len(name) <= 63, name
    assert ACCOUNT in name and REGION in name


def test_long_names_that_share_a_prefix_get_different_buckets():
    a = bucket.bucket_name(ACCOUNT, REGION, "seedkeeper-for-the-distributed-systems-course-a")
    b = bucket.bucket_name(ACCOUNT, REGION, "seedkeeper-for-the-distributed-systems-course-b")
    assert a != b


def test_names_that_differ_only_in_case_get_different_buckets():
    # CloudFormation stack names are case-sensitive; bucket names are lower case.
    assert bucket.bucket_name(ACCOUNT, REGION, "Seed") != bucket.bucket_name(ACCOUNT, REGION, "seed")


def test_a_name_cut_at_a_hyphen_does_not_end_in_one():
    stack = "s" * 23 + "-" + "t" * 20  # at 63 characters, the cut lands on the hyphen
    assert not bucket.bucket_name(ACCOUNT, REGION, stack).endswith("-")


def aborted():
    return ClientError({"Error": {"Code": "OperationAborted",
                                  "Message": "A conflicting conditional operation is currently in progress"}},
                       "CreateBucket")


def test_operation_aborted_is_retried_until_s3_lets_go(monkeypatch):
    monkeypatch.setenv("SEEDKEEPER_S3_RETRY_SECONDS", "0.01")
    calls = []

    def create():
        calls.append(1)
        if len(calls) < 3:
            raise aborted()
        return "created"

    assert bucket.retry_operation_aborted(create, "creating it") == "created"
    assert len(calls) == 3


def test_operation_aborted_retries_are_bounded(monkeypatch):
    monkeypatch.setenv("SEEDKEEPER_S3_RETRY_SECONDS", "0.01")
    calls = []

    def create():
        calls.append(1)
        raise aborted()

    with pytest.raises(ClientError):
        bucket.retry_operation_aborted(create, "creating it", attempts=4)
    assert len(calls) == 4


def test_other_errors_are_not_retried(monkeypatch):
    calls = []

    def create():
        calls.append(1)
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "no"}}, "CreateBucket")

    with pytest.raises(ClientError):
        bucket.retry_operation_aborted(create, "creating it")
    assert len(calls) == 1
