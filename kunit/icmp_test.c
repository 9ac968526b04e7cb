// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of icmp.h: which quoted sequence numbers an ICMP error may
 * name (RFC 5927 section 4.1), the MSS a path MTU allows (RFC 1191
 * section 3, with the floors of RFC 791 and MYTCP_MIN_SND_MSS), and what
 * each ICMP type and code means, with the errnos Linux's TCP gives.
 */
#include <kunit/test.h>
#include <linux/kernel.h>

#include "icmp.h"

/* SND.UNA =< SEG.SEQ =< SND.MAX, both edges in, also across 2^32 */
static void icmp_seq_window(struct kunit *test)
{
	static const u32 bases[] = { 0, 1000, 0x7fffffff, 0xfffffff0U };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		u32 una = bases[i], max = bases[i] + 0x20;

		KUNIT_EXPECT_TRUE(test, mytcp_icmp_seq_ok(una, max, una));
		KUNIT_EXPECT_TRUE(test, mytcp_icmp_seq_ok(una, max, una + 1));
		KUNIT_EXPECT_TRUE(test, mytcp_icmp_seq_ok(una, max, max));
		KUNIT_EXPECT_FALSE(test, mytcp_icmp_seq_ok(una, max, una - 1));
		KUNIT_EXPECT_FALSE(test, mytcp_icmp_seq_ok(una, max, max + 1));
		/* half the sequence space away: always outside */
		KUNIT_EXPECT_FALSE(test, mytcp_icmp_seq_ok(una, max,
							   una + 0x80000000U));
	}
}

/* nothing in flight: only SND.UNA itself (a bare ACK carries it) */
static void icmp_seq_idle(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, mytcp_icmp_seq_ok(5000, 5000, 5000));
	KUNIT_EXPECT_FALSE(test, mytcp_icmp_seq_ok(5000, 5000, 5001));
	KUNIT_EXPECT_FALSE(test, mytcp_icmp_seq_ok(5000, 5000, 4999));
}

/* MTU - 40 (20 of IP, 20 of header), floors at 68 and 48, cap 65535 */
static void icmp_mss_for_mtu(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_mss_for_mtu(1500), 1460);
	KUNIT_EXPECT_EQ(test, mytcp_mss_for_mtu(1280), 1240);
	KUNIT_EXPECT_EQ(test, mytcp_mss_for_mtu(576), 536);
	KUNIT_EXPECT_EQ(test, mytcp_mss_for_mtu(552), 512);
	/* 88 - 40 = 48: the smallest MSS used */
	KUNIT_EXPECT_EQ(test, mytcp_mss_for_mtu(88), 48);
	KUNIT_EXPECT_EQ(test, mytcp_mss_for_mtu(87), 48);
	KUNIT_EXPECT_EQ(test, mytcp_mss_for_mtu(68), 48);
	/* below RFC 791's 68, and the 0 of an old router: no underflow */
	KUNIT_EXPECT_EQ(test, mytcp_mss_for_mtu(40), 48);
	KUNIT_EXPECT_EQ(test, mytcp_mss_for_mtu(0), 48);
	/* loopback's 65536 as connect() computes it: 65496 */
	KUNIT_EXPECT_EQ(test, mytcp_mss_for_mtu(65536), 65496);
	KUNIT_EXPECT_EQ(test, mytcp_mss_for_mtu(U32_MAX), 65535);
}

struct classify_case {
	u8 type;
	u8 code;
	enum mytcp_icmp_action action;
	int err;
};

static const struct classify_case classify_cases[] = {
	{ ICMP_DEST_UNREACH, ICMP_NET_UNREACH, MYTCP_ICMP_ERROR, ENETUNREACH },
	{ ICMP_DEST_UNREACH, ICMP_HOST_UNREACH, MYTCP_ICMP_ERROR, EHOSTUNREACH },
	{ ICMP_DEST_UNREACH, ICMP_PROT_UNREACH, MYTCP_ICMP_ERROR, ENOPROTOOPT },
	{ ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, MYTCP_ICMP_ERROR, ECONNREFUSED },
	{ ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, MYTCP_ICMP_FRAG_NEEDED, 0 },
	{ ICMP_DEST_UNREACH, ICMP_SR_FAILED, MYTCP_ICMP_ERROR, EOPNOTSUPP },
	{ ICMP_DEST_UNREACH, ICMP_HOST_UNKNOWN, MYTCP_ICMP_ERROR, EHOSTDOWN },
	{ ICMP_DEST_UNREACH, ICMP_HOST_ISOLATED, MYTCP_ICMP_ERROR, ENONET },
	{ ICMP_DEST_UNREACH, ICMP_PKT_FILTERED, MYTCP_ICMP_ERROR, EHOSTUNREACH },
	{ ICMP_DEST_UNREACH, ICMP_PREC_CUTOFF, MYTCP_ICMP_ERROR, EHOSTUNREACH },
	/* codes beyond the last known one are ignored */
	{ ICMP_DEST_UNREACH, NR_ICMP_UNREACH + 1, MYTCP_ICMP_IGNORE, 0 },
	{ ICMP_DEST_UNREACH, 255, MYTCP_ICMP_IGNORE, 0 },
	{ ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, MYTCP_ICMP_ERROR, EHOSTUNREACH },
	{ ICMP_PARAMETERPROB, 0, MYTCP_ICMP_ERROR, EPROTO },
	/* RFC 6633: source quench is ignored; so is a redirect */
	{ ICMP_SOURCE_QUENCH, 0, MYTCP_ICMP_IGNORE, 0 },
	{ ICMP_REDIRECT, ICMP_REDIR_HOST, MYTCP_ICMP_IGNORE, 0 },
	{ ICMP_ECHOREPLY, 0, MYTCP_ICMP_IGNORE, 0 },
	{ 200, 0, MYTCP_ICMP_IGNORE, 0 },
};

static void icmp_classify(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(classify_cases); i++) {
		const struct classify_case *c = &classify_cases[i];
		int err = -1;

		KUNIT_EXPECT_EQ_MSG(test, mytcp_icmp_classify(c->type, c->code,
							      &err),
				    c->action, "type %u code %u", c->type,
				    c->code);
		KUNIT_EXPECT_EQ_MSG(test, err, c->err, "type %u code %u",
				    c->type, c->code);
	}
}

/* every unreachable code up to NR_ICMP_UNREACH has an errno but one */
static void icmp_classify_all_unreach(struct kunit *test)
{
	unsigned int code;

	for (code = 0; code <= NR_ICMP_UNREACH; code++) {
		int err;
		enum mytcp_icmp_action a =
			mytcp_icmp_classify(ICMP_DEST_UNREACH, code, &err);

		if (code == ICMP_FRAG_NEEDED) {
			KUNIT_EXPECT_EQ(test, a, MYTCP_ICMP_FRAG_NEEDED);
			continue;
		}
		KUNIT_EXPECT_EQ_MSG(test, a, MYTCP_ICMP_ERROR, "code %u", code);
		KUNIT_EXPECT_GT_MSG(test, err, 0, "code %u", code);
	}
}

static struct kunit_case icmp_test_cases[] = {
	KUNIT_CASE(icmp_seq_window),
	KUNIT_CASE(icmp_seq_idle),
	KUNIT_CASE(icmp_mss_for_mtu),
	KUNIT_CASE(icmp_classify),
	KUNIT_CASE(icmp_classify_all_unreach),
	{}
};

static struct kunit_suite icmp_test_suite = {
	.name = "mytcp_icmp",
	.test_cases = icmp_test_cases,
};

kunit_test_suite(icmp_test_suite);
