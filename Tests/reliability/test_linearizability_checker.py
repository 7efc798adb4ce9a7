"""The linearizability checker on histories whose answer is known, and against an exhaustive search."""
import random

import pytest

from .linearizability import INFINITY, check, read, write
from .linearizability_reference import is_linearizable

# ---- known good histories -------------------------------------------------------------------


def test_empty_history_is_linearizable():
    assert check([]).linearizable


def test_sequential_writes_and_reads():
    h = [write(1, 0, 1), read(1, 2, 3), write(2, 4, 5), read(2, 6, 7)]
    assert check(h).linearizable


def test_reads_of_the_initial_value_before_any_write():
    h = [read(0, 0, 1), write(5, 2, 3), read(5, 4, 5)]
    assert check(h).linearizable


def test_custom_initial_value():
    assert check([read(42, 0, 1)], initial=42).linearizable
    assert not check([read(42, 0, 1)]).linearizable


def test_concurrent_read_may_see_old_or_new_value():
    # The read overlaps the write: both outcomes are allowed.
    for seen in (0, 7):
        assert check([write(7, 0, 10), read(seen, 1, 2, client=1)]).linearizable


def test_concurrent_writes_in_either_order():
    h = [write(1, 0, 10, client=0), write(2, 1, 9, client=1),
         read(1, 11, 12), read(1, 13, 14)]
    assert check(h).linearizable
    h = [write(1, 0, 10, client=0), write(2, 1, 9, client=1), read(2, 11, 12)]
    assert check(h).linearizable


def test_read_may_see_a_write_invoked_before_it_responds():
    # The write starts during the read and finishes later: linearize write, then read.
    assert check([read(3, 0, 5, client=1), write(3, 4, 20, client=0)]).linearizable


def test_unknown_write_may_have_happened():
    h = [write(9, 0, None), read(9, 5, 6, client=1), read(9, 7, 8, client=1)]
    assert check(h).linearizable


def test_unknown_write_may_not_have_happened():
    h = [write(9, 0, None), read(0, 5, 6, client=1), read(0, 7, 8, client=1)]
    assert check(h).linearizable


def test_unknown_write_may_take_effect_long_after_its_invocation():
    # A request stuck in a retry can land late: 0, then 1, then the unknown 9.
    h = [write(9, 0, None), read(0, 5, 6, client=1), write(1, 7, 8, client=1),
         read(1, 9, 10, client=1), read(9, 11, 12, client=1)]
    assert check(h).linearizable


# ---- known bad histories --------------------------------------------------------------------


def test_stale_read_after_a_completed_write():
    v = check([write(1, 0, 1), write(2, 2, 3), read(1, 4, 5, client=1)])
    assert not v.linearizable
    assert "value 1" in v.explain() and "value 2" in v.explain()


def test_read_of_initial_value_after_a_completed_write():
    assert not check([write(1, 0, 1), read(0, 2, 3, client=1)]).linearizable


def test_read_of_a_value_nobody_wrote():
    v = check([write(1, 0, 1), read(77, 2, 3, client=1, index=5)])
    assert not v.linearizable
    assert "nobody wrote" in v.explain() and "#5" in v.explain()


def test_read_from_the_future():
    v = check([read(4, 0, 1, client=1), write(4, 2, 3)])
    assert not v.linearizable
    assert "before its write was invoked" in v.explain()


def test_values_flip_back_and_forth():
    # Each client sees a different order of two writes: no single order explains both.
    h = [write(1, 0, 2, client=0), write(2, 0, 2, client=1),
         read(1, 3, 4, client=2), read(2, 5, 6, client=2),
         read(1, 7, 8, client=3)]
    assert not check(h).linearizable


def test_write_hidden_inside_another_values_stretch():
    # 1 must be current from t=1 to t=10; 2 was written and read entirely inside that stretch.
    h = [write(1, 0, 1), write(2, 2, 5, client=1), read(2, 3, 4, client=2),
         read(1, 10, 11, client=3)]
    v = check(h)
    assert not v.linearizable
    assert "entirely while another" in v.explain()


def test_lost_acknowledged_write():
    # Two instances each with their own memory: a write acknowledged by one is never seen.
    h = [write(1, 0, 1, target="a"), read(0, 2, 3, client=1, target="b"),
         read(1, 4, 5, target="a")]
    assert not check(h).linearizable


def test_unknown_write_cannot_explain_a_read_before_its_invocation():
    assert not check([read(9, 0, 1, client=1), write(9, 2, None)]).linearizable


def test_duplicate_write_values_are_refused():
    with pytest.raises(ValueError, match="unique"):
        check([write(1, 0, 1), write(1, 2, 3)])


def test_failure_message_names_the_offending_operations():
    h = [write(1, 0, 1, index=0), write(2, 2, 3, index=1), read(1, 4, 5, client=1, index=2)]
    text = check(h).explain()
    for needle in ("#0", "#1", "#2", "NOT linearizable"):
        assert needle in text


# ---- agreement with an exhaustive search on random small histories --------------------------


def _random_history(rng: random.Random, atomic: bool):
    """Random overlapping operations from a few clients. With `atomic`, reads return what an
    atomic register would (a linearization point is drawn inside each interval), else random."""
    ops, points = [], []
    next_value = 1
    for client in range(rng.randint(1, 3)):
        t = rng.random()
        for _ in range(rng.randint(1, 3)):
            start = t + rng.random()
            end = start + rng.random() * 2
            t = end
            unknown = rng.random() < 0.15
            if rng.random() < 0.5:
                ops.append(["write", next_value, start, None if unknown else end, client])
                next_value += 1
            else:
                ops.append(["read", None, start, end, client])
            points.append(rng.uniform(start, end) if not unknown or rng.random() < 0.5
                          else None)
    if atomic:
        current = 0
        for i in sorted((i for i, p in enumerate(points) if p is not None),
                        key=lambda i: points[i]):
            if ops[i][0] == "write":
                current = ops[i][1]
            else:
                ops[i][1] = current
        # A read that was not linearized (point None) can only come from an unknown write.
        ops = [o for o, p in zip(ops, points) if p is not None or o[0] == "write"]
    else:
        for o in ops:
            if o[0] == "read":
                o[1] = rng.randint(0, next_value)  # next_value itself was never written
    return [write(v, s, e, client=c) if k == "write" else read(v, s, e, client=c)
            for k, v, s, e, c in ops]


def test_histories_of_an_atomic_register_are_linearizable():
    rng = random.Random(1997)
    for _ in range(2000):
        h = _random_history(rng, atomic=True)
        verdict = check(h)
        assert verdict.linearizable, verdict.explain()


def test_agrees_with_exhaustive_search_on_random_histories():
    rng = random.Random(2011)
    seen = {True: 0, False: 0}
    for _ in range(4000):
        h = _random_history(rng, atomic=rng.random() < 0.3)
        expected = is_linearizable(h)
        seen[expected] += 1
        assert check(h).linearizable == expected, "\n".join(op.describe() for op in h)
    # Both answers must be well represented, or this test proves little.
    assert seen[True] > 500 and seen[False] > 500, seen


def test_reference_search_itself_on_known_cases():
    assert is_linearizable([write(1, 0, 1), read(1, 2, 3)])
    assert not is_linearizable([write(1, 0, 1), write(2, 2, 3), read(1, 4, 5)])
    assert is_linearizable([write(9, 0, INFINITY), read(0, 5, 6)])
