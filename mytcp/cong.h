/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Congestion control: one engine, many algorithms.
 *
 * The engine (cong.c) does what every algorithm shares: slow start, the
 * duplicate-ACK count, fast retransmit and NewReno's fast recovery (RFC
 * 5681, RFC 6582), the loss window after a timeout, and the rule that a
 * window grows only while it is used (RFC 7661).  An algorithm says only
 * what differs: how far to back off on a loss (->ssthresh) and how to grow
 * in congestion avoidance (->cong_avoid).  NewReno is built in; others
 * register from their own modules (cubic.c is one), and a socket picks one
 * with MYTCP_CONGESTION or net.mytcp.congestion_control
 * (Documentation/congestion.md).
 *
 * Everything here works on a bare struct mytcp_cc, so KUnit drives the
 * engine and the algorithms without a socket.
 */
#ifndef _MYTCP_CONG_H
#define _MYTCP_CONG_H

#include <linux/build_bug.h>
#include <linux/list.h>
#include <linux/types.h>

#define MYTCP_CA_NAME_MAX	16	/* as TCP_CA_NAME_MAX */
#define MYTCP_CA_PRIV_U64	8	/* an algorithm's own state, u64s */

struct module;
struct sock;

/**
 * struct mytcp_cc - congestion state of one connection, in bytes
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
 * @now_us: the time of the event being handled, in microseconds (set by
 *	the caller: the algorithms read no clock of their own)
 * @srtt_us: the smoothed round-trip time then, 0 before the first sample
 * @priv: the algorithm's own state (mytcp_cc_priv())
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
	u32 now_us;
	u32 srtt_us;
	u64 priv[MYTCP_CA_PRIV_U64];
};

/* An algorithm's private state inside @cc (checked to fit at build time) */
#define mytcp_cc_priv(cc, type) ({					\
	BUILD_BUG_ON(sizeof(type) > sizeof((cc)->priv));		\
	(type *)(cc)->priv;						\
})

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
 * @list: link in the list of registered algorithms
 * @name: its name, for MYTCP_CONGESTION and the sysctls
 * @owner: the module it lives in (THIS_MODULE); each socket using it
 *	holds a reference, so the module cannot go while it is in use
 * @ssthresh: a loss: fast retransmit, or the first timeout of a series.
 *	Return the new ssthresh, given @cc before the reduction and the
 *	bytes in flight.  Required.
 * @cong_avoid: an ACK of @acked new bytes in congestion avoidance (cwnd
 *	at least ssthresh, not in recovery, cwnd in use): grow @cc->cwnd.
 *	Required.
 * @init: optional: the connection starts (after the engine set cwnd and
 *	ssthresh), or switches to this algorithm
 */
struct mytcp_cong_ops {
	struct list_head list;
	char name[MYTCP_CA_NAME_MAX];
	struct module *owner;
	u32 (*ssthresh)(struct mytcp_cc *cc, u32 flight);
	void (*cong_avoid)(struct mytcp_cc *cc, u32 acked);
	void (*init)(struct mytcp_cc *cc);
};

extern struct mytcp_cong_ops mytcp_newreno;

/* the engine (cong.c) */
void mytcp_cc_init(struct mytcp_cc *cc, const struct mytcp_cong_ops *ops,
		   u32 mss, u32 init_segs);
enum mytcp_cc_action mytcp_cc_on_ack(struct mytcp_cc *cc,
				     const struct mytcp_cong_ops *ops,
				     u32 ack, u32 acked, u32 flight);
enum mytcp_cc_action mytcp_cc_on_dupack(struct mytcp_cc *cc,
					const struct mytcp_cong_ops *ops,
					u32 flight, u32 snd_max);
void mytcp_cc_on_timeout(struct mytcp_cc *cc, const struct mytcp_cong_ops *ops,
			 u32 flight, u32 snd_max, bool first);
void mytcp_cc_switch(struct mytcp_cc *cc, const struct mytcp_cong_ops *ops);
bool mytcp_cc_cwnd_limited(struct mytcp_cc *cc, u32 ack, u32 acked,
			   u32 flight);
u32 mytcp_reno_ssthresh(struct mytcp_cc *cc, u32 flight);
void mytcp_reno_cong_avoid(struct mytcp_cc *cc, u32 acked);

/* the registry (cong_ctl.c) */
int mytcp_register_cong(struct mytcp_cong_ops *ops);
void mytcp_unregister_cong(struct mytcp_cong_ops *ops);
int mytcp_cong_check(const struct mytcp_cong_ops *ops);
void mytcp_cong_sock_init(struct sock *sk);
void mytcp_cong_sock_inherit(struct sock *child, const struct sock *parent);
void mytcp_cong_sock_release(struct sock *sk);
int mytcp_cong_sock_set(struct sock *sk, const char *name);

#endif /* _MYTCP_CONG_H */
