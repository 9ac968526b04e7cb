// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: socket options.  Ours (SOL_MYTCP, and the same numbers at
 * IPPROTO_TCP), MYTCP_INFO, and the IP and IPv6 levels passed on to the
 * inet layer (Documentation/design.md, section 8, "Socket options").
 */
#include <linux/sockptr.h>
#include <linux/uaccess.h>
#include <net/ip.h>
#include <net/ipv6.h>

#include "experiment.h"
#include "protocol.h"

static void mytcp_fill_info(struct sock *sk, struct mytcp_info *info)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	memset(info, 0, sizeof(*info));
	info->state = sk->sk_state;
	info->mss = msk->mss;
	info->iss = msk->iss;
	info->irs = msk->irs;
	info->snd_una = msk->snd_una;
	info->snd_nxt = msk->snd_nxt;
	info->snd_wnd = msk->snd_wnd;
	info->rcv_nxt = msk->rcv_nxt;
	info->rcv_wnd = msk->rcv_wnd;
	info->rto_us = mytcp_current_rto_us(sk);
	info->srtt_us = msk->rtt.srtt;
	info->rttvar_us = msk->rtt.rttvar;
	info->cwnd = msk->cc.cwnd;
	info->ssthresh = msk->cc.ssthresh;
	info->retransmits = msk->retrans_out;
	info->bytes_acked = msk->bytes_acked;
	info->bytes_received = msk->bytes_received;
	info->ato_us = mytcp_delack_us(msk->rtt.srtt);
	if (msk->ack_pending && timer_pending(&msk->delack_timer) &&
	    time_after(msk->delack_timer.expires, jiffies))
		info->delack_left_us =
			jiffies_to_usecs(msk->delack_timer.expires - jiffies);
	info->ack_pending = msk->ack_pending;
	info->quickack = msk->quickack;
	info->ack_why = msk->ack_why;
	info->delayed_acks = msk->delayed_acks;
	info->rcv_mss = msk->rcv_mss;
	info->rcvbuf = READ_ONCE(sk->sk_rcvbuf);
	info->rcv_space = msk->drs_space;
	if (msk->ts_ok && sk->sk_state != TCP_SYN_SENT)
		info->options |= MYTCPI_OPT_TIMESTAMPS;
	if (msk->rcv_wscale)
		info->options |= MYTCPI_OPT_WSCALE;
	info->ts_recent = READ_ONCE(msk->ts_recent);
	info->last_tsval_sent = READ_ONCE(msk->ts_last_sent);
}

/* MYTCP_CONGESTION: a name, as TCP_CONGESTION takes (not NUL-terminated) */
static int mytcp_setsockopt_cong(struct sock *sk, sockptr_t optval,
				 unsigned int optlen)
{
	char name[MYTCP_CA_NAME_MAX];
	int err;

	if (optlen < 1)
		return -EINVAL;
	err = strncpy_from_sockptr(name, optval,
				   min_t(unsigned int, optlen, sizeof(name) - 1));
	if (err < 0)
		return err;
	name[err] = '\0';
	lock_sock(sk);
	err = mytcp_cong_sock_set(sk, name);
	release_sock(sk);
	return err;
}

/**
 * mytcp_setsockopt - proto::setsockopt
 * @sk: the socket
 * @level: SOL_MYTCP, SOL_TCP, or another level (IP's, IPv6's)
 * @optname: the option
 * @optval: its value
 * @optlen: its length
 *
 * Our options are accepted at SOL_MYTCP and, with the same numbers, at
 * IPPROTO_TCP, so programs written for TCP work as they are.
 *
 * Return: 0 or the errno TCP gives.
 */
int mytcp_setsockopt(struct sock *sk, int level, int optname,
		     sockptr_t optval, unsigned int optlen)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int val, err = 0;

	if (level != SOL_MYTCP && level != SOL_TCP)
		return mytcp_sk_setsockopt(sk, level, optname, optval, optlen);
	if (optname == MYTCP_CONGESTION)
		return mytcp_setsockopt_cong(sk, optval, optlen);
	if (optlen < sizeof(int))
		return -EINVAL;
	if (copy_from_sockptr(&val, optval, sizeof(val)))
		return -EFAULT;

	lock_sock(sk);
	switch (optname) {
	case MYTCP_NODELAY:
		msk->nodelay = !!val;
		/* what Nagle held back goes now, if this state may send */
		if (val && ((1 << sk->sk_state) &
			    (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT |
			     TCPF_FIN_WAIT1 | TCPF_CLOSING | TCPF_LAST_ACK)))
			mytcp_push(sk);
		break;
	case MYTCP_MAXSEG:
		/* the same bounds as TCP_MAXSEG: 88 to 65535-40 */
		if (val && (val < 88 || val > 65495))
			err = -EINVAL;
		else
			msk->user_mss = val;
		break;
	case MYTCP_KEEPIDLE:
	case MYTCP_KEEPINTVL:
		if (val < 1 || val > 32767) {
			err = -EINVAL;
			break;
		}
		if (optname == MYTCP_KEEPINTVL) {
			msk->keepintvl = val;
			break;
		}
		msk->keepidle = val;
		/* as TCP: a running idle timer counts to the new time now */
		if (sock_flag(sk, SOCK_KEEPOPEN) &&
		    ((1 << sk->sk_state) & (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT)))
			mytcp_keepalive_idle_changed(sk);
		break;
	case MYTCP_KEEPCNT:
		if (val < 1 || val > 127)
			err = -EINVAL;
		else
			msk->keepcnt = val;
		break;
	case MYTCP_EXPERIMENTS:
		err = mytcp_set_experiments(sk, val);
		break;
	default:
		err = -ENOPROTOOPT;
	}
	release_sock(sk);
	return err;
}

/**
 * mytcp_getsockopt - proto::getsockopt
 * @sk: the socket
 * @level: SOL_MYTCP, SOL_TCP, or another level
 * @optname: the option
 * @optval: where its value goes
 * @optlen: its length, in and out
 *
 * Return: 0 or the errno TCP gives.
 */
int mytcp_getsockopt(struct sock *sk, int level, int optname,
		     char __user *optval, int __user *optlen)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_info info;
	int len, val;

	if (level != SOL_MYTCP && level != SOL_TCP)
		return mytcp_sk_getsockopt(sk, level, optname, optval, optlen);
	if (get_user(len, optlen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;

	switch (optname) {
	case MYTCP_CONGESTION:
		/* as TCP: up to the buffer's length of the (padded) name */
		len = min_t(unsigned int, len, MYTCP_CA_NAME_MAX);
		if (put_user(len, optlen) ||
		    copy_to_user(optval, msk->ca_ops->name, len))
			return -EFAULT;
		return 0;
	case MYTCP_INFO:
		lock_sock(sk);
		mytcp_fill_info(sk, &info);
		release_sock(sk);
		len = min_t(unsigned int, len, sizeof(info));
		if (put_user(len, optlen) || copy_to_user(optval, &info, len))
			return -EFAULT;
		return 0;
	case MYTCP_NODELAY:
		val = msk->nodelay;
		break;
	case MYTCP_MAXSEG:
		/* as TCP: the MSS in use; the user's cap before a connection */
		val = msk->mss;
		if (msk->user_mss &&
		    ((1 << sk->sk_state) & (TCPF_CLOSE | TCPF_LISTEN)))
			val = msk->user_mss;
		break;
	case MYTCP_KEEPIDLE:
		val = msk->keepidle;
		break;
	case MYTCP_KEEPINTVL:
		val = msk->keepintvl;
		break;
	case MYTCP_KEEPCNT:
		val = msk->keepcnt;
		break;
	case MYTCP_EXPERIMENTS:
		val = msk->experiments;
		break;
	default:
		return -ENOPROTOOPT;
	}
	len = min_t(unsigned int, len, sizeof(int));
	if (put_user(len, optlen) || copy_to_user(optval, &val, len))
		return -EFAULT;
	return 0;
}

/**
 * mytcp_sk_setsockopt - an option of a level other than ours: IP's or IPv6's
 * @sk: the socket
 * @level: SOL_IP, SOL_IPV6...
 * @optname: the option
 * @optval: its value
 * @optlen: its length
 *
 * Return: what ip_setsockopt() or ipv6_setsockopt() returns.
 */
int mytcp_sk_setsockopt(struct sock *sk, int level, int optname,
			sockptr_t optval, unsigned int optlen)
{
	if (sk->sk_family == AF_INET6)
		return ipv6_setsockopt(sk, level, optname, optval, optlen);
	return ip_setsockopt(sk, level, optname, optval, optlen);
}

/**
 * mytcp_sk_getsockopt - the getsockopt() side of mytcp_sk_setsockopt()
 * @sk: the socket
 * @level: SOL_IP, SOL_IPV6...
 * @optname: the option
 * @optval: where its value goes
 * @optlen: its length, in and out
 *
 * Return: what ip_getsockopt() or ipv6_getsockopt() returns.
 */
int mytcp_sk_getsockopt(struct sock *sk, int level, int optname,
			char __user *optval, int __user *optlen)
{
	if (sk->sk_family == AF_INET6)
		return ipv6_getsockopt(sk, level, optname, optval, optlen);
	return ip_getsockopt(sk, level, optname, optval, optlen);
}
