# SPDX-License-Identifier: GPL-2.0
"""Cases: the checksum and malformed headers.  A segment with a wrong
checksum, a header shorter than 20 octets, a data offset below 5 or beyond
the end of the packet, or an option whose length is impossible is dropped
without an answer and counted in /proc/net/mytcp_stat; options the module
does not know are skipped."""

from harness import (IPPROTO_MYTCP, LOCAL, REMOTE, case, check,
                     checksum_ok, nothing_delivered, opts_mss,
                     passive_open, recv_exactly)


class Counting:
    """with Counting(h) as n: ...; n.delta("DropShort")"""

    def __init__(self, h):
        self.h = h

    def __enter__(self):
        self.before = self.h.stats()
        return self

    def __exit__(self, *exc):
        self.after = self.h.stats()
        return False

    def delta(self, name):
        return self.after[name] - self.before[name]


def dropped_syn(h, what, counters, **kw):
    """A malformed SYN to a listener: no SYN-ACK, and each counter in
    @counters (a name, or a tuple of names one of which must count it)
    went up by one.  Then a good SYN still gets its SYN-ACK."""
    h.listen(8000)
    c = h.conn(8000)
    with Counting(h) as n:
        c.send("S", 0, **kw)
        c.expect_nothing()
    for names in counters:
        if isinstance(names, str):
            names = (names,)
        check(any(n.delta(name) == 1 for name in names),
              "%s: none of %s counted it (%s)" % (what, "/".join(names),
              ", ".join("%s +%d" % (x, n.delta(x)) for x in names)))
    good = h.conn(8000)
    good.send("S", 0, options=opts_mss())
    good.expect("SA", seq=0, ack=1)


# --------------------------------------------------------------- checksum

@case("RFC 9293 3.1 (checksum)")
def csum_bad_data_dropped(h):
    """RFC 9293 3.1: the checksum covers pseudo-header, header and data;
    a segment whose checksum is wrong is dropped (no ACK, no data
    delivered) and counted in InCsumErrors.  The same segment with the
    right checksum is then taken."""
    ls, s, c = passive_open(h)
    with Counting(h) as n:
        c.send("PA", 1, 1, data=b"corrupt", csum=0x1234)
        c.expect_nothing()
    check(n.delta("InCsumErrors") == 1, "InCsumErrors +%d"
          % n.delta("InCsumErrors"))
    nothing_delivered(c)
    c.send("PA", 1, 1, data=b"correct")
    c.expect("A", seq=1, ack=8)
    check(recv_exactly(s, 7) == b"correct", "wrong data")


@case("RFC 9293 3.1 (pseudo-header)")
def csum_tcp_pseudo_header_rejected(h):
    """RFC 9293 3.1: the pseudo-header carries the protocol number, here
    253: a SYN checksummed as TCP would (protocol 6, scapy's default) is
    a checksum error: dropped, no SYN-ACK, InCsumErrors counts it."""
    dropped_syn(h, "protocol-6 checksum", ["InCsumErrors"],
                options=opts_mss(), csum_proto=6)


@case("RFC 9293 3.1 (pseudo-header)")
def csum_module_uses_protocol_253(h):
    """RFC 9293 3.1: the module's own checksums use protocol 253 in the
    pseudo-header (every segment is checked so; here it is shown
    explicitly that the SYN-ACK would not pass as TCP)."""
    h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=opts_mss())
    sa = c.expect("SA", seq=0, ack=1)
    check(checksum_ok(LOCAL, REMOTE, sa.bytes, IPPROTO_MYTCP),
          "SYN-ACK checksum wrong for protocol 253")
    check(not checksum_ok(LOCAL, REMOTE, sa.bytes, 6),
          "SYN-ACK checksum is TCP's (protocol 6)")


# --------------------------------------------------------- malformed header

@case("RFC 9293 3.1 (header)")
def hdr_short_dropped(h):
    """RFC 9293 3.1: a segment is at least its 20-octet header; 12 octets
    are dropped and counted (DropShort, InErrs)."""
    dropped_syn(h, "12-octet segment", ["DropShort", "InErrs"],
                options=opts_mss(), truncate=12)


@case("RFC 9293 3.1 (data offset)")
def hdr_doff_below_5_dropped(h):
    """RFC 9293 3.1: the data offset counts the 32-bit words of the header,
    at least 5; offsets 4 and 0 are dropped and counted
    (DropBadDataOffset, InErrs)."""
    dropped_syn(h, "data offset 4", ["DropBadDataOffset", "InErrs"], doff=4)
    c = h.conn(8000)
    with Counting(h) as n:
        c.send("S", 0, doff=0)
        c.expect_nothing()
    check(n.delta("DropBadDataOffset") == 1, "data offset 0 not counted")


@case("RFC 9293 3.1 (data offset)")
def hdr_doff_beyond_packet_dropped(h):
    """RFC 9293 3.1: a data offset of 15 (60 octets) in a 20-octet segment
    points past the packet: dropped and counted (DropShort or
    DropBadDataOffset, and InErrs)."""
    dropped_syn(h, "data offset 15 in 20 octets",
                [("DropShort", "DropBadDataOffset"), "InErrs"], doff=15)


@case("RFC 9293 3.1 (data offset)")
def hdr_doff_beyond_data_in_connection(h):
    """RFC 9293 3.1: on a connection, a data segment of 30 octets claiming
    a 60-octet header is dropped: no ACK, nothing delivered."""
    ls, s, c = passive_open(h)
    with Counting(h) as n:
        c.send("PA", 1, 1, data=b"0123456789", doff=15)
        c.expect_nothing()
    check(n.delta("InErrs") == 1, "InErrs +%d" % n.delta("InErrs"))
    nothing_delivered(c)
    c.expect_state("ESTABLISHED")


@case("RFC 9293 3.1 (reserved bits)")
def hdr_reserved_bits_ignored(h):
    """RFC 9293 3.1: the reserved bits "must be ignored in received
    segments": a SYN with them set is answered as any SYN."""
    h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=opts_mss(), reserved=0x7)
    c.expect("SA", seq=0, ack=1)


@case("RFC 3168 6.1.1")
def hdr_ecn_setup_syn_not_echoed(h):
    """RFC 3168 6.1.1: an ECN-setup SYN (ECE and CWR set) to a host that
    does not do ECN is answered by a plain SYN-ACK, without ECE."""
    h.listen(8000)
    c = h.conn(8000)
    c.send("SEC", 0, options=opts_mss())
    c.expect("SA", seq=0, ack=1)


# ----------------------------------------------------------------- options

@case("RFC 9293 3.1 (options)")
def opt_length_zero_dropped(h):
    """RFC 9293 3.1: an option with a length field counts the kind and
    length octets, so a length of 0 is impossible: dropped, counted in
    DropBadOptions."""
    dropped_syn(h, "option length 0", ["DropBadOptions"],
                raw_options=b"\x63\x00\x00\x00")


@case("RFC 9293 3.1 (options)")
def opt_length_one_dropped(h):
    """RFC 9293 3.1: an option length of 1 (shorter than its own kind and
    length octets) is dropped and counted in DropBadOptions."""
    dropped_syn(h, "option length 1", ["DropBadOptions"],
                raw_options=b"\x63\x01\x00\x00")


@case("RFC 9293 3.1 (options)")
def opt_length_past_header_dropped(h):
    """RFC 9293 3.1: an option running past the end of the header (MSS
    claiming 8 octets in a 4-octet option area) is dropped and counted in
    DropBadOptions."""
    dropped_syn(h, "option past the header", ["DropBadOptions"],
                raw_options=b"\x02\x08\x05\xb4")


@case("RFC 9293 3.2 (MSS option)")
def opt_mss_bad_length_dropped(h):
    """RFC 9293 3.2: the MSS option is kind 2, length 4; one of length 3
    is malformed: dropped and counted in DropBadOptions."""
    dropped_syn(h, "MSS option of length 3", ["DropBadOptions"],
                raw_options=b"\x02\x03\x05\x01")


@case("RFC 9293 3.1 (options)")
def opt_bad_length_in_connection_dropped(h):
    """RFC 9293 3.1: on a connection, data behind a malformed option list
    is dropped (no ACK, nothing delivered, DropBadOptions counts it); the
    connection goes on."""
    ls, s, c = passive_open(h)
    with Counting(h) as n:
        c.send("PA", 1, 1, data=b"hidden", raw_options=b"\x63\x00\x00\x00")
        c.expect_nothing()
    check(n.delta("DropBadOptions") == 1, "DropBadOptions +%d"
          % n.delta("DropBadOptions"))
    nothing_delivered(c)
    c.send("PA", 1, 1, data=b"plain")
    c.expect("A", seq=1, ack=6)


@case("RFC 9293 3.1 (options), MUST-6")
def opt_unknown_ignored(h):
    """RFC 9293 3.1: "A TCP implementation MUST ignore without error any
    TCP option it does not implement, assuming that the option has a
    length field" (MUST-6): a SYN with an unknown option of kind 99,
    NOPs and an MSS gets its SYN-ACK, which honours the MSS."""
    h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, raw_options=b"\x63\x06ABCD\x01\x01\x02\x04\x05\xb4")
    c.expect("SA", seq=0, ack=1)


@case("RFC 9293 3.1 (End of Option List)")
def opt_after_eol_ignored(h):
    """RFC 9293 3.1: End of Option List "indicates the end of the option
    list": whatever follows it (here bytes that would be a malformed
    option) is padding, not options; the SYN is answered."""
    h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, raw_options=b"\x02\x04\x05\xb4\x00\x63\x00\x00")
    c.expect("SA", seq=0, ack=1)
