// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the net.mytcp.* sysctls, one set per network namespace.
 */

#include <linux/slab.h>
#include <linux/sysctl.h>
#include <net/net_namespace.h>

#include "protocol.h"

static int mytcp_one = 1;
static int mytcp_zero;
static int mytcp_max_ms = 3600 * 1000;
static int mytcp_max_retries = 255;
static int mytcp_max_backlog = 65535;
static int mytcp_min_buf = SOCK_MIN_RCVBUF;
static int mytcp_max_buf = 64 * 1024 * 1024;
/* the ranges TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT accept */
static int mytcp_max_keep_s = 32767;
static int mytcp_max_keep_probes = 127;
static int mytcp_exp_all = MYTCP_EXP_ALL;

/* Template: .data points into init_net's struct mytcp_net; rebased per net */
static struct ctl_table mytcp_sysctl_template[] = {
	{
		.procname	= "time_wait_ms",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_one,
		.extra2		= &mytcp_max_ms,
	},
	{
		.procname	= "fin_timeout_ms",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_one,
		.extra2		= &mytcp_max_ms,
	},
	{
		.procname	= "syn_retries",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_one,
		.extra2		= &mytcp_max_retries,
	},
	{
		.procname	= "synack_retries",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_zero,
		.extra2		= &mytcp_max_retries,
	},
	{
		.procname	= "retries2",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_one,
		.extra2		= &mytcp_max_retries,
	},
	{
		.procname	= "orphan_retries",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_one,
		.extra2		= &mytcp_max_retries,
	},
	{
		.procname	= "rto_min_ms",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_one,
		.extra2		= &mytcp_max_ms,
	},
	{
		.procname	= "rto_max_ms",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_one,
		.extra2		= &mytcp_max_ms,
	},
	{
		.procname	= "max_syn_backlog",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_one,
		.extra2		= &mytcp_max_backlog,
	},
	{
		.procname	= "rmem_default",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_min_buf,
		.extra2		= &mytcp_max_buf,
	},
	{
		.procname	= "wmem_default",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_min_buf,
		.extra2		= &mytcp_max_buf,
	},
	{
		.procname	= "rmem_max",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_min_buf,
		.extra2		= &mytcp_max_buf,
	},
	{
		.procname	= "syncookies",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_zero,
		.extra2		= &mytcp_one,
	},
	{
		.procname	= "challenge_ack_limit",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_zero,
		.extra2		= &mytcp_max_ms,
	},
	{
		.procname	= "keepalive_time",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_one,
		.extra2		= &mytcp_max_keep_s,
	},
	{
		.procname	= "keepalive_intvl",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_one,
		.extra2		= &mytcp_max_keep_s,
	},
	{
		.procname	= "keepalive_probes",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_one,
		.extra2		= &mytcp_max_keep_probes,
	},
	{
		.procname	= "congestion_control",
		.maxlen		= MYTCP_CA_NAME_MAX,
		.mode		= 0644,
		.proc_handler	= mytcp_sysctl_cong,
	},
	{
		.procname	= "available_congestion_control",
		.maxlen		= 256,
		.mode		= 0444,
		.proc_handler	= mytcp_sysctl_cong_available,
	},
	{
		/* lessons only: which MYTCP_EXP_* bits sockets may opt into */
		.procname	= "experiments",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_zero,
		.extra2		= &mytcp_exp_all,
	},
	{
		.procname	= "max_tw_buckets",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_zero,
	},
	{
		/* RFC 7323 timestamps in the SYNs of new connections */
		.procname	= "timestamps",
		.maxlen		= sizeof(int),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= &mytcp_zero,
		.extra2		= &mytcp_one,
	},
	{ }
};

/**
 * mytcp_sysctl_init_net - register net.mytcp.* for a namespace
 * @net: the namespace
 *
 * Return: 0 or -ENOMEM.
 */
int mytcp_sysctl_init_net(struct net *net)
{
	struct mytcp_net *mn = mytcp_pernet(net);
	void *fields[] = {
		&mn->time_wait_ms, &mn->fin_timeout_ms, &mn->syn_retries,
		&mn->synack_retries, &mn->retries2, &mn->orphan_retries,
		&mn->rto_min_ms,
		&mn->rto_max_ms, &mn->max_syn_backlog, &mn->rmem_default,
		&mn->wmem_default, &mn->rmem_max, &mn->syncookies,
		&mn->challenge_ack_limit, &mn->keepalive_time,
		&mn->keepalive_intvl, &mn->keepalive_probes, &mn->cong_default,
		NULL, &mn->experiments, &mn->max_tw_buckets, &mn->timestamps,
	};
	struct ctl_table *table;
	unsigned int i;

	BUILD_BUG_ON(ARRAY_SIZE(fields) !=
		     ARRAY_SIZE(mytcp_sysctl_template) - 1);
	table = kmemdup(mytcp_sysctl_template, sizeof(mytcp_sysctl_template),
			GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(fields); i++)
		table[i].data = fields[i];
	mn->sysctl_hdr = register_net_sysctl(net, "net/mytcp", table);
	if (!mn->sysctl_hdr) {
		kfree(table);
		return -ENOMEM;
	}
	return 0;
}

/**
 * mytcp_sysctl_exit_net - unregister net.mytcp.* of a namespace
 * @net: the namespace
 */
void mytcp_sysctl_exit_net(struct net *net)
{
	struct mytcp_net *mn = mytcp_pernet(net);
	struct ctl_table *table;

	if (!mn->sysctl_hdr)
		return;
	table = mn->sysctl_hdr->ctl_table_arg;
	unregister_net_sysctl_table(mn->sysctl_hdr);
	mn->sysctl_hdr = NULL;
	kfree(table);
}
