// SPDX-License-Identifier: GPL-2.0
/*
 * segfuzz fuzz: seeded segments at real sockets of every state.
 *
 * The sockets under fire live in namespace B (10.0.1.2); their peers, the
 * raw socket and the byte-exact transfers' other ends live in A (10.0.1.1).
 * Every round builds fresh targets: a listener, connects stuck in SYN_SENT
 * (to 10.0.1.99, which B sends to but nobody receives), and connections
 * held in ESTABLISHED, FIN_WAIT1, FIN_WAIT2, CLOSE_WAIT, LAST_ACK, CLOSING
 * and TIME_WAIT.  The fuzzer owns their fds in B, so MYTCP_INFO tells it
 * their current SND.UNA, SND.NXT and RCV.NXT, and many segments land in or
 * next to the window.  The rest are aimed at random 4-tuples.
 *
 * Each segment picks its flags (a quarter walk all 256 combinations in
 * turn), sequence and acknowledgment numbers (near RCV.NXT and SND.UNA, half
 * a window away, across the wrap, 0, 2^31, random), window, urgent pointer,
 * options (valid, extreme: MSS 0, window scale 255, or malformed lengths),
 * payload, data offset, length and checksum (mostly right); some are then
 * bit-flipped.  The sequence of choices depends only on --seed; the numbers
 * are relative to the live sockets' state, whose ISNs differ per boot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "segfuzz.h"

enum kind {
	K_LISTEN, K_SYNSENT, K_ESTAB, K_FINWAIT1, K_FINWAIT2, K_CLOSEWAIT,
	K_LASTACK, K_CLOSING, K_TIMEWAIT, K_NKINDS
};

static const char *const kind_name[K_NKINDS] = {
	"LISTEN", "SYN_SENT", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2",
	"CLOSE_WAIT", "LAST_ACK", "CLOSING", "TIME_WAIT",
};

static const int kind_state[K_NKINDS] = {
	ST_LISTEN, ST_SYN_SENT, ST_ESTABLISHED, ST_FIN_WAIT1, ST_FIN_WAIT2,
	ST_CLOSE_WAIT, ST_LAST_ACK, ST_CLOSING, ST_TIME_WAIT,
};

/* how many targets of each kind a round builds */
static const int kind_count[K_NKINDS] = { 1, 2, 2, 1, 1, 1, 1, 1, 2 };

#define MAX_TARGETS	16
#define TARGET_PORT	5000	/* the fuzzed listener */
#define PAIR_PORT	5001	/* listener the target pairs come through */
#define CHECK_PORT	5002	/* the connection made after the fuzzing */
#define BLACKHOLE	"10.0.1.99"

struct target {
	enum kind kind;
	int fd;			/* B's socket, -1 for TIME_WAIT */
	int peer;		/* A's socket, -1 if none */
	uint32_t saddr, daddr;	/* our segments' addresses, network order */
	uint16_t sport, dport;	/* host order */
	uint32_t rcv_nxt, snd_una, snd_nxt, peer_isn;
	int reached;
};

struct fz {
	struct rng r;
	int ns_a, ns_b, raw;
	uint32_t addr_a, addr_b, blackhole;
	struct target t[MAX_TARGETS];
	int nt;
	int pair_lst;
	unsigned int flagctr;
	long sent, send_err, reached[K_NKINDS], built[K_NKINDS];
};

static void target_refresh(struct target *t)
{
	if (t->fd >= 0 && t->kind != K_LISTEN)
		mytcp_state(t->fd, &t->snd_una, &t->snd_nxt, &t->rcv_nxt);
}

/* wait until fd is in state want (no event signals it: poll MYTCP_INFO) */
static int wait_state(int fd, int want, int ms)
{
	int i;

	for (i = 0; i < ms; i++) {
		if (mytcp_state(fd, NULL, NULL, NULL) == want)
			return 1;
		poll(NULL, 0, 1);
	}
	return 0;
}

/*
 * close() with SO_LINGER 0: a RST, no orphan.  For sockets whose peer does
 * not exist (a spoofed source, the blackhole), which the fuzzer may have
 * brought to ESTABLISHED: a FIN there would be retransmitted for
 * net.mytcp.retries2 timeouts, pinning the module long after the run.
 */
static void abort_close(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

static void accept_abort(int lst)
{
	int c;

	while ((c = accept(lst, NULL, NULL)) >= 0)
		abort_close(c);
}

/* A connects to B's pair listener; returns 0 with both ends, non-blocking */
static int make_pair(struct fz *f, int *pa, int *pb, int small_rcvbuf)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = f->addr_b,
				  .sin_port = htons(PAIR_PORT) };
	struct sockaddr_in me, peer;
	socklen_t len;
	int a, b, rb = 2048, i;

	a = sock_in(f->ns_a, SOCK_STREAM, IPPROTO_MYTCP_NUM);
	if (a < 0)
		return -1;
	if (small_rcvbuf)
		setsockopt(a, SOL_SOCKET, SO_RCVBUF, &rb, sizeof(rb));
	set_nonblock(a, 1);
	if (connect(a, (struct sockaddr *)&sa, sizeof(sa)) && errno != EINPROGRESS)
		goto fail;
	len = sizeof(me);
	getsockname(a, (struct sockaddr *)&me, &len);
	/* the listener may also hold connections the fuzzer completed */
	for (i = 0; i < 8; i++) {
		if (!(wait_fd(f->pair_lst, POLLIN, 5000) & POLLIN))
			goto fail;
		len = sizeof(peer);
		b = accept(f->pair_lst, (struct sockaddr *)&peer, &len);
		if (b < 0)
			continue;
		if (peer.sin_port == me.sin_port && peer.sin_addr.s_addr == f->addr_a) {
			set_nonblock(b, 1);
			*pa = a;
			*pb = b;
			return 0;
		}
		abort_close(b);
	}
fail:
	close(a);
	return -1;
}

/* B writes until A's small window and B's send buffer are full */
static void fill(int b)
{
	static char junk[16384];
	int i;

	for (i = 0; i < 400; i++) {
		if (send(b, junk, sizeof(junk), MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
			if (errno != EAGAIN || !(wait_fd(b, POLLOUT, 50) & POLLOUT))
				return;
		}
	}
}

static void drain(int fd)
{
	static char buf[65536];

	while (fd >= 0 && recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
}

static int add_listener(struct fz *f, struct target *t)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = f->addr_b,
				  .sin_port = htons(TARGET_PORT) };
	int one = 1;

	t->fd = sock_in(f->ns_b, SOCK_STREAM, IPPROTO_MYTCP_NUM);
	if (t->fd < 0)
		return -1;
	setsockopt(t->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	set_nonblock(t->fd, 1);
	if (bind(t->fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(t->fd, 4))
		return -1;
	t->saddr = htonl(0xc6120000 | rng_below(&f->r, 1 << 17));	/* 198.18/15 */
	t->sport = 1024 + rng_below(&f->r, 60000);
	t->dport = TARGET_PORT;
	return 0;
}

static int add_synsent(struct fz *f, struct target *t, int i)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = f->blackhole,
				  .sin_port = htons(7000 + i) };
	struct sockaddr_in me;
	socklen_t len = sizeof(me);

	t->fd = sock_in(f->ns_b, SOCK_STREAM, IPPROTO_MYTCP_NUM);
	if (t->fd < 0)
		return -1;
	set_nonblock(t->fd, 1);
	if (connect(t->fd, (struct sockaddr *)&sa, sizeof(sa)) && errno != EINPROGRESS)
		return -1;
	getsockname(t->fd, (struct sockaddr *)&me, &len);
	t->saddr = f->blackhole;
	t->sport = 7000 + i;
	t->dport = ntohs(me.sin_port);
	return 0;
}

/* a connection A -> B, then driven into the target's state on B's side */
static int add_conn(struct fz *f, struct target *t)
{
	int small = t->kind == K_FINWAIT1 || t->kind == K_LASTACK ||
		    t->kind == K_CLOSING;
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	int a, b;

	if (make_pair(f, &a, &b, small))
		return -1;
	t->fd = b;
	t->peer = a;
	getsockname(a, (struct sockaddr *)&me, &len);
	t->saddr = f->addr_a;
	t->sport = ntohs(me.sin_port);
	t->dport = PAIR_PORT;
	switch (t->kind) {
	case K_FINWAIT1:
		fill(b);
		shutdown(b, SHUT_WR);
		break;
	case K_FINWAIT2:
		shutdown(b, SHUT_WR);
		break;
	case K_CLOSEWAIT:
		shutdown(a, SHUT_WR);
		break;
	case K_LASTACK:
		fill(b);
		shutdown(a, SHUT_WR);
		if (wait_fd(b, POLLIN, 5000) & POLLIN)
			drain(b);
		shutdown(b, SHUT_WR);
		break;
	case K_CLOSING:
		fill(b);
		shutdown(b, SHUT_WR);
		wait_state(b, ST_FIN_WAIT1, 2000);
		shutdown(a, SHUT_WR);
		break;
	case K_TIMEWAIT:
		shutdown(b, SHUT_WR);
		wait_state(b, ST_FIN_WAIT2, 5000);
		close(a);
		t->peer = -1;
		if (wait_fd(b, POLLIN, 5000) & POLLIN)
			drain(b);
		break;
	default:
		break;
	}
	return 0;
}

static void build_round(struct fz *f)
{
	struct target *t;
	int k, i, ok;

	f->nt = 0;
	for (k = 0; k < K_NKINDS; k++) {
		for (i = 0; i < kind_count[k] && f->nt < MAX_TARGETS; i++) {
			t = &f->t[f->nt];
			memset(t, 0, sizeof(*t));
			t->kind = k;
			t->fd = -1;
			t->peer = -1;
			t->daddr = f->addr_b;
			t->peer_isn = (uint32_t)rng_next(&f->r);
			if (k == K_LISTEN)
				ok = !add_listener(f, t);
			else if (k == K_SYNSENT)
				ok = !add_synsent(f, t, i);
			else
				ok = !add_conn(f, t);
			if (!ok) {
				if (t->fd >= 0)
					close(t->fd);
				if (t->peer >= 0)
					close(t->peer);
				continue;
			}
			f->built[k]++;
			f->nt++;
		}
	}
	/* states settle; then record which were reached and the numbers */
	for (i = 0; i < f->nt; i++) {
		t = &f->t[i];
		if (t->kind == K_TIMEWAIT) {
			/* close the fd: a TIME_WAIT entry keeps the 4-tuple */
			target_refresh(t);
			close(t->fd);
			t->fd = -1;
			t->reached = proc_count(f->ns_b, ST_TIME_WAIT, t->dport,
						t->sport) == 1;
		} else {
			t->reached = wait_state(t->fd, kind_state[t->kind], 2000);
			target_refresh(t);
		}
		if (t->reached)
			f->reached[t->kind]++;
	}
}

static void teardown_round(struct fz *f)
{
	int i;

	for (i = 0; i < f->nt; i++) {
		struct target *t = &f->t[i];

		if (t->fd >= 0) {
			if (t->kind == K_LISTEN)
				accept_abort(t->fd);
			/* half of the others close with a FIN, half abort */
			if (t->kind == K_LISTEN || t->kind == K_SYNSENT ||
			    rng_below(&f->r, 2))
				abort_close(t->fd);
			else
				close(t->fd);
		}
		if (t->peer >= 0)
			close(t->peer);
	}
	f->nt = 0;
}

/* ---- segment generation ---- */

static uint32_t pick_seq(struct fz *f, uint32_t base)
{
	struct rng *r = &f->r;

	switch (rng_below(r, 12)) {
	case 0: case 1: case 2:
		return base;
	case 3:
		return base + rng_below(r, 7) - 3;
	case 4:
		return base + rng_below(r, 65536);
	case 5:
		return base - 1 - rng_below(r, 65536);
	case 6:
		return base + 0x80000000u;
	case 7:
		return base + 0x7fffffffu + rng_below(r, 3);
	case 8:
		return rng_below(r, 2) ? 0 : 0xffffffffu;
	case 9:
		return 0x80000000u + rng_below(r, 3) - 1;
	case 10:
		return base + (rng_below(r, 2) ? 1u << 30 : 0xffff0000u);
	default:
		return (uint32_t)rng_next(r);
	}
}

static uint8_t pick_flags(struct fz *f)
{
	struct rng *r = &f->r;
	unsigned int x = rng_below(r, 100);

	if (x < 25)
		return (uint8_t)f->flagctr++;	/* all 256 in turn */
	if (x < 45)
		return F_ACK | (rng_below(r, 2) ? F_PSH : 0);
	if (x < 53)
		return F_RST | (rng_below(r, 2) ? F_ACK : 0);
	if (x < 63)
		return F_SYN | (rng_below(r, 2) ? F_ACK : 0);
	if (x < 73)
		return F_FIN | F_ACK;
	if (x < 78)
		return F_ACK | F_URG | F_PSH;
	return (uint8_t)rng_next(r);
}

static size_t put_opt(uint8_t *o, size_t room, const uint8_t *bytes, size_t n)
{
	if (n > room)
		return 0;
	memcpy(o, bytes, n);
	return n;
}

/* options: none, valid and extreme, or malformed; returns their length */
static size_t pick_options(struct fz *f, uint8_t *o)
{
	struct rng *r = &f->r;
	size_t len = 0, want, n;
	unsigned int mode = rng_below(r, 8);
	uint8_t b[12];
	uint32_t v;

	if (mode < 4)
		return 0;
	want = 4 * (1 + rng_below(r, 10));	/* 4..40 */
	while (len < want) {
		switch (mode == 7 ? 9 : rng_below(r, 10)) {
		case 0:	/* MSS, sometimes 0 or 1 */
			v = rng_below(r, 3) ? 536 + rng_below(r, 1000) : rng_below(r, 2);
			b[0] = 2; b[1] = 4; b[2] = v >> 8; b[3] = v;
			n = put_opt(o + len, want - len, b, 4);
			break;
		case 1:	/* window scale, up to 255 */
			b[0] = 3; b[1] = 3;
			b[2] = rng_below(r, 2) ? rng_below(r, 15) : rng_below(r, 256);
			n = put_opt(o + len, want - len, b, 3);
			break;
		case 2:
			b[0] = 4; b[1] = 2;
			n = put_opt(o + len, want - len, b, 2);
			break;
		case 3:	/* timestamps */
			b[0] = 8; b[1] = 10;
			v = (uint32_t)rng_next(r);
			memcpy(b + 2, &v, 4);
			memcpy(b + 6, &v, 4);
			n = put_opt(o + len, want - len, b, 10);
			break;
		case 4:	/* NOP */
			b[0] = 1;
			n = put_opt(o + len, want - len, b, 1);
			break;
		case 5:	/* EOL, then garbage after it */
			b[0] = 0;
			n = put_opt(o + len, want - len, b, 1);
			break;
		case 6:	/* known kind, wrong length (0, 1, short, long, past end) */
			b[0] = 2 + rng_below(r, 7);
			b[1] = rng_below(r, 2) ? rng_below(r, 2) : rng_below(r, 64);
			n = put_opt(o + len, want - len, b, 2);
			break;
		case 7:	/* unknown kind, random length */
			b[0] = 9 + rng_below(r, 247);
			b[1] = rng_below(r, 42);
			n = put_opt(o + len, want - len, b, 2);
			break;
		default: /* raw random byte */
			o[len] = (uint8_t)rng_next(r);
			n = 1;
			break;
		}
		if (!n)
			o[len++] = 1;	/* pad with NOP */
		len += n;
	}
	return want;
}

static size_t pick_payload(struct fz *f)
{
	unsigned int x = rng_below(&f->r, 10);

	if (x < 6)
		return 0;
	if (x < 9)
		return 1 + rng_below(&f->r, 64);
	return 1 + rng_below(&f->r, 1400);
}

/* one segment for t (NULL: a random 4-tuple) into pkt; returns its length */
static size_t build_segment(struct fz *f, struct target *t, uint8_t *pkt)
{
	struct rng *r = &f->r;
	uint8_t *th = pkt + 20, opts[40];
	uint32_t saddr, daddr, seq, ack, seqbase, una, nxt;
	uint16_t sport, dport, win, urg, ck;
	size_t olen, plen, hlen, seglen, i;
	uint8_t flags, doff;

	if (t) {
		saddr = t->saddr;
		daddr = t->daddr;
		sport = t->sport;
		dport = t->dport;
		if (rng_below(r, 20) == 0)
			sport = (uint16_t)rng_next(r);
		if (rng_below(r, 20) == 0)
			saddr = htonl(ntohl(saddr) ^ (1u << rng_below(r, 32)));
		seqbase = t->kind == K_LISTEN || t->kind == K_SYNSENT ?
			  t->peer_isn : t->rcv_nxt;
		una = t->snd_una;
		nxt = t->snd_nxt;
	} else {
		switch (rng_below(r, 3)) {
		case 0:
			saddr = f->addr_a;
			break;
		case 1:
			saddr = htonl(0xc6120000 | rng_below(r, 1 << 17));
			break;
		default:
			saddr = (uint32_t)rng_next(r);
			break;
		}
		daddr = f->addr_b;
		sport = (uint16_t)rng_next(r);
		dport = rng_below(r, 2) ? (uint16_t)rng_next(r) :
			TARGET_PORT + rng_below(r, 3);
		seqbase = (uint32_t)rng_next(r);
		una = (uint32_t)rng_next(r);
		nxt = una + rng_below(r, 100000);
	}
	/* never the transfers' connections */
	if (dport == XFER_PORT_B || dport == XFER_PORT_A)
		dport = TARGET_PORT;
	if (sport == XFER_PORT_A || sport == XFER_PORT_B)
		sport = 1024;
	flags = pick_flags(f);
	seq = pick_seq(f, seqbase);
	switch (rng_below(r, 10)) {
	case 0: case 1: case 2:
		ack = nxt;
		break;
	case 3:
		ack = una;
		break;
	case 4:
		ack = rng_below(r, 2) ? nxt + 1 : una - 1;
		break;
	default:
		ack = pick_seq(f, rng_below(r, 2) ? una : nxt);
		break;
	}
	switch (rng_below(r, 5)) {
	case 0:
		win = 0;
		break;
	case 1:
		win = 65535;
		break;
	default:
		win = (uint16_t)rng_next(r);
		break;
	}
	urg = rng_below(r, 8) ? 0 : (uint16_t)rng_next(r);
	olen = pick_options(f, opts);
	plen = pick_payload(f);
	hlen = 20 + olen;
	doff = hlen / 4;
	if (rng_below(r, 12) == 0)
		doff = rng_below(r, 16);	/* too small, too big, anything */

	th[0] = sport >> 8; th[1] = sport;
	th[2] = dport >> 8; th[3] = dport;
	th[4] = seq >> 24; th[5] = seq >> 16; th[6] = seq >> 8; th[7] = seq;
	th[8] = ack >> 24; th[9] = ack >> 16; th[10] = ack >> 8; th[11] = ack;
	th[12] = doff << 4 | (rng_below(r, 20) ? 0 : rng_below(r, 16));
	th[13] = flags;
	th[14] = win >> 8; th[15] = win;
	th[16] = 0; th[17] = 0;
	th[18] = urg >> 8; th[19] = urg;
	memcpy(th + 20, opts, olen);
	for (i = 0; i < plen; i += 8) {
		uint64_t v = rng_next(r);

		memcpy(th + hlen + i, &v, plen - i < 8 ? plen - i : 8);
	}
	seglen = hlen + plen;
	if (rng_below(r, 30) == 0)	/* cut short: < 20 bytes or options cut */
		seglen = rng_below(r, seglen);
	if (rng_below(r, 12) == 0) {	/* flip bits, then maybe fix the sum */
		int nflip = 1 + rng_below(r, 4);

		while (seglen && nflip--)
			th[rng_below(r, seglen < 40 ? seglen : 40)] ^= 1 << rng_below(r, 8);
	}
	ck = mytcp_csum(saddr, daddr, th, seglen);
	if (rng_below(r, 8) == 0)
		ck ^= 1 + rng_below(r, 0xfffe);	/* a wrong checksum */
	if (seglen >= 18) {
		th[16] = ck >> 8;
		th[17] = ck;
	}
	build_ip(pkt, saddr, daddr, seglen);
	return 20 + seglen;
}

/* ---- the run ---- */

static void service(struct fz *f)
{
	int i;

	for (i = 0; i < f->nt; i++) {
		struct target *t = &f->t[i];

		if (t->kind == K_LISTEN && t->fd >= 0) {
			accept_abort(t->fd);
		} else if (t->kind != K_FINWAIT1 && t->kind != K_LASTACK &&
			   t->kind != K_CLOSING) {
			/* those three keep their full windows to stay put */
			drain(t->fd);
			drain(t->peer);
		}
		target_refresh(t);
	}
	accept_abort(f->pair_lst);
}

/* after the fuzzing: a fresh connection carries 256 KiB both ways */
static int check_new_connection(struct fz *f)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = f->addr_b,
				  .sin_port = htons(CHECK_PORT) };
	static uint8_t out[262144], in[262144];
	int lst, a, b, one = 1, i;
	size_t sent = 0, got = 0;
	ssize_t n;

	lst = sock_in(f->ns_b, SOCK_STREAM, IPPROTO_MYTCP_NUM);
	a = sock_in(f->ns_a, SOCK_STREAM, IPPROTO_MYTCP_NUM);
	if (lst < 0 || a < 0)
		return -1;
	setsockopt(lst, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lst, (struct sockaddr *)&sa, sizeof(sa)) || listen(lst, 4))
		return -1;
	set_nonblock(a, 1);
	if (connect(a, (struct sockaddr *)&sa, sizeof(sa)) && errno != EINPROGRESS)
		return -1;
	if (!(wait_fd(lst, POLLIN, 10000) & POLLIN))
		return -1;
	b = accept(lst, NULL, NULL);
	if (b < 0)
		return -1;
	set_nonblock(b, 1);
	for (i = 0; i < (int)sizeof(out); i++)
		out[i] = (uint8_t)(i * 7 + (i >> 9));
	for (i = 0; i < 2000 && got < sizeof(in); i++) {
		struct pollfd p[2] = { { .fd = a, .events = POLLOUT },
				       { .fd = b, .events = POLLIN } };

		if (poll(p, 2, 100) < 0)
			return -1;
		if (sent < sizeof(out) && (p[0].revents & POLLOUT)) {
			n = send(a, out + sent, sizeof(out) - sent, MSG_NOSIGNAL);
			if (n > 0)
				sent += n;
		}
		if (p[1].revents & POLLIN) {
			n = recv(b, in + got, sizeof(in) - got, 0);
			if (n <= 0)
				break;
			got += n;
		}
	}
	close(a);
	close(b);
	close(lst);
	return got == sizeof(in) && !memcmp(in, out, sizeof(in)) ? 0 : -1;
}

int run_fuzz(int argc, char **argv)
{
	long count = opt_num(argc, argv, "--count", 100000);
	long round = opt_num(argc, argv, "--round", 25000);
	uint64_t seed = opt_num(argc, argv, "--seed", 1);
	struct sockaddr_in pa = { .sin_family = AF_INET, .sin_port = htons(PAIR_PORT) };
	struct sockaddr_in dst = { .sin_family = AF_INET };
	static uint8_t pkt[1600];
	struct xfer_kids kids;
	struct fz f = { 0 };
	double t0, t1, last;
	int k, one = 1, bad;
	long rounds = 0;
	size_t len;

	rng_seed(&f.r, seed);
	f.ns_a = ns_open(opt(argc, argv, "--ns-a", "fuzza"));
	f.ns_b = ns_open(opt(argc, argv, "--ns-b", "fuzzb"));
	f.addr_a = inet_addr("10.0.1.1");
	f.addr_b = inet_addr("10.0.1.2");
	f.blackhole = inet_addr(BLACKHOLE);
	printf("seed=%llu\n", (unsigned long long)seed);

	xfer_start(&kids, f.ns_a, f.ns_b, f.addr_a, f.addr_b, seed);

	f.raw = sock_in(f.ns_a, SOCK_RAW, IPPROTO_RAW);
	if (f.raw < 0)
		die("raw socket: %s", strerror(errno));
	f.pair_lst = sock_in(f.ns_b, SOCK_STREAM, IPPROTO_MYTCP_NUM);
	pa.sin_addr.s_addr = f.addr_b;
	setsockopt(f.pair_lst, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (f.pair_lst < 0 || bind(f.pair_lst, (struct sockaddr *)&pa, sizeof(pa)) ||
	    listen(f.pair_lst, 16))
		die("pair listener: %s", strerror(errno));
	set_nonblock(f.pair_lst, 1);
	dst.sin_addr.s_addr = f.addr_b;

	t0 = now_s();
	last = t0;
	while (f.sent < count) {
		long i;

		build_round(&f);
		rounds++;
		for (i = 0; i < round && f.sent < count; i++) {
			struct target *t = NULL;

			if (f.nt && rng_below(&f.r, 100) < 85)
				t = &f.t[rng_below(&f.r, f.nt)];
			len = build_segment(&f, t, pkt);
			if (sendto(f.raw, pkt, len, 0, (struct sockaddr *)&dst,
				   sizeof(dst)) < 0)
				f.send_err++;
			else
				f.sent++;
			if ((i & 63) == 63)
				service(&f);
		}
		teardown_round(&f);
		if (now_s() - last > 10) {
			last = now_s();
			printf("# segfuzz: %ld segments, round %ld, %.0f/s\n", f.sent,
			       rounds, f.sent / (last - t0));
		}
	}
	t1 = now_s();
	printf("segments=%ld\nsend_errors=%ld\nrounds=%ld\nseconds=%.1f\nrate=%.0f\n",
	       f.sent, f.send_err, rounds, t1 - t0, f.sent / (t1 - t0));
	for (k = 0; k < K_NKINDS; k++)
		printf("state_%s=%ld/%ld\n", kind_name[k], f.reached[k], f.built[k]);
	bad = xfer_stop(&kids);
	printf("xfer_ok=%d\n", !bad);
	close(f.pair_lst);
	printf("new_connection_ok=%d\n", !check_new_connection(&f));
	close(f.raw);
	return 0;
}
