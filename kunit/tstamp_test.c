// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of tstamp.c's arithmetic: RFC 7323 timestamps.  The TSval
 * clock and its wraparound (section 5.4), the PAWS test (section 5.3, R1),
 * the TS.Recent rule (section 4.3) and the 24-day rule (section 5.5), the
 * RTT from TSecr (section 4.1), and the option's layout on the wire
 * (section 3.2).  Expected values are worked out by hand in the comments.
 */
#include <kunit/test.h>
#include <linux/kernel.h>

#include "header.h"
#include "tstamp.h"

/* 1 ms ticks: 2.5 ms is tick 2, plus the offset, modulo 2^32 */
static void tstamp_clock(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_ts_clock(0, 0), 0U);
	KUNIT_EXPECT_EQ(test, mytcp_ts_clock(999, 0), 0U);
	KUNIT_EXPECT_EQ(test, mytcp_ts_clock(1000, 0), 1U);
	KUNIT_EXPECT_EQ(test, mytcp_ts_clock(2500, 100), 102U);
	/* the offset wraps the sum: 0xfffffffe + 5 = 3 */
	KUNIT_EXPECT_EQ(test, mytcp_ts_clock(5000, 0xfffffffe), 3U);
	/* the ms clock itself wraps after 2^32 ms (49.7 days) */
	KUNIT_EXPECT_EQ(test, mytcp_ts_clock((1ULL << 32) * 1000 + 7000, 0),
			7U);
}

/* RFC 7323 section 5.2: compared modulo 2^32, as sequence numbers */
static void tstamp_before(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, mytcp_ts_before(1, 2));
	KUNIT_EXPECT_FALSE(test, mytcp_ts_before(2, 2));
	KUNIT_EXPECT_FALSE(test, mytcp_ts_before(3, 2));
	/* across the wrap: 0xffffff00 is older than 0x10 */
	KUNIT_EXPECT_TRUE(test, mytcp_ts_before(0xffffff00, 0x10));
	KUNIT_EXPECT_FALSE(test, mytcp_ts_before(0x10, 0xffffff00));
	/* 2^31 - 1 ahead is newer; 2^31 + 1 ahead wraps to older */
	KUNIT_EXPECT_TRUE(test, mytcp_ts_before(0, 0x7fffffff));
	KUNIT_EXPECT_FALSE(test, mytcp_ts_before(0, 0x80000001));
}

/* RFC 7323 section 5.3, R1: an older TSval than a valid TS.Recent */
static void tstamp_paws(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, mytcp_paws_reject(99, 100, true));
	KUNIT_EXPECT_FALSE(test, mytcp_paws_reject(100, 100, true));
	KUNIT_EXPECT_FALSE(test, mytcp_paws_reject(101, 100, true));
	/* an invalid TS.Recent rejects nothing */
	KUNIT_EXPECT_FALSE(test, mytcp_paws_reject(99, 100, false));
	/* old across the wrap */
	KUNIT_EXPECT_TRUE(test, mytcp_paws_reject(0xfffffff0, 5, true));
	KUNIT_EXPECT_FALSE(test, mytcp_paws_reject(5, 0xfffffff0, true));
	/* half the space back is still "older" by one */
	KUNIT_EXPECT_TRUE(test, mytcp_paws_reject(100 - 0x7fffffff, 100,
						  true));
}

/* RFC 7323 section 5.5: valid for 24 days after it was last set */
static void tstamp_24_days(struct kunit *test)
{
	u32 day = 24 * 60 * 60;

	KUNIT_EXPECT_EQ(test, MYTCP_PAWS_IDLE_SECS, 24 * day);
	KUNIT_EXPECT_FALSE(test, mytcp_ts_recent_valid(false, 0, 0));
	KUNIT_EXPECT_TRUE(test, mytcp_ts_recent_valid(true, 1000, 1000));
	KUNIT_EXPECT_TRUE(test, mytcp_ts_recent_valid(true, 1000,
						      1000 + 24 * day));
	KUNIT_EXPECT_FALSE(test, mytcp_ts_recent_valid(true, 1000,
						       1000 + 24 * day + 1));
	/* the seconds clock wrapping does not matter */
	KUNIT_EXPECT_TRUE(test, mytcp_ts_recent_valid(true, 0xfffffff0, 10));
	/* so an old duplicate after 25 idle days is let through */
	KUNIT_EXPECT_FALSE(test,
			   mytcp_paws_reject(5, 100,
					     mytcp_ts_recent_valid(true, 0,
								   25 * day)));
}

/*
 * RFC 7323 section 4.3, (2): SEG.TSval >= TS.Recent and SEG.SEQ <=
 * Last.ACK.sent.  Last.ACK.sent = 1000 throughout.
 */
static void tstamp_recent_rule(struct kunit *test)
{
	/* at Last.ACK.sent, newer or equal TSval: taken */
	KUNIT_EXPECT_TRUE(test, mytcp_ts_recent_update_ok(1000, 1000, 50, 40,
							  true));
	KUNIT_EXPECT_TRUE(test, mytcp_ts_recent_update_ok(1000, 1000, 40, 40,
							  true));
	/* before it (a retransmission of acknowledged data): taken */
	KUNIT_EXPECT_TRUE(test, mytcp_ts_recent_update_ok(500, 1000, 50, 40,
							  true));
	/* beyond it (a later segment of a delayed-ACK pair): ignored */
	KUNIT_EXPECT_FALSE(test, mytcp_ts_recent_update_ok(1001, 1000, 50, 40,
							   true));
	KUNIT_EXPECT_FALSE(test, mytcp_ts_recent_update_ok(2448, 1000, 50, 40,
							   true));
	/* an older TSval: ignored, however placed */
	KUNIT_EXPECT_FALSE(test, mytcp_ts_recent_update_ok(1000, 1000, 39, 40,
							   true));
	/* an invalid TS.Recent takes any TSval at or before the edge */
	KUNIT_EXPECT_TRUE(test, mytcp_ts_recent_update_ok(1000, 1000, 39, 40,
							  false));
	KUNIT_EXPECT_FALSE(test, mytcp_ts_recent_update_ok(1001, 1000, 39, 40,
							   false));
	/* sequence numbers across the wrap: 0xfffffff0 is before 0x10 */
	KUNIT_EXPECT_TRUE(test, mytcp_ts_recent_update_ok(0xfffffff0, 0x10,
							  50, 40, true));
	KUNIT_EXPECT_FALSE(test, mytcp_ts_recent_update_ok(0x10, 0xfffffff0,
							   50, 40, true));
}

/* RFC 7323 section 4.1: RTT = now - TSecr, in clock ticks (ms) */
static void tstamp_rtt(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_ts_rtt_ms(1000, 990), 10LL);
	KUNIT_EXPECT_EQ(test, mytcp_ts_rtt_ms(1000, 1000), 0LL);
	/* across the wrap: 5 - 0xfffffffb = 10 */
	KUNIT_EXPECT_EQ(test, mytcp_ts_rtt_ms(5, 0xfffffffb), 10LL);
	/* a TSecr from our future was never ours */
	KUNIT_EXPECT_EQ(test, mytcp_ts_rtt_ms(1000, 1001), -1LL);
}

/*
 * RFC 7323 section 3.2: kind 8, length 10, after two NOPs; on a SYN after
 * the MSS and before NOP + window scale (as Linux's layout).
 */
static void tstamp_option_wire(struct kunit *test)
{
	static const u8 syn_wire[] = {
		2, 4, 0x05, 0xb4,
		1, 1, 8, 10, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0,
		1, 3, 3, 7,
	};
	static const u8 ack_wire[] = {
		1, 1, 8, 10, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04,
	};
	struct mytcp_opts in = {
		.mss = 1460, .wscale = 7, .wscale_ok = true,
		.ts_ok = true, .tsval = 0x01020304, .tsecr = 0,
	};
	struct mytcp_opts out;
	u8 buf[40];
	unsigned int n;

	memset(buf, 0xee, sizeof(buf));
	n = mytcp_write_syn_options(buf, &in);
	KUNIT_EXPECT_EQ(test, n, mytcp_syn_options_len(&in));
	KUNIT_ASSERT_EQ(test, n, (unsigned int)sizeof(syn_wire));
	KUNIT_EXPECT_EQ(test, memcmp(buf, syn_wire, n), 0);
	KUNIT_EXPECT_EQ(test, buf[n], 0xee);
	KUNIT_EXPECT_EQ(test, mytcp_parse_options(buf, n, true, &out), 0);
	KUNIT_EXPECT_TRUE(test, out.ts_ok);
	KUNIT_EXPECT_EQ(test, out.tsval, 0x01020304U);
	KUNIT_EXPECT_EQ(test, out.tsecr, 0U);
	KUNIT_EXPECT_EQ(test, out.mss, 1460);

	/* a data segment or an ACK: the timestamps alone, 12 octets */
	memset(&in, 0, sizeof(in));
	in.ts_ok = true;
	in.tsval = 0xdeadbeef;
	in.tsecr = 0x01020304;
	n = mytcp_write_syn_options(buf, &in);
	KUNIT_ASSERT_EQ(test, n, (unsigned int)MYTCP_TS_OPT_LEN);
	KUNIT_EXPECT_EQ(test, memcmp(buf, ack_wire, n), 0);
	KUNIT_EXPECT_EQ(test, mytcp_parse_options(buf, n, false, &out), 0);
	KUNIT_EXPECT_TRUE(test, out.ts_ok);
	KUNIT_EXPECT_EQ(test, out.tsval, 0xdeadbeefU);
	KUNIT_EXPECT_EQ(test, out.tsecr, 0x01020304U);
	KUNIT_EXPECT_EQ(test, out.mss, 0);
}

/* A TSopt with a wrong length makes the option list malformed */
static void tstamp_option_bad_len(struct kunit *test)
{
	static const u8 short_ts[] = { 8, 8, 0, 0, 0, 1, 0, 0 };
	static const u8 long_ts[] = { 8, 11, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0 };
	static const u8 cut_ts[] = { 1, 1, 8, 10, 0, 0, 0, 1 };
	struct mytcp_opts out;

	KUNIT_EXPECT_EQ(test, mytcp_parse_options(short_ts, sizeof(short_ts),
						  false, &out), -EINVAL);
	KUNIT_EXPECT_EQ(test, mytcp_parse_options(long_ts, sizeof(long_ts),
						  false, &out), -EINVAL);
	KUNIT_EXPECT_EQ(test, mytcp_parse_options(cut_ts, sizeof(cut_ts),
						  false, &out), -EINVAL);
}

static struct kunit_case tstamp_test_cases[] = {
	KUNIT_CASE(tstamp_clock),
	KUNIT_CASE(tstamp_before),
	KUNIT_CASE(tstamp_paws),
	KUNIT_CASE(tstamp_24_days),
	KUNIT_CASE(tstamp_recent_rule),
	KUNIT_CASE(tstamp_rtt),
	KUNIT_CASE(tstamp_option_wire),
	KUNIT_CASE(tstamp_option_bad_len),
	{}
};

static struct kunit_suite tstamp_test_suite = {
	.name = "mytcp_tstamp",
	.test_cases = tstamp_test_cases,
};

kunit_test_suite(tstamp_test_suite);
