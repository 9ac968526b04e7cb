#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Replies sent before a connection has a socket (the SYN+ACK of a request)
are routed as the listener's own segments are: by its SO_MARK (policy
routing) and its SO_BINDTODEVICE device, as TCP routes them.

Each test changes B's routing so that the main table cannot reach A, and
puts it back afterwards."""

import contextlib
import socket

import lib
from lib import test

# IPv4 routing rules and addresses (runner.py reads this)
FAMILIES = ("v4",)

MARK = 0x64
TABLE = "100"
RP_FILTERS = ("all", "vb")
A_NET = "10.0.1.0/24"           # lib.ADDR_A's subnet, on the veth pair


@contextlib.contextmanager
def b_route_replaced(*cmds):
    """B's connected route to A's subnet replaced by @cmds for the block
    (reverse path filtering off meanwhile: the SYN comes from a subnet the
    main table no longer reaches)."""
    a, b = lib.netpair()
    saved = {d: lib.read_sysctl("/proc/sys/net/ipv4/conf/%s/rp_filter" % d, b)
             for d in RP_FILTERS}
    for d in RP_FILTERS:
        lib.write_sysctl("/proc/sys/net/ipv4/conf/%s/rp_filter" % d, 0, b)
    net = A_NET
    try:
        try:
            lib.ip_batch(["route del %s dev vb" % net] + list(cmds), b)
        except RuntimeError as e:
            if "Operation not supported" in str(e):
                # the debug kernel has no CONFIG_IP_MULTIPLE_TABLES
                raise lib.Skip("no policy routing in this kernel: %s" % e)
            raise
        yield a, b
    finally:
        lib.ip("-n", b.name, "rule", "del", "pref", "100", check=False)
        lib.ip("-n", b.name, "route", "flush", "table", TABLE, check=False)
        lib.ip("-n", b.name, "route", "del", "blackhole", net, check=False)
        lib.ip("-n", b.name, "route", "replace", net, "dev", "vb", "proto",
               "kernel", "scope", "link", "src", lib.ADDR_B)
        for d, v in saved.items():
            lib.write_sysctl("/proc/sys/net/ipv4/conf/%s/rp_filter" % d,
                             v, b)
        lib.write_sysctl("/proc/sys/net/ipv4/route/flush", 1, b)


def exchange(a, lst, port):
    """Connect from A (within 5 s), then 64 KiB each way, byte-exact."""
    c = lib.sock(a)
    try:
        lib.bconnect(c, (lib.ADDR_B, port), timeout=5 * lib.SLOWDOWN)
    except OSError as e:
        raise AssertionError("connect: %s: the SYN+ACK was not routed as "
                             "the listener's segments are" % e)
    lst.settimeout(5 * lib.SLOWDOWN)
    s, _ = lst.accept()
    lib.track(s)
    for x, y, seed in ((c, s, 1), (s, c, 2)):
        data = lib.payload(65536, seed)
        x.sendall(data)
        y.settimeout(10 * lib.SLOWDOWN)
        got = lib.recv_exact(y, len(data))
        assert lib.sha256(got) == lib.sha256(data), "data differ"


@test()
def synack_follows_listener_mark():
    """B reaches A only through table 100, chosen by "ip rule fwmark
    0x64": a listener with SO_MARK 0x64 answers SYNs (its SYN+ACK routed
    with the mark, as TCP's ireq->ir_mark), and its connection carries
    data both ways."""
    with b_route_replaced("route add %s dev vb table %s" % (A_NET, TABLE),
                          "rule add pref 100 fwmark %d table %s"
                          % (MARK, TABLE)) as (a, b):
        lst = lib.sock(b)
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, MARK)
        lst.bind(("0.0.0.0", 0))
        lst.listen(8)
        exchange(a, lst, lst.getsockname()[1])


@test()
def synack_leaves_by_bound_device():
    """B's main table sends A's subnet into a blackhole: a listener bound
    to vb (SO_BINDTODEVICE) still answers, its SYN+ACK routed by the
    device (on-link there, as TCP's ireq->ir_iif makes it), and its
    connection carries data both ways."""
    with b_route_replaced("route add blackhole " + A_NET) as (a, b):
        lst = lib.sock(b)
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"vb")
        lst.bind(("0.0.0.0", 0))
        lst.listen(8)
        exchange(a, lst, lst.getsockname()[1])


if __name__ == "__main__":
    lib.main()
