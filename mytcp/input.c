// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the receive path.
 *
 * mytcp_v4_rcv() checks a segment (length, data offset, flags, checksum,
 * options: anything malformed is dropped and counted), finds its owner
 * (connection, TIME_WAIT entry, listener, or nobody: RST) and hands it over
 * under the owner's lock.  The per-state rules are RFC 9293 section
 * 3.10.7, in the order the RFC gives them.
 */

#include <linux/ip.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "protocol.h"
#include "trace.h"

static void mytcp_fin(struct sock *sk);

/**
 * mytcp_drop - count a dropped segment by its reason, and trace it
 * @net: namespace
 * @skb: the segment (its IP header, and its ports if they were readable)
 * @reason: the counter of the reason
 */
void mytcp_drop(const struct net *net, const struct sk_buff *skb,
		enum mytcp_mib_field reason)
{
	struct in6_addr saddr, daddr;
	__be16 sport = 0, dport = 0;

	mytcp_inc_stats(net, reason);
	if (skb_transport_header(skb) + sizeof(struct tcphdr) <=
	    skb_tail_pointer(skb)) {
		sport = tcp_hdr(skb)->source;
		dport = tcp_hdr(skb)->dest;
	}
	mytcp_skb_addrs(skb, &saddr, &daddr);
	trace_mytcp_drop(net, &saddr, sport, &daddr, dport,
			 mytcp_mib_name(reason));
}

/* The window we advertised that is still open: RCV.WND as RFC 9293 uses it */
static u32 mytcp_rcv_wnd_now(const struct mytcp_sock *msk)
{
	s32 left = (s32)(msk->rcv_wup + msk->rcv_wnd - msk->rcv_nxt);

	return left > 0 ? left : 0;
}

static u32 mytcp_now_rto_bound(const struct net *net, bool max)
{
	const struct mytcp_net *mn = mytcp_pernet(net);

	return (max ? mn->rto_max_ms : mn->rto_min_ms) * USEC_PER_MSEC;
}

/**
 * mytcp_rtt_measured - feed one round-trip measurement to the RTO
 * @sk: the socket, locked
 * @rtt_us: the measurement, from a segment sent once (Karn's rule)
 *
 * RFC 6298 sections 2.2 and 2.3, with the namespace's RTO bounds.
 */
void mytcp_rtt_measured(struct sock *sk, u64 rtt_us)
{
	mytcp_rtt_sample(&mytcp_sk(sk)->rtt, min_t(u64, rtt_us, U32_MAX),
			 mytcp_now_rto_bound(sock_net(sk), false),
			 mytcp_now_rto_bound(sock_net(sk), true));
}

/*
 * RFC 9293 section 3.10.7.4, fifth check, "SND.UNA < SEG.ACK =< SND.NXT":
 * free what the peer now holds, take an RTT sample (RFC 6298 section 3,
 * Karn's rule: only from segments sent once) and open the congestion window
 * (RFC 5681 section 3.1: slow start below ssthresh, then about one segment
 * per RTT).  An ACK that covers any retransmitted segment gives no sample
 * at all: after a timeout the receiver may have held later segments, sent
 * once but seconds ago, and the retransmission's arrival acknowledges them
 * too; timing those would inflate the RTO by the whole timeout.  Where
 * Karn's rule leaves no sample, the ACK's TSecr may give one (RFC 7323
 * section 4, RTTM; @opts, mytcp_ts_rtt_us()).
 */
static void mytcp_ack_advance(struct sock *sk, u32 ack,
			      const struct mytcp_opts *opts)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 acked = ack - msk->snd_una;
	bool freed = false, ambiguous = false;
	s64 rtt_us = -1;
	struct sk_buff *skb;

	while ((skb = skb_peek(&sk->sk_write_queue))) {
		struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);

		if (mytcp_seq_after(cb->end_seq, ack))
			break;
		if (cb->sacked_retrans)
			ambiguous = true;
		else if (cb->sent_us)
			rtt_us = mytcp_clock_us() - cb->sent_us;
		if (skb == msk->send_head)
			msk->send_head = skb_queue_is_last(&sk->sk_write_queue,
							   skb) ? NULL : skb->next;
		msk->bytes_acked += skb->len;
		__skb_unlink(skb, &sk->sk_write_queue);
		mytcp_wqueue_uncharge(sk, skb);
		consume_skb(skb);
		freed = true;
	}
	WRITE_ONCE(msk->snd_una, ack);	/* read by SIOCOUTQ and /proc */
	/* the path works: forget an ICMP error kept for a timeout (icmp.c) */
	WRITE_ONCE(sk->sk_err_soft, 0);
	if (mytcp_seq_after(ack, msk->snd_nxt))
		msk->snd_nxt = ack;
	msk->backoff = 0;
	if (rtt_us < 0 || ambiguous)
		rtt_us = freed ? mytcp_ts_rtt_us(sk, opts) : -1;
	if (rtt_us >= 0)
		mytcp_rtt_measured(sk, rtt_us);
	/* the algorithms read no clock: they are given the time and the RTT */
	msk->cc.now_us = (u32)mytcp_clock_us();
	msk->cc.srtt_us = msk->rtt.srtt;
	if (mytcp_cc_on_ack(&msk->cc, msk->ca_ops, ack, acked,
			    msk->snd_max - msk->snd_una) == MYTCP_CC_RETRANSMIT)
		mytcp_retransmit_una(sk);	/* RFC 6582: a partial ACK */

	if (msk->snd_una == msk->snd_max && !msk->send_head)
		sk_stop_timer(sk, &msk->rtx_timer);
	else
		mytcp_arm_rtx(sk);
	if (freed)
		sk->sk_write_space(sk);
}

/* Queue an in-order segment's new bytes for the reader; process its FIN. */
static void mytcp_queue_in_order(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	bool fin = cb->flags & TCPHDR_FIN;
	u32 data_end = cb->seq + skb->len;

	if (mytcp_seq_after(data_end, msk->rcv_nxt)) {
		msk->bytes_received += data_end - msk->rcv_nxt;
		WRITE_ONCE(msk->rcv_nxt, data_end);	/* poll() reads it */
		__skb_queue_tail(&sk->sk_receive_queue, skb);
	} else {
		kfree_skb(skb);
	}
	if (fin) {
		/* the FIN takes a sequence number of its own (section 3.4) */
		WRITE_ONCE(msk->rcv_nxt, data_end + 1);
		mytcp_fin(sk);
	}
}

/* Move segments that RCV.NXT has reached from the out-of-order queue. */
static void mytcp_ooo_drain(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb;

	while ((skb = skb_peek(&msk->ooo_queue))) {
		struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);

		if (mytcp_seq_after(cb->seq, msk->rcv_nxt))
			break;
		__skb_unlink(skb, &msk->ooo_queue);
		if (!mytcp_seq_after(cb->end_seq, msk->rcv_nxt)) {
			kfree_skb(skb);
			continue;
		}
		mytcp_queue_in_order(sk, skb);
		if (sk->sk_shutdown & RCV_SHUTDOWN)
			break;
	}
}

/*
 * Keep a segment that starts beyond RCV.NXT, sorted by sequence number.  A
 * segment wholly covered by one already held is a duplicate; partial
 * overlaps are trimmed when the data is read (the reader starts each skb at
 * its own offset from the copied sequence).
 */
static void mytcp_ooo_insert(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct sk_buff *pos;

	skb_queue_walk(&msk->ooo_queue, pos) {
		struct mytcp_skb_cb *pcb = MYTCP_SKB_CB(pos);

		if (!mytcp_seq_before(cb->seq, pcb->seq) &&
		    !mytcp_seq_after(cb->end_seq, pcb->end_seq)) {
			kfree_skb(skb);
			return;
		}
		if (mytcp_seq_before(cb->seq, pcb->seq)) {
			__skb_queue_before(&msk->ooo_queue, pos, skb);
			return;
		}
	}
	__skb_queue_tail(&msk->ooo_queue, skb);
}

/*
 * The peer's full segment size, for the "every second full-sized segment"
 * rule (mytcp_ack_rule()): the largest payload seen, a GSO skb counted by
 * its segments, never above the MSS we announced.
 */
static void mytcp_note_rcv_mss(struct mytcp_sock *msk,
			       const struct sk_buff *skb)
{
	u32 seg = skb_shinfo(skb)->gso_size ?: skb->len;

	if (seg > msk->rcv_mss)
		msk->rcv_mss = min_t(u32, seg, msk->advmss);
}

/*
 * RFC 9293 section 3.10.7.4, seventh and eighth checks: data and FIN, in
 * ESTABLISHED, FIN-WAIT-1 and FIN-WAIT-2.  Takes the skb.
 */
static void mytcp_data_queue(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	enum mytcp_mib_field why;
	bool filled_hole;

	if (!mytcp_seq_after(cb->end_seq, msk->rcv_nxt)) {
		/* all of it is old: a retransmission; tell the peer again */
		kfree_skb(skb);
		mytcp_send_ack(sk);
		return;
	}
	/*
	 * Our buffer, or the global pool (mem.c), is full: collapse and
	 * prune (rmem.c) before dropping; the skb may become a copy.
	 */
	if (!mytcp_rmem_make_room(sk, &skb, &why)) {
		mytcp_drop(sock_net(sk), skb, why);
		kfree_skb(skb);
		mytcp_send_ack(sk);
		return;
	}
	cb = MYTCP_SKB_CB(skb);
	skb_dst_drop(skb);
	skb_set_owner_r(skb, sk);
	mytcp_note_rcv_mss(msk, skb);
	if (mytcp_seq_after(cb->seq, msk->rcv_nxt)) {
		/*
		 * a hole before it: hold it, and send a duplicate ACK at
		 * once (RFC 5681 section 4.2); ACK each segment until the
		 * hole is filled and the sender has recovered
		 */
		mytcp_ooo_insert(sk, skb);
		mytcp_enter_quickack(sk);
		mytcp_send_ack(sk);
		return;
	}
	filled_hole = !skb_queue_empty(&msk->ooo_queue);
	mytcp_queue_in_order(sk, skb);
	mytcp_ooo_drain(sk);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_data_ready(sk);
	if (sk->sk_state != TCP_CLOSE)
		mytcp_ack_soon(sk, filled_hole ||
			       (sk->sk_shutdown & RCV_SHUTDOWN));
}

/*
 * RFC 9293 section 3.10.7.4, eighth check: the peer's FIN, reached in
 * sequence.  The reader sees end of file; the state moves on (figure 5).
 */
static void mytcp_fin(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int next;

	WRITE_ONCE(sk->sk_shutdown, sk->sk_shutdown | RCV_SHUTDOWN);
	sock_set_flag(sk, SOCK_DONE);
	/* nothing after the FIN can be data */
	skb_queue_purge(&msk->ooo_queue);

	next = mytcp_event(sk, MYTCP_EV_RCV_FIN);
	if (next == TCP_TIME_WAIT) {
		mytcp_send_ack(sk);
		mytcp_time_wait(sk);
		return;
	}
	if (!sock_flag(sk, SOCK_DEAD)) {
		sk->sk_state_change(sk);
		if (sk->sk_shutdown == SHUTDOWN_MASK || sk->sk_state == TCP_CLOSE)
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_HUP);
		else
			sk_wake_async(sk, SOCK_WAKE_WAITD, POLL_IN);
	}
}

/*
 * A segment passed the checks that a blind sender cannot: the peer is
 * alive, for keepalive and the persist timer.
 */
static void mytcp_peer_alive(struct mytcp_sock *msk)
{
	msk->rcv_tstamp = jiffies;
	msk->keepalive_probes = 0;
}

/* RFC 9293 section 3.10.7.3: a segment arrives in SYN-SENT. */
static void mytcp_rcv_synsent(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct net *net = sock_net(sk);

	/* first: the ACK must acknowledge our SYN */
	if ((cb->flags & TCPHDR_ACK) &&
	    !mytcp_synsent_ack_acceptable(msk->iss, msk->snd_max, cb->ack)) {
		if (!(cb->flags & TCPHDR_RST))
			mytcp_send_reset_reply_sk(sk, skb);
		mytcp_drop(net, skb, MYTCP_MIB_DROP_NOT_ACCEPTABLE);
		goto drop;
	}
	/* second: a RST counts only with an acceptable ACK: refused */
	if (cb->flags & TCPHDR_RST) {
		if (cb->flags & TCPHDR_ACK)
			mytcp_reset(sk);
		goto drop;
	}
	/* fourth: SYN */
	if (!(cb->flags & TCPHDR_SYN))
		goto drop;

	mytcp_peer_alive(msk);
	msk->irs = cb->seq;
	WRITE_ONCE(msk->rcv_nxt, cb->seq + 1);
	WRITE_ONCE(msk->copied_seq, msk->rcv_nxt);
	msk->rcv_wup = msk->rcv_nxt;
	/* RFC 7323 section 3.2: timestamps if our SYN and theirs offer them */
	msk->ts_ok = msk->ts_ok && cb->opts.ts_ok;
	if (msk->ts_ok)
		mytcp_ts_set_recent(sk, cb->opts.tsval);
	msk->mss = min_t(u16, mytcp_peer_mss(cb->opts.mss), msk->advmss) -
		   mytcp_ts_hdr_len(sk);
	if (cb->opts.wscale_ok) {
		msk->snd_wscale = cb->opts.wscale;
		msk->rcv_wscale = MYTCP_RCV_WSCALE;
	} else {
		msk->snd_wscale = 0;
		msk->rcv_wscale = 0;
	}
	/* RFC 7323 section 2.2: the window of a SYN is not scaled */
	msk->snd_wnd = cb->wnd;
	msk->max_snd_wnd = msk->snd_wnd;
	msk->snd_wl1 = cb->seq;
	msk->snd_wl2 = cb->ack;

	if (cb->flags & TCPHDR_ACK) {
		/* our SYN is acknowledged: ESTABLISHED, send the third segment */
		mytcp_ack_advance(sk, cb->ack, &cb->opts);
		mytcp_event(sk, MYTCP_EV_RCV_SYNACK);
		mytcp_established(sk);
		mytcp_send_ack(sk);
		if (!sock_flag(sk, SOCK_DEAD)) {
			sk->sk_state_change(sk);
			sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
		}
		mytcp_push(sk);
	} else {
		/* simultaneous open: send SYN,ACK (section 3.5, figure 8) */
		mytcp_event(sk, MYTCP_EV_RCV_SYN);
		if (skb_peek(&sk->sk_write_queue))
			mytcp_transmit_skb(sk, skb_peek(&sk->sk_write_queue),
					   "synack");
	}
drop:
	kfree_skb(skb);
}

/*
 * The segment is the peer's SYN,ACK of a simultaneous open (RFC 9293
 * section 3.5, figure 8): the SYN we hold (SEQ = IRS, nothing else taking
 * sequence space) and an ACK of exactly our SYN.
 */
static bool mytcp_simopen_synack(const struct mytcp_sock *msk,
				 const struct mytcp_skb_cb *cb)
{
	return (cb->flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST |
			     TCPHDR_FIN)) == (TCPHDR_SYN | TCPHDR_ACK) &&
	       cb->seq == msk->irs && cb->end_seq == msk->irs + 1 &&
	       msk->rcv_nxt == msk->irs + 1 && cb->ack == msk->snd_max;
}

/* Trim data beyond the right edge of the window (section 3.10.7.4). */
static void mytcp_trim_to_window(struct mytcp_sock *msk, struct sk_buff *skb,
				 u32 wnd)
{
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	u32 right = msk->rcv_nxt + wnd;
	u32 keep;

	if (!mytcp_seq_after(cb->end_seq, right))
		return;
	keep = mytcp_seq_after(right, cb->seq) ? right - cb->seq : 0;
	if (keep < skb->len && !pskb_trim(skb, keep)) {
		cb->flags &= ~TCPHDR_FIN;
		cb->end_seq = cb->seq + keep;
	}
}

/* RFC 9293 section 3.10.7.4: a segment in a synchronized state. */
static void mytcp_rcv_synchronized(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct net *net = sock_net(sk);
	u32 seg_len = cb->end_seq - cb->seq;
	u32 wnd = mytcp_rcv_wnd_now(msk);
	bool had_data = skb->len > 0;
	bool synack = false;
	int next;

	/*
	 * RFC 9293 section 3.5, figure 8, lines 6-7: in a simultaneous open
	 * the peer's SYN,ACK <SEQ=IRS><ACK=ISS+1> reaches us in SYN-RECEIVED.
	 * Its SYN is the one we already hold; its ACK is the acknowledgment
	 * of our SYN that takes us to ESTABLISHED (as Linux accepts it).
	 * Processed from here on as that ACK, at RCV.NXT.
	 */
	if (sk->sk_state == TCP_SYN_RECV && mytcp_simopen_synack(msk, cb)) {
		cb->flags &= ~TCPHDR_SYN;
		cb->seq = msk->rcv_nxt;
		seg_len = 0;
		synack = true;
	}
	/* RFC 7323 section 5.3, R1: PAWS comes before the sequence number */
	if (mytcp_paws_drop(sk, skb, seg_len))
		goto drop;
	/*
	 * first: sequence number.  A segment at the right edge of the window
	 * still counts for its ACK, and at a zero window's (RCV.NXT) for its
	 * RST: the RFC's "special allowance", see mytcp_seg_ack_usable().
	 */
	if (!mytcp_seg_acceptable(msk->rcv_nxt, wnd, cb->seq, seg_len) &&
	    !mytcp_seg_ack_usable(msk->rcv_nxt, wnd, cb->seq,
				  cb->flags & TCPHDR_RST)) {
		mytcp_drop(net, skb, MYTCP_MIB_DROP_NOT_ACCEPTABLE);
		if (!(cb->flags & TCPHDR_RST))
			mytcp_send_dupack(sk, seg_len);
		goto drop;
	}
	mytcp_trim_to_window(msk, skb, wnd);

	/* second: RST; RFC 5961 section 3.2 asks for an exact match */
	if (cb->flags & TCPHDR_RST) {
		if (cb->seq == msk->rcv_nxt)
			mytcp_reset(sk);
		else
			mytcp_send_challenge_ack(sk);
		goto drop;
	}
	/* fourth: a SYN here is answered by a challenge ACK (RFC 5961 4.2) */
	if (cb->flags & TCPHDR_SYN) {
		mytcp_send_challenge_ack(sk);
		goto drop;
	}
	/* fifth: ACK */
	if (!(cb->flags & TCPHDR_ACK))
		goto drop;
	if (sk->sk_state == TCP_SYN_RECV) {
		if (!mytcp_ack_acceptable(msk->snd_una, msk->snd_max, cb->ack)) {
			mytcp_send_reset_reply_sk(sk, skb);
			goto drop;
		}
		mytcp_event(sk, MYTCP_EV_RCV_ACK_OF_SYN);
		mytcp_established(sk);
		/* RFC 7323 section 2.2: a SYN's window is not scaled */
		msk->snd_wnd = synack ? cb->wnd :
				(u32)cb->wnd << msk->snd_wscale;
		msk->snd_wl1 = cb->seq;
		msk->snd_wl2 = cb->ack;
		/* figure 8, line 7: the SYN,ACK is acknowledged */
		if (synack)
			mytcp_send_ack(sk);
		if (!sock_flag(sk, SOCK_DEAD)) {
			sk->sk_state_change(sk);
			sk_wake_async(sk, SOCK_WAKE_IO, POLL_OUT);
		}
	}
	/*
	 * RFC 5961 section 5.2: an ACK of something not yet sent, or older
	 * than any window the peer could still be answering, is challenged.
	 */
	if (mytcp_seq_after(cb->ack, msk->snd_max) ||
	    mytcp_seq_before(cb->ack, msk->snd_una - msk->max_snd_wnd)) {
		mytcp_drop(net, skb, MYTCP_MIB_DROP_NOT_ACCEPTABLE);
		mytcp_send_challenge_ack(sk);
		goto drop;
	}
	/*
	 * The segment passed the sequence and ACK checks: the peer is alive
	 * (keepalive, the persist timer).  Anyone can send a segment that
	 * fails them, so those say nothing.
	 */
	mytcp_peer_alive(msk);
	/* RFC 7323 section 4.3 (and 5.3, R3): TS.Recent, before our ACK */
	mytcp_ts_note_recent(sk, skb);
	if (mytcp_ack_acceptable(msk->snd_una, msk->snd_max, cb->ack)) {
		mytcp_ack_advance(sk, cb->ack, &cb->opts);
	} else if (cb->ack == msk->snd_una && cb->end_seq == cb->seq &&
		   msk->snd_una != msk->snd_max && msk->snd_wnd &&
		   ((u32)cb->wnd << msk->snd_wscale) == msk->snd_wnd) {
		/* RFC 5681 section 2: a duplicate ACK */
		msk->cc.now_us = (u32)mytcp_clock_us();
		if (mytcp_cc_on_dupack(&msk->cc, msk->ca_ops,
				       msk->snd_max - msk->snd_una,
				       msk->snd_max) == MYTCP_CC_RETRANSMIT)
			mytcp_retransmit_una(sk);
	}
	if (!synack && mytcp_window_update_ok(msk->snd_wl1, msk->snd_wl2,
					      cb->seq, cb->ack)) {
		u32 was = msk->snd_wnd;

		msk->snd_wnd = (u32)cb->wnd << msk->snd_wscale;
		msk->max_snd_wnd = max(msk->max_snd_wnd, msk->snd_wnd);
		msk->snd_wl1 = cb->seq;
		msk->snd_wl2 = cb->ack;
		/* section 3.8.6.1: the zero window opened, persisting ends */
		if (!was && msk->snd_wnd)
			mytcp_window_opened(sk);
	}

	/* our FIN acknowledged? */
	if (msk->fin_queued && msk->snd_una == msk->write_seq) {
		next = mytcp_event(sk, MYTCP_EV_RCV_ACK_OF_FIN);
		if (next == TCP_TIME_WAIT) {
			mytcp_time_wait(sk);
			goto drop;
		}
		if (next == TCP_CLOSE) {
			mytcp_done(sk);
			goto drop;
		}
		if (next == TCP_FIN_WAIT2) {
			if (sock_flag(sk, SOCK_DEAD))
				mytcp_arm_fin_wait2(sk);
			else
				sk->sk_state_change(sk);
		}
	}
	mytcp_push(sk);

	/* sixth (URG) is not implemented; seventh and eighth: data, FIN */
	if (cb->end_seq == cb->seq) {
		/* data cut by a closed window (a probe): say where we are */
		if (had_data)
			mytcp_send_ack(sk);
		goto drop;
	}
	switch (sk->sk_state) {
	case TCP_FIN_WAIT1:
	case TCP_FIN_WAIT2:
		/*
		 * The user has closed and will read nothing more: new data
		 * can only be answered with a RST (as Linux does).
		 */
		if ((sk->sk_shutdown & RCV_SHUTDOWN) && skb->len &&
		    mytcp_seq_after(cb->seq + skb->len, msk->rcv_nxt)) {
			mytcp_send_reset_reply_sk(sk, skb);
			mytcp_reset(sk);
			goto drop;
		}
		fallthrough;
	case TCP_ESTABLISHED:
		mytcp_data_queue(sk, skb);
		return;
	default:
		/* CLOSE-WAIT, CLOSING, LAST-ACK: the peer's FIN came already */
		mytcp_send_ack(sk);
		goto drop;
	}
drop:
	kfree_skb(skb);
}

/**
 * mytcp_backlog_rcv - sk_backlog_rcv: a segment queued while a process
 *	owned the socket, now run from release_sock()
 * @sk: the socket, owned by the process releasing it
 * @skb: the segment
 *
 * release_sock() runs this with BHs on; the receive path takes the locks
 * softirqs take (a child's socket lock, table buckets), so turn them off.
 *
 * Return: 0.
 */
int mytcp_backlog_rcv(struct sock *sk, struct sk_buff *skb)
{
	local_bh_disable();
	mytcp_do_rcv(sk, skb);
	local_bh_enable();
	return 0;
}

/**
 * mytcp_do_rcv - process one segment for a socket (also sk_backlog_rcv)
 * @sk: the socket, locked by its owner or bh-locked and not owned
 * @skb: the segment, its control block filled in and its header pulled
 *
 * Return: 0; the skb is always consumed.
 */
int mytcp_do_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct net *net = sock_net(sk);

	/*
	 * RFC 9293 sections 3.10.7.2 (fourth), 3.10.7.3 and 3.10.7.4
	 * (fifth): a socket drops a segment that carries none of ACK, SYN
	 * and RST.  In CLOSE it is answered like any other (3.10.7.1).
	 */
	if (sk->sk_state != TCP_CLOSE &&
	    mytcp_ack_missing(MYTCP_SKB_CB(skb)->flags)) {
		mytcp_drop(net, skb, MYTCP_MIB_DROP_BAD_FLAGS);
		kfree_skb(skb);
		return 0;
	}
	switch (sk->sk_state) {
	case TCP_LISTEN:
		mytcp_listen_rcv(sk, skb);
		return 0;
	case TCP_SYN_SENT:
		mytcp_rcv_synsent(sk, skb);
		return 0;
	case TCP_CLOSE: {
		/* closed while the segment waited: perhaps now TIME_WAIT */
		const struct tcphdr *th = tcp_hdr(skb);
		struct in6_addr saddr, daddr;
		struct mytcp_tw *tw;

		mytcp_skb_addrs(skb, &saddr, &daddr);
		tw = mytcp_lookup_tw(net, &daddr, th->dest, &saddr, th->source);
		if (tw) {
			/* no listener here: the segment is always consumed */
			mytcp_tw_rcv(tw, skb, NULL);
			mytcp_tw_put(tw);
			return 0;
		}
		mytcp_send_reset_reply_sk(sk, skb);
		kfree_skb(skb);
		return 0;
	}
	default:
		mytcp_rcv_synchronized(sk, skb);
		return 0;
	}
}

static void mytcp_deliver_locking(struct sock *sk, struct sk_buff *skb,
				  int subclass)
{
	spin_lock_nested(&sk->sk_lock.slock, subclass);
	if (!sock_owned_by_user(sk)) {
		mytcp_do_rcv(sk, skb);
	} else if (sk_add_backlog(sk, skb, READ_ONCE(sk->sk_rcvbuf) +
				  READ_ONCE(sk->sk_sndbuf))) {
		mytcp_drop(sock_net(sk), skb, MYTCP_MIB_DROP_BACKLOG);
		kfree_skb(skb);
	}
	bh_unlock_sock(sk);
}

/**
 * mytcp_deliver - hand a segment to a socket, or to its backlog if busy
 * @sk: the socket, referenced by the caller; no other socket is locked
 * @skb: the segment; consumed
 *
 * Called with BHs off (softirq, or mytcp_backlog_rcv()).
 */
void mytcp_deliver(struct sock *sk, struct sk_buff *skb)
{
	mytcp_deliver_locking(sk, skb, 0);
}

/**
 * mytcp_deliver_child - mytcp_deliver() for a child of a locked listener
 * @child: the child socket, referenced by the caller
 * @skb: the segment; consumed
 *
 * The listener's lock is held, and both locks are of one lockdep class:
 * the child's is taken one level down (SINGLE_DEPTH_NESTING), as
 * everywhere else a child is locked under its listener.
 */
void mytcp_deliver_child(struct sock *child, struct sk_buff *skb)
{
	mytcp_deliver_locking(child, skb, SINGLE_DEPTH_NESTING);
}

static enum mytcp_mib_field mytcp_hdr_drop_reason(enum mytcp_hdr_verdict v)
{
	switch (v) {
	case MYTCP_HDR_SHORT:
		return MYTCP_MIB_DROP_SHORT;
	case MYTCP_HDR_BAD_DOFF:
		return MYTCP_MIB_DROP_BAD_DOFF;
	case MYTCP_HDR_BAD_FLAGS:
		return MYTCP_MIB_DROP_BAD_FLAGS;
	default:
		return MYTCP_MIB_DROP_BAD_OPTIONS;
	}
}

/**
 * mytcp_policy_ok - the IPsec inbound policy check for a segment
 * @sk: the socket it is for, or NULL
 * @skb: the segment
 *
 * The protocol is registered with no_policy (and INET6_PROTO_NOPOLICY),
 * so IP leaves the check to us.
 *
 * Return: true if the segment may go on.
 */
bool mytcp_policy_ok(struct sock *sk, struct sk_buff *skb)
{
	if (ip_hdr(skb)->version == 6)
		return xfrm6_policy_check(sk, XFRM_POLICY_IN, skb);
	return xfrm4_policy_check(sk, XFRM_POLICY_IN, skb);
}

/*
 * The segment goes on into the stack: its control block into skb->cb (once
 * only: a TIME_WAIT entry may pass it to a listener; then @cb is already
 * skb->cb) and its data at the payload.
 */
static void mytcp_rcv_ready(struct sk_buff *skb, const struct mytcp_skb_cb *cb,
			    unsigned int hdrlen)
{
	if (cb == MYTCP_SKB_CB(skb))
		return;
	*MYTCP_SKB_CB(skb) = *cb;
	__skb_pull(skb, hdrlen);
}

/**
 * mytcp_v4_rcv - IP protocol 253 handler: a segment arrives
 * @skb: the packet, data at our header
 *
 * The IPv4 checks, then mytcp_rcv().
 *
 * Return: 0; the skb is always consumed.
 */
int mytcp_v4_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);

	if (skb->pkt_type != PACKET_HOST)
		goto discard;
	if (skb_rtable(skb)->rt_flags & (RTCF_BROADCAST | RTCF_MULTICAST))
		goto discard;
	return mytcp_rcv(skb, net, inet_iif(skb));
discard:
	kfree_skb(skb);
	return 0;
}

/**
 * mytcp_rcv - a segment arrives, over IPv4 or IPv6
 * @skb: the packet, data at our header, its network header of either
 *	family; its family's own checks (mytcp_v4_rcv(), mytcp_v6_rcv()) done
 * @net: its namespace
 * @iif: the interface it came in on
 *
 * Return: 0; the skb is always consumed.
 */
int mytcp_rcv(struct sk_buff *skb, struct net *net, int iif)
{
	enum mytcp_hdr_verdict verdict;
	struct in6_addr saddr, daddr;
	struct mytcp_skb_cb cbuf, *cb = &cbuf;
	struct mytcp_opts opts;
	const struct tcphdr *th;
	struct mytcp_tw *tw;
	struct sock *sk;
	unsigned int hdrlen;

	BUILD_BUG_ON(sizeof(struct mytcp_skb_cb) > sizeof(skb->cb));
	mytcp_inc_stats(net, MYTCP_MIB_INSEGS);

	if (!pskb_may_pull(skb, sizeof(struct tcphdr))) {
		verdict = MYTCP_HDR_SHORT;
		goto bad_header;
	}
	th = tcp_hdr(skb);
	verdict = mytcp_check_header(th, skb->len);
	if (verdict != MYTCP_HDR_OK)
		goto bad_header;
	hdrlen = th->doff * 4;
	if (!pskb_may_pull(skb, hdrlen)) {
		verdict = MYTCP_HDR_SHORT;
		goto bad_header;
	}
	th = tcp_hdr(skb);
	mytcp_skb_addrs(skb, &saddr, &daddr);
	if (!mytcp_rcv_csum_ok(skb, &saddr, &daddr)) {
		mytcp_inc_stats(net, MYTCP_MIB_INERRS);
		mytcp_drop(net, skb, MYTCP_MIB_INCSUMERRORS);
		goto discard;
	}
	/* a GSO skb from a local sender (lo, veth) is one segment to us */
	if (skb_is_gso(skb))
		mytcp_inc_stats(net, MYTCP_MIB_IN_GSO_SKBS);
	if (mytcp_parse_options((const u8 *)(th + 1), hdrlen - sizeof(*th),
				th->syn, &opts)) {
		verdict = MYTCP_HDR_BAD_OPTIONS;
		goto bad_header;
	}

	/*
	 * The control block is filled here and copied into skb->cb only
	 * once the IPsec policy has been checked (mytcp_rcv_ready()): over
	 * IPv6, xfrm6_policy_check() reads the IP6CB that skb->cb holds.
	 */
	memset(cb, 0, sizeof(*cb));
	cb->seq = ntohl(th->seq);
	cb->end_seq = cb->seq + mytcp_seg_len(th, skb->len - hdrlen);
	cb->ack = ntohl(th->ack_seq);
	cb->wnd = ntohs(th->window);
	cb->flags = tcp_flag_byte(th);
	cb->iif = iif;
	cb->opts = opts;
	trace_mytcp_segment_in(net, &saddr, th->source, &daddr, th->dest,
			       cb->seq, cb->ack, cb->flags, cb->wnd,
			       skb->len - hdrlen);
	nf_reset_ct(skb);

	sk = mytcp_lookup_established(net, &daddr, th->dest, &saddr,
				      th->source);
	if (sk)
		goto deliver;
	tw = mytcp_lookup_tw(net, &daddr, th->dest, &saddr, th->source);
	if (tw) {
		if (!mytcp_policy_ok(NULL, skb)) {
			mytcp_tw_put(tw);
			goto policy_drop;
		}
		/*
		 * RFC 9293 section 3.10.7.4 (TIME-WAIT) with RFC 6191's reuse:
		 * a new SYN may end TIME_WAIT only for a listener to take it,
		 * so find the listener before the entry is killed, and check
		 * its policy while skb->cb still holds IP6CB.
		 */
		sk = NULL;
		if ((cb->flags & (TCPHDR_SYN | TCPHDR_ACK)) == TCPHDR_SYN)
			sk = mytcp_lookup_listener(net, &daddr, th->dest, iif);
		if (sk && !mytcp_policy_ok(sk, skb)) {
			mytcp_tw_put(tw);
			sock_put(sk);
			goto policy_drop;
		}
		mytcp_rcv_ready(skb, cb, hdrlen);
		cb = MYTCP_SKB_CB(skb);
		if (mytcp_tw_rcv(tw, skb, sk)) {
			mytcp_tw_put(tw);
			goto deliver_checked;
		}
		mytcp_tw_put(tw);
		if (sk)
			sock_put(sk);
		return 0;
	}
	sk = mytcp_lookup_listener(net, &daddr, th->dest, iif);
	if (sk)
		goto deliver;

	/* RFC 9293 section 3.10.7.1: no connection, answer with a RST */
	if (!mytcp_policy_ok(NULL, skb))
		goto policy_drop;
	mytcp_rcv_ready(skb, cb, hdrlen);
	mytcp_drop(net, skb, MYTCP_MIB_DROP_NO_SOCKET);
	mytcp_send_reset_reply(net, skb);
	kfree_skb(skb);
	return 0;

deliver:
	/*
	 * A segment that should have come protected (or by another path)
	 * goes no further.
	 */
	if (!mytcp_policy_ok(sk, skb)) {
		sock_put(sk);
		goto policy_drop;
	}
deliver_checked:
	mytcp_rcv_ready(skb, cb, hdrlen);
	mytcp_deliver(sk, skb);
	sock_put(sk);
	return 0;

policy_drop:
	mytcp_drop(net, skb, MYTCP_MIB_DROP_POLICY);
	kfree_skb(skb);
	return 0;

bad_header:
	mytcp_inc_stats(net, MYTCP_MIB_INERRS);
	mytcp_drop(net, skb, mytcp_hdr_drop_reason(verdict));
discard:
	kfree_skb(skb);
	return 0;
}
