// SPDX-License-Identifier: GPL-2.0
/*
 * segfuzz flood: SYNs from spoofed sources at a listener with a small
 * backlog, while real clients keep connecting; segfuzz churn: connections
 * opened and closed in a loop, for the module unload race.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "segfuzz.h"

#define MAX_LEGIT	256

struct legit {
	int fd;
	double start;
};

/* a SYN as a real stack sends it: MSS, SACK permitted, timestamps, wscale */
static size_t build_syn(struct rng *r, uint8_t *pkt, uint32_t daddr, uint16_t dport)
{
	uint8_t *th = pkt + 20;
	uint32_t saddr, seq = (uint32_t)rng_next(r), ts = (uint32_t)rng_next(r);
	uint16_t sport = 1024 + rng_below(r, 64000), mss = 536 + rng_below(r, 925), ck;

	/* 198.18.0.0/15 mostly, any unicast sometimes */
	if (rng_below(r, 10))
		saddr = htonl(0xc6120000 | rng_below(r, 1 << 17));
	else
		saddr = htonl(0x01000000 + rng_below(r, 0xdf000000u - 0x01000000u));
	memset(th, 0, 40);
	th[0] = sport >> 8; th[1] = sport;
	th[2] = dport >> 8; th[3] = dport;
	th[4] = seq >> 24; th[5] = seq >> 16; th[6] = seq >> 8; th[7] = seq;
	th[12] = 10 << 4;
	th[13] = F_SYN;
	th[14] = 0xfa; th[15] = 0xf0;
	th[20] = 2; th[21] = 4; th[22] = mss >> 8; th[23] = mss;
	th[24] = 4; th[25] = 2;
	th[26] = 8; th[27] = 10;
	memcpy(th + 28, &ts, 4);
	th[36] = 1;
	th[37] = 3; th[38] = 3; th[39] = rng_below(r, 15);
	ck = mytcp_csum(saddr, daddr, th, 40);
	th[16] = ck >> 8;
	th[17] = ck;
	build_ip(pkt, saddr, daddr, 40);
	return 60;
}

static void legit_start(struct legit *l, int ns_a, const struct sockaddr_in *sa)
{
	l->fd = sock_in(ns_a, SOCK_STREAM, IPPROTO_MYTCP_NUM);
	l->start = now_s();
	if (l->fd < 0)
		return;
	set_nonblock(l->fd, 1);
	if (connect(l->fd, (const struct sockaddr *)sa, sizeof(*sa)) &&
	    errno != EINPROGRESS) {
		close(l->fd);
		l->fd = -2;
	}
}

struct legit_stats {
	long ok, failed;
	double max_ms, sum_ms;
};

/* poll the pending connects; returns how many are still pending */
static int legit_poll(struct legit *l, int n, int lst, struct legit_stats *s, int ms)
{
	struct pollfd p[MAX_LEGIT];
	int i, c, pending = 0, err;
	socklen_t len;

	while ((c = accept(lst, NULL, NULL)) >= 0)
		close(c);
	for (i = 0; i < n; i++) {
		p[i].fd = l[i].fd;
		p[i].events = POLLOUT;
		p[i].revents = 0;
		if (l[i].fd >= 0)
			pending++;
	}
	if (!pending)
		return 0;
	poll(p, n, ms);
	pending = 0;
	for (i = 0; i < n; i++) {
		if (l[i].fd < 0)
			continue;
		if (!p[i].revents) {
			pending++;
			continue;
		}
		err = 0;
		len = sizeof(err);
		getsockopt(l[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err || !(p[i].revents & POLLOUT)) {
			s->failed++;
		} else {
			double ms_taken = (now_s() - l[i].start) * 1000;

			s->ok++;
			s->sum_ms += ms_taken;
			if (ms_taken > s->max_ms)
				s->max_ms = ms_taken;
		}
		close(l[i].fd);
		l[i].fd = -1;
	}
	while ((c = accept(lst, NULL, NULL)) >= 0)
		close(c);
	return pending;
}

static const char *const counters[] = {
	"SyncookiesSent", "SyncookiesRecv", "SyncookiesFailed",
	"DropSynQueueFull", "DropAcceptQueueFull", "PassiveOpens", "InSegs",
};

#define NCOUNTERS (sizeof(counters) / sizeof(counters[0]))

int run_flood(int argc, char **argv)
{
	long count = opt_num(argc, argv, "--count", 50000);
	long port = opt_num(argc, argv, "--port", 5100);
	long backlog = opt_num(argc, argv, "--backlog", 4);
	long every = opt_num(argc, argv, "--legit-every", 1000);
	uint64_t seed = opt_num(argc, argv, "--seed", 1);
	int ns_a = ns_open(opt(argc, argv, "--ns-a", "fuzza"));
	int ns_b = ns_open(opt(argc, argv, "--ns-b", "fuzzb"));
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct legit_stats ls = { 0 };
	struct legit l[MAX_LEGIT];
	long before[NCOUNTERS], sent = 0, err = 0, i;
	long slab0, slab1, slab2, unrecl0, unrecl1;
	static uint8_t pkt[64];
	int raw, lst, one = 1, nl = 0, synrecv;
	struct rng r;
	double t0, t1;
	size_t j;

	rng_seed(&r, seed);
	sa.sin_addr.s_addr = inet_addr("10.0.1.2");
	lst = sock_in(ns_b, SOCK_STREAM, IPPROTO_MYTCP_NUM);
	raw = sock_in(ns_a, SOCK_RAW, IPPROTO_RAW);
	if (lst < 0 || raw < 0)
		die("socket: %s", strerror(errno));
	setsockopt(lst, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lst, (struct sockaddr *)&sa, sizeof(sa)) || listen(lst, backlog))
		die("listener: %s", strerror(errno));
	set_nonblock(lst, 1);
	for (j = 0; j < NCOUNTERS; j++)
		before[j] = stat_counter(ns_b, counters[j]);
	slab0 = slab_kb("Slab");
	unrecl0 = slab_kb("SUnreclaim");

	t0 = now_s();
	for (i = 0; i < count; i++) {
		size_t len = build_syn(&r, pkt, sa.sin_addr.s_addr, port);

		if (sendto(raw, pkt, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			err++;
		else
			sent++;
		if (every && i % every == every / 2 && nl < MAX_LEGIT)
			legit_start(&l[nl++], ns_a, &sa);
		if ((i & 127) == 127)
			legit_poll(l, nl, lst, &ls, 0);
	}
	t1 = now_s();
	synrecv = proc_count(ns_b, ST_SYN_RECV, port, 0);
	slab1 = slab_kb("Slab");
	unrecl1 = slab_kb("SUnreclaim");
	/* the connects still pending get 20 s (a lost SYN costs a 1 s RTO) */
	for (i = 0; i < 200 && legit_poll(l, nl, lst, &ls, 100); i++)
		;
	for (i = 0; i < nl; i++) {
		if (l[i].fd >= 0) {
			close(l[i].fd);
			ls.failed++;
		} else if (l[i].fd == -2) {
			ls.failed++;
		}
	}
	printf("syns=%ld\nsend_errors=%ld\nseconds=%.2f\nrate=%.0f\n", sent, err,
	       t1 - t0, sent / (t1 - t0));
	printf("syn_recv_rows=%d\n", synrecv);
	printf("slab_before_kb=%ld\nslab_after_kb=%ld\n", slab0, slab1);
	printf("sunreclaim_before_kb=%ld\nsunreclaim_after_kb=%ld\n", unrecl0, unrecl1);
	printf("legit_ok=%ld\nlegit_failed=%ld\nlegit_max_ms=%.0f\nlegit_avg_ms=%.0f\n",
	       ls.ok, ls.failed, ls.max_ms, ls.ok ? ls.sum_ms / ls.ok : 0.0);
	for (j = 0; j < NCOUNTERS; j++)
		printf("delta_%s=%ld\n", counters[j],
		       stat_counter(ns_b, counters[j]) - before[j]);
	close(lst);
	close(raw);
	slab2 = slab_kb("Slab");
	printf("slab_closed_kb=%ld\n", slab2);
	return 0;
}

/*
 * churn: in namespace --ns, listener, connect, one byte, close, in a loop
 * for --seconds, with short pauses holding no socket so rmmod can win.  A
 * socket() that fails (the module is going or gone) is counted, not fatal;
 * once both ends exist, a cycle must complete: "broken" counts those that
 * did not.  SIGTERM ends the loop early; the counts are printed either way.
 */
static volatile sig_atomic_t churn_stop;

static void churn_term(int sig)
{
	(void)sig;
	churn_stop = 1;
}

int run_churn(int argc, char **argv)
{
	struct sigaction st = { .sa_handler = churn_term, .sa_flags = SA_RESTART };
	double secs = opt_num(argc, argv, "--seconds", 10), end, burst;
	int nsfd = ns_open(opt(argc, argv, "--ns", "churn"));
	struct sockaddr_in sa = { .sin_family = AF_INET };
	long cycles = 0, nosock = 0, broken = 0;
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };
	socklen_t len;
	struct rng r;
	char b = 'x';
	int lst, c, s;

	rng_seed(&r, opt_num(argc, argv, "--seed", 1));
	sa.sin_addr.s_addr = inet_addr("127.0.0.1");
	sigaction(SIGTERM, &st, NULL);
	end = now_s() + secs;
	burst = now_s();
	while (!churn_stop && now_s() < end) {
		c = -1;
		s = -1;
		lst = sock_in(nsfd, SOCK_STREAM, IPPROTO_MYTCP_NUM);
		if (lst < 0) {
			nosock++;
			poll(NULL, 0, 1 + rng_below(&r, 5));
			continue;
		}
		sa.sin_port = 0;
		len = sizeof(sa);
		if (bind(lst, (struct sockaddr *)&sa, sizeof(sa)) || listen(lst, 4) ||
		    getsockname(lst, (struct sockaddr *)&sa, &len))
			goto broken;
		c = sock_in(nsfd, SOCK_STREAM, IPPROTO_MYTCP_NUM);
		if (c < 0) {
			nosock++;
			goto out;
		}
		set_nonblock(c, 1);
		if (connect(c, (struct sockaddr *)&sa, sizeof(sa)) && errno != EINPROGRESS)
			goto broken;
		if (!(wait_fd(lst, POLLIN, 10000) & POLLIN))
			goto broken;
		s = accept(lst, NULL, NULL);
		if (s < 0 || !(wait_fd(c, POLLOUT, 10000) & POLLOUT) ||
		    send(c, &b, 1, MSG_NOSIGNAL) != 1 ||
		    !(wait_fd(s, POLLIN, 10000) & POLLIN) || recv(s, &b, 1, 0) != 1)
			goto broken;
		if (rng_below(&r, 2))
			setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		cycles++;
		goto out;
broken:
		broken++;
out:
		if (s >= 0)
			close(s);
		if (c >= 0)
			close(c);
		close(lst);
		/* bursts of up to 50 ms, then up to 30 ms holding nothing */
		if (now_s() > burst) {
			poll(NULL, 0, rng_below(&r, 30));
			burst = now_s() + rng_below(&r, 50) / 1000.0;
		}
	}
	printf("cycles=%ld\nno_socket=%ld\nbroken=%ld\n", cycles, nosock, broken);
	return 0;
}
