#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Socket names and options: getsockname/getpeername, SO_*, TCP-level options, resets."""

import errno
import select
import socket
import struct

import lib
from lib import test

SOL_MYTCP = lib.IPPROTO_MYTCP
MYTCP_INFO = 200
# struct mytcp_info: 16 __u32 then 2 __u64 (include/uapi/linux/mytcp.h)
MYTCP_INFO_FMT = "=16I2Q"


@test()
def names_before_connect():
    """getsockname is 0.0.0.0:0 on a new socket; getpeername gives ENOTCONN."""
    s = lib.sock()
    assert lib.sockname(s) == (lib.ANY, 0), lib.sockname(s)
    lib.expect_errno(errno.ENOTCONN, s.getpeername)
    s.bind((lib.LOOPBACK, 0))
    lib.expect_errno(errno.ENOTCONN, s.getpeername)
    s.listen(1)
    lib.expect_errno(errno.ENOTCONN, s.getpeername)


@test()
def names_after_connect():
    """Both ends report matching local and peer addresses."""
    c, s, lst = lib.connected()
    assert lib.peername(c) == lib.sockname(s) == (lib.ADDR_B, lib.sockname(lst)[1])
    assert lib.peername(s) == lib.sockname(c)
    assert lib.sockname(c)[0] == lib.ADDR_A


@test()
def peername_after_peer_close():
    """getpeername still works after the peer closed (CLOSE_WAIT)."""
    c, s, _ = lib.connected()
    peer = lib.peername(s)
    c.close()
    s.settimeout(10)
    assert s.recv(1) == b""
    assert lib.peername(s) == peer


@test()
def socket_identity():
    """SO_TYPE, SO_PROTOCOL and SO_DOMAIN describe an AF_INET (AF_INET6) stream of our protocol."""
    s = lib.sock()
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_STREAM
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_PROTOCOL) == lib.PROTO
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_DOMAIN) == lib.AF
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 0
    s.listen(1)
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN) == 1


@test()
def so_error_zero():
    """SO_ERROR is 0 on new, listening and connected sockets."""
    c, s, lst = lib.connected()
    for x in (lib.sock(), lst, c, s):
        assert x.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0


@test()
def keepalive():
    """SO_KEEPALIVE and the TCP-level keepalive knobs are accepted and read back."""
    c, s, _ = lib.connected()
    assert c.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 0
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    assert c.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
    for opt, val in ((socket.TCP_KEEPIDLE, 30), (socket.TCP_KEEPINTVL, 5),
                     (socket.TCP_KEEPCNT, 4)):
        c.setsockopt(socket.IPPROTO_TCP, opt, val)
        got = c.getsockopt(socket.IPPROTO_TCP, opt)
        assert got == val, "TCP option %d: set %d, reads %d" % (opt, val, got)
    c.sendall(b"k")
    assert lib.recv_exact(s, 1) == b"k"


@test()
def keepalive_bad_values():
    """TCP_KEEPIDLE 0 and TCP_KEEPCNT 0 are rejected with EINVAL."""
    s = lib.sock()
    lib.expect_errno(errno.EINVAL, s.setsockopt, socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 0)
    lib.expect_errno(errno.EINVAL, s.setsockopt, socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 0)


@test()
def nodelay():
    """TCP_NODELAY is accepted at IPPROTO_TCP and reads back."""
    c, s, _ = lib.connected()
    assert c.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    assert c.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    c.sendall(b"n")
    assert lib.recv_exact(s, 1) == b"n"


@test()
def maxseg():
    """TCP_MAXSEG reads a sane MSS on a connection over veth (MTU 1500)."""
    c, s, _ = lib.connected()
    mss = c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
    assert 500 <= mss <= 1460, "MSS %d over a 1500-byte MTU" % mss


@test()
def maxseg_cap_then_mss_in_use():
    """TCP_MAXSEG 1000 reads back 1000 before connect(); once connected the
    option reads the MSS in use, here the cap (TCP 6.1's rule), and a cap
    above what the path allows reads the path's 1448/1460."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    # (TCP takes its timestamp option, 12 bytes, off the MSS in use)
    for cap, lo, hi in ((1000, 976, 1000), (9000, 1400, 1460)):
        c = lib.sock(a)
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, cap)
        got = c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
        assert got == cap, "before connect: %d, set %d" % (got, cap)
        lib.bconnect(c, (lib.ADDR_B, port))
        s, _ = lst.accept()
        lib.track(s)
        got = c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
        assert lo <= got <= hi, "connected, cap %d: reads %d" % (cap, got)
        c.close()
        s.close()


@test(only="mytcp")
def sol_mytcp_options():
    """The same options are accepted at SOL_MYTCP (253) with TCP's numbers."""
    s = lib.sock()
    for opt, val in ((1, 1), (4, 30), (5, 5), (6, 4)):      # NODELAY, KEEP*
        s.setsockopt(SOL_MYTCP, opt, val)
        assert s.getsockopt(SOL_MYTCP, opt) == val, "SOL_MYTCP option %d" % opt
        assert s.getsockopt(socket.IPPROTO_TCP, opt) == val, "levels disagree on %d" % opt


@test(only="mytcp")
def mytcp_info():
    """MYTCP_INFO reports ESTABLISHED, an MSS and the byte counts of the connection."""
    c, s, _ = lib.connected()
    c.sendall(b"x" * 1000)
    assert lib.recv_exact(s, 1000) == b"x" * 1000
    size = struct.calcsize(MYTCP_INFO_FMT)

    def info():
        raw = c.getsockopt(SOL_MYTCP, MYTCP_INFO, size)
        assert len(raw) == size, "MYTCP_INFO returned %d bytes, struct is %d" % (len(raw), size)
        return struct.unpack(MYTCP_INFO_FMT, raw)
    lib.wait_for(lambda: info()[16] == 1000, 5, "bytes_acked == 1000")
    f = info()
    assert f[0] == lib.ESTABLISHED, "state %d" % f[0]
    assert 500 <= f[1] <= 1460, "mss %d" % f[1]
    sent = (f[5] - f[2]) & 0xffffffff
    assert sent == 1001, "snd_nxt - iss = %d, expected 1000 bytes + SYN" % sent
    assert f[4] == f[5], "all data acknowledged but snd_una %d != snd_nxt %d" % (f[4], f[5])


@test()
def linger_zero_resets():
    """close() with SO_LINGER {1, 0} resets: the peer's recv() gives ECONNRESET."""
    c, s, _ = lib.connected()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    assert struct.unpack("ii", c.getsockopt(socket.SOL_SOCKET, socket.SO_LINGER, 8)) == (1, 0)
    c.close()
    lib.wait_poll(s, select.POLLERR, events=0)
    lib.expect_errno(errno.ECONNRESET, s.recv, 10)
    assert s.recv(10) == b"", "recv after the reset error is not EOF"


@test()
def linger_zero_no_time_wait():
    """An SO_LINGER {1, 0} close leaves no TIME_WAIT and no row on either side."""
    a, b = lib.netpair()
    c, s, lst = lib.connected(a, b)
    cport, sport = lib.sockname(c)[1], lib.sockname(lst)[1]
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    lib.wait_state(a, cport, sport, None)
    lib.wait_poll(s, select.POLLERR, events=0)
    s.close()
    lib.wait_state(b, sport, cport, None)


@test()
def close_with_unread_data_resets():
    """close() with unread received data sends RST: the peer gets ECONNRESET."""
    c, s, _ = lib.connected()
    c.sendall(b"never read")
    lib.wait_poll(s, select.POLLIN)
    s.close()
    lib.wait_poll(c, select.POLLERR, events=0)
    lib.expect_errno(errno.ECONNRESET, c.recv, 10)


@test()
def so_error_after_reset():
    """After an RST SO_ERROR reads ECONNRESET once, then 0."""
    c, s, _ = lib.connected()
    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    c.close()
    lib.wait_poll(s, select.POLLERR, events=0)
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == errno.ECONNRESET
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0


@test()
def reuseaddr_reads_back():
    """SO_REUSEADDR reads back as set."""
    s = lib.sock()
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) == 0
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    assert s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) == 1


@test()
def unknown_tcp_option():
    """An unknown option at IPPROTO_TCP gives ENOPROTOOPT."""
    s = lib.sock()
    lib.expect_errno(errno.ENOPROTOOPT, s.getsockopt, socket.IPPROTO_TCP, 250)
    lib.expect_errno(errno.ENOPROTOOPT, s.setsockopt, socket.IPPROTO_TCP, 250, 1)


@test()
def listed_in_own_proc_file():
    """A connection shows in /proc/net of its own protocol only (mytcp is not TCP)."""
    a, b = lib.netpair()
    c, s, lst = lib.connected(a, b)
    port = lib.sockname(lst)[1]
    rows = [r for r in lib.proc_rows(b) if r["local"][1] == port]
    assert sorted(r["st"] for r in rows) == [lib.ESTABLISHED, lib.LISTEN], rows
    if lib.PROTO != socket.IPPROTO_TCP:
        with lib.ns(b):
            with open("/proc/thread-self/net/tcp") as f:
                tcp = f.read()
        assert (":%04X " % port) not in tcp, "a mytcp port shows in /proc/net/tcp"


if __name__ == "__main__":
    lib.main()
