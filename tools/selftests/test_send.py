#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The sending side and its timers: the ACKs a reader causes, keepalive
switched on after the handshake, retransmission of a lost small segment,
and how the timers show in /proc/net (tr column) and in the
mytcp_retransmit tracepoint.

Segments sent are counted with the namespace's OutSegs (/proc/net/snmp for
tcp, /proc/net/mytcp_stat for mytcp); the veth pair belongs to this test
process, so nothing else moves them."""

import errno
import fcntl
import os
import re
import select
import socket
import struct
import termios
import time

import lib
from lib import PSH, test

TRACEFS = "/sys/kernel/tracing"
SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)


# ------------------------------------------------------------------ helpers

def out_segs(netns):
    """Segments the namespace has sent (the protocol under test only)."""
    with lib.ns(netns):
        if lib.PROTO == lib.IPPROTO_MYTCP:
            with open("/proc/thread-self/net/mytcp_stat") as f:
                stat = dict(ln.split() for ln in f if ln.strip())
            return int(stat["OutSegs"])
        with open("/proc/thread-self/net/snmp") as f:
            rows = [ln.split() for ln in f if ln.startswith("Tcp:")]
    return int(rows[1][rows[0].index("OutSegs")])


def outq(s):
    """SIOCOUTQ: bytes written and not yet acknowledged."""
    return struct.unpack("i", fcntl.ioctl(s.fileno(), termios.TIOCOUTQ,
                                          b"\0\0\0\0"))[0]


def raw_rows(netns):
    """The split lines of /proc/net/tcp (or mytcp) in netns."""
    with lib.ns(netns):
        with open("/proc/thread-self/net/" + lib.proc_net_file()) as f:
            return [ln.split() for ln in f.read().splitlines()[1:]]


def row_of(netns, sock):
    """The /proc row of a connected socket (by its local and remote port)."""
    lport, rport = lib.sockname(sock)[1], lib.peername(sock)[1]
    for f in raw_rows(netns):
        if int(f[1].split(":")[1], 16) == lport and \
                int(f[2].split(":")[1], 16) == rport:
            return f
    raise AssertionError("no row for :%d -> :%d" % (lport, rport))


def timer_of(netns, sock):
    """The tr column of a socket's row, as a number."""
    return int(row_of(netns, sock)[5].split(":")[0], 16)


def acked(src, timeout=5):
    """Wait until everything src wrote is acknowledged (its ACK has come)."""
    lib.wait_for(lambda: outq(src) == 0, timeout, "the data acknowledged")


def set_keepalive_knobs(s, idle, intvl, cnt):
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, idle)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, intvl)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, cnt)


def expect_keepalive_death(c, netns_peer, within):
    """With the peer's answers lost, c ends with ETIMEDOUT within `within` s."""
    lib.set_timeval(c, socket.SO_RCVTIMEO, within)
    start = time.monotonic()
    with lib.netem(netns_peer, "loss 100%"):
        lib.expect_errno(errno.ETIMEDOUT, c.recv, 1)
    took = time.monotonic() - start
    assert took < within, "keepalive took %.1f s" % took


# ------------------------------------------- window updates from the reader

def reads_send_nothing(rcvbuf=None):
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    if rcvbuf:
        lst.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port))
    lst.settimeout(10)
    s, _ = lst.accept()
    lib.track(s)
    for rnd in range(3):
        c.sendall(b"x" * 100)
        lib.wait_poll(s, select.POLLIN, 5)
        acked(c)
        before = out_segs(b)
        assert s.recv(1000) == b"x" * 100
        for _ in range(3):
            lib.expect_errno(errno.EAGAIN, s.recv, 1000, socket.MSG_DONTWAIT)
        # no segment is due: anything the reads caused would be out by now
        time.sleep(0.3)
        sent = out_segs(b) - before
        assert sent == 0, "round %d: the reads sent %d segment(s)" % (rnd, sent)


@test()
def recv_sends_no_needless_ack():
    """Reading 100 bytes (and then EAGAIN) opens the window by less than an MSS: no segment goes out."""
    reads_send_nothing()


@test()
def recv_sends_no_needless_ack_large_buffer():
    """With a receive buffer beyond the largest scaled window, reads still send no ACK."""
    reads_send_nothing(64 << 20)


# ------------------------------------------------------------------ keepalive

@test(timeout=40)
def keepalive_armed_after_connect():
    """SO_KEEPALIVE set on an established connection starts the keepalive timer (tr 2); switched off, it stops."""
    a, b = lib.netpair()
    c, s, _ = lib.connected(a, b)
    set_keepalive_knobs(c, 1, 1, 2)
    assert timer_of(a, c) == 0, row_of(a, c)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    assert timer_of(a, c) == 2, "keepalive timer not armed: %s" % row_of(a, c)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 0)
    assert timer_of(a, c) == 0, "keepalive timer still armed: %s" % row_of(a, c)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    expect_keepalive_death(c, b, 15)


@test(timeout=40)
def keepidle_after_keepalive():
    """TCP_KEEPIDLE lowered after SO_KEEPALIVE takes effect at once: the dead peer is found in seconds."""
    a, b = lib.netpair()
    c, s, _ = lib.connected(a, b)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
    set_keepalive_knobs(c, 1, 1, 2)
    expect_keepalive_death(c, b, 15)


# ------------------------------------------------------------ retransmission

def measured_pair():
    """A connected pair (a, b, client, server side) whose client has an RTT
    sample, so its RTO is short."""
    a, b = lib.netpair()
    c, s, _ = lib.connected(a, b)
    c.sendall(b"w" * 10)
    assert lib.recv_exact(s, 10) == b"w" * 10
    acked(c)
    return a, b, c, s


@test(timeout=40)
def lost_small_segment_is_retransmitted():
    """A lone 100-byte segment that is lost goes again on the timeout (Nagle does not hold a retransmission)."""
    a, b, c, s = measured_pair()
    rtx = lib.counters(a).get("RetransSegs", 0)
    # B's ingress drops the first segment with PSH: the 100 bytes (140 to
    # 152 bytes with the headers), and only once
    with lib.drop_first(b, PSH, PSH, size=200) as st:
        c.sendall(b"y" * 100)
        lib.wait_poll(s, select.POLLIN, 8)
        drops = st()["drops"]
    assert drops == 1, "the filter dropped %d segments, wanted 1" % drops
    assert lib.recv_exact(s, 100) == b"y" * 100
    assert lib.counters(a).get("RetransSegs", 0) > rtx, "RetransSegs did not move"


@test(timeout=40)
def lost_burst_with_small_tail_is_retransmitted():
    """Full segments and a small last one, all lost: everything arrives after the timeout."""
    a, b, c, s = measured_pair()
    data = lib.payload(3 * 1448 + 100, 7)
    with lib.netem(a, "loss 100%"):
        c.sendall(data)
    s.settimeout(10)
    assert lib.recv_exact(s, len(data)) == data


# ------------------------------------------------------ /proc/net timer rows

@test()
def listen_row_queues():
    """A LISTEN row's tx_queue is 0 and its rx_queue the accept queue length, as in /proc/net/tcp."""
    a, b = lib.netpair()
    lst, port = lib.listener(b, backlog=7)
    rows = [r for r in lib.proc_rows(b) if r["local"][1] == port]
    assert [(r["st"], r["tx_queue"], r["rx_queue"]) for r in rows] == \
        [(lib.LISTEN, 0, 0)], rows
    cs = [lib.sock(a) for _ in range(2)]
    for c in cs:
        lib.bconnect(c, (lib.ADDR_B, port))
    lib.wait_for(lambda: [(r["tx_queue"], r["rx_queue"]) for r in lib.proc_rows(b)
                          if r["local"][1] == port and r["st"] == lib.LISTEN]
                 == [(0, 2)], 5, "LISTEN row with two queued connections")


@test(timeout=60)
def persist_timer_row():
    """A sender facing a zero window shows the persist (probe) timer, tr 4."""
    a, b = lib.netpair()
    lst, port = lib.listener(b)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    c = lib.sock(a)
    lib.bconnect(c, (lib.ADDR_B, port))
    lst.settimeout(10)
    s, _ = lst.accept()
    lib.track(s)
    c.setblocking(False)
    sent = 0
    deadline = time.monotonic() + 10
    # fill the peer's buffer and our own: the window closes
    while time.monotonic() < deadline:
        try:
            sent += c.send(b"z" * 65536)
        except BlockingIOError:
            if lib.pollev(c, select.POLLOUT, 0.5) == 0:
                break
    last = []

    def probing():
        last[:] = [row_of(a, c)]
        return timer_of(a, c) == 4
    try:
        lib.wait_for(probing, 20, "tr 4")
    except AssertionError:
        raise AssertionError("sender's timer is not persist (4): %s" % last) from None
    # reading reopens the window and all of it arrives
    s.settimeout(20)
    c.setblocking(True)
    c.shutdown(socket.SHUT_WR)
    got = lib.recv_all(s)
    assert len(got) == sent, "%d of %d bytes" % (len(got), sent)


# ------------------------------------------------------------- tracepoint

@test(timeout=60, only="mytcp")
def retransmit_trace_reports_expired_rto():
    """A SYN lost twice: the two mytcp_retransmit events say rto_us=1000000 then 2000000, the timeouts that ran out."""
    a, b = lib.netpair()
    if not os.path.exists(os.path.join(TRACEFS, "events", "mytcp")):
        raise AssertionError("no %s/events/mytcp" % TRACEFS)
    inst = os.path.join(TRACEFS, "instances", "send-%d" % os.getpid())
    os.mkdir(inst)
    try:
        with open(os.path.join(inst, "events", "mytcp", "mytcp_retransmit", "enable"), "w") as f:
            f.write("1")
        lst, port = lib.listener(b)
        c = lib.sock(a)
        c.setblocking(False)
        with lib.netem(a, "loss 100%"):
            try:
                c.connect((lib.ADDR_B, port))
            except BlockingIOError:
                pass
            cport = lib.sockname(c)[1]

            def events():
                with open(os.path.join(inst, "trace")) as f:
                    return [ln for ln in f.read().splitlines()
                            if "mytcp_retransmit:" in ln and
                            "%s %s " % (lib.addrport(lib.ADDR_A, cport),
                                        lib.addrport(lib.ADDR_B, port)) in ln]
            ev = lib.wait_for(lambda: len(events()) >= 2 and events(), 10,
                              "two SYN retransmissions")
        lib.wait_poll(c, select.POLLOUT, 10)
        with open(os.path.join(inst, "events", "mytcp", "mytcp_retransmit", "enable"), "w") as f:
            f.write("0")
    finally:
        os.rmdir(inst)
    rtos = [int(re.search(r"rto_us=(\d+)", e).group(1)) for e in ev[:2]]
    assert rtos == [1000000, 2000000], ev


if __name__ == "__main__":
    lib.main()
