#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""GSO and checksum offload on the send path (mytcp/offload.c).

lo and veth take GSO skbs of more than one MSS whole, and deliver them as
one skb: the sender's OutGsoSkbs and the receiver's InGsoSkbs count them.
A device that takes one segment per skb (gso_max_segs 1) gets MSS-sized
skbs and no GSO skb at all; one that does not segment protocol 253 itself
(tx-sctp-segmentation off, and tx off: no checksum offload either) gets
the segments our gso_segment callback cuts (GsoSegments), each with its
own checksum, which the receiver verifies (InCsumErrors stays).  Every
transfer is checked byte for byte (sha256).  mytcp only: the counters are
its own."""

import contextlib
import socket
import subprocess

import lib
from lib import test

N = 4 << 20


def moved(before, after, *names):
    return {k: after.get(k, 0) - before.get(k, 0) for k in names}


def transfer(client_ns, server_ns, n=N):
    """n bytes from client to server: returns (client's, server's)
    counter changes."""
    c, s, _ = lib.connected(client_ns, server_ns)
    cb, sb = lib.counters(client_ns), lib.counters(server_ns)
    c.settimeout(60)
    s.settimeout(60)
    data = lib.payload(n, seed=n)
    join = lib.in_thread(lambda: (c.sendall(data),
                                  c.shutdown(socket.SHUT_WR)))
    got = lib.recv_all(s)
    join(60)
    assert len(got) == n, "received %d bytes, sent %d" % (len(got), n)
    assert lib.sha256(got) == lib.sha256(data), "the data differs"
    names = ("OutGsoSkbs", "GsoSegments", "InGsoSkbs", "InCsumErrors",
             "OutSegs")
    return (moved(cb, lib.counters(client_ns), *names),
            moved(sb, lib.counters(server_ns), *names))


def ethtool(netns, *args):
    run = subprocess.run(["ip", "netns", "exec", netns.name, "ethtool", "-K",
                          lib.link_of(netns)] + list(args),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=30)
    if run.returncode != 0:
        raise lib.Skip("ethtool -K %s: %s" % (" ".join(args), run.stderr.strip()))


@contextlib.contextmanager
def features(netns, *args):
    """ethtool -K on netns's veth for the block, "on" again after."""
    try:
        ethtool(netns, *args)
        yield
    finally:
        ethtool(netns, *[a if a != "off" else "on" for a in args])


@contextlib.contextmanager
def gso_max_segs(netns, n):
    link = lib.link_of(netns)
    lib.ip_batch(["link set %s gso_max_segs %d" % (link, n)], netns)
    try:
        yield
    finally:
        lib.ip_batch(["link set %s gso_max_segs 65535" % link], netns)


@test(timeout=90, only="mytcp")
def veth_carries_gso_skbs():
    """Over veth with default offloads, skbs of more than one MSS go out
    (OutGsoSkbs) and arrive whole (InGsoSkbs); the data is intact."""
    a, b = lib.netpair()
    out, inn = transfer(a, b)
    lib.diag("sender %s, receiver %s" % (out, inn))
    assert out["OutGsoSkbs"] > 0, "no GSO skb sent: %s" % out
    assert inn["InGsoSkbs"] > 0, "no GSO skb received: %s" % inn
    assert inn["InCsumErrors"] == 0, inn


@contextlib.contextmanager
def lo_mtu(netns, mtu):
    """lo's MTU in netns for the block (65536 after): at 65536 one MSS is
    already 64 KiB, and no skb needs GSO."""
    lib.ip_batch(["link set lo mtu %d" % mtu], netns)
    try:
        yield
    finally:
        lib.ip_batch(["link set lo mtu 65536"], netns)


@test(timeout=90, only="mytcp")
def loopback_carries_gso_skbs():
    """Over lo (a connection to the namespace's own address, lo's MTU set
    to 1500), GSO skbs go and arrive whole; the data is intact."""
    a, _ = lib.netpair()
    with lo_mtu(a, 1500):
        out, inn = transfer(a, a)
    lib.diag("both ends %s / %s" % (out, inn))
    assert out["OutGsoSkbs"] > 0, "no GSO skb sent: %s" % out
    assert out["InGsoSkbs"] > 0, "no GSO skb received: %s" % out


@test(timeout=90, only="mytcp")
def one_segment_per_skb_device():
    """With gso_max_segs 1 on the sender's veth, no GSO skb is built: the
    receiver gets only MSS-sized skbs, the data intact."""
    a, b = lib.netpair()
    with gso_max_segs(a, 1):
        out, inn = transfer(a, b)
    lib.diag("sender %s, receiver %s" % (out, inn))
    assert out["OutGsoSkbs"] == 0, "GSO skbs sent: %s" % out
    assert inn["InGsoSkbs"] == 0, "GSO skbs received: %s" % inn
    assert out["OutSegs"] >= N // 1500, out


@test(timeout=90, only="mytcp")
def software_segmentation_and_checksum():
    """With the veth neither segmenting protocol 253 nor checksumming (tx
    off), our gso_segment cuts the GSO skbs (GsoSegments) and checksums
    each piece; the receiver gets MSS-sized segments, verifies every
    checksum (InCsumErrors stays 0) and the data is intact."""
    a, b = lib.netpair()
    with features(a, "tx", "off", "tx-sctp-segmentation", "off"):
        out, inn = transfer(a, b)
    lib.diag("sender %s, receiver %s" % (out, inn))
    assert out["OutGsoSkbs"] > 0, "no GSO skb sent: %s" % out
    assert out["GsoSegments"] > out["OutGsoSkbs"], out
    assert inn["InGsoSkbs"] == 0, "GSO skbs reached the receiver: %s" % inn
    assert inn["InCsumErrors"] == 0, inn


if __name__ == "__main__":
    lib.main()
