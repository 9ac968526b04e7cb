#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Receive buffer autotuning (dynamic right-sizing), as a program sees it.

A receiver that keeps up with a bulk transfer over a path with a real
round trip (netem 20 ms each way) needs a window of more than its default
buffer gives: the buffer (SO_RCVBUF as getsockopt reads it) grows during
the transfer, up to net.mytcp.rmem_max (TCP: tcp_rmem[2]).  A program that
set SO_RCVBUF itself keeps exactly what it set.  The default is lowered to
128 KiB for the test, TCP's tcp_rmem[1], so that growth is needed at the
rates this VM reaches."""

import os
import socket
import contextlib

import lib
from lib import test

START = 128 * 1024
SIZE = 6 << 20


@contextlib.contextmanager
def small_default(netns):
    """A 128 KiB default receive buffer in netns for the block."""
    if lib.PROTO == lib.IPPROTO_MYTCP:
        with lib.mytcp_sysctl("rmem_default", str(START), netns):
            yield
    else:
        path = "/proc/sys/net/ipv4/tcp_rmem"
        with lib.sysctl(path, "4096 %d 6291456" % START, netns):
            yield


def rcvbuf(s):
    return s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)


def grown_counter(netns):
    if lib.PROTO != lib.IPPROTO_MYTCP:
        return 0
    return lib.counters(netns).get("RcvBufAutoGrown", 0)


def bulk_over_delay(set_rcvbuf=None):
    """A transfer A -> B over 20 ms each way: (buffer of B's socket at the
    start, at the end, RcvBufAutoGrown's change in B)."""
    a, b = lib.netpair()
    with small_default(b), lib.netem_both("delay 20ms limit 10000"):
        lst, port = lib.listener(b)
        if set_rcvbuf:
            lst.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, set_rcvbuf)
        c = lib.sock(a)
        lib.bconnect(c, (lib.ADDR_B, port))
        lst.settimeout(10)
        s, _ = lst.accept()
        lib.track(s)
        before = rcvbuf(s)
        grown0 = grown_counter(b)
        lib.transfer(c, s, SIZE, 3, 90)
        after = rcvbuf(s)
        grown = grown_counter(b) - grown0
    for x in (c, s, lst):
        x.close()
    return before, after, grown


def rmem_max():
    if lib.PROTO == lib.IPPROTO_MYTCP:
        return int(lib.read_sysctl(os.path.join(lib.MYTCP_SYSCTL,
                                                "rmem_max")))
    return 6291456


@test(timeout=150)
def rcvbuf_grows_under_bulk_transfer():
    """6 MiB over a 40 ms round trip: the receiver's buffer starts at the
    128 KiB default and ends larger (for mytcp: at least twice, counted in
    RcvBufAutoGrown), never above rmem_max."""
    before, after, grown = bulk_over_delay()
    lib.diag("SO_RCVBUF %d before, %d after, RcvBufAutoGrown +%d"
             % (before, after, grown))
    assert before == START, "the buffer started at %d, not %d" % (before,
                                                                 START)
    assert after >= 2 * before, "the buffer stayed at %d (from %d)" % (
        after, before)
    assert after <= rmem_max(), "the buffer grew to %d, beyond %d" % (
        after, rmem_max())
    if lib.PROTO == lib.IPPROTO_MYTCP:
        assert grown >= 1, "RcvBufAutoGrown did not move"


@test(timeout=150)
def rcvbuf_set_by_user_stays():
    """SO_RCVBUF 96 KiB set on the listener (the accepted socket inherits
    it, the kernel doubles it to 192 KiB; net.core.rmem_max allows it):
    the same transfer leaves it exactly as set (SOCK_RCVBUF_LOCK), and
    RcvBufAutoGrown unmoved."""
    before, after, grown = bulk_over_delay(set_rcvbuf=96 * 1024)
    lib.diag("SO_RCVBUF %d before, %d after" % (before, after))
    assert before == 192 * 1024, "SO_RCVBUF reads %d, not 192 KiB" % before
    assert after == before, "the buffer moved from %d to %d" % (before,
                                                               after)
    assert grown == 0, "RcvBufAutoGrown moved by %d" % grown


if __name__ == "__main__":
    lib.main()
