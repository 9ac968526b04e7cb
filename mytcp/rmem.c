// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: receive memory: making room for a segment the window let in, and
 * growing the buffer to what the reader drains (autotuning, at the end).
 *
 * The advertised window is half of the free receive buffer
 * (mytcp_receive_space()): it assumes an skb's truesize is at most twice
 * its data.  That holds for full-sized segments from a NIC, not for small
 * ones, nor for the clones of a sender's 32 KiB skbs over loopback or a
 * veth (a 100-octet write arrives with 33 KiB of truesize).  And data held
 * beyond a hole (the out-of-order queue) can fill the buffer so that the
 * segment filling the hole no longer fits: every retransmission of it is
 * dropped, and the connection wedges until it times out.
 *
 * So when a segment does not fit, mytcp_rmem_make_room() tries, in turn:
 *  1. compacting the segment itself, if its truesize is loose;
 *  2. collapsing the receive queue and the out-of-order queue: runs of
 *     contiguous loose skbs are copied into page-sized skbs, whose
 *     truesize is within 15% of their data (counted in RcvCollapsed);
 *  3. pruning the out-of-order queue from its highest sequence number down,
 *     but only segments beyond the one arriving (counted in OfoPruned):
 *     data nearer RCV.NXT is worth more, and the segment that fills the
 *     hole always finds room.
 * Only then is the segment dropped (DropRcvbufFull, DropMemory).  After
 * step 2 every byte is stored at no more than twice its size, so the
 * window's assumption is made true rather than hoped for.  The same
 * design as Linux TCP's queue collapsing and out-of-order pruning, written
 * for this module's two plain skb queues.
 */

#include <linux/skbuff.h>
#include <net/sock.h>

#include "protocol.h"

/* Data in one collapsed skb: its head and shared info fill one page. */
#define MYTCP_COLLAPSE_CHUNK	SKB_WITH_OVERHEAD(PAGE_SIZE)

/**
 * mytcp_skb_loose - is an skb's truesize more than the window assumes?
 * @len: data octets in the skb
 * @truesize: its truesize
 *
 * The window counts two octets of buffer per octet of data.
 *
 * Return: true when the skb takes more than that.
 */
bool mytcp_skb_loose(u32 len, u32 truesize)
{
	return truesize > 2 * len;
}

/**
 * mytcp_skb_worth_copying - would a fresh copy of one skb be much smaller?
 * @len: data octets in the skb
 * @truesize: its truesize
 *
 * A fresh skb of @len octets takes SKB_TRUESIZE() of @len rounded up to a
 * kmalloc size, at most twice that.  Copying a lone skb pays only when it
 * takes more than that bound (a clone of a large send skb), never for an
 * skb that is a fresh copy already.
 *
 * Return: true when copying the skb would free memory.
 */
bool mytcp_skb_worth_copying(u32 len, u32 truesize)
{
	return mytcp_skb_loose(len, truesize) &&
	       truesize > 2 * SKB_TRUESIZE(SKB_DATA_ALIGN(len));
}

/* Data octets of a queued skb and where they end (its cb seq is the first) */
static u32 mytcp_skb_data_end(const struct sk_buff *skb)
{
	return MYTCP_SKB_CB(skb)->seq + skb->len;
}

/* An skb the collapse may merge: loose, and no FIN (the end of the data) */
static bool mytcp_collapsible(const struct sk_buff *skb)
{
	return !(MYTCP_SKB_CB(skb)->flags & TCPHDR_FIN) &&
	       mytcp_skb_loose(skb->len, skb->truesize);
}

/*
 * Copy [seq, end) out of the skbs from @first (sorted, contiguous,
 * possibly overlapping, [seq, end) ending at one's end) into one new skb,
 * charged to @sk when given, and queue it before @first.  The skbs copied
 * are freed.  Return: the new skb, NULL when no memory (nothing changed).
 */
static struct sk_buff *mytcp_collapse_one(struct sock *sk,
					  struct sk_buff_head *queue,
					  struct sk_buff *first, u32 seq,
					  u32 end, unsigned int *freed)
{
	struct sk_buff *nskb, *skb = first, *next;
	u32 at = seq;

	nskb = alloc_skb(end - seq, GFP_ATOMIC | __GFP_NOWARN);
	if (!nskb)
		return NULL;
	*MYTCP_SKB_CB(nskb) = *MYTCP_SKB_CB(first);
	MYTCP_SKB_CB(nskb)->seq = seq;
	MYTCP_SKB_CB(nskb)->flags &= ~TCPHDR_FIN;
	__skb_queue_before(queue, first, nskb);
	while (skb && mytcp_seq_before(at, end)) {
		u32 data_end = mytcp_skb_data_end(skb);

		if (mytcp_seq_after(data_end, at)) {
			u32 n = data_end - at;

			/* cannot fail: the octets are there */
			if (WARN_ON_ONCE(skb_copy_bits(skb,
						       at - MYTCP_SKB_CB(skb)->seq,
						       skb_put(nskb, n), n))) {
				__skb_trim(nskb, at - seq);
				break;
			}
			at = data_end;
		}
		next = skb_queue_is_last(queue, skb) ? NULL : skb->next;
		__skb_unlink(skb, queue);
		consume_skb(skb);
		(*freed)++;
		skb = next;
	}
	MYTCP_SKB_CB(nskb)->end_seq = at;
	if (sk)
		skb_set_owner_r(nskb, sk);
	return nskb;
}

/**
 * mytcp_collapse_queue - copy runs of loose skbs into compact ones
 * @sk: the owner to charge the new skbs to (the old ones' owner), or NULL
 * @queue: a receive or out-of-order queue, sorted by sequence number; each
 *	skb's control block seq is the sequence number of its first octet
 *
 * A run is a sequence of loose skbs (mytcp_skb_loose()), each starting
 * at or before the end of the one before (overlaps are copied once).  A
 * run is copied into skbs of up to a page, each made of whole skbs of the
 * run, so the queue stays sorted; a lone skb only if it is worth it
 * (mytcp_skb_worth_copying()).  Compact skbs, and skbs carrying a FIN, are
 * left as they are.  Stops early, with the queue intact, when memory is
 * short.
 *
 * Return: how many skbs were freed (the new ones not subtracted).
 */
unsigned int mytcp_collapse_queue(struct sock *sk, struct sk_buff_head *queue)
{
	struct sk_buff *skb = skb_peek(queue);
	unsigned int freed = 0;

	while (skb) {
		struct sk_buff *run = skb, *last = skb, *nskb, *pos;
		u32 seq = MYTCP_SKB_CB(skb)->seq;
		u32 end = mytcp_skb_data_end(skb);
		unsigned int n = 1;

		if (!mytcp_collapsible(skb)) {
			skb = skb_queue_is_last(queue, skb) ? NULL : skb->next;
			continue;
		}
		/* extend the run while the next skb joins it and fits */
		for (pos = skb_queue_is_last(queue, skb) ? NULL : skb->next;
		     pos; pos = skb_queue_is_last(queue, pos) ? NULL : pos->next) {
			u32 pend = mytcp_skb_data_end(pos);

			if (!mytcp_collapsible(pos) ||
			    mytcp_seq_after(MYTCP_SKB_CB(pos)->seq, end))
				break;
			if (mytcp_seq_after(pend, end) &&
			    pend - seq > MYTCP_COLLAPSE_CHUNK)
				break;
			if (mytcp_seq_after(pend, end))
				end = pend;
			last = pos;
			n++;
		}
		pos = skb_queue_is_last(queue, last) ? NULL : last->next;
		if (n == 1 && !mytcp_skb_worth_copying(skb->len, skb->truesize)) {
			skb = pos;
			continue;
		}
		nskb = mytcp_collapse_one(sk, queue, run, seq, end, &freed);
		if (!nskb)
			break;
		skb = pos;
	}
	return freed;
}

/**
 * mytcp_compact_skb - a compact copy of an arriving skb, if it is loose
 * @skb: the segment, not queued, not yet owned by a socket
 *
 * The copy keeps the IP and mytcp headers in front of the data (a drop
 * still reads them) and the control block.
 *
 * Return: @skb, or its copy (and @skb freed); @skb when memory is short.
 */
struct sk_buff *mytcp_compact_skb(struct sk_buff *skb)
{
	struct sk_buff *nskb;

	if (!mytcp_skb_worth_copying(skb_headroom(skb) + skb->len,
				     skb->truesize))
		return skb;
	nskb = skb_copy(skb, GFP_ATOMIC | __GFP_NOWARN);
	if (!nskb)
		return skb;
	consume_skb(skb);
	return nskb;
}

/* Would @skb fit the socket's buffer and the global pool? */
static bool mytcp_rmem_fits(struct sock *sk, struct sk_buff *skb,
			    enum mytcp_mib_field *why)
{
	if (atomic_read(&sk->sk_rmem_alloc) + skb->truesize >
	    READ_ONCE(sk->sk_rcvbuf)) {
		*why = MYTCP_MIB_DROP_RCVBUF;
		return false;
	}
	/* the global pool (mem.c) is exhausted: as full a buffer as ours */
	if (!sk_rmem_schedule(sk, skb, skb->truesize)) {
		*why = MYTCP_MIB_DROP_MEMORY;
		return false;
	}
	return true;
}

/*
 * Drop out-of-order segments from the highest sequence number down, while
 * @skb does not fit, but none at or before @skb's own: those are nearer
 * RCV.NXT than what arrives.  Return: whether @skb fits now.
 */
static bool mytcp_ofo_prune(struct sock *sk, struct sk_buff *skb,
			    enum mytcp_mib_field *why)
{
	struct sk_buff_head *ofo = &mytcp_sk(sk)->ooo_queue;
	u32 seq = MYTCP_SKB_CB(skb)->seq;
	struct sk_buff *tail;

	while (!mytcp_rmem_fits(sk, skb, why)) {
		tail = skb_peek_tail(ofo);
		if (!tail || !mytcp_seq_after(MYTCP_SKB_CB(tail)->seq, seq))
			return false;
		__skb_unlink(tail, ofo);
		kfree_skb(tail);
		mytcp_inc_stats(sock_net(sk), MYTCP_MIB_OFO_PRUNED);
	}
	return true;
}

/**
 * mytcp_rmem_make_room - find room for a segment inside the window
 * @sk: the socket, locked
 * @pskb: the segment, with data beyond RCV.NXT, not yet owned; may be
 *	replaced by a compact copy
 * @why: where to put the drop reason when there is no room
 *
 * The steps of the comment at the top of this file, each only when the
 * one before left the segment without room.
 *
 * Return: true when the segment fits: the caller charges it at once.
 */
bool mytcp_rmem_make_room(struct sock *sk, struct sk_buff **pskb,
			  enum mytcp_mib_field *why)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	unsigned int freed;

	if (mytcp_rmem_fits(sk, *pskb, why))
		return true;
	*pskb = mytcp_compact_skb(*pskb);
	if (mytcp_rmem_fits(sk, *pskb, why))
		return true;
	freed = mytcp_collapse_queue(sk, &sk->sk_receive_queue) +
		mytcp_collapse_queue(sk, &msk->ooo_queue);
	if (freed) {
		this_cpu_add(mytcp_pernet(sock_net(sk))->mib[MYTCP_MIB_RCV_COLLAPSED],
			     freed);
		if (mytcp_rmem_fits(sk, *pskb, why))
			return true;
	}
	return mytcp_ofo_prune(sk, *pskb, why);
}

/**
 * mytcp_drs_start - start measuring what the reader drains per RTT
 * @sk: the socket, locked, entering ESTABLISHED
 *
 * The first RTT's mark is the initial window the sender may fill
 * (RFC 6928's ten segments, or less if we offered less): a reader that
 * drains more than that in an RTT has a sender that is already growing.
 */
void mytcp_drs_start(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	msk->drs_space = min_t(u32, msk->rcv_wnd, 10U * msk->advmss);
	msk->drs_seq = msk->copied_seq;
	msk->drs_us = mytcp_clock_us();
}

/**
 * mytcp_rcvbuf_autotune - grow the receive buffer to what the reader needs
 * @sk: the socket, locked, after recvmsg() consumed data
 *
 * Dynamic right-sizing, as TCP's receive buffer autotuning: once per RTT
 * (our smoothed RTT, from the handshake if we send no data), what the
 * reader took in that RTT is compared with the most it took before; when
 * it is more, sk_rcvbuf (and with it the window mytcp_receive_space()
 * offers) grows as mytcp_drs_rcvbuf() says, up to net.mytcp.rmem_max.
 * Not when the user set SO_RCVBUF (SOCK_RCVBUF_LOCK), nor under memory
 * pressure (mem.c).
 */
void mytcp_rcvbuf_autotune(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u64 now = mytcp_clock_us();
	u32 copied, rcvbuf, grown;

	if (!msk->rtt.srtt || now - msk->drs_us < msk->rtt.srtt)
		return;
	copied = msk->copied_seq - msk->drs_seq;
	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK) &&
	    !sk_under_memory_pressure(sk)) {
		rcvbuf = READ_ONCE(sk->sk_rcvbuf);
		grown = mytcp_drs_rcvbuf(copied, msk->drs_space, msk->advmss,
					 rcvbuf,
					 mytcp_pernet(sock_net(sk))->rmem_max);
		if (grown > rcvbuf) {
			WRITE_ONCE(sk->sk_rcvbuf, grown);
			mytcp_inc_stats(sock_net(sk), MYTCP_MIB_RCVBUF_GROWN);
		}
	}
	msk->drs_space = max(msk->drs_space, copied);
	msk->drs_seq = msk->copied_seq;
	msk->drs_us = now;
}
