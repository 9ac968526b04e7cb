#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""RFC 7323 timestamps (mytcp/tstamp.c) seen from outside.

tshark on the veth sees a TSopt (kind 8, length 10) on every segment of a
transfer, both directions, SYNs included, as TCP's; with
net.mytcp.timestamps 0 on both ends, on none.  MYTCP_INFO reports the
option bit, TS.Recent and the last TSval sent, and an MSS 12 octets
smaller (1448 on the veth's 1500 MTU)."""

import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

import lib
from lib import test

# IPv4 only: the capture filter and the MSS arithmetic are IPv4's
FAMILIES = ("v4",)

SOL_MYTCP = lib.IPPROTO_MYTCP
MYTCP_INFO = 200
# struct mytcp_info: 16 __u32, 2 __u64, then 14 __u32 (the last four:
# options, ts_recent, last_tsval_sent, reserved3)
MYTCP_INFO_FMT = "=16I2Q14I"
MYTCPI_OPT_TIMESTAMPS = 1
MYTCPI_OPT_WSCALE = 4
N = 256 * 1024


def in_ns(netns, args):
    return ["ip", "netns", "exec", netns.name] + list(args)


class Capture:
    """tshark printing the protocol's segments on a namespace's veth, as
    test_observe.py runs it: decoded as TCP, one line per segment."""

    def __init__(self, netns):
        if not shutil.which("tshark"):
            raise lib.Skip("no tshark")
        self.tmp = tempfile.mkdtemp(prefix="tstamp.")
        self.out = os.path.join(self.tmp, "tshark.out")
        self.err = os.path.join(self.tmp, "tshark.err")
        mytcp = lib.PROTO == lib.IPPROTO_MYTCP
        decode = ["-d", "ip.proto==253,tcp"] if mytcp else []
        fo, fe = open(self.out, "w"), open(self.err, "w")
        self.proc = subprocess.Popen(
            in_ns(netns, ["tshark", "-i", lib.link_of(netns), "-l", "-n",
                          "-a", "duration:120"] + decode +
                  ["-f", "ip proto 253" if mytcp else "tcp",
                   "-T", "fields", "-e", "tcp.flags",
                   "-e", "tcp.options.timestamp.tsval",
                   "-e", "tcp.options.timestamp.tsecr", "-e", "tcp.len"]),
            stdout=fo, stderr=fe)
        fo.close()
        fe.close()

        def capturing():
            with open(self.err) as f:
                text = f.read()
            if self.proc.poll() is not None:
                raise AssertionError("tshark exited: " + text.strip())
            return "Capturing on" in text
        lib.wait_for(capturing, 60, "tshark to start capturing")
        self.mark = 0

    def lines(self):
        with open(self.out) as f:
            return f.read().splitlines()

    def prime(self, a, b):
        """tshark says "Capturing on" before dumpcap sees anything: open
        and close connections until it has seen one.  What it saw before
        this returns is left out of stop()'s list."""
        def seen():
            c, s, lst = lib.connected(b, a)
            for x in (c, s, lst):
                x.close()
            lib.settle([a, b])
            return len(self.lines()) > 0
        lib.wait_for(seen, 60, "tshark to see a connection", interval=0.5)
        time.sleep(0.5)
        self.mark = len(self.lines())

    def stop(self):
        """Stop the capture: the segments as (flags, tsval, tsecr, len),
        tsval None where no TSopt was decoded."""
        time.sleep(0.5)
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(30)
        segs = []
        for line in self.lines()[self.mark:]:
            v = (line.split("\t") + ["", "", "", ""])[:4]
            if not v[0]:
                continue
            segs.append((int(v[0], 16), int(v[1]) if v[1] else None,
                         int(v[2]) if v[2] else None, int(v[3] or 0)))
        if not segs:
            with open(self.err) as f:
                lib.diag("tshark: " + f.read())
        return segs


def transfer(a, b, n=N):
    """n bytes from a client in B to a server in A, and n back; closed."""
    c, s, lst = lib.connected(b, a)
    c.settimeout(30)
    s.settimeout(30)
    data = lib.payload(n, seed=7)
    join = lib.in_thread(lambda: (c.sendall(data), c.shutdown(socket.SHUT_WR)))
    got = lib.recv_all(s)
    join(30)
    assert got == data, "received %d bytes, sent %d" % (len(got), len(data))
    s.sendall(data[:n // 4])
    s.shutdown(socket.SHUT_WR)
    back = lib.recv_all(c)
    assert back == data[:n // 4], "the reply differs"
    c.close()
    s.close()
    lst.close()
    lib.settle([a, b])


@test(timeout=120)
def tsopt_on_every_segment():
    """tshark on the veth: every segment of a transfer both ways but RSTs,
    the SYN and SYN-ACK included, carries a TSopt; the SYN's TSecr is 0."""
    a, b = lib.netpair()
    cap = Capture(a)
    try:
        cap.prime(a, b)
        transfer(a, b)
    finally:
        segs = cap.stop()
    assert len(segs) > 20, "tshark saw only %d segments" % len(segs)
    bare = [s for s in segs if s[1] is None and not s[0] & 0x04]
    assert not bare, "%d of %d segments without a TSopt, e.g. flags %#x len %d" % (
        len(bare), len(segs), bare[0][0], bare[0][3])
    syns = [s for s in segs if s[0] & 0x12 == 0x02]
    assert syns and syns[0][2] == 0, "the SYN's TSecr is %r" % (syns[:1],)


@test(timeout=120, only="mytcp")
def sysctl_off_gives_none():
    """net.mytcp.timestamps 0 on both ends: tshark sees no TSopt on any
    segment, and MYTCP_INFO has the option bit clear and the full MSS."""
    a, b = lib.netpair()
    with lib.mytcp_sysctl("timestamps", 0, a), lib.mytcp_sysctl("timestamps", 0, b):
        cap = Capture(a)
        try:
            cap.prime(a, b)
            c, s, lst = lib.connected(b, a)
            f = info(c)
            c.sendall(b"x" * 10000)
            lib.recv_exact(s, 10000)
            c.close()
            s.close()
            lst.close()
            lib.settle([a, b])
        finally:
            segs = cap.stop()
    assert segs, "tshark saw nothing"
    with_ts = [x for x in segs if x[1] is not None]
    assert not with_ts, "%d of %d segments carry a TSopt" % (len(with_ts), len(segs))
    assert not f["options"] & MYTCPI_OPT_TIMESTAMPS, "options %#x" % f["options"]
    assert f["mss"] == lib.MTU - 40, "mss %d, wanted %d" % (f["mss"], lib.MTU - 40)


def info(s):
    raw = s.getsockopt(SOL_MYTCP, MYTCP_INFO, struct.calcsize(MYTCP_INFO_FMT))
    assert len(raw) == struct.calcsize(MYTCP_INFO_FMT), \
        "MYTCP_INFO returned %d bytes, wanted %d" % (len(raw), struct.calcsize(MYTCP_INFO_FMT))
    v = struct.unpack(MYTCP_INFO_FMT, raw)
    return {"state": v[0], "mss": v[1], "options": v[-4], "ts_recent": v[-3],
            "last_tsval_sent": v[-2], "reserved3": v[-1]}


@test(only="mytcp")
def info_reports_timestamps():
    """MYTCP_INFO on both ends of a veth connection: the timestamps and
    window scale bits, an MSS of 1448 (1500 - 20 - 20 - 12), a TS.Recent
    equal to the other end's last TSval once the data is acknowledged."""
    a, b = lib.netpair()
    c, s, _ = lib.connected(b, a)
    c.sendall(b"x" * 5000)
    assert lib.recv_exact(s, 5000) == b"x" * 5000
    s.sendall(b"y" * 100)
    assert lib.recv_exact(c, 100) == b"y" * 100
    time.sleep(0.3)     # the delayed ACKs are out
    fc, fs = info(c), info(s)
    for name, f in (("client", fc), ("server", fs)):
        assert f["options"] & MYTCPI_OPT_TIMESTAMPS, "%s options %#x" % (name, f["options"])
        assert f["options"] & MYTCPI_OPT_WSCALE, "%s options %#x" % (name, f["options"])
        assert f["mss"] == lib.MTU - 52, "%s mss %d, wanted %d" % (name, f["mss"], lib.MTU - 52)
        assert f["last_tsval_sent"] != 0 or f["ts_recent"] != 0, "%s: no timestamps" % name
        assert f["reserved3"] == 0, "%s reserved3 %d" % (name, f["reserved3"])
    assert fc["ts_recent"] == fs["last_tsval_sent"], \
        "client's TS.Recent %d, server's last TSval %d" % (fc["ts_recent"], fs["last_tsval_sent"])
    assert fs["ts_recent"] == fc["last_tsval_sent"], \
        "server's TS.Recent %d, client's last TSval %d" % (fs["ts_recent"], fc["last_tsval_sent"])
    maxseg = c.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
    assert maxseg == lib.MTU - 52, "TCP_MAXSEG %d" % maxseg


@test()
def tcp_maxseg_accounts_for_timestamps():
    """TCP_MAXSEG on a veth connection with timestamps (the default on both
    protocols) is 1448, the MSS less the option's 12 octets, as TCP's."""
    a, b = lib.netpair()
    c, s, _ = lib.connected(b, a)
    c.sendall(b"x" * 3000)
    lib.recv_exact(s, 3000)
    for x in (c, s):
        maxseg = x.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
        assert maxseg == lib.MTU - 52, "TCP_MAXSEG %d, wanted %d" % (maxseg, lib.MTU - 52)


if __name__ == "__main__":
    lib.main()
