# SPDX-License-Identifier: GPL-2.0
"""Cases: the receiver's ACK policy (RFC 9293 3.8.6.3, RFC 1122 4.2.3.2,
RFC 5681 4.2): quick ACKs while the connection starts, an ACK for every
second full-sized segment, a delayed ACK within its timeout otherwise, and
an immediate duplicate ACK for out-of-order data."""

import time

from harness import case, check, passive_open

# mytcp_quickack_budget() for the 65535 window of a connection without
# window scaling and the 536 default MSS: min(16, 65535 / (2 * 536))
QUICKACKS = 16
# the delayed ACK waits at least 40 ms (MYTCP_DELACK_MIN_US)
DELACK_MIN = 0.040


def seg_size(c):
    """The full segment size: the MSS the module announced."""
    return min(1460, c.synack.option("MSS") or 536)


def use_up_quickacks(c, seq, size):
    """Send QUICKACKS full segments one at a time, each acknowledged by
    itself (quick-ACK mode); returns the next SEQ."""
    for _ in range(QUICKACKS):
        c.send("A", seq, 1, data=b"q" * size)
        c.expect("A", seq=1, ack=seq + size)
        seq += size
    return seq


@case("RFC 5681 4.2, 3.1; RFC 9293 3.8.6.3")
def ack_quick_at_start(h):
    """RFC 9293 3.8.6.3 lets a receiver delay ACKs, but RFC 5681 3.1 grows
    the sender's window by what is acknowledged: while the connection
    starts, each segment is acknowledged by itself (quick-ACK mode, as
    Linux TCP).  Two small segments sent back to back right after the
    handshake get two ACKs, ACK 6 then ACK 11 (the old policy, an ACK for
    every second segment of any size, answered them with one ACK 11)."""
    ls, s, c = passive_open(h)
    c.send("PA", 1, 1, data=b"hello")
    c.send("PA", 6, 1, data=b"world")
    c.expect("A", seq=1, ack=6)
    c.expect("A", seq=1, ack=11)


@case("RFC 9293 3.8.6.3, RFC 1122 4.2.3.2", timeout=40)
def ack_every_second_full_segment(h):
    """RFC 9293 3.8.6.3 (MUST-58 in RFC 1122 4.2.3.2): "in a stream of
    full-sized segments there SHOULD be an ACK for at least every second
    segment".  Once quick-ACK mode is over, two full segments back to back
    get one ACK, for both, and nothing else follows (the delayed-ACK timer
    armed by the first has nothing left to send)."""
    ls, s, c = passive_open(h)
    size = seg_size(c)
    seq = use_up_quickacks(c, 1, size)
    c.send("A", seq, 1, data=b"a" * size)
    c.send("A", seq + size, 1, data=b"b" * size)
    c.expect("A", seq=1, ack=seq + 2 * size)
    c.expect_nothing(0.5)


@case("RFC 9293 3.8.6.3, RFC 1122 4.2.3.2", timeout=40)
def ack_single_segment_delayed(h):
    """RFC 9293 3.8.6.3: an ACK may be delayed, but "the delay MUST be less
    than 0.5 seconds" (MUST-40).  After quick-ACK mode, one full segment
    alone is acknowledged by the delayed-ACK timer: not before its 40 ms
    floor, and within 0.5 s."""
    ls, s, c = passive_open(h)
    size = seg_size(c)
    seq = use_up_quickacks(c, 1, size)
    t = time.monotonic()
    c.send("A", seq, 1, data=b"d" * size)
    ack = c.expect("A", seq=1, ack=seq + size, within=1.0)
    waited = ack.time - t
    check(waited >= DELACK_MIN - 0.002,
          "ACK after %.3f s: not delayed (floor 40 ms)" % waited)
    check(waited < 0.5, "ACK delayed %.3f s, 0.5 s or more" % waited)
    check(h.stats().get("DelayedACKs", 0) >= 1, "DelayedACKs not counted")


@case("RFC 9293 3.8.6.3, RFC 1122 4.2.3.2", timeout=40)
def ack_small_segments_wait(h):
    """RFC 1122 4.2.3.2 asks for an ACK for every second *full-sized*
    segment: two small segments (100 octets each, less than one full
    segment together) after quick-ACK mode wait for the delayed-ACK timer,
    which then acknowledges both at once (the old policy counted segments,
    whatever their size, and answered the second at once)."""
    ls, s, c = passive_open(h)
    size = seg_size(c)
    seq = use_up_quickacks(c, 1, size)
    c.send("PA", seq, 1, data=b"s" * 100)
    t = time.monotonic()
    c.send("PA", seq + 100, 1, data=b"t" * 100)
    ack = c.expect("A", seq=1, ack=seq + 200, within=1.0)
    waited = ack.time - t
    check(waited >= DELACK_MIN - 0.010,
          "ACK %.3f s after the second small segment: not delayed" % waited)


@case("RFC 5681 4.2", timeout=40)
def ack_out_of_order_at_once(h):
    """RFC 5681 4.2: "A TCP receiver SHOULD send an immediate duplicate ACK
    when an out-of-order segment arrives."  After quick-ACK mode, with a
    delayed ACK pending for one in-order segment, a segment beyond a hole
    is answered at once (ACK = RCV.NXT, not its own end); the segment that
    fills the hole is acknowledged at once too ("an immediate ACK"), for
    everything held.  "At once" is told by the module's DelayedACKs
    counter, not by the clock (a busy machine took 31 ms for an immediate
    ACK): every ACK the delayed-ACK timer sends is counted there, so an
    immediate one is an ACK beyond what the counter accounts for."""
    ls, s, c = passive_open(h)
    size = seg_size(c)
    seq = use_up_quickacks(c, 1, size)
    timer0 = h.stats()["DelayedACKs"]
    c.send("A", seq, 1, data=b"i" * size)          # delayed ACK pending
    hole = seq + size
    c.send("A", hole + size, 1, data=b"o" * size)  # beyond a hole
    # the duplicate ACK; and the delayed ACK too if its timer (40 ms at
    # least) fired before the segment beyond the hole arrived: same ACK
    dup = acks_of(c, hole, quiet=0.5)
    timer = h.stats()["DelayedACKs"] - timer0
    check(dup > timer, "%d ACK=%d, %d of them from the delayed-ACK timer: "
          "no immediate duplicate ACK" % (dup, hole, timer))
    timer0 = h.stats()["DelayedACKs"]
    c.send("A", hole, 1, data=b"h" * size)         # fills it
    c.expect("A", seq=1, ack=hole + 2 * size, within=1.0)
    check(h.stats()["DelayedACKs"] == timer0,
          "the ACK for the filled hole came from the delayed-ACK timer")


def acks_of(c, ack, quiet):
    """Count the module's bare ACKs with ACK=@ack until it has been quiet
    for @quiet seconds (at least one must come within 1 s)."""
    n = 0
    seg = c.expect("A", seq=1, ack=ack, within=1.0)
    while seg is not None:
        if not seg.data and c.rel_ack(seg) == ack:
            n += 1
        seg = c.next(quiet)
    return n
