"""`status`, `check`, and what the command explains instead of failing obscurely: no credentials,
no region, a stack that cannot be updated."""
import subprocess

from awskit import REPO_ROOT, run_cli, stack_outputs


def test_status_shows_state_targets_seed_and_expiry(fake_aws, up_args, seed_behind_alb):
    from testkit import post_seed
    assert run_cli("up", *up_args).code == 0
    assert post_seed(seed_behind_alb, 42)[0] == 200
    outputs = stack_outputs()
    run = run_cli("status")
    assert run.code == 0, run
    assert "stack seedkeeper (us-east-1): CREATE_COMPLETE" in run.stdout
    assert f"target {outputs['InstanceAId']}: healthy" in run.stdout
    assert f"target {outputs['InstanceBId']}: healthy" in run.stdout
    assert f"seed via {seed_behind_alb}: 42 (served by behind-alb)" in run.stdout
    assert f"expires: {outputs['ExpiresAt']} UTC (in 47 h" in run.stdout


def test_status_without_a_stack_fails(fake_aws):
    run = run_cli("status")
    assert run.code == 1 and "none in us-east-1" in run.stdout


def test_no_credentials(fake_aws, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    run = run_cli("status")
    assert run.code == 1
    assert "no usable AWS credentials" in run.stderr and "aws configure" in run.stderr


def test_no_region(fake_aws, monkeypatch):
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    run = run_cli("status")
    assert run.code == 1 and "no AWS region" in run.stderr and "--region" in run.stderr


def test_a_stack_stuck_in_rollback_is_not_updated(fake_aws, up_args, seed_behind_alb):
    from moto.cloudformation.models import cloudformation_backends
    assert run_cli("up", *up_args).code == 0
    # moto never rolls back; this is the state a failed creation leaves on AWS.
    stack = next(iter(cloudformation_backends["123456789012"]["us-east-1"].stacks.values()))
    stack.status = "ROLLBACK_COMPLETE"
    events = len(stack.events)
    run = run_cli("up", *up_args, "--public-targets", "--yes")
    assert run.code == 1, run
    assert "stuck in ROLLBACK_COMPLETE" in run.stderr and "seedkeeper-aws down" in run.stderr
    assert len(stack.events) == events


def test_check_runs_seed_check_against_the_load_balancer(fake_aws, up_args, seed_behind_alb, monkeypatch):
    seed_check = REPO_ROOT / ".build" / "debug" / "seed-check"
    assert seed_check.exists(), "seed-check not built: `make test` builds it before pytest"
    monkeypatch.setenv("SEED_CHECK_BIN", str(seed_check))
    assert run_cli("up", *up_args).code == 0
    run = run_cli("check")
    assert f"+ {seed_check} --lb {seed_behind_alb}" in run.stderr
    assert "checking the load balancer only" in run.stderr
    direct = subprocess.run([str(seed_check), "--lb", seed_behind_alb], capture_output=True, text=True,
                            timeout=300)
    assert run.code == direct.returncode


def test_check_without_a_stack_says_run_up(fake_aws, monkeypatch):
    monkeypatch.setenv("SEED_CHECK_BIN", "/bin/true")
    run = run_cli("check")
    assert run.code == 1 and "seedkeeper-aws up' first" in run.stderr
