"""What no linter knows about the seedkeeper stack: each check returns the list of its violations.

The template is read as CloudFormation reads it (cfn-lint's decoder: !Ref becomes {"Ref": ...}).
"""
import json
import re
from typing import Iterator, List, Optional, Tuple

WORLD = "0.0.0.0/0"


def resources(template: dict, type_name: str) -> Iterator[Tuple[str, dict]]:
    for name, res in template["Resources"].items():
        if res["Type"] == type_name:
            yield name, res


def group_ref(value) -> Optional[str]:
    """The logical id of a security group named by Ref or GetAtt ...GroupId."""
    if isinstance(value, dict):
        if "Ref" in value:
            return value["Ref"]
        if "Fn::GetAtt" in value:
            target = value["Fn::GetAtt"]
            return target[0] if isinstance(target, list) else target.split(".")[0]
    return None


def ingress_rules(template: dict) -> List[dict]:
    """Every ingress rule, inline or standalone: group, ports, source, condition."""
    rules = []
    for name, res in resources(template, "AWS::EC2::SecurityGroup"):
        for rule in res["Properties"].get("SecurityGroupIngress", []):
            rules.append({**rule, "group": name, "condition": res.get("Condition")})
    for name, res in resources(template, "AWS::EC2::SecurityGroupIngress"):
        props = res["Properties"]
        rules.append({**props, "group": group_ref(props.get("GroupId")) or props.get("GroupName"),
                      "condition": res.get("Condition"), "rule": name})
    return rules


def source_of(rule: dict):
    if "SourceSecurityGroupId" in rule:
        return ("group", group_ref(rule["SourceSecurityGroupId"]))
    if "CidrIp" in rule:
        cidr = rule["CidrIp"]
        return ("cidr", cidr["Ref"] if isinstance(cidr, dict) and "Ref" in cidr else cidr)
    if "CidrIpv6" in rule:
        return ("cidr6", rule["CidrIpv6"])
    if "SourcePrefixListId" in rule:
        return ("prefix-list", rule["SourcePrefixListId"])
    return ("unknown", None)


def port_of(value):
    return value["Ref"] if isinstance(value, dict) and "Ref" in value else value


# The complete list of what may reach what: (group, protocol, from, to, source, condition).
ALLOWED_INGRESS = {
    ("AlbSecurityGroup", "tcp", 80, 80, ("cidr", WORLD), None),
    ("InstanceSecurityGroup", "tcp", "AppPort", "AppPort", ("group", "AlbSecurityGroup"), None),
    ("InstanceSecurityGroup", "tcp", "AppPort", "AppPort", ("cidr", "TargetAccessCidr"), "HasTargetAccess"),
    ("InstanceSecurityGroup", "tcp", 22, 22, ("cidr", "SshCidr"), "HasSsh"),
    ("RedisSecurityGroup", "tcp", 6379, 6379, ("group", "InstanceSecurityGroup"), None),
}


def check_security_groups(template: dict) -> List[str]:
    violations = []
    seen = set()
    for rule in ingress_rules(template):
        key = (rule["group"], str(rule.get("IpProtocol")), port_of(rule.get("FromPort")),
               port_of(rule.get("ToPort")), source_of(rule), rule["condition"])
        seen.add(key)
        if key not in ALLOWED_INGRESS:
            violations.append(f"ingress not in the tier chain: {key}")
        if source_of(rule) == ("cidr", WORLD) and (rule["group"], port_of(rule.get("FromPort")),
                                                  port_of(rule.get("ToPort"))) != ("AlbSecurityGroup", 80, 80):
            violations.append(f"0.0.0.0/0 reaches something other than the ALB on 80: {key}")
    for missing in sorted(ALLOWED_INGRESS - seen, key=str):
        violations.append(f"tier-chain rule missing: {missing}")
    return violations


# Pseudo parameters as a stack in us-east-1 named "seedkeeper" would see them.
PSEUDO = {"AWS::StackName": "seedkeeper", "AWS::Region": "us-east-1", "AWS::Partition": "aws",
          "AWS::AccountId": "123456789012",
          "AWS::StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/seedkeeper/0a1b2c3d"}


def parameter_values(template: dict, params: dict) -> dict:
    """Every parameter's value: the given ones, defaults for the rest, and the pseudo parameters."""
    values = {k: str(v.get("Default", "")) for k, v in template.get("Parameters", {}).items()}
    values.update(PSEUDO)
    values.update(params)
    return values


def evaluate_condition(template: dict, name: str, params: dict) -> bool:
    """Evaluates a condition for the given parameter values (defaults for the rest)."""
    values = parameter_values(template, params)

    def ev(node):
        if isinstance(node, dict):
            (fn, arg), = node.items()
            if fn == "Ref":
                return values[arg]
            if fn == "Condition":
                return ev(template["Conditions"][arg])
            if fn == "Fn::Equals":
                return str(ev(arg[0])) == str(ev(arg[1]))
            if fn == "Fn::Not":
                return not ev(arg[0])
            if fn == "Fn::And":
                return all(ev(a) for a in arg)
            if fn == "Fn::Or":
                return any(ev(a) for a in arg)
            raise ValueError(f"unsupported in a condition: {fn}")
        return node

    return bool(ev(template["Conditions"][name]))


def check_closed_by_default(template: dict) -> List[str]:
    violations = []
    for condition in ("HasTargetAccess", "HasSsh"):
        if evaluate_condition(template, condition, {}):
            violations.append(f"{condition} is true with the default parameters")
    if evaluate_condition(template, "HasSsh", {"KeyName": "mykey"}):
        violations.append("a key name alone (no SshCidr) opens SSH")
    if not evaluate_condition(template, "HasTargetAccess", {"TargetAccessCidr": "203.0.113.0/24"}):
        violations.append("TargetAccessCidr does not open the targets")
    for name, res in resources(template, "AWS::EC2::Instance"):
        key = res["Properties"].get("KeyName")
        if key is not None and not (isinstance(key, dict) and "Fn::If" in key and key["Fn::If"][0] == "HasSsh"):
            violations.append(f"{name} sets KeyName outside the HasSsh condition")
    return violations


def instance_subnet(props: dict):
    """The subnet an instance is in: its own SubnetId, or that of its primary network interface."""
    if "SubnetId" in props:
        return props["SubnetId"]
    primary = [nic for nic in props.get("NetworkInterfaces", []) if str(nic.get("DeviceIndex")) == "0"]
    return primary[0].get("SubnetId") if primary else None


def check_imdsv2(template: dict) -> List[str]:
    violations = []
    instances = list(resources(template, "AWS::EC2::Instance"))
    if len(instances) != 2:
        violations.append(f"expected 2 instances, found {len(instances)}")
    for name, res in instances:
        if res["Properties"].get("MetadataOptions", {}).get("HttpTokens") != "required":
            violations.append(f"{name} does not require IMDSv2 (MetadataOptions.HttpTokens)")
    subnets = {str(instance_subnet(res["Properties"])) for _, res in instances}
    if len(subnets) != len(instances):
        violations.append(f"instances share a subnet: {subnets}")
    return violations


def deregistration_delay(target_group_props: dict):
    """The target group's drain in seconds, or None when the template leaves it to AWS's default."""
    attrs = {a["Key"]: a["Value"] for a in target_group_props.get("TargetGroupAttributes", [])}
    delay = attrs.get("deregistration_delay.timeout_seconds")
    return None if delay is None else int(delay)


def check_target_group(template: dict, stop_timeout_seconds: int) -> List[str]:
    violations = []
    groups = list(resources(template, "AWS::ElasticLoadBalancingV2::TargetGroup"))
    if len(groups) != 1:
        return [f"expected one target group, found {len(groups)}"]
    _, tg = groups[0]
    props = tg["Properties"]
    if props.get("Port") != {"Ref": "AppPort"}:
        violations.append(f"target group port is {props.get('Port')}, not the app port")
    if props.get("HealthCheckPath") != "/":
        violations.append(f"health check path is {props.get('HealthCheckPath')!r}, not '/'")
    if props.get("Matcher", {}).get("HttpCode") != "200":
        violations.append(f"health check matcher is {props.get('Matcher')}, not 200")
    for key in ("HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount",
                "UnhealthyThresholdCount", "HealthCheckProtocol"):
        if key not in props:
            violations.append(f"health check not written out: {key} missing")
    delay = deregistration_delay(props)
    if delay is None or delay != stop_timeout_seconds:
        violations.append(f"deregistration delay {delay} != the unit's TimeoutStopSec {stop_timeout_seconds}")
    targets = [t["Id"].get("Ref") for t in props.get("Targets", [])]
    instances = [name for name, _ in resources(template, "AWS::EC2::Instance")]
    if sorted(targets) != sorted(instances):
        violations.append(f"targets {targets} are not the instances {instances}")
    listeners = [res["Properties"] for _, res in resources(template, "AWS::ElasticLoadBalancingV2::Listener")]
    if [(l.get("Port"), l.get("Protocol")) for l in listeners] != [(80, "HTTP")]:
        violations.append(f"listeners are {listeners}, expected one HTTP:80")
    return violations


def check_instance_role(template: dict) -> List[str]:
    violations = []
    profiles = list(resources(template, "AWS::IAM::InstanceProfile"))
    if len(profiles) != 1:
        return [f"expected one instance profile, found {len(profiles)}"]
    _, profile = profiles[0]
    role_refs = profile["Properties"].get("Roles", [])
    if len(role_refs) != 1 or "Ref" not in role_refs[0]:
        return [f"the instance profile's roles are {role_refs}, expected one Ref"]
    role = template["Resources"][role_refs[0]["Ref"]]
    props = role["Properties"]
    managed = props.get("ManagedPolicyArns", [])
    ssm_core = {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"}
    if managed != [ssm_core]:
        violations.append(f"managed policies are {managed}, expected SSM core only")
    statements = [s for p in props.get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
    object_arn = {"Fn::Sub": "arn:${AWS::Partition}:s3:::${ArtifactBucket}/${ArtifactKey}"}
    expected = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": object_arn}]
    if statements != expected:
        violations.append(f"inline statements are {statements}, expected GetObject on the one object")
    for other in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::User"):
        if list(resources(template, other)):
            violations.append(f"template creates {other}")
    return violations


REQUIRED_OUTPUTS = ("LoadBalancerDnsName", "InstanceAAddress", "InstanceBAddress", "RedisEndpoint",
                    "TargetGroupArn", "InstanceAId", "InstanceBId", "TargetsPublic", "ExpiresAt")


def check_outputs(template: dict) -> List[str]:
    return [f"output {name} missing" for name in REQUIRED_OUTPUTS if name not in template.get("Outputs", {})]


def resolve(template: dict, node, params: dict):
    """A value as CloudFormation would compute it for these parameters: Ref to a parameter, Fn::Sub
    of a string, Fn::If and Fn::Join. Anything that names a resource (GetAtt, Ref to a resource) is
    left as written, since only a real stack knows it."""
    values = parameter_values(template, params)
    if isinstance(node, dict) and len(node) == 1:
        (fn, arg), = node.items()
        if fn == "Ref" and arg in values:
            return values[arg]
        if fn == "Fn::Sub" and isinstance(arg, str):
            def one(match):
                name = match.group(1)
                if name.startswith("!"):
                    return "${" + name[1:] + "}"
                if name not in values:
                    raise ValueError(f"Fn::Sub names {name}, which is not a parameter")
                return values[name]
            return re.sub(r"\$\{([^}]+)\}", one, arg)
        if fn == "Fn::If":
            branch = arg[1] if evaluate_condition(template, arg[0], params) else arg[2]
            return resolve(template, branch, params)
        if fn == "Fn::Join":
            return arg[0].join(str(resolve(template, part, params)) for part in arg[1])
    return node


def is_created(template: dict, res: dict, params: dict) -> bool:
    """Whether CloudFormation creates this resource for these parameters (its Condition)."""
    condition = res.get("Condition")
    return condition is None or evaluate_condition(template, condition, params)


def walk_strings(node, skip_keys=("Description",)) -> Iterator[str]:
    """Every string value in the template, except descriptions (prose may name what code must not use)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in skip_keys:
                yield from walk_strings(value, skip_keys)
    elif isinstance(node, list):
        for value in node:
            yield from walk_strings(value, skip_keys)
    elif isinstance(node, str):
        yield node


def check_image_id(template: dict) -> List[str]:
    """The AMI is a plain id chosen by the caller, so an update with the same id replaces nothing.
    An SSM-parameter type or a {{resolve:ssm}} reference would be looked up again on every update."""
    violations = []
    param = template.get("Parameters", {}).get("ImageId")
    if param is None:
        return ["no ImageId parameter"]
    if param.get("Type") != "AWS::EC2::Image::Id":
        violations.append(f"ImageId is of type {param.get('Type')}, not AWS::EC2::Image::Id")
    if "Default" in param:
        violations.append(f"ImageId has a default ({param['Default']}): the caller must choose the AMI")
    for name, res in resources(template, "AWS::EC2::Instance"):
        if res["Properties"].get("ImageId") != {"Ref": "ImageId"}:
            violations.append(f"{name} takes its image from {res['Properties'].get('ImageId')}, not ImageId")
    for name, p in template.get("Parameters", {}).items():
        if "SSM" in str(p.get("Type")):
            violations.append(f"parameter {name} is resolved from SSM ({p['Type']})")
    for value in walk_strings(template):
        if "resolve:ssm" in value or "/aws/service/" in value:
            violations.append(f"an SSM lookup is left in the template: {value[:80]!r}")
    return violations


def check_public_ipv4(template: dict) -> List[str]:
    """Each instance asks for a public IPv4 address itself, whatever the subnet's auto-assign says."""
    violations = []
    for name, res in resources(template, "AWS::EC2::Instance"):
        props = res["Properties"]
        for key in ("SubnetId", "SecurityGroupIds", "SecurityGroups"):
            if key in props:
                violations.append(f"{name} sets {key} beside its network interface")
        nics = props.get("NetworkInterfaces", [])
        if len(nics) != 1:
            violations.append(f"{name} has {len(nics)} network interfaces, expected 1")
            continue
        nic = nics[0]
        if str(nic.get("DeviceIndex")) != "0":
            violations.append(f"{name}'s interface is not the primary one (DeviceIndex {nic.get('DeviceIndex')})")
        if nic.get("AssociatePublicIpAddress") is not True:
            violations.append(f"{name} does not ask for a public IPv4 address (AssociatePublicIpAddress)")
        if nic.get("GroupSet") != [{"Fn::GetAtt": ["InstanceSecurityGroup", "GroupId"]}]:
            violations.append(f"{name}'s interface is in {nic.get('GroupSet')}, not InstanceSecurityGroup alone")
        if not nic.get("SubnetId"):
            violations.append(f"{name}'s interface names no subnet")
    return violations


def boot_script(res: dict) -> Tuple[str, dict]:
    """An instance's user data: the script text of its Fn::Sub, and the variables it is given."""
    user_data = res["Properties"]["UserData"]["Fn::Base64"]["Fn::Sub"]
    if isinstance(user_data, str):
        return user_data, {}
    return user_data[0], user_data[1]


def check_creation_policy(template: dict, timeout: str = "PT15M") -> List[str]:
    """Each instance is created only when it signals, once, and signals as itself."""
    violations = []
    for name, res in resources(template, "AWS::EC2::Instance"):
        signal = res.get("CreationPolicy", {}).get("ResourceSignal")
        if signal is None:
            violations.append(f"{name} has no CreationPolicy.ResourceSignal")
            continue
        if str(signal.get("Count")) != "1" or signal.get("Timeout") != timeout:
            violations.append(f"{name} waits for {signal}, expected Count 1, Timeout {timeout}")
        script, variables = boot_script(res)
        if "cfn-signal" not in script:
            violations.append(f"{name}'s user data never calls cfn-signal")
        if variables.get("Resource") != name:
            violations.append(f"{name}'s user data signals {variables.get('Resource')!r}, not {name!r}")
    return violations


# What deleting each resource type takes (the call that removes it). A type missing here is one the
# scheduled deletion was never checked to be able to delete.
DELETE_ACTION = {
    "AWS::EC2::Instance": "ec2:TerminateInstances",
    "AWS::EC2::SecurityGroup": "ec2:DeleteSecurityGroup",
    "AWS::EC2::SecurityGroupIngress": "ec2:RevokeSecurityGroupIngress",
    "AWS::ElastiCache::ReplicationGroup": "elasticache:DeleteReplicationGroup",
    "AWS::ElastiCache::SubnetGroup": "elasticache:DeleteCacheSubnetGroup",
    "AWS::ElasticLoadBalancingV2::LoadBalancer": "elasticloadbalancing:DeleteLoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup": "elasticloadbalancing:DeleteTargetGroup",
    "AWS::ElasticLoadBalancingV2::Listener": "elasticloadbalancing:DeleteListener",
    "AWS::IAM::Role": "iam:DeleteRole",
    "AWS::IAM::InstanceProfile": "iam:DeleteInstanceProfile",
    "AWS::Scheduler::Schedule": "scheduler:DeleteSchedule",
}
CALLED_VIA_CLOUDFORMATION = {"ForAnyValue:StringEquals": {"aws:CalledVia": "cloudformation.amazonaws.com"}}


def listed(value) -> list:
    return value if isinstance(value, list) else [value]


def created_schedules(template: dict, params: dict) -> List[Tuple[str, dict]]:
    return [(name, res) for name, res in resources(template, "AWS::Scheduler::Schedule")
            if is_created(template, res, params)]


def check_expiry_schedule(template: dict, expires_at: str) -> List[str]:
    """With ExpiresAt set, one schedule calls DeleteStack on this very stack at that time (UTC), with
    a role that may do exactly that and what the deletion takes; with it empty, no schedule."""
    if created_schedules(template, {"ExpiresAt": ""}):
        return ["a schedule is created with ExpiresAt empty (no expiry asked for)"]
    params = {"ExpiresAt": expires_at}
    schedules = created_schedules(template, params)
    if len(schedules) != 1:
        return [f"{len(schedules)} schedules with ExpiresAt={expires_at}, expected 1"]
    violations = []
    name, schedule = schedules[0]
    props = schedule["Properties"]
    expression = resolve(template, props.get("ScheduleExpression"), params)
    if expression != f"at({expires_at})":
        violations.append(f"{name} runs at {expression!r}, not at({expires_at})")
    if props.get("ScheduleExpressionTimezone") != "UTC":
        violations.append(f"{name}'s time zone is {props.get('ScheduleExpressionTimezone')}, not UTC")
    if props.get("FlexibleTimeWindow") != {"Mode": "OFF"}:
        violations.append(f"{name} may run late: FlexibleTimeWindow {props.get('FlexibleTimeWindow')}")
    if props.get("State", "ENABLED") != "ENABLED":
        violations.append(f"{name} is {props.get('State')}")
    target = props.get("Target", {})
    arn = resolve(template, target.get("Arn"), params)
    if arn != "arn:aws:scheduler:::aws-sdk:cloudformation:deleteStack":
        violations.append(f"{name} calls {arn}, not CloudFormation's DeleteStack")
    try:
        stack = json.loads(resolve(template, target.get("Input"), params)).get("StackName")
    except (TypeError, ValueError) as error:
        stack = f"unreadable input ({error})"
    if stack not in (PSEUDO["AWS::StackName"], PSEUDO["AWS::StackId"]):
        violations.append(f"{name} deletes stack {stack!r}, not this one")
    role_name = group_ref(target.get("RoleArn"))
    role = template["Resources"].get(role_name or "", {})
    if role.get("Type") != "AWS::IAM::Role" or not is_created(template, role, params):
        return violations + [f"{name}'s role {target.get('RoleArn')} is not a role of this stack"]
    violations += check_expiry_role(template, role_name, role)
    return violations


def check_expiry_role(template: dict, name: str, role: dict) -> List[str]:
    violations = []
    trust = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    principals = [s.get("Principal") for s in trust]
    if principals != [{"Service": "scheduler.amazonaws.com"}]:
        violations.append(f"{name} may be assumed by {principals}, not EventBridge Scheduler alone")
    if role.get("DeletionPolicy") != "Retain":
        violations.append(f"{name} is deleted with the stack, so the deletion it runs loses its "
                          f"permissions before it ends (DeletionPolicy {role.get('DeletionPolicy')})")
    statements = [s for p in role["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]]
    if role["Properties"].get("ManagedPolicyArns"):
        violations.append(f"{name} has managed policies: {role['Properties']['ManagedPolicyArns']}")
    allowed = set()
    for s in statements:
        actions = listed(s["Action"])
        if s.get("Effect") != "Allow":
            continue
        if actions == ["cloudformation:DeleteStack"]:
            if s.get("Resource") != {"Ref": "AWS::StackId"} or "Condition" in s:
                violations.append(f"{name} may delete {s.get('Resource')}, not this stack alone")
            continue
        for action in actions:
            if action.startswith("cloudformation:"):
                violations.append(f"{name} may call {action}")
            if re.match(r"[a-z0-9-]+:(Create|Put|Run|Modify|Update|Attach|Authorize|Pass|\*)", action):
                violations.append(f"{name} may create or change things: {action}")
        if s.get("Condition") != CALLED_VIA_CLOUDFORMATION:
            violations.append(f"{name} may call {actions} outside CloudFormation (Condition {s.get('Condition')})")
        allowed.update(actions)
    if not any(listed(s["Action"]) == ["cloudformation:DeleteStack"] for s in statements):
        violations.append(f"{name} may not call DeleteStack")
    for res_name, res in template["Resources"].items():
        if res_name == name:
            continue
        needed = DELETE_ACTION.get(res["Type"])
        if needed is None:
            violations.append(f"{res_name} ({res['Type']}): no known delete permission; add it to "
                              f"DELETE_ACTION and to {name}")
        elif needed not in allowed:
            violations.append(f"{name} cannot delete {res_name}: {needed} not allowed")
    return violations
