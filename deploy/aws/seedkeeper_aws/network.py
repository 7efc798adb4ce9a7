"""Where the stack goes: the account's default VPC and two of its subnets in two Availability
Zones that offer the instance type, each public (a route to an internet gateway), because the
instances get a public IPv4 address and fetch the artifact from S3 through it.

The template asks for the public address explicitly (AssociatePublicIpAddress), so a subnet that
does not map public IPs on launch still works; such subnets are taken only when no other is there.
"""
from dataclasses import dataclass

from .console import CliError, say


@dataclass
class Network:
    vpc_id: str
    subnet_a: str
    subnet_b: str
    zones: tuple


def _route_tables_by_subnet(ec2, vpc_id: str):
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["RouteTables"]
    main, explicit = None, {}
    for table in tables:
        for assoc in table.get("Associations", []):
            if assoc.get("Main"):
                main = table
            elif assoc.get("SubnetId"):
                explicit[assoc["SubnetId"]] = table
    return main, explicit


def _has_internet_route(table) -> bool:
    if not table:
        return False
    return any(r.get("DestinationCidrBlock") == "0.0.0.0/0"
               and str(r.get("GatewayId", "")).startswith("igw-")
               and r.get("State", "active") == "active"
               for r in table.get("Routes", []))


def find_network(ec2, region: str, instance_type: str) -> Network:
    """The default VPC and two public subnets in different zones; raises CliError with what to do
    when there is no default VPC, the type is not offered, or fewer than two zones qualify."""
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"]
    if not vpcs:
        raise CliError(f"no default VPC in {region}: create one with 'aws ec2 create-default-vpc "
                       f"--region {region}' (or VPC console > Actions > Create default VPC), then run up again")
    vpc_id = vpcs[0]["VpcId"]

    offered = set()
    paginator = ec2.get_paginator("describe_instance_type_offerings")
    for page in paginator.paginate(LocationType="availability-zone",
                                   Filters=[{"Name": "instance-type", "Values": [instance_type]}]):
        offered.update(o["Location"] for o in page["InstanceTypeOfferings"])
    if not offered:
        raise CliError(f"{region} does not offer instance type {instance_type}: pick another with "
                       "--instance-type (t3.micro is the usual free-tier one) or another --region")

    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]},
                                            {"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    main, explicit = _route_tables_by_subnet(ec2, vpc_id)
    public = [s for s in subnets
              if s["AvailabilityZone"] in offered and _has_internet_route(explicit.get(s["SubnetId"], main))]
    # Subnets that map public IPs on launch first (the usual default subnet), then by zone name.
    public.sort(key=lambda s: (not s.get("MapPublicIpOnLaunch", False), s["AvailabilityZone"]))
    chosen = []
    for subnet in public:
        if all(subnet["AvailabilityZone"] != c["AvailabilityZone"] for c in chosen):
            chosen.append(subnet)
        if len(chosen) == 2:
            break
    if len(chosen) < 2:
        zones = sorted({s["AvailabilityZone"] for s in public})
        raise CliError(
            f"the default VPC {vpc_id} has public default subnets (a route to an internet gateway) "
            f"in {len(zones)} zone(s) that offer {instance_type} ({', '.join(zones) or 'none'}); "
            "seedkeeper needs two. Nothing was created. Create a default subnet in another zone with "
            "'aws ec2 create-default-subnet --availability-zone ZONE', give the subnets' route table "
            "a 0.0.0.0/0 route to the VPC's internet gateway, or pick another --instance-type")
    chosen.sort(key=lambda s: s["AvailabilityZone"])
    network = Network(vpc_id, chosen[0]["SubnetId"], chosen[1]["SubnetId"],
                      (chosen[0]["AvailabilityZone"], chosen[1]["AvailabilityZone"]))
    say(f"network: default VPC {vpc_id}, subnets {network.subnet_a} ({network.zones[0]}) "
        f"and {network.subnet_b} ({network.zones[1]})")
    return network
