"""An exhaustive linearizability search (Wing & Gong, with memoised states), for small histories.

Exponential, so only the checker's own tests use it: they compare the fast zone-based checker
with this one on thousands of small random histories.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from .linearizability import INFINITY, Operation


def is_linearizable(history: Sequence[Operation], initial: int = 0) -> bool:
    ops = tuple(history)
    # A write whose outcome is unknown may be linearized anywhere after its invocation, or never.
    required = frozenset(i for i, op in enumerate(ops) if op.completed != INFINITY)

    @lru_cache(maxsize=None)
    def search(done: frozenset, value: int) -> bool:
        if required <= done:
            return True
        pending = [i for i in range(len(ops)) if i not in done]
        # The next operation must be invoked before every pending operation has responded.
        deadline = min(ops[i].completed for i in pending)
        for i in pending:
            op = ops[i]
            if op.invoked > deadline:
                continue
            if op.kind == "read":
                if op.value == value and search(done | {i}, value):
                    return True
            elif search(done | {i}, op.value):
                return True
        return False

    return search(frozenset(), initial)
