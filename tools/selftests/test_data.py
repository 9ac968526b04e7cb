#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sending and receiving with Linux TCP semantics: flags, timeouts, buffers, EPIPE."""

import errno
import fcntl
import select
import signal
import socket
import struct
import termios
import time

import lib
from lib import test

SIOCINQ = termios.FIONREAD
SIOCOUTQ = termios.TIOCOUTQ


def inq(s):
    return struct.unpack("i", fcntl.ioctl(s.fileno(), SIOCINQ, b"\0\0\0\0"))[0]


@test()
def send_recv():
    """send() and recv() move bytes both ways in order."""
    c, s, _ = lib.connected()
    assert c.send(b"hello") == 5
    assert lib.recv_exact(s, 5) == b"hello"
    s.sendall(b"world!")
    assert lib.recv_exact(c, 6) == b"world!"


@test()
def sendmsg_recvmsg():
    """sendmsg() gathers iovecs; recvmsg() scatters them, no flags, no address."""
    c, s, _ = lib.connected()
    assert c.sendmsg([b"ab", b"cde", b"f"]) == 6
    lib.wait_for(lambda: inq(s) == 6, 5, "6 bytes queued")
    b1, b2 = bytearray(2), bytearray(10)
    n, anc, flags, addr = s.recvmsg_into([b1, b2])
    assert n == 6 and bytes(b1) == b"ab" and bytes(b2[:4]) == b"cdef", (n, b1, b2)
    assert anc == [] and flags == 0, (anc, flags)
    assert addr is None, "recvmsg on a stream returned an address: %r" % (addr,)
    s.sendmsg([b"xyz"])
    data, anc, flags, addr = c.recvmsg(10)
    assert data == b"xyz" and flags == 0, (data, flags)


@test()
def dontwait_eagain():
    """recv(MSG_DONTWAIT) on a blocking socket with no data gives EAGAIN at once."""
    c, s, _ = lib.connected()
    t0 = time.monotonic()
    lib.expect_errno(errno.EAGAIN, s.recv, 10, socket.MSG_DONTWAIT)
    assert time.monotonic() - t0 < 1
    c.sendall(b"z")
    lib.wait_poll(s, select.POLLIN)
    assert s.recv(10, socket.MSG_DONTWAIT) == b"z"


@test()
def nonblocking_recv_eagain():
    """recv() on a non-blocking socket with no data gives EAGAIN."""
    c, s, _ = lib.connected()
    s.setblocking(False)
    lib.expect_errno(errno.EAGAIN, s.recv, 10)


@test()
def peek():
    """MSG_PEEK returns data without consuming it."""
    c, s, _ = lib.connected()
    c.sendall(b"hello world")
    lib.wait_for(lambda: inq(s) == 11, 5, "11 bytes queued")
    assert s.recv(5, socket.MSG_PEEK) == b"hello"
    assert s.recv(100, socket.MSG_PEEK) == b"hello world"
    assert inq(s) == 11, "peek consumed data"
    assert s.recv(100) == b"hello world"
    assert inq(s) == 0


@test()
def fionread_siocoutq():
    """SIOCINQ counts unread bytes; SIOCOUTQ drains to 0 once the peer has them."""
    c, s, _ = lib.connected()
    assert inq(s) == 0
    c.sendall(b"x" * 1000)
    lib.wait_for(lambda: inq(s) == 1000, 5, "SIOCINQ 1000")
    outq = lambda: struct.unpack("i", fcntl.ioctl(c.fileno(), SIOCOUTQ, b"\0\0\0\0"))[0]  # noqa: E731
    lib.wait_for(lambda: outq() == 0, 5, "SIOCOUTQ 0 (data acknowledged)")
    s.recv(400)
    assert inq(s) == 600, inq(s)


@test()
def waitall_joins_segments():
    """MSG_WAITALL waits until the whole length arrived from several sends."""
    c, s, _ = lib.connected()
    c.sendall(b"a" * 100)

    def later():
        time.sleep(0.2)     # let the receiver block on the first half
        c.sendall(b"b" * 100)
    join = lib.in_thread(later)
    lib.set_timeval(s, socket.SO_RCVTIMEO, 10)     # bound; the fd stays blocking
    got = s.recv(200, socket.MSG_WAITALL)
    join()
    assert got == b"a" * 100 + b"b" * 100, "MSG_WAITALL returned %d bytes" % len(got)


@test()
def waitall_short_on_eof():
    """MSG_WAITALL returns fewer bytes when the peer closes first."""
    c, s, _ = lib.connected()
    c.sendall(b"q" * 50)
    c.shutdown(socket.SHUT_WR)
    lib.set_timeval(s, socket.SO_RCVTIMEO, 10)
    assert s.recv(200, socket.MSG_WAITALL) == b"q" * 50
    assert s.recv(200, socket.MSG_WAITALL) == b""


@test()
def rcvtimeo():
    """SO_RCVTIMEO: a blocking recv() with no data gives EAGAIN after the timeout."""
    c, s, _ = lib.connected()
    lib.set_timeval(s, socket.SO_RCVTIMEO, 0.3)
    tv = struct.unpack("@ll", s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, 16))
    assert tv == (0, 300000), "SO_RCVTIMEO reads back %s" % (tv,)
    t0 = time.monotonic()
    lib.expect_errno(errno.EAGAIN, s.recv, 10)
    dt = time.monotonic() - t0
    assert 0.25 <= dt < 3, "recv returned after %.2f s with SO_RCVTIMEO 0.3 s" % dt
    c.sendall(b"late")
    assert lib.recv_exact(s, 4) == b"late", "socket unusable after the timeout"


def fill(c, timeout=0.5, chunk=16384):
    """Non-blocking sends until the socket stays unwritable for timeout s."""
    c.setblocking(False)
    sent = 0
    data = b"\xa5" * chunk
    while True:
        try:
            sent += c.send(data)
            continue
        except BlockingIOError:
            pass
        if not lib.pollev(c, select.POLLOUT, timeout):
            return sent
        assert sent < 64 << 20, "sent %d bytes to a peer that reads nothing" % sent


@test()
def sndtimeo():
    """SO_SNDTIMEO: a blocking send() into full buffers gives EAGAIN after the timeout."""
    c, s, _ = lib.connected()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 16384)
    fill(c)
    c.setblocking(True)
    lib.set_timeval(c, socket.SO_SNDTIMEO, 0.3)
    # a send may still queue a little and return that count after waiting;
    # the one that can queue nothing fails with EAGAIN
    for _ in range(10):
        t0 = time.monotonic()
        try:
            c.send(b"x" * 65536)
        except BlockingIOError:
            break
    else:
        raise AssertionError("send() into full buffers never gave EAGAIN")
    dt = time.monotonic() - t0
    assert 0.25 <= dt < 3, "send gave EAGAIN after %.2f s with SO_SNDTIMEO 0.3 s" % dt


@test()
def buffer_sizes_reflect():
    """SO_SNDBUF/SO_RCVBUF read back as twice the value set (Linux doubles it)."""
    s = lib.sock()
    for opt in (socket.SO_SNDBUF, socket.SO_RCVBUF):
        s.setsockopt(socket.SOL_SOCKET, opt, 32768)
        got = s.getsockopt(socket.SOL_SOCKET, opt)
        assert got == 65536, "opt %d: set 32768, reads %d" % (opt, got)
    c, _, _ = lib.connected()
    for opt in (socket.SO_SNDBUF, socket.SO_RCVBUF):
        assert c.getsockopt(socket.SOL_SOCKET, opt) > 0


@test(timeout=60)
def writer_blocks_until_peer_reads():
    """A writer to a peer that reads nothing fills the buffers, gets EAGAIN, resumes after a drain."""
    a, b = lib.netpair()
    lst = lib.sock(b)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32768)
    lst.bind((lib.ANY, 0))
    lst.listen(1)
    c = lib.sock(a)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 32768)
    lib.bconnect(c, (lib.ADDR_B, lib.sockname(lst)[1]))
    lst.settimeout(10)
    s, _ = lst.accept()
    lib.track(s)
    total = fill(c)
    assert 0 < total < 4 << 20, "%d bytes accepted before blocking (32 KiB buffers)" % total
    s.settimeout(10)
    assert lib.recv_exact(s, total) == b"\xa5" * total
    lib.wait_poll(c, select.POLLOUT, timeout=5)
    assert c.send(b"more") == 4, "writer not resumed after the peer drained"
    assert lib.recv_exact(s, 4) == b"more"


class Sigpipe:
    """Counts SIGPIPEs while active (Python ignores SIGPIPE by default)."""

    def __enter__(self):
        self.count = 0
        self.old = signal.signal(signal.SIGPIPE, self.handler)
        return self

    def handler(self, signum, frame):
        self.count += 1

    def __exit__(self, *exc):
        signal.signal(signal.SIGPIPE, self.old)


def reset_by_closed_peer():
    """A connection whose peer closed and answered our data with RST.

    Returns the surviving socket: it read EOF, its send drew the RST."""
    c, s, _ = lib.connected()
    c.close()
    s.settimeout(10)
    assert s.recv(1) == b"", "no EOF after the peer closed"
    s.send(b"to a closed socket")       # accepted; the peer answers RST
    lib.wait_poll(s, select.POLLERR, events=0)
    return s


@test()
def epipe_sigpipe():
    """send() after the peer closed and reset gives EPIPE and raises SIGPIPE."""
    s = reset_by_closed_peer()
    with Sigpipe() as sp:
        lib.expect_errno(errno.EPIPE, s.send, b"again")
        for _ in range(100):    # the handler runs between bytecodes
            if sp.count:
                break
    assert sp.count == 1, "SIGPIPE raised %d times" % sp.count


@test()
def epipe_nosignal():
    """With MSG_NOSIGNAL the same send() gives EPIPE and no signal."""
    s = reset_by_closed_peer()
    with Sigpipe() as sp:
        lib.expect_errno(errno.EPIPE, s.send, b"again", socket.MSG_NOSIGNAL)
        lib.expect_errno(errno.EPIPE, s.send, b"again", socket.MSG_NOSIGNAL)
    assert sp.count == 0, "SIGPIPE despite MSG_NOSIGNAL"


@test()
def send_after_reset_established():
    """After an RST in ESTABLISHED, the first send() gives ECONNRESET, the next EPIPE."""
    c, s, _ = lib.connected()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    lib.wait_poll(s, select.POLLERR, events=0)
    lib.expect_errno(errno.ECONNRESET, s.send, b"x", socket.MSG_NOSIGNAL)
    lib.expect_errno(errno.EPIPE, s.send, b"x", socket.MSG_NOSIGNAL)


@test()
def zero_length():
    """send(b"") returns 0 and sends nothing; recv(0) returns b""."""
    c, s, _ = lib.connected()
    assert c.send(b"") == 0
    assert s.recv(0) == b""
    c.sendall(b"1")
    assert lib.recv_exact(s, 1) == b"1"
    s.setblocking(False)
    lib.expect_errno(errno.EAGAIN, s.recv, 1)


@test()
def recv_unconnected():
    """recv() on an unconnected socket gives ENOTCONN; send() gives EPIPE."""
    s = lib.sock()
    lib.expect_errno(errno.ENOTCONN, s.recv, 1)
    lib.expect_errno(errno.EPIPE, s.send, b"x", socket.MSG_NOSIGNAL)


@test()
def sendto_connected_ignores_address():
    """sendto() on a connected socket sends to the peer (the address is ignored)."""
    c, s, _ = lib.connected()
    c.sendto(b"hi", ("fd00:9::9" if lib.V6 else "10.9.9.9", 1))
    assert lib.recv_exact(s, 2) == b"hi"


if __name__ == "__main__":
    lib.main()
