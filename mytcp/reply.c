// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: segments sent with no full socket of their own: the SYN+ACK of a
 * request, a RST for a segment nobody wants (RFC 9293 section 3.10.7.1),
 * the ACK of a TIME_WAIT entry.  Each is routed here, by the device and
 * mark of the socket it answers for, and handed to IP by mytcp_raw_xmit().
 */

#include <linux/ip.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/l3mdev.h>
#include <net/route.h>

#include "protocol.h"

/**
 * mytcp_reply_oif - the interface a reply with no socket of its own leaves by
 * @net: namespace
 * @skb: the segment it answers
 * @bound_dev_if: the SO_BINDTODEVICE interface of the socket (a listener,
 *	a TIME_WAIT entry's) it answers for, or 0
 *
 * As TCP's replies: the socket's device if it has one; else, for a segment
 * that came in through a VRF (skb_iif is then the VRF device), the VRF, so
 * that the reply is routed in the VRF's table; else 0, the routing table
 * decides (forcing the arrival device would misroute asymmetric paths).
 *
 * Return: an ifindex, or 0.
 */
int mytcp_reply_oif(struct net *net, const struct sk_buff *skb,
		    int bound_dev_if)
{
	if (bound_dev_if)
		return bound_dev_if;
	if (netif_index_is_l3_master(net, skb->skb_iif))
		return skb->skb_iif;
	return 0;
}

/**
 * mytcp_reply_mark - the fwmark a reply with no socket of its own carries
 * @net: namespace
 * @skb: the segment it answers
 * @sk_mark: the SO_MARK of the socket it answers for, or 0
 *
 * As TCP's: the arriving segment's mark with net.ipv4.fwmark_reflect,
 * else the socket's, so that policy routing (ip rule fwmark) sends the
 * reply where the socket's own segments go.
 *
 * Return: the mark.
 */
u32 mytcp_reply_mark(struct net *net, const struct sk_buff *skb, u32 sk_mark)
{
	return IP4_REPLY_MARK(net, skb->mark) ?: sk_mark;
}

/*
 * Send a segment that no socket owns: route it (by @oif and @mark, as the
 * socket it answers for would be routed), put the IP header on and hand it
 * to the IP output path.
 */
static void mytcp_raw_xmit(struct net *net, struct sk_buff *skb,
			   const struct in6_addr *saddr6,
			   const struct in6_addr *daddr6, int oif, u32 mark)
{
	__be32 saddr = mytcp_addr4(saddr6), daddr = mytcp_addr4(daddr6);
	struct flowi4 fl4;
	struct rtable *rt;
	struct iphdr *iph;

	if (!mytcp_addr_is4(daddr6)) {
		mytcp_v6_raw_xmit(net, skb, saddr6, daddr6, oif, mark);
		return;
	}

	flowi4_init_output(&fl4, oif, mark, 0, RT_SCOPE_UNIVERSE,
			   IPPROTO_MYTCP, 0, daddr, saddr, 0, 0,
			   sock_net_uid(net, NULL));
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return;
	}
	skb_dst_set(skb, &rt->dst);
	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(&rt->dst);
	iph->protocol = IPPROTO_MYTCP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	iph->tot_len = htons(skb->len);
	__ip_select_ident(net, iph, 1);
	skb->protocol = htons(ETH_P_IP);
	skb->mark = mark;
	mytcp_inc_stats(net, MYTCP_MIB_OUTSEGS);
	ip_local_out(net, NULL, skb);
}

/**
 * mytcp_send_ack_reply - send a segment on behalf of no socket
 * @net: namespace
 * @saddr: our address (v4-mapped for IPv4)
 * @daddr: the peer's address (v4-mapped for IPv4)
 * @sport: our port
 * @dport: the peer's port
 * @seq: SEG.SEQ
 * @ack: SEG.ACK (used when @flags has ACK)
 * @wnd: window field
 * @flags: TCPHDR_* flags
 * @opts: options for a SYN+ACK, or NULL
 * @oif: interface to route by, or 0 (mytcp_reply_oif())
 * @mark: fwmark to route by and carry (mytcp_reply_mark())
 *
 * Used for the SYN+ACK of a request, RSTs and TIME_WAIT's ACKs.
 */
void mytcp_send_ack_reply(struct net *net, const struct in6_addr *saddr,
			  const struct in6_addr *daddr, __be16 sport,
			  __be16 dport, u32 seq, u32 ack, u16 wnd, u8 flags,
			  const struct mytcp_opts *opts, int oif, u32 mark)
{
	struct sk_buff *skb = alloc_skb(MYTCP_MAX_HEADER, GFP_ATOMIC);

	if (!skb)
		return;
	skb_reserve(skb, MYTCP_MAX_HEADER);
	mytcp_fill_header(net, skb, saddr, daddr, sport, dport, seq, ack, flags,
			  wnd, opts);
	if (flags & TCPHDR_RST)
		mytcp_inc_stats(net, MYTCP_MIB_OUTRSTS);
	mytcp_raw_xmit(net, skb, saddr, daddr, oif, mark);
}

/*
 * RFC 9293 section 3.10.7.1: never answer a RST; if the segment has an
 * ACK, the RST takes its sequence number from SEG.ACK, otherwise it has
 * sequence number zero and acknowledges SEG.SEQ + SEG.LEN.
 */
static void mytcp_reset_reply(struct net *net, struct sk_buff *skb, int oif,
			      u32 mark)
{
	const struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct in6_addr saddr, daddr;

	if (cb->flags & TCPHDR_RST)
		return;
	mytcp_skb_addrs(skb, &saddr, &daddr);
	if (cb->flags & TCPHDR_ACK)
		mytcp_send_ack_reply(net, &daddr, &saddr, th->dest,
				     th->source, cb->ack, 0, 0, TCPHDR_RST,
				     NULL, oif, mark);
	else
		mytcp_send_ack_reply(net, &daddr, &saddr, th->dest,
				     th->source, 0, cb->end_seq, 0,
				     TCPHDR_RST | TCPHDR_ACK, NULL, oif, mark);
}

/**
 * mytcp_send_reset_reply - answer a segment that has no connection
 * @net: namespace
 * @skb: the received segment, its control block filled in
 *
 * The RST of RFC 9293 section 3.10.7.1, routed as TCP routes one for no
 * socket (mytcp_reply_oif(), mytcp_reply_mark()).
 */
void mytcp_send_reset_reply(struct net *net, struct sk_buff *skb)
{
	mytcp_reset_reply(net, skb, mytcp_reply_oif(net, skb, 0),
			  mytcp_reply_mark(net, skb, 0));
}

/**
 * mytcp_send_reset_reply_sk - answer a segment with a RST, for a socket
 * @sk: the socket (a listener, or a connection) the segment reached
 * @skb: the received segment, its control block filled in
 *
 * mytcp_send_reset_reply(), but routed by @sk's device and mark.
 */
void mytcp_send_reset_reply_sk(const struct sock *sk, struct sk_buff *skb)
{
	struct net *net = sock_net(sk);

	mytcp_reset_reply(net, skb,
			  mytcp_reply_oif(net, skb,
					  READ_ONCE(sk->sk_bound_dev_if)),
			  mytcp_reply_mark(net, skb, READ_ONCE(sk->sk_mark)));
}

/**
 * mytcp_req_ts_fill - the timestamps of a segment sent for a request
 * @req: the request; nothing is set unless @req->ts_ok
 * @opts: the segment's options
 *
 * RFC 7323 section 3.2: TSval from the request's clock offset, TSecr the
 * SYN's TSval (TS.Recent of the connection to be).
 */
void mytcp_req_ts_fill(const struct mytcp_request *req,
		       struct mytcp_opts *opts)
{
	if (!req->ts_ok)
		return;
	mytcp_ts_opts_set(opts, req->ts_offset, req->ts_recent);
}

/**
 * mytcp_send_synack - send (or send again) the SYN+ACK of a request
 * @listener: the listening socket
 * @req: the request (RFC 9293 section 3.10.7.2: <SEQ=ISS><ACK=RCV.NXT>
 *	 <CTL=SYN,ACK>)
 */
void mytcp_send_synack(struct sock *listener, struct mytcp_request *req)
{
	struct mytcp_opts opts = {
		.mss = req->advmss,
		.wscale_ok = req->wscale_ok,
		.wscale = MYTCP_RCV_WSCALE,
	};
	u32 wnd = min_t(u32, mytcp_receive_space(listener), 65535U);

	mytcp_req_ts_fill(req, &opts);
	req->synack_us = req->synack_us ? U64_MAX : mytcp_clock_us();
	mytcp_send_ack_reply(sock_net(listener), &req->laddr, &req->raddr,
			     req->lport, req->rport, req->iss, req->irs + 1,
			     wnd, TCPHDR_SYN | TCPHDR_ACK, &opts, req->dif,
			     req->mark);
}
