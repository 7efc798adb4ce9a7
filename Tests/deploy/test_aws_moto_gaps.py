"""What moto's CloudFormation does not do that the real one does, each proven still true.

The end-to-end tests work around exactly these gaps (moto_template.py strips ElastiCache; the
tests register the targets themselves). When a moto upgrade closes a gap, its test here fails:
then drop the workaround and the line in deploy/aws/README.md ("What is not tested offline").
"""
import json

import pytest

from awskit import boto_client

STACK = "gaps"


def default_subnet(endpoint):
    ec2 = boto_client(endpoint, "ec2")
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    subnets.sort(key=lambda s: s["AvailabilityZone"])
    return subnets[0]["VpcId"], [s["SubnetId"] for s in subnets[:2]]


def create_stack(endpoint, resources: dict, outputs: dict = None):
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources,
                "Outputs": outputs or {}}
    cfn = boto_client(endpoint, "cloudformation")
    cfn.create_stack(StackName=STACK, TemplateBody=json.dumps(template),
                     Tags=[{"Key": "seedkeeper:stack", "Value": STACK}])
    stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


@pytest.fixture
def web_stack(moto):
    """An instance behind a target group and load balancer, written as the real template writes them."""
    vpc, subnets = default_subnet(moto)
    image = boto_client(moto, "ec2").describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    outputs = create_stack(moto, {
        "Group": {"Type": "AWS::EC2::SecurityGroup",
                  "Properties": {"GroupDescription": "gap probe", "VpcId": vpc}},
        "Instance": {"Type": "AWS::EC2::Instance", "Properties": {
            "ImageId": image, "InstanceType": "t3.micro", "SubnetId": subnets[0],
            "SecurityGroupIds": [{"Fn::GetAtt": ["Group", "GroupId"]}],
            "MetadataOptions": {"HttpTokens": "required"}}},
        "LoadBalancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
                         "Properties": {"Subnets": subnets}},
        "TargetGroup": {"Type": "AWS::ElasticLoadBalancingV2::TargetGroup", "Properties": {
            "Port": 8080, "Protocol": "HTTP", "VpcId": vpc, "TargetType": "instance",
            "Targets": [{"Id": {"Ref": "Instance"}, "Port": 8080}],
            "TargetGroupAttributes": [{"Key": "deregistration_delay.timeout_seconds", "Value": "30"}]}},
    }, {"InstanceId": {"Value": {"Ref": "Instance"}},
        "GroupId": {"Value": {"Fn::GetAtt": ["Group", "GroupId"]}},
        "TargetGroupArn": {"Value": {"Ref": "TargetGroup"}},
        "LoadBalancerArn": {"Value": {"Ref": "LoadBalancer"}}})
    return outputs


def instance(endpoint, instance_id):
    reservations = boto_client(endpoint, "ec2").describe_instances(InstanceIds=[instance_id])["Reservations"]
    return reservations[0]["Instances"][0]


def test_gap_elasticache_is_not_created(moto):
    vpc, subnets = default_subnet(moto)
    create_stack(moto, {
        "RedisSubnetGroup": {"Type": "AWS::ElastiCache::SubnetGroup", "Properties": {
            "Description": "gap probe", "SubnetIds": subnets}},
        "Redis": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {
            "ReplicationGroupDescription": "gap probe", "Engine": "redis",
            "CacheNodeType": "cache.t3.micro", "NumCacheClusters": 1,
            "CacheSubnetGroupName": {"Ref": "RedisSubnetGroup"}}},
    })
    elasticache = boto_client(moto, "elasticache")
    assert elasticache.describe_replication_groups()["ReplicationGroups"] == [], \
        "moto now creates ElastiCache replication groups: drop the stripping in moto_template.py"
    subnet_groups = [g for g in elasticache.describe_cache_subnet_groups()["CacheSubnetGroups"]
                     if g["CacheSubnetGroupName"] != "default"]
    assert subnet_groups == [], "moto now creates ElastiCache subnet groups"


def test_gap_target_group_targets_are_not_registered(moto, web_stack):
    health = boto_client(moto, "elbv2").describe_target_health(
        TargetGroupArn=web_stack["TargetGroupArn"])["TargetHealthDescriptions"]
    assert health == [], "moto now registers Targets: stop registering them in test_aws_cli_moto.py"


def test_gap_target_group_attributes_are_ignored(moto, web_stack):
    attrs = boto_client(moto, "elbv2").describe_target_group_attributes(
        TargetGroupArn=web_stack["TargetGroupArn"])["Attributes"]
    delay = {a["Key"]: a["Value"] for a in attrs}["deregistration_delay.timeout_seconds"]
    assert delay == "300", "moto now applies TargetGroupAttributes: assert the 35 s end to end"


def test_gap_instance_metadata_options_are_ignored(moto, web_stack):
    options = instance(moto, web_stack["InstanceId"])["MetadataOptions"]
    assert options["HttpTokens"] == "optional", "moto now applies MetadataOptions: assert IMDSv2 end to end"


def test_gap_instance_security_group_ids_are_ignored(moto, web_stack):
    groups = [g["GroupId"] for g in instance(moto, web_stack["InstanceId"])["SecurityGroups"]]
    assert web_stack["GroupId"] not in groups, "moto now applies SecurityGroupIds to instances"


def test_gap_instances_get_no_public_ip(moto, web_stack):
    # The default subnet maps public IPs on launch; moto's CloudFormation does not ask for one.
    assert "PublicIpAddress" not in instance(moto, web_stack["InstanceId"]), \
        "moto now gives public IPs: assert the IP:port lines of `up` end to end"


def test_gap_load_balancers_get_no_stack_tags(moto, web_stack):
    tags = boto_client(moto, "elbv2").describe_tags(
        ResourceArns=[web_stack["LoadBalancerArn"]])["TagDescriptions"][0]["Tags"]
    keys = {t["Key"] for t in tags}
    assert not keys & {"aws:cloudformation:stack-name", "seedkeeper:stack"}, \
        "moto now tags load balancers: the tag sweep of `down` can be tested on them"


def test_gap_deleting_the_stack_leaves_its_target_group(moto, web_stack):
    boto_client(moto, "cloudformation").delete_stack(StackName=STACK)
    elbv2 = boto_client(moto, "elbv2")
    left = [g["TargetGroupArn"] for g in elbv2.describe_target_groups()["TargetGroups"]]
    assert left == [web_stack["TargetGroupArn"]], \
        "moto now deletes a stack's target group (down's own cleanup is then not exercised by moto)"



def test_gap_describing_a_stack_creates_the_resources_it_does_not_hold(moto):
    # moto works out a stack's outputs on the first DescribeStacks, creating any resource its map
    # lacks at that moment. Asked while create_stack is still at work, that makes copies no stack
    # owns, so test_aws_cli_moto.py polls ListStacks. A stack deleted before anyone described it
    # shows the same without a race.
    vpc, subnets = default_subnet(moto)
    template = {"AWSTemplateFormatVersion": "2010-09-09",
                "Resources": {"LoadBalancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
                                               "Properties": {"Subnets": subnets}}},
                "Outputs": {"LoadBalancerArn": {"Value": {"Ref": "LoadBalancer"}}}}
    cfn = boto_client(moto, "cloudformation")
    stack_id = cfn.create_stack(StackName=STACK, TemplateBody=json.dumps(template))["StackId"]
    cfn.delete_stack(StackName=STACK)
    elbv2 = boto_client(moto, "elbv2")
    assert elbv2.describe_load_balancers()["LoadBalancers"] == []
    assert [s["StackStatus"] for s in cfn.list_stacks()["StackSummaries"]] == ["DELETE_COMPLETE"]
    assert elbv2.describe_load_balancers()["LoadBalancers"] == [], "ListStacks now creates resources too"
    cfn.describe_stacks(StackName=stack_id)
    assert len(elbv2.describe_load_balancers()["LoadBalancers"]) == 1, \
        "moto's DescribeStacks no longer creates resources: test_aws_cli_moto.py may poll it again"
