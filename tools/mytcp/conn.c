// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp tool: serve and connect, a small server and client that drive
 * connections step by step and print every step.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <uapi/linux/mytcp.h>

#include "mytcp.h"

#define CHUNK		65536	/* bytes per send()/recv() */

/* ---- Connection info ---- */

/* struct mytcp_info's ack_why, as a word */
static const char *ack_why_name(unsigned int why)
{
	static const char *const names[] = { "delayed", "two-segments",
					     "quick", "pushed" };

	return why < sizeof(names) / sizeof(names[0]) ? names[why] : "?";
}

/*
 * The negotiated options (MYTCPI_OPT_*, the same bits as tcp_info's
 * TCPI_OPT_*) as ss -i writes them: "ts,sack,wscale", or "-" for none.
 */
static const char *options_name(unsigned int options, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s",
		 options & MYTCPI_OPT_TIMESTAMPS ? ",ts" : "",
		 options & MYTCPI_OPT_SACK ? ",sack" : "",
		 options & MYTCPI_OPT_WSCALE ? ",wscale" : "");
	return buf[0] ? buf + 1 : "-";
}

/*
 * One "info" step line with the connection's protocol state: MYTCP_INFO for
 * mytcp, TCP_INFO for tcp.  A failing getsockopt is reported, not fatal.
 */
static void print_info(int fd, int proto)
{
	char opts[32];
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
		     " retransmits=%u bytes_acked=%llu bytes_received=%llu"
		     " ato_us=%u delack_left_us=%u ack_pending=%u quickack=%u"
		     " ack_why=%s delayed_acks=%u rcv_mss=%u rcvbuf=%u"
		     " rcv_space=%u opts=%s ts_recent=%u tsval=%u",
		     state_name(mi.state), mi.iss, mi.irs, mi.snd_una,
		     mi.snd_nxt, mi.rcv_nxt, mi.snd_wnd, mi.rcv_wnd, mi.mss,
		     mi.rto_us, mi.srtt_us, mi.rttvar_us, mi.cwnd, mi.ssthresh,
		     mi.retransmits, (unsigned long long)mi.bytes_acked,
		     (unsigned long long)mi.bytes_received, mi.ato_us,
		     mi.delack_left_us, mi.ack_pending, mi.quickack,
		     ack_why_name(mi.ack_why), mi.delayed_acks, mi.rcv_mss,
		     mi.rcvbuf, mi.rcv_space,
		     options_name(mi.options, opts, sizeof(opts)),
		     mi.ts_recent, mi.last_tsval_sent);
	} else {
		struct tcp_info ti;

		memset(&ti, 0, sizeof(ti));
		len = sizeof(ti);
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0) {
			syserr("info: getsockopt(IPPROTO_TCP, TCP_INFO)");
			return;
		}
		step("info state=%s snd_mss=%u rcv_mss=%u rto_us=%u rtt_us=%u"
		     " rttvar_us=%u cwnd=%u retransmits=%u opts=%s",
		     state_name(ti.tcpi_state), ti.tcpi_snd_mss,
		     ti.tcpi_rcv_mss, ti.tcpi_rto, ti.tcpi_rtt, ti.tcpi_rttvar,
		     ti.tcpi_snd_cwnd, ti.tcpi_total_retrans,
		     options_name(ti.tcpi_options, opts, sizeof(opts)));
	}
}


/* ---- Options ---- */

enum mode { MODE_ECHO, MODE_DISCARD, MODE_SINK };
static const char *const mode_names[] = { "echo", "discard", "sink" };

/* The command line; flags are ints so getopt_long can set them. */
static struct opts {
	int proto;			/* --proto: the tool's opt_proto */
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
	.addr = { .sin_family = AF_INET, .sin_addr = { INADDR_ANY } },
	.mode = MODE_ECHO,
	.backlog = 16,
	.seed = 1,
};

enum {
	OPT_ADDR = OPT_CMD_BASE, OPT_PORT, OPT_MODE, OPT_COUNT, OPT_BACKLOG,
	OPT_READY_FILE, OPT_SEND, OPT_DATA, OPT_SEED, OPT_HOLD,
};

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
		default:	/* -h, -q, --proto, or an error */
			common_option(c, argv, usage);
		}
	}
	no_more_args(argc, argv);
	opt.proto = opt_proto;
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
	"  --hold MS           after the peer's EOF, wait MS milliseconds before\n"
	"                      closing (the connection stays in CLOSE_WAIT)\n"
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
	{ "hold", required_argument, NULL, OPT_HOLD },
	COMMON_OPTIONS,
};

/* Create path atomically (write a temporary file, rename it). */
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
	if (opt.hold_ms) {
		step("hold %" PRIu64 " ms", opt.hold_ms);
		poll(NULL, 0, (int)opt.hold_ms);
	}
out:
	close_conn(fd, opt.proto);
	return rc;
}

/* The exit code of a --fork child, from its wait() status. */
static int child_rc(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : RC_ERR;
}

int cmd_serve(int argc, char **argv)
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

int cmd_connect(int argc, char **argv)
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
