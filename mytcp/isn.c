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

#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/net.h>
#include <linux/random.h>

#include "isn.h"

static siphash_aligned_key_t mytcp_isn_key;

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
 * mytcp_isn - choose the ISN for a new connection
 * @saddr: local address
 * @daddr: remote address
 * @sport: local port
 * @dport: remote port
 *
 * Return: the initial send sequence number.
 */
u32 mytcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport)
{
	net_get_random_once(&mytcp_isn_key, sizeof(mytcp_isn_key));
	return mytcp_isn_calc(&mytcp_isn_key, saddr, daddr, sport, dport,
			      ktime_get_real_ns());
}
