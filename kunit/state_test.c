// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of state.c: the transition table of RFC 9293 section 3.3.2
 * (figure 5) and the arcs its text adds, checked for every state and every
 * event against a table written here independently as a list of arcs;
 * the state and event names; and the answers to invalid input.
 */
#include <kunit/test.h>
#include <linux/kernel.h>

#include "state.h"

/* One arc of the state diagram: @from --@ev--> @to. */
struct arc {
	int from;
	enum mytcp_event ev;
	int to;
};

/*
 * RFC 9293 figure 5 and section 3.10, written as arcs.  Any pair of state
 * and event not listed has no meaning and must give MYTCP_STATE_INVALID.
 */
static const struct arc rfc9293_arcs[] = {
	/* CLOSED: OPEN calls (section 3.10.1); CLOSE/ABORT are no-ops */
	{ TCP_CLOSE, MYTCP_EV_PASSIVE_OPEN, TCP_LISTEN },
	{ TCP_CLOSE, MYTCP_EV_ACTIVE_OPEN, TCP_SYN_SENT },
	{ TCP_CLOSE, MYTCP_EV_CLOSE, TCP_CLOSE },
	{ TCP_CLOSE, MYTCP_EV_ABORT, TCP_CLOSE },
	/* LISTEN (section 3.10.7.2) */
	{ TCP_LISTEN, MYTCP_EV_PASSIVE_OPEN, TCP_LISTEN },
	{ TCP_LISTEN, MYTCP_EV_RCV_SYN, TCP_SYN_RECV },
	{ TCP_LISTEN, MYTCP_EV_CLOSE, TCP_CLOSE },
	{ TCP_LISTEN, MYTCP_EV_ABORT, TCP_CLOSE },
	/* SYN-SENT (section 3.10.7.3): SYN alone is a simultaneous open */
	{ TCP_SYN_SENT, MYTCP_EV_RCV_SYN, TCP_SYN_RECV },
	{ TCP_SYN_SENT, MYTCP_EV_RCV_SYNACK, TCP_ESTABLISHED },
	{ TCP_SYN_SENT, MYTCP_EV_CLOSE, TCP_CLOSE },
	{ TCP_SYN_SENT, MYTCP_EV_RCV_RST, TCP_CLOSE },
	{ TCP_SYN_SENT, MYTCP_EV_TIMEOUT, TCP_CLOSE },
	{ TCP_SYN_SENT, MYTCP_EV_ABORT, TCP_CLOSE },
	/* SYN-RECEIVED (3.10.4: CLOSE sends FIN; 3.10.7.4: FIN there) */
	{ TCP_SYN_RECV, MYTCP_EV_RCV_ACK_OF_SYN, TCP_ESTABLISHED },
	{ TCP_SYN_RECV, MYTCP_EV_CLOSE, TCP_FIN_WAIT1 },
	{ TCP_SYN_RECV, MYTCP_EV_RCV_FIN, TCP_CLOSE_WAIT },
	{ TCP_SYN_RECV, MYTCP_EV_RCV_RST, TCP_CLOSE },
	{ TCP_SYN_RECV, MYTCP_EV_TIMEOUT, TCP_CLOSE },
	{ TCP_SYN_RECV, MYTCP_EV_ABORT, TCP_CLOSE },
	/* ESTABLISHED */
	{ TCP_ESTABLISHED, MYTCP_EV_CLOSE, TCP_FIN_WAIT1 },
	{ TCP_ESTABLISHED, MYTCP_EV_RCV_FIN, TCP_CLOSE_WAIT },
	{ TCP_ESTABLISHED, MYTCP_EV_RCV_RST, TCP_CLOSE },
	{ TCP_ESTABLISHED, MYTCP_EV_TIMEOUT, TCP_CLOSE },
	{ TCP_ESTABLISHED, MYTCP_EV_ABORT, TCP_CLOSE },
	/* FIN-WAIT-1: a FIN first is a simultaneous close (CLOSING) */
	{ TCP_FIN_WAIT1, MYTCP_EV_RCV_FIN, TCP_CLOSING },
	{ TCP_FIN_WAIT1, MYTCP_EV_RCV_ACK_OF_FIN, TCP_FIN_WAIT2 },
	{ TCP_FIN_WAIT1, MYTCP_EV_RCV_RST, TCP_CLOSE },
	{ TCP_FIN_WAIT1, MYTCP_EV_TIMEOUT, TCP_CLOSE },
	{ TCP_FIN_WAIT1, MYTCP_EV_ABORT, TCP_CLOSE },
	/* FIN-WAIT-2 */
	{ TCP_FIN_WAIT2, MYTCP_EV_RCV_FIN, TCP_TIME_WAIT },
	{ TCP_FIN_WAIT2, MYTCP_EV_RCV_RST, TCP_CLOSE },
	{ TCP_FIN_WAIT2, MYTCP_EV_TIMEOUT, TCP_CLOSE },
	{ TCP_FIN_WAIT2, MYTCP_EV_ABORT, TCP_CLOSE },
	/* CLOSE-WAIT */
	{ TCP_CLOSE_WAIT, MYTCP_EV_CLOSE, TCP_LAST_ACK },
	{ TCP_CLOSE_WAIT, MYTCP_EV_RCV_RST, TCP_CLOSE },
	{ TCP_CLOSE_WAIT, MYTCP_EV_TIMEOUT, TCP_CLOSE },
	{ TCP_CLOSE_WAIT, MYTCP_EV_ABORT, TCP_CLOSE },
	/* CLOSING */
	{ TCP_CLOSING, MYTCP_EV_RCV_ACK_OF_FIN, TCP_TIME_WAIT },
	{ TCP_CLOSING, MYTCP_EV_RCV_RST, TCP_CLOSE },
	{ TCP_CLOSING, MYTCP_EV_TIMEOUT, TCP_CLOSE },
	{ TCP_CLOSING, MYTCP_EV_ABORT, TCP_CLOSE },
	/* LAST-ACK */
	{ TCP_LAST_ACK, MYTCP_EV_RCV_ACK_OF_FIN, TCP_CLOSE },
	{ TCP_LAST_ACK, MYTCP_EV_RCV_RST, TCP_CLOSE },
	{ TCP_LAST_ACK, MYTCP_EV_TIMEOUT, TCP_CLOSE },
	{ TCP_LAST_ACK, MYTCP_EV_ABORT, TCP_CLOSE },
	/*
	 * TIME-WAIT: a retransmitted FIN restarts 2*MSL; only the timer
	 * ends it.  A RST does not (RFC 1337, TIME-WAIT assassination).
	 */
	{ TCP_TIME_WAIT, MYTCP_EV_RCV_FIN, TCP_TIME_WAIT },
	{ TCP_TIME_WAIT, MYTCP_EV_TIMEOUT, TCP_CLOSE },
};

static int expected_next(int state, enum mytcp_event ev)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(rfc9293_arcs); i++)
		if (rfc9293_arcs[i].from == state && rfc9293_arcs[i].ev == ev)
			return rfc9293_arcs[i].to;
	return MYTCP_STATE_INVALID;
}

/* The 11 states of RFC 9293, with the names ss(8) prints. */
struct state_param {
	int state;
	const char *name;
};

static const struct state_param all_states[] = {
	{ TCP_ESTABLISHED, "ESTABLISHED" },
	{ TCP_SYN_SENT, "SYN_SENT" },
	{ TCP_SYN_RECV, "SYN_RECV" },
	{ TCP_FIN_WAIT1, "FIN_WAIT1" },
	{ TCP_FIN_WAIT2, "FIN_WAIT2" },
	{ TCP_TIME_WAIT, "TIME_WAIT" },
	{ TCP_CLOSE, "CLOSE" },
	{ TCP_CLOSE_WAIT, "CLOSE_WAIT" },
	{ TCP_LAST_ACK, "LAST_ACK" },
	{ TCP_LISTEN, "LISTEN" },
	{ TCP_CLOSING, "CLOSING" },
};

static void state_param_desc(const struct state_param *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(state, all_states, state_param_desc);

/* For one state, every event: the module's table equals the RFC's. */
static void state_transitions(struct kunit *test)
{
	const struct state_param *p = test->param_value;
	enum mytcp_event ev;

	for (ev = 0; ev < MYTCP_EV_MAX; ev++)
		KUNIT_EXPECT_EQ_MSG(test, mytcp_next_state(p->state, ev),
				    expected_next(p->state, ev),
				    "%s --%s-->", p->name,
				    mytcp_event_name(ev));
}

/* Every arc of the expected table leads to one of the 11 states. */
static void state_arcs_are_states(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(rfc9293_arcs); i++) {
		int to = mytcp_next_state(rfc9293_arcs[i].from,
					  rfc9293_arcs[i].ev);

		KUNIT_EXPECT_GE(test, to, TCP_ESTABLISHED);
		KUNIT_EXPECT_LE(test, to, TCP_CLOSING);
	}
}

static void state_names(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(all_states); i++)
		KUNIT_EXPECT_STREQ(test, mytcp_state_name(all_states[i].state),
				   all_states[i].name);
}

/* Numbers that are not one of the 11 states, including TCP_NEW_SYN_RECV */
static const int bad_states[] = {
	0, -1, -1000, INT_MIN, TCP_CLOSING + 1, TCP_NEW_SYN_RECV,
	TCP_MAX_STATES, 255, 256, INT_MAX,
};

static void state_names_invalid(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(bad_states); i++)
		KUNIT_EXPECT_STREQ_MSG(test, mytcp_state_name(bad_states[i]),
				       "INVALID", "state %d", bad_states[i]);
}

static void state_event_names(struct kunit *test)
{
	enum mytcp_event a, b;

	for (a = 0; a < MYTCP_EV_MAX; a++) {
		const char *na = mytcp_event_name(a);

		KUNIT_ASSERT_NOT_NULL(test, na);
		KUNIT_EXPECT_GT(test, strlen(na), 0UL);
		KUNIT_EXPECT_STRNEQ(test, na, "?");
		for (b = 0; b < a; b++)
			KUNIT_EXPECT_STRNEQ(test, na, mytcp_event_name(b));
	}
	KUNIT_EXPECT_STREQ(test, mytcp_event_name(MYTCP_EV_CLOSE), "close");
	KUNIT_EXPECT_STREQ(test, mytcp_event_name(MYTCP_EV_MAX), "?");
	KUNIT_EXPECT_STREQ(test, mytcp_event_name((enum mytcp_event)-1), "?");
	KUNIT_EXPECT_STREQ(test, mytcp_event_name((enum mytcp_event)1000),
			   "?");
}

static void state_invalid_inputs(struct kunit *test)
{
	static const int bad_events[] = { -1, MYTCP_EV_MAX, MYTCP_EV_MAX + 1,
					  1000, INT_MIN };
	enum mytcp_event ev;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad_states); i++)
		for (ev = 0; ev < MYTCP_EV_MAX; ev++)
			KUNIT_EXPECT_EQ_MSG(test,
					    mytcp_next_state(bad_states[i], ev),
					    MYTCP_STATE_INVALID, "state %d",
					    bad_states[i]);
	for (i = 0; i < ARRAY_SIZE(all_states); i++) {
		int j;

		for (j = 0; j < ARRAY_SIZE(bad_events); j++)
			KUNIT_EXPECT_EQ(test,
					mytcp_next_state(all_states[i].state,
							 bad_events[j]),
					MYTCP_STATE_INVALID);
	}
}

/* Walk @evs from @state; return the state reached, or INVALID. */
static int walk(int state, const enum mytcp_event *evs, int n)
{
	int i;

	for (i = 0; i < n && state != MYTCP_STATE_INVALID; i++)
		state = mytcp_next_state(state, evs[i]);
	return state;
}

/* The paths of RFC 9293 section 3.6, figures 12 and 13, and 3.5 fig. 8. */
static void state_paths(struct kunit *test)
{
	static const enum mytcp_event active_close[] = {
		MYTCP_EV_ACTIVE_OPEN, MYTCP_EV_RCV_SYNACK, MYTCP_EV_CLOSE,
		MYTCP_EV_RCV_ACK_OF_FIN, MYTCP_EV_RCV_FIN, MYTCP_EV_TIMEOUT,
	};
	static const enum mytcp_event passive_close[] = {
		MYTCP_EV_PASSIVE_OPEN, MYTCP_EV_RCV_SYN,
		MYTCP_EV_RCV_ACK_OF_SYN, MYTCP_EV_RCV_FIN, MYTCP_EV_CLOSE,
		MYTCP_EV_RCV_ACK_OF_FIN,
	};
	static const enum mytcp_event simultaneous_close[] = {
		MYTCP_EV_ACTIVE_OPEN, MYTCP_EV_RCV_SYNACK, MYTCP_EV_CLOSE,
		MYTCP_EV_RCV_FIN, MYTCP_EV_RCV_ACK_OF_FIN,
	};
	static const enum mytcp_event simultaneous_open[] = {
		MYTCP_EV_ACTIVE_OPEN, MYTCP_EV_RCV_SYN,
		MYTCP_EV_RCV_ACK_OF_SYN,
	};
	static const enum mytcp_event close_twice[] = {
		MYTCP_EV_ACTIVE_OPEN, MYTCP_EV_RCV_SYNACK, MYTCP_EV_CLOSE,
		MYTCP_EV_CLOSE,
	};

	KUNIT_EXPECT_EQ(test, walk(TCP_CLOSE, active_close,
				   ARRAY_SIZE(active_close)), TCP_CLOSE);
	KUNIT_EXPECT_EQ(test, walk(TCP_CLOSE, active_close, 5), TCP_TIME_WAIT);
	KUNIT_EXPECT_EQ(test, walk(TCP_CLOSE, passive_close,
				   ARRAY_SIZE(passive_close)), TCP_CLOSE);
	KUNIT_EXPECT_EQ(test, walk(TCP_CLOSE, passive_close, 5), TCP_LAST_ACK);
	KUNIT_EXPECT_EQ(test, walk(TCP_CLOSE, simultaneous_close,
				   ARRAY_SIZE(simultaneous_close)),
			TCP_TIME_WAIT);
	KUNIT_EXPECT_EQ(test, walk(TCP_CLOSE, simultaneous_close, 4),
			TCP_CLOSING);
	KUNIT_EXPECT_EQ(test, walk(TCP_CLOSE, simultaneous_open,
				   ARRAY_SIZE(simultaneous_open)),
			TCP_ESTABLISHED);
	/* closing a closing connection is an error (section 3.10.4) */
	KUNIT_EXPECT_EQ(test, walk(TCP_CLOSE, close_twice,
				   ARRAY_SIZE(close_twice)),
			MYTCP_STATE_INVALID);
}

static struct kunit_case state_test_cases[] = {
	KUNIT_CASE_PARAM(state_transitions, state_gen_params),
	KUNIT_CASE(state_arcs_are_states),
	KUNIT_CASE(state_names),
	KUNIT_CASE(state_names_invalid),
	KUNIT_CASE(state_event_names),
	KUNIT_CASE(state_invalid_inputs),
	KUNIT_CASE(state_paths),
	{}
};

static struct kunit_suite state_test_suite = {
	.name = "mytcp_state",
	.test_cases = state_test_cases,
};

kunit_test_suite(state_test_suite);
