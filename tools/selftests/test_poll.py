#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""poll(2), select(2) and epoll(7) readiness with Linux TCP semantics."""

import select
import socket
import struct

import lib
from lib import test

P = select
# poll(2) reports only requested bits (plus POLLERR/POLLHUP): ask for all
ALL = P.POLLIN | P.POLLOUT | P.POLLRDHUP | P.POLLPRI | P.POLLRDNORM | P.POLLWRNORM


@test()
def pollin_on_data():
    """POLLIN appears when data arrives, not before, and goes once it is read."""
    c, s, _ = lib.connected()
    assert not lib.pollev(s, P.POLLIN, 0) & P.POLLIN, "POLLIN with nothing sent"
    c.sendall(b"x")
    rev = lib.wait_poll(s, P.POLLIN, events=P.POLLIN | P.POLLRDNORM)
    assert rev & P.POLLRDNORM, lib.pollbits(rev)
    s.recv(1)
    assert not lib.pollev(s, P.POLLIN, 0) & P.POLLIN, "POLLIN after the data was read"


@test()
def pollout_when_writable():
    """A fresh connection is POLLOUT|POLLWRNORM, without errors or hangups."""
    c, s, _ = lib.connected()
    rev = lib.pollev(c, ALL, 0)
    assert rev == P.POLLOUT | P.POLLWRNORM, lib.pollbits(rev)
    rev = lib.pollev(s, ALL, 0)
    assert rev == P.POLLOUT | P.POLLWRNORM, lib.pollbits(rev)


@test()
def pollrdhup_on_fin():
    """The peer's FIN gives POLLIN|POLLRDHUP but not POLLHUP; we can still write."""
    c, s, _ = lib.connected()
    c.shutdown(socket.SHUT_WR)
    rev = lib.wait_poll(s, P.POLLIN | P.POLLRDHUP, events=ALL & ~P.POLLOUT)
    rev = lib.pollev(s, ALL, 0)
    assert rev & P.POLLOUT and not rev & (P.POLLHUP | P.POLLERR), lib.pollbits(rev)
    assert s.recv(1) == b""
    s.sendall(b"still")
    assert lib.recv_exact(c, 5) == b"still"


@test()
def pollhup_both_shut():
    """POLLHUP once both directions are shut (our SHUT_WR plus the peer's FIN)."""
    c, s, _ = lib.connected()
    s.shutdown(socket.SHUT_WR)
    rev = lib.pollev(s, ALL, 0)
    assert not rev & P.POLLHUP, "POLLHUP after only our SHUT_WR: %s" % lib.pollbits(rev)
    c.shutdown(socket.SHUT_WR)
    rev = lib.wait_poll(s, P.POLLHUP, events=ALL & ~P.POLLOUT)
    assert rev & P.POLLIN and rev & P.POLLRDHUP, lib.pollbits(rev)


@test()
def pollerr_on_reset():
    """An RST from the peer gives POLLERR|POLLHUP (and POLLIN)."""
    c, s, _ = lib.connected()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    rev = lib.wait_poll(s, P.POLLERR, events=P.POLLIN)
    assert rev & P.POLLHUP and rev & P.POLLIN, lib.pollbits(rev)


@test()
def listener_pollin():
    """A listener is POLLIN once a connection waits in its accept queue."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    assert lib.pollev(lst, ALL, 0) == 0, "idle listener: %s" % lib.pollbits(lib.pollev(lst, ALL, 0))
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port))
    rev = lib.wait_poll(lst, P.POLLIN)
    assert not rev & P.POLLOUT, lib.pollbits(rev)


@test()
def unconnected_socket_poll():
    """A new, unconnected socket polls POLLOUT|POLLHUP as in TCP (state CLOSE)."""
    s = lib.sock()
    rev = lib.pollev(s, ALL, 0)
    assert rev & P.POLLHUP and rev & P.POLLOUT, lib.pollbits(rev)


@test()
def select_read_write():
    """select() reports readable on data and writable on a connected socket."""
    c, s, _ = lib.connected()
    r, w, x = select.select([s], [c], [], 0)
    assert r == [] and w == [c], (r, w)
    c.sendall(b"y")
    r, w, x = select.select([s], [], [], 5)
    assert r == [s], "select did not report data"


@test()
def epoll_events():
    """epoll reports EPOLLIN on data, EPOLLRDHUP on FIN, EPOLLET fires once per arrival."""
    c, s, _ = lib.connected()
    ep = select.epoll()
    try:
        ep.register(s, select.EPOLLIN | select.EPOLLRDHUP | select.EPOLLET)
        assert ep.poll(0) == [], "events with nothing sent"
        c.sendall(b"1")
        ev = ep.poll(5)
        assert ev == [(s.fileno(), select.EPOLLIN)], ev
        assert ep.poll(0) == [], "edge-triggered event reported twice"
        c.sendall(b"2")
        ev = ep.poll(5)
        assert ev == [(s.fileno(), select.EPOLLIN)], ev
        assert s.recv(10) == b"12"
        c.shutdown(socket.SHUT_WR)
        ev = ep.poll(5)
        assert ev and ev[0][1] & select.EPOLLRDHUP, ev
    finally:
        ep.close()


@test()
def epoll_out_after_drain():
    """Edge-triggered EPOLLOUT fires again when a full send buffer drains."""
    c, s, _ = lib.connected()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    c.setblocking(False)
    ep = select.epoll()
    try:
        ep.register(c, select.EPOLLOUT | select.EPOLLET)
        assert ep.poll(1) == [(c.fileno(), select.EPOLLOUT)]
        sent = 0
        while True:
            try:
                sent += c.send(b"z" * 16384)
            except BlockingIOError:
                if not ep.poll(0.5):
                    break
        s.settimeout(10)
        lib.recv_exact(s, sent)
        ev = ep.poll(5)
        assert ev == [(c.fileno(), select.EPOLLOUT)], "no EPOLLOUT after the drain: %s" % ev
    finally:
        ep.close()


if __name__ == "__main__":
    lib.main()
