#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""ICMPv6 Packet Too Big (RFC 8201) over the routed path A - R - B.

R forwards at most 1280 bytes between A and B over IPv6 while both hosts'
devices have an MTU of 1500 (lib.routed_path()): a full-sized segment is
dropped by R with a Packet Too Big, and only a sender that listens to it
gets through.  Then forged messages from B: one reporting an MTU below
IPv6's minimum of 1280 (dropped and counted: the estimate never goes
below 1280), one quoting a sequence number outside the window (dropped
and counted, RFC 5927), one that is believed."""

import socket
import struct

import lib
from lib import test

move = lib.transfer

# the IPv6 half of the PMTU tests (runner.py reads this)
FAMILIES = ("v6",)

IPV6_MTU = 24
PATH_MTU = 1280
MYTCP_INFO = 200
MYTCP_INFO_FMT = "=16I2Q"
# the RFC 7323 timestamps both ends negotiate by default take 12 octets of
# every segment: MYTCP_INFO's mss is the data a segment carries
TS_LEN = 12
ICMPV6_PKT_TOOBIG = 2


def path_pair():
    """A connection from A to a listener on B over the routed path, IPv6."""
    a, _, b = lib.routed_path(PATH_MTU)
    lst, port = lib.listener(b)
    c = lib.sock(a)
    lib.bconnect(c, (lib.PATH6_B, port))
    lst.settimeout(10)
    s, _ = lst.accept()
    lib.track(s)
    return c, s


@test(timeout=120)
def one_mib_both_ways_through_narrow_path():
    """1 MiB each way crosses a path narrower than both ends' MTU: the
    sender learns the path MTU from R's ICMPv6 Packet Too Big and sends
    smaller segments.  Afterwards IPV6_MTU on both sockets says 1280."""
    a, _, b = lib.routed_path(PATH_MTU)
    lib.forget_pmtu((a, b))
    before = lib.counters(a)
    c, s = path_pair()
    took_ab = move(c, s, 1 << 20, 1, 40)
    took_ba = move(s, c, 1 << 20, 2, 40)
    lib.diag("1 MiB A->B in %.1f s, B->A in %.1f s" % (took_ab, took_ba))
    for x, where in ((c, "A"), (s, "B")):
        mtu = x.getsockopt(socket.IPPROTO_IPV6, IPV6_MTU)
        assert mtu == PATH_MTU, "IPV6_MTU on %s's socket is %d, not %d" % (
            where, mtu, PATH_MTU)
    if lib.PROTO == lib.IPPROTO_MYTCP:
        after = lib.counters(a)
        for k in ("InIcmp6PktTooBig", "PmtuUpdates"):
            assert after[k] > before[k], "%s did not move in A" % k


def info(s):
    raw = s.getsockopt(lib.IPPROTO_MYTCP, MYTCP_INFO,
                       struct.calcsize(MYTCP_INFO_FMT))
    f = struct.unpack(MYTCP_INFO_FMT, raw)
    return {"mss": f[1], "snd_una": f[4], "snd_nxt": f[5]}


def forge_ptb(b, c, mtu, seq):
    """From B, a Packet Too Big to A quoting a segment of c's connection
    (A -> B) with sequence number seq; the kernel sums the ICMPv6."""
    src, sport = c.getsockname()[:2]
    dst, dport = c.getpeername()[:2]
    quoted_hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 0x50, 0x10,
                             65535, 0, 0)
    ip6 = struct.pack("!IHBB16s16s", 6 << 28, len(quoted_hdr), lib.IPPROTO_MYTCP,
                      64, socket.inet_pton(socket.AF_INET6, src),
                      socket.inet_pton(socket.AF_INET6, dst))
    msg = struct.pack("!BBHI", ICMPV6_PKT_TOOBIG, 0, 0, mtu) + ip6 + quoted_hdr
    with lib.ns(b):
        r = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    try:
        r.sendto(msg, (src, 0))
    finally:
        r.close()


@test(only="mytcp")
def forged_ptb_below_minimum_and_out_of_window():
    """A Packet Too Big for an MTU below 1280 is dropped and counted
    (Icmp6PtbBelowMin; RFC 8201 section 4, as TCP), one quoting a sequence
    number outside SND.UNA..SND.MAX is dropped and counted
    (IcmpOutOfWindow); the MSS stays.  An in-window one for 1300 is taken:
    the MSS becomes 1300 - 60 (less the 12 octets of the timestamps)."""
    a, _, b = lib.routed_path(PATH_MTU)
    lib.forget_pmtu((a, b))
    c, s = path_pair()
    i = info(c)
    mss = i["mss"]
    # nothing learnt yet: B announced 1500 - 60, and a Packet Too Big taken
    # at 1000 would have lowered it to what 1280 allows
    assert mss == 1440 - TS_LEN, i
    before = lib.counters(a)
    forge_ptb(b, c, 1000, i["snd_una"])
    lib.wait_for(lambda: lib.counters(a)["Icmp6PtbBelowMin"] > before["Icmp6PtbBelowMin"],
                 5, "Icmp6PtbBelowMin to move")
    forge_ptb(b, c, 1300, i["snd_una"] + 100000)
    lib.wait_for(lambda: lib.counters(a)["IcmpOutOfWindow"] > before["IcmpOutOfWindow"],
                 5, "IcmpOutOfWindow to move")
    after = lib.counters(a)
    assert after["PmtuUpdates"] == before["PmtuUpdates"], (before, after)
    assert info(c)["mss"] == mss, "MSS moved from %d to %d" % (mss, info(c)["mss"])
    forge_ptb(b, c, 1300, info(c)["snd_una"])
    lib.wait_for(lambda: info(c)["mss"] == 1300 - 60 - TS_LEN, 5,
                 "the MSS to become %d (it is %d)" % (1300 - 60 - TS_LEN, info(c)["mss"]))
    assert lib.counters(a)["PmtuUpdates"] == before["PmtuUpdates"] + 1
    assert c.getsockopt(socket.IPPROTO_IPV6, IPV6_MTU) == 1300
    # and the connection still carries data
    move(c, s, 100000, 4, 20)


if __name__ == "__main__":
    lib.main()
