// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the receiver's policy, numbers in and a verdict out (see
 * rcvpolicy.h).  Nothing here touches a socket.
 */

#include <linux/kernel.h>
#include <linux/time64.h>

#include "rcvpolicy.h"

/**
 * mytcp_ack_rule - must an in-order data segment be acknowledged at once?
 * @unacked: octets received in order since our last ACK (RCV.NXT minus
 *	     the RCV.NXT that ACK carried)
 * @rcv_mss: the peer's full segment size, as we estimate it
 * @quickack: segments still to acknowledge one by one (quick-ACK mode)
 * @now: the caller's reason to acknowledge at once (a hole filled, a FIN)
 *
 * RFC 9293 section 3.8.6.3 and RFC 1122 section 4.2.3.2: in a stream of
 * full-sized segments an ACK for at least every second one, so at once as
 * soon as more than one full segment's worth is unacknowledged; otherwise
 * the ACK may wait (the caller arms the delayed-ACK timer).  RFC 5681
 * section 4.2: a segment that fills a hole is acknowledged at once (the
 * caller's @now), and while the connection starts, or recovers from a
 * hole, every segment is (quick-ACK mode), so the sender's congestion
 * window is not held back by our delay.
 *
 * Return: the reason to acknowledge now, or MYTCP_ACK_DELAYED.
 */
enum mytcp_ack_why mytcp_ack_rule(u32 unacked, u32 rcv_mss, u8 quickack,
				  bool now)
{
	if (now)
		return MYTCP_ACK_PUSHED;
	if (unacked > rcv_mss)
		return MYTCP_ACK_TWO_SEGMENTS;
	if (quickack)
		return MYTCP_ACK_QUICK;
	return MYTCP_ACK_DELAYED;
}

/**
 * mytcp_delack_us - how long a delayed ACK waits
 * @srtt_us: our smoothed RTT, 0 before the first measurement
 *
 * A quarter of the RTT, between MYTCP_DELACK_MIN_US (40 ms) and
 * MYTCP_DELACK_MAX_US (200 ms).  The floor leaves a request/response
 * program the time to answer, so the ACK rides on its reply, and is ten
 * jiffies at HZ=250.  Above it the delay follows the path: on a long path a
 * sender that waits for this ACK (its window, or Nagle, holding it) loses
 * at most a quarter of a round trip, and the timer fires at most four times
 * per RTT.  The ceiling keeps the delay at or under the 200 ms RTO floor,
 * well inside the 0.5 s RFC 9293 section 3.8.6.3 allows.
 *
 * Return: the delay, in microseconds.
 */
u32 mytcp_delack_us(u32 srtt_us)
{
	return clamp_t(u32, srtt_us / 4, MYTCP_DELACK_MIN_US,
		       MYTCP_DELACK_MAX_US);
}

/**
 * mytcp_quickack_budget - segments to acknowledge one by one
 * @rcv_wnd: the window we offer, in bytes
 * @rcv_mss: the peer's full segment size, as we estimate it
 *
 * Enough to acknowledge each segment of half the window we offer (the
 * sender's slow start grows by what is acknowledged, RFC 5681 section 3.1),
 * at least 2, at most MYTCP_QUICKACK_MAX.
 *
 * Return: the number of segments.
 */
u8 mytcp_quickack_budget(u32 rcv_wnd, u32 rcv_mss)
{
	u32 n = rcv_mss ? rcv_wnd / (2 * rcv_mss) : 0;

	return clamp_t(u32, n, 2, MYTCP_QUICKACK_MAX);
}

/**
 * mytcp_wnd_update_rule - is a read worth a window update?
 * @left: the advertised window still open (right edge minus RCV.NXT)
 * @new_wnd: the window we would advertise now, from RCV.NXT (already
 *	     through mytcp_rcv_window(), so it moved by at least @step or
 *	     not at all)
 * @full_wnd: the window an empty buffer gives
 * @step: min(RCV.BUFF / 2, Eff.snd.MSS)
 *
 * RFC 9293 section 3.8.6.2.2 (receiver-side silly window avoidance): the
 * right edge must move by at least @step.  That alone sends one update per
 * MSS read; a read is worth a segment only when the sender may be short of
 * window, so, as TCP does: only once the window still open is down to half
 * the full one or less, and the new window at least doubles it.  A closed
 * window (@left 0) is always announced once it reopens by @step.  Segments
 * that do arrive carry the new window with their ACKs anyway.
 *
 * Return: true when an ACK should announce the window now.
 */
bool mytcp_wnd_update_rule(u32 left, u32 new_wnd, u32 full_wnd, u32 step)
{
	if (new_wnd <= left || new_wnd - left < step)
		return false;
	if (!left)
		return true;
	return left <= full_wnd / 2 && new_wnd / 2 >= left;
}

/**
 * mytcp_drs_rcvbuf - the receive buffer after one RTT of reading
 * @copied: bytes the application read during the last RTT
 * @space: the most it read in one RTT before
 * @mss: our advertised MSS
 * @rcvbuf: sk_rcvbuf now
 * @rmem_max: net.mytcp.rmem_max
 *
 * Dynamic right-sizing (as TCP's receive buffer autotuning): a reader that
 * drains more per RTT than ever before gets a window of twice that (the
 * sender may double its rate in the next RTT, RFC 5681 slow start) plus a
 * few segments of slack, in a buffer twice the window (mytcp_receive_space()
 * offers half of the free memory: skb overhead).  The buffer never shrinks
 * here, and never grows beyond @rmem_max.
 *
 * Return: the new sk_rcvbuf.
 */
u32 mytcp_drs_rcvbuf(u32 copied, u32 space, u32 mss, u32 rcvbuf,
		     u32 rmem_max)
{
	u64 want;

	if (copied <= space || rcvbuf >= rmem_max)
		return rcvbuf;
	want = 2 * ((u64)copied * 2 + 4 * (u64)mss);
	want = min_t(u64, want, rmem_max);
	return max_t(u64, want, rcvbuf);
}
