"""The change-set preview as printed from what CloudFormation answers. moto's change sets carry no
`Changes` (test_aws_moto_gaps.py), so these feed the renderer a DescribeChangeSet answer in the
shape AWS documents (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_ResourceChange.html,
and the example in using-cfn-updating-stacks-changesets-samples.html); the end-to-end tests in
test_aws_cli_up.py cover the parameter lines, which moto does let through."""
from seedkeeper_aws import changeset


def resource_change(action, name, kind, replacement="False", targets=()):
    return {"Type": "Resource", "ResourceChange": {
        "Action": action, "LogicalResourceId": name, "ResourceType": kind, "Replacement": replacement,
        "Scope": ["Properties"] if targets else [],
        "Details": [{"Target": {"Attribute": "Properties", "Name": t, "RequiresRecreation": "Never"},
                     "Evaluation": "Static", "ChangeSource": "DirectModification"} for t in targets]}}


def test_an_instance_replacement_is_flagged():
    lines, disrupts = changeset.render(
        [resource_change("Modify", "InstanceA", "AWS::EC2::Instance", "True", ["ImageId"]),
         resource_change("Modify", "InstanceB", "AWS::EC2::Instance", "True", ["ImageId"])],
        [("ImageId", "ami-0aaaaaaaaaaaaaaaa", "ami-0bbbbbbbbbbbbbbbb")])
    text = "\n".join(lines)
    assert disrupts
    assert "ImageId: ami-0aaaaaaaaaaaaaaaa -> ami-0bbbbbbbbbbbbbbbb" in text
    replaced = [line for line in lines if "REPLACED" in line and "Instance" in line and "Modify" in line]
    assert len(replaced) == 2 and all("address changes" in line for line in replaced), text


def test_a_user_data_change_is_flagged_as_a_restart():
    lines, disrupts = changeset.render(
        [resource_change("Modify", "InstanceA", "AWS::EC2::Instance", "False", ["UserData"])], [])
    assert disrupts and any("RESTARTED" in line and "InstanceA" in line for line in lines), lines


def test_a_security_group_rule_alone_disrupts_nothing():
    lines, disrupts = changeset.render(
        [resource_change("Add", "InstanceIngressFromTargetAccessCidr", "AWS::EC2::SecurityGroupIngress")],
        [("TargetAccessCidr", "", "0.0.0.0/0")])
    assert not disrupts
    assert any("Add" in line and "InstanceIngressFromTargetAccessCidr" in line for line in lines), lines


def test_a_new_artifact_key_warns_and_points_at_ship():
    lines, disrupts = changeset.render([], [("ArtifactKey", "artifacts/a.tar.gz", "artifacts/b.tar.gz")])
    assert disrupts and "seedkeeper-aws ship" in "\n".join(lines)
