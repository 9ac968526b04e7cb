/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-segment tests of RFC 9293 section 3.10.7.4 and the RTO
 * arithmetic of RFC 6298, as pure functions of numbers.  The receive path
 * calls exactly these, and KUnit checks them without a socket.
 */
#ifndef _MYTCP_RULES_H
#define _MYTCP_RULES_H

#include <linux/types.h>

bool mytcp_seg_acceptable(u32 rcv_nxt, u32 rcv_wnd, u32 seg_seq, u32 seg_len);
bool mytcp_seg_ack_usable(u32 rcv_nxt, u32 rcv_wnd, u32 seg_seq, bool rst);
bool mytcp_ack_acceptable(u32 snd_una, u32 snd_nxt, u32 seg_ack);
u32 mytcp_ack_seq(u32 snd_una, u32 snd_max, u32 snd_wnd);
bool mytcp_ack_is_old(u32 snd_una, u32 seg_ack);
bool mytcp_window_update_ok(u32 snd_wl1, u32 snd_wl2, u32 seg_seq, u32 seg_ack);
bool mytcp_rst_acceptable(u32 rcv_nxt, u32 rcv_wnd, u32 seg_seq);
bool mytcp_synsent_ack_acceptable(u32 iss, u32 snd_nxt, u32 seg_ack);
u32 mytcp_rcv_window(u32 rcv_nxt, u32 old_right, u32 space, u32 min_step,
		     u8 wscale);
bool mytcp_syn_queue_full(u32 qlen, u32 backlog, u32 max_syn_backlog,
			  bool cookies);

/**
 * struct mytcp_rtt - RFC 6298 round-trip state, in microseconds
 * @srtt: smoothed round-trip time; 0 until the first measurement
 * @rttvar: round-trip time variation
 * @rto: current retransmission timeout, before backoff
 */
struct mytcp_rtt {
	u32 srtt;
	u32 rttvar;
	u32 rto;
};

void mytcp_rtt_init(struct mytcp_rtt *r, u32 initial_rto);
void mytcp_rtt_sample(struct mytcp_rtt *r, u32 rtt, u32 rto_min, u32 rto_max);
u32 mytcp_rto_backoff(u32 rto, unsigned int backoff, u32 rto_max);

#endif /* _MYTCP_RULES_H */
