// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the receive queue collapse in rmem.c, on plain skb
 * queues without a socket: runs of contiguous loose skbs become compact
 * skbs holding the same octets once each, in order; holes, compact skbs
 * and a FIN end a run; afterwards every octet costs at most twice its size
 * (the advertised window's assumption, mytcp_receive_space()) plus one
 * partly filled skb per run.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>

#include "protocol.h"

/*
 * A queued skb holding octets [seq, seq + len) of the pattern, in a buffer
 * of @room octets, so that its truesize is loose.
 */
static struct sk_buff *rmem_skb(struct kunit *test, u32 seq, u32 len,
				u32 room)
{
	struct sk_buff *skb = alloc_skb(max(len, room), GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, skb);
	memset(skb->cb, 0, sizeof(skb->cb));
	for (i = 0; i < len; i++)
		skb_put_u8(skb, (u8)(seq + i));
	MYTCP_SKB_CB(skb)->seq = seq;
	MYTCP_SKB_CB(skb)->end_seq = seq + len;
	return skb;
}

/* Every skb's octets follow the pattern; the queue is sorted; totals. */
static void rmem_check(struct kunit *test, struct sk_buff_head *q,
		       u32 *data, u32 *truesize, u32 *nskbs)
{
	struct sk_buff *skb;
	u32 prev = 0;
	bool first = true;

	*data = 0;
	*truesize = 0;
	*nskbs = 0;
	skb_queue_walk(q, skb) {
		u32 seq = MYTCP_SKB_CB(skb)->seq, i;

		if (!first)
			KUNIT_EXPECT_FALSE(test, mytcp_seq_before(seq, prev));
		first = false;
		prev = seq;
		KUNIT_EXPECT_EQ(test, MYTCP_SKB_CB(skb)->end_seq -
				MYTCP_SKB_CB(skb)->seq, skb->len);
		for (i = 0; i < skb->len; i++)
			KUNIT_EXPECT_EQ(test, skb->data[i], (u8)(seq + i));
		*data += skb->len;
		*truesize += skb->truesize;
		(*nskbs)++;
	}
}

/* 400 skbs of 10 octets in a 2 KiB buffer each: one run, a few skbs. */
static void rmem_collapse_run(struct kunit *test)
{
	struct sk_buff_head q;
	u32 data, truesize, n, i;

	skb_queue_head_init(&q);
	for (i = 0; i < 400; i++)
		__skb_queue_tail(&q, rmem_skb(test, 1000 + 10 * i, 10, 2048));
	KUNIT_EXPECT_EQ(test, mytcp_collapse_queue(NULL, &q), 400U);
	rmem_check(test, &q, &data, &truesize, &n);
	KUNIT_EXPECT_EQ(test, data, 4000U);
	/* 4000 octets in pages of SKB_WITH_OVERHEAD(PAGE_SIZE): two skbs */
	KUNIT_EXPECT_EQ(test, n, DIV_ROUND_UP(4000U,
					      (u32)SKB_WITH_OVERHEAD(PAGE_SIZE)));
	KUNIT_EXPECT_LE(test, truesize, 2 * data + (u32)SKB_TRUESIZE(PAGE_SIZE));
	/* compact now: a second collapse has nothing to do */
	KUNIT_EXPECT_EQ(test, mytcp_collapse_queue(NULL, &q), 0U);
	__skb_queue_purge(&q);
}

/*
 * Holes end runs: [0,10) [10,20) hole [30,40) [40,50): two skbs.  An
 * overlap is copied once: [100,120) [110,130) give [100,130).
 */
static void rmem_collapse_holes_overlaps(struct kunit *test)
{
	struct sk_buff_head q;
	u32 data, truesize, n;

	skb_queue_head_init(&q);
	__skb_queue_tail(&q, rmem_skb(test, 0, 10, 2048));
	__skb_queue_tail(&q, rmem_skb(test, 10, 10, 2048));
	__skb_queue_tail(&q, rmem_skb(test, 30, 10, 2048));
	__skb_queue_tail(&q, rmem_skb(test, 40, 10, 2048));
	__skb_queue_tail(&q, rmem_skb(test, 100, 20, 2048));
	__skb_queue_tail(&q, rmem_skb(test, 110, 20, 2048));
	KUNIT_EXPECT_EQ(test, mytcp_collapse_queue(NULL, &q), 6U);
	rmem_check(test, &q, &data, &truesize, &n);
	KUNIT_EXPECT_EQ(test, n, 3U);
	KUNIT_EXPECT_EQ(test, data, 20U + 20U + 30U);
	KUNIT_EXPECT_EQ(test, MYTCP_SKB_CB(skb_peek_tail(&q))->seq, 100U);
	KUNIT_EXPECT_EQ(test, skb_peek_tail(&q)->len, 30U);
	__skb_queue_purge(&q);
}

/*
 * Compact skbs and a FIN end runs and are kept as they are; a lone loose
 * skb is copied only when a copy is much smaller.
 */
static void rmem_collapse_keeps(struct kunit *test)
{
	struct sk_buff_head q;
	struct sk_buff *big, *fin, *lone;
	u32 data, truesize, n;

	skb_queue_head_init(&q);
	big = rmem_skb(test, 0, 3000, 0);	/* compact: truesize < 2 * len */
	__skb_queue_tail(&q, big);
	fin = rmem_skb(test, 3000, 10, 2048);
	MYTCP_SKB_CB(fin)->flags = TCPHDR_FIN;
	__skb_queue_tail(&q, fin);
	lone = rmem_skb(test, 5000, 10, 0);	/* a fresh copy already */
	__skb_queue_tail(&q, lone);
	KUNIT_EXPECT_EQ(test, mytcp_collapse_queue(NULL, &q), 0U);
	KUNIT_EXPECT_PTR_EQ(test, skb_peek(&q), big);
	KUNIT_EXPECT_PTR_EQ(test, skb_peek_tail(&q), lone);

	/* a lone 10 octets in 16 KiB: copied */
	__skb_queue_tail(&q, rmem_skb(test, 6000, 10, 16384));
	KUNIT_EXPECT_EQ(test, mytcp_collapse_queue(NULL, &q), 1U);
	rmem_check(test, &q, &data, &truesize, &n);
	KUNIT_EXPECT_EQ(test, n, 4U);
	KUNIT_EXPECT_LT(test, skb_peek_tail(&q)->truesize, 2048U);
	__skb_queue_purge(&q);
}

static void rmem_loose(struct kunit *test)
{
	KUNIT_EXPECT_FALSE(test, mytcp_skb_loose(1448, 2304));
	KUNIT_EXPECT_TRUE(test, mytcp_skb_loose(100, 33536));
	KUNIT_EXPECT_TRUE(test, mytcp_skb_worth_copying(100, 33536));
	KUNIT_EXPECT_FALSE(test, mytcp_skb_worth_copying(1, 768));
}

static struct kunit_case rmem_test_cases[] = {
	KUNIT_CASE(rmem_collapse_run),
	KUNIT_CASE(rmem_collapse_holes_overlaps),
	KUNIT_CASE(rmem_collapse_keeps),
	KUNIT_CASE(rmem_loose),
	{}
};

static struct kunit_suite rmem_test_suite = {
	.name = "mytcp_rmem",
	.test_cases = rmem_test_cases,
};

kunit_test_suite(rmem_test_suite);
