"""After `down`: what of the stack is still there. Two looks: every resource the stack had
(recorded before deleting it), and everything tagged with the stack's name (CloudFormation tags
what it creates with aws:cloudformation:stack-name; the bucket carries seedkeeper:stack), which
also finds remains of earlier, failed stacks."""
from botocore.exceptions import ClientError

from .aws import error_code

TAGS = ("aws:cloudformation:stack-name", "seedkeeper:stack")
# Kinds that cost money while they exist. Security groups are listed but cost nothing.
BILLABLE = {"instance", "load-balancer", "target-group", "redis", "elastic-ip", "bucket", "stack"}

RECORDED_KINDS = {
    "AWS::EC2::Instance": "instance",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "load-balancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "target-group",
    "AWS::ElastiCache::ReplicationGroup": "redis",
    "AWS::EC2::EIP": "elastic-ip",
    "AWS::EC2::SecurityGroup": "security-group",
}


def recorded_resources(cfn, stack_id: str) -> list:
    """(kind, physical id) of the stack's resources that matter after deletion."""
    found = []
    try:
        for page in cfn.get_paginator("list_stack_resources").paginate(StackName=stack_id):
            for r in page["StackResourceSummaries"]:
                kind = RECORDED_KINDS.get(r["ResourceType"])
                if kind and r.get("PhysicalResourceId"):
                    found.append((kind, r["PhysicalResourceId"]))
    except ClientError:
        pass
    return found


def _tagged(tags, stack: str) -> bool:
    return any(t.get("Key") in TAGS and t.get("Value") == stack for t in tags or [])


def exists(aws, kind: str, ident: str) -> bool:
    """Is this recorded resource still there? When AWS cannot be asked, it counts as there."""
    try:
        if kind == "instance":
            res = aws.client("ec2").describe_instances(Filters=[{"Name": "instance-id", "Values": [ident]}])
            states = [i["State"]["Name"] for r in res["Reservations"] for i in r["Instances"]]
            return any(s != "terminated" for s in states)
        if kind == "load-balancer":
            lbs = aws.client("elbv2").describe_load_balancers()["LoadBalancers"]
            return any(lb["LoadBalancerArn"] == ident for lb in lbs)
        if kind == "target-group":
            tgs = aws.client("elbv2").describe_target_groups()["TargetGroups"]
            return any(tg["TargetGroupArn"] == ident for tg in tgs)
        if kind == "redis":
            groups = aws.client("elasticache").describe_replication_groups()["ReplicationGroups"]
            return any(g["ReplicationGroupId"] == ident for g in groups)
        if kind == "elastic-ip":
            return bool(aws.client("ec2").describe_addresses(
                Filters=[{"Name": "public-ip", "Values": [ident]}])["Addresses"])
        if kind == "security-group":
            return bool(aws.client("ec2").describe_security_groups(
                Filters=[{"Name": "group-id", "Values": [ident]}])["SecurityGroups"])
    except ClientError:
        return True
    return False


def delete(aws, kind: str, ident: str) -> None:
    """Deletes one of the stack's own resources that its deletion left behind."""
    if kind == "instance":
        aws.client("ec2").terminate_instances(InstanceIds=[ident])
    elif kind == "load-balancer":
        aws.client("elbv2").delete_load_balancer(LoadBalancerArn=ident)
    elif kind == "target-group":
        aws.client("elbv2").delete_target_group(TargetGroupArn=ident)
    elif kind == "redis":
        aws.client("elasticache").delete_replication_group(ReplicationGroupId=ident)
    elif kind == "elastic-ip":
        aws.client("ec2").release_address(PublicIp=ident)
    elif kind == "security-group":
        aws.client("ec2").delete_security_group(GroupId=ident)


def tagged(aws, stack: str) -> list:
    """(kind, id) of everything tagged with the stack that still exists."""
    found = []
    ec2 = aws.client("ec2")
    for tag in TAGS:
        reservations = ec2.describe_instances(Filters=[
            {"Name": f"tag:{tag}", "Values": [stack]},
            {"Name": "instance-state-name", "Values": ["pending", "running", "shutting-down", "stopping", "stopped"]},
        ])["Reservations"]
        found += [("instance", i["InstanceId"]) for r in reservations for i in r["Instances"]]
        found += [("elastic-ip", a["PublicIp"]) for a in ec2.describe_addresses(
            Filters=[{"Name": f"tag:{tag}", "Values": [stack]}])["Addresses"]]
        found += [("security-group", g["GroupId"]) for g in ec2.describe_security_groups(
            Filters=[{"Name": f"tag:{tag}", "Values": [stack]}])["SecurityGroups"]]
    elbv2 = aws.client("elbv2")
    arns = [("load-balancer", lb["LoadBalancerArn"]) for lb in elbv2.describe_load_balancers()["LoadBalancers"]]
    arns += [("target-group", tg["TargetGroupArn"]) for tg in elbv2.describe_target_groups()["TargetGroups"]]
    for i in range(0, len(arns), 20):  # DescribeTags takes at most 20 ARNs
        chunk = dict((arn, kind) for kind, arn in arns[i:i + 20])
        for d in elbv2.describe_tags(ResourceArns=list(chunk))["TagDescriptions"]:
            if _tagged(d.get("Tags"), stack):
                found.append((chunk[d["ResourceArn"]], d["ResourceArn"]))
    cache = aws.client("elasticache")
    try:
        for g in cache.describe_replication_groups()["ReplicationGroups"]:
            if g.get("ARN") and _tagged(cache.list_tags_for_resource(ResourceName=g["ARN"]).get("TagList"), stack):
                found.append(("redis", g["ReplicationGroupId"]))
        for c in cache.describe_cache_clusters()["CacheClusters"]:
            if c.get("ARN") and _tagged(cache.list_tags_for_resource(ResourceName=c["ARN"]).get("TagList"), stack):
                found.append(("redis", c["CacheClusterId"]))
    except ClientError:
        pass
    s3 = aws.client("s3")
    for b in s3.list_buckets().get("Buckets", []):
        if not b["Name"].startswith("seedkeeper-"):
            continue
        try:
            if _tagged(s3.get_bucket_tagging(Bucket=b["Name"])["TagSet"], stack):
                found.append(("bucket", b["Name"]))
        except ClientError as e:
            if error_code(e) not in ("NoSuchTagSet", "NoSuchBucket", "AccessDenied"):
                raise
    return found


def expiry_roles(aws, stack: str) -> list:
    """The IAM roles the template keeps after deletion (the expiry's role must outlive the stack it
    deletes): everything under the path /seedkeeper/STACK/. They cost nothing."""
    iam = aws.client("iam")
    roles = []
    for page in iam.get_paginator("list_roles").paginate(PathPrefix=f"/seedkeeper/{stack}/"):
        roles += [r["RoleName"] for r in page["Roles"]]
    return roles


def delete_role(aws, name: str) -> None:
    """Deletes a role and what holds it: inline and attached policies, instance profiles."""
    iam = aws.client("iam")
    for policy in iam.list_role_policies(RoleName=name)["PolicyNames"]:
        iam.delete_role_policy(RoleName=name, PolicyName=policy)
    for policy in iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]:
        iam.detach_role_policy(RoleName=name, PolicyArn=policy["PolicyArn"])
    for profile in iam.list_instance_profiles_for_role(RoleName=name)["InstanceProfiles"]:
        iam.remove_role_from_instance_profile(InstanceProfileName=profile["InstanceProfileName"], RoleName=name)
    iam.delete_role(RoleName=name)
