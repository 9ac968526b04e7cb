/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp tool: what the command files share (mytcp.c has the definitions).
 *
 *   mytcp.c    main, the command table, output and option helpers, states
 *   conn.c     serve and connect
 *   sha256.c   the SHA-256 of --hash
 *   ss.c       ss: the sockets of /proc/net/mytcp (or tcp)
 *   stat.c     stat: the counters of /proc/net/mytcp_stat
 *   trace.c    trace: tracefs set-up, the events, connection tracking
 *   ladder.c   trace: the ladder diagram, on the terminal and as SVG
 */
#ifndef MYTCP_TOOL_H
#define MYTCP_TOOL_H

#include <getopt.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit codes: scripts tell a refused connection from a reset one. */
enum {
	RC_OK		= 0,
	RC_ERR		= 1,
	RC_REFUSED	= 2,	/* ECONNREFUSED */
	RC_TIMEDOUT	= 3,	/* ETIMEDOUT */
	RC_RESET	= 4,	/* ECONNRESET, EPIPE */
};

extern const char *role;	/* prefix of every output line */
extern bool quiet;		/* --quiet: no step lines */
extern int opt_proto;		/* --proto: IPPROTO_MYTCP or IPPROTO_TCP */

/*
 * One line "role: text" on stdout.  Steps of the protocol are suppressed by
 * --quiet, summaries (byte counts, hashes) are not.
 */
#define step(...)	say(false, __VA_ARGS__)
#define summary(...)	say(true, __VA_ARGS__)

void __attribute__((format(printf, 2, 3)))
say(bool summary, const char *fmt, ...);
/* A failed syscall: "role: call: strerror (ENAME)"; returns the exit code. */
int __attribute__((format(printf, 1, 2))) syserr(const char *fmt, ...);
/* Any other error: "role: text"; returns 1. */
int __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...);

const char *fmt_addr(const struct sockaddr_in *sin, char *buf, size_t len);

/* The kernel's TCP_* state numbers (include/net/tcp_states.h) */
#define NR_STATES	12
extern const char *const state_names[NR_STATES];
const char *state_name(unsigned int state);
/* The number of a state name ("ESTABLISHED"), or -1 */
int state_number(const char *name);

/* ---- Options ---- */

/* Options of every command; a command's own start at OPT_CMD_BASE. */
enum { OPT_PROTO = 256, OPT_CMD_BASE };

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
 * Handle getopt_long's c if it is a common option (-h, -q, --proto) or an
 * error; exits on --help and on errors.  argv[0] is the command's name.
 */
void common_option(int c, char **argv, const char *usage);
/* Exit with an error if getopt left arguments over. */
void no_more_args(int argc, char **argv);

uint64_t opt_num(const char *name, const char *arg, uint64_t max, bool sizes);
/* A number of seconds, decimals allowed ("0.5"), in milliseconds */
uint64_t opt_ms(const char *name, const char *arg);

/* Create path holding "value\n" atomically; returns 0 or an exit code. */
int write_ready_file(const char *path, unsigned int value);

/* Monotonic time in milliseconds */
uint64_t now_ms(void);

/* ---- SHA-256 ---- */

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	uint8_t buf[64];	/* partial block */
	size_t fill;		/* bytes in buf */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* Finish the hash and write it as 64 hex digits plus NUL into hex. */
void sha256_hex(struct sha256 *s, char hex[65]);

/* ---- The commands: argv[0] is the command's name ---- */

int cmd_serve(int argc, char **argv);
int cmd_connect(int argc, char **argv);
int cmd_ss(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_trace(int argc, char **argv);

#endif /* MYTCP_TOOL_H */
