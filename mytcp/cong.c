// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the congestion control engine (cong.h) and NewReno, the built-in
 * algorithm: RFC 5681 and RFC 6582, with RFC 3465's byte counting.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "cong.h"
#include "seq.h"

#define MYTCP_DUPACK_THRESH	3	/* RFC 5681 section 3.2 */

/**
 * mytcp_cc_init - a connection starts with algorithm @ops
 * @cc: the state
 * @ops: the algorithm
 * @mss: the sender MSS
 * @init_segs: the initial window, in segments
 */
void mytcp_cc_init(struct mytcp_cc *cc, const struct mytcp_cong_ops *ops,
		   u32 mss, u32 init_segs)
{
	cc->mss = mss;
	cc->cwnd = init_segs * mss;	/* RFC 6928 allows 10 segments */
	cc->ssthresh = S32_MAX;		/* "arbitrarily high" (RFC 5681 3.1) */
	cc->dupacks = 0;
	cc->in_recovery = false;
	cc->rto_recover = false;
	cc->recover = 0;
	cc->max_flight = 0;
	cc->window_end = 0;
	memset(cc->priv, 0, sizeof(cc->priv));
	if (ops->init)
		ops->init(cc);
}

/**
 * mytcp_cc_cwnd_limited - did the congestion window limit the sender?
 * @cc: the state; its window tracking is updated
 * @ack: SEG.ACK of an ACK that advanced SND.UNA
 * @acked: bytes it acknowledged
 * @flight: bytes still in flight after it (SND.MAX - SND.UNA)
 *
 * RFC 7661 section 4.3 (and RFC 2861 before it): cwnd grows only while
 * the sender uses it ("validated"); a flow held back by the receive window
 * or by the application would otherwise grow cwnd without bound, and burst
 * it all out when the limit goes.  Decided over a window of data, with the
 * thresholds of Linux's tcp_is_cwnd_limited(): the most in flight before
 * any ACK of the window (@flight + @acked, what the sender had out) must
 * have filled cwnd (less than an SMSS left: segments are whole) in
 * congestion avoidance, or half of it in slow start (RFC 7661's
 * threshold), where cwnd may run ahead of a window that doubles each
 * round trip.  A window ends when SND.UNA passes the SND.MAX it began
 * with (@ack + @flight is SND.MAX); the ACK that ends it is still judged
 * on it, as Linux judges an ACK on what was sent before it.
 *
 * Return: true if cwnd may grow on this ACK.
 */
bool mytcp_cc_cwnd_limited(struct mytcp_cc *cc, u32 ack, u32 acked,
			   u32 flight)
{
	u32 prior = flight + acked;
	u32 used = max(cc->max_flight, prior);

	if (!cc->max_flight || !mytcp_seq_before(ack, cc->window_end)) {
		/* judged on the window just ended; the next starts here */
		cc->max_flight = prior;
		cc->window_end = ack + flight;
	} else {
		cc->max_flight = used;
	}
	if (cc->cwnd < cc->ssthresh)
		return cc->cwnd < 2 * used;
	return used + cc->mss > cc->cwnd;
}

/**
 * mytcp_cc_switch - a connection changes algorithm (MYTCP_CONGESTION)
 * @cc: the state; cwnd, ssthresh and recovery carry on
 * @ops: the new algorithm, whose own state starts afresh
 */
void mytcp_cc_switch(struct mytcp_cc *cc, const struct mytcp_cong_ops *ops)
{
	memset(cc->priv, 0, sizeof(cc->priv));
	if (ops->init)
		ops->init(cc);
}

/**
 * mytcp_reno_ssthresh - NewReno's ->ssthresh: half of what is in flight
 * @cc: the state
 * @flight: bytes in flight
 *
 * RFC 5681 section 3.2, step 2 (and equation 4 of section 3.1).
 *
 * Return: max(FlightSize / 2, 2 * SMSS).
 */
u32 mytcp_reno_ssthresh(struct mytcp_cc *cc, u32 flight)
{
	return max(flight / 2, 2 * cc->mss);
}
EXPORT_SYMBOL_GPL(mytcp_reno_ssthresh);

/**
 * mytcp_reno_cong_avoid - NewReno's ->cong_avoid: one SMSS per window
 * @cc: the state
 * @acked: bytes the ACK acknowledged
 *
 * RFC 5681 section 3.1 equation 3, counted in bytes (RFC 3465 section
 * 2.1): cwnd += SMSS * acked / cwnd, at least one byte.
 */
void mytcp_reno_cong_avoid(struct mytcp_cc *cc, u32 acked)
{
	cc->cwnd += max_t(u32, 1, (u64)cc->mss * acked / cc->cwnd);
}
EXPORT_SYMBOL_GPL(mytcp_reno_cong_avoid);

/**
 * mytcp_cc_on_ack - an ACK advanced SND.UNA
 * @cc: the state
 * @ops: the algorithm
 * @ack: SEG.ACK, the new SND.UNA
 * @acked: bytes it acknowledged
 * @flight: bytes still in flight (SND.MAX - SND.UNA)
 *
 * Return: MYTCP_CC_RETRANSMIT for a partial ACK in fast recovery.
 */
enum mytcp_cc_action mytcp_cc_on_ack(struct mytcp_cc *cc,
				     const struct mytcp_cong_ops *ops,
				     u32 ack, u32 acked, u32 flight)
{
	bool cwnd_limited = mytcp_cc_cwnd_limited(cc, ack, acked, flight);

	cc->dupacks = 0;
	/* everything sent before the last timeout is acknowledged */
	if (cc->rto_recover && !mytcp_seq_before(ack, cc->recover))
		cc->rto_recover = false;
	if (cc->in_recovery) {
		if (!mytcp_seq_before(ack, cc->recover)) {
			/* RFC 6582 3.2 step 3, full ACK: deflate, leave */
			cc->cwnd = min(cc->ssthresh, max(flight, cc->mss) + cc->mss);
			cc->in_recovery = false;
			return MYTCP_CC_NONE;
		}
		/*
		 * Partial ACK: the next hole is lost too.  Retransmit it,
		 * deflate by what was acked, add back one segment.
		 */
		cc->cwnd = cc->cwnd > acked ? cc->cwnd - acked : 0;
		if (acked >= cc->mss)
			cc->cwnd += cc->mss;
		cc->cwnd = max(cc->cwnd, cc->mss);
		return MYTCP_CC_RETRANSMIT;
	}
	if (!cwnd_limited)
		return MYTCP_CC_NONE;	/* rwnd- or application-limited */
	if (cc->cwnd < cc->ssthresh) {
		/*
		 * slow start, counting bytes with L = 2 SMSS (RFC 3465
		 * section 2.3), since the receiver ACKs every second segment
		 */
		cc->cwnd += min(acked, 2 * cc->mss);
	} else {
		ops->cong_avoid(cc, acked);
	}
	return MYTCP_CC_NONE;
}

/**
 * mytcp_cc_on_dupack - a duplicate ACK (RFC 5681 section 2)
 * @cc: the state
 * @ops: the algorithm
 * @flight: bytes outstanding
 * @snd_max: SND.MAX (so SND.UNA = @snd_max - @flight)
 *
 * Return: MYTCP_CC_RETRANSMIT on the third: fast retransmit.
 */
enum mytcp_cc_action mytcp_cc_on_dupack(struct mytcp_cc *cc,
					const struct mytcp_cong_ops *ops,
					u32 flight, u32 snd_max)
{
	cc->dupacks++;
	if (cc->in_recovery) {
		/* RFC 5681 3.2 step 4: each further dupack inflates cwnd */
		cc->cwnd += cc->mss;
		return MYTCP_CC_NONE;
	}
	if (cc->dupacks != MYTCP_DUPACK_THRESH)
		return MYTCP_CC_NONE;
	/*
	 * RFC 6582 section 3.2 step 2: after a timeout, only duplicate ACKs
	 * that cover recover (all that was sent before it) start a fast
	 * retransmit; those below it echo the go-back-N retransmissions.
	 */
	if (cc->rto_recover && mytcp_seq_before(snd_max - flight, cc->recover))
		return MYTCP_CC_NONE;
	cc->rto_recover = false;
	/* fast retransmit and fast recovery (RFC 6582 section 3.2 step 2) */
	cc->ssthresh = max(ops->ssthresh(cc, flight), 2 * cc->mss);
	cc->cwnd = cc->ssthresh + MYTCP_DUPACK_THRESH * cc->mss;
	cc->in_recovery = true;
	cc->recover = snd_max;
	return MYTCP_CC_RETRANSMIT;
}

/**
 * mytcp_cc_on_timeout - the retransmission timer expired
 * @cc: the state
 * @ops: the algorithm
 * @flight: bytes outstanding
 * @snd_max: SND.MAX
 * @first: the first expiry of a backoff series
 */
void mytcp_cc_on_timeout(struct mytcp_cc *cc, const struct mytcp_cong_ops *ops,
			 u32 flight, u32 snd_max, bool first)
{
	/*
	 * RFC 5681 section 3.1, equation 4, once per backoff series: a
	 * segment that times out again says nothing new about the path.
	 * Then the loss window.
	 */
	if (first)
		cc->ssthresh = max(ops->ssthresh(cc, flight), 2 * cc->mss);
	cc->cwnd = cc->mss;
	cc->dupacks = 0;
	cc->in_recovery = false;
	/* RFC 6582 section 3.2 step 1 (and section 4): recover = SND.MAX */
	cc->recover = snd_max;
	cc->rto_recover = true;
}

/* Built in, always registered: the default, and what the others fall back to */
struct mytcp_cong_ops mytcp_newreno = {
	.name		= "newreno",
	.ssthresh	= mytcp_reno_ssthresh,
	.cong_avoid	= mytcp_reno_cong_avoid,
};
