// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: generic segmentation offload (GSO) for protocol 253.
 *
 * A send skb may carry up to 64 KiB of data in one pass down the stack,
 * marked as a GSO skb of gso_size = the MSS.  It is cut into real segments
 * only where it must be: by the core's validate_xmit_skb() in front of a
 * device that does not take it whole (lo and veth take it, and deliver it
 * as one skb), through the callback registered here.  skb_segment() does
 * the cutting; what is ours is the header of each piece: its own sequence
 * number, PSH and FIN only on the last (RFC 9293 section 3.1: they belong
 * to the end of the data), and its checksum.
 *
 * The GSO type is SKB_GSO_SCTP (Documentation/design.md, "GSO and checksum
 * offload"): no NIC driver advertises it, so no TSO engine ever sees a
 * protocol 253 skb and builds a TCP pseudo-header for it.  Software
 * devices (lo, veth, bridges, bonds) pass it as NETIF_F_GSO_SOFTWARE.
 */

#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/protocol.h>

#include "protocol.h"

/**
 * mytcp_gso_goal - bytes of data a send skb gathers before it goes
 * @mss: the MSS
 * @gso_max_size: the bytes of one GSO skb the path takes (sk_gso_max_size,
 *	room for the headers already taken off)
 * @gso_max_segs: the segments of one GSO skb the path takes
 * @can_gso: whether the path takes GSO skbs of our type at all
 *
 * One MSS without GSO; with it, as many whole MSS as the size and the
 * segment count allow, capped at 64 KiB of data (MYTCP_GSO_MAX_DATA).
 *
 * Return: the goal in bytes, at least one MSS.
 */
u32 mytcp_gso_goal(u32 mss, u32 gso_max_size, u32 gso_max_segs, bool can_gso)
{
	u32 segs;

	if (!mss)
		return 1;
	if (!can_gso || gso_max_segs <= 1)
		return mss;
	segs = min_t(u32, min_t(u32, gso_max_size, MYTCP_GSO_MAX_DATA) / mss,
		     gso_max_segs);
	return max(segs, 1U) * mss;
}

/**
 * mytcp_gso_fix_header - the header of one piece of a segmented GSO skb
 * @th: the piece's header, a copy of the whole skb's
 * @seq: the sequence number of the piece's first octet
 * @last: whether it is the last piece
 * @flags: the flags of the whole skb
 *
 * RFC 9293 section 3.1: PSH and FIN mark the end of what was sent, so only
 * the last piece carries them; the others keep the rest (ACK).
 */
void mytcp_gso_fix_header(struct tcphdr *th, u32 seq, bool last, u8 flags)
{
	th->seq = htonl(seq);
	tcp_flag_byte(th) = last ? flags :
			    flags & ~(TCPHDR_PSH | TCPHDR_FIN);
}

/* The pseudo-header sum of a piece, of IPv4 or IPv6 by its network header */
static __sum16 mytcp_gso_seed(const struct sk_buff *seg, unsigned int len)
{
	struct in6_addr saddr, daddr;

	mytcp_skb_addrs(seg, &saddr, &daddr);
	return mytcp_csum_seed(&saddr, &daddr, len);
}

/**
 * mytcp_gso_segment - cut a GSO skb of ours into segments
 * @skb: the skb, its data at our header (inet_gso_segment() and
 *	ipv6_gso_segment() have set the network and transport headers)
 * @features: what the device takes
 *
 * Each segment keeps CHECKSUM_PARTIAL only if the device checksums any
 * protocol (NETIF_F_HW_CSUM): NETIF_F_IP_CSUM and NETIF_F_IPV6_CSUM are for
 * TCP and UDP, and a driver would compute a TCP checksum for us.  Else the
 * checksum is computed here, from the sum skb_segment() made of the data
 * while copying it.
 *
 * Return: the list of segments, NULL when there is nothing to cut, or an
 * ERR_PTR.
 */
struct sk_buff *mytcp_gso_segment(struct sk_buff *skb,
				  netdev_features_t features)
{
	unsigned int thlen, mss, seglen;
	struct sk_buff *segs, *seg;
	struct tcphdr *th;
	unsigned int n = 0;
	u32 seq;
	u8 flags;

	if (!(skb_shinfo(skb)->gso_type & SKB_GSO_SCTP))
		return ERR_PTR(-EINVAL);
	if (!pskb_may_pull(skb, sizeof(*th)))
		return ERR_PTR(-EINVAL);
	thlen = tcp_hdr(skb)->doff * 4;
	if (thlen < sizeof(*th) || !pskb_may_pull(skb, thlen))
		return ERR_PTR(-EINVAL);
	mss = skb_shinfo(skb)->gso_size;
	if (skb->len <= thlen + mss)
		return NULL;
	th = tcp_hdr(skb);
	seq = ntohl(th->seq);
	flags = tcp_flag_byte(th);

	if (!(features & NETIF_F_HW_CSUM))
		features &= ~NETIF_F_CSUM_MASK;
	__skb_pull(skb, thlen);
	segs = skb_segment(skb, features);
	if (IS_ERR_OR_NULL(segs)) {
		__skb_push(skb, thlen);
		return segs;
	}
	for (seg = segs; seg; seg = seg->next) {
		th = tcp_hdr(seg);
		seglen = seg->len - skb_transport_offset(seg);
		mytcp_gso_fix_header(th, seq, !seg->next, flags);
		seq += seglen - thlen;
		th->check = mytcp_gso_seed(seg, seglen);
		if (seg->ip_summed == CHECKSUM_PARTIAL)
			gso_reset_checksum(seg, ~th->check);
		else
			th->check = gso_make_checksum(seg, ~th->check);
		n++;
	}
	if (skb->dev)
		mytcp_add_stats(dev_net(skb->dev), MYTCP_MIB_GSO_SEGMENTS, n);
	return segs;
}

static const struct net_offload mytcp_offload = {
	.callbacks = {
		.gso_segment	= mytcp_gso_segment,
	},
};

static const struct net_offload mytcp6_offload = {
	.callbacks = {
		.gso_segment	= mytcp_gso_segment,
	},
};

/**
 * mytcp_offload_init - register the GSO callback with IPv4 and IPv6
 *
 * Before any socket exists (main.c), so that no GSO skb of ours meets a
 * stack that cannot cut it.
 *
 * Return: 0, or -EBUSY when protocol 253 has offloads already.
 */
int mytcp_offload_init(void)
{
	if (inet_add_offload(&mytcp_offload, IPPROTO_MYTCP))
		return -EBUSY;
	if (inet6_add_offload(&mytcp6_offload, IPPROTO_MYTCP)) {
		inet_del_offload(&mytcp_offload, IPPROTO_MYTCP);
		return -EBUSY;
	}
	return 0;
}

/**
 * mytcp_offload_exit - unregister the GSO callbacks, in reverse
 *
 * After the last socket is gone; inet_del_offload() and
 * inet6_del_offload() wait for the readers of the table (synchronize_net).
 */
void mytcp_offload_exit(void)
{
	inet6_del_offload(&mytcp6_offload, IPPROTO_MYTCP);
	inet_del_offload(&mytcp_offload, IPPROTO_MYTCP);
}
