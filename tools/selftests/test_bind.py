#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bind(2) with Linux TCP semantics: ports, conflicts, SO_REUSEADDR, TIME_WAIT."""

import ctypes
import errno
import socket

import lib
from lib import test


@test()
def explicit_port():
    """bind to an explicit address and port: getsockname reports exactly that."""
    a, _ = lib.netpair()
    probe, port = lib.listener(a)       # find a free port, then release it
    probe.close()
    s = lib.sock(a)
    s.bind((lib.ADDR_A, port))
    assert lib.sockname(s) == (lib.ADDR_A, port), lib.sockname(s)


@test()
def ephemeral_port():
    """bind to port 0 picks a port inside ip_local_port_range, different each time."""
    a, _ = lib.netpair()
    lo, hi = lib.port_range(a)
    ports = set()
    for _ in range(20):
        s = lib.sock(a)
        s.bind((lib.ANY, 0))
        p = lib.sockname(s)[1]
        assert lo <= p <= hi, "ephemeral port %d outside %d-%d" % (p, lo, hi)
        ports.add(p)
    assert len(ports) == 20, "ephemeral ports reused among bound sockets: %s" % sorted(ports)


@test()
def ephemeral_port_narrow_range():
    """With ip_local_port_range narrowed, bind(0) stays inside it and then fails EADDRINUSE."""
    a, _ = lib.netpair()
    old = lib.read_sysctl("/proc/sys/net/ipv4/ip_local_port_range", a)
    lib.write_sysctl("/proc/sys/net/ipv4/ip_local_port_range", "40000 40003", a)
    try:
        got = []
        for _ in range(4):
            s = lib.sock(a)
            s.bind((lib.ANY, 0))
            got.append(lib.sockname(s)[1])
        assert sorted(got) == [40000, 40001, 40002, 40003], got
        s = lib.sock(a)
        lib.expect_errno(errno.EADDRINUSE, s.bind, (lib.ANY, 0))
    finally:
        lib.write_sysctl("/proc/sys/net/ipv4/ip_local_port_range", old, a)


@test()
def addr_in_use():
    """A second socket bound to the same address and port gets EADDRINUSE."""
    a, _ = lib.netpair()
    s1 = lib.sock(a)
    s1.bind((lib.ADDR_A, 0))
    s2 = lib.sock(a)
    lib.expect_errno(errno.EADDRINUSE, s2.bind, lib.sockname(s1))
    s3 = lib.sock(a)    # the wildcard address conflicts with a specific one
    lib.expect_errno(errno.EADDRINUSE, s3.bind, (lib.ANY, lib.sockname(s1)[1]))


@test()
def reuseaddr_does_not_steal_listener():
    """SO_REUSEADDR on both sockets still gives EADDRINUSE against a listener."""
    a, _ = lib.netpair()
    lst, port = lib.listener(a, reuse=True)
    s = lib.sock(a, reuse=True)
    lib.expect_errno(errno.EADDRINUSE, s.bind, (lib.ANY, port))


@test()
def reuseaddr_bound_not_listening():
    """Two unlistened sockets with SO_REUSEADDR may bind the same port, as in TCP."""
    a, _ = lib.netpair()
    s1 = lib.sock(a, reuse=True)
    s1.bind((lib.ANY, 0))
    s2 = lib.sock(a, reuse=True)
    s2.bind((lib.ANY, lib.sockname(s1)[1]))
    # only one of them can listen
    s1.listen(1)
    lib.expect_errno(errno.EADDRINUSE, s2.listen, 1)


@test()
def bind_twice():
    """bind on an already bound socket gives EINVAL."""
    s = lib.sock()
    s.bind((lib.LOOPBACK, 0))
    lib.expect_errno(errno.EINVAL, s.bind, (lib.LOOPBACK, 0))


@test()
def bind_after_connect():
    """bind on a connected socket gives EINVAL."""
    c, _, _ = lib.connected()
    lib.expect_errno(errno.EINVAL, c.bind, (lib.ANY, 0))


@test()
def bind_foreign_address():
    """bind to an address this namespace does not have gives EADDRNOTAVAIL."""
    a, _ = lib.netpair()
    s = lib.sock(a)
    lib.expect_errno(errno.EADDRNOTAVAIL, s.bind, (lib.ADDR_B, 0))


@test()
def bind_bad_family():
    """bind with a too-short address or a sockaddr of another family is refused."""
    s = lib.sock()
    # Python cannot pass another family here: call bind(2) directly
    libc = ctypes.CDLL(None, use_errno=True)
    # AF_INET6 (10) to an AF_INET socket, AF_INET (2) to an AF_INET6 one
    other = b"\x02\x00" if lib.V6 else b"\x0a\x00"
    size = 28 if lib.V6 else 16
    buf = ctypes.create_string_buffer(other + b"\x00" * (size - 2))
    rc = libc.bind(s.fileno(), buf, size)
    assert rc == -1, "bind with a sockaddr of the other family succeeded"
    err = ctypes.get_errno()
    assert err == errno.EAFNOSUPPORT, errno.errorcode[err]
    rc = libc.bind(s.fileno(), buf, 4)
    assert rc == -1 and ctypes.get_errno() == errno.EINVAL, "short sockaddr accepted"


def time_wait_on_server(a, b, reuse):
    """Server in B accepts a connection and closes first: TIME_WAIT on B.

    Returns the server port; the listener is closed."""
    lst, port = lib.listener(b, reuse=reuse)
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port))
    lst.settimeout(10)
    s, _ = lst.accept()
    lib.track(s)
    cport = lib.sockname(c)[1]
    s.close()                              # active close by the server
    assert c.recv(1) == b"", "client did not get EOF"
    c.close()
    lst.close()
    lib.wait_state(b, port, cport, lib.TIME_WAIT)
    return port


@test()
def reuseaddr_over_time_wait():
    """After a server's active close, rebinding its port needs SO_REUSEADDR (TIME_WAIT)."""
    a, b = lib.netpair()
    port = time_wait_on_server(a, b, reuse=True)
    s = lib.sock(b)
    lib.expect_errno(errno.EADDRINUSE, s.bind, (lib.ANY, port))
    s2 = lib.sock(b, reuse=True)
    s2.bind((lib.ANY, port))
    s2.listen(4)
    # and the new listener works while the old connection is in TIME_WAIT
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port))
    s2.settimeout(10)
    conn, _ = s2.accept()
    lib.track(conn)
    c.sendall(b"new")
    assert lib.recv_exact(conn, 3) == b"new"


@test()
def listen_on_unbound_autobinds():
    """listen() on an unbound socket binds an ephemeral port."""
    a, _ = lib.netpair()
    lo, hi = lib.port_range(a)
    s = lib.sock(a)
    s.listen(1)
    port = lib.sockname(s)[1]
    assert lo <= port <= hi, "autobound port %d outside %d-%d" % (port, lo, hi)


@test()
def connect_autobinds():
    """connect() on an unbound socket picks a local address and an ephemeral port."""
    a, b = lib.netpair()
    lo, hi = lib.port_range(a)
    lst, port = lib.listener(b)
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port))
    addr, p = lib.sockname(c)
    assert addr == lib.ADDR_A, addr
    assert lo <= p <= hi, "connect picked port %d outside %d-%d" % (p, lo, hi)


@test()
def ports_independent_of_tcp():
    """A port bound by the other protocol does not block bind (separate port spaces)."""
    if lib.PROTO == socket.IPPROTO_TCP:
        raise lib.Skip("compares mytcp with tcp")
    a, _ = lib.netpair()
    t = lib.sock(a, proto=socket.IPPROTO_TCP)
    t.bind((lib.ANY, 0))
    t.listen(1)
    m = lib.sock(a)
    m.bind((lib.ANY, lib.sockname(t)[1]))
    m.listen(1)


if __name__ == "__main__":
    lib.main()
