// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: NewReno congestion control (RFC 5681 and RFC 6582).
 */

#include <linux/kernel.h>

#include "cong.h"
#include "seq.h"

#define MYTCP_DUPACK_THRESH	3	/* RFC 5681 section 3.2 */

static void newreno_init(struct mytcp_cc *cc, u32 mss, u32 init_segs)
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

/* RFC 5681 section 3.2, step 2: ssthresh = max(FlightSize / 2, 2 * SMSS) */
static u32 newreno_half(const struct mytcp_cc *cc, u32 flight)
{
	return max(flight / 2, 2 * cc->mss);
}

static enum mytcp_cc_action newreno_on_ack(struct mytcp_cc *cc, u32 ack,
					   u32 acked, u32 flight)
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
		/* congestion avoidance: one SMSS per cwnd acked (RFC 3465) */
		cc->cwnd += max_t(u32, 1, (u64)cc->mss * acked / cc->cwnd);
	}
	return MYTCP_CC_NONE;
}

static enum mytcp_cc_action newreno_on_dupack(struct mytcp_cc *cc, u32 flight,
					      u32 snd_max)
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
	cc->ssthresh = newreno_half(cc, flight);
	cc->cwnd = cc->ssthresh + MYTCP_DUPACK_THRESH * cc->mss;
	cc->in_recovery = true;
	cc->recover = snd_max;
	return MYTCP_CC_RETRANSMIT;
}

static void newreno_on_timeout(struct mytcp_cc *cc, u32 flight, u32 snd_max,
			       bool first)
{
	/*
	 * RFC 5681 section 3.1, equation 4, once per backoff series: a
	 * segment that times out again says nothing new about the path.
	 * Then the loss window.
	 */
	if (first)
		cc->ssthresh = newreno_half(cc, flight);
	cc->cwnd = cc->mss;
	cc->dupacks = 0;
	cc->in_recovery = false;
	/* RFC 6582 section 3.2 step 1 (and section 4): recover = SND.MAX */
	cc->recover = snd_max;
	cc->rto_recover = true;
}

const struct mytcp_cong_ops mytcp_newreno = {
	.name		= "newreno",
	.init		= newreno_init,
	.on_ack		= newreno_on_ack,
	.on_dupack	= newreno_on_dupack,
	.on_timeout	= newreno_on_timeout,
};
