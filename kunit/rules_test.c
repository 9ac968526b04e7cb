// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of rules.c: the per-segment tests of RFC 9293 section
 * 3.10.7.4 (segment acceptability, ACK acceptability, the window update
 * rule, the RST test) and of section 3.10.7.3 (the ACK test in SYN-SENT),
 * and the RTO arithmetic of RFC 6298.  Expected values come from the RFC
 * text and from hand computation, written out in the comments.
 */
#include <kunit/test.h>
#include <linux/kernel.h>

#include "rules.h"

/*
 * RFC 9293 section 3.10.7.4, the acceptability table:
 *
 *   SEG.LEN  RCV.WND  test
 *   0        0        SEG.SEQ = RCV.NXT
 *   0        >0       RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *   >0       0        not acceptable
 *   >0       >0       RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND
 *                     or RCV.NXT =< SEG.SEQ+SEG.LEN-1 < RCV.NXT+RCV.WND
 *
 * Each row below is relative to RCV.NXT and is tried at several values of
 * RCV.NXT, some of which put the window or the segment across 2^32.
 */
struct acc_case {
	u32 wnd;
	s32 dseq;	/* SEG.SEQ - RCV.NXT */
	u32 len;
	bool ok;
	const char *desc;
};

static const struct acc_case acc_cases[] = {
	/* SEG.LEN = 0, RCV.WND = 0 */
	{ 0, 0, 0, true, "len0 wnd0 at RCV.NXT" },
	{ 0, -1, 0, false, "len0 wnd0 one before RCV.NXT" },
	{ 0, 1, 0, false, "len0 wnd0 one after RCV.NXT" },
	/* SEG.LEN = 0, RCV.WND > 0 */
	{ 100, 0, 0, true, "len0 wnd100 at left edge" },
	{ 100, 99, 0, true, "len0 wnd100 at last octet of window" },
	{ 100, 100, 0, false, "len0 wnd100 at right edge (outside)" },
	{ 100, -1, 0, false, "len0 wnd100 one before left edge" },
	{ 100, 50, 0, true, "len0 wnd100 in the middle" },
	/* SEG.LEN > 0, RCV.WND = 0 */
	{ 0, 0, 1, false, "len1 wnd0 at RCV.NXT" },
	{ 0, 0, 100, false, "len100 wnd0 at RCV.NXT" },
	{ 0, -10, 20, false, "len20 wnd0 straddling RCV.NXT" },
	/* SEG.LEN > 0, RCV.WND > 0 */
	{ 100, 0, 10, true, "len10 wnd100 at left edge" },
	{ 100, 99, 1, true, "len1 wnd100 on the last octet" },
	{ 100, 99, 10, true, "len10 wnd100 first octet is the last in window" },
	{ 100, 100, 1, false, "len1 wnd100 at right edge" },
	{ 100, 100, 10, false, "len10 wnd100 beyond right edge" },
	{ 100, -1, 1, false, "len1 wnd100 just before the window" },
	{ 100, -10, 10, false, "len10 wnd100 last octet just before" },
	{ 100, -10, 11, true, "len11 wnd100 last octet at RCV.NXT" },
	{ 100, -10, 110, true, "len110 wnd100 last octet on last in window" },
	/* Both ends outside: neither test of the table holds. */
	{ 100, -10, 111, false, "len111 wnd100 spans the whole window" },
	{ 100, -1000, 10, false, "len10 wnd100 far in the past" },
	{ 100, 1000, 10, false, "len10 wnd100 far in the future" },
	/* A window of 2^30 (maximum scaled window) */
	{ 1U << 30, (1 << 30) - 1, 1, true, "len1 wnd2^30 last octet" },
	{ 1U << 30, 1 << 30, 1, false, "len1 wnd2^30 right edge" },
};

static void acc_case_desc(const struct acc_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(acc, acc_cases, acc_case_desc);

/* RCV.NXT values: plain, window across 2^32, segment start across 2^32 */
static const u32 acc_bases[] = {
	1000, 0xffffffc0, 0xffffffff, 0, 5, 0x7fffffff, 0x80000000,
};

static void rules_seg_acceptable_table(struct kunit *test)
{
	const struct acc_case *c = test->param_value;
	int i;

	for (i = 0; i < ARRAY_SIZE(acc_bases); i++) {
		u32 nxt = acc_bases[i];

		KUNIT_EXPECT_EQ_MSG(test,
				    mytcp_seg_acceptable(nxt, c->wnd,
							 nxt + (u32)c->dseq,
							 c->len),
				    c->ok, "RCV.NXT=%#x", nxt);
	}
}

/*
 * The special allowance: a segment the table refuses is still read for its
 * ACK at the right edge, RCV.NXT + RCV.WND (RCV.NXT for a zero window);
 * a RST only at a zero window's.
 */
static void rules_seg_ack_usable(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(acc_bases); i++) {
		u32 nxt = acc_bases[i];

		/* zero window: RCV.NXT, for an ACK and for a RST */
		KUNIT_EXPECT_TRUE(test, mytcp_seg_ack_usable(nxt, 0, nxt, false));
		KUNIT_EXPECT_TRUE(test, mytcp_seg_ack_usable(nxt, 0, nxt, true));
		KUNIT_EXPECT_FALSE(test, mytcp_seg_ack_usable(nxt, 0, nxt + 1, false));
		KUNIT_EXPECT_FALSE(test, mytcp_seg_ack_usable(nxt, 0, nxt - 1, false));
		/*
		 * A peer filled a 100-octet window and some of it was lost:
		 * its ACKs come numbered RCV.NXT + 100, which the table refuses.
		 */
		KUNIT_EXPECT_FALSE(test, mytcp_seg_acceptable(nxt, 100, nxt + 100, 0));
		KUNIT_EXPECT_TRUE(test, mytcp_seg_ack_usable(nxt, 100, nxt + 100, false));
		KUNIT_EXPECT_FALSE(test, mytcp_seg_ack_usable(nxt, 100, nxt + 100, true));
		KUNIT_EXPECT_FALSE(test, mytcp_seg_ack_usable(nxt, 100, nxt + 101, false));
		KUNIT_EXPECT_FALSE(test, mytcp_seg_ack_usable(nxt, 100, nxt + 99, false));
		KUNIT_EXPECT_FALSE(test, mytcp_seg_ack_usable(nxt, 100, nxt, false));
		/* old segments are not let in by it */
		KUNIT_EXPECT_FALSE(test, mytcp_seg_ack_usable(nxt, 100, nxt - 100, false));
	}
}

/* RFC 9293 section 3.10.7.4: SND.UNA < SEG.ACK =< SND.NXT */
static void rules_ack_acceptable(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, mytcp_ack_acceptable(1000, 2000, 1000));
	KUNIT_EXPECT_TRUE(test, mytcp_ack_acceptable(1000, 2000, 1001));
	KUNIT_EXPECT_TRUE(test, mytcp_ack_acceptable(1000, 2000, 2000));
	KUNIT_EXPECT_FALSE(test, mytcp_ack_acceptable(1000, 2000, 2001));
	KUNIT_EXPECT_FALSE(test, mytcp_ack_acceptable(1000, 2000, 999));
	/* nothing outstanding: no ACK is new */
	KUNIT_EXPECT_FALSE(test, mytcp_ack_acceptable(1000, 1000, 1000));
	KUNIT_EXPECT_FALSE(test, mytcp_ack_acceptable(1000, 1000, 1001));
	/* across 2^32 */
	KUNIT_EXPECT_TRUE(test, mytcp_ack_acceptable(0xfffffff0, 0x10, 0));
	KUNIT_EXPECT_TRUE(test, mytcp_ack_acceptable(0xfffffff0, 0x10,
						     0xffffffff));
	KUNIT_EXPECT_TRUE(test, mytcp_ack_acceptable(0xfffffff0, 0x10, 0x10));
	KUNIT_EXPECT_FALSE(test, mytcp_ack_acceptable(0xfffffff0, 0x10, 0x11));
	KUNIT_EXPECT_FALSE(test, mytcp_ack_acceptable(0xfffffff0, 0x10,
						      0xfffffff0));
	KUNIT_EXPECT_FALSE(test, mytcp_ack_acceptable(0xfffffff0, 0x10,
						      0xffffffef));
}

/*
 * A bare ACK is numbered from the highest sequence number sent (the RFC's
 * SND.NXT), not from a SND.NXT gone back after a timeout, and never past
 * the right edge of the peer's window.
 */
static void rules_ack_seq(struct kunit *test)
{
	/* everything acknowledged */
	KUNIT_EXPECT_EQ(test, mytcp_ack_seq(1000, 1000, 65535), 1000U);
	/* data in flight, inside the window: SND.MAX */
	KUNIT_EXPECT_EQ(test, mytcp_ack_seq(1000, 5000, 65535), 5000U);
	KUNIT_EXPECT_EQ(test, mytcp_ack_seq(1000, 5000, 4000), 5000U);
	/* a probe octet beyond a zero window: SND.UNA, which it accepts */
	KUNIT_EXPECT_EQ(test, mytcp_ack_seq(1000, 1001, 0), 1000U);
	/* the window shrank below what is in flight: its right edge */
	KUNIT_EXPECT_EQ(test, mytcp_ack_seq(1000, 5000, 3000), 4000U);
	/* across 2^32 */
	KUNIT_EXPECT_EQ(test, mytcp_ack_seq(0xfffffff0, 0x10, 0x100), 0x10U);
	KUNIT_EXPECT_EQ(test, mytcp_ack_seq(0xfffffff0, 0x10, 0x8),
			0xfffffff8U);
	KUNIT_EXPECT_EQ(test, mytcp_ack_seq(0xffffffff, 0x0, 0), 0xffffffffU);
}

/* RFC 9293 section 3.10.7.4: SEG.ACK =< SND.UNA is a duplicate */
static void rules_ack_is_old(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, mytcp_ack_is_old(1000, 1000));
	KUNIT_EXPECT_TRUE(test, mytcp_ack_is_old(1000, 999));
	KUNIT_EXPECT_FALSE(test, mytcp_ack_is_old(1000, 1001));
	KUNIT_EXPECT_TRUE(test, mytcp_ack_is_old(5, 0xfffffffb));
	KUNIT_EXPECT_FALSE(test, mytcp_ack_is_old(0xfffffffb, 5));
}

/*
 * RFC 9293 section 3.10.7.4, fifth check: update the window if
 * SND.WL1 < SEG.SEQ, or SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK.
 */
static void rules_window_update(struct kunit *test)
{
	/* newer SEG.SEQ: whatever SEG.ACK is */
	KUNIT_EXPECT_TRUE(test, mytcp_window_update_ok(100, 500, 101, 400));
	KUNIT_EXPECT_TRUE(test, mytcp_window_update_ok(100, 500, 101, 600));
	/* same SEG.SEQ: SEG.ACK must not go back */
	KUNIT_EXPECT_TRUE(test, mytcp_window_update_ok(100, 500, 100, 500));
	KUNIT_EXPECT_TRUE(test, mytcp_window_update_ok(100, 500, 100, 501));
	KUNIT_EXPECT_FALSE(test, mytcp_window_update_ok(100, 500, 100, 499));
	/* older SEG.SEQ: never, even with a newer SEG.ACK */
	KUNIT_EXPECT_FALSE(test, mytcp_window_update_ok(100, 500, 99, 1000));
	/* across 2^32 */
	KUNIT_EXPECT_TRUE(test, mytcp_window_update_ok(0xffffffff, 7, 0, 7));
	KUNIT_EXPECT_FALSE(test, mytcp_window_update_ok(0, 7, 0xffffffff, 7));
	KUNIT_EXPECT_TRUE(test, mytcp_window_update_ok(9, 0xfffffff0, 9, 3));
	KUNIT_EXPECT_FALSE(test, mytcp_window_update_ok(9, 3, 9, 0xfffffff0));
}

/*
 * RFC 9293 section 3.10.7.4, second check: a RST is valid when
 * RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND; with a zero window only at
 * RCV.NXT.
 */
static void rules_rst_acceptable(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, mytcp_rst_acceptable(1000, 100, 1000));
	KUNIT_EXPECT_TRUE(test, mytcp_rst_acceptable(1000, 100, 1099));
	KUNIT_EXPECT_FALSE(test, mytcp_rst_acceptable(1000, 100, 1100));
	KUNIT_EXPECT_FALSE(test, mytcp_rst_acceptable(1000, 100, 999));
	KUNIT_EXPECT_TRUE(test, mytcp_rst_acceptable(1000, 0, 1000));
	KUNIT_EXPECT_FALSE(test, mytcp_rst_acceptable(1000, 0, 1001));
	KUNIT_EXPECT_FALSE(test, mytcp_rst_acceptable(1000, 0, 999));
	/* the window across 2^32 */
	KUNIT_EXPECT_TRUE(test, mytcp_rst_acceptable(0xffffffff, 10,
						     0xffffffff));
	KUNIT_EXPECT_TRUE(test, mytcp_rst_acceptable(0xffffffff, 10, 0));
	KUNIT_EXPECT_TRUE(test, mytcp_rst_acceptable(0xffffffff, 10, 8));
	KUNIT_EXPECT_FALSE(test, mytcp_rst_acceptable(0xffffffff, 10, 9));
	KUNIT_EXPECT_FALSE(test, mytcp_rst_acceptable(0xffffffff, 10,
						      0xfffffffe));
}

/* RFC 9293 section 3.10.7.3: in SYN-SENT, ISS < SEG.ACK =< SND.NXT */
static void rules_synsent_ack(struct kunit *test)
{
	const u32 iss = 5000, nxt = 5001;

	KUNIT_EXPECT_TRUE(test, mytcp_synsent_ack_acceptable(iss, nxt, 5001));
	KUNIT_EXPECT_FALSE(test, mytcp_synsent_ack_acceptable(iss, nxt, 5000));
	KUNIT_EXPECT_FALSE(test, mytcp_synsent_ack_acceptable(iss, nxt, 5002));
	KUNIT_EXPECT_FALSE(test, mytcp_synsent_ack_acceptable(iss, nxt, 4999));
	KUNIT_EXPECT_FALSE(test, mytcp_synsent_ack_acceptable(iss, nxt, 0));
	/* ISS just below 2^32: the SYN's sequence number wraps to 0 */
	KUNIT_EXPECT_TRUE(test, mytcp_synsent_ack_acceptable(0xffffffff, 0, 0));
	KUNIT_EXPECT_FALSE(test, mytcp_synsent_ack_acceptable(0xffffffff, 0,
							      0xffffffff));
	KUNIT_EXPECT_FALSE(test, mytcp_synsent_ack_acceptable(0xffffffff, 0,
							      1));
}

#define US_MIN	200000U		/* 200 ms, as Linux */
#define US_MAX	120000000U	/* 120 s */

/* RFC 6298 section 2.1: before a measurement RTO is the initial value. */
static void rules_rtt_init(struct kunit *test)
{
	struct mytcp_rtt r = { .srtt = 7, .rttvar = 7, .rto = 7 };

	mytcp_rtt_init(&r, 1000000);
	KUNIT_EXPECT_EQ(test, r.srtt, 0U);
	KUNIT_EXPECT_EQ(test, r.rttvar, 0U);
	KUNIT_EXPECT_EQ(test, r.rto, 1000000U);
}

/*
 * RFC 6298 section 2.2: the first measurement R sets SRTT <- R,
 * RTTVAR <- R/2, RTO <- SRTT + max(G, K*RTTVAR) with K = 4.
 * R = 100 ms: SRTT 100000, RTTVAR 50000, RTO 100000 + 200000 = 300000.
 */
static void rules_rtt_first_sample(struct kunit *test)
{
	struct mytcp_rtt r;

	mytcp_rtt_init(&r, 1000000);
	mytcp_rtt_sample(&r, 100000, US_MIN, US_MAX);
	KUNIT_EXPECT_EQ(test, r.srtt, 100000U);
	KUNIT_EXPECT_EQ(test, r.rttvar, 50000U);
	KUNIT_EXPECT_EQ(test, r.rto, 300000U);
}

/*
 * RFC 6298 section 2.3, alpha = 1/8, beta = 1/4, RTTVAR first (with the
 * old SRTT):
 *   R' = 180000: RTTVAR = 3/4 * 50000 + 1/4 * |100000 - 180000| = 57500
 *                SRTT   = 7/8 * 100000 + 1/8 * 180000            = 110000
 *                RTO    = 110000 + 4 * 57500                      = 340000
 *   R' = 110000: RTTVAR = 3/4 * 57500 + 1/4 * 0                   = 43125
 *                SRTT   = 7/8 * 110000 + 1/8 * 110000            = 110000
 *                RTO    = 110000 + 4 * 43125                      = 282500
 *   R' = 30000:  RTTVAR = 3/4 * 43125 + 1/4 * 80000 = 32343.75 + 20000,
 *                in integers 43125 - 10781 + 20000                = 52344
 *                SRTT   = 110000 - 13750 + 3750                   = 100000
 *                RTO    = 100000 + 4 * 52344                      = 309376
 */
static void rules_rtt_later_samples(struct kunit *test)
{
	struct mytcp_rtt r;

	mytcp_rtt_init(&r, 1000000);
	mytcp_rtt_sample(&r, 100000, US_MIN, US_MAX);
	mytcp_rtt_sample(&r, 180000, US_MIN, US_MAX);
	KUNIT_EXPECT_EQ(test, r.rttvar, 57500U);
	KUNIT_EXPECT_EQ(test, r.srtt, 110000U);
	KUNIT_EXPECT_EQ(test, r.rto, 340000U);

	mytcp_rtt_sample(&r, 110000, US_MIN, US_MAX);
	KUNIT_EXPECT_EQ(test, r.rttvar, 43125U);
	KUNIT_EXPECT_EQ(test, r.srtt, 110000U);
	KUNIT_EXPECT_EQ(test, r.rto, 282500U);

	mytcp_rtt_sample(&r, 30000, US_MIN, US_MAX);
	/* within a microsecond of the exact 52343.75 */
	KUNIT_EXPECT_GE(test, r.rttvar, 52343U);
	KUNIT_EXPECT_LE(test, r.rttvar, 52344U);
	KUNIT_EXPECT_EQ(test, r.srtt, 100000U);
	KUNIT_EXPECT_EQ(test, r.rto, 100000U + 4 * r.rttvar);
}

/*
 * RFC 6298 section 2.4: RTO is rounded up to the minimum (here 200 ms);
 * clamping changes RTO only, never SRTT or RTTVAR.
 * R = 1 ms: SRTT 1000, RTTVAR 500, RTO 3000 -> 200000.
 */
static void rules_rtt_clamp_min(struct kunit *test)
{
	struct mytcp_rtt r;

	mytcp_rtt_init(&r, 1000000);
	mytcp_rtt_sample(&r, 1000, US_MIN, US_MAX);
	KUNIT_EXPECT_EQ(test, r.srtt, 1000U);
	KUNIT_EXPECT_EQ(test, r.rttvar, 500U);
	KUNIT_EXPECT_EQ(test, r.rto, US_MIN);
}

/*
 * RFC 6298 section 2.5: a maximum may be placed on RTO (at least 60 s).
 * R = 100 s: RTO would be 100 s + 4 * 50 s = 300 s -> 120 s.  An absurd
 * sample (2^32 - 1 us) must not overflow into a small RTO.
 */
static void rules_rtt_clamp_max(struct kunit *test)
{
	struct mytcp_rtt r;

	mytcp_rtt_init(&r, 1000000);
	mytcp_rtt_sample(&r, 100000000, US_MIN, US_MAX);
	KUNIT_EXPECT_EQ(test, r.srtt, 100000000U);
	KUNIT_EXPECT_EQ(test, r.rto, US_MAX);

	mytcp_rtt_init(&r, 1000000);
	mytcp_rtt_sample(&r, 0xffffffff, US_MIN, US_MAX);
	KUNIT_EXPECT_EQ(test, r.rto, US_MAX);
	mytcp_rtt_sample(&r, 0xffffffff, US_MIN, US_MAX);
	KUNIT_EXPECT_EQ(test, r.rto, US_MAX);
	mytcp_rtt_sample(&r, 10, US_MIN, US_MAX);
	KUNIT_EXPECT_EQ(test, r.rto, US_MAX);
}

/*
 * RFC 6298 section 2.2, the clock granularity G: with RTTVAR = 0 the RTO
 * is SRTT + G.  R = 1 us: SRTT 1, RTTVAR 1/2 = 0, RTO 1 + max(1, 0) = 2.
 * A sample of 0 still counts as a measurement: the next one is smoothed.
 */
static void rules_rtt_granularity(struct kunit *test)
{
	struct mytcp_rtt r;

	mytcp_rtt_init(&r, 1000000);
	mytcp_rtt_sample(&r, 1, 0, US_MAX);
	KUNIT_EXPECT_EQ(test, r.srtt, 1U);
	KUNIT_EXPECT_EQ(test, r.rttvar, 0U);
	KUNIT_EXPECT_EQ(test, r.rto, 2U);

	mytcp_rtt_init(&r, 1000000);
	mytcp_rtt_sample(&r, 0, 0, US_MAX);
	KUNIT_EXPECT_NE(test, r.srtt, 0U);
	mytcp_rtt_sample(&r, 80000, 0, US_MAX);
	/* smoothed: about 1/8 of the sample, not the sample itself */
	KUNIT_EXPECT_LT(test, r.srtt, 80000U / 8 + 2);
	KUNIT_EXPECT_GT(test, r.srtt, 80000U / 8 - 2);
}

/* RFC 6298 section 5.5: each expiry doubles RTO, up to the maximum. */
static void rules_rto_backoff(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(200000, 0, US_MAX), 200000U);
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(200000, 1, US_MAX), 400000U);
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(200000, 2, US_MAX), 800000U);
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(200000, 3, US_MAX), 1600000U);
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(200000, 9, US_MAX),
			102400000U);
	/* 200 ms * 2^10 = 204.8 s: capped */
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(200000, 10, US_MAX), US_MAX);
}

static void rules_rto_backoff_cap(struct kunit *test)
{
	/* shifts that overflow 32 bits, and beyond any shift at all */
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(1, 31, US_MAX), US_MAX);
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(1000000, 20, US_MAX), US_MAX);
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(1000000, 32, US_MAX), US_MAX);
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(1000000, 255, US_MAX), US_MAX);
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(3, 31, U32_MAX), U32_MAX);
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(1, 31, U32_MAX), 1U << 31);
	/* an RTO already at the cap stays there */
	KUNIT_EXPECT_EQ(test, mytcp_rto_backoff(US_MAX, 1, US_MAX), US_MAX);
}

/*
 * The SYN queue sized as Linux 6.1's TCP sizes its request queue
 * (inet_csk_reqsk_queue_is_full(): qlen > sk_max_ack_backlog): listen(fd,
 * n) holds n + 1 requests, listen(fd, 0) one, whatever
 * net.mytcp.max_syn_backlog says when cookies are on; with cookies off,
 * also no more than three quarters of max_syn_backlog (TCP keeps the last
 * quarter for proven peers, and mytcp proves none): 256 - 64 = 192.
 */
static void rules_syn_queue_full(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, mytcp_syn_queue_full(0, 0, 256, true));
	KUNIT_EXPECT_TRUE(test, mytcp_syn_queue_full(1, 0, 256, true));
	KUNIT_EXPECT_FALSE(test, mytcp_syn_queue_full(4, 4, 256, true));
	KUNIT_EXPECT_TRUE(test, mytcp_syn_queue_full(5, 4, 256, true));
	KUNIT_EXPECT_TRUE(test, mytcp_syn_queue_full(5, 4, 256, false));
	KUNIT_EXPECT_FALSE(test, mytcp_syn_queue_full(1000, 4096, 256, true));
	KUNIT_EXPECT_FALSE(test, mytcp_syn_queue_full(192, 4096, 256, false));
	KUNIT_EXPECT_TRUE(test, mytcp_syn_queue_full(193, 4096, 256, false));
	KUNIT_EXPECT_FALSE(test, mytcp_syn_queue_full(0, 4096, 1, false));
	KUNIT_EXPECT_TRUE(test, mytcp_syn_queue_full(2, 4096, 1, false));
}

static struct kunit_case rules_test_cases[] = {
	KUNIT_CASE_PARAM(rules_seg_acceptable_table, acc_gen_params),
	KUNIT_CASE(rules_seg_ack_usable),
	KUNIT_CASE(rules_ack_acceptable),
	KUNIT_CASE(rules_ack_seq),
	KUNIT_CASE(rules_ack_is_old),
	KUNIT_CASE(rules_window_update),
	KUNIT_CASE(rules_rst_acceptable),
	KUNIT_CASE(rules_synsent_ack),
	KUNIT_CASE(rules_rtt_init),
	KUNIT_CASE(rules_rtt_first_sample),
	KUNIT_CASE(rules_rtt_later_samples),
	KUNIT_CASE(rules_rtt_clamp_min),
	KUNIT_CASE(rules_rtt_clamp_max),
	KUNIT_CASE(rules_rtt_granularity),
	KUNIT_CASE(rules_rto_backoff),
	KUNIT_CASE(rules_rto_backoff_cap),
	KUNIT_CASE(rules_syn_queue_full),
	{}
};

static struct kunit_suite rules_test_suite = {
	.name = "mytcp_rules",
	.test_cases = rules_test_cases,
};

kunit_test_suite(rules_test_suite);
