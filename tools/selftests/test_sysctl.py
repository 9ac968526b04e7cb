#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""net.mytcp.* and /proc/net/mytcp_stat against their documentation.

Documentation/design.md section 9 is a table of every sysctl with its
default and range, section 10 one of every counter.  Here the running
module is held to them: each sysctl exists with its documented default in
a new namespace, takes both ends of its range, refuses a value just
outside with EINVAL; no sysctl or counter exists that the tables miss."""

import errno
import os
import re
import socket

import lib
from lib import test

# IPv4 only: not a socket-API file (runner.py reads this)
FAMILIES = ("v4",)

DESIGN = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "..", "Documentation", "design.md")
MYTCP_KEEPIDLE, MYTCP_KEEPINTVL, MYTCP_KEEPCNT = 4, 5, 6


def section(title):
    with open(DESIGN) as f:
        text = f.read()
    m = re.search(r"^## %s\n(.*?)^## " % re.escape(title), text, re.S | re.M)
    assert m, "no section '%s' in %s" % (title, DESIGN)
    return m.group(1)


def documented_sysctls():
    """{name: (default or None, lo, hi or None)} from section 9's table."""
    rows = {}
    for line in section("9. Sysctls").splitlines():
        m = re.match(r"\| `(\w+)` \| ([^|]+) \| ([^|]+) \|", line)
        if not m:
            continue
        name, default, rng = m.group(1), m.group(2).strip(), m.group(3).strip()
        lo, _, hi = rng.replace("`", "").partition("..")
        rows[name] = (int(default) if default.isdigit() else None,
                      int(lo) if lo.isdigit() else None,
                      int(hi) if hi.isdigit() else None)
    assert rows, "no sysctl rows in section 9"
    return rows


def documented_counters():
    text = section("10. /proc/net/mytcp, mytcp6 and mytcp_stat")
    return set(re.findall(r"^\| `(\w+)` \|", text, re.M))


def write_errno(path, value, netns):
    try:
        lib.write_sysctl(path, value, netns)
    except OSError as e:
        return e.errno
    return 0


@test(only="mytcp")
def every_sysctl_documented():
    """The files under /proc/sys/net/mytcp are exactly the documented ones."""
    a, _ = lib.netpair()
    with lib.ns(a):
        present = set(os.listdir(lib.MYTCP_SYSCTL))
    with lib.ns(None):
        present |= set(os.listdir(lib.MYTCP_SYSCTL))
    documented = set(documented_sysctls())
    assert present == documented, \
        "undocumented: %s; documented but missing: %s" % (
            sorted(present - documented), sorted(documented - present))


@test(only="mytcp")
def defaults_as_documented():
    """A new namespace starts with each documented default."""
    a, _ = lib.netpair()
    for name, (default, _, _) in documented_sysctls().items():
        if default is None:
            continue
        path = os.path.join(lib.MYTCP_SYSCTL, name)
        if name == "mem":
            continue
        got = lib.read_sysctl(path, a)
        assert got == str(default), "%s is %s, documented %d" % (name, got, default)


@test(only="mytcp")
def ranges_enforced():
    """Both ends of each documented range are taken; one past them is EINVAL."""
    a, _ = lib.netpair()
    for name, (_, lo, hi) in documented_sysctls().items():
        if name in ("mem", "max_orphans") or (lo is None and hi is None):
            continue            # global, or a name and not a number
        path = os.path.join(lib.MYTCP_SYSCTL, name)
        old = lib.read_sysctl(path, a)
        try:
            for good in (lo, hi):
                if good is not None:
                    assert write_errno(path, good, a) == 0, "%s=%d refused" % (name, good)
                    assert lib.read_sysctl(path, a) == str(good)
            for bad in (lo - 1 if lo is not None else None,
                        hi + 1 if hi is not None else None):
                if bad is None:
                    continue
                err = write_errno(path, bad, a)
                assert err == errno.EINVAL, \
                    "%s=%d: errno %s, want EINVAL" % (name, bad, err)
        finally:
            lib.write_sysctl(path, old, a)


@test(only="mytcp")
def mem_is_global():
    """net.mytcp.mem and max_orphans exist in the initial namespace only,
    as tcp_mem and tcp_max_orphans."""
    a, _ = lib.netpair()
    with lib.ns(a):
        assert not os.path.exists(os.path.join(lib.MYTCP_SYSCTL, "mem"))
        assert not os.path.exists(os.path.join(lib.MYTCP_SYSCTL,
                                               "max_orphans"))
    assert int(lib.read_sysctl(os.path.join(lib.MYTCP_SYSCTL,
                                            "max_orphans"))) > 0
    low, pressure, high = map(int, lib.read_sysctl(
        os.path.join(lib.MYTCP_SYSCTL, "mem")).split())
    assert 0 < low < pressure < high, "mem %d %d %d" % (low, pressure, high)


@test(only="mytcp")
def keepalive_defaults_follow_sysctls():
    """A new socket's TCP_KEEPIDLE/INTVL/CNT come from net.mytcp.keepalive_*."""
    a, _ = lib.netpair()
    with lib.mytcp_sysctl("keepalive_time", 1234, a), \
            lib.mytcp_sysctl("keepalive_intvl", 56, a), \
            lib.mytcp_sysctl("keepalive_probes", 7, a):
        s = lib.sock(a)
        for opt, want in ((MYTCP_KEEPIDLE, 1234), (MYTCP_KEEPINTVL, 56),
                          (MYTCP_KEEPCNT, 7)):
            got = s.getsockopt(socket.IPPROTO_TCP, opt)
            assert got == want, "option %d is %d, want %d" % (opt, got, want)
        s.close()


@test(only="mytcp")
def every_counter_documented():
    """Each line of /proc/net/mytcp_stat is in the documented counter table."""
    a, _ = lib.netpair()
    with lib.ns(a):
        with open("/proc/thread-self/net/mytcp_stat") as f:
            names = {line.split()[0] for line in f if line.strip()}
    missing = names - documented_counters()
    assert not missing, "undocumented counters: %s" % sorted(missing)


if __name__ == "__main__":
    lib.main()
