// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of mytcp_rcv_window() in rules.c: the receive window to
 * advertise, as RFC 9293 section 3.8.6.2.2 (receiver silly window syndrome
 * avoidance, no shrinking) and RFC 7323 section 2.3 (a scaled window is a
 * multiple of 1 << wscale, at most 65535 << wscale) ask.  Arguments are
 * RCV.NXT, the right edge advertised before, the buffer space, the
 * smallest worthwhile step and the scale; the result counts from RCV.NXT.
 * Expected values are worked out by hand in the comments.
 */
#include <kunit/test.h>
#include <linux/kernel.h>

#include "rules.h"

#define STEP	1460U	/* min(RCV.BUFF / 2, Eff.snd.MSS) for a large buffer */

/* Nothing advertised yet (right edge at RCV.NXT): the space, as it is. */
static void window_first(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(1000, 1000, 65535, STEP, 0),
			65535U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(1000, 1000, 20000, STEP, 0),
			20000U);
}

/*
 * RFC 9293 section 3.8.6.2.2 (and RFC 1122 section 4.2.2.16): the right
 * edge never moves left.  RCV.NXT 1000, right edge 21000 (window 20000):
 *   the space drops to 5000, then to 0:         still 20000
 *   3000 bytes arrive unread (RCV.NXT 4000):     21000 - 4000 = 17000
 *   all 20000 arrive (RCV.NXT 21000), space 0:   0
 */
static void window_never_shrinks(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(1000, 21000, 5000, STEP, 0),
			20000U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(1000, 21000, 0, STEP, 0),
			20000U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(4000, 21000, 2000, STEP, 0),
			17000U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(21000, 21000, 0, STEP, 0), 0U);
}

/*
 * RFC 9293 section 3.8.6.2.2: the right edge moves only when it can move
 * by at least min(RCV.BUFF / 2, Eff.snd.MSS).  Window 10000 before:
 *   space 10000: no move                         10000
 *   space 11459: 1459 more, under 1460            10000
 *   space 11460: 1460 more                        11460
 *   space 30000                                   30000
 */
static void window_min_step(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(1000, 11000, 10000, STEP, 0),
			10000U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(1000, 11000, 11459, STEP, 0),
			10000U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(1000, 11000, 11460, STEP, 0),
			11460U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(1000, 11000, 30000, STEP, 0),
			30000U);
}

/*
 * RFC 9293 section 3.8.6.2.2, a closed window reopening: it stays closed
 * until a whole step fits, so the sender never sees a small window
 * (RFC 1122 section 4.2.3.3).  With a 2000-byte buffer the step is
 * RCV.BUFF / 2 = 1000 and 1000 bytes reopen it.
 */
static void window_zero_reopens(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(5000, 5000, 1000, STEP, 0), 0U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(5000, 5000, 1459, STEP, 0), 0U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(5000, 5000, 1460, STEP, 0),
			1460U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(5000, 5000, 1000, 1000, 0),
			1000U);
}

/*
 * RFC 7323 section 2.3: with wscale 7 the window travels in units of 128.
 *   space 100000 from nothing: 781 * 128 = 99968 (rounded down)
 *   old window 1000 is not a multiple: the edge is kept at 1024 (8 * 128),
 *   never at 896, which would shrink it; space 2000 rounds down to 1920,
 *   only 896 more than 1024, under a step: 1024
 *   space 3000: 23 * 128 = 2944, 1920 more: 2944
 */
static void window_scale_rounding(struct kunit *test)
{
	u32 w;

	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(10000, 10000, 100000, STEP, 7),
			99968U);
	w = mytcp_rcv_window(10000, 11000, 2000, STEP, 7);
	KUNIT_EXPECT_EQ(test, w, 1024U);
	KUNIT_EXPECT_EQ(test, w % 128, 0U);
	w = mytcp_rcv_window(10000, 11000, 3000, STEP, 7);
	KUNIT_EXPECT_EQ(test, w, 2944U);
	KUNIT_EXPECT_EQ(test, w % 128, 0U);
	/* wscale 14: one unit is 16384, above any step */
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(0, 0, 50000, STEP, 14),
			49152U);
}

/*
 * RFC 7323 section 2.3: the 16-bit field times 2^wscale is the most that
 * can be advertised.
 *   wscale 0:  65535
 *   wscale 2:  65535 * 4     = 262140
 *   wscale 14: 65535 * 16384 = 1073725440
 */
static void window_cap(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(0, 0, 1U << 20, STEP, 0),
			65535U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(0, 0, 1U << 20, STEP, 2),
			262140U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(0, 0, U32_MAX, STEP, 14),
			1073725440U);
	/* growing from a window already at the cap changes nothing */
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(0, 65535, 1U << 20, STEP, 0),
			65535U);
}

/* wscale 0: the unit is one byte, any length goes out as it is. */
static void window_wscale0(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(0, 0, 1, 1, 0), 1U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(0, 0, 12345, 1, 0), 12345U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(0, 0, 65535, 1, 0), 65535U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(0, 0, 65536, 1, 0), 65535U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(0, 12345, 12346, 1, 0),
			12346U);
}

/*
 * A right edge behind RCV.NXT (the peer sent beyond what we offered, or
 * the edge is stale) counts as no window: the space alone decides, and a
 * window under one step is not offered.  RCV.NXT 5000, edge 4000.
 */
static void window_old_behind(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(5000, 4000, 3000, STEP, 0),
			3000U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(5000, 4000, 1000, STEP, 0), 0U);
	KUNIT_EXPECT_EQ(test, mytcp_rcv_window(5000, 4999, 0, STEP, 0), 0U);
}

/*
 * RFC 9293 section 3.4: sequence numbers wrap.  RCV.NXT 0xffffff00 and
 * right edge 0xf00 are 0x1000 = 4096 apart:
 *   space 3000: never shrinks                    4096
 *   space 10000: 5904 more                       10000
 * RCV.NXT 0xffffffc0, edge 0x40 (128 apart), wscale 7, space 100000:
 * 99968.  RCV.NXT 0x10, edge 0xfffffff0: the edge is 32 behind: 3000.
 */
static void window_wraps(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test,
			mytcp_rcv_window(0xffffff00, 0xf00, 3000, STEP, 0),
			4096U);
	KUNIT_EXPECT_EQ(test,
			mytcp_rcv_window(0xffffff00, 0xf00, 10000, STEP, 0),
			10000U);
	KUNIT_EXPECT_EQ(test,
			mytcp_rcv_window(0xffffffc0, 0x40, 100000, STEP, 7),
			99968U);
	KUNIT_EXPECT_EQ(test,
			mytcp_rcv_window(0xffffffc0, 0x40, 0, STEP, 7), 128U);
	KUNIT_EXPECT_EQ(test,
			mytcp_rcv_window(0x10, 0xfffffff0, 3000, STEP, 0),
			3000U);
}

static struct kunit_case window_test_cases[] = {
	KUNIT_CASE(window_first),
	KUNIT_CASE(window_never_shrinks),
	KUNIT_CASE(window_min_step),
	KUNIT_CASE(window_zero_reopens),
	KUNIT_CASE(window_scale_rounding),
	KUNIT_CASE(window_cap),
	KUNIT_CASE(window_wscale0),
	KUNIT_CASE(window_old_behind),
	KUNIT_CASE(window_wraps),
	{}
};

static struct kunit_suite window_test_suite = {
	.name = "mytcp_window",
	.test_cases = window_test_cases,
};

kunit_test_suite(window_test_suite);
