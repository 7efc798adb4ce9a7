"""The stack's own expiry: with ExpiresAt set, EventBridge Scheduler calls CloudFormation's
DeleteStack on this stack at that time; with it empty, nothing is scheduled. Checked on the template
with its Conditions evaluated for both cases, and shown to catch the mistakes it is for."""
import copy
import re

import pytest

from moto_template import load_template
from template_policy import PSEUDO, check_expiry_schedule, resolve

EXPIRES_AT = "2026-12-02T20:30:00"


@pytest.fixture(scope="module")
def template():
    return load_template()


def test_schedule_deletes_this_stack_at_expires_at_and_only_then(template):
    assert check_expiry_schedule(template, EXPIRES_AT) == []


def test_expires_at_accepts_empty_or_a_utc_time_and_nothing_else(template):
    param = template["Parameters"]["ExpiresAt"]
    assert param["Default"] == ""
    pattern = param["AllowedPattern"]
    for good in ("", EXPIRES_AT, "2027-01-31T00:00:00"):
        assert re.fullmatch(pattern, good), good
    for bad in ("2026-12-02 20:30:00", "2026-12-02T20:30", "2026-12-02T20:30:00Z", "tomorrow",
                "at(2026-12-02T20:30:00)"):
        assert not re.fullmatch(pattern, bad), bad


def test_output_says_when_or_never(template):
    value = template["Outputs"]["ExpiresAt"]["Value"]
    assert resolve(template, value, {}) == "never"
    assert resolve(template, value, {"ExpiresAt": EXPIRES_AT}) == EXPIRES_AT


def altered(template, change):
    bad = copy.deepcopy(template)
    change(bad["Resources"])
    return check_expiry_schedule(bad, EXPIRES_AT)


def test_a_schedule_without_the_condition_is_caught(template):
    def drop(r):
        del r["StackExpiry"]["Condition"]
    assert altered(template, drop) == ["a schedule is created with ExpiresAt empty (no expiry asked for)"]


def test_another_stack_or_time_or_action_is_caught(template):
    def other_stack(r):
        r["StackExpiry"]["Properties"]["Target"]["Input"] = '{"StackName": "someone-else"}'
    assert any("deletes stack 'someone-else'" in v for v in altered(template, other_stack))

    def local_time(r):
        r["StackExpiry"]["Properties"]["ScheduleExpressionTimezone"] = "Europe/Paris"
    assert any("time zone" in v for v in altered(template, local_time))

    def later(r):
        r["StackExpiry"]["Properties"]["FlexibleTimeWindow"] = {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 60}
    assert any("may run late" in v for v in altered(template, later))

    def update_instead(r):
        r["StackExpiry"]["Properties"]["Target"]["Arn"] = {
            "Fn::Sub": "arn:${AWS::Partition}:scheduler:::aws-sdk:cloudformation:updateStack"}
    assert any("not CloudFormation's DeleteStack" in v for v in altered(template, update_instead))


def statements(resources):
    return resources["StackExpiryRole"]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]


def test_a_role_that_could_not_finish_the_deletion_is_caught(template):
    def deleted_with_the_stack(r):
        del r["StackExpiryRole"]["DeletionPolicy"]
    assert any("loses its permissions" in v for v in altered(template, deleted_with_the_stack))

    def no_redis_delete(r):
        for s in statements(r):
            if isinstance(s["Action"], list) and "elasticache:DeleteReplicationGroup" in s["Action"]:
                s["Action"].remove("elasticache:DeleteReplicationGroup")
    assert any("cannot delete RedisReplicationGroup" in v for v in altered(template, no_redis_delete))

    def new_resource_type(r):
        r["Queue"] = {"Type": "AWS::SQS::Queue", "Properties": {}}
    assert any("Queue (AWS::SQS::Queue): no known delete permission" in v
               for v in altered(template, new_resource_type))


def test_a_role_with_more_than_the_deletion_is_caught(template):
    def any_stack(r):
        statements(r)[0]["Resource"] = "*"
    assert any("not this stack alone" in v for v in altered(template, any_stack))

    def outside_cloudformation(r):
        del statements(r)[1]["Condition"]
    assert any("outside CloudFormation" in v for v in altered(template, outside_cloudformation))

    def can_create(r):
        statements(r)[1]["Action"].append("ec2:RunInstances")
    assert any("create or change things: ec2:RunInstances" in v for v in altered(template, can_create))

    def anyone(r):
        r["StackExpiryRole"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] = {
            "AWS": {"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}}
    assert any("not EventBridge Scheduler alone" in v for v in altered(template, anyone))


def test_the_role_is_found_by_its_path_after_the_stack_is_gone(template):
    # The role outlives the stack (see the template); down finds it under this path.
    path = resolve(template, template["Resources"]["StackExpiryRole"]["Properties"]["Path"], {})
    assert path == f"/seedkeeper/{PSEUDO['AWS::StackName']}/"
