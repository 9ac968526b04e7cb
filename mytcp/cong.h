/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Congestion control behind a small interface, so another algorithm can
 * be plugged in beside NewReno.  The algorithms are pure functions of a
 * struct mytcp_cc: KUnit drives them without a socket.
 */
#ifndef _MYTCP_CONG_H
#define _MYTCP_CONG_H

#include <linux/types.h>

/**
 * struct mytcp_cc - congestion state, in bytes
 * @cwnd: congestion window
 * @ssthresh: slow-start threshold
 * @mss: sender MSS
 * @dupacks: duplicate ACKs in a row
 * @in_recovery: in fast recovery (RFC 6582)
 * @rto_recover: @recover was set by a retransmission timeout and SND.UNA
 *	has not reached it yet: duplicate ACKs below it start no fast
 *	retransmit (RFC 6582 section 3.2, steps 1 and 2)
 * @recover: SND.MAX when fast recovery began or the retransmission timer
 *	last expired ("recover" of RFC 6582)
 * @max_flight: the most bytes seen in flight (before an ACK) in the
 *	current window, 0 before the first ACK: whether cwnd is what limits
 *	the sender (mytcp_cc_cwnd_limited())
 * @window_end: SND.MAX when the current window began; an ACK at or
 *	beyond it starts the next
 */
struct mytcp_cc {
	u32 cwnd;
	u32 ssthresh;
	u32 mss;
	u32 dupacks;
	bool in_recovery;
	bool rto_recover;
	u32 recover;
	u32 max_flight;
	u32 window_end;
};

/**
 * enum mytcp_cc_action - what the sender must do after an event
 * @MYTCP_CC_NONE: nothing beyond sending what the window allows
 * @MYTCP_CC_RETRANSMIT: retransmit the segment at SND.UNA now
 */
enum mytcp_cc_action {
	MYTCP_CC_NONE,
	MYTCP_CC_RETRANSMIT,
};

/**
 * struct mytcp_cong_ops - a congestion control algorithm
 * @name: its name
 * @init: a connection becomes established
 * @on_ack: an ACK advanced SND.UNA to @ack by @acked bytes
 * @on_dupack: a duplicate ACK arrived with @flight bytes outstanding
 *	and SND.MAX at @snd_max (so SND.UNA = @snd_max - @flight)
 * @on_timeout: the retransmission timer expired with @flight outstanding
 *	and SND.MAX at @snd_max; @first: the first expiry of a backoff series
 */
struct mytcp_cong_ops {
	const char *name;
	void (*init)(struct mytcp_cc *cc, u32 mss, u32 init_segs);
	enum mytcp_cc_action (*on_ack)(struct mytcp_cc *cc, u32 ack, u32 acked,
				       u32 flight);
	enum mytcp_cc_action (*on_dupack)(struct mytcp_cc *cc, u32 flight,
					  u32 snd_max);
	void (*on_timeout)(struct mytcp_cc *cc, u32 flight, u32 snd_max,
			   bool first);
};

extern const struct mytcp_cong_ops mytcp_newreno;

bool mytcp_cc_cwnd_limited(struct mytcp_cc *cc, u32 ack, u32 acked,
			   u32 flight);

#endif /* _MYTCP_CONG_H */
