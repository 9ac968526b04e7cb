#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ICMP errors and path MTU discovery over a routed path A - R - B.

R forwards at most 1280 bytes between A and B while both hosts' devices
have an MTU of 1500 (lib.routed_path()): with DF set, a full-sized segment
is dropped by R with an ICMP "fragmentation needed" (RFC 1191), and only a
sender that listens to it gets through.  The same tests run for TCP, which
shows what the module must do."""

import errno
import socket
import time

import lib
from lib import test

# IPv4 only: not a socket-API file (runner.py reads this)
FAMILIES = ("v4",)

IP_MTU_DISCOVER = 10
IP_MTU = 14
IP_PMTUDISC_DONT = 0
PATH_MTU = 1280


move = lib.transfer


def path_pair(pmtudisc=None):
    """A connection from A to a listener on B over the routed path:
    (client in A, server side in B).  @pmtudisc: IP_MTU_DISCOVER for both
    (the listener's passes to the accepted socket)."""
    a, _, b = lib.routed_path(PATH_MTU)
    lst, port = lib.listener(b)
    c = lib.sock(a)
    if pmtudisc is not None:
        lst.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, pmtudisc)
        c.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, pmtudisc)
    lib.bconnect(c, (lib.PATH_B, port))
    lst.settimeout(10)
    s, _ = lst.accept()
    lib.track(s)
    return c, s


def one_mib_both_ways(c, s, bound):
    """1 MiB from A to B (c -> s, then c's EOF), then 1 MiB from B to A on
    the same connection (s -> c); each within @bound s."""
    took_ab = move(c, s, 1 << 20, 1, bound)
    took_ba = move(s, c, 1 << 20, 2, bound)
    lib.diag("1 MiB A->B in %.1f s, B->A in %.1f s" % (took_ab, took_ba))


@test(timeout=120)
def one_mib_both_ways_through_narrow_path():
    """1 MiB each way crosses a path narrower than both ends' MTU: the
    sender learns the path MTU from R's ICMP "fragmentation needed" and
    sends smaller segments (a sender that ignores it stalls: a black
    hole).  Afterwards IP_MTU on both connected sockets says 1280."""
    a, _, b = lib.routed_path(PATH_MTU)
    lib.forget_pmtu((a, b))
    before = lib.counters(a)
    c, s = path_pair()
    one_mib_both_ways(c, s, 40)
    for x, where in ((c, "A"), (s, "B")):
        mtu = x.getsockopt(socket.IPPROTO_IP, IP_MTU)
        assert mtu == PATH_MTU, "IP_MTU on %s's socket is %d, not %d" % (
            where, mtu, PATH_MTU)
    if lib.PROTO == lib.IPPROTO_MYTCP:
        after = lib.counters(a)
        for k in ("InIcmpFragNeeded", "PmtuUpdates"):
            assert after[k] > before[k], "%s did not move in A" % k


@test()
def ip_mtu_connected_and_not():
    """IP_MTU: ENOTCONN on a socket that never connected; on a connected
    one the MTU of its route (1500 before any ICMP)."""
    a, _, b = lib.routed_path(PATH_MTU)
    lib.forget_pmtu((a, b))
    x = lib.sock(a)
    lib.expect_errno(errno.ENOTCONN, x.getsockopt, socket.IPPROTO_IP, IP_MTU)
    c, s = path_pair()
    mtu = c.getsockopt(socket.IPPROTO_IP, IP_MTU)
    assert mtu == 1500, "IP_MTU %d before any data, not 1500" % mtu


@test(timeout=120)
def pmtudisc_dont_is_fragmented():
    """IP_MTU_DISCOVER = IP_PMTUDISC_DONT: segments leave without DF, so R
    fragments them and they arrive (B receives fragments); no ICMP comes
    back, and IP_MTU stays 1500."""
    a, r, b = lib.routed_path(PATH_MTU)
    lib.forget_pmtu((a, b))
    c, s = path_pair(IP_PMTUDISC_DONT)
    assert c.getsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER) == IP_PMTUDISC_DONT
    # count what B receives with More Fragments set (flags at offset 6)
    lib.tc(b, "qdisc", "add", "dev", "pb", "clsact")
    lib.tc(b, "filter", "add", "dev", "pb", "ingress", "protocol", "ip",
           "pref", "10", "u32", "match", "ip", "protocol", str(lib.PROTO),
           "0xff", "match", "u16", "0x2000", "0x2000", "at", "6",
           "action", "ok")
    try:
        move(c, s, 256 * 1024, 3, 40)
        out = lib.tc(b, "-s", "filter", "show", "dev", "pb", "ingress").stdout
    finally:
        lib.tc(b, "qdisc", "del", "dev", "pb", "clsact", check=False)
    sent = [line for line in out.splitlines() if "Sent" in line]
    assert sent and not sent[0].split()[3] == "0", \
        "B saw no fragments: %s" % out
    mtu = c.getsockopt(socket.IPPROTO_IP, IP_MTU)
    assert mtu == 1500, "IP_MTU %d with IP_PMTUDISC_DONT, not 1500" % mtu


@test(timeout=30)
def connect_host_unreachable():
    """connect() to an address R has an "unreachable" route for: R answers
    the SYN with ICMP host unreachable and connect() fails at once with
    EHOSTUNREACH (RFC 1122 4.2.3.9; Linux TCP ends a SYN-SENT connection on
    it), long before the SYN retransmissions would give up."""
    a, r, b = lib.routed_path(PATH_MTU)
    before = lib.counters(a)
    lib.ip_batch(["route add unreachable 10.0.2.3/32"], r)
    try:
        c = lib.sock(a)
        t = time.monotonic()
        lib.expect_errno(errno.EHOSTUNREACH, lib.bconnect, c, ("10.0.2.3", 80))
        took = time.monotonic() - t
    finally:
        lib.ip_batch(["route del unreachable 10.0.2.3/32"], r)
    assert took < 3, "connect() failed only after %.1f s" % took
    if lib.PROTO == lib.IPPROTO_MYTCP:
        assert lib.counters(a)["IcmpHardErrors"] > before["IcmpHardErrors"]


@test(timeout=30)
def connect_net_unreachable():
    """connect() to a network R has no route to: ICMP net unreachable, and
    connect() fails at once with ENETUNREACH."""
    a, r, b = lib.routed_path(PATH_MTU)
    c = lib.sock(a)
    t = time.monotonic()
    lib.expect_errno(errno.ENETUNREACH, lib.bconnect, c, ("10.0.9.9", 80))
    took = time.monotonic() - t
    assert took < 3, "connect() failed only after %.1f s" % took


@test(timeout=60)
def established_unreachable_is_soft():
    """On an established connection ICMP host unreachable is a soft error
    (RFC 1122 4.2.3.9, RFC 5927): the connection lives, and the data goes
    through once the route is back.  SO_ERROR shows the soft error
    (EHOSTUNREACH) once and clears it, as for TCP; recv() does not fail."""
    a, r, b = lib.routed_path(PATH_MTU)
    c, s = path_pair()
    before = lib.counters(a)
    lib.ip_batch(["route replace unreachable %s/32" % lib.PATH_B], r)
    try:
        c.sendall(b"x" * 1000)
        # R answers the segment (and its retransmissions) with ICMP
        time.sleep(1.5)
        err = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        assert err == errno.EHOSTUNREACH, "SO_ERROR %d, not EHOSTUNREACH" % err
        err = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        assert err == 0, "SO_ERROR %d when read again, not 0" % err
        sp = c.getsockname()[1]
        lib.wait_state(a, sp, c.getpeername()[1], lib.ESTABLISHED, 1)
    finally:
        lib.ip_batch(["route replace %s/32 dev rb mtu %d"
                      % (lib.PATH_B, PATH_MTU)], r)
    s.settimeout(20)
    assert lib.recv_exact(s, 1000) == b"x" * 1000
    if lib.PROTO == lib.IPPROTO_MYTCP:
        assert lib.counters(a)["IcmpSoftErrors"] > before["IcmpSoftErrors"]


@test(timeout=90)
def soft_error_reported_at_timeout():
    """When retransmissions give up on a connection that got ICMP host
    unreachable, the error is EHOSTUNREACH rather than ETIMEDOUT (Linux
    TCP keeps the last ICMP error as the soft error and reports it)."""
    a, r, b = lib.routed_path(PATH_MTU)
    if lib.PROTO == lib.IPPROTO_MYTCP:
        ctx = lib.mytcp_sysctl("retries2", 3, a)
    else:
        ctx = lib.sysctl("/proc/sys/net/ipv4/tcp_retries2", 3, a)
    with ctx:
        c, s = path_pair()
        lib.ip_batch(["route replace unreachable %s/32" % lib.PATH_B], r)
        try:
            c.sendall(b"y" * 1000)
            c.settimeout(60)
            lib.expect_errno(errno.EHOSTUNREACH, c.recv, 10)
        finally:
            lib.ip_batch(["route replace %s/32 dev rb mtu %d"
                          % (lib.PATH_B, PATH_MTU)], r)


if __name__ == "__main__":
    lib.main()
