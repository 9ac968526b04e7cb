# SPDX-License-Identifier: GPL-2.0
"""Cases: RFC 7323 timestamps (TSopt).  Negotiation in the SYN and
SYN-ACK (section 3.2, net.mytcp.timestamps), TSopt on every segment after,
TSecr echoing TS.Recent and the TS.Recent rule (section 4.3), PAWS
(section 5.3) and the MSS the option costs."""

import socket
import struct
import time

from harness import (CLOSED, MSS, REMOTE, case, check, nothing_delivered,
                     recv_exactly, wait_for)

TS_OPT = b"\x01\x01\x08\x0a"    # NOP, NOP, kind 8, length 10


def ts_opts(tsval, tsecr=0):
    """Scapy options: the timestamps after two NOPs, 12 octets."""
    return [("NOP", None), ("NOP", None), ("Timestamp", (tsval, tsecr))]


def ts_of(seg):
    """(TSval, TSecr) of a segment the module sent, or None."""
    return seg.option("Timestamp")


def check_ts(seg, what):
    """The segment carries a TSopt laid out as RFC 7323 appendix A has it
    (two NOPs, kind 8, length 10): its (TSval, TSecr)."""
    ts = ts_of(seg)
    check(ts is not None, "%s carries no TSopt" % what)
    check(TS_OPT in bytes(seg.bytes[20:seg.doff * 4]),
          "%s: TSopt not as NOP, NOP, 8, 10" % what)
    return ts


def ts_passive_open(h, port=8000, tsval=1000):
    """A listener, our SYN offering timestamps with TSval @tsval, the
    SYN-ACK, our ACK (TSval @tsval + 1), accept(): (listener, socket, conn,
    the SYN-ACK's TSval)."""
    ls = h.listen(port)
    c = h.conn(port)
    c.send("S", 0, options=[("MSS", MSS)] + ts_opts(tsval))
    sa = c.expect("SA", seq=0, ack=1)
    tsv, tse = check_ts(sa, "the SYN-ACK")
    check(tse == tsval, "the SYN-ACK's TSecr is %d, the SYN's TSval %d"
          % (tse, tsval))
    c.send("A", 1, 1, options=ts_opts(tsval + 1, tsv))
    s = h.accept(ls)
    return ls, s, c, tsv


def counted_once(h, name, before):
    """Counter @name moved by exactly one since @before."""
    got = h.stats()[name] - before
    check(got == 1, "%s +%d, wanted +1" % (name, got))


def goes_in(c, s, seq, data, options):
    """@data at @seq, with @options, is acknowledged and delivered."""
    c.send("PA", seq, 1, data=data, options=options)
    c.expect("A", seq=1, ack=seq + len(data))
    check(recv_exactly(s, len(data)) == data, "wrong data")


@case("RFC 7323 3.2")
def tstamp_offered_on_syn(h):
    """RFC 7323 section 3.2: with net.mytcp.timestamps 1 (the default) our
    SYN offers timestamps: a TSopt (kind 8, length 10, after two NOPs)
    with TSecr 0, the SYN having nothing to echo."""
    s = h.socket()
    s.setblocking(False)
    s.connect_ex((REMOTE, 9000))
    c = h.conn(None, 9000)
    syn = c.expect("S", seq=0)
    tsv, tse = check_ts(syn, "the SYN")
    check(tse == 0, "the SYN's TSecr is %d, not 0" % tse)
    check(syn.option("MSS") is not None, "the SYN lost its MSS option")
    check(syn.option("WScale") is not None, "the SYN lost its WScale")


@case("RFC 7323 3.2")
def tstamp_synack_only_if_offered(h):
    """RFC 7323 section 3.2: "A TCP MAY send the TSopt in an initial
    <SYN,ACK> segment ... only if it received a TSopt in the initial
    <SYN>".  A SYN without: a SYN-ACK without; with: a SYN-ACK with, its
    TSecr the SYN's TSval."""
    h.listen(8000)
    c1 = h.conn(8000)
    c1.send("S", 0, options=[("MSS", MSS)])
    sa = c1.expect("SA", seq=0, ack=1)
    check(ts_of(sa) is None, "SYN-ACK carries a TSopt the SYN did not offer")
    c2 = h.conn(8000)
    c2.send("S", 0, options=[("MSS", MSS)] + ts_opts(4242))
    sa = c2.expect("SA", seq=0, ack=1)
    tsv, tse = check_ts(sa, "the SYN-ACK")
    check(tse == 4242, "the SYN-ACK's TSecr is %d, wanted 4242" % tse)


@case("RFC 7323 3.2", timestamps=0)
def tstamp_none_when_sysctl_off(h):
    """net.mytcp.timestamps 0: our SYN offers no TSopt, and a SYN-ACK
    answers a SYN that offers one without; the connection then carries
    none, data and ACKs alike, and its MSS stays 1460."""
    s = h.socket()
    s.setblocking(False)
    s.connect_ex((REMOTE, 9000))
    ca = h.conn(None, 9000)
    syn = ca.expect("S", seq=0)
    check(ts_of(syn) is None, "the SYN offers timestamps with the sysctl 0")
    ls = h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=[("MSS", MSS)] + ts_opts(1000))
    sa = c.expect("SA", seq=0, ack=1)
    check(ts_of(sa) is None, "the SYN-ACK carries a TSopt with the sysctl 0")
    c.send("A", 1, 1, options=ts_opts(1001, 0))
    a = h.accept(ls)
    c.send("PA", 1, 1, data=b"hello", options=ts_opts(1002, 0))
    ack = c.expect("A", seq=1, ack=6)
    check(ts_of(ack) is None, "an ACK carries a TSopt never negotiated")
    a.send(b"x" * 2000)
    seg = c.expect("A", seq=1, ack=6, length=MSS)
    check(ts_of(seg) is None, "data carries a TSopt never negotiated")


@case("RFC 7323 3.2")
def tstamp_on_every_segment(h):
    """RFC 7323 section 3.2: once negotiated, "the TSopt MUST be sent in
    every non-<RST> segment": the ACK of data, our data, our FIN; the
    TSvals never go back."""
    ls, s, c, tsv0 = ts_passive_open(h)
    c.send("PA", 1, 1, data=b"hello", options=ts_opts(1002, tsv0))
    ack = c.expect("A", seq=1, ack=6)
    tsvs = [tsv0, check_ts(ack, "the ACK of data")[0]]
    s.send(b"world")
    seg = c.expect("A", seq=1, ack=6, data=b"world")
    tsvs.append(check_ts(seg, "a data segment")[0])
    c.send("A", 6, 6, options=ts_opts(1003, tsvs[-1]))
    s.shutdown(socket.SHUT_WR)
    fin = c.expect("FA", seq=6, ack=6)
    tsvs.append(check_ts(fin, "the FIN")[0])
    for a, b in zip(tsvs, tsvs[1:]):
        check(((b - a) % (1 << 32)) < (1 << 31),
              "TSval went back: %r" % tsvs)


@case("RFC 7323 4.3")
def tstamp_tsecr_echoes_recent(h):
    """RFC 7323 section 4.3, (3): "When a TSopt is sent, its TSecr field is
    set to the current TS.Recent value": each in-order segment at
    Last.ACK.sent updates TS.Recent, and its ACK echoes that TSval."""
    ls, s, c, tsv0 = ts_passive_open(h)
    c.send("PA", 1, 1, data=b"hello", options=ts_opts(5000, tsv0))
    ack = c.expect("A", seq=1, ack=6)
    check(check_ts(ack, "the ACK")[1] == 5000,
          "TSecr %d, wanted 5000" % ts_of(ack)[1])
    c.send("PA", 6, 1, data=b"world", options=ts_opts(6000, tsv0))
    ack = c.expect("A", seq=1, ack=11)
    check(check_ts(ack, "the ACK")[1] == 6000,
          "TSecr %d, wanted 6000" % ts_of(ack)[1])
    check(recv_exactly(s, 10) == b"helloworld", "wrong data")


@case("RFC 7323 4.3")
def tstamp_recent_not_from_beyond_last_ack(h):
    """RFC 7323 section 4.3, (2): TS.Recent takes SEG.TSval only if SEG.SEQ
    <= Last.ACK.sent.  A segment beyond the hole (seq 6, TSval 7000) is
    held, and its duplicate ACK still echoes the TSval of the last segment
    that advanced the window (5000); the one filling the hole (TSval
    7001) is at Last.ACK.sent, and its ACK echoes it."""
    ls, s, c, tsv0 = ts_passive_open(h)
    c.send("PA", 1, 1, data=b"a", options=ts_opts(5000, tsv0))
    c.expect("A", seq=1, ack=2)
    c.send("PA", 7, 1, data=b"world", options=ts_opts(7000, tsv0))
    dup = c.expect("A", seq=1, ack=2)
    check(check_ts(dup, "the duplicate ACK")[1] == 5000,
          "duplicate ACK echoes %d, wanted 5000 (TS.Recent taken from a "
          "segment beyond Last.ACK.sent)" % ts_of(dup)[1])
    c.send("PA", 2, 1, data=b"hello", options=ts_opts(7001, tsv0))
    ack = c.expect("A", seq=1, ack=12)
    check(check_ts(ack, "the ACK")[1] == 7001,
          "TSecr %d, wanted 7001" % ts_of(ack)[1])
    check(recv_exactly(s, 11) == b"ahelloworld", "wrong data")


@case("RFC 7323 5.3")
def tstamp_paws_drops_old_tsval(h):
    """RFC 7323 section 5.3, R1: a segment whose TSval is older than
    TS.Recent is not acceptable: it is dropped (its data never reaches the
    reader), counted in PAWSEstabRejected and answered with an ACK of
    RCV.NXT that still echoes TS.Recent."""
    ls, s, c, tsv0 = ts_passive_open(h, tsval=100000)
    c.send("PA", 1, 1, data=b"hello", options=ts_opts(200000, tsv0))
    c.expect("A", seq=1, ack=6)
    check(recv_exactly(s, 5) == b"hello", "wrong data")
    before = h.stats()["PAWSEstabRejected"]
    c.send("PA", 6, 1, data=b"stale", options=ts_opts(150000, tsv0))
    ack = c.expect("A", seq=1, ack=6)
    check(check_ts(ack, "the ACK")[1] == 200000,
          "the ACK echoes %d, wanted TS.Recent 200000" % ts_of(ack)[1])
    nothing_delivered(c)
    counted_once(h, "PAWSEstabRejected", before)
    # the same data with a current TSval goes in
    goes_in(c, s, 6, b"fresh", ts_opts(200001, tsv0))


@case("RFC 7323 5.3, RFC 9293 3.10.7.4")
def tstamp_rst_without_tsopt_resets(h):
    """RFC 7323 section 3.2: a RST need not carry a TSopt, and section
    5.3: PAWS does not apply to it.  A RST at RCV.NXT without one still
    resets the connection: recv() gives ECONNRESET."""
    ls, s, c, tsv0 = ts_passive_open(h)
    c.send("R", 1)
    c.expect_state(CLOSED)
    try:
        s.recv(10)
        check(False, "recv() after the RST did not fail")
    except ConnectionResetError:
        pass


@case("RFC 7323 3.2")
def tstamp_rst_sent_without_tsopt(h):
    """RFC 7323 section 3.2 lets a RST go without a TSopt; ours does (as
    Linux's): an abort (SO_LINGER 0) sends a bare RST,ACK."""
    ls, s, c, tsv0 = ts_passive_open(h)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                 b"\x01\x00\x00\x00\x00\x00\x00\x00")
    s.close()
    rst = c.expect("RA", seq=1, ack=1)
    check(ts_of(rst) is None, "the RST carries a TSopt")


@case("RFC 7323 3.2, RFC 6691")
def tstamp_mss_12_smaller(h):
    """RFC 7323 section 3.2 and RFC 6691: the TSopt takes 12 octets of every
    segment, so with a peer MSS of 1460 each full data segment carries
    1448, the header 32 octets (data offset 8)."""
    ls, s, c, tsv0 = ts_passive_open(h)
    s.send(b"x" * 3000)
    seg = c.expect("A", seq=1, ack=1, length=MSS - 12)
    check(seg.doff == 8, "data offset %d, wanted 8" % seg.doff)
    check_ts(seg, "a full segment")
    maxseg = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
    check(maxseg == MSS - 12, "TCP_MAXSEG %d, wanted %d" % (maxseg, MSS - 12))


@case("RFC 7323 3.2")
def tstamp_ignored_when_not_negotiated(h):
    """RFC 7323 section 3.2: "If a TSopt is received on a connection where
    TSopt was not negotiated in the initial three-way handshake, the TSopt
    MUST be ignored": the data is taken, even with an "old" TSval, and
    the ACK carries none."""
    ls = h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=[("MSS", MSS)])
    sa = c.expect("SA", seq=0, ack=1)
    check(ts_of(sa) is None, "SYN-ACK carries a TSopt")
    c.send("A", 1, 1)
    s = h.accept(ls)
    c.send("PA", 1, 1, data=b"hello", options=ts_opts(9000, 1))
    ack = c.expect("A", seq=1, ack=6)
    check(ts_of(ack) is None, "an ACK carries a TSopt never negotiated")
    c.send("PA", 6, 1, data=b"world", options=ts_opts(1, 1))
    c.expect("A", seq=1, ack=11)
    check(recv_exactly(s, 10) == b"helloworld", "wrong data")


@case("RFC 7323 3.2, RFC 9293 3.1")
def tstamp_bad_length_dropped(h):
    """A TSopt whose length is not 10 makes the option list malformed: the
    segment is dropped and counted in DropBadOptions; nothing crashes and
    the connection goes on."""
    ls, s, c, tsv0 = ts_passive_open(h)
    before = h.stats()["DropBadOptions"]
    c.send("PA", 1, 1, data=b"bad",
           raw_options=b"\x01\x01\x08\x08\x00\x00\x10\x00\x00\x00")
    c.expect_nothing()
    nothing_delivered(c)
    counted_once(h, "DropBadOptions", before)
    goes_in(c, s, 1, b"good", ts_opts(1005, tsv0))


@case("RFC 7323 3.2")
def tstamp_active_open_negotiated(h):
    """Our SYN offers timestamps and the SYN-ACK accepts: the third
    segment carries a TSopt echoing the SYN-ACK's TSval, and the data that
    follows 1448 octets a segment."""
    s = h.socket()
    s.setblocking(False)
    s.connect_ex((REMOTE, 9000))
    c = h.conn(None, 9000)
    syn = c.expect("S", seq=0)
    tsv, _ = check_ts(syn, "the SYN")
    c.send("SA", 0, 1, options=[("MSS", MSS)] + ts_opts(777, tsv))
    ack = c.expect("A", seq=1, ack=1)
    check(check_ts(ack, "the third segment")[1] == 777,
          "the third segment echoes %d, wanted 777" % ts_of(ack)[1])
    s.setblocking(True)
    s.settimeout(2.0)
    s.send(b"y" * 3000)
    seg = c.expect("A", seq=1, ack=1, length=MSS - 12)
    check(check_ts(seg, "data")[1] == 777, "data echoes %d" % ts_of(seg)[1])


@case("RFC 7323 3.2")
def tstamp_active_open_refused(h):
    """Our SYN offers timestamps, the SYN-ACK has none: the connection
    carries none after, and its segments 1460 octets of data."""
    s = h.socket()
    s.setblocking(False)
    s.connect_ex((REMOTE, 9000))
    c = h.conn(None, 9000)
    c.expect("S", seq=0)
    c.send("SA", 0, 1, options=[("MSS", MSS)])
    ack = c.expect("A", seq=1, ack=1)
    check(ts_of(ack) is None, "the third segment carries a TSopt")
    s.setblocking(True)
    s.settimeout(2.0)
    time.sleep(0.05)
    s.send(b"y" * 3000)
    seg = c.expect("A", seq=1, ack=1, length=MSS)
    check(ts_of(seg) is None, "data carries a TSopt")


@case("RFC 7323 3.2, RFC 4987 3.6")
def tstamp_syncookie_negotiates_none(h):
    """A SYN cookie has no room for the choice nor for TS.Recent: with
    listen(2), the first three SYNs offering timestamps get them in their
    SYN-ACKs, the fourth (answered with a cookie, SyncookiesSent + 1) a
    SYN-ACK without; the connection its ACK makes carries none, and 1460
    octets a segment."""
    port = 8100
    ls = h.listen(port, backlog=2)
    before = h.stats()
    for i in range(4):
        c = h.conn(port)
        c.send("S", 0, options=[("MSS", MSS)] + ts_opts(1000 + i))
        sa = c.expect("SA", seq=0, ack=1)
        if i < 3:
            check_ts(sa, "SYN-ACK %d" % (i + 1))
    cookies = h.stats()["SyncookiesSent"] - before["SyncookiesSent"]
    check(cookies == 1, "SyncookiesSent +%d, wanted +1" % cookies)
    check(ts_of(sa) is None, "the cookie's SYN-ACK carries a TSopt")
    c.send("A", 1, 1)
    s = h.accept(ls)
    s.send(b"x" * 3000)
    seg = c.expect("A", seq=1, ack=1, length=MSS)
    check(ts_of(seg) is None, "data after a cookie carries a TSopt")


def srtt_us(s):
    """MYTCP_INFO's srtt_us (the eleventh __u32 of struct mytcp_info)."""
    raw = s.getsockopt(253, 200, 136)
    return struct.unpack_from("=11I", raw)[10]


@case("RFC 7323 4.1, RFC 6298 3")
def tstamp_rttm_after_retransmission(h):
    """RFC 7323 section 4: the TSecr of an ACK times the transmission it
    answers, so an ACK of a retransmitted segment, which Karn's rule
    leaves without a sample, gives one from its TSecr.  Our ACK of the
    retransmission echoes a TSval 300 ms older than the retransmission's:
    SRTT takes a sample of at least 300 ms (SRTT' = 7/8 SRTT + 1/8 R),
    where without RTTM it would not move."""
    s = h.socket()
    s.setblocking(False)
    s.connect_ex((REMOTE, 9000))
    c = h.conn(None, 9000)
    syn = c.expect("S", seq=0)
    tsv, _ = check_ts(syn, "the SYN")
    c.send("SA", 0, 1, options=[("MSS", MSS)] + ts_opts(777, tsv))
    c.expect("A", seq=1, ack=1)
    s.setblocking(True)
    s.send(b"z" * 100)
    c.expect("A", seq=1, ack=1, length=100)
    rtx = c.expect("A", seq=1, ack=1, length=100, within=5.0)
    rtx_tsval = check_ts(rtx, "the retransmission")[0]
    before = srtt_us(s)
    c.send("A", 1, 101, options=ts_opts(778, (rtx_tsval - 300) % (1 << 32)))

    def sampled():
        # RFC 6298 2.3: SRTT' = 7/8 SRTT + 1/8 R, R >= 300 ms
        after = srtt_us(s)
        return after != before and after - before * 7 // 8 >= 30000
    check(wait_for(sampled, 1.0),
          "SRTT %d us after the ACK, %d before: no 300 ms sample from TSecr"
          % (srtt_us(s), before))
