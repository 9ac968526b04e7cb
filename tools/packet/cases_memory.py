# SPDX-License-Identifier: GPL-2.0
"""Cases: receive memory.  Small segments inside the advertised window are
taken even when their skbs' truesize is many times their data (the queues
are collapsed), and data held beyond a hole never keeps the segment that
fills the hole out (the out-of-order queue is pruned from its top)."""

import time

from harness import case, check, passive_open, recv_exactly


def highest_ack(c, want, within=3.0):
    """Read the connection's segments for up to @within s until one
    acknowledges @want (relative); the highest relative ACK seen."""
    deadline = time.monotonic() + within
    best = 0
    while time.monotonic() < deadline:
        seg = c.next(within=max(0.0, deadline - time.monotonic()))
        if seg is None:
            break
        if "A" in seg.flags:
            best = max(best, c.rel_ack(seg))
        if best >= want:
            break
    return best


@case("RFC 9293 3.8.6.2.2, 3.10.7.4")
def mem_small_segments_in_window_taken(h):
    """RFC 9293 3.10.7.4, seventh, with 3.8.6.2.2: the window is a promise.
    With an 8 KiB buffer (SO_RCVBUF 4096) and no reader, 150 segments of
    8 octets in order, 1200 octets, all inside the first window offered,
    are all taken and acknowledged, though each arrives in an skb of about
    1 KiB: the receive queue is collapsed (RcvCollapsed) instead of the
    data being dropped (DropRcvbufFull stays 0)."""
    ls, s, c = passive_open(h, rcvbuf=4096)
    n, size = 150, 8
    check(c.synack.win >= n * size, "first window %d too small for the "
          "case" % c.synack.win)
    before = h.stats()
    for i in range(n):
        c.send("PA", 1 + i * size, 1, data=bytes([65 + i % 26]) * size)
    got = highest_ack(c, 1 + n * size)
    after = h.stats()
    check(got == 1 + n * size, "ACK reached %d, not %d: data inside the "
          "window was dropped (DropRcvbufFull +%d)"
          % (got, 1 + n * size,
             after["DropRcvbufFull"] - before["DropRcvbufFull"]))
    check(after["DropRcvbufFull"] == before["DropRcvbufFull"],
          "segments inside the window were dropped")
    check(after["RcvCollapsed"] > before["RcvCollapsed"], "RcvCollapsed "
          "did not move")
    want = b"".join(bytes([65 + i % 26]) * size for i in range(n))
    check(recv_exactly(s, n * size) == want, "wrong data")


@case("RFC 9293 3.10.7.4")
def mem_ofo_pruned_for_the_hole(h):
    """RFC 9293 3.10.7.4, first: segments beyond RCV.NXT "SHOULD be held",
    but not at the cost of the one that fills the hole.  With an 8 KiB
    buffer, 1-octet segments at every other sequence number (holes between
    them, so nothing collapses) fill the out-of-order queue until the
    buffer refuses more (DropRcvbufFull).  The octet at RCV.NXT then still
    gets in: the queue is pruned from its highest sequence number down
    (OfoPruned).  The rest of the stream follows in order, all of it is
    delivered and the connection stays ESTABLISHED."""
    ls, s, c = passive_open(h, rcvbuf=4096)
    total = 400
    stream = bytes((65 + i % 26) for i in range(total))
    before = h.stats()
    for off in range(2, 200, 2):          # octets 2, 4, ... 198
        c.send("PA", 1 + off, 1, data=stream[off:off + 1])
    highest_ack(c, 2, within=1.0)          # the duplicate ACKs
    mid = h.stats()
    check(mid["DropRcvbufFull"] > before["DropRcvbufFull"], "the out-of-"
          "order segments never filled the buffer: the case tests nothing")
    c.send("PA", 1, 1, data=stream[0:1])
    got = highest_ack(c, 2, within=2.0)
    check(got >= 2, "the octet at RCV.NXT was dropped: ACK stays %d "
          "(DropRcvbufFull +%d)" % (got, h.stats()["DropRcvbufFull"] -
                                    mid["DropRcvbufFull"]))
    check(h.stats()["OfoPruned"] > before["OfoPruned"], "OfoPruned did "
          "not move")
    # the rest, in order: each octet the peer still misses
    for off in range(1, total, 50):
        c.send("PA", 1 + off, 1, data=stream[off:off + 50])
    got = highest_ack(c, 1 + total)
    check(got == 1 + total, "ACK reached %d, not %d" % (got, 1 + total))
    check(recv_exactly(s, total) == stream, "wrong data")
    c.expect_state("ESTABLISHED")
