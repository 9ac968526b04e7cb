// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the SYN cookies of isn.c: mytcp_cookie_make() and
 * mytcp_cookie_check() with fixed keys and periods.  A cookie is the ISS of
 * a SYN+ACK sent without a request entry (RFC 4987 section 3.6); it must
 * come back, as SEG.ACK - 1 of an ACK with SEG.SEQ - 1 = IRS (RFC 9293
 * section 3.5), for the same 4-tuple and IRS within the period it was made
 * in or the next, and it carries the peer's MSS (RFC 9293 section 3.7.1,
 * rounded down to a table entry) and window scale (RFC 7323 section 2.2).
 * The 32 bits, from isn.c:
 *   31..8  hash (24 bits)   7  t mod 2   6..3  wscale, 15 for none   2..0  MSS
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/siphash.h>

#include "isn.h"

static const siphash_key_t key_a = {{ 0x0706050403020100ULL,
				      0x0f0e0d0c0b0a0908ULL }};
static const siphash_key_t key_b = {{ 0x0706050403020100ULL,
				      0x0f0e0d0c0b0a0909ULL }};

#define LADDR	htonl(0x0a000001)	/* 10.0.0.1, the listener */
#define RADDR	htonl(0x0a000002)	/* 10.0.0.2, the peer */
#define LPORT	80
#define RPORT	40000
#define IRS	0x12345678U
#define T	1005U		/* a 64-second period; 1005 mod 8 = 5 */

static const struct mytcp_cookie_info info_1460 = {
	.mss = 1460, .wscale_ok = true, .wscale = 7,
};

static u32 make(u32 irs, u32 t, const struct mytcp_cookie_info *info)
{
	return mytcp_cookie_make(&key_a, LADDR, RADDR, htons(LPORT),
				 htons(RPORT), irs, t, info);
}

static bool check(u32 irs, u32 cookie, u32 now_t,
		  struct mytcp_cookie_info *info)
{
	return mytcp_cookie_check(&key_a, LADDR, RADDR, htons(LPORT),
				  htons(RPORT), irs, cookie, now_t, info);
}

/* Checked in the period it was made in, it gives back what it carries. */
static void cookie_same_period(struct kunit *test)
{
	struct mytcp_cookie_info got = { };
	u32 c = make(IRS, T, &info_1460);

	KUNIT_ASSERT_TRUE(test, check(IRS, c, T, &got));
	KUNIT_EXPECT_EQ(test, got.mss, 1460);
	KUNIT_EXPECT_TRUE(test, got.wscale_ok);
	KUNIT_EXPECT_EQ(test, got.wscale, 7);
}

/*
 * The layout of isn.c, by hand for MSS 1460 (index 4 of 536, 1200, 1360,
 * 1440, 1460, ...), wscale 7 with wscale_ok, period 1005 (odd):
 *   low byte = 1 << 7 | 7 << 3 | 4 = 0xbc; without window scaling
 *   1 << 7 | 15 << 3 | 4 = 0xfc.
 */
static void cookie_layout(struct kunit *test)
{
	struct mytcp_cookie_info none = { .mss = 1460, .wscale_ok = false };
	u32 c = make(IRS, T, &info_1460);

	KUNIT_EXPECT_EQ(test, c & 0xff, 0xbcU);
	KUNIT_EXPECT_EQ(test, make(IRS, T, &none) & 0xff, 0xfcU);
	KUNIT_EXPECT_EQ(test, make(IRS, T + 1, &info_1460) & 0xff, 0x3cU);
	/* the hash depends on the period, the low bits only on its parity */
	KUNIT_EXPECT_NE(test, make(IRS, T + 2, &info_1460) >> 8, c >> 8);
	KUNIT_EXPECT_EQ(test, make(IRS, T + 2, &info_1460) & 0xff, c & 0xff);
}

/*
 * The bit budget (design.md, "SYN cookies"): 3 bits of MSS index, 4 of
 * window scale (15 values and "none"), 1 of period parity; the other 24
 * are MAC.  Over 4096 SYNs that differ only in their IRS, each of bits
 * 31..8 must be seen both set and clear (a period or flag bit there would
 * be constant), while bits 7..0 never change: an ACK forged for one
 * connection is accepted with probability 2^-24.
 */
static void cookie_mac_is_24_bits(struct kunit *test)
{
	u32 ones = 0, zeros = 0, low = make(IRS, T, &info_1460) & 0xff;
	u32 i, c;

	for (i = 0; i < 4096; i++) {
		c = make(IRS + i * 0x9e3779b9U, T, &info_1460);
		ones |= c;
		zeros |= ~c;
		KUNIT_EXPECT_EQ(test, c & 0xff, low);
	}
	KUNIT_EXPECT_EQ(test, ones >> 8, 0xffffffU);
	KUNIT_EXPECT_EQ(test, zeros >> 8, 0xffffffU);
}

/*
 * Good for the period it was made in and the next (a SYN+ACK sent at the
 * end of a period still has a whole period to come back), no longer: two
 * to nine periods later fails, every second one although t mod 2 is the
 * same again, and so does a period before the one it was made in.
 */
static void cookie_periods(struct kunit *test)
{
	struct mytcp_cookie_info got;
	u32 c = make(IRS, T, &info_1460);
	u32 n;

	KUNIT_EXPECT_TRUE(test, check(IRS, c, T + 1, &got));
	KUNIT_EXPECT_EQ(test, got.mss, 1460);
	for (n = 2; n <= 9; n++)
		KUNIT_EXPECT_FALSE_MSG(test, check(IRS, c, T + n, &got),
				       "%u periods later", n);
	KUNIT_EXPECT_FALSE(test, check(IRS, c, T - 1, &got));
}

/* The period counter wraps: made in 2^32 - 1, good in 0, not in 1. */
static void cookie_period_wraps(struct kunit *test)
{
	struct mytcp_cookie_info got;
	u32 c = make(IRS, U32_MAX, &info_1460);

	KUNIT_EXPECT_TRUE(test, check(IRS, c, U32_MAX, &got));
	KUNIT_EXPECT_TRUE(test, check(IRS, c, 0, &got));
	KUNIT_EXPECT_FALSE(test, check(IRS, c, 1, &got));

	c = make(IRS, 7, &info_1460);
	KUNIT_EXPECT_TRUE(test, check(IRS, c, 8, &got));
}

/*
 * The hash covers the whole 4-tuple, the IRS and the key: a cookie is not
 * good for another connection, nor for the reverse direction.
 */
static void cookie_other_connection(struct kunit *test)
{
	struct mytcp_cookie_info got;
	u32 c = make(IRS, T, &info_1460);

	KUNIT_EXPECT_FALSE(test, check(IRS + 1, c, T, &got));
	KUNIT_EXPECT_FALSE(test, check(IRS - 1, c, T, &got));
	KUNIT_EXPECT_FALSE(test, mytcp_cookie_check(&key_a, LADDR, RADDR,
						    htons(LPORT + 1),
						    htons(RPORT), IRS, c, T,
						    &got));
	KUNIT_EXPECT_FALSE(test, mytcp_cookie_check(&key_a, LADDR, RADDR,
						    htons(LPORT),
						    htons(RPORT + 1), IRS, c,
						    T, &got));
	KUNIT_EXPECT_FALSE(test, mytcp_cookie_check(&key_a,
						    htonl(0x0a000003), RADDR,
						    htons(LPORT), htons(RPORT),
						    IRS, c, T, &got));
	KUNIT_EXPECT_FALSE(test, mytcp_cookie_check(&key_a, LADDR,
						    htonl(0x0a000003),
						    htons(LPORT), htons(RPORT),
						    IRS, c, T, &got));
	KUNIT_EXPECT_FALSE(test, mytcp_cookie_check(&key_a, RADDR, LADDR,
						    htons(RPORT), htons(LPORT),
						    IRS, c, T, &got));
	KUNIT_EXPECT_FALSE(test, mytcp_cookie_check(&key_b, LADDR, RADDR,
						    htons(LPORT), htons(RPORT),
						    IRS, c, T, &got));
}

/* Any one bit of the hash or of the period flipped: not a cookie. */
static void cookie_flip_hash_bits(struct kunit *test)
{
	struct mytcp_cookie_info got;
	u32 c = make(IRS, T, &info_1460);
	int bit;

	for (bit = 8; bit < 32; bit++)
		KUNIT_EXPECT_FALSE_MSG(test, check(IRS, c ^ BIT(bit), T, &got),
				       "bit %d flipped", bit);
}

/*
 * Any one bit of what the cookie carries flipped: not a cookie either.
 * Otherwise the connection rebuilt from it gets an MSS or a window scale
 * the SYN never announced (up to 65483, or a shift of 15, beyond the 14
 * of RFC 7323 section 2.3).
 */
static void cookie_flip_info_bits(struct kunit *test)
{
	struct mytcp_cookie_info got;
	u32 c = make(IRS, T, &info_1460);
	int bit;

	for (bit = 0; bit < 8; bit++)
		KUNIT_EXPECT_FALSE_MSG(test, check(IRS, c ^ BIT(bit), T, &got),
				       "bit %d flipped", bit);
}

/*
 * RFC 9293 section 3.7.1: the MSS comes back rounded down to the table
 * (536, 1200, 1360, 1440, 1460, 4312, 8960, 65483); below the first entry
 * it is 536, the default of RFC 9293 section 3.7.1 (RFC 6691).
 */
struct mss_case {
	u16 syn;	/* announced in the SYN */
	u16 back;	/* carried back */
	u32 idx;	/* bits 2..0 */
};

static const struct mss_case mss_cases[] = {
	{ 1460, 1460, 4 }, { 1400, 1360, 2 }, { 100, 536, 0 },
	{ 535, 536, 0 }, { 536, 536, 0 }, { 1199, 536, 0 },
	{ 1200, 1200, 1 }, { 1439, 1360, 2 }, { 1440, 1440, 3 },
	{ 1461, 1460, 4 }, { 4312, 4312, 5 }, { 9000, 8960, 6 },
	{ 65483, 65483, 7 }, { 65535, 65483, 7 },
};

static void cookie_mss_rounds_down(struct kunit *test)
{
	struct mytcp_cookie_info in = { .wscale_ok = false };
	struct mytcp_cookie_info got;
	int i;
	u32 c;

	for (i = 0; i < ARRAY_SIZE(mss_cases); i++) {
		in.mss = mss_cases[i].syn;
		c = make(IRS, T, &in);
		KUNIT_EXPECT_EQ_MSG(test, c & 7, mss_cases[i].idx, "MSS %u",
				    in.mss);
		KUNIT_EXPECT_TRUE_MSG(test, check(IRS, c, T, &got), "MSS %u",
				      in.mss);
		KUNIT_EXPECT_EQ_MSG(test, got.mss, mss_cases[i].back,
				    "MSS %u", in.mss);
	}
}

/*
 * RFC 7323 section 2.2: whether the SYN offered window scaling, and its
 * shift (0 to 14), both come back; without the option, no scaling (field
 * 15).  A shift above 14 comes back as 14 (RFC 7323 section 2.3).
 */
static void cookie_wscale_carried(struct kunit *test)
{
	static const struct mytcp_cookie_info ins[] = {
		{ .mss = 1460, .wscale_ok = false, .wscale = 0 },
		{ .mss = 1460, .wscale_ok = true, .wscale = 0 },
		{ .mss = 1460, .wscale_ok = true, .wscale = 1 },
		{ .mss = 1460, .wscale_ok = true, .wscale = 9 },
		{ .mss = 1460, .wscale_ok = true, .wscale = 14 },
		{ .mss = 1460, .wscale_ok = true, .wscale = 15 },
	};
	struct mytcp_cookie_info got;
	int i;
	u32 c;

	for (i = 0; i < ARRAY_SIZE(ins); i++) {
		u32 ws = ins[i].wscale_ok ? min_t(u32, ins[i].wscale, 14) : 0;

		c = make(IRS, T, &ins[i]);
		KUNIT_EXPECT_EQ(test, (c >> 3) & 0xf,
				ins[i].wscale_ok ? ws : 15U);
		KUNIT_ASSERT_TRUE(test, check(IRS, c, T + 1, &got));
		KUNIT_EXPECT_EQ_MSG(test, got.wscale_ok, ins[i].wscale_ok,
				    "case %d", i);
		KUNIT_EXPECT_EQ_MSG(test, got.wscale, ws, "case %d", i);
		KUNIT_EXPECT_EQ(test, got.mss, 1460);
	}
}

static struct kunit_case cookie_test_cases[] = {
	KUNIT_CASE(cookie_same_period),
	KUNIT_CASE(cookie_layout),
	KUNIT_CASE(cookie_mac_is_24_bits),
	KUNIT_CASE(cookie_periods),
	KUNIT_CASE(cookie_period_wraps),
	KUNIT_CASE(cookie_other_connection),
	KUNIT_CASE(cookie_flip_hash_bits),
	KUNIT_CASE(cookie_flip_info_bits),
	KUNIT_CASE(cookie_mss_rounds_down),
	KUNIT_CASE(cookie_wscale_carried),
	{}
};

static struct kunit_suite cookie_test_suite = {
	.name = "mytcp_cookie",
	.test_cases = cookie_test_cases,
};

kunit_test_suite(cookie_test_suite);
