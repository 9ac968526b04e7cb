// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the pure parts of GSO (offload.c, output.c, header.c):
 * the size goal of a send skb, how much of an skb one transmission takes,
 * the header of each piece of a segmented skb (its own sequence number,
 * PSH and FIN on the last only, RFC 9293 section 3.1), and the pseudo-
 * header seed a CHECKSUM_PARTIAL segment carries.  Expected values are
 * worked out by hand in the comments.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/skbuff.h>

#include "protocol.h"

/* Without GSO, or with one segment per skb, the goal is one MSS. */
static void gso_goal_no_gso(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_gso_goal(1448, 65000, 65535, false), 1448U);
	KUNIT_EXPECT_EQ(test, mytcp_gso_goal(1448, 65000, 1, true), 1448U);
	KUNIT_EXPECT_EQ(test, mytcp_gso_goal(1448, 65000, 0, true), 1448U);
}

/*
 * With GSO: whole MSS up to the size.  MSS 1460, size 65215 (lo, veth:
 * 65536 - MAX_TCP_HEADER - 1): 44 segments, 64240 bytes.  Capped by the
 * segment count (8 segments: 11680) and by MYTCP_GSO_MAX_DATA.
 */
static void gso_goal_gso(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, mytcp_gso_goal(1460, 65215, 65535, true), 64240U);
	KUNIT_EXPECT_EQ(test, mytcp_gso_goal(1460, 65215, 8, true), 11680U);
	KUNIT_EXPECT_LE(test, mytcp_gso_goal(536, 1 << 20, 65535, true),
			(u32)MYTCP_GSO_MAX_DATA);
	KUNIT_EXPECT_EQ(test, mytcp_gso_goal(536, 1 << 20, 65535, true) % 536,
			0U);
	/* a size below one MSS still gives one MSS */
	KUNIT_EXPECT_EQ(test, mytcp_gso_goal(1460, 1000, 65535, true), 1460U);
}

/*
 * mytcp_xmit_cap(len, skb_len, mss, goal): the window allows len.  A
 * whole skb that fits goes whole; a cut one is cut at whole MSS.
 */
static void xmit_cap(struct kunit *test)
{
	/* fits the window and the goal: all of it, even a short tail */
	KUNIT_EXPECT_EQ(test, mytcp_xmit_cap(5000, 5000, 1000, 64000), 5000U);
	/* window 4500 of a 10000 skb: 4 MSS */
	KUNIT_EXPECT_EQ(test, mytcp_xmit_cap(4500, 10000, 1000, 64000), 4000U);
	/* window under one MSS: what it allows (silly window rules decided) */
	KUNIT_EXPECT_EQ(test, mytcp_xmit_cap(700, 10000, 1000, 64000), 700U);
	/* no GSO: one MSS of a long skb */
	KUNIT_EXPECT_EQ(test, mytcp_xmit_cap(50000, 60000, 1000, 1000), 1000U);
	/* the goal caps a large window */
	KUNIT_EXPECT_EQ(test, mytcp_xmit_cap(90000, 90000, 1000, 64000),
			64000U);
}

/*
 * Pieces of a GSO skb of 3 * 1000 bytes at seq 0xfffffc00 (wrapping),
 * flags ACK|PSH|FIN: 0xfffffc00, 0xfffffc00 + 1000 = 0xffffffe8, and
 * 0xffffffe8 + 1000 = 0x000003d0 (mod 2^32); only the last has PSH and
 * FIN.
 */
static void gso_fix_header(struct kunit *test)
{
	const u8 flags = TCPHDR_ACK | TCPHDR_PSH | TCPHDR_FIN;
	const u32 want[] = { 0xfffffc00, 0xffffffe8, 0x000003d0 };
	struct tcphdr th = {};
	u32 seq = 0xfffffc00;
	int i;

	for (i = 0; i < 3; i++) {
		bool last = i == 2;

		mytcp_gso_fix_header(&th, seq, last, flags);
		KUNIT_EXPECT_EQ(test, ntohl(th.seq), want[i]);
		KUNIT_EXPECT_EQ(test, (u8)tcp_flag_byte(&th),
				last ? flags : (u8)TCPHDR_ACK);
		seq += 1000;
	}
}

/*
 * The seed, put in the checksum field, plus the sum of the segment gives
 * the full checksum: what a device (or skb_segment()) finishes must equal
 * mytcp_checksum_any() of the segment with a zero field.  IPv4 and IPv6.
 */
static void csum_seed_completes(struct kunit *test)
{
	struct in6_addr s4, d4, s6 = { .s6_addr32 = { htonl(0x20010db8), 0, 0,
						      htonl(1) } };
	struct in6_addr d6 = { .s6_addr32 = { htonl(0x20010db8), 0, 0,
					      htonl(2) } };
	const struct in6_addr *addrs[2][2] = { { &s4, &d4 }, { &s6, &d6 } };
	struct sk_buff *skb = alloc_skb(256, GFP_KERNEL);
	struct tcphdr *th;
	int i, fam;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	ipv6_addr_set_v4mapped(htonl(0x0a000101), &s4);
	ipv6_addr_set_v4mapped(htonl(0x0a000102), &d4);
	th = skb_put_zero(skb, 20 + 77);
	for (i = 0; i < 77; i++)
		((u8 *)(th + 1))[i] = i * 7 + 3;
	th->doff = 5;
	th->seq = htonl(12345);
	for (fam = 0; fam < 2; fam++) {
		const struct in6_addr *sa = addrs[fam][0], *da = addrs[fam][1];
		__sum16 full, done;

		th->check = 0;
		full = mytcp_checksum_any(skb, skb->len, sa, da);
		th->check = mytcp_csum_seed(sa, da, skb->len);
		done = csum_fold(skb_checksum(skb, 0, skb->len, 0));
		KUNIT_EXPECT_EQ(test, (__force u16)done, (__force u16)full);
		/* and the segment with that checksum verifies in software */
		th->check = full;
		done = mytcp_checksum_any(skb, skb->len, sa, da);
		KUNIT_EXPECT_EQ(test, (__force u16)done, 0);
	}
	kfree_skb(skb);
}

static struct kunit_case gso_test_cases[] = {
	KUNIT_CASE(gso_goal_no_gso),
	KUNIT_CASE(gso_goal_gso),
	KUNIT_CASE(xmit_cap),
	KUNIT_CASE(gso_fix_header),
	KUNIT_CASE(csum_seed_completes),
	{}
};

static struct kunit_suite gso_test_suite = {
	.name = "mytcp_gso",
	.test_cases = gso_test_cases,
};

kunit_test_suite(gso_test_suite);
