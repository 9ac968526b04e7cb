# SPDX-License-Identifier: GPL-2.0
"""Cases: no connection (CLOSED), LISTEN and its half-open requests,
SYN-SENT, and SYN-RECEIVED reached by a simultaneous open."""

import errno
import os
import re
import select
import socket

from harness import (CLOSED, EXPECT_WITHIN, LOCAL, REMOTE, active_open,
                     case, check, opts_mss, passive_open, recv_exactly,
                     syn_again, synack_again, wait_for)


def so_error(s):
    return s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)


def connect_result(s, within=EXPECT_WITHIN):
    """Wait for a non-blocking connect() to finish: its errno (0: done)."""
    select.select([], [s], [], within)
    return so_error(s)


def start_connect(h, port=9000):
    """A non-blocking connect() and the conn that sees its SYN."""
    s = h.socket()
    s.setblocking(False)
    s.connect_ex((REMOTE, port))
    c = h.conn(None, port)
    c.syn = c.expect("S", seq=0)
    return s, c


def closed_port_conn(h, port=7000):
    """A conn to a port with no socket; the module has no ISN there, so
    its SEQ and ACK numbers are read as they are (ISN 0)."""
    c = h.conn(port)
    c.isn_mod = 0
    return c


# ------------------------------------------------------------------ CLOSED

@case("RFC 9293 3.10.7.1")
def closed_syn_gets_rst_ack(h):
    """RFC 9293 3.10.7.1: a SYN to a closed port is answered
    <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, and counted as DropNoSocket."""
    c = closed_port_conn(h)
    before = h.stats()
    c.send("S", 0, options=opts_mss())
    c.expect("RA", seq=0, ack=1)
    check(h.stats()["DropNoSocket"] == before["DropNoSocket"] + 1,
          "DropNoSocket did not count the segment")


@case("RFC 9293 3.10.7.1")
def closed_syn_with_data_gets_rst_ack(h):
    """RFC 9293 3.10.7.1: SEG.LEN counts the SYN and the data: a SYN with
    10 octets to a closed port gets <SEQ=0><ACK=SEG.SEQ+11><CTL=RST,ACK>."""
    c = closed_port_conn(h)
    c.send("S", 0, data=b"0123456789")
    c.expect("RA", seq=0, ack=11)


@case("RFC 9293 3.10.7.1")
def closed_ack_gets_rst(h):
    """RFC 9293 3.10.7.1: a segment with ACK to a closed port is answered
    <SEQ=SEG.ACK><CTL=RST>."""
    c = closed_port_conn(h)
    c.send("A", 5, 123456)
    c.expect("R", seq=123456)


@case("RFC 9293 3.10.7.1")
def closed_data_with_ack_gets_rst(h):
    """RFC 9293 3.10.7.1: data with ACK to a closed port: all data is
    discarded and <SEQ=SEG.ACK><CTL=RST> is sent."""
    c = closed_port_conn(h)
    c.send("PA", 100, 4242, data=b"hello")
    c.expect("R", seq=4242)


@case("RFC 9293 3.10.7.1")
def closed_fin_without_ack_gets_rst_ack(h):
    """RFC 9293 3.10.7.1: "An incoming segment not containing a RST causes
    a RST to be sent in response"; a FIN without ACK (seq 100) to a closed
    port gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> = ack 101, as
    Linux answers a FIN scan."""
    c = closed_port_conn(h)
    c.send("F", 100)
    c.expect("RA", seq=0, ack=101)


@case("RFC 9293 3.10.7.1")
def closed_data_without_ack_gets_rst_ack(h):
    """RFC 9293 3.10.7.1: a segment with 10 octets and no control bits at
    all (seq 100) to a closed port gets <SEQ=0><ACK=110><CTL=RST,ACK>."""
    c = closed_port_conn(h)
    c.send(".", 100, data=b"0123456789")
    c.expect("RA", seq=0, ack=110)


@case("RFC 9293 3.10.7.1")
def closed_rst_ignored(h):
    """RFC 9293 3.10.7.1: "An incoming segment containing a RST is
    discarded": neither RST nor RST,ACK to a closed port is answered."""
    c = closed_port_conn(h)
    c.send("R", 100)
    c.send("RA", 100, 555)
    c.expect_nothing()


@case("RFC 9293 3.10.4, 3.10.7.1")
def closed_after_listener_closed(h):
    """RFC 9293 3.10.4 (CLOSE in LISTEN: "Any outstanding RECEIVEs are
    returned ... delete TCB, enter CLOSED state") and 3.10.7.1: once the
    listener is closed, a SYN to its port gets <SEQ=0><ACK=SEG.SEQ+1>
    <CTL=RST,ACK>."""
    ls = h.listen(8000)
    ls.close()
    check(h.listener_state(8000) == CLOSED, "the listener is still in "
          "/proc/net/mytcp after close()")
    c = closed_port_conn(h, 8000)
    c.send("S", 0, options=opts_mss())
    c.expect("RA", seq=0, ack=1)


# ------------------------------------------------------------------ LISTEN

@case("RFC 9293 3.10.7.2, 3.7.1")
def listen_syn_gets_synack(h):
    """RFC 9293 3.10.7.2, third: a SYN in LISTEN is answered
    <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> with an open window, and the
    SYN-ACK announces the MSS of the 1500-byte link, 1460 (3.7.1)."""
    h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=opts_mss())
    sa = c.expect("SA", seq=0, ack=1)
    check(sa.win > 0, "the SYN-ACK offers a zero window")
    check(sa.option("MSS") == 1460, "SYN-ACK MSS option %r, expected 1460"
          % sa.option("MSS"))
    c.expect_state("SYN_RECV")


@case("RFC 7323 2.2")
def listen_synack_wscale_only_if_offered(h):
    """RFC 7323 section 2.2: "A TCP MAY send the Window Scale option in a
    <SYN,ACK> segment only if it has received a Window Scale option in the
    initial <SYN> segment."  Checked both ways on two connections."""
    h.listen(8000)
    c1 = h.conn(8000)
    c1.send("S", 0, options=opts_mss())
    sa = c1.expect("SA", seq=0, ack=1)
    check(sa.option("WScale") is None,
          "SYN-ACK carries WScale though the SYN had none")
    c2 = h.conn(8000)
    c2.send("S", 0, options=opts_mss() + [("NOP", None), ("WScale", 2)])
    sa = c2.expect("SA", seq=0, ack=1)
    check(sa.option("WScale") is not None,
          "SYN-ACK has no WScale though the SYN offered one")


@case("RFC 9293 3.10.7.2")
def listen_rst_ignored(h):
    """RFC 9293 3.10.7.2, first: "An incoming RST should be ignored" (RST
    and RST,ACK alike); the listener stays."""
    h.listen(8000)
    c = h.conn(8000)
    c.isn_mod = 0
    c.send("R", 0)
    c.send("RA", 0, 1000)
    c.expect_nothing()
    check(h.listener_state(8000) == "LISTEN", "the listener is gone")


@case("RFC 9293 3.10.7.2")
def listen_ack_gets_rst(h):
    """RFC 9293 3.10.7.2, second: "Any acknowledgment is bad if it arrives
    on a connection still in the LISTEN state": <SEQ=SEG.ACK><CTL=RST>."""
    h.listen(8000)
    c = h.conn(8000)
    c.isn_mod = 0
    c.send("A", 1, 77777)
    c.expect("R", seq=77777)
    check(h.listener_state(8000) == "LISTEN", "the listener is gone")


@case("RFC 9293 3.10.7.2")
def listen_synack_gets_rst(h):
    """RFC 9293 3.10.7.2, second: a SYN,ACK is ACK-bearing: a listener
    answers it <SEQ=SEG.ACK><CTL=RST>."""
    h.listen(8000)
    c = h.conn(8000)
    c.isn_mod = 0
    c.send("SA", 0, 31337, options=opts_mss())
    c.expect("R", seq=31337)


@case("RFC 9293 3.10.7.2")
def listen_fin_without_ack_dropped(h):
    """RFC 9293 3.10.7.2, fourth: any other control or data (here a FIN,
    and data, without ACK or SYN) in LISTEN: "Drop the segment and
    return"."""
    h.listen(8000)
    c = h.conn(8000)
    c.send("F", 0)
    c.send(".", 0, data=b"data")
    c.expect_nothing()


@case("RFC 9293 3.10.7.2")
def listen_syn_with_data(h):
    """RFC 9293 3.10.7.2, third: for a SYN carrying data, "any other
    control or text should be queued for processing later": the SYN-ACK
    acknowledges the SYN (and the data if it was queued, ack 11; Linux
    acks only the SYN, ack 1, and the data comes again).  Either way the
    data reaches the reader once."""
    ls = h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, data=b"0123456789", options=opts_mss())
    sa = c.expect("SA", seq=0)
    ack = c.rel_ack(sa)
    check(ack in (1, 11), "SYN-ACK acks %d, expected 1 or 11" % ack)
    if ack == 1:
        c.send("PA", 1, 1, data=b"0123456789")
    else:
        c.send("A", 11, 1)
    s = h.accept(ls)
    check(recv_exactly(s, 10) == b"0123456789", "wrong data")


@case("RFC 4987 3.1, 3.6")
def listen_syn_queue_is_backlog_plus_one(h):
    """A listener's SYN queue holds backlog + 1 requests, as TCP's (Linux
    6.1: full when qlen > sk_max_ack_backlog), and beyond that a SYN gets a
    SYN cookie instead of an entry (RFC 4987 3.6): with listen(2), three
    SYNs make SYN_RECV rows, the fourth only a SYN-ACK and SyncookiesSent
    + 1.  The ACK of that one, with the cookie, makes the connection
    (SyncookiesRecv + 1), with the MSS the SYN offered."""
    port = 8100
    ls = h.listen(port, backlog=2)
    before = h.stats()
    for _ in range(4):
        c = h.conn(port)
        c.send("S", 0, options=[("MSS", 1200), ("WScale", 5)])
        c.expect("SA", seq=0, ack=1)
    after = h.stats()
    cookies = after["SyncookiesSent"] - before["SyncookiesSent"]
    check(cookies == 1, "SyncookiesSent +%d, wanted +1" % cookies)
    half_open = [r for r in h.rows() if r[0] == port and r[3] == "SYN_RECV"]
    check(len(half_open) == 3, "%d SYN_RECV rows, wanted 3" % len(half_open))
    c.send("A", 1, 1, win=1000)             # 1000 << 5 = 32000
    s = h.accept(ls)
    got = h.stats()["SyncookiesRecv"] - after["SyncookiesRecv"]
    check(got == 1, "SyncookiesRecv +%d, wanted +1" % got)
    s.send(b"x" * 3000)
    c.expect("A", seq=1, ack=1, length=1200)


@case("RFC 9293 3.10.7.4 (SYN-RECEIVED)")
def synrcvd_dup_syn_answered(h):
    """RFC 9293 3.10.7.4, first check, SYN-RECEIVED: a retransmitted SYN
    (SEG.SEQ = IRS) lies before RCV.NXT; the answer is an ACK <SEQ=ISS+1>
    <ACK=RCV.NXT> (the RFC) or the SYN-ACK again (Linux); either way it
    acknowledges the SYN, with our ISS unchanged."""
    h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=opts_mss())
    c.expect("SA", seq=0, ack=1)
    c.send("S", 0, options=opts_mss())
    seg = c.next()
    check(seg is not None, "no answer to the retransmitted SYN")
    ok = ((seg.flags == "SA" and c.rel_seq(seg) == 0) or
          (seg.flags == "A" and c.rel_seq(seg) == 1))
    check(ok and c.rel_ack(seg) == 1, "answer %s: expected SA seq=0 ack=1 "
          "or A seq=1 ack=1" % h.describe(seg, c))


@case("RFC 9293 3.10.7.4 (SYN-RECEIVED), 3.3.2")
def listen_handshake_completes(h):
    """RFC 9293 3.10.7.4, fifth, SYN-RECEIVED: an ACK of our SYN (SND.UNA <
    SEG.ACK =< SND.NXT) enters ESTABLISHED: accept() returns, the state is
    ESTABLISHED, PassiveOpens counts it, and nothing is sent in reply."""
    before = h.stats()
    ls, s, c = passive_open(h)
    c.expect_state("ESTABLISHED")
    c.expect_nothing()
    check(h.stats()["PassiveOpens"] == before["PassiveOpens"] + 1,
          "PassiveOpens did not count the connection")
    check(h.listener_state(8000) == "LISTEN", "the listener left LISTEN")


@case("RFC 9293 3.10.7.4 (SYN-RECEIVED)")
def listen_third_ack_with_data(h):
    """RFC 9293 3.10.7.4: the ACK that completes the handshake may carry
    data; it is processed in ESTABLISHED (seventh check): delivered and
    acknowledged <SEQ=SND.NXT><ACK=RCV.NXT>."""
    ls = h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=opts_mss())
    c.expect("SA", seq=0, ack=1)
    c.send("PA", 1, 1, data=b"hello")
    c.expect("A", seq=1, ack=6)
    s = h.accept(ls)
    check(recv_exactly(s, 5) == b"hello", "wrong data")


@case("RFC 9293 3.10.7.4 (SYN-RECEIVED)")
def synrcvd_bad_ack_gets_rst(h):
    """RFC 9293 3.10.7.4, fifth, SYN-RECEIVED: "If the segment
    acknowledgment is not acceptable, form a reset segment <SEQ=SEG.ACK>
    <CTL=RST>"; the half-open connection stays: the right ACK then
    completes the handshake."""
    ls = h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=opts_mss())
    c.expect("SA", seq=0, ack=1)
    c.send("A", 1, 1000)
    c.expect("R", seq=1000)
    c.send("A", 1, 1)
    h.accept(ls)
    c.expect_state("ESTABLISHED")


@case("RFC 9293 3.10.7.4 (SYN-RECEIVED), RFC 5961 3")
def synrcvd_rst_returns_to_listen(h):
    """RFC 9293 3.10.7.4, second, SYN-RECEIVED: "If the RST bit is set: If
    this connection was initiated with a passive OPEN (i.e., came from the
    LISTEN state), then return this connection to LISTEN state".  After a
    RST at RCV.NXT the half-open connection is gone: the ACK that would
    have completed it meets a listener and gets <SEQ=SEG.ACK><CTL=RST>."""
    h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=opts_mss())
    c.expect("SA", seq=0, ack=1)
    c.send("R", 1)
    c.expect_nothing(ignore=synack_again)
    c.send("A", 1, 1)
    c.expect("R", seq=1, ignore=synack_again)
    check(h.listener_state(8000) == "LISTEN", "the listener left LISTEN")


@case("RFC 9293 3.10.7.4 (SYN-RECEIVED)")
def synrcvd_new_syn_returns_to_listen(h):
    """RFC 9293 3.10.7.4, fourth, SYN-RECEIVED: "If the connection was
    initiated with a passive OPEN, then return this connection to the
    LISTEN state and return."  A SYN in the window with another sequence
    number (Linux answers it with a RST) ends the half-open connection:
    the ACK of the first handshake then gets <SEQ=SEG.ACK><CTL=RST>."""
    h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=opts_mss())
    c.expect("SA", seq=0, ack=1)
    c.send("S", 1000, options=opts_mss())
    seg = c.next(0.5, ignore=synack_again)
    if seg is not None:
        check("R" in seg.flags, "a new SYN in SYN-RECEIVED was answered "
              "%s, expected a RST or nothing" % h.describe(seg, c))
    c.send("A", 1, 1)
    c.expect("R", seq=1, ignore=synack_again)


@case("RFC 9293 3.10.7.4 (SYN-RECEIVED)")
def synrcvd_out_of_window_gets_ack(h):
    """RFC 9293 3.10.7.4, first, SYN-RECEIVED: "If an incoming segment is
    not acceptable, an acknowledgment should be sent in reply:
    <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>" (Linux sends it from the request
    too); the half-open connection stays."""
    ls = h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=opts_mss())
    c.expect("SA", seq=0, ack=1)
    c.send("PA", 1 + 200000, 1, data=b"far away")
    c.expect("A", seq=1, ack=1, ignore=synack_again)
    c.send("A", 1, 1)
    h.accept(ls)


@case("RFC 9293 3.8.1, RFC 6298 2.1")
def synrcvd_synack_retransmitted(h):
    """RFC 9293 3.8.1 and RFC 6298 2.1/5.4: an unacknowledged SYN-ACK is
    sent again after the initial RTO of 1 s, with the same ISS."""
    h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=opts_mss())
    first = c.expect("SA", seq=0, ack=1)
    again = c.expect("SA", seq=0, ack=1, within=3.0)
    gap = again.time - first.time
    check(0.8 <= gap, "SYN-ACK resent after %.2f s, before the 1 s RTO" % gap)


TRACEFS = "/sys/kernel/tracing"


class RetransmitTrace:
    """mytcp_retransmit events of this namespace, in a tracing instance of
    the case's own."""

    def __init__(self):
        self.dir = os.path.join(TRACEFS, "instances",
                                "packet-%d" % os.getpid())
        self.netns = os.stat("/proc/self/ns/net").st_ino

    def __enter__(self):
        check(os.path.isdir(os.path.join(TRACEFS, "events", "mytcp")),
              "no %s/events/mytcp" % TRACEFS)
        os.mkdir(self.dir)
        self._enable("1")
        return self

    def __exit__(self, *exc):
        self._enable("0")
        os.rmdir(self.dir)

    def _enable(self, v):
        with open(os.path.join(self.dir, "events", "mytcp",
                               "mytcp_retransmit", "enable"), "w") as f:
            f.write(v)

    def events(self):
        """The fields of each event so far: dicts of key=value, with the
        two endpoints as "local" and "remote"."""
        out = []
        with open(os.path.join(self.dir, "trace")) as f:
            for line in f:
                m = re.search(r"mytcp_retransmit: netns=(\d+) (\S+) (\S+) "
                              r"(.*)$", line)
                if not m or int(m.group(1)) != self.netns:
                    continue
                ev = dict(kv.split("=", 1) for kv in m.group(4).split())
                ev.update(local=m.group(2), remote=m.group(3))
                out.append(ev)
        return out


@case("RFC 6298 5.4, RFC 9293 3.8.1")
def synrcvd_synack_retransmit_traced(h):
    """Observability of RFC 6298 5.4's retransmission for a half-open
    connection: the listener's SYN-ACK sent again after the 1 s RTO fires
    the mytcp_retransmit tracepoint (local and remote ends of the request,
    SEQ=ISS, why=timeout) and counts in RetransSegs, as every other
    retransmission does."""
    h.listen(8000)
    before = h.stats()["RetransSegs"]
    with RetransmitTrace() as tr:
        c = h.conn(8000)
        c.send("S", 0, options=opts_mss())
        first = c.expect("SA", seq=0, ack=1)
        c.expect("SA", seq=0, ack=1, within=3.0)
        check(h.stats()["RetransSegs"] == before + 1,
              "RetransSegs went from %d to %d, expected one more"
              % (before, h.stats()["RetransSegs"]))
        evs = []
        wait_for(lambda: evs.extend(tr.events()) or evs, within=1.0)
        check(evs, "no mytcp_retransmit event for the SYN-ACK")
    ev = evs[0]
    want = {"local": "%s:8000" % LOCAL, "remote": "%s:%d" % (REMOTE, c.rport),
            "seq": str(first.seq), "len": "0", "why": "timeout"}
    got = {k: ev.get(k) for k in want}
    check(got == want, "mytcp_retransmit said %s, expected %s" % (got, want))


# --------------------------------------------------------------- SYN-SENT

@case("RFC 9293 3.10.1, 3.7.1")
def synsent_syn_format(h):
    """RFC 9293 3.10.1 (OPEN): "A SYN segment of the form <SEQ=ISS>
    <CTL=SYN> is sent", with an open window and the MSS option of the
    1500-byte link (3.7.1); state SYN-SENT."""
    s = h.socket()
    s.setblocking(False)
    s.connect_ex((REMOTE, 9000))
    c = h.conn(None, 9000)
    syn = c.expect("S", seq=0)
    check(syn.win > 0, "the SYN offers a zero window")
    check(syn.option("MSS") == 1460, "SYN MSS option %r, expected 1460"
          % syn.option("MSS"))
    check(syn.src == LOCAL, "SYN from %s" % syn.src)
    c.expect_state("SYN_SENT")


@case("RFC 9293 3.4.1, RFC 6528")
def synsent_iss_differs_per_connection(h):
    """RFC 9293 3.4.1 (with RFC 6528): ISNs are chosen per connection by a
    clock and a keyed hash of the 4-tuple: two connections from different
    ports start far apart, not at the same or an adjacent number."""
    s1, c1 = start_connect(h, 9000)
    s2, c2 = start_connect(h, 9001)
    gap = (c2.isn_mod - c1.isn_mod) % (1 << 32)
    check(1000 < gap < (1 << 32) - 1000, "ISNs %08x and %08x are too close"
          % (c1.isn_mod, c2.isn_mod))


@case("RFC 9293 3.10.7.3")
def synsent_synack_establishes(h):
    """RFC 9293 3.10.7.3, fourth: a SYN,ACK acknowledging our SYN enters
    ESTABLISHED and is answered <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>;
    connect() succeeds."""
    s, c = start_connect(h)
    c.send("SA", 0, 1, options=opts_mss())
    c.expect("A", seq=1, ack=1)
    check(connect_result(s) == 0, "connect() failed")
    c.expect_state("ESTABLISHED")


@case("RFC 9293 3.10.7.3")
def synsent_synack_bad_ack_gets_rst(h):
    """RFC 9293 3.10.7.3, first: a SYN,ACK with SEG.ACK > SND.NXT gets
    <SEQ=SEG.ACK><CTL=RST> and is discarded; the connection stays in
    SYN-SENT and completes with the right SYN,ACK."""
    s, c = start_connect(h)
    c.send("SA", 0, 1000, options=opts_mss())
    c.expect("R", seq=1000)
    c.expect_state("SYN_SENT")
    c.send("SA", 0, 1, options=opts_mss())
    c.expect("A", seq=1, ack=1)
    check(connect_result(s) == 0, "connect() failed")


@case("RFC 9293 3.10.7.3")
def synsent_ack_of_iss_gets_rst(h):
    """RFC 9293 3.10.7.3, first: an ACK with SEG.ACK =< ISS (here = ISS)
    gets <SEQ=SEG.ACK><CTL=RST>; still SYN-SENT."""
    s, c = start_connect(h)
    c.send("A", 0, 0)
    c.expect("R", seq=0)
    c.expect_state("SYN_SENT")


@case("RFC 9293 3.10.7.3")
def synsent_rst_with_bad_ack_ignored(h):
    """RFC 9293 3.10.7.3, first: with an unacceptable ACK, "send a reset
    (unless the RST bit is set, if so drop the segment and return)": a
    RST,ACK acking 1000 changes nothing."""
    s, c = start_connect(h)
    c.send("RA", 0, 1000)
    c.expect_nothing(ignore=syn_again)
    c.expect_state("SYN_SENT")


@case("RFC 9293 3.10.7.3")
def synsent_rst_without_ack_ignored(h):
    """RFC 9293 3.10.7.3, second: a RST without ACK: "Otherwise (no ACK),
    drop the segment and return"; still SYN-SENT."""
    s, c = start_connect(h)
    c.send("R", 0)
    c.expect_nothing(ignore=syn_again)
    c.expect_state("SYN_SENT")


@case("RFC 9293 3.10.7.3")
def synsent_rst_refuses(h):
    """RFC 9293 3.10.7.3, second: a RST with an acceptable ACK: "signal to
    the user 'error: connection reset', ... enter CLOSED state": connect()
    fails with ECONNREFUSED, as from Linux, and nothing is sent."""
    s, c = start_connect(h)
    c.send("RA", 0, 1)
    c.expect_nothing()
    err = connect_result(s)
    check(err == errno.ECONNREFUSED, "connect() error %s, expected "
          "ECONNREFUSED" % errno.errorcode.get(err, err))
    c.expect_state(CLOSED)


@case("RFC 9293 3.10.7.3")
def synsent_ack_without_syn_dropped(h):
    """RFC 9293 3.10.7.3, fifth: "if neither of the SYN or RST bits is set,
    then drop the segment and return": an acceptable bare ACK changes
    nothing."""
    s, c = start_connect(h)
    c.send("A", 0, 1)
    c.expect_nothing(ignore=syn_again)
    c.expect_state("SYN_SENT")


@case("RFC 9293 3.10.7.3, 3.10.7.4 (eighth)")
def synsent_fin_dropped(h):
    """RFC 9293 3.10.7.4, eighth: "Do not process the FIN if the state is
    CLOSED, LISTEN, or SYN-SENT since the SEG.SEQ cannot be validated;
    drop the segment and return" (and 3.10.7.3 fifth: neither SYN nor
    RST): a FIN,ACK with an acceptable ACK changes nothing."""
    s, c = start_connect(h)
    c.send("FA", 0, 1)
    c.expect_nothing(ignore=syn_again)
    c.expect_state("SYN_SENT")


@case("RFC 9293 3.8.1, RFC 6298 2.1")
def synsent_syn_retransmitted(h):
    """RFC 9293 3.8.1 and RFC 6298 2.1: an unanswered SYN is sent again,
    same ISS, after the initial RTO of 1 s."""
    s, c = start_connect(h)
    again = c.expect("S", seq=0, within=3.0)
    gap = again.time - c.syn.time
    check(gap >= 0.7, "SYN resent after %.2f s, before the 1 s RTO" % gap)


@case("RFC 9293 3.8.3", syn_retries=1)
def synsent_gives_up(h):
    """RFC 9293 3.8.3: when retransmissions of the SYN reach their limit
    (net.mytcp.syn_retries = 1: one resend, after 1 s, then 2 s more) the
    connection is closed and the user told ETIMEDOUT."""
    s, c = start_connect(h)
    c.expect("S", seq=0, within=3.0)
    check(wait_for(lambda: c.state() == CLOSED, within=5.0),
          "still %s after the retries" % c.state())
    err = so_error(s)
    check(err == errno.ETIMEDOUT, "connect() error %s, expected ETIMEDOUT"
          % errno.errorcode.get(err, err))


@case("RFC 9293 3.7.1")
def synsent_peer_mss_respected(h):
    """RFC 9293 3.7.1: the effective send MSS is at most the MSS option of
    the peer (here 200): 500 bytes go as 200 + 200 + the rest."""
    s, c = active_open(h, options=opts_mss(200))
    s.sendall(b"x" * 500)
    c.expect("A", seq=1, ack=1, length=200)
    c.expect("A", seq=201, ack=1, length=200)
    c.send("A", 1, 401)
    c.expect("A", seq=401, ack=1, length=100)


@case("RFC 9293 3.7.1")
def synsent_default_mss_536(h):
    """RFC 9293 3.7.1: "If an MSS Option is not received at connection
    setup, TCP implementations MUST assume a default send MSS of 536":
    1000 bytes go as 536 first."""
    s, c = active_open(h, options=[])
    s.sendall(b"y" * 1000)
    c.expect("A", seq=1, ack=1, length=536)


# ------------------------------------------------ simultaneous open (SYN_RECV)

def simultaneous_open(h):
    """connect(), its SYN, our SYN (no ACK): it answers SYN,ACK."""
    s, c = start_connect(h)
    c.send("S", 0, options=opts_mss())
    c.expect("SA", seq=0, ack=1)
    return s, c


@case("RFC 9293 3.5 fig. 8, 3.10.7.3")
def simopen_syn_gets_synack(h):
    """RFC 9293 3.10.7.3, fourth, and figure 8: a SYN without ACK in
    SYN-SENT: "enter SYN-RECEIVED, form a SYN,ACK segment <SEQ=ISS>
    <ACK=RCV.NXT><CTL=SYN,ACK> and send it"."""
    s, c = simultaneous_open(h)
    c.expect_state("SYN_RECV")


@case("RFC 9293 3.5 fig. 8, 3.10.7.4")
def simopen_ack_establishes(h):
    """RFC 9293 3.10.7.4, fifth, SYN-RECEIVED: an acceptable ACK enters
    ESTABLISHED; connect() succeeds; nothing is sent in reply."""
    s, c = simultaneous_open(h)
    c.send("A", 1, 1)
    c.expect_state("ESTABLISHED")
    check(connect_result(s) == 0, "connect() failed")
    c.expect_nothing()


@case("RFC 9293 3.5 fig. 8")
def simopen_crossing_synacks_establish(h):
    """RFC 9293 section 3.5, figure 8, line 6: in a simultaneous open each
    side's SYN,ACK <SEQ=ISS><ACK=ISS'+1> reaches the other in SYN-RECEIVED,
    which enters ESTABLISHED (line 7: ACK).  Linux accepts the peer's
    SYN,ACK there; no retransmission is needed to finish."""
    s, c = simultaneous_open(h)
    c.send("SA", 0, 1, options=opts_mss())
    c.expect("A", seq=1, ack=1)
    c.expect_state("ESTABLISHED", within=0.5)


@case("RFC 9293 3.10.7.4 (SYN-RECEIVED)")
def simopen_bad_ack_gets_rst(h):
    """RFC 9293 3.10.7.4, fifth, SYN-RECEIVED: an unacceptable ACK gets
    <SEQ=SEG.ACK><CTL=RST>; still SYN-RECEIVED."""
    s, c = simultaneous_open(h)
    c.send("A", 1, 5000)
    c.expect("R", seq=5000)
    c.expect_state("SYN_RECV")


@case("RFC 9293 3.10.7.4 (SYN-RECEIVED)")
def simopen_rst_refuses(h):
    """RFC 9293 3.10.7.4, second, SYN-RECEIVED from an active OPEN: "the
    connection was refused; signal the user ... enter the CLOSED state":
    connect() fails (ECONNREFUSED; Linux says ECONNRESET) and the
    connection is gone."""
    s, c = simultaneous_open(h)
    c.send("R", 1)
    c.expect_state(CLOSED)
    err = connect_result(s)
    check(err in (errno.ECONNREFUSED, errno.ECONNRESET),
          "connect() error %s" % errno.errorcode.get(err, err))
    c.expect_nothing()


@case("RFC 9293 3.10.7.4 (SYN-RECEIVED), RFC 5961 4.2")
def simopen_syn_gets_challenge_ack(h):
    """RFC 9293 3.10.7.4, fourth, SYN-RECEIVED from an active OPEN:
    "handle per the directions for synchronized states": a SYN in the
    window gets a challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT> (RFC 5961 4.2)
    and the connection stays."""
    s, c = simultaneous_open(h)
    c.send("S", 500, options=opts_mss())
    c.expect("A", seq=1, ack=1)
    c.expect_state("SYN_RECV")


@case("RFC 9293 3.10.7.4 (SYN-RECEIVED)")
def simopen_fin_enters_close_wait(h):
    """RFC 9293 3.10.7.4: a FIN,ACK in SYN-RECEIVED: the ACK establishes
    (fifth), the FIN is acknowledged <ACK=RCV.NXT+1> and "SYN-RECEIVED
    STATE, ESTABLISHED STATE: Enter the CLOSE-WAIT state" (eighth)."""
    s, c = simultaneous_open(h)
    c.send("FA", 1, 1)
    c.expect("A", seq=1, ack=2)
    c.expect_state("CLOSE_WAIT")
    check(connect_result(s) == 0, "connect() failed")
    check(s.recv(10) == b"", "no end of file after the FIN")
