// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: ICMP errors for segments we sent, and path MTU discovery.
 *
 * The IP layer hands mytcp_v4_err() every ICMP error that quotes a
 * protocol-253 datagram.  What to trust follows RFC 5927: the quote must
 * name a connection of ours (not a listener, not a half-open request) and
 * a sequence number we sent and the peer has not acknowledged; everything
 * else is dropped and counted.  What to do follows Linux's TCP (RFC 1122
 * section 4.2.3.9): in SYN-SENT an unreachable ends connect() with its
 * errno; later it is a soft error, kept for the timeout to report.
 * "Fragmentation needed" (RFC 1191) lowers the path MTU of the route and
 * the MSS of the connection, and what was sent too big goes again in
 * segments that fit.  When a process owns the socket, that work waits for
 * release_sock() (mytcp_release_cb()).  The rules are in icmp.h.
 */

#include <linux/icmp.h>
#include <linux/ip.h>
#include <net/dst.h>
#include <net/inet_sock.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "icmp.h"
#include "protocol.h"

/* The socket's route, looked up again if it went stale; NULL if none. */
static struct dst_entry *mytcp_sk_route(struct sock *sk)
{
	struct dst_entry *dst = __sk_dst_check(sk, 0);

	if (dst)
		return dst;
	if (mytcp_sk(sk)->af_ops->rebuild_header(sk))
		return NULL;
	return __sk_dst_get(sk);
}

/*
 * RFC 1191 section 6.3: record the smaller MTU in the route to the peer
 * (the IP layer keeps it as a per-destination exception, bounded below by
 * net.ipv4.route.min_pmtu, and ignores an increase).  The socket's route
 * then goes stale; the fresh one carries the new MTU.
 */
static struct dst_entry *mytcp_update_pmtu(struct sock *sk, u32 mtu)
{
	struct dst_entry *dst = mytcp_sk_route(sk);

	if (!dst)
		return NULL;
	dst->ops->update_pmtu(dst, sk, NULL, mtu, true);
	return mytcp_sk_route(sk);
}

/*
 * Cut every queued skb, sent or not, to the new MSS, then go back to
 * SND.UNA: what was in flight was too big for the path and is lost, so it
 * goes again now (the go-back-N of the module's retransmission timeout,
 * without the timeout).  The congestion window, in bytes, stays: the data
 * in flight did not grow, only its units shrank.
 */
static void mytcp_pmtu_resend(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb;

	skb_queue_walk(&sk->sk_write_queue, skb) {
		/* the tail a split makes comes next in the walk */
		if (skb->len > msk->mss && mytcp_split_skb(sk, skb, msk->mss))
			break;	/* no memory: a later ICMP tries again */
	}
	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT |
				     TCPF_FIN_WAIT1 | TCPF_CLOSING |
				     TCPF_LAST_ACK)))
		return;
	if (msk->snd_una != msk->snd_max) {
		msk->snd_nxt = msk->snd_una;
		msk->send_head = skb_peek(&sk->sk_write_queue);
	}
	mytcp_push(sk);
}

/**
 * mytcp_mtu_reduced - act on the MTU of a "fragmentation needed"
 * @sk: the socket, locked (by softirq, or owned and in release_sock())
 *
 * The MTU is in @mtu_info.  The route learns it; if the MSS it allows is
 * smaller than the one in use, the connection takes it and sends again
 * what no longer fits (counted in PmtuUpdates).  With IP_PMTUDISC_DONT
 * (no DF, so routers fragment) or a mode that does not accept path MTUs
 * the MSS stays.
 */
void mytcp_mtu_reduced(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 mtu = READ_ONCE(msk->mtu_info);
	struct dst_entry *dst;
	u16 mss;

	if ((1 << sk->sk_state) & (TCPF_LISTEN | TCPF_CLOSE))
		return;
	dst = mytcp_update_pmtu(sk, mtu);
	if (!dst)
		return;
	if (mytcp_sk_v6(sk)) {
		/* IPv6 routers never fragment (RFC 8200 section 5) */
		if (mtu < dst_mtu(dst))
			WRITE_ONCE(sk->sk_err_soft, EMSGSIZE);
		if (inet6_sk(sk)->pmtudisc == IPV6_PMTUDISC_DONT ||
		    !ip6_sk_accept_pmtu(sk))
			return;
		mss = mytcp_mss6_for_mtu(dst_mtu(dst));
	} else {
		/* the route would not go that low: segments may be too big */
		if (mtu < dst_mtu(dst) && ip_dont_fragment(sk, dst))
			WRITE_ONCE(sk->sk_err_soft, EMSGSIZE);
		if (READ_ONCE(inet_sk(sk)->pmtudisc) == IP_PMTUDISC_DONT ||
		    !ip_sk_accept_pmtu(sk))
			return;
		mss = mytcp_mss_for_mtu(dst_mtu(dst));
	}
	/* RFC 7323 section 3.2: the timestamps take 12 octets of each */
	mss -= mytcp_ts_hdr_len(sk);
	if (mss >= msk->mss)
		return;
	msk->mss = mss;
	msk->cc.mss = mss;
	mytcp_inc_stats(sock_net(sk), MYTCP_MIB_PMTU_UPDATES);
	mytcp_pmtu_resend(sk);
}

/**
 * mytcp_release_cb - struct proto::release_cb: work deferred by softirq
 * @sk: the socket, still owned, its spinlock held (release_sock())
 *
 * A "fragmentation needed" that came while a process owned the socket
 * (often one the local stack sent about our own segment) is handled here.
 */
void mytcp_release_cb(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (test_and_clear_bit(MYTCP_DEFER_MTU_REDUCED, &msk->deferred)) {
		mytcp_mtu_reduced(sk);
		__sock_put(sk);		/* the reference mytcp_v4_err() took */
	}
}

/**
 * mytcp_path_advmss - the MSS to announce to a peer, from the route to it
 * @net: namespace
 * @laddr: our address (v4-mapped for IPv4)
 * @raddr: the peer's address (v4-mapped for IPv4)
 * @lport: our port
 * @rport: the peer's port
 * @oif: interface the socket is bound to, or 0
 * @dev_mtu: MTU to use when there is no route (the arriving device's)
 *
 * The passive side's counterpart of what connect() takes from its route:
 * the route back to the peer may be narrower than the device a SYN came
 * in on (RFC 9293 section 3.7.1: the MSS reflects what we can receive).
 *
 * Return: the MSS.
 */
u16 mytcp_path_advmss(struct net *net, const struct in6_addr *laddr,
		      const struct in6_addr *raddr, __be16 lport,
		      __be16 rport, int oif, u32 dev_mtu)
{
	u32 mtu = dev_mtu;
	struct flowi4 fl4;
	struct rtable *rt;

	if (!mytcp_addr_is4(raddr)) {
		mtu = mytcp_v6_route_mtu(net, laddr, raddr, lport, rport, oif) ?:
		      dev_mtu;
		return mytcp_mss6_for_mtu(mtu);
	}
	rt = ip_route_output_ports(net, &fl4, NULL, mytcp_addr4(raddr),
				   mytcp_addr4(laddr), rport, lport,
				   IPPROTO_MYTCP, 0, oif);
	if (!IS_ERR(rt)) {
		mtu = dst_mtu(&rt->dst);
		ip_rt_put(rt);
	}
	return mytcp_mss_for_mtu(mtu);
}

/**
 * mytcp_icmp_error - an ICMP or ICMPv6 error for a connection past the checks
 * @sk: the socket, bh-locked
 * @err: the errno it means
 * @owned: a process owns the socket
 *
 * An error for a connection past the checks.  In SYN-SENT (and a
 * simultaneous open's SYN-RECEIVED) it ends the attempt: connect() fails
 * with its errno, as Linux's TCP does for every unreachable, not only the
 * port and protocol ones RFC 1122 4.2.3.9 calls hard.  Later the
 * connection goes on (routing may recover) and the error is kept as the
 * soft error the retransmission timeout reports instead of ETIMEDOUT; with
 * IP_RECVERR it is reported at once.  A process holding the socket makes
 * it soft in every state.
 */
void mytcp_icmp_error(struct sock *sk, int err, bool owned)
{
	struct net *net = sock_net(sk);

	if ((1 << sk->sk_state) & (TCPF_SYN_SENT | TCPF_SYN_RECV) && !owned) {
		mytcp_inc_stats(net, MYTCP_MIB_ICMP_HARD_ERRORS);
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
		mytcp_done(sk);
		return;
	}
	mytcp_inc_stats(net, MYTCP_MIB_ICMP_SOFT_ERRORS);
	if (!owned && (sk->sk_family == AF_INET6 ? inet6_sk(sk)->recverr :
					     inet_sk(sk)->recverr)) {
		WRITE_ONCE(sk->sk_err, err);
		sk_error_report(sk);
	} else {
		WRITE_ONCE(sk->sk_err_soft, err);
	}
}

/**
 * mytcp_v4_err - net_protocol::err_handler: an ICMP error quoting our segment
 * @skb: the ICMP message, data at the quoted IP header (the IP layer has
 *	made sure its header and 8 octets beyond are there)
 * @info: the ICMP's info field: the next-hop MTU of "fragmentation needed"
 *
 * Return: 0, or -ENOENT when no connection matches.
 */
int mytcp_v4_err(struct sk_buff *skb, u32 info)
{
	struct net *net = dev_net(skb->dev);
	const struct icmphdr *icmph = icmp_hdr(skb);
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	enum mytcp_icmp_action action;
	struct in6_addr saddr, daddr;
	const struct tcphdr *th;
	struct mytcp_sock *msk;
	struct sock *sk;
	bool owned;
	int err;

	/* the quote: an IP header and our ports and sequence number */
	if (skb->len < sizeof(*iph) || iph->ihl < 5 ||
	    skb->len < iph->ihl * 4 + 8) {
		mytcp_inc_stats(net, MYTCP_MIB_ICMP_BAD);
		return 0;
	}
	th = (const struct tcphdr *)(skb->data + iph->ihl * 4);
	/* RFC 5927 section 4.1: the 4-tuple of a connection of ours */
	mytcp_addr_set4(&saddr, iph->saddr);
	mytcp_addr_set4(&daddr, iph->daddr);
	sk = mytcp_lookup_established(net, &saddr, th->source, &daddr,
				      th->dest);
	if (!sk) {
		mytcp_inc_stats(net, MYTCP_MIB_ICMP_NO_SOCKET);
		return -ENOENT;
	}
	msk = mytcp_sk(sk);

	bh_lock_sock(sk);
	owned = sock_owned_by_user(sk);
	if ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)) {
		mytcp_inc_stats(net, MYTCP_MIB_ICMP_NO_SOCKET);
		goto out;
	}
	/* RFC 5927 section 4.1: a sequence number we sent, not yet acked */
	if (!mytcp_icmp_seq_ok(msk->snd_una, msk->snd_max, ntohl(th->seq))) {
		mytcp_inc_stats(net, MYTCP_MIB_ICMP_OUT_OF_WINDOW);
		goto out;
	}

	action = mytcp_icmp_classify(icmph->type, icmph->code, &err);
	switch (action) {
	case MYTCP_ICMP_FRAG_NEEDED:
		mytcp_inc_stats(net, MYTCP_MIB_ICMP_FRAG_NEEDED);
		WRITE_ONCE(msk->mtu_info, info);
		if (!owned) {
			mytcp_mtu_reduced(sk);
		} else if (!test_and_set_bit(MYTCP_DEFER_MTU_REDUCED,
					     &msk->deferred)) {
			sock_hold(sk);	/* until mytcp_release_cb() */
			mytcp_inc_stats(net, MYTCP_MIB_ICMP_DEFERRED);
		}
		break;
	case MYTCP_ICMP_ERROR:
		mytcp_icmp_error(sk, err, owned);
		break;
	default:
		mytcp_inc_stats(net, MYTCP_MIB_ICMP_IGNORED);
	}
out:
	bh_unlock_sock(sk);
	sock_put(sk);
	return 0;
}
