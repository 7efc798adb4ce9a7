"""What moto's CloudFormation does not do that the real one does, each proven still true.

The end-to-end tests work around exactly these gaps (moto_template.py strips ElastiCache and the
expiry schedule; conftest.py registers the targets and gives the default VPC its internet gateway;
test_aws_cli_down.py makes a deletion fail; test_aws_cli_preview.py feeds the preview AWS's shape).
When a moto upgrade closes a gap, its test here fails: then drop the workaround and the line in deploy/aws/README.md ("What is not tested offline").
"""
import json

import pytest

from awskit import client

STACK = "gaps"


def default_subnet():
    ec2 = client("ec2")
    subnets = ec2.describe_subnets(Filters=[{"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    subnets.sort(key=lambda s: s["AvailabilityZone"])
    return subnets[0]["VpcId"], [s["SubnetId"] for s in subnets[:2]]


def create_stack(resources: dict, outputs: dict = None):
    template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources,
                "Outputs": outputs or {}}
    cfn = client("cloudformation")
    cfn.create_stack(StackName=STACK, TemplateBody=json.dumps(template),
                     Tags=[{"Key": "seedkeeper:stack", "Value": STACK}])
    stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
    assert stack["StackStatus"] == "CREATE_COMPLETE", stack
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


@pytest.fixture
def web_stack(fake_aws):
    """An instance behind a target group and load balancer, written as the real template writes them."""
    vpc, subnets = default_subnet()
    image = client("ec2").describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    outputs = create_stack({
        "Group": {"Type": "AWS::EC2::SecurityGroup",
                  "Properties": {"GroupDescription": "gap probe", "VpcId": vpc}},
        "Instance": {"Type": "AWS::EC2::Instance", "Properties": {
            "ImageId": image, "InstanceType": "t3.micro",
            "NetworkInterfaces": [{"DeviceIndex": "0", "SubnetId": subnets[0], "AssociatePublicIpAddress": True,
                                   "GroupSet": [{"Fn::GetAtt": ["Group", "GroupId"]}]}],
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


def instance(instance_id):
    reservations = client("ec2").describe_instances(InstanceIds=[instance_id])["Reservations"]
    return reservations[0]["Instances"][0]


def test_gap_elasticache_is_not_created(fake_aws):
    vpc, subnets = default_subnet()
    create_stack({
        "RedisSubnetGroup": {"Type": "AWS::ElastiCache::SubnetGroup", "Properties": {
            "Description": "gap probe", "SubnetIds": subnets}},
        "Redis": {"Type": "AWS::ElastiCache::ReplicationGroup", "Properties": {
            "ReplicationGroupDescription": "gap probe", "Engine": "redis",
            "CacheNodeType": "cache.t3.micro", "NumCacheClusters": 1,
            "CacheSubnetGroupName": {"Ref": "RedisSubnetGroup"}}},
    })
    elasticache = client("elasticache")
    assert elasticache.describe_replication_groups()["ReplicationGroups"] == [], \
        "moto now creates ElastiCache replication groups: drop the stripping in moto_template.py"
    subnet_groups = [g for g in elasticache.describe_cache_subnet_groups()["CacheSubnetGroups"]
                     if g["CacheSubnetGroupName"] != "default"]
    assert subnet_groups == [], "moto now creates ElastiCache subnet groups"


def test_gap_target_group_targets_are_not_registered(web_stack):
    health = client("elbv2").describe_target_health(
        TargetGroupArn=web_stack["TargetGroupArn"])["TargetHealthDescriptions"]
    assert health == [], "moto now registers Targets: stop registering them in the CLI tests"


def test_gap_target_group_attributes_are_ignored(web_stack):
    attrs = client("elbv2").describe_target_group_attributes(
        TargetGroupArn=web_stack["TargetGroupArn"])["Attributes"]
    delay = {a["Key"]: a["Value"] for a in attrs}["deregistration_delay.timeout_seconds"]
    assert delay == "300", "moto now applies TargetGroupAttributes: assert the 35 s end to end"


def test_gap_instance_metadata_options_are_ignored(web_stack):
    options = instance(web_stack["InstanceId"])["MetadataOptions"]
    assert options["HttpTokens"] == "optional", "moto now applies MetadataOptions: assert IMDSv2 end to end"


def test_gap_instance_network_interface_groups_are_ignored(web_stack):
    groups = [g["GroupId"] for g in instance(web_stack["InstanceId"])["SecurityGroups"]]
    assert web_stack["GroupId"] not in groups, "moto now applies GroupSet to instances"


def test_gap_load_balancers_get_no_stack_tags(web_stack):
    tags = client("elbv2").describe_tags(
        ResourceArns=[web_stack["LoadBalancerArn"]])["TagDescriptions"][0]["Tags"]
    keys = {t["Key"] for t in tags}
    assert not keys & {"aws:cloudformation:stack-name", "seedkeeper:stack"}, \
        "moto now tags load balancers: the tag sweep of `down` can be tested on them"


def test_gap_deleting_the_stack_leaves_its_target_group(web_stack):
    client("cloudformation").delete_stack(StackName=STACK)
    elbv2 = client("elbv2")
    left = [g["TargetGroupArn"] for g in elbv2.describe_target_groups()["TargetGroups"]]
    assert left == [web_stack["TargetGroupArn"]], \
        "moto now deletes a stack's target group (down's own cleanup is then not exercised by moto)"



def test_gap_describing_a_stack_creates_the_resources_it_does_not_hold(fake_aws):
    # moto works out a stack's outputs on the first DescribeStacks, creating any resource its map
    # lacks at that moment. Asked while create_stack is still at work, that makes copies no stack
    # owns, so the CLI tests polls ListStacks. A stack deleted before anyone described it
    # shows the same without a race.
    vpc, subnets = default_subnet()
    template = {"AWSTemplateFormatVersion": "2010-09-09",
                "Resources": {"LoadBalancer": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
                                               "Properties": {"Subnets": subnets}}},
                "Outputs": {"LoadBalancerArn": {"Value": {"Ref": "LoadBalancer"}}}}
    cfn = client("cloudformation")
    stack_id = cfn.create_stack(StackName=STACK, TemplateBody=json.dumps(template))["StackId"]
    cfn.delete_stack(StackName=STACK)
    elbv2 = client("elbv2")
    assert elbv2.describe_load_balancers()["LoadBalancers"] == []
    assert [s["StackStatus"] for s in cfn.list_stacks()["StackSummaries"]] == ["DELETE_COMPLETE"]
    assert elbv2.describe_load_balancers()["LoadBalancers"] == [], "ListStacks now creates resources too"
    cfn.describe_stacks(StackName=stack_id)
    assert len(elbv2.describe_load_balancers()["LoadBalancers"]) == 1, \
        "moto's DescribeStacks no longer creates resources: the CLI tests may poll it again"


def test_gap_scheduler_schedules_are_not_created(fake_aws):
    create_stack({"Expiry": {"Type": "AWS::Scheduler::Schedule", "Properties": {
        "ScheduleExpression": "at(2030-01-01T00:00:00)", "ScheduleExpressionTimezone": "UTC",
        "FlexibleTimeWindow": {"Mode": "OFF"},
        "Target": {"Arn": "arn:aws:scheduler:::aws-sdk:cloudformation:deleteStack",
                   "RoleArn": "arn:aws:iam::123456789012:role/expiry", "Input": '{"StackName": "gaps"}'}}}})
    assert client("scheduler").list_schedules()["Schedules"] == [], \
        "moto now creates schedules: keep AWS::Scheduler::Schedule in moto_template.py and assert it after up"


def test_gap_change_sets_list_no_changes(fake_aws):
    vpc, _ = default_subnet()
    template = {"Parameters": {"Description": {"Type": "String"}},
                "Resources": {"Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
                    "GroupDescription": {"Ref": "Description"}, "VpcId": vpc}}}}
    cfn = client("cloudformation")
    cfn.create_stack(StackName=STACK, TemplateBody=json.dumps(template),
                     Parameters=[{"ParameterKey": "Description", "ParameterValue": "one"}])
    cfn.create_change_set(StackName=STACK, ChangeSetName="probe", ChangeSetType="UPDATE",
                          TemplateBody=json.dumps(template),
                          Parameters=[{"ParameterKey": "Description", "ParameterValue": "two"}])
    changes = cfn.describe_change_set(StackName=STACK, ChangeSetName="probe")["Changes"]
    assert changes == [], "moto now works out change sets: assert the resource lines of the preview end to end"


def test_gap_default_vpc_has_no_internet_gateway():
    from moto import mock_aws
    with mock_aws():
        assert client("ec2").describe_internet_gateways()["InternetGateways"] == [], \
            "moto's default VPC now has an internet gateway: drop give_default_vpc_its_internet_gateway"


def test_gap_a_stack_deletion_never_fails(fake_aws):
    # On AWS, a security group a network interface still uses cannot be deleted ("has a dependent
    # object"): the stack ends DELETE_FAILED. moto deletes it anyway.
    vpc, subnets = default_subnet()
    create_stack({"Group": {"Type": "AWS::EC2::SecurityGroup",
                            "Properties": {"GroupDescription": "gap probe", "VpcId": vpc}}},
                 {"GroupId": {"Value": {"Fn::GetAtt": ["Group", "GroupId"]}}})
    cfn = client("cloudformation")
    group = cfn.describe_stacks(StackName=STACK)["Stacks"][0]["Outputs"][0]["OutputValue"]
    client("ec2").create_network_interface(SubnetId=subnets[0], Groups=[group])
    cfn.delete_stack(StackName=STACK)
    statuses = [s["StackStatus"] for s in cfn.list_stacks()["StackSummaries"] if s["StackName"] == STACK]
    assert statuses == ["DELETE_COMPLETE"], \
        "moto now fails such deletions: test_aws_cli_down.py can fail a deletion without patching moto"


def update_through_a_change_set(template: dict, parameters: list) -> None:
    cfn = client("cloudformation")
    cfn.create_change_set(StackName=STACK, ChangeSetName="probe", ChangeSetType="UPDATE",
                          TemplateBody=json.dumps(template), Parameters=parameters)
    cfn.execute_change_set(StackName=STACK, ChangeSetName="probe")


OPENABLE = {"Parameters": {"Cidr": {"Type": "String", "Default": ""}},
            "Conditions": {"Open": {"Fn::Not": [{"Fn::Equals": [{"Ref": "Cidr"}, ""]}]}},
            "Resources": {
                "Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "gap probe"}},
                "Rule": {"Type": "AWS::EC2::SecurityGroupIngress", "Condition": "Open", "Properties": {
                    "GroupId": {"Fn::GetAtt": ["Group", "GroupId"]}, "IpProtocol": "tcp", "FromPort": 80,
                    "ToPort": 80, "CidrIp": {"Ref": "Cidr"}}}},
            "Outputs": {"Cidr": {"Value": {"Fn::If": ["Open", {"Ref": "Cidr"}, "closed"]}}}}


def test_gap_outputs_are_not_worked_out_again_after_a_change_set(fake_aws):
    # seedkeeper-aws reads TargetsPublic and ExpiresAt from the parameters they mirror.
    cfn = client("cloudformation")
    cfn.create_stack(StackName=STACK, TemplateBody=json.dumps(OPENABLE))
    assert cfn.describe_stacks(StackName=STACK)["Stacks"][0]["Outputs"][0]["OutputValue"] == "closed"
    update_through_a_change_set(OPENABLE, [{"ParameterKey": "Cidr", "ParameterValue": "0.0.0.0/0"}])
    stack = cfn.describe_stacks(StackName=STACK)["Stacks"][0]
    assert stack["Parameters"][0]["ParameterValue"] == "0.0.0.0/0"
    assert stack["Outputs"][0]["OutputValue"] == "closed", \
        "moto now refreshes outputs on update: stack.settings() may read the outputs alone in tests too"


def test_gap_stack_resources_lose_track_after_a_change_set(fake_aws):
    # test_aws_cli_up.py compares what each service holds instead of ListStackResources.
    cfn = client("cloudformation")
    cfn.create_stack(StackName=STACK, TemplateBody=json.dumps(OPENABLE))
    update_through_a_change_set(OPENABLE, [{"ParameterKey": "Cidr", "ParameterValue": "0.0.0.0/0"}])
    summaries = cfn.list_stack_resources(StackName=STACK)["StackResourceSummaries"]
    assert sorted(r["LogicalResourceId"] for r in summaries) != ["Group", "Rule"], \
        "moto now lists a stack's resources right after a change set: test_aws_cli_up.py may compare them"


def test_gap_list_commands_gives_every_command_all_instance_ids(fake_aws):
    ec2 = client("ec2")
    image = ec2.describe_images(Owners=["amazon"])["Images"][0]["ImageId"]
    ids = [i["InstanceId"] for i in ec2.run_instances(ImageId=image, MinCount=2, MaxCount=2)["Instances"]]
    ssm = client("ssm")
    for instance_id in ids:
        ssm.send_command(InstanceIds=[instance_id], DocumentName="AWS-RunShellScript",
                         Parameters={"commands": ["true"]})
    listed = [sorted(c["InstanceIds"]) for c in ssm.list_commands()["Commands"]]
    assert listed == [sorted(ids), sorted(ids)], \
        "moto now lists each command's own instances: test_aws_cli_ship.py may check them directly"
