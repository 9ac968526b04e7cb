#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""IPv6 and IPv4 together: v4-mapped addresses and IPV6_V6ONLY (RFC 3493
section 5.3, RFC 4291 section 2.5.5.2), as TCP has them; the rest of the
socket API runs over IPv6 in every other file's "[v6]" tests."""

import errno
import os
import socket
import struct
import subprocess

import lib
from lib import test

# these tests mix the families themselves: one run (runner.py reads this)
FAMILIES = ("v6",)


def sock6(netns, v6only=None):
    """An AF_INET6 socket of the protocol under test; v6only: set IPV6_V6ONLY."""
    with lib.ns(netns):
        s = lib.track(socket.socket(socket.AF_INET6, socket.SOCK_STREAM, lib.PROTO))
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, int(v6only))
    return s


def sock4(netns):
    with lib.ns(netns):
        return lib.track(socket.socket(socket.AF_INET, socket.SOCK_STREAM, lib.PROTO))


def mapped(addr4):
    return "::ffff:" + addr4


def rows6(netns):
    """The rows of /proc/net/tcp6 (or mytcp6) in netns."""
    path = "/proc/thread-self/net/" + ("mytcp6" if lib.PROTO == lib.IPPROTO_MYTCP else "tcp6")
    with lib.ns(netns):
        with open(path) as f:
            lines = f.read().splitlines()[1:]
    out = []
    for line in lines:
        f = line.split()
        out.append((lib._hexaddr(f[1]), lib._hexaddr(f[2]), int(f[3], 16)))
    return out


@test()
def dual_stack_listener_takes_ipv4():
    """An AF_INET6 listener on :: without IPV6_V6ONLY accepts an IPv4 client; both ends see v4-mapped / IPv4 addresses and data flows both ways."""
    a, b = lib.netpair()
    lst = sock6(b, v6only=False)
    lst.bind(("::", 0))
    lst.listen(8)
    port = lst.getsockname()[1]
    c = sock4(a)
    lib.bconnect(c, (lib.ADDR4_B, port))
    lst.settimeout(10)
    s, peer = lst.accept()
    lib.track(s)
    assert peer[:2] == (mapped(lib.ADDR4_A), c.getsockname()[1]), peer
    assert s.getsockname()[:2] == (mapped(lib.ADDR4_B), port), s.getsockname()
    c.sendall(b"over ipv4")
    s.settimeout(10)
    assert lib.recv_exact(s, 9) == b"over ipv4"
    s.sendall(b"from a v6 socket")
    c.settimeout(10)
    assert lib.recv_exact(c, 16) == b"from a v6 socket"
    # the accepted socket is AF_INET6: its row is in tcp6/mytcp6, v4-mapped
    want = ((mapped(lib.ADDR4_B), port), (mapped(lib.ADDR4_A), c.getsockname()[1]),
            lib.ESTABLISHED)
    assert want in rows6(b), rows6(b)


@test()
def v6only_listener_refuses_ipv4():
    """An IPV6_V6ONLY listener on :: is not found by an IPv4 SYN (RST: ECONNREFUSED), and an AF_INET listener may share its port."""
    a, b = lib.netpair()
    lst = sock6(b, v6only=True)
    lst.bind(("::", 0))
    lst.listen(8)
    port = lst.getsockname()[1]
    c = sock4(a)
    lib.expect_errno(errno.ECONNREFUSED, lib.bconnect, c, (lib.ADDR4_B, port))
    # the ports do not overlap: 0.0.0.0 binds beside it and takes IPv4
    l4 = sock4(b)
    l4.bind(("0.0.0.0", port))
    l4.listen(8)
    c2 = sock4(a)
    lib.bconnect(c2, (lib.ADDR4_B, port))
    c6 = sock6(a)
    lib.bconnect(c6, (lib.ADDR6_B, port))


@test()
def dual_stack_port_conflicts():
    """Without IPV6_V6ONLY an AF_INET6 wildcard and an AF_INET bind on one port conflict (EADDRINUSE) in either order; an IPv6-specific address does not conflict with IPv4."""
    _, b = lib.netpair()
    s6 = sock6(b, v6only=False)
    s6.bind(("::", 0))
    port = s6.getsockname()[1]
    lib.expect_errno(errno.EADDRINUSE, sock4(b).bind, ("0.0.0.0", port))
    lib.expect_errno(errno.EADDRINUSE, sock4(b).bind, (lib.ADDR4_B, port))
    s4 = sock4(b)
    s4.bind(("0.0.0.0", 0))
    port4 = s4.getsockname()[1]
    lib.expect_errno(errno.EADDRINUSE, sock6(b, v6only=False).bind, ("::", port4))
    # beside the AF_INET wildcard: an IPv6 address, or (once that is
    # closed: the two would overlap) the IPv6-only wildcard
    spec = sock6(b)
    spec.bind((lib.ADDR6_B, port4))
    spec.close()
    sock6(b, v6only=True).bind(("::", port4))


@test()
def connect_to_v4_mapped():
    """An AF_INET6 socket connects to ::ffff:a.b.c.d over IPv4 (an AF_INET listener takes it); with IPV6_V6ONLY that is ENETUNREACH."""
    a, b = lib.netpair()
    l4 = sock4(b)
    l4.bind(("0.0.0.0", 0))
    l4.listen(8)
    port = l4.getsockname()[1]
    c = sock6(a)
    lib.bconnect(c, (mapped(lib.ADDR4_B), port))
    assert c.getpeername()[:2] == (mapped(lib.ADDR4_B), port), c.getpeername()
    assert c.getsockname()[0] == mapped(lib.ADDR4_A), c.getsockname()
    l4.settimeout(10)
    s, peer = l4.accept()
    lib.track(s)
    assert peer == (lib.ADDR4_A, c.getsockname()[1]), peer
    c.sendall(b"x" * 5000)
    s.settimeout(10)
    assert lib.recv_exact(s, 5000) == b"x" * 5000
    c.close()
    s.settimeout(10)
    assert s.recv(1) == b""
    only = sock6(a, v6only=True)
    lib.expect_errno(errno.ENETUNREACH, only.connect, (mapped(lib.ADDR4_B), port))


@test()
def v6only_after_bind_is_einval():
    """IPV6_V6ONLY cannot change once the socket has a port (EINVAL), as TCP's."""
    s = sock6(None)
    s.bind(("::1", 0))
    lib.expect_errno(errno.EINVAL, s.setsockopt, socket.IPPROTO_IPV6,
                     socket.IPV6_V6ONLY, 1)


@test()
def loopback_v6_transfer_and_time_wait():
    """Over ::1 a connection carries data both ways, closes and leaves TIME_WAIT (in tcp6/mytcp6) on the side that closed first."""
    netns = lib.new_netns("lo6")
    try:
        lst = sock6(netns)
        lst.bind(("::1", 0))
        lst.listen(4)
        port = lst.getsockname()[1]
        c = sock6(netns)
        lib.bconnect(c, ("::1", port))
        lst.settimeout(10)
        s, _ = lst.accept()
        lib.track(s)
        data = lib.payload(200000, 6)
        join = lib.in_thread(lambda: lib.recv_exact(s, len(data)))
        c.sendall(data)
        assert join(20) == data
        cport = c.getsockname()[1]
        c.close()
        s.settimeout(10)
        assert s.recv(1) == b""
        s.close()
        lib.wait_for(lambda: (("::1", cport), ("::1", port), lib.TIME_WAIT) in rows6(netns),
                     10, "TIME_WAIT row in the IPv6 table")
    finally:
        lib.close_all()
        lib.del_netns(netns)



@test()
def tool_ss_lists_both_tables():
    """mytcp ss (--proto tcp for TCP) lists an IPv6 connection and an IPv4
    one side by side, IPv6 endpoints in brackets."""
    tool = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "mytcp", "mytcp")
    if not os.access(tool, os.X_OK):
        raise AssertionError("%s not built (make tool)" % tool)
    a, b = lib.netpair()
    lst = sock6(b, v6only=False)
    lst.bind(("::", 0))
    lst.listen(8)
    port = lst.getsockname()[1]
    c6 = sock6(a)
    lib.bconnect(c6, (lib.ADDR6_B, port))
    c4 = sock4(a)
    lib.bconnect(c4, (lib.ADDR4_B, port))
    r = subprocess.run(["ip", "netns", "exec", a.name, tool, "ss", "--proto", lib.PROTO_NAME],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30)
    assert r.returncode == 0, r.stdout
    want6 = "[%s]:%d" % (lib.ADDR6_B, port)
    want4 = "%s:%d" % (lib.ADDR4_B, port)
    rows = [ln.split() for ln in r.stdout.splitlines()[1:]]
    assert any(f[0] == "ESTAB" and f[3] == "[%s]:%d" % (lib.ADDR6_A, c6.getsockname()[1])
               and f[4] == want6 for f in rows), r.stdout
    assert any(f[0] == "ESTAB" and f[4] == want4 for f in rows), r.stdout


@test(only="mytcp")
def v4_mapped_source_in_ipv6_is_dropped():
    """An IPv6 segment from ::ffff:a.b.c.d never reaches a socket (in the
    tables it would look like an IPv4 peer): dropped, DropBadAddress."""
    a, b = lib.netpair()
    lst = sock6(a, v6only=False)
    lst.bind(("::", 0))
    lst.listen(8)
    port = lst.getsockname()[1]
    syn = struct.pack("!HHIIBBHHH", 40000, port, 1, 0, 0x50, 0x02, 65535, 0, 0)
    ip6 = struct.pack("!IHBB16s16s", 6 << 28, len(syn), lib.IPPROTO_MYTCP, 64,
                      socket.inet_pton(socket.AF_INET6, mapped(lib.ADDR4_B)),
                      socket.inet_pton(socket.AF_INET6, lib.ADDR6_A))
    before = lib.counters(a)["DropBadAddress"]
    with lib.ns(b):
        r = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    try:
        r.sendto(ip6 + syn, (lib.ADDR6_A, 0))
    finally:
        r.close()
    lib.wait_for(lambda: lib.counters(a)["DropBadAddress"] > before, 5,
                 "DropBadAddress to move")
    assert not [x for x in rows6(a) if x[2] == lib.SYN_RECV], rows6(a)


lib.main()
