/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp tracepoints: every state change, segment in and out, retransmission,
 * drop and delayed ACK, under events/mytcp/ in tracefs.  `mytcp trace` reads them to
 * draw the ladder diagram of a connection.  Fields are flat (no structs) so
 * that trace-cmd and perf decode them from the format files.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM mytcp

#if !defined(_MYTCP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MYTCP_TRACE_H

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/tracepoint.h>

#ifndef MYTCP_TP_STORE_ADDR_ONCE
#define MYTCP_TP_STORE_ADDR_ONCE
#include <net/ipv6.h>
/*
 * An address (v4-mapped for IPv4) and port, kept as the sockaddr of their
 * family so that "%pISpc" prints 10.0.0.1:80 or [fd00::1]:80.
 */
static inline void mytcp_tp_store_addr(u8 *buf, const struct in6_addr *a,
				       __be16 port)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)buf;
	struct sockaddr_in *s4 = (struct sockaddr_in *)buf;

	memset(buf, 0, sizeof(struct sockaddr_in6));
	if (ipv6_addr_v4mapped(a)) {
		s4->sin_family = AF_INET;
		s4->sin_port = port;
		s4->sin_addr.s_addr = a->s6_addr32[3];
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = port;
		s6->sin6_addr = *a;
	}
}
#endif

#define mytcp_show_state(s)					\
	__print_symbolic(s,					\
			 { TCP_ESTABLISHED, "ESTABLISHED" },	\
			 { TCP_SYN_SENT, "SYN_SENT" },		\
			 { TCP_SYN_RECV, "SYN_RECV" },		\
			 { TCP_FIN_WAIT1, "FIN_WAIT1" },	\
			 { TCP_FIN_WAIT2, "FIN_WAIT2" },	\
			 { TCP_TIME_WAIT, "TIME_WAIT" },	\
			 { TCP_CLOSE, "CLOSE" },		\
			 { TCP_CLOSE_WAIT, "CLOSE_WAIT" },	\
			 { TCP_LAST_ACK, "LAST_ACK" },		\
			 { TCP_LISTEN, "LISTEN" },		\
			 { TCP_CLOSING, "CLOSING" })

#define mytcp_show_flags(f)					\
	__print_flags(f, "|",					\
		      { TCPHDR_FIN, "FIN" }, { TCPHDR_SYN, "SYN" },	\
		      { TCPHDR_RST, "RST" }, { TCPHDR_PSH, "PSH" },	\
		      { TCPHDR_ACK, "ACK" }, { TCPHDR_URG, "URG" },	\
		      { TCPHDR_ECE, "ECE" }, { TCPHDR_CWR, "CWR" })

/* A connection (or a listener's request entry) changes state. */
TRACE_EVENT(mytcp_state,
	    TP_PROTO(const struct net *net, const struct in6_addr *saddr, __be16 sport,
		     const struct in6_addr *daddr, __be16 dport, int oldstate, int newstate),
	    TP_ARGS(net, saddr, sport, daddr, dport, oldstate, newstate),
	    TP_STRUCT__entry(__field(__u32, netns)
			     __array(__u8, saddr, sizeof(struct sockaddr_in6))
			     __array(__u8, daddr, sizeof(struct sockaddr_in6))
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(int, oldstate)
			     __field(int, newstate)),
	    TP_fast_assign(__entry->netns = net->ns.inum;
			   mytcp_tp_store_addr(__entry->saddr, saddr, sport);
			   mytcp_tp_store_addr(__entry->daddr, daddr, dport);
			   __entry->sport = ntohs(sport);
			   __entry->dport = ntohs(dport);
			   __entry->oldstate = oldstate;
			   __entry->newstate = newstate),
	    TP_printk("netns=%u %pISpc %pISpc %s -> %s", __entry->netns,
		      __entry->saddr, __entry->daddr, mytcp_show_state(__entry->oldstate),
		      mytcp_show_state(__entry->newstate))
);

/* One segment, as sent or as received (header fields in host order). */
DECLARE_EVENT_CLASS(mytcp_segment_class,
		    TP_PROTO(const struct net *net, const struct in6_addr *saddr, __be16 sport,
			     const struct in6_addr *daddr, __be16 dport, u32 seq, u32 ack,
			     u8 flags, u16 window, u32 len),
		    TP_ARGS(net, saddr, sport, daddr, dport, seq, ack, flags,
			    window, len),
		    TP_STRUCT__entry(__field(__u32, netns)
				     __array(__u8, saddr, sizeof(struct sockaddr_in6))
				     __array(__u8, daddr, sizeof(struct sockaddr_in6))
				     __field(__u16, sport)
				     __field(__u16, dport)
				     __field(__u32, seq)
				     __field(__u32, ack)
				     __field(__u8, flags)
				     __field(__u16, window)
				     __field(__u32, len)),
		    TP_fast_assign(__entry->netns = net->ns.inum;
				   mytcp_tp_store_addr(__entry->saddr, saddr, sport);
				   mytcp_tp_store_addr(__entry->daddr, daddr, dport);
				   __entry->sport = ntohs(sport);
				   __entry->dport = ntohs(dport);
				   __entry->seq = seq;
				   __entry->ack = ack;
				   __entry->flags = flags;
				   __entry->window = window;
				   __entry->len = len),
		    TP_printk("netns=%u %pISpc %pISpc seq=%u ack=%u flags=%s win=%u len=%u",
			      __entry->netns, __entry->saddr,
			      __entry->daddr, __entry->seq,
			      __entry->ack, mytcp_show_flags(__entry->flags),
			      __entry->window, __entry->len)
);

DEFINE_EVENT(mytcp_segment_class, mytcp_segment_out,
	     TP_PROTO(const struct net *net, const struct in6_addr *saddr, __be16 sport,
		      const struct in6_addr *daddr, __be16 dport, u32 seq, u32 ack, u8 flags,
		      u16 window, u32 len),
	     TP_ARGS(net, saddr, sport, daddr, dport, seq, ack, flags, window,
		     len)
);

DEFINE_EVENT(mytcp_segment_class, mytcp_segment_in,
	     TP_PROTO(const struct net *net, const struct in6_addr *saddr, __be16 sport,
		      const struct in6_addr *daddr, __be16 dport, u32 seq, u32 ack, u8 flags,
		      u16 window, u32 len),
	     TP_ARGS(net, saddr, sport, daddr, dport, seq, ack, flags, window,
		     len)
);

/*
 * A segment goes out again: one of a connection's write queue ("timeout",
 * "fast"...), or a listener's SYN,ACK of a request ("timeout", "syn").
 * Addresses are given, as a request has no socket of its own.
 */
TRACE_EVENT(mytcp_retransmit,
	    TP_PROTO(const struct net *net, const struct in6_addr *saddr, __be16 sport,
		     const struct in6_addr *daddr, __be16 dport, u32 seq, u32 len,
		     const char *why, u32 rto_us),
	    TP_ARGS(net, saddr, sport, daddr, dport, seq, len, why, rto_us),
	    TP_STRUCT__entry(__field(__u32, netns)
			     __array(__u8, saddr, sizeof(struct sockaddr_in6))
			     __array(__u8, daddr, sizeof(struct sockaddr_in6))
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __field(__u32, seq)
			     __field(__u32, len)
			     __string(why, why)
			     __field(__u32, rto_us)),
	    TP_fast_assign(__entry->netns = net->ns.inum;
			   mytcp_tp_store_addr(__entry->saddr, saddr, sport);
			   mytcp_tp_store_addr(__entry->daddr, daddr, dport);
			   __entry->sport = ntohs(sport);
			   __entry->dport = ntohs(dport);
			   __entry->seq = seq;
			   __entry->len = len;
			   __assign_str(why, why);
			   __entry->rto_us = rto_us),
	    TP_printk("netns=%u %pISpc %pISpc seq=%u len=%u why=%s rto_us=%u",
		      __entry->netns, __entry->saddr,
		      __entry->daddr, __entry->seq,
		      __entry->len, __get_str(why), __entry->rto_us)
);

/*
 * The delayed-ACK timer sent the ACK it was armed for (RFC 9293 section
 * 3.8.6.3): the ACK number, and how long it waited (mytcp_delack_us()).
 */
TRACE_EVENT(mytcp_delack,
	    TP_PROTO(const struct net *net, const struct in6_addr *saddr, __be16 sport,
		     const struct in6_addr *daddr, __be16 dport, u32 ack,
		     u32 delay_us),
	    TP_ARGS(net, saddr, sport, daddr, dport, ack, delay_us),
	    TP_STRUCT__entry(__field(__u32, netns)
			     __array(__u8, saddr, sizeof(struct sockaddr_in6))
			     __array(__u8, daddr, sizeof(struct sockaddr_in6))
			     __field(__u32, ack)
			     __field(__u32, delay_us)),
	    TP_fast_assign(__entry->netns = net->ns.inum;
			   mytcp_tp_store_addr(__entry->saddr, saddr, sport);
			   mytcp_tp_store_addr(__entry->daddr, daddr, dport);
			   __entry->ack = ack;
			   __entry->delay_us = delay_us),
	    TP_printk("netns=%u %pISpc %pISpc ack=%u delay_us=%u",
		      __entry->netns, __entry->saddr, __entry->daddr,
		      __entry->ack, __entry->delay_us)
);

/* A received segment is dropped; the reason is its counter's name. */
TRACE_EVENT(mytcp_drop,
	    TP_PROTO(const struct net *net, const struct in6_addr *saddr, __be16 sport,
		     const struct in6_addr *daddr, __be16 dport, const char *reason),
	    TP_ARGS(net, saddr, sport, daddr, dport, reason),
	    TP_STRUCT__entry(__field(__u32, netns)
			     __array(__u8, saddr, sizeof(struct sockaddr_in6))
			     __array(__u8, daddr, sizeof(struct sockaddr_in6))
			     __field(__u16, sport)
			     __field(__u16, dport)
			     __string(reason, reason)),
	    TP_fast_assign(__entry->netns = net->ns.inum;
			   mytcp_tp_store_addr(__entry->saddr, saddr, sport);
			   mytcp_tp_store_addr(__entry->daddr, daddr, dport);
			   __entry->sport = ntohs(sport);
			   __entry->dport = ntohs(dport);
			   __assign_str(reason, reason)),
	    TP_printk("netns=%u %pISpc %pISpc reason=%s", __entry->netns,
		      __entry->saddr, __entry->daddr, __get_str(reason))
);

#endif /* _MYTCP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
