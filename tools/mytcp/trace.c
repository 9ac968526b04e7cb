// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp tool: trace, a live ladder diagram of every mytcp connection, from
 * the module's tracepoints (mytcp/trace.h) read through tracefs.
 *
 * Events, as trace_pipe prints them after "TASK-PID [CPU] FLAGS TIME: ":
 *   mytcp_state: netns=N LOCAL REMOTE OLD -> NEW
 *   mytcp_segment_out: netns=N SRC DST seq= ack= flags=SYN|ACK win= len=
 *   mytcp_segment_in: (the same; SRC is the peer)
 *   mytcp_retransmit: netns=N LOCAL REMOTE seq= len= why= rto_us=
 *   mytcp_drop: netns=N SRC DST reason=COUNTER
 *   mytcp_delack: netns=N LOCAL REMOTE ack= delay_us=
 * with endpoints as a.b.c.d:port.  A connection is its pair of endpoints,
 * whichever way round an event names them.  Its client is the end that
 * sent the first SYN.  Arrows come from mytcp_segment_out, so that a
 * segment between two namespaces of this kernel is drawn once; a
 * mytcp_segment_in is drawn only when its sender never showed up in the
 * trace (a peer on another machine, or segments forged by a test).
 *
 * By default the events are enabled in a tracing instance of our own
 * (instances/mytcp-trace-PID), so the top-level buffer and event settings
 * of other users are untouched; --global uses the top level and puts back
 * each event's enable and tracing_on as they were.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mytcp.h"
#include "ladder.h"

#define TCP_SYN_SENT	2
#define TCP_CLOSE	7
#define FLAG_SYN	0x02
#define FLAG_ACK	0x10
#define MAX_ROWS	100000	/* rows kept per connection for the SVG */

static const char *const event_names[] = {
	"mytcp_state", "mytcp_segment_out", "mytcp_segment_in",
	"mytcp_retransmit", "mytcp_drop", "mytcp_delack",
};

enum ev_type {
	EV_STATE, EV_OUT, EV_IN, EV_RETRANS, EV_DROP, EV_DELACK, NR_EVENTS
};

struct event {
	enum ev_type type;
	double ts;			/* trace clock, seconds */
	struct endpoint a, b;		/* as printed: first, second */
	char old[16], new[16];		/* mytcp_state */
	uint32_t seq, ack, len, rto_us;	/* rto_us: also mytcp_delack delay_us */
	unsigned int flags;
	char why[24], reason[48];
};

struct tracer {
	char root[PATH_MAX];		/* where tracefs is mounted */
	char dir[PATH_MAX];		/* root, or our instance in it */
	bool mounted, instance;
	char saved[NR_EVENTS];		/* --global: each event's enable */
	char saved_on;			/* --global: tracing_on */
	int fd;				/* trace_pipe */
};

static struct {
	uint64_t duration_ms, count;
	const char *svg, *tracefs, *ready_file, *input;
	int global;
	unsigned int port;		/* only connections with this port */
} topt;

static struct conn *conns, **conns_tail = &conns;
static struct conn *pending_conn;	/* the one with a row held back */
static int nconns, nclosed;
static double t_base = -1;
static volatile sig_atomic_t stop_signal;

static const char trace_usage[] =
	"usage: mytcp trace [--duration S] [--count-connections N] [--svg FILE]\n"
	"                   [--tracefs DIR] [--global] [--port P]\n"
	"\n"
	"Enable the mytcp tracepoints, read them live and draw each connection\n"
	"as a ladder: the client (the end that sent the first SYN) on the left,\n"
	"the server on the right, every segment an arrow with its flags, seq,\n"
	"ack and len, each end's new state beside its line, retransmissions and\n"
	"drops as notes (*).  Lines start with the connection's [number] and\n"
	"the time in seconds since the first event.\n"
	"\n"
	"  --duration S        stop after S seconds (decimals allowed)\n"
	"  --count-connections N\n"
	"                      stop once N connections reached CLOSE at both\n"
	"                      ends; exit 3 if --duration ends it first\n"
	"  --svg FILE          also write the ladders as an SVG drawing\n"
	"  --tracefs DIR       tracefs mount (default /sys/kernel/tracing,\n"
	"                      mounted there if it is not)\n"
	"  --global            use the top-level trace buffer and restore the\n"
	"                      events' enable state at the end, instead of a\n"
	"                      private tracing instance\n"
	"  --port P            only connections with an end on port P\n"
	"  --ready-file PATH   once the events are enabled, create PATH\n"
	"  --input FILE        draw the events saved in FILE (lines of\n"
	"                      trace_pipe; - for standard input) and stop at\n"
	"                      its end, instead of tracing\n"
	"  -q, --quiet         draw nothing live; only each ladder's last line\n"
	"  -h, --help          show this help\n"
	"\n"
	"Without --duration or --count-connections, it runs until interrupted\n"
	"(SIGINT, SIGTERM).  Needs root, and the module loaded.\n";

enum {
	OPT_DURATION = OPT_CMD_BASE, OPT_COUNT_CONN, OPT_SVG, OPT_TRACEFS,
	OPT_PORT, OPT_READY, OPT_INPUT,
};

static const struct option trace_options[] = {
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "count-connections", required_argument, NULL, OPT_COUNT_CONN },
	{ "svg", required_argument, NULL, OPT_SVG },
	{ "tracefs", required_argument, NULL, OPT_TRACEFS },
	{ "global", no_argument, &topt.global, 1 },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "ready-file", required_argument, NULL, OPT_READY },
	{ "input", required_argument, NULL, OPT_INPUT },
	COMMON_OPTIONS,
};

/* ---- tracefs ---- */

/* buf = dir/rel; returns 0, or -1 if it does not fit */
static int path_of(char *buf, const char *dir, const char *rel)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", dir, rel);

	return n < 0 || n >= PATH_MAX ? -1 : 0;
}

static bool exists(const char *dir, const char *rel)
{
	char p[PATH_MAX];

	return !path_of(p, dir, rel) && access(p, F_OK) == 0;
}

static int write_file(const char *dir, const char *rel, const char *val)
{
	char p[PATH_MAX];
	ssize_t n;
	int fd;

	if (path_of(p, dir, rel))
		return fail("path too long: %s/%s", dir, rel);
	fd = open(p, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return syserr("open %s", p);
	n = write(fd, val, strlen(val));
	if (n < 0) {
		n = syserr("write %s to %s", val, p);
		close(fd);
		return n;
	}
	close(fd);
	return RC_OK;
}

/* The first character of dir/rel ('0' or '1' for a switch), or 0 */
static char read_switch(const char *dir, const char *rel)
{
	char p[PATH_MAX], c = 0;
	int fd;

	if (path_of(p, dir, rel))
		return 0;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c;
}

static int event_path(char *buf, size_t len, int ev, const char *file)
{
	int n = snprintf(buf, len, "events/mytcp/%s/%s", event_names[ev], file);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Find (or mount) tracefs and check the mytcp events are there. */
static int tracefs_find(struct tracer *tr)
{
	const char *dir = topt.tracefs ? topt.tracefs : "/sys/kernel/tracing";

	snprintf(tr->root, sizeof(tr->root), "%s", dir);
	if (!exists(tr->root, "trace_pipe")) {
		if (mount("nodev", tr->root, "tracefs", 0, NULL) == 0) {
			tr->mounted = true;
		} else if (!topt.tracefs &&
			   exists("/sys/kernel/debug/tracing", "trace_pipe")) {
			snprintf(tr->root, sizeof(tr->root),
				 "/sys/kernel/debug/tracing");
		} else {
			return syserr("no tracefs at %s, and mounting it failed",
				      tr->root);
		}
	}
	if (!exists(tr->root, "events/mytcp")) {
		fail("no events/mytcp in %s: is the mytcp module loaded?",
		     tr->root);
		if (tr->mounted && umount(tr->root) == 0)
			tr->mounted = false;
		return RC_ERR;
	}
	return RC_OK;
}

/* Undo tracer_start(), as far as it went. */
static void tracer_stop(struct tracer *tr)
{
	char rel[128];
	int ev, i;

	if (tr->fd >= 0)
		close(tr->fd);
	tr->fd = -1;
	for (ev = 0; ev < NR_EVENTS; ev++) {
		if (event_path(rel, sizeof(rel), ev, "enable"))
			continue;
		if (tr->instance)
			write_file(tr->dir, rel, "0");
		else if (tr->saved[ev])
			write_file(tr->dir, rel, tr->saved[ev] == '1' ? "1" : "0");
	}
	if (!tr->instance && tr->saved_on)
		write_file(tr->dir, "tracing_on", tr->saved_on == '1' ? "1" : "0");
	/* a reader that has not quite let go makes the instance busy */
	for (i = 0; tr->instance && i < 50; i++) {
		if (rmdir(tr->dir) == 0 || errno != EBUSY)
			break;
		usleep(20000);
	}
	if (tr->instance && i == 50)
		fail("could not remove the tracing instance %s", tr->dir);
	tr->instance = false;
	if (tr->mounted && umount(tr->root) < 0)
		syserr("umount %s", tr->root);
	tr->mounted = false;
}

static int tracer_start(struct tracer *tr)
{
	char rel[128], junk[65536], p[PATH_MAX];
	int ev, rc, i;

	tr->fd = -1;
	rc = tracefs_find(tr);
	if (rc)
		return rc;
	snprintf(tr->dir, sizeof(tr->dir), "%s", tr->root);
	if (!topt.global) {
		if (snprintf(tr->dir, sizeof(tr->dir), "%s/instances/mytcp-trace-%d",
			     tr->root, (int)getpid()) >= (int)sizeof(tr->dir))
			return fail("tracefs path too long");
		if (mkdir(tr->dir, 0750) == 0) {
			tr->instance = true;
		} else {
			if (!quiet)
				syserr("no tracing instance %s, using the top level",
				       tr->dir);
			snprintf(tr->dir, sizeof(tr->dir), "%s", tr->root);
		}
	}
	if (path_of(p, tr->dir, "trace_pipe")) {
		rc = fail("tracefs path too long");
		goto undo;
	}
	tr->fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (tr->fd < 0) {
		rc = syserr("open %s", p);
		goto undo;
	}
	if (!tr->instance) {
		/* what someone else left in the buffer is not ours to draw */
		for (i = 0; i < 256 && read(tr->fd, junk, sizeof(junk)) > 0; i++)
			;
		tr->saved_on = read_switch(tr->dir, "tracing_on");
	}
	for (ev = 0; ev < NR_EVENTS; ev++) {
		if (event_path(rel, sizeof(rel), ev, "enable")) {
			rc = fail("tracefs path too long");
			goto undo;
		}
		if (!tr->instance)
			tr->saved[ev] = read_switch(tr->dir, rel);
		rc = write_file(tr->dir, rel, "1");
		if (rc)
			goto undo;
	}
	if (!tr->instance && tr->saved_on != '1') {
		rc = write_file(tr->dir, "tracing_on", "1");
		if (rc)
			goto undo;
	}
	return RC_OK;
undo:
	tracer_stop(tr);
	return rc;
}

/* ---- Parsing trace_pipe lines ---- */

/* "10.0.0.1:80" or "[fd00::1]:80", as %pISpc prints them */
static int parse_endpoint(const char *s, struct endpoint *e)
{
	const char *colon = strrchr(s, ':');
	char ip[INET6_ADDRSTRLEN];
	size_t n;
	char *end;
	unsigned long port;

	if (!colon)
		return -1;
	memset(e, 0, sizeof(*e));
	e->family = AF_INET;
	if (s[0] == '[') {
		if (colon - s < 2 || colon[-1] != ']')
			return -1;
		e->family = AF_INET6;
		s++;
		n = colon - 1 - s;
	} else {
		n = colon - s;
	}
	if (n >= sizeof(ip))
		return -1;
	memcpy(ip, s, n);
	ip[n] = '\0';
	if (inet_pton(e->family, ip, e->addr) != 1)
		return -1;
	port = strtoul(colon + 1, &end, 10);
	if (*end || port > 65535)
		return -1;
	e->port = port;
	return 0;
}

static unsigned int parse_flags(char *s)
{
	static const char *const names[] = {
		"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR",
	};
	unsigned int flags = 0, i;
	char *save = NULL, *tok;

	for (tok = strtok_r(s, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (!strcmp(tok, names[i]))
				flags |= 1U << i;
		if (!strncmp(tok, "0x", 2))
			flags |= strtoul(tok, NULL, 16);
	}
	return flags;
}

static void parse_kv(struct event *e, const char *key, char *val)
{
	if (!strcmp(key, "seq"))
		e->seq = strtoul(val, NULL, 10);
	else if (!strcmp(key, "ack"))
		e->ack = strtoul(val, NULL, 10);
	else if (!strcmp(key, "len"))
		e->len = strtoul(val, NULL, 10);
	else if (!strcmp(key, "rto_us") || !strcmp(key, "delay_us"))
		e->rto_us = strtoul(val, NULL, 10);
	else if (!strcmp(key, "flags"))
		e->flags = parse_flags(val);
	else if (!strcmp(key, "why"))
		snprintf(e->why, sizeof(e->why), "%s", val);
	else if (!strcmp(key, "reason"))
		snprintf(e->reason, sizeof(e->reason), "%s", val);
}

/* One line of trace_pipe; returns 0, or -1 if it is not a mytcp event. */
static int parse_event(char *line, struct event *e)
{
	char *p = strstr(line, ": mytcp_"), *q, *tok, *save = NULL, *eq;
	size_t len;
	int ev, pos = 0;

	if (!p)
		return -1;
	memset(e, 0, sizeof(*e));
	for (q = p; q > line && (isdigit((unsigned char)q[-1]) || q[-1] == '.');)
		q--;
	e->ts = strtod(q, NULL);
	p += 2;
	for (ev = 0; ev < NR_EVENTS; ev++) {
		len = strlen(event_names[ev]);
		if (!strncmp(p, event_names[ev], len) && p[len] == ':')
			break;
	}
	if (ev == NR_EVENTS)
		return -1;
	e->type = ev;
	p += strlen(event_names[ev]) + 1;
	for (tok = strtok_r(p, " \t\r\n", &save); tok;
	     tok = strtok_r(NULL, " \t\r\n", &save)) {
		eq = strchr(tok, '=');
		if (eq) {
			*eq = '\0';
			parse_kv(e, tok, eq + 1);
			continue;
		}
		switch (pos++) {
		case 0:
			if (parse_endpoint(tok, &e->a))
				return -1;
			break;
		case 1:
			if (parse_endpoint(tok, &e->b))
				return -1;
			break;
		case 2:
			snprintf(e->old, sizeof(e->old), "%s", tok);
			break;
		case 4:		/* after "->" */
			snprintf(e->new, sizeof(e->new), "%s", tok);
			break;
		}
	}
	if (pos < 2 || (ev == EV_STATE && (pos < 5 || !e->new[0])))
		return -1;
	return 0;
}

/* ---- Connections ---- */

static bool ep_eq(const struct endpoint *x, const struct endpoint *y)
{
	return x->family == y->family && x->port == y->port &&
	       !memcmp(x->addr, y->addr, sizeof(x->addr));
}

static int end_of(const struct conn *c, const struct endpoint *e)
{
	return ep_eq(&c->end[CLIENT], e) ? CLIENT : SERVER;
}

/* The connection of x and y still drawn, or NULL */
static struct conn *find_conn(const struct endpoint *x,
			      const struct endpoint *y)
{
	struct conn *c;

	for (c = conns; c; c = c->next)
		if (!c->done &&
		    ((ep_eq(&c->end[0], x) && ep_eq(&c->end[1], y)) ||
		     (ep_eq(&c->end[0], y) && ep_eq(&c->end[1], x))))
			return c;
	return NULL;
}

static void flush_pending(void);

static struct conn *new_conn(const struct endpoint *client,
			     const struct endpoint *server, bool midway,
			     double t)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c) {
		fail("out of memory");
		exit(RC_ERR);
	}
	c->id = ++nconns;
	c->end[CLIENT] = *client;
	c->end[SERVER] = *server;
	c->midway = midway;
	c->t_first = c->t_last = t;
	*conns_tail = c;
	conns_tail = &c->next;
	flush_pending();
	if (!quiet)
		ladder_header(c);
	return c;
}

/* Tracing began after the SYN: guess that the higher port is the client's */
static struct conn *new_conn_guess(const struct endpoint *x,
				   const struct endpoint *y, double t)
{
	return x->port >= y->port ? new_conn(x, y, true, t) :
				    new_conn(y, x, true, t);
}

static void keep_row(struct conn *c, const struct row *r)
{
	struct row *rows;

	if (pending_conn != c)
		flush_pending();
	if (!quiet)
		ladder_row(c, r);
	if (!topt.svg)
		return;
	if (c->nrows == MAX_ROWS) {
		c->truncated = true;
		return;
	}
	if (c->nrows == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		rows = realloc(c->rows, c->cap * sizeof(*rows));
		if (!rows) {
			fail("out of memory");
			exit(RC_ERR);
		}
		c->rows = rows;
	}
	c->rows[c->nrows++] = *r;
}

/*
 * Draw the row held back, if any.  Only one is, so that the lines come out
 * in the order of the events.
 */
static void flush_pending(void)
{
	struct conn *c = pending_conn;

	if (!c)
		return;
	pending_conn = NULL;
	if (c->has_pending)
		keep_row(c, &c->pending);
	c->has_pending = false;
}

/* A state row is held back: the arrow its end sends next may join it. */
static void add_state(struct conn *c, int side, const char *name, double t)
{
	flush_pending();
	memset(&c->pending, 0, sizeof(c->pending));
	c->pending.t = t;
	snprintf(c->pending.state[side], sizeof(c->pending.state[side]), "%s",
		 name);
	c->has_pending = true;
	pending_conn = c;
}

static void add_arrow(struct conn *c, int side, const struct event *e,
		      bool in_only, double t)
{
	char fl[48], *p;
	struct row r;
	size_t n;

	if (pending_conn == c && c->pending.state[side][0]) {
		r = c->pending;		/* the sender's state, then the arrow */
		c->has_pending = false;
		pending_conn = NULL;
	} else {
		flush_pending();
		memset(&r, 0, sizeof(r));
		r.t = t;
	}
	r.arrow = true;
	r.side = side;
	r.in_only = in_only;
	r.flags = e->flags;
	p = r.text;
	n = snprintf(p, sizeof(r.text), "%s seq=%u",
		     fmt_flags(e->flags, fl, sizeof(fl)), e->seq);
	if (e->flags & FLAG_ACK && n < sizeof(r.text))
		n += snprintf(p + n, sizeof(r.text) - n, " ack=%u", e->ack);
	if (e->len && n < sizeof(r.text))
		n += snprintf(p + n, sizeof(r.text) - n, " len=%u", e->len);
	if (in_only && n < sizeof(r.text))
		snprintf(p + n, sizeof(r.text) - n, " (in)");
	keep_row(c, &r);
}

static void add_note(struct conn *c, int side, const char *text, double t)
{
	struct row r;

	flush_pending();
	memset(&r, 0, sizeof(r));
	r.t = t;
	r.note = true;
	r.side = side;
	snprintf(r.text, sizeof(r.text), "%s", text);
	keep_row(c, &r);
}

static const char *plural(unsigned int n)
{
	return n == 1 ? "" : "s";
}

/* The connection's ladder ends: its last line */
static void finish(struct conn *c, const char *how)
{
	flush_pending();
	snprintf(c->end_note, sizeof(c->end_note),
		 "%s after %.6f s: %u segment%s, %u retransmission%s, %u drop%s%s",
		 how, c->t_last - c->t_first, c->segments, plural(c->segments),
		 c->retransmits, plural(c->retransmits), c->drops,
		 plural(c->drops), c->truncated ? " (SVG truncated)" : "");
	c->done = true;
	ladder_footer(c);
}

/* Closed when every end that had a state is in CLOSE. */
static void check_closed(struct conn *c)
{
	int i;

	if (!c->had_state[CLIENT] && !c->had_state[SERVER])
		return;
	for (i = 0; i < 2; i++)
		if (c->had_state[i] && c->state[i] != TCP_CLOSE)
			return;
	finish(c, "closed");
	nclosed++;
}

/*
 * A CLOSE -> SYN_SENT at the end a connection's client is connecting to,
 * while that client waits in SYN_SENT and this end had no state yet: the
 * two programs connect to each other at once, a simultaneous open (RFC
 * 9293 figure 8).  One connection, not a new one.
 */
static bool simultaneous_open(const struct conn *c, const struct endpoint *a)
{
	return end_of(c, a) == SERVER && !c->had_state[SERVER] &&
	       c->had_state[CLIENT] && c->state[CLIENT] == TCP_SYN_SENT;
}

static void handle_state(struct event *e, double t)
{
	int st = state_number(e->new), side;
	char a[32], text[96];
	struct conn *c;

	if (!e->b.port) {	/* a listener */
		snprintf(text, sizeof(text), "listener %s: %s -> %s",
			 fmt_endpoint(&e->a, a, sizeof(a)), e->old, e->new);
		flush_pending();
		if (!quiet)
			ladder_global(t, text);
		return;
	}
	c = find_conn(&e->a, &e->b);
	if (st == TCP_SYN_SENT && !strcmp(e->old, "CLOSE")) {
		if (c && !simultaneous_open(c, &e->a)) {
			finish(c, "superseded by a new connect");
			c = NULL;
		}
		if (!c)
			c = new_conn(&e->a, &e->b, false, t);
	} else if (!c) {
		if (st == TCP_CLOSE)
			return;		/* the end of one we never saw */
		if (!strcmp(e->old, "LISTEN"))
			c = new_conn(&e->b, &e->a, false, t);
		else
			c = new_conn_guess(&e->a, &e->b, t);
	}
	side = end_of(c, &e->a);
	c->observed[side] = true;
	c->had_state[side] = true;
	c->state[side] = st;
	c->t_last = t;
	add_state(c, side, e->new, t);
	if (st == TCP_CLOSE)
		check_closed(c);
}

static void handle_segment(struct event *e, double t)
{
	bool syn_only = (e->flags & (FLAG_SYN | FLAG_ACK)) == FLAG_SYN;
	bool synack = (e->flags & (FLAG_SYN | FLAG_ACK)) == (FLAG_SYN | FLAG_ACK);
	struct conn *c = find_conn(&e->a, &e->b);
	int side;

	/* drawn from the sender's mytcp_segment_out */
	if (e->type == EV_IN && c && c->observed[end_of(c, &e->a)])
		return;
	/* a SYN with a new ISN from the client: a new connection */
	if (c && syn_only && end_of(c, &e->a) == CLIENT && c->isn_known &&
	    e->seq != c->client_isn) {
		finish(c, "superseded by a new SYN");
		c = NULL;
	}
	if (!c) {
		if (syn_only)
			c = new_conn(&e->a, &e->b, false, t);
		else if (synack)
			c = new_conn(&e->b, &e->a, false, t);
		else
			c = new_conn_guess(&e->a, &e->b, t);
	}
	side = end_of(c, &e->a);
	if (e->type == EV_OUT)
		c->observed[side] = true;
	if (syn_only && side == CLIENT && !c->isn_known) {
		c->isn_known = true;
		c->client_isn = e->seq;
	}
	c->segments++;
	c->t_last = t;
	add_arrow(c, side, e, e->type == EV_IN, t);
}

static void handle(struct event *e)
{
	char a[32], b[32], text[112];
	struct conn *c;
	double t;

	if (topt.port && e->a.port != topt.port && e->b.port != topt.port)
		return;
	if (t_base < 0)
		t_base = e->ts;
	t = e->ts - t_base;
	switch (e->type) {
	case EV_STATE:
		handle_state(e, t);
		break;
	case EV_OUT:
	case EV_IN:
		handle_segment(e, t);
		break;
	case EV_RETRANS:
		c = find_conn(&e->a, &e->b);
		if (!c)
			c = new_conn_guess(&e->a, &e->b, t);
		c->retransmits++;
		c->t_last = t;
		snprintf(text, sizeof(text), "retransmit (%s) seq=%u len=%u rto=%ums",
			 e->why, e->seq, e->len, e->rto_us / 1000);
		add_note(c, end_of(c, &e->a), text, t);
		break;
	case EV_DELACK:
		c = find_conn(&e->a, &e->b);
		if (!c)
			break;
		c->t_last = t;
		snprintf(text, sizeof(text), "delayed ACK ack=%u after %ums",
			 e->ack, e->rto_us / 1000);
		add_note(c, end_of(c, &e->a), text, t);
		break;
	case EV_DROP:
		/* SRC is the sender, DST the end that dropped it */
		c = find_conn(&e->b, &e->a);
		if (!c) {
			snprintf(text, sizeof(text), "drop at %s from %s: %s",
				 fmt_endpoint(&e->b, b, sizeof(b)),
				 fmt_endpoint(&e->a, a, sizeof(a)), e->reason);
			flush_pending();
			if (!quiet)
				ladder_global(t, text);
			break;
		}
		c->drops++;
		c->t_last = t;
		snprintf(text, sizeof(text), "drop: %s", e->reason);
		add_note(c, end_of(c, &e->b), text, t);
		break;
	default:
		break;
	}
}

/* Handle the complete lines in buf; returns the bytes left over. */
static size_t handle_lines(char *buf, size_t fill)
{
	char *line = buf, *nl;
	struct event e;

	while ((nl = memchr(line, '\n', fill - (line - buf)))) {
		*nl = '\0';
		if (!parse_event(line, &e))
			handle(&e);
		line = nl + 1;
	}
	fill -= line - buf;
	memmove(buf, line, fill);
	return fill;
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Read and draw until the end; returns 0 or an exit code. */
static int trace_loop(struct tracer *tr)
{
	static char buf[1 << 16];
	uint64_t deadline = topt.duration_ms ? now_ms() + topt.duration_ms : 0;
	struct pollfd pfd = { .fd = tr->fd, .events = POLLIN };
	size_t fill = 0;
	int timeout, drain = 0;
	ssize_t n;

	for (;;) {
		if (topt.count && (uint64_t)nclosed >= topt.count)
			return RC_OK;
		timeout = 100;
		if (stop_signal || (deadline && now_ms() >= deadline)) {
			/* what is in the buffer still happened in time */
			if (drain++ > 1000)
				return RC_OK;
			timeout = 0;
		} else if (deadline && deadline - now_ms() < 100) {
			timeout = deadline - now_ms();
		}
		if (poll(&pfd, 1, timeout) < 0 && errno != EINTR)
			return syserr("poll trace_pipe");
		n = read(tr->fd, buf + fill, sizeof(buf) - 1 - fill);
		if (n > 0) {
			fill = handle_lines(buf, fill + n);
			if (fill == sizeof(buf) - 1)
				fill = 0;	/* no line is that long */
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return syserr("read trace_pipe");
		/* idle: draw the rows held back for an arrow */
		flush_pending();
		if (drain)
			return RC_OK;
	}
}

/* --input: the lines of a saved trace, up to its end */
static int replay(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL;
	struct event e;
	size_t len = 0;

	if (!f)
		return syserr("open %s", path);
	while (getline(&line, &len, f) >= 0 &&
	       !(topt.count && (uint64_t)nclosed >= topt.count))
		if (!parse_event(line, &e))
			handle(&e);
	free(line);
	if (f != stdin)
		fclose(f);
	return RC_OK;
}

int cmd_trace(int argc, char **argv)
{
	struct tracer tr = { .fd = -1 };
	struct sigaction sa;
	struct conn *c;
	char how[96];
	int c_opt, rc, open_conns = 0;

	role = "trace";
	while ((c_opt = getopt_long(argc, argv, "hq", trace_options, NULL)) != -1) {
		switch (c_opt) {
		case 0:
			break;
		case OPT_DURATION:
			topt.duration_ms = opt_ms("duration", optarg);
			break;
		case OPT_COUNT_CONN:
			topt.count = opt_num("count-connections", optarg,
					     INT_MAX, false);
			break;
		case OPT_SVG:
			topt.svg = optarg;
			break;
		case OPT_TRACEFS:
			topt.tracefs = optarg;
			break;
		case OPT_PORT:
			topt.port = opt_num("port", optarg, 65535, false);
			break;
		case OPT_READY:
			topt.ready_file = optarg;
			break;
		case OPT_INPUT:
			topt.input = optarg;
			break;
		default:
			common_option(c_opt, argv, trace_usage);
		}
	}
	no_more_args(argc, argv);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	if (topt.input) {
		rc = replay(topt.input);
		goto done;
	}
	rc = tracer_start(&tr);
	if (rc)
		return rc;
	if (!quiet)
		fprintf(stderr, "trace: tracing the mytcp events in %s\n", tr.dir);
	if (topt.ready_file) {
		bool q = quiet;

		quiet = true;	/* no "ready file" line among the ladders */
		rc = write_ready_file(topt.ready_file, (unsigned int)getpid());
		quiet = q;
		if (rc) {
			tracer_stop(&tr);
			return rc;
		}
	}
	rc = trace_loop(&tr);
	tracer_stop(&tr);
done:
	flush_pending();
	for (c = conns; c; c = c->next) {
		if (c->done)
			continue;
		if (!c->had_state[CLIENT] && !c->had_state[SERVER]) {
			/* say, a RST answering a segment after the close */
			finish(c, "segments of no traced connection state");
			continue;
		}
		snprintf(how, sizeof(how), "still open at the end: client %s, server %s",
			 c->state[CLIENT] ? state_name(c->state[CLIENT]) : "-",
			 c->state[SERVER] ? state_name(c->state[SERVER]) : "-");
		finish(c, how);
		open_conns++;
	}
	printf("-- %d connection%s traced, %d closed, %d still open --\n",
	       nconns, plural(nconns), nclosed, open_conns);
	if (topt.svg && !rc)
		rc = ladder_svg(topt.svg, conns);
	if (!rc && topt.count && (uint64_t)nclosed < topt.count) {
		fail("only %d of %llu connections closed before the end",
		     nclosed, (unsigned long long)topt.count);
		rc = RC_TIMEDOUT;
	}
	while (conns) {
		c = conns->next;
		free(conns->rows);
		free(conns);
		conns = c;
	}
	return rc;
}
