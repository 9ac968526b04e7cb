// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of whole connections over UML's loopback, through kernel
 * sockets in init_net: the three-way handshake (RFC 9293 section 3.5),
 * data both ways, the closing sequences of section 3.6 (active, passive,
 * simultaneous), TIME-WAIT and its expiry, a connection refused by a RST
 * (section 3.10.7.1) and an abort (SO_LINGER zero, section 3.10.5).
 *
 * States are awaited by polling with a bounded deadline, never by a fixed
 * sleep, and every socket has receive and send timeouts, so a bug fails a
 * test instead of hanging it.
 *
 * CONN_TEST_MYTCP selects the protocol under test: 1 for IPPROTO_MYTCP,
 * 0 for IPPROTO_TCP, to check the tests themselves against the kernel's
 * TCP.  Checks that need mytcp's own interfaces (its TIME_WAIT table, its
 * sysctls) are compiled only for mytcp.  tools/kunit.sh sets it to 0 when
 * MYTCP_KUNIT_OBJS_ONLY leaves the socket layer out.
 */
#ifndef CONN_TEST_MYTCP
#define CONN_TEST_MYTCP	1
#endif

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/in.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/net.h>
#include <linux/netdevice.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

#include <uapi/linux/mytcp.h>
#include "state.h"
#if CONN_TEST_MYTCP
#include "protocol.h"
#define CONN_PROTO	IPPROTO_MYTCP
#else
#define CONN_PROTO	IPPROTO_TCP
#endif

#define WAIT_MS		5000	/* bound on any wait for a state */
#define SOCK_TIMEO	(5 * HZ)
#define XFER_LEN	(64 * 1024)
#define TW_DEFAULT_MS	60000
#define TW_SHORT_MS	200

/*
 * Evaluate @cond every millisecond or so until it holds or WAIT_MS pass.
 * Return: whether it held.
 */
#define poll_until(cond)						\
({									\
	unsigned long __end = jiffies + msecs_to_jiffies(WAIT_MS);	\
	bool __ok;							\
									\
	while (!(__ok = (cond)) && time_before(jiffies, __end))		\
		usleep_range(1000, 2000);				\
	__ok;								\
})

/* A transfer run by a kernel thread, so that both ends can block. */
struct conn_xfer {
	struct socket *sock;
	const u8 *buf;
	size_t len;
	int ret;
	bool started;
	struct completion done;
};

/* Per-test state; whatever is left is released by conn_exit(). */
struct conn_ctx {
	struct socket *lsn;	/* listener */
	struct socket *cli;	/* connecting end */
	struct socket *srv;	/* accepted end */
	struct sockaddr_in cli_addr, srv_addr;
	struct conn_xfer xfer[2];
	u16 port;
};

static u16 conn_next_port = 20000;

static int sock_state(struct socket *s)
{
	return READ_ONCE(s->sk->sk_state);
}

/*
 * The state of the connection @laddr:@lport -> @raddr:@rport as the
 * protocol's tables know it: TCP_TIME_WAIT for a TIME_WAIT entry,
 * TCP_CLOSE when there is no entry.
 */
static int conn_state(const struct sockaddr_in *local,
		      const struct sockaddr_in *remote)
{
#if CONN_TEST_MYTCP
	struct in6_addr l, r;

	ipv6_addr_set_v4mapped(local->sin_addr.s_addr, &l);
	ipv6_addr_set_v4mapped(remote->sin_addr.s_addr, &r);
	return mytcp_conn_state(&init_net, &l, local->sin_port, &r,
				remote->sin_port);
#else
	struct sock *sk;
	int state;

	sk = inet_lookup_established(&init_net, &tcp_hashinfo,
				     remote->sin_addr.s_addr, remote->sin_port,
				     local->sin_addr.s_addr, local->sin_port,
				     0);
	if (!sk)
		return TCP_CLOSE;
	state = READ_ONCE(sk->sk_state);
	sock_gen_put(sk);
	return state;
#endif
}

/* Wait until @s is in @want; fail the test naming @who if it is not. */
static bool expect_sock_state(struct kunit *test, const char *who,
			      struct socket *s, int want)
{
	bool ok;
	int st;

	ok = poll_until((st = sock_state(s)) == want);
	if (ok)
		return true;
	KUNIT_FAIL(test, "%s socket in %s, expected %s", who,
		   mytcp_state_name(st), mytcp_state_name(want));
	return false;
}

/* The same for the connection @local -> @remote in the tables. */
static bool expect_conn_state(struct kunit *test, const char *who,
			      const struct sockaddr_in *local,
			      const struct sockaddr_in *remote, int want)
{
	bool ok;
	int st;

	ok = poll_until((st = conn_state(local, remote)) == want);
	if (ok)
		return true;
	KUNIT_FAIL(test, "%s connection in %s, expected %s", who,
		   mytcp_state_name(st), mytcp_state_name(want));
	return false;
}

static void set_timeouts(struct socket *s)
{
	lock_sock(s->sk);
	s->sk->sk_rcvtimeo = SOCK_TIMEO;
	s->sk->sk_sndtimeo = SOCK_TIMEO;
	release_sock(s->sk);
}

/* A new socket of the protocol under test, with its timeouts set. */
static void new_sock(struct kunit *test, struct socket **res)
{
	int err;

	err = sock_create_kern(&init_net, AF_INET, SOCK_STREAM, CONN_PROTO,
			       res);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "socket(AF_INET, SOCK_STREAM, %d)",
			    CONN_PROTO);
	set_timeouts(*res);
}

static struct sockaddr_in loopback(u16 port)
{
	struct sockaddr_in sin = {
		.sin_family = AF_INET,
		.sin_port = htons(port),
		.sin_addr.s_addr = htonl(INADDR_LOOPBACK),
	};

	return sin;
}

static void start_listener(struct kunit *test, struct conn_ctx *c)
{
	struct sockaddr_in sin = loopback(c->port);

	new_sock(test, &c->lsn);
	sock_set_reuseaddr(c->lsn->sk);
	KUNIT_ASSERT_EQ(test, kernel_bind(c->lsn, (struct sockaddr *)&sin,
					  sizeof(sin)), 0);
	KUNIT_ASSERT_EQ(test, kernel_listen(c->lsn, 8), 0);
	KUNIT_ASSERT_EQ(test, sock_state(c->lsn), TCP_LISTEN);
}

/* Listener, client, connect, accept: an ESTABLISHED pair in @c. */
static void make_pair(struct kunit *test, struct conn_ctx *c)
{
	struct sockaddr_in sin = loopback(c->port);
	int err;

	start_listener(test, c);
	new_sock(test, &c->cli);
	err = kernel_connect(c->cli, (struct sockaddr *)&sin, sizeof(sin), 0);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "connect");
	err = kernel_accept(c->lsn, &c->srv, 0);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "accept");
	set_timeouts(c->srv);
	err = kernel_getsockname(c->cli, (struct sockaddr *)&c->cli_addr);
	KUNIT_ASSERT_GT(test, err, 0);
	err = kernel_getsockname(c->srv, (struct sockaddr *)&c->srv_addr);
	KUNIT_ASSERT_GT(test, err, 0);
}

static int conn_send(struct socket *s, const void *buf, size_t len)
{
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };

	return kernel_sendmsg(s, &msg, &iov, 1, len);
}

static int conn_recv(struct socket *s, void *buf, size_t len, int flags)
{
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_flags = flags };

	return kernel_recvmsg(s, &msg, &iov, 1, len, flags);
}

/* Receive exactly @len bytes, or return what the first failure said. */
static int recv_all(struct socket *s, u8 *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		int n = conn_recv(s, buf + got, len - got, 0);

		if (n <= 0)
			return n ? n : -ENODATA;
		got += n;
	}
	return 0;
}

static int send_all(struct socket *s, const u8 *buf, size_t len)
{
	size_t sent = 0;

	while (sent < len) {
		int n = conn_send(s, buf + sent, len - sent);

		if (n <= 0)
			return n ? n : -EIO;
		sent += n;
	}
	return 0;
}

static int xfer_thread(void *arg)
{
	struct conn_xfer *x = arg;

	x->ret = send_all(x->sock, x->buf, x->len);
	complete(&x->done);
	return 0;
}

static void xfer_start(struct kunit *test, struct conn_xfer *x,
		       struct socket *s, const u8 *buf, size_t len)
{
	struct task_struct *t;

	x->sock = s;
	x->buf = buf;
	x->len = len;
	x->ret = -EINPROGRESS;
	init_completion(&x->done);
	t = kthread_run(xfer_thread, x, "conn_test_send");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	x->started = true;
}

/* Wait for a sender; if it is stuck, shut its socket so it returns. */
static int xfer_wait(struct conn_xfer *x)
{
	if (!x->started)
		return 0;
	if (!wait_for_completion_timeout(&x->done, 3 * SOCK_TIMEO)) {
		kernel_sock_shutdown(x->sock, SHUT_RDWR);
		wait_for_completion(&x->done);
	}
	x->started = false;
	return x->ret;
}

static int conn_init(struct kunit *test)
{
	struct conn_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	if (!c)
		return -ENOMEM;
	c->port = conn_next_port++;
	test->priv = c;
	return 0;
}

static void release(struct socket **s)
{
	if (*s) {
		sock_release(*s);
		*s = NULL;
	}
}

static void conn_exit(struct kunit *test)
{
	struct conn_ctx *c = test->priv;

	xfer_wait(&c->xfer[0]);
	xfer_wait(&c->xfer[1]);
	release(&c->cli);
	release(&c->srv);
	release(&c->lsn);
#if CONN_TEST_MYTCP
	mytcp_pernet(&init_net)->time_wait_ms = TW_DEFAULT_MS;
#endif
}

/* No user space brings lo up in UML: do it here, as ip link would. */
static int conn_suite_init(struct kunit_suite *suite)
{
	struct net_device *lo;
	int err = 0;

	rtnl_lock();
	lo = init_net.loopback_dev;
	if (!lo)
		err = -ENODEV;
	else if (!(lo->flags & IFF_UP))
		err = dev_open(lo, NULL);
	rtnl_unlock();
	return err;
}

static bool same_addr(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	return a->sin_family == b->sin_family &&
	       a->sin_addr.s_addr == b->sin_addr.s_addr &&
	       a->sin_port == b->sin_port;
}

/*
 * RFC 9293 section 3.5, figure 6: after the three-way handshake both ends
 * are ESTABLISHED, and each end's name is the other's peer name.
 */
static void conn_handshake(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	struct sockaddr_in peer, want = loopback(c->port);

	make_pair(test, c);
	KUNIT_EXPECT_EQ(test, sock_state(c->cli), TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, sock_state(c->srv), TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, sock_state(c->lsn), TCP_LISTEN);

	KUNIT_ASSERT_GT(test, kernel_getpeername(c->srv,
						 (struct sockaddr *)&peer), 0);
	KUNIT_EXPECT_TRUE(test, same_addr(&peer, &c->cli_addr));
	KUNIT_ASSERT_GT(test, kernel_getpeername(c->cli,
						 (struct sockaddr *)&peer), 0);
	KUNIT_EXPECT_TRUE(test, same_addr(&peer, &want));
	KUNIT_EXPECT_TRUE(test, same_addr(&c->srv_addr, &want));
	KUNIT_EXPECT_NE(test, c->cli_addr.sin_port, 0);
	KUNIT_EXPECT_NE(test, c->cli_addr.sin_port, want.sin_port);

	/* the tables find both ends of the connection */
	KUNIT_EXPECT_EQ(test, conn_state(&c->cli_addr, &c->srv_addr),
			TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, conn_state(&c->srv_addr, &c->cli_addr),
			TCP_ESTABLISHED);
}

/* 64 KiB each way at once, compared byte for byte. */
static void conn_data_both_ways(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	u8 *up = kunit_kmalloc(test, XFER_LEN, GFP_KERNEL);
	u8 *down = kunit_kmalloc(test, XFER_LEN, GFP_KERNEL);
	u8 *got = kunit_kmalloc(test, XFER_LEN, GFP_KERNEL);
	u8 extra;

	KUNIT_ASSERT_NOT_NULL(test, up);
	KUNIT_ASSERT_NOT_NULL(test, down);
	KUNIT_ASSERT_NOT_NULL(test, got);
	get_random_bytes(up, XFER_LEN);
	get_random_bytes(down, XFER_LEN);

	make_pair(test, c);
	xfer_start(test, &c->xfer[0], c->cli, up, XFER_LEN);
	xfer_start(test, &c->xfer[1], c->srv, down, XFER_LEN);

	memset(got, 0, XFER_LEN);
	KUNIT_EXPECT_EQ(test, recv_all(c->srv, got, XFER_LEN), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, up, XFER_LEN), 0);
	memset(got, 0, XFER_LEN);
	KUNIT_EXPECT_EQ(test, recv_all(c->cli, got, XFER_LEN), 0);
	KUNIT_EXPECT_EQ(test, memcmp(got, down, XFER_LEN), 0);

	KUNIT_EXPECT_EQ(test, xfer_wait(&c->xfer[0]), 0);
	KUNIT_EXPECT_EQ(test, xfer_wait(&c->xfer[1]), 0);
	/* not a byte more */
	KUNIT_EXPECT_EQ(test, conn_recv(c->srv, &extra, 1, MSG_DONTWAIT),
			-EAGAIN);
	KUNIT_EXPECT_EQ(test, conn_recv(c->cli, &extra, 1, MSG_DONTWAIT),
			-EAGAIN);
}

/*
 * Data then FIN: the reader gets every byte, then end of file; the FIN
 * is delivered after the data it follows (RFC 9293 section 3.10.7.4,
 * eighth check).
 */
static void conn_data_then_eof(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	static const char msg[] = "the last words before the FIN";
	char buf[64];

	make_pair(test, c);
	KUNIT_ASSERT_EQ(test, conn_send(c->cli, msg, sizeof(msg)),
			(int)sizeof(msg));
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(c->cli, SHUT_WR), 0);
	memset(buf, 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, recv_all(c->srv, buf, sizeof(msg)), 0);
	KUNIT_EXPECT_STREQ(test, buf, msg);
	KUNIT_EXPECT_EQ(test, conn_recv(c->srv, buf, sizeof(buf), 0), 0);
	/* and again: end of file stays */
	KUNIT_EXPECT_EQ(test, conn_recv(c->srv, buf, sizeof(buf), 0), 0);
	/* the half-closed client still receives */
	KUNIT_ASSERT_EQ(test, conn_send(c->srv, "ok", 2), 2);
	KUNIT_EXPECT_EQ(test, recv_all(c->cli, buf, 2), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "ok", 2), 0);
}

/*
 * RFC 9293 section 3.6, figure 12, the active side's half: the client
 * shuts down its sending side (FIN-WAIT-1, then FIN-WAIT-2 when the FIN is
 * acknowledged), the server reads end of file in CLOSE-WAIT, then closes
 * (LAST-ACK, then CLOSED) and the client's connection is in TIME-WAIT.
 */
static void conn_active_close(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	char buf[8];

	make_pair(test, c);
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(c->cli, SHUT_WR), 0);
	KUNIT_EXPECT_EQ(test, conn_recv(c->srv, buf, sizeof(buf), 0), 0);
	expect_sock_state(test, "server", c->srv, TCP_CLOSE_WAIT);
	expect_sock_state(test, "client", c->cli, TCP_FIN_WAIT2);

	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(c->srv, SHUT_WR), 0);
	KUNIT_EXPECT_EQ(test, conn_recv(c->cli, buf, sizeof(buf), 0), 0);
	expect_conn_state(test, "client", &c->cli_addr, &c->srv_addr,
			  TCP_TIME_WAIT);
	expect_sock_state(test, "server", c->srv, TCP_CLOSE);
	/* the passive end keeps no TIME-WAIT */
	KUNIT_EXPECT_EQ(test, conn_state(&c->srv_addr, &c->cli_addr),
			TCP_CLOSE);
}

/*
 * RFC 9293 section 3.6: TIME-WAIT lasts 2*MSL, then the connection is
 * gone.  The namespace's TIME-WAIT length is set to 200 ms for this test;
 * the entry must outlive neither much less nor much more than that.
 */
static void conn_time_wait_expiry(struct kunit *test)
{
#if CONN_TEST_MYTCP
	struct conn_ctx *c = test->priv;
	unsigned long entered;
	unsigned int ms;
	char buf[8];

	make_pair(test, c);
	mytcp_pernet(&init_net)->time_wait_ms = TW_SHORT_MS;
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(c->cli, SHUT_WR), 0);
	KUNIT_ASSERT_EQ(test, conn_recv(c->srv, buf, sizeof(buf), 0), 0);
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(c->srv, SHUT_WR), 0);
	KUNIT_ASSERT_TRUE(test, expect_conn_state(test, "client", &c->cli_addr,
						  &c->srv_addr,
						  TCP_TIME_WAIT));
	entered = jiffies;
	expect_conn_state(test, "client", &c->cli_addr, &c->srv_addr,
			  TCP_CLOSE);
	ms = jiffies_to_msecs(jiffies - entered);
	KUNIT_EXPECT_GE(test, ms, TW_SHORT_MS / 2);
	KUNIT_EXPECT_LT(test, ms, (unsigned int)WAIT_MS);
	mytcp_pernet(&init_net)->time_wait_ms = TW_DEFAULT_MS;
#else
	kunit_skip(test, "TCP's TIME-WAIT length is fixed at 60 s");
#endif
}

/*
 * While in TIME-WAIT the connection's local port stays taken, so that no
 * new incarnation reuses the 4-tuple (RFC 9293 section 3.6.1); once
 * TIME-WAIT ends the port is free again.
 */
static void conn_time_wait_holds_port(struct kunit *test)
{
#if CONN_TEST_MYTCP
	struct conn_ctx *c = test->priv;
	struct sockaddr_in tuple;
	struct socket *other;
	char buf[8];

	make_pair(test, c);
	tuple = c->cli_addr;
	mytcp_pernet(&init_net)->time_wait_ms = TW_SHORT_MS * 2;
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(c->cli, SHUT_WR), 0);
	KUNIT_ASSERT_EQ(test, conn_recv(c->srv, buf, sizeof(buf), 0), 0);
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(c->srv, SHUT_WR), 0);
	KUNIT_ASSERT_TRUE(test, expect_conn_state(test, "client", &c->cli_addr,
						  &c->srv_addr,
						  TCP_TIME_WAIT));
	/* the socket itself goes; the TIME-WAIT entry keeps the port */
	release(&c->cli);
	new_sock(test, &other);
	KUNIT_EXPECT_EQ(test, kernel_bind(other, (struct sockaddr *)&tuple,
					  sizeof(tuple)), -EADDRINUSE);
	sock_release(other);

	expect_conn_state(test, "client", &c->cli_addr, &c->srv_addr,
			  TCP_CLOSE);
	new_sock(test, &other);
	KUNIT_EXPECT_EQ(test, kernel_bind(other, (struct sockaddr *)&tuple,
					  sizeof(tuple)), 0);
	sock_release(other);
	mytcp_pernet(&init_net)->time_wait_ms = TW_DEFAULT_MS;
#else
	kunit_skip(test, "TCP's TIME-WAIT length is fixed at 60 s");
#endif
}

/*
 * RFC 9293 section 3.6, figure 12 seen from the other side: the server
 * closes first (a full close, so its end becomes an orphan), the client
 * reads end of file in CLOSE-WAIT and closes in turn; the server's
 * connection ends in TIME-WAIT, the client's in CLOSED.
 */
static void conn_passive_close(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	char buf[8];

	make_pair(test, c);
	release(&c->srv);
	KUNIT_EXPECT_EQ(test, conn_recv(c->cli, buf, sizeof(buf), 0), 0);
	expect_sock_state(test, "client", c->cli, TCP_CLOSE_WAIT);
	/*
	 * The server's orphan waits in FIN-WAIT-2 (the kernel's TCP keeps
	 * it as a TIME-WAIT entry in its FIN-WAIT-2 substate).
	 */
	expect_conn_state(test, "server", &c->srv_addr, &c->cli_addr,
			  CONN_TEST_MYTCP ? TCP_FIN_WAIT2 : TCP_TIME_WAIT);

	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(c->cli, SHUT_WR), 0);
	expect_sock_state(test, "client", c->cli, TCP_CLOSE);
	expect_conn_state(test, "server", &c->srv_addr, &c->cli_addr,
			  TCP_TIME_WAIT);
	KUNIT_EXPECT_EQ(test, conn_state(&c->cli_addr, &c->srv_addr),
			TCP_CLOSE);
}

/*
 * RFC 9293 section 3.6, figure 13: both ends send FIN before either has
 * seen the other's; both pass through CLOSING and end in TIME-WAIT.
 *
 * Made deterministic by owning the server's socket lock: while we hold
 * it, the client's FIN waits in the server's backlog, and we send the
 * server's FIN from under the lock as inet_shutdown() would.  The client
 * then gets a FIN in FIN-WAIT-1 (CLOSING); on release_sock() the server
 * does too.
 */
static void conn_simultaneous_close(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	struct sock *ssk;
	bool closing;
	int st;

	make_pair(test, c);
	ssk = c->srv->sk;

	lock_sock(ssk);
	kernel_sock_shutdown(c->cli, SHUT_WR);
	WRITE_ONCE(ssk->sk_shutdown, ssk->sk_shutdown | SEND_SHUTDOWN);
	ssk->sk_prot->shutdown(ssk, SEND_SHUTDOWN);
	closing = poll_until(sock_state(c->cli) == TCP_CLOSING);
	st = sock_state(c->cli);
	ssk->sk_state_change(ssk);
	release_sock(ssk);

	KUNIT_EXPECT_TRUE_MSG(test, closing, "client in %s, expected CLOSING",
			      mytcp_state_name(st));
	expect_conn_state(test, "client", &c->cli_addr, &c->srv_addr,
			  TCP_TIME_WAIT);
	expect_conn_state(test, "server", &c->srv_addr, &c->cli_addr,
			  TCP_TIME_WAIT);
	expect_sock_state(test, "client", c->cli, TCP_CLOSE);
	expect_sock_state(test, "server", c->srv, TCP_CLOSE);
}

/* RFC 9293 section 3.10.7.1: a SYN to a closed port is answered by RST. */
static void conn_refused(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	struct sockaddr_in sin = loopback(c->port);

	new_sock(test, &c->cli);
	KUNIT_EXPECT_EQ(test, kernel_connect(c->cli, (struct sockaddr *)&sin,
					     sizeof(sin), 0), -ECONNREFUSED);
	KUNIT_EXPECT_EQ(test, sock_state(c->cli), TCP_CLOSE);
}

/*
 * RFC 9293 section 3.10.5: ABORT (here close with SO_LINGER zero) sends a
 * RST and keeps no TIME-WAIT; the peer's next receive fails with
 * ECONNRESET (section 3.10.7.4, second check) and its socket is CLOSED.
 */
static void conn_linger_zero_reset(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	struct sockaddr_in cli_addr;
	char buf[8];

	make_pair(test, c);
	cli_addr = c->cli_addr;
	sock_no_linger(c->cli->sk);
	release(&c->cli);
	KUNIT_EXPECT_EQ(test, conn_recv(c->srv, buf, sizeof(buf), 0),
			-ECONNRESET);
	KUNIT_EXPECT_EQ(test, sock_state(c->srv), TCP_CLOSE);
	KUNIT_EXPECT_EQ(test, conn_state(&cli_addr, &c->srv_addr), TCP_CLOSE);
	KUNIT_EXPECT_EQ(test, conn_state(&c->srv_addr, &cli_addr), TCP_CLOSE);
}

/* An idle receive ends with EAGAIN after SO_RCVTIMEO, not earlier. */
static void conn_recv_timeout(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	unsigned long start;
	char buf[8];

	make_pair(test, c);
	c->srv->sk->sk_rcvtimeo = msecs_to_jiffies(100);
	start = jiffies;
	KUNIT_EXPECT_EQ(test, conn_recv(c->srv, buf, sizeof(buf), 0), -EAGAIN);
	KUNIT_EXPECT_GE(test, jiffies_to_msecs(jiffies - start), 80U);
	KUNIT_EXPECT_EQ(test, sock_state(c->srv), TCP_ESTABLISHED);
	KUNIT_EXPECT_EQ(test, conn_recv(c->srv, buf, sizeof(buf),
					MSG_DONTWAIT), -EAGAIN);
}

/* RFC 9293 section 3.10.2: SEND after CLOSE is "connection closing". */
static void conn_send_after_shutdown(struct kunit *test)
{
	struct conn_ctx *c = test->priv;

	make_pair(test, c);
	KUNIT_ASSERT_EQ(test, kernel_sock_shutdown(c->cli, SHUT_WR), 0);
	KUNIT_EXPECT_EQ(test, conn_send(c->cli, "x", 1), -EPIPE);
}

/* A listener's port is taken: bind() to it fails (RFC 9293 3.10.1). */
static void conn_bind_in_use(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	struct sockaddr_in sin = loopback(c->port);
	struct socket *other;

	start_listener(test, c);
	new_sock(test, &other);
	KUNIT_EXPECT_EQ(test, kernel_bind(other, (struct sockaddr *)&sin,
					  sizeof(sin)), -EADDRINUSE);
	/* and with SO_REUSEADDR too: the holder is listening */
	sock_set_reuseaddr(other->sk);
	KUNIT_EXPECT_EQ(test, kernel_bind(other, (struct sockaddr *)&sin,
					  sizeof(sin)), -EADDRINUSE);
	sock_release(other);
}

/*
 * Two sockets may share a port with SO_REUSEADDR while neither listens,
 * but only one of them may then listen on it.
 */
static void conn_listen_conflict(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	struct sockaddr_in sin = loopback(c->port);
	struct socket *other;

	new_sock(test, &c->lsn);
	new_sock(test, &other);
	sock_set_reuseaddr(c->lsn->sk);
	sock_set_reuseaddr(other->sk);
	KUNIT_EXPECT_EQ(test, kernel_bind(c->lsn, (struct sockaddr *)&sin,
					  sizeof(sin)), 0);
	KUNIT_EXPECT_EQ(test, kernel_bind(other, (struct sockaddr *)&sin,
					  sizeof(sin)), 0);
	KUNIT_EXPECT_EQ(test, kernel_listen(c->lsn, 8), 0);
	KUNIT_EXPECT_EQ(test, kernel_listen(other, 8), -EADDRINUSE);
	KUNIT_EXPECT_EQ(test, sock_state(other), TCP_CLOSE);
	sock_release(other);
}

/* RFC 9293 section 3.10.1: OPEN on an open connection is an error. */
static void conn_connect_twice(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	struct sockaddr_in sin = loopback(c->port);

	make_pair(test, c);
	KUNIT_EXPECT_EQ(test, kernel_connect(c->cli, (struct sockaddr *)&sin,
					     sizeof(sin), 0), -EISCONN);
	KUNIT_EXPECT_EQ(test, sock_state(c->cli), TCP_ESTABLISHED);
}

/* accept() with nothing pending, non-blocking: EAGAIN at once. */
static void conn_accept_nonblock(struct kunit *test)
{
	struct conn_ctx *c = test->priv;

	start_listener(test, c);
	KUNIT_EXPECT_EQ(test, kernel_accept(c->lsn, &c->srv, O_NONBLOCK),
			-EAGAIN);
	KUNIT_EXPECT_NULL(test, c->srv);
}

#define NCLIENTS 4

/*
 * Several handshakes complete before any accept (the accept queue), and
 * accept hands them all out, each with the right peer.
 */
static void conn_accept_queue(struct kunit *test)
{
	struct conn_ctx *c = test->priv;
	struct sockaddr_in sin = loopback(c->port);
	struct socket *cli[NCLIENTS] = {}, *srv[NCLIENTS] = {};
	struct sockaddr_in name, peer;
	unsigned int seen = 0;
	int i, j;

	start_listener(test, c);
	for (i = 0; i < NCLIENTS; i++) {
		if (sock_create_kern(&init_net, AF_INET, SOCK_STREAM,
				     CONN_PROTO, &cli[i]))
			break;
		set_timeouts(cli[i]);
		KUNIT_EXPECT_EQ(test,
				kernel_connect(cli[i], (struct sockaddr *)&sin,
					       sizeof(sin), 0), 0);
	}
	for (i = 0; i < NCLIENTS; i++) {
		if (kernel_accept(c->lsn, &srv[i], 0)) {
			KUNIT_FAIL(test, "accept %d failed", i);
			break;
		}
		KUNIT_EXPECT_EQ(test, sock_state(srv[i]), TCP_ESTABLISHED);
		if (kernel_getpeername(srv[i], (struct sockaddr *)&peer) <= 0)
			continue;
		for (j = 0; j < NCLIENTS; j++) {
			if (cli[j] &&
			    kernel_getsockname(cli[j],
					       (struct sockaddr *)&name) > 0 &&
			    same_addr(&name, &peer))
				seen |= 1U << j;
		}
	}
	KUNIT_EXPECT_EQ(test, seen, (1U << NCLIENTS) - 1);
	for (i = 0; i < NCLIENTS; i++) {
		if (srv[i])
			sock_release(srv[i]);
		if (cli[i])
			sock_release(cli[i]);
	}
}

/* The keepalive settings of @s: idle and interval in seconds, count. */
static void keepalive_of(struct socket *s, int v[3])
{
#if CONN_TEST_MYTCP
	const struct mytcp_sock *msk = mytcp_sk(s->sk);

	v[0] = msk->keepidle;
	v[1] = msk->keepintvl;
	v[2] = msk->keepcnt;
#else
	const struct tcp_sock *tp = tcp_sk(s->sk);

	v[0] = keepalive_time_when(tp) / HZ;
	v[1] = keepalive_intvl_when(tp) / HZ;
	v[2] = keepalive_probes(tp);
#endif
}

/*
 * An accepted socket takes the listener's TCP_KEEPIDLE, TCP_KEEPINTVL and
 * TCP_KEEPCNT, as TCP's children do (they are clones of the listener), not
 * the namespace's defaults.
 */
static void conn_child_inherits_keepalive(struct kunit *test)
{
	static const int opt[3] = { TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT };
	int want[3] = { 77, 11, 5 };
	struct conn_ctx *c = test->priv;
	struct sockaddr_in sin = loopback(c->port);
	int got[3], i, err;

	start_listener(test, c);
	for (i = 0; i < 3; i++) {
		err = c->lsn->ops->setsockopt(c->lsn, SOL_TCP, opt[i],
					      KERNEL_SOCKPTR(&want[i]),
					      sizeof(int));
		KUNIT_ASSERT_EQ(test, err, 0);
	}
	new_sock(test, &c->cli);
	err = kernel_connect(c->cli, (struct sockaddr *)&sin, sizeof(sin), 0);
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "connect");
	KUNIT_ASSERT_EQ_MSG(test, kernel_accept(c->lsn, &c->srv, 0), 0,
			    "accept");
	keepalive_of(c->srv, got);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ_MSG(test, got[i], want[i], "option %d", opt[i]);
}

#if CONN_TEST_MYTCP
/*
 * A child whose 4-tuple cannot enter the connection table (TIME_WAIT or
 * another connection took it between the listener's lookup and the
 * insertion; forced here with mytcp_fault_child_insert) is freed at once,
 * and the keepalive timer SO_KEEPALIVE armed for it is stopped first: with
 * a keepalive time of 1 s, a timer left pending would fire on freed memory
 * within the 1.5 s this test waits (KASAN, make kunit-debug, reports it).
 * The request stays, so the client's next segment completes the handshake.
 */
static unsigned long drop_other(void)
{
	return mytcp_read_stat(&init_net, MYTCP_MIB_DROP_OTHER);
}

static void conn_child_insert_fails(struct kunit *test)
{
	struct mytcp_net *mn = mytcp_pernet(&init_net);
	struct conn_ctx *c = test->priv;
	struct sockaddr_in sin = loopback(c->port);
	int idle = mn->keepalive_time;
	unsigned long drops;
	char buf[4];
	int err;

	start_listener(test, c);
	sock_set_keepalive(c->lsn->sk);
	mn->keepalive_time = 1;
	drops = drop_other();
	WRITE_ONCE(mytcp_fault_child_insert, true);
	new_sock(test, &c->cli);
	err = kernel_connect(c->cli, (struct sockaddr *)&sin, sizeof(sin), 0);
	KUNIT_EXPECT_EQ_MSG(test, err, 0, "connect");
	KUNIT_EXPECT_TRUE(test, poll_until(drop_other() > drops));
	mn->keepalive_time = idle;
	KUNIT_ASSERT_EQ_MSG(test, err, 0, "connect");
	KUNIT_EXPECT_FALSE(test, READ_ONCE(mytcp_fault_child_insert));
	KUNIT_EXPECT_EQ(test, kernel_accept(c->lsn, &c->srv, O_NONBLOCK),
			-EAGAIN);
	/* not a synchronisation: the time a stray timer would need to fire */
	msleep(1500);

	KUNIT_ASSERT_EQ(test, conn_send(c->cli, "ping", 4), 4);
	KUNIT_ASSERT_EQ(test, kernel_accept(c->lsn, &c->srv, 0), 0);
	set_timeouts(c->srv);
	KUNIT_ASSERT_EQ(test, recv_all(c->srv, buf, 4), 0);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "ping", 4), 0);
}
#endif

static struct kunit_case conn_test_cases[] = {
	KUNIT_CASE(conn_handshake),
	KUNIT_CASE(conn_data_both_ways),
	KUNIT_CASE(conn_data_then_eof),
	KUNIT_CASE(conn_active_close),
	KUNIT_CASE(conn_time_wait_expiry),
	KUNIT_CASE(conn_time_wait_holds_port),
	KUNIT_CASE(conn_passive_close),
	KUNIT_CASE(conn_simultaneous_close),
	KUNIT_CASE(conn_refused),
	KUNIT_CASE(conn_linger_zero_reset),
	KUNIT_CASE(conn_recv_timeout),
	KUNIT_CASE(conn_send_after_shutdown),
	KUNIT_CASE(conn_bind_in_use),
	KUNIT_CASE(conn_listen_conflict),
	KUNIT_CASE(conn_connect_twice),
	KUNIT_CASE(conn_accept_nonblock),
	KUNIT_CASE(conn_accept_queue),
	KUNIT_CASE(conn_child_inherits_keepalive),
#if CONN_TEST_MYTCP
	KUNIT_CASE(conn_child_insert_fails),
#endif
	{}
};

static struct kunit_suite conn_test_suite = {
	.name = "mytcp_conn",
	.suite_init = conn_suite_init,
	.init = conn_init,
	.exit = conn_exit,
	.test_cases = conn_test_cases,
};

kunit_test_suite(conn_test_suite);
