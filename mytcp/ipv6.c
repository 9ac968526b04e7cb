// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp over IPv6 (Documentation/design.md, "IPv6"): the AF_INET6 socket's
 * connect(), the IPv6 receive entry, ICMPv6 errors and Packet Too Big (RFC
 * 8201), the sending of segments that no socket owns, and registration
 * with the IPv6 layer.
 *
 * Everything past the network header is the IPv4 code's: the tables key
 * every address as an in6_addr (IPv4 ones v4-mapped), and a socket's
 * struct mytcp_af_ops says how its segments reach IP.  An AF_INET6 socket
 * whose peer is an IPv4 address (connected to ::ffff:a.b.c.d, or accepted
 * by a listener that is not IPV6_V6ONLY) takes the IPv4 operations, as
 * TCP's "ipv6_mapped" sockets do, and its segments are IPv4 datagrams.
 */

#include <linux/icmpv6.h>
#include <linux/ipv6.h>
#include <net/addrconf.h>
#include <net/inet_common.h>
#include <net/inet6_connection_sock.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/protocol.h>
#include <net/transp_v6.h>
#include <net/xfrm.h>

#include "icmp.h"
#include "protocol.h"

static int mytcp_v6_queue_xmit(struct sock *sk, struct sk_buff *skb)
{
	return inet6_csk_xmit(sk, skb, NULL);
}

/* The operations of an AF_INET6 socket with an IPv6 peer (or none yet) */
const struct mytcp_af_ops mytcp_ipv6_ops = {
	.queue_xmit	= mytcp_v6_queue_xmit,
	.rebuild_header	= inet6_sk_rebuild_header,
	.net_header_len	= sizeof(struct ipv6hdr),
	.min_pmtu	= IPV6_MIN_MTU,
};

/**
 * mytcp_v6_set_mapped - an AF_INET6 socket takes an IPv4 peer's addresses
 * @sk: the socket, its IPv4 addresses set by mytcp_v4_connect()
 *
 * Its IPv6 view of them is their v4-mapped form, as getsockname() and
 * getpeername() report them and the tables key them.
 */
void mytcp_v6_set_mapped(struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);

	ipv6_addr_set_v4mapped(inet->inet_daddr, &sk->sk_v6_daddr);
	ipv6_addr_set_v4mapped(inet->inet_saddr, &inet6_sk(sk)->saddr);
	ipv6_addr_set_v4mapped(inet->inet_rcv_saddr, &sk->sk_v6_rcv_saddr);
}

/* connect() to ::ffff:a.b.c.d: the IPv4 path, as TCP's tcp_v6_connect() */
static int mytcp_v6_connect_mapped(struct sock *sk,
				   const struct sockaddr_in6 *usin)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = usin->sin6_port,
		.sin_addr.s_addr = usin->sin6_addr.s6_addr32[3],
	};
	int err;

	/* RFC 3493 section 5.3: an IPV6_V6ONLY socket has no IPv4 path */
	if (ipv6_only_sock(sk))
		return -ENETUNREACH;
	msk->af_ops = &mytcp_ipv4_ops;
	err = mytcp_v4_connect(sk, (struct sockaddr *)&sin, sizeof(sin));
	if (err)
		msk->af_ops = &mytcp_ipv6_ops;
	return err;
}

/**
 * mytcp_v6_connect - proto::connect of an AF_INET6 socket
 * @sk: the socket, locked (inet_stream_connect())
 * @uaddr: a struct sockaddr_in6
 * @addr_len: its length
 *
 * The errnos are TCP's: EINVAL for a short address or a link-local one
 * without an interface, EAFNOSUPPORT for another family, ENETUNREACH for
 * multicast, and for a v4-mapped address on an IPV6_V6ONLY socket.
 * connect() to :: goes to the loopback address, as TCP's does.
 *
 * Return: 0 with the SYN sent, or the errno.
 */
int mytcp_v6_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in6 *usin = (struct sockaddr_in6 *)uaddr;
	struct ipv6_pinfo *np = inet6_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct in6_addr *saddr = NULL, *final_p, final;
	struct ipv6_txoptions *opt;
	struct dst_entry *dst;
	struct flowi6 fl6;
	int addr_type, err;

	if (addr_len < SIN6_LEN_RFC2133)
		return -EINVAL;
	if (usin->sin6_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (ipv6_addr_any(&usin->sin6_addr)) {
		if (ipv6_addr_v4mapped(&sk->sk_v6_rcv_saddr))
			ipv6_addr_set_v4mapped(htonl(INADDR_LOOPBACK),
					       &usin->sin6_addr);
		else
			usin->sin6_addr = in6addr_loopback;
	}
	addr_type = ipv6_addr_type(&usin->sin6_addr);
	if (addr_type & IPV6_ADDR_MULTICAST)
		return -ENETUNREACH;
	if (addr_type & IPV6_ADDR_LINKLOCAL) {
		if (addr_len >= sizeof(struct sockaddr_in6) &&
		    usin->sin6_scope_id) {
			if (!sk_dev_equal_l3scope(sk, usin->sin6_scope_id))
				return -EINVAL;
			sk->sk_bound_dev_if = usin->sin6_scope_id;
		}
		/* a link-local address means nothing without its link */
		if (!sk->sk_bound_dev_if)
			return -EINVAL;
	}
	if (addr_type & IPV6_ADDR_MAPPED)
		return mytcp_v6_connect_mapped(sk, usin);
	/* bound to a v4-mapped address, it cannot reach an IPv6 one */
	if (ipv6_addr_v4mapped(&sk->sk_v6_rcv_saddr))
		return -ENETUNREACH;

	if (!ipv6_addr_any(&sk->sk_v6_rcv_saddr))
		saddr = &sk->sk_v6_rcv_saddr;
	memset(&fl6, 0, sizeof(fl6));
	fl6.flowi6_proto = IPPROTO_MYTCP;
	fl6.daddr = usin->sin6_addr;
	fl6.saddr = saddr ? *saddr : np->saddr;
	fl6.flowi6_oif = sk->sk_bound_dev_if;
	fl6.flowi6_mark = sk->sk_mark;
	fl6.fl6_dport = usin->sin6_port;
	fl6.fl6_sport = inet->inet_sport;
	fl6.flowi6_uid = sk->sk_uid;
	opt = rcu_dereference_protected(np->opt, lockdep_sock_is_held(sk));
	final_p = fl6_update_dst(&fl6, opt, &final);
	security_sk_classify_flow(sk, flowi6_to_flowi_common(&fl6));
	dst = ip6_dst_lookup_flow(sock_net(sk), sk, &fl6, final_p);
	if (IS_ERR(dst))
		return PTR_ERR(dst);

	sk->sk_v6_daddr = usin->sin6_addr;
	if (!saddr) {
		saddr = &fl6.saddr;
		sk->sk_v6_rcv_saddr = *saddr;
	}
	np->saddr = *saddr;
	/* as inet6_bind(): the IPv4 fields of an IPv6 socket name no host */
	inet->inet_rcv_saddr = LOOPBACK4_IPV6;
	ip6_dst_store(sk, dst, NULL, NULL);
	inet->inet_dport = usin->sin6_port;

	if (!inet->inet_num) {
		err = mytcp_get_port(sk, 0);
		if (err) {
			err = -EADDRNOTAVAIL;
			goto failure;
		}
		inet->inet_sport = htons(inet->inet_num);
	}
	err = mytcp_ehash_insert(sk);
	if (err)
		goto failure;
	err = mytcp_connect_finish(sk);
	if (err)
		goto failure;
	return 0;

failure:
	mytcp_set_state(sk, TCP_CLOSE);
	sk_dst_reset(sk);
	inet->inet_dport = 0;
	sk->sk_v6_daddr = in6addr_any;
	sk->sk_route_caps = 0;
	return err;
}

/**
 * mytcp_v6_child_init - the IPv6 half of a new AF_INET6 child
 * @child: the child, made by mytcp_create_child() with the listener's
 *	struct proto, its IPv4 fields set
 * @listener: its listener
 * @req: the request it comes from
 *
 * The child's struct ipv6_pinfo is its own, with the listener's hop limit,
 * traffic class, PMTU discovery mode and IPV6_RECVERR; sticky IPv6
 * options (np->opt) and flow labels are not inherited.  An IPv4 peer makes
 * it a v4-mapped socket with the IPv4 operations.
 */
void mytcp_v6_child_init(struct sock *child, const struct sock *listener,
			 const struct mytcp_request *req)
{
	const struct ipv6_pinfo *lnp = inet6_sk(listener);
	struct ipv6_pinfo *np = &((struct mytcp6_sock *)child)->inet6;

	memset(np, 0, sizeof(*np));
	inet_sk(child)->pinet6 = np;
	np->hop_limit = lnp->hop_limit;
	np->mcast_hops = IPV6_DEFAULT_MCASTHOPS;
	np->mc_loop = 1;
	np->pmtudisc = lnp->pmtudisc;
	np->tclass = lnp->tclass;
	np->recverr = lnp->recverr;
	child->sk_v6_rcv_saddr = req->laddr;
	child->sk_v6_daddr = req->raddr;
	np->saddr = req->laddr;
	if (mytcp_addr_is4(&req->raddr))
		mytcp_sk(child)->af_ops = &mytcp_ipv4_ops;
}

/**
 * mytcp_v6_raw_xmit - send over IPv6 a segment that no socket owns
 * @net: namespace
 * @skb: the segment, its header and checksum filled in
 * @saddr: our address
 * @daddr: the peer's
 * @oif: interface to route by, or 0 (mytcp_reply_oif())
 * @mark: fwmark to route by and carry (mytcp_reply_mark())
 *
 * A RST, a TIME_WAIT ACK, a request's SYN+ACK: routed here as for IPv4,
 * an IPv6 header put on and handed to ip6_local_out().  No route:
 * dropped.
 */
void mytcp_v6_raw_xmit(struct net *net, struct sk_buff *skb,
		       const struct in6_addr *saddr,
		       const struct in6_addr *daddr, int oif, u32 mark)
{
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	struct flowi6 fl6;

	memset(&fl6, 0, sizeof(fl6));
	fl6.flowi6_proto = IPPROTO_MYTCP;
	fl6.daddr = *daddr;
	fl6.saddr = *saddr;
	fl6.fl6_sport = tcp_hdr(skb)->source;
	fl6.fl6_dport = tcp_hdr(skb)->dest;
	fl6.flowi6_uid = sock_net_uid(net, NULL);
	fl6.flowi6_oif = oif;
	fl6.flowi6_mark = mark;
	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst)) {
		kfree_skb(skb);
		return;
	}
	skb_dst_set(skb, dst);
	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(skb->len - sizeof(*ip6h));
	ip6h->nexthdr = IPPROTO_MYTCP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
	skb->protocol = htons(ETH_P_IPV6);
	skb->mark = mark;
	mytcp_inc_stats(net, MYTCP_MIB_OUTSEGS);
	ip6_local_out(net, NULL, skb);
}

/**
 * mytcp_v6_route_mtu - the MTU of the route to an IPv6 peer
 * @net: namespace
 * @laddr: our address
 * @raddr: the peer's
 * @lport: our port
 * @rport: the peer's port
 * @oif: interface the listener is bound to, or 0
 *
 * Return: the MTU, or 0 when there is no route.
 */
u32 mytcp_v6_route_mtu(struct net *net, const struct in6_addr *laddr,
		       const struct in6_addr *raddr, __be16 lport,
		       __be16 rport, int oif)
{
	struct dst_entry *dst;
	struct flowi6 fl6;
	u32 mtu;

	memset(&fl6, 0, sizeof(fl6));
	fl6.flowi6_proto = IPPROTO_MYTCP;
	fl6.daddr = *raddr;
	fl6.saddr = *laddr;
	fl6.fl6_sport = lport;
	fl6.fl6_dport = rport;
	fl6.flowi6_oif = oif;
	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst))
		return 0;
	mtu = dst_mtu(dst);
	dst_release(dst);
	return mtu;
}

/*
 * inet6_protocol::handler: a segment arrives over IPv6.  A v4-mapped
 * address in an IPv6 header is never real (RFC 4291 section 2.5.5.2, RFC
 * 4038 section 4.2): in our tables it would reach an IPv4 connection, so
 * it is dropped and counted, as are multicast destinations.
 */
static int mytcp_v6_rcv(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);

	if (skb->pkt_type != PACKET_HOST)
		goto discard;
	if (ipv6_addr_v4mapped(&ip6h->saddr) ||
	    ipv6_addr_v4mapped(&ip6h->daddr) ||
	    ipv6_addr_is_multicast(&ip6h->daddr)) {
		mytcp_inc_stats(net, MYTCP_MIB_INSEGS);
		mytcp_drop(net, skb, MYTCP_MIB_DROP_BAD_ADDR);
		goto discard;
	}
	/* IP6CB is in skb->cb, which mytcp_rcv() takes over */
	return mytcp_rcv(skb, net, inet6_iif(skb));
discard:
	kfree_skb(skb);
	return 0;
}

/*
 * ICMPv6 Packet Too Big (RFC 8201 section 4).  An MTU below 1280 is
 * never believed: the message is dropped and counted, as Linux's TCP
 * does; the path MTU estimate never goes below the minimum link MTU.
 */
static void mytcp_v6_ptb(struct sock *sk, u32 mtu, bool owned)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct net *net = sock_net(sk);

	mytcp_inc_stats(net, MYTCP_MIB_ICMP6_PKT_TOOBIG);
	if (mtu < MYTCP_MIN_PMTU6) {
		mytcp_inc_stats(net, MYTCP_MIB_ICMP6_PTB_BELOW_MIN);
		return;
	}
	WRITE_ONCE(msk->mtu_info, mtu);
	if (!owned) {
		mytcp_mtu_reduced(sk);
	} else if (!test_and_set_bit(MYTCP_DEFER_MTU_REDUCED,
				     &msk->deferred)) {
		sock_hold(sk);	/* until mytcp_release_cb() */
		mytcp_inc_stats(net, MYTCP_MIB_ICMP_DEFERRED);
	}
}

/*
 * inet6_protocol::err_handler: an ICMPv6 error quoting one of our
 * segments; skb->data is at the quoted IPv6 header and our header is at
 * @offset (the IPv6 layer has made 8 octets of it readable).  The checks
 * are RFC 5927's, as for IPv4 (icmp.c): a connection of ours, a sequence
 * number we sent and the peer has not acknowledged.
 */
static int mytcp_v6_err(struct sk_buff *skb, struct inet6_skb_parm *opt,
			u8 type, u8 code, int offset, __be32 info)
{
	const struct ipv6hdr *ip6h = (const struct ipv6hdr *)skb->data;
	struct net *net = dev_net(skb->dev);
	const struct tcphdr *th;
	struct mytcp_sock *msk;
	struct sock *sk;
	bool owned;
	int err;

	if (offset < (int)sizeof(*ip6h) || skb->len < offset + 8 ||
	    ipv6_addr_v4mapped(&ip6h->saddr) ||
	    ipv6_addr_v4mapped(&ip6h->daddr)) {
		mytcp_inc_stats(net, MYTCP_MIB_ICMP_BAD);
		return 0;
	}
	th = (const struct tcphdr *)(skb->data + offset);
	sk = mytcp_lookup_established(net, &ip6h->saddr, th->source,
				      &ip6h->daddr, th->dest);
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
	if (!mytcp_icmp_seq_ok(msk->snd_una, msk->snd_max, ntohl(th->seq))) {
		mytcp_inc_stats(net, MYTCP_MIB_ICMP_OUT_OF_WINDOW);
		goto out;
	}
	switch (type) {
	case ICMPV6_PKT_TOOBIG:
		mytcp_v6_ptb(sk, ntohl(info), owned);
		break;
	case ICMPV6_DEST_UNREACH:
	case ICMPV6_TIME_EXCEED:
	case ICMPV6_PARAMPROB:
		icmpv6_err_convert(type, code, &err);
		mytcp_icmp_error(sk, err, owned);
		break;
	default:
		/* redirects (the route layer has taken them) and the rest */
		mytcp_inc_stats(net, MYTCP_MIB_ICMP_IGNORED);
	}
out:
	bh_unlock_sock(sk);
	sock_put(sk);
	return 0;
}

static const struct inet6_protocol mytcpv6_protocol = {
	.handler	= mytcp_v6_rcv,
	.err_handler	= mytcp_v6_err,
	.flags		= INET6_PROTO_NOPOLICY | INET6_PROTO_FINAL,
};

static struct inet_protosw mytcpv6_protosw = {
	.type		= SOCK_STREAM,
	.protocol	= IPPROTO_MYTCP,
	.prot		= &mytcpv6_prot,
	.ops		= &mytcp6_stream_ops,
	.flags		= 0,
};

/**
 * mytcp_ipv6_init - register with the IPv6 layer
 *
 * Sockets first, then the protocol handler, so no segment arrives for a
 * family that cannot have sockets yet (main.c's order for IPv4).
 *
 * Return: 0, or -EBUSY when protocol 253 is taken for IPv6.
 */
int mytcp_ipv6_init(void)
{
	int err;

	err = inet6_register_protosw(&mytcpv6_protosw);
	if (err)
		return err;
	if (inet6_add_protocol(&mytcpv6_protocol, IPPROTO_MYTCP) < 0) {
		pr_err("mytcp: IPv6 protocol %d is already registered\n",
		       IPPROTO_MYTCP);
		inet6_unregister_protosw(&mytcpv6_protosw);
		return -EBUSY;
	}
	return 0;
}

/**
 * mytcp_ipv6_exit - unregister from the IPv6 layer, in reverse
 */
void mytcp_ipv6_exit(void)
{
	inet6_del_protocol(&mytcpv6_protocol, IPPROTO_MYTCP);
	inet6_unregister_protosw(&mytcpv6_protosw);
}
