# SPDX-License-Identifier: GPL-2.0
"""Cases: ESTABLISHED.  Data in, left of, right of and across the window;
ACKs acceptable, old and from the future; RST and SYN in and out of the
window (RFC 5961); the send window, retransmission and zero windows."""

import errno
import socket
import time

from harness import (CLOSED, MSS, active_open, case, check, opts_mss, wait_for,
                     nothing_delivered, passive_open, recv_exactly,
                     recv_nothing)


# ------------------------------------------------------------ data arrives

@case("RFC 9293 3.10.7.4, 3.8.6.3")
def est_data_in_order_acked(h):
    """RFC 9293 3.10.7.4, seventh: in-order data is delivered to the user
    and acknowledged <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, and the ACK is
    not delayed by 0.5 s or more (3.8.6.3, MUST-40)."""
    ls, s, c = passive_open(h)
    c.send("PA", 1, 1, data=b"hello")
    t = time.monotonic()
    ack = c.expect("A", seq=1, ack=6, within=2.0)
    check(ack.time - t < 0.5, "ACK delayed %.2f s" % (ack.time - t))
    check(recv_exactly(s, 5) == b"hello", "wrong data")


@case("RFC 9293 3.10.7.4")
def est_data_old_duplicate_acked(h):
    """RFC 9293 3.10.7.4, first: a retransmission of data already received
    lies left of the window: not acceptable, answered <SEQ=SND.NXT>
    <ACK=RCV.NXT><CTL=ACK>; the reader gets the data once."""
    ls, s, c = passive_open(h)
    c.send("PA", 1, 1, data=b"hello")
    c.expect("A", seq=1, ack=6)
    c.send("PA", 1, 1, data=b"hello")
    c.expect("A", seq=1, ack=6)
    check(recv_exactly(s, 5) == b"hello", "wrong data")
    recv_nothing(s)


@case("RFC 9293 3.10.7.4")
def est_data_overlapping_left_edge(h):
    """RFC 9293 3.10.7.4, first: "If a segment's contents straddle the
    boundary between old and new, only the new parts are processed":
    'lloworld' at seq 3 after 'hello' yields 'helloworld', ACK 11."""
    ls, s, c = passive_open(h)
    c.send("PA", 1, 1, data=b"hello")
    c.expect("A", seq=1, ack=6)
    c.send("PA", 3, 1, data=b"lloworld")
    c.expect("A", seq=1, ack=11)
    check(recv_exactly(s, 10) == b"helloworld", "wrong data")
    recv_nothing(s)


@case("RFC 9293 3.10.7.4, RFC 5681 4.2")
def est_data_out_of_order_held(h):
    """RFC 9293 3.10.7.4, first: "Segments with higher beginning sequence
    numbers SHOULD be held for later processing" (SHLD-31); RFC 5681 4.2:
    an out-of-order segment gets an immediate duplicate ACK (ACK=RCV.NXT).
    When the hole is filled, everything is acknowledged and delivered."""
    ls, s, c = passive_open(h)
    c.send("PA", 6, 1, data=b"world")
    c.expect("A", seq=1, ack=1, within=0.5)
    nothing_delivered(c)
    c.send("PA", 1, 1, data=b"hello")
    c.expect("A", seq=1, ack=11)
    check(recv_exactly(s, 10) == b"helloworld", "wrong data")


@case("RFC 9293 3.10.7.4")
def est_data_out_of_order_overlapping(h):
    """RFC 9293 3.10.7.4: two held segments that overlap each other
    ([11,31) and [21,41)) and the one filling the hole ([1,11)) are
    delivered as one stream of 40 octets, each octet once; ACK 41."""
    ls, s, c = passive_open(h)
    stream = bytes(range(65, 65 + 40))
    c.send("PA", 11, 1, data=stream[10:30])
    c.expect("A", seq=1, ack=1)
    c.send("PA", 21, 1, data=stream[20:40])
    c.expect("A", seq=1, ack=1)
    c.send("PA", 1, 1, data=stream[0:10])
    c.expect("A", seq=1, ack=41)
    check(recv_exactly(s, 40) == stream, "wrong data")
    recv_nothing(s)


@case("RFC 9293 3.10.7.4")
def est_data_right_of_window(h):
    """RFC 9293 3.10.7.4, first: data wholly beyond RCV.NXT+RCV.WND (the
    window is at most 65535 here: no window scaling) is not acceptable:
    answered <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, not delivered."""
    ls, s, c = passive_open(h)
    c.send("PA", 1 + 70000, 1, data=b"beyond")
    c.expect("A", seq=1, ack=1)
    c.expect_state("ESTABLISHED")
    c.send("PA", 1, 1, data=b"x")
    c.expect("A", seq=1, ack=2)
    check(recv_exactly(s, 1) == b"x", "the out-of-window data was kept")
    recv_nothing(s)


@case("RFC 9293 3.10.7.4")
def est_data_without_ack_dropped(h):
    """RFC 9293 3.10.7.4, fifth: "if the ACK bit is off, drop the segment
    and return": data without ACK is neither delivered nor acknowledged."""
    ls, s, c = passive_open(h)
    c.send("P", 1, data=b"noack")
    c.expect_nothing()
    nothing_delivered(c)


@case("RFC 5681 4.2, RFC 9293 3.8.6.2.2")
def est_read_sends_no_needless_ack(h):
    """RFC 5681 4.2: "A TCP receiver MUST NOT generate more than one ACK
    for every incoming segment, other than to update the offered window";
    RFC 9293 3.8.6.2.2: a window update moves the right edge (by at least
    min(RCV.BUFF/2, MSS) - receiver SWS avoidance).  Without window
    scaling the window already is the field's largest, 65535: reading
    'hello', or trying to read an empty socket, leaves nothing new to tell
    the peer; any segment sent must move the right edge ACK+WND."""
    ls, s, c = passive_open(h)
    c.send("PA", 1, 1, data=b"hello")
    ack = c.expect("A", seq=1, ack=6)
    edge = c.rel_ack(ack) + ack.win
    check(recv_exactly(s, 5) == b"hello", "wrong data")
    s.setblocking(False)
    try:
        s.recv(10)
    except BlockingIOError:
        pass
    seg = c.next(0.5)
    while seg is not None:
        new = c.rel_ack(seg) + seg.win
        check(new > edge, "after recv() the module sent %s: the same right "
              "edge %d, a duplicate ACK" % (h.describe(seg, c), new))
        edge = new
        seg = c.next(0.3)


# ------------------------------------------------------------ ACK arrives

def sent_100(h):
    """An active connection on which the module has sent 100 octets,
    unacknowledged: (socket, conn)."""
    s, c = active_open(h)
    s.sendall(bytes(100))
    c.expect("A", seq=1, ack=1, length=100)
    return s, c


@case("RFC 9293 3.10.7.4 (ACK)")
def est_ack_advances_snd_una(h):
    """RFC 9293 3.10.7.4, fifth: "If SND.UNA < SEG.ACK =< SND.NXT, then set
    SND.UNA <- SEG.ACK.  Any segments on the retransmission queue that are
    thereby entirely acknowledged are removed": the send queue in
    /proc/net/mytcp drops to 50, then 0; nothing is sent in reply."""
    s, c = sent_100(h)
    c.send("A", 1, 51)
    c.expect_nothing(0.3)
    check(c.queues()[0] == 50, "tx_queue %d after ack 51, expected 50"
          % c.queues()[0])
    c.send("A", 1, 101)
    c.expect_nothing(0.3)
    check(c.queues()[0] == 0, "tx_queue %d after ack 101, expected 0"
          % c.queues()[0])


@case("RFC 9293 3.10.7.4 (ACK)")
def est_old_ack_ignored(h):
    """RFC 9293 3.10.7.4, fifth: "If the ACK is a duplicate (SEG.ACK =<
    SND.UNA), it can be ignored": an old bare ACK changes nothing and
    gets no answer."""
    s, c = sent_100(h)
    c.send("A", 1, 101)
    c.send("A", 1, 51)
    c.expect_nothing()
    check(c.queues()[0] == 0, "an old ACK changed the send queue")
    c.expect_state("ESTABLISHED")


@case("RFC 9293 3.10.7.4 (ACK), RFC 5961 5.2")
def est_old_ack_with_data_accepted(h):
    """RFC 9293 3.10.7.4, fifth, and RFC 5961 5.2: an ACK field older than
    SND.UNA but within MAX.SND.WND of it is acceptable: the data in the
    segment is still processed (delivered, ACK 6)."""
    s, c = sent_100(h)
    c.send("A", 1, 101)
    c.send("PA", 1, 51, data=b"hello")
    c.expect("A", seq=101, ack=6)
    check(recv_exactly(s, 5) == b"hello", "wrong data")


@case("RFC 9293 3.10.7.4 (ACK), RFC 5961 5.2")
def est_ack_too_old_discarded(h):
    """RFC 9293 3.10.7.4, fifth (RFC 5961 section 5.2, which Linux
    implements): "the ACK value is acceptable only if it is in the range
    of ((SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT).  All incoming
    segments whose ACK value doesn't satisfy the above condition MUST be
    discarded and an ACK sent back."  Data with SEG.ACK = SND.UNA - 70000
    (the peer never offered more than 65535) is not delivered; the ACK
    sent back still says RCV.NXT = 1."""
    ls, s, c = passive_open(h)
    c.send("PA", 1, 1 - 70000, data=b"inject")
    c.expect("A", seq=1, ack=1)
    nothing_delivered(c)


@case("RFC 9293 3.10.7.4 (ACK)")
def est_future_ack_dropped(h):
    """RFC 9293 3.10.7.4, fifth: "If the ACK acks something not yet sent
    (SEG.ACK > SND.NXT), then send an ACK, drop the segment, and return":
    the data in it is not delivered; the ACK says RCV.NXT = 1."""
    ls, s, c = passive_open(h)
    c.send("PA", 1, 1000, data=b"future")
    c.expect("A", seq=1, ack=1)
    nothing_delivered(c)
    c.expect_state("ESTABLISHED")


@case("RFC 9293 3.10.7.4 (first)")
def est_retransmitted_synack_gets_ack(h):
    """RFC 9293 3.10.7.4, first: our SYN,ACK sent again after the
    handshake (its ACK 'lost') is old: answered <SEQ=SND.NXT>
    <ACK=RCV.NXT><CTL=ACK>; the connection stays ESTABLISHED."""
    s, c = active_open(h)
    c.send("SA", 0, 1, options=opts_mss())
    c.expect("A", seq=1, ack=1)
    c.expect_state("ESTABLISHED")


# ------------------------------------------------------- RST and SYN arrive

@case("RFC 9293 3.10.7.4 (RST), RFC 5961 3.2")
def est_rst_exact_resets(h):
    """RFC 9293 3.10.7.4, second (RFC 5961 3.2 check 2): a RST with SEG.SEQ
    = RCV.NXT resets the connection: recv() fails with ECONNRESET, the
    connection is CLOSED, EstabResets counts it, nothing is sent."""
    before = h.stats()
    ls, s, c = passive_open(h)
    c.send("R", 1)
    c.expect_nothing()
    c.expect_state(CLOSED)
    try:
        s.recv(10)
        check(False, "recv() after the RST did not fail")
    except ConnectionResetError:
        pass
    check(h.stats()["EstabResets"] == before["EstabResets"] + 1,
          "EstabResets did not count the reset")


@case("RFC 9293 3.10.7.4 (RST), RFC 5961 3.2")
def est_rst_ack_exact_resets(h):
    """RFC 9293 3.10.7.4, second: a RST,ACK at RCV.NXT resets as well; a
    send() afterwards fails (EPIPE or ECONNRESET)."""
    s, c = active_open(h)
    c.send("RA", 1, 1)
    c.expect_state(CLOSED)
    try:
        s.send(b"x")
        check(False, "send() after the RST did not fail")
    except (BrokenPipeError, ConnectionResetError):
        pass
    c.expect_nothing()


@case("RFC 9293 3.10.7.4 (RST), RFC 5961 3.2")
def est_rst_in_window_challenge_ack(h):
    """RFC 9293 3.10.7.4, second, check 3 (RFC 5961 3.2): a RST in the
    window but not at RCV.NXT gets a challenge ACK <SEQ=SND.NXT>
    <ACK=RCV.NXT><CTL=ACK>; the connection stays."""
    ls, s, c = passive_open(h)
    c.send("R", 1000)
    c.expect("A", seq=1, ack=1)
    c.expect_state("ESTABLISHED")


@case("RFC 5961 7, RFC 9293 3.10.7.4 (RST)")
def est_challenge_acks_limited_per_connection(h):
    """RFC 5961 section 7: challenge ACKs are rate-limited, first per
    connection: of two in-window RSTs back to back only the first is
    answered (one ACK per 500 ms per connection, as TCP's
    tcp_invalid_ratelimit); the second counts in ChallengeAcksSkipped and
    spends nothing of the namespace's budget.  After the interval a RST is
    answered again."""
    ls, s, c = passive_open(h)
    before = h.stats()
    c.send("R", 1000)
    c.expect("A", seq=1, ack=1)
    answered = time.monotonic()
    c.send("R", 2000)
    c.expect_nothing(within=0.3)
    after = h.stats()
    check(after["ChallengeAcksSkipped"] - before["ChallengeAcksSkipped"] == 1,
          "ChallengeAcksSkipped moved by %d, wanted 1"
          % (after["ChallengeAcksSkipped"] - before["ChallengeAcksSkipped"]))
    check(after["ChallengeAcks"] - before["ChallengeAcks"] == 1,
          "ChallengeAcks moved by %d, wanted 1"
          % (after["ChallengeAcks"] - before["ChallengeAcks"]))
    # the rule is a time: let the 500 ms since the first answer pass
    time.sleep(max(0.0, answered + 0.6 - time.monotonic()))
    c.send("R", 3000)
    c.expect("A", seq=1, ack=1)
    c.expect_state("ESTABLISHED")


@case("RFC 9293 3.10.7.4 (RST), RFC 5961 3.2")
def est_rst_out_of_window_dropped(h):
    """RFC 9293 3.10.7.4, second, check 1 (RFC 5961 3.2): "If the RST bit
    is set and the sequence number is outside the current receive window,
    silently drop the segment": right of the window and left of it."""
    ls, s, c = passive_open(h)
    c.send("R", 1 + 100000)
    c.send("RA", 1 - 1000, 1)
    c.expect_nothing()
    c.expect_state("ESTABLISHED")


@case("RFC 9293 3.10.7.4 (SYN), RFC 5961 4.2")
def est_syn_in_window_challenge_ack(h):
    """RFC 9293 3.10.7.4, fourth (RFC 5961 4.2): a SYN in a synchronized
    state, "irrespective of the sequence number, TCP endpoints MUST send a
    'challenge ACK'" <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, and drop it; the
    connection goes on."""
    ls, s, c = passive_open(h)
    c.send("S", 1000, options=opts_mss())
    c.expect("A", seq=1, ack=1)
    c.expect_state("ESTABLISHED")
    c.send("PA", 1, 1, data=b"still")
    c.expect("A", seq=1, ack=6)


@case("RFC 9293 3.10.7.4 (SYN), RFC 5961 4.2")
def est_syn_out_of_window_gets_ack(h):
    """RFC 9293 3.10.7.4, first and fourth: a SYN outside the window is
    answered <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; the connection stays."""
    ls, s, c = passive_open(h)
    c.send("S", 1 + 100000, options=opts_mss())
    c.expect("A", seq=1, ack=1)
    c.expect_state("ESTABLISHED")


# ------------------------------------------------------------- keep-alive

@case("RFC 9293 3.8.4")
def est_keepalive_probe_answered(h):
    """RFC 9293 3.8.4: a keep-alive probe carries SEG.SEQ = SND.NXT - 1,
    with no data or one garbage octet; it is outside the window, so the
    receiver answers it with an ACK <SEQ=SND.NXT><ACK=RCV.NXT>, and the
    garbage octet is not delivered."""
    ls, s, c = passive_open(h)
    c.send("A", 0, 1)
    c.expect("A", seq=1, ack=1)
    c.send("A", 0, 1, data=b"\0")
    c.expect("A", seq=1, ack=1)
    nothing_delivered(c)
    c.expect_state("ESTABLISHED")


def keepalive_on(s):
    """Keep-alive after 1 s idle, probes 1 s apart, one probe only."""
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)


def keepalive_probe_then_timeout(h, s, c):
    probe = c.expect("A", seq=0, ack=1, within=3.0)
    check(len(probe.data) <= 1, "probe carries %d octets" % len(probe.data))
    check(wait_for(lambda: c.state() == CLOSED, within=4.0),
          "still %s after an unanswered probe" % c.state())
    err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    check(err == errno.ETIMEDOUT, "socket error %s, expected ETIMEDOUT"
          % errno.errorcode.get(err, err))


@case("RFC 9293 3.8.4")
def est_keepalive_probes_then_gives_up(h):
    """RFC 9293 3.8.4: keep-alives switched on for an established
    connection (SO_KEEPALIVE after connect(); TCP_KEEPIDLE 1 s, KEEPINTVL
    1 s, KEEPCNT 1): after 1 s idle comes a probe <SEQ=SND.NXT-1>
    <ACK=RCV.NXT> with at most one octet; a probe left unanswered ends the
    connection (ETIMEDOUT, as Linux reports it)."""
    s, c = active_open(h)
    keepalive_on(s)
    keepalive_probe_then_timeout(h, s, c)


@case("RFC 9293 3.8.4, RFC 5961 3.2")
def est_keepalive_not_fooled_by_blind_segments(h):
    """RFC 9293 3.8.4: keep-alive probes a connection that has been idle;
    a segment that fails the sequence check (here a RST outside the window,
    which anyone can send: RFC 5961 3.2 drops it silently) proves nothing
    about the peer and must not count as traffic.  With such RSTs every
    0.3 s the probe still comes after 1 s."""
    s, c = active_open(h)
    keepalive_on(s)
    deadline = time.monotonic() + 3.0
    probe = None
    while probe is None and time.monotonic() < deadline:
        c.send("R", 1 + 100000)
        seg = c.next(0.3)
        if seg is not None and c.rel_seq(seg) == 0:
            probe = seg
    check(probe is not None, "no keep-alive probe within 3 s of blind RSTs")
    check(wait_for(lambda: c.state() == CLOSED, within=4.0),
          "still %s after an unanswered probe" % c.state())


@case("RFC 9293 3.8.4")
def est_keepalive_set_before_connect(h):
    """RFC 9293 3.8.4: as est_keepalive_probes_then_gives_up, but with
    SO_KEEPALIVE set before connect(): the probe comes after 1 s idle and
    an unanswered probe ends the connection."""
    s = h.socket()
    keepalive_on(s)
    s, c = active_open(h, sock=s)
    keepalive_probe_then_timeout(h, s, c)


# --------------------------------------------------------- sending, windows

@case("RFC 7323 2.2, 2.3")
def est_peer_window_scaled(h):
    """RFC 7323 2.2/2.3: when both SYNs carried Window Scale, the peer's
    window fields are shifted by its scale (here 2): a field of 1000
    offers 4000 octets, so more than one 1460-octet segment may go out
    (and nothing beyond 4000)."""
    ls, s, c = passive_open(h, options=opts_mss() + [("NOP", None),
                                                     ("WScale", 2)])
    c.send("A", 1, 1, win=1000)
    s.sendall(bytes(8000))
    sent = 0
    while True:
        seg = c.next(0.6)
        if seg is None:
            break
        end = c.rel_seq(seg) + len(seg.data)
        check(end <= 4001, "sent %s beyond the scaled window (4000)"
              % h.describe(seg, c))
        sent = max(sent, end - 1)
    check(sent > 1460, "only %d octets sent into a 4000-octet window: the "
          "window scale was not applied" % sent)



@case("RFC 9293 4 (send window), RFC 5681 2")
def est_send_window_respected(h):
    """The peer offers a window of 1000 octets.  RFC 9293 (glossary, send
    window): "The range of new sequence numbers that may be emitted by a
    TCP implementation lies between SND.NXT and SND.UNA + SND.WND - 1";
    RFC 5681 section 2: a TCP "MUST NOT send data with a sequence number
    higher than the sum of the highest acknowledged sequence number and
    the minimum of cwnd and rwnd".  Of 3000 octets written, at most 1000
    may go out before an ACK (Linux splits the segment to fit)."""
    s, c = active_open(h)
    c.send("A", 1, 1, win=1000)
    s.sendall(bytes(3000))
    highest = 1
    deadline = time.monotonic() + 0.6
    while True:
        seg = c.next(max(0.0, deadline - time.monotonic()))
        if seg is None:
            break
        end = c.rel_seq(seg) + len(seg.data)
        highest = max(highest, end)
        check(end <= 1001, "sent %s beyond the offered window (right edge "
              "1001)" % h.describe(seg, c))
    check(highest > 1, "nothing sent into an open window")


@case("RFC 9293 3.8.6.1")
def est_zero_window_holds_data(h):
    """RFC 9293 3.8.6 and 3.8.6.1: with a zero window offered no data is
    sent at once (a probe only after the persist timeout); a window update
    then releases the data."""
    s, c = active_open(h)
    c.send("A", 1, 1, win=0)
    s.sendall(b"z" * 100)
    c.expect_nothing()
    c.send("A", 1, 1, win=65535)
    c.expect("A", seq=1, ack=1, data=b"z" * 100)


@case("RFC 9293 3.8.6.1", rto_min_ms=300)
def est_zero_window_probe(h):
    """RFC 9293 3.8.6.1: "The sending TCP implementation MUST regularly
    transmit at least one octet of new data (if available), or retransmit
    to the receiving TCP endpoint even if the send window is zero" (MUST-
    36): a probe at SND.UNA comes within a few RTOs."""
    s, c = active_open(h)
    c.send("A", 1, 1, win=0)
    s.sendall(b"p" * 100)
    seg = c.next(4.0)
    check(seg is not None, "no zero-window probe within 4 s")
    check(c.rel_seq(seg) == 1 and len(seg.data) >= 1,
          "expected a probe with data at seq 1, got %s" % h.describe(seg, c))


@case("RFC 9293 3.8.6.1", rto_min_ms=300)
def est_zero_window_probe_resumes(h):
    """RFC 9293 3.8.6.1: the probe is one octet of new data, the same octet
    again while the window stays closed, and the window opening sends that
    octet again at once, then the rest as it is acknowledged."""
    s, c = active_open(h)
    c.send("A", 1, 1, win=0)
    s.sendall(b"p" * 100)
    c.expect("A", seq=1, ack=1, data=b"p", within=4.0)
    c.send("A", 1, 1, win=0)            # the probe's answer: still closed
    c.expect("A", seq=1, ack=1, data=b"p", within=4.0)
    c.send("A", 1, 1, win=65535)        # open
    c.expect("A", seq=1, ack=1, data=b"p", within=0.5)
    c.send("A", 1, 2, win=65535)
    c.expect("A", seq=2, ack=1, data=b"p" * 99, within=0.5)


@case("RFC 9293 3.10.7.4, RFC 6298 5", rto_min_ms=300)
def est_ack_after_timeout_from_snd_max(h):
    """After a retransmission timeout SND.NXT goes back to SND.UNA
    (go-back-N), but a bare ACK is still numbered from the highest sequence
    number sent, the RFC's SND.NXT: numbered from the resent segment's end
    it would lie left of the peer's window, unacceptable (3.10.7.4), and
    the peer would never read its acknowledgment."""
    s, c = active_open(h)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(b"a" * 2 * MSS)
    c.expect("A", seq=1, ack=1, length=MSS)
    c.expect("A", seq=1 + MSS, ack=1, length=MSS)
    # neither acknowledged: after the RTO the first goes again, alone (the
    # congestion window is one segment, RFC 5681 3.1)
    c.expect("A", seq=1, ack=1, length=MSS, within=3.0)
    c.send("PA", 1, 1, data=b"x")
    c.expect("A", seq=1 + 2 * MSS, ack=2)


@case("RFC 9293 3.10.8, RFC 6298 5", rto_min_ms=300)
def est_sent_segment_never_grows(h):
    """New data never goes into a segment already sent: a retransmission
    carries the bytes it carried before (RFC 9293 3.10.8: the segments
    on the retransmission queue are sent again), and the buffer of a sent
    segment may still be shared with a copy in a device queue.  A full
    segment and a 100-octet one go out; after the RTO the first goes again
    alone (cwnd is one segment), the second waits, sent once; 50 more
    octets written now must make a new segment after it, not a 150-octet
    retransmission."""
    s, c = active_open(h)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(b"a" * MSS)
    c.expect("A", seq=1, ack=1, length=MSS)
    s.sendall(b"b" * 100)
    c.expect("A", seq=1 + MSS, ack=1, length=100)
    c.expect("A", seq=1, ack=1, length=MSS, within=3.0)
    c.expect_nothing(0.1)
    s.sendall(b"c" * 50)
    c.send("A", 1, 1 + MSS)
    c.expect("A", seq=1 + MSS, ack=1, data=b"b" * 100)
    c.expect("A", seq=1 + MSS + 100, ack=1, data=b"c" * 50)


@case("RFC 6298 3, 5", rto_min_ms=300, retries2=6)
def est_karn_no_sample_from_an_ack_covering_a_retransmission(h):
    """RFC 6298 section 3 (Karn): an ACK that covers a retransmitted
    segment gives no RTT sample, even for the later segment it also covers
    that went only once.  Two segments, the first resent three times
    (0.3 + 0.6 + 1.2 s), then one ACK for both: timing the second segment
    would make the RTO about 2.4 s.  Without a sample the RTO stays at the
    300 ms floor, so the next lost segment goes again well within 1.2 s."""
    s, c = active_open(h)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.sendall(b"a" * 2 * MSS)
    c.expect("A", seq=1, ack=1, length=MSS)
    c.expect("A", seq=1 + MSS, ack=1, length=MSS)
    for within in (1.0, 1.5, 2.5):
        c.expect("A", seq=1, ack=1, length=MSS, within=within)
    c.send("A", 1, 1 + 2 * MSS)         # both arrived: one cumulative ACK
    s.sendall(b"b" * 100)
    first = c.expect("A", seq=1 + 2 * MSS, ack=1, length=100)
    again = c.expect("A", seq=1 + 2 * MSS, ack=1, length=100, within=3.0)
    check(again.time - first.time < 1.2, "resent after %.2f s: the RTO grew "
          "from an ambiguous sample" % (again.time - first.time))


def carries_data(conn, seg):
    """A segment with data (an ignore= predicate: a retransmission)."""
    return len(seg.data) > 0


@case("RFC 9293 3.10.7.4")
def est_ack_at_right_edge_is_read(h):
    """RFC 9293 3.10.7.4, first: a peer that sent all of our window and
    lost some of it numbers its ACKs SND.NXT = RCV.NXT + RCV.WND, where the
    RFC's table refuses a segment.  Its ACK is read all the same (the
    special allowance the RFC makes for a zero window, at the right edge of
    any window, as BSD and Linux do): the 100 octets it acknowledges leave
    the send queue, and it is not counted as a drop.  One octet further on,
    it is refused and answered <SEQ=SND.NXT><ACK=RCV.NXT>.  (Refused there,
    two ends sending to each other over a lossy link each refused the
    other's ACKs until both timed out.)"""
    ls, s, c = passive_open(h)
    s.sendall(b"d" * 100)
    seg = c.expect("A", seq=1, ack=1, length=100)
    edge = c.rel_ack(seg) + seg.win
    c.send("A", edge + 1, 101)
    c.expect("A", seq=101, ack=1, ignore=carries_data)
    check(c.queues()[0] == 100, "an ACK beyond the window was read")
    before = h.stats()["DropNotAcceptable"]
    c.send("A", edge, 101)
    check(wait_for(lambda: c.queues()[0] == 0),
          "the ACK at the right edge was not read: %d octets still queued"
          % c.queues()[0])
    check(h.stats()["DropNotAcceptable"] == before,
          "the ACK at the right edge was counted as a drop")


@case("RFC 9293 3.10.7.4")
def est_unacceptable_acks_rate_limited(h):
    """RFC 9293 3.10.7.4, first: an unacceptable segment is answered with
    an ACK; for bare segments at most one per 500 ms per connection
    (OutOfWindowAcksLimited), so two ends that each find the other's ACKs
    unacceptable cannot answer each other without end.  Unacceptable data
    is always answered."""
    ls, s, c = passive_open(h)
    far = 1 + (1 << 30)                 # far right of any window
    before = h.stats()["OutOfWindowAcksLimited"]
    c.send("A", far, 1)
    c.expect("A", seq=1, ack=1)
    c.send("A", far, 1)
    c.send("A", far, 1)
    c.expect_nothing(0.2)
    limited = h.stats()["OutOfWindowAcksLimited"] - before
    check(limited == 2, "OutOfWindowAcksLimited +%d, wanted +2" % limited)
    c.send("PA", far, 1, data=b"d")
    c.expect("A", seq=1, ack=1)
    nothing_delivered(c)


@case("RFC 6298 5, RFC 9293 3.10.8", rto_min_ms=300)
def est_small_segment_retransmitted(h):
    """RFC 6298 5.4 and RFC 9293 3.10.8: when the retransmission timer
    expires, "send the segment at the front of the retransmission queue
    again": the same 100 octets at seq 1 (less than an MSS: Nagle's rule
    is for new data, not retransmissions), after the RTO (here the 300 ms
    floor)."""
    s, c = active_open(h)
    s.sendall(b"r" * 100)
    first = c.expect("A", seq=1, ack=1, length=100)
    again = c.expect("A", seq=1, ack=1, data=b"r" * 100, within=3.0)
    check(again.time - first.time >= 0.25, "resent after %.2f s"
          % (again.time - first.time))


@case("RFC 6298 5, RFC 9293 3.10.8", rto_min_ms=300)
def est_full_segment_retransmitted(h):
    """RFC 6298 5.4 and RFC 9293 3.10.8: a full-sized segment (1460
    octets) is sent again at seq 1 when the retransmission timer
    expires."""
    s, c = active_open(h)
    s.sendall(b"f" * 1460)
    first = c.expect("A", seq=1, ack=1, length=1460)
    again = c.expect("A", seq=1, ack=1, data=b"f" * 1460, within=3.0)
    check(again.time - first.time >= 0.25, "resent after %.2f s"
          % (again.time - first.time))


@case("RFC 5681 3.2")
def est_fast_retransmit(h):
    """RFC 5681 3.2: on the third duplicate ACK the sender retransmits the
    segment at SND.UNA at once, without waiting for the RTO (1.5 s)."""
    s, c = active_open(h, options=opts_mss(1000))
    s.sendall(bytes(4000))
    for n in range(4):
        c.expect("A", seq=1 + 1000 * n, ack=1, length=1000)
    for _ in range(3):
        c.send("A", 1, 1)
    seg = c.expect("A", seq=1, ack=1, length=1000, within=0.7)
    check(seg is not None, "no fast retransmit")


@case("RFC 9293 3.8.6.2.2")
def est_receive_window_never_shrinks(h):
    """RFC 9293 3.8.6.2.2 and 3.10.7.4 seventh: "The total of RCV.NXT and
    RCV.WND should not be reduced" (SHLD-14): with a small buffer and a
    reader that reads nothing, the right edge ACK+WND of successive ACKs
    never moves left."""
    ls, s, c = passive_open(h, rcvbuf=8192)
    right = None
    seq = 1
    for _ in range(5):
        c.send("PA", seq, 1, data=bytes(1000))
        seq += 1000
        ack = c.expect("A", seq=1, ack=seq)
        edge = c.rel_ack(ack) + ack.win
        check(right is None or edge >= right, "window edge moved left "
              "from %d to %d" % (right or 0, edge))
        right = edge


@case("RFC 9293 3.10.7.4, 3.8.6.2.2")
def est_zero_receive_window(h):
    """RFC 9293 3.10.7.4, first: with RCV.WND = 0, data is not acceptable
    ("If the RCV.WND is zero, no segments will be acceptable, but special
    allowance should be made to accept valid ACKs"): a 1-octet probe at
    RCV.NXT gets <ACK=RCV.NXT> with window 0.  When the reader drains the
    buffer, a window update opens the window again (3.8.6.2.2)."""
    ls, s, c = passive_open(h, rcvbuf=4096)
    seq = 1
    right = 1 + c.synack.win
    win = c.synack.win
    for _ in range(12):
        n = min(1400, right - seq)
        if n <= 0:
            break
        c.send("PA", seq, 1, data=bytes(n))
        seq += n
        ack = c.expect("A", seq=1)
        check(c.rel_ack(ack) == seq, "data inside the offered window was "
              "not taken: %s" % h.describe(ack, c))
        win = ack.win
        right = max(right, seq + win)
    check(win == 0, "the window did not close (last %r)" % win)
    c.send("PA", seq, 1, data=b"!")
    c.expect("A", seq=1, ack=seq, win=0)
    s.setblocking(False)
    total = 0
    while True:
        try:
            chunk = s.recv(65536)
        except BlockingIOError:
            break
        if not chunk:
            break
        total += len(chunk)
    check(total == seq - 1, "read %d octets, expected %d" % (total, seq - 1))
    upd = c.expect("A", seq=1, ack=seq)
    check(upd.win > 0, "no window update after the reader drained")

