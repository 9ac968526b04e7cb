/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MYTCP_ISN_H
#define _MYTCP_ISN_H

#include <linux/in6.h>
#include <linux/siphash.h>
#include <linux/types.h>

u32 mytcp_isn_calc(const siphash_key_t *key, __be32 saddr, __be32 daddr,
		   __be16 sport, __be16 dport, u64 now_ns);
u32 mytcp_isn6_calc(const siphash_key_t *key, const struct in6_addr *saddr,
		    const struct in6_addr *daddr, __be16 sport, __be16 dport,
		    u64 now_ns);
u32 mytcp_isn(const struct in6_addr *saddr, const struct in6_addr *daddr,
	      __be16 sport, __be16 dport);
u32 mytcp_ts_offset(const struct in6_addr *saddr, const struct in6_addr *daddr,
		    __be16 sport, __be16 dport);

/**
 * struct mytcp_cookie_info - what a SYN cookie carries of the SYN
 * @mss: MSS the peer announced, rounded down to a table entry
 * @wscale_ok: the peer offered window scaling
 * @wscale: the peer's window scale
 */
struct mytcp_cookie_info {
	u16 mss;
	bool wscale_ok;
	u8 wscale;
};

u32 mytcp_cookie_make(const siphash_key_t *key, __be32 laddr, __be32 raddr,
		      __be16 lport, __be16 rport, u32 irs, u32 t,
		      const struct mytcp_cookie_info *info);
bool mytcp_cookie_check(const siphash_key_t *key, __be32 laddr, __be32 raddr,
			__be16 lport, __be16 rport, u32 irs, u32 cookie,
			u32 now_t, struct mytcp_cookie_info *info);
u64 mytcp_cookie_addrs6(const siphash_key_t *key, const struct in6_addr *laddr,
			const struct in6_addr *raddr);
u32 mytcp_cookie_make_a(const siphash_key_t *key, u64 addrs, __be16 lport,
			__be16 rport, u32 irs, u32 t,
			const struct mytcp_cookie_info *info);
bool mytcp_cookie_check_a(const siphash_key_t *key, u64 addrs, __be16 lport,
			  __be16 rport, u32 irs, u32 cookie, u32 now_t,
			  struct mytcp_cookie_info *info);
u32 mytcp_syncookie(const struct in6_addr *laddr, const struct in6_addr *raddr,
		    __be16 lport, __be16 rport, u32 irs,
		    const struct mytcp_cookie_info *info);
bool mytcp_syncookie_ok(const struct in6_addr *laddr,
			const struct in6_addr *raddr, __be16 lport,
			__be16 rport, u32 irs, u32 cookie,
			struct mytcp_cookie_info *info);

/* The two IPv4 addresses a cookie covers, as the hash takes them */
static inline u64 mytcp_cookie_addrs4(__be32 laddr, __be32 raddr)
{
	return (u64)(__force u32)laddr << 32 | (__force u32)raddr;
}

#endif /* _MYTCP_ISN_H */
