/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The RFC 9293 state machine as data: state names and the transition
 * taken for each event.  Pure functions, no socket needed, so KUnit can
 * walk every state and event.
 */
#ifndef _MYTCP_STATE_H
#define _MYTCP_STATE_H

#include <net/tcp_states.h>

/**
 * enum mytcp_event - what can move a connection to another state
 * @MYTCP_EV_PASSIVE_OPEN: listen() (RFC 9293 section 3.10.1)
 * @MYTCP_EV_ACTIVE_OPEN: connect(): a SYN is sent
 * @MYTCP_EV_RCV_SYN: a SYN without ACK arrives (passive or simultaneous open)
 * @MYTCP_EV_RCV_SYNACK: an acceptable SYN+ACK arrives in SYN-SENT
 * @MYTCP_EV_RCV_ACK_OF_SYN: the ACK of our SYN arrives in SYN-RECEIVED
 * @MYTCP_EV_CLOSE: the user closes its sending direction (close/shutdown)
 * @MYTCP_EV_RCV_FIN: the peer's FIN is reached in sequence
 * @MYTCP_EV_RCV_ACK_OF_FIN: the ACK of our FIN arrives
 * @MYTCP_EV_RCV_RST: an acceptable RST arrives
 * @MYTCP_EV_TIMEOUT: the TIME-WAIT (2*MSL) or a give-up timer expires
 * @MYTCP_EV_ABORT: the user aborts (SO_LINGER zero, close with unread data)
 * @MYTCP_EV_MAX: number of events
 */
enum mytcp_event {
	MYTCP_EV_PASSIVE_OPEN,
	MYTCP_EV_ACTIVE_OPEN,
	MYTCP_EV_RCV_SYN,
	MYTCP_EV_RCV_SYNACK,
	MYTCP_EV_RCV_ACK_OF_SYN,
	MYTCP_EV_CLOSE,
	MYTCP_EV_RCV_FIN,
	MYTCP_EV_RCV_ACK_OF_FIN,
	MYTCP_EV_RCV_RST,
	MYTCP_EV_TIMEOUT,
	MYTCP_EV_ABORT,
	MYTCP_EV_MAX,
};

/* Returned by mytcp_next_state() when the event has no meaning there. */
#define MYTCP_STATE_INVALID	0

const char *mytcp_state_name(int state);
const char *mytcp_event_name(enum mytcp_event ev);
int mytcp_next_state(int state, enum mytcp_event ev);

#endif /* _MYTCP_STATE_H */
