// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp - userspace tool for the mytcp transport (IP protocol 253)
 *
 * A small server and client that drive connections step by step and print
 * every step, for demos and selftests.  With --proto tcp the same code runs
 * over plain TCP, which is how the tool itself is tested on machines without
 * the module.
 *
 *   mytcp serve   --port P [--mode echo|discard|sink] ...
 *   mytcp connect --addr A --port P [--send N | --data S | --stdin] ...
 *   mytcp states
 *
 * Exit status: 0 success, 1 error, 2 ECONNREFUSED, 3 ETIMEDOUT,
 * 4 ECONNRESET or EPIPE.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <uapi/linux/mytcp.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define CHUNK		65536	/* bytes per send()/recv() */

/* Exit codes: scripts tell a refused connection from a reset one. */
enum {
	RC_OK		= 0,
	RC_ERR		= 1,
	RC_REFUSED	= 2,	/* ECONNREFUSED */
	RC_TIMEDOUT	= 3,	/* ETIMEDOUT */
	RC_RESET	= 4,	/* ECONNRESET, EPIPE */
};

static const char *role = "mytcp";	/* prefix of every output line */
static bool quiet;			/* --quiet: no step lines */

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

/*
 * One line "role: text" on stdout.  Steps of the protocol are suppressed by
 * --quiet, summaries (byte counts, hashes) are not.
 */
#define step(...)	say(false, __VA_ARGS__)
#define summary(...)	say(true, __VA_ARGS__)

static void __attribute__((format(printf, 2, 3)))
say(bool summary, const char *fmt, ...)
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

/* A failed syscall: "role: call: strerror (ENAME)"; returns the exit code. */
static int __attribute__((format(printf, 1, 2))) syserr(const char *fmt, ...)
{
	int rc, err = errno;
	va_list ap;

	va_start(ap, fmt);
	rc = vreport(err, fmt, ap);
	va_end(ap);
	return rc;
}

/* Any other error: "role: text"; returns 1. */
static int __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(0, fmt, ap);
	va_end(ap);
	return RC_ERR;
}

static const char *fmt_addr(const struct sockaddr_in *sin, char *buf,
			    size_t len)
{
	char ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
	snprintf(buf, len, "%s:%u", ip, ntohs(sin->sin_port));
	return buf;
}

/* ---- TCP states and connection info ---- */

/* The kernel's TCP_* state numbers (include/net/tcp_states.h). */
static const char *const state_names[] = {
	[1] = "ESTABLISHED", [2] = "SYN_SENT", [3] = "SYN_RECV",
	[4] = "FIN_WAIT1", [5] = "FIN_WAIT2", [6] = "TIME_WAIT", [7] = "CLOSE",
	[8] = "CLOSE_WAIT", [9] = "LAST_ACK", [10] = "LISTEN", [11] = "CLOSING",
};

static const char *state_name(unsigned int state)
{
	static char buf[32];

	if (state < ARRAY_SIZE(state_names) && state_names[state])
		return state_names[state];
	snprintf(buf, sizeof(buf), "UNKNOWN(%u)", state);
	return buf;
}

/*
 * One "info" step line with the connection's protocol state: MYTCP_INFO for
 * mytcp, TCP_INFO for tcp.  A failing getsockopt is reported, not fatal.
 */
static void print_info(int fd, int proto)
{
	socklen_t len;

	if (quiet)
		return;
	if (proto == IPPROTO_MYTCP) {
		struct mytcp_info mi;

		memset(&mi, 0, sizeof(mi));
		len = sizeof(mi);
		if (getsockopt(fd, SOL_MYTCP, MYTCP_INFO, &mi, &len) < 0) {
			syserr("info: getsockopt(SOL_MYTCP, MYTCP_INFO)");
			return;
		}
		step("info state=%s iss=%u irs=%u snd_una=%u snd_nxt=%u"
		     " rcv_nxt=%u snd_wnd=%u rcv_wnd=%u mss=%u rto_us=%u"
		     " srtt_us=%u rttvar_us=%u cwnd=%u ssthresh=%u"
		     " retransmits=%u bytes_acked=%llu bytes_received=%llu",
		     state_name(mi.state), mi.iss, mi.irs, mi.snd_una,
		     mi.snd_nxt, mi.rcv_nxt, mi.snd_wnd, mi.rcv_wnd, mi.mss,
		     mi.rto_us, mi.srtt_us, mi.rttvar_us, mi.cwnd, mi.ssthresh,
		     mi.retransmits, (unsigned long long)mi.bytes_acked,
		     (unsigned long long)mi.bytes_received);
	} else {
		struct tcp_info ti;

		memset(&ti, 0, sizeof(ti));
		len = sizeof(ti);
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0) {
			syserr("info: getsockopt(IPPROTO_TCP, TCP_INFO)");
			return;
		}
		step("info state=%s snd_mss=%u rcv_mss=%u rto_us=%u rtt_us=%u"
		     " rttvar_us=%u cwnd=%u retransmits=%u",
		     state_name(ti.tcpi_state), ti.tcpi_snd_mss,
		     ti.tcpi_rcv_mss, ti.tcpi_rto, ti.tcpi_rtt, ti.tcpi_rttvar,
		     ti.tcpi_snd_cwnd, ti.tcpi_total_retrans);
	}
}

/* ---- SHA-256 (FIPS 180-4), small and unoptimised ---- */

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	uint8_t buf[64];	/* partial block */
	size_t fill;		/* bytes in buf */
};

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror32(uint32_t x, unsigned int n)
{
	return x >> n | x << (32 - n);
}

static void sha256_block(uint32_t h[8], const uint8_t *p)
{
	uint32_t w[64], v[8], t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = w[i - 16] + w[i - 7] +
		       (ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^
			(w[i - 15] >> 3)) +
		       (ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^
			(w[i - 2] >> 10));
	memcpy(v, h, sizeof(v));
	/* v[0..7] are the working variables a..h */
	for (i = 0; i < 64; i++) {
		t1 = v[7] + (ror32(v[4], 6) ^ ror32(v[4], 11) ^ ror32(v[4], 25)) +
		     ((v[4] & v[5]) ^ (~v[4] & v[6])) + sha256_k[i] + w[i];
		t2 = (ror32(v[0], 2) ^ ror32(v[0], 13) ^ ror32(v[0], 22)) +
		     ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(&v[1], &v[0], 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		h[i] += v[i];
}

static void sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->fill = 0;
}

static void sha256_update(struct sha256 *s, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t take;

	s->len += n;
	while (n) {
		take = 64 - s->fill;
		if (take > n)
			take = n;
		memcpy(s->buf + s->fill, p, take);
		s->fill += take;
		p += take;
		n -= take;
		if (s->fill == 64) {
			sha256_block(s->h, s->buf);
			s->fill = 0;
		}
	}
}

/* Finish the hash and write it as 64 hex digits plus NUL into hex. */
static void sha256_hex(struct sha256 *s, char hex[65])
{
	uint64_t bits = s->len * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padlen = (s->fill < 56 ? 56 : 120) - s->fill;
	int i;

	for (i = 0; i < 8; i++)
		pad[padlen + i] = bits >> (56 - 8 * i);
	sha256_update(s, pad, padlen + 8);
	for (i = 0; i < 8; i++)
		snprintf(hex + 8 * i, 9, "%08" PRIx32, s->h[i]);
}

/* ---- Options ---- */

enum mode { MODE_ECHO, MODE_DISCARD, MODE_SINK };
static const char *const mode_names[] = { "echo", "discard", "sink" };

/* The command line; flags are ints so getopt_long can set them. */
static struct opts {
	int proto;			/* IPPROTO_MYTCP or IPPROTO_TCP */
	struct sockaddr_in addr;	/* serve: local, connect: remote */
	bool have_addr, have_port;
	int hash;
	/* serve */
	enum mode mode;
	uint64_t count;			/* connections to serve, 0: forever */
	int backlog, reuseaddr, fork;
	const char *ready_file;
	/* connect */
	bool have_send;
	int use_stdin, expect_echo, shutdown, linger0;
	uint64_t send_len, seed, hold_ms;
	const char *data;
} opt = {
	.proto = IPPROTO_MYTCP,
	.addr = { .sin_family = AF_INET, .sin_addr = { INADDR_ANY } },
	.mode = MODE_ECHO,
	.backlog = 16,
	.seed = 1,
};

enum {
	OPT_PROTO = 256, OPT_ADDR, OPT_PORT, OPT_MODE, OPT_COUNT, OPT_BACKLOG,
	OPT_READY_FILE, OPT_SEND, OPT_DATA, OPT_SEED, OPT_HOLD,
};

#define COMMON_OPTIONS							\
	{ "proto", required_argument, NULL, OPT_PROTO },		\
	{ "quiet", no_argument, NULL, 'q' },				\
	{ "help", no_argument, NULL, 'h' },				\
	{ NULL, 0, NULL, 0 }

#define COMMON_USAGE							\
	"  --proto mytcp|tcp   IP protocol 253 (default) or IPPROTO_TCP\n" \
	"  -q, --quiet         print only errors and final summaries\n"	\
	"  -h, --help          show this help\n"

/*
 * Parse an unsigned decimal number no larger than max; with sizes, a K, M
 * or G suffix multiplies by 2^10, 2^20 or 2^30.  Exits on a bad value.
 */
static uint64_t opt_num(const char *name, const char *arg, uint64_t max,
			bool sizes)
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

/*
 * Parse argv (argv[0] is the command name) into opt.  Prints the command's
 * usage and exits on --help; exits 1 on a bad option.
 */
static void parse_opts(int argc, char **argv, const struct option *longopts,
		       const char *usage)
{
	const char *name;
	int c, idx = 0;
	size_t i;

	while ((c = getopt_long(argc, argv, "hq", longopts, &idx)) != -1) {
		name = longopts[idx].name;	/* for long options only */
		switch (c) {
		case 0:		/* a flag, set by getopt_long */
			break;
		case 'h':
			fputs(usage, stdout);
			exit(RC_OK);
		case 'q':
			quiet = true;
			break;
		case OPT_PROTO:
			if (!strcmp(optarg, "mytcp"))
				opt.proto = IPPROTO_MYTCP;
			else if (!strcmp(optarg, "tcp"))
				opt.proto = IPPROTO_TCP;
			else
				exit(fail("--proto must be mytcp or tcp"));
			break;
		case OPT_ADDR:
			if (inet_pton(AF_INET, optarg, &opt.addr.sin_addr) != 1)
				exit(fail("invalid IPv4 address '%s'", optarg));
			opt.have_addr = true;
			break;
		case OPT_PORT:
			opt.addr.sin_port = htons(opt_num(name, optarg, 65535, false));
			opt.have_port = true;
			break;
		case OPT_MODE:
			for (i = 0; i < ARRAY_SIZE(mode_names); i++)
				if (!strcmp(optarg, mode_names[i]))
					break;
			if (i == ARRAY_SIZE(mode_names))
				exit(fail("--mode must be echo, discard or sink"));
			opt.mode = i;
			break;
		case OPT_COUNT:
			opt.count = opt_num(name, optarg, UINT64_MAX, false);
			break;
		case OPT_BACKLOG:
			opt.backlog = opt_num(name, optarg, INT_MAX, false);
			break;
		case OPT_READY_FILE:
			opt.ready_file = optarg;
			break;
		case OPT_SEND:
			opt.send_len = opt_num(name, optarg, UINT64_MAX >> 1, true);
			opt.have_send = true;
			break;
		case OPT_DATA:
			opt.data = optarg;
			break;
		case OPT_SEED:
			opt.seed = opt_num(name, optarg, UINT64_MAX, false);
			break;
		case OPT_HOLD:
			opt.hold_ms = opt_num(name, optarg, INT_MAX, false);
			break;
		default:	/* getopt_long already said what is wrong */
			exit(fail("try 'mytcp %s --help'", argv[0]));
		}
	}
	if (optind < argc)
		exit(fail("unexpected argument '%s'; try 'mytcp %s --help'",
			  argv[optind], argv[0]));
}

/* ---- Helpers for both ends ---- */

/*
 * "sent N bytes" or "received N bytes", with the SHA-256 when --hash: a
 * summary, or a step when neither --hash nor force asks for it.
 */
static void print_count(const char *what, uint64_t n, struct sha256 *sha,
			bool force)
{
	char hex[65];

	if (!opt.hash) {
		say(force, "%s %" PRIu64 " bytes", what, n);
		return;
	}
	sha256_hex(sha, hex);
	summary("%s %" PRIu64 " bytes sha256 %s", what, n, hex);
}

/* Returns the new socket, or -(exit code) after reporting the error. */
static int open_socket(int proto)
{
	int fd = socket(AF_INET, SOCK_STREAM, proto);

	if (fd < 0)
		return -syserr("socket(AF_INET, SOCK_STREAM, %d)", proto);
	step("socket(AF_INET, SOCK_STREAM, %d) = %d", proto, fd);
	return fd;
}

/* Blocking send of all n bytes; returns 0 or an exit code. */
static int send_all(int fd, const uint8_t *p, size_t n)
{
	ssize_t r;

	while (n) {
		r = send(fd, p, n, MSG_NOSIGNAL);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return syserr("send");
		}
		p += r;
		n -= r;
	}
	return RC_OK;
}

/* Print "info" for the connection, then close it. */
static void close_conn(int fd, int proto)
{
	print_info(fd, proto);
	close(fd);
	step("close");
}

/* ---- serve ---- */

static const char serve_usage[] =
	"usage: mytcp serve --port P [OPTIONS]\n"
	"\n"
	"Listen on A:P and serve connections one at a time (or one child process\n"
	"per connection with --fork).\n"
	"\n"
	"  --port P            port to listen on (0: any free port)\n"
	"  --addr A            IPv4 address to bind (default 0.0.0.0)\n"
	"  --mode MODE         echo: send back all that is read (default)\n"
	"                      discard: read until EOF\n"
	"                      sink: read until EOF, print the byte count\n"
	"  --count N           serve N connections, then exit (default: forever)\n"
	"  --backlog B         listen() backlog (default 16)\n"
	"  --reuseaddr         set SO_REUSEADDR before bind()\n"
	"  --hash              also print the SHA-256 of the bytes received\n"
	"  --fork              serve each connection in a child process\n"
	"  --ready-file PATH   after listen(), create PATH holding the port\n"
	COMMON_USAGE
	"\n"
	"A connection that fails (say, reset by the peer) is reported and closed\n"
	"and the server goes on; the exit status is that of the first failure.\n";

static const struct option serve_options[] = {
	{ "addr", required_argument, NULL, OPT_ADDR },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "backlog", required_argument, NULL, OPT_BACKLOG },
	{ "reuseaddr", no_argument, &opt.reuseaddr, 1 },
	{ "hash", no_argument, &opt.hash, 1 },
	{ "fork", no_argument, &opt.fork, 1 },
	{ "ready-file", required_argument, NULL, OPT_READY_FILE },
	COMMON_OPTIONS,
};

/* Create path atomically (write a temporary file, rename it). */
static int write_ready_file(const char *path, unsigned int port)
{
	char tmp[PATH_MAX];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid()) >=
	    (int)sizeof(tmp))
		return fail("--ready-file path too long");
	f = fopen(tmp, "w");
	if (!f)
		return syserr("open %s", tmp);
	fprintf(f, "%u\n", port);
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

/* Serve one accepted connection and close it; returns its exit code. */
static int serve_conn(int fd)
{
	static uint8_t buf[CHUNK];
	uint64_t rx = 0, tx = 0;
	struct sha256 sha;
	ssize_t n;
	int rc;

	print_info(fd, opt.proto);
	sha256_init(&sha);
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = syserr("recv after %" PRIu64 " bytes", rx);
			goto out;
		}
		if (n == 0)
			break;
		rx += n;
		if (opt.hash)
			sha256_update(&sha, buf, n);
		if (opt.mode == MODE_ECHO) {
			rc = send_all(fd, buf, n);
			if (rc)
				goto out;
			tx += n;
		}
	}
	print_count("received", rx, &sha, opt.mode == MODE_SINK);
	step("EOF");
	if (opt.mode == MODE_ECHO)
		step("sent %" PRIu64 " bytes", tx);
	rc = RC_OK;
out:
	close_conn(fd, opt.proto);
	return rc;
}

/* The exit code of a --fork child, from its wait() status. */
static int child_rc(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : RC_ERR;
}

static int cmd_serve(int argc, char **argv)
{
	int lfd, fd, one = 1, rc = RC_OK, status, result = RC_OK;
	unsigned int children = 0;
	uint64_t served = 0;
	struct sockaddr_in sin;
	socklen_t len;
	char a[32];
	pid_t pid;

	role = "server";
	parse_opts(argc, argv, serve_options, serve_usage);
	if (!opt.have_port)
		return fail("--port is required; try 'mytcp serve --help'");

	lfd = open_socket(opt.proto);
	if (lfd < 0)
		return -lfd;
	if (opt.reuseaddr) {
		if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one,
			       sizeof(one)) < 0)
			return syserr("setsockopt(SO_REUSEADDR)");
		step("setsockopt(SO_REUSEADDR, 1)");
	}
	if (bind(lfd, (struct sockaddr *)&opt.addr, sizeof(opt.addr)) < 0)
		return syserr("bind %s", fmt_addr(&opt.addr, a, sizeof(a)));
	step("bind %s", fmt_addr(&opt.addr, a, sizeof(a)));
	if (listen(lfd, opt.backlog) < 0)
		return syserr("listen");
	step("listen backlog %d", opt.backlog);
	len = sizeof(sin);
	if (getsockname(lfd, (struct sockaddr *)&sin, &len) < 0)
		return syserr("getsockname");
	if (!opt.addr.sin_port)
		step("listening on %s", fmt_addr(&sin, a, sizeof(a)));
	if (opt.ready_file) {
		rc = write_ready_file(opt.ready_file, ntohs(sin.sin_port));
		if (rc)
			return rc;
	}

	/* serving forever, nobody waits for the children: let them go */
	if (opt.fork && !opt.count)
		signal(SIGCHLD, SIG_IGN);
	while (!opt.count || served < opt.count) {
		len = sizeof(sin);
		fd = accept(lfd, (struct sockaddr *)&sin, &len);
		if (fd < 0) {
			/* a connection that died in the queue is not ours */
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			rc = syserr("accept");
			break;
		}
		served++;
		step("accept -> %s", fmt_addr(&sin, a, sizeof(a)));
		if (!opt.fork) {
			rc = serve_conn(fd);
			if (rc && !result)
				result = rc;
			continue;
		}
		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			rc = syserr("fork");
			close(fd);
			break;
		}
		if (pid == 0) {
			close(lfd);
			exit(serve_conn(fd));
		}
		close(fd);
		children++;
		/* reap the children that are done, to not pile up zombies */
		while (waitpid(-1, &status, WNOHANG) > 0) {
			children--;
			if (!result)
				result = child_rc(status);
		}
	}
	if (rc && !result)	/* the loop broke on accept() or fork() */
		result = rc;
	while (children && wait(&status) > 0) {
		children--;
		if (!result)
			result = child_rc(status);
	}
	close(lfd);
	step("close listener after %" PRIu64 " connections", served);
	return result;
}

/* ---- connect ---- */

static const char connect_usage[] =
	"usage: mytcp connect --addr A --port P [OPTIONS]\n"
	"\n"
	"Connect to A:P, send data, optionally read it back, and close.\n"
	"\n"
	"  --addr A            server IPv4 address\n"
	"  --port P            server port\n"
	"  --send N            send N pseudo-random bytes (suffix K, M, G: KiB,\n"
	"                      MiB, GiB); xorshift64 seeded from --seed\n"
	"  --seed S            seed for --send (default 1)\n"
	"  --data STRING       send STRING\n"
	"  --stdin             send all of standard input\n"
	"  --shutdown          shutdown(SHUT_WR) once all is sent, read until EOF\n"
	"  --expect-echo       check that the bytes read back equal those sent;\n"
	"                      without --shutdown, read until all came back\n"
	"  --hash              print the SHA-256 of the bytes sent and received\n"
	"  --hold MS           wait MS milliseconds before closing\n"
	"  --linger0           set SO_LINGER {1, 0} before close (abortive: RST)\n"
	COMMON_USAGE
	"\n"
	"Sending and receiving are interleaved with poll(), so large echoes do\n"
	"not deadlock.  Without --shutdown or --expect-echo the client reads only\n"
	"while it sends, and closing with unread data sends a reset (RST).\n";

static const struct option connect_options[] = {
	{ "addr", required_argument, NULL, OPT_ADDR },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "send", required_argument, NULL, OPT_SEND },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "data", required_argument, NULL, OPT_DATA },
	{ "stdin", no_argument, &opt.use_stdin, 1 },
	{ "shutdown", no_argument, &opt.shutdown, 1 },
	{ "expect-echo", no_argument, &opt.expect_echo, 1 },
	{ "hash", no_argument, &opt.hash, 1 },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "linger0", no_argument, &opt.linger0, 1 },
	COMMON_OPTIONS,
};

/*
 * The bytes the client sends: a buffer (--data, --stdin) or, when buf is
 * NULL, a deterministic xorshift64 stream.  A copy of a fresh source
 * replays the same bytes, which is how --expect-echo checks the echo.
 */
struct source {
	const uint8_t *buf;
	uint64_t len;		/* total bytes */
	uint64_t pos;		/* bytes produced so far */
	uint64_t state;		/* xorshift64 state, never 0 */
	uint64_t word;		/* current pseudo-random word */
};

static void source_init_prng(struct source *s, uint64_t len, uint64_t seed)
{
	/* one splitmix64 step spreads small seeds and avoids state 0 */
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	memset(s, 0, sizeof(*s));
	s->len = len;
	s->state = z ? z : 1;
}

static size_t source_read(struct source *s, uint8_t *out, size_t max)
{
	uint64_t left = s->len - s->pos;
	size_t i, n = left < max ? left : max;

	if (s->buf) {
		memcpy(out, s->buf + s->pos, n);
	} else {
		for (i = 0; i < n; i++) {
			unsigned int k = (s->pos + i) % 8;

			if (!k) {
				s->state ^= s->state << 13;
				s->state ^= s->state >> 7;
				s->state ^= s->state << 17;
				s->word = s->state;
			}
			out[i] = s->word >> (8 * k);
		}
	}
	s->pos += n;
	return n;
}

/* Make the source all of standard input, in a malloc()ed buffer. */
static int source_init_stdin(struct source *s)
{
	size_t size = CHUNK;
	uint8_t *buf = NULL;
	ssize_t n = 1;

	memset(s, 0, sizeof(*s));
	while (n) {
		if (s->len == size || !buf) {
			size *= 2;
			buf = realloc(buf, size);
			if (!buf)
				return fail("out of memory reading stdin");
			s->buf = buf;
		}
		n = read(STDIN_FILENO, buf + s->len, size - s->len);
		if (n < 0 && errno != EINTR)
			return syserr("read stdin");
		if (n > 0)
			s->len += n;
	}
	return RC_OK;
}

/* --expect-echo: compare n bytes received at offset off with those sent. */
static int check_echo(struct source *verify, const uint8_t *got, size_t n,
		      uint64_t off)
{
	static uint8_t want[CHUNK];
	size_t i;

	if (source_read(verify, want, n) < n)
		return fail("echo mismatch: more back than the %" PRIu64
			    " bytes sent", verify->len);
	for (i = 0; i < n; i++)
		if (got[i] != want[i])
			return fail("echo mismatch at byte %" PRIu64
				    ": sent 0x%02x, received 0x%02x",
				    off + i, want[i], got[i]);
	return RC_OK;
}

/*
 * Send the source and read what comes back, interleaved with poll() on the
 * non-blocking socket.  Returns 0 or an exit code.
 */
static int transfer(int fd, struct source *src)
{
	static uint8_t txbuf[CHUNK], rxbuf[CHUNK];
	struct source verify = *src;	/* replays src for --expect-echo */
	size_t txoff = 0, txlen = 0;
	uint64_t sent = 0, rcvd = 0;
	bool tx_done = false, eof = false;
	struct sha256 txsha, rxsha;
	struct pollfd pfd;
	ssize_t n;

	sha256_init(&txsha);
	sha256_init(&rxsha);
	for (;;) {
		if (!tx_done && txoff == txlen) {
			txlen = source_read(src, txbuf, sizeof(txbuf));
			txoff = 0;
			if (opt.hash)
				sha256_update(&txsha, txbuf, txlen);
			if (!txlen) {
				tx_done = true;
				print_count("sent", sent, &txsha, false);
				if (opt.shutdown) {
					if (shutdown(fd, SHUT_WR) < 0)
						return syserr("shutdown(SHUT_WR)");
					step("shutdown(SHUT_WR)");
				}
			}
		}
		/* all sent: read on until EOF, until all echoed, or not */
		if (tx_done && (eof || (!opt.shutdown && (!opt.expect_echo ||
							  rcvd >= sent))))
			break;

		pfd.fd = fd;
		pfd.events = (tx_done ? 0 : POLLOUT) | (eof ? 0 : POLLIN);
		if (poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return syserr("poll");
		}
		if (!eof && (pfd.revents & (POLLIN | POLLHUP | POLLERR))) {
			n = recv(fd, rxbuf, sizeof(rxbuf), 0);
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				return syserr("recv after %" PRIu64 " bytes",
					      rcvd);
			if (n == 0)
				eof = true;
			if (n > 0 && opt.hash)
				sha256_update(&rxsha, rxbuf, n);
			if (n > 0 && opt.expect_echo &&
			    check_echo(&verify, rxbuf, n, rcvd))
				return RC_ERR;
			if (n > 0)
				rcvd += n;
		}
		if (!tx_done && (pfd.revents & (POLLOUT | POLLHUP | POLLERR))) {
			n = send(fd, txbuf + txoff, txlen - txoff, MSG_NOSIGNAL);
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				return syserr("send after %" PRIu64 " bytes",
					      sent);
			if (n > 0) {
				txoff += n;
				sent += n;
			}
		}
	}

	print_count("received", rcvd, &rxsha, false);
	if (eof)
		step("EOF");
	if (opt.expect_echo) {
		if (rcvd != sent)
			return fail("echo mismatch: sent %" PRIu64
				    " bytes, received %" PRIu64 " before EOF",
				    sent, rcvd);
		summary("echo verified: %" PRIu64 " bytes", rcvd);
	}
	return RC_OK;
}

static int cmd_connect(int argc, char **argv)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	struct sockaddr_in sin;
	struct source src;
	socklen_t len;
	char a[32];
	int fd, rc;

	role = "client";
	parse_opts(argc, argv, connect_options, connect_usage);
	if (!opt.have_addr || !opt.have_port)
		return fail("--addr and --port are required; try 'mytcp connect --help'");
	if (opt.have_send + !!opt.data + opt.use_stdin > 1)
		return fail("--send, --data and --stdin exclude each other");

	if (opt.data) {
		memset(&src, 0, sizeof(src));
		src.buf = (const uint8_t *)opt.data;
		src.len = strlen(opt.data);
	} else if (opt.use_stdin) {
		rc = source_init_stdin(&src);
		if (rc)
			return rc;
	} else {
		source_init_prng(&src, opt.send_len, opt.seed);
	}

	fd = open_socket(opt.proto);
	if (fd < 0)
		return -fd;
	fmt_addr(&opt.addr, a, sizeof(a));
	if (connect(fd, (struct sockaddr *)&opt.addr, sizeof(opt.addr)) < 0) {
		rc = syserr("connect %s", a);
		close(fd);
		return rc;
	}
	step("connect %s ok", a);
	len = sizeof(sin);
	if (getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		step("local %s", fmt_addr(&sin, a, sizeof(a)));
	print_info(fd, opt.proto);

	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		rc = syserr("fcntl(O_NONBLOCK)");
		goto out;
	}
	rc = transfer(fd, &src);
	if (rc)
		goto out;
	if (opt.hold_ms) {
		step("hold %" PRIu64 " ms", opt.hold_ms);
		poll(NULL, 0, (int)opt.hold_ms);
	}
	if (opt.linger0) {
		if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0) {
			rc = syserr("setsockopt(SO_LINGER)");
			goto out;
		}
		step("setsockopt(SO_LINGER, {1, 0}): close sends RST");
	}
out:
	close_conn(fd, opt.proto);
	if (opt.use_stdin)
		free((void *)src.buf);
	return rc;
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

	parse_opts(argc, argv, states_options, states_usage);
	for (i = 1; i < ARRAY_SIZE(state_names); i++)
		printf("%u %s\n", i, state_names[i]);
	return RC_OK;
}

/*
 * The subcommands.  Each parses its own options from argv, with argv[0] the
 * command's name, and returns the exit status.  ss, stat and trace are to
 * be added here.
 */
static const struct cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} cmds[] = {
	{ "serve", cmd_serve, "accept connections; echo, discard or hash data" },
	{ "connect", cmd_connect, "connect, send data, check the echo, close" },
	{ "states", cmd_states, "list the TCP state numbers and names" },
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
