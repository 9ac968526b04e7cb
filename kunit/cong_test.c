// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of cong.c: NewReno as RFC 5681 (slow start, congestion
 * avoidance, fast retransmit, the loss window after a timeout) and RFC 6582
 * (fast recovery ended by a full ACK, partial ACKs) define it, with the
 * byte counting of RFC 3465 (L = 2 SMSS).  The algorithm is driven through
 * mytcp_newreno on a bare struct mytcp_cc; every expected value is worked
 * out by hand in the comments, with SMSS = 1000 bytes unless said.
 */
#include <kunit/test.h>
#include <linux/kernel.h>

#include "cong.h"

#define MSS	1000U
#define NR	(&mytcp_newreno)

/* A connection after init, then put at the given cwnd and ssthresh. */
static void cc_at(struct mytcp_cc *cc, u32 cwnd, u32 ssthresh)
{
	mytcp_cc_init(cc, NR, MSS, 10);
	cc->cwnd = cwnd;
	cc->ssthresh = ssthresh;
}

/* @n duplicate ACKs in a row; the action of the last one. */
static enum mytcp_cc_action cc_dupacks(struct mytcp_cc *cc, int n, u32 flight,
				       u32 snd_max)
{
	enum mytcp_cc_action a = MYTCP_CC_NONE;

	while (n--)
		a = mytcp_cc_on_dupack(cc, NR, flight, snd_max);
	return a;
}

/*
 * RFC 5681 section 3.1: IW = 10 segments as RFC 6928 allows, ssthresh
 * "arbitrarily high", e.g. the largest window that can be advertised,
 * 65535 << 14 (RFC 7323 section 2.3).
 */
static void cong_init(struct kunit *test)
{
	struct mytcp_cc cc = { .cwnd = 1, .ssthresh = 1, .dupacks = 5,
			       .in_recovery = true, .rto_recover = true,
			       .recover = 7 };

	KUNIT_EXPECT_STREQ(test, NR->name, "newreno");
	mytcp_cc_init(&cc, NR, MSS, 10);
	KUNIT_EXPECT_EQ(test, cc.mss, MSS);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10000U);
	KUNIT_EXPECT_GE(test, cc.ssthresh, 65535U << 14);
	KUNIT_EXPECT_EQ(test, cc.dupacks, 0U);
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);
	KUNIT_EXPECT_FALSE(test, cc.rto_recover);

	mytcp_cc_init(&cc, NR, 1460, 4);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 5840U);
}

/*
 * RFC 5681 section 3.1 with RFC 3465 section 2.3: in slow start each ACK
 * adds min(acked, 2 SMSS).  A receiver that ACKs every second segment
 * (RFC 9293 section 3.8.6.3) sends cwnd / 2000 ACKs of 2000 bytes per
 * round trip, so cwnd doubles each round trip:
 *   10000 + 5 * 2000 = 20000, + 10 * 2000 = 40000, + 20 * 2000 = 80000.
 */
static void cong_slow_start_doubles(struct kunit *test)
{
	static const u32 after[] = { 20000, 40000, 80000 };
	struct mytcp_cc cc;
	u32 una = 1000, round, done;
	int rtt;

	mytcp_cc_init(&cc, NR, MSS, 10);
	for (rtt = 0; rtt < ARRAY_SIZE(after); rtt++) {
		round = cc.cwnd;
		for (done = 0; done < round; done += 2 * MSS) {
			una += 2 * MSS;
			KUNIT_EXPECT_EQ(test,
					mytcp_cc_on_ack(&cc, NR, una, 2 * MSS,
							round - done - 2 * MSS),
					MYTCP_CC_NONE);
		}
		KUNIT_EXPECT_EQ_MSG(test, cc.cwnd, after[rtt], "round trip %d",
				    rtt + 1);
	}
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);
}

/*
 * RFC 3465 section 2.3: one ACK opens cwnd by at most L = 2 SMSS, however
 * much it acknowledges (a stretch ACK), and by what it acknowledges when
 * that is less:  10000 + 2000 (of 5000) = 12000, + 500 = 12500,
 * + 2000 = 14500, + 2000 (of 2001) = 16500.
 */
static void cong_slow_start_byte_limit(struct kunit *test)
{
	struct mytcp_cc cc;

	mytcp_cc_init(&cc, NR, MSS, 10);
	mytcp_cc_on_ack(&cc, NR, 6000, 5000, 5000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12000U);
	mytcp_cc_on_ack(&cc, NR, 6500, 500, 4500);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12500U);
	mytcp_cc_on_ack(&cc, NR, 8500, 2000, 2500);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 14500U);
	mytcp_cc_on_ack(&cc, NR, 10501, 2001, 499);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 16500U);
}

/*
 * RFC 5681 section 3.1: slow start while cwnd < ssthresh, congestion
 * avoidance once cwnd reaches it.  ssthresh = 16000: three ACKs of 2000
 * take cwnd 10000 -> 12000 -> 14000 -> 16000 (slow start); the fourth is
 * in congestion avoidance, cwnd += SMSS * acked / cwnd
 * = 1000 * 2000 / 16000 = 125: 16125, not 18000.  The sender keeps cwnd
 * full: each ACK leaves cwnd - 2000 in flight.
 */
static void cong_slow_start_to_ca(struct kunit *test)
{
	struct mytcp_cc cc;

	mytcp_cc_init(&cc, NR, MSS, 10);
	cc.ssthresh = 16000;
	mytcp_cc_on_ack(&cc, NR, 3000, 2000, 8000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12000U);
	mytcp_cc_on_ack(&cc, NR, 5000, 2000, 10000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 14000U);
	mytcp_cc_on_ack(&cc, NR, 7000, 2000, 12000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 16000U);
	mytcp_cc_on_ack(&cc, NR, 9000, 2000, 14000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 16125U);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 16000U);
}

/*
 * RFC 5681 section 3.1, equation 3 generalised to acked bytes (RFC 3465
 * section 2.1): about one SMSS per round trip.  From cwnd = ssthresh =
 * 16000, one round trip is 8 ACKs of 2000; each adds 2000000 / cwnd,
 * rounded down:
 *   125 -> 16125, 124 -> 16249, 123 -> 16372, 122 -> 16494,
 *   121 -> 16615, 120 -> 16735, 119 -> 16854, 118 -> 16972.
 * The round trip added 972 bytes: one SMSS less the rounding.  An ACK too
 * small to add a whole byte still adds one.
 */
static void cong_ca_one_mss_per_rtt(struct kunit *test)
{
	struct mytcp_cc cc;
	u32 una = 0;
	int i;

	cc_at(&cc, 16000, 16000);
	for (i = 0; i < 8; i++) {
		una += 2 * MSS;
		KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, una, 2 * MSS, 16000),
				MYTCP_CC_NONE);
	}
	KUNIT_EXPECT_EQ(test, cc.cwnd, 16972U);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 16000U);

	/* 1000 * 1 / 100000 = 0, at least 1 */
	cc_at(&cc, 100000, 50000);
	mytcp_cc_on_ack(&cc, NR, 1, 1, 99999);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 100001U);
}

/*
 * RFC 5681 section 3.2: fewer than three duplicate ACKs change neither
 * cwnd nor ssthresh (step 1), and a new ACK ends the run, so 2 + 2
 * duplicates around it are not 4.  The new ACK, in congestion avoidance,
 * adds 1000 * 1000 / 20000 = 50.
 */
static void cong_dupacks_below_three(struct kunit *test)
{
	struct mytcp_cc cc;

	cc_at(&cc, 20000, 10000);
	KUNIT_EXPECT_EQ(test, cc_dupacks(&cc, 2, 20000, 120000),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20000U);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10000U);
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);

	KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, 101000, 1000, 19000),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20050U);
	KUNIT_EXPECT_EQ(test, cc.dupacks, 0U);

	KUNIT_EXPECT_EQ(test, cc_dupacks(&cc, 2, 19000, 120000),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20050U);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10000U);
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);
}

/*
 * RFC 5681 section 3.2 steps 2 and 3, RFC 6582 section 3.2 step 2: the
 * third duplicate ACK retransmits, sets ssthresh = max(FlightSize / 2,
 * 2 SMSS) and cwnd = ssthresh + 3 SMSS, and records recover = SND.MAX.
 *   FlightSize 20000: ssthresh 10000, cwnd 13000.
 *   FlightSize 6000 with cwnd 20000 (FlightSize, not cwnd): 3000, 6000.
 *   FlightSize 3000: 1500 is below 2 SMSS: ssthresh 2000, cwnd 5000.
 */
static void cong_fast_retransmit(struct kunit *test)
{
	struct mytcp_cc cc;

	cc_at(&cc, 20000, S32_MAX);
	KUNIT_EXPECT_EQ(test, cc_dupacks(&cc, 2, 20000, 120000),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, mytcp_cc_on_dupack(&cc, NR, 20000, 120000),
			MYTCP_CC_RETRANSMIT);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10000U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 13000U);
	KUNIT_EXPECT_TRUE(test, cc.in_recovery);
	KUNIT_EXPECT_EQ(test, cc.recover, 120000U);

	cc_at(&cc, 20000, S32_MAX);
	KUNIT_EXPECT_EQ(test, cc_dupacks(&cc, 3, 6000, 50000),
			MYTCP_CC_RETRANSMIT);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 3000U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 6000U);
	KUNIT_EXPECT_EQ(test, cc.recover, 50000U);

	cc_at(&cc, 20000, S32_MAX);
	KUNIT_EXPECT_EQ(test, cc_dupacks(&cc, 3, 3000, 50000),
			MYTCP_CC_RETRANSMIT);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 2000U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 5000U);
}

/*
 * RFC 5681 section 3.2 step 4: each further duplicate ACK in fast recovery
 * inflates cwnd by SMSS, with no second retransmission and no new
 * ssthresh or recover, even when new data raised SND.MAX meanwhile:
 * 13000 -> 14000 -> 15000 -> 16000.
 */
static void cong_recovery_inflation(struct kunit *test)
{
	static const u32 after[] = { 14000, 15000, 16000 };
	struct mytcp_cc cc;
	int i;

	cc_at(&cc, 20000, S32_MAX);
	cc_dupacks(&cc, 3, 20000, 120000);
	KUNIT_ASSERT_EQ(test, cc.cwnd, 13000U);
	for (i = 0; i < ARRAY_SIZE(after); i++) {
		KUNIT_EXPECT_EQ(test,
				mytcp_cc_on_dupack(&cc, NR, 20000, 120000 + i * MSS),
				MYTCP_CC_NONE);
		KUNIT_EXPECT_EQ(test, cc.cwnd, after[i]);
	}
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10000U);
	KUNIT_EXPECT_EQ(test, cc.recover, 120000U);
	KUNIT_EXPECT_TRUE(test, cc.in_recovery);
}

/*
 * RFC 6582 section 3.2 step 5: an ACK below recover is partial: retransmit
 * the next hole, deflate cwnd by the bytes acked and add back SMSS if at
 * least SMSS was acked; stay in fast recovery.  SND.UNA 100000,
 * recover 120000, cwnd inflated to 16000:
 *   ACK 105000 (5000 acked): 16000 - 5000 + 1000 = 12000
 *   ACK 105500 (500 acked):  12000 - 500          = 11500
 *   a duplicate ACK still inflates:                 12500
 */
static void cong_partial_ack(struct kunit *test)
{
	struct mytcp_cc cc;

	cc_at(&cc, 20000, S32_MAX);
	cc_dupacks(&cc, 6, 20000, 120000);
	KUNIT_ASSERT_EQ(test, cc.cwnd, 16000U);

	KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, 105000, 5000, 15000),
			MYTCP_CC_RETRANSMIT);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12000U);
	KUNIT_EXPECT_TRUE(test, cc.in_recovery);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10000U);
	KUNIT_EXPECT_EQ(test, cc.recover, 120000U);

	KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, 105500, 500, 14500),
			MYTCP_CC_RETRANSMIT);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 11500U);
	KUNIT_EXPECT_TRUE(test, cc.in_recovery);

	KUNIT_EXPECT_EQ(test, mytcp_cc_on_dupack(&cc, NR, 14500, 120000),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12500U);
	KUNIT_EXPECT_TRUE(test, cc.in_recovery);
}

/*
 * RFC 6582 section 3.2 step 3: an ACK at or beyond recover is full: cwnd =
 * min(ssthresh, max(FlightSize, SMSS) + SMSS), and fast recovery ends.
 * ssthresh 10000, recover 120000:
 *   ACK 120000, nothing left in flight:  min(10000, 1000 + 1000)  = 2000
 *   ACK 120000, 5000 sent since:         min(10000, 5000 + 1000)  = 6000
 *   ACK 121000 (beyond), 15000 in flight: min(10000, 15000 + 1000) = 10000
 * After the last, cwnd = ssthresh: congestion avoidance, + 200.
 */
static void cong_full_ack(struct kunit *test)
{
	struct mytcp_cc cc;

	cc_at(&cc, 20000, S32_MAX);
	cc_dupacks(&cc, 5, 20000, 120000);
	KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, 120000, 20000, 0),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2000U);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10000U);
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);

	cc_at(&cc, 20000, S32_MAX);
	cc_dupacks(&cc, 5, 20000, 120000);
	mytcp_cc_on_ack(&cc, NR, 120000, 20000, 5000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 6000U);
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);

	cc_at(&cc, 20000, S32_MAX);
	cc_dupacks(&cc, 5, 20000, 120000);
	KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, 121000, 21000, 15000),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10000U);
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);

	KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, 123000, 2000, 13000),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10200U);
}

/*
 * RFC 5681 section 3.1: on a retransmission timeout ssthresh =
 * max(FlightSize / 2, 2 SMSS) (equation 4) and cwnd = LW = 1 SMSS, then
 * slow start again.
 *   FlightSize 20000: ssthresh 10000;  ACK 1000: cwnd 2000; ACK 2000: 4000
 *   FlightSize 7001:  ssthresh 3500
 *   FlightSize 3000:  1500 < 2 SMSS:   2000
 */
static void cong_timeout(struct kunit *test)
{
	struct mytcp_cc cc;

	cc_at(&cc, 20000, S32_MAX);
	mytcp_cc_on_timeout(&cc, NR, 20000, 120000, true);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10000U);
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);
	mytcp_cc_on_ack(&cc, NR, 101000, 1000, 19000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2000U);
	mytcp_cc_on_ack(&cc, NR, 103000, 2000, 17000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 4000U);

	cc_at(&cc, 20000, S32_MAX);
	mytcp_cc_on_timeout(&cc, NR, 7001, 107001, true);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 3500U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);

	cc_at(&cc, 4000, S32_MAX);
	mytcp_cc_on_timeout(&cc, NR, 3000, 103000, true);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 2000U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
}

/*
 * RFC 5681 section 3.1 and RFC 6582 section 4: a timeout during fast
 * recovery ends it.  After it an ACK below the old recover is an ordinary
 * slow-start ACK (1000 -> 2000), not a partial ACK, and duplicate ACKs no
 * longer inflate cwnd.
 */
static void cong_timeout_in_recovery(struct kunit *test)
{
	struct mytcp_cc cc;

	cc_at(&cc, 20000, S32_MAX);
	cc_dupacks(&cc, 4, 20000, 120000);
	KUNIT_ASSERT_TRUE(test, cc.in_recovery);
	KUNIT_ASSERT_EQ(test, cc.cwnd, 14000U);

	mytcp_cc_on_timeout(&cc, NR, 20000, 120000, true);
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10000U);
	KUNIT_EXPECT_EQ(test, cc.dupacks, 0U);

	KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, 101000, 1000, 19000),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2000U);
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);

	KUNIT_EXPECT_EQ(test, cc_dupacks(&cc, 2, 19000, 120000),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2000U);
}

/*
 * RFC 5681 section 3.1: equation 4 sets ssthresh on the first timeout of a
 * backoff series only; when the same data times out again ssthresh stays
 * and cwnd is the loss window again.  SND.UNA 100000, SND.MAX 120000:
 *   first timeout, FlightSize 20000:   ssthresh 10000, cwnd 1000
 *   second, told FlightSize 2000:      ssthresh still 10000 (not 2000)
 *   third:                             the same
 * A new series (after an ACK) computes it again: FlightSize 6000: 3000.
 */
static void cong_timeout_repeated(struct kunit *test)
{
	struct mytcp_cc cc;

	cc_at(&cc, 20000, S32_MAX);
	mytcp_cc_on_timeout(&cc, NR, 20000, 120000, true);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10000U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	mytcp_cc_on_timeout(&cc, NR, 2000, 120000, false);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10000U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
	mytcp_cc_on_timeout(&cc, NR, 20000, 120000, false);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10000U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);

	mytcp_cc_on_ack(&cc, NR, 114000, 14000, 6000);
	mytcp_cc_on_timeout(&cc, NR, 6000, 120000, true);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 3000U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, MSS);
}

/*
 * RFC 6582 section 3.2 steps 1 and 2: a timeout sets recover = SND.MAX,
 * and three duplicate ACKs start a fast retransmit only if they cover
 * recover.  After go-back-N the receiver, holding later data, answers the
 * retransmissions with duplicate ACKs: those must not halve ssthresh again
 * nor resend the window.  SND.UNA 100000, SND.MAX 120000, timeout:
 *   recover 120000, ssthresh 10000, cwnd 1000
 *   ACK 101000 (slow start):                  cwnd 2000
 *   3 duplicate ACKs at 101000 (< recover):   nothing: cwnd 2000,
 *                                             ssthresh 10000, no recovery
 *   ACK 120000 (19000 acked, + 2 SMSS):       cwnd 4000
 *   new data to SND.MAX 130000, 3 duplicate ACKs at 120000 (= recover,
 *   covered): fast retransmit, ssthresh max(10000 / 2, 2000) = 5000,
 *   cwnd 8000, recover 130000
 */
static void cong_dupacks_after_timeout(struct kunit *test)
{
	struct mytcp_cc cc;

	cc_at(&cc, 20000, S32_MAX);
	mytcp_cc_on_timeout(&cc, NR, 20000, 120000, true);
	KUNIT_EXPECT_EQ(test, cc.recover, 120000U);
	KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, 101000, 1000, 19000),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2000U);

	KUNIT_EXPECT_EQ(test, cc_dupacks(&cc, 3, 19000, 120000),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2000U);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 10000U);
	KUNIT_EXPECT_EQ(test, mytcp_cc_on_dupack(&cc, NR, 19000, 120000),
			MYTCP_CC_NONE);

	KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, 120000, 19000, 0),
			MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 4000U);

	KUNIT_EXPECT_EQ(test, cc_dupacks(&cc, 3, 10000, 130000),
			MYTCP_CC_RETRANSMIT);
	KUNIT_EXPECT_TRUE(test, cc.in_recovery);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 5000U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 8000U);
	KUNIT_EXPECT_EQ(test, cc.recover, 130000U);
}

/*
 * recover compared in sequence space (RFC 9293 section 3.4): SND.UNA
 * 0xfffff000 with FlightSize 10000 puts SND.MAX, hence recover, at
 * 0xfffff000 + 10000 = 2^32 + 5904, i.e. 5904.  ssthresh 5000, cwnd 8000.
 *   ACK 0xfffff7d0 (2000 acked) is before recover although it is the
 *   larger number: partial, 8000 - 2000 + 1000 = 7000
 *   ACK 1000 (2096 + 1000 = 3096 acked): partial, 7000 - 3096 + 1000 = 4904
 *   ACK 5904 (4904 acked), nothing in flight: full, min(5000, 2000) = 2000
 */
static void cong_recover_wraps(struct kunit *test)
{
	const u32 una = 0xfffff000;
	struct mytcp_cc cc;

	cc_at(&cc, 10000, S32_MAX);
	KUNIT_EXPECT_EQ(test, cc_dupacks(&cc, 3, 10000, una + 10000),
			MYTCP_CC_RETRANSMIT);
	KUNIT_EXPECT_EQ(test, cc.recover, 5904U);
	KUNIT_EXPECT_EQ(test, cc.ssthresh, 5000U);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 8000U);

	KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, 0xfffff7d0, 2000, 8000),
			MYTCP_CC_RETRANSMIT);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 7000U);
	KUNIT_EXPECT_TRUE(test, cc.in_recovery);

	KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, 1000, 3096, 4904),
			MYTCP_CC_RETRANSMIT);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 4904U);
	KUNIT_EXPECT_TRUE(test, cc.in_recovery);

	KUNIT_EXPECT_EQ(test, mytcp_cc_on_ack(&cc, NR, 5904, 4904, 0), MYTCP_CC_NONE);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 2000U);
	KUNIT_EXPECT_FALSE(test, cc.in_recovery);
}

/*
 * RFC 7661 section 4.3: cwnd does not grow while the receive window
 * limits the sender.  Congestion avoidance at cwnd 20000, ssthresh 10000,
 * a peer that offers 8000: each ACK of 2000 leaves 6000 in flight, and
 * the sender refills to 8000 at once, so at most 8000 is ever in flight,
 * 12000 short of cwnd.  Twenty round trips leave cwnd at 20000
 * (without the check, each would add about 1000).  Once the window opens
 * and the sender fills cwnd (18000 left after an ACK of 2000: 20000 had
 * been in flight), cwnd grows again: + 1000 * 2000 / 20000 = 100.
 */
static void cong_rwnd_limited_ca(struct kunit *test)
{
	struct mytcp_cc cc;
	u32 una = 0;
	int i;

	cc_at(&cc, 20000, 10000);
	for (i = 0; i < 20 * 4; i++) {
		una += 2 * MSS;
		mytcp_cc_on_ack(&cc, NR, una, 2 * MSS, 6000);
	}
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20000U);

	una += 2 * MSS;
	mytcp_cc_on_ack(&cc, NR, una, 2 * MSS, 18000);
	KUNIT_EXPECT_EQ(test, cc.cwnd, 20100U);
}

/*
 * RFC 7661 section 4.3 in slow start: an application that writes 2000
 * bytes per round trip (one ACK of 2000, nothing left in flight) never
 * has more than 2000 out, a fifth of the initial 10000: cwnd stays at
 * 10000 for ten round trips (unchecked it would reach 30000).  Slow start
 * may run ahead of what is used by up to twice (the window doubles each
 * round trip, as Linux's tcp_is_cwnd_limited() allows): writing 6000 per
 * round trip (ACKs of 2000 leaving 4000, 2000, 0) takes cwnd from 10000
 * to 12000 = 2 * 6000 and no further.
 */
static void cong_app_limited_slow_start(struct kunit *test)
{
	struct mytcp_cc cc;
	u32 una = 0;
	int i;

	mytcp_cc_init(&cc, NR, MSS, 10);
	for (i = 0; i < 10; i++) {
		una += 2 * MSS;
		mytcp_cc_on_ack(&cc, NR, una, 2 * MSS, 0);
	}
	KUNIT_EXPECT_EQ(test, cc.cwnd, 10000U);

	for (i = 0; i < 5 * 3; i++) {
		una += 2 * MSS;
		mytcp_cc_on_ack(&cc, NR, una, 2 * MSS, 4000 - (i % 3) * 2000);
	}
	KUNIT_EXPECT_EQ(test, cc.cwnd, 12000U);
}

static struct kunit_case cong_test_cases[] = {
	KUNIT_CASE(cong_init),
	KUNIT_CASE(cong_slow_start_doubles),
	KUNIT_CASE(cong_slow_start_byte_limit),
	KUNIT_CASE(cong_slow_start_to_ca),
	KUNIT_CASE(cong_ca_one_mss_per_rtt),
	KUNIT_CASE(cong_dupacks_below_three),
	KUNIT_CASE(cong_fast_retransmit),
	KUNIT_CASE(cong_recovery_inflation),
	KUNIT_CASE(cong_partial_ack),
	KUNIT_CASE(cong_full_ack),
	KUNIT_CASE(cong_timeout),
	KUNIT_CASE(cong_timeout_in_recovery),
	KUNIT_CASE(cong_timeout_repeated),
	KUNIT_CASE(cong_dupacks_after_timeout),
	KUNIT_CASE(cong_recover_wraps),
	KUNIT_CASE(cong_rwnd_limited_ca),
	KUNIT_CASE(cong_app_limited_slow_start),
	{}
};

static struct kunit_suite cong_test_suite = {
	.name = "mytcp_cong",
	.test_cases = cong_test_cases,
};

kunit_test_suite(cong_test_suite);
