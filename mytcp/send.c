// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: sendmsg(), the user's bytes into the write queue (RFC 9293
 * section 3.10.2, SEND).  They are copied into page frags behind a
 * header-only skb head, appended only to skbs never sent, in skbs as
 * large as mytcp_size_goal() allows (one MSS, or a GSO skb); output.c
 * then sends what the windows allow.
 */

#include <net/sock.h>

#include "protocol.h"

/*
 * May new data go into @skb, the tail of the write queue?  Only if it was
 * never sent, as TCP appends only to skbs not yet transmitted: a clone of a
 * sent one may still sit in a qdisc or a driver, sharing its buffer (and
 * its tailroom), and a retransmission must carry the bytes it carried
 * before, not new ones.  After a go-back-N (a timeout, a smaller path MTU)
 * send_head points at sent skbs again, so it alone does not tell.
 */
static bool mytcp_can_append(const struct mytcp_sock *msk,
			     const struct sk_buff *skb, unsigned int goal)
{
	const struct mytcp_skb_cb *cb;

	if (!skb || !msk->send_head)
		return false;
	cb = MYTCP_SKB_CB(skb);
	return !(cb->flags & (TCPHDR_SYN | TCPHDR_FIN)) &&
	       !mytcp_seq_before(cb->seq, msk->snd_max) && !skb_cloned(skb) &&
	       skb->len < goal;
}

/* A new send skb: a linear head for the headers only, the data in frags. */
static struct sk_buff *mytcp_new_send_skb(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb;

	skb = alloc_skb(MYTCP_MAX_HEADER, sk->sk_allocation | __GFP_NOWARN);
	if (!skb)
		return NULL;
	if (!sk_wmem_schedule(sk, skb->truesize)) {
		/* the global pool is short (mem.c) */
		kfree_skb(skb);
		return NULL;
	}
	skb_reserve(skb, MYTCP_MAX_HEADER);
	memset(skb->cb, 0, sizeof(skb->cb));
	MYTCP_SKB_CB(skb)->seq = msk->write_seq;
	MYTCP_SKB_CB(skb)->end_seq = msk->write_seq;
	MYTCP_SKB_CB(skb)->flags = TCPHDR_PSH;
	__skb_queue_tail(&sk->sk_write_queue, skb);
	mytcp_wqueue_charge(sk, skb);
	if (!msk->send_head)
		msk->send_head = skb;
	return skb;
}

/*
 * An skb sendmsg() queued but could not fill (a fault in the user's
 * buffer): it goes, so that no empty data segment is ever sent.
 */
static void mytcp_drop_empty_tail(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (!skb || skb->len || skb != skb_peek_tail(&sk->sk_write_queue) ||
	    MYTCP_SKB_CB(skb)->flags & (TCPHDR_SYN | TCPHDR_FIN) ||
	    mytcp_seq_before(MYTCP_SKB_CB(skb)->seq, msk->snd_max))
		return;
	if (msk->send_head == skb)
		msk->send_head = NULL;
	__skb_unlink(skb, &sk->sk_write_queue);
	mytcp_wqueue_uncharge(sk, skb);
	kfree_skb(skb);
}

/*
 * Copy up to @copy bytes of the user's data into the socket's page frag
 * and attach them to @skb, in its last frag if they continue it.  The
 * truesize grows by the bytes, and the charge with it (as TCP's).
 * Return: the bytes copied, 0 when a new skb is needed (no frag slot
 * left), or a negative errno; -ENOMEM means wait for memory.
 */
static int mytcp_copy_to_frag(struct sock *sk, struct msghdr *msg,
			      struct sk_buff *skb, size_t copy)
{
	struct page_frag *pfrag = sk_page_frag(sk);
	int i = skb_shinfo(skb)->nr_frags;
	bool merge;
	int err;

	if (!sk_page_frag_refill(sk, pfrag))
		return -ENOMEM;
	merge = skb_can_coalesce(skb, i, pfrag->page, pfrag->offset);
	if (!merge && i >= MAX_SKB_FRAGS)
		return 0;
	copy = min_t(size_t, copy, pfrag->size - pfrag->offset);
	if (!sk_wmem_schedule(sk, copy))
		return -ENOMEM;
	err = skb_copy_to_page_nocache(sk, &msg->msg_iter, skb, pfrag->page,
				       pfrag->offset, copy);
	if (err)
		return err;
	if (merge) {
		skb_frag_size_add(&skb_shinfo(skb)->frags[i - 1], copy);
	} else {
		skb_fill_page_desc(skb, i, pfrag->page, pfrag->offset, copy);
		get_page(pfrag->page);
	}
	pfrag->offset += copy;
	return copy;
}

/**
 * mytcp_sendmsg - proto::sendmsg: queue the user's bytes and push them
 * @sk: the socket
 * @msg: the bytes, and MSG_* flags
 * @size: how many
 *
 * Return: bytes queued, or a negative errno as TCP's (EPIPE, EAGAIN...).
 */
int mytcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int flags = msg->msg_flags;
	int copied = 0, err;
	long timeo;

	lock_sock(sk);
	timeo = sock_sndtimeo(sk, flags & MSG_DONTWAIT);
	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT))) {
		err = sk_stream_wait_connect(sk, &timeo);
		if (err)
			goto do_error;
	}
	sk_clear_bit(SOCKWQ_ASYNC_NOSPACE, sk);

	while (msg_data_left(msg)) {
		unsigned int goal = mytcp_size_goal(sk);
		struct sk_buff *skb = skb_peek_tail(&sk->sk_write_queue);
		bool fresh = false;
		int copy;

		err = -EPIPE;
		if (sk->sk_err || (sk->sk_shutdown & SEND_SHUTDOWN))
			goto do_error;

		if (!mytcp_can_append(msk, skb, goal)) {
new_skb:
			if (!sk_stream_memory_free(sk))
				goto wait_for_memory;
			skb = mytcp_new_send_skb(sk);
			if (!skb)
				goto wait_for_memory;
			fresh = true;
		}
		copy = mytcp_copy_to_frag(sk, msg, skb,
					  min_t(size_t, msg_data_left(msg),
						goal - skb->len));
		if (copy == 0 && !fresh)
			goto new_skb;	/* every frag slot taken */
		if (copy == -ENOMEM)
			goto wait_for_memory;
		if (copy <= 0) {
			mytcp_drop_empty_tail(sk, skb);
			err = copy ?: -EFAULT;
			goto do_error;
		}
		MYTCP_SKB_CB(skb)->end_seq += copy;
		WRITE_ONCE(msk->write_seq, msk->write_seq + copy);
		copied += copy;
		if (skb->len >= goal)
			mytcp_push(sk);
		continue;

wait_for_memory:
		mytcp_drop_empty_tail(sk, skb_peek_tail(&sk->sk_write_queue));
		set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		mytcp_push(sk);
		err = sk_stream_wait_memory(sk, &timeo);
		if (err)
			goto do_error;
	}
	mytcp_push(sk);
	release_sock(sk);
	return copied;

do_error:
	mytcp_push(sk);
	if (copied) {
		release_sock(sk);
		return copied;
	}
	err = sk_stream_error(sk, flags, err);
	release_sock(sk);
	return err;
}
