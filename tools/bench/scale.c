// SPDX-License-Identifier: GPL-2.0
/*
 * scale: many connections or TIME_WAIT entries at once, for scale.py.
 *
 *   scale PROTO conns N          N connected pairs over loopback, kept open
 *   scale PROTO tw N [FIRSTPORT] N connections closed by the client first,
 *                                each leaving a TIME_WAIT entry on the
 *                                client side (distinct 4-tuples: sources
 *                                127.0.0.2.. with ports FIRSTPORT..)
 *
 * PROTO is 253 (mytcp) or 6 (tcp).  Both modes print "rr_us X" for a
 * ping-pong of 1-octet messages over a fresh connection before ("base")
 * and after the N are there, so a lookup among many entries shows as a
 * longer round trip; "ready" lines tell scale.py when to read
 * /proc/slabinfo, and a line on stdin lets it go on.  Everything runs in
 * one thread: over loopback a send is processed before it returns, so
 * the round trip is the stack's own cost.  Every blocking call has a
 * timeout (SO_RCVTIMEO, SO_SNDTIMEO).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define PORT		7000
#define ROUNDS		2000
#define BATCHES		10
#define PORTS_PER_ADDR	50000

static int proto;

static void die(const char *what)
{
	fprintf(stderr, "scale: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int new_sock(void)
{
	struct timeval tv = { .tv_sec = 10 };
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, proto);

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (proto == IPPROTO_TCP)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static struct sockaddr_in addr_of(const char *ip, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };

	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static int listener(void)
{
	struct sockaddr_in a = addr_of("127.0.0.1", PORT);
	int one = 1, fd = new_sock();

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 4096))
		die("listen");
	return fd;
}

/* connect (from @src:@sport if @src) and accept: the two ends */
static void pair(int lfd, const char *src, int sport, int *c, int *s)
{
	struct sockaddr_in a = addr_of("127.0.0.1", PORT);

	*c = new_sock();
	if (src) {
		struct sockaddr_in b = addr_of(src, sport);

		if (bind(*c, (struct sockaddr *)&b, sizeof(b)))
			die("bind");
	}
	if (connect(*c, (struct sockaddr *)&a, sizeof(a)))
		die("connect");
	*s = accept(lfd, NULL, NULL);
	if (*s < 0)
		die("accept");
}

static void xfer(int fd, char *buf, int out)
{
	ssize_t n = out ? send(fd, buf, 1, 0) : recv(fd, buf, 1, 0);

	if (n != 1)
		die(out ? "send" : "recv");
}

/* ROUNDS round trips of one octet; print the mean in microseconds, if @label */
static void pingpong(int lfd, const char *label)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	int c, s, i, k;
	char b = 'x';
	double t, best = 0;

	pair(lfd, NULL, 0, &c, &s);
	for (i = 0; i < 50; i++) {	/* warm up */
		xfer(c, &b, 1);
		xfer(s, &b, 0);
		xfer(s, &b, 1);
		xfer(c, &b, 0);
	}
	/*
	 * The best of BATCHES batches: under emulation on a shared host a
	 * batch that the host preempted takes many times longer, and the
	 * stack's cost is what the fastest batch took.
	 */
	for (k = 0; k < BATCHES; k++) {
		t = now_us();
		for (i = 0; i < ROUNDS / BATCHES; i++) {
			xfer(c, &b, 1);
			xfer(s, &b, 0);
			xfer(s, &b, 1);
			xfer(c, &b, 0);
		}
		t = (now_us() - t) / (ROUNDS / BATCHES);
		if (!k || t < best)
			best = t;
	}
	if (label) {
		printf("rr_us %s %.2f\n", label, best);
		fflush(stdout);
	}
	/* a RST: the measuring connection leaves no TIME_WAIT entry */
	setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(c);
	close(s);
}

static void ready(const char *what, long n, double secs)
{
	char line[64];

	printf("ready %s %ld %.2f\n", what, n, secs);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		exit(1);
}

static void conns(int lfd, long n)
{
	int *fds = calloc(2 * n, sizeof(int));
	double t = now_us();
	long i;

	if (!fds)
		die("calloc");
	for (i = 0; i < n; i++)
		pair(lfd, NULL, 0, &fds[2 * i], &fds[2 * i + 1]);
	ready("conns", n, (now_us() - t) / 1e6);
	pingpong(lfd, "with");
	ready("measured", n, 0);
	for (i = 0; i < 2 * n; i++)
		close(fds[i]);
	free(fds);
}

static void time_waits(int lfd, long n, int first_port)
{
	double t = now_us();
	char src[32], b;
	long i;

	for (i = 0; i < n; i++) {
		int c, s;

		snprintf(src, sizeof(src), "127.0.0.%ld",
			 2 + i / PORTS_PER_ADDR);
		pair(lfd, src, first_port + i % PORTS_PER_ADDR, &c, &s);
		close(c);		/* the client closes first */
		if (recv(s, &b, 1, 0) != 0)
			die("recv EOF");
		close(s);
	}
	ready("tw", n, (now_us() - t) / 1e6);
	pingpong(lfd, "with");
	ready("measured", n, 0);
}

int main(int argc, char **argv)
{
	struct rlimit rl = { 1 << 16, 1 << 16 };
	long n;
	int lfd;

	if (argc < 4) {
		fprintf(stderr, "usage: scale PROTO conns|tw N [FIRSTPORT]\n");
		return 2;
	}
	proto = atoi(argv[1]);
	n = atol(argv[3]);
	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	lfd = listener();
	pingpong(lfd, NULL);		/* warm up: routes, caches */
	pingpong(lfd, "base");
	if (!strcmp(argv[2], "conns"))
		conns(lfd, n);
	else
		time_waits(lfd, n, argc > 4 ? atoi(argv[4]) : 10000);
	close(lfd);
	return 0;
}
