// SPDX-License-Identifier: GPL-2.0
/*
 * libmytcpize.so: run an unmodified program over mytcp (LD_PRELOAD).
 *
 * Three libc entry points are interposed:
 *
 *   socket()      AF_INET SOCK_STREAM sockets of protocol 0 or IPPROTO_TCP
 *                 become IPPROTO_MYTCP (253); the SOCK_NONBLOCK and
 *                 SOCK_CLOEXEC bits of the type are kept.  AF_INET6 ones
 *                 too, if the module takes socket(AF_INET6, ..., 253): the
 *                 first refusal (EPROTONOSUPPORT, EAFNOSUPPORT) is
 *                 remembered and AF_INET6 stays TCP from then on.
 *   setsockopt()  IPPROTO_TCP-level options on a mytcp socket (found by
 *   getsockopt()  SO_PROTOCOL, so accepted and inherited sockets count) go
 *                 to SOL_MYTCP; TCP_INFO is answered from MYTCP_INFO as a
 *                 struct tcp_info; a few hints are accepted and ignored.
 *
 * Everything else goes to libc untouched.  Documentation/mytcpize.md says
 * why each choice was made and what cannot be covered.
 *
 * Environment (read once, at load):
 *   MYTCPIZE_DEBUG=1     one line on stderr per conversion and mapping
 *   MYTCPIZE_FALLBACK=1  if the kernel has no protocol 253 (module not
 *                        loaded), make a TCP socket instead of failing
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/tcp.h>

#include "../../include/uapi/linux/mytcp.h"

#define EXPORT __attribute__((visibility("default")))

/* SOCK_TYPE_MASK of the kernel: the type without SOCK_NONBLOCK/CLOEXEC */
#define TYPE_MASK 0xf

typedef int (*socket_fn)(int, int, int);
typedef int (*setsockopt_fn)(int, int, int, const void *, socklen_t);
typedef int (*getsockopt_fn)(int, int, int, void *, socklen_t *);

static socket_fn real_socket;
static setsockopt_fn real_setsockopt;
static getsockopt_fn real_getsockopt;

static int debug;
static int fallback;
static int v6_refused;		/* the module said no to AF_INET6 once */
static int warned_missing;

static void resolve(void)
{
	/* a benign race: every thread stores the same pointers */
	if (!real_socket)
		real_socket = (socket_fn)dlsym(RTLD_NEXT, "socket");
	if (!real_setsockopt)
		real_setsockopt = (setsockopt_fn)dlsym(RTLD_NEXT, "setsockopt");
	if (!real_getsockopt)
		real_getsockopt = (getsockopt_fn)dlsym(RTLD_NEXT, "getsockopt");
}

__attribute__((constructor)) static void mytcpize_init(void)
{
	const char *d = getenv("MYTCPIZE_DEBUG");
	const char *f = getenv("MYTCPIZE_FALLBACK");

	debug = d && *d && strcmp(d, "0") != 0;
	fallback = f && *f && strcmp(f, "0") != 0;
	resolve();
}

/*
 * One line on stderr, with a single write(2): no stdio state is touched,
 * so it is safe between fork() and exec() and in threads.  errno is kept.
 */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	char buf[256];
	int saved = errno, n, m;
	va_list ap;

	n = snprintf(buf, sizeof(buf), "mytcpize[%d]: ", (int)getpid());
	va_start(ap, fmt);
	m = vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (m < 0)
		m = 0;
	n += m;
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(STDERR_FILENO, buf, n) < 0) {
		/* nowhere to report it */
	}
	errno = saved;
}

static int call_socket(int family, int type, int protocol)
{
	resolve();
	if (real_socket)
		return real_socket(family, type, protocol);
	return syscall(SYS_socket, family, type, protocol);
}

static int call_setsockopt(int fd, int level, int name, const void *val,
			   socklen_t len)
{
	resolve();
	if (real_setsockopt)
		return real_setsockopt(fd, level, name, val, len);
	return syscall(SYS_setsockopt, fd, level, name, val, len);
}

static int call_getsockopt(int fd, int level, int name, void *val,
			   socklen_t *len)
{
	resolve();
	if (real_getsockopt)
		return real_getsockopt(fd, level, name, val, len);
	return syscall(SYS_getsockopt, fd, level, name, val, len);
}

static const char *family_name(int family)
{
	return family == AF_INET ? "AF_INET" : "AF_INET6";
}

static const char *type_flags(int type)
{
	switch (type & (SOCK_NONBLOCK | SOCK_CLOEXEC)) {
	case SOCK_NONBLOCK:
		return "|SOCK_NONBLOCK";
	case SOCK_CLOEXEC:
		return "|SOCK_CLOEXEC";
	case SOCK_NONBLOCK | SOCK_CLOEXEC:
		return "|SOCK_NONBLOCK|SOCK_CLOEXEC";
	}
	return "";
}

/* The kernel's answers for "no such protocol here", module or family */
static int no_protocol(int err)
{
	return err == EPROTONOSUPPORT || err == EAFNOSUPPORT ||
	       err == ESOCKTNOSUPPORT;
}

EXPORT int socket(int family, int type, int protocol)
{
	int fd, err;

	if ((family != AF_INET && family != AF_INET6) ||
	    (type & TYPE_MASK) != SOCK_STREAM ||
	    (protocol != 0 && protocol != IPPROTO_TCP))
		return call_socket(family, type, protocol);

	if (family == AF_INET6 && __atomic_load_n(&v6_refused, __ATOMIC_RELAXED)) {
		if (debug)
			say("socket(AF_INET6, SOCK_STREAM%s, %d): stays TCP (no AF_INET6 mytcp here)",
			    type_flags(type), protocol);
		return call_socket(family, type, protocol);
	}

	fd = call_socket(family, type, IPPROTO_MYTCP);
	if (fd >= 0) {
		if (debug)
			say("socket(%s, SOCK_STREAM%s, %d) -> IPPROTO_MYTCP: fd %d",
			    family_name(family), type_flags(type), protocol, fd);
		return fd;
	}
	err = errno;
	if (!no_protocol(err))
		return -1;	/* EMFILE, ENOBUFS...: TCP would fail alike */

	if (family == AF_INET6) {
		/* the module, loaded or not, has no AF_INET6: TCP, as documented */
		__atomic_store_n(&v6_refused, 1, __ATOMIC_RELAXED);
		if (debug)
			say("socket(AF_INET6, SOCK_STREAM%s, 253): %s: AF_INET6 stays TCP",
			    type_flags(type), strerror(err));
		return call_socket(family, type, protocol);
	}

	if (fallback) {
		if (!__atomic_exchange_n(&warned_missing, 1, __ATOMIC_RELAXED) || debug)
			say("socket(AF_INET, SOCK_STREAM, 253): %s: falling back to TCP (MYTCPIZE_FALLBACK)",
			    strerror(err));
		return call_socket(family, type, protocol);
	}
	if (!__atomic_exchange_n(&warned_missing, 1, __ATOMIC_RELAXED) || debug)
		say("socket(AF_INET, SOCK_STREAM%s, 253): %s: is the mytcp module loaded? (mytcpize run --fallback uses TCP instead)",
		    type_flags(type), strerror(err));
	errno = err;
	return -1;
}

/* Whether fd is a mytcp socket (made here, accepted from one, inherited) */
static int is_mytcp(int fd)
{
	int proto = 0, saved = errno;
	socklen_t len = sizeof(proto);

	if (call_getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) < 0) {
		errno = saved;
		return 0;
	}
	return proto == IPPROTO_MYTCP;
}

/*
 * What an IPPROTO_TCP-level option becomes on a mytcp socket.  Everything
 * not listed goes to SOL_MYTCP with its TCP number (the module uses TCP's
 * numbers: include/uapi/linux/mytcp.h), so the module's own answer, today
 * ENOPROTOOPT for what it lacks, reaches the program, and an option the
 * module learns later (TCP_CONGESTION...) works here without a change.
 */
enum opt_action {
	OPT_MODULE,	/* to SOL_MYTCP, same number */
	OPT_INFO,	/* TCP_INFO from MYTCP_INFO */
	OPT_IGNORE,	/* a hint without which the program works the same */
};

static enum opt_action opt_action(int name)
{
	switch (name) {
	case TCP_INFO:
		return OPT_INFO;
	case TCP_CORK:		/* data goes out sooner, never later */
	case TCP_QUICKACK:	/* only when ACKs are sent */
	case TCP_DEFER_ACCEPT:	/* accept() wakes before the first data */
	case TCP_FASTOPEN:	/* a listener's: clients use a plain handshake */
		return OPT_IGNORE;
	}
	return OPT_MODULE;
}

static const char *opt_name(int name)
{
	switch (name) {
	case TCP_NODELAY: return "TCP_NODELAY";
	case TCP_MAXSEG: return "TCP_MAXSEG";
	case TCP_CORK: return "TCP_CORK";
	case TCP_KEEPIDLE: return "TCP_KEEPIDLE";
	case TCP_KEEPINTVL: return "TCP_KEEPINTVL";
	case TCP_KEEPCNT: return "TCP_KEEPCNT";
	case TCP_DEFER_ACCEPT: return "TCP_DEFER_ACCEPT";
	case TCP_INFO: return "TCP_INFO";
	case TCP_QUICKACK: return "TCP_QUICKACK";
	case TCP_CONGESTION: return "TCP_CONGESTION";
	case TCP_USER_TIMEOUT: return "TCP_USER_TIMEOUT";
	case TCP_FASTOPEN: return "TCP_FASTOPEN";
	case TCP_NOTSENT_LOWAT: return "TCP_NOTSENT_LOWAT";
	case TCP_FASTOPEN_CONNECT: return "TCP_FASTOPEN_CONNECT";
	}
	return "option";
}

EXPORT int setsockopt(int fd, int level, int name, const void *val,
		      socklen_t len)
{
	int rc;

	if (level != IPPROTO_TCP || !is_mytcp(fd))
		return call_setsockopt(fd, level, name, val, len);

	switch (opt_action(name)) {
	case OPT_IGNORE:
		if (len < sizeof(int) || !val) {
			errno = !val ? EFAULT : EINVAL;	/* as TCP checks */
			return -1;
		}
		if (debug)
			say("fd %d: setsockopt(IPPROTO_TCP, %s %d): accepted and ignored",
			    fd, opt_name(name), name);
		return 0;
	case OPT_INFO:
		errno = ENOPROTOOPT;	/* read only, as in TCP */
		return -1;
	case OPT_MODULE:
		break;
	}
	rc = call_setsockopt(fd, SOL_MYTCP, name, val, len);
	if (debug)
		say("fd %d: setsockopt(IPPROTO_TCP, %s %d) -> SOL_MYTCP: %s",
		    fd, opt_name(name), name, rc ? strerror(errno) : "ok");
	return rc;
}

/* TCP reports an ssthresh never lowered as this (TCP_INFINITE_SSTHRESH) */
#define INFINITE_SSTHRESH 0x7fffffffU

/**
 * mytcpize_tcp_info - struct tcp_info from a struct mytcp_info
 * @m: what MYTCP_INFO gave
 * @t: filled; the fields mytcp has no counterpart for are 0
 *
 * TCP counts cwnd and ssthresh in segments, mytcp in bytes: divided by the
 * MSS here, so cwnd * snd_mss gives bytes back as it does for TCP.
 */
static void mytcpize_tcp_info(const struct mytcp_info *m, struct tcp_info *t)
{
	unsigned int mss = m->mss ? m->mss : 1;

	memset(t, 0, sizeof(*t));
	t->tcpi_state = m->state;
	t->tcpi_rto = m->rto_us;
	t->tcpi_snd_mss = m->mss;
	t->tcpi_rcv_mss = m->mss;
	t->tcpi_advmss = m->mss;
	t->tcpi_unacked = (m->snd_nxt - m->snd_una + mss - 1) / mss;
	t->tcpi_rtt = m->srtt_us;
	t->tcpi_rttvar = m->rttvar_us;
	t->tcpi_snd_cwnd = m->cwnd / mss;
	t->tcpi_snd_ssthresh = m->ssthresh >= INFINITE_SSTHRESH ?
			       INFINITE_SSTHRESH : m->ssthresh / mss;
	t->tcpi_total_retrans = m->retransmits;
	t->tcpi_bytes_acked = m->bytes_acked;
	t->tcpi_bytes_received = m->bytes_received;
	t->tcpi_snd_wnd = m->snd_wnd;
	t->tcpi_rcv_space = m->rcv_wnd;
	/* MYTCPI_OPT_* are TCPI_OPT_*'s bits */
	t->tcpi_options = m->options;
}

EXPORT int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	struct mytcp_info mi;
	struct tcp_info ti;
	socklen_t mlen = sizeof(mi), n;
	int rc, zero = 0;

	if (level != IPPROTO_TCP || !is_mytcp(fd))
		return call_getsockopt(fd, level, name, val, len);

	switch (opt_action(name)) {
	case OPT_IGNORE:
		/* the truth: the hint is not in force */
		if (!len || (int)*len < 0) {
			errno = !len ? EFAULT : EINVAL;
			return -1;
		}
		n = *len < sizeof(zero) ? *len : sizeof(zero);
		if (n && !val) {
			errno = EFAULT;
			return -1;
		}
		memcpy(val, &zero, n);
		*len = n;
		return 0;
	case OPT_INFO:
		if (!len || (int)*len < 0) {
			errno = !len ? EFAULT : EINVAL;
			return -1;
		}
		rc = call_getsockopt(fd, SOL_MYTCP, MYTCP_INFO, &mi, &mlen);
		if (rc < 0)
			return rc;
		if (mlen < sizeof(mi))	/* an older module: zeros for the rest */
			memset((char *)&mi + mlen, 0, sizeof(mi) - mlen);
		mytcpize_tcp_info(&mi, &ti);
		n = *len < sizeof(ti) ? *len : sizeof(ti);
		if (n && !val) {
			errno = EFAULT;
			return -1;
		}
		memcpy(val, &ti, n);
		*len = n;
		if (debug)
			say("fd %d: getsockopt(IPPROTO_TCP, TCP_INFO) <- MYTCP_INFO (%u bytes)",
			    fd, (unsigned int)n);
		return 0;
	case OPT_MODULE:
		break;
	}
	rc = call_getsockopt(fd, SOL_MYTCP, name, val, len);
	if (debug)
		say("fd %d: getsockopt(IPPROTO_TCP, %s %d) -> SOL_MYTCP: %s",
		    fd, opt_name(name), name, rc ? strerror(errno) : "ok");
	return rc;
}
