"""The deliberately broken stack (both instances with --backend memory): seed-check must fail,
and say why, per instance — the proof that it can fail."""
from stack_harness import json_report, rows_by_id


def test_seed_check_fails_on_instances_that_keep_their_own_seed(broken_stack):
    broken_stack.up()
    table = broken_stack.seed_check()
    assert table.returncode == 1, table.stdout
    assert "target seed-b returned its own value" in table.stdout
    assert "target seed-a returned its own value" in table.stdout
    assert "start both with `--backend redis` and the same `--redis-url`" in table.stdout

    report = json_report(broken_stack.seed_check("--json"))
    assert report["passed"] is False
    rows = rows_by_id(report)
    a, b = broken_stack.target_urls
    for writer, reader, name in ((a, b, "seed-b"), (b, a, "seed-a")):
        row = rows[f"share:{writer}->{reader}"]
        assert row["result"] == "FAIL"
        assert f"target {name} returned its own value" in row["cause"]
        assert "--backend redis" in row["fix"]
    # Through the LB, round robin alternates instances, so the reads disagree with the POST.
    assert rows["lb-read-back"]["result"] == "FAIL"
    assert "each instance keeps its own seed" in rows["lb-read-back"]["cause"]
    # What is not broken still passes: the failure is pinned on the right checks.
    for passing in ("lb-get", f"health:{a}", f"health:{b}", "lb-both-targets", "malformed-refused"):
        assert rows[passing]["result"] == "PASS", rows[passing]
