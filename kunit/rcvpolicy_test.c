// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of rcvpolicy.c: when an in-order segment is acknowledged at
 * once (RFC 9293 section 3.8.6.3, RFC 1122 section 4.2.3.2, RFC 5681
 * section 4.2), how long a delayed ACK waits, the quick-ACK budget, when a
 * read is worth a window update (RFC 9293 section 3.8.6.2.2, and not one
 * per MSS read), and how the receive buffer grows (dynamic right-sizing).
 * Expected values are worked out by hand in the comments.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/time64.h>

#include "rcvpolicy.h"

#define MSS	1448U

/*
 * Full-sized segments of 1448 octets, quick-ACK mode over: the first waits
 * (1448 unacknowledged is not more than one segment), the second is
 * acknowledged (2896 > 1448).  A small segment after a full one already
 * makes more than one full segment's worth (1448 + 100).
 */
static void ack_every_second_full_segment(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_ack_rule(MSS, MSS, 0, false),
			MYTCP_ACK_DELAYED);
	KUNIT_EXPECT_EQ(test, mytcp_ack_rule(2 * MSS, MSS, 0, false),
			MYTCP_ACK_TWO_SEGMENTS);
	KUNIT_EXPECT_EQ(test, mytcp_ack_rule(MSS + 100, MSS, 0, false),
			MYTCP_ACK_TWO_SEGMENTS);
	/* small segments: they wait until a full one's worth is exceeded */
	KUNIT_EXPECT_EQ(test, mytcp_ack_rule(100, MSS, 0, false),
			MYTCP_ACK_DELAYED);
	KUNIT_EXPECT_EQ(test, mytcp_ack_rule(200, MSS, 0, false),
			MYTCP_ACK_DELAYED);
	KUNIT_EXPECT_EQ(test, mytcp_ack_rule(1449, MSS, 0, false),
			MYTCP_ACK_TWO_SEGMENTS);
}

/* Quick-ACK mode answers the first segment; the caller's reason wins. */
static void ack_quick_and_pushed(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_ack_rule(MSS, MSS, 1, false),
			MYTCP_ACK_QUICK);
	KUNIT_EXPECT_EQ(test, mytcp_ack_rule(10, MSS, 16, false),
			MYTCP_ACK_QUICK);
	KUNIT_EXPECT_EQ(test, mytcp_ack_rule(10, MSS, 0, true),
			MYTCP_ACK_PUSHED);
	KUNIT_EXPECT_EQ(test, mytcp_ack_rule(0, MSS, 0, true),
			MYTCP_ACK_PUSHED);
}

/*
 * A quarter of the RTT within [40 ms, 200 ms]; no measurement yet is the
 * floor.  srtt 100 us (loopback) and 100 ms: 40 ms; 400 ms: 100 ms;
 * 800 ms: 200 ms; 2 s: still 200 ms.
 */
static void delack_delay(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_delack_us(0), 40U * USEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, mytcp_delack_us(100), 40U * USEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, mytcp_delack_us(100 * USEC_PER_MSEC),
			40U * USEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, mytcp_delack_us(400 * USEC_PER_MSEC),
			100U * USEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, mytcp_delack_us(800 * USEC_PER_MSEC),
			200U * USEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, mytcp_delack_us(2 * USEC_PER_SEC),
			200U * USEC_PER_MSEC);
	KUNIT_EXPECT_LE(test, mytcp_delack_us(U32_MAX), 500U * USEC_PER_MSEC);
}

/*
 * Half the window in segments, within [2, 16]: 65535 / (2 * 536) = 61 ->
 * 16; 8192 / (2 * 1448) = 2; 2000 / 2896 = 0 -> 2; an unknown MSS -> 2.
 */
static void quickack_budget(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_quickack_budget(65535, 536), 16);
	KUNIT_EXPECT_EQ(test, mytcp_quickack_budget(8192, MSS), 2);
	KUNIT_EXPECT_EQ(test, mytcp_quickack_budget(5 * 2 * MSS, MSS), 5);
	KUNIT_EXPECT_EQ(test, mytcp_quickack_budget(2000, MSS), 2);
	KUNIT_EXPECT_EQ(test, mytcp_quickack_budget(65535, 0), 2);
}

/*
 * A full window of 524288 (a 1 MiB buffer), step 1448.  Before, every MSS
 * read was an update (the step alone); now:
 *   window still open 524288 - 1448, reader frees 1448: no (most is open)
 *   open 262144 (half), new 524288 (double): yes
 *   open 300000, new 524288: no (more than half still open)
 *   open 200000, new 390000: no (not double)
 *   open 200000, new 400000: yes
 *   open 0 (closed), new 1448: yes; new 1000 (< step): no
 *   new window not larger than the open one: no
 */
static void wnd_update_substantial(struct kunit *test)
{
	const u32 full = 524288;

	KUNIT_EXPECT_FALSE(test, mytcp_wnd_update_rule(full - MSS, full, full,
						       MSS));
	KUNIT_EXPECT_TRUE(test, mytcp_wnd_update_rule(full / 2, full, full,
						      MSS));
	KUNIT_EXPECT_FALSE(test, mytcp_wnd_update_rule(300000, full, full,
						       MSS));
	KUNIT_EXPECT_FALSE(test, mytcp_wnd_update_rule(200000, 390000, full,
						       MSS));
	KUNIT_EXPECT_TRUE(test, mytcp_wnd_update_rule(200000, 400000, full,
						      MSS));
	KUNIT_EXPECT_TRUE(test, mytcp_wnd_update_rule(0, MSS, full, MSS));
	KUNIT_EXPECT_FALSE(test, mytcp_wnd_update_rule(0, 1000, full, MSS));
	KUNIT_EXPECT_FALSE(test, mytcp_wnd_update_rule(5000, 5000, full, MSS));
	KUNIT_EXPECT_FALSE(test, mytcp_wnd_update_rule(5000, 4000, full, MSS));
}

/*
 * A small buffer (4096, window 2048, step min(4096 / 4, MSS) = 1024): open
 * 1000, new 2048: right edge moves 1048 >= 1024, open <= half, doubled: yes.
 * Open 1100, new 2048: moves 948 < 1024: no (silly window avoidance).
 */
static void wnd_update_small_buffer(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, mytcp_wnd_update_rule(1000, 2048, 2048, 1024));
	KUNIT_EXPECT_FALSE(test, mytcp_wnd_update_rule(1100, 2048, 2048,
						       1024));
}

/*
 * Growth: buffer 1 MiB, max 6 MiB, MSS 1448.
 *   read 100000 in an RTT, most before 14480: wants 2 * (2 * 100000 +
 *   4 * 1448) = 411584 < 1 MiB: stays 1048576
 *   read 400000, most before 300000: 2 * (800000 + 5792) = 1611584
 *   read 2 MiB: 2 * (4194304 + 5792) = 8400192 -> capped at 6291456
 *   read no more than before: unchanged
 *   already at the max: unchanged
 */
static void drs_growth(struct kunit *test)
{
	const u32 mib = 1024 * 1024, max = 6 * 1024 * 1024;

	KUNIT_EXPECT_EQ(test, mytcp_drs_rcvbuf(100000, 14480, MSS, mib, max),
			mib);
	KUNIT_EXPECT_EQ(test, mytcp_drs_rcvbuf(400000, 300000, MSS, mib, max),
			1611584U);
	KUNIT_EXPECT_EQ(test, mytcp_drs_rcvbuf(2 * mib, 300000, MSS, mib, max),
			max);
	KUNIT_EXPECT_EQ(test, mytcp_drs_rcvbuf(300000, 300000, MSS, mib, max),
			mib);
	KUNIT_EXPECT_EQ(test, mytcp_drs_rcvbuf(300000, 400000, MSS, mib, max),
			mib);
	KUNIT_EXPECT_EQ(test, mytcp_drs_rcvbuf(5 * mib, 0, MSS, max, max),
			max);
}

/* Never shrinks, never overflows: huge reads stay at the max. */
static void drs_bounds(struct kunit *test)
{
	const u32 max = 6 * 1024 * 1024;

	KUNIT_EXPECT_EQ(test, mytcp_drs_rcvbuf(U32_MAX, 0, MSS, 65536, max),
			max);
	/* a max below the buffer (the sysctl lowered): left alone */
	KUNIT_EXPECT_EQ(test, mytcp_drs_rcvbuf(U32_MAX, 0, MSS, 2 * max, max),
			2 * max);
	/* growth from a small buffer: 2 * (2 * 20000 + 5792) = 91584 */
	KUNIT_EXPECT_EQ(test, mytcp_drs_rcvbuf(20000, 14480, MSS, 65536, max),
			91584U);
}

static struct kunit_case rcvpolicy_test_cases[] = {
	KUNIT_CASE(ack_every_second_full_segment),
	KUNIT_CASE(ack_quick_and_pushed),
	KUNIT_CASE(delack_delay),
	KUNIT_CASE(quickack_budget),
	KUNIT_CASE(wnd_update_substantial),
	KUNIT_CASE(wnd_update_small_buffer),
	KUNIT_CASE(drs_growth),
	KUNIT_CASE(drs_bounds),
	{}
};

static struct kunit_suite rcvpolicy_test_suite = {
	.name = "mytcp_rcvpolicy",
	.test_cases = rcvpolicy_test_cases,
};

kunit_test_suite(rcvpolicy_test_suite);
