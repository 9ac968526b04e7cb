#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""shutdown(2) semantics: half-close, SHUT_RD, SHUT_RDWR, errors."""

import errno
import select
import socket

import lib
from lib import test


@test()
def shut_wr_half_close():
    """After SHUT_WR the peer reads EOF but can still send to us, and we read it."""
    c, s, _ = lib.connected()
    c.sendall(b"last words")
    c.shutdown(socket.SHUT_WR)
    s.settimeout(10)
    assert lib.recv_all(s) == b"last words", "peer did not get data then EOF"
    assert s.recv(10) == b"", "EOF is not sticky"
    s.sendall(b"reply after your FIN")
    c.settimeout(10)
    assert lib.recv_exact(c, 20) == b"reply after your FIN"
    s.close()
    assert c.recv(1) == b""


@test()
def send_after_shut_wr():
    """send() after our own SHUT_WR gives EPIPE."""
    c, s, _ = lib.connected()
    c.shutdown(socket.SHUT_WR)
    lib.expect_errno(errno.EPIPE, c.send, b"x", socket.MSG_NOSIGNAL)


@test()
def shut_rd():
    """After SHUT_RD, recv() returns EOF at once, we can still send, the peer is unaffected."""
    c, s, _ = lib.connected()
    s.shutdown(socket.SHUT_RD)
    s.setblocking(False)
    assert s.recv(10) == b"", "recv after SHUT_RD did not return EOF"
    rev = lib.pollev(s, select.POLLIN | select.POLLRDHUP, 0)
    assert rev & select.POLLIN and rev & select.POLLRDHUP, lib.pollbits(rev)
    s.setblocking(True)
    s.sendall(b"one way")
    assert lib.recv_exact(c, 7) == b"one way"


@test()
def shut_rdwr():
    """SHUT_RDWR: we read EOF, send() gives EPIPE, the peer reads EOF."""
    c, s, _ = lib.connected()
    c.shutdown(socket.SHUT_RDWR)
    assert c.recv(10) == b""
    lib.expect_errno(errno.EPIPE, c.send, b"x", socket.MSG_NOSIGNAL)
    s.settimeout(10)
    assert s.recv(10) == b""


@test()
def shut_wr_twice():
    """A second SHUT_WR is harmless (returns 0), as in TCP."""
    c, s, _ = lib.connected()
    c.shutdown(socket.SHUT_WR)
    c.shutdown(socket.SHUT_WR)
    s.settimeout(10)
    assert s.recv(1) == b""


@test()
def shutdown_unconnected():
    """shutdown() on a new or a bound socket gives ENOTCONN."""
    s = lib.sock()
    for how in (socket.SHUT_RD, socket.SHUT_WR, socket.SHUT_RDWR):
        lib.expect_errno(errno.ENOTCONN, s.shutdown, how)
    s.bind((lib.LOOPBACK, 0))
    lib.expect_errno(errno.ENOTCONN, s.shutdown, socket.SHUT_RDWR)


@test()
def shutdown_bad_how():
    """shutdown() with how outside SHUT_RD..SHUT_RDWR gives EINVAL."""
    c, _, _ = lib.connected()
    lib.expect_errno(errno.EINVAL, c.shutdown, 3)


@test()
def shutdown_listener_stops_accepting():
    """shutdown(SHUT_RD) on a listener closes it: new connections are refused."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    lst.shutdown(socket.SHUT_RD)
    c = lib.sock(a)
    c.settimeout(10)
    lib.expect_errno(errno.ECONNREFUSED, c.connect, (lib.ADDR_B, port))


@test()
def shut_wr_then_peer_close_delivers_all():
    """Data sent by the peer after our SHUT_WR, then its close, arrive complete."""
    c, s, _ = lib.connected()
    c.shutdown(socket.SHUT_WR)
    s.settimeout(10)
    assert s.recv(1) == b""
    data = lib.payload(200000, 7)
    s.sendall(data)
    s.close()
    c.settimeout(10)
    assert lib.sha256(lib.recv_all(c)) == lib.sha256(data)


if __name__ == "__main__":
    lib.main()
