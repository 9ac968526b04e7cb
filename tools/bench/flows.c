// SPDX-License-Identifier: GPL-2.0
/*
 * flows: the data path of bench.py's many-flow and bidirectional rows.
 *
 *   flows server PORT
 *	listen on PORT for mytcp (253) and TCP (6) at once; print
 *	"ready PID"; serve every connection in its own thread until stdin
 *	closes.
 *   flows client HOST PORT SECONDS MODE SPEC
 *	open the connections of SPEC ("253:32,6:32": 32 mytcp, 32 TCP),
 *	wait until all are connected, then let each send for SECONDS;
 *	print one JSON object with every flow's figures.  MODE is
 *	"sink" (the client sends, the server reads) or "bidir" (both ends
 *	send and read at once on each connection).
 *
 * Why C: with 64 flows, or two directions on one connection, a Python
 * client spends its time in the interpreter and the GIL rather than in
 * the stack being measured.  Everything here is blocking I/O, a thread
 * per flow (and one more per direction for bidir); every socket has
 * 10 s SO_RCVTIMEO/SO_SNDTIMEO and the client ends itself with alarm().
 *
 * On the wire: the client sends an 8-octet header (mode, milliseconds,
 * both big-endian 32 bits), then data.  In sink mode it shuts down its
 * sending side after SECONDS and the server answers with the count it
 * read (64 bits).  In bidir mode the server sends for SECONDS too, in
 * CHUNK-sized writes; when it has read the client's EOF it sends its
 * count as an 8-octet trailer and shuts down: the client finds the
 * trailer because everything before it is a whole number of CHUNKs.
 *
 * At the deadline the main thread also reads every flow's bytes_acked
 * (MYTCP_INFO, TCP_INFO): what each flow got through while all of them
 * were sending.  The counts at the end include each sender's queue
 * drained after the deadline, when the flows no longer compete.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define CHUNK		(64 << 10)
#define MAX_FLOWS	512
#define MODE_SINK	1
#define MODE_BIDIR	2
#define IPPROTO_MYTCP	253
#define MYTCP_INFO	200	/* struct mytcp_info: retransmits is word 14 */
#define SOCK_TIMEOUT_S	10

static const char zeros[CHUNK];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_timeouts(int fd)
{
	struct timeval tv = { .tv_sec = SOCK_TIMEOUT_S };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

static int send_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t k = send(fd, c, n, MSG_NOSIGNAL);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += k;
		n -= k;
	}
	return 0;
}

static int recv_all(int fd, void *p, size_t n)
{
	char *c = p;

	while (n) {
		ssize_t k = recv(fd, c, n, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = ECONNRESET;
			return -1;
		}
		c += k;
		n -= k;
	}
	return 0;
}

/* ------------------------------------------------------------- server */

struct srv_conn {
	int fd;
	double end;		/* bidir: when our sending stops */
	uint64_t got;		/* octets read from the client */
	int rx_done;		/* the client's EOF was read (or an error) */
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

/* bidir: send until the end, then the trailer once the reader is done */
static void *srv_sender(void *arg)
{
	struct srv_conn *c = arg;
	uint64_t be;

	while (now() < c->end)
		if (send_all(c->fd, zeros, CHUNK))
			return NULL;
	pthread_mutex_lock(&c->lock);
	while (!c->rx_done)
		pthread_cond_wait(&c->cond, &c->lock);
	pthread_mutex_unlock(&c->lock);
	be = htobe64(c->got);
	if (!send_all(c->fd, &be, sizeof(be)))
		shutdown(c->fd, SHUT_WR);
	return NULL;
}

static void *srv_conn_main(void *arg)
{
	struct srv_conn *c = arg;
	uint32_t hdr[2];
	pthread_t tx;
	int have_tx = 0;
	char *buf = malloc(CHUNK);
	uint64_t be;
	ssize_t k;

	if (!buf || recv_all(c->fd, hdr, sizeof(hdr)))
		goto out;
	if (ntohl(hdr[0]) == MODE_BIDIR) {
		c->end = now() + ntohl(hdr[1]) / 1000.0;
		have_tx = !pthread_create(&tx, NULL, srv_sender, c);
		if (!have_tx)
			goto out;
	}
	while ((k = recv(c->fd, buf, CHUNK, 0)) > 0 ||
	       (k < 0 && errno == EINTR))
		if (k > 0)
			c->got += k;
	if (have_tx) {
		pthread_mutex_lock(&c->lock);
		c->rx_done = 1;
		pthread_cond_signal(&c->cond);
		pthread_mutex_unlock(&c->lock);
		pthread_join(tx, NULL);
		/* until the client closes: it reads our trailer first */
		while (recv(c->fd, buf, CHUNK, 0) > 0)
			;
	} else if (k == 0) {
		be = htobe64(c->got);
		send_all(c->fd, &be, sizeof(be));
	}
out:
	close(c->fd);
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
	free(buf);
	free(c);
	return NULL;
}

static int listener(int proto, int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM, proto);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 1024)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int run_server(int port)
{
	struct pollfd pf[3] = {
		{ .fd = 0, .events = POLLIN },
		{ .fd = listener(IPPROTO_MYTCP, port), .events = POLLIN },
		{ .fd = listener(IPPROTO_TCP, port), .events = POLLIN },
	};
	pthread_attr_t attr;
	char b[64];
	int i;

	/* poll() skips a negative fd: TCP alone still serves (a host test) */
	if (pf[1].fd < 0)
		fprintf(stderr, "flows: no mytcp listener on %d: %s\n", port,
			strerror(errno));
	if (pf[2].fd < 0) {
		fprintf(stderr, "flows: listen on %d: %s\n", port,
			strerror(errno));
		return 1;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 << 10);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	for (;;) {
		if (poll(pf, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			return 1;
		}
		if (pf[0].revents && read(0, b, sizeof(b)) <= 0)
			return 0;	/* stdin closed: the bench is over */
		for (i = 1; i < 3; i++) {
			struct srv_conn *c;
			pthread_t t;
			int fd;

			if (!(pf[i].revents & POLLIN))
				continue;
			fd = accept(pf[i].fd, NULL, NULL);
			if (fd < 0)
				continue;
			c = calloc(1, sizeof(*c));
			if (!c) {
				close(fd);
				continue;
			}
			set_timeouts(fd);
			c->fd = fd;
			pthread_mutex_init(&c->lock, NULL);
			pthread_cond_init(&c->cond, NULL);
			if (pthread_create(&t, &attr, srv_conn_main, c)) {
				close(fd);
				pthread_cond_destroy(&c->cond);
				pthread_mutex_destroy(&c->lock);
				free(c);
			}
		}
	}
}

/* ------------------------------------------------------------- client */

struct flow {
	int proto;
	int fd;
	double start, end;
	uint64_t sent;		/* octets we wrote */
	uint64_t delivered;	/* octets the server says it read */
	uint64_t received;	/* bidir: data octets we read */
	uint64_t acked;		/* octets acknowledged by the deadline */
	unsigned int retrans;	/* this connection's retransmitted segments */
	const char *err;
	int err_no;
};

static struct sockaddr_in server;
static int mode;
static double seconds;
static pthread_barrier_t all_connected;
/* held while a flow closes its fd and while the deadline snapshot reads */
static pthread_mutex_t fd_lock = PTHREAD_MUTEX_INITIALIZER;

static void flow_fail(struct flow *f, const char *what)
{
	if (!f->err) {
		f->err = what;
		f->err_no = errno;
	}
}

/* octets the peer acknowledged: mytcp_info.bytes_acked, tcpi_bytes_acked */
static uint64_t bytes_acked(int fd, int proto)
{
	unsigned char b[256] = { 0 };
	socklen_t len = sizeof(b);
	uint64_t v;
	int off = proto == IPPROTO_MYTCP ? 64 : 120;

	if (getsockopt(fd, proto == IPPROTO_MYTCP ? IPPROTO_MYTCP : IPPROTO_TCP,
		       proto == IPPROTO_MYTCP ? MYTCP_INFO : TCP_INFO, b, &len) ||
	    len < (socklen_t)(off + sizeof(v)))
		return 0;
	memcpy(&v, b + off, sizeof(v));
	return v;
}

static unsigned int retransmits(int fd, int proto)
{
	if (proto == IPPROTO_MYTCP) {
		uint32_t v[20] = { 0 };
		socklen_t len = sizeof(v);

		if (getsockopt(fd, IPPROTO_MYTCP, MYTCP_INFO, v, &len))
			return 0;
		return v[14];
	} else {
		struct tcp_info ti = { 0 };
		socklen_t len = sizeof(ti);

		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len))
			return 0;
		return ti.tcpi_total_retrans;
	}
}

/* bidir: read the server's data, then its trailer (its count of ours) */
static void *flow_reader(void *arg)
{
	struct flow *f = arg;
	char *buf = malloc(CHUNK);
	unsigned char tail[8] = { 0 };
	uint64_t total = 0, be;
	ssize_t k;

	if (!buf) {
		flow_fail(f, "malloc");
		return NULL;
	}
	while ((k = recv(f->fd, buf, CHUNK, 0)) > 0 ||
	       (k < 0 && errno == EINTR)) {
		if (k <= 0)
			continue;
		if (k >= 8) {
			memcpy(tail, buf + k - 8, 8);
		} else {
			memmove(tail, tail + k, 8 - k);
			memcpy(tail + 8 - k, buf, k);
		}
		total += k;
	}
	free(buf);
	if (k < 0) {
		flow_fail(f, "recv");
		return NULL;
	}
	if (total < 8 || (total - 8) % CHUNK) {
		errno = EPROTO;
		flow_fail(f, "no trailer from the server");
		return NULL;
	}
	memcpy(&be, tail, 8);
	f->delivered = be64toh(be);
	f->received = total - 8;
	return NULL;
}

static void *flow_main(void *arg)
{
	struct flow *f = arg;
	uint32_t hdr[2] = { htonl(mode), htonl((uint32_t)(seconds * 1000)) };
	pthread_t rx;
	int have_rx = 0;
	uint64_t be;

	f->fd = socket(AF_INET, SOCK_STREAM, f->proto);
	if (f->fd < 0) {
		flow_fail(f, "socket");
	} else {
		set_timeouts(f->fd);
		if (connect(f->fd, (struct sockaddr *)&server, sizeof(server)))
			flow_fail(f, "connect");
		else if (send_all(f->fd, hdr, sizeof(hdr)))
			flow_fail(f, "send header");
	}
	/* every flow starts together, failed or not, so none waits forever */
	pthread_barrier_wait(&all_connected);
	f->start = now();
	if (f->err)
		goto out;
	if (mode == MODE_BIDIR) {
		have_rx = !pthread_create(&rx, NULL, flow_reader, f);
		if (!have_rx) {
			flow_fail(f, "pthread_create");
			goto out;
		}
	}
	while (now() < f->start + seconds) {
		if (send_all(f->fd, zeros, CHUNK)) {
			flow_fail(f, "send");
			break;
		}
		f->sent += CHUNK;
	}
	if (!f->err && shutdown(f->fd, SHUT_WR))
		flow_fail(f, "shutdown");
	if (have_rx) {
		pthread_join(rx, NULL);
	} else if (!f->err) {
		/* the server's count comes once it has read our FIN */
		struct timeval tv = { .tv_sec = SOCK_TIMEOUT_S +
						(long)seconds };

		setsockopt(f->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		if (recv_all(f->fd, &be, sizeof(be)))
			flow_fail(f, "recv count");
		else
			f->delivered = be64toh(be);
	}
	f->end = now();
	f->retrans = retransmits(f->fd, f->proto);
out:
	pthread_mutex_lock(&fd_lock);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	pthread_mutex_unlock(&fd_lock);
	return NULL;
}

static int run_client(const char *host, int port, const char *mode_name,
		      const char *spec)
{
	static struct flow flows[MAX_FLOWS];
	pthread_t th[MAX_FLOWS];
	struct rusage ru;
	double t0 = 0, t1 = 0;
	int n = 0, i, started = 0;
	const char *p = spec;

	mode = !strcmp(mode_name, "bidir") ? MODE_BIDIR :
	       !strcmp(mode_name, "sink") ? MODE_SINK : 0;
	server.sin_family = AF_INET;
	server.sin_port = htons(port);
	if (!mode || inet_pton(AF_INET, host, &server.sin_addr) != 1) {
		fprintf(stderr, "flows: bad mode or address\n");
		return 2;
	}
	while (*p) {
		char *e;
		long proto = strtol(p, &e, 10), count;

		if (*e != ':')
			break;
		count = strtol(e + 1, &e, 10);
		if (count < 1 || n + count > MAX_FLOWS)
			break;
		while (count--)
			flows[n++] = (struct flow){ .proto = (int)proto,
						    .fd = -1 };
		p = *e == ',' ? e + 1 : e;
	}
	if (*p || !n) {
		fprintf(stderr, "flows: bad spec %s\n", spec);
		return 2;
	}
	/* a hung run ends here rather than in the caller's deadline */
	alarm((unsigned int)(seconds * 2) + 3 * SOCK_TIMEOUT_S + 10);
	pthread_barrier_init(&all_connected, NULL, n + 1);
	for (i = 0; i < n; i++) {
		if (pthread_create(&th[i], NULL, flow_main, &flows[i])) {
			fprintf(stderr, "flows: pthread_create failed\n");
			/* the barrier counts n: the run cannot start */
			return 1;
		}
		started++;
	}
	pthread_barrier_wait(&all_connected);
	{
		double end = now() + seconds, left;
		struct timespec ts;

		while ((left = end - now()) > 0) {
			ts.tv_sec = (time_t)left;
			ts.tv_nsec = (long)((left - ts.tv_sec) * 1e9);
			nanosleep(&ts, NULL);
		}
		pthread_mutex_lock(&fd_lock);
		for (i = 0; i < n; i++)
			if (flows[i].fd >= 0)
				flows[i].acked = bytes_acked(flows[i].fd,
							     flows[i].proto);
		pthread_mutex_unlock(&fd_lock);
	}
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	for (i = 0; i < n; i++) {
		if (!t0 || flows[i].start < t0)
			t0 = flows[i].start;
		if (flows[i].end > t1)
			t1 = flows[i].end;
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("{\"mode\": \"%s\", \"window\": %.6f, \"seconds\": %.6f, "
	       "\"cpu_user\": %.3f, "
	       "\"cpu_sys\": %.3f, \"flows\": [", mode_name, seconds,
	       t1 > t0 ? t1 - t0 : 0,
	       ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6,
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
	for (i = 0; i < n; i++) {
		struct flow *f = &flows[i];

		printf("%s\n {\"proto\": %d, \"sent\": %llu, \"delivered\": %llu, "
		       "\"received\": %llu, \"acked_by_deadline\": %llu, "
		       "\"seconds\": %.6f, \"retrans\": %u",
		       i ? "," : "", f->proto, (unsigned long long)f->sent,
		       (unsigned long long)f->delivered,
		       (unsigned long long)f->received,
		       (unsigned long long)f->acked,
		       f->end > f->start ? f->end - f->start : 0, f->retrans);
		if (f->err)
			printf(", \"error\": \"%s: %s\"", f->err,
			       strerror(f->err_no));
		printf("}");
	}
	printf("]}\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "server"))
		return run_server(atoi(argv[2]));
	if (argc == 7 && !strcmp(argv[1], "client")) {
		seconds = atof(argv[4]);
		return run_client(argv[2], atoi(argv[3]), argv[5], argv[6]);
	}
	fprintf(stderr, "usage: flows server PORT\n"
		"       flows client HOST PORT SECONDS sink|bidir PROTO:N[,...]\n");
	return 2;
}
