// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp - userspace tool for the mytcp transport (IP protocol 253)
 *
 * A small server and client that drive connections step by step and print
 * every step, for demos and selftests, and the tools to watch the protocol:
 * sockets, counters and a live ladder diagram from the tracepoints.  With
 * --proto tcp the same code runs over plain TCP, which is how the tool
 * itself is tested on machines without the module.
 *
 *   mytcp serve   --port P [--mode echo|discard|sink] ...
 *   mytcp connect --addr A --port P [--send N | --data S | --stdin] ...
 *   mytcp states
 *   mytcp ss      [-a] [-l] [--proto mytcp|tcp]
 *   mytcp stat    [--delta S] [--count N] [--nonzero]
 *   mytcp trace   [--duration S] [--count-connections N] [--svg FILE]
 *
 * Exit status: 0 success, 1 error, 2 ECONNREFUSED, 3 ETIMEDOUT,
 * 4 ECONNRESET or EPIPE.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uapi/linux/mytcp.h>

#include "mytcp.h"

const char *role = "mytcp";
bool quiet;
int opt_proto = IPPROTO_MYTCP;

/* ---- Output ---- */

static const struct {
	int err;
	const char *name;
} errno_names[] = {
#define E(x) { x, #x }
	E(EPERM), E(ENOENT), E(EINTR), E(EIO), E(EBADF), E(EAGAIN),
	E(ENOMEM), E(EACCES), E(EFAULT), E(EBUSY), E(EEXIST), E(EINVAL),
	E(ENFILE), E(EMFILE), E(ENOSPC), E(EPIPE), E(ENOSYS), E(ENOTSOCK),
	E(EDESTADDRREQ), E(EMSGSIZE), E(EPROTOTYPE), E(ENOPROTOOPT),
	E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(EOPNOTSUPP),
	E(EPFNOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL),
	E(ENETDOWN), E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED),
	E(ECONNRESET), E(ENOBUFS), E(EISCONN), E(ENOTCONN), E(ESHUTDOWN),
	E(ETIMEDOUT), E(ECONNREFUSED), E(EHOSTDOWN), E(EHOSTUNREACH),
	E(EALREADY), E(EINPROGRESS),
#undef E
};

static const char *errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return "E?";
}

void say(bool summary, const char *fmt, ...)
{
	va_list ap;

	if (quiet && !summary)
		return;
	va_start(ap, fmt);
	printf("%s: ", role);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

/*
 * "role: text" on stderr, then ": strerror (ENAME)" when err is nonzero.
 * Returns the exit code for err, so callers can "return syserr(...)".
 */
static int vreport(int err, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: ", role);
	vfprintf(stderr, fmt, ap);
	if (err)
		fprintf(stderr, ": %s (%s)", strerror(err), errno_name(err));
	fputc('\n', stderr);
	switch (err) {
	case ECONNREFUSED:
		return RC_REFUSED;
	case ETIMEDOUT:
		return RC_TIMEDOUT;
	case ECONNRESET:
	case EPIPE:
		return RC_RESET;
	default:
		return RC_ERR;
	}
}

int syserr(const char *fmt, ...)
{
	int rc, err = errno;
	va_list ap;

	va_start(ap, fmt);
	rc = vreport(err, fmt, ap);
	va_end(ap);
	return rc;
}

int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(0, fmt, ap);
	va_end(ap);
	return RC_ERR;
}

const char *fmt_addr(const struct sockaddr_in *sin, char *buf,
			    size_t len)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, ntohs(sin->sin_port));
	return buf;
}

/* ---- TCP states ---- */

const char *const state_names[NR_STATES] = {
	[1] = "ESTABLISHED", [2] = "SYN_SENT", [3] = "SYN_RECV",
	[4] = "FIN_WAIT1", [5] = "FIN_WAIT2", [6] = "TIME_WAIT", [7] = "CLOSE",
	[8] = "CLOSE_WAIT", [9] = "LAST_ACK", [10] = "LISTEN", [11] = "CLOSING",
};

const char *state_name(unsigned int state)
{
	static char buf[32];

	if (state < ARRAY_SIZE(state_names) && state_names[state])
		return state_names[state];
	snprintf(buf, sizeof(buf), "UNKNOWN(%u)", state);
	return buf;
}

int state_number(const char *name)
{
	int i;

	for (i = 1; i < NR_STATES; i++)
		if (!strcmp(name, state_names[i]))
			return i;
	return -1;
}

/* ---- Options ---- */

void common_option(int c, char **argv, const char *usage)
{
	switch (c) {
	case 'h':
		fputs(usage, stdout);
		exit(RC_OK);
	case 'q':
		quiet = true;
		break;
	case OPT_PROTO:
		if (!strcmp(optarg, "mytcp"))
			opt_proto = IPPROTO_MYTCP;
		else if (!strcmp(optarg, "tcp"))
			opt_proto = IPPROTO_TCP;
		else
			exit(fail("--proto must be mytcp or tcp"));
		break;
	default:	/* getopt_long already said what is wrong */
		exit(fail("try 'mytcp %s --help'", argv[0]));
	}
}

void no_more_args(int argc, char **argv)
{
	if (optind < argc)
		exit(fail("unexpected argument '%s'; try 'mytcp %s --help'",
			  argv[optind], argv[0]));
}

/*
 * Parse an unsigned decimal number no larger than max; with sizes, a K, M
 * or G suffix multiplies by 2^10, 2^20 or 2^30.  Exits on a bad value.
 */
uint64_t opt_num(const char *name, const char *arg, uint64_t max, bool sizes)
{
	static const char suffixes[] = "kmg";
	unsigned long long v;
	unsigned int shift = 0;
	const char *sfx;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (sizes && end != arg && *end) {
		sfx = strchr(suffixes, *end | 0x20);	/* ASCII lower case */
		if (sfx) {
			shift = 10 * (sfx - suffixes + 1);
			end++;
			if (v > (max >> shift))
				errno = ERANGE;
			v <<= shift;
		}
	}
	if (errno || end == arg || *end || arg[0] == '-' || v > max)
		exit(fail("invalid number '%s' for --%s", arg, name));
	return v;
}

uint64_t opt_ms(const char *name, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= 0) || v > 1e9)
		exit(fail("invalid number of seconds '%s' for --%s", arg, name));
	return (uint64_t)(v * 1000 + 0.5);
}

int write_ready_file(const char *path, unsigned int value)
{
	char tmp[PATH_MAX];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid()) >=
	    (int)sizeof(tmp))
		return fail("--ready-file path too long");
	f = fopen(tmp, "w");
	if (!f)
		return syserr("open %s", tmp);
	fprintf(f, "%u\n", value);
	if (fclose(f) != 0) {
		unlink(tmp);
		return syserr("write %s", tmp);
	}
	if (rename(tmp, path) < 0) {
		unlink(tmp);
		return syserr("rename %s", path);
	}
	step("ready file %s", path);
	return RC_OK;
}

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- states and the command table ---- */

static const char states_usage[] =
	"usage: mytcp states\n"
	"\n"
	"Print the kernel's TCP state numbers and names, which mytcp shares.\n"
	"\n"
	COMMON_USAGE;

static const struct option states_options[] = {
	COMMON_OPTIONS,
};

static int cmd_states(int argc, char **argv)
{
	unsigned int i;
	int c;

	while ((c = getopt_long(argc, argv, "hq", states_options, NULL)) != -1)
		common_option(c, argv, states_usage);
	no_more_args(argc, argv);
	for (i = 1; i < ARRAY_SIZE(state_names); i++)
		printf("%u %s\n", i, state_names[i]);
	return RC_OK;
}

/*
 * The subcommands.  Each parses its own options from argv, with argv[0] the
 * command's name, and returns the exit status.
 */
static const struct cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} cmds[] = {
	{ "serve", cmd_serve, "accept connections; echo, discard or hash data" },
	{ "connect", cmd_connect, "connect, send data, check the echo, close" },
	{ "states", cmd_states, "list the TCP state numbers and names" },
	{ "ss", cmd_ss, "list sockets, like ss -tan" },
	{ "stat", cmd_stat, "print the counters, or their change per interval" },
	{ "trace", cmd_trace, "draw connections live from the tracepoints" },
};

static void usage(FILE *f)
{
	size_t i;

	fputs("usage: mytcp COMMAND [OPTIONS]\n"
	      "       mytcp COMMAND --help\n"
	      "\n"
	      "Drive connections over mytcp (IP protocol 253) or, with\n"
	      "--proto tcp, over TCP, and print every step.\n"
	      "\n"
	      "Commands:\n", f);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(f, "  %-10s%s\n", cmds[i].name, cmds[i].summary);
	fputs("\nOptions of every command:\n" COMMON_USAGE
	      "\n"
	      "Exit status: 0 success, 1 error, 2 connection refused\n"
	      "(ECONNREFUSED), 3 timed out (ETIMEDOUT), 4 reset (ECONNRESET,\n"
	      "EPIPE).\n", f);
}

int main(int argc, char **argv)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);	/* a closed peer is EPIPE, not death */

	if (argc < 2) {
		usage(stderr);
		return RC_ERR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return RC_OK;
	}
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	return fail("unknown command '%s'; try 'mytcp --help'", argv[1]);
}
