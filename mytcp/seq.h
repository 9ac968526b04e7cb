/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sequence number arithmetic (RFC 9293 section 3.4).
 *
 * Sequence numbers live in a 32-bit space that wraps; "a before b" is
 * decided by the sign of the 32-bit difference, which is right as long as
 * the two numbers are less than 2^31 apart.
 */
#ifndef _MYTCP_SEQ_H
#define _MYTCP_SEQ_H

#include <linux/types.h>

/**
 * mytcp_seq_before - is @a strictly before @b in sequence space?
 * @a: sequence number
 * @b: sequence number
 *
 * Return: true when (int)(a - b) < 0.
 */
static inline bool mytcp_seq_before(u32 a, u32 b)
{
	return (s32)(a - b) < 0;
}

/**
 * mytcp_seq_after - is @a strictly after @b in sequence space?
 * @a: sequence number
 * @b: sequence number
 *
 * Return: true when (int)(b - a) < 0.
 */
static inline bool mytcp_seq_after(u32 a, u32 b)
{
	return mytcp_seq_before(b, a);
}

/**
 * mytcp_seq_between - is @lo <= @x <= @hi in sequence space?
 * @x: the sequence number tested
 * @lo: lower bound, inclusive
 * @hi: upper bound, inclusive
 *
 * Return: true when @x lies in the closed interval; the interval is measured
 * from @lo, so it is right across the wrap-around.
 */
static inline bool mytcp_seq_between(u32 x, u32 lo, u32 hi)
{
	return x - lo <= hi - lo;
}

/**
 * mytcp_seq_max - the later of two sequence numbers
 * @a: sequence number
 * @b: sequence number
 *
 * Return: @a if it is after @b, else @b.
 */
static inline u32 mytcp_seq_max(u32 a, u32 b)
{
	return mytcp_seq_after(a, b) ? a : b;
}

/**
 * mytcp_seq_min - the earlier of two sequence numbers
 * @a: sequence number
 * @b: sequence number
 *
 * Return: @a if it is before @b, else @b.
 */
static inline u32 mytcp_seq_min(u32 a, u32 b)
{
	return mytcp_seq_before(a, b) ? a : b;
}

#endif /* _MYTCP_SEQ_H */
