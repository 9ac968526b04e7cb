// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp tool: ss, the sockets of /proc/net/mytcp and mytcp6 (or
 * /proc/net/tcp and tcp6) in the columns of `ss -tan -o`.
 *
 * Both files have the layout of /proc/net/tcp: "sl local rem st tx:rx
 * tr:when retrnsmt uid timeout inode", then for full sockets refcount,
 * pointer and the protocol fields (mytcp: rto_ms cwnd, then ato_ms and
 * quickack; tcp: rto in clock ticks, ato, quick/pingpong, cwnd, ssthresh).  Addresses are the __be32 in
 * hex as the host stores it, ports in host order; tx, rx, tr, when and
 * retrnsmt are hex, when in clock ticks (USER_HZ).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <uapi/linux/mytcp.h>

#include "mytcp.h"

/* ss's names for the TCP_* states */
static const char *const ss_state_names[NR_STATES] = {
	[0] = "UNKNOWN", [1] = "ESTAB", [2] = "SYN-SENT", [3] = "SYN-RECV",
	[4] = "FIN-WAIT-1", [5] = "FIN-WAIT-2", [6] = "TIME-WAIT",
	[7] = "UNCONN", [8] = "CLOSE-WAIT", [9] = "LAST-ACK", [10] = "LISTEN",
	[11] = "CLOSING",
};

/* The tr column: which timer is pending, as ss names it */
static const char *const timer_names[] = {
	"off", "on", "keepalive", "timewait", "persist", "unknown",
};

struct ss_row {
	char local[56], peer[56];
	unsigned int state, tr, retrans, uid;
	unsigned long tx, rx, when, inode;
	long rto_ms, cwnd;		/* -1: not in the row */
	long ato_ms, quick;		/* -1: not in the row */
};

static const char ss_usage[] =
	"usage: mytcp ss [-a] [-l] [-e] [--proto mytcp|tcp] [--file PATH]\n"
	"\n"
	"List the sockets of this network namespace like `ss -tan -o`, from\n"
	"/proc/net/mytcp and mytcp6 (or /proc/net/tcp and tcp6 with --proto\n"
	"tcp), IPv6 addresses in brackets: State, Recv-Q,\n"
	"Send-Q, Local Address:Port, Peer Address:Port and the pending timer,\n"
	"timer:(on|keepalive|timewait|persist,remaining,retransmissions).\n"
	"\n"
	"  -a, --all           all sockets; the default, as for ss, leaves out\n"
	"                      LISTEN, SYN-RECV, TIME-WAIT and UNCONN\n"
	"  -l, --listening     only listening sockets\n"
	"  -e, --extended      also uid, inode and, where the file has them, the\n"
	"                      retransmission timeout and congestion window\n"
	"  -n, -t              accepted and ignored (always numeric, always TCP)\n"
	"  --file PATH         read PATH, a file in that layout\n"
	COMMON_USAGE
	"\n"
	"A LISTEN row shows Send-Q 0 and the accept queue as Recv-Q, as\n"
	"/proc/net/tcp does (ss -l shows the backlog there instead).\n";

enum { OPT_FILE = OPT_CMD_BASE };

static const struct option ss_options[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "listening", no_argument, NULL, 'l' },
	{ "extended", no_argument, NULL, 'e' },
	{ "numeric", no_argument, NULL, 'n' },
	{ "tcp", no_argument, NULL, 't' },
	{ "file", required_argument, NULL, OPT_FILE },
	COMMON_OPTIONS,
};

/*
 * "0100007F:1388" -> "127.0.0.1:5000", and the 32 digits of an IPv6 row
 * (mytcp6, tcp6: four words, each the raw u32 in hex) -> "[::1]:5000";
 * port 0 is "*" as ss prints it.
 */
static int parse_endpoint(const char *hex, char *out, size_t len)
{
	unsigned int w[4], port;
	char ip[INET6_ADDRSTRLEN];
	int family = AF_INET;

	const char *colon = strchr(hex, ':');

	if (!colon)
		return -1;
	if (colon - hex == 32) {
		if (sscanf(hex, "%8X%8X%8X%8X:%4X", &w[0], &w[1], &w[2], &w[3],
			   &port) != 5)
			return -1;
		family = AF_INET6;
	} else if (sscanf(hex, "%8X:%4X", &w[0], &port) != 2) {
		return -1;
	}
	/* the kernel printed the raw words: their bytes are the address */
	inet_ntop(family, w, ip, sizeof(ip));
	snprintf(out, len, family == AF_INET6 ? "[%s]:" : "%s:", ip);
	if (port)
		snprintf(out + strlen(out), len - strlen(out), "%u", port);
	else
		snprintf(out + strlen(out), len - strlen(out), "*");
	return 0;
}

/* Parse one line of the table; returns 0, or -1 for a malformed line. */
static int parse_row(char *line, struct ss_row *r, bool mytcp)
{
	char *f[20], *save = NULL, *tok;
	int n = 0;

	for (tok = strtok_r(line, " \t\n", &save); tok && n < 20;
	     tok = strtok_r(NULL, " \t\n", &save))
		f[n++] = tok;
	if (n < 10)
		return -1;
	memset(r, 0, sizeof(*r));
	r->rto_ms = -1;
	r->cwnd = -1;
	r->ato_ms = -1;
	r->quick = -1;
	if (parse_endpoint(f[1], r->local, sizeof(r->local)) ||
	    parse_endpoint(f[2], r->peer, sizeof(r->peer)))
		return -1;
	if (sscanf(f[3], "%X", &r->state) != 1 ||
	    sscanf(f[4], "%lX:%lX", &r->tx, &r->rx) != 2 ||
	    sscanf(f[5], "%X:%lX", &r->tr, &r->when) != 2 ||
	    sscanf(f[6], "%X", &r->retrans) != 1 ||
	    sscanf(f[7], "%u", &r->uid) != 1 ||
	    sscanf(f[9], "%lu", &r->inode) != 1)
		return -1;
	if (mytcp && n >= 14) {
		r->rto_ms = strtol(f[12], NULL, 10);
		r->cwnd = strtol(f[13], NULL, 10);
		if (n >= 16) {
			r->ato_ms = strtol(f[14], NULL, 10);
			r->quick = strtol(f[15], NULL, 10);
		}
	} else if (!mytcp && n >= 16) {
		r->rto_ms = strtol(f[12], NULL, 10) * 1000 /
			    sysconf(_SC_CLK_TCK);
		r->ato_ms = strtol(f[13], NULL, 10) * 1000 /
			    sysconf(_SC_CLK_TCK);
		r->quick = strtol(f[14], NULL, 10) >> 1;
		r->cwnd = strtol(f[15], NULL, 10);
	}
	return 0;
}

/* ss's print_ms_timer(): "200ms", "1.500ms"... "59sec", "1min30sec" */
static const char *fmt_ms(unsigned long ms, char *buf, size_t len)
{
	unsigned long minutes = ms / 60000, secs = ms / 1000 % 60;
	unsigned long msecs = ms % 1000;
	size_t n = 0;

	buf[0] = '\0';
	if (minutes) {
		msecs = 0;
		n += snprintf(buf, len, "%lumin", minutes);
		if (minutes > 9)
			secs = 0;
	}
	if (secs && n < len) {
		if (secs > 9)
			msecs = 0;
		n += snprintf(buf + n, len - n, "%lu%s", secs,
			      msecs ? "." : "sec");
	}
	if (msecs && n < len)
		snprintf(buf + n, len - n, "%03lums", msecs);
	return buf;
}

static bool wanted(const struct ss_row *r, bool all, bool listening)
{
	if (listening)
		return r->state == 10;
	if (all)
		return true;
	/* ss's SS_CONN */
	return r->state != 10 && r->state != 7 && r->state != 6 &&
	       r->state != 3;
}

static void print_row(const struct ss_row *r, int lw, int pw, bool ext,
		      long hz)
{
	const char *st = r->state < NR_STATES ? ss_state_names[r->state] :
						 "UNKNOWN";
	char tbuf[32];

	printf("%-11s %-6lu %-6lu %-*s %-*s", st, r->rx, r->tx, lw, r->local,
	       pw, r->peer);
	if (r->tr) {
		unsigned int t = r->tr < 5 ? r->tr : 5;

		printf(" timer:(%s,%s,%u)", timer_names[t],
		       fmt_ms((r->when * 1000 + hz - 1) / hz, tbuf,
			      sizeof(tbuf)), r->retrans);
	}
	if (ext) {
		printf(" uid:%u ino:%lu", r->uid, r->inode);
		if (r->rto_ms >= 0)
			printf(" rto:%ld cwnd:%ld", r->rto_ms, r->cwnd);
		if (r->ato_ms >= 0)
			printf(" ato:%ld qack:%ld", r->ato_ms, r->quick);
	}
	putchar('\n');
}

/* The rows of one table kept by @all and @listening, appended to @rows */
struct ss_table {
	struct ss_row *rows;
	size_t nrows, cap;
	int lw, pw;
};

static int read_table(const char *path, struct ss_table *t, bool all,
		      bool listening, bool must_exist)
{
	struct ss_row *r;
	size_t len = 0;
	char *line = NULL;
	FILE *f;
	int w;

	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT && !must_exist)
			return RC_OK;
		if (errno == ENOENT && opt_proto == IPPROTO_MYTCP)
			return fail("no %s: is the mytcp module loaded?", path);
		return syserr("open %s", path);
	}
	/* the header line, then one socket per line */
	if (getline(&line, &len, f) < 0) {
		fclose(f);
		free(line);
		return fail("%s: empty", path);
	}
	while (getline(&line, &len, f) >= 0) {
		if (t->nrows == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 64;
			r = realloc(t->rows, t->cap * sizeof(*t->rows));
			if (!r) {
				fclose(f);
				free(line);
				return fail("out of memory");
			}
			t->rows = r;
		}
		r = &t->rows[t->nrows];
		if (parse_row(line, r, opt_proto == IPPROTO_MYTCP)) {
			fail("%s: a line in an unknown layout: skipped", path);
			continue;
		}
		if (!wanted(r, all, listening))
			continue;
		w = strlen(r->local);
		t->lw = w > t->lw ? w : t->lw;
		w = strlen(r->peer);
		t->pw = w > t->pw ? w : t->pw;
		t->nrows++;
	}
	fclose(f);
	free(line);
	return RC_OK;
}

int cmd_ss(int argc, char **argv)
{
	bool all = false, listening = false, ext = false;
	struct ss_table t = { .lw = 18, .pw = 17 };
	const char *path = NULL;
	long hz = sysconf(_SC_CLK_TCK);
	size_t i;
	int c, rc;

	role = "ss";
	while ((c = getopt_long(argc, argv, "alentqh", ss_options, NULL)) != -1) {
		switch (c) {
		case 'a':
			all = true;
			break;
		case 'l':
			listening = true;
			break;
		case 'e':
			ext = true;
			break;
		case 'n':
		case 't':
			break;
		case OPT_FILE:
			path = optarg;
			break;
		default:
			common_option(c, argv, ss_usage);
		}
	}
	no_more_args(argc, argv);
	if (hz <= 0)
		hz = 100;
	if (path) {
		rc = read_table(path, &t, all, listening, true);
	} else if (opt_proto == IPPROTO_MYTCP) {
		/* the AF_INET sockets, then the AF_INET6 ones, as ss lists */
		rc = read_table("/proc/net/mytcp", &t, all, listening, true);
		if (rc == RC_OK)
			rc = read_table("/proc/net/mytcp6", &t, all, listening,
					false);
	} else {
		rc = read_table("/proc/net/tcp", &t, all, listening, true);
		if (rc == RC_OK)
			rc = read_table("/proc/net/tcp6", &t, all, listening,
					false);
	}
	if (rc != RC_OK) {
		free(t.rows);
		return rc;
	}

	printf("%-11s %-6s %-6s %-*s %-*s %s\n", "State", "Recv-Q", "Send-Q",
	       t.lw, "Local Address:Port", t.pw, "Peer Address:Port", "Timer");
	for (i = 0; i < t.nrows; i++)
		print_row(&t.rows[i], t.lw, t.pw, ext, hz);
	free(t.rows);
	return RC_OK;
}
