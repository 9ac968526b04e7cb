// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: the lookup tables (DESIGN.md section 3).
 *
 * Four hash tables, shared by all network namespaces (the namespace is part
 * of every key):
 *  - connections by 4-tuple (every socket that has a peer),
 *  - TIME_WAIT entries by 4-tuple,
 *  - listeners by local port,
 *  - port owners by local port (sockets and TIME_WAIT entries), for bind().
 * Writers take the bucket's spinlock with BHs off; readers walk a bucket
 * under RCU and take a reference on what they find.  Sockets are freed
 * after a grace period (SOCK_RCU_FREE), TIME_WAIT entries with call_rcu(),
 * so a reader never touches freed memory.  A table holds one reference on
 * each socket it links.
 *
 * The connection and TIME_WAIT chains are hlist_nulls: each ends in a
 * marker naming its bucket.  A socket can leave its chain and join another
 * (a new connect()) while a reader stands on it; the reader then follows
 * it into the other chain and would miss what lay behind it in its own -
 * and a missed connection is answered with a RST.  Ending at another
 * bucket's marker tells the reader to walk again.  After taking its
 * reference it checks the 4-tuple again, for the same reason.
 */

#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <net/inet_hashtables.h>
#include <net/ip.h>
#include <net/netns/hash.h>
#include <linux/rculist_nulls.h>

#include "protocol.h"

/*
 * Buckets per table: one per 128 KiB of RAM (TCP's ehash gets as many),
 * a power of two between 4096 and 512 Ki; the module parameter
 * hash_buckets overrides it.  Fixed once loaded.
 */
#define MYTCP_HASH_MIN		4096U
#define MYTCP_HASH_MAX		(512U * 1024)
#define MYTCP_RAM_PER_BUCKET	(128U * 1024)

static unsigned int hash_buckets;
module_param(hash_buckets, uint, 0444);
MODULE_PARM_DESC(hash_buckets,
		 "buckets in each lookup table (0: by memory); read it for the size in use");

struct mytcp_bucket {
	spinlock_t lock;	/* writers of @chain */
	struct hlist_head chain;
};

struct mytcp_table {
	struct mytcp_bucket *buckets;
	unsigned int mask;	/* buckets - 1 */
};

/* A bucket of the connection or TIME_WAIT table: its chain's end names it */
struct mytcp_nulls_bucket {
	spinlock_t lock;	/* writers of @chain */
	struct hlist_nulls_head chain;
};

struct mytcp_nulls_table {
	struct mytcp_nulls_bucket *buckets;
	unsigned int mask;	/* buckets - 1 */
};

static struct mytcp_nulls_table mytcp_ehash, mytcp_twhash;
static struct mytcp_table mytcp_lhash, mytcp_bhash;
static u32 mytcp_hash_seed __read_mostly;

/**
 * mytcp_hash_size - buckets for each table, from memory or the parameter
 * @ram_pages: pages of RAM
 * @asked: the hash_buckets parameter, 0 for none
 *
 * Return: a power of two in [MYTCP_HASH_MIN, MYTCP_HASH_MAX].
 */
unsigned int mytcp_hash_size(unsigned long ram_pages, unsigned int asked)
{
	unsigned long n = asked ? asked :
			  ram_pages / (MYTCP_RAM_PER_BUCKET / PAGE_SIZE);

	n = clamp_t(unsigned long, n, MYTCP_HASH_MIN, MYTCP_HASH_MAX);
	return rounddown_pow_of_two(n);
}

/**
 * mytcp_tables_buckets - the size of the connection and TIME_WAIT tables
 *
 * Return: buckets in each; the defaults of net.mytcp.max_tw_buckets and
 * max_orphans are half of it, as TCP's are half of its ehash.
 */
unsigned int mytcp_tables_buckets(void)
{
	return mytcp_ehash.mask + 1;
}

static int mytcp_table_alloc(struct mytcp_table *t, unsigned int size)
{
	unsigned int i;

	t->buckets = kvcalloc(size, sizeof(*t->buckets), GFP_KERNEL);
	if (!t->buckets)
		return -ENOMEM;
	t->mask = size - 1;
	for (i = 0; i < size; i++) {
		spin_lock_init(&t->buckets[i].lock);
		INIT_HLIST_HEAD(&t->buckets[i].chain);
	}
	return 0;
}

static int mytcp_nulls_table_alloc(struct mytcp_nulls_table *t,
				   unsigned int size)
{
	unsigned int i;

	t->buckets = kvcalloc(size, sizeof(*t->buckets), GFP_KERNEL);
	if (!t->buckets)
		return -ENOMEM;
	t->mask = size - 1;
	for (i = 0; i < size; i++) {
		spin_lock_init(&t->buckets[i].lock);
		INIT_HLIST_NULLS_HEAD(&t->buckets[i].chain, i);
	}
	return 0;
}

static void mytcp_nulls_table_free(struct mytcp_nulls_table *t)
{
	unsigned int i;

	if (!t->buckets)
		return;
	for (i = 0; i <= t->mask; i++)
		WARN_ON_ONCE(!hlist_nulls_empty(&t->buckets[i].chain));
	kvfree(t->buckets);
	t->buckets = NULL;
}

static void mytcp_table_free(struct mytcp_table *t)
{
	unsigned int i;

	if (!t->buckets)
		return;
	for (i = 0; i <= t->mask; i++)
		WARN_ON_ONCE(!hlist_empty(&t->buckets[i].chain));
	kvfree(t->buckets);
	t->buckets = NULL;
}

/**
 * mytcp_tables_init - allocate the four tables
 *
 * Return: 0 or -ENOMEM.
 */
int mytcp_tables_init(void)
{
	unsigned int size = mytcp_hash_size(totalram_pages(), hash_buckets);
	int err;

	get_random_bytes(&mytcp_hash_seed, sizeof(mytcp_hash_seed));
	hash_buckets = size;
	err = mytcp_nulls_table_alloc(&mytcp_ehash, size);
	if (err)
		goto out;
	err = mytcp_nulls_table_alloc(&mytcp_twhash, size);
	if (err)
		goto free_ehash;
	/* listeners are few: the smallest size does */
	err = mytcp_table_alloc(&mytcp_lhash, MYTCP_HASH_MIN);
	if (err)
		goto free_twhash;
	err = mytcp_table_alloc(&mytcp_bhash, size);
	if (err)
		goto free_lhash;
	return 0;

free_lhash:
	mytcp_table_free(&mytcp_lhash);
free_twhash:
	mytcp_nulls_table_free(&mytcp_twhash);
free_ehash:
	mytcp_nulls_table_free(&mytcp_ehash);
out:
	return err;
}

/**
 * mytcp_tables_exit - free the tables; they must be empty by now
 */
void mytcp_tables_exit(void)
{
	mytcp_table_free(&mytcp_bhash);
	mytcp_table_free(&mytcp_lhash);
	mytcp_nulls_table_free(&mytcp_twhash);
	mytcp_nulls_table_free(&mytcp_ehash);
}

/* The bucket index of a 4-tuple in the connection or TIME_WAIT table */
static unsigned int mytcp_tuple_slot(const struct mytcp_nulls_table *t,
				     const struct net *net,
				     const struct in6_addr *laddr,
				     __be16 lport,
				     const struct in6_addr *raddr,
				     __be16 rport)
{
	u32 h = jhash2((const u32 *)laddr, 4,
		       mytcp_hash_seed ^ net_hash_mix(net));

	h = jhash2((const u32 *)raddr, 4, h);
	h = jhash_1word((u32)ntohs(lport) << 16 | ntohs(rport), h);

	return h & t->mask;
}

static struct mytcp_nulls_bucket *
mytcp_tuple_bucket(struct mytcp_nulls_table *t, const struct net *net,
		   const struct in6_addr *laddr, __be16 lport,
		   const struct in6_addr *raddr, __be16 rport)
{
	return &t->buckets[mytcp_tuple_slot(t, net, laddr, lport, raddr,
					    rport)];
}

static struct mytcp_bucket *mytcp_port_bucket(struct mytcp_table *t,
					      const struct net *net, u16 port)
{
	u32 h = jhash_1word(port, mytcp_hash_seed ^ net_hash_mix(net));

	return &t->buckets[h & t->mask];
}

/* ---- port owners (bind table) ---- */

static bool mytcp_owner_is_listener(const struct mytcp_port_owner *o)
{
	const struct mytcp_sock *msk;

	if (o->is_tw)
		return false;
	msk = container_of(o, struct mytcp_sock, owner);
	return READ_ONCE(msk->inet.sk.sk_state) == TCP_LISTEN;
}

/*
 * Do two bound addresses share an address?  Within a family: when equal or
 * either is that family's wildcard.  Across families only an IPv6 wildcard
 * without IPV6_V6ONLY covers IPv4 addresses too (it takes v4-mapped
 * connections), as Linux's TCP rules it.
 */
static bool mytcp_owner_addrs_overlap(const struct mytcp_port_owner *a,
				      const struct mytcp_port_owner *b)
{
	bool a4 = mytcp_addr_is4(&a->rcv_saddr);
	bool b4 = mytcp_addr_is4(&b->rcv_saddr);

	if (a4 == b4)
		return mytcp_addr_any(&a->rcv_saddr) ||
		       mytcp_addr_any(&b->rcv_saddr) ||
		       ipv6_addr_equal(&a->rcv_saddr, &b->rcv_saddr);
	if (a4)
		return ipv6_addr_any(&b->rcv_saddr) && !b->v6only;
	return ipv6_addr_any(&a->rcv_saddr) && !a->v6only;
}

/*
 * Two owners of one port conflict when their bound addresses overlap (equal
 * or either is the wildcard) and their devices overlap, unless both set
 * SO_REUSEADDR and the existing one is not listening: the rule Linux's TCP
 * applies, so a server restarts over its own TIME_WAIT connections with
 * SO_REUSEADDR and not without it.
 */
static bool mytcp_owners_conflict(const struct mytcp_port_owner *new,
				  const struct mytcp_port_owner *old)
{
	if (new->bound_dev_if && old->bound_dev_if &&
	    new->bound_dev_if != old->bound_dev_if)
		return false;
	if (!mytcp_owner_addrs_overlap(new, old))
		return false;
	if (new->reuse && old->reuse && !mytcp_owner_is_listener(old))
		return false;
	return true;
}

static bool mytcp_port_conflict(struct mytcp_bucket *b, const struct net *net,
				u16 port, const struct mytcp_port_owner *new)
{
	struct mytcp_port_owner *o;

	hlist_for_each_entry(o, &b->chain, node) {
		if (o == new || o->port != port || !net_eq(read_pnet(&o->net), net))
			continue;
		if (mytcp_owners_conflict(new, o))
			return true;
	}
	return false;
}

static bool mytcp_port_in_use(struct mytcp_bucket *b, const struct net *net,
			      u16 port)
{
	struct mytcp_port_owner *o;

	hlist_for_each_entry(o, &b->chain, node)
		if (o->port == port && net_eq(read_pnet(&o->net), net))
			return true;
	return false;
}

/**
 * mytcp_bind_owner_add - link an owner for @port without a conflict check
 * @net: namespace
 * @o: the owner; its address, reuse and device fields are set by the caller
 * @port: port, host order
 *
 * Used for children of a listener and for TIME_WAIT entries, which inherit
 * a port already held.
 *
 * Return: 0.
 */
int mytcp_bind_owner_add(struct net *net, struct mytcp_port_owner *o, u16 port)
{
	struct mytcp_bucket *b = mytcp_port_bucket(&mytcp_bhash, net, port);

	write_pnet(&o->net, net);
	o->port = port;
	spin_lock_bh(&b->lock);
	hlist_add_head(&o->node, &b->chain);
	spin_unlock_bh(&b->lock);
	return 0;
}

/**
 * mytcp_port_owner_del - unlink an owner from the bind table, if linked
 * @o: the owner
 */
void mytcp_port_owner_del(struct mytcp_port_owner *o)
{
	struct mytcp_bucket *b;

	if (hlist_unhashed(&o->node))
		return;
	b = mytcp_port_bucket(&mytcp_bhash, read_pnet(&o->net), o->port);
	spin_lock_bh(&b->lock);
	hlist_del_init(&o->node);
	spin_unlock_bh(&b->lock);
}

static void mytcp_owner_fill(struct sock *sk, struct mytcp_port_owner *o)
{
	mytcp_sk_laddr(sk, &o->rcv_saddr);
	o->reuse = sk->sk_reuse != SK_NO_REUSE;
	o->is_tw = false;
	o->v6only = sk->sk_ipv6only;
	o->bound_dev_if = sk->sk_bound_dev_if;
	write_pnet(&o->net, sock_net(sk));
}

/**
 * mytcp_get_port - take a local port for a socket (struct proto::get_port)
 * @sk: the socket, locked
 * @snum: the port asked for, or 0 for an ephemeral one
 *
 * An ephemeral port is taken from net.ipv4.ip_local_port_range, starting at
 * a random offset, among ports nobody in the namespace holds.  A socket that
 * already holds its port (listen() after bind()) is checked again, now as a
 * listener.
 *
 * Return: 0, or -EADDRINUSE when the port is in use or no ephemeral port
 * is free (inet_bind() passes it on; connect() reports EADDRNOTAVAIL).
 */
int mytcp_get_port(struct sock *sk, unsigned short snum)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct net *net = sock_net(sk);
	struct mytcp_bucket *b;
	int low, high, range, i;
	u32 offset;

	mytcp_owner_fill(sk, &msk->owner);
	if (!hlist_unhashed(&msk->owner.node)) {
		/* re-check of a held port, as listen() does */
		bool busy;

		b = mytcp_port_bucket(&mytcp_bhash, net, msk->owner.port);
		spin_lock_bh(&b->lock);
		busy = mytcp_port_conflict(b, net, msk->owner.port, &msk->owner);
		spin_unlock_bh(&b->lock);
		return busy ? -EADDRINUSE : 0;
	}

	if (snum) {
		b = mytcp_port_bucket(&mytcp_bhash, net, snum);
		spin_lock_bh(&b->lock);
		if (mytcp_port_conflict(b, net, snum, &msk->owner)) {
			spin_unlock_bh(&b->lock);
			return -EADDRINUSE;
		}
		goto take;
	}

	inet_get_local_port_range(net, &low, &high);
	range = high - low + 1;
	offset = get_random_u32_below(range);
	for (i = 0; i < range; i++) {
		snum = low + (offset + i) % range;
		if (inet_is_local_reserved_port(net, snum))
			continue;
		b = mytcp_port_bucket(&mytcp_bhash, net, snum);
		spin_lock_bh(&b->lock);
		if (!mytcp_port_in_use(b, net, snum))
			goto take;
		spin_unlock_bh(&b->lock);
	}
	return -EADDRINUSE;

take:
	msk->owner.port = snum;
	hlist_add_head(&msk->owner.node, &b->chain);
	spin_unlock_bh(&b->lock);
	inet_sk(sk)->inet_num = snum;
	return 0;
}

/**
 * mytcp_put_port - give a socket's port back
 * @sk: the socket
 */
void mytcp_put_port(struct sock *sk)
{
	mytcp_port_owner_del(&mytcp_sk(sk)->owner);
	inet_sk(sk)->inet_num = 0;
}

/* ---- connections ---- */

static bool mytcp_sk_match(const struct sock *sk, const struct net *net,
			   const struct in6_addr *laddr, __be16 lport,
			   const struct in6_addr *raddr, __be16 rport)
{
	const struct inet_sock *inet = inet_sk(sk);
	struct in6_addr l, r;

	if (inet->inet_sport != lport || inet->inet_dport != rport ||
	    !net_eq(sock_net(sk), net))
		return false;
	mytcp_sk_laddr(sk, &l);
	mytcp_sk_raddr(sk, &r);
	return ipv6_addr_equal(&l, laddr) && ipv6_addr_equal(&r, raddr);
}

static bool mytcp_tw_match(const struct mytcp_tw *tw, const struct net *net,
			   const struct in6_addr *laddr, __be16 lport,
			   const struct in6_addr *raddr, __be16 rport)
{
	return ipv6_addr_equal(&tw->laddr, laddr) && tw->lport == lport &&
	       ipv6_addr_equal(&tw->raddr, raddr) && tw->rport == rport &&
	       net_eq(read_pnet(&tw->owner.net), net);
}

/**
 * mytcp_ehash_insert - link a connected socket by its 4-tuple
 * @sk: the socket; its addresses and ports are set
 *
 * The 4-tuple must be unique among connections and TIME_WAIT entries.
 *
 * Return: 0, or -EADDRNOTAVAIL when it is taken.
 */
int mytcp_ehash_insert(struct sock *sk)
{
	const struct inet_sock *inet = inet_sk(sk);
	struct net *net = sock_net(sk);
	struct mytcp_nulls_bucket *b, *twb;
	struct hlist_nulls_node *node;
	struct mytcp_sock *other;
	struct in6_addr l, r;
	struct mytcp_tw *tw;
	int err = 0;

	mytcp_sk_laddr(sk, &l);
	mytcp_sk_raddr(sk, &r);
	b = mytcp_tuple_bucket(&mytcp_ehash, net, &l, inet->inet_sport, &r,
			       inet->inet_dport);
	twb = mytcp_tuple_bucket(&mytcp_twhash, net, &l, inet->inet_sport, &r,
				 inet->inet_dport);
	spin_lock_bh(&b->lock);
	hlist_nulls_for_each_entry(other, node, &b->chain, ehash_node) {
		if (mytcp_sk_match(&other->inet.sk, net, &l, inet->inet_sport,
				   &r, inet->inet_dport)) {
			err = -EADDRNOTAVAIL;
			goto out;
		}
	}
	rcu_read_lock();
	hlist_nulls_for_each_entry_rcu(tw, node, &twb->chain, hash_node) {
		if (mytcp_tw_match(tw, net, &l, inet->inet_sport, &r,
				   inet->inet_dport)) {
			err = -EADDRNOTAVAIL;
			break;
		}
	}
	rcu_read_unlock();
	if (err)
		goto out;
	sock_hold(sk);
	hlist_nulls_add_head_rcu(&mytcp_sk(sk)->ehash_node, &b->chain);
out:
	spin_unlock_bh(&b->lock);
	return err;
}

/**
 * mytcp_ehash_remove - unlink a socket from the connection table, if linked
 * @sk: the socket
 */
void mytcp_ehash_remove(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	const struct inet_sock *inet = inet_sk(sk);
	struct mytcp_nulls_bucket *b;
	struct in6_addr l, r;

	if (hlist_nulls_unhashed(&msk->ehash_node))
		return;
	mytcp_sk_laddr(sk, &l);
	mytcp_sk_raddr(sk, &r);
	b = mytcp_tuple_bucket(&mytcp_ehash, sock_net(sk), &l,
			       inet->inet_sport, &r, inet->inet_dport);
	spin_lock_bh(&b->lock);
	hlist_nulls_del_init_rcu(&msk->ehash_node);
	spin_unlock_bh(&b->lock);
	__sock_put(sk);
}

/**
 * mytcp_lookup_established - find the socket of a 4-tuple
 * @net: namespace
 * @laddr: local address (v4-mapped for IPv4)
 * @lport: local port
 * @raddr: remote address (v4-mapped for IPv4)
 * @rport: remote port
 *
 * Return: the socket with a reference held, or NULL.
 */
struct sock *mytcp_lookup_established(struct net *net,
				      const struct in6_addr *laddr,
				      __be16 lport,
				      const struct in6_addr *raddr,
				      __be16 rport)
{
	unsigned int slot = mytcp_tuple_slot(&mytcp_ehash, net, laddr, lport,
					     raddr, rport);
	struct mytcp_nulls_bucket *b = &mytcp_ehash.buckets[slot];
	struct hlist_nulls_node *node;
	struct mytcp_sock *msk;
	struct sock *found = NULL;

	rcu_read_lock();
begin:
	hlist_nulls_for_each_entry_rcu(msk, node, &b->chain, ehash_node) {
		struct sock *sk = &msk->inet.sk;

		if (!mytcp_sk_match(sk, net, laddr, lport, raddr, rport) ||
		    !refcount_inc_not_zero(&sk->sk_refcnt))
			continue;
		/* it may have taken another 4-tuple before our reference */
		if (unlikely(!mytcp_sk_match(sk, net, laddr, lport, raddr,
					     rport))) {
			sock_put(sk);
			goto begin;
		}
		found = sk;
		goto out;
	}
	/* a socket that moved took us into another chain: walk again */
	if (get_nulls_value(node) != slot)
		goto begin;
out:
	rcu_read_unlock();
	return found;
}

/* ---- listeners ---- */

/* How well a listener fits a segment for @laddr on @dif: -1 not at all. */
static int mytcp_listener_score(const struct sock *sk,
				const struct in6_addr *laddr, int dif)
{
	bool seg4 = mytcp_addr_is4(laddr);
	struct in6_addr rcv;
	int score = 1;

	mytcp_sk_laddr(sk, &rcv);
	if (mytcp_addr_is4(&rcv)) {
		/* an AF_INET socket, or AF_INET6 bound to a v4-mapped one */
		if (!seg4)
			return -1;
		if (mytcp_addr4(&rcv)) {
			if (!ipv6_addr_equal(&rcv, laddr))
				return -1;
			score++;
		}
	} else if (ipv6_addr_any(&rcv)) {
		/* IPV6_V6ONLY (RFC 3493 section 5.3): no IPv4 connections */
		if (seg4 && sk->sk_ipv6only)
			return -1;
	} else {
		if (!ipv6_addr_equal(&rcv, laddr))
			return -1;
		score++;
	}
	if (sk->sk_bound_dev_if) {
		if (sk->sk_bound_dev_if != dif)
			return -1;
		score++;
	}
	return score * 2 + (sk->sk_family == (seg4 ? AF_INET : AF_INET6));
}

/**
 * mytcp_lhash_insert - link a listening socket by its port
 * @sk: the socket, its port held
 */
void mytcp_lhash_insert(struct sock *sk)
{
	struct mytcp_bucket *b = mytcp_port_bucket(&mytcp_lhash, sock_net(sk),
						   inet_sk(sk)->inet_num);

	spin_lock_bh(&b->lock);
	sock_hold(sk);
	hlist_add_head_rcu(&mytcp_sk(sk)->lhash_node, &b->chain);
	spin_unlock_bh(&b->lock);
}

/**
 * mytcp_lhash_remove - unlink a listener, if linked
 * @sk: the socket
 */
void mytcp_lhash_remove(struct sock *sk)
{
	struct mytcp_sock *msk = mytcp_sk(sk);
	struct mytcp_bucket *b;

	if (hlist_unhashed(&msk->lhash_node))
		return;
	b = mytcp_port_bucket(&mytcp_lhash, sock_net(sk), inet_sk(sk)->inet_num);
	spin_lock_bh(&b->lock);
	hlist_del_init_rcu(&msk->lhash_node);
	spin_unlock_bh(&b->lock);
	__sock_put(sk);
}

/**
 * mytcp_lookup_listener - find the listener for a local address and port
 * @net: namespace
 * @laddr: local address of the segment (v4-mapped for IPv4)
 * @lport: local port of the segment
 * @dif: interface the segment arrived on
 *
 * A listener bound to @laddr is preferred over a wildcard one, and one
 * bound to the segment's device over one that is not; between equals, an
 * IPv4 segment prefers an AF_INET socket to an AF_INET6 one that takes
 * IPv4 too (as Linux's TCP scores them).
 *
 * Return: the socket with a reference held, or NULL.
 */
struct sock *mytcp_lookup_listener(struct net *net,
				   const struct in6_addr *laddr,
				   __be16 lport, int dif)
{
	u16 port = ntohs(lport);
	struct mytcp_bucket *b = mytcp_port_bucket(&mytcp_lhash, net, port);
	struct sock *best = NULL;
	struct mytcp_sock *msk;
	int best_score = 0;

	rcu_read_lock();
	hlist_for_each_entry_rcu(msk, &b->chain, lhash_node) {
		struct sock *sk = &msk->inet.sk;
		int score;

		if (inet_sk(sk)->inet_num != port || !net_eq(sock_net(sk), net))
			continue;
		score = mytcp_listener_score(sk, laddr, dif);
		if (score < 0)
			continue;
		if (score > best_score) {
			best = sk;
			best_score = score;
		}
	}
	if (best && !refcount_inc_not_zero(&best->sk_refcnt))
		best = NULL;
	rcu_read_unlock();
	return best;
}

/* ---- TIME_WAIT entries ---- */

/**
 * mytcp_tw_hash_insert - link a TIME_WAIT entry; the table owns one ref
 * @net: namespace
 * @tw: the entry, with its 4-tuple set
 */
void mytcp_tw_hash_insert(struct net *net, struct mytcp_tw *tw)
{
	struct mytcp_nulls_bucket *b = mytcp_tuple_bucket(&mytcp_twhash, net,
							  &tw->laddr, tw->lport,
							  &tw->raddr, tw->rport);

	spin_lock_bh(&b->lock);
	hlist_nulls_add_head_rcu(&tw->hash_node, &b->chain);
	spin_unlock_bh(&b->lock);
}

/**
 * mytcp_tw_hash_remove - unlink a TIME_WAIT entry
 * @tw: the entry
 *
 * Return: true if this call unlinked it (and so now owns the table's
 * reference), false if it was already gone.
 */
bool mytcp_tw_hash_remove(struct mytcp_tw *tw)
{
	struct mytcp_nulls_bucket *b;
	bool was_linked = false;

	b = mytcp_tuple_bucket(&mytcp_twhash, read_pnet(&tw->owner.net),
			       &tw->laddr, tw->lport, &tw->raddr, tw->rport);
	spin_lock_bh(&b->lock);
	if (!hlist_nulls_unhashed(&tw->hash_node)) {
		hlist_nulls_del_init_rcu(&tw->hash_node);
		was_linked = true;
	}
	spin_unlock_bh(&b->lock);
	return was_linked;
}

/**
 * mytcp_tw_slot - the TIME_WAIT table bucket of a 4-tuple
 * @net: namespace
 * @laddr: local address
 * @lport: local port
 * @raddr: remote address
 * @rport: remote port
 *
 * Return: the bucket's index, for mytcp_tw_walk().
 */
unsigned int mytcp_tw_slot(const struct net *net, const struct in6_addr *laddr,
			   __be16 lport, const struct in6_addr *raddr,
			   __be16 rport)
{
	return mytcp_tuple_slot(&mytcp_twhash, net, laddr, lport, raddr, rport);
}

/**
 * mytcp_tw_walk - find a TIME_WAIT entry, walking a chain from a node
 * @net: namespace
 * @slot: the bucket of the 4-tuple (mytcp_tw_slot())
 * @from: where to start: the first node of the bucket for a lookup, or
 *	NULL for the same; a test passes a node to stand for a reader that
 *	stopped there while the entry moved
 * @laddr: local address
 * @lport: local port
 * @raddr: remote address
 * @rport: remote port
 *
 * Under rcu_read_lock().  A walk that ends at another bucket's nulls
 * marker was led astray by a moving entry and starts again at the head.
 *
 * Return: the entry with a reference held (mytcp_tw_put() it), or NULL.
 */
struct mytcp_tw *mytcp_tw_walk(struct net *net, unsigned int slot,
			       struct hlist_nulls_node *from,
			       const struct in6_addr *laddr, __be16 lport,
			       const struct in6_addr *raddr, __be16 rport)
{
	struct hlist_nulls_head *head = &mytcp_twhash.buckets[slot].chain;
	struct hlist_nulls_node *node = from;
	struct mytcp_tw *tw;

	if (!node)
		node = rcu_dereference(hlist_nulls_first_rcu(head));
	for (;;) {
		while (!is_a_nulls(node)) {
			tw = hlist_nulls_entry(node, struct mytcp_tw, hash_node);
			node = rcu_dereference(hlist_nulls_next_rcu(node));
			if (!mytcp_tw_match(tw, net, laddr, lport, raddr,
					    rport) ||
			    !refcount_inc_not_zero(&tw->refcnt))
				continue;
			if (likely(mytcp_tw_match(tw, net, laddr, lport, raddr,
						  rport)))
				return tw;
			/* it changed before our reference: walk again */
			mytcp_tw_put(tw);
			node = rcu_dereference(hlist_nulls_first_rcu(head));
		}
		if (get_nulls_value(node) == slot)
			return NULL;
		/* led into another chain by an entry that moved: again */
		node = rcu_dereference(hlist_nulls_first_rcu(head));
	}
}

/**
 * mytcp_lookup_tw - find the TIME_WAIT entry of a 4-tuple
 * @net: namespace
 * @laddr: local address
 * @lport: local port
 * @raddr: remote address
 * @rport: remote port
 *
 * Return: the entry with a reference held (mytcp_tw_put() it), or NULL.
 */
struct mytcp_tw *mytcp_lookup_tw(struct net *net, const struct in6_addr *laddr,
				 __be16 lport, const struct in6_addr *raddr,
				 __be16 rport)
{
	struct mytcp_tw *found;

	rcu_read_lock();
	found = mytcp_tw_walk(net, mytcp_tw_slot(net, laddr, lport, raddr,
						 rport),
			      NULL, laddr, lport, raddr, rport);
	rcu_read_unlock();
	return found;
}

/**
 * mytcp_conn_state - the state of a 4-tuple, for tests and tools
 * @net: namespace
 * @laddr: local address
 * @lport: local port
 * @raddr: remote address
 * @rport: remote port
 *
 * Return: the socket's state, TCP_TIME_WAIT for a TIME_WAIT entry, or
 * TCP_CLOSE when the tables know no such connection.
 */
int mytcp_conn_state(struct net *net, const struct in6_addr *laddr,
		     __be16 lport, const struct in6_addr *raddr, __be16 rport)
{
	struct mytcp_tw *tw;
	struct sock *sk;
	int state;

	sk = mytcp_lookup_established(net, laddr, lport, raddr, rport);
	if (sk) {
		state = READ_ONCE(sk->sk_state);
		sock_put(sk);
		return state;
	}
	tw = mytcp_lookup_tw(net, laddr, lport, raddr, rport);
	if (tw) {
		mytcp_tw_put(tw);
		return TCP_TIME_WAIT;
	}
	return TCP_CLOSE;
}

/**
 * mytcp_tw_purge_net - end every TIME_WAIT entry of a namespace
 * @net: the namespace going away (or every one, at module unload)
 *
 * Runs in process context after input has stopped for @net.  Each entry is
 * found under RCU, its timer stopped, and then whoever unlinks it drops the
 * table's reference: the timer if it ran first, this function otherwise.
 */
void mytcp_tw_purge_net(struct net *net)
{
	unsigned int i;

	for (i = 0; i <= mytcp_twhash.mask; i++) {
		struct mytcp_nulls_bucket *b = &mytcp_twhash.buckets[i];
		struct hlist_nulls_node *node;
		struct mytcp_tw *tw;

again:
		rcu_read_lock();
		hlist_nulls_for_each_entry_rcu(tw, node, &b->chain, hash_node) {
			if (!net_eq(read_pnet(&tw->owner.net), net) ||
			    !refcount_inc_not_zero(&tw->refcnt))
				continue;
			rcu_read_unlock();
			mytcp_tw_kill(tw);
			mytcp_tw_put(tw);
			goto again;
		}
		rcu_read_unlock();
	}
}

/**
 * mytcp_tables_walk - visit every socket and TIME_WAIT entry of @net
 * @net: namespace
 * @sk_fn: called for each socket (listeners first), with a reference held
 * @tw_fn: called for each TIME_WAIT entry, with a reference held; or NULL
 * @arg: passed to both
 *
 * For /proc: the callbacks run under RCU and must not sleep.
 */
void mytcp_tables_walk(struct net *net, mytcp_walk_sk_fn sk_fn,
		       mytcp_walk_tw_fn tw_fn, void *arg)
{
	struct hlist_nulls_node *node;
	struct mytcp_sock *msk;
	struct mytcp_tw *tw;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i <= mytcp_lhash.mask; i++) {
		hlist_for_each_entry_rcu(msk, &mytcp_lhash.buckets[i].chain,
					 lhash_node) {
			struct sock *sk = &msk->inet.sk;

			if (net_eq(sock_net(sk), net) &&
			    refcount_inc_not_zero(&sk->sk_refcnt)) {
				sk_fn(sk, arg);
				sock_put(sk);
			}
		}
	}
	for (i = 0; i <= mytcp_ehash.mask; i++) {
		hlist_nulls_for_each_entry_rcu(msk, node,
					       &mytcp_ehash.buckets[i].chain,
					       ehash_node) {
			struct sock *sk = &msk->inet.sk;

			if (net_eq(sock_net(sk), net) &&
			    refcount_inc_not_zero(&sk->sk_refcnt)) {
				sk_fn(sk, arg);
				sock_put(sk);
			}
		}
	}
	for (i = 0; tw_fn && i <= mytcp_twhash.mask; i++) {
		hlist_nulls_for_each_entry_rcu(tw, node,
					       &mytcp_twhash.buckets[i].chain,
					       hash_node) {
			if (net_eq(read_pnet(&tw->owner.net), net) &&
			    refcount_inc_not_zero(&tw->refcnt)) {
				tw_fn(tw, arg);
				mytcp_tw_put(tw);
			}
		}
	}
	rcu_read_unlock();
}
