// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the registry of congestion control algorithms (cong.h), and how a
 * socket comes to use one.
 *
 * Algorithms register from any module with mytcp_register_cong(); NewReno
 * is built in and can never go.  Each namespace has a default
 * (net.mytcp.congestion_control), each socket its own (MYTCP_CONGESTION),
 * and a listener's passes to its children.
 *
 * Lifetimes: the list is changed under mytcp_cong_lock and read under RCU.
 * A socket holds a reference on the module of its algorithm from
 * mytcp_init_sock() to its sk_destruct, and a namespace on the module of
 * its default, so a module with users cannot be unloaded; unregistering
 * waits for an RCU grace period, so a reader that found the entry has
 * taken its reference (or failed to, and fallen back to NewReno) before
 * the module's memory goes.
 */
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/sysctl.h>

#include "cong.h"
#include "protocol.h"

static DEFINE_SPINLOCK(mytcp_cong_lock);
static LIST_HEAD(mytcp_cong_list);

/* Under RCU or mytcp_cong_lock */
static struct mytcp_cong_ops *mytcp_cong_find(const char *name)
{
	struct mytcp_cong_ops *ops;

	list_for_each_entry_rcu(ops, &mytcp_cong_list, list,
				lockdep_is_held(&mytcp_cong_lock))
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

/**
 * mytcp_cong_check - is this a usable algorithm?
 * @ops: the algorithm
 *
 * Pure, for KUnit: a name that fits MYTCP_CONGESTION, and both required
 * callbacks.
 *
 * Return: 0 or -EINVAL.
 */
int mytcp_cong_check(const struct mytcp_cong_ops *ops)
{
	size_t len = strnlen(ops->name, MYTCP_CA_NAME_MAX);

	if (!len || len == MYTCP_CA_NAME_MAX)
		return -EINVAL;
	if (!ops->ssthresh || !ops->cong_avoid)
		return -EINVAL;
	return 0;
}

/**
 * mytcp_register_cong - make an algorithm available to mytcp sockets
 * @ops: the algorithm, with .owner = THIS_MODULE; it must stay until
 *	mytcp_unregister_cong()
 *
 * Return: 0; -EINVAL for an incomplete @ops; -EEXIST if the name is taken.
 */
int mytcp_register_cong(struct mytcp_cong_ops *ops)
{
	int err = mytcp_cong_check(ops);

	if (err) {
		pr_err("mytcp: congestion control '%.*s' is incomplete\n",
		       MYTCP_CA_NAME_MAX, ops->name);
		return err;
	}
	spin_lock(&mytcp_cong_lock);
	if (mytcp_cong_find(ops->name)) {
		err = -EEXIST;
	} else {
		list_add_tail_rcu(&ops->list, &mytcp_cong_list);
		pr_debug("mytcp: congestion control %s registered\n", ops->name);
	}
	spin_unlock(&mytcp_cong_lock);
	return err;
}
EXPORT_SYMBOL_GPL(mytcp_register_cong);

/**
 * mytcp_unregister_cong - take an algorithm away
 * @ops: what mytcp_register_cong() was given
 *
 * Called from the owner's module exit, when no socket and no namespace
 * can hold it any more (they hold the module); waits for RCU readers.
 */
void mytcp_unregister_cong(struct mytcp_cong_ops *ops)
{
	spin_lock(&mytcp_cong_lock);
	list_del_rcu(&ops->list);
	spin_unlock(&mytcp_cong_lock);
	synchronize_rcu();
}
EXPORT_SYMBOL_GPL(mytcp_unregister_cong);

/* A reference on @ops's module, or false if it is going away */
static bool mytcp_cong_get(const struct mytcp_cong_ops *ops)
{
	return try_module_get(ops->owner);
}

static void mytcp_cong_put(const struct mytcp_cong_ops *ops)
{
	module_put(ops->owner);
}

/**
 * mytcp_cong_sock_init - a new socket takes its namespace's default
 * @sk: the socket, being initialised
 */
void mytcp_cong_sock_init(struct sock *sk)
{
	struct mytcp_net *mn = mytcp_pernet(sock_net(sk));
	const struct mytcp_cong_ops *ops;

	rcu_read_lock();
	ops = rcu_dereference(mn->cong_default);
	if (!ops || !mytcp_cong_get(ops))
		ops = &mytcp_newreno;
	rcu_read_unlock();
	mytcp_sk(sk)->ca_ops = ops;
}

/**
 * mytcp_cong_sock_inherit - a child takes its listener's algorithm
 * @child: the new socket, after mytcp_init_sock()
 * @parent: the listener, locked (its algorithm and reference stay)
 */
void mytcp_cong_sock_inherit(struct sock *child, const struct sock *parent)
{
	const struct mytcp_cong_ops *ops = mytcp_sk(parent)->ca_ops;

	if (!mytcp_cong_get(ops))
		return;		/* cannot happen: the listener holds it */
	mytcp_cong_put(mytcp_sk(child)->ca_ops);
	mytcp_sk(child)->ca_ops = ops;
}

/**
 * mytcp_cong_sock_release - the socket's memory goes (its sk_destruct)
 * @sk: the socket
 */
void mytcp_cong_sock_release(struct sock *sk)
{
	if (mytcp_sk(sk)->ca_ops)
		mytcp_cong_put(mytcp_sk(sk)->ca_ops);
	mytcp_sk(sk)->ca_ops = NULL;
}

/**
 * mytcp_cong_sock_set - setsockopt(MYTCP_CONGESTION)
 * @sk: the socket, locked
 * @name: the algorithm's name
 *
 * A connection that already runs keeps its cwnd and ssthresh; the new
 * algorithm starts its own state from there.
 *
 * Return: 0, or -ENOENT (no such algorithm, as TCP_CONGESTION says).
 */
int mytcp_cong_sock_set(struct sock *sk, const char *name)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_cong_ops *ops;

	rcu_read_lock();
	ops = mytcp_cong_find(name);
	if (ops && !mytcp_cong_get(ops))
		ops = NULL;
	rcu_read_unlock();
	if (!ops)
		return -ENOENT;
	mytcp_cong_put(msk->ca_ops);
	msk->ca_ops = ops;
	mytcp_cc_switch(&msk->cc, ops);
	return 0;
}

/**
 * mytcp_cong_net_init - a namespace starts with NewReno as its default
 * @net: the namespace
 */
void mytcp_cong_net_init(struct net *net)
{
	RCU_INIT_POINTER(mytcp_pernet(net)->cong_default, &mytcp_newreno);
}

/**
 * mytcp_cong_net_exit - a namespace goes: it lets go of its default
 * @net: the namespace
 */
void mytcp_cong_net_exit(struct net *net)
{
	struct mytcp_net *mn = mytcp_pernet(net);

	mytcp_cong_put(rcu_dereference_protected(mn->cong_default, true));
	RCU_INIT_POINTER(mn->cong_default, &mytcp_newreno);
}

/* Set the namespace's default; as for TCP, -ENOENT for an unknown name */
static int mytcp_cong_set_default(struct mytcp_net *mn, const char *name)
{
	const struct mytcp_cong_ops *old;
	struct mytcp_cong_ops *ops;

	spin_lock(&mytcp_cong_lock);
	ops = mytcp_cong_find(name);
	if (!ops || !mytcp_cong_get(ops)) {
		spin_unlock(&mytcp_cong_lock);
		return -ENOENT;
	}
	old = rcu_replace_pointer(mn->cong_default, ops,
				  lockdep_is_held(&mytcp_cong_lock));
	spin_unlock(&mytcp_cong_lock);
	mytcp_cong_put(old);
	return 0;
}

/**
 * mytcp_sysctl_cong - net.mytcp.congestion_control (proc_handler)
 * @ctl: the table entry; .data is the namespace's &mytcp_net.cong_default
 * @write: a write
 * @buffer: user data
 * @lenp: its length
 * @ppos: the file position
 *
 * Return: 0 or an errno.
 */
int mytcp_sysctl_cong(struct ctl_table *ctl, int write, void *buffer,
		      size_t *lenp, loff_t *ppos)
{
	struct mytcp_net *mn = container_of(ctl->data, struct mytcp_net,
					    cong_default);
	char name[MYTCP_CA_NAME_MAX];
	struct ctl_table tbl = {
		.data = name,
		.maxlen = sizeof(name),
	};
	int err;

	rcu_read_lock();
	strscpy(name, rcu_dereference(mn->cong_default)->name, sizeof(name));
	rcu_read_unlock();
	err = proc_dostring(&tbl, write, buffer, lenp, ppos);
	if (write && !err)
		err = mytcp_cong_set_default(mn, name);
	return err;
}

/**
 * mytcp_sysctl_cong_available - net.mytcp.available_congestion_control
 * @ctl: the table entry
 * @write: always false (the file is read only)
 * @buffer: user data
 * @lenp: its length
 * @ppos: the file position
 *
 * The registered algorithms, by name, separated by spaces.
 *
 * Return: 0 or an errno.
 */
int mytcp_sysctl_cong_available(struct ctl_table *ctl, int write,
				void *buffer, size_t *lenp, loff_t *ppos)
{
	struct ctl_table tbl = { .maxlen = 256 };
	struct mytcp_cong_ops *ops;
	size_t off = 0;
	char *list;
	int err;

	list = kzalloc(tbl.maxlen, GFP_USER);
	if (!list)
		return -ENOMEM;
	rcu_read_lock();
	list_for_each_entry_rcu(ops, &mytcp_cong_list, list)
		off += scnprintf(list + off, tbl.maxlen - off, "%s%s",
				 off ? " " : "", ops->name);
	rcu_read_unlock();
	tbl.data = list;
	err = proc_dostring(&tbl, write, buffer, lenp, ppos);
	kfree(list);
	return err;
}

/**
 * mytcp_cong_init - register NewReno, at module load
 *
 * Return: 0 or mytcp_register_cong()'s error.
 */
int mytcp_cong_init(void)
{
	return mytcp_register_cong(&mytcp_newreno);
}

/**
 * mytcp_cong_exit - unregister NewReno, at module unload
 */
void mytcp_cong_exit(void)
{
	mytcp_unregister_cong(&mytcp_newreno);
}
