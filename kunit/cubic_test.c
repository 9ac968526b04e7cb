// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of cubic.c: CUBIC's arithmetic (RFC 9438 section 4) on bare
 * numbers, then the algorithm on a struct mytcp_cc, alone and through the
 * engine of cong.c.  Windows in bytes with SMSS = 1000 unless said, so 100
 * segments are 100000; the worked values are in the comments.
 */
#include <kunit/test.h>
#include <linux/kernel.h>

#include "cubic.h"

#define MSS	1000U

static void cubic_cbrt(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_cubic_cbrt(0), 0U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_cbrt(1), 1U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_cbrt(7), 1U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_cbrt(8), 2U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_cbrt(26), 2U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_cbrt(27), 3U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_cbrt(999999999), 999U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_cbrt(1000000000), 1000U);
	/* the largest cube in a u64 is 2642245^3 */
	KUNIT_EXPECT_EQ(test, mytcp_cubic_cbrt(U64_MAX), 2642245U);
}

/*
 * RFC 9438 section 4.2, equation 2: K = cbrt((W_max - cwnd_epoch) / C).
 * W_max 100 segments, cwnd 70 after the reduction: K = cbrt(30 / 0.4)
 * = cbrt(75) s = 4.2172 s: 4217 ms, whatever the segment size.
 */
static void cubic_k(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_cubic_k_ms(100000, 70000, MSS), 4217U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_k_ms(146000, 102200, 1460), 4217U);
	/* 1 segment short: cbrt(1 / 0.4) = 1.357 s */
	KUNIT_EXPECT_EQ(test, mytcp_cubic_k_ms(100000, 99000, MSS), 1357U);
	/* at or above the plateau there is nothing to wait for */
	KUNIT_EXPECT_EQ(test, mytcp_cubic_k_ms(100000, 100000, MSS), 0U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_k_ms(100000, 120000, MSS), 0U);
}

/*
 * RFC 9438 section 4.2, equation 1: W_cubic(t) = C (t - K)^3 + W_max.
 * With K = 4217 ms and W_max = 100000:
 *   t = 0:   100000 - 0.4 * 4.217^3 * 1000 = 100000 - 29996 = 70004,
 *            beta * W_max as the curve is built to start;
 *   t = K:   100000, the plateau;
 *   t = 2K:  100000 + 29996 = 129996, the mirror image;
 *   t = 100 ms: 100000 - 0.4 * 4.117^3 * 1000 = 72088.
 * Beyond 35 minutes the distance is clamped, and the window with it.
 */
static void cubic_window_curve(struct kunit *test)
{
	u32 t, w, prev = 0;

	KUNIT_EXPECT_EQ(test, mytcp_cubic_target(100000, 4217, 0, MSS), 70004U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_target(100000, 4217, 4217, MSS),
			100000U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_target(100000, 4217, 8434, MSS),
			129996U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_target(100000, 4217, 100, MSS),
			72088U);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_target(100000, 4217, 10000000, MSS),
			U32_MAX / 2);
	/* never decreasing; concave before K, convex after */
	for (t = 0; t <= 8434; t += 100) {
		w = mytcp_cubic_target(100000, 4217, t, MSS);
		KUNIT_EXPECT_GE(test, w, prev);
		prev = w;
	}
	KUNIT_EXPECT_LT(test, mytcp_cubic_target(100000, 4217, 4217, MSS) -
			      mytcp_cubic_target(100000, 4217, 3217, MSS),
			mytcp_cubic_target(100000, 4217, 1000, MSS) -
			mytcp_cubic_target(100000, 4217, 0, MSS));
}

/*
 * RFC 9438 section 4.6: ssthresh = cwnd * beta_cubic; W_max = cwnd.
 * Section 4.7, fast convergence: a loss at a window below the W_max of
 * the loss before releases bandwidth, W_max = cwnd (1 + beta) / 2:
 *   loss at 100000: ssthresh 70000, W_max 100000;
 *   loss at 80000 (< 100000): ssthresh 56000, W_max 68000.
 */
static void cubic_loss(struct kunit *test)
{
	struct mytcp_cc cc = { .mss = MSS, .cwnd = 100000 };
	struct mytcp_cubic *c = mytcp_cc_priv(&cc, struct mytcp_cubic);

	mytcp_cubic_init(&cc);
	KUNIT_EXPECT_EQ(test, mytcp_cubic_ssthresh(&cc, 90000), 70000U);
	KUNIT_EXPECT_EQ(test, c->w_max, 100000U);
	KUNIT_EXPECT_EQ(test, c->epoch_us, 0U);
	cc.cwnd = 80000;
	KUNIT_EXPECT_EQ(test, mytcp_cubic_ssthresh(&cc, 80000), 56000U);
	KUNIT_EXPECT_EQ(test, c->w_max, 68000U);
	KUNIT_EXPECT_EQ(test, c->w_last_max, 80000U);
}

/* One round trip: cwnd / SMSS ACKs of one segment, then the clock moves */
static void round_trip(struct mytcp_cc *cc, u32 rtt_us)
{
	u32 n = cc->cwnd / cc->mss, i;

	cc->srtt_us = rtt_us;
	for (i = 0; i < n; i++)
		mytcp_cubic_cong_avoid(cc, cc->mss);
	cc->now_us += rtt_us;
}

/*
 * After a loss at 100 segments, cwnd 70 and a 100 ms RTT: the window
 * climbs back to W_max in about K = 4.2 s (concave, ever slower), stays
 * near it, then probes beyond (convex).  Each ACK adds at most
 * (1.5 cwnd - cwnd) / cwnd segments: a round trip at most halves again.
 */
static void cubic_recovers_to_w_max(struct kunit *test)
{
	struct mytcp_cc cc = { .mss = MSS, .cwnd = 100000, .now_us = 5000000 };
	u32 before, rounds;

	mytcp_cubic_init(&cc);
	cc.cwnd = mytcp_cubic_ssthresh(&cc, 100000);
	KUNIT_ASSERT_EQ(test, cc.cwnd, 70000U);
	for (rounds = 0; rounds < 30; rounds++) {	/* 3 s: still below */
		before = cc.cwnd;
		round_trip(&cc, 100000);
		KUNIT_EXPECT_LE(test, cc.cwnd, before * 3 / 2);
	}
	KUNIT_EXPECT_LT(test, cc.cwnd, 100000U);
	KUNIT_EXPECT_GT(test, cc.cwnd, 95000U);
	for (; rounds < 45; rounds++)			/* 4.5 s: at W_max */
		round_trip(&cc, 100000);
	KUNIT_EXPECT_GE(test, cc.cwnd, 99000U);
	KUNIT_EXPECT_LE(test, cc.cwnd, 102000U);
	for (; rounds < 90; rounds++)			/* 9 s: beyond it */
		round_trip(&cc, 100000);
	KUNIT_EXPECT_GT(test, cc.cwnd, 125000U);
}

/*
 * RFC 9438 section 4.3: on a short path Reno would grow faster than the
 * cubic curve, whose pace is set in seconds; then cwnd follows W_est.
 * W_max 20 segments, cwnd 14, RTT 1 ms: in 100 round trips (0.1 s) the
 * curve moves from 14 to about 14.7 segments, W_est by 9/17 of a segment
 * per round trip up to W_max and a whole one after: far beyond W_max.
 */
static void cubic_reno_friendly(struct kunit *test)
{
	struct mytcp_cc cc = { .mss = MSS, .cwnd = 20000, .now_us = 1000 };
	u32 curve = mytcp_cubic_target(20000, mytcp_cubic_k_ms(20000, 14000,
								 MSS), 100, MSS);
	int i;

	mytcp_cubic_init(&cc);
	cc.cwnd = mytcp_cubic_ssthresh(&cc, 20000);
	KUNIT_ASSERT_EQ(test, cc.cwnd, 14000U);
	for (i = 0; i < 100; i++)
		round_trip(&cc, 1000);
	KUNIT_EXPECT_GT(test, cc.cwnd, 60000U);
	KUNIT_EXPECT_GT(test, cc.cwnd, curve);
}

/*
 * Through the engine: slow start is the engine's, as for NewReno; the
 * third duplicate ACK takes ssthresh from CUBIC: 0.7 * 50000 = 35000,
 * cwnd 35000 + 3 SMSS; the full ACK deflates to ssthresh.
 */
static void cubic_through_engine(struct kunit *test)
{
	struct mytcp_cc cc;
	int i;

	mytcp_cc_init(&cc, &mytcp_cubic, MSS, 10);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10000U);
	mytcp_cc_on_ack(&cc, &mytcp_cubic, 3000, 2000, 8000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12000U);		/* slow start */
	cc.cwnd = 50000;
	for (i = 0; i < 2; i++)
		KUNIT_EXPECT_EQ(test, mytcp_cc_on_dupack(&cc, &mytcp_cubic,
							 50000, 103000),
				MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, mytcp_cc_on_dupack(&cc, &mytcp_cubic, 50000,
						 103000), MYTCP_CC_RETRANSMIT);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 35000U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 38000U);
	mytcp_cc_on_ack(&cc, &mytcp_cubic, 103000, 50000, 40000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 35000U);
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);
}

static struct kunit_case cubic_test_cases[] = {
	KUNIT_CASE(cubic_cbrt),
	KUNIT_CASE(cubic_k),
	KUNIT_CASE(cubic_window_curve),
	KUNIT_CASE(cubic_loss),
	KUNIT_CASE(cubic_recovers_to_w_max),
	KUNIT_CASE(cubic_reno_friendly),
	KUNIT_CASE(cubic_through_engine),
	{}
};

static struct kunit_suite cubic_test_suite = {
	.name = "mytcp_cubic",
	.test_cases = cubic_test_cases,
};

kunit_test_suite(cubic_test_suite);
