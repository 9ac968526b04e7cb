#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""connect(2) with Linux TCP semantics: blocking, non-blocking, errors."""

import ctypes
import errno
import select
import socket
import time

import lib
from lib import test

# on the veth subnet but nobody's: ARP never resolves, the SYN never leaves
NOBODY = "fd00:1::99" if lib.V6 else "10.0.1.99"


def closed_port(netns):
    """A port nothing listens on in netns."""
    s = lib.sock(netns)
    s.bind((lib.ANY, 0))
    port = lib.sockname(s)[1]
    s.close()
    return port


@test()
def blocking_connect():
    """A blocking connect() returns once established; both ends agree on the addresses."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port))
    assert lib.peername(c) == (lib.ADDR_B, port)
    lst.settimeout(10)
    s, peer = lst.accept()
    lib.track(s)
    assert peer[:2] == lib.sockname(c)
    lib.wait_state(a, lib.sockname(c)[1], port, lib.ESTABLISHED)
    lib.wait_state(b, port, lib.sockname(c)[1], lib.ESTABLISHED)


@test()
def nonblocking_connect():
    """Non-blocking connect(): EINPROGRESS, then POLLOUT and SO_ERROR 0."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    c = lib.sock(a)
    c.setblocking(False)
    err = c.connect_ex((lib.ADDR_B, port))
    assert err == errno.EINPROGRESS, "connect returned %s" % errno.errorcode.get(err, err)
    rev = lib.wait_poll(c, select.POLLOUT)
    assert not rev & (select.POLLERR | select.POLLHUP), lib.pollbits(rev)
    assert c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
    assert lib.peername(c) == (lib.ADDR_B, port)


@test()
def connect_again_eisconn():
    """connect() on a socket connected by a blocking connect() gives EISCONN."""
    a, b = lib.netpair()
    c, _, lst = lib.connected(a, b)
    lib.expect_errno(errno.EISCONN, c.connect, (lib.ADDR_B, lib.sockname(lst)[1]))


@test()
def nonblocking_connect_again():
    """After a non-blocking connect completes, connect() returns 0 once, then EISCONN."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    c = lib.sock(a)
    c.setblocking(False)
    assert c.connect_ex((lib.ADDR_B, port)) == errno.EINPROGRESS
    lib.wait_poll(c, select.POLLOUT)
    err = c.connect_ex((lib.ADDR_B, port))
    assert err == 0, "connect after completion: %s, TCP gives 0" % errno.errorcode.get(err, err)
    err = c.connect_ex((lib.ADDR_B, port))
    assert err == errno.EISCONN, errno.errorcode.get(err, err)


@test()
def connect_in_progress_ealready():
    """A second non-blocking connect() while the first is in progress gives EALREADY."""
    a, _ = lib.netpair()
    c = lib.sock(a)
    c.setblocking(False)
    assert c.connect_ex((NOBODY, 9)) == errno.EINPROGRESS
    err = c.connect_ex((NOBODY, 9))
    assert err == errno.EALREADY, errno.errorcode.get(err, err)
    lib.wait_state(a, lib.sockname(c)[1], 9, lib.SYN_SENT, timeout=2)


@test()
def blocking_connect_timeout():
    """A blocking connect() with SO_SNDTIMEO to a silent host returns EINPROGRESS."""
    a, _ = lib.netpair()
    c = lib.sock(a)
    lib.set_timeval(c, socket.SO_SNDTIMEO, 0.3)
    t0 = time.monotonic()
    lib.expect_errno(errno.EINPROGRESS, c.connect, (NOBODY, 9))
    dt = time.monotonic() - t0
    assert 0.25 <= dt < 3, "connect returned after %.2f s, SO_SNDTIMEO 0.3 s" % dt


@test()
def refused_blocking():
    """A blocking connect() to a port nobody listens on gives ECONNREFUSED."""
    a, b = lib.netpair()
    port = closed_port(b)
    c = lib.sock(a)
    lib.expect_errno(errno.ECONNREFUSED, lib.bconnect, c, (lib.ADDR_B, port))


@test()
def refused_nonblocking():
    """Non-blocking connect() to a closed port: POLLERR, then SO_ERROR ECONNREFUSED once."""
    a, b = lib.netpair()
    port = closed_port(b)
    c = lib.sock(a)
    c.setblocking(False)
    assert c.connect_ex((lib.ADDR_B, port)) == errno.EINPROGRESS
    rev = lib.wait_poll(c, select.POLLERR, events=select.POLLOUT)
    assert rev & select.POLLHUP, "after the RST poll shows %s" % lib.pollbits(rev)
    err = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    assert err == errno.ECONNREFUSED, errno.errorcode.get(err, err)
    assert c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0, "SO_ERROR not cleared by reading"


@test()
def refused_loopback():
    """connect() to a closed port on loopback gives ECONNREFUSED."""
    port = closed_port(None)
    c = lib.sock()
    lib.expect_errno(errno.ECONNREFUSED, lib.bconnect, c, (lib.LOOPBACK, port))


@test()
def reconnect_after_refused():
    """After ECONNREFUSED the same socket may connect() again, and succeeds."""
    a, b = lib.netpair()
    port = closed_port(b)
    c = lib.sock(a)
    lib.expect_errno(errno.ECONNREFUSED, lib.bconnect, c, (lib.ADDR_B, port))
    lst, port2 = lib.listener(b)
    lib.bconnect(c, (lib.ADDR_B, port2))
    assert lib.peername(c) == (lib.ADDR_B, port2)


@test()
def connect_on_listener():
    """connect() on a listening socket gives EISCONN, as in TCP."""
    a, b = lib.netpair()
    lst, _ = lib.listener(a)
    _, port = lib.listener(b)
    lib.expect_errno(errno.EISCONN, lst.connect, (lib.ADDR_B, port))


@test()
def connect_unspec_disconnects():
    """connect() with AF_UNSPEC on an unconnected socket succeeds (no-op)."""
    s = lib.sock()
    libc = ctypes.CDLL(None, use_errno=True)
    buf = ctypes.create_string_buffer(16)     # sa_family 0 = AF_UNSPEC
    assert libc.connect(s.fileno(), buf, 16) == 0, errno.errorcode[ctypes.get_errno()]
    lib.expect_errno(errno.ENOTCONN, s.getpeername)


@test()
def connect_bound_socket_keeps_port():
    """connect() on a socket bound to a port uses that port."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    c = lib.sock(a)
    c.bind((lib.ADDR_A, 0))
    mine = lib.sockname(c)
    lib.bconnect(c, (lib.ADDR_B, port))
    assert lib.sockname(c) == mine, "%s after connect, bound %s" % (lib.sockname(c), mine)
    lst.settimeout(10)
    _, peer = lst.accept()
    assert peer[:2] == mine


@test()
def connect_self():
    """A socket connecting to its own address and port (self-connect) is established."""
    s = lib.sock()
    s.bind((lib.LOOPBACK, 0))
    lib.bconnect(s, lib.sockname(s))
    s.sendall(b"me")
    assert lib.recv_exact(s, 2) == b"me"


@test()
def many_connections_one_port_pair_distinct():
    """Several clients to one listener get distinct 4-tuples, all ESTABLISHED."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    ports = set()
    for _ in range(10):
        c = lib.sock(a)
        lib.bconnect(c, (lib.ADDR_B, port))
        ports.add(lib.sockname(c)[1])
    assert len(ports) == 10
    est = [r for r in lib.proc_rows(a)
           if r["remote"] == (lib.ADDR_B, port) and r["st"] == lib.ESTABLISHED]
    assert len(est) == 10, "%d ESTABLISHED rows on the client side" % len(est)


def xfrm_stat(netns, name):
    """A counter of /proc/net/xfrm_stat in netns (IPsec's drops)."""
    with lib.ns(netns):
        with open("/proc/thread-self/net/xfrm_stat") as f:
            for line in f:
                k, v = line.split()
                if k == name:
                    return int(v)
    raise AssertionError("no %s in /proc/net/xfrm_stat" % name)


def policy_drops(netns):
    """Segments netns dropped for its IPsec inbound policy."""
    if lib.PROTO == lib.IPPROTO_MYTCP:
        return lib.counters(netns).get("DropPolicy", 0)
    return xfrm_stat(netns, "XfrmInTmplMismatch")


@test(timeout=40)
def ipsec_policy_drops_plaintext():
    """An inbound IPsec policy that requires ESP drops plaintext segments (the SYN), counted; without it the retransmitted SYN connects."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    plen = "/128" if lib.V6 else "/32"
    policy = ("xfrm", "policy", "add", "dir", "in", "src", lib.ADDR_A + plen,
              "dst", lib.ADDR_B + plen, "proto", str(lib.PROTO), "tmpl",
              "proto", "esp", "mode", "transport", "level", "required")
    lib.ip("-n", b.name, *policy)
    try:
        before = policy_drops(b)
        c = lib.sock(a)
        c.setblocking(False)
        assert c.connect_ex((lib.ADDR_B, port)) == errno.EINPROGRESS
        lib.wait_for(lambda: policy_drops(b) > before, 5, "a segment dropped by the policy")
        lst.setblocking(False)
        lib.expect_errno(errno.EAGAIN, lst.accept)
        assert lib.states(a, lib.sockname(c)[1], port) == [lib.SYN_SENT]
    finally:
        lib.ip("-n", b.name, "xfrm", "policy", "flush")
    lib.wait_poll(c, select.POLLOUT, 15)
    assert c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0


if __name__ == "__main__":
    lib.main()
