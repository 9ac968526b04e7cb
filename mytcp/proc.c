// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: /proc/net/mytcp (the layout of /proc/net/tcp) and
 * /proc/net/mytcp_stat (the counters), per network namespace.
 */

#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "protocol.h"

struct mytcp_proc_walk {
	struct seq_file *seq;
	int row;
	int family;
};

/*
 * The two address columns: /proc/net/tcp's %08X:%04X for mytcp, and
 * /proc/net/tcp6's four words for mytcp6 (an IPv4 peer of an AF_INET6
 * socket shows v4-mapped, as there).  Words are printed as the kernel
 * holds them, so a little-endian machine shows them byte-swapped, as TCP's.
 */
static void mytcp_proc_addrs(struct mytcp_proc_walk *w,
			     const struct in6_addr *l, __be16 lport,
			     const struct in6_addr *r, __be16 rport)
{
	const u32 *a = (const u32 *)l->s6_addr32, *b = (const u32 *)r->s6_addr32;

	if (w->family == AF_INET) {
		seq_printf(w->seq, "%08X:%04X %08X:%04X ", a[3], ntohs(lport),
			   b[3], ntohs(rport));
		return;
	}
	seq_printf(w->seq, "%08X%08X%08X%08X:%04X %08X%08X%08X%08X:%04X ",
		   a[0], a[1], a[2], a[3], ntohs(lport), b[0], b[1], b[2], b[3],
		   ntohs(rport));
}

/*
 * tr column of /proc/net/tcp: 1 retransmission, 2 keepalive or FIN_WAIT2,
 * 4 zero window probe (persist), 0 none.  Our persist timer is the
 * retransmission timer while the peer's window is closed.
 */
static void mytcp_proc_timer(const struct sock *sk, int *tr,
			     unsigned long *when)
{
	const struct mytcp_sock *msk = mytcp_sk(sk);

	*tr = 0;
	*when = 0;
	if (timer_pending(&msk->rtx_timer)) {
		*tr = mytcp_persisting(sk) ? 4 : 1;
		*when = msk->rtx_timer.expires;
	} else if (timer_pending(&msk->misc_timer)) {
		*tr = 2;
		*when = msk->misc_timer.expires;
	}
	if (*tr)
		*when = time_after(*when, jiffies) ? *when - jiffies : 0;
}

/* A listener's half-open connections, as SYN_RECV rows. */
static void mytcp_proc_requests(struct sock *sk, struct mytcp_proc_walk *w)
{
	const struct mytcp_request *req;
	const struct mytcp_sock *msk = mytcp_sk(sk);

	local_bh_disable();
	bh_lock_sock(sk);
	/* a process may be changing the queue: skip it this time */
	if (!sock_owned_by_user(sk)) {
		list_for_each_entry(req, &msk->syn_queue, node) {
			long delta = (long)(req->expires - jiffies);

			seq_printf(w->seq, "%4d: ", w->row++);
			mytcp_proc_addrs(w, &req->laddr, req->lport,
					 &req->raddr, req->rport);
			seq_printf(w->seq,
				   "%02X %08X:%08X %02X:%08lX %08X %5u %8d %d %d %pK\n",
				   TCP_SYN_RECV, 0, 0, 1,
				   jiffies_delta_to_clock_t(delta > 0 ? delta : 0),
				   req->retries,
				   from_kuid_munged(seq_user_ns(w->seq),
						    sock_i_uid(sk)),
				   0, 0, 0, req);
		}
	}
	bh_unlock_sock(sk);
	local_bh_enable();
}

static void mytcp_proc_sk(struct sock *sk, void *arg)
{
	struct mytcp_proc_walk *w = arg;
	const struct mytcp_sock *msk = mytcp_sk(sk);
	const struct inet_sock *inet = inet_sk(sk);
	int state = inet_sk_state_load(sk);
	struct in6_addr l, r;
	unsigned long when;
	u32 txq, rxq;
	int tr;

	if (sk->sk_family != w->family)
		return;
	mytcp_proc_timer(sk, &tr, &when);
	if (state == TCP_LISTEN) {
		/* as /proc/net/tcp: nothing to send, the accept queue */
		txq = 0;
		rxq = READ_ONCE(sk->sk_ack_backlog);
	} else {
		txq = READ_ONCE(msk->write_seq) - READ_ONCE(msk->snd_una);
		rxq = READ_ONCE(msk->rcv_nxt) - READ_ONCE(msk->copied_seq);
		if (rxq && sock_flag(sk, SOCK_DONE))
			rxq--;		/* the FIN is not data */
	}
	mytcp_sk_laddr(sk, &l);
	mytcp_sk_raddr(sk, &r);
	seq_printf(w->seq, "%4d: ", w->row++);
	mytcp_proc_addrs(w, &l, inet->inet_sport, &r, inet->inet_dport);
	seq_printf(w->seq,
		   "%02X %08X:%08X %02X:%08lX %08X %5u %8d %lu %d %pK %u %u %u %u\n",
		   state, txq, rxq, tr, jiffies_delta_to_clock_t(when), msk->backoff,
		   from_kuid_munged(seq_user_ns(w->seq), sock_i_uid(sk)), 0,
		   sock_i_ino(sk), refcount_read(&sk->sk_refcnt), sk,
		   (u32)(mytcp_current_rto_us(sk) / USEC_PER_MSEC), msk->cc.cwnd,
		   mytcp_delack_us(msk->rtt.srtt) / (u32)USEC_PER_MSEC,
		   msk->quickack);
	if (state == TCP_LISTEN)
		mytcp_proc_requests(sk, w);
}

static void mytcp_proc_tw(struct mytcp_tw *tw, void *arg)
{
	struct mytcp_proc_walk *w = arg;
	long delta = (long)(tw->expires - jiffies);

	if (tw->family != w->family)
		return;
	seq_printf(w->seq, "%4d: ", w->row++);
	mytcp_proc_addrs(w, &tw->laddr, tw->lport, &tw->raddr, tw->rport);
	seq_printf(w->seq,
		   "%02X %08X:%08X %02X:%08lX %08X %5d %8d %d %d %pK\n",
		   TCP_TIME_WAIT, 0, 0, 3,
		   jiffies_delta_to_clock_t(delta > 0 ? delta : 0), 0, 0, 0, 0,
		   refcount_read(&tw->refcnt), tw);
}

static int mytcp_proc_show(struct seq_file *seq, void *v)
{
	struct mytcp_proc_walk w = { .seq = seq, .family = AF_INET };

	seq_puts(seq, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
	mytcp_tables_walk(seq_file_single_net(seq), mytcp_proc_sk, mytcp_proc_tw, &w);
	return 0;
}

/* /proc/net/mytcp6: the AF_INET6 sockets, in /proc/net/tcp6's layout */
static int mytcp_proc6_show(struct seq_file *seq, void *v)
{
	struct mytcp_proc_walk w = { .seq = seq, .family = AF_INET6 };

	seq_puts(seq, "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n");
	mytcp_tables_walk(seq_file_single_net(seq), mytcp_proc_sk, mytcp_proc_tw, &w);
	return 0;
}

/* CurrEstab (RFC 4022 tcpCurrEstab): ESTABLISHED or CLOSE_WAIT now */
static void mytcp_count_estab(struct sock *sk, void *arg)
{
	if ((1 << READ_ONCE(sk->sk_state)) &
	    (TCPF_ESTABLISHED | TCPF_CLOSE_WAIT))
		(*(unsigned long *)arg)++;
}

static int mytcp_stat_show(struct seq_file *seq, void *v)
{
	struct net *net = seq_file_single_net(seq);
	unsigned long estab = 0;
	int f;

	for (f = 0; f < MYTCP_MIB_MAX; f++) {
		seq_printf(seq, "%s %lu\n", mytcp_mib_name(f),
			   mytcp_read_stat(net, f));
		if (f != MYTCP_MIB_ESTABRESETS)
			continue;
		/* a gauge, counted from the table, where Linux puts it */
		mytcp_tables_walk(net, mytcp_count_estab, NULL, &estab);
		seq_printf(seq, "CurrEstab %lu\n", estab);
	}
	return 0;
}

/**
 * mytcp_proc_init_net - create /proc/net/mytcp, mytcp6 and mytcp_stat
 * @net: the namespace
 *
 * Return: 0 or -ENOMEM.
 */
int mytcp_proc_init_net(struct net *net)
{
	if (!proc_create_net_single("mytcp", 0444, net->proc_net,
				    mytcp_proc_show, NULL))
		return -ENOMEM;
	if (!proc_create_net_single("mytcp6", 0444, net->proc_net,
				    mytcp_proc6_show, NULL))
		goto remove_mytcp;
	if (!proc_create_net_single("mytcp_stat", 0444, net->proc_net,
				    mytcp_stat_show, NULL))
		goto remove_mytcp6;
	return 0;

remove_mytcp6:
	remove_proc_entry("mytcp6", net->proc_net);
remove_mytcp:
	remove_proc_entry("mytcp", net->proc_net);
	return -ENOMEM;
}

/**
 * mytcp_proc_exit_net - remove the /proc/net files of a namespace
 * @net: the namespace
 */
void mytcp_proc_exit_net(struct net *net)
{
	remove_proc_entry("mytcp_stat", net->proc_net);
	remove_proc_entry("mytcp6", net->proc_net);
	remove_proc_entry("mytcp", net->proc_net);
}
