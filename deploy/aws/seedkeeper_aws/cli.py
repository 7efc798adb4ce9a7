"""seedkeeper-aws: argument parsing and dispatch. Each command lives in its own module."""
import argparse
import ipaddress
import re
import sys

from .console import CliError, say

STACK_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,127}$")

DESCRIPTION = """seedkeeper on AWS: two EC2 instances behind an Application Load Balancer, sharing one
seed in ElastiCache Redis. Needs Python 3.9+ and boto3; credentials as for the AWS CLI
(aws configure, aws sso login, or AWS_* variables). AWS_ENDPOINT_URL points it elsewhere."""

EPILOG = """environment: AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE, AWS_ENDPOINT_URL;
  SEEDKEEPER_STACK (default stack name); SEEDKEEPER_POLL_SECONDS (5), SEEDKEEPER_HEALTH_TIMEOUT (900),
  SEEDKEEPER_STACK_TIMEOUT (3600); SEEDKEEPER_ALB_URL and SEEDKEEPER_TARGET_URLS (ask these URLs
  instead of the load balancer's and the instances' own addresses); SEED_CHECK_BIN (for check)."""


def _cidr(text: str) -> str:
    try:
        return str(ipaddress.IPv4Network(text, strict=False))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not an IPv4 CIDR such as 203.0.113.7/32")


def _stack(text: str) -> str:
    if not STACK_NAME.match(text):
        raise argparse.ArgumentTypeError("a stack name starts with a letter and holds at most 128 "
                                         "letters, digits and hyphens")
    return text


def _nodes(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 6:
        raise argparse.ArgumentTypeError("--redis-nodes takes 1 to 6")
    return int(text)


def parser() -> argparse.ArgumentParser:
    import os
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--stack", type=_stack, default=os.environ.get("SEEDKEEPER_STACK", "seedkeeper"),
                        help="stack name (default: seedkeeper, or $SEEDKEEPER_STACK)")
    common.add_argument("--region", help="default: AWS_REGION, AWS_DEFAULT_REGION, or the profile's")

    top = argparse.ArgumentParser(prog="seedkeeper-aws", description=DESCRIPTION, epilog=EPILOG,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    up = commands.add_parser("up", parents=[common], help="create the stack, or preview and apply an update",
                             description="Create the stack, or preview an update as a change set and apply it "
                                         "after a yes. Ends with the addresses for the submission.")
    up.add_argument("--artifact", metavar="FILE", help="deploy this artifact instead of building one")
    up.add_argument("--instance-type", metavar="TYPE", help="default t3.micro; t4g.* takes the arm64 build")
    up.add_argument("--public-targets", nargs="?", const="0.0.0.0/0", type=_cidr, metavar="CIDR",
                    help="open the app port on both instances to CIDR (default 0.0.0.0/0), for a grader "
                         "that calls them directly; their addresses do not change")
    up.add_argument("--private-targets", action="store_true", help="close it again (only the ALB reaches them)")
    up.add_argument("--ssh", nargs=2, metavar=("KEY_NAME", "CIDR"), help="allow SSH with this key pair from CIDR")
    up.add_argument("--no-ssh", action="store_true", help="remove SSH access again")
    up.add_argument("--redis-nodes", type=_nodes, metavar="N", help="1 (default): primary only; 2-6: replicas "
                    "with automatic failover (chosen at creation)")
    up.add_argument("--redis-multi-az", action="store_true", help="spread Redis nodes over zones (2+ nodes)")
    up.add_argument("--image-id", metavar="AMI", help="this image instead of the pinned one (replaces the instances)")
    up.add_argument("--refresh-ami", action="store_true",
                    help="move to the latest Amazon Linux 2023 image (replaces the instances)")
    expiry_group = up.add_mutually_exclusive_group()
    expiry_group.add_argument("--expires-in", metavar="DURATION",
                              help="delete the stack by itself after DURATION (48h when creating; "
                                   "e.g. 2d, 90m); on a running stack, moves the time")
    expiry_group.add_argument("--no-expiry", action="store_true", help="no automatic deletion")
    up.add_argument("--yes", "-y", action="store_true", help="apply an update without asking (for scripts)")
    up.add_argument("--json", action="store_true", help="print the submission addresses as JSON")
    up.add_argument("--template", metavar="FILE", help="another template (tests use a copy moto can take)")

    for name, text in (("status", "stack state, target health, the seed through the ALB, expiry"),
                       ("check", "seed-check against the load balancer (and the instances when open)"),
                       ("down", "delete the stack and the bucket, then list anything left")):
        commands.add_parser(name, parents=[common], help=text, description=text)

    ship = commands.add_parser("ship", parents=[common], help="roll a new build onto the running instances",
                               description="Install a new build on one instance at a time (out of the "
                                           "load balancer, install through SSM, back in, healthy), so "
                                           "the service answers throughout and no address changes.")
    ship.add_argument("--artifact", metavar="FILE", help="ship this artifact instead of building one")
    return top


def missing_boto3(error: ModuleNotFoundError) -> str:
    """The one line for a Python without boto3 (or botocore, which boto3 brings): how to install it."""
    return (f"seedkeeper-aws: {error.name} is not installed for this Python ({sys.executable}): install "
            "boto3 with 'python3 -m pip install boto3' (macOS, Linux) or 'py -m pip install boto3' "
            "(Windows), then run this again")


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        from . import aws as aws_module
        from . import check, down, ship, status, up
    except ModuleNotFoundError as e:
        if (e.name or "").split(".")[0] not in ("boto3", "botocore"):
            raise
        say(missing_boto3(e))
        return 2
    commands = {"up": up.run, "status": status.run, "check": check.run, "down": down.run, "ship": ship.run}
    try:
        if args.command == "up" and args.public_targets is not None and args.private_targets:
            raise CliError("--public-targets and --private-targets contradict each other: pick one")
        if args.command == "up" and args.ssh and args.no_ssh:
            raise CliError("--ssh and --no-ssh contradict each other: pick one")
        aws = aws_module.connect(args.region)
        return commands[args.command](args, aws)
    except CliError as e:
        say(f"seedkeeper-aws: {e}")
        return 1
    except KeyboardInterrupt:
        say("seedkeeper-aws: interrupted; what CloudFormation started goes on ('seedkeeper-aws status')")
        return 130


if __name__ == "__main__":
    sys.exit(main())
