// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp: initial sequence numbers, RFC 6528.
 *
 * ISN = M + F(localip, localport, remoteip, remoteport, secretkey), where M
 * is a clock ticking every 4 microseconds (RFC 9293 section 3.4.1) and F a
 * keyed hash, here SipHash with a key drawn once per boot.  The hash makes
 * the ISN of one 4-tuple unpredictable from another's; the clock makes a
 * new incarnation of the same 4-tuple start above the old one's numbers.
 */

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/math64.h>
#include <linux/net.h>
#include <linux/random.h>
#include <net/ipv6.h>

#include "isn.h"

static siphash_aligned_key_t mytcp_isn_key;
static siphash_aligned_key_t mytcp_cookie_key;
static siphash_aligned_key_t mytcp_ts_key;

/*
 * SYN cookies: when a listener's SYN queue is full, the SYN+ACK's ISS
 * carries what the request entry would have held, so no state is kept
 * for a SYN until its ACK proves the peer's address (the flood's sources
 * are spoofed and never answer).  Layout of the 32 bits:
 *   31..8   24 bits of SipHash(4-tuple, IRS, t, bits 6..0) with a secret key
 *   7       t mod 2, t counting 64-second periods
 *   6..3    the peer's window scale, 0 to 14 (RFC 7323 2.3), or 15: the
 *           SYN offered no window scaling
 *   2..0    index of its MSS in mytcp_cookie_mss[]
 * A cookie is good for the period it was made in and the next: the parity
 * bit says which of the two to hash with, and the hash (which covers t)
 * fails any other.  Every bit not needed to rebuild the request is MAC.
 */
static const u16 mytcp_cookie_mss[8] = {
	536, 1200, 1360, 1440, 1460, 4312, 8960, 65483
};

#define MYTCP_COOKIE_T_SHIFT	7
#define MYTCP_COOKIE_HASH_SHIFT	8
#define MYTCP_COOKIE_CARRIED	0x7f	/* window scale and MSS index */
#define MYTCP_COOKIE_NO_WSCALE	15

/**
 * mytcp_isn_calc - the RFC 6528 function itself, for a given key and time
 * @key: the secret key
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @now_ns: current time in nanoseconds
 *
 * Return: F(4-tuple, key) + M, where M counts 4-microsecond ticks.
 */
u32 mytcp_isn_calc(const siphash_key_t *key, __be32 saddr, __be32 daddr,
		   __be16 sport, __be16 dport, u64 now_ns)
{
	u32 ports = (u32)ntohs(sport) << 16 | ntohs(dport);
	u32 f = siphash_3u32((__force u32)saddr, (__force u32)daddr, ports, key);

	return f + (u32)div_u64(now_ns, 4000);
}

/**
 * mytcp_isn6_calc - mytcp_isn_calc() for IPv6 addresses
 * @key: the secret key
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 * @now_ns: current time in nanoseconds
 *
 * F hashes the whole 128-bit addresses (RFC 6528 section 3), so no two
 * IPv6 4-tuples are made to share it.
 *
 * Return: F(4-tuple, key) + M.
 */
u32 mytcp_isn6_calc(const siphash_key_t *key, const struct in6_addr *saddr,
		    const struct in6_addr *daddr, __be16 sport, __be16 dport,
		    u64 now_ns)
{
	struct {
		struct in6_addr s;
		struct in6_addr d;
		u32 ports;
	} __aligned(SIPHASH_ALIGNMENT) in = {
		.s = *saddr,
		.d = *daddr,
		.ports = (u32)ntohs(sport) << 16 | ntohs(dport),
	};

	return (u32)siphash(&in, sizeof(in), key) + (u32)div_u64(now_ns, 4000);
}

/**
 * mytcp_isn - choose the ISN for a new connection
 * @saddr: local address (v4-mapped for IPv4)
 * @daddr: remote address (v4-mapped for IPv4)
 * @sport: local port
 * @dport: remote port
 *
 * Return: the initial send sequence number.
 */
u32 mytcp_isn(const struct in6_addr *saddr, const struct in6_addr *daddr,
	      __be16 sport, __be16 dport)
{
	net_get_random_once(&mytcp_isn_key, sizeof(mytcp_isn_key));
	if (ipv6_addr_v4mapped(saddr))
		return mytcp_isn_calc(&mytcp_isn_key, saddr->s6_addr32[3],
				      daddr->s6_addr32[3], sport, dport,
				      ktime_get_real_ns());
	return mytcp_isn6_calc(&mytcp_isn_key, saddr, daddr, sport, dport,
			       ktime_get_real_ns());
}

/**
 * mytcp_ts_offset - the offset of a new connection's TSvals
 * @saddr: local address (v4-mapped for IPv4)
 * @daddr: remote address (v4-mapped for IPv4)
 * @sport: local port
 * @dport: remote port
 *
 * RFC 7323 section 5.4 (and RFC 6528's reasoning for ISNs): a keyed hash
 * of the 4-tuple, with a key of its own drawn once per boot, is added to
 * the millisecond clock.  A TSval then tells neither the host's uptime nor
 * the clock of its other connections; a new incarnation of the same
 * 4-tuple keeps the offset, so its TSvals still grow past the old ones'
 * (what PAWS in the peer's TIME_WAIT would look at).
 *
 * Return: the offset.
 */
u32 mytcp_ts_offset(const struct in6_addr *saddr, const struct in6_addr *daddr,
		    __be16 sport, __be16 dport)
{
	net_get_random_once(&mytcp_ts_key, sizeof(mytcp_ts_key));
	return mytcp_isn6_calc(&mytcp_ts_key, saddr, daddr, sport, dport, 0);
}

/*
 * The hash covers what the cookie carries too (MSS index and window
 * scale), so a peer cannot ask for a larger MSS or another scale by
 * editing its ACK.
 */
static u32 mytcp_cookie_hash(const siphash_key_t *key, u64 a, __be16 lport,
			     __be16 rport, u32 irs, u32 t, u32 carried)
{
	u32 ports = (u32)ntohs(lport) << 16 | ntohs(rport);
	u64 b = (u64)ports << 32 | irs;
	u64 c = (u64)(carried & MYTCP_COOKIE_CARRIED) << 32 | t;

	return (u32)siphash_3u64(a, b, c, key) >> MYTCP_COOKIE_HASH_SHIFT;
}

/**
 * mytcp_cookie_make - the ISS of a SYN+ACK sent without a request entry
 * @key: secret key
 * @laddr: local address
 * @raddr: remote address
 * @lport: local port
 * @rport: remote port
 * @irs: the SYN's sequence number
 * @t: the current 64-second period
 * @info: the SYN's MSS and window scale
 *
 * Return: the cookie.
 */
u32 mytcp_cookie_make(const siphash_key_t *key, __be32 laddr, __be32 raddr,
		      __be16 lport, __be16 rport, u32 irs, u32 t,
		      const struct mytcp_cookie_info *info)
{
	return mytcp_cookie_make_a(key, mytcp_cookie_addrs4(laddr, raddr),
				   lport, rport, irs, t, info);
}

/**
 * mytcp_cookie_addrs6 - the two IPv6 addresses a cookie covers, in 64 bits
 * @key: secret key
 * @laddr: local address
 * @raddr: remote address
 *
 * A keyed hash of all 256 bits: a peer cannot find another pair of
 * addresses that the cookie would also fit.
 *
 * Return: the digest, for mytcp_cookie_make_a() and mytcp_cookie_check_a().
 */
u64 mytcp_cookie_addrs6(const siphash_key_t *key, const struct in6_addr *laddr,
			const struct in6_addr *raddr)
{
	struct in6_addr in[2] __aligned(SIPHASH_ALIGNMENT) = { *laddr, *raddr };

	return siphash(in, sizeof(in), key);
}

/**
 * mytcp_cookie_make_a - mytcp_cookie_make() for addresses already digested
 * @key: secret key
 * @addrs: mytcp_cookie_addrs4() or mytcp_cookie_addrs6() of the addresses
 * @lport: local port
 * @rport: remote port
 * @irs: the SYN's sequence number
 * @t: the current 64-second period
 * @info: the SYN's MSS and window scale
 *
 * Return: the cookie.
 */
u32 mytcp_cookie_make_a(const siphash_key_t *key, u64 addrs, __be16 lport,
			__be16 rport, u32 irs, u32 t,
			const struct mytcp_cookie_info *info)
{
	u32 idx = 0, i, carried, ws;

	for (i = 0; i < ARRAY_SIZE(mytcp_cookie_mss); i++)
		if (mytcp_cookie_mss[i] <= info->mss)
			idx = i;
	/* RFC 7323 section 2.3: a shift above 14 is used as 14 */
	ws = info->wscale_ok ? min_t(u32, info->wscale, 14) :
			       MYTCP_COOKIE_NO_WSCALE;
	carried = ws << 3 | idx;
	return mytcp_cookie_hash(key, addrs, lport, rport, irs, t,
				 carried) << MYTCP_COOKIE_HASH_SHIFT |
	       (t & 1) << MYTCP_COOKIE_T_SHIFT | carried;
}

/**
 * mytcp_cookie_check - is the ACK's SEG.ACK - 1 a cookie we made?
 * @key: secret key
 * @laddr: local address
 * @raddr: remote address
 * @lport: local port
 * @rport: remote port
 * @irs: SEG.SEQ - 1 of the ACK (the SYN's sequence number)
 * @cookie: SEG.ACK - 1 of the ACK
 * @now_t: the current 64-second period
 * @info: filled with the SYN's MSS and window scale when valid
 *
 * Return: true for a cookie of this 4-tuple and IRS made in this period or
 * the one before.
 */
bool mytcp_cookie_check(const siphash_key_t *key, __be32 laddr, __be32 raddr,
			__be16 lport, __be16 rport, u32 irs, u32 cookie,
			u32 now_t, struct mytcp_cookie_info *info)
{
	return mytcp_cookie_check_a(key, mytcp_cookie_addrs4(laddr, raddr),
				    lport, rport, irs, cookie, now_t, info);
}

/**
 * mytcp_cookie_check_a - mytcp_cookie_check() for addresses digested
 * @key: secret key
 * @addrs: the addresses' digest, as mytcp_cookie_make_a() took it
 * @lport: local port
 * @rport: remote port
 * @irs: SEG.SEQ - 1 of the ACK
 * @cookie: SEG.ACK - 1 of the ACK
 * @now_t: the current 64-second period
 * @info: filled when valid
 *
 * Return: true for a valid cookie.
 */
bool mytcp_cookie_check_a(const siphash_key_t *key, u64 addrs, __be16 lport,
			  __be16 rport, u32 irs, u32 cookie, u32 now_t,
			  struct mytcp_cookie_info *info)
{
	u32 t_low = (cookie >> MYTCP_COOKIE_T_SHIFT) & 1;
	u32 t = t_low == (now_t & 1) ? now_t : now_t - 1;
	u32 ws = (cookie >> 3) & 0xf;

	if (cookie >> MYTCP_COOKIE_HASH_SHIFT !=
	    mytcp_cookie_hash(key, addrs, lport, rport, irs, t, cookie))
		return false;
	info->mss = mytcp_cookie_mss[cookie & 7];
	info->wscale_ok = ws != MYTCP_COOKIE_NO_WSCALE;
	info->wscale = info->wscale_ok ? ws : 0;
	return true;
}

/* One call site for the once: each get_random_once() site has its own flag */
static const siphash_key_t *mytcp_cookie_secret(void)
{
	net_get_random_once(&mytcp_cookie_key, sizeof(mytcp_cookie_key));
	return &mytcp_cookie_key;
}

/* IPv4 addresses as they always were; IPv6 ones through the keyed digest */
static u64 mytcp_cookie_addrs(const siphash_key_t *key,
			      const struct in6_addr *laddr,
			      const struct in6_addr *raddr)
{
	if (ipv6_addr_v4mapped(laddr))
		return mytcp_cookie_addrs4(laddr->s6_addr32[3],
					   raddr->s6_addr32[3]);
	return mytcp_cookie_addrs6(key, laddr, raddr);
}

static u32 mytcp_cookie_period(void)
{
	return (u32)(ktime_get_seconds() >> 6);
}

/**
 * mytcp_syncookie - mytcp_cookie_make() with the boot key and the clock
 * @laddr: local address (v4-mapped for IPv4)
 * @raddr: remote address (v4-mapped for IPv4)
 * @lport: local port
 * @rport: remote port
 * @irs: the SYN's sequence number
 * @info: the SYN's MSS and window scale
 *
 * Return: the ISS for the SYN+ACK.
 */
u32 mytcp_syncookie(const struct in6_addr *laddr, const struct in6_addr *raddr,
		    __be16 lport, __be16 rport, u32 irs,
		    const struct mytcp_cookie_info *info)
{
	const siphash_key_t *key = mytcp_cookie_secret();

	return mytcp_cookie_make_a(key, mytcp_cookie_addrs(key, laddr, raddr),
				   lport, rport, irs, mytcp_cookie_period(),
				   info);
}

/**
 * mytcp_syncookie_ok - mytcp_cookie_check() with the boot key and the clock
 * @laddr: local address (v4-mapped for IPv4)
 * @raddr: remote address (v4-mapped for IPv4)
 * @lport: local port
 * @rport: remote port
 * @irs: SEG.SEQ - 1 of the ACK
 * @cookie: SEG.ACK - 1 of the ACK
 * @info: filled when valid
 *
 * Return: true for a valid cookie.
 */
bool mytcp_syncookie_ok(const struct in6_addr *laddr,
			const struct in6_addr *raddr, __be16 lport,
			__be16 rport, u32 irs, u32 cookie,
			struct mytcp_cookie_info *info)
{
	const siphash_key_t *key = mytcp_cookie_secret();

	return mytcp_cookie_check_a(key, mytcp_cookie_addrs(key, laddr, raddr),
				    lport, rport, irs, cookie,
				    mytcp_cookie_period(), info);
}
