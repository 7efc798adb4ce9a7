"""What no linter knows about the seedkeeper stack: each check returns the list of its violations.

The template is read as CloudFormation reads it (cfn-lint's decoder: !Ref becomes {"Ref": ...}).
"""
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


def evaluate_condition(template: dict, name: str, params: dict) -> bool:
    """Evaluates a condition for the given parameter values (defaults for the rest)."""
    values = {k: str(v.get("Default", "")) for k, v in template.get("Parameters", {}).items()}
    values.update(params)

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


def check_imdsv2(template: dict) -> List[str]:
    violations = []
    instances = list(resources(template, "AWS::EC2::Instance"))
    if len(instances) != 2:
        violations.append(f"expected 2 instances, found {len(instances)}")
    for name, res in instances:
        if res["Properties"].get("MetadataOptions", {}).get("HttpTokens") != "required":
            violations.append(f"{name} does not require IMDSv2 (MetadataOptions.HttpTokens)")
    subnets = {str(res["Properties"].get("SubnetId")) for _, res in instances}
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
    roles = list(resources(template, "AWS::IAM::Role"))
    if len(roles) != 1:
        return [f"expected one role, found {len(roles)}"]
    _, role = roles[0]
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
                    "TargetGroupArn", "InstanceAId", "InstanceBId", "TargetsPublic")


def check_outputs(template: dict) -> List[str]:
    return [f"output {name} missing" for name in REQUIRED_OUTPUTS if name not in template.get("Outputs", {})]
