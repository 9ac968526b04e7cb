/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mytcp: a TCP-variant transport on IP protocol 253 (RFC 3692 experimental).
 *
 * The segment format is TCP's (RFC 9293 section 3.1); only the IP protocol
 * number differs.  This header is shared by the kernel module and userspace.
 */
#ifndef _UAPI_LINUX_MYTCP_H
#define _UAPI_LINUX_MYTCP_H

#include <linux/types.h>

#define IPPROTO_MYTCP		253

/*
 * Socket options.  They are accepted at level SOL_MYTCP and, for programs
 * written for TCP, at level IPPROTO_TCP with TCP's option numbers.
 */
#define SOL_MYTCP		IPPROTO_MYTCP

#define MYTCP_NODELAY		1	/* same number as TCP_NODELAY */
#define MYTCP_MAXSEG		2	/* same number as TCP_MAXSEG */
#define MYTCP_KEEPIDLE		4	/* same number as TCP_KEEPIDLE */
#define MYTCP_KEEPINTVL		5	/* same number as TCP_KEEPINTVL */
#define MYTCP_KEEPCNT		6	/* same number as TCP_KEEPCNT */
#define MYTCP_CONGESTION	13	/* same as TCP_CONGESTION: a name */
#define MYTCP_INFO		200	/* struct mytcp_info, read only */
#define MYTCP_EXPERIMENTS	201	/* int: MYTCP_EXP_* bits, for lessons */

/*
 * Experiments (Documentation/lessons.md): each turns off one rule of RFC
 * 9293 to show what the rule is for.  For demonstration only: a socket
 * opts in with MYTCP_EXPERIMENTS, and only for the bits its namespace
 * allows in net.mytcp.experiments (0 by default: setsockopt gives EPERM).
 */
#define MYTCP_EXP_TWO_WAY_OPEN	(1 << 0)	/* a listener: no third segment */
#define MYTCP_EXP_NO_TIME_WAIT	(1 << 1)	/* CLOSED where TIME_WAIT was due */
#define MYTCP_EXP_ALL		(MYTCP_EXP_TWO_WAY_OPEN | MYTCP_EXP_NO_TIME_WAIT)

/* bits of struct mytcp_info's options, as tcp_info's TCPI_OPT_* */
#define MYTCPI_OPT_TIMESTAMPS	1
#define MYTCPI_OPT_SACK		2
#define MYTCPI_OPT_WSCALE	4

/**
 * struct mytcp_info - a connection's protocol state, for MYTCP_INFO
 * @state: the TCP_* state number (1 ESTABLISHED ... 11 CLOSING)
 * @mss: the segment size this end sends
 * @iss: initial send sequence number (RFC 9293 section 3.4.1)
 * @irs: initial receive sequence number
 * @snd_una: oldest unacknowledged sequence number
 * @snd_nxt: next sequence number to send
 * @snd_wnd: send window offered by the peer, in bytes
 * @rcv_nxt: next sequence number expected
 * @rcv_wnd: receive window last advertised, in bytes
 * @rto_us: current retransmission timeout
 * @srtt_us: smoothed round-trip time (0 before the first sample)
 * @rttvar_us: round-trip time variation
 * @cwnd: congestion window, in bytes
 * @ssthresh: slow-start threshold, in bytes
 * @retransmits: segments retransmitted on this connection
 * @bytes_acked: payload bytes the peer acknowledged
 * @bytes_received: payload bytes delivered in order
 * @ato_us: the delay a delayed ACK waits now (40 to 200 ms, a quarter of
 *	the smoothed RTT)
 * @delack_left_us: time left on the delayed-ACK timer while an ACK is owed,
 *	else 0
 * @ack_pending: in-order segments received since our last ACK
 * @quickack: segments still to acknowledge one by one (quick-ACK mode)
 * @ack_why: how the last in-order segment was answered: 0 delayed (timer
 *	armed), 1 at once as the second full-sized segment, 2 at once in
 *	quick-ACK mode, 3 at once for a filled hole or a FIN
 * @delayed_acks: ACKs the delayed-ACK timer sent
 * @rcv_mss: the peer's full segment size, as this end estimates it
 * @rcvbuf: the receive buffer now (grown by autotuning, SO_RCVBUF's value
 *	if set)
 * @rcv_space: autotuning's measure: the most the reader drained in one RTT
 * @reserved2: zero
 * @options: the options the connection negotiated, MYTCPI_OPT_* bits
 *	(as tcp_info's tcpi_options): MYTCPI_OPT_TIMESTAMPS when both ends
 *	put RFC 7323 timestamps on every segment, MYTCPI_OPT_WSCALE when
 *	windows are scaled; SACK is never negotiated
 * @ts_recent: with timestamps, TS.Recent: the peer's TSval that this end
 *	echoes in its TSecr (RFC 7323 section 4.3), else 0
 * @last_tsval_sent: with timestamps, the TSval of the last segment this end
 *	sent (its millisecond clock plus a per-connection offset), else 0
 * @reserved3: zero
 */
struct mytcp_info {
	__u32 state;
	__u32 mss;
	__u32 iss;
	__u32 irs;
	__u32 snd_una;
	__u32 snd_nxt;
	__u32 snd_wnd;
	__u32 rcv_nxt;
	__u32 rcv_wnd;
	__u32 rto_us;
	__u32 srtt_us;
	__u32 rttvar_us;
	__u32 cwnd;
	__u32 ssthresh;
	__u32 retransmits;
	__u32 reserved;
	__u64 bytes_acked;
	__u64 bytes_received;
	__u32 ato_us;
	__u32 delack_left_us;
	__u32 ack_pending;
	__u32 quickack;
	__u32 ack_why;
	__u32 delayed_acks;
	__u32 rcv_mss;
	__u32 rcvbuf;
	__u32 rcv_space;
	__u32 reserved2;
	__u32 options;
	__u32 ts_recent;
	__u32 last_tsval_sent;
	__u32 reserved3;
};

#endif /* _UAPI_LINUX_MYTCP_H */
