// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the socket calls (RFC 9293 section 3.10, "user calls") and the
 * ends of a connection.
 *
 * Generic inet proto_ops do the parts that are the same for every inet
 * stream protocol (bind, connect's waiting and errno rules, accept's
 * grafting, getname, release, shutdown); struct proto below supplies what
 * is mytcp's own.  Errnos follow Linux's TCP so programs cannot tell the
 * two apart.
 */

#include <linux/ip.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <asm/ioctls.h>
#include <linux/sockios.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/transp_v6.h>

#include "isn.h"
#include "protocol.h"
#include "trace.h"

/**
 * mytcp_set_state - change a socket's state
 * @sk: the socket, locked
 * @state: the new TCP_* state
 *
 * Leaving for CLOSE takes the socket out of the tables and gives back an
 * ephemeral port (one the user bound stays until the socket goes, as TCP
 * does).  The change goes through inet_sk_set_state(), so the kernel's
 * sock:inet_sock_set_state tracepoint shows it.
 */
void mytcp_set_state(struct sock *sk, int state)
{
	const struct inet_sock *inet = inet_sk(sk);
	int old = sk->sk_state;

	/*
	 * From TIME_WAIT the socket closes but the connection lives on in
	 * its TIME_WAIT entry, which reports its own end.
	 */
	if (old != state && old != TCP_TIME_WAIT) {
		struct in6_addr saddr, daddr;

		mytcp_sk_saddr(sk, &saddr);
		mytcp_sk_raddr(sk, &daddr);
		trace_mytcp_state(sock_net(sk), &saddr, inet->inet_sport,
				  &daddr, inet->inet_dport, old, state);
	}
	if (state == TCP_CLOSE) {
		mytcp_ehash_remove(sk);
		mytcp_lhash_remove(sk);
		if (!(sk->sk_userlocks & SOCK_BINDPORT_LOCK))
			mytcp_put_port(sk);
	}
	inet_sk_set_state(sk, state);
}

/**
 * mytcp_event - apply a state machine event (state.c's table)
 * @sk: the socket, locked
 * @ev: the event
 *
 * Moves to the next state unless that is CLOSE or TIME_WAIT, which the
 * caller reaches through mytcp_done() or mytcp_time_wait().
 *
 * Return: the next state, or %MYTCP_STATE_INVALID if @ev does not apply.
 */
int mytcp_event(struct sock *sk, enum mytcp_event ev)
{
	int next = mytcp_next_state(sk->sk_state, ev);

	if (next != MYTCP_STATE_INVALID && next != TCP_CLOSE &&
	    next != TCP_TIME_WAIT && next != sk->sk_state)
		mytcp_set_state(sk, next);
	return next;
}

static void mytcp_purge_queues(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(&sk->sk_write_queue))) {
		mytcp_wqueue_uncharge(sk, skb);
		kfree_skb(skb);
	}
	msk->send_head = NULL;
	skb_queue_purge(&sk->sk_receive_queue);
	skb_queue_purge(&msk->ooo_queue);
}

/**
 * mytcp_destroy_sock - free what a closed, orphaned socket holds
 * @sk: the socket, in CLOSE, SOCK_DEAD
 *
 * Drops the reference the connection held since sk_alloc().
 */
void mytcp_destroy_sock(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (msk->destroyed)
		return;
	msk->destroyed = 1;
	mytcp_orphan_gone(sk);
	mytcp_stop_timers(sk);
	mytcp_purge_queues(sk);
	mytcp_put_port(sk);
	sock_put(sk);
}

/**
 * mytcp_done - the connection is over: CLOSE
 * @sk: the socket, locked
 *
 * Wakes the user, or frees an orphan.
 */
void mytcp_done(struct sock *sk)
{
	if (sk->sk_state == TCP_SYN_SENT || sk->sk_state == TCP_SYN_RECV)
		mytcp_inc_stats(sock_net(sk), MYTCP_MIB_ATTEMPTFAILS);
	mytcp_set_state(sk, TCP_CLOSE);
	mytcp_stop_timers(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);
	if (!sock_flag(sk, SOCK_DEAD))
		sk->sk_state_change(sk);
	else
		mytcp_destroy_sock(sk);
}

/**
 * mytcp_reset - an acceptable RST arrived (RFC 9293 section 3.10.7.4)
 * @sk: the socket, locked
 *
 * The user learns ECONNREFUSED in SYN-SENT, EPIPE in CLOSE-WAIT and
 * ECONNRESET elsewhere, as from Linux's TCP.
 */
void mytcp_reset(struct sock *sk)
{
	int err;

	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		err = ECONNREFUSED;
		break;
	case TCP_CLOSE_WAIT:
		err = EPIPE;
		break;
	case TCP_CLOSE:
		return;
	default:
		err = ECONNRESET;
	}
	if (sk->sk_state == TCP_ESTABLISHED || sk->sk_state == TCP_CLOSE_WAIT)
		mytcp_inc_stats(sock_net(sk), MYTCP_MIB_ESTABRESETS);
	WRITE_ONCE(sk->sk_err, err);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
	mytcp_done(sk);
}

/*
 * sk_write_space: wake a writer blocked on a full send buffer once a third
 * of it is free again (the hysteresis of sk_stream_is_writeable()).  Only
 * a writer that found the buffer full (sendmsg() waiting, or poll() that
 * did not report EPOLLOUT) set SOCK_NOSPACE: without it nobody waits for
 * space, and a wake-up on every ACK would only rouse the reader sleeping
 * on the same queue.
 */
static void mytcp_write_space(struct sock *sk)
{
	struct socket *sock = sk->sk_socket;
	struct socket_wq *wq;

	/* the freed space before NOSPACE is read: pairs with mytcp_poll() */
	smp_mb();
	if (!sock || !test_bit(SOCK_NOSPACE, &sock->flags) ||
	    !sk_stream_is_writeable(sk))
		return;
	clear_bit(SOCK_NOSPACE, &sock->flags);
	rcu_read_lock();
	wq = rcu_dereference(sk->sk_wq);
	if (skwq_has_sleeper(wq))
		wake_up_interruptible_poll(&wq->wait, EPOLLOUT | EPOLLWRNORM |
						      EPOLLWRBAND);
	if (wq && wq->fasync_list && !(sk->sk_shutdown & SEND_SHUTDOWN))
		sock_wake_async(wq, SOCK_WAKE_SPACE, POLL_OUT);
	rcu_read_unlock();
}

/*
 * sk_destruct of every mytcp socket: it leaves the pool's count (mem.c);
 * an AF_INET6 one frees its IPv6 options first (inet6_sock_destruct()).
 */
static void mytcp_sock_destruct(struct sock *sk)
{
	if (sk->sk_family == AF_INET6)
		inet6_sock_destruct(sk);
	else
		inet_sock_destruct(sk);
	mytcp_mem_sock_exit(sk);
	mytcp_cong_sock_release(sk);
}

/**
 * mytcp_init_sock - set up a new socket (struct proto::init)
 * @sk: the socket
 *
 * Return: 0.
 */
int mytcp_init_sock(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	msk->ehash_node.pprev = NULL;	/* unhashed (hlist_nulls) */
	INIT_HLIST_NODE(&msk->lhash_node);
	INIT_HLIST_NODE(&msk->owner.node);
	skb_queue_head_init(&msk->ooo_queue);
	INIT_LIST_HEAD(&msk->syn_queue);
	INIT_LIST_HEAD(&msk->accept_queue);
	INIT_LIST_HEAD(&msk->accept_node);
	mytcp_init_timers(sk);
	msk->mss = MYTCP_DEFAULT_MSS;
	msk->advmss = MYTCP_DEFAULT_MSS;
	mytcp_rtt_init(&msk->rtt, MYTCP_RTO_INIT_US);
	mytcp_cong_sock_init(sk);	/* the namespace's default algorithm */
	mytcp_cc_init(&msk->cc, msk->ca_ops, MYTCP_DEFAULT_MSS, MYTCP_INIT_CWND);
	msk->keepidle = mytcp_pernet(sock_net(sk))->keepalive_time;
	msk->keepintvl = mytcp_pernet(sock_net(sk))->keepalive_intvl;
	msk->keepcnt = mytcp_pernet(sock_net(sk))->keepalive_probes;
	msk->af_ops = sk->sk_family == AF_INET6 ? &mytcp_ipv6_ops :
						 &mytcp_ipv4_ops;
	/* GSO skbs of a type no NIC takes (offload.c) */
	sk->sk_gso_type = SKB_GSO_SCTP;
	sk->sk_write_space = mytcp_write_space;
	sk->sk_destruct = mytcp_sock_destruct;
	mytcp_mem_sock_init(sk);
	sock_set_flag(sk, SOCK_RCU_FREE);
	/* larger than core's defaults, as TCP's are: windows of 512 KiB */
	if (!(sk->sk_userlocks & SOCK_RCVBUF_LOCK))
		WRITE_ONCE(sk->sk_rcvbuf,
			   mytcp_pernet(sock_net(sk))->rmem_default);
	if (!(sk->sk_userlocks & SOCK_SNDBUF_LOCK))
		WRITE_ONCE(sk->sk_sndbuf,
			   mytcp_pernet(sock_net(sk))->wmem_default);
	return 0;
}

/**
 * mytcp_v4_connect - proto::connect over IPv4, under lock_sock from
 *	inet_stream_connect()
 * @sk: the socket: AF_INET, or AF_INET6 connecting to a v4-mapped
 *	address (mytcp_v6_connect() passes the IPv4 address on)
 * @uaddr: a struct sockaddr_in
 * @addr_len: its length
 *
 * Return: 0 with the SYN sent, or TCP's errno.
 */
int mytcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len)
{
	struct sockaddr_in *usin = (struct sockaddr_in *)uaddr;
	struct inet_sock *inet = inet_sk(sk);
	__be16 orig_sport, orig_dport;
	struct flowi4 *fl4;
	struct rtable *rt;
	int err;

	if (addr_len < sizeof(struct sockaddr_in))
		return -EINVAL;
	if (usin->sin_family != AF_INET)
		return -EAFNOSUPPORT;

	orig_sport = inet->inet_sport;
	orig_dport = usin->sin_port;
	fl4 = &inet->cork.fl.u.ip4;
	rt = ip_route_connect(fl4, usin->sin_addr.s_addr, inet->inet_saddr,
			      sk->sk_bound_dev_if, IPPROTO_MYTCP, orig_sport,
			      orig_dport, sk);
	if (IS_ERR(rt))
		return PTR_ERR(rt);
	if (rt->rt_flags & (RTCF_MULTICAST | RTCF_BROADCAST)) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	if (!inet->inet_saddr)
		inet->inet_saddr = fl4->saddr;
	if (!inet->inet_rcv_saddr)
		inet->inet_rcv_saddr = inet->inet_saddr;
	inet->inet_dport = usin->sin_port;
	inet->inet_daddr = fl4->daddr;
	if (sk->sk_family == AF_INET6)
		mytcp_v6_set_mapped(sk);

	if (!inet->inet_num) {
		err = mytcp_get_port(sk, 0);
		if (err) {
			err = -EADDRNOTAVAIL;
			goto failure;
		}
		inet->inet_sport = htons(inet->inet_num);
	}
	rt = ip_route_newports(fl4, rt, orig_sport, orig_dport,
			       inet->inet_sport, inet->inet_dport, sk);
	if (IS_ERR(rt)) {
		err = PTR_ERR(rt);
		rt = NULL;
		goto failure;
	}
	sk_setup_caps(sk, &rt->dst);
	rt = NULL;

	err = mytcp_ehash_insert(sk);
	if (err)
		goto failure;
	err = mytcp_connect_finish(sk);
	if (err)
		goto failure;
	return 0;

failure:
	if (rt)
		ip_rt_put(rt);
	mytcp_set_state(sk, TCP_CLOSE);
	sk_dst_reset(sk);
	inet->inet_dport = 0;
	inet->inet_daddr = 0;
	if (sk->sk_family == AF_INET6)
		sk->sk_v6_daddr = in6addr_any;
	sk->sk_route_caps = 0;
	return err;
}

/**
 * mytcp_connect_finish - the family-free half of connect(): send the SYN
 * @sk: the socket, locked, routed, its 4-tuple in the connection table
 *
 * Return: 0, or -ENOBUFS (the caller undoes the rest).
 */
int mytcp_connect_finish(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	struct in6_addr saddr, daddr;

	msk->advmss = dst_mtu(__sk_dst_get(sk)) - msk->af_ops->net_header_len -
		      sizeof(struct tcphdr);
	if (msk->user_mss)
		msk->advmss = min(msk->advmss, msk->user_mss);
	msk->mss = min_t(u16, MYTCP_DEFAULT_MSS, msk->advmss);
	/* RFC 9293 section 3.4.1 and RFC 6528 */
	mytcp_sk_saddr(sk, &saddr);
	mytcp_sk_raddr(sk, &daddr);
	msk->iss = mytcp_isn(&saddr, &daddr, inet->inet_sport,
			     inet->inet_dport);
	/* RFC 7323 section 3.2: our SYN offers timestamps, if allowed */
	msk->ts_ok = !!READ_ONCE(mytcp_pernet(sock_net(sk))->timestamps);
	msk->ts_recent_set = 0;
	msk->ts_offset = mytcp_ts_offset(&saddr, &daddr, inet->inet_sport,
					 inet->inet_dport);
	/* in the table already: /proc and SIOCOUTQ read these locklessly */
	WRITE_ONCE(msk->write_seq, msk->iss);
	WRITE_ONCE(msk->snd_una, msk->iss);
	msk->snd_nxt = msk->iss;
	msk->snd_max = msk->iss;
	msk->fin_queued = 0;
	msk->backoff = 0;
	atomic_set(&inet->inet_id, get_random_u16());
	mytcp_event(sk, MYTCP_EV_ACTIVE_OPEN);
	mytcp_inc_stats(sock_net(sk), MYTCP_MIB_ACTIVEOPENS);
	return mytcp_queue_syn(sk, TCPHDR_SYN);
}

/**
 * mytcp_disconnect - proto::disconnect: connect(AF_UNSPEC), undoing a
 *	failed connect
 * @sk: the socket, locked
 * @flags: unused
 *
 * Return: 0.
 */
int mytcp_disconnect(struct sock *sk, int flags)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct inet_sock *inet = inet_sk(sk);
	int old = sk->sk_state;

	if (old != TCP_CLOSE)
		mytcp_set_state(sk, TCP_CLOSE);
	if (old == TCP_LISTEN) {
		mytcp_listen_stop(sk);
	} else if (old == TCP_SYN_SENT) {
		WRITE_ONCE(sk->sk_err, ECONNRESET);
	} else if (old != TCP_CLOSE) {
		mytcp_send_active_reset(sk, gfp_any());
		WRITE_ONCE(sk->sk_err, ECONNRESET);
	}
	mytcp_stop_timers(sk);
	mytcp_purge_queues(sk);
	inet->inet_dport = 0;
	inet->inet_daddr = 0;
	if (sk->sk_family == AF_INET6) {
		sk->sk_v6_daddr = in6addr_any;
		/* an AF_INET6 socket may connect again, over either family */
		msk->af_ops = &mytcp_ipv6_ops;
	}
	if (!(sk->sk_userlocks & SOCK_BINDADDR_LOCK))
		inet_reset_saddr(sk);
	WRITE_ONCE(sk->sk_shutdown, 0);
	sock_reset_flag(sk, SOCK_DONE);
	msk->fin_queued = 0;
	msk->backoff = 0;
	msk->snd_wnd = 0;
	msk->rcv_wnd = 0;
	mytcp_rtt_init(&msk->rtt, MYTCP_RTO_INIT_US);
	sk_dst_reset(sk);
	sk_error_report(sk);
	return 0;
}

/*
 * Send our FIN if the state allows it (RFC 9293 section 3.10.4, CLOSE):
 * ESTABLISHED and SYN-RECEIVED go to FIN-WAIT-1, CLOSE-WAIT to LAST-ACK.
 */
static bool mytcp_close_state(struct sock *sk)
{
	int next;

	if (!((1 << sk->sk_state) &
	      (TCPF_ESTABLISHED | TCPF_SYN_RECV | TCPF_CLOSE_WAIT)))
		return false;
	next = mytcp_event(sk, MYTCP_EV_CLOSE);
	return next == TCP_FIN_WAIT1 || next == TCP_LAST_ACK;
}

/* proto::shutdown, after inet_shutdown() has set sk_shutdown. */
static void mytcp_shutdown(struct sock *sk, int how)
{
	if (!(how & SEND_SHUTDOWN))
		return;
	if (mytcp_close_state(sk))
		mytcp_send_fin(sk);
}

/* proto::close, from inet_release(). */
static void mytcp_close(struct sock *sk, long timeout)
{
	struct sk_buff *skb;
	bool unread = false;
	int state;

	lock_sock(sk);
	WRITE_ONCE(sk->sk_shutdown, SHUTDOWN_MASK);

	if (sk->sk_state == TCP_LISTEN) {
		mytcp_set_state(sk, TCP_CLOSE);
		mytcp_listen_stop(sk);
		goto adjudge;
	}
	while ((skb = __skb_dequeue(&sk->sk_receive_queue))) {
		u32 end = MYTCP_SKB_CB(skb)->seq + skb->len;

		if (mytcp_seq_after(end, mytcp_sk(sk)->copied_seq))
			unread = true;
		kfree_skb(skb);
	}
	if (sk->sk_state == TCP_CLOSE)
		goto adjudge;

	if (unread || (sock_flag(sk, SOCK_LINGER) && !sk->sk_lingertime) ||
	    sk->sk_state == TCP_SYN_SENT) {
		/*
		 * RFC 9293 section 3.10.4 and RFC 2525 section 2.17: closing
		 * with unread data, or with a zero linger time, aborts with a
		 * RST; a SYN-SENT connection just goes.
		 */
		if (sk->sk_state != TCP_SYN_SENT)
			mytcp_send_active_reset(sk, sk->sk_allocation);
		mytcp_done(sk);
	} else if (mytcp_close_state(sk)) {
		mytcp_send_fin(sk);
	}
	sk_stream_wait_close(sk, timeout);

adjudge:
	state = sk->sk_state;
	sock_hold(sk);
	sock_orphan(sk);
	release_sock(sk);

	local_bh_disable();
	bh_lock_sock(sk);
	/* someone else (a segment in the backlog) already finished it */
	if (state != TCP_CLOSE && sk->sk_state == TCP_CLOSE)
		goto out;
	/* net.mytcp.max_orphans, as tcp_max_orphans: reset, not linger */
	if (sk->sk_state != TCP_CLOSE && mytcp_orphan_check(sk)) {
		mytcp_send_active_reset(sk, GFP_ATOMIC);
		mytcp_done(sk);
		goto out;
	}
	if (sk->sk_state == TCP_FIN_WAIT2)
		mytcp_arm_fin_wait2(sk);
	if (sk->sk_state == TCP_CLOSE)
		mytcp_destroy_sock(sk);
out:
	bh_unlock_sock(sk);
	local_bh_enable();
	sock_put(sk);
}

/*
 * Tell the peer the window opened when the reader freed enough room: RFC
 * 9293 section 3.8.6.2.2, judged on what the window selection would really
 * advertise (mytcp_window_update_due()).  And a delayed ACK goes now if
 * the reader took everything there was (as TCP's tcp_cleanup_rbuf()): a
 * sender holding back a small last segment for that ACK (Nagle, RFC 9293
 * section 3.7.4) would otherwise idle for the whole delay.
 */
static void mytcp_rcv_window_update(struct sock *sk)
{
	if (!((1 << sk->sk_state) &
	      (TCPF_ESTABLISHED | TCPF_FIN_WAIT1 | TCPF_FIN_WAIT2)))
		return;
	if (mytcp_window_update_due(sk) ||
	    (mytcp_sk(sk)->ack_pending &&
	     skb_queue_empty(&sk->sk_receive_queue)))
		mytcp_send_ack(sk);
}

/* proto::recvmsg */
static int mytcp_recvmsg(struct sock *sk, struct msghdr *msg, size_t len,
			 int flags, int *addr_len)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	u32 peek_seq, *seq;
	int copied = 0;
	long timeo;
	int target;

	/* no error queue and no urgent data: TCP answers these so too */
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN;
	if (flags & MSG_OOB)
		return -EINVAL;

	lock_sock(sk);
	if (sk->sk_state == TCP_LISTEN) {
		copied = -ENOTCONN;
		goto out;
	}
	timeo = sock_rcvtimeo(sk, flags & MSG_DONTWAIT);
	target = sock_rcvlowat(sk, flags & MSG_WAITALL, len);
	peek_seq = msk->copied_seq;
	seq = (flags & MSG_PEEK) ? &peek_seq : &msk->copied_seq;

	while (copied < len) {
		struct sk_buff *skb, *found = NULL;
		u32 offset = 0;
		size_t used;

		skb_queue_walk(&sk->sk_receive_queue, skb) {
			offset = *seq - MYTCP_SKB_CB(skb)->seq;
			if (offset < skb->len) {
				found = skb;
				break;
			}
		}
		if (!found) {
			if (copied >= target)
				break;
			if (copied) {
				if (sk->sk_err || sk->sk_state == TCP_CLOSE ||
				    (sk->sk_shutdown & RCV_SHUTDOWN) || !timeo ||
				    signal_pending(current))
					break;
			} else {
				if (sock_flag(sk, SOCK_DONE))
					break;
				if (sk->sk_err) {
					copied = sock_error(sk);
					break;
				}
				if (sk->sk_shutdown & RCV_SHUTDOWN)
					break;
				if (sk->sk_state == TCP_CLOSE) {
					copied = -ENOTCONN;
					break;
				}
				if (!timeo) {
					copied = -EAGAIN;
					break;
				}
				if (signal_pending(current)) {
					copied = sock_intr_errno(timeo);
					break;
				}
			}
			if (copied)
				mytcp_rcv_window_update(sk);
			sk_wait_data(sk, &timeo,
				     skb_peek_tail(&sk->sk_receive_queue));
			continue;
		}

		used = min_t(size_t, found->len - offset, len - copied);
		if (skb_copy_datagram_msg(found, offset, msg, used)) {
			if (!copied)
				copied = -EFAULT;
			break;
		}
		WRITE_ONCE(*seq, *seq + used);	/* poll() reads copied_seq */
		copied += used;
		if (!(flags & MSG_PEEK) && offset + used >= found->len) {
			__skb_unlink(found, &sk->sk_receive_queue);
			consume_skb(found);
		}
	}
	if (!(flags & MSG_PEEK) && copied > 0) {
		mytcp_rcvbuf_autotune(sk);
		mytcp_rcv_window_update(sk);
	}
out:
	release_sock(sk);
	return copied;
}

/* proto_ops::poll, as tcp_poll() reports the same moments. */
static __poll_t mytcp_poll(struct file *file, struct socket *sock,
			   poll_table *wait)
{
	struct sock *sk = sock->sk;
	struct mytcp_sock *msk = mytcp_sk(sk);
	__poll_t mask = 0;
	u8 shutdown;
	int state;

	sock_poll_wait(file, sock, wait);
	state = inet_sk_state_load(sk);
	if (state == TCP_LISTEN)
		return READ_ONCE(sk->sk_ack_backlog) ? EPOLLIN | EPOLLRDNORM : 0;

	shutdown = READ_ONCE(sk->sk_shutdown);
	if (shutdown == SHUTDOWN_MASK || state == TCP_CLOSE)
		mask |= EPOLLHUP;
	if (shutdown & RCV_SHUTDOWN)
		mask |= EPOLLIN | EPOLLRDNORM | EPOLLRDHUP;

	if (state != TCP_SYN_SENT && state != TCP_SYN_RECV) {
		if (READ_ONCE(msk->rcv_nxt) != READ_ONCE(msk->copied_seq) &&
		    !skb_queue_empty_lockless(&sk->sk_receive_queue))
			mask |= EPOLLIN | EPOLLRDNORM;
		if (!(shutdown & SEND_SHUTDOWN)) {
			if (sk_stream_is_writeable(sk)) {
				mask |= EPOLLOUT | EPOLLWRNORM;
			} else {
				sk_set_bit(SOCKWQ_ASYNC_NOSPACE, sk);
				set_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
				/* NOSPACE set before the re-check: pairs with
				 * the writer-side wake in mytcp_write_space()
				 */
				smp_mb__after_atomic();
				if (sk_stream_is_writeable(sk))
					mask |= EPOLLOUT | EPOLLWRNORM;
			}
		} else {
			mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	/* sk_err is set before the wake-up that brought us here */
	smp_rmb();
	if (READ_ONCE(sk->sk_err) ||
	    !skb_queue_empty_lockless(&sk->sk_error_queue))
		mask |= EPOLLERR;
	return mask;
}

/* proto_ops::listen */
static int mytcp_listen(struct socket *sock, int backlog)
{
	struct sock *sk = sock->sk;
	int err = -EINVAL;

	lock_sock(sk);
	if (sock->state != SS_UNCONNECTED || sock->type != SOCK_STREAM)
		goto out;
	backlog = clamp_t(int, backlog, 0,
			  READ_ONCE(sock_net(sk)->core.sysctl_somaxconn));
	if (sk->sk_state == TCP_LISTEN) {
		WRITE_ONCE(sk->sk_max_ack_backlog, backlog);
		err = 0;
		goto out;
	}
	if (sk->sk_state != TCP_CLOSE)
		goto out;
	err = mytcp_listen_start(sk, backlog);
out:
	release_sock(sk);
	return err;
}

/* proto::ioctl: SIOCINQ and SIOCOUTQ as TCP answers them. */
static int mytcp_ioctl(struct sock *sk, int cmd, unsigned long arg)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int answ;

	switch (cmd) {
	case SIOCINQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		lock_sock(sk);
		answ = msk->rcv_nxt - msk->copied_seq;
		if (answ && sock_flag(sk, SOCK_DONE))
			answ--;		/* the FIN is not data */
		release_sock(sk);
		break;
	case SIOCOUTQ:
		if (sk->sk_state == TCP_LISTEN)
			return -EINVAL;
		answ = (sk->sk_state == TCP_SYN_SENT) ? 0 :
		       READ_ONCE(msk->write_seq) - READ_ONCE(msk->snd_una);
		break;
	default:
		return -ENOIOCTLCMD;
	}
	return put_user(answ, (int __user *)arg);
}

/*
 * proto::keepalive: SO_KEEPALIVE switched on or off, socket locked.  The
 * socket layer calls it before it changes SOCK_KEEPOPEN, so @val decides.
 */
static void mytcp_keepalive(struct sock *sk, int val)
{
	if (val)
		mytcp_arm_keepalive(sk);
	else if (sk->sk_state != TCP_FIN_WAIT2)
		sk_stop_timer(sk, &mytcp_sk(sk)->misc_timer);
}

/**
 * mytcp_established - a connection has just become ESTABLISHED
 * @sk: the socket, locked
 *
 * Starts congestion control with the negotiated MSS and, with
 * SO_KEEPALIVE, the keepalive timer.
 */
void mytcp_established(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	mytcp_cc_init(&msk->cc, msk->ca_ops, msk->mss, MYTCP_INIT_CWND);
	msk->rcv_tstamp = jiffies;
	/* RFC 9293 section 3.7.1: the default until a larger segment comes */
	msk->rcv_mss = min_t(u16, msk->advmss, 536);
	mytcp_enter_quickack(sk);
	mytcp_drs_start(sk);
	if (sock_flag(sk, SOCK_KEEPOPEN))
		mytcp_arm_keepalive(sk);
}

/* The protocol's socket operations, for proto_register() */
struct proto mytcp_prot = {
	.name		= "MYTCP",
	.owner		= THIS_MODULE,
	.close		= mytcp_close,
	.connect	= mytcp_v4_connect,
	.disconnect	= mytcp_disconnect,
	.accept		= mytcp_accept,
	.ioctl		= mytcp_ioctl,
	.init		= mytcp_init_sock,
	.shutdown	= mytcp_shutdown,
	.setsockopt	= mytcp_setsockopt,
	.getsockopt	= mytcp_getsockopt,
	.keepalive	= mytcp_keepalive,
	.sendmsg	= mytcp_sendmsg,
	.recvmsg	= mytcp_recvmsg,
	.backlog_rcv	= mytcp_backlog_rcv,
	.release_cb	= mytcp_release_cb,
	.get_port	= mytcp_get_port,
	.obj_size	= sizeof(struct mytcp_sock),
	.no_autobind	= true,
};

/* The socket-layer operations of a mytcp socket, for the protosw */
const struct proto_ops mytcp_stream_ops = {
	.family		= PF_INET,
	.owner		= THIS_MODULE,
	.release	= inet_release,
	.bind		= inet_bind,
	.connect	= inet_stream_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= inet_accept,
	.getname	= inet_getname,
	.poll		= mytcp_poll,
	.ioctl		= inet_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= mytcp_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= inet_sendmsg,
	.recvmsg	= inet_recvmsg,
	.mmap		= sock_no_mmap,
	.sendpage	= sock_no_sendpage,
};

/*
 * AF_INET6: the same protocol, with IPv6's connect and socket layer
 * (ipv6.c; Documentation/design.md, "IPv6"), and room for the IPv6 state.
 */
struct proto mytcpv6_prot = {
	.name		= "MYTCPv6",
	.owner		= THIS_MODULE,
	.close		= mytcp_close,
	.connect	= mytcp_v6_connect,
	.disconnect	= mytcp_disconnect,
	.accept		= mytcp_accept,
	.ioctl		= mytcp_ioctl,
	.init		= mytcp_init_sock,
	.shutdown	= mytcp_shutdown,
	.setsockopt	= mytcp_setsockopt,
	.getsockopt	= mytcp_getsockopt,
	.keepalive	= mytcp_keepalive,
	.sendmsg	= mytcp_sendmsg,
	.recvmsg	= mytcp_recvmsg,
	.backlog_rcv	= mytcp_backlog_rcv,
	.release_cb	= mytcp_release_cb,
	.get_port	= mytcp_get_port,
	.obj_size	= sizeof(struct mytcp6_sock),
	.no_autobind	= true,
};

/* The socket-layer operations of an AF_INET6 mytcp socket */
const struct proto_ops mytcp6_stream_ops = {
	.family		= PF_INET6,
	.owner		= THIS_MODULE,
	.release	= inet6_release,
	.bind		= inet6_bind,
	.connect	= inet_stream_connect,
	.socketpair	= sock_no_socketpair,
	.accept		= inet_accept,
	.getname	= inet6_getname,
	.poll		= mytcp_poll,
	.ioctl		= inet6_ioctl,
	.gettstamp	= sock_gettstamp,
	.listen		= mytcp_listen,
	.shutdown	= inet_shutdown,
	.setsockopt	= sock_common_setsockopt,
	.getsockopt	= sock_common_getsockopt,
	.sendmsg	= inet_sendmsg,
	.recvmsg	= inet_recvmsg,
	.mmap		= sock_no_mmap,
	.sendpage	= sock_no_sendpage,
};
