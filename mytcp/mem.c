// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: memory accounting, one pool for the whole machine.
 *
 * Each socket is already bounded by its own buffers (SO_SNDBUF, SO_RCVBUF).
 * That is not enough: ten thousand sockets with full buffers, or peers
 * that ignore the advertised window, would still take the machine's memory.
 * So every byte a mytcp socket queues (write queue, receive queue,
 * out-of-order queue) is charged to a global pool in pages, through the
 * core's struct proto accounting (sk_mem_charge() and friends), with the
 * three limits of TCP's tcp_mem: net.mytcp.mem = "low pressure high".
 *
 * Below "pressure", all is well.  Above it, the socket layer grants each
 * socket only its minimum (the first entry of rmem/wmem below).  Above
 * "high" nothing more is granted: a sender waits in sendmsg() as when its
 * own buffer is full, and a segment that arrives is dropped and counted
 * (DropMemory), which the peer repairs by retransmission.  The pool is
 * visible in the memory column of /proc/net/protocols (pages); entering
 * pressure counts MemoryPressures in /proc/net/mytcp_stat.
 */

#include <linux/mm.h>
#include <linux/percpu_counter.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include "protocol.h"

static atomic_long_t mytcp_memory_allocated;
static DEFINE_PER_CPU(int, mytcp_memory_per_cpu_fw_alloc);
static struct percpu_counter mytcp_sockets_allocated;
static unsigned long mytcp_memory_pressure;
static long mytcp_mem[3];

/* A socket's guaranteed minimum and its default, as TCP's tcp_rmem/wmem */
static int mytcp_rmem[3] = { 4096, 1024 * 1024, 64 * 1024 * 1024 };
static int mytcp_wmem[3] = { 4096, 1024 * 1024, 64 * 1024 * 1024 };

static void mytcp_enter_memory_pressure(struct sock *sk)
{
	if (READ_ONCE(mytcp_memory_pressure))
		return;
	WRITE_ONCE(mytcp_memory_pressure, 1);
	mytcp_inc_stats(sock_net(sk), MYTCP_MIB_MEMORY_PRESSURES);
}

static void mytcp_leave_memory_pressure(struct sock *sk)
{
	WRITE_ONCE(mytcp_memory_pressure, 0);
}

/**
 * mytcp_mem_setup_proto - point a struct proto at mytcp's pool
 * @prot: mytcp_prot, before proto_register()
 */
void mytcp_mem_setup_proto(struct proto *prot)
{
	prot->enter_memory_pressure = mytcp_enter_memory_pressure;
	prot->leave_memory_pressure = mytcp_leave_memory_pressure;
	prot->memory_allocated = &mytcp_memory_allocated;
	prot->per_cpu_fw_alloc = &mytcp_memory_per_cpu_fw_alloc;
	prot->sockets_allocated = &mytcp_sockets_allocated;
	prot->memory_pressure = &mytcp_memory_pressure;
	prot->sysctl_mem = mytcp_mem;
	prot->sysctl_rmem = mytcp_rmem;
	prot->sysctl_wmem = mytcp_wmem;
}

/**
 * mytcp_mem_force - charge @size to @sk even above the limits
 * @sk: the socket, locked
 * @size: bytes about to be charged with sk_mem_charge()
 *
 * For what must not wait for memory: a SYN, a FIN, the split of a queued
 * segment.  These are bounded by the number of sockets, not by the peer.
 * When the pool refuses, the charge goes ahead anyway and leaves
 * sk_forward_alloc negative: the socket owes those bytes, and its next
 * successful schedule pays them into the pool first.  (The core's own
 * forced charge reaches for a per-cpu reserve a module cannot link to.)
 */
void mytcp_mem_force(struct sock *sk, int size)
{
	sk_wmem_schedule(sk, size);
}

/**
 * mytcp_mem_sock_init - count a new socket in the pool's users
 * @sk: the socket
 *
 * Balanced by mytcp_mem_sock_exit() from its destructor.
 */
void mytcp_mem_sock_init(struct sock *sk)
{
	percpu_counter_inc(&mytcp_sockets_allocated);
}

/**
 * mytcp_mem_sock_exit - the socket is being freed
 * @sk: the socket
 */
void mytcp_mem_sock_exit(struct sock *sk)
{
	percpu_counter_dec(&mytcp_sockets_allocated);
}

/*
 * Orphans: connections closed by their program and still finishing (FIN
 * to send or acknowledge, FIN_WAIT_2).  Global, as TCP's count is; beyond
 * net.mytcp.max_orphans a closing connection is reset at once.
 */
static struct percpu_counter mytcp_orphans;
static int mytcp_max_orphans;

/**
 * mytcp_orphan_check - count a newly orphaned socket; too many of them?
 * @sk: the socket, bh-locked, just orphaned by close(), not in CLOSE
 *
 * As tcp_close() with tcp_max_orphans: the caller resets the connection
 * when this says so (AbortOnMemory, and a rate-limited "too many orphaned
 * sockets" in the log).  The socket stays counted until it is destroyed
 * (mytcp_orphan_gone()).
 *
 * Return: true when the orphans now exceed net.mytcp.max_orphans.
 */
bool mytcp_orphan_check(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	int max = READ_ONCE(mytcp_max_orphans);

	if (!msk->orphan_counted) {
		percpu_counter_inc(&mytcp_orphans);
		msk->orphan_counted = 1;
	}
	/* approximate far from the limit, the exact sum near it */
	if (percpu_counter_compare(&mytcp_orphans, max) <= 0)
		return false;
	net_info_ratelimited("mytcp: too many orphaned sockets\n");
	mytcp_inc_stats(sock_net(sk), MYTCP_MIB_ABORT_ON_MEMORY);
	return true;
}

/**
 * mytcp_orphan_gone - an orphan counted by mytcp_orphan_check() is freed
 * @sk: the socket, being destroyed
 */
void mytcp_orphan_gone(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);

	if (msk->orphan_counted) {
		percpu_counter_dec(&mytcp_orphans);
		msk->orphan_counted = 0;
	}
}

static long mytcp_mem_min;
static long mytcp_mem_max = LONG_MAX / 2;

/* Global, as tcp_mem: registered in init_net only */
static struct ctl_table mytcp_mem_table[] = {
	{
		.procname	= "mem",
		.data		= mytcp_mem,
		.maxlen		= sizeof(mytcp_mem),
		.mode		= 0644,
		.proc_handler	= proc_doulongvec_minmax,
		.extra1		= &mytcp_mem_min,
		.extra2		= &mytcp_mem_max,
	},
	{
		.procname	= "max_orphans",
		.data		= &mytcp_max_orphans,
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
	},
	{ }
};

static struct ctl_table_header *mytcp_mem_hdr;

/**
 * mytcp_mem_init - size the pool, register net.mytcp.mem and max_orphans
 *
 * The defaults follow TCP's: a sixteenth of the memory free for buffers
 * is the pressure point, three quarters of that the low mark, twice the
 * low mark the hard limit.
 *
 * Return: 0 or a negative errno.
 */
int mytcp_mem_init(void)
{
	unsigned long limit = max(nr_free_buffer_pages() / 16, 128UL);
	int err;

	mytcp_mem[0] = limit / 4 * 3;
	mytcp_mem[1] = limit;
	mytcp_mem[2] = mytcp_mem[0] * 2;
	/* as TCP's tcp_max_orphans: half the connection table */
	mytcp_max_orphans = mytcp_tables_buckets() / 2;
	err = percpu_counter_init(&mytcp_sockets_allocated, 0, GFP_KERNEL);
	if (err)
		return err;
	err = percpu_counter_init(&mytcp_orphans, 0, GFP_KERNEL);
	if (err)
		goto free_sockets;
	mytcp_mem_hdr = register_net_sysctl(&init_net, "net/mytcp",
					    mytcp_mem_table);
	if (!mytcp_mem_hdr) {
		err = -ENOMEM;
		goto free_orphans;
	}
	return 0;

free_orphans:
	percpu_counter_destroy(&mytcp_orphans);
free_sockets:
	percpu_counter_destroy(&mytcp_sockets_allocated);
	return err;
}

/**
 * mytcp_mem_exit - undo mytcp_mem_init(), after the last socket is gone
 */
void mytcp_mem_exit(void)
{
	unregister_net_sysctl_table(mytcp_mem_hdr);
	percpu_counter_destroy(&mytcp_orphans);
	percpu_counter_destroy(&mytcp_sockets_allocated);
}
