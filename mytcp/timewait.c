// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: TIME-WAIT (RFC 9293 sections 3.6 and 3.10.7.4).
 *
 * The side that closes first waits 2*MSL after the last ACK, so that a
 * retransmitted FIN is acknowledged again and old duplicates of this
 * connection die out before its 4-tuple can be used again.  That wait is a
 * small struct mytcp_tw, not the socket: the socket is freed at once.
 *
 * Lifetime: the entry starts with one reference, owned by the table and
 * dropped by whoever unlinks it (its timer, or the namespace purge).
 * Lookups take their own reference.
 *
 * Limits: entries come from their own slab cache ("mytcp_tw" in
 * /proc/slabinfo), and a namespace holds at most net.mytcp.max_tw_buckets
 * of them; beyond, a connection closes without TIME_WAIT (TWOverflow), as
 * TCP's do beyond tcp_max_tw_buckets.  They are allocated in softirq and
 * charged to no memory cgroup (as TCP's), so that limit is their bound.
 */

#include <linux/slab.h>

#include "experiment.h"
#include "protocol.h"
#include "trace.h"

static struct kmem_cache *mytcp_tw_cachep __read_mostly;

/**
 * mytcp_tw_init - create the slab cache of TIME_WAIT entries
 *
 * Return: 0 or -ENOMEM.
 */
int mytcp_tw_init(void)
{
	mytcp_tw_cachep = kmem_cache_create("mytcp_tw", sizeof(struct mytcp_tw),
					    0, SLAB_HWCACHE_ALIGN, NULL);
	return mytcp_tw_cachep ? 0 : -ENOMEM;
}

/**
 * mytcp_tw_exit - destroy the cache, after rcu_barrier() freed the last
 */
void mytcp_tw_exit(void)
{
	kmem_cache_destroy(mytcp_tw_cachep);
}

static void mytcp_tw_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(mytcp_tw_cachep, container_of(head, struct mytcp_tw,
						      rcu));
}

/**
 * mytcp_tw_put - drop a reference on a TIME_WAIT entry
 * @tw: the entry
 *
 * The last one frees it after a grace period (lookups run under RCU);
 * module unload waits for that with rcu_barrier().
 */
void mytcp_tw_put(struct mytcp_tw *tw)
{
	if (refcount_dec_and_test(&tw->refcnt))
		call_rcu(&tw->rcu, mytcp_tw_free_rcu);
}

/* Unlink the entry; the unlinker drops the table's reference. */
static void mytcp_tw_unlink(struct mytcp_tw *tw)
{
	struct net *net = read_pnet(&tw->owner.net);

	if (mytcp_tw_hash_remove(tw)) {
		trace_mytcp_state(net, &tw->laddr, tw->lport, &tw->raddr,
				  tw->rport, TCP_TIME_WAIT, TCP_CLOSE);
		mytcp_port_owner_del(&tw->owner);
		atomic_dec(&mytcp_pernet(net)->tw_count);
		mytcp_tw_put(tw);
	}
}

static void mytcp_tw_timer(struct timer_list *t)
{
	struct mytcp_tw *tw = from_timer(tw, t, timer);

	/* no one may re-arm it now (a FIN racing with expiry) */
	timer_shutdown(&tw->timer);
	mytcp_tw_unlink(tw);
}

/**
 * mytcp_tw_kill - end a TIME_WAIT entry now
 * @tw: the entry; the caller holds a reference
 *
 * Process context only: waits for a running timer handler.
 */
void mytcp_tw_kill(struct mytcp_tw *tw)
{
	timer_shutdown_sync(&tw->timer);
	mytcp_tw_unlink(tw);
}

static unsigned long mytcp_tw_len(const struct net *net)
{
	return msecs_to_jiffies(mytcp_pernet(net)->time_wait_ms);
}

/**
 * mytcp_time_wait - the connection enters TIME_WAIT; the socket closes
 * @sk: the socket, locked
 *
 * The entry enters the tables before the socket leaves them, so no segment
 * finds neither.  With net.mytcp.max_tw_buckets entries in the namespace
 * already, or without memory for one, the connection just closes
 * (TWOverflow), as TCP's does.
 */
void mytcp_time_wait(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct mytcp_net *mn = mytcp_pernet(net);
	struct mytcp_tw *tw = NULL;

	mytcp_set_state(sk, TCP_TIME_WAIT);
	/*
	 * The lesson without RFC 9293 section 3.6.1's 2*MSL: the 4-tuple
	 * is free at once, for a new incarnation and for old duplicates.
	 */
	if (mytcp_experiment(sk, MYTCP_EXP_NO_TIME_WAIT)) {
		mytcp_inc_stats(net, MYTCP_MIB_EXP_TIME_WAIT_SKIPPED);
		mytcp_done(sk);
		return;
	}
	if (atomic_read(&mn->tw_count) < READ_ONCE(mn->max_tw_buckets))
		tw = kmem_cache_zalloc(mytcp_tw_cachep,
				       GFP_ATOMIC | __GFP_NOWARN);
	if (!tw)
		mytcp_inc_stats(net, MYTCP_MIB_TW_OVERFLOW);
	if (tw) {
		mytcp_sk_laddr(sk, &tw->laddr);
		mytcp_sk_raddr(sk, &tw->raddr);
		tw->lport = inet->inet_sport;
		tw->rport = inet->inet_dport;
		tw->family = sk->sk_family;
		tw->snd_nxt = msk->snd_max;
		tw->rcv_nxt = msk->rcv_nxt;
		tw->rcv_wnd = min_t(u32, msk->rcv_wnd >> msk->rcv_wscale, 65535U);
		tw->mark = READ_ONCE(sk->sk_mark);
		/* RFC 7323 section 3.2: its ACKs keep carrying timestamps */
		tw->ts_ok = msk->ts_ok;
		tw->ts_offset = msk->ts_offset;
		tw->ts_recent = msk->ts_recent;
		refcount_set(&tw->refcnt, 1);
		timer_setup(&tw->timer, mytcp_tw_timer, 0);
		tw->owner.rcv_saddr = msk->owner.rcv_saddr;
		tw->owner.reuse = sk->sk_reuse != SK_NO_REUSE;
		tw->owner.is_tw = true;
		tw->owner.v6only = msk->owner.v6only;
		tw->owner.bound_dev_if = sk->sk_bound_dev_if;
		write_pnet(&tw->owner.net, net);
		mytcp_bind_owner_add(net, &tw->owner, inet->inet_num);
		atomic_inc(&mn->tw_count);
		mytcp_tw_hash_insert(net, tw);
		tw->expires = jiffies + mytcp_tw_len(net);
		mod_timer(&tw->timer, tw->expires);
		mytcp_inc_stats(net, MYTCP_MIB_TIMEWAITS);
	}
	mytcp_done(sk);
}

static void mytcp_tw_ack(struct mytcp_tw *tw, struct net *net)
{
	struct mytcp_opts opts = { };

	if (tw->ts_ok)
		mytcp_ts_opts_set(&opts, tw->ts_offset, tw->ts_recent);
	mytcp_send_ack_reply(net, &tw->laddr, &tw->raddr, tw->lport, tw->rport,
			     tw->snd_nxt, tw->rcv_nxt, tw->rcv_wnd, TCPHDR_ACK,
			     tw->ts_ok ? &opts : NULL, tw->owner.bound_dev_if,
			     tw->mark);
}

/**
 * mytcp_tw_rcv - a segment for a connection in TIME_WAIT
 * @tw: the entry, referenced by the caller
 * @skb: the segment; consumed unless true is returned
 * @listener: a listener on the port, found by the caller (or NULL)
 *
 * RFC 9293 section 3.10.7.4: the only thing expected is a retransmission of
 * the peer's FIN: acknowledge it and restart the 2*MSL timer.  Any other
 * FIN is not that one and restarts nothing: like other segments that take
 * sequence space it gets an ACK.  A RST does
 * not end TIME_WAIT (RFC 1337, "TIME-WAIT assassination").  A SYN beyond the
 * old sequence space may open a new incarnation (RFC 1122 section
 * 4.2.2.13, RFC 6191), but only when a listener is there to take it: the
 * entry goes and the SYN is handed to @listener.  With no listener the SYN
 * is one more unacceptable segment (section 3.10.7.4, first check; RFC 5961
 * section 4.2): TIME_WAIT stays and answers with an ACK, as it does to
 * anything else that takes sequence space.
 *
 * Return: true when the caller must hand @skb to @listener.
 */
bool mytcp_tw_rcv(struct mytcp_tw *tw, struct sk_buff *skb,
		  const struct sock *listener)
{
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct net *net = read_pnet(&tw->owner.net);

	if (cb->flags & TCPHDR_RST)
		goto drop;
	if (listener &&
	    (cb->flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN &&
	    mytcp_seq_after(cb->seq, tw->rcv_nxt)) {
		/*
		 * Shut the timer down, not just delete it: a FIN on another
		 * CPU, holding its own reference, must not re-arm it on an
		 * entry about to be freed.  Whoever stopped a pending timer
		 * unlinks; a handler already running unlinks by itself.
		 */
		if (timer_shutdown(&tw->timer))
			mytcp_tw_unlink(tw);
		return true;
	}
	if ((cb->flags & TCPHDR_FIN) && cb->end_seq == tw->rcv_nxt) {
		/*
		 * The peer's FIN again (it ends at RCV.NXT): acknowledge it and
		 * restart the 2*MSL timeout.  Only a timer still pending is
		 * restarted: once it fired or was shut down the entry is going.
		 */
		tw->expires = jiffies + mytcp_tw_len(net);
		mod_timer_pending(&tw->timer, tw->expires);
		mytcp_tw_ack(tw, net);
		goto drop;
	}
	/*
	 * Anything else that takes sequence space is unacceptable and gets
	 * an ACK (section 3.10.7.4, first check), at most one per
	 * MYTCP_OOW_ACK_MS per entry, as TCP limits its TIME_WAIT ACKs: a
	 * flood of them must not turn 100 000 entries into an amplifier.
	 */
	if (cb->end_seq != cb->seq || (cb->flags & TCPHDR_SYN)) {
		if (mytcp_oow_ack_allowed(&tw->oow_ack_stamp))
			mytcp_tw_ack(tw, net);
		else
			mytcp_inc_stats(net, MYTCP_MIB_TW_ACKS_LIMITED);
	}
drop:
	kfree_skb(skb);
	return false;
}
