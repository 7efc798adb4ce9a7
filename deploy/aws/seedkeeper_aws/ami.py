"""The machine image: Amazon Linux 2023, resolved once from AWS's public SSM parameter when the
stack is created and then pinned (the stack's ImageId parameter), so that a new AL2023 release
never replaces running instances unless the user asks (--refresh-ami or --image-id)."""
from botocore.exceptions import ClientError

from .aws import error_message
from .console import CliError, say


def ami_parameter(arch: str) -> str:
    return f"/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-{arch}"


def latest_ami(ssm, arch: str) -> str:
    name = ami_parameter(arch)
    try:
        image = ssm.get_parameter(Name=name)["Parameter"]["Value"]
    except ClientError as e:
        raise CliError(f"could not read the Amazon Linux 2023 image id from SSM ({name}): "
                       f"{error_message(e)}. Pass --image-id ami-... to choose one")
    say(f"image: {image} (latest Amazon Linux 2023, {arch})")
    return image
