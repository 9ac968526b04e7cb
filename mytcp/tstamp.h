/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RFC 7323 timestamps (TSopt): the clock, the PAWS test, the TS.Recent
 * rule and the 24-day rule, as pure functions of numbers (KUnit checks
 * them in kunit/tstamp_test.c), and the glue the receive and send paths
 * call (tstamp.c).
 */
#ifndef _MYTCP_TSTAMP_H
#define _MYTCP_TSTAMP_H

#include <linux/types.h>

struct sock;
struct sk_buff;
struct mytcp_opts;

/* NOP, NOP, kind 8, length 10 (RFC 7323 section 3.2, appendix A) */
#define MYTCP_TS_OPT_LEN	12
/* RFC 7323 section 5.5: a TS.Recent idle this long is no longer valid */
#define MYTCP_PAWS_IDLE_SECS	(24U * 24 * 60 * 60)

u32 mytcp_ts_clock(u64 now_us, u32 offset);
bool mytcp_ts_before(u32 a, u32 b);
bool mytcp_ts_recent_valid(bool set, u32 stamp_s, u32 now_s);
bool mytcp_paws_reject(u32 tsval, u32 ts_recent, bool recent_valid);
bool mytcp_ts_recent_update_ok(u32 seg_seq, u32 last_ack_sent, u32 tsval,
			       u32 ts_recent, bool recent_valid);
s64 mytcp_ts_rtt_ms(u32 now_tsval, u32 tsecr);

/* the socket glue */
u32 mytcp_ts_now_s(void);
void mytcp_ts_opts_set(struct mytcp_opts *opts, u32 offset, u32 tsecr);
void mytcp_ts_fill(struct sock *sk, struct mytcp_opts *opts);
bool mytcp_paws_drop(struct sock *sk, struct sk_buff *skb, u32 seg_len);
void mytcp_ts_note_recent(struct sock *sk, const struct sk_buff *skb);
void mytcp_ts_set_recent(struct sock *sk, u32 tsval);
s64 mytcp_ts_rtt_us(const struct sock *sk, const struct mytcp_opts *opts);
unsigned int mytcp_ts_hdr_len(const struct sock *sk);

#endif /* _MYTCP_TSTAMP_H */
