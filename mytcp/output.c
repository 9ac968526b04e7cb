// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: building and sending segments (RFC 9293 sections 3.1, 3.8, 3.10).
 *
 * Data, SYN and FIN wait in sk_write_queue until acknowledged; the skb
 * there is the master copy and what goes down to IP is a clone, so a lost
 * segment can be sent again.  Segments that have no socket to belong to
 * (a SYN+ACK for a request, a RST for a segment nobody wants, an ACK from
 * TIME_WAIT) are in reply.c.
 */

#include <linux/ip.h>
#include <net/dst.h>
#include <net/ip.h>

#include "protocol.h"
#include "trace.h"

/**
 * mytcp_receive_space - bytes of data the receive buffer can still take
 * @sk: the socket
 *
 * Half of the free buffer memory, as skb overhead (truesize) is about as
 * large as the data for full-sized segments.
 *
 * Return: the space, in bytes.
 */
u32 mytcp_receive_space(const struct sock *sk)
{
	int free = READ_ONCE(sk->sk_rcvbuf) - atomic_read(&sk->sk_rmem_alloc);

	return free > 0 ? free / 2 : 0;
}

/*
 * RFC 9293 section 3.8.6.2.2: the right edge moves by at least
 * min(Fr * RCV.BUFF, Eff.snd.MSS), Fr = 1/2.  RCV.BUFF in data bytes is half
 * of sk_rcvbuf (see mytcp_receive_space()), hence sk_rcvbuf / 4.
 */
static u32 mytcp_rcv_sws_step(const struct sock *sk)
{
	return min_t(u32, READ_ONCE(sk->sk_rcvbuf) / 4, mytcp_sk(sk)->advmss);
}

/* The window mytcp_select_window() would advertise now, from RCV.NXT. */
static u32 mytcp_rcv_window_now(const struct sock *sk)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);

	return mytcp_rcv_window(msk->rcv_nxt, msk->rcv_wup + msk->rcv_wnd,
				mytcp_receive_space(sk), mytcp_rcv_sws_step(sk),
				msk->rcv_wscale);
}

/**
 * mytcp_select_window - the window to advertise now, and remember it
 * @sk: the socket
 *
 * RFC 9293 section 3.8.6.2.2: the right edge of the window is never moved
 * left; the window follows the memory really free, and opens as the reader
 * drains.
 *
 * Return: the window field value, already shifted by our window scale.
 */
u32 mytcp_select_window(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 wnd = mytcp_rcv_window_now(sk);

	msk->rcv_wnd = wnd;
	msk->rcv_wup = msk->rcv_nxt;
	return min(wnd >> msk->rcv_wscale, 65535U);
}

/* The window an empty receive buffer gives: half of sk_rcvbuf, capped */
static u32 mytcp_full_window(const struct sock *sk)
{
	u32 wscale = mytcp_sk(sk)->rcv_wscale;

	return round_down(min_t(u32, READ_ONCE(sk->sk_rcvbuf) / 2,
				65535U << wscale), 1U << wscale);
}

/**
 * mytcp_window_update_due - would a window update be worth a segment now?
 * @sk: the socket
 *
 * RFC 9293 section 3.8.6.2.2 (receiver-side silly window avoidance): the
 * right edge we would advertise now must lie at least
 * min(RCV.BUFF / 2, Eff.snd.MSS) beyond the one advertised last, and, so
 * that a reader does not cost an ACK per MSS it reads, the window still
 * open must be down to half of the full one with the new one at least
 * twice it (mytcp_wnd_update_rule()).  What mytcp_select_window() would
 * send is compared, with the window scale and its cap, so a reader never
 * causes an ACK that carries the same window.
 *
 * Return: true when an ACK should go out to announce the window.
 */
bool mytcp_window_update_due(const struct sock *sk)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);
	s32 left = (s32)(msk->rcv_wup + msk->rcv_wnd - msk->rcv_nxt);

	return mytcp_wnd_update_rule(left > 0 ? left : 0,
				     mytcp_rcv_window_now(sk),
				     mytcp_full_window(sk),
				     mytcp_rcv_sws_step(sk));
}

static int mytcp_v4_queue_xmit(struct sock *sk, struct sk_buff *skb)
{
	return ip_queue_xmit(sk, skb, &inet_sk(sk)->cork.fl);
}

/* An AF_INET socket's, and an AF_INET6 one's with an IPv4 peer */
const struct mytcp_af_ops mytcp_ipv4_ops = {
	.queue_xmit	= mytcp_v4_queue_xmit,
	.rebuild_header	= inet_sk_rebuild_header,
	.net_header_len	= sizeof(struct iphdr),
	.min_pmtu	= 68,
};

/*
 * Fill in the header at skb->data and its checksum: in software, or with
 * @partial only its pseudo-header part, for the device or the GSO code to
 * finish (CHECKSUM_PARTIAL, csum_start at our header).
 */
static void mytcp_fill_header_csum(const struct net *net, struct sk_buff *skb,
				   const struct in6_addr *saddr,
				   const struct in6_addr *daddr, __be16 sport,
				   __be16 dport, u32 seq, u32 ack, u8 flags,
				   u16 wnd, const struct mytcp_opts *opts,
				   bool partial)
{
	unsigned int payload = skb->len;
	unsigned int optlen = opts ? mytcp_syn_options_len(opts) : 0;
	struct tcphdr *th;

	th = skb_push(skb, sizeof(*th) + optlen);
	skb_reset_transport_header(skb);
	memset(th, 0, sizeof(*th));
	th->source = sport;
	th->dest = dport;
	th->seq = htonl(seq);
	th->ack_seq = (flags & TCPHDR_ACK) ? htonl(ack) : 0;
	th->doff = (sizeof(*th) + optlen) / 4;
	tcp_flag_byte(th) = flags;
	th->window = htons(wnd);
	if (opts)
		mytcp_write_syn_options((u8 *)(th + 1), opts);
	if (partial) {
		th->check = mytcp_csum_seed(saddr, daddr, skb->len);
		skb->ip_summed = CHECKSUM_PARTIAL;
		skb->csum_start = skb_transport_header(skb) - skb->head;
		skb->csum_offset = offsetof(struct tcphdr, check);
	} else {
		th->check = mytcp_checksum_any(skb, skb->len, saddr, daddr);
		skb->ip_summed = CHECKSUM_NONE;
	}
	trace_mytcp_segment_out(net, saddr, sport, daddr, dport, seq,
				(flags & TCPHDR_ACK) ? ack : 0, flags, wnd,
				payload);
}

/**
 * mytcp_fill_header - push the header (and the IP header's fields) of a segment
 * @net: namespace (for the trace and the counters)
 * @skb: the segment, its payload (if any) already in place
 * @saddr: source address (IPv4 as v4-mapped)
 * @daddr: destination address
 * @sport: source port
 * @dport: destination port
 * @seq: sequence number
 * @ack: acknowledgment number (sent only with TCPHDR_ACK)
 * @flags: TCPHDR_* flags
 * @wnd: the window field, already scaled
 * @opts: options to put in, or NULL
 *
 * The checksum is computed in software; mytcp_xmit_one() is the one caller
 * that may leave it to the device.
 */
void mytcp_fill_header(const struct net *net, struct sk_buff *skb,
		       const struct in6_addr *saddr,
		       const struct in6_addr *daddr, __be16 sport,
		       __be16 dport, u32 seq, u32 ack, u8 flags, u16 wnd,
		       const struct mytcp_opts *opts)
{
	mytcp_fill_header_csum(net, skb, saddr, daddr, sport, dport, seq, ack,
			       flags, wnd, opts, false);
}

/**
 * mytcp_can_gso - may this socket send GSO skbs now?
 * @sk: the socket
 *
 * sk_setup_caps() has matched the route's device against sk_gso_type
 * (SKB_GSO_SCTP, offload.c); a device taking only one segment per skb
 * (gso_max_segs 1) gets none either.
 *
 * Return: true when skbs of more than one MSS may go down as GSO skbs.
 */
bool mytcp_can_gso(const struct sock *sk)
{
	return sk_can_gso(sk) && READ_ONCE(sk->sk_gso_max_segs) > 1;
}

/*
 * Does the device of the socket's route checksum any protocol?  Only
 * NETIF_F_HW_CSUM says so: NETIF_F_IP_CSUM and NETIF_F_IPV6_CSUM are for
 * TCP and UDP.  The device's own features: sk_route_caps has HW_CSUM
 * added by sk_setup_caps() whenever GSO is possible.
 */
static bool mytcp_dev_csums(const struct sock *sk)
{
	const struct dst_entry *dst = __sk_dst_get((struct sock *)sk);

	return dst && dst->dev && (dst->dev->features & NETIF_F_HW_CSUM);
}

/*
 * The GSO fields of a send skb: a GSO skb of gso_size = MSS when it holds
 * more than one MSS (the caller made sure the path takes it), else none.
 */
static void mytcp_set_gso(const struct mytcp_sock *msk, struct sk_buff *skb)
{
	struct skb_shared_info *shinfo = skb_shinfo(skb);

	if (skb->len > msk->mss) {
		shinfo->gso_size = msk->mss;
		shinfo->gso_type = SKB_GSO_SCTP;
		shinfo->gso_segs = DIV_ROUND_UP(skb->len, msk->mss);
	} else {
		shinfo->gso_size = 0;
		shinfo->gso_type = 0;
		shinfo->gso_segs = 0;
	}
}

/*
 * The options of a segment after the SYNs: the timestamps alone, when
 * negotiated (RFC 7323 section 3.2: on every segment but a RST), else none.
 */
static struct mytcp_opts *mytcp_ts_opts(struct sock *sk,
					struct mytcp_opts *opts)
{
	if (!mytcp_sk(sk)->ts_ok)
		return NULL;
	memset(opts, 0, sizeof(*opts));
	mytcp_ts_fill(sk, opts);
	return opts;
}

/*
 * Send one skb of the write queue (a clone of it, or a copy when an earlier
 * clone may still be queued in a device and shares the header room).  The
 * GSO fields are in the shared info, which a clone shares: they are set
 * on the master only when no clone of it is out, else on the copy.
 */
static int mytcp_xmit_one(struct sock *sk, struct sk_buff *oskb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(oskb);
	struct inet_sock *inet = inet_sk(sk);
	struct mytcp_opts opts, *optp = NULL;
	struct in6_addr saddr, daddr;
	struct sk_buff *skb;
	u8 flags = cb->flags;
	bool partial;
	u16 wnd;

	if (skb_cloned(oskb)) {
		skb = pskb_copy(oskb, GFP_ATOMIC);
		if (skb)
			mytcp_set_gso(msk, skb);
	} else {
		mytcp_set_gso(msk, oskb);
		skb = skb_clone(oskb, GFP_ATOMIC);
	}
	if (!skb)
		return -ENOBUFS;
	/* a GSO skb is always CHECKSUM_PARTIAL; the GSO code finishes it */
	partial = skb_is_gso(skb) || (skb->len && mytcp_dev_csums(sk));

	/* Every segment after the first SYN carries an ACK (section 3.10.7) */
	if (sk->sk_state != TCP_SYN_SENT)
		flags |= TCPHDR_ACK;
	if (flags & TCPHDR_SYN) {
		memset(&opts, 0, sizeof(opts));
		opts.mss = msk->advmss;
		opts.wscale_ok = true;
		opts.wscale = MYTCP_RCV_WSCALE;
		optp = &opts;
		/* RFC 7323 section 3.2: offered, or echoed in a SYN,ACK */
		if (msk->ts_ok)
			mytcp_ts_fill(sk, &opts);
		/* RFC 7323 section 2.2: the window of a SYN is never scaled */
		wnd = min_t(u32, mytcp_receive_space(sk), 65535U);
		msk->rcv_wnd = wnd;
		msk->rcv_wup = msk->rcv_nxt;
	} else {
		wnd = mytcp_select_window(sk);
		optp = mytcp_ts_opts(sk, &opts);
	}
	memset(skb->cb, 0, sizeof(skb->cb));
	mytcp_sk_saddr(sk, &saddr);
	mytcp_sk_raddr(sk, &daddr);
	mytcp_fill_header_csum(sock_net(sk), skb, &saddr, &daddr,
			       inet->inet_sport, inet->inet_dport, cb->seq,
			       msk->rcv_nxt, flags, wnd, optp, partial);
	skb_set_owner_w(skb, sk);
	msk->ack_pending = 0;
	cb->sent_us = mytcp_clock_us();
	if (skb_is_gso(skb)) {
		mytcp_inc_stats(sock_net(sk), MYTCP_MIB_OUT_GSO_SKBS);
		mytcp_add_stats(sock_net(sk), MYTCP_MIB_OUTSEGS,
				skb_shinfo(skb)->gso_segs);
	} else {
		mytcp_inc_stats(sock_net(sk), MYTCP_MIB_OUTSEGS);
	}
	return msk->af_ops->queue_xmit(sk, skb);
}

/**
 * mytcp_transmit_skb - send one skb of the write queue now
 * @sk: the socket, locked
 * @skb: the skb, which stays queued
 * @why: for a retransmission, the reason the tracepoint reports
 */
void mytcp_transmit_skb(struct sock *sk, struct sk_buff *skb, const char *why)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);

	if (mytcp_seq_before(cb->seq, msk->snd_max)) {
		struct in6_addr saddr, daddr;

		/* Karn's rule: no RTT sample from a retransmitted segment */
		cb->sacked_retrans = 1;
		msk->retrans_out++;
		mytcp_sk_saddr(sk, &saddr);
		mytcp_sk_raddr(sk, &daddr);
		trace_mytcp_retransmit(sock_net(sk), &saddr,
				       inet_sk(sk)->inet_sport, &daddr,
				       inet_sk(sk)->inet_dport, cb->seq,
				       skb->len, why, mytcp_expired_rto_us(sk));
		mytcp_inc_stats(sock_net(sk), MYTCP_MIB_RETRANSSEGS);
	}
	mytcp_xmit_one(sk, skb);
}

/**
 * mytcp_size_goal - data one send skb gathers: one MSS, or a GSO skb's worth
 * @sk: the socket
 *
 * mytcp_gso_goal() for the socket's MSS and its route (sk_setup_caps()).
 *
 * Return: bytes.
 */
unsigned int mytcp_size_goal(const struct sock *sk)
{
	return mytcp_gso_goal(mytcp_sk(sk)->mss, READ_ONCE(sk->sk_gso_max_size),
			      READ_ONCE(sk->sk_gso_max_segs),
			      mytcp_can_gso(sk));
}

/**
 * mytcp_split_skb - cut a write queue skb after its first @len bytes
 * @sk: the socket, locked
 * @skb: the skb, longer than @len; its data in page frags (sendmsg), or
 *	linear
 * @len: bytes it keeps; the rest becomes a new skb right after it
 *
 * For an unsent skb, so that a first part fits the window or the path;
 * for a sent one too, to retransmit one MSS of it or when a smaller path
 * MTU needs smaller segments (icmp.c).  The page frags past @len move to
 * the new skb (skb_split(); a frag that straddles @len is shared by both),
 * with their share of the truesize.  An skb with a clone still in flight
 * first gets a shared info of its own (pskb_expand_head()), so the clone's
 * frags are not touched.
 *
 * Return: 0, or -ENOMEM (nothing changed).
 */
int mytcp_split_skb(struct sock *sk, struct sk_buff *skb, u32 len)
{
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	unsigned int linear = skb_headlen(skb) > len ? skb_headlen(skb) - len : 0;
	unsigned int charged = skb->truesize;
	unsigned int paged;
	struct sk_buff *tail;

	tail = alloc_skb(MYTCP_MAX_HEADER + linear, GFP_ATOMIC);
	if (!tail)
		return -ENOMEM;
	if (skb_cloned(skb) && pskb_expand_head(skb, 0, 0, GFP_ATOMIC)) {
		kfree_skb(tail);
		return -ENOMEM;
	}
	skb_reserve(tail, MYTCP_MAX_HEADER);
	paged = skb->len - len - linear;
	skb_split(skb, tail, len);
	skb->truesize -= paged;
	tail->truesize += paged;
	*MYTCP_SKB_CB(tail) = *cb;
	MYTCP_SKB_CB(tail)->seq = cb->seq + len;
	cb->end_seq = cb->seq + len;
	__skb_queue_after(&sk->sk_write_queue, skb, tail);
	mytcp_wqueue_adjust(sk, skb->truesize + tail->truesize - charged);
	return 0;
}

/*
 * How much of @skb may go now.  RFC 9293 section 3.8.6.2.1 (sender-side
 * silly window avoidance): all of it if it fits the window; a first part
 * if the usable window is at least one MSS or half the largest window the
 * peer offered, or if nothing is in flight (so no ACK will come to open
 * the window further); else nothing.
 */
static u32 mytcp_sendable(const struct mytcp_sock *msk,
			  const struct sk_buff *skb)
{
	const struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	u32 right = msk->snd_una + min(msk->snd_wnd, msk->cc.cwnd);
	u32 usable;

	if (!mytcp_seq_after(cb->end_seq, right))
		return skb->len;
	usable = mytcp_seq_after(right, cb->seq) ? right - cb->seq : 0;
	if (!usable)
		return 0;
	if (usable >= msk->mss || usable >= msk->max_snd_wnd / 2 ||
	    msk->snd_una == msk->snd_max)
		return usable;
	return 0;
}

/**
 * mytcp_xmit_cap - how much of an skb one transmission may carry
 * @len: what the windows allow (mytcp_sendable())
 * @skb_len: the skb's data
 * @mss: the MSS
 * @goal: what the path takes in one skb (mytcp_size_goal())
 *
 * At most @goal; and when the skb must be cut anyway, at a whole number of
 * MSS if that is at least one, so that only the last segment is short.
 *
 * Return: bytes, at most @len.
 */
u32 mytcp_xmit_cap(u32 len, u32 skb_len, u32 mss, u32 goal)
{
	len = min(len, goal);
	if (len < skb_len && len > mss)
		len -= len % mss;
	return len;
}

static u32 mytcp_xmit_len(const struct sock *sk, const struct sk_buff *skb,
			  u32 len)
{
	return mytcp_xmit_cap(len, skb->len, mytcp_sk(sk)->mss,
			      mytcp_size_goal(sk));
}

/*
 * Retransmit one skb by itself (the timer, a fast retransmit): one MSS of
 * it, as the congestion window after a loss is counted in segments (RFC
 * 5681 section 3.1); the rest is cut off and goes as the window allows.
 */
static void mytcp_retransmit_one(struct sock *sk, struct sk_buff *skb,
				 const char *why)
{
	u32 mss = mytcp_sk(sk)->mss;

	if (skb->len > mss)
		mytcp_split_skb(sk, skb, mss);	/* no memory: all of it */
	mytcp_transmit_skb(sk, skb, why);
}

/**
 * mytcp_push - send what the windows allow from the write queue
 * @sk: the socket, locked
 *
 * RFC 9293 section 3.8.6: data beyond SND.UNA + SND.WND is not sent; the
 * congestion window (RFC 5681) limits it further.  SYN and FIN go out
 * regardless of the window.  With nothing in flight and a zero window the
 * retransmission timer is armed as the persist timer (section 3.8.6.1).
 */
void mytcp_push(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb;

	while ((skb = msk->send_head)) {
		struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
		bool idle = msk->snd_una == msk->snd_max;

		if (skb->len) {
			u32 len = mytcp_xmit_len(sk, skb,
						 mytcp_sendable(msk, skb));

			if (!len)
				break;
			if (len < skb->len && mytcp_split_skb(sk, skb, len))
				break;
		}
		/*
		 * Nagle (RFC 9293 section 3.7.4): hold back a small last
		 * segment while data is unacknowledged, unless NODELAY.  It
		 * is for new data only: a segment below SND.MAX is a
		 * retransmission after go-back-N and goes when it may.
		 */
		if (skb->len && skb->len < msk->mss && !idle &&
		    !msk->nodelay &&
		    !mytcp_seq_before(cb->seq, msk->snd_max) &&
		    skb_queue_is_last(&sk->sk_write_queue, skb))
			break;
		mytcp_transmit_skb(sk, skb, "timeout");
		msk->snd_nxt = cb->end_seq;
		msk->snd_max = mytcp_seq_max(msk->snd_max, msk->snd_nxt);
		msk->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
				 NULL : skb->next;
	}
	if (!timer_pending(&msk->rtx_timer) &&
	    (msk->snd_una != msk->snd_max || msk->send_head))
		mytcp_arm_rtx(sk);
}

/**
 * mytcp_retransmit_head - the retransmission timer expired: go back to SND.UNA
 * @sk: the socket, locked; @backoff already counts this expiry
 *
 * RFC 6298 section 5.4: retransmit the earliest unacknowledged segment, at
 * once and whatever its size (Nagle, RFC 9293 section 3.7.4, is for new
 * data).  SND.NXT goes back to SND.UNA and the congestion window to one
 * segment (RFC 5681 section 3.1), so what follows is sent again as ACKs
 * return; the receiver drops what it already has.  A closed window with a
 * live peer is not a timeout: mytcp_send_probe() handles it.
 */
void mytcp_retransmit_head(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb;

	if (msk->snd_una != msk->snd_max) {
		msk->cc.now_us = (u32)mytcp_clock_us();
		mytcp_cc_on_timeout(&msk->cc, msk->ca_ops,
				    msk->snd_max - msk->snd_una, msk->snd_max,
				    msk->backoff <= 1);
	}
	msk->snd_nxt = msk->snd_una;
	skb = skb_peek(&sk->sk_write_queue);
	msk->send_head = skb;
	if (!skb)
		return;
	mytcp_retransmit_one(sk, skb, "timeout");
	msk->snd_nxt = MYTCP_SKB_CB(skb)->end_seq;
	msk->snd_max = mytcp_seq_max(msk->snd_max, msk->snd_nxt);
	msk->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
			 NULL : skb->next;
	mytcp_push(sk);
}

/**
 * mytcp_send_probe - the persist timer expired: probe the peer's zero window
 * @sk: the socket, locked
 *
 * RFC 9293 section 3.8.6.1 (MUST-36): send at least one octet of new data
 * beyond the closed window, or the probe still unanswered again.  The ACK
 * it draws carries the window.  A closed window says nothing about
 * congestion: the congestion window stays, and SND.NXT moves only past the
 * probe's one octet, so that the window opening resumes the transfer where
 * it stopped (mytcp_window_opened()).  Counted in WinProbes.
 */
void mytcp_send_probe(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);
	struct mytcp_skb_cb *cb;

	if (!skb)
		return;
	mytcp_inc_stats(sock_net(sk), MYTCP_MIB_WINPROBES);
	if (msk->snd_una != msk->snd_max) {
		/* the last probe (or what the window closed on), again */
		mytcp_transmit_skb(sk, skb, "probe");
		return;
	}
	/* nothing in flight: the head is unsent; cut one octet from it */
	if (skb->len > 1 && mytcp_split_skb(sk, skb, 1))
		return;		/* no memory: the next expiry tries again */
	cb = MYTCP_SKB_CB(skb);
	mytcp_transmit_skb(sk, skb, "probe");
	msk->snd_nxt = cb->end_seq;
	msk->snd_max = mytcp_seq_max(msk->snd_max, msk->snd_nxt);
	msk->send_head = skb_queue_is_last(&sk->sk_write_queue, skb) ?
			 NULL : skb->next;
}

/**
 * mytcp_window_opened - the peer's window went from zero to open
 * @sk: the socket, locked; the caller pushes next
 *
 * The peer answered, so the persist backoff is over.  A probe octet still
 * unacknowledged fell beyond the closed window: go back to SND.UNA so that
 * it goes again with what follows, now and not at the next (backed-off)
 * expiry.  The timer is stopped; mytcp_push() arms it afresh.
 */
void mytcp_window_opened(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	msk->backoff = 0;
	sk_stop_timer(sk, &msk->rtx_timer);
	if (msk->snd_una == msk->snd_max)
		return;
	msk->snd_nxt = msk->snd_una;
	msk->send_head = skb_peek(&sk->sk_write_queue);
}

/**
 * mytcp_retransmit_una - fast retransmit: send the segment at SND.UNA again
 * @sk: the socket, locked
 */
void mytcp_retransmit_una(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb = skb_peek(&sk->sk_write_queue);

	if (skb && mytcp_seq_before(MYTCP_SKB_CB(skb)->seq, msk->snd_nxt)) {
		mytcp_retransmit_one(sk, skb, "fast");
		mytcp_arm_rtx(sk);
	}
}

/**
 * mytcp_ack_soon - acknowledge in-order data, now or a little later
 * @sk: the socket, locked
 * @now: send at once (a filled hole, a FIN)
 *
 * RFC 9293 section 3.8.6.3, RFC 1122 section 4.2.3.2 and RFC 5681 section
 * 4.2, as mytcp_ack_rule() decides: at once for the second full-sized
 * segment, in quick-ACK mode, or when @now; otherwise the delayed-ACK timer
 * (owned by the socket, msk->delack_timer; timer.c sends the ACK) is armed
 * for mytcp_delack_us() (40 to 200 ms), unless already running.  Any
 * segment we send before it fires carries the ACK and makes it a no-op.
 */
void mytcp_ack_soon(struct sock *sk, bool now)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	enum mytcp_ack_why why;

	if (msk->ack_pending < U8_MAX)
		msk->ack_pending++;
	why = mytcp_ack_rule(msk->rcv_nxt - msk->rcv_wup, msk->rcv_mss,
			     msk->quickack, now);
	msk->ack_why = why;
	if (why != MYTCP_ACK_DELAYED) {
		if (msk->quickack)
			msk->quickack--;
		mytcp_send_ack(sk);
		return;
	}
	if (!timer_pending(&msk->delack_timer)) {
		msk->delack_us = mytcp_delack_us(msk->rtt.srtt);
		sk_reset_timer(sk, &msk->delack_timer,
			       jiffies + usecs_to_jiffies(msk->delack_us));
	}
}

/**
 * mytcp_enter_quickack - acknowledge the next segments one by one
 * @sk: the socket, locked
 *
 * At the start of a connection and after out-of-order data (RFC 5681
 * section 4.2: the sender is in slow start or recovering, and every ACK
 * counts), for mytcp_quickack_budget() segments.
 */
void mytcp_enter_quickack(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	msk->quickack = max(msk->quickack,
			    mytcp_quickack_budget(msk->rcv_wnd, msk->rcv_mss));
}

static struct sk_buff *mytcp_alloc_ctl_skb(struct sock *sk, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(MYTCP_MAX_HEADER, gfp);

	if (skb)
		skb_reserve(skb, MYTCP_MAX_HEADER);
	return skb;
}

static void mytcp_send_ack_seq(struct sock *sk, u32 seq)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct in6_addr saddr, daddr;
	struct mytcp_opts opts;
	struct sk_buff *skb;
	u16 wnd;

	if (sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_LISTEN)
		return;
	skb = mytcp_alloc_ctl_skb(sk, GFP_ATOMIC);
	if (!skb)
		return;
	wnd = mytcp_select_window(sk);
	mytcp_sk_saddr(sk, &saddr);
	mytcp_sk_raddr(sk, &daddr);
	mytcp_fill_header(sock_net(sk), skb, &saddr, &daddr, inet->inet_sport,
			  inet->inet_dport, seq, msk->rcv_nxt, TCPHDR_ACK, wnd,
			  mytcp_ts_opts(sk, &opts));
	skb_set_owner_w(skb, sk);
	msk->ack_pending = 0;
	mytcp_inc_stats(sock_net(sk), MYTCP_MIB_OUTSEGS);
	msk->af_ops->queue_xmit(sk, skb);
}

/**
 * mytcp_send_ack - send a bare ACK now
 * @sk: the socket, locked
 *
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, with the current window; for
 * SND.NXT, see mytcp_ack_seq().
 */
void mytcp_send_ack(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	mytcp_send_ack_seq(sk, mytcp_ack_seq(msk->snd_una, msk->snd_max,
					     msk->snd_wnd));
}

/**
 * mytcp_send_dupack - answer an unacceptable segment with an ACK
 * @sk: the socket, locked
 * @seg_len: the segment's SEG.LEN
 *
 * RFC 9293 section 3.10.7.4: an unacceptable segment gets an ACK saying
 * what we expect.  If it carried nothing (a bare ACK), two ends that each
 * find the other's ACKs unacceptable would answer each other without end:
 * those answers go at most once per MYTCP_OOW_ACK_MS per connection (as
 * Linux's tcp_invalid_ratelimit), the others are counted in
 * OutOfWindowAcksLimited.
 */
void mytcp_send_dupack(struct sock *sk, u32 seg_len)
{
	if (!seg_len && !mytcp_oow_ack_allowed(&mytcp_sk(sk)->oow_ack_stamp)) {
		mytcp_inc_stats(sock_net(sk), MYTCP_MIB_OOW_ACKS_LIMITED);
		return;
	}
	mytcp_send_ack(sk);
}

/**
 * mytcp_oow_ack_allowed - may one more ACK answer an unacceptable segment?
 * @stamp: when the last one went, 0 before the first; updated when allowed
 *
 * At most one per MYTCP_OOW_ACK_MS, as Linux's tcp_invalid_ratelimit, for
 * a connection (mytcp_send_dupack()) or a TIME_WAIT entry (timewait.c).
 *
 * Return: true if the ACK may go (and @stamp now says so).
 */
bool mytcp_oow_ack_allowed(unsigned long *stamp)
{
	unsigned long now = jiffies;

	if (*stamp && time_before(now, *stamp +
				  msecs_to_jiffies(MYTCP_OOW_ACK_MS)))
		return false;
	*stamp = now ?: 1;
	return true;
}

/**
 * mytcp_challenge_ack_allowed - may one more challenge ACK go out?
 * @net: the namespace
 *
 * RFC 5961 section 7: challenge ACKs are limited, so they cannot be used
 * to flood.  Each second has a budget of net.mytcp.challenge_ack_limit / 2
 * plus a random share of it (up to 1.5 times the limit): a fixed count
 * would be a side channel, since an off-path attacker who exhausts it can
 * tell from the ACKs it still sees how many a connection it guessed at
 * spent (CVE-2016-5696, "Off-Path TCP Exploits").  Counts ChallengeAcks or
 * ChallengeAcksLimited.
 *
 * Return: true if the caller should send it.
 */
bool mytcp_challenge_ack_allowed(struct net *net)
{
	struct mytcp_net *mn = mytcp_pernet(net);
	unsigned long now = jiffies / HZ;

	if (READ_ONCE(mn->challenge_second) != now) {
		u32 limit = max(READ_ONCE(mn->challenge_ack_limit), 1);

		WRITE_ONCE(mn->challenge_second, now);
		atomic_set(&mn->challenge_count,
			   limit / 2 + prandom_u32_max(limit));
	}
	if (atomic_dec_if_positive(&mn->challenge_count) < 0) {
		mytcp_inc_stats(net, MYTCP_MIB_CHALLENGEACKS_LIMITED);
		return false;
	}
	mytcp_inc_stats(net, MYTCP_MIB_CHALLENGEACKS);
	return true;
}

/**
 * mytcp_send_challenge_ack - RFC 5961: answer a suspicious segment with an ACK
 * @sk: the socket, locked
 *
 * A RST in the window but not at RCV.NXT, a SYN in a synchronized state
 * or an ACK outside [SND.UNA - MAX.SND.WND, SND.NXT] is answered with an
 * ACK naming what we expect: a real peer then sends the exact segment, a
 * blind attacker learns nothing.  Each connection answers at most once per
 * MYTCP_OOW_ACK_MS, shared with mytcp_send_dupack() (the others count in
 * ChallengeAcksSkipped); that per-connection limit comes first, so a flood
 * at one connection does not spend the namespace's budget of
 * mytcp_challenge_ack_allowed().
 */
void mytcp_send_challenge_ack(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	unsigned long now = jiffies;

	if (msk->oow_ack_stamp &&
	    time_before(now, msk->oow_ack_stamp +
				msecs_to_jiffies(MYTCP_OOW_ACK_MS))) {
		mytcp_inc_stats(sock_net(sk), MYTCP_MIB_CHALLENGEACKS_SKIPPED);
		return;
	}
	if (mytcp_challenge_ack_allowed(sock_net(sk))) {
		msk->oow_ack_stamp = now ?: 1;
		mytcp_send_ack(sk);
	}
}

/**
 * mytcp_send_keepalive_probe - an ACK the peer must answer
 * @sk: the socket, locked
 *
 * RFC 9293 section 3.8.4: <SEQ=SND.UNA-1>, an old sequence number, so the
 * peer replies with an ACK of what it expects.
 */
void mytcp_send_keepalive_probe(struct sock *sk)
{
	mytcp_send_ack_seq(sk, mytcp_sk(sk)->snd_una - 1);
}

/**
 * mytcp_send_active_reset - abort: send <SEQ=SND.NXT><CTL=RST>
 * @sk: the socket, locked
 * @gfp: allocation context
 *
 * RFC 9293 section 3.10.5 (ABORT) and 3.6 (close with unread data).
 */
void mytcp_send_active_reset(struct sock *sk, gfp_t gfp)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct in6_addr saddr, daddr;
	struct sk_buff *skb;

	skb = mytcp_alloc_ctl_skb(sk, gfp);
	if (!skb)
		return;
	mytcp_sk_saddr(sk, &saddr);
	mytcp_sk_raddr(sk, &daddr);
	mytcp_fill_header(sock_net(sk), skb, &saddr, &daddr, inet->inet_sport,
			  inet->inet_dport, msk->snd_max, msk->rcv_nxt,
			  TCPHDR_RST | TCPHDR_ACK, 0, NULL);
	skb_set_owner_w(skb, sk);
	mytcp_inc_stats(sock_net(sk), MYTCP_MIB_OUTSEGS);
	mytcp_inc_stats(sock_net(sk), MYTCP_MIB_OUTRSTS);
	msk->af_ops->queue_xmit(sk, skb);
}

/* Put a control skb (SYN or FIN) at the tail of the write queue. */
static void mytcp_queue_ctl(struct sock *sk, struct sk_buff *skb, u8 flags)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);

	memset(cb, 0, sizeof(*cb));
	cb->seq = msk->write_seq;
	cb->end_seq = msk->write_seq + 1;	/* SYN and FIN take one number */
	cb->flags = flags;
	WRITE_ONCE(msk->write_seq, msk->write_seq + 1);
	__skb_queue_tail(&sk->sk_write_queue, skb);
	mytcp_mem_force(sk, skb->truesize);
	mytcp_wqueue_charge(sk, skb);
	if (!msk->send_head)
		msk->send_head = skb;
}

/**
 * mytcp_queue_syn - queue our SYN (active or simultaneous open) and send it
 * @sk: the socket, locked; @write_seq is the ISS
 * @flags: TCPHDR_SYN
 *
 * Return: 0 or -ENOBUFS.
 */
int mytcp_queue_syn(struct sock *sk, u8 flags)
{
	struct sk_buff *skb = mytcp_alloc_ctl_skb(sk, sk->sk_allocation);

	if (!skb)
		return -ENOBUFS;
	mytcp_queue_ctl(sk, skb, flags);
	mytcp_push(sk);
	return 0;
}

/**
 * mytcp_send_fin - queue our FIN after the data and send what we can
 * @sk: the socket, locked, in process context
 *
 * RFC 9293 section 3.10.4: the FIN goes after all data queued so far.
 */
void mytcp_send_fin(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	gfp_t gfp = sk->sk_allocation;
	struct sk_buff *skb;

	if (msk->fin_queued)
		return;
	/*
	 * __GFP_NOFAIL is only for allocations that may sleep (the allocator
	 * warns and fails otherwise).  A kernel socket whose sk_allocation
	 * may not sleep can fail here: with no FIN the connection could never
	 * close, so it is aborted instead (RFC 9293 section 3.10.5, ABORT).
	 */
	if (gfpflags_allow_blocking(gfp))
		gfp |= __GFP_NOFAIL;
	skb = mytcp_alloc_ctl_skb(sk, gfp);
	if (!skb) {
		mytcp_send_active_reset(sk, gfp);
		WRITE_ONCE(sk->sk_err, ENOMEM);
		sk_error_report(sk);
		mytcp_done(sk);
		return;
	}
	msk->fin_queued = 1;
	mytcp_queue_ctl(sk, skb, TCPHDR_FIN);
	mytcp_push(sk);
}
