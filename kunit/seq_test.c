// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of seq.h: sequence number comparison in the 32-bit space
 * that wraps (RFC 9293 section 3.4), including the wrap at 2^32, equal
 * values and the largest distance at which "before" is still defined,
 * 2^31 - 1.
 */
#include <kunit/test.h>

#include "seq.h"

/* RFC 9293 section 3.4: comparisons are modulo 2^32. */
static void seq_before_after_plain(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, mytcp_seq_before(1, 2));
	KUNIT_EXPECT_FALSE(test, mytcp_seq_before(2, 1));
	KUNIT_EXPECT_TRUE(test, mytcp_seq_after(2, 1));
	KUNIT_EXPECT_FALSE(test, mytcp_seq_after(1, 2));
	KUNIT_EXPECT_TRUE(test, mytcp_seq_before(1000, 100000));
	KUNIT_EXPECT_TRUE(test, mytcp_seq_after(100000, 1000));
}

static void seq_equal_is_neither(struct kunit *test)
{
	static const u32 v[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff };
	int i;

	for (i = 0; i < ARRAY_SIZE(v); i++) {
		KUNIT_EXPECT_FALSE(test, mytcp_seq_before(v[i], v[i]));
		KUNIT_EXPECT_FALSE(test, mytcp_seq_after(v[i], v[i]));
		KUNIT_EXPECT_TRUE(test, mytcp_seq_between(v[i], v[i], v[i]));
		KUNIT_EXPECT_EQ(test, mytcp_seq_min(v[i], v[i]), v[i]);
		KUNIT_EXPECT_EQ(test, mytcp_seq_max(v[i], v[i]), v[i]);
	}
}

/* 0xffffffff is followed by 0: the numbers after the wrap are "after". */
static void seq_across_wrap(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, mytcp_seq_before(0xffffffff, 0));
	KUNIT_EXPECT_TRUE(test, mytcp_seq_after(0, 0xffffffff));
	KUNIT_EXPECT_TRUE(test, mytcp_seq_before(0xfffffff0, 0x10));
	KUNIT_EXPECT_FALSE(test, mytcp_seq_after(0xfffffff0, 0x10));
	KUNIT_EXPECT_TRUE(test, mytcp_seq_after(0x10, 0xfffffff0));
	KUNIT_EXPECT_FALSE(test, mytcp_seq_before(0x10, 0xfffffff0));
}

/*
 * The comparison is by the sign of the 32-bit difference: it holds up to
 * a distance of 2^31 - 1 in either direction, whatever the base.
 */
static void seq_max_distance(struct kunit *test)
{
	static const u32 base[] = { 0, 1, 0x7fffffff, 0x80000000,
				    0xfffffffe, 0xffffffff, 0x12345678 };
	const u32 d = 0x7fffffff;
	int i;

	for (i = 0; i < ARRAY_SIZE(base); i++) {
		u32 a = base[i];

		KUNIT_EXPECT_TRUE(test, mytcp_seq_before(a, a + d));
		KUNIT_EXPECT_TRUE(test, mytcp_seq_after(a + d, a));
		KUNIT_EXPECT_FALSE(test, mytcp_seq_after(a, a + d));
		KUNIT_EXPECT_TRUE(test, mytcp_seq_after(a, a - d));
		KUNIT_EXPECT_TRUE(test, mytcp_seq_before(a - d, a));
		/* One further and the order flips: a + 2^31 + 1 is before a. */
		KUNIT_EXPECT_TRUE(test, mytcp_seq_before(a + d + 2, a));
	}
}

/* seq_between() is inclusive at both ends, and measured from @lo. */
static void seq_between_edges(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, mytcp_seq_between(10, 10, 20));
	KUNIT_EXPECT_TRUE(test, mytcp_seq_between(20, 10, 20));
	KUNIT_EXPECT_TRUE(test, mytcp_seq_between(15, 10, 20));
	KUNIT_EXPECT_FALSE(test, mytcp_seq_between(9, 10, 20));
	KUNIT_EXPECT_FALSE(test, mytcp_seq_between(21, 10, 20));
}

static void seq_between_wrap(struct kunit *test)
{
	const u32 lo = 0xfffffff0, hi = 0x0f;

	KUNIT_EXPECT_TRUE(test, mytcp_seq_between(lo, lo, hi));
	KUNIT_EXPECT_TRUE(test, mytcp_seq_between(0xffffffff, lo, hi));
	KUNIT_EXPECT_TRUE(test, mytcp_seq_between(0, lo, hi));
	KUNIT_EXPECT_TRUE(test, mytcp_seq_between(hi, lo, hi));
	KUNIT_EXPECT_FALSE(test, mytcp_seq_between(lo - 1, lo, hi));
	KUNIT_EXPECT_FALSE(test, mytcp_seq_between(hi + 1, lo, hi));
	KUNIT_EXPECT_FALSE(test, mytcp_seq_between(0x80000000, lo, hi));
}

static void seq_min_max(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_seq_max(1, 2), 2U);
	KUNIT_EXPECT_EQ(test, mytcp_seq_max(2, 1), 2U);
	KUNIT_EXPECT_EQ(test, mytcp_seq_min(1, 2), 1U);
	KUNIT_EXPECT_EQ(test, mytcp_seq_min(2, 1), 1U);
	/* Across the wrap the later number is the numerically smaller one. */
	KUNIT_EXPECT_EQ(test, mytcp_seq_max(0xfffffffe, 3), 3U);
	KUNIT_EXPECT_EQ(test, mytcp_seq_max(3, 0xfffffffe), 3U);
	KUNIT_EXPECT_EQ(test, mytcp_seq_min(0xfffffffe, 3), 0xfffffffeU);
	KUNIT_EXPECT_EQ(test, mytcp_seq_min(3, 0xfffffffe), 0xfffffffeU);
	KUNIT_EXPECT_EQ(test, mytcp_seq_max(0x100, 0x100U + 0x7fffffff),
			0x100U + 0x7fffffff);
}

static struct kunit_case seq_test_cases[] = {
	KUNIT_CASE(seq_before_after_plain),
	KUNIT_CASE(seq_equal_is_neither),
	KUNIT_CASE(seq_across_wrap),
	KUNIT_CASE(seq_max_distance),
	KUNIT_CASE(seq_between_edges),
	KUNIT_CASE(seq_between_wrap),
	KUNIT_CASE(seq_min_max),
	{}
};

static struct kunit_suite seq_test_suite = {
	.name = "mytcp_seq",
	.test_cases = seq_test_cases,
};

kunit_test_suite(seq_test_suite);
