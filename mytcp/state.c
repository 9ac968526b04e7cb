// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: state names and the transition table of RFC 9293 section 3.3.2
 * (figure 5).  Every state change made by the module is looked up here, so
 * the table is the state machine, and the KUnit suite can check it whole.
 */

#include <linux/kernel.h>

#include "state.h"

static const char *const mytcp_state_names[] = {
	[0]			= "INVALID",
	[TCP_ESTABLISHED]	= "ESTABLISHED",
	[TCP_SYN_SENT]		= "SYN_SENT",
	[TCP_SYN_RECV]		= "SYN_RECV",
	[TCP_FIN_WAIT1]		= "FIN_WAIT1",
	[TCP_FIN_WAIT2]		= "FIN_WAIT2",
	[TCP_TIME_WAIT]		= "TIME_WAIT",
	[TCP_CLOSE]		= "CLOSE",
	[TCP_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TCP_LAST_ACK]		= "LAST_ACK",
	[TCP_LISTEN]		= "LISTEN",
	[TCP_CLOSING]		= "CLOSING",
};

static const char *const mytcp_event_names[MYTCP_EV_MAX] = {
	[MYTCP_EV_PASSIVE_OPEN]		= "passive open",
	[MYTCP_EV_ACTIVE_OPEN]		= "active open",
	[MYTCP_EV_RCV_SYN]		= "rcv SYN",
	[MYTCP_EV_RCV_SYNACK]		= "rcv SYN+ACK",
	[MYTCP_EV_RCV_ACK_OF_SYN]	= "rcv ACK of SYN",
	[MYTCP_EV_CLOSE]		= "close",
	[MYTCP_EV_RCV_FIN]		= "rcv FIN",
	[MYTCP_EV_RCV_ACK_OF_FIN]	= "rcv ACK of FIN",
	[MYTCP_EV_RCV_RST]		= "rcv RST",
	[MYTCP_EV_TIMEOUT]		= "timeout",
	[MYTCP_EV_ABORT]		= "abort",
};

/*
 * next[state][event]: RFC 9293 figure 5, plus the arcs its text adds:
 * a RST or an abort closes any synchronized state (section 3.10.7.4,
 * 3.10.4), SYN-RECEIVED reached by a simultaneous open closes like
 * ESTABLISHED (section 3.10.4), and a FIN in SYN-RECEIVED leads to
 * CLOSE-WAIT (section 3.10.7.4, eighth check).  A listener's half-open
 * connections are request entries, not sockets, so "SYN-RECEIVED back to
 * LISTEN on RST" is handled by dropping the request.
 */
static const u8 mytcp_next[TCP_MAX_STATES][MYTCP_EV_MAX] = {
	[TCP_CLOSE] = {
		[MYTCP_EV_PASSIVE_OPEN]		= TCP_LISTEN,
		[MYTCP_EV_ACTIVE_OPEN]		= TCP_SYN_SENT,
		[MYTCP_EV_CLOSE]		= TCP_CLOSE,
		[MYTCP_EV_ABORT]		= TCP_CLOSE,
	},
	[TCP_LISTEN] = {
		[MYTCP_EV_PASSIVE_OPEN]		= TCP_LISTEN,
		[MYTCP_EV_RCV_SYN]		= TCP_SYN_RECV,
		[MYTCP_EV_CLOSE]		= TCP_CLOSE,
		[MYTCP_EV_ABORT]		= TCP_CLOSE,
	},
	[TCP_SYN_SENT] = {
		[MYTCP_EV_RCV_SYN]		= TCP_SYN_RECV,
		[MYTCP_EV_RCV_SYNACK]		= TCP_ESTABLISHED,
		[MYTCP_EV_CLOSE]		= TCP_CLOSE,
		[MYTCP_EV_RCV_RST]		= TCP_CLOSE,
		[MYTCP_EV_TIMEOUT]		= TCP_CLOSE,
		[MYTCP_EV_ABORT]		= TCP_CLOSE,
	},
	[TCP_SYN_RECV] = {
		[MYTCP_EV_RCV_ACK_OF_SYN]	= TCP_ESTABLISHED,
		[MYTCP_EV_CLOSE]		= TCP_FIN_WAIT1,
		[MYTCP_EV_RCV_FIN]		= TCP_CLOSE_WAIT,
		[MYTCP_EV_RCV_RST]		= TCP_CLOSE,
		[MYTCP_EV_TIMEOUT]		= TCP_CLOSE,
		[MYTCP_EV_ABORT]		= TCP_CLOSE,
	},
	[TCP_ESTABLISHED] = {
		[MYTCP_EV_CLOSE]		= TCP_FIN_WAIT1,
		[MYTCP_EV_RCV_FIN]		= TCP_CLOSE_WAIT,
		[MYTCP_EV_RCV_RST]		= TCP_CLOSE,
		[MYTCP_EV_TIMEOUT]		= TCP_CLOSE,
		[MYTCP_EV_ABORT]		= TCP_CLOSE,
	},
	[TCP_FIN_WAIT1] = {
		[MYTCP_EV_RCV_FIN]		= TCP_CLOSING,
		[MYTCP_EV_RCV_ACK_OF_FIN]	= TCP_FIN_WAIT2,
		[MYTCP_EV_RCV_RST]		= TCP_CLOSE,
		[MYTCP_EV_TIMEOUT]		= TCP_CLOSE,
		[MYTCP_EV_ABORT]		= TCP_CLOSE,
	},
	[TCP_FIN_WAIT2] = {
		[MYTCP_EV_RCV_FIN]		= TCP_TIME_WAIT,
		[MYTCP_EV_RCV_RST]		= TCP_CLOSE,
		[MYTCP_EV_TIMEOUT]		= TCP_CLOSE,
		[MYTCP_EV_ABORT]		= TCP_CLOSE,
	},
	[TCP_CLOSE_WAIT] = {
		[MYTCP_EV_CLOSE]		= TCP_LAST_ACK,
		[MYTCP_EV_RCV_RST]		= TCP_CLOSE,
		[MYTCP_EV_TIMEOUT]		= TCP_CLOSE,
		[MYTCP_EV_ABORT]		= TCP_CLOSE,
	},
	[TCP_CLOSING] = {
		[MYTCP_EV_RCV_ACK_OF_FIN]	= TCP_TIME_WAIT,
		[MYTCP_EV_RCV_RST]		= TCP_CLOSE,
		[MYTCP_EV_TIMEOUT]		= TCP_CLOSE,
		[MYTCP_EV_ABORT]		= TCP_CLOSE,
	},
	[TCP_LAST_ACK] = {
		[MYTCP_EV_RCV_ACK_OF_FIN]	= TCP_CLOSE,
		[MYTCP_EV_RCV_RST]		= TCP_CLOSE,
		[MYTCP_EV_TIMEOUT]		= TCP_CLOSE,
		[MYTCP_EV_ABORT]		= TCP_CLOSE,
	},
	/*
	 * RFC 1337: a RST does not end TIME-WAIT; only its timer does.  A
	 * retransmitted FIN keeps it (and restarts the timer).
	 */
	[TCP_TIME_WAIT] = {
		[MYTCP_EV_RCV_FIN]		= TCP_TIME_WAIT,
		[MYTCP_EV_TIMEOUT]		= TCP_CLOSE,
	},
};

/**
 * mytcp_state_name - printable name of a TCP_* state
 * @state: state number
 *
 * Return: the name as ss(8) spells it, or "INVALID".
 */
const char *mytcp_state_name(int state)
{
	if (state <= 0 || state >= ARRAY_SIZE(mytcp_state_names))
		return mytcp_state_names[0];
	return mytcp_state_names[state];
}

/**
 * mytcp_event_name - printable name of a state machine event
 * @ev: the event
 *
 * Return: a short lower-case name, or "?".
 */
const char *mytcp_event_name(enum mytcp_event ev)
{
	if ((unsigned int)ev >= MYTCP_EV_MAX)
		return "?";
	return mytcp_event_names[ev];
}

/**
 * mytcp_next_state - the state an event leads to
 * @state: current TCP_* state
 * @ev: the event
 *
 * Return: the next state, or %MYTCP_STATE_INVALID when @ev cannot happen in
 * @state (the caller then leaves the state alone).
 */
int mytcp_next_state(int state, enum mytcp_event ev)
{
	if (state <= 0 || state >= TCP_MAX_STATES ||
	    (unsigned int)ev >= MYTCP_EV_MAX)
		return MYTCP_STATE_INVALID;
	return mytcp_next[state][ev];
}
