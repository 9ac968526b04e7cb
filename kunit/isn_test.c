// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of isn.c: initial sequence numbers as RFC 6528 section 3
 * defines them, ISN = M + F(localip, localport, remoteip, remoteport,
 * secretkey), with M a clock ticking every 4 microseconds (RFC 9293
 * section 3.4.1).  The function is checked with fixed keys and times:
 * deterministic, sensitive to every field of the 4-tuple and to the key,
 * unpredictable from one port to the next, and advancing with time.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/siphash.h>
#include <linux/sort.h>
#include <net/ipv6.h>

#include "isn.h"

static const siphash_key_t key_a = {{ 0x0706050403020100ULL,
				      0x0f0e0d0c0b0a0908ULL }};
static const siphash_key_t key_b = {{ 0x0706050403020100ULL,
				      0x0f0e0d0c0b0a0909ULL }};

#define LADDR	htonl(0x7f000001)	/* 127.0.0.1 */
#define RADDR	htonl(0x7f000002)	/* 127.0.0.2 */
#define T0	1700000000123456789ULL	/* an arbitrary wall-clock time */

static u32 isn_at(const siphash_key_t *key, u16 sport, u16 dport, u64 t)
{
	return mytcp_isn_calc(key, LADDR, RADDR, htons(sport), htons(dport), t);
}

static void isn_deterministic(struct kunit *test)
{
	u32 a = isn_at(&key_a, 40000, 80, T0);

	KUNIT_EXPECT_EQ(test, isn_at(&key_a, 40000, 80, T0), a);
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, 40000, 80, T0), a);
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, 1, 2, 0), isn_at(&key_a, 1, 2, 0));
}

/* RFC 6528 section 3: every element of the 4-tuple goes into F. */
static void isn_each_field_counts(struct kunit *test)
{
	u32 base = isn_at(&key_a, 40000, 80, T0);

	KUNIT_EXPECT_NE(test, isn_at(&key_a, 40001, 80, T0), base);
	KUNIT_EXPECT_NE(test, isn_at(&key_a, 40000, 81, T0), base);
	KUNIT_EXPECT_NE(test, mytcp_isn_calc(&key_a, htonl(0x7f000003), RADDR,
					     htons(40000), htons(80), T0),
			base);
	KUNIT_EXPECT_NE(test, mytcp_isn_calc(&key_a, LADDR, htonl(0x7f000003),
					     htons(40000), htons(80), T0),
			base);
	/* the tuple is ordered: the reverse direction is another tuple */
	KUNIT_EXPECT_NE(test, mytcp_isn_calc(&key_a, RADDR, LADDR, htons(80),
					     htons(40000), T0),
			base);
	KUNIT_EXPECT_NE(test, isn_at(&key_a, 80, 40000, T0), base);
}

static int cmp_u32(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

#define NTUPLES 1000

/*
 * 1000 connections from successive local ports at one instant: 1000
 * random 32-bit values collide with probability about 1e-4, so with
 * these fixed keys any collision is a defect.  The step from one port to
 * the next must not be constant (RFC 6528 section 1: not predictable from
 * a neighbour's ISN).
 */
static void isn_spread_over_ports(struct kunit *test)
{
	u32 *v = kunit_kmalloc_array(test, NTUPLES, sizeof(*v), GFP_KERNEL);
	u32 *d = kunit_kmalloc_array(test, NTUPLES, sizeof(*d), GFP_KERNEL);
	unsigned int i, same_step = 0, dup = 0, distinct_steps = 1;
	unsigned int high = 0;

	KUNIT_ASSERT_NOT_NULL(test, v);
	KUNIT_ASSERT_NOT_NULL(test, d);
	for (i = 0; i < NTUPLES; i++) {
		v[i] = isn_at(&key_a, 32768 + i, 5001, T0);
		high += v[i] >> 31;
	}
	for (i = 1; i < NTUPLES; i++) {
		d[i - 1] = v[i] - v[i - 1];
		if (i > 1 && d[i - 1] == d[i - 2])
			same_step++;
	}
	KUNIT_EXPECT_LT(test, same_step, 3U);

	sort(d, NTUPLES - 1, sizeof(*d), cmp_u32, NULL);
	for (i = 1; i < NTUPLES - 1; i++)
		distinct_steps += d[i] != d[i - 1];
	KUNIT_EXPECT_GT(test, distinct_steps, NTUPLES - 10);

	sort(v, NTUPLES, sizeof(*v), cmp_u32, NULL);
	for (i = 1; i < NTUPLES; i++)
		dup += v[i] == v[i - 1];
	KUNIT_EXPECT_EQ(test, dup, 0U);
	/* the top bit is set about half the time (binomial sd ~16) */
	KUNIT_EXPECT_GT(test, high, 400U);
	KUNIT_EXPECT_LT(test, high, 600U);
}

/* M ticks once per 4 microseconds, for a given tuple. */
static void isn_clock(struct kunit *test)
{
	u32 base = isn_at(&key_a, 40000, 80, 0);

	KUNIT_EXPECT_EQ(test, isn_at(&key_a, 40000, 80, 3999), base);
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, 40000, 80, 4000), base + 1);
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, 40000, 80, 7999), base + 1);
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, 40000, 80, 8000), base + 2);
	/* one second is 250000 ticks */
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, 40000, 80, 1000000000ULL),
			base + 250000);
	/* from an arbitrary time: +4 ms is +1000 */
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, 40000, 80, T0 + 4000000) -
			isn_at(&key_a, 40000, 80, T0), 1000U);
	/*
	 * M wraps every 2^32 * 4 us (about 4.77 hours): the same ISN
	 * comes back, and the step across the wrap is still 1.
	 */
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, 40000, 80, 4000ULL << 32), base);
	KUNIT_EXPECT_EQ(test, isn_at(&key_a, 40000, 80, (4000ULL << 32) - 1),
			base - 1);
}

/* The key is the secret: another key, other ISNs. */
static void isn_key_matters(struct kunit *test)
{
	unsigned int i, same = 0;

	for (i = 0; i < 100; i++)
		same += isn_at(&key_a, 40000 + i, 80, T0) ==
			isn_at(&key_b, 40000 + i, 80, T0);
	KUNIT_EXPECT_EQ(test, same, 0U);
}

/*
 * mytcp_isn() itself: a key drawn once, the real clock.  Two calls for
 * one tuple, 2 ms apart, differ by the ticks between them (500 for
 * 2 ms; allow for a slow host, not for a new key or a frozen clock).
 */
static void isn_real_clock(struct kunit *test)
{
	struct in6_addr l, r;
	u32 a, b, other;

	ipv6_addr_set_v4mapped(LADDR, &l);
	ipv6_addr_set_v4mapped(RADDR, &r);
	a = mytcp_isn(&l, &r, htons(40000), htons(80));
	other = mytcp_isn(&l, &r, htons(40001), htons(80));
	usleep_range(2000, 2100);
	b = mytcp_isn(&l, &r, htons(40000), htons(80));
	KUNIT_EXPECT_GE(test, b - a, 500U);
	KUNIT_EXPECT_LT(test, b - a, 250000U * 10);
	/* another tuple at the same instant has its own offset */
	KUNIT_EXPECT_NE(test, other, a);
}

static struct kunit_case isn_test_cases[] = {
	KUNIT_CASE(isn_deterministic),
	KUNIT_CASE(isn_each_field_counts),
	KUNIT_CASE(isn_spread_over_ports),
	KUNIT_CASE(isn_clock),
	KUNIT_CASE(isn_key_matters),
	KUNIT_CASE(isn_real_clock),
	{}
};

static struct kunit_suite isn_test_suite = {
	.name = "mytcp_isn",
	.test_cases = isn_test_cases,
};

kunit_test_suite(isn_test_suite);
