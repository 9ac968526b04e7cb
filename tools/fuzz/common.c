// SPDX-License-Identifier: GPL-2.0
/*
 * segfuzz: the entry point and what the modes share: the seeded generator,
 * namespaces, sockets, the checksum and the counters.
 *
 * Usage:
 *   segfuzz fuzz  --ns-a NS --ns-b NS [--seed S] [--count N] [--round R]
 *   segfuzz flood --ns-a NS --ns-b NS [--seed S] [--count N] [--port P]
 *                 [--backlog K] [--legit-every M]
 *   segfuzz churn --ns NS [--seed S] [--seconds T]
 *
 * The namespaces are named (ip netns add), A holds 10.0.1.1 and B 10.0.1.2
 * on a veth pair; tools/fuzz/run.py sets them up.  Each mode prints
 * "key=value" result lines that run.py checks, and exits non-zero on a
 * failure it detected itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <uapi/linux/mytcp.h>

#include "segfuzz.h"

/* splitmix64 to spread the seed, then xorshift64* */
void rng_seed(struct rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	r->s = z ? z : 1;
}

uint64_t rng_next(struct rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

uint32_t rng_below(struct rng *r, uint32_t n)
{
	return n ? (uint32_t)((rng_next(r) >> 32) % n) : 0;
}

double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("segfuzz: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

int ns_open(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	return fd;
}

/* A socket created inside the namespace nsfd; the thread goes back after. */
int sock_in(int nsfd, int type, int proto)
{
	int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	int fd, err;

	if (home < 0)
		die("open own netns: %s", strerror(errno));
	if (setns(nsfd, CLONE_NEWNET))
		die("setns: %s", strerror(errno));
	fd = socket(AF_INET, type, proto);
	err = errno;
	if (setns(home, CLONE_NEWNET))
		die("setns back: %s", strerror(errno));
	close(home);
	errno = err;
	return fd;
}

/* poll one fd; returns revents, 0 on timeout */
int wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int n;

	do {
		n = poll(&p, 1, ms);
	} while (n < 0 && errno == EINTR);
	return n > 0 ? p.revents : 0;
}

void set_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/* MYTCP_INFO: the state (or -1) and the sequence variables */
int mytcp_state(int fd, uint32_t *una, uint32_t *nxt, uint32_t *rcv_nxt)
{
	struct mytcp_info mi;
	socklen_t len = sizeof(mi);

	if (fd < 0 || getsockopt(fd, SOL_MYTCP, MYTCP_INFO, &mi, &len))
		return -1;
	if (una)
		*una = mi.snd_una;
	if (nxt)
		*nxt = mi.snd_nxt;
	if (rcv_nxt)
		*rcv_nxt = mi.rcv_nxt;
	return (int)mi.state;
}

/*
 * RFC 1071 sum over the IPv4 pseudo-header with protocol 253 and the
 * segment (Documentation/wire-format.md section 2); addresses in network
 * order, the segment's checksum field included as it is.
 */
uint16_t mytcp_csum(uint32_t saddr, uint32_t daddr, const uint8_t *seg, size_t len)
{
	uint64_t sum = 0;
	size_t i;

	sum += (ntohl(saddr) >> 16) + (ntohl(saddr) & 0xffff);
	sum += (ntohl(daddr) >> 16) + (ntohl(daddr) & 0xffff);
	sum += IPPROTO_MYTCP_NUM + len;
	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)seg[i] << 8 | seg[i + 1];
	if (len & 1)
		sum += (uint32_t)seg[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* IPv4 header for IP_HDRINCL; the kernel fills tot_len, id and check */
void build_ip(uint8_t *pkt, uint32_t saddr, uint32_t daddr, size_t seglen)
{
	uint16_t tot = htons((uint16_t)(20 + seglen));

	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	memcpy(pkt + 2, &tot, 2);
	pkt[6] = 0x40;		/* DF */
	pkt[8] = 64;
	pkt[9] = IPPROTO_MYTCP_NUM;
	memcpy(pkt + 12, &saddr, 4);
	memcpy(pkt + 16, &daddr, 4);
}

/* a /proc/meminfo field in kB, or -1 */
long slab_kb(const char *field)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	size_t n = strlen(field);
	long v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* a counter of /proc/net/mytcp_stat in the namespace nsfd, or -1 */
long stat_counter(int nsfd, const char *name)
{
	int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	char key[64];
	long v, r = -1;
	FILE *f;

	if (home < 0 || setns(nsfd, CLONE_NEWNET))
		die("setns: %s", strerror(errno));
	f = fopen("/proc/thread-self/net/mytcp_stat", "r");
	if (setns(home, CLONE_NEWNET))
		die("setns back: %s", strerror(errno));
	close(home);
	if (!f)
		return -1;
	while (fscanf(f, "%63s %ld", key, &v) == 2)
		if (!strcmp(key, name)) {
			r = v;
			break;
		}
	fclose(f);
	return r;
}

/*
 * Rows of /proc/net/mytcp in namespace nsfd in state st (hex as printed,
 * e.g. 6 for TIME_WAIT) with these local and remote ports (0: any), or -1.
 */
int proc_count(int nsfd, int st, int lport, int rport)
{
	int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	unsigned int lp, rp, state;
	char line[512];
	int n = 0;
	FILE *f;

	if (home < 0 || setns(nsfd, CLONE_NEWNET))
		die("setns: %s", strerror(errno));
	f = fopen("/proc/thread-self/net/mytcp", "r");
	if (setns(home, CLONE_NEWNET))
		die("setns back: %s", strerror(errno));
	close(home);
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%*s %*x:%x %*x:%x %x", &lp, &rp, &state) == 3 &&
		    (int)state == st && (!lport || (int)lp == lport) &&
		    (!rport || (int)rp == rport))
			n++;
	fclose(f);
	return n;
}

/* the value after --key in argv, or def */
const char *opt(int argc, char **argv, const char *key, const char *def)
{
	int i;

	for (i = 1; i + 1 < argc; i++)
		if (!strcmp(argv[i], key))
			return argv[i + 1];
	return def;
}

long opt_num(int argc, char **argv, const char *key, long def)
{
	const char *v = opt(argc, argv, key, NULL);
	char *end;
	long n;

	if (!v)
		return def;
	n = strtol(v, &end, 0);
	if (*end || n < 0)
		die("%s wants a number, got '%s'", key, v);
	return n;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		die("usage: segfuzz fuzz|flood|churn [options] (see common.c)");
	if (!strcmp(argv[1], "fuzz"))
		return run_fuzz(argc - 1, argv + 1);
	if (!strcmp(argv[1], "flood"))
		return run_flood(argc - 1, argv + 1);
	if (!strcmp(argv[1], "churn"))
		return run_churn(argc - 1, argv + 1);
	die("unknown mode %s", argv[1]);
}
