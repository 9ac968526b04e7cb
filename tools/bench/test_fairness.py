#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of fairness.py, on the host (no VM): tools/check.sh runs them.
Ends with "N passed, N failed" like every suite."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fairness  # noqa: E402


class Jain(unittest.TestCase):
    def test_equal_rates_are_fair(self):
        self.assertAlmostEqual(fairness.jain([3.0] * 64), 1.0)

    def test_one_flow_takes_all(self):
        self.assertAlmostEqual(fairness.jain([10] + [0] * 63), 1 / 64)

    def test_known_value(self):
        # (1+2+3+4)^2 / (4 * (1+4+9+16)) = 100 / 120
        self.assertAlmostEqual(fairness.jain([1, 2, 3, 4]), 100 / 120)

    def test_half_starved(self):
        # k of n flows share equally, the rest get nothing: k/n
        self.assertAlmostEqual(fairness.jain([5] * 16 + [0] * 48), 0.25)

    def test_scale_free(self):
        xs = [1.5, 0.2, 7, 3]
        self.assertAlmostEqual(fairness.jain(xs),
                               fairness.jain([x * 1e6 for x in xs]))

    def test_single_flow(self):
        self.assertAlmostEqual(fairness.jain([42]), 1.0)

    def test_nothing_moved(self):
        self.assertIsNone(fairness.jain([]))
        self.assertIsNone(fairness.jain([0, 0]))

    def test_negative_rejected(self):
        with self.assertRaises(ValueError):
            fairness.jain([1, -1])


class Shares(unittest.TestCase):
    def test_even(self):
        s = fairness.shares({"mytcp": [1, 1], "tcp": [2]})
        self.assertAlmostEqual(s["mytcp"], 0.5)
        self.assertAlmostEqual(s["tcp"], 0.5)

    def test_uneven(self):
        s = fairness.shares({"mytcp": [1], "tcp": [3]})
        self.assertAlmostEqual(s["mytcp"], 0.25)
        self.assertAlmostEqual(s["tcp"], 0.75)

    def test_nothing(self):
        self.assertEqual(fairness.shares({"mytcp": [0], "tcp": []}),
                         {"mytcp": None, "tcp": None})


if __name__ == "__main__":
    res = unittest.main(exit=False, verbosity=1).result
    bad = len(res.failures) + len(res.errors)
    print("%d passed, %d failed" % (res.testsRun - bad, bad))
    sys.exit(1 if bad else 0)
