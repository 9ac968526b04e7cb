// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the passive open (RFC 9293 sections 3.5 and 3.10.7.2).
 *
 * A listener keeps two bounded queues under its socket lock: the SYN queue
 * of small request entries (SYN received, SYN+ACK sent) and the accept
 * queue of full child sockets whose handshake completed.  A child socket is
 * made only when the third segment arrives, and is fully set up before it
 * enters the connection table.
 */

#include <linux/ip.h>
#include <linux/sched/signal.h>
#include <linux/security.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/route.h>
#include <net/transp_v6.h>

#include "isn.h"
#include "experiment.h"
#include "protocol.h"
#include "trace.h"

/**
 * mytcp_listen_start - enter LISTEN (RFC 9293 section 3.10.1)
 * @sk: the socket, locked, in CLOSE
 * @backlog: accept queue bound
 *
 * Return: 0, or -EADDRINUSE when the port (or an ephemeral one) is taken.
 */
int mytcp_listen_start(struct sock *sk, int backlog)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct in6_addr laddr, raddr;
	int err;

	WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
	WRITE_ONCE(sk->sk_ack_backlog, 0);
	msk->syn_qlen = 0;
	msk->accept_qlen = 0;
	/* LISTEN first, so that the port check treats us as a listener */
	inet_sk_set_state(sk, TCP_LISTEN);
	err = mytcp_get_port(sk, inet->inet_num);
	if (err) {
		inet_sk_set_state(sk, TCP_CLOSE);
		return -EADDRINUSE;
	}
	inet->inet_sport = htons(inet->inet_num);
	sk_dst_reset(sk);
	mytcp_sk_laddr(sk, &laddr);
	/* the peer of a listener: the wildcard of its own family */
	raddr = in6addr_any;
	if (mytcp_addr_is4(&laddr))
		mytcp_addr_set4(&raddr, 0);
	trace_mytcp_state(sock_net(sk), &laddr, inet->inet_sport, &raddr, 0,
			  TCP_CLOSE, TCP_LISTEN);
	mytcp_lhash_insert(sk);
	return 0;
}

/* Forget a request; @failed: it ends without a connection (traced) */
static void mytcp_drop_request(struct mytcp_sock *msk,
			       struct mytcp_request *req, bool failed)
{
	if (failed)
		trace_mytcp_state(sock_net(&msk->inet.sk), &req->laddr,
				  req->lport, &req->raddr, req->rport,
				  TCP_SYN_RECV, TCP_CLOSE);
	list_del(&req->node);
	msk->syn_qlen--;
	kfree(req);
}

/*
 * The accept queue holds backlog + 1 connections, as Linux's does
 * (listen(fd, 0) still accepts one).
 */
static bool mytcp_accept_queue_full(const struct mytcp_sock *msk)
{
	return msk->accept_qlen > READ_ONCE(msk->inet.sk.sk_max_ack_backlog);
}

/* Abort a child the user never accepted: RST, then it goes. */
static void mytcp_child_forget(struct sock *child)
{
	local_bh_disable();
	bh_lock_sock_nested(child);
	sock_orphan(child);
	if (child->sk_state != TCP_CLOSE)
		mytcp_send_active_reset(child, GFP_ATOMIC);
	mytcp_done(child);
	bh_unlock_sock(child);
	local_bh_enable();
}

/**
 * mytcp_listen_stop - leave LISTEN: drop the SYN and accept queues
 * @sk: the listener, locked, already out of the listener table
 */
void mytcp_listen_stop(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_request *req, *rtmp;
	struct mytcp_sock *child, *ctmp;

	sk_stop_timer(sk, &msk->listen_timer);
	list_for_each_entry_safe(req, rtmp, &msk->syn_queue, node)
		mytcp_drop_request(msk, req, true);
	msk->syn_qlen = 0;
	list_for_each_entry_safe(child, ctmp, &msk->accept_queue, accept_node) {
		list_del_init(&child->accept_node);
		mytcp_child_forget(&child->inet.sk);
	}
	msk->accept_qlen = 0;
	WRITE_ONCE(sk->sk_ack_backlog, 0);
}

static struct mytcp_request *
mytcp_find_request(struct mytcp_sock *msk, const struct in6_addr *raddr,
		   __be16 rport, const struct in6_addr *laddr)
{
	struct mytcp_request *req;

	list_for_each_entry(req, &msk->syn_queue, node)
		if (ipv6_addr_equal(&req->raddr, raddr) &&
		    req->rport == rport && ipv6_addr_equal(&req->laddr, laddr))
			return req;
	return NULL;
}

#if IS_ENABLED(CONFIG_MYTCP_KUNIT_TEST)
/* KUnit (conn_test.c) sets it: the next child's table insertion fails */
bool mytcp_fault_child_insert;

static bool mytcp_child_insert_fault(void)
{
	return xchg(&mytcp_fault_child_insert, false);
}
#else
static bool mytcp_child_insert_fault(void)
{
	return false;
}
#endif

/*
 * Make the socket of a completed handshake, a child of @listener.  It is
 * fully set up, timers included (mytcp_established() arms keepalive),
 * before mytcp_ehash_insert() makes it visible.  If the insertion fails
 * (the 4-tuple went to TIME_WAIT or another connection in between) the
 * setup is undone in reverse: each armed timer holds a reference and
 * would fire on freed memory, so they stop first.
 */
static struct sock *mytcp_create_child(struct sock *listener,
				       struct mytcp_request *req,
				       struct sk_buff *skb)
{
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct inet_sock *linet = inet_sk(listener);
	struct mytcp_sock *msk;
	struct inet_sock *inet;
	struct sock *child;

	/* a child has its listener's family, even for an IPv4 peer */
	child = sk_alloc(sock_net(listener), listener->sk_family, GFP_ATOMIC,
			 listener->sk_prot, false);
	if (!child)
		return NULL;
	sock_init_data(NULL, child);
	child->sk_type = SOCK_STREAM;
	child->sk_protocol = IPPROTO_MYTCP;
	child->sk_destruct = inet_sock_destruct;
	child->sk_ipv6only = listener->sk_ipv6only;
	child->sk_backlog_rcv = mytcp_backlog_rcv;
	child->sk_rcvbuf = listener->sk_rcvbuf;
	child->sk_sndbuf = listener->sk_sndbuf;
	child->sk_userlocks = listener->sk_userlocks;
	child->sk_reuse = listener->sk_reuse;
	child->sk_bound_dev_if = listener->sk_bound_dev_if;
	child->sk_mark = listener->sk_mark;
	child->sk_priority = listener->sk_priority;
	/* the owner and the LSM label are the listener's, as for TCP's clones */
	child->sk_uid = listener->sk_uid;
	security_sk_clone(listener, child);
	child->sk_rcvtimeo = listener->sk_rcvtimeo;
	child->sk_sndtimeo = listener->sk_sndtimeo;
	child->sk_lingertime = listener->sk_lingertime;
	if (sock_flag(listener, SOCK_LINGER))
		sock_set_flag(child, SOCK_LINGER);
	if (sock_flag(listener, SOCK_KEEPOPEN))
		sock_set_flag(child, SOCK_KEEPOPEN);

	inet = inet_sk(child);
	inet->inet_num = linet->inet_num;
	inet->inet_sport = req->lport;
	if (mytcp_addr_is4(&req->raddr)) {
		inet->inet_rcv_saddr = mytcp_addr4(&req->laddr);
		inet->inet_saddr = mytcp_addr4(&req->laddr);
		inet->inet_daddr = mytcp_addr4(&req->raddr);
	} else {
		/* as inet6_bind() marks an IPv6 address in the IPv4 fields */
		inet->inet_rcv_saddr = LOOPBACK4_IPV6;
		inet->inet_saddr = LOOPBACK4_IPV6;
		inet->inet_daddr = LOOPBACK4_IPV6;
	}
	inet->inet_dport = req->rport;
	inet->uc_ttl = linet->uc_ttl;
	inet->tos = linet->tos;
	inet->pmtudisc = linet->pmtudisc;
	inet->mc_ttl = 1;
	inet->mc_index = 0;
	atomic_set(&inet->inet_id, get_random_u16());

	mytcp_init_sock(child);
	if (child->sk_family == AF_INET6)
		mytcp_v6_child_init(child, listener, req);
	mytcp_cong_sock_inherit(child, listener);
	msk = mytcp_sk(child);
	msk->iss = req->iss;
	msk->snd_una = req->iss + 1;
	msk->snd_nxt = msk->snd_una;
	msk->snd_max = msk->snd_una;
	msk->write_seq = msk->snd_una;
	msk->irs = req->irs;
	msk->rcv_nxt = req->irs + 1;
	msk->copied_seq = msk->rcv_nxt;
	msk->rcv_wup = msk->rcv_nxt;
	msk->rcv_wnd = min_t(u32, mytcp_receive_space(listener), 65535U);
	msk->advmss = req->advmss;
	/* RFC 7323 section 3.2: negotiated in the SYN and our SYN,ACK */
	msk->ts_ok = req->ts_ok;
	msk->ts_offset = req->ts_offset;
	if (req->ts_ok)
		mytcp_ts_set_recent(child, req->ts_recent);
	msk->mss = min_t(u16, req->mss, req->advmss) - mytcp_ts_hdr_len(child);
	msk->user_mss = mytcp_sk(listener)->user_mss;
	msk->nodelay = mytcp_sk(listener)->nodelay;
	/* TCP_KEEPIDLE, _KEEPINTVL, _KEEPCNT: inherited, as TCP's clones do */
	msk->keepidle = mytcp_sk(listener)->keepidle;
	msk->keepintvl = mytcp_sk(listener)->keepintvl;
	msk->keepcnt = mytcp_sk(listener)->keepcnt;
	msk->experiments = mytcp_sk(listener)->experiments;
	if (req->wscale_ok) {
		msk->snd_wscale = req->snd_wscale;
		msk->rcv_wscale = MYTCP_RCV_WSCALE;
	}
	msk->snd_wnd = (u32)cb->wnd << msk->snd_wscale;
	msk->max_snd_wnd = max_t(u32, msk->snd_wnd, req->snd_wnd);
	msk->snd_wl1 = cb->seq;
	msk->snd_wl2 = cb->ack;
	/*
	 * RFC 6298 section 2: the SYN,ACK's round trip is a measurement
	 * too, if it went out once; without it the first data would wait
	 * out the initial 1 s RTO.
	 */
	if (req->synack_us && req->synack_us != U64_MAX)
		mytcp_rtt_measured(child, mytcp_clock_us() - req->synack_us);

	mytcp_sk_laddr(listener, &msk->owner.rcv_saddr);
	msk->owner.reuse = child->sk_reuse != SK_NO_REUSE;
	msk->owner.is_tw = false;
	msk->owner.v6only = listener->sk_ipv6only;
	msk->owner.bound_dev_if = child->sk_bound_dev_if;
	mytcp_bind_owner_add(sock_net(child), &msk->owner, inet->inet_num);

	trace_mytcp_state(sock_net(child), &req->laddr, req->lport,
			  &req->raddr, req->rport, TCP_SYN_RECV,
			  TCP_ESTABLISHED);
	inet_sk_set_state(child, TCP_ESTABLISHED);
	mytcp_established(child);
	if (mytcp_child_insert_fault() || mytcp_ehash_insert(child)) {
		/* the 4-tuple is still in TIME_WAIT or taken: give up */
		mytcp_stop_timers(child);
		mytcp_port_owner_del(&msk->owner);
		inet_sk_set_state(child, TCP_CLOSE);
		sock_set_flag(child, SOCK_DEAD);
		sk_free(child);
		return NULL;
	}
	return child;
}

/* Fill a request from its SYN (or, for a cookie, from the ACK's numbers). */
static void mytcp_req_init(struct sock *sk, struct sk_buff *skb,
			   struct mytcp_request *req, u32 irs, u16 mss,
			   bool wscale_ok, u8 wscale)
{
	const struct tcphdr *th = tcp_hdr(skb);
	struct mytcp_sock *msk = mytcp_sk(sk);
	u16 advmss;

	mytcp_skb_addrs(skb, &req->raddr, &req->laddr);
	req->lport = th->dest;
	req->rport = th->source;
	req->irs = irs;
	req->snd_wnd = MYTCP_SKB_CB(skb)->wnd;
	req->mss = mytcp_peer_mss(mss);
	req->wscale_ok = wscale_ok;
	req->snd_wscale = wscale;
	req->dif = mytcp_reply_oif(sock_net(sk), skb, sk->sk_bound_dev_if);
	req->mark = READ_ONCE(sk->sk_mark);
	/* from the route back to the peer, not the device the SYN came on */
	advmss = mytcp_path_advmss(sock_net(sk), &req->laddr, &req->raddr,
				   th->dest, th->source, sk->sk_bound_dev_if,
				   skb->dev->mtu);
	if (msk->user_mss)
		advmss = min_t(u16, advmss, msk->user_mss);
	req->advmss = advmss;
}

/*
 * The third segment of the handshake, its ACK acceptable: the request
 * (from the SYN queue, or rebuilt from a SYN cookie) becomes a socket.
 * Takes the skb.
 */
static void mytcp_listen_complete(struct sock *sk, struct mytcp_request *req,
				  struct sk_buff *skb, bool cookie)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct net *net = sock_net(sk);
	struct sock *child;

	if (mytcp_accept_queue_full(msk)) {
		/* keep the request: the peer's retransmission may fit later */
		mytcp_drop(net, skb, MYTCP_MIB_DROP_ACCEPT_QUEUE_FULL);
		goto drop;
	}
	child = mytcp_create_child(sk, req, skb);
	if (!child) {
		mytcp_drop(net, skb, MYTCP_MIB_DROP_OTHER);
		goto drop;
	}
	if (!cookie)
		mytcp_drop_request(msk, req, false);
	list_add_tail(&mytcp_sk(child)->accept_node, &msk->accept_queue);
	msk->accept_qlen++;
	WRITE_ONCE(sk->sk_ack_backlog, msk->accept_qlen);
	mytcp_inc_stats(net, MYTCP_MIB_PASSIVEOPENS);

	/* the ACK may carry data or a FIN: the child takes it from here */
	bh_lock_sock_nested(child);
	mytcp_do_rcv(child, skb);
	bh_unlock_sock(child);
	sk->sk_data_ready(sk);
	return;
drop:
	kfree_skb(skb);
}

/*
 * An ACK in LISTEN with no request: the third segment of a handshake
 * answered with a SYN cookie, or RFC 9293 section 3.10.7.2, second: "Any
 * acknowledgment is bad if it arrives on a connection still in the LISTEN
 * state": <SEQ=SEG.ACK><CTL=RST>.
 */
static void mytcp_listen_ack(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct net *net = sock_net(sk);
	struct mytcp_cookie_info info;
	struct in6_addr saddr, daddr;
	struct mytcp_request req;

	if (!READ_ONCE(mytcp_pernet(net)->syncookies))
		goto reset;
	/*
	 * A cookie lives two 64-second periods: a listener that sent none
	 * for that long has nothing to check the ACK against, and an
	 * attacker guessing cookies gets no chance while there is no flood.
	 */
	if (!mytcp_sk(sk)->last_cookie ||
	    time_after(jiffies, mytcp_sk(sk)->last_cookie +
				MYTCP_COOKIE_LIFE_SECS * HZ))
		goto reset;
	mytcp_skb_addrs(skb, &saddr, &daddr);
	if (!mytcp_syncookie_ok(&daddr, &saddr, th->dest, th->source,
				cb->seq - 1, cb->ack - 1, &info)) {
		mytcp_inc_stats(net, MYTCP_MIB_SYNCOOKIES_FAILED);
		goto reset;
	}
	memset(&req, 0, sizeof(req));
	mytcp_req_init(sk, skb, &req, cb->seq - 1, info.mss, info.wscale_ok,
		       info.wscale);
	req.iss = cb->ack - 1;
	mytcp_inc_stats(net, MYTCP_MIB_SYNCOOKIES_RECV);
	mytcp_listen_complete(sk, &req, skb, true);
	return;
reset:
	mytcp_drop(net, skb, MYTCP_MIB_DROP_NOT_ACCEPTABLE);
	mytcp_send_reset_reply_sk(sk, skb);
	kfree_skb(skb);
}

/* RCV.WND of a request: what its SYN,ACK offered (RFC 7323 2.2: unscaled) */
static u32 mytcp_req_rcv_wnd(const struct sock *sk)
{
	return min_t(u32, mytcp_receive_space(sk), 65535U);
}

/*
 * <SEQ=ISS+1><ACK=RCV.NXT><CTL=ACK> from a request: RFC 9293 section
 * 3.10.7.4's answer to an unacceptable segment, and RFC 5961's challenge
 * ACK.
 */
static void mytcp_req_send_ack(struct sock *sk,
			       const struct mytcp_request *req)
{
	struct mytcp_opts opts = { };

	mytcp_req_ts_fill(req, &opts);
	mytcp_send_ack_reply(sock_net(sk), &req->laddr, &req->raddr,
			     req->lport, req->rport, req->iss + 1, req->irs + 1,
			     mytcp_req_rcv_wnd(sk), TCPHDR_ACK,
			     req->ts_ok ? &opts : NULL, req->dif, req->mark);
}

/* The SYN,ACK of a request goes out again: traced and counted as such. */
static void mytcp_req_resend_synack(struct sock *sk, struct mytcp_request *req,
				    const char *why)
{
	struct net *net = sock_net(sk);
	u64 rto_us = (u64)MYTCP_RTO_INIT_US << min_t(u8, req->retries, 16);

	trace_mytcp_retransmit(net, &req->laddr, req->lport, &req->raddr,
			       req->rport, req->iss, 0, why,
			       min_t(u64, rto_us, U32_MAX));
	mytcp_inc_stats(net, MYTCP_MIB_RETRANSSEGS);
	mytcp_send_synack(sk, req);
}

/*
 * RFC 9293 section 3.10.7.4 for a connection in SYN-RECEIVED that came
 * from LISTEN: its request entry.  Takes the skb.
 */
static void mytcp_req_rcv(struct sock *sk, struct mytcp_request *req,
			  struct sk_buff *skb)
{
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct net *net = sock_net(sk);
	u32 rcv_nxt = req->irs + 1;

	/*
	 * The SYN again (SEG.SEQ = IRS): our SYN,ACK was lost.  The first
	 * check would answer <SEQ=ISS+1><ACK=RCV.NXT>; like Linux, send the
	 * SYN,ACK itself, which the peer in SYN-SENT can use.
	 */
	if ((cb->flags & (TCPHDR_SYN | TCPHDR_ACK | TCPHDR_RST)) == TCPHDR_SYN &&
	    cb->seq == req->irs) {
		mytcp_req_resend_synack(sk, req, "syn");
		goto drop;
	}
	/* first: the sequence number; unacceptable gets an ACK */
	if (!mytcp_seg_acceptable(rcv_nxt, mytcp_req_rcv_wnd(sk), cb->seq,
				  cb->end_seq - cb->seq)) {
		mytcp_drop(net, skb, MYTCP_MIB_DROP_NOT_ACCEPTABLE);
		if (!(cb->flags & TCPHDR_RST))
			mytcp_req_send_ack(sk, req);
		goto drop;
	}
	/*
	 * second: RST.  At RCV.NXT (RFC 5961 section 3.2) a passive OPEN
	 * "return[s] this connection to LISTEN state": the request goes.
	 * Elsewhere in the window: a challenge ACK.
	 */
	if (cb->flags & TCPHDR_RST) {
		if (cb->seq == rcv_nxt)
			mytcp_drop_request(msk, req, true);
		else if (mytcp_challenge_ack_allowed(net))
			mytcp_req_send_ack(sk, req);
		goto drop;
	}
	/*
	 * fourth: a SYN in the window.  RFC 9293's rule for SYN-RECEIVED
	 * from a passive OPEN: "return this connection to the LISTEN state
	 * and return"; nothing is sent (Linux also sends a RST).  The peer's
	 * next SYN finds the listener and starts afresh.
	 */
	if (cb->flags & TCPHDR_SYN) {
		mytcp_drop_request(msk, req, true);
		goto drop;
	}
	/* fifth: ACK (mytcp_do_rcv() dropped segments without it) */
	if (!(cb->flags & TCPHDR_ACK))
		goto drop;
	/* SND.UNA < SEG.ACK =< SND.NXT, or <SEQ=SEG.ACK><CTL=RST> */
	if (!mytcp_ack_acceptable(req->iss, req->iss + 1, cb->ack)) {
		mytcp_drop(net, skb, MYTCP_MIB_DROP_NOT_ACCEPTABLE);
		mytcp_send_reset_reply_sk(sk, skb);
		goto drop;
	}
	mytcp_listen_complete(sk, req, skb, false);
	return;
drop:
	kfree_skb(skb);
}

/*
 * The SYN queue is full: answer with a SYN cookie instead of a request
 * entry (isn.c), so a flood of spoofed SYNs costs no memory and real
 * clients still get through.
 */
static void mytcp_send_cookie(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct mytcp_cookie_info info = {
		.mss = mytcp_peer_mss(cb->opts.mss),
		.wscale_ok = cb->opts.wscale_ok,
		.wscale = cb->opts.wscale,
	};
	struct mytcp_request req = { };

	mytcp_req_init(sk, skb, &req, cb->seq, info.mss, info.wscale_ok,
		       info.wscale);
	req.iss = mytcp_syncookie(&req.laddr, &req.raddr, req.lport,
				  req.rport, req.irs, &info);
	mytcp_inc_stats(sock_net(sk), MYTCP_MIB_SYNCOOKIES_SENT);
	WRITE_ONCE(mytcp_sk(sk)->last_cookie, jiffies);
	mytcp_send_synack(sk, &req);
}

/*
 * The lesson without the third segment (MYTCP_EXP_TWO_WAY_OPEN): the SYN
 * alone makes a connection, as if our SYN,ACK had been acknowledged.  RFC
 * 9293 section 3.5 (figure 8) is why TCP never does this: an old duplicate
 * SYN then opens a connection the peer never asked for, and the program
 * accepts it before the peer's RST can say so.  Takes nothing.
 */
static void mytcp_two_way_open(struct sock *sk, struct mytcp_request *req,
			       struct sk_buff *syn)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct net *net = sock_net(sk);
	struct mytcp_sock *cmsk;
	struct sock *child;

	if (mytcp_accept_queue_full(msk))
		return;		/* the request stays: the ACK completes it */
	req->synack_us = 0;	/* no round trip was measured */
	child = mytcp_create_child(sk, req, syn);
	if (!child)
		return;
	/* the SYN's window is never scaled (RFC 7323 section 2.2), no ACK */
	cmsk = mytcp_sk(child);
	cmsk->snd_wnd = req->snd_wnd;
	cmsk->max_snd_wnd = req->snd_wnd;
	cmsk->snd_wl2 = req->iss;
	mytcp_drop_request(msk, req, false);
	list_add_tail(&cmsk->accept_node, &msk->accept_queue);
	msk->accept_qlen++;
	WRITE_ONCE(sk->sk_ack_backlog, msk->accept_qlen);
	mytcp_inc_stats(net, MYTCP_MIB_PASSIVEOPENS);
	mytcp_inc_stats(net, MYTCP_MIB_EXP_TWO_WAY_OPENS);
	sk->sk_data_ready(sk);
}

/* A SYN for a listener: a request entry and our SYN+ACK. */
static void mytcp_listen_syn(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	struct net *net = sock_net(sk);
	bool cookies = READ_ONCE(mytcp_pernet(net)->syncookies);
	struct mytcp_request *req;

	if (mytcp_accept_queue_full(msk)) {
		mytcp_drop(net, skb, MYTCP_MIB_DROP_ACCEPT_QUEUE_FULL);
		goto drop;
	}
	if (mytcp_syn_queue_full(msk->syn_qlen,
				 READ_ONCE(sk->sk_max_ack_backlog),
				 READ_ONCE(mytcp_pernet(net)->max_syn_backlog),
				 cookies)) {
		if (cookies)
			mytcp_send_cookie(sk, skb);
		else
			mytcp_drop(net, skb, MYTCP_MIB_DROP_SYN_QUEUE_FULL);
		goto drop;
	}
	req = kzalloc(sizeof(*req), GFP_ATOMIC);
	if (!req) {
		mytcp_drop(net, skb, MYTCP_MIB_DROP_OTHER);
		goto drop;
	}
	mytcp_req_init(sk, skb, req, cb->seq, cb->opts.mss, cb->opts.wscale_ok,
		       cb->opts.wscale);
	req->iss = mytcp_isn(&req->laddr, &req->raddr, req->lport, req->rport);
	/*
	 * RFC 7323 section 3.2: our SYN,ACK carries timestamps only if the
	 * SYN did (and net.mytcp.timestamps allows them).  A SYN cookie
	 * cannot keep TS.Recent nor the choice: it negotiates none.
	 */
	if (cb->opts.ts_ok && READ_ONCE(mytcp_pernet(net)->timestamps)) {
		req->ts_ok = true;
		req->ts_recent = cb->opts.tsval;
		req->ts_offset = mytcp_ts_offset(&req->laddr, &req->raddr,
						 req->lport, req->rport);
	}
	req->expires = jiffies + usecs_to_jiffies(MYTCP_RTO_INIT_US);
	list_add_tail(&req->node, &msk->syn_queue);
	msk->syn_qlen++;
	trace_mytcp_state(net, &req->laddr, req->lport, &req->raddr,
			  req->rport, TCP_LISTEN, TCP_SYN_RECV);
	if (!timer_pending(&msk->listen_timer))
		sk_reset_timer(sk, &msk->listen_timer,
			       jiffies + MYTCP_LISTEN_TICK);
	mytcp_send_synack(sk, req);
	if (mytcp_experiment(sk, MYTCP_EXP_TWO_WAY_OPEN))
		mytcp_two_way_open(sk, req, skb);
drop:
	kfree_skb(skb);
}

/**
 * mytcp_listen_rcv - RFC 9293 section 3.10.7.2: a segment for a listener
 * @sk: the listener, locked
 * @skb: the segment; consumed
 */
void mytcp_listen_rcv(struct sock *sk, struct sk_buff *skb)
{
	struct mytcp_skb_cb *cb = MYTCP_SKB_CB(skb);
	const struct tcphdr *th = tcp_hdr(skb);
	struct in6_addr saddr, daddr;
	struct mytcp_request *req;
	struct sock *child;

	/*
	 * The segment may have waited in our backlog while the handshake it
	 * belongs to completed: it is the child's now.
	 */
	mytcp_skb_addrs(skb, &saddr, &daddr);
	child = mytcp_lookup_established(sock_net(sk), &daddr, th->dest,
					 &saddr, th->source);
	if (child) {
		mytcp_deliver_child(child, skb);
		sock_put(child);
		return;
	}

	/* a half-open connection of ours: SYN-RECEIVED */
	req = mytcp_find_request(mytcp_sk(sk), &saddr, th->source, &daddr);
	if (req) {
		mytcp_req_rcv(sk, req, skb);
		return;
	}

	if (cb->flags & TCPHDR_RST) {
		/* first: a RST in LISTEN is ignored */
		kfree_skb(skb);
	} else if (cb->flags & TCPHDR_ACK) {
		/* second: an ACK completes a request, or earns a RST */
		if (cb->flags & TCPHDR_SYN) {
			mytcp_send_reset_reply_sk(sk, skb);
			kfree_skb(skb);
		} else {
			mytcp_listen_ack(sk, skb);
		}
	} else if (cb->flags & TCPHDR_SYN) {
		/* third: SYN */
		mytcp_listen_syn(sk, skb);
	} else {
		/* fourth: anything else is dropped */
		kfree_skb(skb);
	}
}

/**
 * mytcp_listen_timer - resend SYN+ACKs of the SYN queue, drop stale ones
 * @t: the listener's listen_timer
 *
 * Each request's SYN+ACK is retransmitted with exponential backoff from
 * 1 s (RFC 6298 section 2.1); after net.mytcp.synack_retries the request
 * is dropped.
 */
void mytcp_listen_timer(struct timer_list *t)
{
	struct mytcp_sock *msk = from_timer(msk, t, listen_timer);
	struct sock *sk = &msk->inet.sk;
	struct mytcp_request *req, *tmp;
	int retries;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, &msk->listen_timer, jiffies + HZ / 20);
		goto out;
	}
	if (sk->sk_state != TCP_LISTEN)
		goto out;
	retries = mytcp_pernet(sock_net(sk))->synack_retries;
	list_for_each_entry_safe(req, tmp, &msk->syn_queue, node) {
		if (time_before(jiffies, req->expires))
			continue;
		if (req->retries >= retries) {
			mytcp_drop_request(msk, req, true);
			continue;
		}
		req->retries++;
		req->expires = jiffies +
			usecs_to_jiffies(MYTCP_RTO_INIT_US) * (1U << req->retries);
		mytcp_req_resend_synack(sk, req, "timeout");
	}
	if (msk->syn_qlen)
		sk_reset_timer(sk, &msk->listen_timer,
			       jiffies + MYTCP_LISTEN_TICK);
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

/**
 * mytcp_accept - take a connection from the accept queue (proto::accept)
 * @sk: the listener
 * @flags: O_NONBLOCK
 * @err: where the error goes
 * @kern: the new socket is a kernel one
 *
 * Return: the child socket, or NULL with *@err set: -EINVAL when not
 * listening, -EAGAIN when non-blocking and empty, -EINTR/-ERESTARTSYS
 * on a signal.
 */
struct sock *mytcp_accept(struct sock *sk, int flags, int *err, bool kern)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_sock *child;
	long timeo;
	int error;

	lock_sock(sk);
	error = -EINVAL;
	if (sk->sk_state != TCP_LISTEN)
		goto out_err;
	timeo = sock_rcvtimeo(sk, flags & O_NONBLOCK);
	while (list_empty(&msk->accept_queue)) {
		DEFINE_WAIT(wait);

		error = -EAGAIN;
		if (!timeo)
			goto out_err;
		prepare_to_wait_exclusive(sk_sleep(sk), &wait,
					  TASK_INTERRUPTIBLE);
		release_sock(sk);
		if (list_empty(&msk->accept_queue))
			timeo = schedule_timeout(timeo);
		lock_sock(sk);
		finish_wait(sk_sleep(sk), &wait);
		error = -EINVAL;
		if (sk->sk_state != TCP_LISTEN)
			goto out_err;
		error = sock_intr_errno(timeo);
		if (signal_pending(current))
			goto out_err;
	}
	child = list_first_entry(&msk->accept_queue, struct mytcp_sock,
				 accept_node);
	list_del_init(&child->accept_node);
	msk->accept_qlen--;
	WRITE_ONCE(sk->sk_ack_backlog, msk->accept_qlen);
	release_sock(sk);
	return &child->inet.sk;

out_err:
	release_sock(sk);
	*err = error;
	return NULL;
}
