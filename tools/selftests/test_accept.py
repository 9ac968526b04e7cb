#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""listen(2), accept(2) and accept4(2) with Linux TCP semantics."""

import errno
import fcntl
import os
import select
import socket
import threading
import time

import lib
from lib import test


@test()
def blocking_accept_waits():
    """A blocking accept() sleeps until a connection arrives, then returns it."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    got = threading.Event()

    def server():
        conn, peer = lst.accept()
        lib.track(conn)
        got.set()
        return conn, peer
    join = lib.in_thread(server)
    assert not got.wait(0.3), "accept() returned with no connection pending"
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port))
    conn, peer = join(10)
    peer = peer[:2]
    assert peer == lib.sockname(c), "accept peer %s != client %s" % (peer, lib.sockname(c))
    assert lib.sockname(conn) == (lib.ADDR_B, port), lib.sockname(conn)
    assert lib.peername(conn) == lib.sockname(c)


@test()
def nonblocking_accept_eagain():
    """accept() on a non-blocking listener with nothing queued gives EAGAIN."""
    lst, _ = lib.listener()
    lst.setblocking(False)
    lib.expect_errno(errno.EAGAIN, lst.accept)


@test()
def accept_then_eagain():
    """A non-blocking listener returns each queued connection once, then EAGAIN."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    clients = []
    for _ in range(3):
        c = lib.sock(a)
        lib.bconnect(c, (lib.ADDR_B, port))
        clients.append(lib.sockname(c))
    lib.wait_poll(lst, select.POLLIN)
    lst.setblocking(False)
    peers = []
    deadline = time.monotonic() + 10 * lib.SLOWDOWN
    while len(peers) < 3 and time.monotonic() < deadline:
        try:
            conn, peer = lst.accept()
        except BlockingIOError:
            lib.wait_poll(lst, select.POLLIN)
            continue
        lib.track(conn)
        peers.append(peer[:2])
    assert sorted(peers) == sorted(clients), (peers, clients)
    lib.expect_errno(errno.EAGAIN, lst.accept)


@test()
def accept4_flags():
    """accept4 sets O_NONBLOCK and FD_CLOEXEC as asked, and only then."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    for flags in (0, socket.SOCK_NONBLOCK, socket.SOCK_CLOEXEC,
                  socket.SOCK_NONBLOCK | socket.SOCK_CLOEXEC):
        c = lib.sock(a)
        lib.bconnect(c, (lib.ADDR_B, port))
        fd = lib.accept4(lst, flags)
        try:
            nb = bool(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_NONBLOCK)
            ce = bool(fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC)
            assert nb == bool(flags & socket.SOCK_NONBLOCK), "flags %#x: O_NONBLOCK %s" % (flags, nb)
            assert ce == bool(flags & socket.SOCK_CLOEXEC), "flags %#x: FD_CLOEXEC %s" % (flags, ce)
            conn = socket.socket(fileno=fd)
            fd = None
            lib.track(conn)
            assert conn.proto == lib.PROTO, "accepted socket has protocol %d" % conn.proto
            if flags & socket.SOCK_NONBLOCK:
                lib.expect_errno(errno.EAGAIN, conn.recv, 1)
            c.sendall(b"x")
            lib.wait_poll(conn, select.POLLIN)
            assert conn.recv(1) == b"x"
        finally:
            if fd is not None:
                os.close(fd)


@test()
def accept4_bad_flags():
    """accept4 with an unknown flag gives EINVAL."""
    lst, _ = lib.listener()
    lib.expect_errno(errno.EINVAL, lib.accept4, lst, 0x1)


@test()
def accept_not_listening():
    """accept() on an unbound, a bound and a connected socket gives EINVAL."""
    s = lib.sock()
    lib.expect_errno(errno.EINVAL, s.accept)
    s.bind((lib.LOOPBACK, 0))
    lib.expect_errno(errno.EINVAL, s.accept)
    c, _, _ = lib.connected()
    lib.expect_errno(errno.EINVAL, c.accept)


@test()
def listen_on_connected():
    """listen() on a connected socket gives EINVAL."""
    c, _, _ = lib.connected()
    lib.expect_errno(errno.EINVAL, c.listen, 1)


@test()
def listen_twice():
    """listen() again on a listener succeeds and it keeps accepting."""
    a, b = lib.netpair()
    lst, port = lib.listener(b, backlog=5)
    lst.listen(9)
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port))
    lst.settimeout(10)
    conn, _ = lst.accept()
    lib.track(conn)


@test()
def listener_row_in_proc():
    """A listener appears in /proc/net as LISTEN on its address and port."""
    _, b = lib.netpair()
    lst, port = lib.listener(b, addr=lib.ADDR_B)
    rows = [r for r in lib.proc_rows(b) if r["local"] == (lib.ADDR_B, port)]
    assert [r["st"] for r in rows] == [lib.LISTEN], rows
    assert rows[0]["remote"] == (lib.ANY, 0), rows


@test(timeout=60)
def backlog_bounds_accept_queue():
    """Connections beyond the backlog wait (SYN or ACK dropped) until accept() makes room."""
    a, b = lib.netpair()
    backlog, n = 2, 6
    lst, port = lib.listener(b, backlog=backlog)

    def queued():
        return max([r["rx_queue"] for r in lib.proc_rows(b)
                    if r["local"][1] == port and r["st"] == lib.LISTEN] or [0])
    clients = []
    for _ in range(n):
        c = lib.sock(a)
        c.setblocking(False)
        err = c.connect_ex((lib.ADDR_B, port))
        assert err == errno.EINPROGRESS, os.strerror(err)
        clients.append(c)
    lib.wait_for(lambda: queued() >= backlog, 10, "the accept queue to fill")
    # Linux lets the queue hold backlog + 1 and never more; watch it a while
    seen = 0
    end = time.monotonic() + 1.0
    while time.monotonic() < end:
        seen = max(seen, queued())
        time.sleep(0.02)
    assert seen <= backlog + 1, "accept queue reached %d with backlog %d" % (seen, backlog)
    assert seen < n, "all %d connections queued at once: backlog ignored" % n
    lst.setblocking(False)

    # every client eventually connects: send its index once writable and
    # accept/read everything, until all n indexes arrived
    conns = []
    ids = {}
    pending = dict(enumerate(clients))
    deadline = time.monotonic() + 40 * lib.SLOWDOWN
    while len(ids) < n:
        if time.monotonic() > deadline:
            raise AssertionError("only %d of %d connections completed; client states %s, "
                                 "server states %s" % (
                                     len(ids), n,
                                     lib.state_names(lib.states(a, None, port)),
                                     lib.state_names(lib.states(b, port, None))))
        p = select.poll()
        p.register(lst, select.POLLIN)
        for i, c in pending.items():
            p.register(c, select.POLLOUT)
        for conn in conns:
            p.register(conn, select.POLLIN)
        for fd, ev in p.poll(1000):
            if fd == lst.fileno():
                try:
                    conn, _ = lst.accept()
                except BlockingIOError:
                    continue
                lib.track(conn)
                conns.append(conn)
                continue
            for i, c in list(pending.items()):
                if c.fileno() == fd:
                    err = c.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                    assert err == 0, "client %d: %s" % (i, os.strerror(err))
                    c.send(bytes([i]))
                    del pending[i]
            for conn in conns:
                if conn.fileno() == fd and conn not in ids.values():
                    d = conn.recv(1)
                    assert d, "connection closed before its index arrived"
                    ids[d[0]] = conn
    assert sorted(ids) == list(range(n)), sorted(ids)
    assert len(conns) == n, "%d accepted for %d clients" % (len(conns), n)


@test()
def listen_backlog_zero():
    """listen(0) still accepts a connection (Linux allows one)."""
    a, b = lib.netpair()
    lst, port = lib.listener(b, backlog=0)
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port))
    lst.settimeout(10)
    conn, _ = lst.accept()
    lib.track(conn)


@test()
def close_listener_resets_queued():
    """Closing a listener with an unaccepted connection resets that connection."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port))
    lib.wait_poll(lst, select.POLLIN)
    lst.close()
    lib.wait_poll(c, select.POLLERR, events=select.POLLIN)
    lib.expect_errno(errno.ECONNRESET, c.recv, 1)


if __name__ == "__main__":
    lib.main()
