"""The private bucket that carries the artifact to the instances.

Its name is unique per account, region and stack, and valid for any stack name: S3 allows 3-63
lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit
(https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). A stack name that
does not fit as it is (too long, or with capitals, which S3 refuses and lower-casing would merge
with another stack's) is shortened and followed by a hash of the exact name.
"""
import hashlib
import time

from botocore.exceptions import ClientError

from .aws import error_code, error_message
from .console import CliError, env_seconds, say

MAX_NAME = 63
TAG_KEY = "seedkeeper:stack"


def bucket_name(account: str, region: str, stack: str) -> str:
    """`seedkeeper-ACCOUNT-REGION-STACK`, or `seedkeeper-ACCOUNT-REGION-PREFIX-HASH8` when the
    stack name is long or has capitals. At most 63 characters; never ends in '-'."""
    base = f"seedkeeper-{account}-{region}-"
    if stack == stack.lower() and len(base) + len(stack) <= MAX_NAME:
        return (base + stack).rstrip("-")
    digest = hashlib.sha256(stack.encode()).hexdigest()[:8]
    room = MAX_NAME - len(base) - len(digest) - 1
    prefix = stack.lower()[:max(room, 0)].strip("-")
    return f"{base}{prefix}-{digest}" if prefix else f"{base}{digest}"


def retry_operation_aborted(call, what: str, attempts: int = 6):
    """Runs `call()`, retrying with backoff while S3 answers OperationAborted ("a conflicting
    conditional operation is in progress"), which it does for a while after the same bucket
    name was deleted. Bounded: about a minute in all (SEEDKEEPER_S3_RETRY_SECONDS = first wait)."""
    delay = env_seconds("SEEDKEEPER_S3_RETRY_SECONDS", 2.0)
    for attempt in range(1, attempts + 1):
        try:
            return call()
        except ClientError as e:
            if error_code(e) != "OperationAborted" or attempt == attempts:
                raise
            say(f"S3 is still busy with the bucket name ({what}, OperationAborted); retrying in {delay:.0f} s")
            time.sleep(delay)
            delay *= 2


def _exists(s3, bucket: str) -> bool:
    try:
        s3.head_bucket(Bucket=bucket)
        return True
    except ClientError as e:
        if error_code(e) in ("404", "NoSuchBucket", "NotFound"):
            return False
        if error_code(e) in ("403", "Forbidden"):
            raise CliError(f"bucket name {bucket} belongs to another account: pass another --stack name")
        raise


def ensure_bucket(s3, bucket: str, region: str, stack: str) -> None:
    """Creates the bucket private and tagged with the stack, unless it exists."""
    if _exists(s3, bucket):
        say(f"bucket: s3://{bucket} (exists)")
        return
    kwargs = {"Bucket": bucket}
    # us-east-1 is the one region that refuses an explicit LocationConstraint.
    if region != "us-east-1":
        kwargs["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        retry_operation_aborted(lambda: s3.create_bucket(**kwargs), "creating it")
        s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True,
            "BlockPublicPolicy": True, "RestrictPublicBuckets": True})
        s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": TAG_KEY, "Value": stack}]})
    except ClientError as e:
        raise CliError(f"could not create the private bucket {bucket}: {error_message(e)}. "
                       "Run 'seedkeeper-aws down' to remove what was made, then up again")
    say(f"bucket: s3://{bucket} (created, private)")


def artifact_key(arch: str, digest: str) -> str:
    """The object key: the content's hash in it, so one build is one key and a rebuild of the
    same source (reproducible, same bytes) is the same key and changes nothing in the stack."""
    return f"artifacts/seedkeeper-{arch}-{digest[:16]}.tar.gz"


def upload(s3, bucket: str, path, key: str) -> None:
    try:
        s3.head_object(Bucket=bucket, Key=key)
        say(f"artifact: s3://{bucket}/{key} (already there)")
        return
    except ClientError as e:
        if error_code(e) not in ("404", "NoSuchKey", "NotFound"):
            raise
    say(f"artifact: uploading {path} to s3://{bucket}/{key}")
    s3.upload_file(str(path), bucket, key)


def delete_bucket(s3, bucket: str) -> bool:
    """Empties (every version) and deletes the bucket. True when it is gone afterwards."""
    if not _exists(s3, bucket):
        say(f"bucket: s3://{bucket} is already gone")
        return True
    try:
        paginator = s3.get_paginator("list_object_versions")
        for page in paginator.paginate(Bucket=bucket):
            objects = [{"Key": o["Key"], "VersionId": o["VersionId"]}
                       for o in page.get("Versions", []) + page.get("DeleteMarkers", [])]
            if objects:
                s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
        retry_operation_aborted(lambda: s3.delete_bucket(Bucket=bucket), "deleting it")
    except ClientError as e:
        say(f"could not delete s3://{bucket}: {error_message(e)}. Empty and delete it in the S3 "
            "console, or run down again")
        return False
    say(f"bucket: s3://{bucket} deleted")
    return True
