// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: segment tests (RFC 9293 section 3.10.7.4) and RTO arithmetic
 * (RFC 6298).  Numbers in, a verdict out; nothing here touches a socket.
 */

#include <linux/kernel.h>

#include "seq.h"
#include "rules.h"

/**
 * mytcp_seg_acceptable - RFC 9293 section 3.10.7.4, first check
 * @rcv_nxt: RCV.NXT
 * @rcv_wnd: RCV.WND, in bytes
 * @seg_seq: SEG.SEQ
 * @seg_len: SEG.LEN, counting SYN and FIN
 *
 * The four cases of the RFC's table: a zero-length segment is acceptable
 * at RCV.NXT (zero window) or inside the window; a segment with data needs
 * a non-zero window and its first or its last octet inside it.
 *
 * Return: true when the segment is acceptable.
 */
bool mytcp_seg_acceptable(u32 rcv_nxt, u32 rcv_wnd, u32 seg_seq, u32 seg_len)
{
	u32 wnd_end = rcv_nxt + rcv_wnd;

	if (seg_len == 0) {
		if (rcv_wnd == 0)
			return seg_seq == rcv_nxt;
		return !mytcp_seq_before(seg_seq, rcv_nxt) &&
		       mytcp_seq_before(seg_seq, wnd_end);
	}
	if (rcv_wnd == 0)
		return false;
	/* first octet in window, or last octet in window */
	if (!mytcp_seq_before(seg_seq, rcv_nxt) &&
	    mytcp_seq_before(seg_seq, wnd_end))
		return true;
	return !mytcp_seq_before(seg_seq + seg_len - 1, rcv_nxt) &&
	       mytcp_seq_before(seg_seq + seg_len - 1, wnd_end);
}

/**
 * mytcp_seg_ack_usable - may a segment the window refuses still count for its ACK?
 * @rcv_nxt: RCV.NXT
 * @rcv_wnd: RCV.WND, in bytes
 * @seg_seq: SEG.SEQ
 * @rst: the segment carries RST
 *
 * RFC 9293 section 3.10.7.4 makes a "special allowance" for a zero window:
 * a segment at RCV.NXT is read for its ACK and RST though no octet fits.
 * The same holds at the right edge of any window, RCV.NXT + RCV.WND (the
 * zero window is the case RCV.WND = 0): a peer that sent all our window
 * numbers its ACKs SND.NXT, which is that edge, and if some of that data
 * was lost or dropped on the way, RCV.NXT stays behind and the RFC's table
 * refuses every one of them.  Two ends sending to each other over a lossy
 * link then each refuse the other's acknowledgments, and both stall (BSD
 * and Linux accept SEG.SEQ = RCV.NXT + RCV.WND, as here).  Data in such a
 * segment lies beyond the window and is cut off.  A RST there counts only
 * for a zero window, where the edge is RCV.NXT: beside a window with room
 * it is outside, and RFC 5961 section 3.2 drops it without an answer.
 *
 * Return: true when SEG.SEQ is the right edge of the window.
 */
bool mytcp_seg_ack_usable(u32 rcv_nxt, u32 rcv_wnd, u32 seg_seq, bool rst)
{
	if (rst && rcv_wnd)
		return false;
	return seg_seq == rcv_nxt + rcv_wnd;
}

/**
 * mytcp_ack_acceptable - does SEG.ACK acknowledge something new?
 * @snd_una: SND.UNA
 * @snd_nxt: SND.NXT
 * @seg_ack: SEG.ACK
 *
 * RFC 9293 section 3.10.7.4, fifth check: SND.UNA < SEG.ACK =< SND.NXT.
 *
 * Return: true when the ACK advances SND.UNA.
 */
bool mytcp_ack_acceptable(u32 snd_una, u32 snd_nxt, u32 seg_ack)
{
	return mytcp_seq_after(seg_ack, snd_una) &&
	       !mytcp_seq_after(seg_ack, snd_nxt);
}

/**
 * mytcp_ack_seq - SEG.SEQ of a bare ACK
 * @snd_una: SND.UNA
 * @snd_max: the highest sequence number sent, plus one
 * @snd_wnd: SND.WND
 *
 * RFC 9293 section 3.10.7.4 sends <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>,
 * with an SND.NXT that never goes back.  Ours returns to SND.UNA after a
 * timeout (go-back-N), and an ACK numbered from there would be below the
 * peer's RCV.NXT: unacceptable to it, its acknowledgment and window never
 * read.  So the highest sequence number sent, but not beyond the right
 * edge of the peer's window: an octet probing a zero window was not taken,
 * and a zero window only accepts SEG.SEQ = RCV.NXT.
 *
 * Return: the sequence number for the ACK.
 */
u32 mytcp_ack_seq(u32 snd_una, u32 snd_max, u32 snd_wnd)
{
	u32 right = snd_una + snd_wnd;

	return mytcp_seq_after(snd_max, right) ? right : snd_max;
}

/**
 * mytcp_ack_is_old - is SEG.ACK a duplicate (SEG.ACK =< SND.UNA)?
 * @snd_una: SND.UNA
 * @seg_ack: SEG.ACK
 *
 * RFC 9293 section 3.10.7.4: a duplicate ACK is ignored (but may still
 * update the window); an ACK beyond SND.NXT is answered with an ACK.
 *
 * Return: true for an old or duplicate acknowledgment.
 */
bool mytcp_ack_is_old(u32 snd_una, u32 seg_ack)
{
	return !mytcp_seq_after(seg_ack, snd_una);
}

/**
 * mytcp_window_update_ok - may this segment update SND.WND?
 * @snd_wl1: SND.WL1, SEG.SEQ of the last window update
 * @snd_wl2: SND.WL2, SEG.ACK of the last window update
 * @seg_seq: SEG.SEQ
 * @seg_ack: SEG.ACK
 *
 * RFC 9293 section 3.10.7.4, fifth check: only a segment newer than the one
 * that last set the window may set it, so an old reordered segment cannot
 * shrink it: SND.WL1 < SEG.SEQ, or SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK.
 *
 * Return: true when the window is to be taken from this segment.
 */
bool mytcp_window_update_ok(u32 snd_wl1, u32 snd_wl2, u32 seg_seq, u32 seg_ack)
{
	return mytcp_seq_before(snd_wl1, seg_seq) ||
	       (snd_wl1 == seg_seq && !mytcp_seq_after(snd_wl2, seg_ack));
}

/**
 * mytcp_rst_acceptable - is a RST's sequence number in the window?
 * @rcv_nxt: RCV.NXT
 * @rcv_wnd: RCV.WND
 * @seg_seq: SEG.SEQ of the RST
 *
 * RFC 9293 section 3.10.7.4, second check: in a synchronized state a RST is
 * valid if its sequence number is in the window (RFC 5961 narrows this to
 * RCV.NXT exactly; the caller decides what to do with the rest).
 *
 * Return: true when RCV.NXT =< SEG.SEQ < RCV.NXT + max(RCV.WND, 1).
 */
bool mytcp_rst_acceptable(u32 rcv_nxt, u32 rcv_wnd, u32 seg_seq)
{
	return seg_seq - rcv_nxt < max_t(u32, rcv_wnd, 1);
}

/**
 * mytcp_synsent_ack_acceptable - the ACK test in SYN-SENT
 * @iss: ISS
 * @snd_nxt: SND.NXT
 * @seg_ack: SEG.ACK
 *
 * RFC 9293 section 3.10.7.3, first check: an ACK is acceptable in
 * SYN-SENT only if ISS < SEG.ACK =< SND.NXT.
 *
 * Return: true when acceptable.
 */
bool mytcp_synsent_ack_acceptable(u32 iss, u32 snd_nxt, u32 seg_ack)
{
	return mytcp_seq_after(seg_ack, iss) &&
	       !mytcp_seq_after(seg_ack, snd_nxt);
}

/**
 * mytcp_rcv_window - the receive window to advertise
 * @rcv_nxt: RCV.NXT
 * @old_right: right edge advertised before (RCV.NXT + RCV.WND then)
 * @space: bytes of data the receive buffer can take now
 * @min_step: smallest worthwhile move of the right edge:
 *	      min(RCV.BUFF / 2, Eff.snd.MSS)
 * @wscale: our window scale shift
 *
 * RFC 9293 section 3.8.6.2.2: the right edge never moves left (no
 * shrinking), and moves right only by at least @min_step (receiver-side
 * silly window syndrome avoidance).  The result is a multiple of the scale
 * unit, at most 65535 << @wscale (RFC 7323 section 2.3).
 *
 * Return: the window in bytes, counted from @rcv_nxt.
 */
u32 mytcp_rcv_window(u32 rcv_nxt, u32 old_right, u32 space, u32 min_step,
		     u8 wscale)
{
	u32 unit = 1U << wscale;
	u32 old = mytcp_seq_after(old_right, rcv_nxt) ? old_right - rcv_nxt : 0;
	u32 wnd = min(space, 65535U << wscale);

	wnd = round_down(wnd, unit);
	old = ALIGN(old, unit);
	if (wnd <= old || wnd - old < min_step)
		return old;
	return wnd;
}

/**
 * mytcp_rtt_init - RFC 6298 section 2.1: before any measurement
 * @r: round-trip state
 * @initial_rto: the initial RTO, in microseconds (RFC 6298 says 1 s)
 */
void mytcp_rtt_init(struct mytcp_rtt *r, u32 initial_rto)
{
	r->srtt = 0;
	r->rttvar = 0;
	r->rto = initial_rto;
}

/**
 * mytcp_rtt_sample - RFC 6298 sections 2.2 and 2.3: take one measurement
 * @r: round-trip state
 * @rtt: the measured round-trip time R, in microseconds (Karn's rule is the
 *	 caller's: never a sample from a retransmitted segment)
 * @rto_min: lower bound on the RTO (RFC 6298 says 1 s; Linux uses 200 ms)
 * @rto_max: upper bound on the RTO (at least 60 s)
 *
 * The first sample sets SRTT = R and RTTVAR = R/2; later ones use
 * alpha = 1/8 and beta = 1/4.  RTO = SRTT + max(G, 4 * RTTVAR), with a clock
 * granularity G of one microsecond, clamped to [rto_min, rto_max].
 */
void mytcp_rtt_sample(struct mytcp_rtt *r, u32 rtt, u32 rto_min, u32 rto_max)
{
	u64 rto;

	if (!rtt)
		rtt = 1;
	if (!r->srtt) {
		r->srtt = rtt;
		r->rttvar = rtt / 2;
	} else {
		u32 delta = r->srtt > rtt ? r->srtt - rtt : rtt - r->srtt;

		/* RTTVAR <- 3/4 RTTVAR + 1/4 |SRTT - R'| */
		r->rttvar = r->rttvar - r->rttvar / 4 + delta / 4;
		/* SRTT <- 7/8 SRTT + 1/8 R' */
		r->srtt = r->srtt - r->srtt / 8 + rtt / 8;
	}
	rto = (u64)r->srtt + max_t(u32, 1, 4 * r->rttvar);
	r->rto = clamp_t(u64, rto, rto_min, rto_max);
}

/**
 * mytcp_rto_backoff - RFC 6298 section 5.5: the RTO after @backoff expiries
 * @rto: the RTO before backoff
 * @backoff: how many times the timer has expired for this segment
 * @rto_max: upper bound
 *
 * Return: min(@rto * 2^@backoff, @rto_max).
 */
u32 mytcp_rto_backoff(u32 rto, unsigned int backoff, u32 rto_max)
{
	u64 v = rto;

	if (backoff >= 32)
		return rto_max;
	v <<= backoff;
	return min_t(u64, v, rto_max);
}

/**
 * mytcp_syn_queue_full - must a SYN go without a request entry?
 * @qlen: requests in the listener's SYN queue
 * @backlog: the listener's backlog, sk_max_ack_backlog
 * @max_syn_backlog: net.mytcp.max_syn_backlog
 * @cookies: SYN cookies are on
 *
 * As Linux 6.1's TCP sizes its request queue: it is full beyond the
 * backlog (qlen > backlog, so listen(fd, n) holds n + 1 requests, as the
 * accept queue does), and then a SYN is answered with a cookie (RFC 4987
 * section 3.6) or dropped.  Without cookies TCP also keeps the last
 * quarter of tcp_max_syn_backlog for peers its metrics have proven alive;
 * mytcp proves none, so that quarter stays empty.
 *
 * Return: true when the SYN gets no entry.
 */
bool mytcp_syn_queue_full(u32 qlen, u32 backlog, u32 max_syn_backlog,
			  bool cookies)
{
	if (qlen > backlog)
		return true;
	return !cookies && qlen > max_syn_backlog - max_syn_backlog / 4;
}
