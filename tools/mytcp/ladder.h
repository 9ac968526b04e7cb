/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp tool: the connections `mytcp trace` follows (trace.c) and their
 * ladder diagram (ladder.c).
 */
#ifndef MYTCP_LADDER_H
#define MYTCP_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* An IPv4 endpoint: address in network order, port in host order */
struct endpoint {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* IPv4: the 4 bytes of the address first */
	uint16_t port;
};

enum { CLIENT, SERVER };

/*
 * One line of a ladder.  An arrow row may also carry the state its sender
 * entered just before sending (the two events are drawn on one line); a
 * state row carries one end's new state; a note is a retransmission or a
 * drop, written next to the end it happened at.
 */
struct row {
	double t;		/* seconds since the first event traced */
	char state[2][16];	/* [CLIENT], [SERVER]: new state, or "" */
	bool arrow, note;
	int side;		/* arrow: sender; note: where it happened */
	bool in_only;		/* arrow from mytcp_segment_in: sender untraced */
	unsigned int flags;	/* arrow: TCPHDR_* bits */
	char text[112];		/* arrow label or note */
};

struct conn {
	int id;
	struct endpoint end[2];	/* [CLIENT], [SERVER] */
	int state[2];		/* last TCP_* state seen, 0: none */
	bool had_state[2];	/* a mytcp_state event came from this end */
	bool observed[2];	/* it sent a traced segment or changed state */
	bool midway;		/* tracing began after the first SYN */
	bool isn_known;
	uint32_t client_isn;	/* seq of the client's SYN */
	bool done;		/* both ends CLOSE, or given up: no more rows */
	char end_note[128];	/* how its ladder ended, for the footer */
	double t_first, t_last;
	unsigned int segments, retransmits, drops;
	bool has_pending;
	struct row pending;	/* a state row that may still take an arrow */
	struct row *rows;	/* every row drawn, for the SVG */
	size_t nrows, cap;
	bool truncated;		/* rows beyond the cap were not kept */
	struct conn *next;
};

/* Characters of the middle of a row, between the two lifelines */
#define LADDER_MID	58

const char *fmt_endpoint(const struct endpoint *e, char *buf, size_t len);
/* "SYN|ACK", as the tracepoints print flags */
const char *fmt_flags(unsigned int flags, char *buf, size_t len);

void ladder_header(const struct conn *c);
void ladder_row(const struct conn *c, const struct row *r);
void ladder_footer(const struct conn *c);
/* A line about no connection (a listener, a drop without one) */
void ladder_global(double t, const char *text);
/* Write the ladders of the connections of list as SVG; 0 or exit code */
int ladder_svg(const char *path, const struct conn *list);

#endif /* MYTCP_LADDER_H */
