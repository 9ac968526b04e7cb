# SPDX-License-Identifier: GPL-2.0
"""Cases: ICMP errors about segments the module sent.  "Fragmentation
needed" inside and outside SND.UNA..SND.MAX (RFC 1191, RFC 5927 4.1),
unreachables in SYN-SENT (RFC 1122 4.2.3.9, with Linux TCP's errnos), an
ICMP for a listener, and a quote too short to read."""

import errno
import select
import socket
import struct

from scapy.layers.inet import IP
from scapy.packet import Raw

from harness import (CLOSED, LOCAL, REMOTE, SEQ_MOD, case, check,
                     ones_complement_sum, passive_open, wait_for)

IPPROTO_MYTCP = 253
IP_MTU = 14
TCP_MAXSEG = 2
DEST_UNREACH = 3
PROT_UNREACH, PORT_UNREACH, FRAG_NEEDED = 2, 3, 4

ICMP_COUNTERS = ("InIcmpFragNeeded", "PmtuUpdates", "IcmpOutOfWindow",
                 "IcmpNoConnection", "IcmpHardErrors", "IcmpSoftErrors",
                 "IcmpIgnored", "IcmpBadQuote", "IcmpDeferred")


def icmp_error(h, code, sport, dport, seq, mtu=0, quote_len=8,
               icmp_type=DEST_UNREACH):
    """Inject, from REMOTE, an ICMP error quoting a protocol-253 datagram
    LOCAL:@sport -> REMOTE:@dport with absolute sequence number @seq: its
    IP header and the first @quote_len octets of the segment (RFC 792)."""
    seg = struct.pack("!HHI", sport, dport, seq % SEQ_MOD) + bytes(12)
    quoted = bytes(IP(src=LOCAL, dst=REMOTE, proto=IPPROTO_MYTCP, ttl=64,
                      flags="DF") / Raw(seg))[:20 + quote_len]
    body = struct.pack("!BBHHH", icmp_type, code, 0, 0, mtu) + quoted
    csum = ~ones_complement_sum(body) & 0xFFFF
    body = body[:2] + struct.pack("!H", csum) + body[4:]
    h.inject(bytes(IP(src=REMOTE, dst=LOCAL, proto=1, ttl=64) / Raw(body)),
             "ICMP type %d code %d mtu %d quoting %d>%d seq=%d (%d octets)"
             % (icmp_type, code, mtu, sport, dport, seq % SEQ_MOD, quote_len))


def moved(h, before):
    """The ICMP counters that changed since @before, with their change."""
    now = h.stats()
    return {k: now[k] - before[k] for k in ICMP_COUNTERS
            if now[k] != before[k]}


def two_segments(h):
    """An accepted connection (our MSS 1460) and 2920 octets the module
    sends as two full segments; returns (socket, conn)."""
    ls, s, c = passive_open(h)
    s.sendall(b"d" * 2920)
    c.expect("A", seq=1, length=1460)
    c.expect("A", seq=1461, length=1460)
    return s, c


def check_path(s, want_mss, want_mtu, when):
    """The socket's MSS (TCP_MAXSEG) and path MTU (IP_MTU) are as wanted."""
    mss = s.getsockopt(socket.IPPROTO_TCP, TCP_MAXSEG)
    check(mss == want_mss, "MSS %d %s, not %d" % (mss, when, want_mss))
    mtu = s.getsockopt(socket.IPPROTO_IP, IP_MTU)
    check(mtu == want_mtu, "IP_MTU %d %s, not %d" % (mtu, when, want_mtu))


@case("RFC 5927 4.1, RFC 1191")
def icmp_frag_needed_outside_window_ignored(h):
    """RFC 5927 section 4.1: an ICMP error whose quoted sequence number is
    not in SND.UNA..SND.MAX cannot be about a segment in flight: a
    "fragmentation needed" beyond SND.MAX, and one for data already
    acknowledged, are ignored (IcmpOutOfWindow), nothing is sent again,
    the MSS stays 1460 and the route's MTU 1500."""
    s, c = two_segments(h)
    before = h.stats()
    icmp_error(h, FRAG_NEEDED, c.lport, c.rport, c.isn_mod + 2921 + 5000,
               mtu=1000)
    c.expect_nothing()
    c.send("A", 1, 1461)                   # SND.UNA is now 1461
    icmp_error(h, FRAG_NEEDED, c.lport, c.rport, c.isn_mod + 1, mtu=1000)
    c.expect_nothing()
    check(moved(h, before) == {"IcmpOutOfWindow": 2},
          "counters moved: %s, wanted IcmpOutOfWindow +2" % moved(h, before))
    check_path(s, 1460, 1500, "after ignored ICMPs")
    c.send("A", 1, 2921)
    s.sendall(b"e" * 1460)
    c.expect("A", seq=2921, length=1460)


@case("RFC 1191 3, 6.4; RFC 5927 4.1")
def icmp_frag_needed_in_window_lowers_mss(h):
    """RFC 1191 section 3: a "fragmentation needed" with a next-hop MTU of
    1000 quoting SND.UNA lowers the path MTU and the MSS to 960; what was
    in flight was dropped on the way, so it goes again at once in segments
    that fit (960 + 500 for each 1460), and new data uses 960 too.
    Counted in InIcmpFragNeeded and PmtuUpdates; IP_MTU says 1000."""
    s, c = two_segments(h)
    before = h.stats()
    icmp_error(h, FRAG_NEEDED, c.lport, c.rport, c.isn_mod + 1, mtu=1000)
    for seq, length in ((1, 960), (961, 500), (1461, 960), (2421, 500)):
        c.expect("A", seq=seq, length=length)
    check(moved(h, before) == {"InIcmpFragNeeded": 1, "PmtuUpdates": 1},
          "counters moved: %s" % moved(h, before))
    check_path(s, 960, 1000, "after the ICMP")
    c.send("A", 1, 2921)
    s.sendall(b"f" * 1920)
    c.expect("A", seq=2921, length=960)
    c.expect("A", seq=3881, length=960)
    # the same ICMP again changes nothing: the MSS is already smaller
    icmp_error(h, FRAG_NEEDED, c.lport, c.rport, c.isn_mod + 2921, mtu=1000)
    c.expect_nothing()


def synsent(h, port=9000):
    """A non-blocking connect() to REMOTE:@port and its SYN: (socket, conn)."""
    s = h.socket()
    s.setblocking(False)
    err = s.connect_ex((REMOTE, port))
    check(err == errno.EINPROGRESS, "connect() returned %s"
          % errno.errorcode.get(err, err))
    c = h.conn(None, port)
    c.expect("S", seq=0)
    return s, c


def connect_fails_with(h, code, want):
    s, c = synsent(h)
    before = h.stats()
    icmp_error(h, code, c.lport, c.rport, c.isn_mod)
    p = select.poll()
    p.register(s, select.POLLOUT)
    check(p.poll(2000), "connect() still pending 2 s after the ICMP")
    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    check(err == want, "SO_ERROR %s, not %s" % (
        errno.errorcode.get(err, err), errno.errorcode[want]))
    c.expect_state(CLOSED)
    check(moved(h, before) == {"IcmpHardErrors": 1},
          "counters moved: %s" % moved(h, before))
    c.expect_nothing(within=1.5)           # no SYN again


@case("RFC 1122 4.2.3.9, RFC 5927 4.1")
def icmp_port_unreach_synsent_refused(h):
    """RFC 1122 4.2.3.9: port unreachable is a hard error; in SYN-SENT it
    ends connect() with ECONNREFUSED (Linux TCP's errno), and the SYN is
    not sent again."""
    connect_fails_with(h, PORT_UNREACH, errno.ECONNREFUSED)


@case("RFC 1122 4.2.3.9")
def icmp_proto_unreach_synsent(h):
    """RFC 1122 4.2.3.9: protocol unreachable (a peer without protocol
    253) is a hard error: connect() fails with ENOPROTOOPT, as Linux's TCP
    maps it."""
    connect_fails_with(h, PROT_UNREACH, errno.ENOPROTOOPT)


@case("RFC 5927 4.1")
def icmp_synsent_wrong_seq_ignored(h):
    """RFC 5927 section 4.1: a port unreachable that quotes a sequence
    number other than the SYN's (a blind attacker's guess) is ignored: the
    handshake completes."""
    s, c = synsent(h)
    before = h.stats()
    icmp_error(h, PORT_UNREACH, c.lport, c.rport, c.isn_mod + 1000)
    c.send("SA", 0, 1, options=[("MSS", 1460)])
    c.expect("A", seq=1, ack=1)
    c.expect_state("ESTABLISHED")
    check(moved(h, before) == {"IcmpOutOfWindow": 1},
          "counters moved: %s" % moved(h, before))


@case("RFC 5927 4.1")
def icmp_for_listener_ignored(h):
    """RFC 5927 section 4.1: an ICMP error naming a 4-tuple with no
    connection (here the listener's port and a peer port nobody uses) is
    ignored and counted in IcmpNoConnection; the listener stays."""
    h.listen(8000)
    before = h.stats()
    icmp_error(h, PORT_UNREACH, 8000, 45678, 12345)
    icmp_error(h, FRAG_NEEDED, 8000, 45678, 12345, mtu=600)
    check(wait_for(lambda: moved(h, before) == {"IcmpNoConnection": 2}),
          "counters moved: %s" % moved(h, before))
    check(h.listener_state(8000) == "LISTEN", "the listener is %s"
          % h.listener_state(8000))


@case("RFC 792, RFC 5927 4.1")
def icmp_short_quote_changes_nothing(h):
    """RFC 792 asks for the IP header and 64 bits of the datagram; a quote
    of 4 octets (ports, no sequence number) cannot be checked: nothing
    changes, the connection sends on at its MSS."""
    s, c = two_segments(h)
    before = h.stats()
    icmp_error(h, FRAG_NEEDED, c.lport, c.rport, c.isn_mod + 1, mtu=1000,
               quote_len=4)
    c.expect_nothing()
    check(moved(h, before).get("PmtuUpdates", 0) == 0, "the MSS moved")
    check_path(s, 1460, 1500, "after a short quote")
