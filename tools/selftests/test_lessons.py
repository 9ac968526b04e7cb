#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The lessons of tools/lessons/lessons.py, as selftests: each lesson's
experiment must turn out as its text says (for mytcp only: the
experiments are mytcp's).  What a lesson printed is shown when it fails."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lessons"))
import lib                                          # noqa: E402
import lessons                                      # noqa: E402

# the lessons set up their own IPv4 scenes (runner.py reads this)
FAMILIES = ("v4",)


def _register(les):
    def fn():
        out = lessons.Out(live=False)
        try:
            lessons.run(les, out)
        except BaseException:
            lib.diag("\n".join(out.lines[-60:]))
            raise
    fn.__name__ = les.name
    fn.__doc__ = les.title
    lib.test(timeout=les.timeout, only="mytcp")(fn)


for _les in lessons.LESSONS:
    _register(_les)

if __name__ == "__main__":
    lib.main()
