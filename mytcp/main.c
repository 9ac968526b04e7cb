// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: registration with the inet layer, and per-namespace state
 * (DESIGN.md section 2).
 *
 * Order on load: tables, proto_register() (MYTCP, MYTCPv6),
 * register_pernet_subsys(), inet_register_protosw(), inet_add_protocol(),
 * then the same two for IPv6 (ipv6.c), so neither a socket nor a segment
 * arrives before the per-namespace state it needs exists.  Unload is the
 * exact reverse.  The module links against the IPv6 layer's symbols: with
 * IPv6 built as a module, that module is loaded first.
 * Every socket pins the module (proto.owner); TIME_WAIT entries do not, so
 * the namespace exit path ends them all.
 */

#include <linux/module.h>
#include <linux/percpu.h>
#include <net/inet_common.h>
#include <net/netns/generic.h>
#include <net/protocol.h>

#include "protocol.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static unsigned int mytcp_net_id __read_mostly;

static const char *const mytcp_mib_names[MYTCP_MIB_MAX] = {
	[MYTCP_MIB_ACTIVEOPENS]			= "ActiveOpens",
	[MYTCP_MIB_PASSIVEOPENS]		= "PassiveOpens",
	[MYTCP_MIB_ATTEMPTFAILS]		= "AttemptFails",
	[MYTCP_MIB_ESTABRESETS]			= "EstabResets",
	[MYTCP_MIB_INSEGS]			= "InSegs",
	[MYTCP_MIB_OUTSEGS]			= "OutSegs",
	[MYTCP_MIB_RETRANSSEGS]			= "RetransSegs",
	[MYTCP_MIB_INERRS]			= "InErrs",
	[MYTCP_MIB_OUTRSTS]			= "OutRsts",
	[MYTCP_MIB_INCSUMERRORS]		= "InCsumErrors",
	[MYTCP_MIB_TIMEWAITS]			= "TimeWaits",
	[MYTCP_MIB_CHALLENGEACKS]		= "ChallengeAcks",
	[MYTCP_MIB_CHALLENGEACKS_LIMITED]	= "ChallengeAcksLimited",
	[MYTCP_MIB_OOW_ACKS_LIMITED]		= "OutOfWindowAcksLimited",
	[MYTCP_MIB_CHALLENGEACKS_SKIPPED]	= "ChallengeAcksSkipped",
	[MYTCP_MIB_WINPROBES]			= "WinProbes",
	[MYTCP_MIB_SYNCOOKIES_SENT]		= "SyncookiesSent",
	[MYTCP_MIB_SYNCOOKIES_RECV]		= "SyncookiesRecv",
	[MYTCP_MIB_SYNCOOKIES_FAILED]		= "SyncookiesFailed",
	[MYTCP_MIB_DROP_SHORT]			= "DropShort",
	[MYTCP_MIB_DROP_BAD_DOFF]		= "DropBadDataOffset",
	[MYTCP_MIB_DROP_BAD_FLAGS]		= "DropBadFlags",
	[MYTCP_MIB_DROP_BAD_OPTIONS]		= "DropBadOptions",
	[MYTCP_MIB_DROP_NO_SOCKET]		= "DropNoSocket",
	[MYTCP_MIB_DROP_NOT_ACCEPTABLE]		= "DropNotAcceptable",
	[MYTCP_MIB_DROP_BACKLOG]		= "DropBacklogFull",
	[MYTCP_MIB_DROP_SYN_QUEUE_FULL]		= "DropSynQueueFull",
	[MYTCP_MIB_DROP_ACCEPT_QUEUE_FULL]	= "DropAcceptQueueFull",
	[MYTCP_MIB_DROP_RCVBUF]			= "DropRcvbufFull",
	[MYTCP_MIB_DROP_MEMORY]			= "DropMemory",
	[MYTCP_MIB_MEMORY_PRESSURES]		= "MemoryPressures",
	[MYTCP_MIB_RCV_COLLAPSED]		= "RcvCollapsed",
	[MYTCP_MIB_OFO_PRUNED]			= "OfoPruned",
	[MYTCP_MIB_TW_OVERFLOW]			= "TWOverflow",
	[MYTCP_MIB_TW_ACKS_LIMITED]		= "TimeWaitAcksLimited",
	[MYTCP_MIB_ABORT_ON_MEMORY]		= "AbortOnMemory",
	[MYTCP_MIB_DROP_POLICY]			= "DropPolicy",
	[MYTCP_MIB_DROP_BAD_ADDR]		= "DropBadAddress",
	[MYTCP_MIB_DROP_OTHER]			= "DropOther",
	[MYTCP_MIB_ICMP_BAD]			= "IcmpBadQuote",
	[MYTCP_MIB_ICMP_NO_SOCKET]		= "IcmpNoConnection",
	[MYTCP_MIB_ICMP_OUT_OF_WINDOW]		= "IcmpOutOfWindow",
	[MYTCP_MIB_ICMP_IGNORED]		= "IcmpIgnored",
	[MYTCP_MIB_ICMP_FRAG_NEEDED]		= "InIcmpFragNeeded",
	[MYTCP_MIB_ICMP_DEFERRED]		= "IcmpDeferred",
	[MYTCP_MIB_PMTU_UPDATES]		= "PmtuUpdates",
	[MYTCP_MIB_ICMP_HARD_ERRORS]		= "IcmpHardErrors",
	[MYTCP_MIB_ICMP_SOFT_ERRORS]		= "IcmpSoftErrors",
	[MYTCP_MIB_ICMP6_PKT_TOOBIG]		= "InIcmp6PktTooBig",
	[MYTCP_MIB_ICMP6_PTB_BELOW_MIN]		= "Icmp6PtbBelowMin",
	[MYTCP_MIB_EXP_TWO_WAY_OPENS]		= "ExpTwoWayOpens",
	[MYTCP_MIB_EXP_TIME_WAIT_SKIPPED]	= "ExpTimeWaitSkipped",
	[MYTCP_MIB_OUT_GSO_SKBS]		= "OutGsoSkbs",
	[MYTCP_MIB_GSO_SEGMENTS]		= "GsoSegments",
	[MYTCP_MIB_IN_GSO_SKBS]			= "InGsoSkbs",
	[MYTCP_MIB_DELAYED_ACKS]		= "DelayedACKs",
	[MYTCP_MIB_RCVBUF_GROWN]		= "RcvBufAutoGrown",
	[MYTCP_MIB_PAWS_ESTAB_REJECTED]	= "PAWSEstabRejected",
};

/**
 * mytcp_pernet - the mytcp state of a network namespace
 * @net: the namespace
 *
 * Return: its struct mytcp_net.
 */
struct mytcp_net *mytcp_pernet(const struct net *net)
{
	return net_generic(net, mytcp_net_id);
}

/**
 * mytcp_mib_name - the name a counter has in /proc/net/mytcp_stat
 * @f: the counter
 *
 * Return: its name.
 */
const char *mytcp_mib_name(enum mytcp_mib_field f)
{
	return f < MYTCP_MIB_MAX ? mytcp_mib_names[f] : "?";
}

/**
 * mytcp_read_stat - sum a counter over the CPUs
 * @net: namespace
 * @f: the counter
 *
 * Return: its value.
 */
unsigned long mytcp_read_stat(const struct net *net, enum mytcp_mib_field f)
{
	const struct mytcp_net *mn = mytcp_pernet(net);
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu_ptr(mn->mib, cpu)[f];
	return sum;
}

static int __net_init mytcp_net_init(struct net *net)
{
	struct mytcp_net *mn = mytcp_pernet(net);
	int err;

	mn->time_wait_ms = 60 * MSEC_PER_SEC;
	mn->fin_timeout_ms = 60 * MSEC_PER_SEC;
	mn->syn_retries = 6;
	mn->synack_retries = 5;
	mn->retries2 = 15;
	mn->orphan_retries = 8;	/* what Linux's tcp_orphan_retries 0 means */
	mn->rto_min_ms = 200;
	mn->rto_max_ms = 120 * MSEC_PER_SEC;
	mn->max_syn_backlog = 256;
	mn->challenge_ack_limit = 1000;
	mn->syncookies = 1;
	mn->timestamps = 1;	/* as TCP's tcp_timestamps */
	mn->rmem_default = 1024 * 1024;
	mn->wmem_default = 1024 * 1024;
	/* as TCP's tcp_rmem[2] */
	mn->rmem_max = 6 * 1024 * 1024;
	/* as Linux's tcp_keepalive_time, _intvl and _probes */
	mn->keepalive_time = 7200;
	mn->keepalive_intvl = 75;
	mn->keepalive_probes = 9;
	/* as TCP's tcp_max_tw_buckets: half the connection table */
	mn->max_tw_buckets = mytcp_tables_buckets() / 2;
	atomic_set(&mn->tw_count, 0);
	atomic_set(&mn->challenge_count, 0);
	mytcp_cong_net_init(net);

	mn->mib = __alloc_percpu(sizeof(unsigned long) * MYTCP_MIB_MAX,
				 __alignof__(unsigned long));
	if (!mn->mib)
		return -ENOMEM;
	err = mytcp_sysctl_init_net(net);
	if (err)
		goto free_mib;
	err = mytcp_proc_init_net(net);
	if (err)
		goto exit_sysctl;
	return 0;

exit_sysctl:
	mytcp_sysctl_exit_net(net);
free_mib:
	free_percpu(mn->mib);
	return err;
}

static void __net_exit mytcp_net_exit(struct net *net)
{
	struct mytcp_net *mn = mytcp_pernet(net);

	mytcp_tw_purge_net(net);
	mytcp_proc_exit_net(net);
	mytcp_sysctl_exit_net(net);
	mytcp_cong_net_exit(net);
	free_percpu(mn->mib);
}

static struct pernet_operations mytcp_net_ops = {
	.init	= mytcp_net_init,
	.exit	= mytcp_net_exit,
	.id	= &mytcp_net_id,
	.size	= sizeof(struct mytcp_net),
};

static const struct net_protocol mytcp_protocol = {
	.handler	= mytcp_v4_rcv,
	.err_handler	= mytcp_v4_err,
	.no_policy	= 1,
};

static struct inet_protosw mytcp_protosw = {
	.type		= SOCK_STREAM,
	.protocol	= IPPROTO_MYTCP,
	.prot		= &mytcp_prot,
	.ops		= &mytcp_stream_ops,
	.flags		= 0,
};

static int __init mytcp_init(void)
{
	int err;

	/* inet_register_protosw() cannot fail: check the number is free */
	if (rcu_access_pointer(inet_protos[IPPROTO_MYTCP])) {
		pr_err("mytcp: IP protocol %d is already registered\n",
		       IPPROTO_MYTCP);
		return -EBUSY;
	}
	err = mytcp_tables_init();
	if (err)
		return err;
	err = mytcp_tw_init();
	if (err)
		goto free_tables;
	err = mytcp_mem_init();
	if (err)
		goto exit_tw;
	mytcp_mem_setup_proto(&mytcp_prot);
	mytcp_mem_setup_proto(&mytcpv6_prot);
	err = mytcp_cong_init();
	if (err)
		goto exit_mem;
	/* no socket yet: none can send a GSO skb before the stack can cut it */
	err = mytcp_offload_init();
	if (err) {
		pr_err("mytcp: IP protocol %d has offloads already\n",
		       IPPROTO_MYTCP);
		goto exit_cong;
	}
	err = proto_register(&mytcp_prot, 1);
	if (err)
		goto exit_offload;
	err = proto_register(&mytcpv6_prot, 1);
	if (err)
		goto unregister_proto;
	/* a socket's first call reads its namespace's state: that comes first */
	err = register_pernet_subsys(&mytcp_net_ops);
	if (err)
		goto unregister_proto6;
	inet_register_protosw(&mytcp_protosw);
	if (inet_add_protocol(&mytcp_protocol, IPPROTO_MYTCP) < 0) {
		pr_err("mytcp: IP protocol %d is already registered\n",
		       IPPROTO_MYTCP);
		err = -EBUSY;
		goto unregister_protosw;
	}
	err = mytcp_ipv6_init();
	if (err)
		goto del_protocol;
	pr_info("mytcp: registered on IP protocol %d, IPv4 and IPv6\n",
		IPPROTO_MYTCP);
	return 0;

del_protocol:
	inet_del_protocol(&mytcp_protocol, IPPROTO_MYTCP);
	synchronize_net();
unregister_protosw:
	inet_unregister_protosw(&mytcp_protosw);
	unregister_pernet_subsys(&mytcp_net_ops);
unregister_proto6:
	proto_unregister(&mytcpv6_prot);
unregister_proto:
	proto_unregister(&mytcp_prot);
exit_offload:
	mytcp_offload_exit();
exit_cong:
	mytcp_cong_exit();
exit_mem:
	mytcp_mem_exit();
exit_tw:
	rcu_barrier();
	mytcp_tw_exit();
free_tables:
	mytcp_tables_exit();
	return err;
}

static void __exit mytcp_exit(void)
{
	mytcp_ipv6_exit();
	inet_del_protocol(&mytcp_protocol, IPPROTO_MYTCP);
	inet_unregister_protosw(&mytcp_protosw);
	unregister_pernet_subsys(&mytcp_net_ops);
	proto_unregister(&mytcpv6_prot);
	proto_unregister(&mytcp_prot);
	mytcp_offload_exit();
	mytcp_cong_exit();
	/* TIME_WAIT entries are freed after a grace period */
	rcu_barrier();
	mytcp_mem_exit();
	mytcp_tw_exit();
	mytcp_tables_exit();
	pr_info("mytcp: unregistered\n");
}

module_init(mytcp_init);
module_exit(mytcp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mytcp: a TCP-variant transport on IP protocol 253");
/* SOCK_STREAM is an enum: the alias needs its number spelled out */
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET, IPPROTO_MYTCP, 1);
/* inet6_create() asks for net-pf-10-proto-253-type-1, then -proto-253 */
MODULE_ALIAS_NET_PF_PROTO_TYPE(PF_INET6, IPPROTO_MYTCP, 1);
MODULE_ALIAS_NET_PF_PROTO(PF_INET6, IPPROTO_MYTCP);
