/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mytcp_cubic: CUBIC (RFC 9438) for mytcp, as a module of its own.  The
 * arithmetic is here as pure functions of numbers, for KUnit.
 */
#ifndef _MYTCP_CUBIC_H
#define _MYTCP_CUBIC_H

#include <linux/types.h>

#include "cong.h"

/* RFC 9438 section 4.6 and 4.2: beta_cubic = 0.7, C = 0.4 */
#define CUBIC_BETA_NUM		7
#define CUBIC_BETA_DEN		10
#define CUBIC_C_NUM		4
#define CUBIC_C_DEN		10
/* RFC 9438 section 4.3: alpha_cubic = 3 (1 - beta) / (1 + beta) = 9 / 17 */
#define CUBIC_ALPHA_NUM		9
#define CUBIC_ALPHA_DEN		17

/**
 * struct mytcp_cubic - CUBIC's state, in struct mytcp_cc's priv
 * @epoch_us: when the current congestion avoidance epoch began (t = 0);
 *	0 when none has (after a loss, until the next ACK in avoidance)
 * @w_max: bytes: cwnd just before the last reduction, less for fast
 *	convergence (RFC 9438 section 4.7)
 * @w_last_max: the @w_max before that
 * @origin: bytes: W_cubic's plateau this epoch (@w_max, or cwnd when it
 *	was already above)
 * @k_ms: K, the time W_cubic takes to reach @origin, in milliseconds
 * @w_est: bytes: the Reno-friendly estimate (RFC 9438 section 4.3)
 * @cwnd_acc: remainder of cwnd growth, in bytes * cwnd
 * @est_acc: remainder of @w_est growth, in bytes * cwnd * ALPHA_DEN
 */
struct mytcp_cubic {
	u32 epoch_us;
	u32 w_max;
	u32 w_last_max;
	u32 origin;
	u32 k_ms;
	u32 w_est;
	u64 cwnd_acc;
	u64 est_acc;
};

u32 mytcp_cubic_cbrt(u64 x);
u32 mytcp_cubic_k_ms(u32 origin, u32 cwnd, u32 mss);
u32 mytcp_cubic_target(u32 origin, u32 k_ms, u32 t_ms, u32 mss);
u32 mytcp_cubic_ssthresh(struct mytcp_cc *cc, u32 flight);
void mytcp_cubic_cong_avoid(struct mytcp_cc *cc, u32 acked);
void mytcp_cubic_init(struct mytcp_cc *cc);

extern struct mytcp_cong_ops mytcp_cubic;

#endif /* _MYTCP_CUBIC_H */
