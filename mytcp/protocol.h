/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp: the connection structures and the interfaces between the stages.
 *
 * Layering (no circles): seq.h, header.c, rules.c, state.c and isn.c are
 * the ground floor and know nothing of sockets.  table.c (lookup tables),
 * output.c (building and sending segments), input.c (the receive path),
 * timer.c, timewait.c, listen.c and sock.c stand on it; main.c registers
 * the lot.  output.c never calls into input.c; the timers reach output
 * only through the functions declared here.
 */
#ifndef _MYTCP_PROTOCOL_H
#define _MYTCP_PROTOCOL_H

#include <linux/list.h>
#include <linux/list_nulls.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/net_namespace.h>
#include <net/sock.h>

#include <uapi/linux/mytcp.h>
#include "cong.h"
#include "header.h"
#include "rcvpolicy.h"
#include "rules.h"
#include "seq.h"
#include "state.h"
#include "tstamp.h"

/* Room for link, IP and our largest header in front of the data. */
#define MYTCP_MAX_HEADER	(MAX_HEADER + sizeof(struct iphdr) + MYTCP_HDR_MAX)
#define MYTCP_RCV_WSCALE	7	/* our window scale: windows up to 8 MiB */
#define MYTCP_INIT_CWND		10	/* segments, RFC 6928 */
/* data in one GSO send skb: below 64 KiB, so that IPv4's tot_len holds it */
#define MYTCP_GSO_MAX_DATA	(64 * 1024 - MYTCP_MAX_HEADER)
#define MYTCP_RTO_INIT_US	(1000 * USEC_PER_MSEC)	/* RFC 6298 2.1 */
/* a SYN cookie is good in its 64-second period and the next (isn.c) */
#define MYTCP_COOKIE_LIFE_SECS	128
#define MYTCP_LISTEN_TICK	(HZ / 5)	/* SYN queue scan period */
/* at most one ACK per this for unacceptable bare segments (output.c) */
#define MYTCP_OOW_ACK_MS	500

/*
 * Addresses (Documentation/design.md, "IPv6"): the tables, requests,
 * TIME_WAIT entries and tracepoints keep every address as a struct
 * in6_addr, an IPv4 one in its v4-mapped form ::ffff:a.b.c.d (RFC 4291
 * section 2.5.5.2).  So one key type serves both families, and the form
 * of an address says which one it is: ::ffff:0.0.0.0 is the IPv4
 * wildcard, :: the IPv6 one.
 */
static inline void mytcp_addr_set4(struct in6_addr *a, __be32 v4)
{
	ipv6_addr_set_v4mapped(v4, a);
}

static inline bool mytcp_addr_is4(const struct in6_addr *a)
{
	return ipv6_addr_v4mapped(a);
}

static inline __be32 mytcp_addr4(const struct in6_addr *a)
{
	return a->s6_addr32[3];
}

/* an IPv4 or IPv6 wildcard: bound to no address */
static inline bool mytcp_addr_any(const struct in6_addr *a)
{
	return ipv6_addr_any(a) || (mytcp_addr_is4(a) && !mytcp_addr4(a));
}

/**
 * mytcp_sk_v6 - does a socket speak IPv6 on the wire?
 * @sk: the socket
 *
 * Return: true for an AF_INET6 socket whose peer (if any) is not an IPv4
 * address; false for an AF_INET socket and for an AF_INET6 one connected
 * to a v4-mapped address, which uses the IPv4 path as TCP's does.
 */
static inline bool mytcp_sk_v6(const struct sock *sk)
{
#if IS_ENABLED(CONFIG_IPV6)
	return sk->sk_family == AF_INET6 &&
	       !ipv6_addr_v4mapped(&sk->sk_v6_daddr);
#else
	return false;
#endif
}

/* The bound local address of a socket (inet_rcv_saddr), as a table key. */
static inline void mytcp_sk_laddr(const struct sock *sk, struct in6_addr *a)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		*a = sk->sk_v6_rcv_saddr;
		return;
	}
#endif
	mytcp_addr_set4(a, inet_sk(sk)->inet_rcv_saddr);
}

/* The peer's address of a socket (inet_daddr), as a table key. */
static inline void mytcp_sk_raddr(const struct sock *sk, struct in6_addr *a)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (sk->sk_family == AF_INET6) {
		*a = sk->sk_v6_daddr;
		return;
	}
#endif
	mytcp_addr_set4(a, inet_sk(sk)->inet_daddr);
}

/* The source address a socket's segments carry (inet_saddr). */
static inline void mytcp_sk_saddr(const struct sock *sk, struct in6_addr *a)
{
#if IS_ENABLED(CONFIG_IPV6)
	if (mytcp_sk_v6(sk)) {
		*a = inet6_sk(sk)->saddr;
		return;
	}
#endif
	mytcp_addr_set4(a, inet_sk(sk)->inet_saddr);
}

/* The addresses of a received segment: IPv4 ones v4-mapped. */
static inline void mytcp_skb_addrs(const struct sk_buff *skb,
				   struct in6_addr *saddr,
				   struct in6_addr *daddr)
{
	if (ip_hdr(skb)->version == 6) {
		*saddr = ipv6_hdr(skb)->saddr;
		*daddr = ipv6_hdr(skb)->daddr;
	} else {
		mytcp_addr_set4(saddr, ip_hdr(skb)->saddr);
		mytcp_addr_set4(daddr, ip_hdr(skb)->daddr);
	}
}

/**
 * struct mytcp_port_owner - one user of a local port, in the bind table
 * @node: link in the bind table bucket of @port
 * @net: network namespace
 * @rcv_saddr: bound local address (v4-mapped for IPv4), a wildcard for any
 * @port: local port, host order
 * @reuse: SO_REUSEADDR was set
 * @is_tw: the owner is a TIME_WAIT entry, not a socket
 * @v6only: an IPv6 wildcard that does not take IPv4 (IPV6_V6ONLY)
 * @bound_dev_if: SO_BINDTODEVICE interface, 0 for any
 */
struct mytcp_port_owner {
	struct hlist_node node;
	possible_net_t net;
	struct in6_addr rcv_saddr;
	u16 port;
	bool reuse;
	bool is_tw;
	bool v6only;
	int bound_dev_if;
};

/**
 * struct mytcp_skb_cb - our per-skb control block, in skb->cb
 * @seq: SEG.SEQ (for data skbs in the receive queue: the first data byte)
 * @end_seq: SEG.SEQ + SEG.LEN
 * @ack: SEG.ACK
 * @wnd: SEG.WND as received, before scaling
 * @flags: TCPHDR_* flags
 * @iif: interface a received segment came in on (IPv6 keeps it in skb->cb,
 *	which this block overwrites)
 * @sacked_retrans: a send skb that has been retransmitted (Karn's rule)
 * @sent_us: when a send skb was last transmitted, for RTT samples
 * @opts: options of a received SYN
 */
struct mytcp_skb_cb {
	u32 seq;
	u32 end_seq;
	u32 ack;
	u16 wnd;
	u8 flags;
	u8 sacked_retrans;
	int iif;
	u64 sent_us;
	struct mytcp_opts opts;
};

#define MYTCP_SKB_CB(skb) ((struct mytcp_skb_cb *)&((skb)->cb[0]))

/**
 * struct mytcp_request - a half-open connection in a listener's SYN queue
 * @node: link in the listener's SYN queue
 * @laddr: local address (v4-mapped for IPv4)
 * @raddr: remote address (v4-mapped for IPv4)
 * @lport: local port
 * @rport: remote port
 * @iss: our initial sequence number (the SYN+ACK's SEG.SEQ)
 * @irs: the peer's initial sequence number
 * @snd_wnd: window of the SYN, unscaled (RFC 7323: SYNs are never scaled)
 * @mss: MSS the peer announced
 * @snd_wscale: the peer's window scale, if @wscale_ok
 * @wscale_ok: both ends announced window scaling
 * @retries: SYN+ACK retransmissions so far
 * @expires: jiffies at which the SYN+ACK is sent again
 * @dif: interface its SYN+ACK and ACKs are routed by, or 0: the
 *	listener's device, or the VRF the SYN came through (mytcp_reply_oif())
 * @mark: fwmark they are routed by and carry: the listener's SO_MARK
 * @advmss: MSS we announce, from the interface's MTU
 * @synack_us: mytcp_clock_us() when the SYN+ACK went out, U64_MAX once it
 *	went out twice (Karn's rule: no RTT sample), 0 before
 * @ts_ok: both ends offered timestamps (RFC 7323 section 3.2); never for a
 *	SYN cookie's request
 * @ts_recent: the SYN's TSval, TS.Recent of the connection to be
 * @ts_offset: the offset of our TSvals (mytcp_ts_offset())
 *
 * Small on purpose: a full socket is made only when the handshake
 * completes (DESIGN.md section 3).  Owned by the listener, under its lock.
 */
struct mytcp_request {
	struct list_head node;
	struct in6_addr laddr;
	struct in6_addr raddr;
	__be16 lport;
	__be16 rport;
	u32 iss;
	u32 irs;
	u32 snd_wnd;
	u16 mss;
	u8 snd_wscale;
	bool wscale_ok;
	u8 retries;
	unsigned long expires;
	int dif;
	u32 mark;
	u16 advmss;
	u64 synack_us;
	bool ts_ok;
	u32 ts_recent;
	u32 ts_offset;
};

/**
 * struct mytcp_af_ops - what a socket does differently over IPv4 and IPv6
 * @queue_xmit: send one segment of the socket, its header filled in,
 *	through the socket's route (ip_queue_xmit(), inet6_csk_xmit())
 * @rebuild_header: look the socket's route up again
 * @net_header_len: length of the network header without options
 * @min_pmtu: the smallest path MTU honoured (RFC 791: 68; RFC 8200: 1280)
 *
 * Chosen when the socket is made (by its family) and again when an
 * AF_INET6 socket connects to, or is accepted from, an IPv4 peer: it then
 * takes the IPv4 ones, as TCP's ipv6_mapped operations.
 */
struct mytcp_af_ops {
	int (*queue_xmit)(struct sock *sk, struct sk_buff *skb);
	int (*rebuild_header)(struct sock *sk);
	u16 net_header_len;
	u16 min_pmtu;
};

/**
 * struct mytcp_sock - a mytcp connection or listener
 * @inet: the inet socket; must be first
 * @ehash_node: link in the connection table (4-tuple), when connected
 * @lhash_node: link in the listener table, when listening
 * @owner: entry in the bind table, when a port is held
 * @snd_una: SND.UNA, oldest unacknowledged (RFC 9293 section 3.3.1)
 * @snd_nxt: SND.NXT, next sequence number to send
 * @snd_max: highest sequence number sent; SND.NXT goes back to SND.UNA on
 *	a retransmission timeout, this does not
 * @snd_wnd: SND.WND, in bytes (already scaled)
 * @max_snd_wnd: the largest window the peer offered (RFC 5961 MAX.SND.WND)
 * @snd_wl1: SND.WL1, SEG.SEQ of the last window update
 * @snd_wl2: SND.WL2, SEG.ACK of the last window update
 * @iss: ISS
 * @rcv_nxt: RCV.NXT
 * @rcv_wup: RCV.NXT when the window was last advertised
 * @rcv_wnd: RCV.WND advertised then; the right edge is @rcv_wup + @rcv_wnd
 * @irs: IRS
 * @copied_seq: next sequence number the reader will copy
 * @write_seq: sequence number the next byte written by the user gets
 * @mss: largest segment payload we send
 * @advmss: MSS we announced
 * @user_mss: MYTCP_MAXSEG, 0 when unset
 * @snd_wscale: shift applied to the peer's windows
 * @rcv_wscale: shift applied to ours
 * @nodelay: MYTCP_NODELAY: no Nagle hold-back in mytcp_push()
 * @fin_queued: a FIN is in the write queue
 * @destroyed: mytcp_destroy_sock() has run
 * @orphan_counted: counted among the orphans (mytcp_orphan_check())
 * @ts_ok: timestamps (RFC 7323): in SYN-SENT, our SYN offers them; from
 *	the SYN,ACK on, both ends use them on every segment but RSTs
 * @ts_recent_set: @ts_recent holds a TSval of the peer
 * @send_head: first skb of the write queue not yet sent, or NULL
 * @ooo_queue: received segments beyond RCV.NXT, sorted by sequence number
 * @rtx_timer: retransmission and zero-window probe timer
 * @misc_timer: FIN_WAIT_2 timeout of an orphan, and keepalive
 * @delack_timer: delayed ACK (RFC 9293 section 3.8.6.3; output.c arms it in
 *	mytcp_ack_soon(), timer.c's handler sends the ACK)
 * @ack_pending: in-order segments received since our last ACK
 * @quickack: segments still to acknowledge one by one (quick-ACK mode, at
 *	the start and after out-of-order data; mytcp_quickack_budget())
 * @ack_why: enum mytcp_ack_why of the last in-order segment's ACK decision
 * @rcv_mss: the peer's full segment size as seen so far (for "every second
 *	full-sized segment"), at most @advmss
 * @delack_us: the delay the delayed-ACK timer was last armed with
 * @delayed_acks: ACKs the delayed-ACK timer sent
 * @drs_space: autotuning: the most the reader drained in one RTT
 * @drs_seq: autotuning: @copied_seq at the start of this measurement
 * @drs_us: autotuning: when this measurement started (mytcp_clock_us())
 * @keepalive_probes: keepalive probes sent without an answer
 * @rcv_tstamp: jiffies when the last segment arrived
 * @oow_ack_stamp: jiffies when we last answered an unacceptable bare
 *	segment, or a suspicious one (challenge ACK), with an ACK; 0 before
 *	the first
 * @backoff: retransmission timer expiries in a row
 * @rtt: RFC 6298 state
 * @cc: congestion control state (cwnd, ssthresh, recovery)
 * @ca_ops: the congestion control algorithm
 * @retrans_out: segments retransmitted, total
 * @bytes_acked: payload bytes acknowledged by the peer
 * @bytes_received: payload bytes received in order
 * @keepidle: keepalive idle time, seconds
 * @keepintvl: keepalive interval, seconds
 * @keepcnt: keepalive probes before giving up
 * @syn_queue: half-open connections (struct mytcp_request), listener only
 * @syn_qlen: length of @syn_queue
 * @accept_queue: established children not yet accepted, listener only
 * @accept_qlen: length of @accept_queue
 * @last_cookie: jiffies when this listener last sent a SYN cookie
 * @accept_node: a child's link in its listener's @accept_queue
 * @listen_timer: SYN+ACK retransmission for the SYN queue, listener only
 * @mtu_info: the MTU of the last ICMP "fragmentation needed" (icmp.c)
 * @deferred: MYTCP_DEFER_* work an ICMP left for release_sock(), when a
 *	process owned the socket (atomic bit operations: set in softirq)
 * @af_ops: the IPv4 or IPv6 operations, see struct mytcp_af_ops
 * @ts_offset: added to the millisecond clock in our TSvals: a keyed hash
 *	of the 4-tuple (RFC 7323 section 5.4, mytcp_ts_offset())
 * @ts_recent: TS.Recent (RFC 7323 section 4.3), the TSval our TSecr echoes
 * @ts_recent_stamp: mytcp_ts_now_s() when @ts_recent was last set (the
 *	24-day rule, RFC 7323 section 5.5)
 * @ts_last_sent: the TSval of the last segment we sent, for MYTCP_INFO
 *
 * Everything below @inet is protected by the socket lock: lock_sock() in
 * process context, bh_lock_sock() in softirq (DESIGN.md section 5).
 */
struct mytcp_sock {
	struct inet_sock inet;
	struct hlist_nulls_node ehash_node;
	struct hlist_node lhash_node;
	struct mytcp_port_owner owner;

	u32 snd_una;
	u32 snd_nxt;
	u32 snd_max;
	u32 snd_wnd;
	u32 max_snd_wnd;
	u32 snd_wl1;
	u32 snd_wl2;
	u32 iss;

	u32 rcv_nxt;
	u32 rcv_wup;
	u32 rcv_wnd;
	u32 irs;
	u32 copied_seq;
	u32 write_seq;

	u16 mss;
	u16 advmss;
	u16 user_mss;
	u8 snd_wscale;
	u8 rcv_wscale;
	u8 nodelay:1,
	   fin_queued:1,
	   destroyed:1,
	   orphan_counted:1,
	   ts_ok:1,
	   ts_recent_set:1;
	u8 experiments;

	struct sk_buff *send_head;
	struct sk_buff_head ooo_queue;

	struct timer_list rtx_timer;
	struct timer_list misc_timer;
	struct timer_list delack_timer;
	u8 ack_pending;
	u8 quickack;
	u8 ack_why;
	u16 rcv_mss;
	u32 delack_us;
	u32 delayed_acks;
	u32 drs_space;
	u32 drs_seq;
	u64 drs_us;
	u8 keepalive_probes;
	unsigned long rcv_tstamp;
	unsigned long oow_ack_stamp;
	u8 backoff;
	struct mytcp_rtt rtt;
	struct mytcp_cc cc;
	const struct mytcp_cong_ops *ca_ops;
	u32 retrans_out;
	u64 bytes_acked;
	u64 bytes_received;

	int keepidle;
	int keepintvl;
	int keepcnt;

	struct list_head syn_queue;
	unsigned int syn_qlen;
	struct list_head accept_queue;
	unsigned int accept_qlen;
	unsigned long last_cookie;
	struct list_head accept_node;
	struct timer_list listen_timer;

	u32 mtu_info;
	unsigned long deferred;
	const struct mytcp_af_ops *af_ops;
	u32 ts_offset;
	u32 ts_recent;
	u32 ts_recent_stamp;
	u32 ts_last_sent;
};

/**
 * struct mytcp6_sock - an AF_INET6 mytcp socket
 * @msk: the mytcp socket; must be first
 * @inet6: its IPv6 state; must be last (inet6_create() finds it at
 *	obj_size - sizeof(struct ipv6_pinfo))
 */
struct mytcp6_sock {
	struct mytcp_sock msk;
	struct ipv6_pinfo inet6;
};

/* bits of mytcp_sock.deferred: work for mytcp_release_cb() */
#define MYTCP_DEFER_MTU_REDUCED	0

static inline struct mytcp_sock *mytcp_sk(const struct sock *sk)
{
	return (struct mytcp_sock *)sk;
}

/**
 * struct mytcp_tw - a connection in TIME_WAIT: not a socket, ~150 bytes
 * @hash_node: link in the TIME_WAIT table (4-tuple)
 * @owner: entry in the bind table: the port stays taken
 * @laddr: local address (v4-mapped for IPv4)
 * @raddr: remote address (v4-mapped for IPv4)
 * @lport: local port
 * @rport: remote port
 * @family: the family of the socket it was (AF_INET or AF_INET6), for
 *	/proc/net/mytcp or mytcp6
 * @snd_nxt: our SND.NXT (after our FIN)
 * @rcv_nxt: our RCV.NXT (after the peer's FIN)
 * @rcv_wnd: window to announce in re-acknowledgments, unscaled
 * @mark: the socket's SO_MARK, for routing those (as TCP's tw_mark)
 * @expires: jiffies at which the entry goes
 * @refcnt: references: one from the table, one per lookup in progress
 * @timer: the 2*MSL timer; it owns the table's reference
 * @oow_ack_stamp: jiffies when we last answered a segment other than the
 *	peer's FIN with an ACK, 0 before the first (mytcp_oow_ack_allowed())
 * @ts_ok: the connection used timestamps: its ACKs carry them
 * @ts_offset: the connection's TSval offset
 * @ts_recent: its TS.Recent, echoed (not updated: no PAWS in TIME_WAIT)
 * @rcu: deferred free, for lookups under RCU
 */
struct mytcp_tw {
	struct hlist_nulls_node hash_node;
	struct mytcp_port_owner owner;
	struct in6_addr laddr;
	struct in6_addr raddr;
	__be16 lport;
	__be16 rport;
	u16 family;
	u32 snd_nxt;
	u32 rcv_nxt;
	u16 rcv_wnd;
	u32 mark;
	unsigned long expires;
	refcount_t refcnt;
	struct timer_list timer;
	unsigned long oow_ack_stamp;
	bool ts_ok;
	u32 ts_offset;
	u32 ts_recent;
	struct rcu_head rcu;
};

/**
 * enum mytcp_mib_field - per-namespace counters (/proc/net/mytcp_stat)
 */
enum mytcp_mib_field {
	MYTCP_MIB_ACTIVEOPENS,
	MYTCP_MIB_PASSIVEOPENS,
	MYTCP_MIB_ATTEMPTFAILS,
	MYTCP_MIB_ESTABRESETS,
	MYTCP_MIB_INSEGS,
	MYTCP_MIB_OUTSEGS,
	MYTCP_MIB_RETRANSSEGS,
	MYTCP_MIB_INERRS,
	MYTCP_MIB_OUTRSTS,
	MYTCP_MIB_INCSUMERRORS,
	MYTCP_MIB_TIMEWAITS,
	MYTCP_MIB_CHALLENGEACKS,
	MYTCP_MIB_CHALLENGEACKS_LIMITED,
	MYTCP_MIB_OOW_ACKS_LIMITED,
	MYTCP_MIB_CHALLENGEACKS_SKIPPED,
	MYTCP_MIB_WINPROBES,
	MYTCP_MIB_SYNCOOKIES_SENT,
	MYTCP_MIB_SYNCOOKIES_RECV,
	MYTCP_MIB_SYNCOOKIES_FAILED,
	MYTCP_MIB_DROP_SHORT,
	MYTCP_MIB_DROP_BAD_DOFF,
	MYTCP_MIB_DROP_BAD_FLAGS,
	MYTCP_MIB_DROP_BAD_OPTIONS,
	MYTCP_MIB_DROP_NO_SOCKET,
	MYTCP_MIB_DROP_NOT_ACCEPTABLE,
	MYTCP_MIB_DROP_BACKLOG,
	MYTCP_MIB_DROP_SYN_QUEUE_FULL,
	MYTCP_MIB_DROP_ACCEPT_QUEUE_FULL,
	MYTCP_MIB_DROP_RCVBUF,
	MYTCP_MIB_DROP_MEMORY,
	MYTCP_MIB_MEMORY_PRESSURES,
	MYTCP_MIB_RCV_COLLAPSED,
	MYTCP_MIB_OFO_PRUNED,
	MYTCP_MIB_TW_OVERFLOW,
	MYTCP_MIB_TW_ACKS_LIMITED,
	MYTCP_MIB_ABORT_ON_MEMORY,
	MYTCP_MIB_DROP_POLICY,
	MYTCP_MIB_DROP_BAD_ADDR,
	MYTCP_MIB_DROP_OTHER,
	MYTCP_MIB_ICMP_BAD,
	MYTCP_MIB_ICMP_NO_SOCKET,
	MYTCP_MIB_ICMP_OUT_OF_WINDOW,
	MYTCP_MIB_ICMP_IGNORED,
	MYTCP_MIB_ICMP_FRAG_NEEDED,
	MYTCP_MIB_ICMP_DEFERRED,
	MYTCP_MIB_PMTU_UPDATES,
	MYTCP_MIB_ICMP_HARD_ERRORS,
	MYTCP_MIB_ICMP_SOFT_ERRORS,
	MYTCP_MIB_ICMP6_PKT_TOOBIG,
	MYTCP_MIB_ICMP6_PTB_BELOW_MIN,
	MYTCP_MIB_EXP_TWO_WAY_OPENS,
	MYTCP_MIB_EXP_TIME_WAIT_SKIPPED,
	MYTCP_MIB_OUT_GSO_SKBS,
	MYTCP_MIB_GSO_SEGMENTS,
	MYTCP_MIB_IN_GSO_SKBS,
	MYTCP_MIB_DELAYED_ACKS,
	MYTCP_MIB_RCVBUF_GROWN,
	MYTCP_MIB_PAWS_ESTAB_REJECTED,
	MYTCP_MIB_MAX
};

/**
 * struct mytcp_net - per-network-namespace state
 * @time_wait_ms: TIME_WAIT length, 2*MSL (default 60 s as in Linux)
 * @fin_timeout_ms: how long an orphaned FIN_WAIT_2 waits for the FIN
 * @syn_retries: SYN retransmissions before connect() fails
 * @synack_retries: SYN+ACK retransmissions before a request is dropped
 * @retries2: data retransmissions before the connection is dropped
 * @orphan_retries: the same for an orphan (closed by its program, still
 *	sending its data or FIN), if lower
 * @rto_min_ms: lower bound on the RTO
 * @rto_max_ms: upper bound on the RTO
 * @max_syn_backlog: upper bound on a listener's SYN queue
 * @rmem_default: receive buffer of a new socket without SO_RCVBUF
 * @wmem_default: send buffer of a new socket without SO_SNDBUF
 * @rmem_max: what receive buffer autotuning grows a buffer to at most
 * @syncookies: answer SYNs with cookies when a SYN queue is full
 * @challenge_ack_limit: challenge ACKs sent per second, at most (RFC 5961
 *	section 7)
 * @keepalive_time: idle seconds before the first keepalive probe, for a
 *	socket without TCP_KEEPIDLE
 * @keepalive_intvl: seconds between probes, without TCP_KEEPINTVL
 * @keepalive_probes: unanswered probes before the connection is dropped,
 *	without TCP_KEEPCNT
 * @timestamps: offer RFC 7323 timestamps in our SYNs, and accept a SYN's
 * @max_tw_buckets: TIME_WAIT entries at most; beyond, a connection closes
 *	without TIME_WAIT (TWOverflow), as TCP's tcp_max_tw_buckets
 * @tw_count: TIME_WAIT entries linked now
 * @challenge_second: the second @challenge_count counts in
 * @challenge_count: challenge ACKs still allowed in @challenge_second
 * @sysctl_hdr: the net.mytcp sysctl table of this namespace
 * @mib: counters, per CPU
 */
struct mytcp_net {
	int time_wait_ms;
	int fin_timeout_ms;
	int syn_retries;
	int synack_retries;
	int retries2;
	int orphan_retries;
	int rto_min_ms;
	int rto_max_ms;
	int max_syn_backlog;
	int rmem_default;
	int wmem_default;
	int rmem_max;
	int syncookies;
	int challenge_ack_limit;
	int keepalive_time;
	int keepalive_intvl;
	int keepalive_probes;
	int max_tw_buckets;
	int timestamps;
	atomic_t tw_count;
	int experiments;
	struct mytcp_cong_ops __rcu *cong_default;
	unsigned long challenge_second;
	atomic_t challenge_count;
	struct ctl_table_header *sysctl_hdr;
	unsigned long __percpu *mib;
};

struct mytcp_net *mytcp_pernet(const struct net *net);

static inline void mytcp_inc_stats(const struct net *net,
				   enum mytcp_mib_field f)
{
	this_cpu_inc(mytcp_pernet(net)->mib[f]);
}

static inline void mytcp_add_stats(const struct net *net,
				   enum mytcp_mib_field f, unsigned long n)
{
	this_cpu_add(mytcp_pernet(net)->mib[f], n);
}

unsigned long mytcp_read_stat(const struct net *net, enum mytcp_mib_field f);

#if IS_ENABLED(CONFIG_MYTCP_KUNIT_TEST)
extern bool mytcp_fault_child_insert;
#endif
const char *mytcp_mib_name(enum mytcp_mib_field f);

/* cong_ctl.c: the registry of congestion control algorithms */
int mytcp_cong_init(void);
void mytcp_cong_exit(void);
void mytcp_cong_net_init(struct net *net);
void mytcp_cong_net_exit(struct net *net);
int mytcp_sysctl_cong(struct ctl_table *ctl, int write, void *buffer,
		      size_t *lenp, loff_t *ppos);
int mytcp_sysctl_cong_available(struct ctl_table *ctl, int write,
				void *buffer, size_t *lenp, loff_t *ppos);

/* mem.c: the global memory pool (net.mytcp.mem) */
void mytcp_mem_setup_proto(struct proto *prot);
int mytcp_mem_init(void);
void mytcp_mem_exit(void);
void mytcp_mem_force(struct sock *sk, int size);
void mytcp_mem_sock_init(struct sock *sk);
void mytcp_mem_sock_exit(struct sock *sk);
bool mytcp_orphan_check(struct sock *sk);
void mytcp_orphan_gone(struct sock *sk);

/*
 * An skb joins or leaves the write queue: the socket's sk_wmem_queued
 * (bounded by SO_SNDBUF) and the pool (bounded by net.mytcp.mem) move
 * together.  The caller has scheduled the memory: sk_wmem_schedule(), or
 * mytcp_mem_force() for what cannot wait.
 */
static inline void mytcp_wqueue_charge(struct sock *sk, struct sk_buff *skb)
{
	sk_wmem_queued_add(sk, skb->truesize);
	sk_mem_charge(sk, skb->truesize);
}

static inline void mytcp_wqueue_uncharge(struct sock *sk, struct sk_buff *skb)
{
	sk_wmem_queued_add(sk, -skb->truesize);
	sk_mem_uncharge(sk, skb->truesize);
}

/*
 * The truesize of queued skbs changed by @delta (a split): the charge
 * follows, forced when it grows (mytcp_mem_force()).
 */
static inline void mytcp_wqueue_adjust(struct sock *sk, int delta)
{
	if (delta > 0)
		mytcp_mem_force(sk, delta);
	sk_wmem_queued_add(sk, delta);
	if (delta > 0)
		sk_mem_charge(sk, delta);
	else
		sk_mem_uncharge(sk, -delta);
}

/* table.c: connection, listener, TIME_WAIT and bind tables */
unsigned int mytcp_hash_size(unsigned long ram_pages, unsigned int asked);
unsigned int mytcp_tables_buckets(void);
int mytcp_tables_init(void);
void mytcp_tables_exit(void);
int mytcp_get_port(struct sock *sk, unsigned short snum);
int mytcp_bind_owner_add(struct net *net, struct mytcp_port_owner *o,
			 u16 port);
void mytcp_put_port(struct sock *sk);
void mytcp_port_owner_del(struct mytcp_port_owner *o);
int mytcp_ehash_insert(struct sock *sk);
void mytcp_ehash_remove(struct sock *sk);
void mytcp_lhash_insert(struct sock *sk);
void mytcp_lhash_remove(struct sock *sk);
void mytcp_tw_hash_insert(struct net *net, struct mytcp_tw *tw);
bool mytcp_tw_hash_remove(struct mytcp_tw *tw);
struct sock *mytcp_lookup_established(struct net *net,
				      const struct in6_addr *laddr,
				      __be16 lport,
				      const struct in6_addr *raddr,
				      __be16 rport);
struct mytcp_tw *mytcp_lookup_tw(struct net *net, const struct in6_addr *laddr,
				 __be16 lport, const struct in6_addr *raddr,
				 __be16 rport);
unsigned int mytcp_tw_slot(const struct net *net, const struct in6_addr *laddr,
			   __be16 lport, const struct in6_addr *raddr,
			   __be16 rport);
struct mytcp_tw *mytcp_tw_walk(struct net *net, unsigned int slot,
			       struct hlist_nulls_node *from,
			       const struct in6_addr *laddr, __be16 lport,
			       const struct in6_addr *raddr, __be16 rport);
struct sock *mytcp_lookup_listener(struct net *net,
				   const struct in6_addr *laddr,
				   __be16 lport, int dif);
int mytcp_conn_state(struct net *net, const struct in6_addr *laddr,
		     __be16 lport, const struct in6_addr *raddr, __be16 rport);
void mytcp_tw_purge_net(struct net *net);
typedef void (*mytcp_walk_sk_fn)(struct sock *sk, void *arg);
typedef void (*mytcp_walk_tw_fn)(struct mytcp_tw *tw, void *arg);
void mytcp_tables_walk(struct net *net, mytcp_walk_sk_fn sk_fn,
		       mytcp_walk_tw_fn tw_fn, void *arg);

/* output.c */
void mytcp_transmit_skb(struct sock *sk, struct sk_buff *skb, const char *why);
void mytcp_push(struct sock *sk);
unsigned int mytcp_size_goal(const struct sock *sk);
bool mytcp_can_gso(const struct sock *sk);
void mytcp_send_ack(struct sock *sk);
bool mytcp_oow_ack_allowed(unsigned long *stamp);
void mytcp_send_dupack(struct sock *sk, u32 seg_len);
bool mytcp_challenge_ack_allowed(struct net *net);
void mytcp_send_challenge_ack(struct sock *sk);
void mytcp_send_keepalive_probe(struct sock *sk);
void mytcp_ack_soon(struct sock *sk, bool now);
void mytcp_enter_quickack(struct sock *sk);
void mytcp_send_active_reset(struct sock *sk, gfp_t gfp);
int mytcp_reply_oif(struct net *net, const struct sk_buff *skb,
		    int bound_dev_if);
u32 mytcp_reply_mark(struct net *net, const struct sk_buff *skb, u32 sk_mark);
void mytcp_send_reset_reply(struct net *net, struct sk_buff *skb);
void mytcp_send_reset_reply_sk(const struct sock *sk, struct sk_buff *skb);
void mytcp_send_ack_reply(struct net *net, const struct in6_addr *saddr,
			  const struct in6_addr *daddr, __be16 sport,
			  __be16 dport, u32 seq, u32 ack, u16 wnd, u8 flags,
			  const struct mytcp_opts *opts, int oif, u32 mark);
int mytcp_queue_syn(struct sock *sk, u8 flags);
void mytcp_send_fin(struct sock *sk);
void mytcp_send_synack(struct sock *listener, struct mytcp_request *req);
void mytcp_req_ts_fill(const struct mytcp_request *req,
		       struct mytcp_opts *opts);
int mytcp_sendmsg(struct sock *sk, struct msghdr *msg, size_t size);
void mytcp_fill_header(const struct net *net, struct sk_buff *skb,
		       const struct in6_addr *saddr,
		       const struct in6_addr *daddr, __be16 sport,
		       __be16 dport, u32 seq, u32 ack, u8 flags, u16 wnd,
		       const struct mytcp_opts *opts);
int mytcp_split_skb(struct sock *sk, struct sk_buff *skb, u32 len);
u32 mytcp_xmit_cap(u32 len, u32 skb_len, u32 mss, u32 goal);
void mytcp_retransmit_head(struct sock *sk);
void mytcp_send_probe(struct sock *sk);
void mytcp_window_opened(struct sock *sk);
void mytcp_retransmit_una(struct sock *sk);
u32 mytcp_select_window(struct sock *sk);
bool mytcp_window_update_due(const struct sock *sk);
u32 mytcp_receive_space(const struct sock *sk);

/* offload.c: GSO for protocol 253 */
u32 mytcp_gso_goal(u32 mss, u32 gso_max_size, u32 gso_max_segs, bool can_gso);
void mytcp_gso_fix_header(struct tcphdr *th, u32 seq, bool last, u8 flags);
struct sk_buff *mytcp_gso_segment(struct sk_buff *skb,
				  netdev_features_t features);
int mytcp_offload_init(void);
void mytcp_offload_exit(void);

/* rmem.c: room in the receive buffer */
bool mytcp_skb_loose(u32 len, u32 truesize);
bool mytcp_skb_worth_copying(u32 len, u32 truesize);
unsigned int mytcp_collapse_queue(struct sock *sk, struct sk_buff_head *queue);
struct sk_buff *mytcp_compact_skb(struct sk_buff *skb);
void mytcp_drs_start(struct sock *sk);
void mytcp_rcvbuf_autotune(struct sock *sk);
bool mytcp_rmem_make_room(struct sock *sk, struct sk_buff **pskb,
			  enum mytcp_mib_field *why);

/* input.c */
int mytcp_v4_rcv(struct sk_buff *skb);
int mytcp_rcv(struct sk_buff *skb, struct net *net, int iif);
bool mytcp_policy_ok(struct sock *sk, struct sk_buff *skb);
int mytcp_do_rcv(struct sock *sk, struct sk_buff *skb);
void mytcp_rtt_measured(struct sock *sk, u64 rtt_us);
int mytcp_backlog_rcv(struct sock *sk, struct sk_buff *skb);
void mytcp_deliver(struct sock *sk, struct sk_buff *skb);
void mytcp_deliver_child(struct sock *child, struct sk_buff *skb);
void mytcp_drop(const struct net *net, const struct sk_buff *skb,
		enum mytcp_mib_field reason);

/* icmp.c: ICMP errors and path MTU */
int mytcp_v4_err(struct sk_buff *skb, u32 info);
void mytcp_icmp_error(struct sock *sk, int err, bool owned);
void mytcp_mtu_reduced(struct sock *sk);
void mytcp_release_cb(struct sock *sk);
u16 mytcp_path_advmss(struct net *net, const struct in6_addr *laddr,
		      const struct in6_addr *raddr, __be16 lport,
		      __be16 rport, int oif, u32 dev_mtu);

/* ipv6.c: the IPv6 side (Documentation/design.md, "IPv6") */
extern const struct mytcp_af_ops mytcp_ipv4_ops;
extern const struct mytcp_af_ops mytcp_ipv6_ops;
int mytcp_ipv6_init(void);
void mytcp_ipv6_exit(void);
void mytcp_v6_raw_xmit(struct net *net, struct sk_buff *skb,
		       const struct in6_addr *saddr,
		       const struct in6_addr *daddr, int oif, u32 mark);
u32 mytcp_v6_route_mtu(struct net *net, const struct in6_addr *laddr,
		       const struct in6_addr *raddr, __be16 lport,
		       __be16 rport, int oif);
void mytcp_v6_child_init(struct sock *child, const struct sock *listener,
			 const struct mytcp_request *req);
extern struct proto mytcpv6_prot;
extern const struct proto_ops mytcp6_stream_ops;
int mytcp_v6_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len);

/* listen.c */
int mytcp_listen_start(struct sock *sk, int backlog);
void mytcp_listen_stop(struct sock *sk);
void mytcp_listen_rcv(struct sock *sk, struct sk_buff *skb);
struct sock *mytcp_accept(struct sock *sk, int flags, int *err, bool kern);
void mytcp_listen_timer(struct timer_list *t);

/* sock.c: state changes and the end of a connection */
void mytcp_set_state(struct sock *sk, int state);
int mytcp_event(struct sock *sk, enum mytcp_event ev);
void mytcp_done(struct sock *sk);
void mytcp_reset(struct sock *sk);
void mytcp_destroy_sock(struct sock *sk);
int mytcp_init_sock(struct sock *sk);

/* sockopt.c */
int mytcp_setsockopt(struct sock *sk, int level, int optname,
		     sockptr_t optval, unsigned int optlen);
int mytcp_getsockopt(struct sock *sk, int level, int optname,
		     char __user *optval, int __user *optlen);
int mytcp_sk_setsockopt(struct sock *sk, int level, int optname,
			sockptr_t optval, unsigned int optlen);
int mytcp_sk_getsockopt(struct sock *sk, int level, int optname,
			char __user *optval, int __user *optlen);

int mytcp_connect_finish(struct sock *sk);
int mytcp_v4_connect(struct sock *sk, struct sockaddr *uaddr, int addr_len);
void mytcp_v6_set_mapped(struct sock *sk);
int mytcp_disconnect(struct sock *sk, int flags);
extern struct proto mytcp_prot;
extern const struct proto_ops mytcp_stream_ops;

/* timer.c */
void mytcp_init_timers(struct sock *sk);
void mytcp_stop_timers(struct sock *sk);
void mytcp_arm_rtx(struct sock *sk);
void mytcp_arm_fin_wait2(struct sock *sk);
void mytcp_arm_keepalive(struct sock *sk);
void mytcp_keepalive_idle_changed(struct sock *sk);
void mytcp_established(struct sock *sk);
u32 mytcp_current_rto_us(const struct sock *sk);
u32 mytcp_expired_rto_us(const struct sock *sk);
bool mytcp_persisting(const struct sock *sk);
u64 mytcp_clock_us(void);

/* timewait.c */
int mytcp_tw_init(void);
void mytcp_tw_exit(void);
void mytcp_time_wait(struct sock *sk);
bool mytcp_tw_rcv(struct mytcp_tw *tw, struct sk_buff *skb,
		  const struct sock *listener);
void mytcp_tw_put(struct mytcp_tw *tw);
void mytcp_tw_kill(struct mytcp_tw *tw);

/* proc.c, sysctl.c */
int mytcp_proc_init_net(struct net *net);
void mytcp_proc_exit_net(struct net *net);
int mytcp_sysctl_init_net(struct net *net);
void mytcp_sysctl_exit_net(struct net *net);

#endif /* _MYTCP_PROTOCOL_H */
