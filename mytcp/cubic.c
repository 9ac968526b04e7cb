// SPDX-License-Identifier: GPL-2.0
/*
 * mytcp_cubic: CUBIC congestion control (RFC 9438) for mytcp.
 *
 * A module of its own, written against the interface of cong.h the way a
 * researcher's algorithm would be: it says how far to back off on a loss
 * (->ssthresh) and how to grow in congestion avoidance (->cong_avoid); the
 * engine in mytcp does slow start, fast retransmit and recovery.  Load it
 * and pick it with `sysctl net.mytcp.congestion_control=cubic` or
 * setsockopt(MYTCP_CONGESTION, "cubic").
 *
 * Units: windows in bytes (the engine's), times in milliseconds.  The
 * window curve of RFC 9438 section 4.2 is in segments and seconds,
 *	W_cubic(t) = C * (t - K)^3 + W_max,	K = cbrt((W_max - cwnd) / C),
 * so in bytes and milliseconds C * SMSS / 10^9 multiplies (t - K)^3 and
 * 10^9 / (C * SMSS) the cube under K's root.
 */
#include <linux/math64.h>
#include <linux/module.h>

#include "cubic.h"

/* t - K, clamped so its cube fits in a u64: 2^21 ms is about 35 minutes */
#define CUBIC_MAX_DELTA_MS	((1U << 21) - 1)

/**
 * mytcp_cubic_cbrt - integer cube root
 * @x: the number
 *
 * Return: the largest r with r^3 <= @x.
 */
u32 mytcp_cubic_cbrt(u64 x)
{
	/* 2642245^3 is the largest cube in a u64: mid^3 never overflows */
	u32 lo = 0, hi = 2642246;

	/* invariant: lo^3 <= x < hi^3 */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;
		u64 cube = (u64)mid * mid * mid;

		if (cube <= x)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/**
 * mytcp_cubic_k_ms - K of RFC 9438 section 4.2, equation 2
 * @origin: W_max, bytes
 * @cwnd: cwnd at the start of the epoch, bytes
 * @mss: SMSS, bytes
 *
 * Return: K in milliseconds; 0 when @cwnd is already at @origin.
 */
u32 mytcp_cubic_k_ms(u32 origin, u32 cwnd, u32 mss)
{
	u64 gap;

	if (cwnd >= origin || !mss)
		return 0;
	/* K^3 [ms^3] = (origin - cwnd) / mss / C * 10^9 */
	gap = origin - cwnd;
	return mytcp_cubic_cbrt(div64_u64(gap * 1000000000ULL * CUBIC_C_DEN,
					  (u64)mss * CUBIC_C_NUM));
}

/**
 * mytcp_cubic_target - W_cubic(t) of RFC 9438 section 4.2, equation 1
 * @origin: W_max (the curve's plateau), bytes
 * @k_ms: K, milliseconds
 * @t_ms: time since the epoch began, milliseconds
 * @mss: SMSS, bytes
 *
 * Return: the window in bytes, at most U32_MAX / 2.
 */
u32 mytcp_cubic_target(u32 origin, u32 k_ms, u32 t_ms, u32 mss)
{
	u32 delta = t_ms > k_ms ? t_ms - k_ms : k_ms - t_ms;
	u64 cube, off;

	delta = min(delta, CUBIC_MAX_DELTA_MS);
	cube = (u64)delta * delta * delta;
	/* C * (t - K)^3 segments, in bytes: cube * C * mss / 10^9 */
	off = mul_u64_u64_div_u64(cube, (u64)CUBIC_C_NUM * mss,
				  (u64)CUBIC_C_DEN * 1000000000ULL);
	if (t_ms >= k_ms)
		return min_t(u64, (u64)origin + off, U32_MAX / 2);
	return off < origin ? origin - off : 0;
}

/**
 * mytcp_cubic_init - ->init: no epoch, no history
 * @cc: the state
 */
void mytcp_cubic_init(struct mytcp_cc *cc)
{
	struct mytcp_cubic *c = mytcp_cc_priv(cc, struct mytcp_cubic);

	memset(c, 0, sizeof(*c));
}

/**
 * mytcp_cubic_ssthresh - ->ssthresh: back off by beta_cubic
 * @cc: the state, cwnd not yet reduced
 * @flight: bytes in flight (unused: RFC 9438 section 4.6 reduces cwnd)
 *
 * Remembers W_max, lowered for fast convergence (RFC 9438 section 4.7)
 * when the window has shrunk since the loss before, and ends the epoch.
 *
 * Return: cwnd * beta_cubic.
 */
u32 mytcp_cubic_ssthresh(struct mytcp_cc *cc, u32 flight)
{
	struct mytcp_cubic *c = mytcp_cc_priv(cc, struct mytcp_cubic);

	c->epoch_us = 0;
	if (cc->cwnd < c->w_last_max) {
		/* releasing bandwidth for a new flow: W_max (1 + beta) / 2 */
		c->w_last_max = cc->cwnd;
		c->w_max = (u64)cc->cwnd * (CUBIC_BETA_DEN + CUBIC_BETA_NUM) /
			   (2 * CUBIC_BETA_DEN);
	} else {
		c->w_last_max = cc->cwnd;
		c->w_max = cc->cwnd;
	}
	return (u64)cc->cwnd * CUBIC_BETA_NUM / CUBIC_BETA_DEN;
}

/* RFC 9438 section 4.2: a new epoch starts at the first ACK in avoidance */
static void cubic_epoch_start(struct mytcp_cc *cc, struct mytcp_cubic *c)
{
	c->epoch_us = cc->now_us ?: 1;
	if (cc->cwnd < c->w_max) {
		c->origin = c->w_max;
		c->k_ms = mytcp_cubic_k_ms(c->w_max, cc->cwnd, cc->mss);
	} else {
		c->origin = cc->cwnd;
		c->k_ms = 0;
	}
	c->w_est = cc->cwnd;
	c->cwnd_acc = 0;
	c->est_acc = 0;
}

/**
 * mytcp_cubic_cong_avoid - ->cong_avoid: follow W_cubic, or Reno if faster
 * @cc: the state; @cc->now_us and @cc->srtt_us are the ACK's time and RTT
 * @acked: bytes the ACK acknowledged
 */
void mytcp_cubic_cong_avoid(struct mytcp_cc *cc, u32 acked)
{
	struct mytcp_cubic *c = mytcp_cc_priv(cc, struct mytcp_cubic);
	u32 t_ms, target, alpha_num, alpha_den, inc;

	if (!c->epoch_us)
		cubic_epoch_start(cc, c);
	/* RFC 9438 section 4.2: the target is W_cubic one RTT ahead */
	t_ms = (cc->now_us - c->epoch_us + cc->srtt_us) / 1000;
	target = mytcp_cubic_target(c->origin, c->k_ms, t_ms, cc->mss);
	/* ... between cwnd and 1.5 cwnd */
	target = min_t(u64, target, (u64)cc->cwnd * 3 / 2);
	if (target > cc->cwnd) {
		/* (target - cwnd) / cwnd segments per segment acked, in bytes */
		c->cwnd_acc += (u64)(target - cc->cwnd) * acked;
		inc = div64_u64(c->cwnd_acc, cc->cwnd);
		c->cwnd_acc -= (u64)inc * cc->cwnd;
		cc->cwnd += inc;
	}

	/*
	 * RFC 9438 section 4.3: W_est grows by alpha_cubic segments per
	 * window acked; alpha_cubic is 1 once W_est has reached W_max.
	 */
	if (c->w_est >= c->w_max) {
		alpha_num = 1;
		alpha_den = 1;
	} else {
		alpha_num = CUBIC_ALPHA_NUM;
		alpha_den = CUBIC_ALPHA_DEN;
	}
	c->est_acc += (u64)alpha_num * acked * cc->mss;
	inc = div64_u64(c->est_acc, (u64)alpha_den * cc->cwnd);
	c->est_acc -= (u64)inc * alpha_den * cc->cwnd;
	c->w_est += inc;
	/* the Reno-friendly region: never slower than Reno would be */
	if (c->w_est > cc->cwnd)
		cc->cwnd = c->w_est;
}

struct mytcp_cong_ops mytcp_cubic = {
	.name		= "cubic",
	.owner		= THIS_MODULE,
	.ssthresh	= mytcp_cubic_ssthresh,
	.cong_avoid	= mytcp_cubic_cong_avoid,
	.init		= mytcp_cubic_init,
};

static int __init mytcp_cubic_register(void)
{
	return mytcp_register_cong(&mytcp_cubic);
}

static void __exit mytcp_cubic_unregister(void)
{
	mytcp_unregister_cong(&mytcp_cubic);
}

module_init(mytcp_cubic_register);
module_exit(mytcp_cubic_unregister);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("mytcp_cubic: CUBIC congestion control (RFC 9438) for mytcp");
