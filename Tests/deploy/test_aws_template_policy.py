"""The stack's security and wiring rules, checked on the template itself (and shown to catch the
mistakes they are for, on altered copies)."""
import copy
import re
from pathlib import Path

import pytest

from moto_template import load_template
from template_policy import (boot_script, check_closed_by_default, check_imdsv2, check_instance_role,
                             check_outputs, check_security_groups, check_target_group,
                             deregistration_delay)

REPO_ROOT = Path(__file__).resolve().parents[2]
UNIT = REPO_ROOT / "deploy" / "systemd" / "seedkeeper.service"


@pytest.fixture(scope="module")
def template():
    return load_template()


def unit_setting(name: str) -> str:
    match = re.search(rf"^{name}=(.*)$", UNIT.read_text(), re.MULTILINE)
    assert match, f"{name} not set in {UNIT.name}"
    return match.group(1).strip()


def stop_timeout() -> int:
    return int(unit_setting("TimeoutStopSec"))


def test_security_groups_form_the_tier_chain_and_nothing_else(template):
    assert check_security_groups(template) == []


def test_world_open_ssh_is_caught(template):
    bad = copy.deepcopy(template)
    bad["Resources"]["InstanceSecurityGroup"]["Properties"]["SecurityGroupIngress"] = [
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]
    assert any("22" in v and "0.0.0.0/0" in v for v in check_security_groups(bad))


def test_unconditional_target_access_is_caught(template):
    bad = copy.deepcopy(template)
    del bad["Resources"]["InstanceIngressFromTargetAccessCidr"]["Condition"]
    assert check_security_groups(bad)


def test_redis_open_to_the_alb_is_caught(template):
    bad = copy.deepcopy(template)
    bad["Resources"]["RedisIngressFromInstances"]["Properties"]["SourceSecurityGroupId"] = {
        "Fn::GetAtt": ["AlbSecurityGroup", "GroupId"]}
    assert check_security_groups(bad)


def test_no_ssh_and_no_direct_target_access_by_default(template):
    assert check_closed_by_default(template) == []


def test_imdsv2_required_on_both_instances_in_two_subnets(template):
    assert check_imdsv2(template) == []
    bad = copy.deepcopy(template)
    bad["Resources"]["InstanceB"]["Properties"]["MetadataOptions"]["HttpTokens"] = "optional"
    assert check_imdsv2(bad) == ["InstanceB does not require IMDSv2 (MetadataOptions.HttpTokens)"]


def test_target_group_health_check_and_draining_match_the_server(template):
    assert check_target_group(template, stop_timeout()) == []
    # Draining longer than systemd waits before SIGKILL would be time the server cannot use.
    assert check_target_group(template, stop_timeout() + 1)
    bad = copy.deepcopy(template)
    bad["Resources"]["TargetGroup"]["Properties"]["Port"] = 80
    bad["Resources"]["TargetGroup"]["Properties"]["HealthCheckPath"] = "/health"
    assert len(check_target_group(bad, stop_timeout())) == 2


def drain_seconds() -> float:
    name, _, value = unit_setting("Environment").partition("=")
    assert name == "SEEDKEEPER_DRAIN_SECONDS", unit_setting("Environment")
    return float(value)


def test_unit_and_server_timeouts_agree():
    # The drain ends, and in-flight requests (bounded by the 500 ms Redis timeout) are answered,
    # well before systemd's SIGKILL.
    assert drain_seconds() + 5 <= stop_timeout()
    assert unit_setting("KillSignal") == "SIGTERM"
    assert unit_setting("Restart") == "always"


def test_drain_outlasts_the_alb_marking_the_target_unhealthy(template):
    # A stopping server refuses connections, so each health check fails at once; the ALB stops
    # routing to it after UnhealthyThresholdCount failures, one interval apart.
    props = template["Resources"]["TargetGroup"]["Properties"]
    marked_unhealthy_within = props["HealthCheckIntervalSeconds"] * props["UnhealthyThresholdCount"]
    assert drain_seconds() >= marked_unhealthy_within + 2, (drain_seconds(), marked_unhealthy_within)


def test_readme_gives_the_templates_deregistration_delay(template):
    # The deploy README states the drain in several places; each must say what the stack does.
    delay = deregistration_delay(template["Resources"]["TargetGroup"]["Properties"])
    readme = " ".join((REPO_ROOT / "deploy" / "aws" / "README.md").read_text().split())
    stated = re.findall(r"deregistration delay (\d+) s|drain (\d+) s|the (\d+) s drain|"
                        r"deregistered instance for the same (\d+) s", readme)
    stated = [int(n) for match in stated for n in match if n]
    assert stated, "the README no longer states the deregistration delay"
    assert len(stated) == 4 and set(stated) == {delay}, (stated, delay)


def test_alb_idle_timeout_is_below_the_servers_keepalive(template):
    attrs = {a["Key"]: a["Value"] for a in
             template["Resources"]["LoadBalancer"]["Properties"]["LoadBalancerAttributes"]}
    assert int(attrs["idle_timeout.timeout_seconds"]) < 75


def test_instance_role_reads_only_the_artifact(template):
    assert check_instance_role(template) == []
    bad = copy.deepcopy(template)
    statement = bad["Resources"]["InstanceRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"][0]
    statement["Resource"] = {"Fn::Sub": "arn:${AWS::Partition}:s3:::${ArtifactBucket}/*"}
    assert check_instance_role(bad)


def test_outputs_present(template):
    assert check_outputs(template) == []


def test_both_instances_boot_the_same_way(template):
    script_a, variables_a = boot_script(template["Resources"]["InstanceA"])
    script_b, variables_b = boot_script(template["Resources"]["InstanceB"])
    assert script_a == script_b
    # The same variables, but for the resource each signals.
    assert {**variables_a, "Resource": None} == {**variables_b, "Resource": None}
    assert (variables_a["Resource"], variables_b["Resource"]) == ("InstanceA", "InstanceB")
    assert 's3://${ArtifactBucket}/${ArtifactKey}' in script_a
    assert '--redis-url "redis://${RedisHost}:${RedisPort}/0"' in script_a
    # Every option the boot script passes is one install.sh knows; install.sh names the server
    # after the instance id, through IMDSv2.
    install = (REPO_ROOT / "deploy" / "ec2" / "install.sh").read_text()
    options = re.findall(r"(--[a-z-]+)", script_a.split("install.sh", 1)[1].split("\n", 1)[0])
    assert options == ["--backend", "--redis-url", "--port"], options
    for option in options:
        assert f"{option})" in install, option
    assert "X-aws-ec2-metadata-token" in install


def test_redis_is_one_node_by_default_in_the_instances_subnets(template):
    props = template["Resources"]["RedisReplicationGroup"]["Properties"]
    assert template["Parameters"]["RedisNodeCount"]["Default"] == 1
    assert props["NumCacheClusters"] == {"Ref": "RedisNodeCount"}
    assert props["SecurityGroupIds"] == [{"Fn::GetAtt": ["RedisSecurityGroup", "GroupId"]}]
    subnets = template["Resources"]["RedisSubnetGroup"]["Properties"]["SubnetIds"]
    assert subnets == [{"Ref": "SubnetA"}, {"Ref": "SubnetB"}]
