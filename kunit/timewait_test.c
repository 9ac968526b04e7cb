// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of timewait.c: what mytcp_tw_rcv() does to a TIME_WAIT
 * entry's 2*MSL timer (RFC 9293 section 3.10.7.4).  The entry is made here,
 * outside the tables, with a timer whose handler only counts, so each test
 * sees the timer exactly as the receive path leaves it.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "protocol.h"

#define RCV_NXT	1000U

static void tw_test_timer(struct timer_list *t)
{
}

static struct mytcp_tw *tw_make(struct kunit *test)
{
	struct mytcp_tw *tw = kunit_kzalloc(test, sizeof(*tw), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tw);
	tw->hash_node.pprev = NULL;	/* not in the table */
	write_pnet(&tw->owner.net, &init_net);
	ipv6_addr_set_v4mapped(htonl(INADDR_LOOPBACK), &tw->laddr);
	ipv6_addr_set_v4mapped(htonl(INADDR_LOOPBACK), &tw->raddr);
	tw->family = AF_INET;
	tw->lport = htons(5000);
	tw->rport = htons(40000);
	tw->snd_nxt = 77;
	tw->rcv_nxt = RCV_NXT;
	tw->rcv_wnd = 65535;
	refcount_set(&tw->refcnt, 1);
	timer_setup(&tw->timer, tw_test_timer, 0);
	tw->expires = jiffies + 100 * HZ;
	mod_timer(&tw->timer, tw->expires);
	return tw;
}

static void tw_done(struct mytcp_tw *tw)
{
	timer_shutdown_sync(&tw->timer);
}

/* A segment with the given flags covering [seq, end_seq). */
static struct sk_buff *seg(struct kunit *test, u8 flags, u32 seq, u32 end_seq)
{
	struct sk_buff *skb = alloc_skb(0, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, skb);
	MYTCP_SKB_CB(skb)->flags = flags;
	MYTCP_SKB_CB(skb)->seq = seq;
	MYTCP_SKB_CB(skb)->end_seq = end_seq;
	return skb;
}

/*
 * A SYN that a listener takes ends TIME_WAIT; a FIN that another CPU was
 * already handling (with its own reference) must not re-arm the timer of
 * the entry being freed.  It did: mod_timer() on a deleted timer.
 */
static void tw_fin_after_syn_leaves_timer_off(struct kunit *test)
{
	struct mytcp_tw *tw = tw_make(test);
	struct sk_buff *syn = seg(test, TCPHDR_SYN, RCV_NXT + 5000,
				  RCV_NXT + 5001);
	/* any listener will do: mytcp_tw_rcv() only hands the SYN back */
	const struct sock *listener = (const struct sock *)tw;

	KUNIT_EXPECT_TRUE(test, mytcp_tw_rcv(tw, syn, listener));
	kfree_skb(syn);
	KUNIT_EXPECT_FALSE(test, timer_pending(&tw->timer));

	mytcp_tw_rcv(tw, seg(test, TCPHDR_FIN | TCPHDR_ACK, RCV_NXT - 1,
			     RCV_NXT), NULL);
	KUNIT_EXPECT_FALSE(test, timer_pending(&tw->timer));
	tw_done(tw);
}

/* The peer's FIN again (ending at RCV.NXT) restarts the 2*MSL timer. */
static void tw_retransmitted_fin_restarts(struct kunit *test)
{
	struct mytcp_tw *tw = tw_make(test);
	unsigned long before = tw->expires;

	mytcp_tw_rcv(tw, seg(test, TCPHDR_FIN | TCPHDR_ACK, RCV_NXT - 1,
			     RCV_NXT), NULL);
	KUNIT_EXPECT_TRUE(test, timer_pending(&tw->timer));
	KUNIT_EXPECT_NE(test, tw->expires, before);
	KUNIT_EXPECT_LT(test, tw->expires - jiffies,
			(unsigned long)(100 * HZ));
	tw_done(tw);
}

/* Any other FIN (old, or beyond RCV.NXT) restarts nothing. */
static void tw_other_fin_restarts_nothing(struct kunit *test)
{
	struct mytcp_tw *tw = tw_make(test);
	unsigned long before = tw->expires;

	mytcp_tw_rcv(tw, seg(test, TCPHDR_FIN | TCPHDR_ACK, RCV_NXT + 100,
			     RCV_NXT + 101), NULL);
	mytcp_tw_rcv(tw, seg(test, TCPHDR_FIN | TCPHDR_ACK, RCV_NXT - 500,
			     RCV_NXT - 499), NULL);
	KUNIT_EXPECT_EQ(test, tw->expires, before);
	KUNIT_EXPECT_TRUE(test, timer_pending(&tw->timer));
	tw_done(tw);
}

/* A RST does not end TIME_WAIT (RFC 1337). */
static void tw_rst_ignored(struct kunit *test)
{
	struct mytcp_tw *tw = tw_make(test);
	unsigned long before = tw->expires;

	KUNIT_EXPECT_FALSE(test, mytcp_tw_rcv(tw, seg(test, TCPHDR_RST,
						      RCV_NXT, RCV_NXT),
					      NULL));
	KUNIT_EXPECT_EQ(test, tw->expires, before);
	KUNIT_EXPECT_TRUE(test, timer_pending(&tw->timer));
	tw_done(tw);
}

/*
 * Unacceptable data gets one ACK per MYTCP_OOW_ACK_MS (the rest count in
 * TimeWaitAcksLimited); the peer's FIN again is always acknowledged.
 */
static void tw_acks_limited(struct kunit *test)
{
	struct mytcp_tw *tw = tw_make(test);
	unsigned long was = mytcp_read_stat(&init_net,
					    MYTCP_MIB_TW_ACKS_LIMITED);
	int i;

	for (i = 0; i < 4; i++)
		mytcp_tw_rcv(tw, seg(test, TCPHDR_ACK, RCV_NXT + 10 * i,
				     RCV_NXT + 10 * i + 10), NULL);
	KUNIT_EXPECT_EQ(test, mytcp_read_stat(&init_net,
					      MYTCP_MIB_TW_ACKS_LIMITED),
			was + 3);
	for (i = 0; i < 3; i++)
		mytcp_tw_rcv(tw, seg(test, TCPHDR_FIN | TCPHDR_ACK, RCV_NXT - 1,
				     RCV_NXT), NULL);
	KUNIT_EXPECT_EQ(test, mytcp_read_stat(&init_net,
					      MYTCP_MIB_TW_ACKS_LIMITED),
			was + 3);
	tw_done(tw);
}

/* A TIME_WAIT entry with the 4-tuple 127.0.0.1:5000 - 127.0.0.1:@rport */
static struct mytcp_tw *tw_at(struct kunit *test, u16 rport)
{
	struct mytcp_tw *tw = kunit_kzalloc(test, sizeof(*tw), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, tw);
	write_pnet(&tw->owner.net, &init_net);
	ipv6_addr_set_v4mapped(htonl(INADDR_LOOPBACK), &tw->laddr);
	ipv6_addr_set_v4mapped(htonl(INADDR_LOOPBACK), &tw->raddr);
	tw->lport = htons(5000);
	tw->rport = htons(rport);
	/* the table's and the test's: the walk's own is dropped by us */
	refcount_set(&tw->refcnt, 2);
	return tw;
}

static unsigned int tw_slot_of(const struct mytcp_tw *tw)
{
	return mytcp_tw_slot(&init_net, &tw->laddr, tw->lport, &tw->raddr,
			     tw->rport);
}

/*
 * A reader stands on entry X, in front of T in their chain, when X leaves
 * the chain for another bucket (X's next now leads into that bucket).  The
 * reader must still find T: it sees the other bucket's nulls marker at
 * the end and walks again.  With plain hlists it ended there and missed T
 * (a live connection answered with a RST, for the connection table).
 */
static void tw_walk_survives_a_move(struct kunit *test)
{
	struct mytcp_tw *t = tw_at(test, 40000), *x = NULL, *found;
	unsigned int slot = tw_slot_of(t);
	struct hlist_nulls_node *stood_on;
	u16 port, other = 0;

	/* a second 4-tuple in T's bucket, and a third in another one */
	for (port = 40001; port && (!x || !other); port++) {
		struct mytcp_tw probe = { .laddr = t->laddr, .raddr = t->raddr,
					  .lport = t->lport,
					  .rport = htons(port) };

		if (tw_slot_of(&probe) == slot && !x)
			x = tw_at(test, port);
		else if (tw_slot_of(&probe) != slot && !other)
			other = port;
	}
	KUNIT_ASSERT_NOT_NULL(test, x);
	mytcp_tw_hash_insert(&init_net, t);
	mytcp_tw_hash_insert(&init_net, x);	/* at the head: X, then T */
	stood_on = &x->hash_node;

	/* X moves to the other bucket (as a socket does on a new connect) */
	KUNIT_ASSERT_TRUE(test, mytcp_tw_hash_remove(x));
	x->rport = htons(other);
	mytcp_tw_hash_insert(&init_net, x);

	rcu_read_lock();
	found = mytcp_tw_walk(&init_net, slot, stood_on, &t->laddr, t->lport,
			      &t->raddr, t->rport);
	rcu_read_unlock();
	KUNIT_EXPECT_PTR_EQ(test, found, t);
	if (found)
		refcount_dec(&found->refcnt);
	/* and from the head, as every lookup starts */
	KUNIT_EXPECT_PTR_EQ(test, mytcp_lookup_tw(&init_net, &t->laddr,
						  t->lport, &t->raddr,
						  t->rport), t);
	refcount_dec(&t->refcnt);
	KUNIT_EXPECT_TRUE(test, mytcp_tw_hash_remove(x));
	KUNIT_EXPECT_TRUE(test, mytcp_tw_hash_remove(t));
	synchronize_rcu();
}

static struct kunit_case timewait_cases[] = {
	KUNIT_CASE(tw_fin_after_syn_leaves_timer_off),
	KUNIT_CASE(tw_retransmitted_fin_restarts),
	KUNIT_CASE(tw_other_fin_restarts_nothing),
	KUNIT_CASE(tw_rst_ignored),
	KUNIT_CASE(tw_acks_limited),
	KUNIT_CASE(tw_walk_survives_a_move),
	{}
};

static struct kunit_suite timewait_suite = {
	.name = "mytcp_timewait",
	.test_cases = timewait_cases,
};

kunit_test_suite(timewait_suite);
