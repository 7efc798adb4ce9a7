"""`up` chooses two public subnets of the default VPC in two zones, and refuses before creating
anything (no stack, no bucket) when there are not two."""
from awskit import REGION, client, instances, run_cli, stack_parameters, stack_status


def nothing_created() -> bool:
    return stack_status() is None and client("s3").list_buckets()["Buckets"] == []


def default_vpc():
    ec2 = client("ec2")
    vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    return vpc, subnets


def test_no_default_vpc_is_refused_before_anything_is_created(fake_aws, up_args):
    ec2 = client("ec2")
    vpc, subnets = default_vpc()
    for subnet in subnets:
        ec2.delete_subnet(SubnetId=subnet["SubnetId"])
    for gateway in ec2.describe_internet_gateways()["InternetGateways"]:
        ec2.detach_internet_gateway(InternetGatewayId=gateway["InternetGatewayId"], VpcId=vpc)
    ec2.delete_vpc(VpcId=vpc)
    run = run_cli("up", *up_args)
    assert run.code == 1, run
    assert f"no default VPC in {REGION}" in run.stderr and "create-default-vpc" in run.stderr
    assert nothing_created()


def test_subnets_without_a_route_to_the_internet_are_refused_before_anything_is_created(fake_aws, up_args):
    # Without an internet gateway route no subnet can give an instance a working public IP.
    ec2 = client("ec2")
    vpc, _ = default_vpc()
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]
    ec2.delete_route(RouteTableId=main["RouteTableId"], DestinationCidrBlock="0.0.0.0/0")
    run = run_cli("up", *up_args)
    assert run.code == 1, run
    assert "route to an internet gateway" in run.stderr and "Nothing was created" in run.stderr
    assert nothing_created()


def test_a_single_public_zone_is_refused_before_anything_is_created(fake_aws, up_args):
    ec2 = client("ec2")
    vpc, subnets = default_vpc()
    private = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    for subnet in sorted(subnets, key=lambda s: s["AvailabilityZone"])[1:]:
        ec2.associate_route_table(RouteTableId=private, SubnetId=subnet["SubnetId"])
    run = run_cli("up", *up_args)
    assert run.code == 1, run
    assert "in 1 zone(s)" in run.stderr and "needs two" in run.stderr
    assert nothing_created()


def test_subnets_that_do_not_map_public_ips_still_give_the_instances_one(fake_aws, up_args, seed_behind_alb):
    # The template asks for the address itself (AssociatePublicIpAddress), so the subnet's
    # auto-assign setting does not matter; before, the PublicIp outputs failed on such a subnet.
    ec2 = client("ec2")
    _, subnets = default_vpc()
    for subnet in subnets:
        ec2.modify_subnet_attribute(SubnetId=subnet["SubnetId"], MapPublicIpOnLaunch={"Value": False})
    run = run_cli("up", *up_args)
    assert run.code == 0, run
    ips = [ip for _, ip in instances().values()]
    assert len(ips) == 2 and all(ips), instances()
    params = stack_parameters()
    assert params["SubnetA"] != params["SubnetB"]


def test_a_type_the_region_does_not_offer_is_refused(fake_aws, up_args):
    run = run_cli("up", *up_args, "--instance-type", "x9.nano")
    assert run.code == 1, run
    assert f"{REGION} does not offer instance type x9.nano" in run.stderr
    assert nothing_created()
