// SPDX-License-Identifier: GPL-2.0
/*
 * segfuzz: byte-exact transfers on connections the fuzzer does not aim at.
 *
 * Two directions, each a server and a client process: A -> B:6000 and
 * B -> A:6001.  A client sends, on a fresh connection each time, a 16-byte
 * header (stream seed, length) and then that many bytes of the seeded
 * stream, shuts down its sending side and waits for the server's verdict:
 * 'K' when every byte matched the stream regenerated on the server and EOF
 * came right after, 'X' otherwise.  A client exits 0 only if it completed
 * at least one transfer and none was wrong, cut or stalled.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "segfuzz.h"

#define CH		65536
#define IO_TIMEOUT	60	/* s without progress: a stalled connection */

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void stream_fill(struct rng *r, uint8_t *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 8) {
		uint64_t v = rng_next(r);

		memcpy(buf + i, &v, n - i < 8 ? n - i : 8);
	}
}

static void timeouts(int fd, int secs)
{
	struct timeval tv = { .tv_sec = secs };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int recv_full(int fd, uint8_t *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n) {
		r = recv(fd, buf + got, n - got, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += r;
	}
	return 0;
}

static int send_full(int fd, const uint8_t *buf, size_t n)
{
	size_t put = 0;
	ssize_t r;

	while (put < n) {
		r = send(fd, buf + put, n - put, MSG_NOSIGNAL);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		put += r;
	}
	return 0;
}

/*
 * The server's one-byte verdict.  A signal (SIGTERM, the stop request of
 * xfer_stop()) interrupts a recv() on a socket with SO_RCVTIMEO even with
 * SA_RESTART (signal(7)): retried, so that stopping cannot turn the last
 * transfer into a failed one.
 */
static int recv_verdict(int fd, char *v)
{
	ssize_t r;

	do {
		r = recv(fd, v, 1, 0);
	} while (r < 0 && errno == EINTR);
	return r == 1 ? 0 : -1;
}

/* one received transfer: 'K' if byte-exact, 'X' if not */
static char check_one(int c)
{
	static uint8_t want[CH], got[CH];
	uint64_t hdr[2], left;
	struct rng r;
	size_t n;
	char b;

	if (recv_full(c, (uint8_t *)hdr, sizeof(hdr)))
		return 'X';
	rng_seed(&r, hdr[0]);
	for (left = hdr[1]; left; left -= n) {
		n = left < CH ? left : CH;
		stream_fill(&r, want, n);
		if (recv_full(c, got, n) || memcmp(want, got, n))
			return 'X';
	}
	return recv(c, &b, 1, 0) == 0 ? 'K' : 'X';
}

static int xfer_listener(int nsfd, uint32_t addr, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = addr,
				  .sin_port = htons(port) };
	int lst = sock_in(nsfd, SOCK_STREAM, IPPROTO_MYTCP_NUM), one = 1;

	if (lst < 0)
		die("xfer: socket: %s", strerror(errno));
	setsockopt(lst, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lst, (struct sockaddr *)&sa, sizeof(sa)) || listen(lst, 4))
		die("xfer: bind/listen :%d: %s", port, strerror(errno));
	return lst;
}

static void serve(int lst)
{
	char v;
	int c;

	while (!stop) {
		if (!(wait_fd(lst, POLLIN, 200) & POLLIN))
			continue;
		c = accept(lst, NULL, NULL);
		if (c < 0)
			continue;
		timeouts(c, IO_TIMEOUT);
		v = check_one(c);
		send(c, &v, 1, MSG_NOSIGNAL);
		close(c);
	}
	exit(0);
}

static void client(int nsfd, uint32_t daddr, int port, uint64_t seed,
		   const char *label)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = daddr,
				  .sin_port = htons(port) };
	static uint8_t buf[CH];
	long ok = 0, bad = 0, bytes = 0;
	uint64_t hdr[2], left;
	struct rng r, st;
	size_t n;
	char v;
	int s;

	rng_seed(&r, seed);
	while (!stop) {
		s = sock_in(nsfd, SOCK_STREAM, IPPROTO_MYTCP_NUM);
		if (s < 0)
			die("xfer: socket: %s", strerror(errno));
		timeouts(s, IO_TIMEOUT);
		hdr[0] = rng_next(&r);
		hdr[1] = 4096 + rng_below(&r, 256 * 1024);
		if (connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
			/* the stop request came first: no transfer was tried */
			if (errno == EINTR && stop) {
				close(s);
				break;
			}
			printf("# xfer %s: connect: %s\n", label, strerror(errno));
			bad++;
			close(s);
			break;
		}
		rng_seed(&st, hdr[0]);
		v = 0;
		if (!send_full(s, (uint8_t *)hdr, sizeof(hdr))) {
			for (left = hdr[1]; left; left -= n) {
				n = left < CH ? left : CH;
				stream_fill(&st, buf, n);
				if (send_full(s, buf, n))
					break;
			}
			if (!left && !shutdown(s, SHUT_WR) && recv_verdict(s, &v))
				v = 0;
		}
		if (v == 'K') {
			ok++;
			bytes += hdr[1];
		} else {
			printf("# xfer %s: transfer %ld of %llu bytes failed (verdict %c, %s)\n",
			       label, ok + bad + 1, (unsigned long long)hdr[1],
			       v ? v : '-', strerror(errno));
			bad++;
		}
		close(s);
		/* leave most of the CPU to the fuzzer */
		poll(NULL, 0, 50);
	}
	printf("xfer_%s_transfers=%ld\nxfer_%s_bytes=%ld\nxfer_%s_bad=%ld\n",
	       label, ok, label, bytes, label, bad);
	exit(bad || !ok ? 1 : 0);
}

/* fork; in the child, SIGTERM asks it to stop; returns 1 in the child */
static int spawn(int *pid)
{
	struct sigaction sa = { .sa_handler = on_term, .sa_flags = SA_RESTART };

	fflush(stdout);
	*pid = fork();
	if (*pid < 0)
		die("fork: %s", strerror(errno));
	if (*pid == 0)
		sigaction(SIGTERM, &sa, NULL);
	return *pid == 0;
}

/**
 * xfer_start - start the transfer processes of both directions
 * @k: where their pids go
 * @ns_a: namespace A
 * @ns_b: namespace B
 * @addr_a: A's address (network order)
 * @addr_b: B's address
 * @seed: the run's seed
 */
void xfer_start(struct xfer_kids *k, int ns_a, int ns_b, uint32_t addr_a,
		uint32_t addr_b, uint64_t seed)
{
	/* listening before any client forks: no race with the first connect */
	int lb = xfer_listener(ns_b, addr_b, XFER_PORT_B);
	int la = xfer_listener(ns_a, addr_a, XFER_PORT_A);

	k->n = 0;
	if (spawn(&k->pids[k->n++])) {
		close(la);
		serve(lb);
	}
	if (spawn(&k->pids[k->n++])) {
		close(lb);
		serve(la);
	}
	close(la);
	close(lb);
	if (spawn(&k->pids[k->n++]))
		client(ns_a, addr_b, XFER_PORT_B, seed ^ 0xa, "a2b");
	if (spawn(&k->pids[k->n++]))
		client(ns_b, addr_a, XFER_PORT_A, seed ^ 0xb, "b2a");
}

/**
 * xfer_stop - stop the clients after their current transfer, then servers
 * @k: the processes
 *
 * Return: 0 if both clients reported only byte-exact transfers.
 */
int xfer_stop(struct xfer_kids *k)
{
	int i, st, bad = 0;

	for (i = 2; i < k->n; i++)
		kill(k->pids[i], SIGTERM);
	for (i = 2; i < k->n; i++) {
		if (waitpid(k->pids[i], &st, 0) < 0 || !WIFEXITED(st) ||
		    WEXITSTATUS(st))
			bad = 1;
	}
	for (i = 0; i < 2 && i < k->n; i++) {
		kill(k->pids[i], SIGTERM);
		waitpid(k->pids[i], &st, 0);
	}
	return bad;
}
