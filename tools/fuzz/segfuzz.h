/* SPDX-License-Identifier: GPL-2.0 */
/*
 * segfuzz: shared declarations of the segment fuzzer, the SYN flood, the
 * byte-exact transfers and the connection churner (tools/fuzz/).
 */
#ifndef SEGFUZZ_H
#define SEGFUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define IPPROTO_MYTCP_NUM	253

/* TCP header flag bits (RFC 9293 section 3.1) */
#define F_FIN	0x01
#define F_SYN	0x02
#define F_RST	0x04
#define F_PSH	0x08
#define F_ACK	0x10
#define F_URG	0x20

/* TCP_* state numbers as MYTCP_INFO reports them */
enum {
	ST_ESTABLISHED = 1, ST_SYN_SENT, ST_SYN_RECV, ST_FIN_WAIT1,
	ST_FIN_WAIT2, ST_TIME_WAIT, ST_CLOSE, ST_CLOSE_WAIT, ST_LAST_ACK,
	ST_LISTEN, ST_CLOSING,
};

/* ports the fuzzer never aims at: the byte-exact transfers use them */
#define XFER_PORT_B	6000	/* listener in B, clients in A */
#define XFER_PORT_A	6001	/* listener in A, clients in B */

struct rng {
	uint64_t s;
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
uint32_t rng_below(struct rng *r, uint32_t n);

double now_s(void);
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

int ns_open(const char *name);
int sock_in(int nsfd, int type, int proto);
int wait_fd(int fd, short events, int ms);
void set_nonblock(int fd, int on);
int mytcp_state(int fd, uint32_t *una, uint32_t *nxt, uint32_t *rcv_nxt);
uint16_t mytcp_csum(uint32_t saddr, uint32_t daddr, const uint8_t *seg, size_t len);
void build_ip(uint8_t *pkt, uint32_t saddr, uint32_t daddr, size_t seglen);
long slab_kb(const char *field);
long stat_counter(int nsfd, const char *name);
int proc_count(int nsfd, int st, int lport, int rport);
const char *opt(int argc, char **argv, const char *key, const char *def);
long opt_num(int argc, char **argv, const char *key, long def);

struct xfer_kids {
	int pids[4];
	int n;
};

void xfer_start(struct xfer_kids *k, int ns_a, int ns_b, uint32_t addr_a,
		uint32_t addr_b, uint64_t seed);
int xfer_stop(struct xfer_kids *k);

int run_fuzz(int argc, char **argv);
int run_flood(int argc, char **argv);
int run_churn(int argc, char **argv);

#endif
