# SPDX-License-Identifier: GPL-2.0
"""Cases: closing.  FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK
and TIME_WAIT against ACK, FIN, data, RST and SYN; simultaneous close;
FIN with data; data after FIN; aborts; TIME_WAIT's timer and reopening."""

import socket
import struct
import time

from harness import (CLOSED, active_open, case, check, nothing_delivered,
                     opts_mss, passive_open, recv_exactly, seq_after,
                     wait_for)


# After each opening below, the module's FIN (if any) is seq 1 and ours
# is seq 1: the module's next SEQ is 2 once it sent its FIN, ours is 2
# once we sent ours.

def fin_wait_1(h, passive=False):
    """The module closed first (shutdown SHUT_WR): its FIN is in flight."""
    if passive:
        _, s, c = passive_open(h)
    else:
        s, c = active_open(h)
    s.shutdown(socket.SHUT_WR)
    c.expect("FA", seq=1, ack=1)
    c.expect_state("FIN_WAIT1")
    return s, c


def fin_wait_2(h, passive=False):
    """FIN_WAIT_1, and we acknowledge its FIN."""
    s, c = fin_wait_1(h, passive)
    c.send("A", 1, 2)
    c.expect_state("FIN_WAIT2")
    return s, c


def closing(h):
    """FIN_WAIT_1 and our FIN crosses its FIN (simultaneous close)."""
    s, c = fin_wait_1(h)
    c.send("FA", 1, 1)
    c.expect("A", seq=2, ack=2)
    c.expect_state("CLOSING")
    return s, c


def time_wait(h, passive=False):
    """FIN_WAIT_2 and our FIN: TIME_WAIT, RCV.NXT = SND.NXT = 2."""
    s, c = fin_wait_2(h, passive)
    c.send("FA", 1, 2)
    c.expect("A", seq=2, ack=2)
    c.expect_state("TIME_WAIT")
    return s, c


def close_wait(h):
    """We closed first: the module acknowledged our FIN."""
    s, c = active_open(h)
    c.send("FA", 1, 1)
    c.expect("A", seq=1, ack=2)
    c.expect_state("CLOSE_WAIT")
    return s, c


def last_ack(h):
    """CLOSE_WAIT and then the module's FIN."""
    s, c = close_wait(h)
    s.shutdown(socket.SHUT_WR)
    c.expect("FA", seq=1, ack=2)
    c.expect_state("LAST_ACK")
    return s, c


def expect_ack_or_nothing(c, seq, ack):
    """An answer is optional; if there is one it is a plain ACK."""
    seg = c.next(0.5)
    if seg is not None:
        check(seg.flags == "A" and c.rel_seq(seg) == seq and
              c.rel_ack(seg) == ack, "expected nothing or A seq=%d ack=%d, "
              "got %s" % (seq, ack, c.h.describe(seg, c)))


# -------------------------------------------------------------- FIN_WAIT_1

@case("RFC 9293 3.10.4")
def close_sends_fin(h):
    """RFC 9293 3.10.4, CLOSE in ESTABLISHED: "form a FIN segment and send
    it ... enter FIN-WAIT-1 state": <SEQ=SND.NXT><ACK=RCV.NXT>
    <CTL=FIN,ACK>."""
    fin_wait_1(h)


@case("RFC 9293 3.10.4")
def close_fin_follows_data(h):
    """RFC 9293 3.10.4: the FIN is queued "until all preceding SENDs have
    been segmentized": 'data' goes first (seq 1-4), the FIN at seq 5,
    in the same segment or the next."""
    s, c = active_open(h)
    s.sendall(b"data")
    s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        seg = c.next()
        check(seg is not None, "no FIN after the data")
        check(c.rel_seq(seg) == 1 + len(got), "segment out of sequence: %s"
              % h.describe(seg, c))
        got += seg.data
        if seg.has("F"):
            break
    check(got == b"data", "data before the FIN was %r" % got)


@case("RFC 9293 3.10.7.4 (FIN-WAIT-1)")
def fw1_ack_of_fin_enters_fin_wait_2(h):
    """RFC 9293 3.10.7.4, fifth, FIN-WAIT-1: "if the FIN segment is now
    acknowledged, then enter FIN-WAIT-2"; nothing is sent."""
    s, c = fin_wait_2(h)
    c.expect_nothing()


@case("RFC 9293 3.10.7.4 (FIN-WAIT-1)")
def fw1_old_ack_stays(h):
    """RFC 9293 3.10.7.4, fifth: an ACK that does not cover our FIN
    (SEG.ACK = SND.UNA, a duplicate) leaves FIN-WAIT-1, and gets no
    answer."""
    s, c = fin_wait_1(h)
    c.send("A", 1, 1)
    c.expect_nothing()
    c.expect_state("FIN_WAIT1")


@case("RFC 9293 3.6 fig. 13, 3.10.7.4")
def fw1_fin_enters_closing(h):
    """RFC 9293 3.6, figure 13 (simultaneous close) and 3.10.7.4, eighth,
    FIN-WAIT-1: a FIN that does not ack ours is acknowledged and "enter
    the CLOSING state"."""
    closing(h)


@case("RFC 9293 3.10.7.4 (FIN-WAIT-1)")
def fw1_fin_ack_enters_time_wait(h):
    """RFC 9293 3.10.7.4, eighth, FIN-WAIT-1: "If our FIN has been ACKed
    (perhaps in this segment), then enter TIME-WAIT": a FIN,ACK acking
    our FIN is acknowledged, and the state is TIME-WAIT."""
    s, c = fin_wait_1(h)
    c.send("FA", 1, 2)
    c.expect("A", seq=2, ack=2)
    c.expect_state("TIME_WAIT")


@case("RFC 9293 3.6.1, 3.10.7.4 (FIN-WAIT-1)")
def fw1_data_accepted(h):
    """RFC 9293 3.6.1 (half-closed) and 3.10.7.4, seventh, FIN-WAIT-1:
    after shutdown(SHUT_WR) the peer's data is still delivered and
    acknowledged."""
    s, c = fin_wait_1(h)
    c.send("PA", 1, 1, data=b"abc")
    c.expect("A", seq=2, ack=4)
    check(recv_exactly(s, 3) == b"abc", "wrong data")
    c.expect_state("FIN_WAIT1")


@case("RFC 9293 3.10.7.4 (RST)")
def fw1_rst_closes(h):
    """RFC 9293 3.10.7.4, second, FIN-WAIT-1: a RST at RCV.NXT: "Enter the
    CLOSED state, delete the TCB"."""
    s, c = fin_wait_1(h)
    c.send("R", 1)
    c.expect_state(CLOSED)
    c.expect_nothing()


@case("RFC 9293 3.10.7.4 (SYN), RFC 5961 4.2")
def fw1_syn_gets_challenge_ack(h):
    """RFC 9293 3.10.7.4, fourth, FIN-WAIT-1: a SYN gets a challenge ACK
    <SEQ=SND.NXT><ACK=RCV.NXT>; the state stays."""
    s, c = fin_wait_1(h)
    c.send("S", 500, options=opts_mss())
    c.expect("A", seq=2, ack=1)
    c.expect_state("FIN_WAIT1")


@case("RFC 9293 3.10.8, RFC 6298 5", rto_min_ms=300)
def fw1_fin_retransmitted(h):
    """RFC 9293 3.10.8 and RFC 6298 5: an unacknowledged FIN is sent again
    when the retransmission timer expires, same SEQ."""
    s, c = fin_wait_1(h)
    c.expect("FA", seq=1, ack=1, within=3.0)


@case("RFC 9293 3.8.3, 3.10.8", rto_min_ms=300, retries2=6, orphan_retries=2)
def fw1_orphan_gives_up_after_orphan_retries(h):
    """RFC 9293 3.8.3: a connection gives up after retransmitting for some
    time (R2).  For an orphan, whose program closed it and can no longer
    be told, that is net.mytcp.orphan_retries, when lower than retries2:
    here the FIN goes twice more, then the connection is gone, silently."""
    s, c = active_open(h)
    s.close()
    c.expect("FA", seq=1, ack=1)
    c.expect("FA", seq=1, ack=1, within=1.0)
    c.expect("FA", seq=1, ack=1, within=1.5)
    c.expect_nothing(2.0)
    check(c.state() == CLOSED, "still %s after orphan_retries" % c.state())


@case("RFC 9293 3.8.6.1, 3.10.8", rto_min_ms=300, retries2=6, orphan_retries=2)
def fw1_orphan_zero_window_gives_up(h):
    """RFC 9293 3.8.6.1 has a sender probe a zero window for as long as the
    receiver answers; an orphan has no program left to wait for, and a
    peer that answers every probe with a closed window would hold it (and
    its queue) forever.  Its probes stop at net.mytcp.orphan_retries,
    answered or not: here three, then the connection is gone."""
    s, c = active_open(h)
    c.send("A", 1, 1, win=0)
    s.sendall(b"p" * 100)
    s.close()
    probes = 0
    while probes < 10:
        seg = c.next(6.0)
        if seg is None:
            break
        probes += 1
        c.send("A", 1, 1, win=0)        # still closed
    check(probes <= 3, "%d probes answered with a closed window: the "
          "orphan did not give up" % probes)
    check(c.state() == CLOSED, "still %s after orphan_retries" % c.state())


@case("RFC 9293 3.6, RFC 1122 4.2.2.13")
def fw1_data_after_close_gets_rst(h):
    """RFC 9293 3.6 (RFC 1122 4.2.2.13): "if new data is received after
    CLOSE is called, its TCP implementation SHOULD send a RST to show
    that data was lost" (SHLD-2; Linux does): after close(), data from the
    peer is answered <SEQ=SEG.ACK><CTL=RST> and the connection is gone."""
    s, c = active_open(h)
    s.close()
    c.expect("FA", seq=1, ack=1)
    c.send("PA", 1, 1, data=b"lost")
    c.expect("R", seq=1)
    c.expect_state(CLOSED)


@case("RFC 9293 3.6")
def close_with_unread_data_sends_rst(h):
    """RFC 9293 3.6: "If such a host issues a CLOSE call while received
    data is still pending in the TCP connection ... its TCP implementation
    SHOULD send a RST to show that data was lost" (SHLD-2): close() with
    unread data sends <SEQ=SND.NXT><CTL=RST> (Linux: RST,ACK)."""
    s, c = active_open(h)
    c.send("PA", 1, 1, data=b"unread")
    c.expect("A", seq=1, ack=7)
    s.close()
    seg = c.next()
    check(seg is not None and "R" in seg.flags and c.rel_seq(seg) == 1
          and "F" not in seg.flags, "expected a RST at seq 1, got %s"
          % (h.describe(seg, c) if seg else "nothing"))
    c.expect_state(CLOSED)


@case("RFC 9293 3.10.5")
def abort_sends_rst(h):
    """RFC 9293 3.10.5, ABORT in ESTABLISHED: "Send a reset segment:
    <SEQ=SND.NXT><CTL=RST>" (close() with SO_LINGER of 0 is the abort):
    no FIN, the connection is CLOSED."""
    s, c = active_open(h)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    seg = c.next()
    check(seg is not None and "R" in seg.flags and c.rel_seq(seg) == 1
          and "F" not in seg.flags, "expected a RST at seq 1, got %s"
          % (h.describe(seg, c) if seg else "nothing"))
    c.expect_state(CLOSED)


# -------------------------------------------------------------- FIN_WAIT_2

@case("RFC 9293 3.10.7.4 (FIN-WAIT-2)")
def fw2_fin_enters_time_wait(h):
    """RFC 9293 3.10.7.4, eighth, FIN-WAIT-2: the FIN is acknowledged
    <SEQ=SND.NXT><ACK=RCV.NXT> and "Enter the TIME-WAIT state"."""
    time_wait(h)


@case("RFC 9293 3.6.1, 3.10.7.4 (FIN-WAIT-2)")
def fw2_data_accepted(h):
    """RFC 9293 3.10.7.4, seventh, FIN-WAIT-2: data is still delivered and
    acknowledged (half-closed connection, 3.6.1)."""
    s, c = fin_wait_2(h)
    c.send("PA", 1, 2, data=b"xyz")
    c.expect("A", seq=2, ack=4)
    check(recv_exactly(s, 3) == b"xyz", "wrong data")
    c.expect_state("FIN_WAIT2")


@case("RFC 9293 3.10.7.4 (RST), RFC 5961 3.2")
def fw2_rst_in_window_challenge_ack(h):
    """RFC 9293 3.10.7.4, second, check 3: in FIN-WAIT-2 a RST in the
    window but not at RCV.NXT gets a challenge ACK; the state stays."""
    s, c = fin_wait_2(h)
    c.send("R", 500)
    c.expect("A", seq=2, ack=1)
    c.expect_state("FIN_WAIT2")


@case("RFC 9293 3.10.7.4 (first, FIN-WAIT-2)")
def fw2_data_right_of_window_gets_ack(h):
    """RFC 9293 3.10.7.4, first, FIN-WAIT-2: data beyond the window is not
    acceptable: <SEQ=SND.NXT><ACK=RCV.NXT>, nothing delivered."""
    s, c = fin_wait_2(h)
    c.send("PA", 1 + 70000, 2, data=b"far")
    c.expect("A", seq=2, ack=1)
    nothing_delivered(c)
    c.expect_state("FIN_WAIT2")


@case("RFC 9293 3.10.7.4 (RST)")
def fw2_rst_closes(h):
    """RFC 9293 3.10.7.4, second, FIN-WAIT-2: a RST at RCV.NXT closes."""
    s, c = fin_wait_2(h)
    c.send("R", 1)
    c.expect_state(CLOSED)
    c.expect_nothing()


@case("RFC 9293 3.6, RFC 1122 4.2.2.13")
def fw2_data_after_close_gets_rst(h):
    """RFC 9293 3.6 (SHLD-2): data arriving in FIN-WAIT-2 after close() is
    answered <SEQ=SEG.ACK><CTL=RST>, and the connection is gone."""
    s, c = active_open(h)
    s.close()
    c.expect("FA", seq=1, ack=1)
    c.send("A", 1, 2)
    c.expect_state("FIN_WAIT2")
    c.send("PA", 1, 2, data=b"lost")
    c.expect("R", seq=2)
    c.expect_state(CLOSED)


@case("RFC 9293 3.6 (FIN-WAIT-2 timeout)", fin_timeout_ms=500)
def fw2_orphan_times_out(h):
    """An orphaned FIN-WAIT-2 connection (the user closed; the peer never
    sends its FIN) does not last for ever: after net.mytcp.fin_timeout_ms
    (500 ms) it is CLOSED, with at most a RST <SEQ=SND.NXT> to the peer."""
    s, c = active_open(h)
    s.close()
    c.expect("FA", seq=1, ack=1)
    c.send("A", 1, 2)
    c.expect_state("FIN_WAIT2")
    check(wait_for(lambda: c.state() == CLOSED, within=3.0),
          "still %s 3 s after the 500 ms FIN-WAIT-2 timeout" % c.state())
    seg = c.next(0.2)
    if seg is not None:
        check("R" in seg.flags and c.rel_seq(seg) == 2, "expected nothing "
              "or a RST at seq 2, got %s" % h.describe(seg, c))


# -------------------------------------------------------------- CLOSE_WAIT

@case("RFC 9293 3.10.7.4 (FIN)")
def est_fin_enters_close_wait(h):
    """RFC 9293 3.10.7.4, eighth, ESTABLISHED: a FIN is acknowledged
    (RCV.NXT advances over it), the user sees end of file, "Enter the
    CLOSE-WAIT state"."""
    s, c = close_wait(h)
    check(s.recv(10) == b"", "no end of file after the FIN")


@case("RFC 9293 3.10.7.4 (FIN)")
def est_fin_with_data(h):
    """RFC 9293 3.10.7.4, seventh and eighth: a FIN carrying data: the data
    is delivered, the ACK covers data and FIN (4 + 1), end of file
    follows, CLOSE-WAIT."""
    ls, s, c = passive_open(h)
    c.send("FPA", 1, 1, data=b"bye!")
    c.expect("A", seq=1, ack=6)
    check(recv_exactly(s, 4) == b"bye!", "wrong data")
    check(s.recv(10) == b"", "no end of file after the FIN")
    c.expect_state("CLOSE_WAIT")


@case("RFC 9293 3.10.7.4 (FIN)")
def est_fin_out_of_order(h):
    """RFC 9293 3.10.7.4: a FIN beyond a hole is not processed yet (it is
    not at RCV.NXT): duplicate ACK 1, still ESTABLISHED.  Filling the hole
    delivers the data and the FIN: ACK 7, CLOSE-WAIT."""
    ls, s, c = passive_open(h)
    c.send("FA", 6, 1)
    c.expect("A", seq=1, ack=1)
    c.expect_state("ESTABLISHED")
    c.send("PA", 1, 1, data=b"hello")
    c.expect("A", seq=1, ack=7)
    c.expect_state("CLOSE_WAIT")
    check(recv_exactly(s, 5) == b"hello", "wrong data")
    check(s.recv(10) == b"", "no end of file after the FIN")


@case("RFC 9293 3.10.7.4 (RST), RFC 5961 3.2")
def cw_rst_out_of_window_dropped(h):
    """RFC 9293 3.10.7.4, second, check 1: in CLOSE-WAIT a RST outside the
    window is silently dropped; the state stays."""
    s, c = close_wait(h)
    c.send("R", 2 + 100000)
    c.expect_nothing()
    c.expect_state("CLOSE_WAIT")


@case("RFC 9293 3.10.7.4 (ACK)")
def cw_future_ack_gets_ack(h):
    """RFC 9293 3.10.7.4, fifth, CLOSE-WAIT ("Do the same processing as for
    the ESTABLISHED state"): an ACK of something not yet sent gets
    <SEQ=SND.NXT><ACK=RCV.NXT> and is dropped."""
    s, c = close_wait(h)
    c.send("A", 2, 500)
    c.expect("A", seq=1, ack=2)
    c.expect_state("CLOSE_WAIT")


@case("RFC 9293 3.10.7.4 (CLOSE-WAIT)")
def cw_data_after_fin_ignored(h):
    """RFC 9293 3.10.7.4, seventh, CLOSE-WAIT: data after the peer's FIN
    "should not occur ... Ignore the segment text": nothing is delivered
    (end of file stays), RCV.NXT stays 2 (an ACK, if any, says so)."""
    s, c = close_wait(h)
    c.send("PA", 2, 1, data=b"late")
    expect_ack_or_nothing(c, 1, 2)
    check(s.recv(10) == b"", "data after the FIN was delivered")
    c.expect_state("CLOSE_WAIT")


@case("RFC 9293 3.10.7.4 (first)")
def cw_fin_retransmitted_gets_ack(h):
    """RFC 9293 3.10.7.4, first: our FIN sent again is old (SEG.SEQ <
    RCV.NXT): answered <SEQ=SND.NXT><ACK=RCV.NXT>; still CLOSE-WAIT."""
    s, c = close_wait(h)
    c.send("FA", 1, 1)
    c.expect("A", seq=1, ack=2)
    c.expect_state("CLOSE_WAIT")


@case("RFC 9293 3.10.2 (CLOSE-WAIT)")
def cw_send_data(h):
    """RFC 9293 3.10.2, SEND in CLOSE-WAIT: "Queue the request until it
    can be sent" - the half-closed connection still carries our data."""
    s, c = close_wait(h)
    s.sendall(b"reply")
    c.expect("A", seq=1, ack=2, data=b"reply")


@case("RFC 9293 3.10.7.4 (RST)")
def cw_rst_closes(h):
    """RFC 9293 3.10.7.4, second, CLOSE-WAIT: a RST at RCV.NXT: "Enter the
    CLOSED state"; a later send() fails."""
    s, c = close_wait(h)
    c.send("R", 2)
    c.expect_state(CLOSED)
    try:
        s.send(b"x")
        check(False, "send() after the RST did not fail")
    except (BrokenPipeError, ConnectionResetError):
        pass


@case("RFC 9293 3.10.7.4 (SYN), RFC 5961 4.2")
def cw_syn_gets_challenge_ack(h):
    """RFC 9293 3.10.7.4, fourth, CLOSE-WAIT: a SYN gets a challenge ACK
    <SEQ=SND.NXT><ACK=RCV.NXT>; the state stays."""
    s, c = close_wait(h)
    c.send("S", 500, options=opts_mss())
    c.expect("A", seq=1, ack=2)
    c.expect_state("CLOSE_WAIT")


@case("RFC 9293 3.10.4 (CLOSE-WAIT)")
def cw_close_enters_last_ack(h):
    """RFC 9293 3.10.4, CLOSE in CLOSE-WAIT: "send a FIN segment, enter
    LAST-ACK state" (FIN at SND.NXT, ACK = RCV.NXT = 2)."""
    last_ack(h)


# ---------------------------------------------------------------- LAST_ACK

@case("RFC 9293 3.10.7.4 (LAST-ACK)")
def la_ack_of_fin_closes(h):
    """RFC 9293 3.10.7.4, fifth, LAST-ACK: "If our FIN is now acknowledged,
    delete the TCB, enter the CLOSED state"; nothing is sent."""
    s, c = last_ack(h)
    c.send("A", 2, 2)
    c.expect_state(CLOSED)
    c.expect_nothing()


@case("RFC 9293 3.10.7.4 (LAST-ACK)")
def la_old_ack_stays(h):
    """RFC 9293 3.10.7.4, fifth: an ACK not covering our FIN leaves
    LAST-ACK as it is."""
    s, c = last_ack(h)
    c.send("A", 2, 1)
    c.expect_nothing()
    c.expect_state("LAST_ACK")


@case("RFC 9293 3.10.7.4 (first, LAST-ACK)")
def la_fin_retransmitted_gets_ack(h):
    """RFC 9293 3.10.7.4, first: our FIN sent again (old) is answered
    <SEQ=SND.NXT><ACK=RCV.NXT>; still LAST-ACK."""
    s, c = last_ack(h)
    c.send("FA", 1, 1)
    c.expect("A", seq=2, ack=2)
    c.expect_state("LAST_ACK")


@case("RFC 9293 3.10.7.4 (RST)")
def la_rst_closes(h):
    """RFC 9293 3.10.7.4, second, LAST-ACK: "If the RST bit is set, then
    enter the CLOSED state, delete the TCB"."""
    s, c = last_ack(h)
    c.send("R", 2)
    c.expect_state(CLOSED)
    c.expect_nothing()


@case("RFC 9293 3.10.7.4 (RST), RFC 5961 3.2")
def la_rst_in_window_challenge_ack(h):
    """RFC 9293 3.10.7.4, second, check 3: in LAST-ACK a RST in the window
    but not at RCV.NXT gets a challenge ACK; the state stays."""
    s, c = last_ack(h)
    c.send("R", 700)
    c.expect("A", seq=2, ack=2)
    c.expect_state("LAST_ACK")


@case("RFC 9293 3.10.7.4 (ACK)")
def la_future_ack_gets_ack(h):
    """RFC 9293 3.10.7.4, fifth: in LAST-ACK an ACK beyond SND.NXT (our FIN
    is 1, SND.NXT 2; the ACK says 9) is answered <SEQ=SND.NXT>
    <ACK=RCV.NXT>, dropped, and does not count as the ACK of our FIN."""
    s, c = last_ack(h)
    c.send("A", 2, 9)
    c.expect("A", seq=2, ack=2)
    c.expect_state("LAST_ACK")


@case("RFC 9293 3.10.8, RFC 6298 5", rto_min_ms=300)
def la_fin_retransmitted(h):
    """RFC 9293 3.10.8: in LAST-ACK an unacknowledged FIN is sent again when
    the retransmission timer expires."""
    s, c = last_ack(h)
    c.expect("FA", seq=1, ack=2, within=3.0)


@case("RFC 9293 3.10.7.4 (LAST-ACK)")
def la_data_ignored(h):
    """RFC 9293 3.10.7.4, seventh, LAST-ACK: "Ignore the segment text":
    data after the peer's FIN is not delivered; still LAST-ACK."""
    s, c = last_ack(h)
    c.send("PA", 2, 1, data=b"late")
    expect_ack_or_nothing(c, 2, 2)
    check(s.recv(10) == b"", "data after the FIN was delivered")
    c.expect_state("LAST_ACK")


@case("RFC 9293 3.10.7.4 (SYN), RFC 5961 4.2")
def la_syn_gets_challenge_ack(h):
    """RFC 9293 3.10.7.4, fourth, LAST-ACK: a SYN gets a challenge ACK."""
    s, c = last_ack(h)
    c.send("S", 500, options=opts_mss())
    c.expect("A", seq=2, ack=2)
    c.expect_state("LAST_ACK")


# ----------------------------------------------------------------- CLOSING

@case("RFC 9293 3.10.7.4 (CLOSING)")
def closing_ack_of_fin_enters_time_wait(h):
    """RFC 9293 3.10.7.4, fifth, CLOSING: "if the ACK acknowledges our FIN,
    then enter the TIME-WAIT state"; nothing is sent."""
    s, c = closing(h)
    c.send("A", 2, 2)
    c.expect_state("TIME_WAIT")
    c.expect_nothing()


@case("RFC 9293 3.10.7.4 (CLOSING)")
def closing_old_ack_stays(h):
    """RFC 9293 3.10.7.4, fifth, CLOSING: an ACK not covering our FIN:
    "otherwise, ignore the segment"."""
    s, c = closing(h)
    c.send("A", 2, 1)
    c.expect_nothing()
    c.expect_state("CLOSING")


@case("RFC 9293 3.10.7.4 (first, CLOSING)")
def closing_fin_retransmitted_gets_ack(h):
    """RFC 9293 3.10.7.4, first: the peer's FIN again (old) in CLOSING is
    answered <SEQ=SND.NXT><ACK=RCV.NXT>."""
    s, c = closing(h)
    c.send("FA", 1, 1)
    c.expect("A", seq=2, ack=2)
    c.expect_state("CLOSING")


@case("RFC 9293 3.10.7.4 (RST)")
def closing_rst_closes(h):
    """RFC 9293 3.10.7.4, second, CLOSING: a RST at RCV.NXT closes."""
    s, c = closing(h)
    c.send("R", 2)
    c.expect_state(CLOSED)
    c.expect_nothing()


@case("RFC 9293 3.10.7.4 (SYN), RFC 5961 4.2")
def closing_syn_gets_challenge_ack(h):
    """RFC 9293 3.10.7.4, fourth, CLOSING: a SYN gets a challenge ACK
    <SEQ=SND.NXT><ACK=RCV.NXT>; the state stays."""
    s, c = closing(h)
    c.send("S", 500, options=opts_mss())
    c.expect("A", seq=2, ack=2)
    c.expect_state("CLOSING")


@case("RFC 9293 3.10.7.4 (CLOSING)")
def closing_data_ignored(h):
    """RFC 9293 3.10.7.4, seventh, CLOSING: "Ignore the segment text"."""
    s, c = closing(h)
    c.send("PA", 2, 1, data=b"late")
    expect_ack_or_nothing(c, 2, 2)
    check(s.recv(10) == b"", "data after the FIN was delivered")
    c.expect_state("CLOSING")


# --------------------------------------------------------------- TIME_WAIT

@case("RFC 9293 3.10.7.4 (TIME-WAIT)")
def tw_fin_retransmitted_gets_ack(h):
    """RFC 9293 3.10.7.4, fifth, TIME-WAIT: "The only thing that can arrive
    in this state is a retransmission of the remote FIN.  Acknowledge it,
    and restart the 2 MSL timeout."  Still TIME-WAIT."""
    s, c = time_wait(h)
    c.send("FA", 1, 2)
    c.expect("A", seq=2, ack=2)
    c.expect_state("TIME_WAIT")


@case("RFC 9293 3.10.7.4 (TIME-WAIT)", time_wait_ms=1500)
def tw_fin_restarts_timer(h):
    """RFC 9293 3.10.7.4, eighth, TIME-WAIT: "Restart the 2 MSL time-wait
    timeout" (here 1.5 s): a FIN again after 1 s keeps the connection in
    TIME-WAIT past the first deadline; it ends after the second."""
    s, c = time_wait(h)
    start = time.monotonic()
    time.sleep(1.0)
    c.send("FA", 1, 2)
    c.expect("A", seq=2, ack=2)
    while time.monotonic() < start + 1.9:
        time.sleep(0.05)
    check(c.state() == "TIME_WAIT", "TIME-WAIT ended at the old deadline: "
          "the FIN did not restart the timer")
    check(wait_for(lambda: c.state() == CLOSED, within=3.0),
          "TIME-WAIT did not end after the restarted timeout")


@case("RFC 1337, RFC 9293 3.10.7.4 (TIME-WAIT)")
def tw_rst_ignored(h):
    """RFC 1337 (TIME-WAIT assassination, remedy R1): a RST in TIME-WAIT,
    even at RCV.NXT, is ignored: nothing sent, still TIME-WAIT, and the
    entry still answers a retransmitted FIN."""
    s, c = time_wait(h)
    c.send("R", 2)
    c.send("RA", 2, 2)
    c.expect_nothing()
    c.expect_state("TIME_WAIT")
    c.send("FA", 1, 2)
    c.expect("A", seq=2, ack=2)


@case("RFC 9293 3.10.7.4 (TIME-WAIT)")
def tw_bare_ack_ignored(h):
    """RFC 9293 3.10.7.4, TIME-WAIT: a bare ACK (no data, no FIN) at
    RCV.NXT needs no answer; still TIME-WAIT."""
    s, c = time_wait(h)
    c.send("A", 2, 2)
    c.expect_nothing()
    c.expect_state("TIME_WAIT")


@case("RFC 9293 3.10.7.4 (TIME-WAIT)")
def tw_data_not_accepted(h):
    """RFC 9293 3.10.7.4, seventh, TIME-WAIT: "Ignore the segment text":
    data after the FIN is at most acknowledged <SEQ=SND.NXT><ACK=RCV.NXT>
    (Linux does), never taken; still TIME-WAIT."""
    s, c = time_wait(h)
    c.send("PA", 2, 2, data=b"late")
    expect_ack_or_nothing(c, 2, 2)
    c.expect_state("TIME_WAIT")


@case("RFC 9293 3.10.7.4 (first, TIME-WAIT)")
def tw_old_syn_gets_ack(h):
    """RFC 9293 3.10.7.4, first and fourth, TIME-WAIT: a SYN with an old
    sequence number (SEG.SEQ < RCV.NXT) is answered <SEQ=SND.NXT>
    <ACK=RCV.NXT><CTL=ACK>; the TIME-WAIT stays."""
    s, c = time_wait(h)
    c.send("S", 0, options=opts_mss())
    c.expect("A", seq=2, ack=2)
    c.expect_state("TIME_WAIT")


@case("RFC 1122 4.2.2.13")
def tw_new_syn_reopens(h):
    """RFC 1122 4.2.2.13: a connection in TIME-WAIT "MAY accept a new SYN
    from the remote TCP to reopen the connection directly, if it: (1)
    assigns its initial sequence number for the new connection to be
    larger than the largest sequence number it used on the previous
    connection incarnation".  A SYN above the old RCV.NXT to the
    listener's port gets a SYN,ACK whose ISS is after the old SND.NXT, and
    the new connection completes."""
    ls = h.listen(8000)
    c = h.conn(8000)
    c.send("S", 0, options=opts_mss())
    c.expect("SA", seq=0, ack=1)
    c.send("A", 1, 1)
    s = h.accept(ls)
    s.shutdown(socket.SHUT_WR)
    c.expect("FA", seq=1, ack=1)
    c.send("FA", 1, 2)
    c.expect("A", seq=2, ack=2)
    c.expect_state("TIME_WAIT")
    old_snd_nxt = c.isn_mod + 2
    c2 = h.conn(8000, c.rport, isn=c.isn_peer + 100002)
    c2.send("S", 0, options=opts_mss())
    sa = c2.expect("SA", ack=1)
    check(seq_after(sa.seq, old_snd_nxt), "new ISS %08x is not above the "
          "old SND.NXT %08x" % (sa.seq, old_snd_nxt % (1 << 32)))
    c2.send("A", 1, 1)
    h.accept(ls)
    c2.expect_state("ESTABLISHED")


@case("RFC 9293 3.10.7.4 (SYN, TIME-WAIT), RFC 5961 4.2")
def tw_new_syn_without_listener_keeps_time_wait(h):
    """RFC 9293 3.10.7.4, fourth, TIME-WAIT: a SYN above RCV.NXT where no
    listener could take a new connection (the module's end was an
    active open): nothing to reopen, so the SYN gets the challenge ACK
    <SEQ=SND.NXT><ACK=RCV.NXT> (RFC 5961 4.2; Linux ACKs it from
    TIME-WAIT) and TIME-WAIT runs on - it must not be cut short."""
    s, c = time_wait(h)
    c.send("S", 2 + 100000, options=opts_mss())
    c.expect("A", seq=2, ack=2)
    c.expect_state("TIME_WAIT")


@case("RFC 9293 3.10.8, 3.10.7.1", time_wait_ms=500)
def tw_expires_then_closed(h):
    """RFC 9293 3.10.8, TIME-WAIT TIMEOUT: "delete the TCB, enter the
    CLOSED state" (net.mytcp.time_wait_ms = 500); after that the 4-tuple
    is CLOSED: an ACK gets <SEQ=SEG.ACK><CTL=RST> (3.10.7.1)."""
    s, c = time_wait(h)
    check(wait_for(lambda: c.state() == CLOSED, within=3.0),
          "still %s 3 s after the 500 ms TIME-WAIT" % c.state())
    c.send("A", 2, 2)
    c.expect("R", seq=2)

