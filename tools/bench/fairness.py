# SPDX-License-Identifier: GPL-2.0
"""fairness.py: Jain's fairness index and shares, for bench.py's flow rows.

Pure functions, no I/O: tools/bench/test_fairness.py tests them on the
host (tools/check.sh runs it).
"""


def jain(xs):
    """Jain's fairness index of the rates @xs: (sum x)^2 / (n * sum x^2).

    1.0 when every flow got the same; 1/n when one flow got everything
    (R. Jain, D. Chiu, W. Hawe, DEC-TR-301, 1984).  A flow that failed
    counts as 0, it is the unfairest outcome, so callers pass it in.
    None for no flows or when nothing moved at all (the index is 0/0).
    """
    xs = [float(x) for x in xs]
    if any(x < 0 for x in xs):
        raise ValueError("a rate below zero: %r" % (xs,))
    sq = sum(x * x for x in xs)
    if not xs or sq == 0:
        return None
    return sum(xs) ** 2 / (len(xs) * sq)


def shares(groups):
    """Each group's part of the total: {"mytcp": [rates], "tcp": [rates]}
    gives {"mytcp": 0.5, "tcp": 0.5} when both moved the same.  None for
    every group when nothing moved."""
    tot = {k: float(sum(v)) for k, v in groups.items()}
    s = sum(tot.values())
    return {k: (v / s if s else None) for k, v in tot.items()}
