// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: a connection's timers.
 *
 * rtx_timer: retransmission (RFC 6298) and, with a zero window and nothing
 * in flight, the persist timer (RFC 9293 section 3.8.6.1).
 * misc_timer: the FIN-WAIT-2 timeout of an orphaned socket, and keepalive
 * (RFC 9293 section 3.8.4) on a connection with SO_KEEPALIVE.
 * delack_timer: the delayed ACK (section 3.8.6.3), armed by mytcp_ack_soon()
 * for mytcp_delack_us(); a no-op if a segment carried the ACK meanwhile.
 * listen_timer (listen.c): SYN+ACK retransmission for the SYN queue.
 *
 * Each armed timer holds a reference on its socket (sk_reset_timer()); the
 * handler drops it.  Handlers run in softirq: when a process owns the
 * socket they try again a little later rather than wait.
 */

#include <linux/ktime.h>

#include "protocol.h"
#include "trace.h"

#define MYTCP_TIMER_RETRY	(HZ / 20)

/**
 * mytcp_clock_us - the microsecond clock used for RTT samples
 *
 * Return: monotonic time in microseconds.
 */
u64 mytcp_clock_us(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

/**
 * mytcp_current_rto_us - the RTO with the current backoff applied
 * @sk: the socket
 *
 * Return: the timeout, in microseconds.
 */
u32 mytcp_current_rto_us(const struct sock *sk)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);
	u32 rto_max = mytcp_pernet(sock_net(sk))->rto_max_ms * USEC_PER_MSEC;

	return mytcp_rto_backoff(msk->rtt.rto, msk->backoff, rto_max);
}

/**
 * mytcp_expired_rto_us - the RTO that ran out when the timer last expired
 * @sk: the socket
 *
 * @backoff already counts that expiry, so one doubling less than
 * mytcp_current_rto_us(); with no expiry (a fast retransmit) the two agree.
 *
 * Return: the timeout, in microseconds.
 */
u32 mytcp_expired_rto_us(const struct sock *sk)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);
	u32 rto_max = mytcp_pernet(sock_net(sk))->rto_max_ms * USEC_PER_MSEC;

	return mytcp_rto_backoff(msk->rtt.rto, msk->backoff ? msk->backoff - 1 : 0,
				 rto_max);
}

/**
 * mytcp_arm_rtx - (re)start the retransmission timer from now
 * @sk: the socket, locked
 */
void mytcp_arm_rtx(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	sk_reset_timer(sk, &msk->rtx_timer,
		       jiffies + usecs_to_jiffies(mytcp_current_rto_us(sk)));
}

/**
 * mytcp_arm_fin_wait2 - start the FIN-WAIT-2 timeout of an orphan
 * @sk: the socket, locked, orphaned, in FIN_WAIT2
 */
void mytcp_arm_fin_wait2(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int ms = mytcp_pernet(sock_net(sk))->fin_timeout_ms;

	sk_reset_timer(sk, &msk->misc_timer, jiffies + msecs_to_jiffies(ms));
}

/**
 * mytcp_arm_keepalive - start keepalive's idle timer, if the state has one
 * @sk: the socket, locked
 *
 * The caller decides that keepalive is on: SO_KEEPALIVE's hook runs before
 * the socket layer sets SOCK_KEEPOPEN.  RFC 9293 section 3.8.4.
 */
void mytcp_arm_keepalive(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (!((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)))
		return;
	msk->keepalive_probes = 0;
	sk_reset_timer(sk, &msk->misc_timer, jiffies + msk->keepidle * HZ);
}

/**
 * mytcp_keepalive_idle_changed - TCP_KEEPIDLE changed while keepalive is on
 * @sk: the socket, locked, ESTABLISHED or CLOSE_WAIT
 *
 * The idle time already spent counts: the timer goes off when the new
 * idle time since the last segment received is over (at once if it is).
 */
void mytcp_keepalive_idle_changed(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	unsigned long idle = jiffies - msk->rcv_tstamp;
	unsigned long limit = msk->keepidle * HZ;

	sk_reset_timer(sk, &msk->misc_timer,
		       jiffies + (idle < limit ? limit - idle : 0));
}

/*
 * How many expiries in a row are allowed in this state.  An orphan has no
 * program left to tell, and one whose peer is gone would otherwise resend
 * its FIN for retries2 expiries (minutes, holding memory and the module):
 * net.mytcp.orphan_retries caps it, as tcp_orphan_retries does for TCP.
 */
static int mytcp_retry_limit(const struct sock *sk)
{
	const struct mytcp_net *mn = mytcp_pernet(sock_net(sk));

	switch (sk->sk_state) {
	case TCP_SYN_SENT:
		return mn->syn_retries;
	case TCP_SYN_RECV:
		return mn->synack_retries;
	default:
		if (sock_flag(sk, SOCK_DEAD))
			return min(mn->retries2, mn->orphan_retries);
		return mn->retries2;
	}
}

/**
 * mytcp_persisting - is the retransmission timer the persist timer now?
 * @sk: the socket
 *
 * The peer's window is closed, and the peer is alive: nothing in flight,
 * or it answered within two maximum RTOs (RFC 9293 section 3.8.6.1).
 *
 * Return: true when the timer's expiry is a zero window probe.
 */
bool mytcp_persisting(const struct sock *sk)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);
	unsigned long alive;

	/* a handshake or a peer that never opened its window does not count */
	if (msk->snd_wnd || !((1 << sk->sk_state) &
			      (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT |
			       TCPF_FIN_WAIT1 | TCPF_CLOSING | TCPF_LAST_ACK)))
		return false;
	if (msk->snd_una == msk->snd_max)
		return true;
	alive = msecs_to_jiffies(2 * mytcp_pernet(sock_net(sk))->rto_max_ms);
	return time_before(jiffies, msk->rcv_tstamp + alive);
}

static void mytcp_rtx_timer(struct timer_list *t)
{
	struct mytcp_sock *msk = from_timer(msk, t, rtx_timer);
	struct sock *sk = &msk->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, &msk->rtx_timer, jiffies + MYTCP_TIMER_RETRY);
		goto out;
	}
	if (sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_LISTEN)
		goto out;
	if (msk->snd_una == msk->snd_max && !msk->send_head)
		goto out;

	if (mytcp_persisting(sk)) {
		/*
		 * Persist: the peer's window is zero.  Probe for as long as
		 * the peer answers (RFC 9293 section 3.8.6.1); only probes
		 * that go unanswered count towards giving up.  Not for an
		 * orphan: no program will ever be told the window opened, and
		 * a peer that keeps it shut would hold the socket and its
		 * queue forever.  Its probes, answered or not, stop at its
		 * retry limit (net.mytcp.orphan_retries), as TCP's do.
		 */
		if (sock_flag(sk, SOCK_DEAD) &&
		    msk->backoff >= mytcp_retry_limit(sk))
			goto give_up;
		if (msk->backoff < 16)
			msk->backoff++;
		mytcp_send_probe(sk);
		mytcp_arm_rtx(sk);
		goto out;
	}
	if (msk->backoff >= mytcp_retry_limit(sk))
		goto give_up;
	msk->backoff++;
	mytcp_retransmit_head(sk);
	mytcp_arm_rtx(sk);
	goto out;
give_up:
	/*
	 * the user sees ETIMEDOUT (RFC 9293 section 3.8.3), or the ICMP
	 * error kept for this moment (icmp.c), as TCP
	 */
	WRITE_ONCE(sk->sk_err, READ_ONCE(sk->sk_err_soft) ?: ETIMEDOUT);
	if (!sock_flag(sk, SOCK_DEAD))
		sk_error_report(sk);
	mytcp_done(sk);
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void mytcp_misc_timer(struct timer_list *t)
{
	struct mytcp_sock *msk = from_timer(msk, t, misc_timer);
	struct sock *sk = &msk->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk)) {
		sk_reset_timer(sk, &msk->misc_timer, jiffies + MYTCP_TIMER_RETRY);
		goto out;
	}
	if (sk->sk_state == TCP_FIN_WAIT2 && sock_flag(sk, SOCK_DEAD)) {
		/*
		 * The peer never sent its FIN: the orphan goes silently after
		 * net.mytcp.fin_timeout_ms, as Linux's does with its defaults.
		 */
		mytcp_done(sk);
	} else if (sock_flag(sk, SOCK_KEEPOPEN) &&
		   ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT))) {
		unsigned long idle = jiffies - msk->rcv_tstamp;
		unsigned long limit = msk->keepidle * HZ;

		if (idle < limit) {
			sk_reset_timer(sk, &msk->misc_timer,
				       jiffies + limit - idle);
		} else if (msk->keepalive_probes >= msk->keepcnt) {
			/* the peer is gone: ETIMEDOUT, as TCP reports it */
			WRITE_ONCE(sk->sk_err, ETIMEDOUT);
			sk_error_report(sk);
			mytcp_send_active_reset(sk, GFP_ATOMIC);
			mytcp_done(sk);
		} else {
			msk->keepalive_probes++;
			mytcp_send_keepalive_probe(sk);
			sk_reset_timer(sk, &msk->misc_timer,
				       jiffies + msk->keepintvl * HZ);
		}
	}
out:
	bh_unlock_sock(sk);
	sock_put(sk);
}

static void mytcp_delack_timer(struct timer_list *t)
{
	struct mytcp_sock *msk = from_timer(msk, t, delack_timer);
	struct sock *sk = &msk->inet.sk;

	bh_lock_sock(sk);
	if (sock_owned_by_user(sk))
		sk_reset_timer(sk, &msk->delack_timer,
			       jiffies + MYTCP_TIMER_RETRY);
	else if (msk->ack_pending && sk->sk_state != TCP_CLOSE) {
		struct in6_addr saddr, daddr;

		msk->delayed_acks++;
		mytcp_inc_stats(sock_net(sk), MYTCP_MIB_DELAYED_ACKS);
		mytcp_sk_saddr(sk, &saddr);
		mytcp_sk_raddr(sk, &daddr);
		trace_mytcp_delack(sock_net(sk), &saddr, inet_sk(sk)->inet_sport,
				   &daddr, inet_sk(sk)->inet_dport, msk->rcv_nxt,
				   msk->delack_us);
		mytcp_send_ack(sk);
	}
	bh_unlock_sock(sk);
	sock_put(sk);
}

/**
 * mytcp_init_timers - set up a socket's timers (not armed)
 * @sk: the socket
 */
void mytcp_init_timers(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	timer_setup(&msk->rtx_timer, mytcp_rtx_timer, 0);
	timer_setup(&msk->misc_timer, mytcp_misc_timer, 0);
	timer_setup(&msk->delack_timer, mytcp_delack_timer, 0);
	timer_setup(&msk->listen_timer, mytcp_listen_timer, 0);
}

/**
 * mytcp_stop_timers - stop every timer of a socket, dropping their refs
 * @sk: the socket, locked
 *
 * A handler already running finishes on its own (it holds its reference
 * and sees the new state).
 */
void mytcp_stop_timers(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	sk_stop_timer(sk, &msk->rtx_timer);
	sk_stop_timer(sk, &msk->misc_timer);
	sk_stop_timer(sk, &msk->delack_timer);
	sk_stop_timer(sk, &msk->listen_timer);
}
