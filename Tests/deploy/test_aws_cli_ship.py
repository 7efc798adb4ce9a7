"""`seedkeeper-aws ship`: a new build onto the running instances one at a time, through the target
group's drain and SSM Run Command, leaving the stack (and so the instances and their addresses)
as it was. moto runs no command on an instance (it answers Success at once) and does not drain,
so this shows the order of the steps and what each instance is sent; a real account shows the rest."""
from awskit import client, instances, run_cli, stack_outputs, stack_parameters


def test_ship_installs_on_one_instance_at_a_time_and_leaves_the_stack_alone(
        fake_aws, up_args, seed_behind_alb, tmp_path):
    assert run_cli("up", *up_args).code == 0
    params_before, instances_before = stack_parameters(), instances()
    events_before = len(client("cloudformation").describe_stack_events(StackName="seedkeeper")["StackEvents"])
    new_build = tmp_path / "seedkeeper-x86_64.tar.gz"
    new_build.write_bytes(open(up_args[1], "rb").read() + b"\0")  # other bytes, another key

    run = run_cli("ship", "--artifact", str(new_build))
    assert run.code == 0, run
    outputs = stack_outputs()
    a, b = outputs["InstanceAId"], outputs["InstanceBId"]

    # One command per instance (named in its comment: moto's ListCommands gives every command all
    # instance ids, test_aws_moto_gaps.py), each fetching the new object by a presigned URL.
    commands = client("ssm").list_commands()["Commands"]
    assert sorted(c["Comment"] for c in commands) == sorted([f"seedkeeper ship to {a}", f"seedkeeper ship to {b}"])
    new_keys = {o["Key"] for o in client("s3").list_objects_v2(
        Bucket=params_before["ArtifactBucket"])["Contents"]} - {params_before["ArtifactKey"]}
    assert len(new_keys) == 1
    for command in commands:
        script = command["Parameters"]["commands"][0]
        assert next(iter(new_keys)) in script and "X-Amz-Signature" in script
        assert "install.sh" in script

    # Each left the load balancer before its install and came back before the next one started.
    lines = run.stderr.splitlines()
    order = [i for i, line in enumerate(lines) for mark in
             (f"{a}: out of", f"{a}: installing", f"{a}: healthy", f"{b}: out of", f"{b}: installing", f"{b}: healthy")
             if line.startswith(mark)]
    assert order == sorted(order) and len(order) == 6, run.stderr

    # Both serve again; the stack, its instances and their addresses are unchanged.
    health = client("elbv2").describe_target_health(TargetGroupArn=outputs["TargetGroupArn"])
    assert sorted(d["TargetHealth"]["State"] for d in health["TargetHealthDescriptions"]) == ["healthy", "healthy"]
    assert stack_parameters() == params_before and instances() == instances_before
    assert len(client("cloudformation").describe_stack_events(StackName="seedkeeper")["StackEvents"]) == events_before


def test_ship_without_a_stack_says_run_up(fake_aws, up_args):
    run = run_cli("ship", "--artifact", up_args[1])
    assert run.code == 1 and "seedkeeper-aws up' first" in run.stderr
