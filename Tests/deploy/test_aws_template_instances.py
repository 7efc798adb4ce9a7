"""The instances as the template declares them: a pinned AMI id, a public IPv4 address asked for
explicitly, and creation that waits for the instance to say it serves (CreationPolicy + cfn-signal).
Each check is shown to catch the mistake it is for on an altered copy."""
import copy

import pytest

from moto_template import load_template
from template_policy import check_creation_policy, check_image_id, check_public_ipv4


@pytest.fixture(scope="module")
def template():
    return load_template()


def test_image_is_a_plain_ami_id_with_no_ssm_lookup_left(template):
    assert check_image_id(template) == []


def test_an_ssm_resolved_image_is_caught(template):
    bad = copy.deepcopy(template)
    bad["Parameters"]["ImageId"] = {
        "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
        "Default": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"}
    found = check_image_id(bad)
    assert any("not AWS::EC2::Image::Id" in v for v in found)
    assert any("has a default" in v for v in found)
    bad = copy.deepcopy(template)
    bad["Resources"]["InstanceB"]["Properties"]["ImageId"] = (
        "{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}")
    found = check_image_id(bad)
    assert any("InstanceB takes its image from" in v for v in found)
    assert any("an SSM lookup is left" in v for v in found)


def test_public_ipv4_is_requested_on_both_instances(template):
    assert check_public_ipv4(template) == []


def test_relying_on_the_subnets_auto_assign_is_caught(template):
    bad = copy.deepcopy(template)
    props = bad["Resources"]["InstanceA"]["Properties"]
    nic = props.pop("NetworkInterfaces")[0]
    props["SubnetId"], props["SecurityGroupIds"] = nic["SubnetId"], nic["GroupSet"]
    assert any("InstanceA has 0 network interfaces" in v for v in check_public_ipv4(bad))
    bad = copy.deepcopy(template)
    bad["Resources"]["InstanceB"]["Properties"]["NetworkInterfaces"][0]["AssociatePublicIpAddress"] = False
    assert check_public_ipv4(bad) == ["InstanceB does not ask for a public IPv4 address (AssociatePublicIpAddress)"]


def test_instances_wait_for_their_own_signal(template):
    assert check_creation_policy(template) == []


def test_missing_or_misdirected_signal_is_caught(template):
    bad = copy.deepcopy(template)
    del bad["Resources"]["InstanceA"]["CreationPolicy"]
    assert check_creation_policy(bad) == ["InstanceA has no CreationPolicy.ResourceSignal"]
    bad = copy.deepcopy(template)
    # InstanceB's script signalling InstanceA would leave B waiting out its timeout.
    bad["Resources"]["InstanceB"]["Properties"]["UserData"]["Fn::Base64"]["Fn::Sub"][1]["Resource"] = "InstanceA"
    assert check_creation_policy(bad) == ["InstanceB's user data signals 'InstanceA', not 'InstanceB'"]
