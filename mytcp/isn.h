/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MYTCP_ISN_H
#define _MYTCP_ISN_H

#include <linux/siphash.h>
#include <linux/types.h>

u32 mytcp_isn_calc(const siphash_key_t *key, __be32 saddr, __be32 daddr,
		   __be16 sport, __be16 dport, u64 now_ns);
u32 mytcp_isn(__be32 saddr, __be32 daddr, __be16 sport, __be16 dport);

#endif /* _MYTCP_ISN_H */
