#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Connection states through the handshake and the close, seen on both sides.

States are read from /proc/net/mytcp for mytcp and /proc/net/tcp for tcp
(same layout: st is the TCP_* number).  netem on the veth makes short-lived
states (SYN_RECV, LAST_ACK, FIN_WAIT1) last long enough to be seen."""

import os
import select
import socket
import time

import lib
from lib import test, ESTABLISHED, SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, \
    TIME_WAIT, CLOSE_WAIT, LAST_ACK


def pair():
    """A connected pair across the veth: (a, b, client, server, cport, sport)."""
    a, b = lib.netpair()
    c, s, lst = lib.connected(a, b)
    lst.close()
    return a, b, c, s, lib.sockname(c)[1], lib.sockname(s)[1]


@test()
def handshake_states():
    """Client SYN_SENT and server SYN_RECV while the SYN-ACK is delayed, then ESTABLISHED."""
    a, b = lib.netpair()
    lst, sport = lib.listener(b)
    c = lib.sock(a)
    c.setblocking(False)
    # B's SYN-ACKs are lost while the block lasts, so both states hold
    # however slowly this runs; after it, the next SYN or SYN-ACK sent
    # again completes the handshake
    with lib.netem(b, "loss 100%"):
        assert c.connect_ex((lib.ADDR_B, sport)) == 115    # EINPROGRESS
        cport = lib.sockname(c)[1]
        lib.wait_state(a, cport, sport, SYN_SENT)
        lib.wait_state(b, sport, cport, SYN_RECV)
    lib.wait_poll(c, select.POLLOUT, timeout=15)
    lib.wait_state(a, cport, sport, ESTABLISHED)
    lib.wait_state(b, sport, cport, ESTABLISHED)


@test()
def active_close_states():
    """Active closer: FIN_WAIT2 then TIME_WAIT; the other side CLOSE_WAIT, LAST_ACK, gone.

    The closer's last ACK is dropped for a while, so LAST_ACK lasts long
    enough to be seen and the TIME_WAIT side must ACK the retransmitted FIN."""
    a, b, c, s, cport, sport = pair()
    c.close()
    lib.wait_state(a, cport, sport, FIN_WAIT2)
    lib.wait_state(b, sport, cport, CLOSE_WAIT)
    s.settimeout(10)
    assert s.recv(1) == b""
    # (a delay instead of a loss would let ACKs of retransmitted FINs reach
    # the closed peer, whose RST then ends TIME_WAIT early: RFC 1337)
    with lib.netem(a, "loss 100%"):
        s.close()
        lib.wait_state(b, sport, cport, LAST_ACK)
        lib.wait_state(a, cport, sport, TIME_WAIT)
    lib.wait_state(b, sport, cport, None, timeout=15)
    assert lib.states(a, cport, sport) == [TIME_WAIT], \
        "closer left TIME_WAIT early: %s" % lib.state_names(lib.states(a, cport, sport))


@test()
def fin_wait1_until_acked():
    """A FIN that is not acknowledged keeps the closer in FIN_WAIT1."""
    a, b, c, s, cport, sport = pair()
    with lib.netem(a, "loss 100%"):
        c.shutdown(socket.SHUT_WR)
        lib.wait_state(a, cport, sport, FIN_WAIT1)
        assert lib.states(b, sport, cport) == [ESTABLISHED]
    lib.wait_state(a, cport, sport, FIN_WAIT2)
    lib.wait_state(b, sport, cport, CLOSE_WAIT)


@test()
def half_close_states():
    """After SHUT_WR: FIN_WAIT2 / CLOSE_WAIT, data still flows back, then TIME_WAIT."""
    a, b, c, s, cport, sport = pair()
    c.shutdown(socket.SHUT_WR)
    lib.wait_state(a, cport, sport, FIN_WAIT2)
    lib.wait_state(b, sport, cport, CLOSE_WAIT)
    s.settimeout(10)
    assert s.recv(1) == b""
    data = lib.payload(100000, 3)
    s.sendall(data)
    c.settimeout(10)
    assert lib.recv_exact(c, len(data)) == data, "data from the CLOSE_WAIT side differs"
    assert lib.states(a, cport, sport) == [FIN_WAIT2]
    s.close()
    assert c.recv(1) == b"", "no EOF after the peer's close"
    lib.wait_state(a, cport, sport, TIME_WAIT)
    lib.wait_state(b, sport, cport, None)


@test(timeout=60)
def simultaneous_close():
    """Both ends send FIN before seeing the other's: both FIN_WAIT1, both end in TIME_WAIT."""
    a, b, c, s, cport, sport = pair()
    with lib.netem(a, "loss 100%"), lib.netem(b, "loss 100%"):
        c.shutdown(socket.SHUT_WR)
        s.shutdown(socket.SHUT_WR)
        lib.wait_state(a, cport, sport, FIN_WAIT1)
        lib.wait_state(b, sport, cport, FIN_WAIT1)
    # the retransmitted FINs cross: FIN_WAIT1 -> CLOSING -> TIME_WAIT (or via FIN_WAIT2)
    lib.wait_state(a, cport, sport, TIME_WAIT, timeout=20)
    lib.wait_state(b, sport, cport, TIME_WAIT, timeout=20)
    c.settimeout(5)
    s.settimeout(5)
    assert c.recv(1) == b"" and s.recv(1) == b"", "no EOF after simultaneous close"


@test()
def close_delivers_queued_data():
    """close() right after a large send still delivers every byte, then EOF."""
    a, b, c, s, cport, sport = pair()
    data = lib.payload(2 << 20, 11)
    join = lib.in_thread(lambda: (c.sendall(data), c.close()))
    s.settimeout(30)
    got = lib.recv_all(s)
    join(30)
    assert len(got) == len(data) and lib.sha256(got) == lib.sha256(data), \
        "received %d of %d bytes before EOF" % (len(got), len(data))


@test(timeout=60)
def orphan_fin_wait2_times_out():
    """An orphaned FIN_WAIT2 goes away after the FIN timeout; the peer stays in CLOSE_WAIT."""
    a, b = lib.netpair()
    if lib.PROTO == socket.IPPROTO_TCP:
        knob, value = "/proc/sys/net/ipv4/tcp_fin_timeout", 1
    else:
        knob, value = lib.MYTCP_SYSCTL + "/fin_timeout_ms", 1000
        with lib.ns(a):
            if not os.path.exists(knob):
                raise lib.Skip("no " + knob)
    old = lib.read_sysctl(knob, a)
    lib.write_sysctl(knob, value, a)
    try:
        _, _, c, s, cport, sport = pair()
        c.close()
        lib.wait_state(a, cport, sport, FIN_WAIT2)
        t0 = time.monotonic()
        lib.wait_state(a, cport, sport, None, timeout=15)
        lib.diag("orphaned FIN_WAIT2 lasted %.1f s" % (time.monotonic() - t0))
        left = lib.states(b, sport, cport)
        if lib.PROTO == socket.IPPROTO_TCP and not left:
            # Linux's own race: when the ACK of the FIN finds close() still
            # holding the socket, the orphan waits on its keepalive timer,
            # whose expiry (tcp_keepalive_timer) sends a RST; otherwise it
            # becomes a FIN_WAIT2 timewait socket that ends silently
            lib.diag("TCP reset the peer: the FIN_WAIT2 timer path")
            return
        assert left == [CLOSE_WAIT], "the peer went from CLOSE_WAIT to %s: an " \
            "orphaned FIN_WAIT2 ends silently (no RST)" % (lib.state_names(left) or "gone")
    finally:
        lib.write_sysctl(knob, old, a)


@test(timeout=60)
def time_wait_expires():
    """TIME_WAIT ends after net.mytcp.time_wait_ms (mytcp; TCP's is a fixed 60 s)."""
    if lib.PROTO == socket.IPPROTO_TCP:
        raise lib.Skip("TCP's TIME_WAIT is fixed at 60 s")
    a, b = lib.netpair()
    with lib.mytcp_sysctl("time_wait_ms", 1000, a):
        _, _, c, s, cport, sport = pair()
        c.close()
        s.settimeout(10)
        assert s.recv(1) == b""
        s.close()
        lib.wait_state(a, cport, sport, TIME_WAIT)
        t0 = time.monotonic()
        lib.wait_state(a, cport, sport, None, timeout=15)
        dt = time.monotonic() - t0
        lib.diag("TIME_WAIT lasted %.2f s with time_wait_ms 1000" % dt)
        assert dt >= 0.5, "TIME_WAIT ended after %.2f s, set to 1 s" % dt


if __name__ == "__main__":
    lib.main()
