#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Limits on what closed connections may hold, as TCP has them.

- net.mytcp.max_tw_buckets (TCP: net.ipv4.tcp_max_tw_buckets), per
  namespace: beyond it a connection closes without TIME_WAIT, counted in
  TWOverflow (TCP: TCPTimeWaitOverflow).
- net.mytcp.max_orphans (TCP: net.ipv4.tcp_max_orphans), global: a
  connection closed by its program beyond it is reset at once, counted in
  AbortOnMemory (TCP: TCPAbortOnMemory)."""

import time

import lib
from lib import test, TIME_WAIT, FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT, \
    CLOSING, LAST_ACK

TW_MAX = 20
TW_CONNS = 60
ORPHAN_MAX = 5
ORPHAN_CONNS = 15


def tw_sysctl():
    if lib.PROTO == lib.IPPROTO_MYTCP:
        return "/proc/sys/net/mytcp/max_tw_buckets"
    return "/proc/sys/net/ipv4/tcp_max_tw_buckets"


def orphan_sysctl():
    if lib.PROTO == lib.IPPROTO_MYTCP:
        return "/proc/sys/net/mytcp/max_orphans"
    return "/proc/sys/net/ipv4/tcp_max_orphans"


def counter(name_mytcp, name_tcp, netns):
    c = lib.counters(netns)
    return c.get(name_mytcp if lib.PROTO == lib.IPPROTO_MYTCP else name_tcp, 0)


def count_states(netns, want):
    return sum(1 for r in lib.proc_rows(netns) if r["st"] in want)


@test(timeout=90)
def max_tw_buckets_enforced():
    """With max_tw_buckets 20 in the closing side's namespace, 60 active
    closes leave 20 TIME_WAIT entries there; the other 40 close at once
    and count in TWOverflow (TCPTimeWaitOverflow).  Every transfer is
    intact and nothing is reset."""
    a, b = lib.netpair()
    lst, port = lib.listener(b, backlog=TW_CONNS)
    base = count_states(a, (TIME_WAIT,))
    over0 = counter("TWOverflow", "TCPTimeWaitOverflow", a)
    with lib.sysctl(tw_sysctl(), base + TW_MAX, a):
        for i in range(TW_CONNS):
            c = lib.sock(a)
            lib.bconnect(c, (lib.ADDR_B, port))
            s, _ = lst.accept()
            lib.track(s)
            c.sendall(b"x%d" % i)
            c.close()                      # the client closes first
            assert lib.recv_all(s) == b"x%d" % i
            s.close()
        lib.wait_for(lambda: count_states(a, (TIME_WAIT,)) +
                     counter("TWOverflow", "TCPTimeWaitOverflow", a) -
                     over0 - base >= TW_CONNS, 20,
                     "every close to end in TIME_WAIT or overflow")
        tw = count_states(a, (TIME_WAIT,)) - base
        over = counter("TWOverflow", "TCPTimeWaitOverflow", a) - over0
        lib.diag("TIME_WAIT %d, overflow %d" % (tw, over))
        assert tw == TW_MAX, "%d TIME_WAIT entries, limit %d" % (tw, TW_MAX)
        assert over == TW_CONNS - TW_MAX, "overflow counted %d" % over


@test(timeout=120)
def max_orphans_resets():
    """With max_orphans 5, 15 connections closed by their program while the
    peer's ACKs are lost (FIN_WAIT1 orphans): exactly 5 stay for mytcp
    (for TCP, whose count is a cache refreshed by a 100 ms timer, up to 3
    more), the rest are reset at close (their peers
    leave CLOSE_WAIT) and count in AbortOnMemory (TCPAbortOnMemory)."""
    a, b = lib.netpair()
    lst, port = lib.listener(b, backlog=ORPHAN_CONNS)
    pairs, servers = [], []
    for _ in range(ORPHAN_CONNS):
        c = lib.sock(a)
        lib.bconnect(c, (lib.ADDR_B, port))
        s, _ = lst.accept()
        lib.track(s)
        pairs.append(c)
        servers.append(s)
    base = count_states(a, (FIN_WAIT1, FIN_WAIT2))
    closing_a = count_states(a, (FIN_WAIT1, FIN_WAIT2, CLOSING))
    closing_b = count_states(b, (CLOSE_WAIT, LAST_ACK))
    cw0 = count_states(b, (CLOSE_WAIT,))
    abort0 = counter("AbortOnMemory", "TCPAbortOnMemory", a)
    # the limit is global; the orphans already there count too
    with lib.sysctl(orphan_sysctl(), base + ORPHAN_MAX), \
            lib.netem(b, "loss 100%"):
        for c in pairs:
            c.close()
            # TCP reads its orphan count from a cache refreshed each 100 ms
            # (later under emulation)
            if lib.PROTO != lib.IPPROTO_MYTCP:
                time.sleep(0.3)
        lib.wait_for(lambda: counter("AbortOnMemory", "TCPAbortOnMemory", a)
                     > abort0, 10, "an abort on too many orphans")
        orphans = count_states(a, (FIN_WAIT1, FIN_WAIT2)) - base
        aborts = counter("AbortOnMemory", "TCPAbortOnMemory", a) - abort0
        lib.diag("orphans %d, aborts %d" % (orphans, aborts))
        slack = 0 if lib.PROTO == lib.IPPROTO_MYTCP else 3
        assert orphans <= ORPHAN_MAX + slack, "%d orphans" % orphans
        assert aborts >= ORPHAN_CONNS - ORPHAN_MAX - slack, \
            "%d aborts" % aborts
        assert orphans + aborts == ORPHAN_CONNS, (orphans, aborts)
        # the peers of the orphans wait in CLOSE_WAIT; the others were reset
        lib.wait_for(lambda: count_states(b, (CLOSE_WAIT,)) - cw0 == orphans, 10,
                     "the reset peers to close")
    # leave nothing behind: an orphan holds the module (test_module.py)
    for s in servers:
        s.close()
    lib.wait_for(lambda: count_states(a, (FIN_WAIT1, FIN_WAIT2, CLOSING)) <=
                 closing_a and count_states(b, (CLOSE_WAIT, LAST_ACK)) <=
                 closing_b, 60, "the orphans to finish")


@test(timeout=120)
def churn_sends_no_reset():
    """Connections opened and closed in a loop (each entering TIME_WAIT
    while segments for it and for a busy neighbour arrive) beside a
    ping-pong connection: no lookup misses a live connection, so no RST is
    sent on either side (OutRsts stays), and the ping-pong is intact."""
    a, b = lib.netpair()
    lst, port = lib.listener(b, backlog=64)
    c0 = lib.sock(a)
    lib.bconnect(c0, (lib.ADDR_B, port))
    s0, _ = lst.accept()
    lib.track(s0)
    rst0 = (lib.counters(a)["OutRsts"], lib.counters(b)["OutRsts"])
    stop = []

    def pingpong():
        n = 0
        while not stop:
            msg = b"%08d" % n
            c0.sendall(msg)
            assert lib.recv_exact(s0, len(msg)) == msg
            s0.sendall(msg)
            assert lib.recv_exact(c0, len(msg)) == msg
            n += 1
        return n

    join = lib.in_thread(pingpong)
    try:
        for i in range(200):
            c = lib.sock(a)
            lib.bconnect(c, (lib.ADDR_B, port))
            s, _ = lst.accept()
            lib.track(s)
            c.sendall(b"%d" % i)
            assert lib.recv_exact(s, len(b"%d" % i)) == b"%d" % i
            c.close()
            assert lib.recv_all(s) == b""
            s.close()
    finally:
        stop.append(1)
    rounds = join(60)
    lib.diag("%d ping-pong rounds beside 200 connections" % rounds)
    rst = (lib.counters(a)["OutRsts"], lib.counters(b)["OutRsts"])
    assert rst == rst0, "RSTs sent: %r -> %r" % (rst0, rst)


if __name__ == "__main__":
    lib.main()
