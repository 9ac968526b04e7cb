/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The receiver's policy as pure functions of numbers: when to acknowledge
 * (RFC 9293 section 3.8.6.3, RFC 1122 section 4.2.3.2, RFC 5681 section
 * 4.2), how long a delayed ACK waits, when a read is worth a window update
 * (RFC 9293 section 3.8.6.2.2), and how far the receive buffer grows
 * (dynamic right-sizing).  input.c, output.c and sock.c call exactly these;
 * KUnit checks them without a socket (kunit/rcvpolicy_test.c).
 */
#ifndef _MYTCP_RCVPOLICY_H
#define _MYTCP_RCVPOLICY_H

#include <linux/types.h>

/* delayed ACK bounds, in microseconds (see mytcp_delack_us()) */
#define MYTCP_DELACK_MIN_US	(40 * USEC_PER_MSEC)
#define MYTCP_DELACK_MAX_US	(200 * USEC_PER_MSEC)
/* at most this many segments acknowledged one by one in quick-ACK mode */
#define MYTCP_QUICKACK_MAX	16

/**
 * enum mytcp_ack_why - why an in-order data segment was acknowledged now,
 *	or that it was not (MYTCP_ACK_DELAYED)
 * @MYTCP_ACK_DELAYED: not now: the delayed-ACK timer is armed
 * @MYTCP_ACK_TWO_SEGMENTS: more than one full-sized segment unacknowledged
 * @MYTCP_ACK_QUICK: quick-ACK mode (start of connection, after a hole)
 * @MYTCP_ACK_PUSHED: the caller asked (a hole filled, a FIN)
 */
enum mytcp_ack_why {
	MYTCP_ACK_DELAYED,
	MYTCP_ACK_TWO_SEGMENTS,
	MYTCP_ACK_QUICK,
	MYTCP_ACK_PUSHED,
};

enum mytcp_ack_why mytcp_ack_rule(u32 unacked, u32 rcv_mss, u8 quickack,
				  bool now);
u32 mytcp_delack_us(u32 srtt_us);
u8 mytcp_quickack_budget(u32 rcv_wnd, u32 rcv_mss);
bool mytcp_wnd_update_rule(u32 left, u32 new_wnd, u32 full_wnd, u32 step);
u32 mytcp_drs_rcvbuf(u32 copied, u32 space, u32 mss, u32 rcvbuf,
		     u32 rmem_max);

#endif /* _MYTCP_RCVPOLICY_H */
